//! Reader for rpm's native database (`Packages.db`, SUSE 15 and later).
//!
//! Layout facts from rpm's `backend/ndb/rpmpkg.c`, all integers little-endian: the file is
//! cut into 16-byte blocks. The first `slot_pages` 4096-byte pages hold a 32-byte file header
//! (magic `RpmP`, version, generation, slot page count, next package index) followed by 16-byte
//! slots (magic `Slot`, package index, first block, block count). A slot with package index 0
//! is free. Each used slot points to a blob: magic `BlbS`, package index, generation, blob
//! length, then the header blob itself.

use super::error::RpmDbError;
use super::header::RpmHeader;

/// Magic of the file header.
pub(super) const FILE_MAGIC: &[u8; 4] = b"RpmP";
const SLOT_MAGIC: &[u8; 4] = b"Slot";
const BLOB_MAGIC: &[u8; 4] = b"BlbS";

const FILE_HEADER_LEN: usize = 32;
const SLOT_LEN: usize = 16;
const BLOB_HEADER_LEN: u64 = 16;
const BLOCK_LEN: u64 = 16;
const PAGE_LEN: u64 = 4096;

/// Reads every package header from the bytes of an NDB `Packages.db` file.
pub(super) fn read(bytes: &[u8]) -> Result<Vec<RpmHeader>, RpmDbError> {
    let slots_end = slot_area_len(bytes)?;

    let mut headers = Vec::new();
    for offset in (FILE_HEADER_LEN..slots_end).step_by(SLOT_LEN) {
        let slot = &bytes[offset..offset + SLOT_LEN];
        let corrupt = |reason| RpmDbError::CorruptSlot {
            offset: offset as u64,
            reason,
        };
        if &slot[..4] != SLOT_MAGIC {
            return Err(corrupt("slot magic is not `Slot`"));
        }
        let package = le_u32(slot, 4);
        if package == 0 {
            continue;
        }

        let blob = blob_of(bytes, slot, slots_end).map_err(corrupt)?;
        let header = RpmHeader::from_blob(blob).map_err(|source| RpmDbError::Header {
            record: u64::from(package),
            source,
        })?;
        headers.push(header);
    }
    Ok(headers)
}

/// Checks the file header and returns the length of the slot area it declares.
fn slot_area_len(bytes: &[u8]) -> Result<usize, RpmDbError> {
    if !bytes.starts_with(FILE_MAGIC) {
        return Err(RpmDbError::NotAnRpmDatabase);
    }
    if bytes.len() < FILE_HEADER_LEN {
        return Err(RpmDbError::Truncated {
            needed: FILE_HEADER_LEN as u64,
            len: bytes.len() as u64,
        });
    }
    if le_u32(bytes, 4) != 0 {
        return Err(RpmDbError::BadMetadata {
            reason: "ndb version is not 0",
        });
    }

    let slot_pages = u64::from(le_u32(bytes, 12));
    if slot_pages == 0 {
        return Err(RpmDbError::BadMetadata {
            reason: "ndb file declares no slot pages",
        });
    }
    let needed = slot_pages * PAGE_LEN;
    if needed > bytes.len() as u64 {
        return Err(RpmDbError::Truncated {
            needed,
            len: bytes.len() as u64,
        });
    }
    Ok(needed as usize)
}

/// The header blob that a used slot points to, checked against the slot and the file.
fn blob_of<'a>(bytes: &'a [u8], slot: &[u8], slots_end: usize) -> Result<&'a [u8], &'static str> {
    let start = u64::from(le_u32(slot, 8)) * BLOCK_LEN;
    let extent = u64::from(le_u32(slot, 12)) * BLOCK_LEN;
    if start < slots_end as u64 {
        return Err("slot points into the slot area");
    }
    if start + extent > bytes.len() as u64 {
        return Err("slot points past the end of the file");
    }
    if extent < BLOB_HEADER_LEN {
        return Err("slot is too small for a blob");
    }

    let blob = &bytes[start as usize..(start + extent) as usize];
    if &blob[..4] != BLOB_MAGIC {
        return Err("blob magic is not `BlbS`");
    }
    if le_u32(blob, 4) != le_u32(slot, 4) {
        return Err("blob belongs to another package");
    }
    let len = u64::from(le_u32(blob, 12));
    if BLOB_HEADER_LEN + len > extent {
        return Err("blob is longer than its slot");
    }
    Ok(&blob[BLOB_HEADER_LEN as usize..(BLOB_HEADER_LEN + len) as usize])
}

/// Reads a little-endian u32; callers have checked that it lies inside `bytes`.
fn le_u32(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes([
        bytes[offset],
        bytes[offset + 1],
        bytes[offset + 2],
        bytes[offset + 3],
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpmdb::golden::{assert_matches_golden, read_input};

    fn sle15() -> Vec<u8> {
        read_input("rpm-ndb-sle15/usr/lib/sysimage/rpm/Packages.db")
    }

    #[test]
    fn sle15_matches_syft() {
        let headers = read(&sle15()).unwrap();
        assert_eq!(headers.len(), 35);
        assert_matches_golden(&headers, "rpm-ndb-sle15");
    }

    #[test]
    fn slot_pointing_past_the_end_is_an_error() {
        let mut bytes = sle15();
        bytes[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        let error = read(&bytes).unwrap_err();
        assert!(matches!(error, RpmDbError::CorruptSlot { offset: 32, .. }));
    }

    #[test]
    fn blob_longer_than_its_slot_is_an_error() {
        let mut bytes = sle15();
        // The first slot's blob starts at block 256, the first byte after the slot page.
        bytes[4096 + 12..4096 + 16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(read(&bytes), Err(RpmDbError::CorruptSlot { .. })));
    }

    #[test]
    fn broken_slot_magic_is_an_error() {
        let mut bytes = sle15();
        bytes[48..52].copy_from_slice(b"Slxx");
        assert!(matches!(
            read(&bytes),
            Err(RpmDbError::CorruptSlot { offset: 48, .. })
        ));
    }

    #[test]
    fn truncated_file_is_an_error() {
        let bytes = sle15();
        assert!(matches!(
            read(&bytes[..2000]),
            Err(RpmDbError::Truncated { .. })
        ));
        assert!(matches!(
            read(&bytes[..20]),
            Err(RpmDbError::Truncated { .. })
        ));
        assert!(read(&bytes[..bytes.len() / 2]).is_err());
    }
}
