//! `plimsoll db` and `plimsoll vulns` end to end: real PyPA advisories imported into a
//! store, matched against image A's real packages, as a table, JSON and SARIF, with the
//! `--fail-on` gate, `--only-fixed`, ignore rules and SBOM input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{assert_error, plimsoll};
use serde_json::Value;

fn shared(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
        .display()
        .to_string()
}

fn image_a() -> String {
    shared("images/prebuilt/image-a/image-a.oci-archive.tar")
}

/// One store for all tests, imported once from the PyPA advisory archive.
fn store() -> &'static str {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vulns.db");
        let output = plimsoll(&[
            "db",
            "import",
            "--db",
            path.to_str().unwrap(),
            &shared("vulndata/archives/pypa-advisory-database-vulns.tar.xz"),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (dir, path)
    });
    path.to_str().unwrap()
}

/// The (package, vulnerability) pairs PyPA's data gives for image A's Python packages.
const EXPECTED: &[(&str, &str)] = &[
    ("certifi", "PYSEC-2022-42986"),
    ("certifi", "PYSEC-2023-135"),
    ("idna", "PYSEC-2024-60"),
    ("jinja2", "PYSEC-2021-66"),
    ("requests", "PYSEC-2023-74"),
    ("urllib3", "PYSEC-2021-108"),
    ("urllib3", "PYSEC-2023-192"),
    ("urllib3", "PYSEC-2023-212"),
];

fn json_matches(args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["vulns", "-q", "--db", store(), "-o", "json"];
    all.extend_from_slice(args);
    let output = plimsoll(&all);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut pairs: Vec<(String, String)> = document["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["artifact"]["name"].as_str().unwrap().to_lowercase(),
                m["vulnerability"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

fn expected() -> Vec<(String, String)> {
    EXPECTED
        .iter()
        .map(|(p, v)| (p.to_string(), v.to_string()))
        .collect()
}

#[test]
fn image_a_matches_are_pinned() {
    assert_eq!(json_matches(&[&image_a()]), expected());
}

#[test]
fn json_has_grypes_shape() {
    let output = plimsoll(&["vulns", "-q", "--db", store(), "-o", "json", &image_a()]);
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let requests = document["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["vulnerability"]["id"] == "PYSEC-2023-74")
        .unwrap();
    assert_eq!(requests["vulnerability"]["namespace"], "pypi");
    assert_eq!(requests["vulnerability"]["fix"]["state"], "fixed");
    assert_eq!(requests["vulnerability"]["fix"]["versions"][0], "2.31.0");
    assert!(requests["relatedVulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "CVE-2023-32681"));
    assert_eq!(requests["matchDetails"][0]["type"], "exact-direct-match");
    assert_eq!(
        requests["matchDetails"][0]["searchedBy"]["package"]["version"],
        "2.25.0"
    );
    assert_eq!(requests["artifact"]["purl"], "pkg:pypi/requests@2.25.0");
    assert_eq!(document["distro"]["name"], "debian");
}

#[test]
fn the_gate_fails_at_or_above_the_threshold() {
    let high = plimsoll(&[
        "vulns",
        "-q",
        "--db",
        store(),
        "--fail-on",
        "high",
        &image_a(),
    ]);
    assert_eq!(high.status.code(), Some(1), "High findings exist");
    assert!(String::from_utf8_lossy(&high.stderr).contains("severity threshold"));
    assert!(
        String::from_utf8_lossy(&high.stdout).contains("PYSEC-2023-74"),
        "the table is still printed"
    );

    let critical = plimsoll(&[
        "vulns",
        "-q",
        "--db",
        store(),
        "--fail-on",
        "critical",
        &image_a(),
    ]);
    assert_eq!(
        critical.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&critical.stderr)
    );

    assert_error(
        &plimsoll(&["vulns", "--db", store(), "--fail-on", "severe", &image_a()]),
        "unknown severity `severe`",
    );
}

#[test]
fn ignore_rules_and_only_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("ignore.yaml");
    std::fs::write(&rules, "ignore:\n  - vulnerability: CVE-2023-32681\n    reason: accepted until the next release\n  - package:\n      name: urllib3\n      location: \"/usr/local/lib/python3.11/**\"\n").unwrap();
    let remaining = json_matches(&["--ignore", rules.to_str().unwrap(), &image_a()]);
    let wanted: Vec<_> = expected()
        .into_iter()
        .filter(|(p, _)| p != "urllib3" && p != "requests")
        .collect();
    assert_eq!(
        remaining, wanted,
        "a rule by alias and a rule by package and location"
    );

    std::fs::write(&rules, "ignore:\n  - vulnerability: X\n    colour: blue\n").unwrap();
    assert_error(
        &plimsoll(&[
            "vulns",
            "--db",
            store(),
            "--ignore",
            rules.to_str().unwrap(),
            &image_a(),
        ]),
        "not a valid ignore file",
    );

    assert_eq!(
        json_matches(&["--only-fixed", &image_a()]),
        expected(),
        "every PyPA finding here has a fix"
    );
}

#[test]
fn an_sbom_gives_the_same_matches_as_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("a.syft.json");
    let output = plimsoll(&[
        "scan",
        "-q",
        "-o",
        &format!("syft-json={}", sbom.display()),
        &image_a(),
    ]);
    assert!(output.status.success());
    assert_eq!(
        json_matches(&[&format!("sbom:{}", sbom.display())]),
        expected()
    );
}

#[test]
fn sarif_lists_one_result_per_match() {
    let output = plimsoll(&["vulns", "-q", "--db", store(), "-o", "sarif", &image_a()]);
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["version"], "2.1.0");
    let results = document["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), EXPECTED.len());
    assert!(results
        .iter()
        .all(|r| r["ruleId"].as_str().unwrap().contains('-')));
}

#[test]
fn cyclonedx_lists_each_vulnerability_with_the_components_it_affects() {
    let output = plimsoll(&[
        "vulns",
        "-q",
        "--db",
        store(),
        "-o",
        "cyclonedx-json",
        &image_a(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["specVersion"], "1.6");
    let components: std::collections::HashMap<&str, &str> = document["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["bom-ref"].as_str().unwrap(), c["name"].as_str().unwrap()))
        .collect();
    let mut pairs = Vec::new();
    for vulnerability in document["vulnerabilities"].as_array().unwrap() {
        let id = vulnerability["id"].as_str().unwrap();
        assert!(vulnerability["ratings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["severity"].is_string()));
        for affected in vulnerability["affects"].as_array().unwrap() {
            let name = components
                .get(affected["ref"].as_str().unwrap())
                .unwrap_or_else(|| panic!("{id} affects a component that is not in the document"));
            pairs.push((name.to_lowercase(), id.to_string()));
        }
    }
    pairs.sort();
    assert_eq!(pairs, expected());
}

#[test]
fn missing_and_corrupt_databases_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    assert_error(
        &plimsoll(&["vulns", "--db", missing.to_str().unwrap(), &image_a()]),
        "plimsoll db import",
    );
    let corrupt = dir.path().join("corrupt.db");
    std::fs::write(&corrupt, vec![7u8; 10_000]).unwrap();
    assert_error(
        &plimsoll(&["vulns", "--db", corrupt.to_str().unwrap(), &image_a()]),
        "not a Plimsoll vulnerability database",
    );
    assert_error(
        &plimsoll(&["db", "status", "--db", corrupt.to_str().unwrap()]),
        "corrupt.db",
    );
}

#[test]
fn status_lists_feeds_and_groups() {
    let output = plimsoll(&["db", "status", "--db", store()]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("pypa") && l.contains("2660")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("pypa") && l.contains("pypi")),
        "{text}"
    );
}

#[test]
fn vex_not_affected_and_fixed_statements_suppress_exactly_their_findings() {
    let dir = tempfile::tempdir().unwrap();
    let openvex = dir.path().join("openvex.json");
    std::fs::write(
        &openvex,
        serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.org/vex/image-a",
            "author": "Platform team",
            "timestamp": "2026-11-30T10:00:00Z",
            "version": 1,
            "statements": [
                {"vulnerability": {"name": "PYSEC-2024-60"},
                 "products": [{"@id": "pkg:pypi/idna@2.10"}],
                 "status": "not_affected",
                 "justification": "vulnerable_code_not_in_execute_path"},
                // Another version of the package: not this image's finding.
                {"vulnerability": {"name": "PYSEC-2023-74"},
                 "products": [{"@id": "pkg:pypi/requests@2.31.0"}],
                 "status": "not_affected",
                 "justification": "component_not_present"},
                // Still affected: reported.
                {"vulnerability": {"name": "PYSEC-2021-66"},
                 "products": [{"@id": "pkg:pypi/jinja2"}],
                 "status": "affected"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let cyclonedx = dir.path().join("cdx.json");
    std::fs::write(
        &cyclonedx,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [
             {"id": "PYSEC-2023-212", "analysis": {"state": "resolved"},
              "affects": [{"ref": "pkg:pypi/urllib3@1.26.4"}]}]}"#,
    )
    .unwrap();
    let remaining = json_matches(&[
        "--vex",
        openvex.to_str().unwrap(),
        "--vex",
        cyclonedx.to_str().unwrap(),
        &image_a(),
    ]);
    let wanted: Vec<_> = expected()
        .into_iter()
        .filter(|(_, id)| id != "PYSEC-2024-60" && id != "PYSEC-2023-212")
        .collect();
    assert_eq!(remaining, wanted);

    std::fs::write(
        &openvex,
        r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "X"}, "status": "not_affected"}]}"#,
    )
    .unwrap();
    assert_error(
        &plimsoll(&[
            "vulns",
            "--db",
            store(),
            "--vex",
            openvex.to_str().unwrap(),
            &image_a(),
        ]),
        "needs a `justification`",
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_program_quietly() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(["vulns", "-q", "--db", store(), "-o", "json", &image_a()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The pipe's reading end is closed at once, long before the catalog is done and the
    // document written.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
