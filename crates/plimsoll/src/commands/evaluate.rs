//! `plimsoll evaluate SOURCE --policy BUNDLE.json`: catalog a source (or read an SBOM), match
//! it against the vulnerability store, and evaluate an Anchore policy bundle against it.
//! The final action is the exit status: 0 for go and warn, 1 for stop.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use jiff::Timestamp;
use plimsoll_image::Scope;
use plimsoll_policy::{evaluate, validate, Action, PolicyBundle};
use plimsoll_vulndb::{match_packages, Store};

use crate::catalog::{catalog_or_read, SourceOptions};
use crate::cli::{EvaluateArgs, EvaluateCommand, EvaluateFormat};
use crate::commands::db::store_path;
use crate::progress::Reporter;
use crate::{policy_input, report};
use plimsoll_catalog::content::ContentSearch;

/// Exit status when the final action is `stop`.
const EXIT_GATE: u8 = 1;

pub fn run(args: EvaluateArgs) -> anyhow::Result<ExitCode> {
    if let Some(EvaluateCommand::Check {
        connection,
        image,
        detail,
        tag,
    }) = args.command
    {
        return crate::commands::remote::evaluate_check(&connection, &image, detail, tag);
    }
    let (Some(source), Some(policy)) = (args.source.clone(), args.policy.clone()) else {
        anyhow::bail!("give a SOURCE and `--policy BUNDLE.json`, or `check IMAGE`");
    };
    let bundle = read_bundle(&policy)?;
    let store = Store::open(&store_path(args.db.clone()))?;
    let reporter = Reporter::new(args.quiet);

    let options = SourceOptions {
        source,
        scope: Scope::Squashed,
        platform: args.platform.clone(),
        registry: args.registry.options(),
        layer_cache: args.registry.layer_cache(),
        exclude: Vec::new(),
    };
    let search = ContentSearch::new(&args.search.secrets, &args.search.content)
        .context("a search pattern is invalid")?;
    let (sbom, content) = catalog_or_read(&options, &reporter, Some(&search))?;

    let versions = plimsoll_vulndb::versions::Schemes;
    let matches = match_packages(&sbom.packages, sbom.distro.as_ref(), &store, &versions)?;
    let groups = store.groups()?;
    reporter.done(
        &format!(
            "Scanned for vulnerabilities [{} vulnerability matches]",
            matches.len()
        ),
        "",
    );

    let mut input = policy_input::build(sbom, &matches, &groups, args.tag.as_deref());
    if let Some(content) = &content {
        input.add_content(content);
    }
    let now = Timestamp::now();
    let evaluation = evaluate(&bundle, &input, now);
    for problem in &evaluation.problems {
        eprintln!("warning: {problem}");
    }
    reporter.done(
        &format!("Evaluated policy [{}]", evaluation.status()),
        &bundle.id,
    );

    let text = match args.output {
        EvaluateFormat::Table => report::evaluation::render_text(&evaluation, now, args.detail),
        EvaluateFormat::Json => report::evaluation::render_json(&evaluation, &bundle, now),
    };
    out!("{text}");

    if evaluation.final_action == Action::Stop {
        return Ok(ExitCode::from(EXIT_GATE));
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a bundle and refuses it with every problem listed when it does not validate.
fn read_bundle(path: &Path) -> anyhow::Result<PolicyBundle> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read the policy bundle `{shown}`"))?;
    let bundle = PolicyBundle::from_json(&text)
        .with_context(|| format!("the policy bundle `{shown}` is not a valid bundle document"))?;

    let problems = validate(&bundle);
    if !problems.is_empty() {
        let list: Vec<String> = problems
            .iter()
            .map(|problem| format!("  - {problem} [{}]", problem.code()))
            .collect();
        bail!(
            "the policy bundle `{shown}` has {} problem{}:\n{}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            list.join("\n")
        );
    }
    Ok(bundle)
}
