//! Turning a catalog into an SBOM document: the source described (an image by its
//! manifest digest, a path by a digest of its name) and a `contains` edge from the source to
//! every package, as Syft writes them.

use plimsoll_model::{Relationship, RelationshipType, Sbom, Source, SourceKind};
use sha2::{Digest, Sha256};

use crate::Catalog;

/// The SBOM of a cataloged source named `name`.
pub fn sbom(kind: SourceKind, name: &str, catalog: Catalog) -> Sbom {
    let source = describe_source(kind, name);
    let mut relationships: Vec<Relationship> = catalog
        .packages
        .iter()
        .map(|package| Relationship {
            parent: source.id.clone(),
            child: package.id(),
            relationship_type: RelationshipType::Contains,
            metadata: None,
        })
        .collect();
    relationships.extend(catalog.relationships);
    Sbom {
        source,
        distro: catalog.distro,
        packages: catalog.packages,
        relationships,
    }
}

/// The source's identity: an image by its manifest digest, a path by a digest of the path.
fn describe_source(mut kind: SourceKind, name: &str) -> Source {
    if let SourceKind::Image(image) = &mut kind {
        image.user_input = name.to_string();
        return Source {
            id: image
                .manifest_digest
                .trim_start_matches("sha256:")
                .to_string(),
            name: name.to_string(),
            version: image.manifest_digest.clone(),
            kind,
        };
    }
    Source {
        id: hex::encode(Sha256::digest(name.as_bytes())),
        name: name.to_string(),
        version: String::new(),
        kind,
    }
}
