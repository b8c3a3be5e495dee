//! Bundle validation: every problem in a bundle at once, each naming the rule, gate, trigger
//! and parameter it is about, so the user can fix them all in one go.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::bundle::{PolicyBundle, PolicyRule, BUNDLE_VERSION};
use crate::params;
use crate::spec::{self, Validator};

/// One thing wrong with a bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("bundle version `{found}` is not supported, expected `1_0`")]
    BundleVersion { found: String },
    #[error("policy `{policy}` has version `{found}`, expected `1_0`")]
    PolicyVersion { policy: String, found: String },
    #[error("whitelist `{whitelist}` has version `{found}`, expected `1_0`")]
    WhitelistVersion { whitelist: String, found: String },
    #[error("policy ID `{id}` is used more than once")]
    DuplicatePolicy { id: String },
    #[error("whitelist ID `{id}` is used more than once")]
    DuplicateWhitelist { id: String },
    #[error("rule `{rule}`: unknown gate `{gate}`")]
    UnknownGate { rule: String, gate: String },
    #[error("rule `{rule}`: gate `{gate}` has no trigger `{trigger}`")]
    UnknownTrigger {
        rule: String,
        gate: String,
        trigger: String,
    },
    #[error("rule `{rule}`: {gate}/{trigger} requires parameter `{param}`")]
    MissingParameter {
        rule: String,
        gate: String,
        trigger: String,
        param: String,
    },
    #[error("rule `{rule}`: {gate}/{trigger} has no parameter `{param}`")]
    UnknownParameter {
        rule: String,
        gate: String,
        trigger: String,
        param: String,
    },
    #[error(
        "rule `{rule}`: {gate}/{trigger} parameter `{param}` has value `{value}`, expected {expected}"
    )]
    BadValue {
        rule: String,
        gate: String,
        trigger: String,
        param: String,
        value: String,
        expected: String,
    },
    #[error(
        "whitelist `{whitelist}` item `{item}`: `expires_on` `{value}` is not an RFC 3339 time"
    )]
    BadExpiry {
        whitelist: String,
        item: String,
        value: String,
    },
    #[error("mapping `{mapping}` names no policy")]
    MappingWithoutPolicy { mapping: String },
    #[error("mapping `{mapping}` names policy `{policy}`, which the bundle does not define")]
    MissingPolicy { mapping: String, policy: String },
    #[error("mapping `{mapping}` names whitelist `{whitelist}`, which the bundle does not define")]
    MissingWhitelist { mapping: String, whitelist: String },
}

impl Problem {
    /// A stable kebab-case code for the kind of problem.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::BundleVersion { .. }
            | Problem::PolicyVersion { .. }
            | Problem::WhitelistVersion { .. } => "unsupported-version",
            Problem::DuplicatePolicy { .. } | Problem::DuplicateWhitelist { .. } => "duplicate-id",
            Problem::UnknownGate { .. } => "unknown-gate",
            Problem::UnknownTrigger { .. } => "unknown-trigger",
            Problem::MissingParameter { .. } => "missing-parameter",
            Problem::UnknownParameter { .. } => "unknown-parameter",
            Problem::BadValue { .. } => "bad-parameter-value",
            Problem::BadExpiry { .. } => "bad-expiry",
            Problem::MappingWithoutPolicy { .. } => "mapping-without-policy",
            Problem::MissingPolicy { .. } => "missing-policy",
            Problem::MissingWhitelist { .. } => "missing-whitelist",
        }
    }

    /// The problem as one entry of Anchore's `validation_details`.
    pub fn to_json(&self) -> Value {
        json!({"error_code": self.code(), "message": self.to_string()})
    }
}

/// Every problem in the bundle; an empty list means it is valid.
pub fn validate(bundle: &PolicyBundle) -> Vec<Problem> {
    let mut problems = Vec::new();

    if bundle.version != BUNDLE_VERSION {
        problems.push(Problem::BundleVersion {
            found: bundle.version.clone(),
        });
    }

    let mut policy_ids = HashSet::new();
    for policy in &bundle.policies {
        if !policy_ids.insert(policy.id.as_str()) {
            problems.push(Problem::DuplicatePolicy {
                id: policy.id.clone(),
            });
        }
        if policy.version != BUNDLE_VERSION {
            problems.push(Problem::PolicyVersion {
                policy: policy.id.clone(),
                found: policy.version.clone(),
            });
        }
        for rule in &policy.rules {
            validate_rule(rule, &mut problems);
        }
    }

    let mut whitelist_ids = HashSet::new();
    for whitelist in &bundle.whitelists {
        if !whitelist_ids.insert(whitelist.id.as_str()) {
            problems.push(Problem::DuplicateWhitelist {
                id: whitelist.id.clone(),
            });
        }
        if whitelist.version != BUNDLE_VERSION {
            problems.push(Problem::WhitelistVersion {
                whitelist: whitelist.id.clone(),
                found: whitelist.version.clone(),
            });
        }
        for item in &whitelist.items {
            let Some(expires_on) = &item.expires_on else {
                continue;
            };
            if expires_on.parse::<jiff::Timestamp>().is_err() {
                problems.push(Problem::BadExpiry {
                    whitelist: whitelist.id.clone(),
                    item: item.id.clone(),
                    value: expires_on.clone(),
                });
            }
        }
    }

    for mapping in &bundle.mappings {
        let name = mapping.id.clone().unwrap_or_else(|| mapping.name.clone());
        let policies = mapping.effective_policy_ids();
        if policies.is_empty() {
            problems.push(Problem::MappingWithoutPolicy {
                mapping: name.clone(),
            });
        }
        for policy in policies {
            if !policy_ids.contains(policy) {
                problems.push(Problem::MissingPolicy {
                    mapping: name.clone(),
                    policy: policy.to_string(),
                });
            }
        }
        for whitelist in &mapping.whitelist_ids {
            if !whitelist_ids.contains(whitelist.as_str()) {
                problems.push(Problem::MissingWhitelist {
                    mapping: name.clone(),
                    whitelist: whitelist.clone(),
                });
            }
        }
    }

    problems
}

fn validate_rule(rule: &PolicyRule, problems: &mut Vec<Problem>) {
    let Some(gate) = spec::gate(&rule.gate) else {
        problems.push(Problem::UnknownGate {
            rule: rule.id.clone(),
            gate: rule.gate.clone(),
        });
        return;
    };
    let Some(trigger) = gate.trigger(&rule.trigger) else {
        problems.push(Problem::UnknownTrigger {
            rule: rule.id.clone(),
            gate: gate.name.to_string(),
            trigger: rule.trigger.clone(),
        });
        return;
    };
    let named = |param: &str| {
        (
            rule.id.clone(),
            gate.name.to_string(),
            trigger.name.to_string(),
            param.to_string(),
        )
    };

    for spec in trigger.params.iter().filter(|spec| spec.required) {
        if rule.param(spec.name).is_none() {
            let (rule, gate, trigger, param) = named(spec.name);
            problems.push(Problem::MissingParameter {
                rule,
                gate,
                trigger,
                param,
            });
        }
    }

    let attribute = rule.param("attribute");
    for given in &rule.params {
        let Some(spec) = trigger.param(&given.name) else {
            let (rule, gate, trigger, param) = named(&given.name);
            problems.push(Problem::UnknownParameter {
                rule,
                gate,
                trigger,
                param,
            });
            continue;
        };
        let mut expected = params::check(spec.validator, &given.value, attribute);
        // A `value` compared with `like` or `not_like` is a regular expression.
        if expected.is_none() && spec.name == "value" {
            if let Some("like" | "not_like") = rule.param("check") {
                expected = params::check(Validator::Regex, &given.value, None);
            }
        }
        if let Some(expected) = expected {
            let (rule, gate, trigger, param) = named(spec.name);
            problems.push(Problem::BadValue {
                rule,
                gate,
                trigger,
                param,
                value: given.value.clone(),
                expected,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(rules: &str) -> PolicyBundle {
        let text = format!(
            r#"{{"id":"b","version":"1_0",
                "policies":[{{"id":"p1","version":"1_0","rules":[{rules}]}}],
                "whitelists":[{{"id":"w1","version":"1_0","items":[]}}],
                "mappings":[{{"id":"m1","name":"all","registry":"*","repository":"*",
                              "image":{{"type":"tag","value":"*"}},
                              "policy_ids":["p1"],"whitelist_ids":["w1"]}}]}}"#
        );
        PolicyBundle::from_json(&text).unwrap()
    }

    fn messages(bundle: &PolicyBundle) -> Vec<String> {
        validate(bundle).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_well_formed_bundle_has_no_problems() {
        let bundle = bundle(
            r#"{"id":"r1","gate":"vulnerabilities","trigger":"package","action":"stop",
                "params":[{"name":"package_type","value":"all"},
                          {"name":"severity_comparison","value":">="},
                          {"name":"severity","value":"high"}]}"#,
        );
        assert_eq!(messages(&bundle), Vec::<String>::new());
    }

    #[test]
    fn rule_problems_name_rule_gate_trigger_and_parameter() {
        let cases = [
            (
                r#"{"id":"r1","gate":"nosuch","trigger":"x","action":"go"}"#,
                "rule `r1`: unknown gate `nosuch`",
            ),
            (
                r#"{"id":"r2","gate":"dockerfile","trigger":"nosuch","action":"go"}"#,
                "rule `r2`: gate `dockerfile` has no trigger `nosuch`",
            ),
            (
                r#"{"id":"r3","gate":"vulnerabilities","trigger":"stale_feed_data","action":"warn"}"#,
                "rule `r3`: vulnerabilities/stale_feed_data requires parameter `max_days_since_sync`",
            ),
            (
                r#"{"id":"r4","gate":"vulnerabilities","trigger":"stale_feed_data","action":"warn",
                    "params":[{"name":"max_days_since_sync","value":"two"}]}"#,
                "rule `r4`: vulnerabilities/stale_feed_data parameter `max_days_since_sync` has value `two`, expected a whole number",
            ),
            (
                r#"{"id":"r5","gate":"vulnerabilities","trigger":"package","action":"stop",
                    "params":[{"name":"package_type","value":"all"},{"name":"severity","value":"severe"}]}"#,
                r#"rule `r5`: vulnerabilities/package parameter `severity` has value `severe`, expected One of ["unknown", "negligible", "low", "medium", "high", "critical"]"#,
            ),
            (
                r#"{"id":"r6","gate":"always","trigger":"always","action":"go",
                    "params":[{"name":"colour","value":"red"}]}"#,
                "rule `r6`: always/always has no parameter `colour`",
            ),
            (
                r#"{"id":"r7","gate":"metadata","trigger":"attribute","action":"warn",
                    "params":[{"name":"attribute","value":"size"},{"name":"check","value":">"},
                              {"name":"value","value":"huge"}]}"#,
                "rule `r7`: metadata/attribute parameter `value` has value `huge`, expected a size in bytes with an optional unit (kb, mb, gb, tb), such as 1GB",
            ),
            (
                r#"{"id":"r8","gate":"dockerfile","trigger":"instruction","action":"warn",
                    "params":[{"name":"instruction","value":"FROM"},{"name":"check","value":"like"},
                              {"name":"value","value":"alpine("}]}"#,
                "rule `r8`: dockerfile/instruction parameter `value` has value `alpine(`, expected a valid regular expression",
            ),
        ];
        for (rule, expected) in cases {
            let found = messages(&bundle(rule));
            assert_eq!(found.len(), 1, "{rule}: {found:?}");
            assert!(found[0].starts_with(expected), "{} != {expected}", found[0]);
        }
    }

    #[test]
    fn mappings_must_name_defined_policies_and_whitelists() {
        let mut bundle = bundle("");
        bundle.mappings[0].policy_ids = vec!["p1".into(), "p9".into()];
        bundle.mappings[0].whitelist_ids.push("w9".into());
        bundle.version = "2_0".into();
        assert_eq!(
            messages(&bundle),
            [
                "bundle version `2_0` is not supported, expected `1_0`",
                "mapping `m1` names policy `p9`, which the bundle does not define",
                "mapping `m1` names whitelist `w9`, which the bundle does not define",
            ]
        );

        bundle.mappings[0].policy_ids.clear();
        let problems = validate(&bundle);
        assert!(problems
            .iter()
            .any(|p| p.code() == "mapping-without-policy"));
    }

    #[test]
    fn expiry_times_must_be_rfc3339() {
        let mut bundle = bundle("");
        bundle.whitelists[0]
            .items
            .push(crate::bundle::WhitelistItem {
                id: "i1".into(),
                gate: "vulnerabilities".into(),
                trigger_id: "CVE-1+x".into(),
                expires_on: Some("next tuesday".into()),
            });
        assert_eq!(
            messages(&bundle),
            ["whitelist `w1` item `i1`: `expires_on` `next tuesday` is not an RFC 3339 time"]
        );
        let detail = validate(&bundle)[0].to_json();
        assert_eq!(detail["error_code"], "bad-expiry");
    }
}
