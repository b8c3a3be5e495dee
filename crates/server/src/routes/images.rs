//! `/images`: adding imported analyses, listing and finding images (by digest, tag or image
//! ID), deleting them, and their vulnerabilities, content and metadata.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use base64::Engine;
use plimsoll_model::ContentMatch;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::ancestry::{mark_inherited, requested_base};
use super::body::JsonBody;
use super::corrections::{account_statements, apply_vex};
use super::imports::operation as import_operation;
use super::pulls::Pull;
use super::{flag, presenters, IMPORT_OPERATION_ANNOTATION};
use crate::analysis::content::CONTENT_TYPES;
use crate::analysis::read_image_content;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::references::{is_digest, is_hex64, TagReference};
use crate::server::AppState;
use crate::store::{document_kind, ImageRecord, NewImage};

/// The vulnerability report types.
const VULNERABILITY_TYPES: &[&str] = &["os", "non-os", "all"];
/// The metadata types.
const METADATA_TYPES: &[&str] = &["manifest", "docker_history", "dockerfile"];

/// `ImageAnalysisRequest`.
#[derive(Debug, Deserialize)]
pub struct AnalysisRequest {
    #[serde(default)]
    source: Option<ImageSource>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    digest: Option<String>,
    #[serde(default)]
    annotations: Option<Map<String, Value>>,
    /// Base64 of a Dockerfile, for a pulled image.
    #[serde(default)]
    dockerfile: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ImageSource {
    #[serde(default)]
    import: Option<ImportManifest>,
    #[serde(default)]
    tag: Option<Value>,
    #[serde(default)]
    digest: Option<Value>,
    #[serde(default)]
    archive: Option<Value>,
}

/// `ImageImportManifest`.
#[derive(Debug, Deserialize)]
struct ImportManifest {
    contents: ImportContents,
    tags: Vec<String>,
    digest: String,
    #[serde(default)]
    parent_digest: Option<String>,
    #[serde(default)]
    local_image_id: Option<String>,
    operation_uuid: String,
}

#[derive(Debug, Deserialize)]
struct ImportContents {
    #[serde(default)]
    packages: Option<String>,
    #[serde(default)]
    manifest: Option<String>,
    #[serde(default)]
    image_config: Option<String>,
    #[serde(default)]
    parent_manifest: Option<String>,
    #[serde(default)]
    dockerfile: Option<String>,
    #[serde(default)]
    image_content: Option<String>,
}

/// `POST /images`: adds an image from an import operation, or one to pull by tag or digest.
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
    JsonBody(request): JsonBody<AnalysisRequest>,
) -> ApiResult<Json<Value>> {
    let force = flag(&query, "force", false)?;
    let autosubscribe = flag(&query, "autosubscribe", true)?;
    let pull = match request.source {
        Some(ImageSource {
            import: Some(import),
            ..
        }) => {
            let record = add_import(&state, &caller, import, request.annotations, force).await?;
            return finish_add(&state, &caller, record, autosubscribe).await;
        }
        Some(ImageSource {
            archive: Some(_), ..
        }) => return Err(no_archives()),
        Some(ImageSource { tag: Some(tag), .. }) => Pull {
            pullstring: pullstring_of(&tag, "source.tag")?,
            tag: None,
        },
        Some(ImageSource {
            digest: Some(digest),
            ..
        }) => Pull {
            pullstring: pullstring_of(&digest, "source.digest")?,
            tag: digest
                .get("tag")
                .and_then(Value::as_str)
                .map(str::to_string),
        },
        // The legacy form anchore-cli sends: `{"tag": …}` or `{"digest": …, "tag": …}`.
        _ => match (request.digest, request.tag) {
            (Some(digest), tag) => Pull {
                pullstring: digest,
                tag,
            },
            (None, Some(tag)) => Pull {
                pullstring: tag,
                tag: None,
            },
            (None, None) => {
                return Err(ApiError::bad_request(
                    "the request needs a source (source.import, source.tag or source.digest)",
                ))
            }
        },
    };
    let record = super::pulls::add(
        &state,
        &caller,
        pull,
        request.annotations,
        request.dockerfile,
        force,
    )
    .await?;
    finish_add(&state, &caller, record, autosubscribe).await
}

/// Subscribes an added image's tags and wakes the workers.
async fn finish_add(
    state: &AppState,
    caller: &Caller,
    record: ImageRecord,
    autosubscribe: bool,
) -> ApiResult<Json<Value>> {
    for tag in &record.tags {
        state
            .store
            .ensure_tag_subscriptions(&caller.account, &tag.reference().full_tag(), autosubscribe)
            .await?;
    }
    state.wake.notify_waiters();
    Ok(Json(json!([presenters::image(&record)])))
}

fn no_archives() -> ApiError {
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "this server does not restore images from analysis archives; add the image by tag or \
         digest, or upload an analysis with `plimsoll scan IMAGE -H URL -u USER -p PASS`",
    )
}

/// The `pullstring` of a `source.tag` or `source.digest` object.
fn pullstring_of(source: &Value, field: &str) -> ApiResult<String> {
    source
        .get("pullstring")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            ApiError::bad_request(format!("'pullstring' is a required property of {field}"))
        })
}

async fn add_import(
    state: &AppState,
    caller: &Caller,
    import: ImportManifest,
    annotations: Option<Map<String, Value>>,
    force: bool,
) -> ApiResult<ImageRecord> {
    let contents = &import.contents;
    let required = [
        ("packages", &contents.packages),
        ("manifest", &contents.manifest),
        ("image_config", &contents.image_config),
    ];
    for (name, digest) in required {
        if digest.is_none() {
            return Err(ApiError::bad_request(format!(
                "import manifest must have digest for content type {name}"
            )));
        }
    }
    if !is_digest(&import.digest) {
        return Err(ApiError::bad_request(format!(
            "`{}` is not an image digest (sha256:<64 hex digits>)",
            import.digest
        )));
    }
    if import.tags.is_empty() {
        return Err(ApiError::bad_request(
            "import manifest must have at least one tag",
        ));
    }
    let tags = import
        .tags
        .iter()
        .map(|tag| {
            TagReference::parse(tag)
                .ok_or_else(|| ApiError::bad_request(format!("`{tag}` is not an image tag")))
        })
        .collect::<ApiResult<Vec<_>>>()?;

    let operation = import_operation(state, caller, &import.operation_uuid).await?;
    if operation.status != "pending" {
        return Err(ApiError::conflict(format!(
            "import operation {} is {}, not pending",
            operation.uuid, operation.status
        )));
    }

    let listed = [
        (document_kind::SBOM, &contents.packages),
        (document_kind::MANIFEST, &contents.manifest),
        (document_kind::CONFIG, &contents.image_config),
        (document_kind::PARENT_MANIFEST, &contents.parent_manifest),
        (document_kind::DOCKERFILE, &contents.dockerfile),
        (document_kind::IMAGE_CONTENT, &contents.image_content),
    ];
    let mut documents = Vec::new();
    for (kind, digest) in listed {
        let Some(digest) = digest else { continue };
        let content = state
            .store
            .import_content(&operation.uuid, kind, digest)
            .await?
            .ok_or_else(|| {
                ApiError::bad_request(
                    "One or more referenced content digests not found for the operation id",
                )
                .with_detail(json!({"content_type": kind, "digest": digest}))
            })?;
        documents.push((kind, content.body));
    }
    let dockerfile = documents
        .iter()
        .find(|(kind, _)| *kind == document_kind::DOCKERFILE)
        .map(|(_, body)| base64::engine::general_purpose::STANDARD.encode(body));

    let mut annotations = annotations.unwrap_or_default();
    annotations.insert(IMPORT_OPERATION_ANNOTATION.into(), json!(operation.uuid));
    let image_id = import
        .local_image_id
        .as_deref()
        .map(|id| id.trim_start_matches("sha256:").to_string())
        .filter(|id| is_hex64(id))
        .unwrap_or_else(|| import.digest.trim_start_matches("sha256:").to_string());
    let image = NewImage {
        account: caller.account.clone(),
        digest: import.digest.clone(),
        parent_digest: import
            .parent_digest
            .clone()
            .unwrap_or_else(|| import.digest.clone()),
        image_id,
        tags,
        dockerfile,
        annotations: Value::Object(annotations).to_string(),
        force,
    };
    let outcome = state
        .store
        .import_image(&image, &operation.uuid, &documents)
        .await?;
    if outcome.is_none() {
        return Err(ApiError::conflict(format!(
            "import operation {} is no longer pending",
            operation.uuid
        )));
    }
    state
        .store
        .image(&caller.account, &import.digest)
        .await?
        .ok_or_else(|| ApiError::internal("an imported image vanished"))
}

/// `GET /images`: every image, or those matching `fulltag` (a tag, digest or image ID).
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let history = flag(&query, "history", false)?;
    let mut images = match query.get("fulltag") {
        Some(input) => {
            let found = find(&state, &caller, input).await?;
            if found.is_empty() {
                return Err(ApiError::not_found(format!("no image found for `{input}`")));
            }
            if history {
                found
            } else {
                found.into_iter().take(1).collect()
            }
        }
        None => state.store.images(&caller.account).await?,
    };
    if let Some(status) = query.get("analysis_status") {
        images.retain(|image| &image.analysis_status == status);
    }
    if let Some(status) = query.get("image_status").filter(|s| *s != "all") {
        images.retain(|image| &image.image_status == status);
    }
    Ok(Json(Value::Array(
        images.iter().map(presenters::image).collect(),
    )))
}

/// Images named by a tag, a digest or an image ID.
async fn find(state: &AppState, caller: &Caller, input: &str) -> ApiResult<Vec<ImageRecord>> {
    let input = input.trim();
    if let Some(digest) = input.rsplit('@').next().filter(|d| is_digest(d)) {
        return Ok(state
            .store
            .image(&caller.account, digest)
            .await?
            .into_iter()
            .collect());
    }
    let id = input.trim_start_matches("sha256:");
    if is_hex64(id) {
        return Ok(state.store.images_by_id(&caller.account, id).await?);
    }
    match TagReference::parse(input) {
        Some(reference) => Ok(state
            .store
            .images_by_tag(&caller.account, &reference)
            .await?),
        None => Err(ApiError::bad_request(format!(
            "`{input}` is not an image reference"
        ))),
    }
}

/// The caller's image with a digest, or 404.
pub(super) async fn image_of(
    state: &AppState,
    caller: &Caller,
    digest: &str,
) -> ApiResult<ImageRecord> {
    state
        .store
        .image(&caller.account, digest)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("image {digest} not found")))
}

/// The caller's image with an image ID, or 404.
async fn image_by_id(state: &AppState, caller: &Caller, id: &str) -> ApiResult<ImageRecord> {
    state
        .store
        .images_by_id(&caller.account, id.trim_start_matches("sha256:"))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found(format!("image {id} not found")))
}

/// `GET /images/{digest}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
) -> ApiResult<Json<Value>> {
    let image = image_of(&state, &caller, &digest).await?;
    Ok(Json(json!([presenters::image(&image)])))
}

/// `GET /images/by_id/{image_id}`.
pub async fn get_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let image = image_by_id(&state, &caller, &id).await?;
    Ok(Json(json!([presenters::image(&image)])))
}

async fn delete_one(state: &AppState, caller: &Caller, digest: &str) -> ApiResult<Value> {
    if state.store.delete_image(&caller.account, digest).await? {
        Ok(json!({"digest": digest, "status": "deleting", "detail": null}))
    } else {
        Err(ApiError::not_found(format!("image {digest} not found")))
    }
}

/// `DELETE /images/{digest}`.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(delete_one(&state, &caller, &digest).await?))
}

/// `DELETE /images/by_id/{image_id}`.
pub async fn delete_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let image = image_by_id(&state, &caller, &id).await?;
    Ok(Json(delete_one(&state, &caller, &image.digest).await?))
}

/// `DELETE /images?imageDigests=a,b`.
pub async fn delete_many(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let digests = query
        .get("imageDigests")
        .ok_or_else(|| ApiError::bad_request("query parameter `imageDigests` is required"))?;
    let mut results = Vec::new();
    for digest in digests.split(',').filter(|d| !d.is_empty()) {
        let deleted = state.store.delete_image(&caller.account, digest).await?;
        results.push(json!({
            "digest": digest,
            "status": if deleted { "deleting" } else { "not_found" },
            "detail": null,
        }));
    }
    Ok(Json(Value::Array(results)))
}

/// The caller's image with a digest, analyzed, or the 404 anchore-cli understands.
pub(super) async fn analyzed_image_of(
    state: &AppState,
    caller: &Caller,
    digest: &str,
) -> ApiResult<ImageRecord> {
    let image = image_of(state, caller, digest).await?;
    require_analyzed(&image)?;
    Ok(image)
}

/// 404 unless the image is analyzed, with the message anchore-cli maps to its exit codes.
pub(super) fn require_analyzed(image: &ImageRecord) -> ApiResult<()> {
    if image.analysis_status == "analyzed" {
        return Ok(());
    }
    Err(ApiError::not_found(format!(
        "image is not analyzed - analysis_status: {}",
        image.analysis_status
    ))
    .with_detail(json!({"analysis_status": image.analysis_status})))
}

/// A stored JSON result of an analyzed image.
async fn result_document(state: &AppState, image: &ImageRecord, kind: &str) -> ApiResult<Value> {
    let bytes = state
        .store
        .document(&image.account, &image.digest, kind)
        .await?
        .ok_or_else(|| ApiError::internal(format!("analyzed image has no {kind} document")))?;
    serde_json::from_slice(&bytes).map_err(ApiError::internal)
}

/// `GET /images/{digest}/vuln`.
pub async fn vuln_types(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
) -> ApiResult<Json<Value>> {
    image_of(&state, &caller, &digest).await?;
    Ok(Json(json!(VULNERABILITY_TYPES)))
}

/// `GET /images/{digest}/vuln/{vtype}`.
pub async fn vuln(
    State(state): State<AppState>,
    caller: Caller,
    Path((digest, vtype)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let image = image_of(&state, &caller, &digest).await?;
    vulnerability_report(&state, &image, &vtype, &query).await
}

/// `GET /images/by_id/{image_id}/vuln/{vtype}`.
pub async fn vuln_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, vtype)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let image = image_by_id(&state, &caller, &id).await?;
    vulnerability_report(&state, &image, &vtype, &query).await
}

async fn vulnerability_report(
    state: &AppState,
    image: &ImageRecord,
    vtype: &str,
    query: &HashMap<String, String>,
) -> ApiResult<Json<Value>> {
    if !VULNERABILITY_TYPES.contains(&vtype) {
        return Err(ApiError::not_found(format!(
            "content type ({vtype}) not available"
        )));
    }
    let vendor_only = flag(query, "vendor_only", true)?;
    require_analyzed(image)?;
    let report = result_document(state, image, document_kind::VULNERABILITIES).await?;
    let pick = |name: &str| {
        report
            .get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut rows = match vtype {
        "os" => pick("os"),
        "non-os" => pick("non-os"),
        _ => [pick("os"), pick("non-os")].concat(),
    };
    if vendor_only {
        rows.retain(|row| row.get("will_not_fix") != Some(&Value::Bool(true)));
    }
    let statements = account_statements(state, &image.account).await?;
    let include_suppressed = flag(query, "include_suppressed", false)?;
    apply_vex(&mut rows, &statements, &image.digest, include_suppressed);
    if let Some(base) = requested_base(state, image, query).await? {
        let base_report = result_document(state, &base, document_kind::VULNERABILITIES).await?;
        let base_rows: Vec<Value> = ["os", "non-os"]
            .iter()
            .flat_map(|kind| base_report[*kind].as_array().cloned().unwrap_or_default())
            .collect();
        mark_inherited(&mut rows, &base_rows);
    }
    Ok(Json(json!({
        "imageDigest": image.digest,
        "vulnerability_type": vtype,
        "vulnerabilities": rows,
    })))
}

/// `GET /images/{digest}/content`.
pub async fn content_types(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
) -> ApiResult<Json<Value>> {
    image_of(&state, &caller, &digest).await?;
    Ok(Json(json!(CONTENT_TYPES)))
}

/// `GET /images/{digest}/content/{ctype}`.
pub async fn content(
    State(state): State<AppState>,
    caller: Caller,
    Path((digest, ctype)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let image = image_of(&state, &caller, &digest).await?;
    require_analyzed(&image)?;
    let listings = result_document(&state, &image, document_kind::CONTENT).await?;
    let content = listings
        .get(&ctype)
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("content type ({ctype}) not available")))?;
    Ok(Json(json!({
        "imageDigest": image.digest,
        "content_type": ctype,
        "content": content,
    })))
}

/// `GET /images/{digest}/artifacts/{artifact_type}`: what the scanner's content analysis
/// found, in Anchore's shapes. An image uploaded without one has none.
pub async fn artifacts(
    State(state): State<AppState>,
    caller: Caller,
    Path((digest, artifact_type)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let image = analyzed_image_of(&state, &caller, &digest).await?;
    if !matches!(
        artifact_type.as_str(),
        "retrieved_files" | "file_content_search" | "secret_search"
    ) {
        return Err(ApiError::not_found(format!(
            "artifact type ({artifact_type}) not available"
        )));
    }
    let bytes = state
        .store
        .document(&image.account, &image.digest, document_kind::IMAGE_CONTENT)
        .await?;
    let Some(content) =
        read_image_content(bytes.as_deref()).map_err(|failure| ApiError::internal(failure.0))?
    else {
        return Ok(Json(json!([])));
    };
    let listed = match artifact_type.as_str() {
        "retrieved_files" => content
            .passwd
            .iter()
            .map(|text| {
                json!({
                    "path": plimsoll_catalog::content::PASSWD_PATH,
                    "b64_content": base64::engine::general_purpose::STANDARD.encode(text),
                })
            })
            .collect(),
        "secret_search" => search_results(&content.secrets),
        _ => search_results(&content.content_matches),
    };
    Ok(Json(Value::Array(listed)))
}

/// Search matches grouped by file: `[{path, matches: [{name, regex, lines}]}]`.
fn search_results(found: &[ContentMatch]) -> Vec<Value> {
    let mut by_path: Vec<(&str, Vec<Value>)> = Vec::new();
    for found in found {
        let entry = json!({"name": found.name, "regex": found.regex, "lines": found.lines});
        match by_path.last_mut() {
            Some((path, matches)) if *path == found.path => matches.push(entry),
            _ => by_path.push((&found.path, vec![entry])),
        }
    }
    by_path
        .into_iter()
        .map(|(path, matches)| json!({"path": path, "matches": matches}))
        .collect()
}

/// `GET /images/{digest}/metadata`.
pub async fn metadata_types(
    State(state): State<AppState>,
    caller: Caller,
    Path(digest): Path<String>,
) -> ApiResult<Json<Value>> {
    image_of(&state, &caller, &digest).await?;
    Ok(Json(json!(METADATA_TYPES)))
}

/// `GET /images/{digest}/metadata/{mtype}`: the text base64-encoded, as Anchore sends it.
pub async fn metadata(
    State(state): State<AppState>,
    caller: Caller,
    Path((digest, mtype)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let image = image_of(&state, &caller, &digest).await?;
    let store = &state.store;
    let text: Vec<u8> = match mtype.as_str() {
        "manifest" => store
            .document(&image.account, &image.digest, document_kind::MANIFEST)
            .await?
            .unwrap_or_default(),
        "dockerfile" => store
            .document(&image.account, &image.digest, document_kind::DOCKERFILE)
            .await?
            .unwrap_or_default(),
        "docker_history" => {
            let config = store
                .document(&image.account, &image.digest, document_kind::CONFIG)
                .await?
                .unwrap_or_default();
            let history = serde_json::from_slice::<Value>(&config)
                .ok()
                .and_then(|config| config.get("history").cloned())
                .unwrap_or_else(|| json!([]));
            serde_json::to_vec(&history).unwrap_or_default()
        }
        other => {
            return Err(ApiError::not_found(format!(
                "metadata type ({other}) not available"
            )))
        }
    };
    Ok(Json(json!({
        "imageDigest": image.digest,
        "metadata_type": mtype,
        "metadata": base64::engine::general_purpose::STANDARD.encode(text),
    })))
}
