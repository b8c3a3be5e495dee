//! Streaming one layer: detect its compression, walk its tar entries once, record every
//! entry and whiteout, and keep the contents of the files that catalogers want.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::directory::read_head;
use sha2::{Digest, Sha256};

use crate::index::{Entry, EntryKind, Inspected, Layer};
use crate::path::{join_in_root, normalise_entry, parent};
use crate::{Capture, ImageError, Limits, SNIFF_LENGTH};

/// Counters that a progress display can read while layers are being read.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of layer data read so far, as stored (compressed where it is).
    pub bytes_read: AtomicU64,
    /// Bytes that all layers hold, as stored.
    pub bytes_total: AtomicU64,
    /// Layers finished.
    pub layers_done: AtomicUsize,
    /// Layers in all.
    pub layers_total: AtomicUsize,
}

/// What a layer reader needs besides the stream itself.
pub(crate) struct LayerJob<'a> {
    pub input: &'a str,
    pub diff_id: Option<String>,
    pub wanted: &'a dyn Capture,
    pub limits: Limits,
    pub progress: &'a Progress,
    /// Uncompressed bytes read by every layer of the source so far.
    pub total_uncompressed: &'a AtomicU64,
    /// Whether to check the uncompressed content against the diff ID (for layers that are
    /// going into the layer cache).
    pub verify_diff_id: bool,
}

/// Why a meter stopped a read, kept apart from I/O errors so it can be reported as a limit.
#[derive(Debug)]
struct LimitExceeded(String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitExceeded {}

/// Counts the bytes read from the stored (compressed) stream.
struct StoredMeter<'a, R> {
    inner: R,
    count: Arc<AtomicU64>,
    progress: &'a Progress,
}

impl<R: Read> Read for StoredMeter<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        self.progress
            .bytes_read
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Counts uncompressed bytes and stops the read when a limit is passed.
struct ExpandedMeter<'a, R> {
    inner: R,
    expanded: u64,
    /// Hashes the uncompressed stream when the diff ID is checked.
    hasher: Option<sha2::Sha256>,
    stored: Arc<AtomicU64>,
    compressed: bool,
    job: &'a LayerJob<'a>,
}

impl<R: Read> Read for ExpandedMeter<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.expanded += n as u64;
        if let Some(hasher) = &mut self.hasher {
            sha2::Digest::update(hasher, &buf[..n]);
        }
        let limits = &self.job.limits;
        let total = self
            .job
            .total_uncompressed
            .fetch_add(n as u64, Ordering::Relaxed)
            + n as u64;
        if total > limits.max_uncompressed_total {
            return Err(io::Error::other(LimitExceeded(format!(
                "the layers expand to more than {} bytes, the most allowed",
                limits.max_uncompressed_total
            ))));
        }
        let stored = self.stored.load(Ordering::Relaxed).max(1);
        if self.compressed
            && self.expanded > limits.ratio_floor
            && self.expanded / stored > limits.max_expansion_ratio
        {
            return Err(io::Error::other(LimitExceeded(format!(
                "a layer expands more than {}-fold ({} bytes from {}): a decompression bomb",
                limits.max_expansion_ratio, self.expanded, stored
            ))));
        }
        Ok(n)
    }
}

/// Completes the last 512-byte tar block with zeros when a stream ends inside it. Some
/// image writers end a layer right after the last file's data, without the block padding
/// and end-of-archive marker that tar(5) asks for; the data itself is whole. Where the
/// stream ended is kept, so that a stream cut inside a file's data is still reported.
struct BlockPad<R> {
    inner: R,
    delivered: u64,
    /// The stream position where the input ended, when zeros were added after it.
    padded_from: Option<u64>,
}

impl<R: Read> Read for BlockPad<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = if self.padded_from.is_some() {
            0
        } else {
            self.inner.read(buf)?
        };
        if n > 0 {
            self.delivered += n as u64;
            return Ok(n);
        }
        let missing = (512 - self.delivered % 512) % 512;
        if missing == 0 {
            return Ok(0);
        }
        self.padded_from.get_or_insert(self.delivered);
        let fill = (missing as usize).min(buf.len());
        buf[..fill].fill(0);
        self.delivered += fill as u64;
        Ok(fill)
    }
}

/// Reads one layer stream into a [`Layer`].
pub(crate) fn read_layer(
    mut stream: Box<dyn Read + Send>,
    job: &LayerJob<'_>,
) -> Result<Layer, ImageError> {
    let layer_name = job.diff_id.clone().unwrap_or_default();
    let layer_error = |reason: String| ImageError::Layer {
        input: job.input.to_string(),
        layer: layer_name.clone(),
        reason,
    };
    let stored = Arc::new(AtomicU64::new(0));
    let metered = StoredMeter {
        inner: &mut stream,
        count: stored.clone(),
        progress: job.progress,
    };
    let mut buffered = BufReader::with_capacity(256 << 10, metered);
    let head = buffered
        .fill_buf()
        .map_err(|e| layer_error(e.to_string()))?;
    let (decoder, compressed): (Box<dyn Read + Send + '_>, bool) =
        if head.starts_with(&[0x1f, 0x8b]) {
            (
                Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
                true,
            )
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            let decoder = zstd::stream::read::Decoder::with_buffer(buffered)
                .map_err(|e| layer_error(e.to_string()))?;
            (Box::new(decoder), true)
        } else {
            (Box::new(buffered), false)
        };
    let expanded = ExpandedMeter {
        inner: decoder,
        expanded: 0,
        hasher: job.verify_diff_id.then(<sha2::Sha256 as sha2::Digest>::new),
        stored,
        compressed,
        job,
    };

    let mut layer = Layer {
        diff_id: job.diff_id.clone(),
        ..Layer::default()
    };
    // The tar stream ends before the stored blob does (end-of-archive blocks, the
    // compressor's trailer); reading the rest lets a verifying stream (a registry download)
    // check the whole blob's length and digest. After a failed read the rest is read too:
    // a corrupt download says so more truly than the decompressor's complaint about it.
    let result = match walk_entries(expanded, job, &mut layer) {
        Ok((size, digest)) => io::copy(&mut stream, &mut io::sink())
            .map_err(WalkError::Io)
            .and_then(|_| match (digest, &job.diff_id) {
                (Some(actual), Some(expected)) if actual != *expected => {
                    Err(WalkError::Image(layer_error(format!(
                        "its content has digest `{actual}`, not its diff ID"
                    ))))
                }
                _ => Ok(size),
            }),
        Err(WalkError::Io(error)) if !is_registry_error(&error) => {
            match io::copy(&mut stream, &mut io::sink()) {
                Err(drained) if is_registry_error(&drained) => Err(WalkError::Io(drained)),
                _ => Err(WalkError::Io(error)),
            }
        }
        Err(other) => Err(other),
    };
    match result {
        Ok(size) => {
            layer.uncompressed_size = size;
            Ok(layer)
        }
        Err(WalkError::Image(error)) => Err(error),
        Err(WalkError::Io(error)) => {
            if is_registry_error(&error) {
                if let Some(Ok(source)) = error
                    .into_inner()
                    .map(|e| e.downcast::<plimsoll_registry::RegistryError>())
                {
                    return Err(ImageError::registry(job.input, *source));
                }
                return Err(layer_error("the download failed".to_string()));
            }
            if let Some(limit) = error
                .get_ref()
                .and_then(|e| e.downcast_ref::<LimitExceeded>())
            {
                return Err(ImageError::Limit {
                    input: job.input.to_string(),
                    what: limit.0.clone(),
                });
            }
            Err(layer_error(error.to_string()))
        }
    }
}

/// Whether an I/O error carries a registry's complaint (a digest mismatch, a cut download).
fn is_registry_error(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|e| e.is::<plimsoll_registry::RegistryError>())
}

enum WalkError {
    Image(ImageError),
    Io(io::Error),
}

impl From<io::Error> for WalkError {
    fn from(error: io::Error) -> Self {
        WalkError::Io(error)
    }
}

/// Walks the tar entries; returns the uncompressed size read and, when the diff ID is
/// checked, the digest of the whole uncompressed stream.
fn walk_entries<R: Read>(
    stream: ExpandedMeter<'_, R>,
    job: &LayerJob<'_>,
    layer: &mut Layer,
) -> Result<(u64, Option<String>), WalkError> {
    let layer_name = job.diff_id.clone().unwrap_or_default();
    let mut archive = tar::Archive::new(BlockPad {
        inner: stream,
        delivered: 0,
        padded_from: None,
    });
    let mut data_end = 0u64;
    for entry in archive.entries()? {
        let mut entry = entry?;
        data_end = entry.raw_file_position() + entry.size();
        let recorded = layer.entries.len() + layer.whiteouts.len() + layer.opaque_dirs.len();
        if recorded as u64 >= job.limits.max_entries_per_layer {
            return Err(WalkError::Image(ImageError::Limit {
                input: job.input.to_string(),
                what: format!(
                    "layer `{layer_name}` has more than {} entries",
                    job.limits.max_entries_per_layer
                ),
            }));
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let escape = || {
            WalkError::Image(ImageError::PathEscape {
                input: job.input.to_string(),
                layer: layer_name.clone(),
                entry: raw_name.clone(),
            })
        };
        let path = normalise_entry(&raw_name).ok_or_else(escape)?;
        if path == "/" {
            continue;
        }

        let base = path.rsplit('/').next().unwrap_or("");
        if let Some(hidden) = base.strip_prefix(".wh.") {
            if hidden == ".wh..opq" {
                layer.opaque_dirs.push(parent(&path).to_string());
            } else if !hidden.starts_with(".wh.") {
                layer.whiteouts.push(join_in_root(parent(&path), hidden));
            }
            continue;
        }

        let header = entry.header();
        let kind_of = header.entry_type();
        let (kind, link) = if kind_of.is_file()
            || kind_of == tar::EntryType::Continuous
            || kind_of.is_gnu_sparse()
        {
            (EntryKind::File, None)
        } else if kind_of.is_dir() {
            (EntryKind::Dir, None)
        } else if kind_of.is_symlink() {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            (EntryKind::Symlink, target)
        } else if kind_of.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            let target = normalise_entry(target.as_deref().unwrap_or("")).ok_or_else(escape)?;
            (EntryKind::Hardlink, Some(target))
        } else if kind_of.is_pax_global_extensions() || kind_of.is_pax_local_extensions() {
            continue;
        } else {
            (EntryKind::Other, None)
        };
        let size = entry.size();
        let record = Entry {
            kind,
            link,
            size,
            mode: header.mode().unwrap_or(0),
            uid: header.uid().unwrap_or(0),
            gid: header.gid().unwrap_or(0),
        };

        let inspects = job.wanted.inspects();
        if inspects
            && record.kind == EntryKind::File
            && record.size <= job.limits.max_inspected_file
        {
            inspect(&mut entry, &record, &path, job, layer)?;
        } else if job.wanted.wants(&path) {
            capture(&mut entry, &record, &path, job, layer)?;
        } else if record.kind == EntryKind::File && record.size >= 4 {
            sniff(&mut entry, &record, &path, job, layer)?;
        }
        if inspects && record.kind == EntryKind::Hardlink {
            let target = record.link.as_deref().unwrap_or("");
            if let Some(found) = layer.inspected.get(target).cloned() {
                layer.inspected.insert(path.clone(), found);
            }
        }
        layer.entries.insert(path, record);
    }
    let stream = archive.into_inner();
    if stream.padded_from.is_some_and(|end| end < data_end) {
        return Err(WalkError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the layer ends inside the data of its last file",
        )));
    }
    let mut meter = stream.inner;
    let size = meter.expanded;
    if meter.hasher.is_some() {
        // The diff ID covers the whole tar stream, end-of-archive blocks included.
        io::copy(&mut meter, &mut io::sink())?;
    }
    let digest = meter
        .hasher
        .take()
        .map(|hasher| format!("sha256:{}", hex::encode(sha2::Digest::finalize(hasher))));
    Ok((size, digest))
}

/// Offers the head of a file no cataloger wanted by path to the sniffer, and keeps the
/// condensed form of a sniffed one. Files over the sniffing limit are skipped with a warning.
fn sniff<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    record: &Entry,
    path: &str,
    job: &LayerJob<'_>,
    layer: &mut Layer,
) -> Result<(), WalkError> {
    let mut head = [0u8; SNIFF_LENGTH];
    let length = read_head(entry, &mut head)?;
    if !job.wanted.sniffs(&head[..length]) {
        return Ok(());
    }
    if record.size > job.limits.max_sniffed_file {
        tracing::warn!(
            path,
            layer = job.diff_id.as_deref().unwrap_or(""),
            size_bytes = record.size,
            "skipping an executable larger than {} bytes",
            job.limits.max_sniffed_file
        );
        return Ok(());
    }
    let mut content = Vec::with_capacity(record.size as usize);
    content.extend_from_slice(&head[..length]);
    entry.read_to_end(&mut content)?;
    if let Some(condensed) = job.wanted.condense(path, &content) {
        layer
            .contents
            .insert(path.to_string(), Arc::from(condensed));
    }
    Ok(())
}

/// Reads a regular file whole to hash and search it, then keeps what capture or sniffing
/// would have kept of it.
fn inspect<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    record: &Entry,
    path: &str,
    job: &LayerJob<'_>,
    layer: &mut Layer,
) -> Result<(), WalkError> {
    let mut content = Vec::with_capacity(record.size as usize);
    entry.read_to_end(&mut content)?;
    layer.inspected.insert(
        path.to_string(),
        Inspected {
            sha256: Sha256::digest(&content).into(),
            matches: job.wanted.search(path, &content),
        },
    );
    if job.wanted.wants(path) {
        layer.contents.insert(path.to_string(), Arc::from(content));
    } else if content.len() >= 4
        && record.size <= job.limits.max_sniffed_file
        && job
            .wanted
            .sniffs(&content[..content.len().min(SNIFF_LENGTH)])
    {
        if let Some(condensed) = job.wanted.condense(path, &content) {
            layer
                .contents
                .insert(path.to_string(), Arc::from(condensed));
        }
    }
    Ok(())
}

/// Keeps the content of a wanted file (or of the file a wanted hard link names).
fn capture<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    record: &Entry,
    path: &str,
    job: &LayerJob<'_>,
    layer: &mut Layer,
) -> Result<(), WalkError> {
    match record.kind {
        EntryKind::File => {
            if record.size > job.limits.max_captured_file {
                return Err(WalkError::Image(ImageError::Limit {
                    input: job.input.to_string(),
                    what: format!(
                        "`{path}` is {} bytes, more than the {} a cataloged file may have",
                        record.size, job.limits.max_captured_file
                    ),
                }));
            }
            let mut bytes = Vec::with_capacity(record.size as usize);
            entry.read_to_end(&mut bytes)?;
            layer.contents.insert(path.to_string(), Arc::from(bytes));
        }
        EntryKind::Hardlink => {
            // Not yet: a hard link to a file no cataloger wanted has no captured content;
            // in real layers links join files of the same name pattern, so both are wanted.
            let target = record.link.as_deref().unwrap_or("");
            if let Some(bytes) = layer.contents.get(target).cloned() {
                layer.contents.insert(path.to_string(), bytes);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SearchHit;

    fn tar_of(names: &[&str]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for name in names {
            let mut header = tar::Header::new_gnu();
            header.set_size(2);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, &b"hi"[..]).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn read(bytes: Vec<u8>, limits: Limits) -> Result<Layer, ImageError> {
        let progress = Progress::default();
        let total = AtomicU64::new(0);
        let wanted = |path: &str| path.ends_with("/wanted");
        let job = LayerJob {
            input: "test",
            diff_id: Some("sha256:test".into()),
            wanted: &wanted,
            limits,
            progress: &progress,
            total_uncompressed: &total,
            verify_diff_id: false,
        };
        read_layer(Box::new(std::io::Cursor::new(bytes)), &job)
    }

    /// Sniffs files starting `EXE` and keeps their length as the condensed form.
    struct Sniffer;

    impl Capture for Sniffer {
        fn wants(&self, _path: &str) -> bool {
            false
        }

        fn sniffs(&self, head: &[u8]) -> bool {
            head.starts_with(b"EXE")
        }

        fn condense(&self, _path: &str, content: &[u8]) -> Option<Vec<u8>> {
            (content.len() > 4).then(|| content.len().to_string().into_bytes())
        }
    }

    #[test]
    fn sniffed_files_keep_only_their_condensed_form_and_huge_ones_are_skipped() {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, content) in [
            ("bin/tool", &b"EXE and a body of some length"[..]),
            ("bin/tiny", b"EXE!!"),
            ("bin/nothing", b"EXE"),
            ("etc/text", b"plain text file"),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o755);
            header.set_cksum();
            builder.append_data(&mut header, name, content).unwrap();
        }
        let bytes = builder.into_inner().unwrap();
        let read_with = |limits: Limits| {
            let (progress, total) = (Progress::default(), AtomicU64::new(0));
            let job = LayerJob {
                input: "test",
                diff_id: None,
                wanted: &Sniffer,
                limits,
                progress: &progress,
                total_uncompressed: &total,
                verify_diff_id: false,
            };
            read_layer(Box::new(std::io::Cursor::new(bytes.clone())), &job).unwrap()
        };

        let layer = read_with(Limits::default());
        let mut kept: Vec<(&str, &[u8])> = layer
            .contents
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_ref()))
            .collect();
        kept.sort();
        assert_eq!(kept, [("/bin/tiny", &b"5"[..]), ("/bin/tool", b"29")]);
        assert_eq!(layer.entries.len(), 4, "every file is still indexed");

        let small = Limits {
            max_sniffed_file: 10,
            ..Limits::default()
        };
        let layer = read_with(small);
        assert_eq!(layer.contents.keys().collect::<Vec<_>>(), ["/bin/tiny"]);
    }

    /// Inspects every file: wants `/etc/passwd`, sniffs `EXE`, and reports pattern 7 for
    /// content holding `SECRET`.
    struct Inspector;

    impl Capture for Inspector {
        fn wants(&self, path: &str) -> bool {
            path == "/etc/passwd"
        }

        fn sniffs(&self, head: &[u8]) -> bool {
            head.starts_with(b"EXE")
        }

        fn condense(&self, _path: &str, content: &[u8]) -> Option<Vec<u8>> {
            Some(content.len().to_string().into_bytes())
        }

        fn inspects(&self) -> bool {
            true
        }

        fn search(&self, _path: &str, content: &[u8]) -> Vec<SearchHit> {
            if content.windows(6).any(|w| w == b"SECRET") {
                vec![SearchHit {
                    pattern: 7,
                    line: 0,
                }]
            } else {
                Vec::new()
            }
        }
    }

    #[test]
    fn inspection_hashes_and_searches_every_file_and_still_captures_and_sniffs() {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, content) in [
            ("etc/passwd", &b"root:x:0:0::/root:/bin/sh\n"[..]),
            ("bin/tool", b"EXE with a SECRET inside"),
            ("home/notes", b"nothing here"),
            ("home/big", b"a SECRET too large to be inspected"),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o4755);
            header.set_cksum();
            builder.append_data(&mut header, name, content).unwrap();
        }
        let mut link = tar::Header::new_gnu();
        link.set_entry_type(tar::EntryType::Link);
        link.set_size(0);
        link.set_cksum();
        builder
            .append_link(&mut link, "bin/alias", "bin/tool")
            .unwrap();
        let bytes = builder.into_inner().unwrap();
        let (progress, total) = (Progress::default(), AtomicU64::new(0));
        let job = LayerJob {
            input: "test",
            diff_id: None,
            wanted: &Inspector,
            limits: Limits {
                max_inspected_file: 30,
                ..Limits::default()
            },
            progress: &progress,
            total_uncompressed: &total,
            verify_diff_id: false,
        };
        let layer = read_layer(Box::new(std::io::Cursor::new(bytes)), &job).unwrap();

        let tool = &layer.inspected["/bin/tool"];
        assert_eq!(
            hex::encode(tool.sha256),
            hex::encode(Sha256::digest(b"EXE with a SECRET inside"))
        );
        assert_eq!(
            tool.matches,
            [SearchHit {
                pattern: 7,
                line: 0
            }]
        );
        assert_eq!(
            layer.inspected["/bin/alias"], *tool,
            "a hard link shares its target's"
        );
        assert!(layer.inspected["/home/notes"].matches.is_empty());
        assert!(layer.inspected.contains_key("/etc/passwd"));
        assert!(
            !layer.inspected.contains_key("/home/big"),
            "over the inspection limit"
        );
        assert_eq!(
            layer.contents["/etc/passwd"].as_ref(),
            b"root:x:0:0::/root:/bin/sh\n"
        );
        assert_eq!(layer.contents["/bin/tool"].as_ref(), b"24");
        assert!(!layer.contents.contains_key("/home/notes"));
        assert_eq!(layer.entries["/bin/tool"].mode & 0o7777, 0o4755);
    }

    #[test]
    fn whiteouts_and_captures_are_recorded() {
        let layer = read(
            tar_of(&[
                "a/wanted",
                "a/other",
                "b/.wh.gone",
                "c/.wh..wh..opq",
                "d/.wh..wh.plnk",
            ]),
            Limits::default(),
        )
        .unwrap();
        assert_eq!(layer.whiteouts, vec!["/b/gone"]);
        assert_eq!(layer.opaque_dirs, vec!["/c"]);
        assert_eq!(layer.contents.keys().collect::<Vec<_>>(), vec!["/a/wanted"]);
        assert_eq!(layer.entries.len(), 2, "whiteout markers are not entries");
    }

    #[test]
    fn too_many_entries_is_a_limit() {
        let limits = Limits {
            max_entries_per_layer: 2,
            ..Limits::default()
        };
        let error = read(tar_of(&["a", "b", "c"]), limits).unwrap_err();
        assert!(matches!(error, ImageError::Limit { .. }), "{error}");
    }

    #[test]
    fn a_missing_final_padding_is_tolerated_but_a_cut_file_is_not() {
        let whole = tar_of(&["x/wanted"]);
        // Header (512) + 2 bytes of data: the padding and end-of-archive blocks are gone.
        let layer = read(whole[..514].to_vec(), Limits::default()).unwrap();
        assert_eq!(layer.contents["/x/wanted"].as_ref(), b"hi");
        let error = read(whole[..513].to_vec(), Limits::default()).unwrap_err();
        assert!(
            error.to_string().contains("ends inside the data"),
            "{error}"
        );
    }
}
