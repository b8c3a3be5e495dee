//! Whitelist application: a fired trigger is whitelisted by the first unexpired item whose
//! gate equals the trigger's gate (ignoring case) and whose trigger ID matches it exactly or
//! as a `*` wildcard.

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::bundle::{Whitelist, WhitelistItem};
use crate::glob;

/// Which whitelist item whitelisted a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhitelistMatch {
    pub whitelist_id: String,
    pub whitelist_name: String,
    /// The ID of the matching item.
    pub matched_rule_id: String,
}

impl WhitelistMatch {
    /// The `Whitelisted` cell of a result row.
    pub fn to_json(&self) -> Value {
        json!({
            "whitelist_name": self.whitelist_name,
            "whitelist_id": self.whitelist_id,
            "matched_rule_id": self.matched_rule_id,
        })
    }
}

/// The first item of `whitelists`, in order, that whitelists this firing at `now`.
pub fn find_match(
    whitelists: &[&Whitelist],
    gate: &str,
    trigger_id: &str,
    now: Timestamp,
) -> Option<WhitelistMatch> {
    whitelists.iter().find_map(|whitelist| {
        whitelist
            .items
            .iter()
            .find(|item| applies(item, gate, trigger_id, now))
            .map(|item| WhitelistMatch {
                whitelist_id: whitelist.id.clone(),
                whitelist_name: whitelist.name.clone().unwrap_or_default(),
                matched_rule_id: item.id.clone(),
            })
    })
}

fn applies(item: &WhitelistItem, gate: &str, trigger_id: &str, now: Timestamp) -> bool {
    !is_expired(item, now)
        && item.gate.eq_ignore_ascii_case(gate)
        && (item.trigger_id == trigger_id || glob::matches(&item.trigger_id, trigger_id))
}

/// Whether the item's `expires_on` has passed. An expiry that does not read as an RFC 3339
/// time counts as passed: validation reports it, and an item whose end is unknown should not
/// silently whitelist forever.
pub fn is_expired(item: &WhitelistItem, now: Timestamp) -> bool {
    match &item.expires_on {
        None => false,
        Some(text) => text
            .parse::<Timestamp>()
            .map_or(true, |expires| now >= expires),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whitelist(items: &[(&str, &str, &str, Option<&str>)]) -> Whitelist {
        Whitelist {
            id: "wl".into(),
            name: Some("Global Whitelist".into()),
            version: "1_0".into(),
            comment: None,
            items: items
                .iter()
                .map(|(id, gate, trigger_id, expires)| WhitelistItem {
                    id: (*id).into(),
                    gate: (*gate).into(),
                    trigger_id: (*trigger_id).into(),
                    expires_on: expires.map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn matching_by_gate_trigger_id_and_expiry() {
        let now: Timestamp = "2024-06-01T12:00:00Z".parse().unwrap();
        let list = whitelist(&[
            (
                "expired",
                "vulnerabilities",
                "CVE-2021-3711+libssl1.1",
                Some("2024-06-01T11:59:59Z"),
            ),
            (
                "exact",
                "Vulnerabilities",
                "CVE-2021-3711+libssl1.1",
                Some("2024-06-01T12:00:01+00:00"),
            ),
            ("glob", "vulnerabilities", "CVE-2022-*", None),
            ("garbled", "dockerfile", "*", Some("soon")),
        ]);
        let cases = [
            ("vulnerabilities", "CVE-2021-3711+libssl1.1", Some("exact")),
            ("VULNERABILITIES", "CVE-2021-3711+libssl1.1", Some("exact")),
            ("vulnerabilities", "CVE-2022-0001+zlib", Some("glob")),
            ("vulnerabilities", "CVE-2023-0001+zlib", None),
            ("packages", "CVE-2022-0001+zlib", None),
            ("dockerfile", "41cb7cdf04850e33a11f80c42bf660b3", None),
        ];
        for (gate, trigger_id, expected) in cases {
            let found = find_match(&[&list], gate, trigger_id, now);
            assert_eq!(
                found.as_ref().map(|m| m.matched_rule_id.as_str()),
                expected,
                "{gate} {trigger_id}"
            );
        }

        // A second later the exact item has expired too.
        let later: Timestamp = "2024-06-01T12:00:01Z".parse().unwrap();
        assert!(find_match(
            &[&list],
            "vulnerabilities",
            "CVE-2021-3711+libssl1.1",
            later
        )
        .is_none());
    }
}
