//! Finding and decoding the build information blob the Go linker leaves in a binary: a
//! 32-byte header starting `\xff Go buildinf:` (16-byte aligned, near the start of the
//! `.go.buildinfo` section or the first writable data segment), then either the toolchain
//! version and module text inline as varint-prefixed strings (Go 1.18 and later, flag bit
//! 2), or two pointers to Go string headers (earlier releases). This follows the layout
//! read by Go's `debug/buildinfo`.

use memchr::memmem;
use object::{Object, ObjectSection, ObjectSegment, SectionFlags, SegmentFlags};
use serde::{Deserialize, Serialize};

use crate::executable::header_architecture;

const MAGIC: &[u8] = b"\xff Go buildinf:";
const HEADER_SIZE: usize = 32;
const ALIGN: usize = 16;
/// How far from the start of the data the linker may have put the blob.
const SEARCH_WINDOW: u64 = 64 << 10;
/// The framing `cmd/go` puts around the module text: 16 bytes each side.
const FRAMING: usize = 16;

/// The marker functions of `crypto/internal/boring/sig` (amd64): a jump, an indicator
/// sequence, then a 24-byte signature per function.
const CRYPTO_MARKERS: &[(&str, &[u8])] = &[
    (
        "standard-crypto",
        b"\xeb\x1d\xf4\x48\xf4\x4b\xf4\xba\xee\x4d\xfa\x98\x51\xca\x56\xa9\x11\x45\xe8\x3e\x99\xc5\x9c\xf9\x11\xcb\x8e\x80\xda\xf1\x2f",
    ),
    (
        "boring-crypto",
        b"\xeb\x1d\xf4\x48\xf4\x4b\xf4\xb3\x32\xf5\x28\x13\xa3\xb4\x50\xd4\x41\xcc\x24\x85\xf0\x01\x45\x4e\x92\x10\x1b\x1d\x2f\x19\x50",
    ),
    (
        "crypto/tls/fipsonly",
        b"\xeb\x1d\xf4\x48\xf4\x4b\xf4\x36\x3c\xb9\xce\x9d\x68\x04\x7d\x31\xf2\x8d\x32\x5d\x5c\xa5\x87\x3f\x5d\x80\xca\xf6\xd6\x15\x1b",
    ),
];

/// The raw build information of one Go binary image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RawBuildInfo {
    /// `runtime.buildVersion`, such as `go1.19.8` or `go1.20 X:boringcrypto`.
    pub go_version: String,
    /// The module text (`path`, `mod`, `dep`, `=>` and `build` lines), framing removed;
    /// empty for a binary built outside module mode before Go 1.18.
    pub modinfo: String,
    /// The architecture from the executable's header.
    pub architecture: String,
    /// Which crypto implementation markers are linked in.
    pub crypto_settings: Vec<String>,
}

/// Why a blob that was found could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum BuildInfoError {
    #[error("the Go build information header gives a pointer size of {0}")]
    PointerSize(u8),
    #[error("a Go build information pointer (`{0:#x}`) points outside the file's segments")]
    PointerOutOfRange(u64),
    #[error("the Go build information strings run past the end of the data")]
    Truncated,
}

/// The build information of a Go binary image; `None` when it is not a Go binary.
pub(crate) fn read(
    file: &object::File<'_>,
    image: &[u8],
) -> Result<Option<RawBuildInfo>, BuildInfoError> {
    let Some(start) = data_start(file) else {
        return Ok(None);
    };
    let Some(data) = read_data(file, start, SEARCH_WINDOW) else {
        return Ok(None);
    };
    let Some(blob) = find_blob(data) else {
        return Ok(None);
    };

    let (go_version, module_text) = if blob[15] & 2 != 0 {
        let (version, rest) =
            decode_string(&blob[HEADER_SIZE..]).ok_or(BuildInfoError::Truncated)?;
        let (module_text, _) = decode_string(rest).ok_or(BuildInfoError::Truncated)?;
        (version, module_text)
    } else {
        let pointer_size = blob[14];
        if pointer_size != 4 && pointer_size != 8 {
            return Err(BuildInfoError::PointerSize(pointer_size));
        }
        let reader = PointerReader {
            size: usize::from(pointer_size),
            big_endian: blob[15] & 1 != 0,
        };
        let size = reader.size;
        let version = read_string(file, &reader, reader.read(&blob[16..16 + size]))?;
        let module_text = read_string(file, &reader, reader.read(&blob[16 + size..16 + 2 * size]))?;
        (version, module_text)
    };
    if go_version.is_empty() {
        return Ok(None);
    }

    Ok(Some(RawBuildInfo {
        go_version: String::from_utf8_lossy(go_version).into_owned(),
        modinfo: strip_framing(module_text),
        architecture: header_architecture(file),
        crypto_settings: crypto_settings(image),
    }))
}

/// The address where the blob is looked for: the dedicated section, else the first
/// writable, non-executable data.
fn data_start(file: &object::File<'_>) -> Option<u64> {
    if let Some(section) = file
        .section_by_name(".go.buildinfo")
        .or_else(|| file.section_by_name("__go_buildinfo"))
    {
        return Some(section.address());
    }
    match file {
        object::File::Pe32(_) | object::File::Pe64(_) => {
            // The first section holding initialised, readable, writable data (alignment
            // bits aside).
            const WANTED: u32 = 0x0000_0040 | 0x4000_0000 | 0x8000_0000;
            const ALIGNMENT_BITS: u32 = 0x0060_0000;
            file.sections().find_map(|section| {
                let SectionFlags::Coff { characteristics } = section.flags() else {
                    return None;
                };
                let mapped =
                    section.address() != file.relative_address_base() && section.size() != 0;
                (mapped && characteristics & !ALIGNMENT_BITS == WANTED).then(|| section.address())
            })
        }
        _ => file.segments().find_map(|segment| match segment.flags() {
            SegmentFlags::Elf { p_flags } => {
                let (execute, write) = (object::elf::PF_X, object::elf::PF_W);
                (p_flags & (execute | write) == write).then(|| segment.address())
            }
            SegmentFlags::MachO {
                maxprot, initprot, ..
            } => {
                let has_data = segment.data().is_ok_and(|d| !d.is_empty());
                let read_write = 3;
                (segment.address() != 0
                    && has_data
                    && initprot == read_write
                    && maxprot == read_write)
                    .then(|| segment.address())
            }
            _ => None,
        }),
    }
}

/// Up to `size` bytes of file-backed data at virtual address `address`.
fn read_data<'a>(file: &object::File<'a>, address: u64, size: u64) -> Option<&'a [u8]> {
    file.segments().find_map(|segment| {
        let data = segment.data().ok()?;
        let offset = address.checked_sub(segment.address())?;
        if offset >= data.len() as u64 {
            return None;
        }
        let offset = offset as usize;
        let end = offset
            .saturating_add(usize::try_from(size).unwrap_or(usize::MAX))
            .min(data.len());
        Some(&data[offset..end])
    })
}

/// The first 16-byte-aligned header with room for its 32 bytes.
fn find_blob(data: &[u8]) -> Option<&[u8]> {
    memmem::find_iter(data, MAGIC)
        .find(|&at| at % ALIGN == 0 && data.len() - at >= HEADER_SIZE)
        .map(|at| &data[at..])
}

/// A length-prefixed string (unsigned LEB128 length) and what follows it.
fn decode_string(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut length: u64 = 0;
    let mut consumed = 0;
    for (index, byte) in data.iter().enumerate().take(10) {
        length |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            consumed = index + 1;
            break;
        }
    }
    if consumed == 0 {
        return None;
    }
    let rest = &data[consumed..];
    let length = usize::try_from(length).ok().filter(|&l| l <= rest.len())?;
    Some(rest.split_at(length))
}

/// Reads pointers of the binary's width and byte order.
struct PointerReader {
    size: usize,
    big_endian: bool,
}

impl PointerReader {
    fn read(&self, bytes: &[u8]) -> u64 {
        let mut value = 0u64;
        for index in 0..self.size {
            let byte = if self.big_endian {
                bytes[index]
            } else {
                bytes[self.size - 1 - index]
            };
            value = value << 8 | u64::from(byte);
        }
        value
    }
}

/// The Go string whose header (data pointer, length) is at `address`.
fn read_string<'a>(
    file: &object::File<'a>,
    reader: &PointerReader,
    address: u64,
) -> Result<&'a [u8], BuildInfoError> {
    let out_of_range = BuildInfoError::PointerOutOfRange;
    let header = read_data(file, address, 2 * reader.size as u64)
        .filter(|h| h.len() == 2 * reader.size)
        .ok_or(out_of_range(address))?;
    let data_address = reader.read(&header[..reader.size]);
    let length = reader.read(&header[reader.size..]);
    read_data(file, data_address, length)
        .filter(|data| data.len() as u64 == length)
        .ok_or(out_of_range(data_address))
}

/// The module text inside its framing, or empty when the framing is absent (as Go does).
fn strip_framing(text: &[u8]) -> String {
    let framed = text.len() > 2 * FRAMING && text[text.len() - FRAMING - 1] == b'\n';
    if !framed {
        return String::new();
    }
    String::from_utf8_lossy(&text[FRAMING..text.len() - FRAMING]).into_owned()
}

fn crypto_settings(image: &[u8]) -> Vec<String> {
    CRYPTO_MARKERS
        .iter()
        .filter(|(_, marker)| memmem::find(image, marker).is_some())
        .map(|(name, _)| name.to_string())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const BASE: u64 = 0x40_0000;
    /// Where the blob starts in the generated file (and so `BASE + BLOB_OFFSET` in memory).
    const BLOB_OFFSET: usize = 128;

    /// A minimal little-endian ELF64 executable: one read-write `PT_LOAD` segment mapping
    /// the whole file at `BASE`, and `blob` at `BLOB_OFFSET`.
    pub(crate) fn elf_with(blob: &[u8]) -> Vec<u8> {
        let mut file = Vec::new();
        file.extend_from_slice(b"\x7fELF\x02\x01\x01\x00");
        file.resize(16, 0);
        file.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
        file.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
        file.extend_from_slice(&1u32.to_le_bytes());
        file.extend_from_slice(&0u64.to_le_bytes()); // entry
        file.extend_from_slice(&64u64.to_le_bytes()); // program headers
        file.extend_from_slice(&0u64.to_le_bytes()); // no section headers
        file.extend_from_slice(&0u32.to_le_bytes());
        for value in [64u16, 56, 1, 64, 0, 0] {
            file.extend_from_slice(&value.to_le_bytes());
        }
        let total = (BLOB_OFFSET + blob.len()) as u64;
        file.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
        file.extend_from_slice(&6u32.to_le_bytes()); // PF_R | PF_W
        for value in [0, BASE, BASE, total, total, 0x1000] {
            file.extend_from_slice(&value.to_le_bytes());
        }
        file.resize(BLOB_OFFSET, 0);
        file.extend_from_slice(blob);
        file
    }

    /// A Go 1.18+ header with the version and module text inline.
    pub(crate) fn inline_blob(version: &str, modinfo: &str) -> Vec<u8> {
        let framed = format!("{}{modinfo}{}", "0".repeat(FRAMING), "1".repeat(FRAMING));
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, 2]);
        blob.resize(HEADER_SIZE, 0);
        for text in [version, framed.as_str()] {
            let mut length = text.len();
            while length >= 0x80 {
                blob.push((length as u8 & 0x7f) | 0x80);
                length >>= 7;
            }
            blob.push(length as u8);
            blob.extend_from_slice(text.as_bytes());
        }
        blob
    }

    fn read_elf(content: &[u8]) -> Result<Option<RawBuildInfo>, BuildInfoError> {
        read(&object::File::parse(content).unwrap(), content)
    }

    #[test]
    fn inline_build_information_reads() {
        let modinfo = "path\texample.com/x\nmod\texample.com/x\t(devel)\t\n";
        let build = read_elf(&elf_with(&inline_blob("go1.21.0", modinfo)))
            .unwrap()
            .unwrap();
        assert_eq!(build.go_version, "go1.21.0");
        assert_eq!(build.modinfo, modinfo);
        assert_eq!(build.architecture, "x86_64");
    }

    #[test]
    fn pointer_build_information_reads_and_bad_pointers_are_errors() {
        // Header, then two string headers (address, length) at +32 and +48, then the text.
        let text_address = BASE + BLOB_OFFSET as u64 + 64;
        let blob = |version_header: u64| {
            let mut blob = MAGIC.to_vec();
            blob.extend_from_slice(&[8, 0]);
            blob.extend_from_slice(&version_header.to_le_bytes());
            blob.extend_from_slice(&(BASE + BLOB_OFFSET as u64 + 48).to_le_bytes());
            blob.extend_from_slice(&text_address.to_le_bytes());
            blob.extend_from_slice(&8u64.to_le_bytes());
            blob.extend_from_slice(&text_address.to_le_bytes());
            blob.extend_from_slice(&0u64.to_le_bytes());
            blob.extend_from_slice(b"go1.16.3");
            blob
        };
        let build = read_elf(&elf_with(&blob(BASE + BLOB_OFFSET as u64 + 32)))
            .unwrap()
            .unwrap();
        assert_eq!(
            (build.go_version.as_str(), build.modinfo.as_str()),
            ("go1.16.3", "")
        );
        assert_eq!(
            read_elf(&elf_with(&blob(0xdead_beef_0000))),
            Err(BuildInfoError::PointerOutOfRange(0xdead_beef_0000))
        );
        let mut odd = blob(0);
        odd[14] = 3;
        assert_eq!(
            read_elf(&elf_with(&odd)),
            Err(BuildInfoError::PointerSize(3))
        );
    }

    #[test]
    fn truncated_build_information_is_an_error_not_a_panic() {
        let mut blob = inline_blob("go1.21.0", "path\tx\n");
        blob.truncate(HEADER_SIZE + 4);
        assert_eq!(read_elf(&elf_with(&blob)), Err(BuildInfoError::Truncated));
        // A header cut short of its 32 bytes is not a header.
        let blob = inline_blob("go1.21.0", "");
        assert_eq!(read_elf(&elf_with(&blob[..20])), Ok(None));
        // Files cut anywhere give no facts and do not panic.
        let whole = elf_with(&inline_blob("go1.21.0", "path\tx\n"));
        for end in 0..whole.len() {
            let _ = crate::executable::facts("/cut", &whole[..end]);
        }
    }

    #[test]
    fn varint_strings_decode_and_stop_at_the_end() {
        assert_eq!(decode_string(b"\x03abcX"), Some((&b"abc"[..], &b"X"[..])));
        assert_eq!(decode_string(b"\x05abc"), None);
        assert_eq!(
            decode_string(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
            None
        );
        assert_eq!(decode_string(b""), None);
    }

    #[test]
    fn the_blob_must_be_aligned() {
        let mut data = vec![0u8; 8];
        data.extend_from_slice(MAGIC);
        data.resize(48, 0);
        data.extend_from_slice(MAGIC);
        data.resize(96, 0);
        let blob = find_blob(&data).unwrap();
        assert_eq!(data.len() - blob.len(), 48);
        assert_eq!(find_blob(&data[..60]), None);
    }

    #[test]
    fn framing_is_removed_only_when_present() {
        let framed = format!("{}path\tx\n{}", "0".repeat(16), "1".repeat(16));
        assert_eq!(strip_framing(framed.as_bytes()), "path\tx\n");
        assert_eq!(strip_framing(b"path\tx"), "");
    }

    #[test]
    fn pointers_read_in_either_byte_order() {
        let little = PointerReader {
            size: 4,
            big_endian: false,
        };
        let big = PointerReader {
            size: 4,
            big_endian: true,
        };
        assert_eq!(little.read(&[1, 0, 0, 0]), 1);
        assert_eq!(big.read(&[0, 0, 0, 1]), 1);
    }
}
