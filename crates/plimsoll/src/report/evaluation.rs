//! A policy evaluation as anchore-cli's `evaluate check` prints it, and as the JSON of
//! Anchore's check response.

use jiff::Timestamp;
use plimsoll_policy::{result_document, PolicyBundle, PolicyEvaluation};
use serde_json::{json, Value};

/// The `user_id` of result documents made locally, where no account is involved.
const LOCAL_USER: &str = "local";

/// The summary lines (`Image Digest`, `Full Tag`, `Status`, …) and, with `detail`, the
/// Gate / Trigger / Detail / Status table.
pub fn render_text(evaluation: &PolicyEvaluation, evaluated_at: Timestamp, detail: bool) -> String {
    let mut fields = vec![
        ("Image Digest", evaluation.image_digest.clone()),
        ("Full Tag", evaluation.tag.clone()),
    ];
    if detail {
        fields.push(("Image ID", evaluation.image_id.clone()));
    }
    fields.extend([
        ("Status", evaluation.status().to_string()),
        ("Last Eval", last_eval(evaluated_at)),
        ("Policy ID", evaluation.bundle_id.clone()),
        ("Final Action", evaluation.final_action.as_str().to_string()),
        (
            "Final Action Reason",
            evaluation.final_action_reason.as_str().to_string(),
        ),
    ]);
    let mut out: String = fields
        .iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect();

    if detail {
        let rows: Vec<[String; 4]> = evaluation
            .rows
            .iter()
            .map(|row| {
                // anchore-cli shows the whitelist in place of the action for whitelisted rows.
                let status = match &row.whitelisted {
                    Some(found) => format!("whitelisted({})", found.whitelist_name),
                    None => row.action.as_str().to_string(),
                };
                [
                    row.fired.gate.to_string(),
                    row.fired.trigger.to_string(),
                    row.fired.message.clone(),
                    status,
                ]
            })
            .collect();
        out.push('\n');
        out.push_str(&columns(["Gate", "Trigger", "Detail", "Status"], &rows));
    }
    out
}

/// Anchore's check response for one image and tag: the result document under `detail`.
pub fn render_json(
    evaluation: &PolicyEvaluation,
    bundle: &PolicyBundle,
    evaluated_at: Timestamp,
) -> String {
    let document = result_document(evaluation, bundle, LOCAL_USER, evaluated_at);
    let record = json!({
        "detail": {"result": document, "policy": bundle},
        "last_evaluation": last_eval(evaluated_at),
        "policyId": evaluation.bundle_id,
        "status": evaluation.status(),
    });
    let mut by_tag = serde_json::Map::new();
    by_tag.insert(evaluation.tag.clone(), json!([record]));
    let mut by_digest = serde_json::Map::new();
    by_digest.insert(evaluation.image_digest.clone(), Value::Object(by_tag));
    let response = json!([by_digest]);
    format!(
        "{}\n",
        serde_json::to_string_pretty(&response).unwrap_or_default()
    )
}

/// The evaluation time as Anchore writes it: UTC, whole seconds.
fn last_eval(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Columns padded to their widest cell, left-aligned, as anchore-cli's plain tables.
fn columns(header: [&str; 4], rows: &[[String; 4]]) -> String {
    let mut widths = header.map(|cell| cell.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 4]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(header);
    for row in rows {
        out.push_str(&line(row.each_ref().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    use plimsoll_policy::{default_bundle, evaluate, EvaluationInput};

    use super::*;

    fn now() -> Timestamp {
        "2024-06-01T10:20:30Z".parse().unwrap()
    }

    #[test]
    fn the_summary_and_table_read_as_anchore_cli_prints_them() {
        let input = EvaluationInput {
            image_digest: "sha256:d1".into(),
            image_id: "a1".into(),
            tag: "docker.io/library/app:1".into(),
            dockerfile: Some(plimsoll_policy::Dockerfile::parse(
                plimsoll_policy::DockerfileMode::Guessed,
                "FROM scratch\n",
            )),
            ..Default::default()
        };
        let evaluation = evaluate(&default_bundle(), &input, now());
        let text = render_text(&evaluation, now(), true);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..8],
            [
                "Image Digest: sha256:d1",
                "Full Tag: docker.io/library/app:1",
                "Image ID: a1",
                "Status: pass",
                "Last Eval: 2024-06-01T10:20:30Z",
                "Policy ID: 2c53a13c-1765-11e8-82ef-23527761d060",
                "Final Action: warn",
                "Final Action Reason: policy_evaluation",
            ]
        );
        assert!(lines[9].starts_with("Gate "), "{text}");
        assert!(lines[9].ends_with("Status"), "{text}");
        assert!(text.contains("HEALTHCHECK"), "{text}");

        let short = render_text(&evaluation, now(), false);
        assert!(!short.contains("Image ID"));
        assert!(!short.contains("Gate"));
    }

    #[test]
    fn json_nests_the_result_under_digest_and_tag() {
        let input = EvaluationInput {
            image_digest: "sha256:d1".into(),
            tag: "docker.io/library/app:1".into(),
            ..Default::default()
        };
        let bundle = default_bundle();
        let evaluation = evaluate(&bundle, &input, now());
        let value: Value = serde_json::from_str(&render_json(&evaluation, &bundle, now())).unwrap();
        let record = &value[0]["sha256:d1"]["docker.io/library/app:1"][0];
        assert_eq!(record["status"], "pass");
        assert_eq!(record["detail"]["result"]["final_action"], "warn");
    }
}
