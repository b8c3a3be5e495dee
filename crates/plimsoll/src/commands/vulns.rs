//! `plimsoll vulns SOURCE`: catalog a source (or read an SBOM) and match its packages
//! against the vulnerability store; `--fail-on` turns the result into a pipeline gate.

use std::process::ExitCode;

use anyhow::Context;
use plimsoll_model::SourceKind;
use plimsoll_vulndb::vex::{parse_vex, verdict};
use plimsoll_vulndb::{match_packages, FixState, Severity, Store};

use crate::catalog::{catalog_or_read, SourceOptions};
use crate::cli::{VulnsArgs, VulnsFormat};
use crate::commands::db::store_path;
use crate::commands::scan::scope;
use crate::progress::Reporter;
use crate::report::{self, ignore::IgnoreRules};

/// Exit status when a gate fails.
const EXIT_GATE: u8 = 1;

pub fn run(args: VulnsArgs) -> anyhow::Result<ExitCode> {
    let fail_on = match &args.fail_on {
        Some(name) => Some(Severity::parse(name).filter(|s| *s != Severity::Unknown).with_context(|| {
            format!("unknown severity `{name}` (one of negligible, low, medium, high, critical)")
        })?),
        None => None,
    };
    let ignore = match &args.ignore {
        Some(path) => IgnoreRules::load(path)?,
        None => IgnoreRules::default(),
    };
    let mut statements = Vec::new();
    for path in &args.vex {
        let bytes =
            std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
        statements.extend(
            parse_vex(&bytes)
                .with_context(|| format!("`{}` is not a usable VEX document", path.display()))?,
        );
    }
    let store = Store::open(&store_path(args.db.clone()))?;
    let reporter = Reporter::new(args.quiet);

    let options = SourceOptions {
        source: args.source.clone(),
        scope: scope(args.scope),
        platform: args.platform.clone(),
        registry: args.registry.options(),
        layer_cache: args.registry.layer_cache(),
        exclude: Vec::new(),
    };
    let (sbom, _) = catalog_or_read(&options, &reporter, None)?;

    let started = std::time::Instant::now();
    let versions = plimsoll_vulndb::versions::Schemes;
    let mut matches = match_packages(&sbom.packages, sbom.distro.as_ref(), &store, &versions)?;
    let elapsed = started.elapsed();
    matches.retain(|m| !ignore.ignores(m, &sbom.packages[m.package]));
    let before = matches.len();
    let image_digest = match &sbom.source.kind {
        SourceKind::Image(image) => Some(image.manifest_digest.as_str()),
        _ => None,
    };
    matches.retain(|m| {
        let ids: Vec<&str> = std::iter::once(m.id.as_str())
            .chain(m.related.iter().map(String::as_str))
            .collect();
        let purl = &sbom.packages[m.package].purl;
        !verdict(&statements, &ids, purl, image_digest).is_some_and(|s| s.status.suppresses())
    });
    let suppressed = before - matches.len();
    if args.only_fixed {
        matches.retain(|m| matches!(m.fix, FixState::Fixed(_)));
    }
    reporter.done(
        &format!(
            "Scanned for vulnerabilities [{} vulnerability matches]",
            matches.len()
        ),
        &format!("{} ms", elapsed.as_millis()),
    );
    if !args.vex.is_empty() {
        reporter.done(&format!("Applied VEX [{suppressed} suppressed]"), "");
    }

    let text = match args.output {
        VulnsFormat::Table => report::table::render(&matches, &sbom.packages),
        VulnsFormat::Json => report::grype_json::render(&matches, &sbom),
        VulnsFormat::Sarif => report::sarif::render(&matches, &sbom),
        VulnsFormat::CycloneDxJson => report::cyclonedx::render(&matches, &sbom),
    };
    out!("{text}");

    let failed = fail_on.is_some_and(|threshold| matches.iter().any(|m| m.severity >= threshold));
    if let (true, Some(threshold)) = (failed, fail_on) {
        eprintln!(
            "error: discovered vulnerabilities at or above the severity threshold `{}`",
            threshold.as_str().to_lowercase()
        );
        return Ok(ExitCode::from(EXIT_GATE));
    }
    Ok(ExitCode::SUCCESS)
}
