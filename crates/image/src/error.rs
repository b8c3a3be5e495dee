//! Errors from opening sources and reading layers.

use std::io;

/// Why a source could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The file system refused a read.
    #[error("failed to read `{path}`")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },

    /// The input is not in the format it claims or seems to be.
    #[error("`{input}` is not a valid {kind}: {reason}")]
    Format {
        input: String,
        kind: &'static str,
        reason: String,
    },

    /// The archive holds several images and none was chosen.
    #[error("`{input}` holds {} images; choose one with `{input}:TAG` (one of: {})", choices.len(), choices.join(", "))]
    Ambiguous { input: String, choices: Vec<String> },

    /// The chosen tag or platform is not in the source.
    #[error("`{input}` has no image {wanted} (available: {})", available.join(", "))]
    NotFound {
        input: String,
        wanted: String,
        available: Vec<String>,
    },

    /// A layer entry would land outside the image root.
    #[error("layer `{layer}` of `{input}` has an entry `{entry}` that escapes the image root")]
    PathEscape {
        input: String,
        layer: String,
        entry: String,
    },

    /// A configured limit was exceeded; the scan stops rather than exhaust the machine.
    #[error("`{input}`: {what}")]
    Limit { input: String, what: String },

    /// A layer could not be decompressed or its tar stream is broken.
    #[error("layer `{layer}` of `{input}` is unreadable: {reason}")]
    Layer {
        input: String,
        layer: String,
        reason: String,
    },

    /// A registry could not be reached, refused access, or sent content that fails its
    /// checks.
    #[error("failed to pull `{input}`")]
    Registry {
        input: String,
        #[source]
        source: plimsoll_registry::RegistryError,
    },

    /// The source kind could not be told from the input.
    #[error("cannot tell what `{input}` is: {reason}")]
    Unrecognized { input: String, reason: String },
}

impl ImageError {
    pub(crate) fn registry(input: &str, source: plimsoll_registry::RegistryError) -> Self {
        ImageError::Registry {
            input: input.to_string(),
            source,
        }
    }

    pub(crate) fn io(path: impl Into<String>, source: io::Error) -> Self {
        ImageError::Io {
            path: path.into(),
            source,
        }
    }
}
