//! Evaluating a bundle against an image: select the mapping, run its policies' rules, apply
//! its whitelists, then whitelisted and blacklisted images, and decide.

use std::fmt;

use jiff::Timestamp;

use crate::bundle::{Action, ImageSelectionRule, MappingRule, PolicyBundle, Whitelist};
use crate::gates::{evaluate_rule, Fired};
use crate::input::EvaluationInput;
use crate::mapping::{select_image, select_mapping};
use crate::whitelist::{find_match, WhitelistMatch};

/// Why the final action is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalActionReason {
    /// The policies decided.
    PolicyEvaluation,
    /// The image matched `whitelisted_images` (and not `blacklisted_images`).
    Whitelisted,
    /// The image matched `blacklisted_images`.
    Blacklisted,
}

impl FinalActionReason {
    /// The name in results: `policy_evaluation`, `whitelisted`, `blacklisted`.
    pub fn as_str(self) -> &'static str {
        match self {
            FinalActionReason::PolicyEvaluation => "policy_evaluation",
            FinalActionReason::Whitelisted => "whitelisted",
            FinalActionReason::Blacklisted => "blacklisted",
        }
    }
}

impl fmt::Display for FinalActionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fired trigger with the rule's action and any whitelist match: one row of the result
/// table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub fired: Fired,
    pub action: Action,
    pub whitelisted: Option<WhitelistMatch>,
    /// The policy whose rule fired.
    pub policy_id: String,
    /// The rule that fired.
    pub rule_id: String,
}

/// The outcome of evaluating a bundle against one image and tag.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyEvaluation {
    pub bundle_id: String,
    pub image_digest: String,
    pub image_id: String,
    pub tag: String,
    /// The mapping that selected the image; `None` means no policy ran.
    pub matched_mapping: Option<MappingRule>,
    pub matched_whitelisted_image: Option<ImageSelectionRule>,
    pub matched_blacklisted_image: Option<ImageSelectionRule>,
    /// Every firing, in rule order, whitelisted ones included.
    pub rows: Vec<ResultRow>,
    /// The policies' decision: the strictest action among non-whitelisted rows, `go` if none.
    pub policy_final_action: Action,
    /// The decision after whitelisted and blacklisted images.
    pub final_action: Action,
    pub final_action_reason: FinalActionReason,
    /// What prevented parts of the evaluation (a missing policy, a rule that could not run).
    pub problems: Vec<String>,
}

impl PolicyEvaluation {
    /// `pass` when the final action is `go` or `warn`, `fail` when it is `stop`.
    pub fn status(&self) -> &'static str {
        if self.final_action == Action::Stop {
            "fail"
        } else {
            "pass"
        }
    }
}

/// Evaluates `bundle` against the image as of `now` (which decides whitelist expiry, feed
/// staleness and finding ages).
pub fn evaluate(
    bundle: &PolicyBundle,
    input: &EvaluationInput,
    now: Timestamp,
) -> PolicyEvaluation {
    let mapping = select_mapping(bundle, input);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut failed = false;

    if let Some(mapping) = mapping {
        let whitelists: Vec<&Whitelist> = mapping
            .whitelist_ids
            .iter()
            .filter_map(|id| {
                let found = bundle.whitelist(id);
                if found.is_none() {
                    problems.push(format!(
                        "whitelist `{id}` named by the mapping is not in the bundle"
                    ));
                }
                found
            })
            .collect();

        for policy_id in mapping.effective_policy_ids() {
            let Some(policy) = bundle.policy(policy_id) else {
                // As in Anchore, a mapping that names a missing policy fails the evaluation.
                problems.push(format!(
                    "policy `{policy_id}` named by the mapping is not in the bundle"
                ));
                failed = true;
                continue;
            };
            for rule in &policy.rules {
                let fired = match evaluate_rule(rule, input, now) {
                    Ok(fired) => fired,
                    Err(error) => {
                        problems.push(error.to_string());
                        continue;
                    }
                };
                for fired in fired {
                    let whitelisted = find_match(&whitelists, fired.gate, &fired.trigger_id, now);
                    rows.push(ResultRow {
                        fired,
                        action: rule.action,
                        whitelisted,
                        policy_id: policy.id.clone(),
                        rule_id: rule.id.clone(),
                    });
                }
            }
        }
    }

    let policy_final_action = if failed {
        Action::Stop
    } else {
        rows.iter()
            .filter(|row| row.whitelisted.is_none())
            .map(|row| row.action)
            .min()
            .unwrap_or(Action::Go)
    };

    let whitelisted_image = select_image(&bundle.whitelisted_images, input).cloned();
    let blacklisted_image = select_image(&bundle.blacklisted_images, input).cloned();
    let (final_action, final_action_reason) = if blacklisted_image.is_some() {
        (Action::Stop, FinalActionReason::Blacklisted)
    } else if whitelisted_image.is_some() {
        (Action::Go, FinalActionReason::Whitelisted)
    } else {
        (policy_final_action, FinalActionReason::PolicyEvaluation)
    };

    PolicyEvaluation {
        bundle_id: bundle.id.clone(),
        image_digest: input.image_digest.clone(),
        image_id: input.image_id.clone(),
        tag: input.tag.clone(),
        matched_mapping: mapping.cloned(),
        matched_whitelisted_image: whitelisted_image,
        matched_blacklisted_image: blacklisted_image,
        rows,
        policy_final_action,
        final_action,
        final_action_reason,
        problems,
    }
}
