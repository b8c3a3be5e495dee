//! Classic `docker save` archives: `manifest.json` naming a config and layer tars.

use std::sync::Arc;

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::blobs::BlobStore;
use crate::oci::parse_json;
use crate::source::{Image, LayerRef};
use crate::{ImageError, Limits};

/// The media type of the Docker v2 manifest synthesised for a classic archive.
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
const DOCKER_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ManifestEntry {
    pub config: String,
    #[serde(default)]
    pub repo_tags: Option<Vec<String>>,
    pub layers: Vec<String>,
}

/// Reads `manifest.json`.
pub(crate) fn read_manifest(
    store: &dyn BlobStore,
    limits: &Limits,
) -> Result<Vec<ManifestEntry>, ImageError> {
    let bytes = store.read_small("manifest.json", limits.max_json_document)?;
    let entries: Vec<ManifestEntry> = parse_json(store.input(), "`manifest.json`", &bytes)?;
    if entries.is_empty() {
        return Err(ImageError::Format {
            input: store.input().to_string(),
            kind: "docker archive",
            reason: "`manifest.json` lists no images".to_string(),
        });
    }
    Ok(entries)
}

/// Picks the entry that `tag` names, or the only one.
pub(crate) fn choose<'a>(
    input: &str,
    entries: &'a [ManifestEntry],
    tag: Option<&str>,
) -> Result<&'a ManifestEntry, ImageError> {
    let tags_of = |e: &ManifestEntry| e.repo_tags.clone().unwrap_or_default();
    let label = |e: &ManifestEntry| {
        tags_of(e)
            .into_iter()
            .next()
            .unwrap_or_else(|| e.config.clone())
    };
    match tag {
        Some(wanted) => entries
            .iter()
            .find(|e| {
                tags_of(e).iter().any(|t| {
                    t == wanted
                        || t.rsplit_once(':')
                            .is_some_and(|(repo, tag)| tag == wanted || repo == wanted)
                })
            })
            .ok_or_else(|| ImageError::NotFound {
                input: input.to_string(),
                wanted: format!("tagged `{wanted}`"),
                available: entries.iter().map(label).collect(),
            }),
        None if entries.len() == 1 => Ok(&entries[0]),
        None => Err(ImageError::Ambiguous {
            input: input.to_string(),
            choices: entries.iter().map(label).collect(),
        }),
    }
}

/// Opens the chosen image of a classic docker archive. Such archives carry no registry
/// manifest, so one is synthesised (Docker v2 schema, uncompressed layers named by their
/// diff IDs) to give the image a stable manifest digest.
pub(crate) fn open_classic(
    store: Arc<dyn BlobStore>,
    entry: &ManifestEntry,
    limits: &Limits,
) -> Result<Image, ImageError> {
    let config_bytes = store.read_small(&entry.config, limits.max_json_document)?;
    let config_digest = format!("sha256:{}", hex::encode(Sha256::digest(&config_bytes)));
    let diff_ids = crate::source::diff_ids(store.input(), &config_bytes)?;

    let mut layers = Vec::new();
    let mut described = Vec::new();
    for (member, diff_id) in entry.layers.iter().zip(diff_ids.iter()) {
        let (_, size) = store.open(member)?;
        described
            .push(serde_json::json!({"mediaType": DOCKER_LAYER, "size": size, "digest": diff_id}));
        layers.push(LayerRef {
            member: member.clone(),
            media_type: DOCKER_LAYER.to_string(),
            digest: diff_id.clone(),
            diff_id: diff_id.clone(),
        });
    }
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": DOCKER_MANIFEST,
        "config": {"mediaType": DOCKER_CONFIG, "size": config_bytes.len(), "digest": config_digest},
        "layers": described,
    });
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap_or_default();
    let manifest_digest = format!("sha256:{}", hex::encode(Sha256::digest(&manifest_bytes)));
    let tags = entry.repo_tags.clone().unwrap_or_default();
    Image::assemble(
        store,
        layers,
        manifest_bytes,
        manifest_digest,
        DOCKER_MANIFEST.to_string(),
        config_bytes,
        config_digest,
        tags,
    )
}
