//! CycloneDX 1.6, as JSON and XML, written the way Syft 1.18.1 writes it: one `library`
//! component per package with Syft's facts as `syft:` properties, the distro as an
//! `operating-system` component, the scanned source as `metadata.component`, and
//! `dependencies` from `dependency-of` relationships. Read back by [`decode_json`] and
//! [`decode_xml`].

mod build;
mod document;
mod license;
mod metadata;
mod os;
mod properties;
mod read;
mod xml_reader;
mod xml_writer;

pub use build::package_bom_ref;

use plimsoll_model::Sbom;

use crate::error::DecodeError;
use crate::stamp::Stamp;

/// The specification version written.
pub(crate) const SPEC_VERSION: &str = "1.6";

/// Encodes an SBOM as a CycloneDX 1.6 JSON document: one line, as Syft writes it.
pub fn encode_json(sbom: &Sbom, tool_version: &str) -> String {
    encode_json_stamped(sbom, tool_version, &Stamp::now())
}

/// Encodes an SBOM as a CycloneDX 1.6 XML document.
pub fn encode_xml(sbom: &Sbom, tool_version: &str) -> String {
    encode_xml_stamped(sbom, tool_version, &Stamp::now())
}

pub(crate) fn encode_json_stamped(sbom: &Sbom, tool_version: &str, stamp: &Stamp) -> String {
    let bom = build::bom(sbom, tool_version, stamp);
    // Serialising plain strings, numbers and vectors into a string cannot fail.
    let mut text = serde_json::to_string(&bom).unwrap_or_default();
    text.push('\n');
    text
}

pub(crate) fn encode_xml_stamped(sbom: &Sbom, tool_version: &str, stamp: &Stamp) -> String {
    xml_writer::write(&build::bom(sbom, tool_version, stamp))
}

/// Decodes a CycloneDX JSON document.
pub(crate) fn decode_json(text: &str) -> Result<Sbom, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let bom: document::Bom = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| DecodeError::json("CycloneDX JSON", error))?;
    if bom.bom_format != "CycloneDX" {
        return Err(DecodeError::WrongBomFormat {
            found: bom.bom_format,
        });
    }
    read::sbom(bom)
}

/// Decodes a CycloneDX XML document.
pub(crate) fn decode_xml(text: &str) -> Result<Sbom, DecodeError> {
    read::sbom(xml_reader::read(text)?)
}
