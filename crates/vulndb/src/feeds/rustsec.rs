//! RustSec advisories (github.com/rustsec/advisory-db): Markdown opening with a fenced TOML
//! block (`[advisory]` with `id`, `package`, `date`, `aliases`, `cvss`, `withdrawn`;
//! `[versions]` with `patched` and `unaffected` Cargo requirements), then the title as a `#`
//! heading and the description.
//!
//! Crate advisories carry `RUSTSEC-` IDs and go to the `crates.io` namespace; the collection
//! about the Rust toolchain itself (`std`, `cargo`, `rustdoc`) uses CVE IDs and goes to
//! `rust-toolchain`, where no crate can match it. The versions become `!` constraints (see
//! [`Affected::constraints`]): affected unless patched or unaffected. Function-level
//! (`[affected.functions]`) and platform details are not kept. Informational advisories
//! (`informational = "unmaintained"`, `"unsound"`) are kept like the others: the advisory
//! model has no field that tells them apart.

use toml::{Table, Value};

use super::constraint::{check_cargo_requirement, unless_patched};
use super::{Parsed, Record};
use crate::{Advisory, Affected, Cvss};

/// The feed RustSec advisories are stored under.
pub(super) const FEED: &str = "rustsec";

/// Reads one advisory file; `None` unless the text opens with a ` ```toml ` block holding an
/// `[advisory]` table.
pub(super) fn parse(origin: &str, text: &str) -> Option<Parsed> {
    let (front, body) = front_block(text)?;
    let mut parsed = Parsed::new(FEED);
    match advisory(front, body) {
        Ok(advisory) => parsed.records.push(Record::Advisory(advisory)),
        Err(reason) => parsed.skipped.push(format!("{origin}: {reason}")),
    }
    Some(parsed)
}

/// The TOML between the opening fence and the closing one, and the Markdown after it.
fn front_block(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim_start().strip_prefix("```toml")?;
    let rest = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))?;
    let (front, body) = match rest.find("\n```") {
        Some(end) => (
            &rest[..end],
            rest[end + 4..].trim_start_matches(|c: char| c != '\n'),
        ),
        None => (rest, ""),
    };
    front
        .lines()
        .any(|line| line.trim() == "[advisory]")
        .then_some((front, body))
}

fn advisory(front: &str, body: &str) -> Result<Advisory, String> {
    let table: Table = front
        .parse()
        .map_err(|error: toml::de::Error| format!("invalid TOML: {}", error.message().trim()))?;
    let fields = table
        .get("advisory")
        .and_then(Value::as_table)
        .ok_or("`[advisory]` is not a table")?;
    let id = text(fields, "id")?.ok_or("the advisory has no `id`")?;
    let package = text(fields, "package")?.ok_or_else(|| format!("`{id}` has no `package`"))?;
    let in_advisory = |reason: String| format!("`{id}`: {reason}");

    let mut references: Vec<String> = text(fields, "url")
        .map_err(in_advisory)?
        .into_iter()
        .collect();
    references.extend(texts(fields, "references").map_err(in_advisory)?);
    let (summary, details) = title_and_details(body);
    let mut advisory = Advisory {
        id: id.clone(),
        aliases: texts(fields, "aliases").map_err(in_advisory)?,
        summary,
        details,
        references,
        published: text(fields, "date").map_err(in_advisory)?,
        withdrawn: text(fields, "withdrawn").map_err(in_advisory)?,
        ..Advisory::default()
    };
    if let Some(vector) = text(fields, "cvss").map_err(in_advisory)? {
        advisory.cvss.push(cvss(&vector).map_err(in_advisory)?);
    }

    let versions = table
        .get("versions")
        .and_then(Value::as_table)
        .ok_or_else(|| in_advisory("`[versions]` is not a table".into()))?;
    let patched = requirements(versions, "patched").map_err(in_advisory)?;
    let unaffected = requirements(versions, "unaffected").map_err(in_advisory)?;
    advisory
        .affected
        .push(affected(&id, package, &patched, &unaffected));
    Ok(advisory)
}

/// The affected entry: every version but the patched and unaffected ones.
fn affected(id: &str, package: String, patched: &[String], unaffected: &[String]) -> Affected {
    let namespace = if id.starts_with("RUSTSEC-") {
        "crates.io"
    } else {
        "rust-toolchain"
    };
    let (constraints, fix) = unless_patched(patched, unaffected);
    Affected {
        namespace: namespace.to_string(),
        package,
        scheme: "semver".to_string(),
        ranges: Vec::new(),
        versions: Vec::new(),
        constraints,
        fix,
        cpes: Vec::new(),
    }
}

/// A CVSS vector with its version, which RustSec gives without a score.
fn cvss(vector: &str) -> Result<Cvss, String> {
    let version = ["3.0", "3.1", "4.0"]
        .into_iter()
        .find(|version| vector.starts_with(&format!("CVSS:{version}/")))
        .ok_or_else(|| format!("`cvss` `{vector}` is not a CVSS v3 or v4 vector"))?;
    Ok(Cvss {
        version: version.to_string(),
        vector: vector.to_string(),
        base_score: None,
        source: FEED.to_string(),
    })
}

/// The text of a string or date field; an error when the field has another type.
fn text(table: &Table, key: &str) -> Result<Option<String>, String> {
    match table.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Datetime(date)) => Ok(Some(date.to_string())),
        Some(other) => Err(format!(
            "`{key}` should be a string, found {}",
            other.type_str()
        )),
    }
}

/// The strings of a list field; an error when it is anything else.
fn texts(table: &Table, key: &str) -> Result<Vec<String>, String> {
    let Some(value) = table.get(key) else {
        return Ok(Vec::new());
    };
    let items = value
        .as_array()
        .ok_or_else(|| format!("`{key}` should be a list, found {}", value.type_str()))?;
    items
        .iter()
        .map(|item| {
            let found = || format!("`{key}` should hold strings, found {}", item.type_str());
            item.as_str().map(str::to_string).ok_or_else(found)
        })
        .collect()
}

/// A list of Cargo requirements, each checked.
fn requirements(versions: &Table, key: &str) -> Result<Vec<String>, String> {
    let requirements = texts(versions, key)?;
    for requirement in &requirements {
        check_cargo_requirement(requirement).map_err(|reason| format!("`{key}`: {reason}"))?;
    }
    Ok(requirements)
}

/// The first `#` heading and the Markdown after it.
fn title_and_details(body: &str) -> (String, String) {
    let body = body.trim();
    let Some(rest) = body.strip_prefix("# ") else {
        return (String::new(), body.to_string());
    };
    let (title, details) = rest.split_once('\n').unwrap_or((rest, ""));
    (title.trim().to_string(), details.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::constraint::EVERY_VERSION;
    use crate::feeds::testdata::{advisories, files_under, shared};
    use crate::FixState;

    fn parse_file(path: &std::path::Path) -> Parsed {
        let text = std::fs::read_to_string(path).unwrap();
        parse(&path.display().to_string(), &text).expect("recognised")
    }

    #[test]
    fn the_subset_parses_without_skips() {
        let files = files_under("rustsec/subset");
        let (mut imported, mut skipped) = (0, 0);
        for path in &files {
            let parsed = parse_file(path);
            assert_eq!(parsed.feed, FEED);
            imported += parsed.records.len();
            skipped += parsed.skipped.len();
        }
        assert_eq!((files.len(), imported, skipped), (68, 68, 0));
    }

    #[test]
    fn a_tokio_advisory() {
        let parsed = parse_file(&shared("rustsec/subset/tokio/RUSTSEC-2021-0124.md"));
        let advisory = advisories(&parsed)[0];
        assert_eq!(advisory.id, "RUSTSEC-2021-0124");
        assert_eq!(advisory.aliases, ["CVE-2021-45710", "GHSA-fg7r-2g4j-5cgr"]);
        assert_eq!(advisory.published.as_deref(), Some("2021-11-16"));
        assert_eq!(
            advisory.summary,
            "Data race when sending and receiving after closing a `oneshot` channel"
        );
        assert!(advisory
            .details
            .starts_with("If a `tokio::sync::oneshot` channel is closed"));
        let affected = &advisory.affected[0];
        assert_eq!(
            (
                affected.namespace.as_str(),
                affected.package.as_str(),
                affected.scheme.as_str()
            ),
            ("crates.io", "tokio", "semver")
        );
        assert_eq!(
            affected.constraints,
            ["!>= 1.8.4, < 1.9.0", "!>= 1.13.1", "!< 0.1.14"]
        );
        assert_eq!(
            affected.fix,
            FixState::Fixed(vec!["1.8.4".into(), "1.13.1".into()])
        );
    }

    #[test]
    fn toolchain_withdrawn_and_unpatched_advisories() {
        let parsed = parse_file(&shared(
            "rustsec/subset/rust-toolchain/std/CVE-2020-36318.md",
        ));
        let affected = &advisories(&parsed)[0].affected[0];
        assert_eq!(
            (affected.namespace.as_str(), affected.package.as_str()),
            ("rust-toolchain", "std")
        );

        let parsed = parse_file(&shared("rustsec/subset/ring/RUSTSEC-2025-0007.md"));
        let advisory = advisories(&parsed)[0];
        assert_eq!(advisory.withdrawn.as_deref(), Some("2025-02-22"));
        assert_eq!(advisory.affected[0].constraints, [EVERY_VERSION]);
        assert_eq!(advisory.affected[0].fix, FixState::NotFixed);
    }

    #[test]
    fn malformed_advisories_are_skipped_with_a_reason() {
        // The front block of a file: `[advisory]` fields, then what follows them.
        let document =
            |fields: &str| format!("```toml\n[advisory]\nid = \"RUSTSEC-1\"\n{fields}\n```\n");
        let cases = [
            (
                "package = \"x\"\n[versions]\npatched = [\"next week\"]",
                "`patched`: `next week` is not a Cargo version requirement",
            ),
            (
                "package = \"x\"\n[versions]\npatched = \">= 1.0\"",
                "`patched` should be a list, found string",
            ),
            (
                "package = 7\n[versions]",
                "`package` should be a string, found integer",
            ),
            ("package = \"x\"", "`[versions]` is not a table"),
            (
                "package = \"x\"\ncvss = \"high\"\n[versions]",
                "`high` is not a CVSS",
            ),
            ("package = x", "invalid TOML"),
        ];
        for (fields, reason) in cases {
            let text = document(fields);
            let parsed = parse("bad.md", &text).expect("recognised");
            assert!(parsed.records.is_empty(), "{text}");
            assert!(
                parsed.skipped[0].starts_with("bad.md: ") && parsed.skipped[0].contains(reason),
                "{:?}",
                parsed.skipped
            );
        }
        assert!(parse("README.md", "# RustSec\n```toml\n[advisory]\n```\n").is_none());
        assert!(parse("Cargo.md", "```toml\n[package]\nname = \"x\"\n```\n").is_none());
    }
}
