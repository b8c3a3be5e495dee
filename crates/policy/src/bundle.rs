//! The policy bundle document (Anchore bundle version `1_0`): policies of rules, whitelists,
//! mappings from images to policies, and whitelisted or blacklisted images.
//!
//! The types keep the document's field names so that a bundle read and written again is the
//! bundle the user uploaded; [`crate::validate`] says whether it makes sense.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The only bundle, policy and whitelist version Anchore defines.
pub const BUNDLE_VERSION: &str = "1_0";

/// A whole policy bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyBundle {
    /// The bundle's ID; Anchore derives one from the account and name when it is missing.
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Always [`BUNDLE_VERSION`] in a valid bundle.
    pub version: String,
    #[serde(default)]
    pub whitelists: Vec<Whitelist>,
    #[serde(default)]
    pub policies: Vec<Policy>,
    #[serde(default)]
    pub mappings: Vec<MappingRule>,
    #[serde(default)]
    pub whitelisted_images: Vec<ImageSelectionRule>,
    #[serde(default)]
    pub blacklisted_images: Vec<ImageSelectionRule>,
}

impl PolicyBundle {
    /// Reads a bundle from its JSON document.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The policy with this ID.
    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|policy| policy.id == id)
    }

    /// The whitelist with this ID.
    pub fn whitelist(&self, id: &str) -> Option<&Whitelist> {
        self.whitelists.iter().find(|whitelist| whitelist.id == id)
    }
}

/// A named list of rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub version: String,
    #[serde(default)]
    pub rules: Vec<PolicyRule>,
}

/// One rule: when `gate`/`trigger` fires with these parameters, the result is `action`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRule {
    #[serde(default)]
    pub id: String,
    pub gate: String,
    pub trigger: String,
    pub action: Action,
    #[serde(default)]
    pub params: Vec<RuleParam>,
}

impl PolicyRule {
    /// The value of a parameter; names compare case-insensitively, as Anchore lower-cases them.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|param| param.name.eq_ignore_ascii_case(name))
            .map(|param| param.value.as_str())
    }
}

/// A rule parameter. Values are strings in the document, whatever they mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleParam {
    pub name: String,
    pub value: String,
}

/// What a fired rule asks for, from the strictest to the most permissive.
///
/// The order is Anchore's: the final action of an evaluation is the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Stop,
    Warn,
    Go,
}

impl Action {
    /// The lower-case name used in evaluation results (`stop`, `warn`, `go`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Stop => "stop",
            Action::Warn => "warn",
            Action::Go => "go",
        }
    }

    /// Reads `GO`, `STOP` or `WARN` in any case.
    pub fn parse(text: &str) -> Option<Action> {
        match text.to_ascii_lowercase().as_str() {
            "stop" => Some(Action::Stop),
            "warn" => Some(Action::Warn),
            "go" => Some(Action::Go),
            _ => None,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Bundles spell actions in upper case; Anchore reads them in any case.
impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_str().to_ascii_uppercase())
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Action::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown action `{text}`, expected one of GO, STOP, WARN"
            ))
        })
    }
}

/// A named list of findings to ignore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Whitelist {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default)]
    pub items: Vec<WhitelistItem>,
}

/// One whitelisted finding: a gate and a trigger ID, which may hold `*` wildcards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhitelistItem {
    #[serde(default)]
    pub id: String,
    pub gate: String,
    pub trigger_id: String,
    /// When the item stops applying (RFC 3339); kept as written, read by [`crate::whitelist`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

/// Which policies and whitelists apply to which images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    pub registry: String,
    pub repository: String,
    pub image: ImageRef,
    /// The legacy single policy; [`MappingRule::policy_ids`] is the current form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_ids: Vec<String>,
    #[serde(default)]
    pub whitelist_ids: Vec<String>,
}

impl MappingRule {
    /// The policies this mapping runs, in order: `policy_ids` when given, else `policy_id`.
    pub fn effective_policy_ids(&self) -> Vec<&str> {
        if self.policy_ids.is_empty() {
            self.policy_id.iter().map(String::as_str).collect()
        } else {
            self.policy_ids.iter().map(String::as_str).collect()
        }
    }
}

/// An image selector for whitelisted and blacklisted images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageSelectionRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    pub registry: String,
    pub repository: String,
    pub image: ImageRef,
}

/// How a mapping or selection rule names the image: by tag (a glob), digest or image ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    #[serde(rename = "type")]
    pub ref_type: ImageRefType,
    pub value: String,
}

/// The kinds of [`ImageRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageRefType {
    Tag,
    Digest,
    Id,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_in_any_case_and_write_upper_case() {
        let rule: PolicyRule =
            serde_json::from_str(r#"{"gate":"always","trigger":"always","action":"wArN"}"#)
                .unwrap();
        assert_eq!(rule.action, Action::Warn);
        assert_eq!(serde_json::to_value(rule.action).unwrap(), "WARN");

        let bad = serde_json::from_str::<PolicyRule>(
            r#"{"gate":"always","trigger":"always","action":"block"}"#,
        );
        let message = bad.unwrap_err().to_string();
        assert!(message.contains("unknown action `block`"), "{message}");
    }

    #[test]
    fn actions_order_stop_before_warn_before_go() {
        assert!(Action::Stop < Action::Warn && Action::Warn < Action::Go);
        assert_eq!(
            [Action::Go, Action::Warn].into_iter().min(),
            Some(Action::Warn)
        );
    }

    #[test]
    fn policy_ids_take_precedence_over_the_legacy_policy_id() {
        let mut mapping: MappingRule = serde_json::from_str(
            r#"{"name":"m","registry":"*","repository":"*","image":{"type":"tag","value":"*"},
                "policy_id":"old","whitelist_ids":[]}"#,
        )
        .unwrap();
        assert_eq!(mapping.effective_policy_ids(), ["old"]);
        mapping.policy_ids = vec!["a".into(), "b".into()];
        assert_eq!(mapping.effective_policy_ids(), ["a", "b"]);
    }

    #[test]
    fn parameter_names_compare_case_insensitively() {
        let rule: PolicyRule = serde_json::from_str(
            r#"{"gate":"g","trigger":"t","action":"GO","params":[{"name":"Severity","value":"high"}]}"#,
        )
        .unwrap();
        assert_eq!(rule.param("severity"), Some("high"));
        assert_eq!(rule.param("fix_available"), None);
    }
}
