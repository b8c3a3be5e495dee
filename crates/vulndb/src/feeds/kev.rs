//! CISA's Known Exploited Vulnerabilities catalog (cisa.gov/known-exploited-vulnerabilities):
//! `{"catalogVersion", "vulnerabilities": [{"cveID", "dateAdded", "dueDate",
//! "knownRansomwareCampaignUse", …}]}`, or a single entry on its own.

use serde_json::Value;

use super::{string_at, Parsed, Record};

/// The feed KEV entries are stored under.
pub(super) const FEED: &str = "kev";

/// Whether text that does not parse resembles the catalog.
pub(super) fn looks_like(text: &str) -> bool {
    text.contains("\"cveID\"")
}

/// Reads the catalog or one entry; `None` when the value is neither.
pub(super) fn parse(origin: &str, value: &Value) -> Option<Parsed> {
    let entries: Vec<&Value> = if value.get("cveID").is_some() {
        vec![value]
    } else {
        let items = value.get("vulnerabilities").and_then(Value::as_array)?;
        let catalog = value.get("catalogVersion").is_some()
            || items
                .first()
                .is_some_and(|item| item.get("cveID").is_some());
        if !catalog {
            return None;
        }
        items.iter().collect()
    };

    let mut parsed = Parsed::new(FEED);
    for (index, entry) in entries.into_iter().enumerate() {
        match record(entry) {
            Ok(record) => parsed.records.push(record),
            Err(reason) => parsed
                .skipped
                .push(format!("{origin}: entry {index}: {reason}")),
        }
    }
    Some(parsed)
}

fn record(entry: &Value) -> Result<Record, String> {
    let cve = match entry.get("cveID") {
        Some(Value::String(cve)) if cve.starts_with("CVE-") => cve.clone(),
        Some(other) => return Err(format!("`cveID` `{other}` is not a CVE ID")),
        None => return Err("the entry has no `cveID`".to_string()),
    };
    for key in ["dateAdded", "dueDate", "knownRansomwareCampaignUse"] {
        if entry
            .get(key)
            .is_some_and(|value| !value.is_string() && !value.is_null())
        {
            return Err(format!("`{cve}`: `{key}` should be a string"));
        }
    }
    Ok(Record::Kev {
        cve,
        date_added: string_at(entry, "dateAdded"),
        due_date: string_at(entry, "dueDate"),
        ransomware: string_at(entry, "knownRansomwareCampaignUse"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::parse_shared;

    #[test]
    fn the_catalog() {
        let parsed = parse_shared("kev/known_exploited_vulnerabilities.json");
        assert_eq!(
            (
                parsed.feed.as_str(),
                parsed.records.len(),
                parsed.skipped.len()
            ),
            (FEED, 1_404, 0)
        );
        let Record::Kev {
            cve,
            date_added,
            due_date,
            ransomware,
        } = &parsed.records[0]
        else {
            panic!("not a KEV entry")
        };
        assert_eq!(cve, "CVE-2025-48384");
        assert_eq!(
            (
                date_added.as_deref(),
                due_date.as_deref(),
                ransomware.as_deref()
            ),
            (Some("2025-08-25"), Some("2025-09-15"), Some("Unknown"))
        );
    }

    #[test]
    fn the_vunnel_samples() {
        let parsed = parse_shared("fixtures/vunnel/kev/test-fixtures/valid-catalog-1.json");
        assert_eq!((parsed.records.len(), parsed.skipped.len()), (3, 0));
        let parsed = parse_shared("fixtures/vunnel/kev/test-fixtures/single-entry/example1.json");
        assert!(matches!(&parsed.records[..], [Record::Kev { cve, .. }] if cve == "CVE-2025-0108"));
    }

    #[test]
    fn malformed_entries_are_skipped_with_a_reason() {
        let json = br#"{"catalogVersion": "1", "vulnerabilities": [
            {"cveID": "CVE-2024-1", "dateAdded": "2024-01-01"},
            {"cveID": 42},
            {"dateAdded": "2024-01-01"},
            {"cveID": "CVE-2024-2", "dueDate": ["soon"]}]}"#;
        let parsed = crate::feeds::parse("kev.json", json).unwrap().unwrap();
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(
            parsed.skipped,
            [
                "kev.json: entry 1: `cveID` `42` is not a CVE ID",
                "kev.json: entry 2: the entry has no `cveID`",
                "kev.json: entry 3: `CVE-2024-2`: `dueDate` should be a string",
            ]
        );
    }
}
