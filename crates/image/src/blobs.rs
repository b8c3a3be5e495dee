//! Where manifests, configs and layers are read from: a directory or a tar archive.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use crate::ImageError;

/// A store of named files: an OCI layout directory or the members of an archive.
pub(crate) trait BlobStore: Send + Sync + std::fmt::Debug {
    /// The user's name for the store, for error messages.
    fn input(&self) -> &str;

    /// Whether a file of that name exists.
    fn exists(&self, name: &str) -> bool;

    /// Opens a file for streaming, with its size.
    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send>, u64), ImageError>;

    /// The size of a blob that is costly to open (a download), known without opening it.
    /// Such blobs are opened only when a reader is ready for them, so that no connection
    /// sits idle while other layers are read.
    fn deferred_size(&self, name: &str) -> Option<u64> {
        let _ = name;
        None
    }

    /// Reads a small file (a manifest, a config) whole, refusing one over `limit` bytes.
    fn read_small(&self, name: &str, limit: u64) -> Result<Vec<u8>, ImageError> {
        let (reader, size) = self.open(name)?;
        if size > limit {
            return Err(ImageError::Limit {
                input: self.input().to_string(),
                what: format!("`{name}` is {size} bytes, more than the {limit} allowed"),
            });
        }
        let mut bytes = Vec::with_capacity(size as usize);
        reader
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ImageError::io(format!("{}: {name}", self.input()), e))?;
        if (bytes.len() as u64) < size {
            return Err(ImageError::Format {
                input: self.input().to_string(),
                kind: "image",
                reason: format!("`{name}` is truncated"),
            });
        }
        Ok(bytes)
    }
}

/// The name of a content-addressed blob in an OCI layout, after checking that the digest
/// is well formed (so that a hostile digest cannot name a path outside the layout).
pub(crate) fn blob_path(input: &str, digest: &str) -> Result<String, ImageError> {
    let bad = || ImageError::Format {
        input: input.to_string(),
        kind: "image",
        reason: format!("`{digest}` is not a valid digest"),
    };
    let (algorithm, hex) = digest.split_once(':').ok_or_else(bad)?;
    let algorithm_ok = !algorithm.is_empty()
        && algorithm
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let hex_ok = !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    if !algorithm_ok || !hex_ok {
        return Err(bad());
    }
    Ok(format!("blobs/{algorithm}/{hex}"))
}

/// An OCI layout or unpacked archive on disk.
#[derive(Debug)]
pub(crate) struct DirStore {
    pub(crate) root: PathBuf,
    pub(crate) input: String,
}

impl DirStore {
    fn path_of(&self, name: &str) -> Option<PathBuf> {
        let clean = crate::path::normalise_entry(name)?;
        Some(self.root.join(clean.trim_start_matches('/')))
    }
}

impl BlobStore for DirStore {
    fn input(&self) -> &str {
        &self.input
    }

    fn exists(&self, name: &str) -> bool {
        self.path_of(name).is_some_and(|p| p.is_file())
    }

    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send>, u64), ImageError> {
        let path = self.path_of(name).ok_or_else(|| ImageError::Format {
            input: self.input.clone(),
            kind: "OCI layout",
            reason: format!("`{name}` names a file outside the layout"),
        })?;
        let file = File::open(&path).map_err(|e| ImageError::io(path.display().to_string(), e))?;
        let size = file
            .metadata()
            .map_err(|e| ImageError::io(path.display().to_string(), e))?
            .len();
        Ok((Box::new(file), size))
    }
}
