//! The header blob: an index of typed entries over a data area, as rpm serialises a header.
//!
//! Layout (rpm's `header.c`, all big-endian): a u32 index count `il`, a u32 data length `dl`,
//! `il` 16-byte index entries (tag, type, offset, count), then `dl` bytes of data. Every read
//! here is bounds-checked against the data area, so a hostile blob yields an error, and no
//! allocation is sized from a count before that count has been checked against the data.

use super::error::HeaderError;

/// Entry types, numbered as rpm's `rpmTagType`.
mod kind {
    pub const CHAR: u32 = 1;
    pub const INT8: u32 = 2;
    pub const INT16: u32 = 3;
    pub const INT32: u32 = 4;
    pub const INT64: u32 = 5;
    pub const STRING: u32 = 6;
    pub const STRING_ARRAY: u32 = 8;
    pub const I18NSTRING: u32 = 9;
}

const PREAMBLE_LEN: usize = 8;
const ENTRY_LEN: usize = 16;

/// One index entry: which tag, of which type, where in the data area and how many elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IndexEntry {
    tag: u32,
    kind: u32,
    offset: u32,
    count: u32,
}

/// A parsed view of one header blob, borrowing its data area.
#[derive(Debug)]
pub(super) struct HeaderBlob<'a> {
    entries: Vec<IndexEntry>,
    data: &'a [u8],
}

impl<'a> HeaderBlob<'a> {
    /// Splits a blob into its index and data area, checking that both fit in `bytes`.
    ///
    /// Bytes after the data area are ignored, so a blob may be read from a longer slice.
    pub(super) fn parse(bytes: &'a [u8]) -> Result<Self, HeaderError> {
        let (Some(index_count), Some(data_len)) = (be_u32(bytes, 0), be_u32(bytes, 4)) else {
            return Err(HeaderError::TooShort { len: bytes.len() });
        };

        // Computed in u64 so that a hostile count cannot overflow on any platform.
        let needed =
            PREAMBLE_LEN as u64 + u64::from(index_count) * ENTRY_LEN as u64 + u64::from(data_len);
        if needed > bytes.len() as u64 {
            return Err(HeaderError::IndexPastEnd {
                entries: index_count,
                data_len,
                len: bytes.len(),
            });
        }

        let data_start = PREAMBLE_LEN + index_count as usize * ENTRY_LEN;
        let entries = bytes[PREAMBLE_LEN..data_start]
            .chunks_exact(ENTRY_LEN)
            .map(|raw| IndexEntry {
                tag: be_u32(raw, 0).unwrap_or_default(),
                kind: be_u32(raw, 4).unwrap_or_default(),
                offset: be_u32(raw, 8).unwrap_or_default(),
                count: be_u32(raw, 12).unwrap_or_default(),
            })
            .collect();
        let data = &bytes[data_start..data_start + data_len as usize];
        Ok(Self { entries, data })
    }

    /// Whether the header has an entry for `tag`.
    pub(super) fn has(&self, tag: u32) -> bool {
        self.find(tag).is_some()
    }

    /// The first string of `tag`, or `None` when the header lacks it.
    ///
    /// For an internationalised string this is the default (C locale) text.
    pub(super) fn string(&self, tag: u32) -> Result<Option<String>, HeaderError> {
        let Some(entry) = self.find(tag) else {
            return Ok(None);
        };
        Ok(self.read_strings(entry, 1)?.pop())
    }

    /// Every string of `tag`, empty when the header lacks it.
    pub(super) fn strings(&self, tag: u32) -> Result<Vec<String>, HeaderError> {
        match self.find(tag) {
            Some(entry) => self.read_strings(entry, entry.count),
            None => Ok(Vec::new()),
        }
    }

    /// The first integer of `tag`, zero-extended, or `None` when the header lacks it.
    pub(super) fn integer(&self, tag: u32) -> Result<Option<u64>, HeaderError> {
        Ok(self.integers(tag)?.first().copied())
    }

    /// Every integer of `tag`, zero-extended, empty when the header lacks it.
    pub(super) fn integers(&self, tag: u32) -> Result<Vec<u64>, HeaderError> {
        let Some(entry) = self.find(tag) else {
            return Ok(Vec::new());
        };
        let width = match entry.kind {
            kind::CHAR | kind::INT8 => 1,
            kind::INT16 => 2,
            kind::INT32 => 4,
            kind::INT64 => 8,
            other => return Err(wrong_type(entry.tag, other, "an integer type")),
        };

        let region = self.region(entry, u64::from(entry.count) * width as u64)?;
        Ok(region.chunks_exact(width).map(be_uint).collect())
    }

    /// The first entry for `tag`; rpm does not write a tag twice.
    fn find(&self, tag: u32) -> Option<&IndexEntry> {
        self.entries.iter().find(|entry| entry.tag == tag)
    }

    /// Reads up to `limit` NUL-terminated strings of a string-typed entry.
    fn read_strings(&self, entry: &IndexEntry, limit: u32) -> Result<Vec<String>, HeaderError> {
        let count = match entry.kind {
            kind::STRING => 1,
            kind::STRING_ARRAY | kind::I18NSTRING => entry.count.min(limit),
            other => return Err(wrong_type(entry.tag, other, "a string type")),
        };

        // Each string takes at least its NUL byte, which caps the count by the data length.
        self.region(entry, u64::from(count))?;
        let mut rest = &self.data[entry.offset as usize..];
        let mut strings = Vec::new();
        for _ in 0..count {
            let Some(end) = rest.iter().position(|&byte| byte == 0) else {
                return Err(HeaderError::UnterminatedString { tag: entry.tag });
            };
            // Old packages carry Latin-1 text; a lossy conversion keeps the package readable.
            strings.push(String::from_utf8_lossy(&rest[..end]).into_owned());
            rest = &rest[end + 1..];
        }
        Ok(strings)
    }

    /// The `len` bytes of the data area at the entry's offset, or an error if they do not fit.
    fn region(&self, entry: &IndexEntry, len: u64) -> Result<&'a [u8], HeaderError> {
        let start = u64::from(entry.offset);
        if start + len > self.data.len() as u64 {
            return Err(HeaderError::EntryOutOfBounds {
                tag: entry.tag,
                offset: entry.offset,
                count: entry.count,
            });
        }
        Ok(&self.data[start as usize..(start + len) as usize])
    }
}

fn wrong_type(tag: u32, kind: u32, expected: &'static str) -> HeaderError {
    HeaderError::WrongType {
        tag,
        kind,
        expected,
    }
}

/// Reads a big-endian u32 at `offset`, `None` if it does not fit.
fn be_u32(bytes: &[u8], offset: usize) -> Option<u32> {
    let raw = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_be_bytes(raw.try_into().ok()?))
}

/// Reads a big-endian unsigned integer of one to eight bytes.
fn be_uint(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0, |value, &byte| (value << 8) | u64::from(byte))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpmdb::test_blob::BlobBuilder;

    #[test]
    fn reads_typed_entries() {
        let bytes = BlobBuilder::default()
            .string(1000, "bash")
            .strings(1047, &["bash", "config(bash)"])
            .int16(1030, &[0o100755, 0o40755])
            .int32(1003, &[2])
            .int64(5009, &[1 << 40])
            .build();
        let blob = HeaderBlob::parse(&bytes).unwrap();

        assert_eq!(blob.string(1000).unwrap().as_deref(), Some("bash"));
        assert_eq!(blob.strings(1047).unwrap(), ["bash", "config(bash)"]);
        assert_eq!(blob.integers(1030).unwrap(), [0o100755, 0o40755]);
        assert_eq!(blob.integer(1003).unwrap(), Some(2));
        assert_eq!(blob.integer(5009).unwrap(), Some(1 << 40));
        assert_eq!(blob.string(1001).unwrap(), None);
        assert!(blob.strings(1001).unwrap().is_empty());
    }

    #[test]
    fn i18n_string_reads_its_first_translation() {
        let bytes = BlobBuilder::default()
            .raw(1004, kind::I18NSTRING, 2, b"hello\0hallo\0")
            .build();
        let blob = HeaderBlob::parse(&bytes).unwrap();
        assert_eq!(blob.string(1004).unwrap().as_deref(), Some("hello"));
    }

    #[test]
    fn rejects_blob_shorter_than_preamble() {
        let error = HeaderBlob::parse(&[0, 0, 0]).unwrap_err();
        assert_eq!(error, HeaderError::TooShort { len: 3 });
    }

    #[test]
    fn rejects_index_count_past_the_data() {
        let mut bytes = BlobBuilder::default().string(1000, "bash").build();
        bytes[..4].copy_from_slice(&u32::MAX.to_be_bytes());
        let error = HeaderBlob::parse(&bytes).unwrap_err();
        assert!(matches!(
            error,
            HeaderError::IndexPastEnd {
                entries: u32::MAX,
                ..
            }
        ));
    }

    #[test]
    fn rejects_data_length_past_the_end() {
        let mut bytes = BlobBuilder::default().string(1000, "bash").build();
        bytes[4..8].copy_from_slice(&1000u32.to_be_bytes());
        assert!(HeaderBlob::parse(&bytes).is_err());
    }

    #[test]
    fn rejects_entry_offset_past_the_data() {
        let bytes = BlobBuilder::default()
            .string(1000, "bash")
            .entry(1001, kind::STRING, 4096, 1)
            .build();
        let blob = HeaderBlob::parse(&bytes).unwrap();
        let error = blob.string(1001).unwrap_err();
        assert!(matches!(
            error,
            HeaderError::EntryOutOfBounds { tag: 1001, .. }
        ));
    }

    #[test]
    fn rejects_huge_counts_without_allocating() {
        let bytes = BlobBuilder::default()
            .raw(1047, kind::STRING_ARRAY, u32::MAX, b"a\0")
            .raw(1028, kind::INT64, u32::MAX, &[0; 8])
            .build();
        let blob = HeaderBlob::parse(&bytes).unwrap();
        assert!(blob.strings(1047).is_err());
        assert!(blob.integers(1028).is_err());
    }

    #[test]
    fn rejects_unterminated_string() {
        let bytes = BlobBuilder::default()
            .raw(1000, kind::STRING, 1, b"bash")
            .build();
        let blob = HeaderBlob::parse(&bytes).unwrap();
        let error = blob.string(1000).unwrap_err();
        assert_eq!(error, HeaderError::UnterminatedString { tag: 1000 });
    }

    #[test]
    fn rejects_mismatched_types() {
        let bytes = BlobBuilder::default()
            .int32(1000, &[1])
            .string(1003, "1")
            .build();
        let blob = HeaderBlob::parse(&bytes).unwrap();
        assert!(matches!(
            blob.string(1000),
            Err(HeaderError::WrongType { .. })
        ));
        assert!(matches!(
            blob.integer(1003),
            Err(HeaderError::WrongType { .. })
        ));
    }
}
