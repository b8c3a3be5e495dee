//! One installed package, as read from its header blob.

use super::blob::HeaderBlob;
use super::error::HeaderError;
use super::files::{read_files, RpmFile};
use super::tag;

/// The fields of one package header that a scanner reports.
///
/// Missing string tags read as empty strings, as rpm itself prints them; only the name is
/// required.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpmHeader {
    /// Package name (`NAME`).
    pub name: String,
    /// Upstream version (`VERSION`).
    pub version: String,
    /// Distribution release (`RELEASE`).
    pub release: String,
    /// Epoch (`EPOCH`), `None` when the package has none, which is not the same as `0`.
    pub epoch: Option<i64>,
    /// Architecture (`ARCH`), for example `x86_64` or `noarch`.
    pub arch: String,
    /// File name of the source package (`SOURCERPM`); empty for `gpg-pubkey` entries.
    pub source_rpm: String,
    /// Installed size in bytes (`LONGSIZE`, else `SIZE`).
    pub size: u64,
    /// Vendor (`VENDOR`).
    pub vendor: String,
    /// Licence expression as the packager wrote it (`LICENSE`).
    pub license: String,
    /// Module stream of a modular package (`MODULARITYLABEL`), empty otherwise.
    pub modularity_label: String,
    /// Capabilities the package provides (`PROVIDENAME`), in header order.
    pub provides: Vec<String>,
    /// Capabilities the package requires (`REQUIRENAME`), in header order.
    pub requires: Vec<String>,
    /// Files the package installed.
    pub files: Vec<RpmFile>,
}

impl RpmHeader {
    /// Reads a header from its blob: the big-endian index count, data length, index and data.
    pub fn from_blob(bytes: &[u8]) -> Result<Self, HeaderError> {
        let blob = HeaderBlob::parse(bytes)?;
        let name = blob.string(tag::NAME)?.ok_or(HeaderError::MissingName)?;
        let text = |tag| blob.string(tag).map(Option::unwrap_or_default);

        // rpm writes sizes of 4 GiB and more into LONGSIZE only.
        let size = match blob.integer(tag::LONGSIZE)? {
            Some(size) => size,
            None => blob.integer(tag::SIZE)?.unwrap_or_default(),
        };

        Ok(Self {
            name,
            version: text(tag::VERSION)?,
            release: text(tag::RELEASE)?,
            // An INT32 zero-extended to u64 always fits an i64.
            epoch: blob
                .integer(tag::EPOCH)?
                .and_then(|epoch| i64::try_from(epoch).ok()),
            arch: text(tag::ARCH)?,
            source_rpm: text(tag::SOURCERPM)?,
            size,
            vendor: text(tag::VENDOR)?,
            license: text(tag::LICENSE)?,
            modularity_label: text(tag::MODULARITYLABEL)?,
            provides: blob.strings(tag::PROVIDENAME)?,
            requires: blob.strings(tag::REQUIRENAME)?,
            files: read_files(&blob)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpmdb::test_blob::BlobBuilder;

    #[test]
    fn reads_package_fields() {
        let bytes = BlobBuilder::default()
            .string(tag::NAME, "hello")
            .string(tag::VERSION, "1.2.3")
            .string(tag::RELEASE, "4.el9")
            .int32(tag::EPOCH, &[2])
            .string(tag::ARCH, "noarch")
            .string(tag::SOURCERPM, "hello-1.2.3-4.el9.src.rpm")
            .int32(tag::SIZE, &[3])
            .string(tag::VENDOR, "Example")
            .string(tag::LICENSE, "MIT")
            .string(tag::MODULARITYLABEL, "hello:1:2:3")
            .strings(tag::PROVIDENAME, &["hello"])
            .strings(tag::REQUIRENAME, &["/bin/sh", "/bin/sh"])
            .build();
        let header = RpmHeader::from_blob(&bytes).unwrap();

        assert_eq!(header.name, "hello");
        assert_eq!(header.version, "1.2.3");
        assert_eq!(header.release, "4.el9");
        assert_eq!(header.epoch, Some(2));
        assert_eq!(header.arch, "noarch");
        assert_eq!(header.source_rpm, "hello-1.2.3-4.el9.src.rpm");
        assert_eq!(header.size, 3);
        assert_eq!(header.vendor, "Example");
        assert_eq!(header.license, "MIT");
        assert_eq!(header.modularity_label, "hello:1:2:3");
        assert_eq!(header.provides, ["hello"]);
        assert_eq!(header.requires, ["/bin/sh", "/bin/sh"]);
        assert!(header.files.is_empty());
    }

    #[test]
    fn missing_tags_read_as_empty() {
        let bytes = BlobBuilder::default()
            .string(tag::NAME, "gpg-pubkey")
            .build();
        let header = RpmHeader::from_blob(&bytes).unwrap();
        assert_eq!(header.epoch, None);
        assert_eq!(header.size, 0);
        assert_eq!(header.version, "");
    }

    #[test]
    fn long_size_wins_over_size() {
        let bytes = BlobBuilder::default()
            .string(tag::NAME, "big")
            .int32(tag::SIZE, &[1])
            .int64(tag::LONGSIZE, &[5 << 32])
            .build();
        assert_eq!(RpmHeader::from_blob(&bytes).unwrap().size, 5 << 32);
    }

    #[test]
    fn header_without_name_is_an_error() {
        let bytes = BlobBuilder::default().string(tag::VERSION, "1").build();
        assert_eq!(RpmHeader::from_blob(&bytes), Err(HeaderError::MissingName));
    }
}
