//! A Java archive opened from memory, read within bounds: entries are streamed with a size
//! cap (the sizes a zip declares are not trusted), every archive has a budget of
//! uncompressed bytes that its nested archives share, and entries whose names climb out of
//! the archive (`..`) are left out.

use std::io::{Cursor, Read};

use zip::ZipArchive;

/// Bounds on what reading one top-level archive may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArchiveLimits {
    /// The largest metadata entry (manifest, `pom.properties`, `pom.xml`, license) read.
    pub max_metadata_entry: u64,
    /// The largest nested archive read into memory.
    pub max_nested_archive: u64,
    /// The most uncompressed bytes read from an archive and everything nested in it.
    pub max_total: u64,
    /// How deep archives may nest (a jar in a war in an ear is depth 2).
    pub max_depth: usize,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        // Real metadata files are kilobytes and real nested jars tens of megabytes; Spring
        // Boot fat jars hold a few hundred megabytes at most.
        ArchiveLimits {
            max_metadata_entry: 8 << 20,
            max_nested_archive: 512 << 20,
            max_total: 2 << 30,
            max_depth: 8,
        }
    }
}

/// Why an archive, or an entry of it, could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ArchiveError {
    #[error("not a readable zip archive")]
    Open(#[source] zip::result::ZipError),
    #[error("failed to read entry `{name}`")]
    Entry {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to open entry `{name}`")]
    EntryOpen {
        name: String,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("entry `{name}` is larger than {limit} bytes uncompressed")]
    EntryTooLarge { name: String, limit: u64 },
    #[error("the archive expands to more than {limit} bytes")]
    BudgetExhausted { limit: u64 },
}

/// Uncompressed bytes still allowed for one top-level archive and its nested archives.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    remaining: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Self {
        Budget {
            limit,
            remaining: limit,
        }
    }
}

/// An open zip archive and the names of its regular entries.
pub(crate) struct JavaZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// File entries (not directories), in name order, without names that contain `..`.
    names: Vec<String>,
}

impl<'a> JavaZip<'a> {
    /// Opens an archive held in memory.
    pub fn open(bytes: &'a [u8]) -> Result<Self, ArchiveError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(ArchiveError::Open)?;
        let mut names: Vec<String> = archive
            .file_names()
            .filter(|name| !name.ends_with('/'))
            .filter(|name| {
                let escapes = name.split(['/', '\\']).any(|part| part == "..");
                if escapes {
                    tracing::warn!(entry = %name, "skipping java archive entry that leaves the archive");
                }
                !escapes
            })
            .map(str::to_string)
            .collect();
        names.sort();
        Ok(JavaZip { archive, names })
    }

    /// The regular entries' names, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Reads one entry whole, failing beyond `cap` bytes or the budget.
    pub fn read(
        &mut self,
        name: &str,
        cap: u64,
        budget: &mut Budget,
    ) -> Result<Vec<u8>, ArchiveError> {
        let entry = self
            .archive
            .by_name(name)
            .map_err(|source| ArchiveError::EntryOpen {
                name: name.to_string(),
                source,
            })?;
        let allowed = cap.min(budget.remaining);
        let mut out = Vec::new();
        entry
            .take(allowed.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|source| ArchiveError::Entry {
                name: name.to_string(),
                source,
            })?;
        let read = out.len() as u64;
        if read > allowed {
            return Err(if read > cap {
                ArchiveError::EntryTooLarge {
                    name: name.to_string(),
                    limit: cap,
                }
            } else {
                ArchiveError::BudgetExhausted {
                    limit: budget.limit,
                }
            });
        }
        budget.remaining -= read;
        Ok(out)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    use super::*;

    /// A zip of `(name, content)` entries, deflated.
    pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_are_listed_and_read() {
        let bytes = zip_of(&[("b.txt", b"bee"), ("a/", b""), ("a/c.txt", b"sea")]);
        let mut zip = JavaZip::open(&bytes).unwrap();
        assert_eq!(zip.names(), ["a/c.txt", "b.txt"]);
        let mut budget = Budget::new(100);
        assert_eq!(zip.read("b.txt", 10, &mut budget).unwrap(), b"bee");
        assert_eq!(budget.remaining, 97);
    }

    #[test]
    fn a_bomb_stops_at_the_cap_and_the_budget() {
        // 64 MiB of zeros deflate to about 64 KiB.
        let zeros = vec![0u8; 64 << 20];
        let bytes = zip_of(&[("bomb", &zeros)]);
        assert!(bytes.len() < 1 << 20);
        let mut zip = JavaZip::open(&bytes).unwrap();
        let mut budget = Budget::new(u64::MAX);
        assert!(matches!(
            zip.read("bomb", 1 << 20, &mut budget),
            Err(ArchiveError::EntryTooLarge { .. })
        ));
        let mut budget = Budget::new(1 << 20);
        assert!(matches!(
            zip.read("bomb", u64::MAX, &mut budget),
            Err(ArchiveError::BudgetExhausted { .. })
        ));
    }

    #[test]
    fn truncated_and_garbage_archives_are_errors() {
        let bytes = zip_of(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n")]);
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(JavaZip::open(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(JavaZip::open(b"PK\x03\x04 not really a zip").is_err());
    }

    #[test]
    fn corrupt_entry_data_is_an_error() {
        let content = b"Implementation-Title: x\n".repeat(50);
        let mut bytes = zip_of(&[("META-INF/MANIFEST.MF", &content)]);
        // Overwrite the middle of the compressed data (after the 30-byte local header and
        // the 20-byte name); the central directory stays intact.
        for byte in &mut bytes[60..70] {
            *byte ^= 0xff;
        }
        let mut zip = JavaZip::open(&bytes).unwrap();
        assert!(zip
            .read("META-INF/MANIFEST.MF", 1 << 20, &mut Budget::new(1 << 20))
            .is_err());
    }

    #[test]
    fn names_that_climb_out_are_skipped() {
        let bytes = zip_of(&[
            ("../../evil.jar", b"x"),
            ("lib/../ok.jar", b"y"),
            ("ok", b"z"),
        ]);
        let zip = JavaZip::open(&bytes).unwrap();
        assert_eq!(zip.names(), ["ok"]);
    }
}
