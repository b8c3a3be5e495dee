//! Importing feeds: walk files, directories and archives (zip, tar, tar.gz, tar.xz), parse
//! every document whose format is recognised, and store the records feed by feed.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::feeds::{self, Parsed, Record};
use crate::{Store, StoreError};

/// The largest single document read from a file or archive member.
const MAX_DOCUMENT: u64 = 512 << 20;
/// The most documents one input may hold.
const MAX_DOCUMENTS: usize = 2_000_000;

/// What importing one feed did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub feed: String,
    pub imported: u64,
    pub skipped: u64,
    /// Why records were skipped, one line each (file and reason).
    pub warnings: Vec<String>,
}

/// Why an input could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("failed to read `{path}`")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not a readable archive: {reason}")]
    Archive { path: String, reason: String },
    #[error("`{path}` holds no vulnerability data in a known format")]
    Unrecognised { path: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports every input into the store; returns one summary per feed touched.
pub fn import(
    store: &mut Store,
    inputs: &[&Path],
    updated: &str,
) -> Result<Vec<ImportSummary>, ImportError> {
    let mut by_feed: BTreeMap<String, Vec<Parsed>> = BTreeMap::new();
    for input in inputs {
        let mut found = 0usize;
        let mut sink = |origin: &str, bytes: &[u8]| {
            if let Some(result) = feeds::parse(origin, bytes) {
                found += 1;
                match result {
                    Ok(parsed) => by_feed.entry(parsed.feed.clone()).or_default().push(parsed),
                    Err(reason) => {
                        let skipped = Parsed {
                            feed: "unknown".into(),
                            records: vec![],
                            skipped: vec![format!("{origin}: {reason}")],
                        };
                        by_feed.entry("unknown".into()).or_default().push(skipped);
                    }
                }
            }
        };
        walk(input, &mut sink)?;
        if found == 0 {
            return Err(ImportError::Unrecognised {
                path: input.display().to_string(),
            });
        }
    }

    let mut summaries = Vec::new();
    for (feed, documents) in by_feed {
        let source = inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut batch = store.begin_import(&feed, &source)?;
        let mut warnings = Vec::new();
        for parsed in documents {
            for record in &parsed.records {
                match record {
                    Record::Advisory(advisory) => batch.put(advisory)?,
                    Record::Kev {
                        cve,
                        date_added,
                        due_date,
                        ransomware,
                    } => batch.put_kev(
                        cve,
                        date_added.as_deref(),
                        due_date.as_deref(),
                        ransomware.as_deref(),
                    )?,
                    Record::Epss {
                        cve,
                        score,
                        percentile,
                    } => batch.put_epss(cve, *score, *percentile)?,
                }
            }
            for reason in parsed.skipped {
                batch.skip();
                warnings.push(reason);
            }
        }
        let (imported, skipped) = batch.finish(updated)?;
        summaries.push(ImportSummary {
            feed,
            imported,
            skipped,
            warnings,
        });
    }
    Ok(summaries)
}

/// Calls `sink` with the name and bytes of every document under `path`.
fn walk(path: &Path, sink: &mut dyn FnMut(&str, &[u8])) -> Result<(), ImportError> {
    let io = |source: std::io::Error| ImportError::Io {
        path: path.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            walk(&entry, sink)?;
        }
        return Ok(());
    }
    if meta.len() > MAX_DOCUMENT && !is_archive_name(path) {
        tracing::warn!(path = %path.display(), size_bytes = meta.len(), "skipped a file larger than any feed document");
        return Ok(());
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(io)?;
    let mut head = [0u8; 6];
    let read = (&file).take(6).read(&mut head).map_err(io)?;
    let head = &head[..read];
    let file = std::fs::File::open(path).map_err(io)?;
    let archive_error = |reason: String| ImportError::Archive {
        path: name.clone(),
        reason,
    };
    if head.starts_with(b"PK\x03\x04") {
        return walk_zip(file, &name, sink).map_err(archive_error);
    }
    if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        return walk_tar(liblzma::read::XzDecoder::new(file), &name, sink).map_err(archive_error);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        // A gzipped tar of documents, or one gzipped document (EPSS ships `.csv.gz`).
        let bytes = read_member(flate2::read::MultiGzDecoder::new(file), 0, &name)
            .map_err(archive_error)?;
        let Some(bytes) = bytes else { return Ok(()) };
        if bytes.len() > 262 && &bytes[257..262] == b"ustar" {
            return walk_tar(std::io::Cursor::new(bytes), &name, sink).map_err(archive_error);
        }
        sink(name.trim_end_matches(".gz"), &bytes);
        return Ok(());
    }
    if name.ends_with(".tar") {
        return walk_tar(file, &name, sink).map_err(archive_error);
    }
    let bytes = std::fs::read(path).map_err(io)?;
    sink(&name, &bytes);
    Ok(())
}

fn is_archive_name(path: &Path) -> bool {
    let name = path.to_string_lossy();
    [".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// Reads one member, refusing members larger than a document may be.
fn read_member(reader: impl Read, declared: u64, name: &str) -> Result<Option<Vec<u8>>, String> {
    if declared > MAX_DOCUMENT {
        tracing::warn!(
            member = name,
            size_bytes = declared,
            "skipped an archive member larger than any feed document"
        );
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(declared.min(MAX_DOCUMENT) as usize);
    reader
        .take(MAX_DOCUMENT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("`{name}`: {e}"))?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        tracing::warn!(
            member = name,
            "skipped an archive member that expands beyond any feed document"
        );
        return Ok(None);
    }
    Ok(Some(bytes))
}

fn walk_zip(
    file: std::fs::File,
    name: &str,
    sink: &mut dyn FnMut(&str, &[u8]),
) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
    if archive.len() > MAX_DOCUMENTS {
        return Err(format!("it has more than {MAX_DOCUMENTS} members"));
    }
    for index in 0..archive.len() {
        let member = archive.by_index(index).map_err(|e| e.to_string())?;
        if member.is_dir() {
            continue;
        }
        let member_name = format!("{name}!{}", member.name());
        let size = member.size();
        if let Some(bytes) = read_member(member, size, &member_name)? {
            sink(&member_name, &bytes);
        }
    }
    Ok(())
}

fn walk_tar(
    reader: impl Read,
    name: &str,
    sink: &mut dyn FnMut(&str, &[u8]),
) -> Result<(), String> {
    let mut archive = tar::Archive::new(reader);
    let mut count = 0usize;
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        count += 1;
        if count > MAX_DOCUMENTS {
            return Err(format!("it has more than {MAX_DOCUMENTS} members"));
        }
        let member_name = format!("{name}!{}", String::from_utf8_lossy(&entry.path_bytes()));
        let size = entry.size();
        if let Some(bytes) = read_member(entry, size, &member_name)? {
            sink(&member_name, &bytes);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pypa_archive_imports() {
        let archive = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/vulndata/archives/pypa-advisory-database-vulns.tar.xz");
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("v.db")).unwrap();
        let summaries = import(&mut store, &[&archive], "2026-12-01T00:00:00Z").unwrap();
        let pypa = summaries.iter().find(|s| s.feed == "pypa").unwrap();
        assert!(pypa.imported > 2_500, "{pypa:?}");
        assert!(!store.lookup("pypi", "requests").unwrap().is_empty());
    }

    /// Imports the whole shared data directory (archives, subsets and fixtures) in one go,
    /// prints what each feed yielded, and checks the counts: every format must keep
    /// recognising its real documents, and the store must answer for each kind of namespace.
    #[test]
    fn all_of_the_shared_data_imports() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vulndata");
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("v.db")).unwrap();
        let started = std::time::Instant::now();
        let summaries = import(&mut store, &[&root], "2026-12-01T00:00:00Z").unwrap();

        let elapsed = started.elapsed().as_millis();
        println!(
            "{:<32} {:>9} {:>8}  ({elapsed} ms)",
            "feed", "imported", "skipped"
        );
        for summary in &summaries {
            println!(
                "{:<32} {:>9} {:>8}",
                summary.feed, summary.imported, summary.skipped
            );
            for warning in summary.warnings.iter().take(5) {
                println!(
                    "    {}",
                    warning.rsplit("vulndata/").next().unwrap_or(warning)
                );
            }
        }
        let counts = |feed: &str| {
            let summary = summaries.iter().find(|s| s.feed == feed);
            let summary = summary.unwrap_or_else(|| panic!("no `{feed}` feed"));
            (summary.imported, summary.skipped)
        };
        let alpine: u64 = summaries
            .iter()
            .filter(|s| s.feed.starts_with("alpine-secdb/"))
            .map(|s| s.imported)
            .sum();

        // The subsets repeat advisories of the archives; the store keeps one copy of each.
        assert_eq!(counts("rustsec"), (1_225 + 68, 0));
        // 1,234 gem and 147 Ruby engine advisories in the archive.
        assert_eq!(counts("rubysec"), (1_381 + 298, 0));
        // Every entry twice: its own file and its directory's `index.json`.
        assert_eq!(counts("nodejs-security-wg"), (2 * (467 + 171), 0));
        assert_eq!(alpine, 11_454 + 13 + 3);
        assert_eq!(counts("wolfi-secdb"), (59, 0));
        assert_eq!(counts("chainguard-secdb"), (189, 0));
        // The DSA list and vunnel's sample of it; the skipped name no package (notices).
        assert_eq!(counts("debian-dsa"), (5_382 + 7, 25 + 3));
        assert_eq!(counts("debian-dla"), (3_530, 4));
        assert_eq!(counts("debian-tracker"), (6 + 6 + 3, 0));
        // Vunnel's and osv.dev's API 2.0 pages; the one skip is osv.dev's NVD 1.1 feed.
        assert_eq!(counts("nvd"), (39 + 23, 1));
        assert_eq!(counts("kev"), (1_404 + 3 + 1, 0));
        // Two valid samples of five rows; the third has an invalid header.
        assert_eq!(counts("epss"), (10, 1));

        let has = |namespace: &str, package: &str, id: &str| {
            store
                .lookup(namespace, package)
                .unwrap()
                .iter()
                .any(|(advisory, _)| advisory.id == id)
        };
        assert!(has("crates.io", "tokio", "RUSTSEC-2021-0124"));
        // One CVE filed under two gems stays two advisories.
        assert!(has("rubygems", "actionpack", "actionpack/CVE-2009-3009"));
        assert!(has(
            "rubygems",
            "activesupport",
            "activesupport/CVE-2009-3009"
        ));
        assert!(!store.lookup("nodejs", "node").unwrap().is_empty());
        assert!(!store.lookup("alpine:3.10", "ansible").unwrap().is_empty());
        assert!(!store.lookup("debian:12", "sope").unwrap().is_empty());
        assert!(!store
            .lookup("nvd:cpe", "wp_maintenance_mode_&_coming_soon")
            .unwrap()
            .is_empty());
        let log4shell = store.exploit_info("CVE-2021-44228").unwrap();
        assert!(log4shell.kev_date_added.is_some());
    }

    #[test]
    fn a_gzipped_single_document_imports() {
        use std::io::Write;
        let csv = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/vulndata/fixtures/vunnel/epss/test-fixtures/example-1.csv"),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("epss_scores.csv.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&csv).unwrap();
        std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
        let mut store = Store::open_or_create(&dir.path().join("v.db")).unwrap();
        let summaries = import(&mut store, &[&gz], "now").unwrap();
        assert!(
            summaries.iter().any(|s| s.feed == "epss" && s.imported > 0),
            "{summaries:?}"
        );
    }

    #[test]
    fn unrecognised_and_broken_inputs_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("v.db")).unwrap();
        let readme = dir.path().join("README.md");
        std::fs::write(&readme, "# nothing").unwrap();
        assert!(matches!(
            import(&mut store, &[&readme], "now"),
            Err(ImportError::Unrecognised { .. })
        ));
        let broken = dir.path().join("broken.zip");
        std::fs::write(&broken, b"PK\x03\x04garbage").unwrap();
        assert!(matches!(
            import(&mut store, &[&broken], "now"),
            Err(ImportError::Archive { .. })
        ));
    }
}
