//! Readers for the three RPM database formats: SQLite, Berkeley DB hash and NDB.
//!
//! Each format stores one header blob per installed package; [`read_headers`] finds the format
//! from the file's magic number and returns every header as an [`RpmHeader`].

mod bdb;
mod blob;
mod error;
mod files;
mod header;
mod ndb;
mod sqlite;
mod tag;

#[cfg(test)]
mod golden;
#[cfg(test)]
mod test_blob;

pub use error::{HeaderError, RpmDbError};
pub use files::RpmFile;
pub use header::RpmHeader;

/// Which on-disk format a database file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RpmDbFormat {
    /// `rpmdb.sqlite`, written by rpm 4.16 and later (Fedora 33+, RHEL 9, Mariner).
    Sqlite,
    /// `Packages` as a Berkeley DB hash file (RHEL and CentOS up to 8, older SUSE).
    BerkeleyDb,
    /// `Packages.db` in rpm's native format (SUSE 15 and later).
    Ndb,
}

/// Magic header of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Detects the format from the file's bytes, `None` if they carry no known magic.
///
/// The Berkeley DB magic sits at offset 12 of the metadata page, in the byte order of the
/// machine that wrote the file, so both orders are accepted.
pub fn detect_format(bytes: &[u8]) -> Option<RpmDbFormat> {
    if bytes.starts_with(SQLITE_MAGIC) {
        return Some(RpmDbFormat::Sqlite);
    }
    if bytes.starts_with(ndb::FILE_MAGIC) {
        return Some(RpmDbFormat::Ndb);
    }
    let magic = bytes.get(12..16)?;
    let is_hash = magic == bdb::HASH_MAGIC.to_le_bytes() || magic == bdb::HASH_MAGIC.to_be_bytes();
    is_hash.then_some(RpmDbFormat::BerkeleyDb)
}

/// Reads every package header from a database file's bytes, whichever its format.
///
/// The result includes the `gpg-pubkey` pseudo-packages that hold imported signing keys;
/// see [`is_gpg_pubkey`].
pub fn read_headers(bytes: &[u8]) -> Result<Vec<RpmHeader>, RpmDbError> {
    match detect_format(bytes) {
        Some(RpmDbFormat::Sqlite) => sqlite::read(bytes),
        Some(RpmDbFormat::BerkeleyDb) => bdb::read(bytes),
        Some(RpmDbFormat::Ndb) => ndb::read(bytes),
        None => Err(RpmDbError::NotAnRpmDatabase),
    }
}

/// Whether a header is one of the `gpg-pubkey` entries in which rpm keeps imported signing
/// keys: they are database records, not installed software.
pub fn is_gpg_pubkey(header: &RpmHeader) -> bool {
    header.name == "gpg-pubkey"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpmdb::golden::read_input;

    #[test]
    fn detects_each_fixture_format() {
        let cases = [
            (
                "rpm-sqlite-mariner/var/lib/rpm/rpmdb.sqlite",
                RpmDbFormat::Sqlite,
            ),
            (
                "rpm-bdb-libuuid/var/lib/rpm/Packages",
                RpmDbFormat::BerkeleyDb,
            ),
            (
                "rpm-ndb-sle15/usr/lib/sysimage/rpm/Packages.db",
                RpmDbFormat::Ndb,
            ),
        ];
        for (path, format) in cases {
            assert_eq!(detect_format(&read_input(path)), Some(format), "{path}");
        }
    }

    #[test]
    fn detects_big_endian_berkeley_db() {
        let mut bytes = [0; 16];
        bytes[12..].copy_from_slice(&[0x00, 0x06, 0x15, 0x61]);
        assert_eq!(detect_format(&bytes), Some(RpmDbFormat::BerkeleyDb));
    }

    #[test]
    fn unknown_bytes_are_not_a_database() {
        assert_eq!(detect_format(b""), None);
        assert_eq!(detect_format(b"SQLite format 2\0"), None);
        assert!(matches!(
            read_headers(b"short"),
            Err(RpmDbError::NotAnRpmDatabase)
        ));
    }

    #[test]
    fn random_bytes_never_panic() {
        // A fixed xorshift sequence: reproducible noise, with each format's magic planted in
        // front so that every reader sees it.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut noise = |len: usize| -> Vec<u8> {
            (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect()
        };
        for round in 0..64 {
            let mut bytes = noise(512 + round * 97);
            assert!(read_headers(&bytes).is_err() || detect_format(&bytes).is_some());
            bytes[..4].copy_from_slice(b"RpmP");
            let _ = read_headers(&bytes);
            bytes[12..16].copy_from_slice(&bdb::HASH_MAGIC.to_le_bytes());
            bytes[..4].copy_from_slice(&[0; 4]);
            let _ = read_headers(&bytes);
            let _ = RpmHeader::from_blob(&bytes);
        }
    }

    #[test]
    fn reads_every_format_through_one_entry_point() {
        let cases = [
            (
                "rpm-sqlite-rpmbuild/var/lib/rpm/rpmdb.sqlite",
                "hello-fixture",
            ),
            ("rpm-bdb-rocky-distro/var/lib/rpm/Packages", "dive"),
            ("rpm-ndb-sle15/usr/lib/sysimage/rpm/Packages.db", "bash"),
        ];
        for (path, name) in cases {
            let headers = read_headers(&read_input(path)).unwrap();
            assert!(headers.iter().any(|header| header.name == name), "{path}");
        }
    }

    #[test]
    fn recognises_gpg_pubkey() {
        let header = RpmHeader {
            name: "gpg-pubkey".to_string(),
            ..RpmHeader::default()
        };
        assert!(is_gpg_pubkey(&header));
        assert!(!is_gpg_pubkey(&RpmHeader::default()));
    }
}
