//! What can be wrong with an SBOM document given to the decoder.

/// Why a document could not be decoded into an SBOM. Each message names the format and the
/// place in the document (a JSON path, an XML element, a tag-value line) that is wrong.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Nothing but whitespace.
    #[error("the document is empty")]
    Empty,

    /// The bytes are not UTF-8, which every supported format requires.
    #[error("the document is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// Where the first invalid byte is.
        offset: usize,
    },

    /// Well-formed, but none of syft-json, CycloneDX or SPDX.
    #[error("the document is not a known SBOM format: {reason}")]
    UnknownFormat {
        /// What was seen instead.
        reason: String,
    },

    /// A JSON document with a `bomFormat` other than `CycloneDX`.
    #[error("`bomFormat` is `{found}`, expected `CycloneDX`")]
    WrongBomFormat {
        /// The value found.
        found: String,
    },

    /// An SPDX document of a major version other than 2.
    #[error("unsupported SPDX version `{found}` (expected `SPDX-2.x`)")]
    UnsupportedSpdxVersion {
        /// The `spdxVersion` found.
        found: String,
    },

    /// JSON that is not well-formed, or whose fields have the wrong shape.
    #[error("malformed {format} document at `{path}`: {message}")]
    Json {
        /// `syft-json`, `CycloneDX JSON` or `SPDX JSON`.
        format: &'static str,
        /// The JSON path of the offending value (`.` for the whole document).
        path: String,
        /// The parser's description, with line and column.
        message: String,
    },

    /// XML that is not well-formed, or a CycloneDX element with the wrong content.
    #[error("malformed CycloneDX XML document: {message}")]
    Xml {
        /// What is wrong, and where.
        message: String,
    },

    /// SPDX tag-value text that does not follow the format.
    #[error("malformed SPDX tag-value document at line {line}: {message}")]
    TagValue {
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },

    /// A well-formed document whose content contradicts itself or the format.
    #[error("invalid {format} document: {message}")]
    Invalid {
        /// The format being decoded.
        format: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl DecodeError {
    /// Converts a path-tracking serde error into [`DecodeError::Json`].
    pub(crate) fn json(
        format: &'static str,
        error: serde_path_to_error::Error<serde_json::Error>,
    ) -> DecodeError {
        // The path is `?` where the parser stopped before any field (an empty or cut-off
        // document); `.` says "the document itself" more plainly.
        let path = match error.path().to_string() {
            path if path == "?" => ".".to_string(),
            path => path,
        };
        DecodeError::Json {
            format,
            path,
            message: error.into_inner().to_string(),
        }
    }
}
