//! `vulns -o cyclonedx-json`: the SBOM as CycloneDX 1.6 with a `vulnerabilities` section,
//! one entry per vulnerability, listing every affected component by its `bom-ref`
//! (CycloneDX 1.6 §vulnerabilities).

use std::collections::BTreeMap;

use plimsoll_model::Sbom;
use plimsoll_vulndb::{FixState, Match};
use serde_json::{json, Value};

pub fn render(matches: &[Match], sbom: &Sbom) -> String {
    let document = plimsoll_sbom::encode_cyclonedx_json(sbom, env!("CARGO_PKG_VERSION"));
    let mut document: Value = serde_json::from_str(&document).unwrap_or_else(|_| json!({}));

    // One vulnerability object per ID; the packages it affects are listed under it.
    let mut by_id: BTreeMap<&str, Vec<&Match>> = BTreeMap::new();
    for found in matches {
        by_id.entry(found.id.as_str()).or_default().push(found);
    }
    let vulnerabilities: Vec<Value> = by_id
        .into_iter()
        .map(|(id, found)| vulnerability(id, &found, sbom))
        .collect();
    document["vulnerabilities"] = Value::Array(vulnerabilities);
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn vulnerability(id: &str, found: &[&Match], sbom: &Sbom) -> Value {
    let first = found[0];
    let mut ratings: Vec<Value> = first
        .cvss
        .iter()
        .map(|cvss| {
            let method = match cvss.version.as_str() {
                "2.0" => "CVSSv2",
                "3.0" => "CVSSv3",
                "4.0" => "CVSSv4",
                _ => "CVSSv31",
            };
            let mut rating = json!({
                "source": {"name": cvss.source},
                "method": method,
                "vector": cvss.vector,
            });
            if let Some(score) = cvss.base_score {
                rating["score"] = json!(score);
            }
            rating
        })
        .collect();
    ratings.push(json!({
        "source": {"name": first.namespace},
        "severity": first.severity.as_str().to_ascii_lowercase(),
        "method": "other",
    }));
    let affects: Vec<Value> = found
        .iter()
        .map(|m| {
            let package = &sbom.packages[m.package];
            json!({
                "ref": plimsoll_sbom::package_bom_ref(package),
                "versions": [{"version": package.version, "status": "affected"}],
            })
        })
        .collect();
    let mut vulnerability = json!({
        "bom-ref": id,
        "id": id,
        "source": {"name": first.namespace},
        "ratings": ratings,
        "affects": affects,
    });
    if let Some(url) = first.urls.first() {
        vulnerability["source"]["url"] = json!(url);
    }
    if !first.description.is_empty() {
        vulnerability["description"] = json!(first.description);
    }
    if !first.related.is_empty() {
        vulnerability["references"] = Value::Array(
            first
                .related
                .iter()
                .map(|alias| json!({"id": alias, "source": {"name": source_of(alias)}}))
                .collect(),
        );
    }
    if let FixState::Fixed(versions) = &first.fix {
        vulnerability["recommendation"] = json!(format!("Upgrade to {}", versions.join(" or ")));
    }
    vulnerability
}

/// The database an alias comes from, by its prefix.
fn source_of(alias: &str) -> &'static str {
    match alias.split('-').next().unwrap_or_default() {
        "CVE" => "NVD",
        "GHSA" => "GitHub",
        "PYSEC" => "PyPA",
        "GO" => "Go",
        "RUSTSEC" => "RustSec",
        _ => "OSV",
    }
}
