//! `POST /images` with a tag or digest: the server resolves the reference in the registry
//! (with the account's credentials from `/registries`), records the image under the
//! manifest digest it found, and queues a job that pulls and analyzes it. Like Anchore's
//! engine, a reference that cannot be resolved is refused at once; failures during the
//! pull itself mark the image `analysis_failed` with the reason.

use base64::Engine;
use plimsoll_registry::{Platform, Reference, RegistryClient, RegistryError};
use serde_json::{json, Map, Value};

use super::registries::client_options;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::references::TagReference;
use crate::server::AppState;
use crate::store::{document_kind, ImageRecord, NewImage};

/// What to pull, and the tag to record it under when the reference has none.
#[derive(Debug)]
pub struct Pull {
    pub pullstring: String,
    pub tag: Option<String>,
}

/// What resolving a reference found.
pub(crate) struct Found {
    manifest: Vec<u8>,
    /// The image manifest's digest: what the image is recorded under.
    pub digest: String,
    parent_digest: String,
    config: Vec<u8>,
    config_digest: String,
}

/// Resolves and records an image to pull, queuing its analysis.
pub async fn add(
    state: &AppState,
    caller: &Caller,
    pull: Pull,
    annotations: Option<Map<String, Value>>,
    dockerfile: Option<String>,
    force: bool,
) -> ApiResult<ImageRecord> {
    let reference = Reference::parse(pull.pullstring.trim())
        .map_err(|error| ApiError::bad_request(error.to_string()))?;
    let tag_text = match (&pull.tag, &reference.tag) {
        (Some(tag), _) => tag.clone(),
        (None, Some(_)) => pull.pullstring.clone(),
        (None, None) => {
            return Err(ApiError::bad_request(
                "a digest source needs a tag to record the image under (source.digest.tag)",
            ))
        }
    };
    let tag = TagReference::parse(&tag_text)
        .ok_or_else(|| ApiError::bad_request(format!("`{tag_text}` is not an image tag")))?;
    if let Some(dockerfile) = &dockerfile {
        base64::engine::general_purpose::STANDARD
            .decode(dockerfile)
            .map_err(|_| ApiError::bad_request("the dockerfile is not base64"))?;
    }
    let found = resolve(state, &caller.account, &reference)
        .await?
        .map_err(|error| {
            ApiError::bad_request(format!(
                "cannot fetch image digest/manifest from registry: {error}"
            ))
            .with_detail(json!({
                "error_codes": ["REGISTRY_IMAGE_NOT_FOUND"],
                "pullstring": reference.to_string(),
            }))
        })?;
    record(
        state,
        &caller.account,
        &reference,
        tag,
        found,
        annotations,
        dockerfile,
        force,
    )
    .await
}

/// Looks a reference up in its registry with the account's settings for it: the manifest
/// for the server's platform, and its config.
pub(crate) async fn resolve(
    state: &AppState,
    account: &str,
    reference: &Reference,
) -> ApiResult<Result<Found, RegistryError>> {
    let settings = state
        .store
        .registry_for(account, &reference.registry, &reference.repository)
        .await?;
    let options = client_options(settings.as_ref());
    let resolving = reference.clone();
    tokio::task::spawn_blocking(move || {
        let client = RegistryClient::connect(&resolving, &options)?;
        let resolved = client.resolve(&resolving, &Platform::host())?;
        let config = client.blob_bytes(&resolved.config, "image config")?;
        Ok(Found {
            parent_digest: resolved
                .index
                .as_ref()
                .map_or(resolved.manifest.digest.clone(), |index| {
                    index.digest.clone()
                }),
            digest: resolved.manifest.digest,
            manifest: resolved.manifest.bytes,
            config,
            config_digest: resolved.config.digest,
        })
    })
    .await
    .map_err(|error| ApiError::internal(format!("resolving the image panicked: {error}")))
}

/// Records a resolved image under `tag`, with what the worker needs to pull it, and queues
/// its analysis (unless an earlier one is kept).
#[expect(
    clippy::too_many_arguments,
    reason = "the facts of one add request, each named"
)]
pub(crate) async fn record(
    state: &AppState,
    account: &str,
    reference: &Reference,
    tag: TagReference,
    found: Found,
    annotations: Option<Map<String, Value>>,
    dockerfile: Option<String>,
    force: bool,
) -> ApiResult<ImageRecord> {
    let pull_source = json!({"pullstring": reference.with_digest(&found.digest)});
    let documents = [
        (document_kind::MANIFEST, found.manifest),
        (document_kind::CONFIG, found.config),
        (
            document_kind::PULL_SOURCE,
            serde_json::to_vec(&pull_source).unwrap_or_default(),
        ),
    ];
    let image = NewImage {
        account: account.to_string(),
        digest: found.digest.clone(),
        parent_digest: found.parent_digest,
        image_id: found
            .config_digest
            .trim_start_matches("sha256:")
            .to_string(),
        tags: vec![tag],
        dockerfile,
        annotations: Value::Object(annotations.unwrap_or_default()).to_string(),
        force,
    };
    state.store.add_pulled_image(&image, &documents).await?;
    tracing::info!(
        account, image.digest = %found.digest, image.reference = %reference,
        "image queued for pulling"
    );
    state
        .store
        .image(account, &found.digest)
        .await?
        .ok_or_else(|| ApiError::internal("an added image vanished"))
}
