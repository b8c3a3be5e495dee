//! Errors from the vulnerability store.

/// Why the store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a Plimsoll vulnerability store (or is damaged).
    #[error("`{path}` is not a Plimsoll vulnerability database: {reason}")]
    NotAStore { path: String, reason: String },

    /// The store was written by a newer Plimsoll.
    #[error("`{path}` has schema version {found}; this Plimsoll reads up to {supported}")]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },

    /// SQLite refused an operation.
    #[error("vulnerability database `{path}`: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },

    /// A stored record could not be decoded.
    #[error("vulnerability database `{path}`: a stored record is damaged: {reason}")]
    Damaged { path: String, reason: String },
}
