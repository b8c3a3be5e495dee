//! The Node.js Security Working Group's advisories (github.com/nodejs/security-wg, `vuln/`),
//! in the legacy npm advisory JSON: `vuln/npm/<id>.json` about npm packages (`module_name`,
//! `vulnerable_versions`, `patched_versions`, `cves`, `cvss_vector`, `cvss_score`) and
//! `vuln/core/<n>.json` about Node.js itself (`vulnerable`, `patched`, `cve`, `severity`).
//! Each directory also has an `index.json` holding all its entries by number, which is read
//! the same way (importing the directory therefore reads every entry twice; the store keeps
//! one copy).
//!
//! IDs follow the working group: `NSWG-ECO-<id>` for npm packages, `NSWG-COR-<n>` for core,
//! where `<n>` is the file's number. npm packages go to the `npm` namespace. Core advisories
//! are about the `node` binary, not an npm package, so they go to the `nodejs` namespace as
//! package `node`, where a Node.js runtime found in an image can be looked up. Both use
//! node-semver ranges: the vulnerable range as a constraint and the patched range as a `!`
//! constraint (see [`Affected::constraints`]); `<0.0.0`, the npm way of saying "no patch",
//! adds nothing.

use serde_json::Value;

use super::constraint::{check_npm_range, first_version, not_affected};
use super::severity::from_score;
use super::{string_at, strings_at, Parsed, Record};
use crate::{Advisory, Affected, Cvss, FixState, Severity};

/// The feed these advisories are stored under.
pub(super) const FEED: &str = "nodejs-security-wg";

/// Whether an object is an npm package advisory.
fn is_npm(value: &Value) -> bool {
    value.get("module_name").is_some() && value.get("vulnerable_versions").is_some()
}

/// Whether an object is a Node.js core advisory.
fn is_core(value: &Value) -> bool {
    value.get("vulnerable").is_some()
        && value.get("patched").is_some()
        && value.get("cve").is_some()
}

/// Whether text that does not parse resembles an advisory.
pub(super) fn looks_like(text: &str) -> bool {
    text.contains("\"module_name\"") && text.contains("\"vulnerable_versions\"")
}

/// Reads one advisory or an `index.json` of them; `None` when the value is neither.
pub(super) fn parse(origin: &str, value: &Value) -> Option<Parsed> {
    let entries: Vec<(Option<&str>, &Value)> = if is_npm(value) || is_core(value) {
        vec![(None, value)]
    } else {
        let object = value.as_object().filter(|object| !object.is_empty())?;
        let is_index = object.values().all(|entry| is_npm(entry) || is_core(entry));
        if !is_index {
            return None;
        }
        object
            .iter()
            .map(|(number, entry)| (Some(number.as_str()), entry))
            .collect()
    };

    let mut parsed = Parsed::new(FEED);
    for (number, entry) in entries {
        let result = if is_npm(entry) {
            npm(entry)
        } else {
            core(entry, number.or_else(|| file_number(origin)))
        };
        match result {
            Ok(advisory) => parsed.records.push(Record::Advisory(advisory)),
            Err(reason) => parsed.skipped.push(format!("{origin}: {reason}")),
        }
    }
    Some(parsed)
}

/// The number in a file name such as `vuln/core/12.json`.
fn file_number(origin: &str) -> Option<&str> {
    let name = origin.rsplit(['/', '\\', '!']).next()?;
    let number = name.strip_suffix(".json")?;
    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit())).then_some(number)
}

/// An npm package advisory.
fn npm(entry: &Value) -> Result<Advisory, String> {
    let id = match entry.get("id") {
        Some(Value::Number(number)) => format!("NSWG-ECO-{number}"),
        Some(Value::String(text)) => format!("NSWG-ECO-{text}"),
        _ => return Err("the advisory has no `id`".into()),
    };
    let in_advisory = |reason: String| format!("`{id}`: {reason}");
    let package = entry
        .get("module_name")
        .and_then(Value::as_str)
        .ok_or_else(|| in_advisory("`module_name` should be a string".into()))?;
    let vulnerable = range(entry, "vulnerable_versions")
        .map_err(in_advisory)?
        .ok_or_else(|| in_advisory("`vulnerable_versions` is empty".into()))?;
    let patched = range(entry, "patched_versions").map_err(in_advisory)?;

    let mut advisory = Advisory {
        id: id.clone(),
        aliases: strings_at(entry, "cves"),
        summary: string_at(entry, "title").unwrap_or_default(),
        details: paragraphs(&[
            string_at(entry, "overview"),
            string_at(entry, "recommendation"),
        ]),
        references: references(entry.get("references")),
        published: string_at(entry, "publish_date"),
        modified: string_at(entry, "updated_at"),
        affected: vec![affected("npm", package, &vulnerable, patched.as_deref())],
        ..Advisory::default()
    };
    let score = entry.get("cvss_score").and_then(Value::as_f64);
    if let Some(vector) = string_at(entry, "cvss_vector") {
        advisory.cvss.push(cvss(&vector, score));
    }
    advisory.severity = score.and_then(|score| from_score("3.0", score));
    Ok(advisory)
}

/// A Node.js core advisory, numbered by its file or its `index.json` key.
fn core(entry: &Value, number: Option<&str>) -> Result<Advisory, String> {
    let number =
        number.ok_or("a Node.js core advisory outside a file named `<number>.json` has no ID")?;
    let id = format!("NSWG-COR-{number}");
    let in_advisory = |reason: String| format!("`{id}`: {reason}");
    let vulnerable = range(entry, "vulnerable")
        .map_err(in_advisory)?
        .ok_or_else(|| in_advisory("`vulnerable` is empty".into()))?;
    let patched = range(entry, "patched").map_err(in_advisory)?;

    let overview = string_at(entry, "overview");
    let summary = string_at(entry, "description")
        .or_else(|| {
            overview
                .as_deref()
                .and_then(|text| text.lines().next())
                .map(str::to_string)
        })
        .unwrap_or_default();
    let mut advisory = Advisory {
        id: id.clone(),
        aliases: strings_at(entry, "cve"),
        summary: summary.trim().to_string(),
        details: paragraphs(&[overview]),
        severity: string_at(entry, "severity")
            .and_then(|word| Severity::parse(&word))
            .filter(|s| *s != Severity::Unknown),
        references: string_at(entry, "ref").into_iter().collect(),
        published: string_at(entry, "publish_date"),
        affected: vec![affected("nodejs", "node", &vulnerable, patched.as_deref())],
        ..Advisory::default()
    };
    // Core files write the vector without its `CVSS:` prefix: `3.0/AV:N/…`.
    if let Some(vector) = string_at(entry, "cvss") {
        let vector = if vector.starts_with("CVSS:") {
            vector
        } else {
            format!("CVSS:{vector}")
        };
        advisory.cvss.push(cvss(
            &vector,
            entry.get("cvss_score").and_then(Value::as_f64),
        ));
    }
    Ok(advisory)
}

/// A checked node-semver range; `None` when absent, null or empty.
fn range(entry: &Value, key: &str) -> Result<Option<String>, String> {
    let text = match entry.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => text.trim(),
        Some(other) => return Err(format!("`{key}` should be a string, found `{other}`")),
    };
    if text.is_empty() {
        return Ok(None);
    }
    check_npm_range(text).map_err(|reason| format!("`{key}`: {reason}"))?;
    Ok(Some(text.to_string()))
}

/// The affected entry: the vulnerable range, less the patched one.
fn affected(namespace: &str, package: &str, vulnerable: &str, patched: Option<&str>) -> Affected {
    // npm wrote `<0.0.0` (or `<=0.0.0`) as the patched range of advisories without a patch.
    let patched =
        patched.filter(|range| !matches!(range.replace(' ', "").as_str(), "<0.0.0" | "<=0.0.0"));
    let mut constraints = vec![vulnerable.to_string()];
    constraints.extend(patched.map(not_affected));
    let fix = match patched {
        None => FixState::NotFixed,
        Some(range) => {
            let fixed: Vec<String> = range.split("||").filter_map(first_version).collect();
            if fixed.is_empty() {
                FixState::Unknown
            } else {
                FixState::Fixed(fixed)
            }
        }
    };
    Affected {
        namespace: namespace.to_string(),
        package: package.to_string(),
        scheme: "semver".to_string(),
        ranges: Vec::new(),
        versions: Vec::new(),
        constraints,
        fix,
        cpes: Vec::new(),
    }
}

fn cvss(vector: &str, base_score: Option<f64>) -> Cvss {
    let version = vector
        .strip_prefix("CVSS:")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("3.0");
    Cvss {
        version: version.to_string(),
        vector: vector.to_string(),
        base_score,
        source: FEED.to_string(),
    }
}

/// `references` is a list of URLs in most entries and absent or null in the rest.
fn references(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|url| url.trim().to_string())
            .collect(),
        Some(Value::String(text)) => text
            .split_whitespace()
            .filter(|word| word.starts_with("http"))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn paragraphs(parts: &[Option<String>]) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect();
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::{advisories, files_under, parse_shared};

    fn totals(dir: &str) -> (usize, usize, usize) {
        let files = files_under(dir);
        let (mut imported, mut skipped) = (0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let parsed = crate::feeds::parse(&path.display().to_string(), &bytes)
                .expect("recognised")
                .unwrap();
            assert_eq!(parsed.feed, FEED);
            imported += parsed.records.len();
            skipped += parsed.skipped.len();
        }
        (files.len(), imported, skipped)
    }

    #[test]
    fn the_npm_and_core_directories() {
        // 467 numbered files and an index.json holding the same 467 entries.
        assert_eq!(totals("npm-nodejs-security-wg/npm"), (468, 934, 0));
        assert_eq!(totals("npm-nodejs-security-wg/core"), (172, 342, 0));
    }

    #[test]
    fn an_npm_advisory() {
        let parsed = parse_shared("npm-nodejs-security-wg/npm/1.json");
        let advisory = advisories(&parsed)[0];
        assert_eq!(advisory.id, "NSWG-ECO-1");
        assert_eq!(advisory.aliases, ["CVE-2014-7205"]);
        assert_eq!(advisory.summary, "Arbitrary JavaScript Execution");
        assert_eq!(advisory.severity, Some(Severity::Medium));
        assert_eq!(advisory.cvss[0].base_score, Some(6.5));
        let affected = &advisory.affected[0];
        assert_eq!(
            (affected.namespace.as_str(), affected.package.as_str()),
            ("npm", "bassmaster")
        );
        assert_eq!(affected.constraints, ["<=1.5.1", "!>=1.5.2"]);
        assert_eq!(affected.fix, FixState::Fixed(vec!["1.5.2".into()]));
    }

    #[test]
    fn a_core_advisory() {
        let parsed = parse_shared("npm-nodejs-security-wg/core/1.json");
        let advisory = advisories(&parsed)[0];
        assert_eq!(advisory.id, "NSWG-COR-1");
        assert_eq!(advisory.aliases, ["CVE-2017-1000381"]);
        assert_eq!(advisory.severity, Some(Severity::High));
        let affected = &advisory.affected[0];
        assert_eq!(
            (
                affected.namespace.as_str(),
                affected.package.as_str(),
                affected.scheme.as_str()
            ),
            ("nodejs", "node", "semver")
        );
        assert_eq!(
            affected.constraints,
            [
                "8.x || 7.x || 4.x || 6.x || 5.x",
                "!^8.1.4 || ^7.10.1 || ^4.8.4 || ^6.11.1"
            ]
        );
        assert_eq!(
            affected.fix,
            FixState::Fixed(vec![
                "8.1.4".into(),
                "7.10.1".into(),
                "4.8.4".into(),
                "6.11.1".into()
            ])
        );

        let parsed = parse_shared("npm-nodejs-security-wg/core/18.json");
        assert_eq!(
            advisories(&parsed)[0].cvss[0].vector,
            "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N"
        );
    }

    #[test]
    fn malformed_advisories_are_skipped_with_a_reason() {
        let cases: [(&str, &str); 4] = [
            (
                r#"{"id": 9, "module_name": "x", "vulnerable_versions": "whenever"}"#,
                "`NSWG-ECO-9`: `vulnerable_versions`: `whenever` is not a node-semver range",
            ),
            (
                r#"{"id": 9, "module_name": "x", "vulnerable_versions": 3}"#,
                "`vulnerable_versions` should be a string, found `3`",
            ),
            (
                r#"{"id": 9, "module_name": ["x"], "vulnerable_versions": "<1"}"#,
                "`module_name` should be a string",
            ),
            (
                r#"{"module_name": "x", "vulnerable_versions": "<1"}"#,
                "has no `id`",
            ),
        ];
        for (json, reason) in cases {
            let parsed = crate::feeds::parse("vuln/npm/9.json", json.as_bytes())
                .expect("recognised")
                .unwrap();
            assert!(parsed.records.is_empty(), "{json}");
            assert!(
                parsed.skipped[0].starts_with("vuln/npm/9.json: ")
                    && parsed.skipped[0].contains(reason),
                "{:?}",
                parsed.skipped
            );
        }
        let core = br#"{"cve": [], "vulnerable": "8.x", "patched": "^8.1.4"}"#;
        let parsed = crate::feeds::parse("core-advisory.json", core)
            .unwrap()
            .unwrap();
        assert!(
            parsed.skipped[0].contains("has no ID"),
            "{:?}",
            parsed.skipped
        );
    }
}
