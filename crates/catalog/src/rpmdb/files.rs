//! The file list of a package header: paths, and the attributes rpm recorded for each file.

use super::blob::HeaderBlob;
use super::error::HeaderError;
use super::tag;

/// `PGPHASHALGO_MD5`: rpm's digest algorithm for headers that do not name one.
const DEFAULT_DIGEST_ALGORITHM: u64 = 1;

/// One file a package installed, with the attributes rpm recorded for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpmFile {
    /// Absolute path of the file.
    pub path: String,
    /// File type and permission bits (`st_mode`).
    pub mode: u32,
    /// Size in bytes.
    pub size: u64,
    /// Name of the digest algorithm, as in `sha256`; the same for every file of a package.
    pub digest_algorithm: String,
    /// Hex digest of the content; empty for directories, links and ghosts.
    pub digest: String,
    /// Owning user name.
    pub user_name: String,
    /// Owning group name.
    pub group_name: String,
    /// rpm's file flags (`RPMFILE_CONFIG` = 1, `RPMFILE_DOC` = 2, ...).
    pub flags: u32,
}

/// Reads a header's files; a header without file tags has none.
///
/// Every per-file array must have one element per path, or none at all: a mismatch means the
/// arrays cannot be lined up, so the header is reported as malformed.
pub(super) fn read_files(blob: &HeaderBlob<'_>) -> Result<Vec<RpmFile>, HeaderError> {
    let paths = read_paths(blob)?;
    let count = paths.len();

    let size_tag = if blob.has(tag::LONGFILESIZES) {
        tag::LONGFILESIZES
    } else {
        tag::FILESIZES
    };
    let mut modes = per_file(blob.integers(tag::FILEMODES)?, tag::FILEMODES, count)?;
    let mut sizes = per_file(blob.integers(size_tag)?, size_tag, count)?;
    let mut digests = per_file(blob.strings(tag::FILEDIGESTS)?, tag::FILEDIGESTS, count)?;
    let mut users = per_file(blob.strings(tag::FILEUSERNAME)?, tag::FILEUSERNAME, count)?;
    let mut groups = per_file(blob.strings(tag::FILEGROUPNAME)?, tag::FILEGROUPNAME, count)?;
    let mut flags = per_file(blob.integers(tag::FILEFLAGS)?, tag::FILEFLAGS, count)?;

    let algorithm_id = blob.integer(tag::FILEDIGESTALGO)?;
    let algorithm = digest_algorithm_name(algorithm_id.unwrap_or(DEFAULT_DIGEST_ALGORITHM));

    // `per_file` pads absent arrays with defaults, so every iterator yields `count` items.
    let files = paths
        .into_iter()
        .map(|path| RpmFile {
            path,
            // FILEMODES is INT16 and FILEFLAGS INT32: both fit a u32.
            mode: modes.next().unwrap_or_default() as u32,
            size: sizes.next().unwrap_or_default(),
            digest_algorithm: algorithm.clone(),
            digest: digests.next().unwrap_or_default(),
            user_name: users.next().unwrap_or_default(),
            group_name: groups.next().unwrap_or_default(),
            flags: flags.next().unwrap_or_default() as u32,
        })
        .collect();
    Ok(files)
}

/// Joins each base name to its directory, or falls back to the pre-4.0 full path list.
fn read_paths(blob: &HeaderBlob<'_>) -> Result<Vec<String>, HeaderError> {
    if !blob.has(tag::BASENAMES) {
        return blob.strings(tag::OLDFILENAMES);
    }

    let base_names = blob.strings(tag::BASENAMES)?;
    let directories = blob.strings(tag::DIRNAMES)?;
    let indexes = blob.integers(tag::DIRINDEXES)?;
    if indexes.len() != base_names.len() {
        return Err(HeaderError::FileCountMismatch {
            tag: tag::DIRINDEXES,
            count: indexes.len(),
            files: base_names.len(),
        });
    }

    // Directory names end in `/`, so a plain concatenation gives the path.
    base_names
        .iter()
        .zip(indexes)
        .map(|(base_name, index)| {
            let directory = usize::try_from(index)
                .ok()
                .and_then(|index| directories.get(index))
                .ok_or(HeaderError::DirectoryIndexOutOfRange {
                    index,
                    directories: directories.len(),
                })?;
            Ok(format!("{directory}{base_name}"))
        })
        .collect()
}

/// Checks that an array has one element per file (or none), padding an absent one.
fn per_file<T: Default>(
    values: Vec<T>,
    tag: u32,
    files: usize,
) -> Result<impl Iterator<Item = T>, HeaderError> {
    if !values.is_empty() && values.len() != files {
        return Err(HeaderError::FileCountMismatch {
            tag,
            count: values.len(),
            files,
        });
    }
    Ok(values.into_iter().chain(std::iter::repeat_with(T::default)))
}

/// The name of an OpenPGP hash algorithm, numbered as RFC 4880 section 9.4 and rpm's
/// `pgpHashAlgo` number them.
fn digest_algorithm_name(id: u64) -> String {
    let name = match id {
        1 => "md5",
        2 => "sha1",
        3 => "ripemd160",
        5 => "md2",
        6 => "tiger192",
        7 => "haval-5-160",
        8 => "sha256",
        9 => "sha384",
        10 => "sha512",
        11 => "sha224",
        other => return format!("unknown({other})"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpmdb::test_blob::BlobBuilder;

    fn files_of(builder: BlobBuilder) -> Result<Vec<RpmFile>, HeaderError> {
        let bytes = builder.build();
        read_files(&HeaderBlob::parse(&bytes).unwrap())
    }

    #[test]
    fn joins_base_names_to_directories_with_attributes() {
        let files = files_of(
            BlobBuilder::default()
                .strings(tag::BASENAMES, &["bin", "bash"])
                .strings(tag::DIRNAMES, &["/usr/", "/usr/bin/"])
                .int32(tag::DIRINDEXES, &[0, 1])
                .int16(tag::FILEMODES, &[0o40755, 0o100755])
                .int32(tag::FILESIZES, &[0, 1_000])
                .strings(tag::FILEDIGESTS, &["", "ab12"])
                .strings(tag::FILEUSERNAME, &["root", "root"])
                .strings(tag::FILEGROUPNAME, &["root", "wheel"])
                .int32(tag::FILEFLAGS, &[0, 1])
                .int32(tag::FILEDIGESTALGO, &[8]),
        )
        .unwrap();

        assert_eq!(files.len(), 2);
        assert_eq!(files[0].path, "/usr/bin");
        assert_eq!(files[0].mode, 0o40755);
        assert_eq!(files[0].digest_algorithm, "sha256");
        let bash = &files[1];
        assert_eq!(bash.path, "/usr/bin/bash");
        assert_eq!(bash.size, 1_000);
        assert_eq!(bash.digest, "ab12");
        assert_eq!(bash.group_name, "wheel");
        assert_eq!(bash.flags, 1);
    }

    #[test]
    fn old_file_names_and_md5_default() {
        let files = files_of(
            BlobBuilder::default()
                .strings(tag::OLDFILENAMES, &["/etc/motd"])
                .int64(tag::LONGFILESIZES, &[5 << 32]),
        )
        .unwrap();
        assert_eq!(files[0].path, "/etc/motd");
        assert_eq!(files[0].size, 5 << 32);
        assert_eq!(files[0].digest_algorithm, "md5");
        assert_eq!(files[0].user_name, "");
    }

    #[test]
    fn rejects_directory_index_out_of_range() {
        let error = files_of(
            BlobBuilder::default()
                .strings(tag::BASENAMES, &["bash"])
                .strings(tag::DIRNAMES, &["/bin/"])
                .int32(tag::DIRINDEXES, &[7]),
        )
        .unwrap_err();
        assert!(matches!(
            error,
            HeaderError::DirectoryIndexOutOfRange { index: 7, .. }
        ));
    }

    #[test]
    fn rejects_arrays_that_do_not_line_up() {
        let error = files_of(
            BlobBuilder::default()
                .strings(tag::BASENAMES, &["a", "b"])
                .strings(tag::DIRNAMES, &["/"])
                .int32(tag::DIRINDEXES, &[0, 0])
                .int16(tag::FILEMODES, &[0o644]),
        )
        .unwrap_err();
        assert!(matches!(
            error,
            HeaderError::FileCountMismatch {
                tag: tag::FILEMODES,
                count: 1,
                files: 2
            }
        ));
    }

    #[test]
    fn names_digest_algorithms() {
        assert_eq!(digest_algorithm_name(2), "sha1");
        assert_eq!(digest_algorithm_name(10), "sha512");
        assert_eq!(digest_algorithm_name(99), "unknown(99)");
    }
}
