//! End to end with the real anchore-cli 0.9.3: a `plimsoll server` process, image A uploaded
//! with `plimsoll scan -H`, and a syft-json made by the real Syft 1.18.1 uploaded through the
//! same import flow; then the commands a pipeline runs, their output and their exit codes.
//!
//! Runs where `PLIMSOLL_ANCHORE_CLI` names the `anchore-cli` program (the test script
//! installs it); the Syft part also needs `PLIMSOLL_SYFT`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::ServerProcess;

use base64::Engine;

const PASSWORD: &str = "e2e-admin-password";

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn image_a() -> PathBuf {
    shared().join("images/prebuilt/image-a/image-a.oci-archive.tar")
}

fn start_server(data_dir: &Path, extra: &[&str]) -> ServerProcess {
    common::start_server(data_dir, extra, PASSWORD)
}

/// Runs anchore-cli against a server; returns (exit code, stdout + stderr).
fn anchore_cli(cli: &Path, url: &str, password: &str, args: &[&str]) -> (i32, String) {
    let output = Command::new(cli)
        .args(args)
        .env("ANCHORE_CLI_URL", url)
        .env("ANCHORE_CLI_USER", "admin")
        .env("ANCHORE_CLI_PASS", password)
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("anchore-cli runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !text.contains("failed to format output"),
        "anchore-cli {args:?} could not read the answer:\n{text}"
    );
    (output.status.code().unwrap_or(-1), text)
}

fn run_ok(cli: &Path, url: &str, args: &[&str], expected: &[&str]) -> String {
    let (code, text) = anchore_cli(cli, url, PASSWORD, args);
    assert_eq!(code, 0, "anchore-cli {args:?}:\n{text}");
    for needle in expected {
        assert!(
            text.contains(needle),
            "anchore-cli {args:?} lacks `{needle}`:\n{text}"
        );
    }
    text
}

fn scan_upload(url: &str, source: &str, tag: &str) -> Output {
    common::plimsoll(&[
        "scan",
        source,
        "-o",
        "json=/dev/null",
        "-H",
        url.trim_end_matches("/v1"),
        "-u",
        "admin",
        "-p",
        PASSWORD,
        "--tag",
        tag,
    ])
}

#[test]
fn anchore_cli_reads_what_plimsoll_uploaded() {
    let Some(cli) = std::env::var_os("PLIMSOLL_ANCHORE_CLI").map(PathBuf::from) else {
        eprintln!("note: PLIMSOLL_ANCHORE_CLI is not set; the anchore-cli flow is not checked");
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let feed = shared().join("vulndata/osv-pypi");
    let server = start_server(data.path(), &["--feed", feed.to_str().unwrap()]);
    let url = server.url.as_str();

    // The upload, with -H given without /v1 as pipelines wrote it for Syft.
    let output = scan_upload(
        url,
        &format!("oci-archive:{}", image_a().display()),
        "corpus/image-a:latest",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let host = url.trim_start_matches("http://").trim_end_matches("/v1");
    assert!(
        stderr.contains(&format!("✔ Uploaded image [{host}]")),
        "{stderr}"
    );

    run_ok(
        &cli,
        url,
        &["system", "status"],
        &["Service analyzer (", "): up", "Engine DB Version: "],
    );
    run_ok(
        &cli,
        url,
        &["system", "wait", "--timeout", "60", "--interval", "1"],
        &["Feed sync: Success."],
    );
    run_ok(
        &cli,
        url,
        &["system", "feeds", "list"],
        &["vulnerabilities", "pypi"],
    );
    let tag = "corpus/image-a:latest";
    run_ok(
        &cli,
        url,
        &["image", "wait", tag, "--timeout", "60", "--interval", "1"],
        &["Analysis Status: analyzed"],
    );
    let get = run_ok(
        &cli,
        url,
        &["image", "get", tag],
        &[
            "Distro: debian",
            "Distro Version: 12",
            "Layer Count: 5",
            "Architecture: amd64",
            "Dockerfile Mode: Guessed",
            "Full Tag: docker.io/corpus/image-a:latest",
        ],
    );
    let digest = get
        .lines()
        .find_map(|line| line.strip_prefix("Image Digest: "))
        .unwrap()
        .trim()
        .to_string();
    run_ok(
        &cli,
        url,
        &["image", "list"],
        &["docker.io/corpus/image-a:latest", &digest, "analyzed"],
    );
    run_ok(
        &cli,
        url,
        &["image", "get", &digest],
        &["Analysis Status: analyzed"],
    );
    run_ok(
        &cli,
        url,
        &["image", "content", tag, "os"],
        &["base-files", "12.4+deb12u"],
    );
    run_ok(
        &cli,
        url,
        &["image", "content", tag, "python"],
        &[
            "urllib3",
            "1.26.4",
            "/usr/local/lib/python3.11/site-packages",
        ],
    );
    run_ok(
        &cli,
        url,
        &["image", "content", tag, "npm"],
        &["express", "4.17.1"],
    );
    run_ok(
        &cli,
        url,
        &["image", "metadata", tag, "manifest"],
        &[
            "Metadata Type: manifest",
            "application/vnd.oci.image.layer.v1.tar+gzip",
        ],
    );
    run_ok(
        &cli,
        url,
        &["image", "metadata", tag, "docker_history"],
        &["pip install --target"],
    );

    // The real findings of image A against the PyPA data: requests, urllib3, idna, ...
    let vulns = run_ok(
        &cli,
        url,
        &["image", "vuln", tag, "all"],
        &[
            "PYSEC-2023-74",
            "requests-2.25.0",
            "urllib3-1.26.4",
            "idna-2.10",
            "CVE-2023-32681",
        ],
    );
    assert!(vulns
        .contains("/usr/local/lib/python3.11/site-packages/requests-2.25.0.dist-info/METADATA"));
    let os = run_ok(&cli, url, &["image", "vuln", tag, "os"], &[]);
    assert!(
        !os.contains("PYSEC-"),
        "python findings are not os findings:\n{os}"
    );
    run_ok(
        &cli,
        url,
        &["image", "vuln", tag, "non-os"],
        &["PYSEC-2023-74"],
    );

    // Policy: the default bundle stops on image A's High findings (exit 1); a bundle that
    // only warns, once activated, passes it (exit 0).
    run_ok(
        &cli,
        url,
        &["policy", "list"],
        &["2c53a13c-1765-11e8-82ef-23527761d060", "True"],
    );
    let (code, text) = anchore_cli(&cli, url, PASSWORD, &["evaluate", "check", tag, "--detail"]);
    assert_eq!(code, 1, "{text}");
    for needle in [
        "Status: fail",
        "Final Action: stop",
        "HIGH Vulnerability found in non-os package type (python)",
        "Dockerfile directive 'HEALTHCHECK' not found",
    ] {
        assert!(
            text.contains(needle),
            "evaluate check lacks `{needle}`:\n{text}"
        );
    }
    // Plimsoll's own client gives the same verdict and exit code.
    let ours = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--url", url, "-u", "admin", "-p", PASSWORD]);
        common::plimsoll(&all)
    };
    let output = ours(&["evaluate", "check", tag, "--detail"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Status: fail") && stdout.contains("vulnerabilities"),
        "{stdout}"
    );

    let bundle = data.path().join("warn-only.json");
    std::fs::write(
        &bundle,
        serde_json::json!({
            "id": "warn-only", "name": "Warn only", "version": "1_0",
            "policies": [{"id": "p1", "version": "1_0", "name": "p1", "rules": [
                {"id": "r1", "gate": "vulnerabilities", "trigger": "package", "action": "WARN",
                 "params": [{"name": "package_type", "value": "all"},
                            {"name": "severity_comparison", "value": ">="},
                            {"name": "severity", "value": "high"}]}]}],
            "whitelists": [],
            "mappings": [{"id": "m1", "name": "all", "registry": "*", "repository": "*",
                          "image": {"type": "tag", "value": "*"}, "policy_ids": ["p1"],
                          "whitelist_ids": []}],
        })
        .to_string(),
    )
    .unwrap();
    run_ok(
        &cli,
        url,
        &["policy", "add", bundle.to_str().unwrap()],
        &["warn-only"],
    );
    run_ok(
        &cli,
        url,
        &["policy", "activate", "warn-only"],
        &["Success: warn-only activated"],
    );
    run_ok(
        &cli,
        url,
        &["evaluate", "check", tag],
        &["Status: pass", "Policy ID: warn-only"],
    );
    let output = ours(&["evaluate", "check", tag]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let output = ours(&["policy", "list"]);
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && listed.contains("warn-only"),
        "{listed}"
    );
    let output = ours(&["policy", "activate", "2c53a13c-1765-11e8-82ef-23527761d060"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = ours(&["evaluate", "check", tag]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the default bundle is active again"
    );
    let output = ours(&["policy", "del", "warn-only"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // A bundle that stops on image A's High vulnerabilities, warns on a metadata rule and on
    // content (the file metadata and password file travelled with the upload), and
    // whitelists one of the two stopping findings: the server's rows are the rows of the
    // same bundle evaluated locally, the whitelisted one marked, and it still stops.
    let store = data.path().join("local.db");
    let output = common::plimsoll(&[
        "db",
        "import",
        "--db",
        store.to_str().unwrap(),
        feed.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let bundle_path = data.path().join("e2e.json");
    let local_evaluation = |extra: &[&str]| {
        let mut args = vec![
            "evaluate".to_string(),
            format!("oci-archive:{}", image_a().display()),
            "--policy".into(),
            bundle_path.display().to_string(),
            "--db".into(),
            store.display().to_string(),
            "-q".into(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::plimsoll(&args)
    };
    let mut bundle = serde_json::json!({
        "id": "e2e", "name": "End to end", "version": "1_0",
        "policies": [{"id": "p1", "version": "1_0", "name": "p1", "rules": [
            {"id": "r1", "gate": "vulnerabilities", "trigger": "package", "action": "STOP",
             "params": [{"name": "package_type", "value": "all"},
                        {"name": "severity_comparison", "value": ">="},
                        {"name": "severity", "value": "high"}]},
            {"id": "r2", "gate": "metadata", "trigger": "attribute", "action": "WARN",
             "params": [{"name": "attribute", "value": "distro"},
                        {"name": "check", "value": "="}, {"name": "value", "value": "debian"}]},
            {"id": "r3", "gate": "passwd_file", "trigger": "blacklist_usernames",
             "action": "WARN", "params": [{"name": "user_names", "value": "root,www-data"}]},
            {"id": "r4", "gate": "files", "trigger": "suid_or_guid_set", "action": "WARN",
             "params": []},
            {"id": "r5", "gate": "files", "trigger": "attribute_match", "action": "WARN",
             "params": [{"name": "filename", "value": "/etc/debian_version"},
                        {"name": "checksum", "value": "0000"},
                        {"name": "checksum_match", "value": "not_equals"}]}]}],
        "whitelists": [{"id": "w1", "name": "Accepted", "version": "1_0", "items": []}],
        "mappings": [{"id": "m1", "name": "all", "registry": "*", "repository": "*",
                      "image": {"type": "tag", "value": "*"}, "policy_ids": ["p1"],
                      "whitelist_ids": ["w1"]}],
    });
    std::fs::write(&bundle_path, bundle.to_string()).unwrap();
    let output = local_evaluation(&["-o", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let response: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let by_tag = response[0].as_object().unwrap().values().next().unwrap();
    let result = &by_tag.as_object().unwrap().values().next().unwrap()[0]["detail"]["result"];
    let image_id = result["image_id"].as_str().unwrap();
    let idna = result["result"][image_id]["result"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row[6] == "stop" && row[5].as_str().unwrap().contains("idna"))
        .expect("a stop row for idna")
        .clone();
    bundle["whitelists"][0]["items"] = serde_json::json!([
        {"id": "accepted-idna", "gate": "vulnerabilities", "trigger_id": idna[2]}
    ]);
    std::fs::write(&bundle_path, bundle.to_string()).unwrap();

    run_ok(
        &cli,
        url,
        &["policy", "add", bundle_path.to_str().unwrap()],
        &["e2e"],
    );
    run_ok(
        &cli,
        url,
        &["policy", "activate", "e2e"],
        &["Success: e2e activated"],
    );
    let (code, remote) = anchore_cli(&cli, url, PASSWORD, &["evaluate", "check", tag, "--detail"]);
    assert_eq!(code, 1, "still stopped by urllib3:\n{remote}");
    let output = local_evaluation(&["--detail"]);
    assert_eq!(output.status.code(), Some(1));
    let local = String::from_utf8_lossy(&output.stdout);
    for text in [&remote, &local.to_string()] {
        for needle in [
            "Status: fail",
            "Final Action: stop",
            "Attribute check for attribute: 'distro' check: '=' check_value: 'debian'",
            "Blacklisted user 'root' found in image's /etc/passwd",
            "Blacklisted user 'www-data' found in image's /etc/passwd",
            "SUID or SGID found set on file /usr/bin/su. Mode: 0o104755",
            "filename=/etc/debian_version and checksum=",
        ] {
            assert!(text.contains(needle), "`{needle}` is missing:\n{text}");
        }
        let idna_row = text
            .lines()
            .find(|line| line.starts_with("vulnerabilities") && line.contains("idna"))
            .unwrap_or_else(|| panic!("no idna row:\n{text}"));
        assert!(
            idna_row.trim_end().ends_with("whitelisted(Accepted)"),
            "{idna_row}"
        );
        let urllib3_row = text
            .lines()
            .find(|line| line.starts_with("vulnerabilities") && line.contains("urllib3"))
            .unwrap_or_else(|| panic!("no urllib3 row:\n{text}"));
        assert!(urllib3_row.trim_end().ends_with("stop"), "{urllib3_row}");
    }
    let gates = ["vulnerabilities", "metadata", "passwd_file", "files"];
    let rows_of = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| gates.iter().any(|gate| line.starts_with(gate)))
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let local_rows = rows_of(&local);
    // Two findings, one metadata row, two users, a dozen set-ID files, one checksum row.
    assert!(local_rows.len() > 15, "{local}");
    assert_eq!(rows_of(&remote), local_rows, "server and local rows differ");
    run_ok(
        &cli,
        url,
        &["image", "content", tag, "files"],
        &["/usr/bin/su", "/etc/debian_version"],
    );
    run_ok(
        &cli,
        url,
        &["policy", "activate", "2c53a13c-1765-11e8-82ef-23527761d060"],
        &["activated"],
    );

    run_ok(
        &cli,
        url,
        &["policy", "describe"],
        &["vulnerabilities", "dockerfile"],
    );

    // Subscriptions: every tag has the four tag-level ones; activate and deactivate one.
    run_ok(
        &cli,
        url,
        &["subscription", "list"],
        &[
            "docker.io/corpus/image-a:latest",
            "analysis_update",
            "vuln_update",
        ],
    );
    run_ok(
        &cli,
        url,
        &[
            "subscription",
            "activate",
            "vuln_update",
            "docker.io/corpus/image-a:latest",
        ],
        &["Success"],
    );
    let listed = run_ok(&cli, url, &["subscription", "list", "--full"], &[]);
    assert!(
        listed
            .lines()
            .any(|line| line.contains("docker.io/corpus/image-a:latest")
                && line.contains("vuln_update")
                && line.contains("True")),
        "{listed}"
    );
    run_ok(
        &cli,
        url,
        &[
            "subscription",
            "deactivate",
            "vuln_update",
            "docker.io/corpus/image-a:latest",
        ],
        &["Success"],
    );

    run_ok(
        &cli,
        url,
        &["account", "whoami"],
        &[
            "Username: admin",
            "AccountName: admin",
            "AccountType: admin",
        ],
    );
    run_ok(
        &cli,
        url,
        &["account", "user", "add", "pipeline", "pipeline-pass"],
        &["Name: pipeline", "Type: native"],
    );

    // Exit codes: 401 is 2, an unknown image 1.
    let (code, text) = anchore_cli(&cli, url, "wrong-password", &["image", "list"]);
    assert_eq!(code, 2, "{text}");
    let (code, text) = anchore_cli(
        &cli,
        url,
        PASSWORD,
        &["image", "vuln", "corpus/nothing:here", "all"],
    );
    assert_eq!(code, 1, "{text}");

    // The same flow with a syft-json that the real Syft 1.18.1 wrote.
    if let Some(syft) = std::env::var_os("PLIMSOLL_SYFT") {
        let converted = Command::new(syft)
            .env("SYFT_CHECK_FOR_APP_UPDATE", "false")
            .args(["scan", "-q", "-o", "syft-json"])
            .arg(format!("oci-archive:{}", image_a().display()))
            .output()
            .unwrap();
        assert!(
            converted.status.success(),
            "{}",
            String::from_utf8_lossy(&converted.stderr)
        );
        let document: serde_json::Value = serde_json::from_slice(&converted.stdout).unwrap();
        let metadata = &document["source"]["metadata"];
        let decode = |field: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(metadata[field].as_str().unwrap())
                .unwrap()
        };
        let client = plimsoll_client::Client::new(url, "admin", PASSWORD).unwrap();
        let upload = plimsoll_client::Upload {
            packages: converted.stdout.clone(),
            manifest: decode("manifest"),
            config: decode("config"),
            dockerfile: None,
            image_content: None,
            tags: vec!["corpus/image-a:from-syft".into()],
            digest: metadata["manifestDigest"].as_str().unwrap().to_string(),
            image_id: metadata["imageID"].as_str().unwrap().to_string(),
            force: false,
        };
        client.upload(&upload).unwrap();
        let tag = "corpus/image-a:from-syft";
        run_ok(
            &cli,
            url,
            &["image", "wait", tag, "--timeout", "60", "--interval", "1"],
            &["Analysis Status: analyzed", "Distro: debian"],
        );
        run_ok(
            &cli,
            url,
            &["image", "content", tag, "python"],
            &["urllib3", "1.26.4"],
        );
        run_ok(
            &cli,
            url,
            &["image", "vuln", tag, "all"],
            &["PYSEC-2023-74", "requests-2.25.0"],
        );
    } else {
        eprintln!("note: PLIMSOLL_SYFT is not set; Syft's upload is not checked");
    }
}

#[test]
fn anchore_cli_exit_codes_for_an_image_not_yet_analyzed() {
    let Some(cli) = std::env::var_os("PLIMSOLL_ANCHORE_CLI").map(PathBuf::from) else {
        eprintln!("note: PLIMSOLL_ANCHORE_CLI is not set; the anchore-cli flow is not checked");
        return;
    };
    // An API-only server has no worker, so the upload stays `not_analyzed`.
    let data = tempfile::tempdir().unwrap();
    let server = start_server(data.path(), &["--role", "api"]);
    let output = scan_upload(
        &server.url,
        &format!("oci-archive:{}", image_a().display()),
        "corpus/waiting:1",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (code, text) = anchore_cli(
        &cli,
        &server.url,
        PASSWORD,
        &["image", "vuln", "corpus/waiting:1", "all"],
    );
    assert_eq!(code, 101, "{text}");
    assert!(text.contains("analysis_status: not_analyzed"), "{text}");
    let (code, text) = anchore_cli(
        &cli,
        &server.url,
        PASSWORD,
        &["image", "get", "corpus/waiting:1"],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Analysis Status: not_analyzed"), "{text}");
}

/// The layer digests of the only image of an OCI archive.
fn oci_archive_layers(archive: &Path) -> Vec<String> {
    let mut members = std::collections::HashMap::new();
    let mut reader = tar::Archive::new(std::fs::File::open(archive).unwrap());
    for entry in reader.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry
            .path()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        if name == "index.json" || entry.size() < 64 << 10 {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            members.insert(name, bytes);
        }
    }
    let json =
        |name: &str| -> serde_json::Value { serde_json::from_slice(&members[name]).unwrap() };
    let blob = |digest: &str| format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"));
    let index = json("index.json");
    let manifest = json(&blob(index["manifests"][0]["digest"].as_str().unwrap()));
    manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|layer| layer["digest"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn anchore_cli_has_the_server_pull_images_from_a_registry() {
    let Some(cli) = std::env::var_os("PLIMSOLL_ANCHORE_CLI").map(PathBuf::from) else {
        eprintln!("note: PLIMSOLL_ANCHORE_CLI is not set; the anchore-cli flow is not checked");
        return;
    };
    let registry_password = "registry-pass-0987";
    let Some(registry) = common::registry::Registry::start(Some(("puller", registry_password)))
    else {
        return;
    };
    let image_c = shared().join("images/prebuilt/image-c/image-c.oci-archive.tar");
    registry.push(
        &format!("oci-archive:{}", image_a().display()),
        "corpus/image-a:1",
        false,
    );
    registry.push(
        &format!("oci-archive:{}", image_a().display()),
        "corpus/image-a:2",
        false,
    );
    registry.push(
        &format!("oci-archive:{}", image_c.display()),
        "corpus/broken:1",
        false,
    );
    let host = registry.address.as_str();
    let data = tempfile::tempdir().unwrap();
    let feed = shared().join("vulndata/osv-pypi");
    let server = start_server(data.path(), &["--feed", feed.to_str().unwrap()]);
    let url = server.url.as_str();
    let tag = format!("{host}/corpus/image-a:1");

    // Wrong credentials fail validation and are not echoed.
    let (code, text) = anchore_cli(
        &cli,
        url,
        PASSWORD,
        &[
            "registry",
            "add",
            host,
            "puller",
            "wrong-pass-4711",
            "--insecure",
        ],
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("cannot validate the registry"), "{text}");
    assert!(!text.contains("wrong-pass-4711"), "{text}");

    // Stored unvalidated, they earn the registry's 401 when an image is added.
    run_ok(
        &cli,
        url,
        &[
            "registry",
            "add",
            host,
            "puller",
            "wrong-pass-4711",
            "--insecure",
            "--skip-validate",
        ],
        &[
            &format!("Registry: {host}"),
            "User: puller",
            "Verify TLS: False",
        ],
    );
    let (code, text) = anchore_cli(&cli, url, PASSWORD, &["image", "add", &tag]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("HTTP 401") && text.contains("were refused"),
        "{text}"
    );
    assert!(!text.contains("wrong-pass-4711"), "{text}");

    run_ok(
        &cli,
        url,
        &[
            "registry",
            "update",
            host,
            "puller",
            registry_password,
            "--insecure",
        ],
        &[&format!("Registry: {host}"), "User: puller"],
    );
    let listed = run_ok(
        &cli,
        url,
        &["--json", "registry", "list"],
        &["\"registry_user\": \"puller\""],
    );
    assert!(!listed.contains(registry_password), "{listed}");
    run_ok(&cli, url, &["registry", "get", host], &["Type: docker_v2"]);

    run_ok(
        &cli,
        url,
        &["image", "add", &tag],
        &["Analysis Status: not_analyzed"],
    );
    run_ok(
        &cli,
        url,
        &["image", "wait", &tag, "--timeout", "120", "--interval", "1"],
        &[
            "Analysis Status: analyzed",
            "Distro: debian",
            "Layer Count: 5",
            &format!("Full Tag: {tag}"),
        ],
    );
    run_ok(
        &cli,
        url,
        &["system", "wait", "--timeout", "60", "--interval", "1"],
        &["Feed sync: Success."],
    );
    run_ok(
        &cli,
        url,
        &["image", "vuln", &tag, "all"],
        &["urllib3-1.26.4", "CVE-2023-32681", "requests-2.25.0"],
    );
    run_ok(
        &cli,
        url,
        &["image", "content", &tag, "npm"],
        &["express", "4.17.1"],
    );
    // The pull inspects file content as `plimsoll scan -H` does for its uploads.
    run_ok(
        &cli,
        url,
        &["image", "content", &tag, "files"],
        &["/etc/passwd"],
    );

    // `repo add` watches a repository: each of its tags is added as `image add` adds one.
    let repository = format!("{host}/corpus/image-a");
    run_ok(
        &cli,
        url,
        &["repo", "add", &repository, "--dryrun"],
        &["DRY RUN: Repository not added", "False"],
    );
    let (_, text) = anchore_cli(&cli, url, PASSWORD, &["repo", "list"]);
    assert!(
        !text.contains(&repository),
        "a dry run adds nothing: {text}"
    );
    run_ok(
        &cli,
        url,
        &["repo", "add", &repository],
        &[&repository, "True", "2"],
    );
    let second = format!("{repository}:2");
    let started = std::time::Instant::now();
    loop {
        let (code, text) = anchore_cli(&cli, url, PASSWORD, &["image", "get", &second]);
        if code == 0 && text.contains("Analysis Status: analyzed") {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 120,
            "the repository's second tag was not added: {text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    run_ok(&cli, url, &["repo", "list"], &[&repository, "2"]);
    run_ok(
        &cli,
        url,
        &["subscription", "list"],
        &[&second, "analysis_update"],
    );
    run_ok(&cli, url, &["repo", "del", &repository], &[]);
    let (code, text) = anchore_cli(
        &cli,
        url,
        PASSWORD,
        &["repo", "add", &format!("{host}/corpus/no-such-repo")],
    );
    assert_ne!(code, 0, "{text}");
    assert!(text.contains("no tags could be added"), "{text}");

    // A layer that fails its digest check during the pull fails the analysis, with why.
    let layers = oci_archive_layers(&image_c);
    let file = registry.blob_file(&layers[0]);
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();
    let broken = format!("{host}/corpus/broken:1");
    run_ok(&cli, url, &["image", "add", &broken], &[]);
    run_ok(
        &cli,
        url,
        &[
            "image",
            "wait",
            &broken,
            "--timeout",
            "120",
            "--interval",
            "1",
        ],
        &["Analysis Status: analysis_failed"],
    );
    let record = run_ok(
        &cli,
        url,
        &["--json", "image", "get", &broken],
        &["analysis_error"],
    );
    assert!(record.contains("does not match its digest"), "{record}");

    run_ok(&cli, url, &["registry", "del", host], &[]);
    let (code, text) = anchore_cli(&cli, url, PASSWORD, &["registry", "get", host]);
    assert_eq!(code, 1, "{text}");
}
