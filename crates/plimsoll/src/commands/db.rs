//! `plimsoll db import|status`: fill the vulnerability store from feeds and show what it
//! holds.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use plimsoll_vulndb::{import, Store};

use crate::cli::{DbArgs, DbCommand};

/// The store file: `--db`, else `$PLIMSOLL_DB`, else under the user's data directory.
pub fn store_path(flag: Option<PathBuf>) -> PathBuf {
    if let Some(path) = flag {
        return path;
    }
    if let Some(path) = std::env::var_os("PLIMSOLL_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("plimsoll").join("vulnerabilities.db")
}

pub fn run(args: DbArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        DbCommand::Import { inputs, db } => {
            let path = store_path(db);
            let mut store = Store::open_or_create(&path)?;
            let inputs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
            let started = std::time::Instant::now();
            let summaries =
                import(&mut store, &inputs, &now_rfc3339()).context("failed to import")?;
            for summary in &summaries {
                for warning in &summary.warnings {
                    eprintln!("warning: skipped {warning}");
                }
            }
            outln!("{:<20} {:>10} {:>8}", "FEED", "IMPORTED", "SKIPPED");
            for summary in &summaries {
                outln!(
                    "{:<20} {:>10} {:>8}",
                    summary.feed,
                    summary.imported,
                    summary.skipped
                );
            }
            eprintln!(
                " ✔ Imported into {} in {:.1}s",
                path.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Status { db } => {
            let path = store_path(db);
            let store = Store::open(&path)?;
            outln!("database: {}", path.display());
            outln!();
            outln!(
                "{:<20} {:<24} {:>10} {:>8}",
                "FEED",
                "UPDATED",
                "RECORDS",
                "SKIPPED"
            );
            for feed in store.feeds()? {
                outln!(
                    "{:<20} {:<24} {:>10} {:>8}",
                    feed.name,
                    feed.updated,
                    feed.imported,
                    feed.skipped
                );
            }
            outln!();
            outln!("{:<20} {:<24} {:>10}", "FEED", "GROUP", "ADVISORIES");
            for group in store.groups()? {
                outln!(
                    "{:<20} {:<24} {:>10}",
                    group.feed,
                    group.namespace,
                    group.advisories
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The current time in RFC 3339, UTC, to the second.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}
