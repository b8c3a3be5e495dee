//! Turns an SPDX document (from JSON or tag-value) into the model: packages from SPDX
//! packages, the source from Syft's `DocumentRoot` package, relationships between packages,
//! and the distro from the packages' PURL `distro` qualifiers (SPDX has no place for it).

use std::collections::{BTreeMap, HashSet};

use plimsoll_model::{
    Cpe, ImageMetadata, Package, PackageType, Relationship, RelationshipType, Sbom, Source,
    SourceKind,
};

use super::document::{Document, Package as SpdxPackage};
use super::element_id::{self, RootKind};
use super::{license, source_info};
use crate::error::DecodeError;
use crate::ids::Reidentified;
use crate::purl::{self, Purl};

/// The model's SBOM for an SPDX document.
pub(crate) fn sbom(document: Document) -> Result<Sbom, DecodeError> {
    if !document.spdx_version.starts_with("SPDX-2.") {
        return Err(DecodeError::UnsupportedSpdxVersion {
            found: document.spdx_version,
        });
    }
    let extracted: BTreeMap<&str, &str> = document
        .extracted_licenses
        .iter()
        .map(|l| (l.license_id.as_str(), l.extracted_text.as_str()))
        .collect();

    let root = document
        .packages
        .iter()
        .find(|package| element_id::root_kind(&package.spdx_id).is_some());
    let source = source(&document, root);
    let root_id = root.map(|r| r.spdx_id.as_str()).unwrap_or_default();

    let entries: Vec<(String, Package)> = document
        .packages
        .iter()
        .filter(|package| package.spdx_id != root_id)
        .map(|package| (package.spdx_id.clone(), self::package(package, &extracted)))
        .collect();
    let packages = Reidentified::new(entries);
    let distro = purl::distro_from_purls(packages.packages.iter().map(|p| p.purl.as_str()));

    let mut relationships = packages.contained_by(&source.id);
    relationships.extend(between_packages(&document, &packages));
    Ok(Sbom {
        source,
        distro,
        packages: packages.packages,
        relationships,
    })
}

/// Relationships between packages: SPDX's `DEPENDENCY_OF` (and its converse `DEPENDS_ON`),
/// `CONTAINS`, and Syft's ownership-by-file-overlap written as `OTHER` with a comment. Edges
/// to the document, the root or files are left out (the root's are the `contains` edges).
fn between_packages(document: &Document, packages: &Reidentified) -> Vec<Relationship> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for relationship in &document.relationships {
        let from = packages.id(&relationship.spdx_element_id);
        let to = packages.id(&relationship.related_spdx_element);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        let ownership = relationship
            .comment
            .starts_with("ownership-by-file-overlap");
        let decoded = match relationship.relationship_type.as_str() {
            "DEPENDENCY_OF" => (from, to, RelationshipType::DependencyOf),
            "DEPENDS_ON" => (to, from, RelationshipType::DependencyOf),
            "CONTAINS" => (from, to, RelationshipType::Contains),
            "OTHER" if ownership => (from, to, RelationshipType::OwnershipByFileOverlap),
            _ => continue,
        };
        if seen.insert(decoded) {
            out.push(edge(decoded.0, decoded.1, decoded.2));
        }
    }
    out
}

fn edge(parent: &str, child: &str, relationship_type: RelationshipType) -> Relationship {
    Relationship {
        parent: parent.to_string(),
        child: child.to_string(),
        relationship_type,
        metadata: None,
    }
}

/// A package. SPDX carries no cataloger name and no ecosystem metadata, so those stay
/// empty; the language comes from the PURL and the locations from Syft's `sourceInfo`.
fn package(spdx: &SpdxPackage, extracted: &BTreeMap<&str, &str>) -> Package {
    let reference = |wanted: &'static str| {
        spdx.external_refs
            .iter()
            .filter(move |r| r.reference_type == wanted)
            .map(|r| r.reference_locator.clone())
    };
    let purl_text = reference("purl").next().unwrap_or_default();
    let purl = Purl::parse(&purl_text);
    // Syft's element ID names the type exactly (a Jenkins plugin has a Maven PURL); the
    // PURL's type is the fallback for other producers' documents.
    let package_type = element_id::package_type(&spdx.spdx_id)
        .or_else(|| purl.as_ref().and_then(|p| purl::package_type(&p.purl_type)))
        // The model has no "unknown" type; Syft would say `UnknownPackage` here.
        .unwrap_or(PackageType::Binary);

    let mut licenses = license::parse(&spdx.license_declared, "declared", extracted);
    licenses.extend(license::parse(
        &spdx.license_concluded,
        "concluded",
        extracted,
    ));
    let cpes = reference("cpe23Type")
        .chain(reference("cpe22Type"))
        .map(|cpe| Cpe {
            cpe,
            source: String::new(),
        })
        .collect();
    Package {
        name: spdx.name.clone(),
        version: spdx.version_info.clone(),
        package_type,
        found_by: String::new(),
        locations: source_info::decode(&spdx.source_info),
        licenses,
        language: purl
            .as_ref()
            .map(|p| purl::language(&p.purl_type).to_string())
            .unwrap_or_default(),
        cpes,
        purl: purl_text,
        metadata: Default::default(),
    }
}

/// The scanned source, from Syft's document root: an image (named and versioned by its
/// manifest digest, which is also its ID), a directory or a file. A document without one
/// (not written by Syft or Plimsoll) stands for a directory named after the document.
fn source(document: &Document, root: Option<&SpdxPackage>) -> Source {
    let Some(root) = root else {
        return Source {
            id: document.name.clone(),
            name: document.name.clone(),
            version: String::new(),
            kind: SourceKind::Directory {
                path: document.name.clone(),
            },
        };
    };
    let name = root.name.clone();
    let version = root.version_info.clone();
    match element_id::root_kind(&root.spdx_id) {
        Some(RootKind::Image) => {
            let digest = root
                .checksums
                .iter()
                .find(|c| c.algorithm.eq_ignore_ascii_case("SHA256"))
                .map(|c| c.checksum_value.clone())
                .or_else(|| version.strip_prefix("sha256:").map(str::to_string))
                .unwrap_or_else(|| root.spdx_id.clone());
            let image = ImageMetadata {
                user_input: name.clone(),
                manifest_digest: format!("sha256:{digest}"),
                ..Default::default()
            };
            Source {
                id: digest,
                name,
                version,
                kind: SourceKind::Image(Box::new(image)),
            }
        }
        Some(RootKind::File) => Source {
            id: root.spdx_id.clone(),
            name: name.clone(),
            version,
            kind: SourceKind::File { path: name },
        },
        _ => Source {
            id: root.spdx_id.clone(),
            name: name.clone(),
            version,
            kind: SourceKind::Directory { path: name },
        },
    }
}
