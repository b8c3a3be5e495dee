//! Evaluation results as Anchore's documents: the result table anchore-cli prints, and the
//! whole `detail.result` object of `GET /images/{digest}/check`.

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::bundle::PolicyBundle;
use crate::evaluate::{PolicyEvaluation, ResultRow};

/// The columns of every result row, in order.
pub const HEADER: [&str; 9] = [
    "Image_Id",
    "Repo_Tag",
    "Trigger_Id",
    "Gate",
    "Trigger",
    "Check_Output",
    "Gate_Action",
    "Whitelisted",
    "Policy_Id",
];

/// One row: image ID, tag, trigger ID, gate, trigger, message, action, whitelist match (or
/// `false`), policy ID.
pub fn row_json(evaluation: &PolicyEvaluation, row: &ResultRow) -> Value {
    json!([
        evaluation.image_id,
        evaluation.tag,
        row.fired.trigger_id,
        row.fired.gate,
        row.fired.trigger,
        row.fired.message,
        row.action.as_str(),
        row.whitelisted
            .as_ref()
            .map_or(Value::Bool(false), |found| found.to_json()),
        row.policy_id,
    ])
}

/// The result table keyed by image ID, with the empty side fields Anchore adds.
pub fn table_json(evaluation: &PolicyEvaluation) -> Value {
    let rows: Vec<Value> = evaluation
        .rows
        .iter()
        .map(|row| row_json(evaluation, row))
        .collect();
    let mut table = serde_json::Map::new();
    table.insert(
        evaluation.image_id.clone(),
        json!({"result": {
            "header": HEADER,
            "row_count": rows.len(),
            "rows": rows,
            "final_action": evaluation.policy_final_action.as_str(),
        }}),
    );
    table.insert("policy_data".into(), json!([]));
    table.insert("whitelist_data".into(), json!([]));
    // Anchore writes an empty string here rather than null, for parsers' sake.
    table.insert("policy_name".into(), json!(""));
    table.insert("whitelist_names".into(), json!([]));
    Value::Object(table)
}

/// The `detail.result` object for an evaluation of `bundle` made for `user_id` at
/// `evaluated_at`.
pub fn result_document(
    evaluation: &PolicyEvaluation,
    bundle: &PolicyBundle,
    user_id: &str,
    evaluated_at: Timestamp,
) -> Value {
    let epoch = evaluated_at.as_second();
    let problems: Vec<Value> = evaluation
        .problems
        .iter()
        .map(|problem| json!({"problem_type": "EvaluationError", "details": problem}))
        .collect();
    let selection = |rule: &Option<crate::bundle::ImageSelectionRule>| match rule {
        Some(rule) => serde_json::to_value(rule).unwrap_or(Value::Bool(true)),
        None => Value::Bool(false),
    };
    json!({
        "user_id": user_id,
        "image_id": evaluation.image_id,
        "tag": evaluation.tag,
        "bundle": bundle,
        "matched_mapping_rule": evaluation
            .matched_mapping
            .as_ref()
            .and_then(|mapping| serde_json::to_value(mapping).ok())
            .unwrap_or(Value::Bool(false)),
        "matched_whitelisted_images_rule": selection(&evaluation.matched_whitelisted_image),
        "matched_blacklisted_images_rule": selection(&evaluation.matched_blacklisted_image),
        "result": table_json(evaluation),
        "created_at": epoch,
        "last_modified": epoch,
        "final_action": evaluation.final_action.as_str(),
        "final_action_reason": evaluation.final_action_reason.as_str(),
        "evaluation_problems": problems,
        "image_digest": evaluation.image_digest,
        "status": evaluation.status(),
    })
}
