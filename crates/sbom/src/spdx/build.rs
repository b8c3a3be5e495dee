//! Builds the SPDX document for an SBOM, package by package, as Syft lays it out.

use std::collections::HashMap;

use plimsoll_model::{Package, PackageMetadata, RelationshipType, Sbom, SourceKind};

use super::document::{
    Checksum, CreationInfo, Document, ExternalRef, Package as SpdxPackage, Relationship,
};
use super::element_id::{self, RootKind};
use super::license::{Expressions, NOASSERTION};
use super::{source_info, supplier};
use crate::stamp::Stamp;

/// The specification version written.
const SPDX_VERSION: &str = "SPDX-2.3";
/// The SPDX license list version Syft 1.18.1 declares.
const LICENSE_LIST_VERSION: &str = "3.25";
/// Where document namespaces live. A namespace only has to be unique, never resolved; the
/// `.invalid` name (RFC 2606) says so until the project has a home of its own.
const NAMESPACE_BASE: &str = "https://plimsoll.invalid/spdx";

const OWNERSHIP_COMMENT: &str = "ownership-by-file-overlap: indicates that the parent package \
    claims ownership of a child package since the parent metadata indicates overlap with a \
    location that a cataloger found the child package by";

/// The whole document.
pub(crate) fn document(sbom: &Sbom, tool_version: &str, stamp: &Stamp) -> Document {
    let source = &sbom.source;
    let root_kind = RootKind::of(&source.kind);
    let root_id = element_id::root(root_kind, &source.name);

    let ids: Vec<String> = sbom.packages.iter().map(Package::id).collect();
    let mut expressions = Expressions::default();
    let mut element_ids: HashMap<String, String> = HashMap::new();
    let mut packages = Vec::with_capacity(sbom.packages.len() + 1);
    for (package, id) in sbom.packages.iter().zip(&ids) {
        // Packages the model cannot tell apart would share an element ID: the first is kept.
        if element_ids.contains_key(id) {
            continue;
        }
        let spdx_id = element_id::package(package, id);
        packages.push(spdx_package(package, spdx_id.clone(), &mut expressions));
        element_ids.insert(id.clone(), spdx_id);
    }
    packages.push(root_package(sbom, root_id.clone()));

    Document {
        spdx_version: SPDX_VERSION.to_string(),
        data_license: "CC0-1.0".to_string(),
        spdx_id: element_id::DOCUMENT.to_string(),
        name: source.name.clone(),
        document_namespace: namespace(root_kind, &source.name, &stamp.uuid),
        creation_info: CreationInfo {
            license_list_version: LICENSE_LIST_VERSION.to_string(),
            creators: vec![
                "Organization: Plimsoll".to_string(),
                format!("Tool: plimsoll-{tool_version}"),
            ],
            created: stamp.timestamp.clone(),
        },
        packages,
        extracted_licenses: expressions.into_extracted(),
        relationships: relationships(sbom, &ids, &element_ids, &root_id),
        document_describes: Vec::new(),
    }
}

fn spdx_package(package: &Package, spdx_id: String, expressions: &mut Expressions) -> SpdxPackage {
    let (originator, supplier) = supplier::originator_and_supplier(&package.metadata);
    let described = Described::of(&package.metadata);
    let (concluded, declared): (Vec<_>, Vec<_>) = package
        .licenses
        .iter()
        .partition(|license| license.license_type == "concluded");

    let mut external_refs: Vec<ExternalRef> = package
        .cpes
        .iter()
        .map(|cpe| ExternalRef {
            reference_category: "SECURITY".to_string(),
            reference_type: "cpe23Type".to_string(),
            reference_locator: cpe.cpe.clone(),
        })
        .collect();
    if !package.purl.is_empty() {
        external_refs.push(ExternalRef {
            reference_category: "PACKAGE-MANAGER".to_string(),
            reference_type: "purl".to_string(),
            reference_locator: package.purl.clone(),
        });
    }

    SpdxPackage {
        name: package.name.clone(),
        spdx_id,
        version_info: package.version.clone(),
        supplier,
        originator,
        download_location: described.download_location,
        files_analyzed: false,
        checksums: Vec::new(),
        homepage: described.homepage,
        source_info: source_info::encode(package),
        license_concluded: expressions.expression(&concluded),
        license_declared: expressions.expression(&declared),
        copyright_text: NOASSERTION.to_string(),
        description: described.description,
        external_refs,
        primary_package_purpose: String::new(),
    }
}

/// What a package's metadata says about where it comes from.
struct Described {
    download_location: String,
    homepage: String,
    description: String,
}

impl Described {
    /// As Syft fills them: apk's URL, npm's repository URL and an npm lock entry's resolved
    /// URL are download locations (`NONE` when empty); npm also gives a home page, apk and npm
    /// a description. Everything else, yarn lock entries included, is `NOASSERTION`.
    fn of(metadata: &PackageMetadata) -> Described {
        let or_none = |url: &str| {
            if url.is_empty() {
                "NONE".to_string()
            } else {
                url.to_string()
            }
        };
        let mut described = Described {
            download_location: NOASSERTION.to_string(),
            homepage: String::new(),
            description: String::new(),
        };
        match metadata {
            PackageMetadata::Apk(entry) => {
                described.download_location = or_none(&entry.url);
                described.description = entry.description.clone();
            }
            PackageMetadata::Npm(entry) => {
                described.download_location = or_none(&entry.url);
                described.homepage = entry.homepage.clone();
                described.description = entry.description.clone();
            }
            PackageMetadata::NpmLock(entry) => {
                described.download_location = or_none(&entry.resolved);
            }
            _ => {}
        }
        described
    }
}

/// The scanned source as the document's root package. An image is a `CONTAINER` with its
/// manifest digest as checksum and an `oci` PURL; a directory or file is a `FILE`.
fn root_package(sbom: &Sbom, spdx_id: String) -> SpdxPackage {
    let source = &sbom.source;
    let mut root = SpdxPackage {
        name: source.name.clone(),
        spdx_id,
        version_info: source.version.clone(),
        supplier: NOASSERTION.to_string(),
        download_location: NOASSERTION.to_string(),
        license_concluded: NOASSERTION.to_string(),
        license_declared: NOASSERTION.to_string(),
        copyright_text: NOASSERTION.to_string(),
        primary_package_purpose: "FILE".to_string(),
        ..Default::default()
    };
    if let SourceKind::Image(image) = &source.kind {
        root.primary_package_purpose = "CONTAINER".to_string();
        if let Some(hex) = image.manifest_digest.strip_prefix("sha256:") {
            root.checksums.push(Checksum {
                algorithm: "SHA256".to_string(),
                checksum_value: hex.to_string(),
            });
            root.external_refs.push(ExternalRef {
                reference_category: "PACKAGE-MANAGER".to_string(),
                reference_type: "purl".to_string(),
                reference_locator: oci_purl(&source.name, &image.manifest_digest, image),
            });
        }
    }
    root
}

/// `pkg:oci/<name>@<digest>?arch=<arch>[&tag=<tag>]`: Syft adds the tag when the user named
/// the image by `name:tag`.
fn oci_purl(name: &str, digest: &str, image: &plimsoll_model::ImageMetadata) -> String {
    let mut purl = format!(
        "pkg:oci/{}@{digest}?arch={}",
        purl_escape(&name.to_lowercase()),
        purl_escape(&image.architecture)
    );
    let last_segment = image.user_input.rsplit('/').next().unwrap_or_default();
    if !image.user_input.contains('@') {
        if let Some((_, tag)) = last_segment.split_once(':') {
            purl.push_str(&format!("&tag={}", purl_escape(tag)));
        }
    }
    purl
}

/// Percent-encodes everything but letters, digits and `.-_~`.
fn purl_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `<base>/<image|dir|file>/<name>-<uuid>`, the name made safe for a URL path.
fn namespace(kind: RootKind, name: &str, uuid: &str) -> String {
    let kind = match kind {
        RootKind::Image => "image",
        RootKind::Directory => "dir",
        RootKind::File => "file",
    };
    let mut clean = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b':' => clean.push('-'),
            b'/' | b'.' | b'-' | b'_' | b'~' => clean.push(char::from(byte)),
            _ if byte.is_ascii_alphanumeric() => clean.push(char::from(byte)),
            _ => clean.push_str(&format!("%{byte:02X}")),
        }
    }
    format!("{NAMESPACE_BASE}/{kind}/{clean}-{uuid}")
}

/// Package-to-package relationships (grouped by Syft's relationship name, as Syft orders
/// them), then the root CONTAINS every package, then the document DESCRIBES the root.
/// Relationships to files, or to anything not in the document, are left out.
fn relationships(
    sbom: &Sbom,
    ids: &[String],
    element_ids: &HashMap<String, String>,
    root_id: &str,
) -> Vec<Relationship> {
    let mut between_packages: Vec<(&str, Relationship)> = Vec::new();
    for relationship in &sbom.relationships {
        let parent = element_ids.get(&relationship.parent);
        let child = element_ids.get(&relationship.child);
        let (Some(parent), Some(child)) = (parent, child) else {
            continue;
        };
        let (relationship_type, comment) = match relationship.relationship_type {
            RelationshipType::DependencyOf => ("DEPENDENCY_OF", ""),
            RelationshipType::Contains => ("CONTAINS", ""),
            RelationshipType::OwnershipByFileOverlap => ("OTHER", OWNERSHIP_COMMENT),
            RelationshipType::EvidentBy => continue,
        };
        between_packages.push((
            relationship.relationship_type.as_str(),
            Relationship {
                spdx_element_id: parent.clone(),
                related_spdx_element: child.clone(),
                relationship_type: relationship_type.to_string(),
                comment: comment.to_string(),
            },
        ));
    }
    between_packages.sort_by_key(|(syft_type, _)| *syft_type);

    let mut out: Vec<Relationship> = between_packages.into_iter().map(|(_, r)| r).collect();
    let mut contained = std::collections::HashSet::new();
    for id in ids {
        if !contained.insert(id) {
            continue;
        }
        if let Some(child) = element_ids.get(id) {
            out.push(Relationship {
                spdx_element_id: root_id.to_string(),
                related_spdx_element: child.clone(),
                relationship_type: "CONTAINS".to_string(),
                comment: String::new(),
            });
        }
    }
    out.push(Relationship {
        spdx_element_id: element_id::DOCUMENT.to_string(),
        related_spdx_element: root_id.to_string(),
        relationship_type: "DESCRIBES".to_string(),
        comment: String::new(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces() {
        assert_eq!(
            namespace(RootKind::Directory, "weird name/with:stuff", "u"),
            "https://plimsoll.invalid/spdx/dir/weird%20name/with-stuff-u"
        );
        assert_eq!(
            namespace(RootKind::Image, "wh-img.tar", "u"),
            "https://plimsoll.invalid/spdx/image/wh-img.tar-u"
        );
    }

    #[test]
    fn oci_purls() {
        let image = |user_input: &str| plimsoll_model::ImageMetadata {
            user_input: user_input.into(),
            architecture: "amd64".into(),
            ..Default::default()
        };
        assert_eq!(
            oci_purl("wh-img.tar", "sha256:c1", &image("wh-img.tar")),
            "pkg:oci/wh-img.tar@sha256:c1?arch=amd64"
        );
        assert_eq!(
            oci_purl(
                "alpine",
                "sha256:c1",
                &image("docker.io/library/alpine:3.18")
            ),
            "pkg:oci/alpine@sha256:c1?arch=amd64&tag=3.18"
        );
        assert_eq!(
            oci_purl("localhost:5000/a", "sha256:c1", &image("localhost:5000/a")),
            "pkg:oci/localhost%3A5000%2Fa@sha256:c1?arch=amd64"
        );
    }
}
