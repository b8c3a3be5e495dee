//! syft-json: Syft's native SBOM document (schema 16.0.18), field for field; encoded here,
//! decoded in [`decode`].

mod decode;
mod metadata;

pub(crate) use decode::decode;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use plimsoll_model::{Distro, Location, Package, Sbom, SourceKind};

/// The syft-json schema version written.
pub const SCHEMA_VERSION: &str = "16.0.18";

/// Encodes an SBOM as a pretty-printed syft-json document.
pub fn encode(sbom: &Sbom, tool_version: &str) -> String {
    let artifacts: Vec<Value> = sbom.packages.iter().map(artifact).collect();
    let relationships: Vec<Value> = sbom
        .relationships
        .iter()
        .map(|r| {
            let mut edge =
                json!({"parent": r.parent, "child": r.child, "type": r.relationship_type.as_str()});
            if let Some(metadata) = &r.metadata {
                edge["metadata"] = metadata.clone();
            }
            edge
        })
        .collect();
    let document = json!({
        "artifacts": artifacts,
        "artifactRelationships": relationships,
        "source": source(sbom),
        "distro": sbom.distro.as_ref().map_or_else(|| json!({}), distro),
        "descriptor": {"name": "plimsoll", "version": tool_version},
        "schema": {
            "version": SCHEMA_VERSION,
            "url": format!("https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-{SCHEMA_VERSION}.json"),
        },
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn location(location: &Location) -> Value {
    let mut object = Map::new();
    object.insert("path".into(), json!(location.path));
    if let Some(layer) = &location.layer_id {
        object.insert("layerID".into(), json!(layer));
    }
    object.insert("accessPath".into(), json!(location.access_path));
    if let Some(evidence) = location.evidence {
        object.insert("annotations".into(), json!({"evidence": evidence}));
    }
    Value::Object(object)
}

fn artifact(package: &Package) -> Value {
    let licenses: Vec<Value> = package
        .licenses
        .iter()
        .map(|l| {
            json!({
                "value": l.value,
                "spdxExpression": l.spdx_expression,
                "type": l.license_type,
                "urls": l.urls,
                "locations": l.locations.iter().map(location).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut object = json!({
        "id": package.id(),
        "name": package.name,
        "version": package.version,
        "type": package.package_type.as_str(),
        "foundBy": package.found_by,
        "locations": package.locations.iter().map(location).collect::<Vec<_>>(),
        "licenses": licenses,
        "language": package.language,
        "cpes": package.cpes.iter().map(|c| json!({"cpe": c.cpe, "source": c.source})).collect::<Vec<_>>(),
        "purl": package.purl,
    });
    if let Some(metadata_type) = package.metadata.metadata_type() {
        object["metadataType"] = json!(metadata_type);
        object["metadata"] = serde_json::to_value(&package.metadata).unwrap_or(Value::Null);
    }
    object
}

fn source(sbom: &Sbom) -> Value {
    let source = &sbom.source;
    match &source.kind {
        SourceKind::Image(image) => {
            let base64 = base64::engine::general_purpose::STANDARD;
            json!({
                "id": source.id,
                "name": source.name,
                "version": source.version,
                "type": "image",
                "metadata": {
                    "userInput": image.user_input,
                    "imageID": image.image_id,
                    "manifestDigest": image.manifest_digest,
                    "mediaType": image.media_type,
                    "tags": image.tags,
                    "imageSize": image.image_size,
                    "layers": image.layers.iter().map(|l| json!({
                        "mediaType": l.media_type,
                        "digest": l.diff_id,
                        "size": l.size,
                    })).collect::<Vec<_>>(),
                    "manifest": base64.encode(&image.raw_manifest),
                    "config": base64.encode(&image.raw_config),
                    "repoDigests": image.repo_digests,
                    "architecture": image.architecture,
                    "os": image.os,
                },
            })
        }
        SourceKind::Directory { path } => json!({
            "id": source.id,
            "name": source.name,
            "version": source.version,
            "type": "directory",
            "metadata": {"path": path},
        }),
        SourceKind::File { path } => json!({
            "id": source.id,
            "name": source.name,
            "version": source.version,
            "type": "file",
            "metadata": {"path": path},
        }),
    }
}

/// The distro object: os-release fields in camelCase, empty ones left out.
fn distro(distro: &Distro) -> Value {
    let mut object = Map::new();
    let mut put = |key: &str, value: &str| {
        if !value.is_empty() {
            object.insert(key.to_string(), json!(value));
        }
    };
    put("prettyName", &distro.pretty_name);
    put("name", &distro.name);
    put("id", &distro.id);
    if !distro.id_like.is_empty() {
        object.insert("idLike".into(), json!(distro.id_like));
    }
    let mut put = |key: &str, value: &str| {
        if !value.is_empty() {
            object.insert(key.to_string(), json!(value));
        }
    };
    put("version", &distro.version);
    put("versionID", &distro.version_id);
    put("versionCodename", &distro.version_codename);
    put("buildID", &distro.build_id);
    put("imageID", &distro.image_id);
    put("imageVersion", &distro.image_version);
    put("variant", &distro.variant);
    put("variantID", &distro.variant_id);
    put("homeURL", &distro.home_url);
    put("supportURL", &distro.support_url);
    put("bugReportURL", &distro.bug_report_url);
    put("privacyPolicyURL", &distro.privacy_policy_url);
    put("cpeName", &distro.cpe_name);
    put("supportEnd", &distro.support_end);
    Value::Object(object)
}
