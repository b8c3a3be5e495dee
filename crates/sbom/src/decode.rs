//! Reading an SBOM document of any supported format, recognised by its content: JSON with
//! `bomFormat` is CycloneDX, with `spdxVersion` SPDX, with `artifacts` syft-json; XML is
//! CycloneDX; text opening with `SPDXVersion:` is SPDX tag-value.

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;

use plimsoll_model::Sbom;

use crate::error::DecodeError;
use crate::{cyclonedx, spdx, syft_json};

/// Decodes a syft-json, CycloneDX (JSON or XML) or SPDX (JSON or tag-value) document.
///
/// Packages come back with their name, version, type, PURL, CPEs, licenses and, where the
/// format carries them, locations, cataloger and language; relationships between packages
/// and the source come back re-keyed to the decoded packages' IDs. What each format keeps is
/// described with its decoder; malformed input is an error naming what is wrong, never a
/// panic.
pub fn decode(bytes: &[u8]) -> Result<Sbom, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|error| DecodeError::NotUtf8 {
        offset: error.valid_up_to(),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    match start.as_bytes().first() {
        None => Err(DecodeError::Empty),
        Some(b'{') => decode_json(text),
        Some(b'<') => cyclonedx::decode_xml(text),
        Some(_) if is_tag_value(start) => spdx::decode_tag_value(text),
        Some(_) => Err(DecodeError::UnknownFormat {
            reason: "neither JSON, XML nor SPDX tag-value".to_string(),
        }),
    }
}

/// The top-level keys that tell the JSON formats apart.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Probe {
    #[serde(rename = "bomFormat")]
    bom_format: Option<Value>,
    #[serde(rename = "specVersion")]
    spec_version: Option<IgnoredAny>,
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<IgnoredAny>,
    artifacts: Option<IgnoredAny>,
}

fn decode_json(text: &str) -> Result<Sbom, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let probe: Probe = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| DecodeError::json("JSON", error))?;
    if let Some(bom_format) = probe.bom_format {
        return match bom_format.as_str() {
            Some("CycloneDX") => cyclonedx::decode_json(text),
            Some(other) => Err(DecodeError::WrongBomFormat {
                found: other.to_string(),
            }),
            None => Err(DecodeError::WrongBomFormat {
                found: bom_format.to_string(),
            }),
        };
    }
    if probe.spdx_version.is_some() {
        return spdx::decode_json(text);
    }
    if probe.artifacts.is_some() {
        return syft_json::decode(text);
    }
    let reason = if probe.spec_version.is_some() {
        "JSON with `specVersion` but no `bomFormat` (CycloneDX requires it)"
    } else {
        "JSON with none of `artifacts` (syft-json), `bomFormat` (CycloneDX) or `spdxVersion` (SPDX)"
    };
    Err(DecodeError::UnknownFormat {
        reason: reason.to_string(),
    })
}

/// True when the first line that is neither blank nor a comment is `SPDXVersion: …`.
fn is_tag_value(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .is_some_and(|line| line.starts_with("SPDXVersion:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        decode(text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn recognises_nothing_else() {
        assert_eq!(error(" \n\t"), "the document is empty");
        assert!(error("hello").contains("neither JSON, XML nor SPDX tag-value"));
        assert!(error("{\"foo\": 1}").contains("none of `artifacts`"));
        assert!(error("{\"specVersion\": \"1.6\"}").contains("no `bomFormat`"));
        assert_eq!(
            error("{\"bomFormat\": \"SPDX\", \"specVersion\": \"1.6\"}"),
            "`bomFormat` is `SPDX`, expected `CycloneDX`"
        );
        assert_eq!(
            error("{\"bomFormat\": 7}"),
            "`bomFormat` is `7`, expected `CycloneDX`"
        );
        assert!(error("{\"spdxVersion\": \"SPDX-3.0\"}")
            .contains("unsupported SPDX version `SPDX-3.0`"));
        assert!(error("<rdf:RDF xmlns:rdf=\"x\"/>").contains("root element is `RDF`"));
        assert_eq!(
            decode(&[b'{', 0xff]).unwrap_err().to_string(),
            "the document is not UTF-8 text (invalid byte at offset 1)"
        );
    }

    #[test]
    fn malformed_json_names_the_place() {
        assert!(error("{\"artifacts\": [").starts_with("malformed JSON document at `artifacts`"));
        let wrong_type = error("{\"artifacts\": [{\"name\": 5}]}");
        assert!(
            wrong_type.starts_with("malformed syft-json document at `artifacts[0].name`"),
            "{wrong_type}"
        );
        let cyclonedx = error("{\"bomFormat\": \"CycloneDX\", \"components\": [{\"name\": []}]}");
        assert!(
            cyclonedx.starts_with("malformed CycloneDX JSON document at `components[0].name`"),
            "{cyclonedx}"
        );
    }
}
