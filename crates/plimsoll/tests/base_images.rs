//! Base images end to end: a base made of image A's first two layers (Debian and the Python
//! packages) and image A itself are uploaded with `plimsoll scan -H`; the server finds the
//! base by layers, and `vuln all` with `base_digest=auto` marks exactly the base's findings
//! as inherited.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::{oci_layout, plimsoll, scan_upload, start_server, LayerBlob};
use serde_json::Value;

const PASSWORD: &str = "base-images-password";

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The blobs of an OCI archive by digest (`sha256:…`).
fn archive_blobs(path: &Path) -> std::collections::HashMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(std::fs::File::open(path).unwrap());
    let mut blobs = std::collections::HashMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().display().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let name = name.trim_start_matches("./");
        if let Some(hex) = name.strip_prefix("blobs/sha256/") {
            blobs.insert(format!("sha256:{hex}"), bytes);
        } else if name == "index.json" {
            blobs.insert("index.json".into(), bytes);
        }
    }
    blobs
}

/// An OCI layout holding the first `count` layers of image A as an image of their own.
fn image_a_base(root: &Path, count: usize) -> PathBuf {
    let blobs = archive_blobs(&shared().join("images/prebuilt/image-a/image-a.oci-archive.tar"));
    let json = |digest: &str| -> Value { serde_json::from_slice(&blobs[digest]).unwrap() };
    let index = json("index.json");
    let manifest = json(index["manifests"][0]["digest"].as_str().unwrap());
    let config = json(manifest["config"]["digest"].as_str().unwrap());
    let layers: Vec<LayerBlob> = manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .zip(config["rootfs"]["diff_ids"].as_array().unwrap())
        .take(count)
        .map(|(layer, diff_id)| LayerBlob {
            blob: blobs[layer["digest"].as_str().unwrap()].clone(),
            diff_id: diff_id.as_str().unwrap().to_string(),
        })
        .collect();
    oci_layout(root, &[("latest", layers)])
}

fn upload(url: &str, source: &str, tag: &str) {
    scan_upload(url, PASSWORD, source, tag);
}

/// Runs a client command against the server and parses its JSON answer.
fn client_json(url: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--url", url, "-u", "admin", "-p", PASSWORD, "--json"]);
    let output = plimsoll(&all);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn findings_from_the_base_image_are_marked_inherited() {
    let data = tempfile::tempdir().unwrap();
    let pypi = shared().join("vulndata/osv-pypi");
    let npm = shared().join("vulndata/npm-nodejs-security-wg");
    let server = start_server(
        data.path(),
        &[
            "--feed",
            pypi.to_str().unwrap(),
            "--feed",
            npm.to_str().unwrap(),
        ],
        PASSWORD,
    );
    let url = server.url.as_str();
    let base = image_a_base(&data.path().join("base"), 2);
    upload(url, &format!("oci-dir:{}", base.display()), "corpus/base:1");
    let image_a = shared().join("images/prebuilt/image-a/image-a.oci-archive.tar");
    upload(
        url,
        &format!("oci-archive:{}", image_a.display()),
        "corpus/app:1",
    );
    for tag in ["corpus/base:1", "corpus/app:1"] {
        let waited = client_json(url, &["image", "wait", tag, "--timeout", "60"]);
        assert_eq!(waited[0]["analysis_status"], "analyzed", "{waited}");
    }
    let app = client_json(url, &["image", "get", "corpus/app:1"]);
    let app_digest = app[0]["imageDigest"].as_str().unwrap().to_string();
    let base_record = client_json(url, &["image", "get", "corpus/base:1"]);
    let base_digest = base_record[0]["imageDigest"].as_str().unwrap().to_string();

    // The base is found by its layers; the base has no base of its own.
    let http = reqwest::blocking::Client::new();
    let get = |path: &str| -> Value {
        let response = http
            .get(format!("{url}/{path}"))
            .basic_auth("admin", Some(PASSWORD))
            .send()
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.json().unwrap()
    };
    let ancestors = get(&format!("images/{app_digest}/ancestors"));
    assert_eq!(ancestors.as_array().unwrap().len(), 1, "{ancestors}");
    assert_eq!(ancestors[0]["imageDigest"], base_digest.as_str());
    assert_eq!(ancestors[0]["layer_count"], 2);
    assert_eq!(ancestors[0]["tags"][0], "docker.io/corpus/base:1");
    assert_eq!(
        get(&format!("images/{base_digest}/ancestors")),
        Value::Array(vec![])
    );

    // Python findings come from the base's second layer; lodash's from the app's own npm
    // layer.
    let report = client_json(
        url,
        &["image", "vuln", "corpus/app:1", "all", "--base", "auto"],
    );
    let rows = report["vulnerabilities"].as_array().unwrap();
    assert!(rows.len() >= 9, "{report}");
    for row in rows {
        let python = row["package_type"] == "python";
        assert_eq!(
            row["inherited_from_base"],
            Value::Bool(python),
            "{}",
            row["vuln"]
        );
    }
    assert!(rows.iter().any(|row| row["package_type"] == "npm"));
    let explicit = get(&format!(
        "images/{app_digest}/vuln/all?base_digest={base_digest}"
    ));
    assert_eq!(explicit["vulnerabilities"], report["vulnerabilities"]);
    // Without a comparison nothing is marked either way.
    let plain = get(&format!("images/{app_digest}/vuln/all"));
    assert!(plain["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["inherited_from_base"].is_null()));
    let none = get(&format!("images/{base_digest}/vuln/all?base_digest=auto"));
    assert!(none["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["inherited_from_base"].is_null()));

    // The policy check compares under the same policy and tag: the default bundle's stops
    // on Python findings are inherited, those on npm findings are the app's own.
    let check = get(&format!(
        "images/{app_digest}/check?tag=corpus/app:1&detail=true&base_digest=auto"
    ));
    let evaluation = &check[0][app_digest.as_str()]["docker.io/corpus/app:1"][0];
    let result = &evaluation["detail"]["result"];
    let image_id = result["image_id"].as_str().unwrap();
    let table = &result["result"][image_id]["result"];
    let header = table["header"].as_array().unwrap();
    let column = header.len() - 1;
    assert_eq!(header[column], "Inherited From Base");
    let table_rows = table["rows"].as_array().unwrap();
    assert!(!table_rows.is_empty());
    let vulnerability_rows: Vec<&Value> = table_rows
        .iter()
        .filter(|row| row[3] == "vulnerabilities" && row[4] == "package")
        .collect();
    assert!(vulnerability_rows.len() >= 2, "{table}");
    for row in vulnerability_rows {
        let message = row[5].as_str().unwrap();
        let expected = message.contains("(python)");
        assert_eq!(row[column], Value::Bool(expected), "{message}");
    }

    // The image diff from the base to the app: the npm layer added packages and the
    // lodash finding; the app's later layers removed e2fsprogs and logsave, PyYAML, PyJWT
    // and six.
    let diff = client_json(url, &["image", "diff", "corpus/base:1", "corpus/app:1"]);
    let names = |change: &str| -> Vec<String> {
        diff["packages"][change]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{}:{}",
                    p["type"].as_str().unwrap(),
                    p["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    let added = names("added");
    assert!(added.contains(&"npm:express".to_string()), "{added:?}");
    assert!(
        added.iter().all(|name| name.starts_with("npm:")),
        "{added:?}"
    );
    let mut removed = names("removed");
    removed.sort();
    assert_eq!(
        removed,
        [
            "deb:e2fsprogs",
            "deb:logsave",
            "python:pyjwt",
            "python:pyyaml",
            "python:six"
        ]
    );
    assert_eq!(diff["packages"]["changed"], serde_json::json!([]));
    let new_findings: Vec<&str> = diff["vulnerabilities"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["vuln"].as_str().unwrap())
        .collect();
    assert_eq!(new_findings, ["NSWG-ECO-516"]);
    let fixed_by_removal: Vec<&str> = diff["vulnerabilities"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["vuln"].as_str().unwrap())
        .collect();
    // The base's PyYAML and PyJWT findings went with the packages.
    assert_eq!(fixed_by_removal, ["PYSEC-2021-142", "PYSEC-2022-202"]);
    let output = plimsoll(&[
        "image",
        "diff",
        "corpus/base:1",
        "corpus/app:1",
        "--url",
        url,
        "-u",
        "admin",
        "-p",
        PASSWORD,
    ]);
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("removed") && l.contains("pyyaml")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("added") && l.contains("NSWG-ECO-516")),
        "{table}"
    );

    // An unknown base is a 404.
    let response = http
        .get(format!(
            "{url}/images/{app_digest}/vuln/all?base_digest=sha256:{}",
            "0".repeat(64)
        ))
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .unwrap();
    assert_eq!(response.status(), 404);

    // SIGTERM, as a service manager sends it, stops the server cleanly.
    let mut server = server;
    assert!(server.terminate().success());
}
