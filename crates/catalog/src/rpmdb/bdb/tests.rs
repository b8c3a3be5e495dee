//! Tests of the Berkeley DB reader: Syft's fixtures, and small synthetic files that break it.

use super::*;
use crate::rpmdb::golden::{assert_matches_golden, read_input};
use crate::rpmdb::test_blob::BlobBuilder;

const PAGE: usize = 512;

/// A hash database of `pages` pages: metadata, one hash page holding key 1 with an
/// off-page value starting at page 2, then overflow pages filled by the test.
fn synthetic_db(order: ByteOrder, pages: usize, value_len: u32) -> Vec<u8> {
    let mut bytes = vec![0; PAGE * pages];
    put_u32(order, &mut bytes, 12, HASH_MAGIC);
    put_u32(order, &mut bytes, 20, PAGE as u32);
    bytes[25] = P_HASHMETA;
    put_u32(order, &mut bytes, 32, pages as u32 - 1);

    let hash = &mut bytes[PAGE..2 * PAGE];
    hash[25] = P_HASH;
    put_u16(order, hash, 20, 2);
    let key_at = PAGE - 5;
    let value_at = key_at - OFFPAGE_ITEM_LEN;
    put_u16(order, hash, 26, key_at as u16);
    put_u16(order, hash, 28, value_at as u16);
    hash[key_at] = H_KEYDATA;
    hash[value_at] = H_OFFPAGE;
    put_u32(order, hash, value_at + 4, 2);
    put_u32(order, hash, value_at + 8, value_len);
    bytes
}

/// Writes `data` into overflow page `number`, linking it to `next`.
fn overflow_page(order: ByteOrder, bytes: &mut [u8], number: usize, next: u32, data: &[u8]) {
    let page = &mut bytes[number * PAGE..(number + 1) * PAGE];
    page[25] = P_OVERFLOW;
    put_u32(order, page, 16, next);
    put_u16(order, page, 22, data.len() as u16);
    page[PAGE_HEADER_LEN..PAGE_HEADER_LEN + data.len()].copy_from_slice(data);
}

fn put_u16(order: ByteOrder, bytes: &mut [u8], offset: usize, value: u16) {
    let raw = match order {
        ByteOrder::Little => value.to_le_bytes(),
        ByteOrder::Big => value.to_be_bytes(),
    };
    bytes[offset..offset + 2].copy_from_slice(&raw);
}

fn put_u32(order: ByteOrder, bytes: &mut [u8], offset: usize, value: u32) {
    let raw = match order {
        ByteOrder::Little => value.to_le_bytes(),
        ByteOrder::Big => value.to_be_bytes(),
    };
    bytes[offset..offset + 4].copy_from_slice(&raw);
}

#[test]
fn libuuid_matches_syft() {
    let headers = read(&read_input("rpm-bdb-libuuid/var/lib/rpm/Packages")).unwrap();
    assert_matches_golden(&headers, "rpm-bdb-libuuid");
}

#[test]
fn rocky_fixture_matches_syft() {
    let headers = read(&read_input("rpm-bdb-rocky-distro/var/lib/rpm/Packages")).unwrap();
    assert_matches_golden(&headers, "rpm-bdb-rocky-distro");
}

#[test]
fn syft_fixture_matches_syft() {
    let headers = read(&read_input("rpm-bdb-syft/var/lib/rpm/Packages")).unwrap();
    assert_matches_golden(&headers, "rpm-bdb-syft");
}

#[test]
fn big_endian_value_spanning_two_overflow_pages() {
    let blob = BlobBuilder::default()
        .string(1000, "big-endian")
        .string(1001, &"9".repeat(600))
        .build();
    let mut bytes = synthetic_db(ByteOrder::Big, 4, blob.len() as u32);
    overflow_page(ByteOrder::Big, &mut bytes, 2, 3, &blob[..400]);
    overflow_page(ByteOrder::Big, &mut bytes, 3, 0, &blob[400..]);

    let headers = read(&bytes).unwrap();
    assert_eq!(headers.len(), 1);
    assert_eq!(headers[0].name, "big-endian");
    assert_eq!(headers[0].version.len(), 600);
}

#[test]
fn looping_overflow_chain_is_an_error() {
    let mut bytes = synthetic_db(ByteOrder::Little, 3, 1000);
    overflow_page(ByteOrder::Little, &mut bytes, 2, 2, &[0; 100]);
    let error = read(&bytes).unwrap_err();
    assert!(matches!(error, RpmDbError::OverflowPageReused { page: 2 }));
}

#[test]
fn overflow_chain_ending_early_is_an_error() {
    let mut bytes = synthetic_db(ByteOrder::Little, 3, 1000);
    overflow_page(ByteOrder::Little, &mut bytes, 2, 0, &[0; 100]);
    assert!(matches!(
        read(&bytes),
        Err(RpmDbError::CorruptPage { page: 0, .. })
    ));
}

#[test]
fn item_offset_past_the_page_is_an_error() {
    let mut bytes = synthetic_db(ByteOrder::Little, 3, 10);
    put_u16(ByteOrder::Little, &mut bytes[PAGE..], 28, PAGE as u16 + 1);
    assert!(matches!(
        read(&bytes),
        Err(RpmDbError::CorruptPage { page: 1, .. })
    ));
}

#[test]
fn truncated_file_is_an_error() {
    let bytes = read_input("rpm-bdb-libuuid/var/lib/rpm/Packages");
    let error = read(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(error, RpmDbError::Truncated { .. }));
    assert!(read(&bytes[..100]).is_err());
}

#[test]
fn bad_page_size_is_an_error() {
    let mut bytes = synthetic_db(ByteOrder::Little, 3, 10);
    put_u32(ByteOrder::Little, &mut bytes, 20, 1000);
    assert!(matches!(read(&bytes), Err(RpmDbError::BadMetadata { .. })));
}
