//! Shared test helpers: small OCI image layouts built in the test, so that bad-input cases
//! need no fixtures, and `plimsoll server` processes.

#![allow(dead_code, reason = "each test file uses a different part")]

pub mod registry;
pub mod stub;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// One entry of a layer tar, written with raw header fields so tests can write what a
/// well-behaved tar writer would refuse to (`../` names, absolute names).
pub enum Item<'a> {
    File(&'a str, &'a [u8]),
    Symlink(&'a str, &'a str),
    Dir(&'a str),
}

/// An uncompressed layer tar of the given entries.
pub fn layer_tar(items: &[Item<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        let mut header = tar::Header::new_old();
        let (name, kind, data, link): (&str, tar::EntryType, &[u8], Option<&str>) = match item {
            Item::File(name, data) => (name, tar::EntryType::Regular, data, None),
            Item::Symlink(name, target) => (name, tar::EntryType::Symlink, &[], Some(target)),
            Item::Dir(name) => (name, tar::EntryType::Directory, &[], None),
        };
        let bytes = header.as_old_mut();
        bytes.name[..name.len()].copy_from_slice(name.as_bytes());
        if let Some(link) = link {
            bytes.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        header.set_entry_type(kind);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

pub fn sha256(data: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(data)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A layer as stored (`blob`) with the digest of its uncompressed tar.
pub struct LayerBlob {
    pub blob: Vec<u8>,
    pub diff_id: String,
}

impl LayerBlob {
    pub fn gzipped(tar: &[u8]) -> Self {
        LayerBlob {
            blob: gzip(tar),
            diff_id: sha256(tar),
        }
    }
}

fn write_blob(root: &Path, data: &[u8]) -> String {
    let digest = sha256(data);
    let dir = root.join("blobs/sha256");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(digest.trim_start_matches("sha256:")), data).unwrap();
    digest
}

/// Writes an OCI layout with one image per `(tag, layers)` and returns its path.
pub fn oci_layout(root: &Path, images: &[(&str, Vec<LayerBlob>)]) -> PathBuf {
    std::fs::create_dir_all(root).unwrap();
    std::fs::write(
        root.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    let mut descriptors = Vec::new();
    for (tag, layers) in images {
        let diff_ids: Vec<&str> = layers.iter().map(|l| l.diff_id.as_str()).collect();
        let config = serde_json::json!({
            "architecture": "amd64", "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [],
        });
        let config = serde_json::to_vec(&config).unwrap();
        let config_digest = write_blob(root, &config);
        let layer_descriptors: Vec<_> = layers
            .iter()
            .map(|l| {
                let digest = write_blob(root, &l.blob);
                serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": l.blob.len()})
            })
            .collect();
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
            "layers": layer_descriptors,
        });
        let manifest = serde_json::to_vec(&manifest).unwrap();
        let manifest_digest = write_blob(root, &manifest);
        descriptors.push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest, "size": manifest.len(),
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }));
    }
    let index = serde_json::json!({"schemaVersion": 2, "manifests": descriptors});
    std::fs::write(root.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    root.to_path_buf()
}

/// A minimal Debian status database with one installed package.
pub const STATUS: &[u8] =
    b"Package: hello\nStatus: install ok installed\nVersion: 2.10-3\nArchitecture: amd64\n\n";
pub const OS_RELEASE: &[u8] = b"ID=debian\nVERSION_ID=12\n";

/// Runs `plimsoll` with the given arguments.
pub fn plimsoll(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .output()
        .unwrap()
}

/// Asserts a run failed with exit status 2 and an `error:` naming `needle`.
pub fn assert_error(output: &Output, needle: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(2),
        "expected exit 2; stderr: {stderr}"
    );
    let error = stderr.lines().position(|line| line.starts_with("error: "));
    assert!(error.is_some(), "stderr has no `error:` line: {stderr}");
    assert!(
        stderr.contains(needle),
        "stderr does not mention `{needle}`: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "no data on stdout after an error");
    stderr
}

/// A `plimsoll server` process, killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// The API base, `http://127.0.0.1:PORT/v1`.
    pub url: String,
}

impl ServerProcess {
    /// Sends SIGTERM, as a service manager does, and waits (at most 30 s) for the exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `plimsoll server` on a free loopback port with `password` for `admin`, and waits
/// until it listens.
pub fn start_server(data_dir: &Path, extra: &[&str], password: &str) -> ServerProcess {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args([
            "server",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .args(extra)
        .env("PLIMSOLL_ADMIN_PASSWORD", password)
        .env_remove("PLIMSOLL_FEEDS")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let server = ServerProcess {
        child,
        url: format!("http://127.0.0.1:{port}/v1"),
    };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// A blocking client for a test server's API as `admin`: each call answers the status and
/// the body, parsed as JSON where it is JSON.
pub struct Api {
    http: reqwest::blocking::Client,
    url: String,
    password: String,
}

impl Api {
    pub fn new(url: &str, password: &str) -> Api {
        Api {
            http: reqwest::blocking::Client::new(),
            url: url.to_string(),
            password: password.to_string(),
        }
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder) -> (u16, serde_json::Value) {
        let response = request
            .basic_auth("admin", Some(&self.password))
            .send()
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().unwrap();
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, body)
    }

    pub fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(self.http.get(format!("{}/{path}", self.url)))
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        self.send(
            self.http
                .post(format!("{}/{path}", self.url))
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
    }

    pub fn put(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        self.send(
            self.http
                .put(format!("{}/{path}", self.url))
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
    }

    pub fn delete(&self, path: &str) -> u16 {
        self.send(self.http.delete(format!("{}/{path}", self.url)))
            .0
    }
}

/// Scans `source` and uploads it to the server at `url` as `admin`, named `tag`; asserts it
/// worked.
pub fn scan_upload(url: &str, password: &str, source: &str, tag: &str) {
    let output = plimsoll(&[
        "scan",
        source,
        "-q",
        "-o",
        "json=/dev/null",
        "-H",
        url,
        "-u",
        "admin",
        "-p",
        password,
        "--tag",
        tag,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
