//! Builds the CycloneDX document for an SBOM, component by component, as Syft lays it out.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use plimsoll_model::{Package, PackageType, RelationshipType, Sbom, SourceKind};

use super::document::{Bom, Component, Dependency, Metadata, Tools};
use super::{license, metadata, os, properties, SPEC_VERSION};
use crate::purl::{self, Purl};
use crate::stamp::Stamp;

/// The JSON schema a document names in `$schema`.
const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

/// The whole document.
pub(crate) fn bom(sbom: &Sbom, tool_version: &str, stamp: &Stamp) -> Bom {
    let ids: Vec<String> = sbom.packages.iter().map(Package::id).collect();
    let references: HashMap<&str, String> = sbom
        .packages
        .iter()
        .zip(&ids)
        .map(|(package, id)| (id.as_str(), bom_ref(package, id)))
        .collect();

    // Packages the model cannot tell apart (same identity and paths; possible only in SBOMs
    // decoded from documents with metadata the model does not keep) would give components
    // with the same `bom-ref`, which CycloneDX forbids: the first is kept.
    let mut seen = HashSet::new();
    let mut components: Vec<Component> = sbom
        .packages
        .iter()
        .zip(&ids)
        .filter(|(_, id)| seen.insert(id.as_str()))
        .map(|(package, id)| component(package, &bom_ref(package, id)))
        .collect();
    if let Some(distro) = &sbom.distro {
        components.push(os::encode(distro));
    }

    Bom {
        schema: SCHEMA.to_string(),
        bom_format: "CycloneDX".to_string(),
        spec_version: SPEC_VERSION.to_string(),
        serial_number: format!("urn:uuid:{}", stamp.uuid),
        version: 1,
        metadata: Some(Metadata {
            timestamp: stamp.timestamp.clone(),
            tools: Some(Tools::Components {
                components: vec![tool(tool_version)],
            }),
            component: Some(subject(sbom)),
        }),
        components,
        dependencies: dependencies(sbom, &references),
    }
}

/// The `bom-ref` of a package's component, for documents that refer to it (a vulnerability's
/// `affects`).
pub fn package_bom_ref(package: &Package) -> String {
    bom_ref(package, &package.id())
}

/// Syft's `bom-ref` for a package: its PURL with a `package-id` qualifier, or the bare ID
/// when it has no PURL.
fn bom_ref(package: &Package, id: &str) -> String {
    if Purl::parse(&package.purl).is_some() {
        purl::with_qualifier(&package.purl, "package-id", id)
    } else {
        id.to_string()
    }
}

fn component(package: &Package, bom_ref: &str) -> Component {
    let fields = metadata::encode(&package.metadata);
    Component {
        bom_ref: bom_ref.to_string(),
        // Syft calls binaries found by classifiers applications, everything else a library.
        component_type: match package.package_type {
            PackageType::Binary => "application",
            _ => "library",
        }
        .to_string(),
        author: fields.author,
        publisher: fields.publisher,
        name: package.name.clone(),
        version: package.version.clone(),
        description: fields.description,
        licenses: license::encode(&package.licenses),
        cpe: package
            .cpes
            .first()
            .map(|cpe| cpe.cpe.clone())
            .unwrap_or_default(),
        purl: package.purl.clone(),
        external_references: fields.external_references,
        properties: properties::encode(package, fields.properties),
        ..Default::default()
    }
}

/// The tool that wrote the document, in the shape Syft gives itself.
fn tool(version: &str) -> Component {
    Component {
        component_type: "application".to_string(),
        author: "plimsoll".to_string(),
        name: "plimsoll".to_string(),
        version: version.to_string(),
        ..Default::default()
    }
}

/// `metadata.component`: the scanned image (`container`) or path (`file`). Syft's `bom-ref`
/// here is a Go structure hash of the source description; Plimsoll's is an FNV-1a hash of
/// the source ID, equally stable but not the same digits. A source ID that already has that
/// form (one decoded from a CycloneDX document) is kept, so a decoded document encodes back
/// to the same `bom-ref`.
fn subject(sbom: &Sbom) -> Component {
    let source = &sbom.source;
    let component_type = match source.kind {
        SourceKind::Image(_) => "container",
        SourceKind::Directory { .. } | SourceKind::File { .. } => "file",
    };
    Component {
        bom_ref: subject_ref(&source.id),
        component_type: component_type.to_string(),
        name: source.name.clone(),
        version: source.version.clone(),
        ..Default::default()
    }
}

/// One entry per package that depends on others (the child of `dependency-of` edges),
/// sorted by `bom-ref`, each listing its dependencies sorted.
fn dependencies(sbom: &Sbom, references: &HashMap<&str, String>) -> Vec<Dependency> {
    let mut depends_on: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for relationship in &sbom.relationships {
        if relationship.relationship_type != RelationshipType::DependencyOf {
            continue;
        }
        let dependency = references.get(relationship.parent.as_str());
        let dependent = references.get(relationship.child.as_str());
        if let (Some(dependency), Some(dependent)) = (dependency, dependent) {
            depends_on
                .entry(dependent.as_str())
                .or_default()
                .insert(dependency.as_str());
        }
    }
    depends_on
        .into_iter()
        .map(|(dependent, dependencies)| Dependency {
            reference: dependent.to_string(),
            depends_on: dependencies.into_iter().map(str::to_string).collect(),
        })
        .collect()
}

fn subject_ref(source_id: &str) -> String {
    let is_reference = source_id.len() == 16
        && source_id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if is_reference {
        source_id.to_string()
    } else {
        format!("{:016x}", fnv1a(source_id.as_bytes()))
    }
}

/// 64-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
