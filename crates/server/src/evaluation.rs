//! Policy evaluation of a stored image: the policy engine's input filled from what analysis
//! stored (the SBOM, the vulnerability report, the manifest and config, the Dockerfile) and
//! from the feeds, then the engine's verdict in Anchore's result shapes.

use jiff::Timestamp;
use plimsoll_model::{Package, Sbom};
use plimsoll_policy::{
    evaluate, parse_source_date, result_document, CvssV3Scores, Dockerfile, DockerfileMode,
    EvaluationInput, FeedGroupSync, FeedState, ImageFacts, PolicyBundle, Severity,
    VulnerabilityFinding,
};
use serde_json::{json, Value};

use crate::analysis::{analyzable_packages, read_image_content, read_sbom, Failure};
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::{document_kind, EvaluationRecord, ImageRecord, PolicyRecord};
use crate::time::rfc3339;

/// Evaluates `policy` against an analyzed image for `tag` (a full tag) and records it.
pub async fn evaluate_image(
    state: &AppState,
    image: &ImageRecord,
    tag: &str,
    policy: &PolicyRecord,
) -> ApiResult<EvaluationRecord> {
    let store = &state.store;
    let (account, digest) = (&image.account, &image.digest);
    let sbom = store.document(account, digest, document_kind::SBOM).await?;
    let report = store
        .document(account, digest, document_kind::VULNERABILITIES)
        .await?;
    let config = store
        .document(account, digest, document_kind::CONFIG)
        .await?;
    let dockerfile = store
        .document(account, digest, document_kind::DOCKERFILE)
        .await?;
    let image_content = store
        .document(account, digest, document_kind::IMAGE_CONTENT)
        .await?;
    let feeds = store.feeds().await?;
    let groups: Vec<FeedGroupSync> = feeds
        .iter()
        .flat_map(|feed| &feed.groups)
        .map(|group| FeedGroupSync {
            namespace: group.name.clone(),
            last_sync: group.last_sync.as_deref().and_then(|t| t.parse().ok()),
        })
        .collect();
    let bundle = PolicyBundle::from_json(&policy.bundle)
        .map_err(|error| ApiError::internal(format!("a stored bundle is unreadable: {error}")))?;

    let image = image.clone();
    let tag = tag.to_string();
    let user = account.clone();
    let (evaluation, document) = tokio::task::spawn_blocking(move || {
        let sbom = read_sbom(sbom.as_deref())?;
        let packages = analyzable_packages(&sbom);
        let first_seen = image.analyzed_at.as_deref().and_then(parse_source_date);
        let report: Value = report
            .as_deref()
            .and_then(|bytes| serde_json::from_slice(bytes).ok())
            .unwrap_or_else(|| json!({}));
        let image_content = read_image_content(image_content.as_deref())?;
        let mut input = EvaluationInput {
            image_digest: image.digest.clone(),
            image_id: image.image_id.clone(),
            tag: tag.clone(),
            vulnerabilities: findings(&report, &packages, first_seen),
            facts: facts(&image, &sbom, config.as_deref()),
            feeds: feed_state(&sbom, groups),
            dockerfile: Some(dockerfile_of(dockerfile.as_deref(), config.as_deref())),
            distro: sbom.distro.clone(),
            packages,
            ..EvaluationInput::default()
        };
        if let Some(image_content) = &image_content {
            input.add_content(image_content);
        }
        let now = Timestamp::now();
        let evaluation = evaluate(&bundle, &input, now);
        let document = result_document(&evaluation, &bundle, &user, now);
        Ok::<_, Failure>((evaluation, json!({"policy": bundle, "result": document})))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|Failure(reason)| ApiError::internal(reason))?;

    let record = EvaluationRecord {
        policy_id: policy.policy_id.clone(),
        status: evaluation.status().to_string(),
        final_action: evaluation.final_action.as_str().to_string(),
        created_at: rfc3339(Timestamp::now()),
        detail: document,
    };
    Ok(record)
}

/// The vulnerability report's rows as findings on `packages`; a finding whose advisory
/// carries no publication date counts from `first_seen`, the image's first analysis.
fn findings(
    report: &Value,
    packages: &[Package],
    first_seen: Option<Timestamp>,
) -> Vec<VulnerabilityFinding> {
    let rows = ["os", "non-os"].iter().flat_map(|kind| {
        report
            .get(*kind)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    });
    rows.filter_map(|row| {
        let text = |key: &str| row.get(key).and_then(Value::as_str).unwrap_or_default();
        let path = text("package_path");
        let package = packages.iter().position(|package| {
            package.name == text("package_name")
                && package.version == text("package_version")
                && (path == "pkgdb" || package.locations.iter().any(|l| l.path == path))
        })?;
        let fix = text("fix");
        Some(VulnerabilityFinding {
            id: text("vuln").to_string(),
            severity: Severity::from_name(text("severity")).unwrap_or_default(),
            package,
            package_path: (path != "pkgdb").then(|| path.to_string()),
            fix_versions: if fix == "None" || fix.is_empty() {
                Vec::new()
            } else {
                fix.split(',').map(str::to_string).collect()
            },
            will_not_fix: row.get("will_not_fix") == Some(&Value::Bool(true)),
            nvd_cvss_v3: scores(&row["nvd_data"]),
            vendor_cvss_v3: scores(&row["vendor_data"]),
            link: text("url").to_string(),
            // The advisory's publication, else when this image was first analyzed with it.
            created_at: parse_source_date(text("published")).or(first_seen),
            fix_observed_at: parse_source_date(text("fix_observed_at")),
        })
    })
    .collect()
}

fn scores(data: &Value) -> Vec<CvssV3Scores> {
    data.as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let v3 = entry.get("cvss_v3")?;
            let score = |key: &str| v3.get(key).and_then(Value::as_f64).unwrap_or(-1.0);
            (score("base_score") >= 0.0).then(|| CvssV3Scores {
                base: score("base_score"),
                exploitability: score("exploitability_score"),
                impact: score("impact_score"),
            })
        })
        .collect()
}

fn facts(image: &ImageRecord, sbom: &Sbom, config: Option<&[u8]>) -> ImageFacts {
    let config: Value = config
        .and_then(|bytes| serde_json::from_slice(bytes).ok())
        .unwrap_or(Value::Null);
    let distro = sbom.distro.clone().unwrap_or_default();
    ImageFacts {
        size: image.image_size.unwrap_or(0).max(0) as u64,
        architecture: image.arch.clone().unwrap_or_default(),
        os_type: config
            .get("os")
            .and_then(Value::as_str)
            .unwrap_or("linux")
            .to_string(),
        distro: image.distro.clone().unwrap_or_default(),
        distro_version: image.distro_version.clone().unwrap_or_default(),
        like_distro: distro.id_like.join(","),
        layer_count: image.layer_count.unwrap_or(0).max(0) as u64,
    }
}

fn feed_state(sbom: &Sbom, groups: Vec<FeedGroupSync>) -> FeedState {
    let namespace = sbom
        .distro
        .as_ref()
        .and_then(plimsoll_vulndb::namespace::os_namespace)
        .unwrap_or_default();
    let available = groups.iter().any(|group| group.namespace == namespace);
    let groups = groups
        .into_iter()
        .filter(|group| group.namespace == namespace || !group.namespace.contains(':'))
        .collect();
    FeedState {
        distro_namespace: namespace,
        distro_data_available: available,
        groups,
    }
}

/// The uploaded Dockerfile, else one guessed from the config's history as Anchore guesses:
/// each `created_by` with the shell prefix and `#(nop)` marker removed.
fn dockerfile_of(uploaded: Option<&[u8]>, config: Option<&[u8]>) -> Dockerfile {
    if let Some(text) = uploaded.and_then(|bytes| std::str::from_utf8(bytes).ok()) {
        return Dockerfile::parse(DockerfileMode::Actual, text);
    }
    let config: Value = config
        .and_then(|bytes| serde_json::from_slice(bytes).ok())
        .unwrap_or(Value::Null);
    let lines: Vec<String> = config
        .get("history")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.get("created_by").and_then(Value::as_str))
        .map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("/bin/sh -c ").unwrap_or(line);
            match line.trim_start().strip_prefix("#(nop)") {
                Some(rest) => rest.trim().to_string(),
                None => format!("RUN {line}"),
            }
        })
        .collect();
    let pairs: Vec<(&str, &str)> = lines
        .iter()
        .map(|line| line.split_once(' ').unwrap_or((line.as_str(), "")))
        .collect();
    Dockerfile::from_pairs(DockerfileMode::Guessed, pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfiles_are_guessed_from_history() {
        let config = br#"{"history": [
            {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
            {"created_by": "/bin/sh -c apt-get update"},
            {"created_by": "/bin/sh -c #(nop)  EXPOSE 22/tcp"},
            {"created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]"}
        ]}"#;
        let guessed = dockerfile_of(None, Some(config));
        assert_eq!(guessed.mode, DockerfileMode::Guessed);
        let keywords: Vec<&str> = guessed
            .instructions
            .iter()
            .map(|i| i.instruction.as_str())
            .collect();
        assert_eq!(keywords, ["ADD", "RUN", "EXPOSE", "CMD"]);
        assert_eq!(guessed.instructions[2].arguments, "22/tcp");
        let actual = dockerfile_of(Some(b"FROM debian\nUSER app\n"), Some(config));
        assert_eq!(actual.mode, DockerfileMode::Actual);
        assert!(actual.has("USER"));
    }

    #[test]
    fn findings_date_from_the_advisory_else_from_the_first_analysis() {
        let package = Package {
            name: "idna".into(),
            version: "3.4".into(),
            package_type: plimsoll_model::PackageType::Python,
            found_by: String::new(),
            locations: Vec::new(),
            licenses: Vec::new(),
            language: String::new(),
            cpes: Vec::new(),
            purl: String::new(),
            metadata: Default::default(),
        };
        let report = json!({"non-os": [
            {"vuln": "PYSEC-1", "severity": "High", "package_name": "idna",
             "package_version": "3.4", "package_path": "pkgdb", "fix": "3.7",
             "published": "2024-04-11T17:15:00Z", "fix_observed_at": "2024-04-12"},
            {"vuln": "PYSEC-2", "severity": "Low", "package_name": "idna",
             "package_version": "3.4", "package_path": "pkgdb", "fix": "None"}]});
        let first_seen: Timestamp = "2026-01-02T03:04:05Z".parse().unwrap();
        let found = findings(&report, &[package], Some(first_seen));
        let dates: Vec<String> = found
            .iter()
            .map(|f| f.created_at.unwrap().to_string())
            .collect();
        assert_eq!(dates, ["2024-04-11T17:15:00Z", "2026-01-02T03:04:05Z"]);
        assert_eq!(found[0].fix_versions, ["3.7"]);
        assert!(found[1].fix_versions.is_empty());
        assert_eq!(
            found[0].fix_observed_at.map(|at| at.to_string()),
            Some("2024-04-12T00:00:00Z".into())
        );
        assert_eq!(found[1].fix_observed_at, None);
    }
}
