//! `/`, `/health`, `/ready`, `/metrics`, `/version`, `/system` and `/system/feeds`: liveness, the services
//! anchore-cli waits for, and the vulnerability feeds.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::time::now_rfc3339;
use crate::{feeds, metrics};

/// The services Anchore's engine ran as separate processes; `anchore-cli system wait`
/// requires all of them to be up. Here they are roles of one binary, up when it is.
const SERVICES: &[&str] = &[
    "apiext",
    "catalog",
    "policy_engine",
    "simplequeue",
    "analyzer",
];

/// `GET /` and `GET /v1`: the unauthenticated ping.
pub async fn ping() -> Json<&'static str> {
    Json("v1")
}

/// `GET /health`.
pub async fn health() -> StatusCode {
    StatusCode::OK
}

/// `GET /metrics`: Prometheus metrics, without authentication (as `/health`).
pub async fn metrics(State(state): State<AppState>) -> Response {
    match state.metrics.render(&state.store).await {
        Ok(text) => ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response(),
        Err(error) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response()
        }
    }
}

/// `GET /ready`: 200 when the database answers and carries this build's schema, else 503.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let reachable = state.store.ping().await;
    let schema = if reachable {
        state.store.applied_schema_version().await.ok()
    } else {
        None
    };
    let expected = crate::store::schema_version();
    let ready = schema == Some(expected);
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "ready": ready,
            "database": reachable,
            "schema_version": schema,
            "expected_schema_version": expected,
        })),
    )
}

/// `GET /version`.
pub async fn version() -> Json<Value> {
    Json(json!({
        "service": {"version": env!("CARGO_PKG_VERSION")},
        "api": {"version": crate::API_VERSION},
        "db": {"schema_version": crate::store::schema_version().to_string()},
    }))
}

fn service_states(state: &AppState, up: bool) -> Vec<Value> {
    let base_url = format!("http://{}", state.config.listen);
    SERVICES
        .iter()
        .map(|name| {
            json!({
                "servicename": name,
                "hostid": state.host_id,
                "base_url": base_url,
                "status": up,
                "status_message": if up { "registered" } else { "database unreachable" },
                "version": "v1",
                "service_detail": {
                    "available": up, "busy": false, "up": up,
                    "message": if up { "all good" } else { "database unreachable" },
                    "version": env!("CARGO_PKG_VERSION"),
                    "db_version": crate::store::schema_version().to_string(),
                    "detail": {},
                },
            })
        })
        .collect()
}

/// `GET /system`.
pub async fn status(State(state): State<AppState>, _caller: Caller) -> Json<Value> {
    let up = state.store.ping().await;
    Json(json!({"service_states": service_states(&state, up)}))
}

/// `GET /system/services`.
pub async fn services(State(state): State<AppState>, _caller: Caller) -> Json<Value> {
    let up = state.store.ping().await;
    Json(Value::Array(service_states(&state, up)))
}

/// `GET /system/feeds`.
pub async fn feeds(State(state): State<AppState>, _caller: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(feed_list(&state).await?))
}

async fn feed_list(state: &AppState) -> ApiResult<Value> {
    let feeds: Vec<Value> = state
        .store
        .feeds()
        .await?
        .into_iter()
        .map(|feed| {
            let groups: Vec<Value> = feed
                .groups
                .iter()
                .map(|group| {
                    json!({
                        "name": group.name,
                        "enabled": group.enabled,
                        "created_at": group.created_at,
                        "updated_at": group.last_sync.clone().unwrap_or_else(|| group.created_at.clone()),
                        "last_sync": group.last_sync,
                        "record_count": group.record_count,
                    })
                })
                .collect();
            json!({
                "name": feed.name,
                "enabled": feed.enabled,
                "created_at": feed.created_at,
                "updated_at": feed.updated_at,
                "last_full_sync": feed.last_full_sync,
                "groups": groups,
            })
        })
        .collect();
    Ok(Value::Array(feeds))
}

/// `POST /system/feeds`: sync now (administrators only).
pub async fn sync_feeds(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    if !caller.is_admin {
        return Err(ApiError::forbidden("only administrators may sync feeds"));
    }
    let started = std::time::Instant::now();
    let summary = feeds::sync(&state)
        .await
        .map_err(|error| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()))?;
    let groups: Vec<Value> = state
        .store
        .feeds()
        .await?
        .into_iter()
        .flat_map(|feed| feed.groups)
        .map(|group| json!({"group": group.name, "status": "success", "updated_record_count": group.record_count}))
        .collect();
    Ok(Json(json!([{
        "feed": feeds::FEED,
        "status": "success",
        "total_time_seconds": started.elapsed().as_secs_f64(),
        "finished_at": now_rfc3339(),
        "imported": summary.imported,
        "skipped": summary.skipped,
        "groups": groups,
    }])))
}
