//! Images pulled from a registry: the manifest (through an index, for the wanted platform)
//! and config are fetched and checked against their digests, and each layer is downloaded
//! only when a reader is ready for it, streamed through the scan and checked as it goes —
//! never written to disk.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use plimsoll_registry::{ClientOptions, Descriptor, Platform, Reference, RegistryClient};

use crate::blobs::BlobStore;
use crate::source::{Image, LayerRef};
use crate::{ImageError, Limits};

/// The layers of one image in one repository.
#[derive(Debug)]
struct RegistryStore {
    client: RegistryClient,
    input: String,
    /// Layer descriptors by digest.
    layers: HashMap<String, Descriptor>,
}

impl BlobStore for RegistryStore {
    fn input(&self) -> &str {
        &self.input
    }

    fn exists(&self, name: &str) -> bool {
        self.layers.contains_key(name)
    }

    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send>, u64), ImageError> {
        let descriptor = self.layers.get(name).ok_or_else(|| ImageError::Format {
            input: self.input.clone(),
            kind: "image",
            reason: format!("the manifest names no layer `{name}`"),
        })?;
        let blob = self
            .client
            .blob(descriptor, "layer")
            .map_err(|error| ImageError::registry(&self.input, error))?;
        Ok((Box::new(blob), descriptor.size))
    }

    fn deferred_size(&self, name: &str) -> Option<u64> {
        self.layers.get(name).map(|descriptor| descriptor.size)
    }
}

/// Opens the image a reference names, for `platform` (default: Linux on the host's
/// architecture) when the reference names an index.
pub(crate) fn open_image(
    input: &str,
    reference: &str,
    platform: Option<&str>,
    options: &ClientOptions,
    limits: &Limits,
) -> Result<Image, ImageError> {
    let pull_error = |error| ImageError::registry(input, error);
    let reference = Reference::parse(reference).map_err(pull_error)?;
    let wanted = match platform {
        Some(text) => Platform::parse(text).ok_or_else(|| ImageError::Unrecognized {
            input: input.to_string(),
            reason: format!("`{text}` is not a platform (OS/ARCH[/VARIANT])"),
        })?,
        None => Platform::host(),
    };
    let options = ClientOptions {
        max_document: limits.max_json_document,
        ..options.clone()
    };

    let client = RegistryClient::connect(&reference, &options).map_err(pull_error)?;
    let resolved = client.resolve(&reference, &wanted).map_err(pull_error)?;
    let config = client
        .blob_bytes(&resolved.config, "image config")
        .map_err(pull_error)?;

    let layers: Vec<LayerRef> = resolved
        .layers
        .iter()
        .map(|layer| LayerRef {
            member: layer.digest.clone(),
            media_type: layer.media_type.clone(),
            digest: layer.digest.clone(),
            diff_id: String::new(),
        })
        .collect();
    let repo_digest = reference.with_digest(
        &resolved
            .index
            .as_ref()
            .map_or(&resolved.manifest.digest, |index| &index.digest)
            .clone(),
    );
    let store = RegistryStore {
        client,
        input: input.to_string(),
        layers: resolved
            .layers
            .iter()
            .map(|layer| (layer.digest.clone(), layer.clone()))
            .collect(),
    };
    let mut image = Image::assemble(
        Arc::new(store),
        layers,
        resolved.manifest.bytes,
        resolved.manifest.digest,
        resolved.manifest.media_type,
        config,
        resolved.config.digest,
        reference.tagged_name().into_iter().collect(),
    )?;
    image.metadata.repo_digests = vec![repo_digest];
    Ok(image)
}
