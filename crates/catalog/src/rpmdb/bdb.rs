//! Reader for rpm's Berkeley DB hash database (`Packages`: RHEL and CentOS up to 8, older SUSE).
//!
//! Layout facts from Berkeley DB's `db_page.h` and `hash.h`: page 0 is the hash metadata page;
//! every page starts with a 26-byte header (page number at 8, next page at 16, item count at
//! 20, free-space offset at 22, page type at 25); hash pages follow it with an array of u16 item
//! offsets, items alternating key and value. rpm stores each header blob as a value too big to
//! fit a page, so the value item points to a chain of overflow pages. All integers are in the
//! byte order of the machine that wrote the file, which the metadata magic reveals.

use std::borrow::Cow;

use super::error::RpmDbError;
use super::header::RpmHeader;

/// Magic number of a hash database, at offset 12 of the metadata page.
pub(super) const HASH_MAGIC: u32 = 0x0006_1561;

/// Page types (`P_*` in `db_page.h`).
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASHMETA: u8 = 8;
const P_HASH: u8 = 13;

/// Hash item types (`H_*` in `db_page.h`); rpm never stores duplicates.
const H_KEYDATA: u8 = 1;
const H_OFFPAGE: u8 = 3;

/// `SIZEOF_PAGE`: the page header shared by all page types.
const PAGE_HEADER_LEN: usize = 26;
/// An off-page item: type, three unused bytes, first overflow page, total length.
const OFFPAGE_ITEM_LEN: usize = 12;
/// Berkeley DB's smallest and largest page sizes.
const PAGE_SIZES: std::ops::RangeInclusive<usize> = 512..=65536;

/// Reads every package header from the bytes of a Berkeley DB `Packages` file.
///
/// Values that do not parse as a header are skipped: the record under key 0 holds rpm's next
/// instance number rather than a package. Broken page structure fails the whole file.
pub(super) fn read(bytes: &[u8]) -> Result<Vec<RpmHeader>, RpmDbError> {
    let meta = Meta::read(bytes)?;

    // One flag per page, so that no overflow page is read twice: this ends looping chains and
    // bounds the work on a hostile file by its size.
    let mut overflow_seen = vec![false; meta.last_page as usize + 1];
    let mut headers = Vec::new();
    for page_number in 1..=meta.last_page {
        let page = meta.page(bytes, page_number);
        if !matches!(page[25], P_HASH | P_HASH_UNSORTED) {
            continue;
        }

        for value in meta.values(page_number, page)? {
            let blob = match value {
                Value::Inline(data) => Cow::Borrowed(data),
                Value::OffPage { first, len } => {
                    Cow::Owned(meta.read_overflow(bytes, first, len, &mut overflow_seen)?)
                }
            };
            match RpmHeader::from_blob(&blob) {
                Ok(header) => headers.push(header),
                Err(error) if blob.len() > 8 => {
                    tracing::warn!(%error, page = page_number, "skipping an unreadable rpm header");
                }
                Err(_) => {}
            }
        }
    }
    Ok(headers)
}

/// Byte order of the integers in a database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteOrder {
    Little,
    Big,
}

impl ByteOrder {
    /// Reads a u16 at `offset`; callers have checked that it lies inside `bytes`.
    fn u16(self, bytes: &[u8], offset: usize) -> u16 {
        let raw = [bytes[offset], bytes[offset + 1]];
        match self {
            ByteOrder::Little => u16::from_le_bytes(raw),
            ByteOrder::Big => u16::from_be_bytes(raw),
        }
    }

    /// Reads a u32 at `offset`; callers have checked that it lies inside `bytes`.
    fn u32(self, bytes: &[u8], offset: usize) -> u32 {
        let raw = [
            bytes[offset],
            bytes[offset + 1],
            bytes[offset + 2],
            bytes[offset + 3],
        ];
        match self {
            ByteOrder::Little => u32::from_le_bytes(raw),
            ByteOrder::Big => u32::from_be_bytes(raw),
        }
    }
}

/// The facts of the metadata page that the walk needs.
#[derive(Debug)]
struct Meta {
    order: ByteOrder,
    page_size: usize,
    last_page: u32,
}

/// A value item of a hash page.
enum Value<'a> {
    /// Stored on the page itself.
    Inline(&'a [u8]),
    /// Stored in a chain of overflow pages.
    OffPage { first: u32, len: u32 },
}

impl Meta {
    /// Reads and checks the metadata page (`HMETA` in `db_page.h`).
    fn read(bytes: &[u8]) -> Result<Self, RpmDbError> {
        if bytes.len() < *PAGE_SIZES.start() {
            return Err(truncated(*PAGE_SIZES.start() as u64, bytes));
        }
        let order = if ByteOrder::Little.u32(bytes, 12) == HASH_MAGIC {
            ByteOrder::Little
        } else if ByteOrder::Big.u32(bytes, 12) == HASH_MAGIC {
            ByteOrder::Big
        } else {
            return Err(RpmDbError::NotAnRpmDatabase);
        };

        let page_size = order.u32(bytes, 20) as usize;
        if !page_size.is_power_of_two() || !PAGE_SIZES.contains(&page_size) {
            return Err(bad_metadata(
                "page size is not a power of two from 512 to 65536",
            ));
        }
        if bytes[25] != P_HASHMETA {
            return Err(bad_metadata("first page is not a hash metadata page"));
        }
        // Not yet: encrypted databases and per-page checksums (`DBMETA_CHKSUM`) shift the page
        // layout, and rpm has never been seen to enable either.
        if bytes[24] != 0 || bytes[26] & 1 != 0 {
            return Err(bad_metadata(
                "encrypted or checksummed pages are not supported",
            ));
        }

        let last_page = order.u32(bytes, 32);
        let needed = (u64::from(last_page) + 1) * page_size as u64;
        if needed > bytes.len() as u64 {
            return Err(truncated(needed, bytes));
        }
        Ok(Self {
            order,
            page_size,
            last_page,
        })
    }

    /// The bytes of page `number`; `read` checked that pages up to `last_page` exist.
    fn page<'a>(&self, bytes: &'a [u8], number: u32) -> &'a [u8] {
        let start = number as usize * self.page_size;
        &bytes[start..start + self.page_size]
    }

    /// The value items of a hash page, after checking every item offset.
    ///
    /// Items are packed from the end of the page downwards in index order, so each item ends
    /// where the previous one starts (`LEN_HITEM` in `hash.h`).
    fn values<'a>(&self, number: u32, page: &'a [u8]) -> Result<Vec<Value<'a>>, RpmDbError> {
        let count = usize::from(self.order.u16(page, 20));
        let index_end = PAGE_HEADER_LEN + 2 * count;
        if index_end > self.page_size {
            return Err(self.corrupt(number, "item index runs past the page"));
        }
        if count % 2 != 0 {
            return Err(self.corrupt(number, "odd number of items on a key/value page"));
        }

        let mut items = Vec::with_capacity(count);
        let mut end = self.page_size;
        for slot in 0..count {
            let start = usize::from(self.order.u16(page, PAGE_HEADER_LEN + 2 * slot));
            if start < index_end || start >= end {
                return Err(self.corrupt(number, "item offset outside its place on the page"));
            }
            items.push(&page[start..end]);
            end = start;
        }

        let mut values = Vec::with_capacity(count / 2);
        for item in items.into_iter().skip(1).step_by(2) {
            match item[0] {
                H_KEYDATA => values.push(Value::Inline(&item[1..])),
                H_OFFPAGE if item.len() < OFFPAGE_ITEM_LEN => {
                    return Err(self.corrupt(number, "off-page item is too short"));
                }
                H_OFFPAGE => values.push(Value::OffPage {
                    first: self.order.u32(item, 4),
                    len: self.order.u32(item, 8),
                }),
                _ => {}
            }
        }
        Ok(values)
    }

    /// Concatenates a chain of overflow pages into the `len` bytes of one value.
    fn read_overflow(
        &self,
        bytes: &[u8],
        first: u32,
        len: u32,
        seen: &mut [bool],
    ) -> Result<Vec<u8>, RpmDbError> {
        let len = len as usize;
        if len > bytes.len() {
            return Err(self.corrupt(first, "overflow value is longer than the file"));
        }

        let mut value = Vec::with_capacity(len);
        let mut number = first;
        while value.len() < len {
            if number == 0 || number > self.last_page {
                return Err(self.corrupt(number, "overflow chain leaves the file early"));
            }
            if std::mem::replace(&mut seen[number as usize], true) {
                return Err(RpmDbError::OverflowPageReused { page: number });
            }

            let page = self.page(bytes, number);
            if page[25] != P_OVERFLOW {
                return Err(self.corrupt(number, "overflow chain reaches a non-overflow page"));
            }
            // On overflow pages the free-space offset field holds the bytes used (`OV_LEN`).
            let used = usize::from(self.order.u16(page, 22));
            if PAGE_HEADER_LEN + used > self.page_size || used > len - value.len() {
                return Err(self.corrupt(number, "overflow page claims more bytes than fit"));
            }
            value.extend_from_slice(&page[PAGE_HEADER_LEN..PAGE_HEADER_LEN + used]);
            number = self.order.u32(page, 16);
        }
        Ok(value)
    }

    fn corrupt(&self, page: u32, reason: &'static str) -> RpmDbError {
        let offset = u64::from(page) * self.page_size as u64;
        RpmDbError::CorruptPage {
            page,
            offset,
            reason,
        }
    }
}

fn truncated(needed: u64, bytes: &[u8]) -> RpmDbError {
    RpmDbError::Truncated {
        needed,
        len: bytes.len() as u64,
    }
}

fn bad_metadata(reason: &'static str) -> RpmDbError {
    RpmDbError::BadMetadata { reason }
}

#[cfg(test)]
mod tests;
