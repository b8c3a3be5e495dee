//! The command-line surface (see the README for the list of commands and flags).

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Container-image supply-chain security: catalog packages, find vulnerabilities.
#[derive(Debug, Parser)]
#[command(name = "plimsoll", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// More logging on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Catalog the packages of an image or directory.
    Scan(ScanArgs),
}

/// Which files are cataloged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// The final image, with deleted files gone.
    Squashed,
    /// Every layer, including files that later layers delete or replace.
    AllLayers,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// What to scan: docker-archive:PATH, oci-archive:PATH, oci-dir:PATH[:TAG], dir:PATH,
    /// file:PATH, or a path whose kind is detected.
    pub source: String,

    /// Output format, optionally to a file: table (default), syft-json (json). Repeatable.
    #[arg(short, long = "output", value_name = "FORMAT[=FILE]")]
    pub output: Vec<String>,

    /// Catalog the squashed image or every layer.
    #[arg(short, long, value_enum, default_value_t = ScopeArg::Squashed)]
    pub scope: ScopeArg,

    /// The platform to choose from a multi-platform image (OS/ARCH[/VARIANT]).
    #[arg(long)]
    pub platform: Option<String>,

    /// No progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}
