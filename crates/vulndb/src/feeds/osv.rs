//! OSV records (<https://ossf.github.io/osv-schema/>) in JSON or YAML: PyPA, the Go vulnerability
//! database, GitHub advisories, and any OSV export. One record per file, or a list.

use serde_json::Value;

use super::{Parsed, Record};
use crate::namespace::{from_osv_ecosystem, normalise_pypi_name, scheme_of};
use crate::{Advisory, Affected, Cvss, Event, FixState, Range, Severity};

/// Whether a JSON value looks like an OSV record.
fn is_osv(value: &Value) -> bool {
    value.get("id").is_some_and(Value::is_string)
        && (value.get("affected").is_some()
            || value.get("modified").is_some()
            || value.get("schema_version").is_some())
        && value.get("vulnerabilities").is_none()
}

/// Reads an OSV record, a list of them, or an export that wraps them in `{"vulns": [...]}`;
/// `None` when the value is none of these.
pub(super) fn parse(origin: &str, value: &Value) -> Option<Parsed> {
    let records: Vec<&Value> = match value {
        Value::Array(items) if items.iter().any(is_osv) => items.iter().collect(),
        // Some exports wrap records: `{"vulns": [...]}`.
        Value::Object(map)
            if map
                .get("vulns")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().any(is_osv)) =>
        {
            map["vulns"]
                .as_array()
                .map(|v| v.iter().collect())
                .unwrap_or_default()
        }
        single if is_osv(single) => vec![single],
        _ => return None,
    };

    let mut parsed = Parsed {
        feed: String::new(),
        ..Parsed::default()
    };
    if let Some(id) = records
        .first()
        .and_then(|r| r.get("id"))
        .and_then(Value::as_str)
    {
        parsed.feed = feed_of(id).to_string();
    }
    for record in records {
        match advisory(record) {
            Ok(advisory) => parsed.records.push(Record::Advisory(advisory)),
            Err(reason) => parsed.skipped.push(format!("{origin}: {reason}")),
        }
    }
    if parsed.feed.is_empty() {
        parsed.feed = "osv".to_string();
    }
    Some(parsed)
}

/// The feed an OSV record belongs to, by its ID's prefix.
fn feed_of(id: &str) -> &'static str {
    match id.split('-').next().unwrap_or("") {
        "PYSEC" => "pypa",
        "GO" => "govulndb",
        "GHSA" => "github",
        "RUSTSEC" => "rustsec",
        "DSA" | "DLA" | "DEBIAN" => "debian-osv",
        "UBUNTU" | "USN" => "ubuntu-osv",
        "ALPINE" => "alpine-osv",
        _ => "osv",
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn string(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

/// Turns one OSV record into an advisory; an error says why it cannot be used.
pub(crate) fn advisory(record: &Value) -> Result<Advisory, String> {
    let id = string(record.get("id")).ok_or("the record has no `id`")?;
    let mut advisory = Advisory {
        id: id.clone(),
        aliases: strings(record.get("aliases")),
        summary: string(record.get("summary")).unwrap_or_default(),
        details: string(record.get("details")).unwrap_or_default(),
        published: string(record.get("published")),
        modified: string(record.get("modified")),
        withdrawn: string(record.get("withdrawn")),
        references: record
            .get("references")
            .and_then(Value::as_array)
            .map(|refs| refs.iter().filter_map(|r| string(r.get("url"))).collect())
            .unwrap_or_default(),
        ..Advisory::default()
    };
    advisory.aliases.extend(
        strings(record.get("related"))
            .into_iter()
            .filter(|r| r.starts_with("CVE-")),
    );
    advisory.aliases.sort();
    advisory.aliases.dedup();

    for severity in record
        .get("severity")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let kind = severity.get("type").and_then(Value::as_str).unwrap_or("");
        let Some(score) = severity.get("score").and_then(Value::as_str) else {
            continue;
        };
        let version = match kind {
            "CVSS_V2" => "2.0",
            "CVSS_V3" if score.starts_with("CVSS:3.0") => "3.0",
            "CVSS_V3" => "3.1",
            "CVSS_V4" => "4.0",
            _ => {
                // Ubuntu and others give a word (`medium`) rather than a vector.
                advisory.severity = advisory.severity.or(Severity::parse(score));
                continue;
            }
        };
        advisory.cvss.push(Cvss {
            version: version.to_string(),
            vector: score.to_string(),
            base_score: None,
            source: feed_of(&id).to_string(),
        });
    }
    let stated = record
        .pointer("/database_specific/severity")
        .and_then(Value::as_str)
        .and_then(Severity::parse);
    advisory.severity = advisory.severity.or(stated);

    let mut unusable = Vec::new();
    for entry in record
        .get("affected")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match affected(entry) {
            Ok(Some(affected)) => advisory.affected.push(affected),
            Ok(None) => {}
            Err(reason) => unusable.push(reason),
        }
    }
    if advisory.affected.is_empty() && !unusable.is_empty() {
        return Err(format!("`{id}`: {}", unusable.join("; ")));
    }
    Ok(advisory)
}

/// One `affected` entry; `Ok(None)` for ecosystems Plimsoll does not match.
fn affected(entry: &Value) -> Result<Option<Affected>, String> {
    let package = entry
        .get("package")
        .ok_or("an affected entry has no `package`")?;
    let ecosystem = package
        .get("ecosystem")
        .and_then(Value::as_str)
        .ok_or("a package has no `ecosystem`")?;
    let name = package
        .get("name")
        .and_then(Value::as_str)
        .ok_or("a package has no `name`")?;
    let Some(namespace) = from_osv_ecosystem(ecosystem) else {
        return Ok(None);
    };
    let package_name = if namespace == "pypi" {
        normalise_pypi_name(name)
    } else {
        name.to_string()
    };
    let scheme = scheme_of(&namespace).to_string();

    let mut ranges = Vec::new();
    let mut fixed_in = Vec::new();
    for range in entry
        .get("ranges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let kind = range.get("type").and_then(Value::as_str).unwrap_or("");
        if kind == "GIT" {
            // Commit ranges need the repository history; version ranges carry the same facts.
            continue;
        }
        let mut events = Vec::new();
        for event in range
            .get("events")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(object) = event.as_object() else {
                continue;
            };
            for (key, value) in object {
                let Some(version) = value.as_str() else {
                    continue;
                };
                let version = version.to_string();
                events.push(match key.as_str() {
                    "introduced" => Event::Introduced(version),
                    "fixed" => {
                        fixed_in.push(version.clone());
                        Event::Fixed(version)
                    }
                    "last_affected" => Event::LastAffected(version),
                    "limit" => Event::Limit(version),
                    other => return Err(format!("unknown range event `{other}`")),
                });
            }
        }
        if !events.is_empty() {
            ranges.push(Range { events });
        }
    }
    let versions = strings(entry.get("versions"));
    if ranges.is_empty() && versions.is_empty() {
        return Err(format!("`{name}` has neither version ranges nor versions"));
    }
    let fix = if fixed_in.is_empty() {
        FixState::NotFixed
    } else {
        FixState::Fixed(fixed_in)
    };
    Ok(Some(Affected {
        namespace,
        package: package_name,
        scheme,
        ranges,
        versions,
        constraints: Vec::new(),
        fix,
        cpes: Vec::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::parse;

    fn shared(path: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/vulndata")
            .join(path)
    }

    #[test]
    fn pypa_yaml_records() {
        let dir = shared("osv-pypi/subset/requests");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let parsed = parse(&path.display().to_string(), &bytes)
                .expect("recognised")
                .unwrap();
            assert_eq!(parsed.feed, "pypa");
            assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
            for record in parsed.records {
                let Record::Advisory(advisory) = record else {
                    panic!()
                };
                assert!(advisory.id.starts_with("PYSEC-"));
                assert!(advisory
                    .affected
                    .iter()
                    .all(|a| a.namespace == "pypi" && a.package == "requests"));
                seen += 1;
            }
        }
        assert!(seen >= 5, "only {seen} requests advisories");
    }

    #[test]
    fn go_json_records() {
        let dir = shared("osv-go/subset");
        let path = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "json"))
            .unwrap();
        let parsed = parse(&path.display().to_string(), &std::fs::read(&path).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(parsed.feed, "govulndb");
        let Record::Advisory(advisory) = &parsed.records[0] else {
            panic!()
        };
        assert!(advisory
            .affected
            .iter()
            .all(|a| a.namespace == "go" && a.scheme == "golang"));
    }

    #[test]
    fn malformed_records_are_skipped_with_a_reason() {
        let bad = br#"{"id": "OSV-1", "modified": "2024-01-01", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"bogus": "1"}]}]}]}"#;
        let parsed = parse("bad.json", bad).unwrap().unwrap();
        assert!(parsed.records.is_empty());
        assert!(
            parsed.skipped[0].contains("bad.json") && parsed.skipped[0].contains("bogus"),
            "{:?}",
            parsed.skipped
        );
        assert!(parse("readme.md", b"# hello").is_none());
        assert!(parse("other.json", br#"{"name": "not osv"}"#).is_none());
    }
}
