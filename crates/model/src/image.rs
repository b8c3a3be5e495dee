//! What an image's manifest and configuration say about it.

use serde::{Deserialize, Serialize};

/// One filesystem layer of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerMetadata {
    /// The layer's media type, as the manifest gives it.
    pub media_type: String,
    /// The diff ID: the digest of the uncompressed layer tar (`rootfs.diff_ids`).
    pub diff_id: String,
    /// The digest of the layer blob as stored (compressed, where it is).
    pub digest: String,
    /// The uncompressed size of the layer in bytes.
    pub size: u64,
}

/// One entry of the image configuration's history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub created: Option<String>,
    pub created_by: Option<String>,
    pub comment: Option<String>,
    pub empty_layer: bool,
}

/// The facts about an image taken from its manifest and config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageMetadata {
    /// What the user typed to name the image.
    pub user_input: String,
    /// The image ID: the digest of the config blob.
    pub image_id: String,
    /// The digest of the manifest.
    pub manifest_digest: String,
    /// The manifest's media type.
    pub media_type: String,
    /// Tags the image carries in its archive or layout (`repo:tag`).
    pub tags: Vec<String>,
    /// The sum of the layers' uncompressed sizes.
    pub image_size: u64,
    /// The layers, lowest first.
    pub layers: Vec<LayerMetadata>,
    /// The raw manifest bytes.
    pub raw_manifest: Vec<u8>,
    /// The raw config bytes.
    pub raw_config: Vec<u8>,
    /// Repository digests (`repo@sha256:…`) where known.
    pub repo_digests: Vec<String>,
    pub architecture: String,
    pub variant: String,
    pub os: String,
    /// When the image was created, as the config says (RFC 3339).
    pub created: Option<String>,
    pub history: Vec<HistoryEntry>,
}
