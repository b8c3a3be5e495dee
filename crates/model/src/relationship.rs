//! Edges between packages, files and the source.

use serde::{Deserialize, Serialize};

/// The kinds of edge Plimsoll records, named as Syft names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RelationshipType {
    /// Parent (a source or package) contains the child (a package or file).
    #[serde(rename = "contains")]
    Contains,
    /// The parent package is evidenced by the child file.
    #[serde(rename = "evident-by")]
    EvidentBy,
    /// The parent is a dependency of the child.
    #[serde(rename = "dependency-of")]
    DependencyOf,
    /// The parent package's file list holds the child package's evidence.
    #[serde(rename = "ownership-by-file-overlap")]
    OwnershipByFileOverlap,
}

impl RelationshipType {
    /// The name used in syft-json.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationshipType::Contains => "contains",
            RelationshipType::EvidentBy => "evident-by",
            RelationshipType::DependencyOf => "dependency-of",
            RelationshipType::OwnershipByFileOverlap => "ownership-by-file-overlap",
        }
    }
}

/// A directed edge between two identified things (package IDs, file IDs, the source ID).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub parent: String,
    pub child: String,
    pub relationship_type: RelationshipType,
    /// Extra facts about the edge as a JSON object (for example `{"kind":"primary"}`).
    pub metadata: Option<serde_json::Value>,
}
