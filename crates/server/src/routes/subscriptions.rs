//! `/subscriptions` (Anchore's shapes, §3.6), `/webhooks` where an account's notifications
//! go, and `/notifications` with their delivery state.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::body::JsonBody;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::references::TagReference;
use crate::server::AppState;
use crate::store::{SubscriptionRecord, TAG_SUBSCRIPTIONS};

/// Every subscription type: the tag-level ones and `repo_update`.
const SUBSCRIPTION_TYPES: &[&str] = &[
    "tag_update",
    "vuln_update",
    "policy_eval",
    "analysis_update",
    "repo_update",
];

pub(super) fn present(record: &SubscriptionRecord, user: &str) -> Value {
    json!({
        "subscription_id": record.id,
        "subscription_type": record.subscription_type,
        "subscription_key": record.subscription_key,
        "subscription_value": record.subscription_value,
        "userId": user,
        "active": record.active,
        "created_at": record.created_at,
        "last_updated": record.last_updated,
    })
}

/// A key in full: a tag-level one as its full tag (`alpine:3.12` is
/// `docker.io/alpine:3.12`), a `repo_update` one as `REGISTRY/REPO` (`alpine` is
/// `docker.io/alpine`), as `repo add` records it.
pub(super) fn normalised_key(kind: &str, key: &str) -> ApiResult<String> {
    if kind == "repo_update" {
        return TagReference::parse(&format!("{key}:latest"))
            .filter(|_| !key.contains(['@']))
            .map(|named| format!("{}/{}", named.registry, named.repo))
            .ok_or_else(|| ApiError::bad_request(format!("`{key}` is not a repository")));
    }
    if !TAG_SUBSCRIPTIONS.contains(&kind) {
        return Ok(key.to_string());
    }
    TagReference::parse(key)
        .map(|tag| tag.full_tag())
        .ok_or_else(|| ApiError::bad_request(format!("`{key}` is not an image tag")))
}

/// `GET /subscriptions?subscription_key&subscription_type`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let kind = query.get("subscription_type").map(String::as_str);
    let key = match query.get("subscription_key") {
        Some(key) => Some(normalised_key(kind.unwrap_or("tag_update"), key)?),
        None => None,
    };
    let records = state
        .store
        .subscriptions(&caller.account, key.as_deref(), kind)
        .await?;
    let listed: Vec<Value> = records
        .iter()
        .map(|r| present(r, &caller.account))
        .collect();
    Ok(Json(Value::Array(listed)))
}

#[derive(Debug, Deserialize)]
pub struct SubscriptionRequest {
    subscription_type: String,
    subscription_key: String,
    #[serde(default)]
    subscription_value: Option<String>,
    #[serde(default)]
    active: Option<bool>,
}

/// `POST /subscriptions`: adds (or returns the existing) subscription, active by default.
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<SubscriptionRequest>,
) -> ApiResult<Json<Value>> {
    if !SUBSCRIPTION_TYPES.contains(&request.subscription_type.as_str()) {
        return Err(ApiError::bad_request(format!(
            "subscription type `{}` is not one of {}",
            request.subscription_type,
            SUBSCRIPTION_TYPES.join(", ")
        )));
    }
    let key = normalised_key(&request.subscription_type, &request.subscription_key)?;
    let record = state
        .store
        .ensure_subscription(
            &caller.account,
            &request.subscription_type,
            &key,
            request.subscription_value.as_deref(),
            request.active.unwrap_or(true),
        )
        .await?;
    Ok(Json(json!([present(&record, &caller.account)])))
}

async fn subscription_or_404(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<SubscriptionRecord> {
    state
        .store
        .subscription(&caller.account, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("subscription {id} not found")))
}

/// `GET /subscriptions/{id}`: a list of one, as Anchore answers.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let record = subscription_or_404(&state, &caller, &id).await?;
    Ok(Json(json!([present(&record, &caller.account)])))
}

#[derive(Debug, Deserialize)]
pub struct SubscriptionUpdate {
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    subscription_value: Option<String>,
}

/// `PUT /subscriptions/{id}`: activates, deactivates or changes the value.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(update): JsonBody<SubscriptionUpdate>,
) -> ApiResult<Json<Value>> {
    let record = subscription_or_404(&state, &caller, &id).await?;
    state
        .store
        .update_subscription(
            &caller.account,
            &id,
            Some(update.active.unwrap_or(record.active)),
            update.subscription_value.as_deref(),
        )
        .await?;
    let record = subscription_or_404(&state, &caller, &id).await?;
    Ok(Json(json!([present(&record, &caller.account)])))
}

/// `DELETE /subscriptions/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if state
        .store
        .delete_subscription(&caller.account, &id)
        .await?
    {
        Ok(StatusCode::OK)
    } else {
        Err(ApiError::not_found(format!("subscription {id} not found")))
    }
}

#[derive(Debug, Deserialize)]
pub struct WebhookRequest {
    url: String,
    secret: String,
}

fn present_webhook(record: &crate::store::WebhookRecord) -> Value {
    // The secret is never shown again.
    json!({"webhook_id": record.id, "url": record.url, "created_at": record.created_at})
}

/// `POST /webhooks`: where the account's notifications go, and the secret that signs them.
pub async fn add_webhook(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<WebhookRequest>,
) -> ApiResult<Json<Value>> {
    let url = reqwest::Url::parse(&request.url)
        .map_err(|error| ApiError::bad_request(format!("`url` is not a URL: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::bad_request("`url` must be http or https"));
    }
    if request.secret.len() < 16 {
        return Err(ApiError::bad_request(
            "`secret` must be at least 16 characters",
        ));
    }
    let record = state
        .store
        .add_webhook(&caller.account, url.as_str(), &request.secret)
        .await?;
    Ok(Json(present_webhook(&record)))
}

/// `GET /webhooks`.
pub async fn list_webhooks(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Value>> {
    let records = state.store.webhooks(&caller.account).await?;
    Ok(Json(Value::Array(
        records.iter().map(present_webhook).collect(),
    )))
}

/// `DELETE /webhooks/{id}`.
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if state.store.delete_webhook(&caller.account, &id).await? {
        Ok(StatusCode::OK)
    } else {
        Err(ApiError::not_found(format!("webhook {id} not found")))
    }
}

/// `GET /notifications`: every notification with its delivery state, newest first.
pub async fn notifications(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Value>> {
    let records = state.store.notifications(&caller.account).await?;
    let listed: Vec<Value> = records
        .iter()
        .map(|record| {
            json!({
                "notification_id": record.id,
                "webhook_id": record.webhook,
                "event_type": record.event_type,
                "state": record.state,
                "attempts": record.attempts,
                "last_error": record.last_error,
                "created_at": record.created_at,
                "delivered_at": record.delivered_at,
                "body": serde_json::from_str::<Value>(&record.body).unwrap_or(Value::Null),
            })
        })
        .collect();
    Ok(Json(Value::Array(listed)))
}
