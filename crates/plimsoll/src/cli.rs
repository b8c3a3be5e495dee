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
    /// Find known vulnerabilities in an image, directory or SBOM.
    Vulns(VulnsArgs),
    /// Manage the local vulnerability database.
    Db(DbArgs),
}

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Import vulnerability feeds (OSV, distro trackers, NVD, KEV, EPSS) from files,
    /// directories or archives; the format is recognised by content.
    Import {
        #[arg(required = true, value_name = "PATH")]
        inputs: Vec<std::path::PathBuf>,
        /// The database file (default: $PLIMSOLL_DB, else under the user's data directory).
        #[arg(long)]
        db: Option<std::path::PathBuf>,
    },
    /// Show the feeds and groups in the database.
    Status {
        #[arg(long)]
        db: Option<std::path::PathBuf>,
    },
}

/// Report formats of `vulns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VulnsFormat {
    Table,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct VulnsArgs {
    /// What to scan: any `scan` source, or `sbom:PATH` (syft-json, CycloneDX, SPDX).
    pub source: String,

    /// The database file (default: $PLIMSOLL_DB, else under the user's data directory).
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,

    /// Report format.
    #[arg(short, long, value_enum, default_value_t = VulnsFormat::Table)]
    pub output: VulnsFormat,

    /// Exit with status 1 when a vulnerability at or above this severity is found
    /// (negligible, low, medium, high, critical).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,

    /// Report only vulnerabilities that have a fix.
    #[arg(long)]
    pub only_fixed: bool,

    /// Rules for accepted risks (Grype's `ignore:` list, YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<std::path::PathBuf>,

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
