//! Re-identifying decoded packages. The model derives a package's ID from its content, so the
//! identifiers a document uses (Syft's package IDs, CycloneDX `bom-ref`s, SPDX element IDs)
//! are mapped onto the IDs of the decoded packages, and relationships are rewritten through
//! that map.

use std::collections::HashMap;

use plimsoll_model::{Package, Relationship, RelationshipType};

/// Decoded packages in Syft's order, and the document's identifiers for them.
#[derive(Debug, Default)]
pub(crate) struct Reidentified {
    pub packages: Vec<Package>,
    by_document_id: HashMap<String, String>,
}

impl Reidentified {
    /// Sorts packages read under their document identifiers and records the mapping.
    pub fn new(mut entries: Vec<(String, Package)>) -> Reidentified {
        entries.sort_by(|(_, a), (_, b)| a.sort_key().cmp(&b.sort_key()));
        let mut by_document_id = HashMap::with_capacity(entries.len());
        let mut packages = Vec::with_capacity(entries.len());
        for (document_id, package) in entries {
            by_document_id.insert(document_id, package.id());
            packages.push(package);
        }
        Reidentified {
            packages,
            by_document_id,
        }
    }

    /// A `contains` edge from the source to every package, as a scan records them.
    pub fn contained_by(&self, source_id: &str) -> Vec<Relationship> {
        self.packages
            .iter()
            .map(|package| Relationship {
                parent: source_id.to_string(),
                child: package.id(),
                relationship_type: RelationshipType::Contains,
                metadata: None,
            })
            .collect()
    }

    /// The model ID of the package the document calls `document_id`.
    pub fn id(&self, document_id: &str) -> Option<&str> {
        self.by_document_id.get(document_id).map(String::as_str)
    }
}
