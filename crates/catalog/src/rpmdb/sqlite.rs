//! Reader for rpm's SQLite database (`rpmdb.sqlite`, rpm 4.16 and later).
//!
//! The `Packages` table holds one header blob per row, keyed by `hnum`; the other tables are
//! indexes that a scanner does not need.

use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::error::RpmDbError;
use super::header::RpmHeader;

/// Reads every package header from the bytes of an `rpmdb.sqlite` file.
pub(super) fn read(bytes: &[u8]) -> Result<Vec<RpmHeader>, RpmDbError> {
    // `Connection::deserialize` would read the bytes in place, but building its `OwnedData`
    // needs `unsafe`, which the workspace forbids; a private temporary file does the same job.
    let mut staged = tempfile::Builder::new()
        .prefix("plimsoll-rpmdb-")
        .suffix(".sqlite")
        .tempfile()
        .map_err(RpmDbError::TempFile)?;
    staged.write_all(bytes).map_err(RpmDbError::TempFile)?;
    staged.flush().map_err(RpmDbError::TempFile)?;

    let connection = open_immutable(staged.path()).map_err(RpmDbError::Sqlite)?;
    let mut statement = connection
        .prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")
        .map_err(RpmDbError::Sqlite)?;
    let mut rows = statement.query([]).map_err(RpmDbError::Sqlite)?;

    let mut headers = Vec::new();
    while let Some(row) = rows.next().map_err(RpmDbError::Sqlite)? {
        let record: i64 = row.get(0).map_err(RpmDbError::Sqlite)?;
        let blob = row.get_ref(1).and_then(|value| Ok(value.as_blob()?));
        let blob = blob.map_err(RpmDbError::Sqlite)?;
        let header = RpmHeader::from_blob(blob).map_err(|source| RpmDbError::Header {
            record: record as u64,
            source,
        })?;
        headers.push(header);
    }
    Ok(headers)
}

/// Opens a database file read-only, telling SQLite that nothing else will change it.
///
/// `immutable=1` matters: rpm keeps its database in WAL mode, and without it a reader would
/// look for, or try to create, `-wal` and `-shm` files next to the copy.
fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let uri = format!(
        "file:{}?immutable=1",
        percent_encode(&path.to_string_lossy())
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags)
}

/// Escapes every byte that could end or alter the path part of an SQLite `file:` URI.
fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpmdb::golden::{assert_matches_golden, read_input};

    #[test]
    fn mariner_matches_syft() {
        let bytes = read_input("rpm-sqlite-mariner/var/lib/rpm/rpmdb.sqlite");
        let headers = read(&bytes).unwrap();
        assert_eq!(headers.len(), 129);
        assert_matches_golden(&headers, "rpm-sqlite-mariner");
    }

    #[test]
    fn rpmbuild_fixture_matches_syft() {
        let bytes = read_input("rpm-sqlite-rpmbuild/var/lib/rpm/rpmdb.sqlite");
        let headers = read(&bytes).unwrap();
        assert_eq!(headers.len(), 1);
        assert_matches_golden(&headers, "rpm-sqlite-rpmbuild");
    }

    #[test]
    fn truncated_database_is_an_error() {
        let bytes = read_input("rpm-sqlite-rpmbuild/var/lib/rpm/rpmdb.sqlite");
        assert!(read(&bytes[..bytes.len() / 3]).is_err());
    }

    #[test]
    fn database_without_packages_table_is_an_error() {
        let mut bytes = b"SQLite format 3\0".to_vec();
        bytes.resize(4096, 0);
        assert!(matches!(read(&bytes), Err(RpmDbError::Sqlite(_))));
    }

    #[test]
    fn encodes_uri_delimiters() {
        assert_eq!(percent_encode("/tmp/a?b#c%d e"), "/tmp/a%3Fb%23c%25d%20e");
    }
}
