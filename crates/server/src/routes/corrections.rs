//! `/corrections` (also under `/enterprise`) and `/vex`: an account's corrections, applied
//! to packages before matching, and its VEX documents, applied to findings when they are
//! read. Changing corrections re-matches the account's analyzed images.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use plimsoll_vulndb::vex::{parse_vex, verdict, VexStatement};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::body::JsonBody;
use super::images::analyzed_image_of;
use crate::auth::Caller;
use crate::corrections::{validate, Correction};
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::JobKind;
use crate::time::now_rfc3339;

/// The largest VEX document taken.
const VEX_LIMIT: usize = 16 << 20;

/// The account's corrections, read back from their stored JSON.
pub async fn account_corrections(
    state: &AppState,
    account: &str,
) -> Result<Vec<Correction>, crate::ServerError> {
    Ok(state
        .store
        .corrections(account)
        .await?
        .iter()
        .filter_map(|body| serde_json::from_str(body).ok())
        .collect())
}

/// Queues re-matching of every analyzed image of the account.
async fn rematch_account(state: &AppState, account: &str) -> ApiResult<()> {
    for (owner, digest) in state.store.analyzed_images().await? {
        if owner == account {
            state
                .store
                .enqueue(JobKind::Rematch, &owner, &digest)
                .await?;
        }
    }
    state.wake.notify_waiters();
    Ok(())
}

/// `GET /corrections`.
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let corrections = account_corrections(&state, &caller.account).await?;
    Ok(Json(json!(corrections)))
}

/// `POST /corrections`: validated, stored, and applied by re-matching.
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<Value>> {
    let mut correction = validate(&body).map_err(ApiError::bad_request)?;
    correction.uuid = uuid::Uuid::new_v4().simple().to_string();
    correction.created_at = now_rfc3339();
    let stored = serde_json::to_string(&correction).map_err(ApiError::internal)?;
    state
        .store
        .add_correction(&caller.account, &correction.uuid, &stored)
        .await?;
    rematch_account(&state, &caller.account).await?;
    Ok(Json(json!(correction)))
}

/// `GET /corrections/{uuid}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> ApiResult<Json<Value>> {
    account_corrections(&state, &caller.account)
        .await?
        .into_iter()
        .find(|c| c.uuid == uuid)
        .map(|c| Json(json!(c)))
        .ok_or_else(|| ApiError::not_found(format!("correction {uuid} not found")))
}

/// `DELETE /corrections/{uuid}`.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    if !state
        .store
        .delete_correction(&caller.account, &uuid)
        .await?
    {
        return Err(ApiError::not_found(format!("correction {uuid} not found")));
    }
    rematch_account(&state, &caller.account).await?;
    Ok(StatusCode::OK)
}

/// The account's VEX statements, every document's in the order they were added.
pub async fn account_statements(
    state: &AppState,
    account: &str,
) -> Result<Vec<VexStatement>, crate::ServerError> {
    let mut statements = Vec::new();
    for record in state.store.vex_documents(account).await? {
        if let Ok(parsed) = parse_vex(record.body.as_bytes()) {
            statements.extend(parsed);
        }
    }
    Ok(statements)
}

/// `POST /vex`: an OpenVEX or CycloneDX VEX document, validated; a document with the same
/// ID replaces the earlier one.
pub async fn add_vex(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if body.len() > VEX_LIMIT {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("VEX documents are limited to {VEX_LIMIT} bytes"),
        ));
    }
    let statements = parse_vex(&body).map_err(|error| {
        ApiError::bad_request("VEX document failed validation")
            .with_detail(json!({"reason": error.to_string()}))
    })?;
    let document_id = statements.first().and_then(|s| s.document.clone());
    let key = document_id
        .clone()
        .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
    let id = hex::encode(&Sha256::digest(key.as_bytes())[..8]);
    let text = String::from_utf8_lossy(&body).into_owned();
    state
        .store
        .put_vex(&caller.account, &id, &text, statements.len() as i64)
        .await?;
    Ok(Json(json!({
        "vex_id": id,
        "document_id": document_id,
        "statements": statements.len(),
    })))
}

/// `GET /vex`.
pub async fn list_vex(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let records = state.store.vex_documents(&caller.account).await?;
    let listed: Vec<Value> = records
        .iter()
        .map(|record| {
            json!({"vex_id": record.id, "statements": record.statements,
                   "created_at": record.created_at})
        })
        .collect();
    Ok(Json(Value::Array(listed)))
}

/// `GET /vex/{id}`: the document as it was added.
pub async fn get_vex(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let record = state
        .store
        .vex_documents(&caller.account)
        .await?
        .into_iter()
        .find(|record| record.id == id)
        .ok_or_else(|| ApiError::not_found(format!("VEX document {id} not found")))?;
    let document: Value = serde_json::from_str(&record.body).map_err(ApiError::internal)?;
    Ok(Json(document))
}

/// `DELETE /vex/{id}`.
pub async fn delete_vex(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if state.store.delete_vex(&caller.account, &id).await? {
        Ok(StatusCode::OK)
    } else {
        Err(ApiError::not_found(format!("VEX document {id} not found")))
    }
}

/// The statement deciding a vulnerability row, if any.
fn row_verdict<'a>(
    statements: &'a [VexStatement],
    row: &Value,
    image_digest: &str,
) -> Option<&'a VexStatement> {
    let mut ids: Vec<&str> = vec![row["vuln"].as_str().unwrap_or_default()];
    ids.extend(
        row["related"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str),
    );
    let purl = row["package_purl"].as_str().unwrap_or_default();
    verdict(statements, &ids, purl, Some(image_digest))
}

fn annotation(statement: &VexStatement) -> Value {
    json!({
        "status": statement.status.as_str(),
        "justification": statement.justification,
        "detail": statement.detail,
        "document": statement.document,
    })
}

/// Applies VEX to vulnerability rows: rows a `not_affected` or `fixed` statement names are
/// dropped (kept, marked, with `include_suppressed`); others a statement names are marked.
pub fn apply_vex(
    rows: &mut Vec<Value>,
    statements: &[VexStatement],
    image_digest: &str,
    include_suppressed: bool,
) {
    if statements.is_empty() {
        return;
    }
    rows.retain_mut(|row| {
        let Some(statement) = row_verdict(statements, row, image_digest) else {
            return true;
        };
        if let Some(object) = row.as_object_mut() {
            object.insert("vex".into(), annotation(statement));
        }
        include_suppressed || !statement.status.suppresses()
    });
}

/// `GET /images/{digest}/vex`: the image's findings as an OpenVEX document: `affected`
/// unless the account's VEX says otherwise.
pub async fn export_image_vex(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
    Query(_query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let image = analyzed_image_of(&state, &caller, &digest).await?;
    let report: Value = state
        .store
        .document(
            &image.account,
            &image.digest,
            crate::store::document_kind::VULNERABILITIES,
        )
        .await?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_else(|| json!({}));
    let statements = account_statements(&state, &caller.account).await?;
    let exported: Vec<Value> = ["os", "non-os"]
        .iter()
        .flat_map(|kind| report[*kind].as_array().cloned().unwrap_or_default())
        .map(|row| {
            let decided = row_verdict(&statements, &row, &image.digest);
            let mut statement = json!({
                "vulnerability": {"name": row["vuln"]},
                "products": [{"@id": image.digest,
                              "subcomponents": [{"@id": row["package_purl"]}]}],
                "status": decided.map_or("affected", |s| s.status.as_str()),
            });
            match decided {
                Some(found) => {
                    if let Some(justification) = &found.justification {
                        statement["justification"] = json!(justification);
                    }
                    if let Some(detail) = &found.detail {
                        statement["impact_statement"] = json!(detail);
                    }
                }
                None => {
                    let fix = row["fix"].as_str().unwrap_or("None");
                    statement["action_statement"] = json!(if fix == "None" {
                        "No fix is available yet".to_string()
                    } else {
                        format!("Upgrade to {fix}")
                    });
                }
            }
            statement
        })
        .collect();
    Ok(Json(json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("urn:plimsoll:vex:{}:{}", image.account, image.digest),
        "author": "Plimsoll",
        "timestamp": now_rfc3339(),
        "version": 1,
        "statements": exported,
    })))
}
