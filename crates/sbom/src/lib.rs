//! SBOM encoders: syft-json (Syft's native schema, so Syft users and Anchore's import API
//! read Plimsoll's output) and Syft's table.

mod syft_json;
mod table;

pub use syft_json::{encode as encode_syft_json, SCHEMA_VERSION};
pub use table::render as render_table;

/// The output formats Plimsoll writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    SyftJson,
}

impl Format {
    /// Parses a format name as given to `-o` (aliases included).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "table" | "syft-table" => Some(Format::Table),
            "json" | "syft-json" => Some(Format::SyftJson),
            _ => None,
        }
    }
}
