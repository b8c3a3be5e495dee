//! Naming and opening a source: `docker-archive:`, `oci-archive:`, `oci-dir:`, `dir:`,
//! `file:`, `registry:`, or a bare path or image reference whose kind is detected.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use plimsoll_model::{HistoryEntry, ImageMetadata, LayerMetadata};
use plimsoll_registry::{ClientOptions, Reference};
use serde::Deserialize;

use crate::archive::TarArchive;
use crate::blobs::{BlobStore, DirStore};
use crate::layer::{read_layer, LayerJob};
use crate::oci::parse_json;
use crate::{docker, oci, Capture, FileIndex, ImageError, Limits, Progress};

/// The kinds of source Plimsoll reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    DockerArchive,
    OciArchive,
    OciDir,
    Dir,
    File,
    /// An image in a registry, pulled over the OCI Distribution API.
    Registry,
}

/// A parsed source argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpec {
    pub kind: SourceKind,
    /// The file system path; for a registry source, the image reference as given.
    pub path: PathBuf,
    /// The tag chosen inside an archive or layout (`oci-dir:PATH:TAG`).
    pub tag: Option<String>,
    /// What the user typed.
    pub input: String,
}

impl SourceSpec {
    /// Parses a source argument, detecting the kind of a bare path from its content.
    pub fn parse(input: &str) -> Result<Self, ImageError> {
        let schemes = [
            ("docker-archive:", Some(SourceKind::DockerArchive)),
            ("oci-archive:", Some(SourceKind::OciArchive)),
            ("oci-dir:", Some(SourceKind::OciDir)),
            ("dir:", Some(SourceKind::Dir)),
            ("file:", Some(SourceKind::File)),
            ("docker:", None),
            ("podman:", None),
        ];
        if let Some(reference) = input.strip_prefix("registry:") {
            return Ok(SourceSpec {
                kind: SourceKind::Registry,
                path: PathBuf::from(reference),
                tag: None,
                input: input.to_string(),
            });
        }
        for (scheme, kind) in schemes {
            if let Some(rest) = input.strip_prefix(scheme) {
                let Some(kind) = kind else {
                    return Err(ImageError::Unrecognized {
                        input: input.to_string(),
                        reason: format!(
                            "the `{}` source is not supported yet",
                            scheme.trim_end_matches(':')
                        ),
                    });
                };
                let (path, tag) =
                    split_tag(rest, matches!(kind, SourceKind::Dir | SourceKind::File));
                return Ok(SourceSpec {
                    kind,
                    path,
                    tag,
                    input: input.to_string(),
                });
            }
        }
        let (path, tag) = split_tag(input, false);
        // A bare image reference, when no file of that name exists.
        if !path.exists() && Reference::looks_like(input) {
            return Ok(SourceSpec {
                kind: SourceKind::Registry,
                path: PathBuf::from(input),
                tag: None,
                input: input.to_string(),
            });
        }
        let kind = detect(input, &path)?;
        let tag = if matches!(kind, SourceKind::Dir | SourceKind::File) {
            None
        } else {
            tag
        };
        Ok(SourceSpec {
            kind,
            path,
            tag,
            input: input.to_string(),
        })
    }
}

/// Splits `PATH:TAG` when `PATH` exists and the whole does not.
fn split_tag(rest: &str, never: bool) -> (PathBuf, Option<String>) {
    if never || Path::new(rest).exists() {
        return (PathBuf::from(rest), None);
    }
    match rest.rsplit_once(':') {
        Some((path, tag)) if !tag.is_empty() && !tag.contains('/') && Path::new(path).exists() => {
            (PathBuf::from(path), Some(tag.to_string()))
        }
        _ => (PathBuf::from(rest), None),
    }
}

/// Tells an image archive, an OCI layout, a directory and a plain file apart.
fn detect(input: &str, path: &Path) -> Result<SourceKind, ImageError> {
    let meta = std::fs::metadata(path).map_err(|e| ImageError::Unrecognized {
        input: input.to_string(),
        reason: format!("{e}, and it is not an image reference either"),
    })?;
    if meta.is_dir() {
        let layout = path.join("oci-layout").is_file() && path.join("index.json").is_file();
        return Ok(if layout {
            SourceKind::OciDir
        } else {
            SourceKind::Dir
        });
    }
    match TarArchive::open(path, input) {
        Ok(archive) if archive.exists("manifest.json") => Ok(SourceKind::DockerArchive),
        Ok(archive) if archive.exists("index.json") => Ok(SourceKind::OciArchive),
        Ok(_) => Ok(SourceKind::File),
        // A file that starts like a tar archive but cannot be read as one is a broken
        // archive, not a plain file to catalog.
        Err(error) if looks_like_tar(path) => Err(error),
        Err(_) => Ok(SourceKind::File),
    }
}

/// Whether the file starts with a POSIX or GNU tar header (`ustar` magic at offset 257).
fn looks_like_tar(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 263];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && &header[257..262] == b"ustar"
}

/// A layer as the manifest names it.
#[derive(Debug, Clone)]
pub(crate) struct LayerRef {
    pub member: String,
    pub media_type: String,
    pub digest: String,
    pub diff_id: String,
}

/// An opened container image: metadata read, layers not yet.
#[derive(Debug)]
pub struct Image {
    pub metadata: ImageMetadata,
    store: Arc<dyn BlobStore>,
    layers: Vec<LayerRef>,
    layer_cache: Option<crate::LayerCache>,
}

#[derive(Debug, Deserialize)]
struct Config {
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    os: String,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    history: Vec<History>,
    rootfs: RootFs,
}

#[derive(Debug, Deserialize)]
struct RootFs {
    #[serde(default)]
    diff_ids: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct History {
    created: Option<String>,
    created_by: Option<String>,
    comment: Option<String>,
    #[serde(default)]
    empty_layer: bool,
}

/// The diff IDs a config lists.
pub(crate) fn diff_ids(input: &str, config: &[u8]) -> Result<Vec<String>, ImageError> {
    let config: Config = parse_json(input, "the image config", config)?;
    Ok(config.rootfs.diff_ids)
}

impl Image {
    /// Builds an image from its manifest facts and config, checking they agree.
    #[expect(
        clippy::too_many_arguments,
        reason = "one call per manifest format, each naming every fact"
    )]
    pub(crate) fn assemble(
        store: Arc<dyn BlobStore>,
        mut layers: Vec<LayerRef>,
        raw_manifest: Vec<u8>,
        manifest_digest: String,
        media_type: String,
        raw_config: Vec<u8>,
        config_digest: String,
        tags: Vec<String>,
    ) -> Result<Image, ImageError> {
        let input = store.input().to_string();
        let config: Config = parse_json(&input, "the image config", &raw_config)?;
        if config.rootfs.diff_ids.len() != layers.len() {
            return Err(ImageError::Format {
                input,
                kind: "image",
                reason: format!(
                    "the manifest lists {} layers but the config lists {} diff IDs",
                    layers.len(),
                    config.rootfs.diff_ids.len()
                ),
            });
        }
        for (layer, diff_id) in layers.iter_mut().zip(&config.rootfs.diff_ids) {
            layer.diff_id = diff_id.clone();
        }
        let mut unique_tags: Vec<String> = Vec::new();
        for tag in tags {
            if !unique_tags.contains(&tag) {
                unique_tags.push(tag);
            }
        }
        let metadata = ImageMetadata {
            user_input: String::new(),
            image_id: config_digest,
            manifest_digest,
            media_type,
            tags: unique_tags,
            image_size: 0,
            layers: layers
                .iter()
                .map(|l| LayerMetadata {
                    media_type: l.media_type.clone(),
                    diff_id: l.diff_id.clone(),
                    digest: l.digest.clone(),
                    size: 0,
                })
                .collect(),
            raw_manifest,
            raw_config,
            repo_digests: Vec::new(),
            architecture: config.architecture,
            variant: config.variant.unwrap_or_default(),
            os: config.os,
            created: config.created,
            history: config
                .history
                .into_iter()
                .map(|h| HistoryEntry {
                    created: h.created,
                    created_by: h.created_by,
                    comment: h.comment,
                    empty_layer: h.empty_layer,
                })
                .collect(),
        };
        Ok(Image {
            metadata,
            store,
            layers,
            layer_cache: None,
        })
    }

    /// Reads layers the cache holds from it, and keeps the others there once read (and
    /// checked against their diff IDs).
    pub fn use_layer_cache(&mut self, cache: crate::LayerCache) {
        self.layer_cache = Some(cache);
    }

    /// Streams every layer once, in parallel, into a file index, keeping the contents of
    /// the files `wanted` accepts (and the condensed form of those it sniffs). Fills in the
    /// layer and image sizes.
    pub fn read_layers(
        &mut self,
        wanted: &dyn Capture,
        limits: Limits,
        progress: &Progress,
    ) -> Result<FileIndex, ImageError> {
        let input = self.store.input().to_string();
        let cached: Vec<Option<crate::Layer>> = self
            .layers
            .iter()
            .map(|layer| {
                let cache = self.layer_cache.as_ref()?;
                let found = cache.load(&layer.diff_id);
                tracing::debug!(layer = %layer.diff_id, hit = found.is_some(), "layer cache");
                found
            })
            .collect();
        let mut opened = Vec::new();
        for (layer, cached) in self.layers.iter().zip(&cached) {
            if cached.is_some() {
                opened.push(Mutex::new(None));
                continue;
            }
            if let Some(size) = self.store.deferred_size(&layer.member) {
                progress.bytes_total.fetch_add(size, Ordering::Relaxed);
                opened.push(Mutex::new(None));
                continue;
            }
            let (stream, size) = self.store.open(&layer.member)?;
            progress.bytes_total.fetch_add(size, Ordering::Relaxed);
            opened.push(Mutex::new(Some(stream)));
        }
        progress
            .layers_total
            .store(self.layers.len(), Ordering::Relaxed);

        let next = AtomicUsize::new(0);
        let total_uncompressed = AtomicU64::new(0);
        let results: Vec<Mutex<Option<Result<crate::Layer, ImageError>>>> = cached
            .into_iter()
            .map(|layer| {
                if layer.is_some() {
                    progress.layers_done.fetch_add(1, Ordering::Relaxed);
                }
                Mutex::new(layer.map(Ok))
            })
            .collect();
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(self.layers.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= self.layers.len() {
                        break;
                    }
                    if results[index].lock().is_ok_and(|slot| slot.is_some()) {
                        continue;
                    }
                    let stream = opened[index].lock().ok().and_then(|mut s| s.take());
                    let stream = match stream {
                        Some(stream) => Ok(stream),
                        None => self
                            .store
                            .open(&self.layers[index].member)
                            .map(|(stream, _)| stream),
                    };
                    let job = LayerJob {
                        input: &input,
                        diff_id: Some(self.layers[index].diff_id.clone()),
                        wanted,
                        limits,
                        progress,
                        total_uncompressed: &total_uncompressed,
                        verify_diff_id: self.layer_cache.is_some(),
                    };
                    let result = stream.and_then(|stream| read_layer(stream, &job));
                    if let (Some(cache), Ok(layer)) = (&self.layer_cache, &result) {
                        cache.store(layer);
                    }
                    progress.layers_done.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut slot) = results[index].lock() {
                        *slot = Some(result);
                    }
                });
            }
        });

        let mut index = FileIndex::default();
        for (position, slot) in results.into_iter().enumerate() {
            let result = slot
                .into_inner()
                .ok()
                .flatten()
                .ok_or_else(|| ImageError::Layer {
                    input: input.clone(),
                    layer: self.layers[position].diff_id.clone(),
                    reason: "it was not read".to_string(),
                })?;
            let layer = result?;
            self.metadata.layers[position].size = layer.uncompressed_size;
            index.layers.push(layer);
        }
        self.metadata.image_size = index.layers.iter().map(|l| l.uncompressed_size).sum();
        Ok(index)
    }
}

/// An opened source.
#[derive(Debug)]
pub enum Opened {
    Image(Box<Image>),
    /// A directory; its files are indexed when read.
    Directory(PathBuf),
    /// A single file.
    File(PathBuf),
}

/// Opens a source: reads an image's manifest and config, or checks a path exists. A
/// registry source is reached with the default options (HTTPS, credentials from the
/// Docker config file).
pub fn open(
    spec: &SourceSpec,
    platform: Option<&str>,
    limits: &Limits,
) -> Result<Opened, ImageError> {
    open_with(spec, platform, limits, &ClientOptions::default())
}

/// [`open`], with the options for reaching a registry.
pub fn open_with(
    spec: &SourceSpec,
    platform: Option<&str>,
    limits: &Limits,
    registry: &ClientOptions,
) -> Result<Opened, ImageError> {
    let input = spec.input.clone();
    let tag = spec.tag.as_deref();
    let mut image = match spec.kind {
        SourceKind::Dir => {
            if !spec.path.is_dir() {
                return Err(ImageError::Unrecognized {
                    input,
                    reason: "it is not a directory".to_string(),
                });
            }
            return Ok(Opened::Directory(spec.path.clone()));
        }
        SourceKind::File => {
            if !spec.path.is_file() {
                return Err(ImageError::Unrecognized {
                    input,
                    reason: "it is not a file".to_string(),
                });
            }
            return Ok(Opened::File(spec.path.clone()));
        }
        SourceKind::Registry => {
            let reference = spec.path.to_string_lossy();
            crate::registry::open_image(&input, &reference, platform, registry, limits)?
        }
        SourceKind::OciDir => {
            let store = Arc::new(DirStore {
                root: spec.path.clone(),
                input: input.clone(),
            });
            if !store.exists("index.json") {
                return Err(ImageError::Format {
                    input,
                    kind: "OCI layout",
                    reason: "it has no `index.json`".to_string(),
                });
            }
            oci::open_layout(store, tag, platform, Vec::new(), limits)?
        }
        SourceKind::OciArchive => {
            let store = Arc::new(TarArchive::open(&spec.path, &input)?);
            if !store.exists("index.json") {
                return Err(ImageError::Format {
                    input,
                    kind: "OCI archive",
                    reason: "it has no `index.json`".to_string(),
                });
            }
            oci::open_layout(store, tag, platform, Vec::new(), limits)?
        }
        SourceKind::DockerArchive => {
            let store: Arc<dyn BlobStore> = Arc::new(TarArchive::open(&spec.path, &input)?);
            let entries = docker::read_manifest(store.as_ref(), limits)?;
            let entry = docker::choose(&input, &entries, tag)?;
            if store.exists("index.json") && store.exists("oci-layout") {
                // Docker 25+ saves an OCI layout; its index holds the real manifest digest.
                let tags = entry.repo_tags.clone().unwrap_or_default();
                let config_member = entry.config.clone();
                match oci::open_layout(
                    store.clone(),
                    tag.or(tags.first().map(String::as_str)),
                    platform,
                    tags.clone(),
                    limits,
                ) {
                    Ok(image) => image,
                    Err(_) if !config_member.is_empty() => {
                        docker::open_classic(store, entry, limits)?
                    }
                    Err(error) => return Err(error),
                }
            } else {
                docker::open_classic(store, entry, limits)?
            }
        }
    };
    image.metadata.user_input = input;
    Ok(Opened::Image(Box::new(image)))
}
