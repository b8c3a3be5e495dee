//! Feed formats: each module recognises its format by content and turns one document into
//! normalised records. Malformed records are skipped with a reason, never fatal.

mod constraint;
mod debian;
mod epss;
mod kev;
mod npm_advisory;
mod nvd;
mod osv;
mod rubysec;
mod rustsec;
mod secdb;
mod severity;
mod yaml;

use serde_json::Value;

use crate::Advisory;

/// One normalised item of a feed document.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A vulnerability advisory.
    Advisory(Advisory),
    /// A CISA Known Exploited Vulnerabilities entry.
    Kev {
        /// The CVE the entry is about.
        cve: String,
        /// When CISA added it to the catalog (`2025-08-25`).
        date_added: Option<String>,
        /// When federal agencies must have remediated it.
        due_date: Option<String>,
        /// Whether it is known to be used in ransomware campaigns (`Known`, `Unknown`).
        ransomware: Option<String>,
    },
    /// An EPSS score for a CVE.
    Epss {
        /// The CVE the score is for.
        cve: String,
        /// The probability of exploitation in the next 30 days, 0 to 1.
        score: f64,
        /// The share of scored CVEs with a lower score, 0 to 1.
        percentile: f64,
    },
}

/// What one document yielded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// The feed the records belong to (`osv`, `nvd`, `kev`, …).
    pub feed: String,
    /// The records the document holds.
    pub records: Vec<Record>,
    /// Why each skipped record was skipped.
    pub skipped: Vec<String>,
}

impl Parsed {
    /// An empty result for `feed`.
    pub(crate) fn new(feed: impl Into<String>) -> Parsed {
        Parsed {
            feed: feed.into(),
            ..Parsed::default()
        }
    }

    /// A document of `feed` that could not be read at all: nothing but one skipped reason.
    pub(crate) fn unreadable(feed: &str, origin: &str, reason: &str) -> Parsed {
        Parsed {
            feed: feed.to_string(),
            records: Vec::new(),
            skipped: vec![format!("{origin}: {reason}")],
        }
    }
}

/// A document's text, when it is UTF-8 (every supported format is text).
pub(crate) fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

/// Recognises the format of a document by its content and parses it. `None` when the
/// document is in no known format (a README, a licence), which the importer passes over.
///
/// The text formats announce themselves on their first line and are tried first. JSON is
/// parsed once and offered to each JSON format, the most specific first and OSV, whose
/// records are the least distinctive, last; YAML likewise, for files named `.yaml`/`.yml`.
/// A document that does not parse is claimed, with the parser's error as its skipped
/// reason, by the format whose marks it carries, and otherwise passed over. The formats
/// report every problem that way, so `Err` does not currently occur.
pub fn parse(origin: &str, bytes: &[u8]) -> Option<Result<Parsed, String>> {
    let text = text(bytes)?;

    let text_formats = [epss::parse, debian::list::parse, rustsec::parse];
    if let Some(parsed) = text_formats.iter().find_map(|parse| parse(origin, text)) {
        return Some(Ok(parsed));
    }

    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return match serde_json::from_str::<Value>(text) {
            Ok(value) => json_formats(origin, &value).map(Ok),
            Err(error) => damaged(origin, text, &format!("invalid JSON: {error}")).map(Ok),
        };
    }
    if yaml::is_yaml_name(origin) {
        return match yaml::parse(text) {
            Ok(value) => yaml_formats(origin, &value).map(Ok),
            Err(error) => damaged(origin, text, &format!("invalid YAML: {error}")).map(Ok),
        };
    }
    None
}

/// The JSON formats, most specific first.
fn json_formats(origin: &str, value: &Value) -> Option<Parsed> {
    let formats = [
        kev::parse,
        nvd::parse,
        npm_advisory::parse,
        secdb::parse,
        debian::tracker::parse,
        osv::parse,
    ];
    formats.iter().find_map(|parse| parse(origin, value))
}

/// The YAML formats, most specific first.
fn yaml_formats(origin: &str, value: &Value) -> Option<Parsed> {
    let formats = [rubysec::parse, secdb::parse, osv::parse];
    formats.iter().find_map(|parse| parse(origin, value))
}

/// A document that does not parse, claimed by the format whose marks its text carries.
fn damaged(origin: &str, text: &str, reason: &str) -> Option<Parsed> {
    let feed = if kev::looks_like(text) {
        kev::FEED
    } else if nvd::looks_like(text) {
        nvd::FEED
    } else if npm_advisory::looks_like(text) {
        npm_advisory::FEED
    } else if rubysec::looks_like(text) {
        rubysec::FEED
    } else if secdb::looks_like(text) {
        secdb::FEED
    } else if debian::tracker::looks_like(text) {
        debian::tracker::FEED
    } else {
        return None;
    };
    Some(Parsed::unreadable(feed, origin, reason))
}

/// The string at `key`, if it is one.
pub(crate) fn string_at(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

/// The strings of the array at `key`; other items are left out.
pub(crate) fn strings_at(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod testdata {
    //! Where the shared vulnerability data lives, for the format tests.

    use std::path::PathBuf;

    use super::{Parsed, Record};
    use crate::Advisory;

    /// A path under `shared/vulndata`.
    pub fn shared(path: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/vulndata")
            .join(path)
    }

    /// Parses one shared file, which must be recognised.
    pub fn parse_shared(path: &str) -> Parsed {
        let path = shared(path);
        let bytes = std::fs::read(&path).unwrap();
        super::parse(&path.display().to_string(), &bytes)
            .expect("recognised")
            .unwrap()
    }

    /// Parses one shared file; `None` when it is in no known format.
    pub fn parse_shared_opt(path: &str) -> Option<Parsed> {
        let path = shared(path);
        let bytes = std::fs::read(&path).unwrap();
        super::parse(&path.display().to_string(), &bytes).map(Result::unwrap)
    }

    /// The advisories among the records.
    pub fn advisories(parsed: &Parsed) -> Vec<&Advisory> {
        parsed
            .records
            .iter()
            .filter_map(|record| match record {
                Record::Advisory(advisory) => Some(advisory),
                _ => None,
            })
            .collect()
    }

    /// Every file under a shared directory, sorted.
    pub fn files_under(path: &str) -> Vec<PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&shared(path), &mut files);
        files.sort();
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_in_no_known_format_are_passed_over() {
        assert!(parse("README.md", b"# Advisories\n").is_none());
        assert!(parse(
            "package.json",
            br#"{"name": "left-pad", "version": "1.3.0"}"#
        )
        .is_none());
        assert!(parse("list.yaml", b"- a\n- b\n").is_none());
        assert!(parse("binary", &[0xff, 0xfe, 0x00]).is_none());
        assert!(parse("broken.json", b"{\"name\": ").is_none());
        let schema = testdata::parse_shared_opt("kev/known_exploited_vulnerabilities_schema.json");
        assert!(schema.is_none());
    }

    #[test]
    fn a_damaged_document_is_claimed_by_the_format_it_resembles() {
        let parsed = parse("gems/rack/CVE-1.yml", b"gem: rack\ntitle: [unclosed\n")
            .unwrap()
            .unwrap();
        assert_eq!(parsed.feed, rubysec::FEED);
        assert!(
            parsed.skipped[0].starts_with("gems/rack/CVE-1.yml: invalid YAML"),
            "{:?}",
            parsed.skipped
        );
        let parsed = parse(
            "kev.json",
            br#"{"catalogVersion": "1", "vulnerabilities": [{"cveID": "#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(parsed.feed, "kev");
        assert!(parsed.records.is_empty() && parsed.skipped[0].contains("invalid JSON"));
    }
}
