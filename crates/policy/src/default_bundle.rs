//! Anchore's default policy bundle, which a fresh server holds as the active policy.

use crate::bundle::PolicyBundle;

/// The default bundle's ID.
pub const DEFAULT_BUNDLE_ID: &str = "2c53a13c-1765-11e8-82ef-23527761d060";

/// The default bundle as a JSON document, with the IDs anchore-engine ships, so that
/// whitelists and evaluations written against the engine name the same objects.
///
/// Its one policy stops on exposed port 22 and on vulnerabilities above medium, and warns on a
/// missing HEALTHCHECK, feed data older than two days, a distribution without vulnerability
/// data and medium vulnerabilities. Its global whitelist is empty; its mapping takes every
/// image.
pub const DEFAULT_BUNDLE_JSON: &str = r#"{
  "id": "2c53a13c-1765-11e8-82ef-23527761d060",
  "version": "1_0",
  "name": "Default bundle",
  "comment": "Default bundle",
  "whitelisted_images": [],
  "blacklisted_images": [],
  "mappings": [
    {
      "id": "c4f9bf74-dc38-4ddf-b5cf-00e9c0074611",
      "name": "default",
      "registry": "*",
      "repository": "*",
      "image": {"type": "tag", "value": "*"},
      "policy_id": "48e6f7d6-1765-11e8-b5f9-8b6f228548b6",
      "whitelist_ids": ["37fd763e-1765-11e8-add4-3b16c029ac5c"]
    }
  ],
  "whitelists": [
    {
      "id": "37fd763e-1765-11e8-add4-3b16c029ac5c",
      "name": "Global Whitelist",
      "comment": "Default global whitelist",
      "version": "1_0",
      "items": []
    }
  ],
  "policies": [
    {
      "id": "48e6f7d6-1765-11e8-b5f9-8b6f228548b6",
      "name": "DefaultPolicy",
      "comment": "System default policy",
      "version": "1_0",
      "rules": [
        {
          "id": "ce7b8000-829b-4c27-8122-69cd59018400",
          "gate": "dockerfile",
          "trigger": "exposed_ports",
          "action": "STOP",
          "params": [
            {"name": "ports", "value": "22"},
            {"name": "type", "value": "blacklist"}
          ]
        },
        {
          "id": "312d9e41-1c05-4e2f-ad89-b7d34b0855bb",
          "gate": "dockerfile",
          "trigger": "instruction",
          "action": "WARN",
          "params": [
            {"name": "instruction", "value": "HEALTHCHECK"},
            {"name": "check", "value": "not_exists"}
          ]
        },
        {
          "id": "6b5c14e7-a6f7-48cc-99d2-959273a2c6fa",
          "gate": "vulnerabilities",
          "trigger": "stale_feed_data",
          "action": "WARN",
          "params": [{"name": "max_days_since_sync", "value": "2"}]
        },
        {
          "id": "3e79ea94-18c4-4d26-9e29-3b9172a62c2e",
          "gate": "vulnerabilities",
          "trigger": "vulnerability_data_unavailable",
          "action": "WARN",
          "params": []
        },
        {
          "id": "6063fdde-b1c5-46af-973a-915739451ac4",
          "gate": "vulnerabilities",
          "trigger": "package",
          "action": "WARN",
          "params": [
            {"name": "package_type", "value": "all"},
            {"name": "severity_comparison", "value": "="},
            {"name": "severity", "value": "medium"}
          ]
        },
        {
          "id": "b30e8abc-444f-45b1-8a37-55be1b8c8bb5",
          "gate": "vulnerabilities",
          "trigger": "package",
          "action": "STOP",
          "params": [
            {"name": "package_type", "value": "all"},
            {"name": "severity_comparison", "value": ">"},
            {"name": "severity", "value": "medium"}
          ]
        }
      ]
    }
  ]
}"#;

/// The default bundle, parsed.
pub fn default_bundle() -> PolicyBundle {
    PolicyBundle::from_json(DEFAULT_BUNDLE_JSON)
        .expect("the default bundle is a constant document the tests parse")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Action;
    use crate::validate::validate;

    #[test]
    fn the_default_bundle_parses_and_validates() {
        let bundle = PolicyBundle::from_json(DEFAULT_BUNDLE_JSON).unwrap();
        assert_eq!(bundle.id, DEFAULT_BUNDLE_ID);
        assert_eq!(validate(&bundle), []);

        let rules = &bundle.policies[0].rules;
        let summary: Vec<(Action, &str, &str)> = rules
            .iter()
            .map(|r| (r.action, r.gate.as_str(), r.trigger.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (Action::Stop, "dockerfile", "exposed_ports"),
                (Action::Warn, "dockerfile", "instruction"),
                (Action::Warn, "vulnerabilities", "stale_feed_data"),
                (
                    Action::Warn,
                    "vulnerabilities",
                    "vulnerability_data_unavailable"
                ),
                (Action::Warn, "vulnerabilities", "package"),
                (Action::Stop, "vulnerabilities", "package"),
            ]
        );
        assert_eq!(
            bundle.mappings[0].effective_policy_ids(),
            ["48e6f7d6-1765-11e8-b5f9-8b6f228548b6"]
        );
    }
}
