//! Running one rule's trigger against an image: dispatch to the gate modules, parameter
//! reading shared by them, and trigger IDs.

mod always;
mod dockerfile;
mod files;
mod licenses;
mod metadata;
mod packages;
mod passwd_file;
mod secret_scans;
mod vulnerabilities;

use jiff::Timestamp;
use md5::{Digest, Md5};

use crate::bundle::PolicyRule;
use crate::input::EvaluationInput;
use crate::params;
use crate::spec;

pub use vulnerabilities::{anchore_package_type, is_os_package};

/// One firing of a trigger: a finding, not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    /// The gate's name as the spec spells it.
    pub gate: &'static str,
    /// The trigger's name as the spec spells it.
    pub trigger: &'static str,
    /// The ID whitelists match: `<vuln>+<package>` for vulnerability findings, `always` for
    /// the always trigger, else the MD5 of gate, trigger and message.
    pub trigger_id: String,
    /// The check output shown to people.
    pub message: String,
}

/// Why a rule could not be evaluated (a bundle that skipped validation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TriggerError {
    #[error("rule `{rule}`: unknown gate `{gate}` or trigger `{trigger}`")]
    Unknown {
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
    #[error("rule `{rule}`: {gate}/{trigger} parameter `{param}` has bad value `{value}`")]
    BadParameter {
        rule: String,
        gate: String,
        trigger: String,
        param: String,
        value: String,
    },
}

/// What a trigger sees: the rule (for its parameters), the image and the current time.
pub(crate) struct Context<'a> {
    pub rule: &'a PolicyRule,
    pub gate: &'static str,
    pub trigger: &'static str,
    pub input: &'a EvaluationInput,
    pub now: Timestamp,
}

/// A firing before its ID is settled: `id` is `None` for the MD5 default.
pub(crate) struct Fire {
    pub id: Option<String>,
    pub message: String,
}

impl Fire {
    pub fn message(message: String) -> Self {
        Fire { id: None, message }
    }
}

/// Evaluates one rule against the image.
pub fn evaluate_rule(
    rule: &PolicyRule,
    input: &EvaluationInput,
    now: Timestamp,
) -> Result<Vec<Fired>, TriggerError> {
    let unknown = || TriggerError::Unknown {
        rule: rule.id.clone(),
        gate: rule.gate.clone(),
        trigger: rule.trigger.clone(),
    };
    let gate = spec::gate(&rule.gate).ok_or_else(unknown)?;
    let trigger = gate.trigger(&rule.trigger).ok_or_else(unknown)?;
    let context = Context {
        rule,
        gate: gate.name,
        trigger: trigger.name,
        input,
        now,
    };

    let fires = match gate.name {
        "always" => always::evaluate(&context),
        "dockerfile" => dockerfile::evaluate(&context)?,
        "files" => files::evaluate(&context)?,
        "licenses" => licenses::evaluate(&context)?,
        "metadata" => metadata::evaluate(&context)?,
        "packages" => packages::evaluate(&context)?,
        "passwd_file" => passwd_file::evaluate(&context)?,
        "secret_scans" => secret_scans::evaluate(&context)?,
        "vulnerabilities" => vulnerabilities::evaluate(&context)?,
        _ => return Err(unknown()),
    };

    let fired = fires
        .into_iter()
        .map(|fire| Fired {
            gate: gate.name,
            trigger: trigger.name,
            trigger_id: fire
                .id
                .unwrap_or_else(|| md5_trigger_id(gate.name, trigger.name, &fire.message)),
            message: fire.message,
        })
        .collect();
    Ok(fired)
}

/// Anchore's default trigger ID: the hex MD5 of gate name, trigger name and message, joined
/// without separators.
pub fn md5_trigger_id(gate: &str, trigger: &str, message: &str) -> String {
    let mut hasher = Md5::new();
    hasher.update(gate.as_bytes());
    hasher.update(trigger.as_bytes());
    hasher.update(message.as_bytes());
    let digest = hasher.finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Context<'_> {
    /// A parameter's raw value.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.rule.param(name)
    }

    /// A required parameter's raw value.
    pub fn required(&self, name: &str) -> Result<&str, TriggerError> {
        self.text(name)
            .ok_or_else(|| TriggerError::MissingParameter {
                rule: self.rule.id.clone(),
                gate: self.gate.to_string(),
                trigger: self.trigger.to_string(),
                param: name.to_string(),
            })
    }

    /// The error for a parameter whose value cannot be used.
    pub fn bad(&self, name: &str, value: &str) -> TriggerError {
        TriggerError::BadParameter {
            rule: self.rule.id.clone(),
            gate: self.gate.to_string(),
            trigger: self.trigger.to_string(),
            param: name.to_string(),
            value: value.to_string(),
        }
    }

    /// A parameter read by `parse`; `None` when absent, an error when it does not parse.
    pub fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, TriggerError> {
        match self.text(name) {
            None => Ok(None),
            Some(value) => parse(value).map(Some).ok_or_else(|| self.bad(name, value)),
        }
    }

    /// A boolean parameter.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, TriggerError> {
        self.parsed(name, params::parse_bool)
    }

    /// A regular expression parameter, anchored at the start as Python's `re.match` is.
    pub fn regex(&self, name: &str) -> Result<Option<regex::Regex>, TriggerError> {
        self.parsed(name, |value| anchored(value).ok())
    }
}

/// A regular expression that must match at the start of the text, like Python's `re.match`,
/// which Anchore's gates use.
pub(crate) fn anchored(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&format!("^(?:{pattern})"))
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Small builders for the gate tables.

    use plimsoll_model::{Package, PackageType};

    use crate::bundle::{Action, PolicyRule, RuleParam};

    /// A table case: rule parameters and the messages (or trigger IDs) expected.
    pub type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);

    pub fn rule(gate: &str, trigger: &str, params: &[(&str, &str)]) -> PolicyRule {
        PolicyRule {
            id: "rule-1".into(),
            gate: gate.into(),
            trigger: trigger.into(),
            action: Action::Stop,
            params: params
                .iter()
                .map(|(name, value)| RuleParam {
                    name: (*name).into(),
                    value: (*value).into(),
                })
                .collect(),
        }
    }

    pub fn package(name: &str, version: &str, package_type: PackageType) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            package_type,
            found_by: String::new(),
            locations: Vec::new(),
            licenses: Vec::new(),
            language: String::new(),
            cpes: Vec::new(),
            purl: String::new(),
            metadata: Default::default(),
        }
    }

    pub fn now() -> jiff::Timestamp {
        "2024-06-01T00:00:00Z".parse().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_trigger_ids_hash_gate_trigger_and_message() {
        // md5("dockerfile" + "instruction" + "…"), computed independently with md5sum.
        let id = md5_trigger_id(
            "dockerfile",
            "instruction",
            "Dockerfile directive 'HEALTHCHECK' not found, matching condition 'not_exists' check",
        );
        assert_eq!(id, "41cb7cdf04850e33a11f80c42bf660b3");
    }

    #[test]
    fn an_unknown_gate_is_an_error_not_a_panic() {
        let rule = test_support::rule("nosuch", "x", &[]);
        let error = evaluate_rule(&rule, &EvaluationInput::default(), test_support::now());
        assert!(matches!(error, Err(TriggerError::Unknown { .. })));
    }
}
