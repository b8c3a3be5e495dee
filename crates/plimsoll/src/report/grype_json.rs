//! Matches as JSON in Grype's shape: `matches[].vulnerability`, `relatedVulnerabilities`,
//! `matchDetails`, `artifact`, plus `source` and `distro`, so tools that read Grype's
//! output read Plimsoll's.

use plimsoll_model::{Package, Sbom, SourceKind};
use plimsoll_vulndb::severity::base_score;
use plimsoll_vulndb::Match;
use serde_json::{json, Value};

/// Renders the matches of an SBOM's packages.
pub fn render(matches: &[Match], sbom: &Sbom) -> String {
    let matches: Vec<Value> = matches
        .iter()
        .map(|m| one(m, &sbom.packages[m.package], sbom))
        .collect();
    let source = match &sbom.source.kind {
        SourceKind::Image(image) => {
            json!({"type": "image", "target": {"userInput": image.user_input, "imageID": image.image_id, "manifestDigest": image.manifest_digest, "tags": image.tags}})
        }
        SourceKind::Directory { path } => json!({"type": "directory", "target": path}),
        SourceKind::File { path } => json!({"type": "file", "target": path}),
    };
    let distro = sbom.distro.as_ref().map_or(
        json!({}),
        |d| json!({"name": d.id, "version": d.version_id, "idLike": d.id_like}),
    );
    let document = json!({
        "matches": matches,
        "source": source,
        "distro": distro,
        "descriptor": {"name": "plimsoll", "version": env!("CARGO_PKG_VERSION")},
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn one(found: &Match, package: &Package, sbom: &Sbom) -> Value {
    let cvss: Vec<Value> = found
        .cvss
        .iter()
        .map(|c| json!({"source": c.source, "type": "Primary", "version": c.version, "vector": c.vector, "metrics": {"baseScore": base_score(c)}}))
        .collect();
    let mut vulnerability = json!({
        "id": found.id,
        "dataSource": found.urls.first().cloned().unwrap_or_default(),
        "namespace": found.namespace,
        "severity": found.severity.as_str(),
        "urls": found.urls,
        "description": found.description,
        "cvss": cvss,
        "fix": {"versions": fix_versions(found), "state": super::fix_state(&found.fix)},
        "advisories": [],
    });
    if let Some(score) = found.exploit.epss_score {
        vulnerability["epss"] = json!([{"cve": cve(found), "epss": score, "percentile": found.exploit.epss_percentile}]);
    }
    if let Some(added) = &found.exploit.kev_date_added {
        vulnerability["knownExploited"] = json!([{"cve": cve(found), "dateAdded": added, "dueDate": found.exploit.kev_due_date, "knownRansomwareCampaignUse": found.exploit.kev_ransomware}]);
    }
    let related: Vec<Value> = found
        .related
        .iter()
        .map(|id| json!({"id": id, "namespace": found.namespace}))
        .collect();
    let mut searched_by = json!({"namespace": found.namespace, "package": {"name": found.searched_name, "version": found.searched_version}});
    if let Some(distro) = &sbom.distro {
        searched_by["distro"] = json!({"type": distro.id, "version": distro.version_id});
    }
    json!({
        "vulnerability": vulnerability,
        "relatedVulnerabilities": related,
        "matchDetails": [{
            "type": found.match_type.as_str(),
            "matcher": format!("{}-matcher", matcher_of(package)),
            "searchedBy": searched_by,
            "found": {"vulnerabilityID": found.id, "versionConstraint": found.constraint},
        }],
        "artifact": {
            "id": package.id(),
            "name": package.name,
            "version": package.version,
            "type": package.package_type.as_str(),
            "locations": package.locations.iter().map(|l| json!({"path": l.path, "layerID": l.layer_id})).collect::<Vec<_>>(),
            "language": package.language,
            "licenses": package.licenses.iter().map(|l| l.value.clone()).collect::<Vec<_>>(),
            "cpes": package.cpes.iter().map(|c| c.cpe.clone()).collect::<Vec<_>>(),
            "purl": package.purl,
        },
    })
}

fn fix_versions(found: &Match) -> Vec<String> {
    match &found.fix {
        plimsoll_vulndb::FixState::Fixed(versions) => versions.clone(),
        _ => Vec::new(),
    }
}

fn cve(found: &Match) -> String {
    std::iter::once(&found.id)
        .chain(&found.related)
        .find(|id| id.starts_with("CVE-"))
        .cloned()
        .unwrap_or_default()
}

/// The matcher name Grype would report for the package's ecosystem.
fn matcher_of(package: &Package) -> &'static str {
    match package.package_type.as_str() {
        "deb" => "dpkg",
        "rpm" => "rpm",
        "apk" => "apk",
        "python" => "python",
        "npm" => "javascript",
        "java-archive" | "jenkins-plugin" => "java",
        "go-module" => "go-module",
        "gem" => "ruby-gem",
        "rust-crate" => "rust",
        "dotnet" => "dotnet",
        _ => "stock",
    }
}
