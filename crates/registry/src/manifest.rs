//! Manifests as fetched: their bytes, media type and digest, and the few fields of image
//! indexes and image manifests that pulling needs (OCI image spec, Docker image manifest
//! v2 schema 2).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Platform;

/// The manifest media types Plimsoll negotiates.
pub mod media_type {
    pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
    pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

    /// The `Accept` header of manifest requests: every type above, images and indexes.
    pub const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
        application/vnd.docker.distribution.manifest.list.v2+json, \
        application/vnd.oci.image.manifest.v1+json, \
        application/vnd.docker.distribution.manifest.v2+json";

    /// Whether the type is an index of per-platform manifests.
    pub fn is_index(media_type: &str) -> bool {
        media_type == OCI_INDEX || media_type == DOCKER_LIST
    }

    /// Whether the type is an image manifest.
    pub fn is_image(media_type: &str) -> bool {
        media_type == OCI_MANIFEST || media_type == DOCKER_MANIFEST
    }
}

/// A content descriptor: what a manifest or index says about a blob or manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    #[serde(default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

/// A manifest or index as the registry sent it, its digest checked.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub bytes: Vec<u8>,
    pub media_type: String,
    /// `sha256:` of `bytes`.
    pub digest: String,
}

/// An image manifest reached from a reference, through an index when there is one.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The image manifest for the chosen platform.
    pub manifest: Manifest,
    /// The index the reference named, when it named one.
    pub index: Option<Manifest>,
    /// The config descriptor of the image manifest.
    pub config: Descriptor,
    /// The layer descriptors, lowest first.
    pub layers: Vec<Descriptor>,
}

/// The fields of an image manifest that pulling reads.
#[derive(Debug, Deserialize)]
pub(crate) struct ImageManifest {
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
}

/// The fields of an index that platform selection reads.
#[derive(Debug, Deserialize)]
pub(crate) struct Index {
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
}

/// A body's own `mediaType` field, for registries that send a generic `Content-Type`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MediaTypeField {
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub schema_version: Option<u32>,
    #[serde(default)]
    pub manifests: Option<serde_json::Value>,
}
