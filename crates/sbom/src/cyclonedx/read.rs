//! Turns a CycloneDX document (from JSON or XML) into the model: components into packages,
//! the `operating-system` component into the distro, `metadata.component` into the source,
//! and `dependencies` into `dependency-of` relationships.

use std::collections::HashSet;

use plimsoll_model::{
    Distro, ImageMetadata, Package, PackageType, Relationship, RelationshipType, Sbom, Source,
    SourceKind,
};

use super::document::{Bom, Component, Dependency};
use super::{license, metadata, os, properties};
use crate::error::DecodeError;
use crate::ids::Reidentified;
use crate::purl::{self, Purl};

/// The model's SBOM for a CycloneDX document.
pub(crate) fn sbom(bom: Bom) -> Result<Sbom, DecodeError> {
    let subject = bom.metadata.and_then(|metadata| metadata.component);
    let source = source(subject.as_ref());

    let mut components = Vec::new();
    flatten(bom.components, &mut components);
    let (packages, distro) = packages_and_distro(&components)?;
    let distro = distro
        .or_else(|| purl::distro_from_purls(packages.packages.iter().map(|p| p.purl.as_str())));

    let mut relationships = packages.contained_by(&source.id);
    relationships.extend(dependencies(&bom.dependencies, &packages));
    Ok(Sbom {
        source,
        distro,
        packages: packages.packages,
        relationships,
    })
}

/// The packages (every component but the operating system and files) and the distro.
fn packages_and_distro(
    components: &[Component],
) -> Result<(Reidentified, Option<Distro>), DecodeError> {
    let mut distro = None;
    let mut entries = Vec::new();
    for (index, component) in components.iter().enumerate() {
        match component.component_type.as_str() {
            os::COMPONENT_TYPE => {
                distro = distro.or_else(|| Some(os::decode(component)));
            }
            // A `file` component is a file, not a package.
            "file" => {}
            _ if component.name.is_empty() => {}
            _ => {
                let reference = if component.bom_ref.is_empty() {
                    format!("#{index}")
                } else {
                    component.bom_ref.clone()
                };
                entries.push((reference, package(component)?));
            }
        }
    }
    Ok((Reidentified::new(entries), distro))
}

/// `dependency-of` edges (dependency → dependent). CycloneDX lists dependencies by
/// `bom-ref`, which changes with the package IDs; sorting the edges by the decoded IDs makes
/// decoding a re-encoded document give the same order.
fn dependencies(dependencies: &[Dependency], packages: &Reidentified) -> Vec<Relationship> {
    let mut edges = HashSet::new();
    for dependency in dependencies {
        let Some(dependent) = packages.id(&dependency.reference) else {
            continue;
        };
        for target in &dependency.depends_on {
            if let Some(dependency_id) = packages.id(target) {
                edges.insert((dependency_id, dependent));
            }
        }
    }
    let mut edges: Vec<(&str, &str)> = edges.into_iter().collect();
    edges.sort_unstable();
    edges
        .into_iter()
        .map(|(dependency, dependent)| Relationship {
            parent: dependency.to_string(),
            child: dependent.to_string(),
            relationship_type: RelationshipType::DependencyOf,
            metadata: None,
        })
        .collect()
}

fn flatten(components: Vec<Component>, out: &mut Vec<Component>) {
    for mut component in components {
        let nested = std::mem::take(&mut component.components);
        out.push(component);
        flatten(nested, out);
    }
}

fn package(component: &Component) -> Result<Package, DecodeError> {
    let purl = Purl::parse(&component.purl);
    let package_type = component
        .property(properties::PACKAGE_TYPE)
        .and_then(PackageType::from_name)
        .or_else(|| purl.as_ref().and_then(|p| purl::package_type(&p.purl_type)))
        // The model has no "unknown" type; Syft would say `UnknownPackage` here.
        .unwrap_or(PackageType::Binary);
    let language = match component.property(properties::LANGUAGE) {
        Some(language) => language.to_string(),
        None => purl
            .as_ref()
            .map(|p| purl::language(&p.purl_type).to_string())
            .unwrap_or_default(),
    };
    let metadata = match component.property(properties::METADATA_TYPE) {
        Some(metadata_type) => metadata::decode(metadata_type, component, purl.as_ref())?,
        None => Default::default(),
    };
    Ok(Package {
        name: component.name.clone(),
        version: component.version.clone(),
        package_type,
        found_by: component
            .property(properties::FOUND_BY)
            .unwrap_or_default()
            .to_string(),
        locations: properties::locations(component),
        licenses: license::decode(&component.licenses),
        language,
        cpes: properties::cpes(component),
        purl: component.purl.clone(),
        metadata,
    })
}

/// The scanned source, from `metadata.component`: a `container` is an image named and
/// versioned by its manifest digest; a `file` is a directory when it has no version (Syft
/// writes directories and files alike). The source ID is the digest for images, else the
/// component's `bom-ref`.
fn source(subject: Option<&Component>) -> Source {
    let Some(subject) = subject else {
        return Source {
            id: String::new(),
            name: String::new(),
            version: String::new(),
            kind: SourceKind::Directory {
                path: String::new(),
            },
        };
    };
    let fallback_id = if subject.bom_ref.is_empty() {
        subject.name.clone()
    } else {
        subject.bom_ref.clone()
    };
    let (id, kind) = match subject.component_type.as_str() {
        "container" => {
            let digest = subject.version.strip_prefix("sha256:").map(str::to_string);
            let image = ImageMetadata {
                user_input: subject.name.clone(),
                manifest_digest: subject.version.clone(),
                ..Default::default()
            };
            (
                digest.unwrap_or(fallback_id),
                SourceKind::Image(Box::new(image)),
            )
        }
        "file" if !subject.version.is_empty() => (
            fallback_id,
            SourceKind::File {
                path: subject.name.clone(),
            },
        ),
        _ => (
            fallback_id,
            SourceKind::Directory {
                path: subject.name.clone(),
            },
        ),
    };
    Source {
        id,
        name: subject.name.clone(),
        version: subject.version.clone(),
        kind,
    }
}
