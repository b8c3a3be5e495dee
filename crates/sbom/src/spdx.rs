//! SPDX 2.3, as JSON and tag-value, written the way Syft 1.18.1 writes it: one package per
//! package (`SPDXRef-Package-<type>-<name>-<id>`) with its PURL and CPEs as external
//! references, the scanned source as a `DocumentRoot` package that the document DESCRIBES
//! and that CONTAINS every package, and the package relationships. Files are left out (the
//! model has none), and so are relationships to files. Read back by [`decode_json`] and
//! [`decode_tag_value`].

mod build;
mod document;
mod element_id;
mod license;
mod read;
mod source_info;
mod supplier;
mod tag_value_reader;
mod tag_value_writer;

use plimsoll_model::Sbom;

use crate::error::DecodeError;
use crate::stamp::Stamp;

/// Encodes an SBOM as an SPDX 2.3 JSON document: one line, as Syft writes it.
pub fn encode_json(sbom: &Sbom, tool_version: &str) -> String {
    encode_json_stamped(sbom, tool_version, &Stamp::now())
}

/// Encodes an SBOM as an SPDX 2.3 tag-value document.
pub fn encode_tag_value(sbom: &Sbom, tool_version: &str) -> String {
    encode_tag_value_stamped(sbom, tool_version, &Stamp::now())
}

pub(crate) fn encode_json_stamped(sbom: &Sbom, tool_version: &str, stamp: &Stamp) -> String {
    let document = build::document(sbom, tool_version, stamp);
    // Serialising plain strings, booleans and vectors into a string cannot fail.
    let mut text = serde_json::to_string(&document).unwrap_or_default();
    text.push('\n');
    text
}

pub(crate) fn encode_tag_value_stamped(sbom: &Sbom, tool_version: &str, stamp: &Stamp) -> String {
    tag_value_writer::write(&build::document(sbom, tool_version, stamp))
}

/// Decodes an SPDX 2.x JSON document.
pub(crate) fn decode_json(text: &str) -> Result<Sbom, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let document: document::Document = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| DecodeError::json("SPDX JSON", error))?;
    read::sbom(document)
}

/// Decodes an SPDX 2.x tag-value document.
pub(crate) fn decode_tag_value(text: &str) -> Result<Sbom, DecodeError> {
    read::sbom(tag_value_reader::read(text)?)
}
