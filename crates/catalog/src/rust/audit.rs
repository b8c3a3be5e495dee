//! The dependency record `cargo auditable` embeds in a binary: zlib-compressed JSON in a
//! `.dep-v0` section (ELF, PE; `__DATA,.dep-v0` in Mach-O), listing every crate with its
//! source, kind and the indices of its dependencies.

use std::io::Read;

use flate2::read::ZlibDecoder;
use object::{Object, ObjectSection};
use serde::Deserialize;

/// The most inflated bytes accepted. Real records are a few hundred bytes per crate; a
/// section that inflates past this is a decompression bomb or corrupt.
pub(crate) const MAX_INFLATED: u64 = 8 << 20;

/// Why a `.dep-v0` section could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AuditError {
    #[error("the `.dep-v0` section is unreadable: {0}")]
    Section(#[from] object::Error),
    #[error("the `.dep-v0` section does not inflate: {0}")]
    Inflate(#[from] std::io::Error),
    #[error("the `.dep-v0` section inflates to more than {MAX_INFLATED} bytes")]
    TooLarge,
    #[error("the `.dep-v0` section is not UTF-8 JSON")]
    NotText,
}

/// The inflated JSON of the binary's `.dep-v0` section; `None` when it has none.
pub(crate) fn read_section(file: &object::File<'_>) -> Result<Option<String>, AuditError> {
    let Some(section) = file.section_by_name(".dep-v0") else {
        return Ok(None);
    };
    inflate(section.data()?).map(Some)
}

/// Inflates zlib data, refusing to produce more than [`MAX_INFLATED`] bytes.
pub(crate) fn inflate(compressed: &[u8]) -> Result<String, AuditError> {
    let mut inflated = Vec::new();
    ZlibDecoder::new(compressed)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut inflated)?;
    if inflated.len() as u64 > MAX_INFLATED {
        return Err(AuditError::TooLarge);
    }
    String::from_utf8(inflated).map_err(|_| AuditError::NotText)
}

/// The record's JSON document.
#[derive(Debug, Deserialize)]
pub(crate) struct AuditRecord {
    pub packages: Vec<AuditPackage>,
}

/// One crate of the record.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AuditPackage {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub source: String,
    /// `runtime` (the default) or `build`; build-time crates are not in the binary.
    #[serde(default = "runtime")]
    pub kind: String,
    /// Indices into `packages`.
    #[serde(default)]
    pub dependencies: Vec<usize>,
}

fn runtime() -> String {
    "runtime".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::ZlibEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn records_inflate_and_parse() {
        let json = r#"{"packages":[{"name":"app","version":"0.1.0","source":"local","dependencies":[1],"root":true},{"name":"cc","version":"1.0.0","source":"crates.io","kind":"build"}]}"#;
        let text = inflate(&deflate(json.as_bytes())).unwrap();
        let record: AuditRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(record.packages[0].kind, "runtime");
        assert_eq!(record.packages[0].dependencies, [1]);
        assert_eq!(record.packages[1].kind, "build");
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let bomb = deflate(&vec![b' '; (MAX_INFLATED + 4096) as usize]);
        assert!(
            bomb.len() < 64 << 10,
            "the bomb should be small: {}",
            bomb.len()
        );
        assert!(matches!(inflate(&bomb), Err(AuditError::TooLarge)));
    }

    #[test]
    fn corrupt_sections_are_errors() {
        assert!(matches!(inflate(b"not zlib"), Err(AuditError::Inflate(_))));
        let cut = deflate(b"{\"packages\": []}");
        assert!(inflate(&cut[..cut.len() / 2]).is_err());
    }
}
