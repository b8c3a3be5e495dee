//! Directory and single-file sources, indexed as one layer with no layer ID.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::index::{Entry, EntryKind, Inspected, Layer};
use crate::{Capture, FileIndex, ImageError, Limits, SNIFF_LENGTH};

/// Indexes a directory source (or a single file) as one layer with no layer ID, without
/// following links, keeping the contents of the files `wanted` accepts (and the condensed
/// form of those it sniffs).
pub fn read_directory(
    root: &Path,
    input: &str,
    wanted: &dyn Capture,
    limits: Limits,
) -> Result<FileIndex, ImageError> {
    let mut layer = Layer::default();
    let meta = fs::symlink_metadata(root).map_err(|e| ImageError::io(input, e))?;
    if meta.is_file() {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        add(
            &mut layer,
            root,
            &format!("/{name}"),
            &meta,
            input,
            wanted,
            &limits,
        )?;
    } else {
        let mut pending = vec![(root.to_path_buf(), String::new())];
        while let Some((dir, prefix)) = pending.pop() {
            let listing =
                fs::read_dir(&dir).map_err(|e| ImageError::io(dir.display().to_string(), e))?;
            for item in listing {
                let item = item.map_err(|e| ImageError::io(dir.display().to_string(), e))?;
                let path = format!("{prefix}/{}", item.file_name().to_string_lossy());
                let meta = fs::symlink_metadata(item.path())
                    .map_err(|e| ImageError::io(item.path().display().to_string(), e))?;
                if meta.is_dir() {
                    pending.push((item.path(), path.clone()));
                }
                add(
                    &mut layer,
                    &item.path(),
                    &path,
                    &meta,
                    input,
                    wanted,
                    &limits,
                )?;
            }
        }
    }
    Ok(FileIndex {
        layers: vec![layer],
    })
}

/// Reads the head of a file not wanted by path and, if `wanted` sniffs it, condenses the
/// whole file. Unreadable or oversized files are skipped: no cataloger asked for them by
/// name, so they are not worth failing the scan for.
fn sniff(
    real: &Path,
    path: &str,
    size: u64,
    wanted: &dyn Capture,
    limits: &Limits,
) -> Option<Vec<u8>> {
    if size < 4 {
        return None;
    }
    let mut file = fs::File::open(real).ok()?;
    let mut head = [0u8; SNIFF_LENGTH];
    let length = read_head(&mut file, &mut head).ok()?;
    if !wanted.sniffs(&head[..length]) {
        return None;
    }
    if size > limits.max_sniffed_file {
        tracing::warn!(
            path,
            size_bytes = size,
            "skipping an executable larger than {} bytes",
            limits.max_sniffed_file
        );
        return None;
    }
    let mut content = head[..length].to_vec();
    file.read_to_end(&mut content).ok()?;
    wanted.condense(path, &content)
}

/// Fills `head` as far as the reader allows; returns how many bytes were read.
pub(crate) fn read_head(reader: &mut impl Read, head: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < head.len() {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

fn add(
    layer: &mut Layer,
    real: &Path,
    path: &str,
    meta: &fs::Metadata,
    input: &str,
    wanted: &dyn Capture,
    limits: &Limits,
) -> Result<(), ImageError> {
    let file_type = meta.file_type();
    let (kind, link) = if file_type.is_file() {
        (EntryKind::File, None)
    } else if file_type.is_dir() {
        (EntryKind::Dir, None)
    } else if file_type.is_symlink() {
        let target =
            fs::read_link(real).map_err(|e| ImageError::io(real.display().to_string(), e))?;
        (
            EntryKind::Symlink,
            Some(target.to_string_lossy().into_owned()),
        )
    } else {
        (EntryKind::Other, None)
    };
    if kind == EntryKind::File && wanted.wants(path) {
        if meta.len() > limits.max_captured_file {
            return Err(ImageError::Limit {
                input: input.to_string(),
                what: format!(
                    "`{path}` is {} bytes, more than the {} a cataloged file may have",
                    meta.len(),
                    limits.max_captured_file
                ),
            });
        }
        let bytes = fs::read(real).map_err(|e| ImageError::io(real.display().to_string(), e))?;
        layer.contents.insert(path.to_string(), Arc::from(bytes));
    } else if kind == EntryKind::File {
        if let Some(condensed) = sniff(real, path, meta.len(), wanted, limits) {
            layer
                .contents
                .insert(path.to_string(), Arc::from(condensed));
        }
    }
    if kind == EntryKind::File && wanted.inspects() && meta.len() <= limits.max_inspected_file {
        let content = match layer.contents.get(path) {
            Some(captured) if wanted.wants(path) => Some(captured.to_vec()),
            _ => fs::read(real).ok(),
        };
        if let Some(content) = content {
            layer.inspected.insert(
                path.to_string(),
                Inspected {
                    sha256: Sha256::digest(&content).into(),
                    matches: wanted.search(path, &content),
                },
            );
        }
    }
    layer.uncompressed_size += if kind == EntryKind::File {
        meta.len()
    } else {
        0
    };
    layer.entries.insert(
        path.to_string(),
        Entry {
            kind,
            link,
            size: meta.len(),
            mode: meta.permissions().mode(),
            uid: u64::from(meta.uid()),
            gid: u64::from(meta.gid()),
        },
    );
    Ok(())
}
