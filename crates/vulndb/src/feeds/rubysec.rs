//! RubySec advisories (github.com/rubysec/ruby-advisory-db): one YAML file per gem and
//! advisory (`gems/<gem>/CVE-….yml`) with `gem`, `cve`, `ghsa`, `osvdb`, `title`, `date`,
//! `description`, `cvss_v2`/`cvss_v3`/`cvss_v4` scores and `patched_versions` and
//! `unaffected_versions` as RubyGems requirements; `rubies/<engine>/…` files name an `engine`
//! (`ruby`, `jruby`) instead of a gem.
//!
//! The database files one vulnerability once per gem (a Rails CVE under `actionpack` and
//! `activesupport`), and the store keeps one advisory per feed and ID, so the ID is the
//! upstream one qualified by the gem: `actionpack/CVE-2009-3009`, with the CVE and GHSA IDs
//! as aliases. Gems go to the `rubygems` namespace, engines to `ruby-engine`. The versions
//! become `!` constraints (see [`Affected::constraints`]): affected unless patched or
//! unaffected. Scores come without vectors, so they set the severity and no [`Cvss`] is kept.
//!
//! [`Cvss`]: crate::Cvss

use serde_json::Value;

use super::constraint::{check_gem_requirement, unless_patched};
use super::severity::from_score;
use super::{string_at, strings_at, Parsed, Record};
use crate::{Advisory, Affected};

/// The feed RubySec advisories are stored under.
pub(super) const FEED: &str = "rubysec";

/// Whether a YAML document is a RubySec advisory: a `gem` or `engine` with a `title`.
fn is_rubysec(value: &Value) -> bool {
    (value.get("gem").is_some() || value.get("engine").is_some()) && value.get("title").is_some()
}

/// Whether text that does not parse resembles an advisory.
pub(super) fn looks_like(text: &str) -> bool {
    let starts = |prefix: &str| text.lines().any(|line| line.starts_with(prefix));
    (starts("gem:") || starts("engine:")) && starts("title:")
}

/// Reads one advisory; `None` unless the value is one.
pub(super) fn parse(origin: &str, value: &Value) -> Option<Parsed> {
    if !is_rubysec(value) {
        return None;
    }
    let mut parsed = Parsed::new(FEED);
    match advisory(value) {
        Ok(advisory) => parsed.records.push(Record::Advisory(advisory)),
        Err(reason) => parsed.skipped.push(format!("{origin}: {reason}")),
    }
    Some(parsed)
}

fn advisory(value: &Value) -> Result<Advisory, String> {
    let (namespace, package) = match (value.get("gem"), value.get("engine")) {
        (Some(gem), _) => ("rubygems", gem.as_str().ok_or("`gem` should be a string")?),
        (None, Some(engine)) => (
            "ruby-engine",
            engine.as_str().ok_or("`engine` should be a string")?,
        ),
        (None, None) => return Err("the advisory names no `gem`".into()),
    };
    let aliases = aliases(value)?;
    let upstream = aliases
        .first()
        .ok_or_else(|| format!("the `{package}` advisory has no `cve`, `ghsa` or `osvdb` ID"))?;
    let id = format!("{package}/{upstream}");
    let in_advisory = |reason: String| format!("`{id}`: {reason}");

    let patched = requirements(value, "patched_versions").map_err(in_advisory)?;
    let unaffected = requirements(value, "unaffected_versions").map_err(in_advisory)?;
    let mut references: Vec<String> = string_at(value, "url").into_iter().collect();
    references.extend(
        value
            .get("related")
            .map(|related| strings_at(related, "url"))
            .unwrap_or_default(),
    );
    let severity = [("4.0", "cvss_v4"), ("3.1", "cvss_v3"), ("2.0", "cvss_v2")]
        .into_iter()
        .find_map(|(version, key)| {
            value
                .get(key)
                .and_then(Value::as_f64)
                .and_then(|score| from_score(version, score))
        });

    Ok(Advisory {
        id,
        aliases,
        summary: string_at(value, "title").unwrap_or_default(),
        details: string_at(value, "description")
            .unwrap_or_default()
            .trim()
            .to_string(),
        severity,
        references,
        published: string_at(value, "date"),
        affected: vec![affected(namespace, package, &patched, &unaffected)],
        ..Advisory::default()
    })
}

/// The upstream IDs, CVE first: `cve: 2011-5036` is `CVE-2011-5036`, `ghsa: v6j3-…` is
/// `GHSA-v6j3-…`, `osvdb: 78121` is `OSVDB-78121`.
fn aliases(value: &Value) -> Result<Vec<String>, String> {
    let mut aliases = Vec::new();
    for (key, prefix) in [("cve", "CVE"), ("ghsa", "GHSA"), ("osvdb", "OSVDB")] {
        let id = match value.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::String(id)) => id.clone(),
            Some(Value::Number(id)) if key == "osvdb" => id.to_string(),
            Some(_) => return Err(format!("`{key}` should be a string")),
        };
        aliases.push(format!("{prefix}-{id}"));
    }
    Ok(aliases)
}

/// A list of RubyGems requirements, each checked; absent is empty.
fn requirements(value: &Value, key: &str) -> Result<Vec<String>, String> {
    let Some(field) = value.get(key).filter(|field| !field.is_null()) else {
        return Ok(Vec::new());
    };
    let items = field
        .as_array()
        .ok_or_else(|| format!("`{key}` should be a list"))?;
    let mut requirements = Vec::new();
    for item in items {
        let requirement = item
            .as_str()
            .ok_or_else(|| format!("`{key}` should hold strings, found `{item}`"))?;
        check_gem_requirement(requirement).map_err(|reason| format!("`{key}`: {reason}"))?;
        requirements.push(requirement.trim().to_string());
    }
    Ok(requirements)
}

/// The affected entry: every version but the patched and unaffected ones.
fn affected(namespace: &str, package: &str, patched: &[String], unaffected: &[String]) -> Affected {
    let (constraints, fix) = unless_patched(patched, unaffected);
    Affected {
        namespace: namespace.to_string(),
        package: package.to_string(),
        scheme: "gem".to_string(),
        ranges: Vec::new(),
        versions: Vec::new(),
        constraints,
        fix,
        cpes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::{advisories, files_under, parse_shared};
    use crate::{FixState, Severity};

    #[test]
    fn the_subset_parses_without_skips() {
        let files = files_under("rubysec/subset");
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
        assert_eq!((files.len(), imported, skipped), (298, 298, 0));
    }

    #[test]
    fn a_rack_advisory() {
        let parsed = parse_shared("rubysec/subset/rack/CVE-2011-5036.yml");
        let advisory = advisories(&parsed)[0];
        assert_eq!(advisory.id, "rack/CVE-2011-5036");
        assert_eq!(
            advisory.aliases,
            ["CVE-2011-5036", "GHSA-v6j3-7jrw-hq2p", "OSVDB-78121"]
        );
        assert_eq!(advisory.published.as_deref(), Some("2011-12-28"));
        assert_eq!(advisory.severity, Some(Severity::Medium));
        assert!(advisory
            .summary
            .starts_with("CVE-2011-5036 rubygem-rack: hash table collisions"));
        let affected = &advisory.affected[0];
        assert_eq!(
            (
                affected.namespace.as_str(),
                affected.package.as_str(),
                affected.scheme.as_str()
            ),
            ("rubygems", "rack", "gem")
        );
        assert_eq!(
            affected.constraints,
            ["!~> 1.1.3", "!~> 1.2.5", "!~> 1.3.6", "!>= 1.4.0"]
        );
        assert_eq!(
            affected.fix,
            FixState::Fixed(vec![
                "1.1.3".into(),
                "1.2.5".into(),
                "1.3.6".into(),
                "1.4.0".into()
            ])
        );
    }

    #[test]
    fn malformed_advisories_are_skipped_with_a_reason() {
        let cases = [
            (
                "gem: rack\ncve: 2020-1\ntitle: t\npatched_versions:\n  - \"soon\"\n",
                "`rack/CVE-2020-1`: `patched_versions`: `soon` is not a RubyGems requirement",
            ),
            (
                "gem: rack\ncve: 2020-1\ntitle: t\npatched_versions: \">= 1.0\"\n",
                "`patched_versions` should be a list",
            ),
            (
                "gem: rack\ncve: 2020-1\ntitle: t\nunaffected_versions:\n  - 1.5\n",
                "should hold strings, found `1.5`",
            ),
            (
                "gem: [rack]\ncve: 2020-1\ntitle: t\n",
                "`gem` should be a string",
            ),
            (
                "gem: rack\ntitle: t\n",
                "has no `cve`, `ghsa` or `osvdb` ID",
            ),
        ];
        for (text, reason) in cases {
            let parsed = crate::feeds::parse("gems/rack/x.yml", text.as_bytes())
                .expect("recognised")
                .unwrap();
            assert!(parsed.records.is_empty(), "{text}");
            assert!(
                parsed.skipped[0].starts_with("gems/rack/x.yml: ")
                    && parsed.skipped[0].contains(reason),
                "{:?}",
                parsed.skipped
            );
        }
        let invalid = crate::feeds::parse("gems/rack/x.yml", b"gem: rack\ntitle: \"unterminated\n")
            .unwrap()
            .unwrap();
        assert!(
            invalid.skipped[0].contains("invalid YAML"),
            "{:?}",
            invalid.skipped
        );
    }
}
