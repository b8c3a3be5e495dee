//! A real registry on loopback for tests: Debian's `docker-registry` (the distribution
//! project's registry) with filesystem storage in a temporary folder, optionally behind
//! htpasswd basic auth, and `skopeo` to push images into it.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running registry, stopped when dropped.
pub struct Registry {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    /// Basic-auth user and password, when the registry asks for them.
    pub credentials: Option<(String, String)>,
    dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where a program is on `PATH`.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Why the registry tests cannot run here, if they cannot: a missing program.
pub fn missing_tools(with_auth: bool) -> Option<String> {
    let mut needed = vec!["docker-registry", "skopeo"];
    if with_auth {
        needed.push("htpasswd");
    }
    let missing: Vec<&str> = needed
        .into_iter()
        .filter(|name| find_program(name).is_none())
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "skipped: {} not installed (apt-get install docker-registry skopeo apache2-utils)",
            missing.join(", ")
        )
    })
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Registry {
    /// Starts a registry, with basic auth for `user`/`password` when given. `None` (with
    /// the reason printed) when the programs are not installed.
    pub fn start(auth: Option<(&str, &str)>) -> Option<Registry> {
        if let Some(reason) = missing_tools(auth.is_some()) {
            eprintln!("{reason}");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let address = format!("127.0.0.1:{port}");
        let storage = dir.path().join("storage");
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: {address}\n",
            storage.display()
        );
        if let Some((user, password)) = auth {
            let output = Command::new("htpasswd")
                .args(["-Bbn", user, password])
                .output()
                .unwrap();
            assert!(output.status.success(), "htpasswd failed");
            let file = dir.path().join("htpasswd");
            std::fs::write(&file, output.stdout).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: plimsoll-test\n    path: {}\n",
                file.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("docker-registry starts");
        let registry = Registry {
            child,
            address,
            credentials: auth.map(|(u, p)| (u.to_string(), p.to_string())),
            dir,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the registry never listened: {}",
                std::fs::read_to_string(registry.dir.path().join("registry.log"))
                    .unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(registry)
    }

    /// Copies an image into the registry with skopeo: `source` in skopeo's transport syntax
    /// (`docker-archive:PATH`, `oci:DIR:TAG`), `name` as `REPO:TAG`; `all` copies every
    /// platform of an index.
    pub fn push(&self, source: &str, name: &str, all: bool) {
        let mut command = Command::new("skopeo");
        command.args([
            "--insecure-policy",
            "copy",
            "--quiet",
            "--dest-tls-verify=false",
        ]);
        if all {
            command.arg("--all");
        }
        if let Some((user, password)) = &self.credentials {
            command.arg(format!("--dest-creds={user}:{password}"));
        }
        let output = command
            .arg(source)
            .arg(format!("docker://{}/{name}", self.address))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "skopeo copy {source} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// The file a blob is stored in, for corrupting it.
    pub fn blob_file(&self, digest: &str) -> PathBuf {
        let hex = digest.trim_start_matches("sha256:");
        self.dir
            .path()
            .join("storage/docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}
