//! `GET /images/{digest}/diff/{other}`: what changed from one analyzed image to another —
//! packages added, removed and changed in version, and vulnerabilities added and removed.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::images::analyzed_image_of;
use crate::analysis::{analyzable_packages, read_sbom, Failure};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::{document_kind, ImageRecord};

/// An image's packages as (type, name) → versions, and its findings by (ID, package).
type Inventory = (
    BTreeMap<(String, String), BTreeSet<String>>,
    BTreeMap<(String, String), Value>,
);

async fn inventory(state: &AppState, image: &ImageRecord) -> ApiResult<Inventory> {
    let sbom = state
        .store
        .document(&image.account, &image.digest, document_kind::SBOM)
        .await?;
    let sbom = read_sbom(sbom.as_deref()).map_err(|Failure(reason)| ApiError::internal(reason))?;
    let mut packages: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for package in analyzable_packages(&sbom) {
        packages
            .entry((
                package.package_type.as_str().to_string(),
                package.name.clone(),
            ))
            .or_default()
            .insert(package.version.clone());
    }
    let report: Value = state
        .store
        .document(
            &image.account,
            &image.digest,
            document_kind::VULNERABILITIES,
        )
        .await?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_else(|| json!({}));
    let findings = ["os", "non-os"]
        .iter()
        .flat_map(|kind| report[*kind].as_array().cloned().unwrap_or_default())
        .map(|row| {
            let text = |key: &str| row[key].as_str().unwrap_or_default().to_string();
            let shown = json!({"vuln": row["vuln"], "package": row["package"],
                               "severity": row["severity"], "fix": row["fix"]});
            ((text("vuln"), text("package")), shown)
        })
        .collect();
    Ok((packages, findings))
}

/// The difference from `from` to `to`.
pub fn compare(from: &Inventory, to: &Inventory) -> Value {
    let package = |(kind, name): &(String, String), versions: &BTreeSet<String>| json!({"type": kind, "name": name, "versions": versions});
    let added: Vec<Value> =
        to.0.iter()
            .filter(|(key, _)| !from.0.contains_key(*key))
            .map(|(key, versions)| package(key, versions))
            .collect();
    let removed: Vec<Value> = from
        .0
        .iter()
        .filter(|(key, _)| !to.0.contains_key(*key))
        .map(|(key, versions)| package(key, versions))
        .collect();
    let changed: Vec<Value> = from
        .0
        .iter()
        .filter_map(|(key, old)| {
            let new = to.0.get(key).filter(|new| *new != old)?;
            Some(json!({"type": key.0, "name": key.1, "from": old, "to": new}))
        })
        .collect();
    let vulnerabilities_added: Vec<&Value> =
        to.1.iter()
            .filter(|(key, _)| !from.1.contains_key(*key))
            .map(|(_, row)| row)
            .collect();
    let vulnerabilities_removed: Vec<&Value> = from
        .1
        .iter()
        .filter(|(key, _)| !to.1.contains_key(*key))
        .map(|(_, row)| row)
        .collect();
    json!({
        "packages": {"added": added, "removed": removed, "changed": changed},
        "vulnerabilities": {"added": vulnerabilities_added, "removed": vulnerabilities_removed},
    })
}

/// `GET /images/{digest}/diff/{other}`.
pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    Path((digest, other)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let from = analyzed_image_of(&state, &caller, &digest).await?;
    let to = analyzed_image_of(&state, &caller, &other).await?;
    let mut answer = compare(
        &inventory(&state, &from).await?,
        &inventory(&state, &to).await?,
    );
    answer["from"] = json!(from.digest);
    answer["to"] = json!(to.digest);
    Ok(Json(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_findings_are_compared_by_identity() {
        let inventory = |packages: &[(&str, &str)], findings: &[(&str, &str)]| {
            let mut by_name: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
            for (name, version) in packages {
                by_name
                    .entry(("python".into(), name.to_string()))
                    .or_default()
                    .insert(version.to_string());
            }
            let found = findings
                .iter()
                .map(|(id, package)| {
                    (
                        (id.to_string(), package.to_string()),
                        json!({"vuln": id, "package": package}),
                    )
                })
                .collect();
            (by_name, found)
        };
        let old = inventory(
            &[("idna", "2.10"), ("six", "1.15.0")],
            &[("PYSEC-2024-60", "idna-2.10")],
        );
        let new = inventory(&[("idna", "3.7"), ("attrs", "23.1.0")], &[]);
        let diff = compare(&old, &new);
        assert_eq!(diff["packages"]["added"][0]["name"], "attrs");
        assert_eq!(diff["packages"]["removed"][0]["name"], "six");
        assert_eq!(
            diff["packages"]["changed"][0],
            json!({"type": "python", "name": "idna", "from": ["2.10"], "to": ["3.7"]})
        );
        assert_eq!(
            diff["vulnerabilities"]["removed"][0]["vuln"],
            "PYSEC-2024-60"
        );
        assert_eq!(diff["vulnerabilities"]["added"], json!([]));
    }
}
