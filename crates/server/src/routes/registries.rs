//! `/registries`: the registries an account pulls from, with their credentials. Passwords
//! are write-only: no answer ever carries one.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::Json;
use plimsoll_registry::{ClientOptions, Credentials, RegistryClient};
use serde::Deserialize;
use serde_json::{json, Value};

use super::body::JsonBody;
use super::flag;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::RegistryRecord;

/// The registry types Plimsoll pulls from.
const REGISTRY_TYPES: &[&str] = &["docker_v2"];

/// `RegistryConfigurationRequest`.
#[derive(Debug, Deserialize)]
pub struct RegistryRequest {
    registry: Option<String>,
    registry_user: Option<String>,
    registry_pass: Option<String>,
    #[serde(default)]
    registry_type: Option<String>,
    #[serde(default)]
    registry_verify: Option<bool>,
    #[serde(default)]
    registry_name: Option<String>,
}

/// A registry as the API shows it (`RegistryConfiguration`), without the password.
fn present(record: &RegistryRecord) -> Value {
    json!({
        "registry": record.registry,
        "registry_name": record.registry_name,
        "registry_user": record.registry_user,
        "registry_type": record.registry_type,
        "registry_verify": record.registry_verify,
        "userId": record.account,
        "created_at": record.created_at,
        "last_updated": record.last_updated,
    })
}

/// Whether `registry` is `HOST[:PORT][/PATH]` with nothing else (no scheme, no spaces).
fn is_registry_name(registry: &str) -> bool {
    let host = registry.split('/').next().unwrap_or_default();
    !host.is_empty()
        && !registry.contains("://")
        && !registry.ends_with('/')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        && registry
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'@' && b != b'?' && b != b'#')
}

/// Checks a request and turns it into a record for `account`; `path_registry` is the
/// registry an update names in its path.
fn record_of(
    request: RegistryRequest,
    account: &str,
    path_registry: Option<&str>,
) -> ApiResult<RegistryRecord> {
    let registry = match (request.registry, path_registry) {
        (Some(body), Some(path)) if body != path => {
            return Err(ApiError::bad_request(format!(
                "the body names registry `{body}` but the path names `{path}`"
            )))
        }
        (Some(body), _) => body,
        (None, Some(path)) => path.to_string(),
        (None, None) => return Err(ApiError::bad_request("'registry' is a required property")),
    };
    let registry = registry.trim().to_ascii_lowercase();
    if !is_registry_name(&registry) {
        return Err(ApiError::bad_request(format!(
            "`{registry}` is not a registry (HOST[:PORT], without a scheme)"
        )));
    }
    let registry_user = request
        .registry_user
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::bad_request("'registry_user' is a required property"))?;
    let registry_pass = request
        .registry_pass
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::bad_request("'registry_pass' is a required property"))?;
    let registry_type = request
        .registry_type
        .unwrap_or_else(|| "docker_v2".to_string());
    if !REGISTRY_TYPES.contains(&registry_type.as_str()) {
        return Err(ApiError::bad_request(format!(
            "registry type `{registry_type}` is not supported (supported: {})",
            REGISTRY_TYPES.join(", ")
        )));
    }
    Ok(RegistryRecord {
        account: account.to_string(),
        registry_name: request
            .registry_name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| registry.clone()),
        registry,
        registry_user,
        registry_pass,
        registry_type,
        registry_verify: request.registry_verify.unwrap_or(true),
        created_at: String::new(),
        last_updated: String::new(),
    })
}

/// The options for pulling with a registry's settings.
pub fn client_options(record: Option<&RegistryRecord>) -> ClientOptions {
    ClientOptions {
        insecure: record.is_some_and(|r| !r.registry_verify),
        credentials: record.map(|r| Credentials::new(&r.registry_user, &r.registry_pass)),
        // The server's own Docker config is not its users' to borrow.
        docker_config: false,
        ..ClientOptions::default()
    }
}

/// Logs in to the registry with the record's credentials, as `?validate=true` asks.
async fn validate(record: &RegistryRecord) -> ApiResult<()> {
    let host = record
        .registry
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let options = client_options(Some(record));
    tokio::task::spawn_blocking(move || RegistryClient::login(&host, &options))
        .await
        .map_err(|error| ApiError::internal(format!("registry validation panicked: {error}")))?
        .map_err(|error| {
            ApiError::bad_request(format!("cannot validate the registry: {error}"))
                .with_detail(json!({"error_codes": ["REGISTRY_VALIDATION_FAILED"]}))
        })
}

/// `GET /registries`.
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let records = state.store.registries(&caller.account).await?;
    Ok(Json(Value::Array(records.iter().map(present).collect())))
}

/// `POST /registries?validate=`.
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
    JsonBody(request): JsonBody<RegistryRequest>,
) -> ApiResult<Json<Value>> {
    let record = record_of(request, &caller.account, None)?;
    if flag(&query, "validate", true)? {
        validate(&record).await?;
    }
    if !state.store.add_registry(&record).await? {
        return Err(ApiError::conflict(format!(
            "registry `{}` already exists; update it instead",
            record.registry
        )));
    }
    get_one(&state, &caller, &record.registry).await
}

/// `GET /registries/{registry}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(registry): Path<String>,
) -> ApiResult<Json<Value>> {
    get_one(&state, &caller, &registry).await
}

async fn get_one(state: &AppState, caller: &Caller, registry: &str) -> ApiResult<Json<Value>> {
    let record = state
        .store
        .registry(&caller.account, &registry.to_ascii_lowercase())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("registry `{registry}` not found")))?;
    Ok(Json(json!([present(&record)])))
}

/// `PUT /registries/{registry}?validate=`.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(registry): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    JsonBody(request): JsonBody<RegistryRequest>,
) -> ApiResult<Json<Value>> {
    let registry = registry.to_ascii_lowercase();
    let record = record_of(request, &caller.account, Some(&registry))?;
    if flag(&query, "validate", true)? {
        validate(&record).await?;
    }
    if !state.store.update_registry(&record).await? {
        return Err(ApiError::not_found(format!(
            "registry `{registry}` not found"
        )));
    }
    get_one(&state, &caller, &registry).await
}

/// `DELETE /registries/{registry}`.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(registry): Path<String>,
) -> ApiResult<Json<Value>> {
    if !state
        .store
        .delete_registry(&caller.account, &registry.to_ascii_lowercase())
        .await?
    {
        return Err(ApiError::not_found(format!(
            "registry `{registry}` not found"
        )));
    }
    Ok(Json(Value::Null))
}
