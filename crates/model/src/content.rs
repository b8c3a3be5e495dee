//! What a scan learns about an image's files beyond its packages: every file's metadata and
//! digest, the password file, and the files whose content matched a secret pattern. Policy
//! gates (`files`, `passwd_file`, `secret_scans`) read it; it travels with an upload.

use serde::{Deserialize, Serialize};

/// The content analysis of one image (its squashed file system).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageContent {
    /// Every file, directory and link, in path order.
    pub files: Vec<FileRecord>,
    /// The text of `/etc/passwd`, when the image has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passwd: Option<String>,
    /// Files whose content matched a secret pattern, in path order.
    #[serde(default)]
    pub secrets: Vec<ContentMatch>,
    /// Files whose content matched a content-search pattern, in path order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_matches: Vec<ContentMatch>,
}

/// One file system object of the image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub kind: FileKind,
    /// The permission bits, with set-user-ID, set-group-ID and sticky (`0o7777`).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    /// A link's target, as recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The content's SHA-256 in lower-case hex; regular files up to the inspection limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl FileRecord {
    /// The `st_mode` value: the file type bits over the permission bits.
    pub fn st_mode(&self) -> u32 {
        let kind = match self.kind {
            FileKind::File | FileKind::Hardlink => 0o100000,
            FileKind::Dir => 0o040000,
            FileKind::Symlink => 0o120000,
            FileKind::Other => 0,
        };
        kind | (self.mode & 0o7777)
    }
}

/// What kind of object a [`FileRecord`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    #[default]
    File,
    Dir,
    Symlink,
    Hardlink,
    Other,
}

/// A file whose content matched a pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentMatch {
    pub path: String,
    /// The pattern's name, such as `AWS_ACCESS_KEY`; empty for an unnamed pattern.
    pub name: String,
    /// The pattern itself.
    pub regex: String,
    /// The lines that matched, counted from 0.
    #[serde(default)]
    pub lines: Vec<u32>,
}
