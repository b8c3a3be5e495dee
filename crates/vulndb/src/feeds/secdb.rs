//! The secdb format of Alpine (secdb.alpinelinux.org, in YAML or JSON) and of Wolfi and
//! Chainguard (JSON): per repository, `packages[].pkg.{name, secfixes}` where `secfixes`
//! maps the first fixed package version to the vulnerability IDs it fixes. The version `0`
//! says the package was never affected.
//!
//! Alpine documents name their release (`distroversion: v3.18`, namespace `alpine:3.18`);
//! Wolfi's and Chainguard's have none and go to `wolfi` and `chainguard`. Each document
//! becomes its own feed, `alpine-secdb/v3.18/main`, because the store keeps one advisory per
//! feed and ID while the same CVE is listed by many releases and repositories. Within a
//! document there is one advisory per ID, with one affected entry per package: affected from
//! the beginning up to the fixed version. A package listed under `0` gets an entry whose
//! only constraint is `!*` (no version affected) and whose fix is version `0`.
//!
//! Entries are free text: `CVE-2017-8904 XSA-214`, `CVE-2018-14461 (LDP)`,
//! `CVE-2017-17434-1`, `CVE_2019-2426`. The CVE IDs in an entry each become an advisory and
//! the other IDs (`XSA-…`, `TALOS-…`, `GHSA-…`) their aliases, or the advisory when there
//! is no CVE; words after a `(` and placeholders such as `CVE-????-?????` are left out.

use std::collections::BTreeMap;

use serde_json::Value;

use super::constraint::NO_VERSION;
use super::{Parsed, Record};
use crate::{Advisory, Affected, Event, FixState, Range};

/// The feed name used when a document cannot be read far enough to know its release.
pub(super) const FEED: &str = "alpine-secdb";

/// Whether a value is a secdb document: `packages[].pkg` and a repository field.
fn is_secdb(value: &Value) -> bool {
    // An empty repository writes `packages:` with nothing after it.
    let has_packages = match value.get("packages") {
        Some(Value::Array(packages)) => packages
            .first()
            .is_none_or(|package| package.get("pkg").is_some()),
        Some(Value::Null) => true,
        _ => false,
    };
    let repository = ["distroversion", "reponame", "urlprefix", "apkurl"]
        .iter()
        .any(|key| value.get(key).is_some());
    has_packages && repository
}

/// Whether text that does not parse resembles a secdb document.
pub(super) fn looks_like(text: &str) -> bool {
    text.contains("secfixes") && text.contains("packages")
}

/// Reads one secdb document; `None` unless the value is one.
pub(super) fn parse(origin: &str, value: &Value) -> Option<Parsed> {
    if !is_secdb(value) {
        return None;
    }
    let Some((namespace, feed)) = namespace_and_feed(value) else {
        return Some(Parsed::unreadable(
            FEED,
            origin,
            "names no `distroversion` and is not Wolfi's or Chainguard's",
        ));
    };

    let mut parsed = Parsed::new(feed);
    let mut advisories: BTreeMap<String, Advisory> = BTreeMap::new();
    for (index, package) in value["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let reasons = add_package(&namespace, package, &mut advisories);
        let located = reasons
            .into_iter()
            .map(|reason| format!("{origin}: package {index}: {reason}"));
        parsed.skipped.extend(located);
    }
    parsed.records = advisories.into_values().map(Record::Advisory).collect();
    Some(parsed)
}

/// The namespace and the feed of a document.
fn namespace_and_feed(value: &Value) -> Option<(String, String)> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or("");
    let (release, repository, prefix) =
        (text("distroversion"), text("reponame"), text("urlprefix"));
    if !release.is_empty() {
        let version = release.trim_start_matches('v');
        let feed = if repository.is_empty() {
            format!("alpine-secdb/{release}")
        } else {
            format!("alpine-secdb/{release}/{repository}")
        };
        return Some((format!("alpine:{version}"), feed));
    }
    if prefix.contains("wolfi.dev") || repository == "os" {
        return Some(("wolfi".to_string(), "wolfi-secdb".to_string()));
    }
    if prefix.contains("cgr.dev") || prefix.contains("chainguard") || repository == "chainguard" {
        return Some(("chainguard".to_string(), "chainguard-secdb".to_string()));
    }
    None
}

/// Adds one package's secfixes to the advisories of the document; returns why entries
/// were left out. A bad version or entry loses only itself, not the package's other fixes.
fn add_package(
    namespace: &str,
    package: &Value,
    advisories: &mut BTreeMap<String, Advisory>,
) -> Vec<String> {
    let Some(pkg) = package.get("pkg") else {
        return vec!["has no `pkg`".to_string()];
    };
    let Some(name) = pkg.get("name").and_then(Value::as_str) else {
        return vec!["`pkg.name` should be a string".to_string()];
    };
    let secfixes = match pkg.get("secfixes") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Object(secfixes)) => secfixes,
        Some(_) => return vec![format!("`{name}`: `secfixes` should map versions to IDs")],
    };

    let mut reasons = Vec::new();
    for (version, entries) in secfixes {
        let entries = match entries {
            Value::Null => continue,
            Value::Array(entries) if is_apk_version(version) => entries,
            Value::Array(_) => {
                reasons.push(format!("`{name}`: `{version}` is not an apk version"));
                continue;
            }
            _ => {
                reasons.push(format!("`{name}` `{version}`: should list IDs"));
                continue;
            }
        };
        for entry in entries {
            let text = entry
                .as_str()
                .map_or_else(|| entry.to_string(), str::to_string);
            let ids = ids(&text);
            if ids.is_empty() {
                reasons.push(format!(
                    "`{name}` `{version}`: `{text}` names no vulnerability"
                ));
            }
            for (id, aliases) in ids {
                let advisory = advisories
                    .entry(id.clone())
                    .or_insert_with(|| new_advisory(&id));
                advisory.aliases.extend(aliases);
                advisory.aliases.sort();
                advisory.aliases.dedup();
                add_fix(advisory, namespace, name, version);
            }
        }
    }
    reasons
}

fn new_advisory(id: &str) -> Advisory {
    let references = if id.starts_with("CVE-") {
        vec![format!("https://security.alpinelinux.org/vuln/{id}")]
    } else {
        Vec::new()
    };
    Advisory {
        id: id.to_string(),
        references,
        ..Advisory::default()
    }
}

/// Records that `version` of `package` fixes the advisory. A package fixed in several
/// versions (a fix, then a fix of the fix) keeps one range per version: their union is
/// everything below the last one.
fn add_fix(advisory: &mut Advisory, namespace: &str, package: &str, version: &str) {
    let position = advisory
        .affected
        .iter()
        .position(|affected| affected.package == package);
    let index = position.unwrap_or_else(|| {
        advisory.affected.push(Affected {
            namespace: namespace.to_string(),
            package: package.to_string(),
            scheme: "apk".to_string(),
            ranges: Vec::new(),
            versions: Vec::new(),
            constraints: Vec::new(),
            fix: FixState::Fixed(Vec::new()),
            cpes: Vec::new(),
        });
        advisory.affected.len() - 1
    });
    let affected = &mut advisory.affected[index];
    if let FixState::Fixed(versions) = &mut affected.fix {
        if !versions.iter().any(|known| known == version) {
            versions.push(version.to_string());
        }
    }
    if version == "0" {
        affected.constraints = vec![NO_VERSION.to_string()];
    } else {
        let events = vec![
            Event::Introduced("0".to_string()),
            Event::Fixed(version.to_string()),
        ];
        if !affected.ranges.iter().any(|range| range.events == events) {
            affected.ranges.push(Range { events });
        }
    }
}

/// Whether `text` can be an apk package version (`1.2.3-r0`, `0`, `2.39_rc1-r2`).
fn is_apk_version(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '~'))
}

/// The IDs in one secfixes entry: each CVE with the entry's other IDs as aliases, or the
/// first other ID with the rest as aliases when there is no CVE.
fn ids(entry: &str) -> Vec<(String, Vec<String>)> {
    let words: Vec<&str> = entry
        .split_whitespace()
        .take_while(|word| !word.starts_with('('))
        .collect();
    let mut cves = Vec::new();
    let mut others = Vec::new();
    let mut index = 0;
    while index < words.len() {
        // `CVE 2018-16859`: the ID split by a space.
        let word = if words[index] == "CVE" && index + 1 < words.len() {
            index += 1;
            format!("CVE-{}", words[index])
        } else {
            words[index].replace("CVE_", "CVE-")
        };
        index += 1;
        if let Some(cve) = cve_prefix(&word) {
            cves.push(cve);
        } else if is_other_id(&word) {
            others.push(word);
        }
    }
    if cves.is_empty() {
        if others.is_empty() {
            return Vec::new();
        }
        let id = others.remove(0);
        return vec![(id, others)];
    }
    cves.into_iter().map(|cve| (cve, others.clone())).collect()
}

/// The `CVE-YYYY-NNNN` a word starts with (`CVE-2017-17434-1`, `CVE-2017-8073.patch`).
fn cve_prefix(word: &str) -> Option<String> {
    let rest = word.strip_prefix("CVE-")?;
    let (year, rest) = rest.split_once('-')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let valid = year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) && digits.len() >= 4;
    valid.then(|| format!("CVE-{year}-{digits}"))
}

/// Whether a word is another kind of ID: letters, a dash, and a number (`XSA-214`,
/// `TALOS-2017-0488`, `ZBX-11023`, `wnpa-sec-2017-18`, `GHSA-jq35-85cj-fj4p`).
fn is_other_id(word: &str) -> bool {
    let Some((prefix, rest)) = word.split_once('-') else {
        return false;
    };
    let prefix_ok = !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok = !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && rest.chars().any(|c| c.is_ascii_digit());
    prefix_ok && rest_ok && !word.starts_with("CVE-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::{advisories, files_under, parse_shared};

    #[test]
    fn entry_ids() {
        let ids = |entry: &str| ids(entry);
        assert_eq!(
            ids("CVE-2019-10206"),
            [("CVE-2019-10206".to_string(), vec![])]
        );
        assert_eq!(
            ids("CVE-2017-8904 XSA-214"),
            [("CVE-2017-8904".to_string(), vec!["XSA-214".to_string()])]
        );
        assert_eq!(ids("XSA-207"), [("XSA-207".to_string(), vec![])]);
        assert_eq!(
            ids("CVE-2018-14461 (LDP)"),
            [("CVE-2018-14461".to_string(), vec![])]
        );
        assert_eq!(ids("CVE-2017-17434-1")[0].0, "CVE-2017-17434");
        assert_eq!(ids("CVE-2017-8073.patch")[0].0, "CVE-2017-8073");
        assert_eq!(ids("CVE_2019-2426")[0].0, "CVE-2019-2426");
        assert_eq!(ids("CVE 2018-16859")[0].0, "CVE-2018-16859");
        assert_eq!(
            ids("CVE-????-?????  XSA-284"),
            [("XSA-284".to_string(), vec![])]
        );
        let spectre = ids("CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI");
        assert_eq!(spectre.len(), 3);
        assert_eq!(
            spectre[2],
            ("CVE-2017-5754".to_string(), vec!["XSA-254".to_string()])
        );
        assert!(ids("fixed upstream").is_empty());
    }

    #[test]
    fn the_legacy_alpine_secdb() {
        let files: Vec<_> = files_under("alpine-secdb-legacy")
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        let (mut imported, mut skipped) = (0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let parsed = crate::feeds::parse(&path.display().to_string(), &bytes)
                .expect("recognised")
                .unwrap();
            assert!(
                parsed.feed.starts_with("alpine-secdb/v3."),
                "{}",
                parsed.feed
            );
            imported += parsed.records.len();
            skipped += parsed.skipped.len();
        }
        assert_eq!((files.len(), imported, skipped), (18, 11_454, 0));

        let parsed = parse_shared("alpine-secdb-legacy/v3.10/main.yaml");
        assert_eq!(parsed.feed, "alpine-secdb/v3.10/main");
        let advisory = advisories(&parsed)
            .into_iter()
            .find(|a| a.id == "CVE-2019-10206")
            .unwrap();
        let affected = &advisory.affected[0];
        assert_eq!(
            (
                affected.namespace.as_str(),
                affected.package.as_str(),
                affected.scheme.as_str()
            ),
            ("alpine:3.10", "ansible", "apk")
        );
        assert_eq!(
            affected.ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Fixed("2.8.4-r0".into())
            ]
        );
        assert_eq!(affected.fix, FixState::Fixed(vec!["2.8.4-r0".into()]));
    }

    #[test]
    fn vunnel_alpine_wolfi_and_chainguard_samples() {
        let parsed =
            parse_shared("fixtures/vunnel/alpine/test-fixtures/input/secdb/v3.15/main.yaml");
        assert_eq!(
            (
                parsed.feed.as_str(),
                parsed.records.len(),
                parsed.skipped.len()
            ),
            ("alpine-secdb/v3.15/main", 13, 0)
        );

        let parsed = parse_shared("fixtures/vunnel/wolfi/test-fixtures/input/secdb/security.json");
        assert_eq!(
            (
                parsed.feed.as_str(),
                parsed.records.len(),
                parsed.skipped.len()
            ),
            ("wolfi-secdb", 59, 0)
        );
        let advisory = advisories(&parsed)
            .into_iter()
            .find(|a| a.id == "CVE-2016-2781")
            .unwrap();
        let affected = &advisory.affected[0];
        assert_eq!(
            (affected.namespace.as_str(), affected.package.as_str()),
            ("wolfi", "coreutils")
        );
        assert!(affected.ranges.is_empty());
        assert_eq!(affected.constraints, [NO_VERSION]);
        assert_eq!(affected.fix, FixState::Fixed(vec!["0".into()]));

        let parsed =
            parse_shared("fixtures/vunnel/chainguard/test-fixtures/input/secdb/security.json");
        assert_eq!(
            (
                parsed.feed.as_str(),
                parsed.records.len(),
                parsed.skipped.len()
            ),
            ("chainguard-secdb", 189, 0)
        );
        assert!(advisories(&parsed)
            .iter()
            .all(|a| a.affected.iter().all(|f| f.namespace == "chainguard")));
    }

    #[test]
    fn malformed_packages_are_skipped_with_a_reason() {
        let yaml = concat!(
            "distroversion: v3.18\nreponame: main\npackages:\n",
            "  - pkg:\n      name: zlib\n      secfixes:\n        1.2.12-r0: [CVE-2018-25032]\n",
            "  - pkg:\n      name: bad\n      secfixes:\n        1.0-r0: [CVE-2020-0003]\n",
            "        not a version!: [CVE-2020-1]\n",
            "  - pkg:\n      name: words\n      secfixes:\n        1.0-r0: [fixed upstream]\n",
            "  - pkg:\n      name: 7\n",
            "  - pkg:\n      name: shape\n      secfixes: [CVE-2020-2]\n",
        );
        let parsed = crate::feeds::parse("v3.18/main.yaml", yaml.as_bytes())
            .unwrap()
            .unwrap();
        // zlib's fix, and the good one of `bad`'s two versions.
        assert_eq!(parsed.records.len(), 2);
        let reasons = parsed.skipped.join("\n");
        assert!(
            reasons.contains(
                "v3.18/main.yaml: package 1: `bad`: `not a version!` is not an apk version"
            ),
            "{reasons}"
        );
        assert!(
            reasons.contains("`fixed upstream` names no vulnerability"),
            "{reasons}"
        );
        assert!(
            reasons.contains("package 3: `pkg.name` should be a string"),
            "{reasons}"
        );
        assert!(
            reasons.contains("`shape`: `secfixes` should map versions to IDs"),
            "{reasons}"
        );

        let invalid = crate::feeds::parse(
            "v3.18/main.yaml",
            b"distroversion: v3.18\npackages:\n  - pkg: {name: x, secfixes: {\n",
        )
        .unwrap()
        .unwrap();
        assert!(
            invalid.records.is_empty() && invalid.skipped[0].contains("invalid YAML"),
            "{:?}",
            invalid.skipped
        );
    }
}
