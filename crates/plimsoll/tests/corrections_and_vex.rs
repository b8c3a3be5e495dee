//! False-positive management end to end on a `plimsoll server` process: image B's log4j
//! 1.2.17 matches an NVD record by its CPE; a correction that rewrites the jar's CPE makes
//! the match disappear (and deleting it brings it back); a VEX `not_affected` statement
//! suppresses exactly that finding, and the image's findings export as OpenVEX.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{scan_upload, start_server, Api};
use serde_json::{json, Value};

const PASSWORD: &str = "corrections-password";
const CVE: &str = "CVE-2019-17571";

/// Image B from the built corpus (`PLIMSOLL_TEST_IMAGES`, set by the test script).
fn image_b() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("PLIMSOLL_TEST_IMAGES") else {
        eprintln!("note: PLIMSOLL_TEST_IMAGES is not set; corrections and VEX are not checked");
        return None;
    };
    Some(Path::new(&dir).join("image-b/image-b.oci-archive.tar"))
}

/// An NVD API 2.0 page with one record: Log4j 1.2's SocketServer deserialization flaw,
/// affecting apache:log4j from 1.2 through 1.2.17.
fn nvd_page() -> Value {
    json!({
        "resultsPerPage": 1, "startIndex": 0, "totalResults": 1,
        "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-11-30T00:00:00.000",
        "vulnerabilities": [{"cve": {
            "id": CVE,
            "sourceIdentifier": "security@apache.org",
            "published": "2019-12-20T17:15:11.937",
            "lastModified": "2024-11-21T04:32:39.030",
            "vulnStatus": "Modified",
            "descriptions": [{"lang": "en", "value": "Log4j 1.2's SocketServer class deserializes untrusted data received over the network."}],
            "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
                "cvssData": {"version": "3.1",
                             "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                             "baseScore": 9.8, "baseSeverity": "CRITICAL"}}]},
            "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
                {"vulnerable": true, "criteria": "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*",
                 "versionStartIncluding": "1.2", "versionEndIncluding": "1.2.17",
                 "matchCriteriaId": "7F4A0E57-1D0F-44C4-9F25-5E3A0C3A9D8E"}]}]}],
            "references": [{"url": "https://lists.apache.org/thread/log4j-socketserver", "source": "security@apache.org"}]
        }}]
    })
}

impl Api {
    /// The log4j rows of the CVE in the image's report.
    fn log4j_findings(&self, digest: &str, query: &str) -> Vec<Value> {
        let (status, report) = self.get(&format!("images/{digest}/vuln/all?{query}"));
        assert_eq!(status, 200, "{report}");
        report["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["vuln"] == CVE && row["package_name"] == "log4j")
            .cloned()
            .collect()
    }
    /// Waits until re-matching brings the report to `present` (or not) for the CVE.
    fn wait_for(&self, digest: &str, present: bool) {
        let started = Instant::now();
        while self.log4j_findings(digest, "").is_empty() == present {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the report never had the finding {}",
                if present { "back" } else { "removed" }
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn corrections_and_vex_change_exactly_the_findings_they_name() {
    let Some(image) = image_b() else { return };
    let data = tempfile::tempdir().unwrap();
    let feed = data.path().join("nvd-log4j.json");
    std::fs::write(&feed, nvd_page().to_string()).unwrap();
    let server = start_server(data.path(), &["--feed", feed.to_str().unwrap()], PASSWORD);
    let api = Api::new(&server.url, PASSWORD);

    scan_upload(
        &server.url,
        PASSWORD,
        &format!("oci-archive:{}", image.display()),
        "corpus/image-b:1",
    );
    let (_, images) = api.get("images");
    let digest = images[0]["imageDigest"].as_str().unwrap().to_string();
    let started = Instant::now();
    loop {
        let (_, record) = api.get(&format!("images/{digest}"));
        if record[0]["analysis_status"] == "analyzed" {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{record}");
        std::thread::sleep(Duration::from_millis(100));
    }

    // The NVD record matches the jar by its CPE.
    let found = api.log4j_findings(&digest, "");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0]["package_path"],
        "/opt/app/lib/corpus-service-2.3.0.jar"
    );
    let others = |api: &Api| -> usize {
        let (_, report) = api.get(&format!("images/{digest}/vuln/all"));
        report["vulnerabilities"].as_array().unwrap().len()
    };
    let total = others(&api);

    // A correction gives log4j another vendor's CPE: the NVD match goes, nothing else moves.
    let correction = json!({
        "type": "package", "description": "this log4j is a fork",
        "match": {"type": "java", "field_matches": [
            {"field_name": "package", "field_value": "log4j"}]},
        "replace": [{"field_name": "cpes",
                     "field_value": "cpe:2.3:a:example_fork:{package}:{version}:*:*:*:*:*:*:*"}]
    });
    let (status, added) = api.post("enterprise/corrections", &correction);
    assert_eq!(status, 200, "{added}");
    let uuid = added["uuid"].as_str().unwrap().to_string();
    api.wait_for(&digest, false);
    assert_eq!(others(&api), total - 1);
    let (status, listed) = api.get("corrections");
    assert_eq!((status, listed[0]["uuid"].clone()), (200, json!(uuid)));
    let (status, one) = api.get(&format!("corrections/{uuid}"));
    assert_eq!(
        (status, one["description"].clone()),
        (200, json!("this log4j is a fork"))
    );

    // Removing the correction brings the match back.
    assert_eq!(api.delete(&format!("corrections/{uuid}")), 200);
    assert_eq!(api.delete(&format!("corrections/{uuid}")), 404);
    api.wait_for(&digest, true);

    // A VEX statement that log4j is not affected suppresses exactly that finding.
    let vex = json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.org/vex/image-b-1",
        "author": "Platform team", "timestamp": "2026-11-30T10:00:00Z", "version": 1,
        "statements": [{
            "vulnerability": {"name": CVE},
            "products": [{"@id": "pkg:maven/org.apache.log4j/log4j@1.2.17"}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path",
            "impact_statement": "SocketServer is never started"}]
    });
    let (status, stored) = api.post("vex", &vex);
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["statements"], 1);
    assert!(api.log4j_findings(&digest, "").is_empty());
    assert_eq!(others(&api), total - 1);
    let kept = api.log4j_findings(&digest, "include_suppressed=true");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["vex"]["status"], "not_affected");
    assert_eq!(
        kept[0]["vex"]["justification"],
        "vulnerable_code_not_in_execute_path"
    );

    // The image's findings as OpenVEX carry the statement; the others are affected.
    let (status, exported) = api.get(&format!("images/{digest}/vex"));
    assert_eq!(status, 200, "{exported}");
    assert_eq!(exported["@context"], "https://openvex.dev/ns/v0.2.0");
    let statements = exported["statements"].as_array().unwrap();
    let log4j = statements
        .iter()
        .find(|s| s["vulnerability"]["name"] == CVE)
        .unwrap();
    assert_eq!(log4j["status"], "not_affected");
    assert_eq!(log4j["products"][0]["@id"], digest.as_str());
    assert_eq!(
        log4j["products"][0]["subcomponents"][0]["@id"],
        "pkg:maven/org.apache.log4j/log4j@1.2.17"
    );
    assert!(statements
        .iter()
        .filter(|s| s["vulnerability"]["name"] != CVE)
        .all(|s| s["status"] == "affected" && s["action_statement"].is_string()));

    // Malformed documents are refused with the reason.
    let (status, body) = api.post("vex", &json!({"statements": []}));
    assert_eq!(status, 400, "{body}");
    let (status, body) = api.post(
        "corrections",
        &json!({"type": "package", "match": {"type": "java", "field_matches": []}, "replace": []}),
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("field_matches"),
        "{body}"
    );

    // Removing the VEX document brings the finding back.
    let (_, documents) = api.get("vex");
    let id = documents[0]["vex_id"].as_str().unwrap().to_string();
    assert_eq!(api.delete(&format!("vex/{id}")), 200);
    assert_eq!(api.log4j_findings(&digest, "").len(), 1);
}
