//! Matches as SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), one rule per
//! vulnerability and package, for code-scanning dashboards.

use plimsoll_model::Sbom;
use plimsoll_vulndb::severity::base_score;
use plimsoll_vulndb::{Match, Severity};
use serde_json::{json, Value};

/// Renders matches as a SARIF log with one run.
pub fn render(matches: &[Match], sbom: &Sbom) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    for found in matches {
        let package = &sbom.packages[found.package];
        let rule_id = format!("{}-{}", found.id, package.name);
        let fixed = super::fixed_in(&found.fix);
        let advice = if fixed.is_empty() {
            "No fix is available yet.".to_string()
        } else {
            format!("Fixed in {fixed}.")
        };
        let text = format!(
            "{} {} is affected by {} ({}). {advice}",
            package.name,
            package.version,
            found.id,
            found.severity.as_str()
        );
        let score = found
            .cvss
            .iter()
            .filter_map(base_score)
            .fold(0.0_f64, f64::max);
        if !rules.iter().any(|r| r["id"] == rule_id) {
            rules.push(json!({
                "id": rule_id,
                "name": format!("{}Package", package.package_type.as_str()),
                "shortDescription": {"text": format!("{} {} package {}", found.id, found.severity.as_str(), package.name)},
                "fullDescription": {"text": if found.description.is_empty() { text.clone() } else { found.description.clone() }},
                "helpUri": found.urls.first().cloned().unwrap_or_default(),
                "help": {"text": text, "markdown": format!("**{}** in `{}` {}. {advice}", found.id, package.name, package.version)},
                "properties": {"security-severity": format!("{score:.1}"), "tags": ["security", found.severity.as_str().to_lowercase()]},
            }));
        }
        let path = package
            .locations
            .first()
            .map(|l| l.path.trim_start_matches('/').to_string())
            .unwrap_or_default();
        results.push(json!({
            "ruleId": rule_id,
            "level": level(found.severity),
            "message": {"text": text},
            "locations": [{
                "physicalLocation": {"artifactLocation": {"uri": path}, "region": {"startLine": 1}},
                "logicalLocations": [{"fullyQualifiedName": package.purl, "kind": "package"}],
            }],
        }));
    }
    let document = json!({
        "version": "2.1.0",
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "plimsoll", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/plimsoll", "rules": rules}},
            "results": results,
        }],
    });
    let _ = sbom;
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

/// SARIF levels: error for High and Critical, warning for Medium, note below.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        _ => "note",
    }
}
