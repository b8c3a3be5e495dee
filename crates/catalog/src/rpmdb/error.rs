//! Errors from reading RPM databases and the header blobs inside them.

/// Why one header blob could not be read.
///
/// A header blob is the serialised form of one installed package; every database format stores
/// one per package. Tags are reported by number, as rpm's `rpmtag.h` numbers them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// The blob is too short to hold even the index count and data length.
    #[error("header blob is `{len}` bytes, shorter than its 8-byte preamble")]
    TooShort {
        /// Length of the blob.
        len: usize,
    },

    /// The index count and data length claim more bytes than the blob has.
    #[error(
        "header blob declares `{entries}` index entries and `{data_len}` data bytes \
         but is only `{len}` bytes long"
    )]
    IndexPastEnd {
        /// The declared number of index entries.
        entries: u32,
        /// The declared length of the data area.
        data_len: u32,
        /// Length of the blob.
        len: usize,
    },

    /// An index entry points outside the data area.
    #[error("entry for tag `{tag}` (offset `{offset}`, count `{count}`) runs past the data")]
    EntryOutOfBounds {
        /// The entry's tag.
        tag: u32,
        /// The entry's offset into the data area.
        offset: u32,
        /// The entry's element count.
        count: u32,
    },

    /// A string value has no terminating NUL inside the data area.
    #[error("string of tag `{tag}` is not terminated inside the data")]
    UnterminatedString {
        /// The entry's tag.
        tag: u32,
    },

    /// An entry has a type that the tag never has.
    #[error("tag `{tag}` has type `{kind}`, expected {expected}")]
    WrongType {
        /// The entry's tag.
        tag: u32,
        /// The entry's type number.
        kind: u32,
        /// What the reader expected, in words.
        expected: &'static str,
    },

    /// The header has no package name.
    #[error("header has no `NAME` tag")]
    MissingName,

    /// A per-file array does not have one element per file.
    #[error("tag `{tag}` has `{count}` elements but the package has `{files}` files")]
    FileCountMismatch {
        /// The array's tag.
        tag: u32,
        /// Elements in the array.
        count: usize,
        /// Files in the package.
        files: usize,
    },

    /// A file's directory index points past the directory list.
    #[error("directory index `{index}` is out of range for `{directories}` directories")]
    DirectoryIndexOutOfRange {
        /// The offending index.
        index: u64,
        /// Directories in the header.
        directories: usize,
    },
}

/// Why a database file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RpmDbError {
    /// The bytes carry none of the three formats' magic numbers.
    #[error("not an rpm database: no sqlite, berkeley db hash or ndb magic found")]
    NotAnRpmDatabase,

    /// The file is shorter than its own metadata says.
    #[error("database is truncated: needs `{needed}` bytes but has `{len}`")]
    Truncated {
        /// Bytes the metadata implies.
        needed: u64,
        /// Bytes present.
        len: u64,
    },

    /// The database's first page describes something this reader cannot use.
    #[error("unusable database metadata: {reason}")]
    BadMetadata {
        /// What is wrong, in words.
        reason: &'static str,
    },

    /// A Berkeley DB page is structurally broken.
    #[error("corrupt berkeley db page `{page}` at offset `{offset}`: {reason}")]
    CorruptPage {
        /// The page number.
        page: u32,
        /// The page's byte offset in the file.
        offset: u64,
        /// What is wrong, in words.
        reason: &'static str,
    },

    /// A Berkeley DB overflow page was reached twice: a chain loops or two chains share a page.
    #[error("berkeley db overflow page `{page}` is reached twice")]
    OverflowPageReused {
        /// The page number reached twice.
        page: u32,
    },

    /// An NDB slot or the blob it points to is structurally broken.
    #[error("corrupt ndb slot at offset `{offset}`: {reason}")]
    CorruptSlot {
        /// Byte offset of the slot in the file.
        offset: u64,
        /// What is wrong, in words.
        reason: &'static str,
    },

    /// A package's header blob could not be read.
    #[error("header blob of package record `{record}` is malformed")]
    Header {
        /// The record's key in its database (`hnum` in SQLite, package index in NDB).
        record: u64,
        /// What is wrong with the blob.
        #[source]
        source: HeaderError,
    },

    /// The SQLite database could not be copied to a temporary file for SQLite to open.
    #[error("failed to stage the sqlite database in a temporary file")]
    TempFile(#[source] std::io::Error),

    /// SQLite refused the database or the query.
    #[error("failed to read the sqlite database")]
    Sqlite(#[source] rusqlite::Error),
}
