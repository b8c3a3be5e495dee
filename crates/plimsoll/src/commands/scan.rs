//! `plimsoll scan SOURCE`: catalog an image or directory and write the SBOM.

use std::process::ExitCode;

use plimsoll_image::Scope;

use crate::catalog::{catalog_source, SourceOptions};
use crate::cli::{ScanArgs, ScopeArg};
use crate::output::{parse_outputs, write_all};
use crate::progress::Reporter;

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let outputs = parse_outputs(&args.output)?;
    let reporter = Reporter::new(args.quiet);
    let options = SourceOptions {
        source: args.source,
        scope: scope(args.scope),
        platform: args.platform,
    };
    let sbom = catalog_source(&options, &reporter)?;
    write_all(&sbom, &outputs)?;
    Ok(ExitCode::SUCCESS)
}

/// The image crate's scope for a `--scope` value.
pub fn scope(arg: ScopeArg) -> Scope {
    match arg {
        ScopeArg::Squashed => Scope::Squashed,
        ScopeArg::AllLayers => Scope::AllLayers,
    }
}
