//! Base images: `GET /images/{digest}/ancestors`, and the `base_digest` comparison that
//! marks each vulnerability and policy finding `inherited_from_base`.

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::images::image_of;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::ImageRecord;

/// `GET /images/{digest}/ancestors` (also `/enterprise/images/{digest}/ancestors`): the
/// analyzed images this one is built on, nearest first.
pub async fn ancestors(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
) -> ApiResult<Json<Value>> {
    let image = image_of(&state, &caller, &digest).await?;
    let mut listed = Vec::new();
    for ancestor in state.store.ancestors(&image.account, &image.digest).await? {
        let Some(record) = state.store.image(&image.account, &ancestor.digest).await? else {
            continue;
        };
        let tags: Vec<String> = record
            .tags
            .iter()
            .map(|tag| tag.reference().full_tag())
            .collect();
        listed.push(json!({
            "imageDigest": record.digest,
            "imageId": record.image_id,
            "layer_count": ancestor.layer_count,
            "tags": tags,
        }));
    }
    Ok(Json(Value::Array(listed)))
}

/// The base image a `base_digest` query names: `auto` is the nearest analyzed ancestor
/// (`None` when there is none), a digest must be one of the caller's analyzed images.
pub async fn requested_base(
    state: &AppState,
    image: &ImageRecord,
    query: &HashMap<String, String>,
) -> ApiResult<Option<ImageRecord>> {
    let Some(wanted) = query.get("base_digest").map(|v| v.trim()) else {
        return Ok(None);
    };
    let digest = if wanted.eq_ignore_ascii_case("auto") {
        match state
            .store
            .ancestors(&image.account, &image.digest)
            .await?
            .first()
        {
            Some(nearest) => nearest.digest.clone(),
            None => return Ok(None),
        }
    } else {
        wanted.to_string()
    };
    let base = state
        .store
        .image(&image.account, &digest)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("base image {digest} not found")))?;
    if base.analysis_status != "analyzed" {
        return Err(ApiError::bad_request(format!(
            "base image {digest} is not analyzed - analysis_status: {}",
            base.analysis_status
        )));
    }
    Ok(Some(base))
}

/// What makes two vulnerability rows the same finding.
fn finding_key(row: &Value) -> (String, String, String, String) {
    let text = |key: &str| {
        row.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (
        text("vuln"),
        text("package_name"),
        text("package_version"),
        text("package_path"),
    )
}

/// Sets `inherited_from_base` on each row: whether the base has the same finding.
pub fn mark_inherited(rows: &mut [Value], base_rows: &[Value]) {
    let inherited: HashSet<_> = base_rows.iter().map(finding_key).collect();
    for row in rows {
        let flag = inherited.contains(&finding_key(row));
        if let Some(object) = row.as_object_mut() {
            object.insert("inherited_from_base".into(), Value::Bool(flag));
        }
    }
}

/// Adds an `Inherited From Base` column to a policy result: whether the base's
/// evaluation under the same policy and tag has a row with the same trigger ID.
pub fn mark_inherited_rows(detail: &mut Value, base_detail: &Value) {
    let trigger_ids = |detail: &Value| -> HashSet<String> {
        results(detail)
            .flat_map(|result| result["rows"].as_array().cloned().unwrap_or_default())
            .filter_map(|row| row.get(2).and_then(Value::as_str).map(str::to_string))
            .collect()
    };
    let inherited = trigger_ids(base_detail);
    let Some(by_image) = detail
        .pointer_mut("/result/result")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    // Beside each image's entry, the result object holds plain fields (`final_action`).
    for entry in by_image.values_mut() {
        let Some(result) = entry.get_mut("result").filter(|r| r.is_object()) else {
            continue;
        };
        if let Some(header) = result.get_mut("header").and_then(Value::as_array_mut) {
            header.push(json!("Inherited From Base"));
        }
        if let Some(rows) = result.get_mut("rows").and_then(Value::as_array_mut) {
            for row in rows {
                let flag = row
                    .get(2)
                    .and_then(Value::as_str)
                    .is_some_and(|id| inherited.contains(id));
                if let Some(cells) = row.as_array_mut() {
                    cells.push(Value::Bool(flag));
                }
            }
        }
    }
}

/// Each image's result object inside a stored evaluation.
fn results(detail: &Value) -> impl Iterator<Item = &Value> {
    detail
        .pointer("/result/result")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|by_image| by_image.values())
        .filter_map(|entry| entry.get("result"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_inherited_when_the_base_has_the_same_finding() {
        let row = |vuln: &str, version: &str| {
            json!({"vuln": vuln, "package_name": "zlib", "package_version": version,
                   "package_path": "pkgdb", "inherited_from_base": null})
        };
        let mut rows = vec![row("CVE-1", "1.2"), row("CVE-2", "1.3")];
        mark_inherited(&mut rows, &[row("CVE-1", "1.2"), row("CVE-2", "1.2")]);
        assert_eq!(rows[0]["inherited_from_base"], true);
        assert_eq!(rows[1]["inherited_from_base"], false);
    }

    #[test]
    fn policy_rows_gain_a_column() {
        let detail = |ids: &[&str]| {
            let rows: Vec<Value> = ids
                .iter()
                .map(|id| json!(["img", "tag", id, "vulnerabilities", "package", "m", "stop"]))
                .collect();
            json!({"result": {"result": {"img": {"result": {
                "header": ["Image_Id", "Repo_Tag", "Trigger_Id", "Gate", "Trigger",
                           "Check_Output", "Gate_Action"],
                "rows": rows}}, "final_action": "stop"}}})
        };
        let mut own = detail(&["a", "b"]);
        mark_inherited_rows(&mut own, &detail(&["a"]));
        let result = &own["result"]["result"]["img"]["result"];
        assert_eq!(
            result["header"][7], "Inherited From Base",
            "the last column"
        );
        assert_eq!(result["rows"][0][7], true);
        assert_eq!(result["rows"][1][7], false);
    }
}
