//! Errors from catalogers.

use crate::rpmdb::RpmDbError;

/// Why a cataloger could not read a file it is responsible for.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// An RPM database is unreadable.
    #[error("the rpm database `{path}`{} is unreadable", layer_suffix(.layer))]
    RpmDb {
        path: String,
        layer: Option<String>,
        #[source]
        source: RpmDbError,
    },
    /// A content search pattern is malformed.
    #[error("invalid secret pattern: {0}")]
    Pattern(String),
}

fn layer_suffix(layer: &Option<String>) -> String {
    layer
        .as_ref()
        .map(|l| format!(" (layer `{l}`)"))
        .unwrap_or_default()
}
