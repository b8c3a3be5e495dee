//! `/policies`, `/system/policy_spec` and `/images/{digest}/check`: policy bundles (one active
//! per account), the gate catalogue, and evaluating an image against a bundle.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use md5::{Digest, Md5};
use plimsoll_policy::{validate, PolicyBundle};
use serde_json::{json, Map, Value};

use super::ancestry::{mark_inherited_rows, requested_base};
use super::flag;
use super::images::analyzed_image_of;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::evaluation::evaluate_image;
use crate::notifications;
use crate::references::TagReference;
use crate::server::AppState;
use crate::store::PolicyRecord;

/// Anchore's default bundle, as every new account gets it (active).
pub async fn seed_default_policy(state_store: &crate::Store, account: &str) -> ApiResult<()> {
    let bundle = plimsoll_policy::default_bundle();
    let text = serde_json::to_string(&bundle).map_err(ApiError::internal)?;
    state_store
        .ensure_default_policy(
            account,
            plimsoll_policy::DEFAULT_BUNDLE_ID,
            bundle.name.as_deref().unwrap_or("Default bundle"),
            &text,
        )
        .await?;
    Ok(())
}

/// Reads and validates a bundle: 400 `Bundle failed validation` naming every problem.
fn read_bundle(value: &Value, account: &str) -> ApiResult<(PolicyBundle, String)> {
    let mut value = value.clone();
    // A bundle without an ID gets md5("<account>:<name>"), as Anchore assigns it.
    if let Value::Object(object) = &mut value {
        if object
            .get("id")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            let name = object
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let id = hex::encode(Md5::digest(format!("{account}:{name}").as_bytes()));
            object.insert("id".into(), json!(id));
        }
    }
    let failed = |details: Vec<Value>| {
        ApiError::bad_request("Bundle failed validation")
            .with_detail(json!({"validation_details": details}))
    };
    let bundle: PolicyBundle = serde_json::from_value(value).map_err(|error| {
        failed(vec![
            json!({"error_code": "malformed-bundle", "message": error.to_string()}),
        ])
    })?;
    let problems = validate(&bundle);
    if !problems.is_empty() {
        return Err(failed(problems.iter().map(|p| p.to_json()).collect()));
    }
    let text = serde_json::to_string(&bundle).map_err(ApiError::internal)?;
    Ok((bundle, text))
}

fn parse_json(body: &Bytes) -> ApiResult<Value> {
    serde_json::from_slice(body).map_err(|error| {
        ApiError::bad_request("request body is not valid")
            .with_detail(json!({"reason": error.to_string()}))
    })
}

async fn policy_or_404(state: &AppState, caller: &Caller, id: &str) -> ApiResult<PolicyRecord> {
    state
        .store
        .policy(&caller.account, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("policy {id} not found")))
}

/// `POST /policies`: adds a bundle (inactive); answers the record.
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let value = parse_json(&body)?;
    let (bundle, text) = read_bundle(&value, &caller.account)?;
    seed_default_policy(&state.store, &caller.account).await?;
    if !state
        .store
        .add_policy(
            &caller.account,
            &bundle.id,
            bundle.name.as_deref(),
            &text,
            false,
        )
        .await?
    {
        return Err(ApiError::conflict(format!(
            "policy {} already exists",
            bundle.id
        )));
    }
    let record = policy_or_404(&state, &caller, &bundle.id).await?;
    Ok(Json(record.to_json(true)))
}

/// `GET /policies`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let detail = flag(&query, "detail", false)?;
    seed_default_policy(&state.store, &caller.account).await?;
    let records = state.store.policies(&caller.account).await?;
    Ok(Json(Value::Array(
        records.iter().map(|r| r.to_json(detail)).collect(),
    )))
}

/// `GET /policies/{id}`: a list of one record.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let detail = flag(&query, "detail", true)?;
    seed_default_policy(&state.store, &caller.account).await?;
    let record = policy_or_404(&state, &caller, &id).await?;
    Ok(Json(json!([record.to_json(detail)])))
}

/// `PUT /policies/{id}`: replaces the bundle and/or (de)activates it.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let record = policy_or_404(&state, &caller, &id).await?;
    let value = parse_json(&body)?;
    let update: Map<String, Value> = value.as_object().cloned().unwrap_or_default();
    if let Some(bundle) = update
        .get("policybundle")
        .filter(|b| b.as_object().is_some_and(|o| !o.is_empty()))
    {
        let (bundle, text) = read_bundle(bundle, &caller.account)?;
        if bundle.id != id {
            return Err(ApiError::bad_request(format!(
                "the bundle's id `{}` is not the policy's `{id}`",
                bundle.id
            )));
        }
        state
            .store
            .update_policy_bundle(&caller.account, &id, bundle.name.as_deref(), &text)
            .await?;
    }
    let active = match query.get("active") {
        Some(_) => Some(flag(&query, "active", false)?),
        None => update.get("active").and_then(Value::as_bool),
    };
    match active {
        Some(true) => state.store.activate_policy(&caller.account, &id).await?,
        Some(false) if record.active => {
            return Err(ApiError::bad_request(
                "the active policy cannot be deactivated; activate another one instead",
            ))
        }
        _ => {}
    }
    let record = policy_or_404(&state, &caller, &id).await?;
    Ok(Json(json!([record.to_json(true)])))
}

/// `DELETE /policies/{id}`: never the active one.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let record = policy_or_404(&state, &caller, &id).await?;
    if record.active {
        return Err(ApiError::bad_request(
            "the active policy cannot be deleted; activate another one first",
        ));
    }
    state.store.delete_policy(&caller.account, &id).await?;
    Ok(StatusCode::OK)
}

/// `GET /system/policy_spec`.
pub async fn policy_spec(_caller: Caller) -> Json<Value> {
    Json(plimsoll_policy::policy_spec())
}

/// `GET /images/{digest}/check?tag=…`: evaluates the image for a tag against the active
/// bundle (or `policyId`) and answers Anchore's evaluation list.
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let detail = flag(&query, "detail", false)?;
    let history = flag(&query, "history", false)?;
    let tag = query
        .get("tag")
        .ok_or_else(|| ApiError::bad_request("query parameter `tag` is required"))?;
    let tag = TagReference::parse(tag)
        .ok_or_else(|| ApiError::bad_request(format!("`{tag}` is not an image tag")))?
        .full_tag();
    let image = analyzed_image_of(&state, &caller, &digest).await?;
    seed_default_policy(&state.store, &caller.account).await?;
    let policy = match query.get("policyId") {
        Some(id) => policy_or_404(&state, &caller, id).await?,
        None => state
            .store
            .active_policy(&caller.account)
            .await?
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "user has no active policy to evaluate: {}",
                    caller.account
                ))
            })?,
    };

    let mut record = evaluate_image(&state, &image, &tag, &policy).await?;
    let previous = state
        .store
        .evaluations(&caller.account, &digest, &tag)
        .await?
        .into_iter()
        .next();
    state
        .store
        .record_evaluation(&caller.account, &digest, &tag, &record)
        .await?;
    if let Some(previous) = previous.filter(|p| p.status != record.status) {
        notifications::policy_changed(&state.store, &image, &tag, &previous.status, &record.status)
            .await;
    }
    // Compared with a base image, evaluated under the same policy and tag (not recorded).
    if let Some(base) = requested_base(&state, &image, &query).await? {
        let base_record = evaluate_image(&state, &base, &tag, &policy).await?;
        mark_inherited_rows(&mut record.detail, &base_record.detail);
    }
    let records = if history {
        state
            .store
            .evaluations(&caller.account, &digest, &tag)
            .await?
    } else {
        vec![record]
    };
    let evaluations: Vec<Value> = records
        .iter()
        .map(|record| {
            let bundle_id = record.detail["policy"]["id"].clone();
            json!({
                "policyId": bundle_id,
                "status": record.status,
                "last_evaluation": record.created_at,
                "detail": if detail { record.detail.clone() } else { json!({}) },
            })
        })
        .collect();
    Ok(Json(json!([{ digest: { tag: evaluations } }])))
}
