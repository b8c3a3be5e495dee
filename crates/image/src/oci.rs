//! OCI image layouts (a directory or an archive of one): `index.json`, manifests, configs.
//! Docker 25+ `docker save` output is an OCI layout too, with a `manifest.json` beside it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::blobs::{blob_path, BlobStore};
use crate::source::{Image, LayerRef};
use crate::{ImageError, Limits};

const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// The annotation holding a descriptor's tag in an OCI layout.
const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// The annotation containerd and Docker use for the full image name.
const IMAGE_NAME: &str = "io.containerd.image.name";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Descriptor {
    #[serde(default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub platform: Option<Platform>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Platform {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub variant: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Index {
    #[serde(default)]
    manifests: Vec<Descriptor>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    #[serde(default)]
    pub media_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
}

pub(crate) fn parse_json<'a, T: Deserialize<'a>>(
    input: &str,
    what: &str,
    bytes: &'a [u8],
) -> Result<T, ImageError> {
    serde_json::from_slice(bytes).map_err(|e| ImageError::Format {
        input: input.to_string(),
        kind: "image",
        reason: format!("{what} is malformed: {e}"),
    })
}

/// Reads a blob and checks that its content has the digest that names it.
pub(crate) fn read_verified(
    store: &dyn BlobStore,
    digest: &str,
    what: &str,
    limits: &Limits,
) -> Result<Vec<u8>, ImageError> {
    let bytes = store.read_small(&blob_path(store.input(), digest)?, limits.max_json_document)?;
    if let Some(expected) = digest.strip_prefix("sha256:") {
        let actual = hex::encode(Sha256::digest(&bytes));
        if actual != expected {
            return Err(ImageError::Format {
                input: store.input().to_string(),
                kind: "image",
                reason: format!("the {what} `{digest}` has digest `sha256:{actual}`"),
            });
        }
    }
    Ok(bytes)
}

/// The names a descriptor in `index.json` goes by, for choosing and for error messages.
fn names_of(descriptor: &Descriptor) -> Vec<String> {
    [IMAGE_NAME, REF_NAME]
        .iter()
        .filter_map(|key| descriptor.annotations.get(*key).cloned())
        .collect()
}

/// Whether `wanted` names the descriptor: its full name, its tag, or `repo:tag`.
fn matches_tag(names: &[String], wanted: &str) -> bool {
    names.iter().any(|name| {
        name == wanted
            || name.rsplit_once(':').is_some_and(|(_, tag)| tag == wanted)
            || name.ends_with(&format!("/{wanted}"))
    })
}

/// Opens the image of an OCI layout held by `store`.
pub(crate) fn open_layout(
    store: Arc<dyn BlobStore>,
    tag: Option<&str>,
    platform: Option<&str>,
    extra_tags: Vec<String>,
    limits: &Limits,
) -> Result<Image, ImageError> {
    let input = store.input().to_string();
    let index_bytes = store.read_small("index.json", limits.max_json_document)?;
    let index: Index = parse_json(&input, "`index.json`", &index_bytes)?;
    if index.manifests.is_empty() {
        return Err(ImageError::Format {
            input,
            kind: "OCI layout",
            reason: "`index.json` lists no manifests".to_string(),
        });
    }

    let chosen = choose(&input, &index.manifests, tag)?;
    let mut tags = names_of(&chosen);
    tags.extend(extra_tags);
    let descriptor = resolve_platform(store.as_ref(), chosen, platform, limits)?;
    let manifest_bytes = read_verified(store.as_ref(), &descriptor.digest, "manifest", limits)?;
    let manifest: Manifest = parse_json(&input, "the manifest", &manifest_bytes)?;
    let config_bytes = read_verified(store.as_ref(), &manifest.config.digest, "config", limits)?;

    let members = manifest
        .layers
        .iter()
        .map(|layer| blob_path(&input, &layer.digest))
        .collect::<Result<Vec<_>, _>>()?;
    let layers: Vec<LayerRef> = manifest
        .layers
        .iter()
        .zip(members)
        .map(|(layer, member)| LayerRef {
            member,
            media_type: layer.media_type.clone(),
            digest: layer.digest.clone(),
            diff_id: String::new(),
        })
        .collect();
    let media_type = manifest.media_type.clone().unwrap_or_else(|| {
        if descriptor.media_type.is_empty() {
            OCI_MANIFEST.to_string()
        } else {
            descriptor.media_type.clone()
        }
    });
    Image::assemble(
        store,
        layers,
        manifest_bytes,
        descriptor.digest.clone(),
        media_type,
        config_bytes,
        manifest.config.digest.clone(),
        tags,
    )
}

/// Picks the descriptor that `tag` names, or the only one.
fn choose(
    input: &str,
    manifests: &[Descriptor],
    tag: Option<&str>,
) -> Result<Descriptor, ImageError> {
    let label = |d: &Descriptor| {
        names_of(d)
            .into_iter()
            .next()
            .unwrap_or_else(|| d.digest.clone())
    };
    match tag {
        Some(wanted) => manifests
            .iter()
            .find(|d| matches_tag(&names_of(d), wanted) || d.digest == wanted)
            .cloned()
            .ok_or_else(|| ImageError::NotFound {
                input: input.to_string(),
                wanted: format!("tagged `{wanted}`"),
                available: manifests.iter().map(label).collect(),
            }),
        None if manifests.len() == 1 => Ok(manifests[0].clone()),
        None => Err(ImageError::Ambiguous {
            input: input.to_string(),
            choices: manifests.iter().map(label).collect(),
        }),
    }
}

/// Follows an image index to the manifest for the wanted platform (default: linux on the
/// host's architecture).
fn resolve_platform(
    store: &dyn BlobStore,
    descriptor: Descriptor,
    platform: Option<&str>,
    limits: &Limits,
) -> Result<Descriptor, ImageError> {
    if descriptor.media_type != OCI_INDEX && descriptor.media_type != DOCKER_MANIFEST_LIST {
        return Ok(descriptor);
    }
    let input = store.input();
    let bytes = read_verified(store, &descriptor.digest, "image index", limits)?;
    let index: Index = parse_json(input, "the image index", &bytes)?;
    let wanted = platform.map(str::to_string).unwrap_or_else(host_platform);
    let describe = |p: &Option<Platform>| match p {
        Some(p) => match &p.variant {
            Some(v) => format!("{}/{}/{}", p.os, p.architecture, v),
            None => format!("{}/{}", p.os, p.architecture),
        },
        None => "unknown".to_string(),
    };
    index
        .manifests
        .iter()
        .find(|d| {
            let name = describe(&d.platform);
            name == wanted
                || (wanted.matches('/').count() == 1 && name.starts_with(&format!("{wanted}/")))
        })
        .cloned()
        .ok_or_else(|| ImageError::NotFound {
            input: input.to_string(),
            wanted: format!("for platform `{wanted}`"),
            available: index
                .manifests
                .iter()
                .map(|d| describe(&d.platform))
                .collect(),
        })
}

fn host_platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("linux/{arch}")
}
