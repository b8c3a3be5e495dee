//! The shared libraries an ELF file names as needed (`DT_NEEDED` entries of its dynamic
//! section), read with bounds checks: anything malformed gives no libraries.
//! Layouts per the System V ABI (`Elf32_Shdr`/`Elf64_Shdr`, `Elf32_Dyn`/`Elf64_Dyn`).

/// `SHT_DYNAMIC`: the section holding the dynamic linking table.
const SECTION_DYNAMIC: u32 = 6;
/// `DT_NEEDED`: a dynamic entry naming a needed library (an offset into the string table).
const TAG_NEEDED: u64 = 1;
/// `DT_NULL`: the end of the dynamic table.
const TAG_NULL: u64 = 0;

/// Reads little- or big-endian integers of 32- or 64-bit ELF files.
struct Reader<'a> {
    bytes: &'a [u8],
    wide: bool,
    little: bool,
}

impl Reader<'_> {
    fn uint(&self, offset: usize, size: usize) -> Option<u64> {
        let raw = self.bytes.get(offset..offset.checked_add(size)?)?;
        let mut value = 0u64;
        for i in 0..size {
            let byte = if self.little {
                raw[size - 1 - i]
            } else {
                raw[i]
            };
            value = (value << 8) | u64::from(byte);
        }
        Some(value)
    }

    /// A word the size of an address (`Elf64_Addr`/`Off`/`Xword` or their 32-bit forms).
    fn word(&self, offset: usize) -> Option<u64> {
        self.uint(offset, if self.wide { 8 } else { 4 })
    }
}

/// The names of the libraries the file needs, in table order; empty for anything that is
/// not a well-formed ELF file.
pub(super) fn needed_libraries(bytes: &[u8]) -> Vec<String> {
    needed(bytes).unwrap_or_default()
}

fn needed(bytes: &[u8]) -> Option<Vec<String>> {
    if bytes.get(..4)? != b"\x7fELF" {
        return None;
    }
    let reader = Reader {
        bytes,
        wide: *bytes.get(4)? == 2,
        little: *bytes.get(5)? == 1,
    };
    let (section_offset, entry_size, count) = if reader.wide {
        (
            reader.word(0x28)?,
            reader.uint(0x3A, 2)?,
            reader.uint(0x3C, 2)?,
        )
    } else {
        (
            reader.word(0x20)?,
            reader.uint(0x2E, 2)?,
            reader.uint(0x30, 2)?,
        )
    };
    let section = |index: u64| -> Option<usize> {
        usize::try_from(section_offset.checked_add(index.checked_mul(entry_size)?)?).ok()
    };
    // Offsets within a section header of its type, link, file offset and size.
    let (link_at, offset_at, size_at) = if reader.wide {
        (0x28, 0x18, 0x20)
    } else {
        (0x18, 0x10, 0x14)
    };

    let mut libraries = Vec::new();
    for index in 0..count {
        let header = section(index)?;
        if reader.uint(header + 4, 4)? != u64::from(SECTION_DYNAMIC) {
            continue;
        }
        let strings = section(reader.uint(header + link_at, 4)?)?;
        let strings_start = usize::try_from(reader.word(strings + offset_at)?).ok()?;
        let strings_size = usize::try_from(reader.word(strings + size_at)?).ok()?;
        let strings = bytes.get(strings_start..strings_start.checked_add(strings_size)?)?;

        let start = usize::try_from(reader.word(header + offset_at)?).ok()?;
        let size = usize::try_from(reader.word(header + size_at)?).ok()?;
        let entry = if reader.wide { 16 } else { 8 };
        for at in (start..start.checked_add(size)?).step_by(entry) {
            let tag = reader.word(at)?;
            if tag == TAG_NULL {
                break;
            }
            if tag != TAG_NEEDED {
                continue;
            }
            let name_at = usize::try_from(reader.word(at + entry / 2)?).ok()?;
            let name = strings.get(name_at..)?;
            let end = name.iter().position(|&b| b == 0)?;
            libraries.push(String::from_utf8_lossy(&name[..end]).into_owned());
        }
    }
    Some(libraries)
}

/// A minimal 64-bit little-endian ELF file: a string table and a dynamic section that
/// needs `libpython3.11.so.1.0` and `libc.so.6`.
#[cfg(test)]
pub(super) fn tiny_elf() -> Vec<u8> {
    let strings = b"\0libpython3.11.so.1.0\0libc.so.6\0".to_vec();
    let mut dynamic = Vec::new();
    for (tag, value) in [(1u64, 1u64), (5, 0), (1, 22), (0, 0)] {
        dynamic.extend(tag.to_le_bytes());
        dynamic.extend(value.to_le_bytes());
    }
    let strings_at = 64u64;
    let dynamic_at = strings_at + strings.len() as u64;
    let sections_at = dynamic_at + dynamic.len() as u64;

    let mut file = vec![0u8; 64];
    file[..6].copy_from_slice(b"\x7fELF\x02\x01");
    file[0x28..0x30].copy_from_slice(&sections_at.to_le_bytes());
    file[0x3A..0x3C].copy_from_slice(&64u16.to_le_bytes());
    file[0x3C..0x3E].copy_from_slice(&3u16.to_le_bytes());
    file.extend(&strings);
    file.extend(&dynamic);
    let section = |kind: u32, link: u32, offset: u64, size: u64| {
        let mut header = vec![0u8; 64];
        header[4..8].copy_from_slice(&kind.to_le_bytes());
        header[0x18..0x20].copy_from_slice(&offset.to_le_bytes());
        header[0x20..0x28].copy_from_slice(&size.to_le_bytes());
        header[0x28..0x2C].copy_from_slice(&link.to_le_bytes());
        header
    };
    file.extend(section(0, 0, 0, 0));
    file.extend(section(3, 0, strings_at, strings.len() as u64));
    file.extend(section(6, 1, dynamic_at, dynamic.len() as u64));
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needed_libraries_of_a_tiny_elf() {
        assert_eq!(
            needed_libraries(&tiny_elf()),
            vec!["libpython3.11.so.1.0", "libc.so.6"]
        );
    }

    #[test]
    fn anything_else_needs_nothing() {
        assert!(needed_libraries(b"#!/bin/sh\n").is_empty());
        assert!(needed_libraries(b"\x7fELF").is_empty());
        let mut truncated = tiny_elf();
        truncated.truncate(100);
        assert!(needed_libraries(&truncated).is_empty());
        let mut hostile = tiny_elf();
        hostile[0x3C..0x3E].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(needed_libraries(&hostile).is_empty());
    }
}
