//! `plimsoll scan registry:REF` against a real registry on loopback (Debian's
//! `docker-registry`, images pushed with `skopeo`): the packages equal those of the same
//! image read from its archive; basic auth with credentials from flags, the environment
//! and the Docker config file; platform choice from a multi-platform index; and each kind
//! of bad registry answer as a clear error. Hostile behaviour a real registry never shows
//! (unknown manifest types, endless bodies, redirect loops, 403) comes from a scripted
//! stand-in. Skipped, with the reason printed, where the registry programs are not
//! installed (`scripts/test` installs them).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use base64::Engine;
use common::registry::Registry;
use common::stub::{self, Answer};
use common::{assert_error, gzip, layer_tar, sha256, Item, OS_RELEASE};
use serde_json::{json, Value};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn image_d() -> PathBuf {
    shared().join("images/prebuilt/image-d/image-d.oci-archive.tar")
}

fn plimsoll_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plimsoll"));
    command
        .args(args)
        .env_remove("PLIMSOLL_REGISTRY_USERNAME")
        .env_remove("PLIMSOLL_REGISTRY_PASSWORD")
        // No Docker config of the machine's user leaks into the tests.
        .env(
            "DOCKER_CONFIG",
            std::env::temp_dir().join("plimsoll-no-docker-config"),
        );
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// Scans a source to syft-json and returns the document.
fn scan_json(source: &str, extra: &[&str], env: &[(&str, &str)]) -> Value {
    let mut args = vec!["scan", source, "-q", "-o", "json"];
    args.extend_from_slice(extra);
    let output = plimsoll_env(&args, env);
    assert!(
        output.status.success(),
        "scan {source}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

type Key = (String, String, String, String);

fn packages(document: &Value) -> BTreeSet<Key> {
    document["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            (text("type"), text("name"), text("version"), text("purl"))
        })
        .collect()
}

/// The layer digests of the manifest a scan recorded.
fn layer_digests(document: &Value) -> Vec<String> {
    let encoded = document["source"]["metadata"]["manifest"].as_str().unwrap();
    let manifest: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
    )
    .unwrap();
    manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_pulled_image_has_the_packages_of_its_archive_and_bad_pulls_say_why() {
    let Some(registry) = Registry::start(None) else {
        return;
    };
    let archive = format!("oci-archive:{}", image_d().display());
    registry.push(&archive, "corpus/image-d:latest", false);
    let reference = format!("{}/corpus/image-d:latest", registry.address);

    let started = Instant::now();
    let pulled = scan_json(&format!("registry:{reference}"), &["--insecure"], &[]);
    let pull_time = started.elapsed();
    let started = Instant::now();
    let local = scan_json(&archive, &[], &[]);
    let archive_time = started.elapsed();
    eprintln!("image D: registry scan {pull_time:?}, archive scan {archive_time:?}");
    let found = packages(&pulled);
    assert!(found.len() > 10, "{found:?}");
    assert_eq!(
        found,
        packages(&local),
        "the registry and the archive differ"
    );
    assert_eq!(pulled["source"]["name"], reference.as_str());
    assert_eq!(
        pulled["source"]["metadata"]["tags"],
        json!([reference.as_str()])
    );

    // A bare reference (no such file exists) is a registry source too.
    let bare = scan_json(&reference, &["--insecure"], &[]);
    assert_eq!(packages(&bare), found);

    // Plain HTTP only when asked.
    let output = plimsoll_env(&["scan", &format!("registry:{reference}"), "-q"], &[]);
    let stderr = assert_error(&output, "failed to reach the registry");
    assert!(
        stderr.contains("hint: the registry may serve plain HTTP"),
        "{stderr}"
    );

    // A tag and a repository that do not exist.
    let missing = format!("registry:{}/corpus/image-d:nope", registry.address);
    let output = plimsoll_env(&["scan", &missing, "--insecure", "-q"], &[]);
    assert_error(&output, "was not found in the registry");
    assert_error(&output, "MANIFEST_UNKNOWN");

    // With a layer cache, a second scan reads no layer from the registry: it succeeds
    // with the same packages after every layer blob is gone from the registry's storage.
    let cache = tempfile::tempdir().unwrap();
    let cache_flag = [
        "--insecure",
        "--layer-cache",
        cache.path().to_str().unwrap(),
    ];
    let first = scan_json(&format!("registry:{reference}"), &cache_flag, &[]);
    assert_eq!(packages(&first), found);
    let layers = layer_digests(&pulled);
    let moved = tempfile::tempdir().unwrap();
    for (position, digest) in layers.iter().enumerate() {
        std::fs::rename(
            registry.blob_file(digest),
            moved.path().join(position.to_string()),
        )
        .unwrap();
    }
    let started = Instant::now();
    let cached = scan_json(&format!("registry:{reference}"), &cache_flag, &[]);
    eprintln!(
        "image D: registry scan from the layer cache {:?}",
        started.elapsed()
    );
    assert_eq!(packages(&cached), found);
    assert_eq!(
        cached["source"]["metadata"]["layers"],
        pulled["source"]["metadata"]["layers"]
    );
    let output = plimsoll_env(
        &["scan", &format!("registry:{reference}"), "--insecure", "-q"],
        &[],
    );
    assert_error(&output, "BLOB_UNKNOWN");
    for (position, digest) in layers.iter().enumerate() {
        std::fs::rename(
            moved.path().join(position.to_string()),
            registry.blob_file(digest),
        )
        .unwrap();
    }

    // A blob whose stored bytes were changed: the layer fails its digest check even
    // though the change also breaks its compression.
    let file = registry.blob_file(&layers[1]);
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();
    let output = plimsoll_env(
        &["scan", &format!("registry:{reference}"), "--insecure", "-q"],
        &[],
    );
    let stderr = assert_error(&output, "does not match its digest");
    assert!(stderr.contains(&layers[1]), "{stderr}");
}

#[test]
fn basic_auth_credentials_from_flags_environment_and_docker_config() {
    let password = "pa55-w0rd-not-for-logs";
    let Some(registry) = Registry::start(Some(("ci", password))) else {
        return;
    };
    let archive = format!(
        "oci-archive:{}",
        shared()
            .join("images/prebuilt/image-c/image-c.oci-archive.tar")
            .display()
    );
    registry.push(&archive, "private/image-c:1", false);
    let source = format!("registry:{}/private/image-c:1", registry.address);
    let expected = packages(&scan_json(&archive, &[], &[]));

    let output = plimsoll_env(&["scan", &source, "--insecure", "-q"], &[]);
    let stderr = assert_error(&output, "HTTP 401");
    assert!(
        stderr.contains("it needs credentials and none were given"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: give credentials"), "{stderr}");

    let wrong = plimsoll_env(
        &[
            "scan",
            &source,
            "--insecure",
            "-q",
            "--registry-username",
            "ci",
            "--registry-password",
            "wrong-secret-xyz",
        ],
        &[],
    );
    let stderr = assert_error(&wrong, "the credentials of user `ci` were refused");
    assert!(!stderr.contains("wrong-secret-xyz"), "{stderr}");

    let flags = scan_json(
        &source,
        &[
            "--insecure",
            "--registry-username",
            "ci",
            "--registry-password",
            password,
        ],
        &[],
    );
    assert_eq!(packages(&flags), expected);
    let text = serde_json::to_string(&flags).unwrap();
    assert!(!text.contains(password), "the SBOM carries the password");

    let environment = scan_json(
        &source,
        &["--insecure"],
        &[
            ("PLIMSOLL_REGISTRY_USERNAME", "ci"),
            ("PLIMSOLL_REGISTRY_PASSWORD", password),
        ],
    );
    assert_eq!(packages(&environment), expected);

    let config = tempfile::tempdir().unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("ci:{password}"));
    std::fs::write(
        config.path().join("config.json"),
        json!({"auths": {(format!("http://{}", registry.address)): {"auth": auth}}}).to_string(),
    )
    .unwrap();
    let docker_config = scan_json(
        &source,
        &["--insecure"],
        &[("DOCKER_CONFIG", config.path().to_str().unwrap())],
    );
    assert_eq!(packages(&docker_config), expected);
}

/// Writes an OCI layout whose index holds one image per platform, each with its own dpkg
/// status naming a different package.
fn multi_platform_layout(root: &Path) {
    let blobs = root.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let write = |bytes: &[u8]| {
        let digest = sha256(bytes);
        std::fs::write(blobs.join(digest.trim_start_matches("sha256:")), bytes).unwrap();
        digest
    };
    let mut manifests = Vec::new();
    for (architecture, package) in [("amd64", "hello-amd"), ("arm64", "hello-arm")] {
        let status = format!(
            "Package: {package}\nStatus: install ok installed\nVersion: 1.0-1\n\
             Architecture: {architecture}\n\n"
        );
        let tar = layer_tar(&[
            Item::Dir("etc/"),
            Item::File("etc/os-release", OS_RELEASE),
            Item::Dir("var/lib/dpkg/"),
            Item::File("var/lib/dpkg/status", status.as_bytes()),
        ]);
        let layer = gzip(&tar);
        let layer_digest = write(&layer);
        let config = serde_json::to_vec(&json!({
            "architecture": architecture, "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": [sha256(&tar)]},
        }))
        .unwrap();
        let config_digest = write(&config);
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": layer.len()}],
        }))
        .unwrap();
        let manifest_digest = write(&manifest);
        manifests.push(json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest, "size": manifest.len(),
            "platform": {"architecture": architecture, "os": "linux"},
        }));
    }
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": manifests,
    }))
    .unwrap();
    let index_digest = write(&index);
    std::fs::write(
        root.join("index.json"),
        json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": index_digest, "size": index.len(),
            "annotations": {"org.opencontainers.image.ref.name": "multi"},
        }]})
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        root.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
}

#[test]
fn a_multi_platform_index_gives_the_platform_asked_for() {
    let Some(registry) = Registry::start(None) else {
        return;
    };
    let layout = tempfile::tempdir().unwrap();
    multi_platform_layout(layout.path());
    registry.push(
        &format!("oci:{}:multi", layout.path().display()),
        "multi/app:1",
        true,
    );
    let source = format!("registry:{}/multi/app:1", registry.address);
    let names = |document: &Value| -> Vec<String> {
        packages(document).into_iter().map(|key| key.1).collect()
    };

    let arm = scan_json(&source, &["--insecure", "--platform", "linux/arm64"], &[]);
    assert_eq!(names(&arm), ["hello-arm"]);
    assert_eq!(arm["source"]["metadata"]["architecture"], "arm64");
    let amd = scan_json(&source, &["--insecure", "--platform", "linux/amd64"], &[]);
    assert_eq!(names(&amd), ["hello-amd"]);
    let repo_digest = amd["source"]["metadata"]["repoDigests"][0]
        .as_str()
        .unwrap();
    assert!(
        repo_digest.starts_with(&format!("{}/multi/app@sha256:", registry.address)),
        "{repo_digest}"
    );

    let output = plimsoll_env(
        &[
            "scan",
            &source,
            "--insecure",
            "-q",
            "--platform",
            "linux/s390x",
        ],
        &[],
    );
    let stderr = assert_error(&output, "has no image for platform `linux/s390x`");
    assert!(
        stderr.contains("(available: linux/amd64, linux/arm64)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: choose one with `--platform linux/amd64`"),
        "{stderr}"
    );
}

#[test]
fn unreachable_registries_are_clear_errors() {
    let port = common::registry::free_port();
    let output = plimsoll_env(
        &[
            "scan",
            &format!("registry:127.0.0.1:{port}/app:1"),
            "--insecure",
            "-q",
        ],
        &[],
    );
    assert_error(&output, "Connection refused");
    let output = plimsoll_env(&["scan", "registry:no-such-host.invalid/app:1", "-q"], &[]);
    assert_error(
        &output,
        "failed to reach the registry `no-such-host.invalid`",
    );
    let output = plimsoll_env(&["scan", "registry:Not A Reference", "-q"], &[]);
    assert_error(&output, "is not an image reference");
}

/// A one-layer image as a stand-in registry serves it, with a layer descriptor that
/// promises `layer_size` bytes.
fn stub_image(layer_size: u64) -> (String, Vec<u8>, Vec<u8>) {
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [format!("sha256:{}", "0".repeat(64))]},
    }))
    .unwrap();
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": format!("sha256:{}", "1".repeat(64)), "size": layer_size}],
    }))
    .unwrap();
    (sha256(&config), config, manifest)
}

#[test]
fn hostile_registry_answers_are_bounded_and_named() {
    let (config_digest, config, manifest) = stub_image(1000);
    let (_, _, sizeless) = stub_image(0);
    let address = stub::start(move |path| {
        const OCI: &str = "application/vnd.oci.image.manifest.v1+json";
        match path {
            "/v2/" => stub::json(200, "application/json", "{}"),
            "/v2/weird/manifests/1" => stub::json(
                200,
                "application/vnd.example.thing+json",
                r#"{"schemaVersion": 2, "mediaType": "application/vnd.example.thing+json"}"#,
            ),
            "/v2/old/manifests/1" => stub::json(
                200,
                "application/vnd.docker.distribution.manifest.v1+prettyjws",
                r#"{"schemaVersion": 1, "name": "old", "fsLayers": []}"#,
            ),
            "/v2/denied/manifests/1" => stub::json(
                403,
                "application/json",
                r#"{"errors": [{"code": "DENIED", "message": "requested access to the resource is denied"}]}"#,
            ),
            "/v2/nosize/manifests/1" => Answer::Full(
                200,
                vec![("Content-Type".into(), OCI.into())],
                sizeless.clone(),
            ),
            "/v2/huge/manifests/1" => {
                Answer::Endless(200, vec![("Content-Type".into(), OCI.into())])
            }
            path if path.ends_with("/manifests/1") => Answer::Full(
                200,
                vec![("Content-Type".into(), OCI.into())],
                manifest.clone(),
            ),
            path if path.ends_with(&format!("/blobs/{config_digest}")) => {
                Answer::Full(200, Vec::new(), config.clone())
            }
            path if path.starts_with("/v2/endless/blobs/") => Answer::Endless(200, Vec::new()),
            path if path.starts_with("/v2/loop/blobs/") => {
                Answer::Full(302, vec![("Location".into(), path.to_string())], Vec::new())
            }
            _ => stub::json(
                404,
                "application/json",
                r#"{"errors": [{"code": "BLOB_UNKNOWN"}]}"#,
            ),
        }
    });
    let scan = |repository: &str| {
        plimsoll_env(
            &[
                "scan",
                &format!("registry:{address}/{repository}:1"),
                "--insecure",
                "-q",
            ],
            &[],
        )
    };

    assert_error(
        &scan("weird"),
        "has the unsupported media type `application/vnd.example.thing+json`",
    );
    assert_error(&scan("old"), "Docker schema 1 manifests are obsolete");
    assert_error(&scan("denied"), "denied access to `denied` (HTTP 403)");
    assert_error(&scan("huge"), "the manifest is more than");
    assert_error(
        &scan("endless"),
        "is longer than the 1000 bytes its descriptor names",
    );
    assert_error(&scan("loop"), "more than 5 redirects");
    assert_error(&scan("nosize"), "has no size");
}

/// A `plimsoll server` process, killed when dropped.
struct ServerProcess(std::process::Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_subscribed_tag_that_moves_is_pulled_again() {
    let Some(registry) = Registry::start(None) else {
        return;
    };
    let image_c = format!(
        "oci-archive:{}",
        shared()
            .join("images/prebuilt/image-c/image-c.oci-archive.tar")
            .display()
    );
    registry.push(&image_c, "team/app:stable", false);

    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("server.toml");
    std::fs::write(&config, "tag-update-interval-seconds = 1\n").unwrap();
    let port = common::registry::free_port();
    let _server = ServerProcess(
        Command::new(env!("CARGO_BIN_EXE_plimsoll"))
            .args([
                "server",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data.path())
            .arg("--config")
            .arg(&config)
            .env("PLIMSOLL_ADMIN_PASSWORD", "pw")
            .env_remove("PLIMSOLL_FEEDS")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}/v1");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed().as_secs() < 30,
            "the server never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let client = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--url", url.as_str(), "-u", "admin", "-p", "pw"]);
        plimsoll_env(&all, &[])
    };
    let tag = format!("{}/team/app:stable", registry.address);
    let digest_of = |tag: &str| -> (String, String) {
        let output = client(&["image", "get", tag, "--json"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let record: Value = serde_json::from_slice(&output.stdout).unwrap();
        (
            record[0]["imageDigest"].as_str().unwrap().to_string(),
            record[0]["analysis_status"].as_str().unwrap().to_string(),
        )
    };

    let output = client(&["registry", "add", &registry.address, "u", "p", "--insecure"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = client(&["image", "add", &tag]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = client(&["image", "wait", &tag, "--timeout", "60"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (first, status) = digest_of(&tag);
    assert_eq!(status, "analyzed");

    // The tag moves to image D; the watcher finds it, records it and has it analyzed.
    registry.push(
        &format!("oci-archive:{}", image_d().display()),
        "team/app:stable",
        false,
    );
    let started = Instant::now();
    loop {
        let (digest, status) = digest_of(&tag);
        if digest != first && status == "analyzed" {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 60,
            "the moved tag was not analyzed: {digest} {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let output = client(&["image", "content", &tag, "os", "--json"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("libssl3"), "image D's packages: {text}");

    // Watching the repository takes in its other tag; subscriptions and the watch itself
    // are managed from the same CLI.
    registry.push(&image_c, "team/app:old", false);
    let repository = format!("{}/team/app", registry.address);
    let stdout = |output: Output| -> String {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let added = stdout(client(&["repo", "add", &repository, "--noautosubscribe"]));
    assert!(
        added.contains(&repository) && added.contains("True") && added.contains('2'),
        "{added}"
    );
    let old = format!("{repository}:old");
    let started = Instant::now();
    while !client(&["image", "get", &old]).status.success() {
        assert!(
            started.elapsed().as_secs() < 60,
            "the repository's other tag was not added"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let listed = stdout(client(&["subscription", "list", "--full"]));
    let line = listed
        .lines()
        .find(|line| line.contains(&old) && line.contains("tag_update"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(line.contains("False"), "--noautosubscribe: {line}");
    stdout(client(&["subscription", "activate", "tag_update", &old]));
    let listed = stdout(client(&["subscription", "list"]));
    assert!(
        listed.lines().any(|line| line.contains(&old)
            && line.contains("tag_update")
            && line.contains("True")),
        "{listed}"
    );
    let unwatched = stdout(client(&["repo", "unwatch", &repository]));
    assert!(unwatched.contains("False"), "{unwatched}");
    stdout(client(&["repo", "del", &repository]));
    let output = client(&["repo", "get", &repository]);
    assert_eq!(output.status.code(), Some(2));
}
