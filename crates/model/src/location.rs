//! Where a piece of evidence was found: a path inside the scanned root, and the layer.

use serde::{Deserialize, Serialize};

/// Whether a location is the record that declares a package or a file that supports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// The database or manifest entry that declares the package.
    Primary,
    /// A file that adds facts about the package (checksums, copyright).
    Supporting,
}

/// A file inside the scanned source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The real path, with every symbolic link resolved, absolute within the root.
    pub path: String,
    /// The path as it was asked for, before links were followed.
    pub access_path: String,
    /// The diff ID of the layer that provided the file's content (images only).
    pub layer_id: Option<String>,
    /// The role of this file in the evidence for a package, where it has one.
    pub evidence: Option<Evidence>,
}

impl Location {
    /// A location whose real and access paths are the same.
    pub fn new(path: impl Into<String>, layer_id: Option<String>) -> Self {
        let path = path.into();
        Location {
            access_path: path.clone(),
            path,
            layer_id,
            evidence: None,
        }
    }

    /// The same location annotated as evidence of the given kind.
    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence = Some(evidence);
        self
    }
}
