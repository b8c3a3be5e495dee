//! SBOM formats. Encoders for syft-json (Syft's native schema, so Syft users and Anchore's
//! import API read Plimsoll's output), CycloneDX 1.6 (JSON and XML), SPDX 2.3 (JSON and
//! tag-value) and Syft's table; one decoder that reads any of those documents back into the
//! model.

mod cyclonedx;
mod decode;
mod error;
mod ids;
#[cfg(test)]
mod parity;
mod purl;
mod spdx;
mod stamp;
mod syft_json;
mod table;

pub use cyclonedx::{
    encode_json as encode_cyclonedx_json, encode_xml as encode_cyclonedx_xml, package_bom_ref,
};
pub use decode::decode;
pub use error::DecodeError;
pub use spdx::{encode_json as encode_spdx_json, encode_tag_value as encode_spdx_tag_value};
pub use syft_json::{encode as encode_syft_json, SCHEMA_VERSION};
pub use table::render as render_table;

/// The output formats Plimsoll writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Syft's table: name, version, type.
    Table,
    /// Syft's native JSON document.
    SyftJson,
    /// CycloneDX 1.6 as JSON.
    CycloneDxJson,
    /// CycloneDX 1.6 as XML.
    CycloneDxXml,
    /// SPDX 2.3 as JSON.
    SpdxJson,
    /// SPDX 2.3 as tag-value text.
    SpdxTagValue,
}

impl Format {
    /// Parses a format name as given to `-o`, with Syft's aliases (`json`, `table`,
    /// `cyclonedx` for CycloneDX XML, `spdx` for SPDX tag-value).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "table" | "syft-table" => Some(Format::Table),
            "json" | "syft-json" => Some(Format::SyftJson),
            "cyclonedx-json" => Some(Format::CycloneDxJson),
            "cyclonedx" | "cyclonedx-xml" => Some(Format::CycloneDxXml),
            "spdx-json" => Some(Format::SpdxJson),
            "spdx" | "spdx-tag-value" => Some(Format::SpdxTagValue),
            _ => None,
        }
    }

    /// The canonical name of the format, as Syft spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "syft-table",
            Format::SyftJson => "syft-json",
            Format::CycloneDxJson => "cyclonedx-json",
            Format::CycloneDxXml => "cyclonedx-xml",
            Format::SpdxJson => "spdx-json",
            Format::SpdxTagValue => "spdx-tag-value",
        }
    }

    /// Encodes an SBOM in this format. CycloneDX and SPDX documents carry a timestamp and a
    /// random UUID, as Syft's do; everything else is deterministic.
    pub fn encode(self, sbom: &plimsoll_model::Sbom, tool_version: &str) -> String {
        match self {
            Format::Table => render_table(&sbom.packages),
            Format::SyftJson => encode_syft_json(sbom, tool_version),
            Format::CycloneDxJson => encode_cyclonedx_json(sbom, tool_version),
            Format::CycloneDxXml => encode_cyclonedx_xml(sbom, tool_version),
            Format::SpdxJson => encode_spdx_json(sbom, tool_version),
            Format::SpdxTagValue => encode_spdx_tag_value(sbom, tool_version),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_and_aliases() {
        let cases = [
            ("table", Format::Table),
            ("syft-table", Format::Table),
            ("json", Format::SyftJson),
            ("syft-json", Format::SyftJson),
            ("cyclonedx-json", Format::CycloneDxJson),
            ("cyclonedx-xml", Format::CycloneDxXml),
            ("cyclonedx", Format::CycloneDxXml),
            ("spdx-json", Format::SpdxJson),
            ("spdx-tag-value", Format::SpdxTagValue),
            ("spdx", Format::SpdxTagValue),
        ];
        for (name, format) in cases {
            assert_eq!(Format::from_name(name), Some(format), "{name}");
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("github-json"), None);
        assert_eq!(Format::from_name("CycloneDX-JSON"), None);
    }
}
