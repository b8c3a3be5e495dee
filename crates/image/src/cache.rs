//! A layer cache keyed by diff ID: what reading a layer produced (its entries, whiteouts and
//! captured contents) is kept on disk, so that an image sharing layers with one read before
//! neither downloads nor decompresses them again.
//!
//! A layer is cached only after its uncompressed content was checked against its diff ID,
//! so a source cannot plant a false layer under another layer's name. Entries are written
//! to a temporary file and renamed into place, so readers never see half a file; a file
//! that does not decode (truncated, another format version) is a miss, never an error.
//!
//! The folder is bounded: after each store, when its files (every capture set and format
//! version under it) exceed the limit, the least recently used are removed until a tenth
//! of the limit is free. A load marks its file used.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::index::{Entry, EntryKind, Inspected, Layer, SearchHit};

/// The encoding's version; part of the folder name, so older files are simply not found.
const FORMAT: u32 = 2;
const MAGIC: &[u8; 8] = b"PLIMLAYR";
/// The largest cache file decoded.
const MAX_DECODED: usize = 2 << 30;
/// The default bound on the whole cache folder: 10 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 10 << 30;
/// A temporary file left this long was abandoned by a writer that died.
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// A folder of cached layers for one capture set (catalogers and content inspection).
#[derive(Debug, Clone)]
pub struct LayerCache {
    /// The folder given, holding every capture set's folder; the size bound covers it.
    root: PathBuf,
    dir: PathBuf,
    max_bytes: u64,
}

impl LayerCache {
    /// A cache under `dir`. `capture_set` names what the reader captures (for example the
    /// cataloger set): layers read for different sets keep different contents, so they
    /// must not share entries.
    pub fn new(dir: impl Into<PathBuf>, capture_set: &str) -> LayerCache {
        let name = format!(
            "{capture_set}-v{FORMAT}-{}",
            env!("CARGO_PKG_VERSION").replace('.', "_")
        );
        let root = dir.into();
        LayerCache {
            dir: root.join(name),
            root,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// Bounds the whole cache folder to `max_bytes` (default [`DEFAULT_MAX_BYTES`]).
    pub fn with_max_bytes(mut self, max_bytes: u64) -> LayerCache {
        self.max_bytes = max_bytes;
        self
    }

    fn path_of(&self, diff_id: &str) -> Option<PathBuf> {
        let hex = diff_id.strip_prefix("sha256:")?;
        let valid = hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        valid.then(|| self.dir.join(format!("{hex}.layer.zst")))
    }

    /// The cached layer with this diff ID, if there is a readable one.
    pub(crate) fn load(&self, diff_id: &str) -> Option<Layer> {
        let path = self.path_of(diff_id)?;
        let compressed = std::fs::read(&path).ok()?;
        let bytes = zstd::bulk::decompress(&compressed, MAX_DECODED).ok()?;
        let layer = decode(&bytes)?;
        if layer.diff_id.as_deref() != Some(diff_id) {
            return None;
        }
        // Used now: the last to be evicted. A failure only makes it look older.
        let _ = std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|file| file.set_modified(SystemTime::now()));
        Some(layer)
    }

    /// Keeps a layer whose content was checked against its diff ID. Failures only warn:
    /// the cache is an optimisation.
    pub(crate) fn store(&self, layer: &Layer) {
        let Some(path) = layer.diff_id.as_deref().and_then(|d| self.path_of(d)) else {
            return;
        };
        let written = std::fs::create_dir_all(&self.dir).and_then(|()| {
            let compressed = zstd::bulk::compress(&encode(layer), 1)?;
            let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
            file.write_all(&compressed)?;
            file.persist(&path).map_err(|e| e.error)?;
            Ok(())
        });
        if let Err(error) = written {
            tracing::warn!(path = %path.display(), error = %error, "failed to cache a layer");
        }
        self.evict();
    }

    /// Removes the least recently used files until the folder is within its bound, and
    /// temporary files that writers abandoned.
    fn evict(&self) {
        let now = SystemTime::now();
        let mut files = Vec::new();
        let mut total = 0u64;
        for set in read_dir_paths(&self.root) {
            for path in read_dir_paths(&set) {
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.starts_with(".tmp") {
                    if now.duration_since(used).unwrap_or_default() > ABANDONED_AFTER {
                        let _ = std::fs::remove_file(&path);
                    }
                } else if name.ends_with(".layer.zst") {
                    total += meta.len();
                    files.push((used, meta.len(), path));
                }
            }
        }
        if total <= self.max_bytes {
            return;
        }
        files.sort();
        let target = self.max_bytes - self.max_bytes / 10;
        let mut removed = 0;
        for (_, size, path) in files {
            if total <= target {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= size;
                removed += 1;
            }
        }
        tracing::info!(
            folder = %self.root.display(), removed, bytes = total,
            "evicted the least recently used cached layers"
        );
    }
}

/// The entries of a folder; none when it cannot be read.
fn read_dir_paths(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default()
}

fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u64(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn encode(layer: &Layer) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    put_bytes(&mut out, layer.diff_id.as_deref().unwrap_or("").as_bytes());
    put_u64(&mut out, layer.uncompressed_size);
    put_u64(&mut out, layer.entries.len() as u64);
    for (path, entry) in &layer.entries {
        put_bytes(&mut out, path.as_bytes());
        out.push(match entry.kind {
            EntryKind::File => 0,
            EntryKind::Dir => 1,
            EntryKind::Symlink => 2,
            EntryKind::Hardlink => 3,
            EntryKind::Other => 4,
        });
        match &entry.link {
            Some(link) => {
                out.push(1);
                put_bytes(&mut out, link.as_bytes());
            }
            None => out.push(0),
        }
        put_u64(&mut out, entry.size);
        put_u64(&mut out, u64::from(entry.mode));
        put_u64(&mut out, entry.uid);
        put_u64(&mut out, entry.gid);
    }
    for list in [&layer.whiteouts, &layer.opaque_dirs] {
        put_u64(&mut out, list.len() as u64);
        for path in list {
            put_bytes(&mut out, path.as_bytes());
        }
    }
    put_u64(&mut out, layer.contents.len() as u64);
    for (path, content) in &layer.contents {
        put_bytes(&mut out, path.as_bytes());
        put_bytes(&mut out, content);
    }
    put_u64(&mut out, layer.inspected.len() as u64);
    for (path, inspected) in &layer.inspected {
        put_bytes(&mut out, path.as_bytes());
        out.extend_from_slice(&inspected.sha256);
        put_u64(&mut out, inspected.matches.len() as u64);
        for hit in &inspected.matches {
            put_u64(&mut out, u64::from(hit.pattern));
            put_u64(&mut out, u64::from(hit.line));
        }
    }
    out
}

/// Reads values off a byte slice; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let length = usize::try_from(self.u64()?).ok()?;
        self.take(length)
    }

    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    /// A count that cannot exceed what the remaining bytes could hold.
    fn count(&mut self) -> Option<usize> {
        let count = usize::try_from(self.u64()?).ok()?;
        (count <= self.bytes.len()).then_some(count)
    }
}

fn decode(bytes: &[u8]) -> Option<Layer> {
    let mut reader = Reader { bytes };
    if reader.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let diff_id = reader.string()?;
    let uncompressed_size = reader.u64()?;
    let mut entries = BTreeMap::new();
    for _ in 0..reader.count()? {
        let path = reader.string()?;
        let kind = match reader.u8()? {
            0 => EntryKind::File,
            1 => EntryKind::Dir,
            2 => EntryKind::Symlink,
            3 => EntryKind::Hardlink,
            4 => EntryKind::Other,
            _ => return None,
        };
        let link = match reader.u8()? {
            0 => None,
            1 => Some(reader.string()?),
            _ => return None,
        };
        let entry = Entry {
            kind,
            link,
            size: reader.u64()?,
            mode: u32::try_from(reader.u64()?).ok()?,
            uid: reader.u64()?,
            gid: reader.u64()?,
        };
        entries.insert(path, entry);
    }
    let mut lists = [Vec::new(), Vec::new()];
    for list in &mut lists {
        for _ in 0..reader.count()? {
            list.push(reader.string()?);
        }
    }
    let [whiteouts, opaque_dirs] = lists;
    let mut contents = HashMap::new();
    for _ in 0..reader.count()? {
        let path = reader.string()?;
        let content: Arc<[u8]> = Arc::from(reader.bytes()?);
        contents.insert(path, content);
    }
    let mut inspected = HashMap::new();
    for _ in 0..reader.count()? {
        let path = reader.string()?;
        let sha256: [u8; 32] = reader.take(32)?.try_into().ok()?;
        let mut matches = Vec::new();
        for _ in 0..reader.count()? {
            let pattern = u32::try_from(reader.u64()?).ok()?;
            let line = u32::try_from(reader.u64()?).ok()?;
            matches.push(SearchHit { pattern, line });
        }
        inspected.insert(path, Inspected { sha256, matches });
    }
    if !reader.bytes.is_empty() {
        return None;
    }
    Some(Layer {
        diff_id: Some(diff_id),
        entries,
        whiteouts,
        opaque_dirs,
        contents,
        inspected,
        uncompressed_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Layer {
        let mut layer = Layer {
            diff_id: Some(format!("sha256:{}", "ab".repeat(32))),
            uncompressed_size: 4096,
            whiteouts: vec!["/gone".into()],
            opaque_dirs: vec!["/opt".into()],
            ..Layer::default()
        };
        layer.entries.insert(
            "/bin/sh".into(),
            Entry {
                kind: EntryKind::Symlink,
                link: Some("busybox".into()),
                size: 0,
                mode: 0o777,
                uid: 0,
                gid: 0,
            },
        );
        layer
            .contents
            .insert("/etc/os-release".into(), Arc::from(&b"ID=debian\n"[..]));
        layer.inspected.insert(
            "/etc/passwd".into(),
            Inspected {
                sha256: [7; 32],
                matches: vec![
                    SearchHit {
                        pattern: 0,
                        line: 2,
                    },
                    SearchHit {
                        pattern: 3,
                        line: 9,
                    },
                ],
            },
        );
        layer
    }

    #[test]
    fn layers_round_trip_and_broken_files_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = LayerCache::new(dir.path(), "test");
        let layer = sample();
        let diff_id = layer.diff_id.clone().unwrap();
        assert!(cache.load(&diff_id).is_none());
        cache.store(&layer);
        let loaded = cache.load(&diff_id).unwrap();
        assert_eq!(loaded.entries, layer.entries);
        assert_eq!(loaded.whiteouts, layer.whiteouts);
        assert_eq!(loaded.opaque_dirs, layer.opaque_dirs);
        assert_eq!(loaded.contents, layer.contents);
        assert_eq!(loaded.inspected, layer.inspected);
        assert_eq!(loaded.uncompressed_size, 4096);

        let path = cache.path_of(&diff_id).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(cache.load(&diff_id).is_none(), "a truncated file is a miss");
        let encoded = encode(&layer);
        for cut in [0, 8, 20, encoded.len() - 1] {
            assert!(decode(&encoded[..cut]).is_none(), "cut at {cut}");
        }
        assert!(cache.path_of("sha256:../../etc").is_none());
        assert!(LayerCache::new(dir.path(), "other")
            .load(&diff_id)
            .is_none());
    }

    #[test]
    fn the_folder_keeps_to_its_bound_by_evicting_the_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let layer_with = |n: u8| {
            let mut layer = sample();
            layer.diff_id = Some(format!("sha256:{}", format!("{n:02x}").repeat(32)));
            layer
        };
        let size_of = |cache: &LayerCache, layer: &Layer| {
            let path = cache.path_of(layer.diff_id.as_deref().unwrap()).unwrap();
            std::fs::metadata(path).unwrap().len()
        };
        let probe = LayerCache::new(dir.path(), "probe");
        probe.store(&layer_with(0));
        let one = size_of(&probe, &layer_with(0));
        std::fs::remove_dir_all(dir.path().join(probe.dir.file_name().unwrap())).unwrap();

        // Room for three layers; each store is stamped older than the next.
        let cache = LayerCache::new(dir.path(), "test").with_max_bytes(3 * one + one / 2);
        let stamp = |cache: &LayerCache, n: u8, seconds: u64| {
            let path = cache
                .path_of(layer_with(n).diff_id.as_deref().unwrap())
                .unwrap();
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
                .unwrap();
        };
        for n in 1..=3 {
            cache.store(&layer_with(n));
            stamp(&cache, n, u64::from(n) * 1000);
        }
        // Loading the oldest makes it the most recently used.
        assert!(cache
            .load(layer_with(1).diff_id.as_deref().unwrap())
            .is_some());
        // A fourth goes over the bound: the least recently used (2) goes.
        cache.store(&layer_with(4));
        let cached = |n: u8| {
            cache
                .path_of(layer_with(n).diff_id.as_deref().unwrap())
                .unwrap()
                .exists()
        };
        assert!(cached(1) && !cached(2) && cached(3) && cached(4));

        // Another capture set's files count against the same bound.
        let other = LayerCache::new(dir.path(), "other").with_max_bytes(3 * one + one / 2);
        other.store(&layer_with(5));
        let remaining = [1, 3, 4].into_iter().filter(|&n| cached(n)).count();
        assert_eq!(remaining, 2, "one of the older layers made room");

        // A temporary file abandoned an hour ago goes; a fresh one stays.
        let abandoned = cache.dir.join(".tmpABANDONED");
        let fresh = cache.dir.join(".tmpFRESH");
        std::fs::write(&abandoned, b"x").unwrap();
        std::fs::write(&fresh, b"x").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&abandoned)
            .unwrap()
            .set_modified(SystemTime::now() - 2 * ABANDONED_AFTER)
            .unwrap();
        cache.store(&layer_with(6));
        assert!(!abandoned.exists() && fresh.exists());
    }
}
