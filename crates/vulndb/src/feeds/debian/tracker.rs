//! The security tracker's JSON export (security-tracker.debian.org/tracker/data/json):
//! `{ "<source package>": { "<CVE>": { "description", "debianbug", "releases": {
//! "<codename>": { "status", "fixed_version", "urgency", "nodsa", "nodsa_reason" } } } } }`.
//!
//! One advisory per CVE, with one affected entry per source package and release:
//! `resolved` with a version is fixed there; `resolved` with version `0` was never affected;
//! `open` is not fixed, or will not be when the release is at its `end-of-life` urgency or
//! marked `nodsa` (unless the reason is `postponed`, a fix deferred to a later update);
//! `undetermined` is affected with the fix unknown. The severity is the highest urgency any
//! release gives. A CVE whose packages list no release says nothing and yields no advisory.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{affected, is_dpkg_version, release_version, urgency_severity, Status};
use crate::feeds::{Parsed, Record};
use crate::Advisory;

/// The feed the tracker's advisories are stored under.
pub(crate) const FEED: &str = "debian-tracker";

/// Whether a value is the tracker export: packages mapping IDs to entries with `releases`.
fn is_tracker(value: &Value) -> bool {
    let Some(packages) = value.as_object() else {
        return false;
    };
    packages.values().take(8).any(|ids| {
        ids.as_object().is_some_and(|ids| {
            ids.values()
                .take(8)
                .any(|entry| entry.get("releases").is_some())
        })
    })
}

/// Whether text that does not parse resembles the tracker export.
pub(crate) fn looks_like(text: &str) -> bool {
    text.contains("\"releases\"") && text.contains("\"urgency\"")
}

/// Reads the export; `None` unless the value is one.
pub(crate) fn parse(origin: &str, value: &Value) -> Option<Parsed> {
    if !is_tracker(value) {
        return None;
    }
    let mut parsed = Parsed::new(FEED);
    let mut advisories: BTreeMap<String, Advisory> = BTreeMap::new();
    for (package, ids) in value.as_object().into_iter().flatten() {
        let Some(ids) = ids.as_object() else {
            parsed.skipped.push(format!(
                "{origin}: `{package}` should map vulnerability IDs to entries"
            ));
            continue;
        };
        for (id, entry) in ids {
            let reasons = add_entry(&mut advisories, package, id, entry);
            parsed.skipped.extend(
                reasons
                    .into_iter()
                    .map(|reason| format!("{origin}: `{id}` in `{package}`: {reason}")),
            );
        }
    }
    parsed.records = advisories
        .into_values()
        .filter(|a| !a.affected.is_empty())
        .map(Record::Advisory)
        .collect();
    Some(parsed)
}

/// Adds one package's entry for one ID; returns why parts of it were skipped.
fn add_entry(
    advisories: &mut BTreeMap<String, Advisory>,
    package: &str,
    id: &str,
    entry: &Value,
) -> Vec<String> {
    let releases = match entry.get("releases") {
        Some(Value::Object(releases)) => releases,
        // The export writes an empty list for a package in no release.
        Some(Value::Array(items)) if items.is_empty() => return Vec::new(),
        _ => return vec!["`releases` should map codenames to statuses".to_string()],
    };
    let advisory = advisories
        .entry(id.to_string())
        .or_insert_with(|| new_advisory(id));
    if advisory.details.is_empty() {
        advisory.details = entry
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
    }
    if let Some(bug) = entry.get("debianbug").and_then(Value::as_u64) {
        let url = format!("https://bugs.debian.org/{bug}");
        if !advisory.references.contains(&url) {
            advisory.references.push(url);
        }
    }

    let mut reasons = Vec::new();
    for (codename, release) in releases {
        let Some(version) = release_version(codename) else {
            reasons.push(format!("unknown release `{codename}`"));
            continue;
        };
        let Some(release) = release.as_object() else {
            reasons.push(format!("`{codename}` should be an object"));
            continue;
        };
        match status(release) {
            Ok(status) => advisory.affected.push(affected(version, package, status)),
            Err(reason) => reasons.push(format!("`{codename}`: {reason}")),
        }
        let severity = release
            .get("urgency")
            .and_then(Value::as_str)
            .and_then(urgency_severity);
        advisory.severity = advisory.severity.max(severity);
    }
    reasons
}

fn new_advisory(id: &str) -> Advisory {
    let references = vec![format!("https://security-tracker.debian.org/tracker/{id}")];
    Advisory {
        id: id.to_string(),
        references,
        ..Advisory::default()
    }
}

/// The status of one release entry.
fn status(release: &Map<String, Value>) -> Result<Status, String> {
    let text = |key: &str| release.get(key).and_then(Value::as_str);
    match text("status") {
        Some("resolved") => match text("fixed_version") {
            Some("0") => Ok(Status::NotAffected),
            Some(version) if is_dpkg_version(version) => Ok(Status::Fixed(version.to_string())),
            Some(version) => Err(format!("`{version}` is not a Debian version")),
            None => Err("`resolved` without a `fixed_version`".to_string()),
        },
        Some("open") => {
            let end_of_life = text("urgency") == Some("end-of-life");
            let no_dsa =
                release.get("nodsa").is_some() && text("nodsa_reason") != Some("postponed");
            Ok(if end_of_life || no_dsa {
                Status::WontFix
            } else {
                Status::Open
            })
        }
        Some("undetermined") => Ok(Status::Undetermined),
        Some(other) => Err(format!("unknown status `{other}`")),
        None => Err("no `status`".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::{advisories, parse_shared};
    use crate::{FixState, Severity};

    #[test]
    fn the_vunnel_sample() {
        let parsed = parse_shared("fixtures/vunnel/debian/test-fixtures/input/debian.json");
        assert_eq!(
            (
                parsed.feed.as_str(),
                parsed.records.len(),
                parsed.skipped.len()
            ),
            (FEED, 6, 0)
        );

        let chromium = advisories(&parsed)
            .into_iter()
            .find(|a| a.id == "CVE-2022-0456")
            .unwrap();
        let entry = |release: &str| {
            chromium
                .affected
                .iter()
                .find(|a| a.namespace == release)
                .unwrap()
        };
        assert_eq!(entry("debian:11").package, "chromium");
        assert_eq!(
            entry("debian:11").fix,
            FixState::Fixed(vec!["98.0.4758.80-1~deb11u1".into()])
        );
        assert_eq!(entry("debian:10").fix, FixState::WontFix);

        let prototype = advisories(&parsed)
            .into_iter()
            .find(|a| a.id == "CVE-2007-2383")
            .unwrap();
        assert_eq!(prototype.severity, Some(Severity::Negligible));
        assert!(prototype
            .affected
            .iter()
            .all(|a| a.fix == FixState::Fixed(vec!["0".into()]) && a.ranges.is_empty()));
    }

    #[test]
    fn the_other_samples() {
        let parsed = parse_shared("fixtures/osv-misc/vulnerablecode-debian-tracker-sample.json");
        assert_eq!((parsed.records.len(), parsed.skipped.len()), (6, 0));
        let no_dsa = advisories(&parsed)
            .into_iter()
            .flat_map(|a| &a.affected)
            .filter(|a| a.fix == FixState::WontFix)
            .count();
        assert_eq!(no_dsa, 8);
        let mock = "fixtures/osv-misc/osv.dev-vulnfeeds/vulnfeeds/test_data/debian";
        let parsed = parse_shared(&format!("{mock}/debian_security_tracker_mock.json"));
        assert_eq!(parsed.feed, FEED);
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
    }

    #[test]
    fn malformed_entries_are_skipped_with_a_reason() {
        let json = br#"{"zlib": {
            "CVE-2022-37434": {"releases": {
                "bookworm": {"status": "resolved", "fixed_version": "1:1.2.13.dfsg-1"},
                "bullseye": {"status": "resolved", "fixed_version": "soon"},
                "experimental": {"status": "open"},
                "trixie": {"status": "pending"},
                "sid": 7}},
            "CVE-2023-1": {"releases": "bookworm"}},
            "broken": ["CVE-2023-2"]}"#;
        let parsed = crate::feeds::parse("debian.json", json).unwrap().unwrap();
        assert_eq!(parsed.records.len(), 1);
        let reasons = parsed.skipped.join("\n");
        for reason in [
            "debian.json: `CVE-2022-37434` in `zlib`: `bullseye`: `soon` is not a Debian version",
            "unknown release `experimental`",
            "`trixie`: unknown status `pending`",
            "`sid` should be an object",
            "`CVE-2023-1` in `zlib`: `releases` should map codenames to statuses",
            "`broken` should map vulnerability IDs to entries",
        ] {
            assert!(reasons.contains(reason), "{reason} not in {reasons}");
        }
    }
}
