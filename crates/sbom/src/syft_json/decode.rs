//! Reads a syft-json document into the model: artifacts with their metadata, the source
//! (image metadata included), the distro, and the relationships between packages and the
//! source. Older schemas' plain-string CPEs and licenses are accepted too. Relationships to
//! files are dropped, as the model has no files.

use std::collections::{HashMap, HashSet};

use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;

use plimsoll_model::{
    Cpe, Distro, Evidence, ImageMetadata, LayerMetadata, License, Location, Package, PackageType,
    Relationship, RelationshipType, Sbom, Source, SourceKind,
};

use super::metadata::{self, nullable};
use crate::error::DecodeError;
use crate::ids::Reidentified;
use crate::purl::{self, Purl};

const FORMAT: &str = "syft-json";

/// Decodes a syft-json document.
pub(crate) fn decode(text: &str) -> Result<Sbom, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let document: Document = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| DecodeError::json(FORMAT, error))?;

    let source = source(document.source)?;
    let mut entries = Vec::with_capacity(document.artifacts.len());
    for (index, artifact) in document.artifacts.into_iter().enumerate() {
        let id = artifact.id.clone();
        let package = package(artifact).map_err(|(path, message)| DecodeError::Json {
            format: FORMAT,
            path: format!("artifacts[{index}].metadata.{path}"),
            message,
        })?;
        entries.push((id, package));
    }
    let packages = Reidentified::new(entries);

    let relationships = relationships(document.relationships, &source.id, &packages);
    Ok(Sbom {
        source,
        distro: document.distro.and_then(distro),
        packages: packages.packages,
        relationships,
    })
}

/// The edges whose ends are the source or packages, re-keyed to the decoded packages' IDs,
/// in the document's order; edges to files, and duplicates, are dropped.
fn relationships(edges: Vec<Edge>, source_id: &str, packages: &Reidentified) -> Vec<Relationship> {
    let endpoint = |id: &str| {
        if id == source_id {
            Some(source_id.to_string())
        } else {
            packages.id(id).map(str::to_string)
        }
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for edge in edges {
        let Some(relationship_type) = relationship_type(&edge.relationship_type) else {
            continue;
        };
        let (Some(parent), Some(child)) = (endpoint(&edge.parent), endpoint(&edge.child)) else {
            continue;
        };
        if seen.insert((parent.clone(), child.clone(), relationship_type)) {
            out.push(Relationship {
                parent,
                child,
                relationship_type,
                metadata: edge.metadata.filter(|metadata| !metadata.is_null()),
            });
        }
    }
    out
}

fn relationship_type(name: &str) -> Option<RelationshipType> {
    match name {
        "contains" => Some(RelationshipType::Contains),
        "evident-by" => Some(RelationshipType::EvidentBy),
        "dependency-of" => Some(RelationshipType::DependencyOf),
        "ownership-by-file-overlap" => Some(RelationshipType::OwnershipByFileOverlap),
        _ => None,
    }
}

/// The package for an artifact; on a metadata error, the path within `metadata`.
fn package(artifact: Artifact) -> Result<Package, (String, String)> {
    let metadata = match (&artifact.metadata_type, &artifact.metadata) {
        (Some(metadata_type), Some(metadata)) => metadata::decode(metadata_type, metadata)?,
        _ => Default::default(),
    };
    let package_type = PackageType::from_name(&artifact.package_type)
        .or_else(|| Purl::parse(&artifact.purl).and_then(|p| purl::package_type(&p.purl_type)))
        // The model has no "unknown" type; Syft would say `UnknownPackage` here.
        .unwrap_or(PackageType::Binary);
    Ok(Package {
        name: artifact.name,
        version: artifact.version,
        package_type,
        found_by: artifact.found_by,
        locations: artifact.locations.into_iter().map(Location::from).collect(),
        licenses: artifact.licenses.into_iter().map(License::from).collect(),
        language: artifact.language,
        cpes: artifact.cpes.into_iter().map(Cpe::from).collect(),
        purl: artifact.purl,
        metadata,
    })
}

fn source(mirror: Option<SourceMirror>) -> Result<Source, DecodeError> {
    let mirror = mirror.unwrap_or_default();
    let path = |metadata: &Value| {
        metadata
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or(&mirror.name)
            .to_string()
    };
    let kind = match mirror.source_type.as_str() {
        "image" => SourceKind::Image(Box::new(image(&mirror.metadata)?)),
        "file" => SourceKind::File {
            path: path(&mirror.metadata),
        },
        _ => SourceKind::Directory {
            path: path(&mirror.metadata),
        },
    };
    Ok(Source {
        id: mirror.id,
        name: mirror.name,
        version: mirror.version,
        kind,
    })
}

fn image(metadata: &Value) -> Result<ImageMetadata, DecodeError> {
    let image: ImageMirror = if metadata.is_null() {
        ImageMirror::default()
    } else {
        serde_path_to_error::deserialize(metadata).map_err(|error| DecodeError::Json {
            format: FORMAT,
            path: format!("source.metadata.{}", error.path()),
            message: error.into_inner().to_string(),
        })?
    };
    let base64 = |field: &str, text: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|error| DecodeError::Json {
                format: FORMAT,
                path: format!("source.metadata.{field}"),
                message: format!("not base64: {error}"),
            })
    };
    Ok(ImageMetadata {
        user_input: image.user_input,
        image_id: image.image_id,
        manifest_digest: image.manifest_digest,
        media_type: image.media_type,
        tags: image.tags,
        image_size: image.image_size,
        layers: image
            .layers
            .into_iter()
            .map(|layer| LayerMetadata {
                media_type: layer.media_type,
                diff_id: layer.digest.clone(),
                digest: layer.digest,
                size: layer.size,
            })
            .collect(),
        raw_manifest: base64("manifest", &image.manifest)?,
        raw_config: base64("config", &image.config)?,
        repo_digests: image.repo_digests,
        architecture: image.architecture,
        variant: image.variant,
        os: image.os,
        created: None,
        history: Vec::new(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Document {
    #[serde(deserialize_with = "nullable")]
    artifacts: Vec<Artifact>,
    #[serde(rename = "artifactRelationships", deserialize_with = "nullable")]
    relationships: Vec<Edge>,
    source: Option<SourceMirror>,
    distro: Option<DistroMirror>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Artifact {
    #[serde(deserialize_with = "nullable")]
    id: String,
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(rename = "type", deserialize_with = "nullable")]
    package_type: String,
    #[serde(deserialize_with = "nullable")]
    found_by: String,
    #[serde(deserialize_with = "nullable")]
    locations: Vec<LocationMirror>,
    #[serde(deserialize_with = "nullable")]
    licenses: Vec<LicenseMirror>,
    #[serde(deserialize_with = "nullable")]
    language: String,
    #[serde(deserialize_with = "nullable")]
    cpes: Vec<CpeMirror>,
    #[serde(deserialize_with = "nullable")]
    purl: String,
    metadata_type: Option<String>,
    metadata: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LocationMirror {
    #[serde(deserialize_with = "nullable")]
    path: String,
    #[serde(rename = "layerID")]
    layer_id: Option<String>,
    #[serde(rename = "accessPath", deserialize_with = "nullable")]
    access_path: String,
    #[serde(deserialize_with = "nullable")]
    annotations: HashMap<String, String>,
}

impl From<LocationMirror> for Location {
    fn from(mirror: LocationMirror) -> Location {
        let evidence = match mirror.annotations.get("evidence").map(String::as_str) {
            Some("primary") => Some(Evidence::Primary),
            Some("supporting") => Some(Evidence::Supporting),
            _ => None,
        };
        let access_path = if mirror.access_path.is_empty() {
            mirror.path.clone()
        } else {
            mirror.access_path
        };
        Location {
            path: mirror.path,
            access_path,
            layer_id: mirror.layer_id.filter(|layer| !layer.is_empty()),
            evidence,
        }
    }
}

/// A license: an object since schema 9, a plain string before.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LicenseMirror {
    Text(String),
    Object(LicenseObject),
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LicenseObject {
    #[serde(deserialize_with = "nullable")]
    value: String,
    #[serde(deserialize_with = "nullable")]
    spdx_expression: String,
    #[serde(rename = "type", deserialize_with = "nullable")]
    license_type: String,
    #[serde(deserialize_with = "nullable")]
    urls: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    locations: Vec<LocationMirror>,
}

impl From<LicenseMirror> for License {
    fn from(mirror: LicenseMirror) -> License {
        match mirror {
            LicenseMirror::Text(value) => License {
                value,
                spdx_expression: String::new(),
                license_type: "declared".to_string(),
                urls: Vec::new(),
                locations: Vec::new(),
            },
            LicenseMirror::Object(object) => License {
                value: object.value,
                spdx_expression: object.spdx_expression,
                license_type: object.license_type,
                urls: object.urls,
                locations: object.locations.into_iter().map(Location::from).collect(),
            },
        }
    }
}

/// A CPE: an object with its source since schema 16, a plain string before.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CpeMirror {
    Text(String),
    Object {
        cpe: String,
        #[serde(default)]
        source: Option<String>,
    },
}

impl From<CpeMirror> for Cpe {
    fn from(mirror: CpeMirror) -> Cpe {
        match mirror {
            CpeMirror::Text(cpe) => Cpe {
                cpe,
                source: String::new(),
            },
            CpeMirror::Object { cpe, source } => Cpe {
                cpe,
                source: source.unwrap_or_default(),
            },
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Edge {
    #[serde(deserialize_with = "nullable")]
    parent: String,
    #[serde(deserialize_with = "nullable")]
    child: String,
    #[serde(rename = "type", deserialize_with = "nullable")]
    relationship_type: String,
    metadata: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SourceMirror {
    #[serde(deserialize_with = "nullable")]
    id: String,
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(rename = "type", deserialize_with = "nullable")]
    source_type: String,
    metadata: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ImageMirror {
    #[serde(deserialize_with = "nullable")]
    user_input: String,
    #[serde(rename = "imageID", deserialize_with = "nullable")]
    image_id: String,
    #[serde(deserialize_with = "nullable")]
    manifest_digest: String,
    #[serde(deserialize_with = "nullable")]
    media_type: String,
    #[serde(deserialize_with = "nullable")]
    tags: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    image_size: u64,
    #[serde(deserialize_with = "nullable")]
    layers: Vec<LayerMirror>,
    #[serde(deserialize_with = "nullable")]
    manifest: String,
    #[serde(deserialize_with = "nullable")]
    config: String,
    #[serde(deserialize_with = "nullable")]
    repo_digests: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    architecture: String,
    #[serde(deserialize_with = "nullable")]
    variant: String,
    #[serde(deserialize_with = "nullable")]
    os: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct LayerMirror {
    #[serde(deserialize_with = "nullable")]
    media_type: String,
    #[serde(deserialize_with = "nullable")]
    digest: String,
    #[serde(deserialize_with = "nullable")]
    size: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DistroMirror {
    #[serde(rename = "prettyName", deserialize_with = "nullable")]
    pretty_name: String,
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    id: String,
    #[serde(rename = "idLike", deserialize_with = "nullable")]
    id_like: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(rename = "versionID", deserialize_with = "nullable")]
    version_id: String,
    #[serde(rename = "versionCodename", deserialize_with = "nullable")]
    version_codename: String,
    #[serde(rename = "buildID", deserialize_with = "nullable")]
    build_id: String,
    #[serde(rename = "imageID", deserialize_with = "nullable")]
    image_id: String,
    #[serde(rename = "imageVersion", deserialize_with = "nullable")]
    image_version: String,
    #[serde(deserialize_with = "nullable")]
    variant: String,
    #[serde(rename = "variantID", deserialize_with = "nullable")]
    variant_id: String,
    #[serde(rename = "homeURL", deserialize_with = "nullable")]
    home_url: String,
    #[serde(rename = "supportURL", deserialize_with = "nullable")]
    support_url: String,
    #[serde(rename = "bugReportURL", deserialize_with = "nullable")]
    bug_report_url: String,
    #[serde(rename = "privacyPolicyURL", deserialize_with = "nullable")]
    privacy_policy_url: String,
    #[serde(rename = "cpeName", deserialize_with = "nullable")]
    cpe_name: String,
    #[serde(rename = "supportEnd", deserialize_with = "nullable")]
    support_end: String,
}

/// The distro, or `None` for syft-json's empty `{}`.
fn distro(mirror: DistroMirror) -> Option<Distro> {
    let distro = Distro {
        pretty_name: mirror.pretty_name,
        name: mirror.name,
        id: mirror.id,
        id_like: mirror.id_like,
        version: mirror.version,
        version_id: mirror.version_id,
        version_codename: mirror.version_codename,
        build_id: mirror.build_id,
        image_id: mirror.image_id,
        image_version: mirror.image_version,
        variant: mirror.variant,
        variant_id: mirror.variant_id,
        home_url: mirror.home_url,
        support_url: mirror.support_url,
        bug_report_url: mirror.bug_report_url,
        privacy_policy_url: mirror.privacy_policy_url,
        cpe_name: mirror.cpe_name,
        support_end: mirror.support_end,
    };
    (distro != Distro::default()).then_some(distro)
}
