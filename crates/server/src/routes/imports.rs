//! `/imports/images`: the import flow's operations and content uploads (contract §4.3).
//! Each upload answers the sha256 of its body, which `POST /images` later refers to.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::ImportOperation;

/// The content types an operation accepts.
pub const CONTENT_TYPES: &[&str] = &[
    "packages",
    "manifest",
    "parent_manifest",
    "image_config",
    "dockerfile",
    // Plimsoll's own: the scanner's content analysis (file metadata, passwd, secret search).
    "image_content",
];

/// `POST /imports/images`.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ImportOperation>> {
    Ok(Json(state.store.create_import(&caller.account).await?))
}

/// `GET /imports/images`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ImportOperation>>> {
    Ok(Json(state.store.imports(&caller.account).await?))
}

/// An operation of the caller's account, or 404.
pub async fn operation(
    state: &AppState,
    caller: &Caller,
    uuid: &str,
) -> ApiResult<ImportOperation> {
    state
        .store
        .import(&caller.account, uuid)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Resource {uuid} not found")))
}

/// `GET /imports/images/{operation}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> ApiResult<Json<ImportOperation>> {
    Ok(Json(operation(&state, &caller, &uuid).await?))
}

/// `DELETE /imports/images/{operation}`.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    if state.store.delete_import(&caller.account, &uuid).await? {
        Ok(StatusCode::OK)
    } else {
        Err(ApiError::not_found(format!("Resource {uuid} not found")))
    }
}

fn known_content_type(content_type: &str) -> ApiResult<()> {
    if CONTENT_TYPES.contains(&content_type) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "unknown import content type `{content_type}` (one of {})",
            CONTENT_TYPES.join(", ")
        )))
    }
}

/// `GET /imports/images/{operation}/{content_type}`: the digests uploaded so far.
pub async fn list_contents(
    State(state): State<AppState>,
    caller: Caller,
    Path((uuid, content_type)): Path<(String, String)>,
) -> ApiResult<Json<Vec<String>>> {
    known_content_type(&content_type)?;
    operation(&state, &caller, &uuid).await?;
    Ok(Json(
        state
            .store
            .import_content_digests(&uuid, &content_type)
            .await?,
    ))
}

/// `POST /imports/images/{operation}/{content_type}`: stores the body, answers its digest.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path((uuid, content_type)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<Value>> {
    known_content_type(&content_type)?;
    let operation = operation(&state, &caller, &uuid).await?;
    if operation.status != "pending" {
        return Err(ApiError::conflict(format!(
            "import operation {uuid} is {}, not pending",
            operation.status
        )));
    }
    let limit = state.config.max_upload_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large(limit));
    }
    // A missing Content-Length (a chunked body) is accepted, still bounded by the limit.
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(limit))?;
    if content_type != "dockerfile" {
        serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).map_err(|error| {
            ApiError::bad_request(format!("the {content_type} upload is not JSON"))
                .with_detail(json!({"reason": error.to_string()}))
        })?;
    }
    let digest = hex::encode(Sha256::digest(&bytes));
    let created_at = state
        .store
        .put_import_content(&uuid, &content_type, &digest, &bytes)
        .await?;
    Ok(Json(json!({"digest": digest, "created_at": created_at})))
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("upload is larger than the limit of {limit} bytes"),
    )
}
