//! A real server on loopback for the API tests, on SQLite and, when
//! `PLIMSOLL_TEST_POSTGRES` names a PostgreSQL server, on a fresh PostgreSQL database too.

#![allow(
    dead_code,
    reason = "each test file uses a different part of this module"
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use plimsoll_server::{RunningServer, Server, ServerConfig};
use serde_json::{json, Value};

pub const ADMIN_PASSWORD: &str = "admin-password";

/// Which databases the tests run on.
pub async fn database_urls(dir: &Path) -> Vec<Option<String>> {
    let mut urls = vec![None];
    if let Some(base) = std::env::var("PLIMSOLL_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
    {
        urls.push(Some(fresh_postgres_database(&base).await));
    } else {
        eprintln!("note: PLIMSOLL_TEST_POSTGRES is not set; these tests ran on SQLite only");
    }
    let _ = dir;
    urls
}

/// Creates an empty database on the server `base` points at and returns its URL.
async fn fresh_postgres_database(base: &str) -> String {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(base)
        .await
        .expect("PostgreSQL is reachable");
    let name = format!("plimsoll_test_{}", uuid_like());
    pool.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("a test database can be created");
    pool.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("a database URL has a path");
    format!("{prefix}/{name}")
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}{:x}", nanos, std::process::id())
}

/// A server under test.
pub struct TestServer {
    pub base: String,
    pub config: ServerConfig,
    running: Option<RunningServer>,
}

impl TestServer {
    pub fn config(data_dir: &Path, database_url: Option<String>) -> ServerConfig {
        let mut config = ServerConfig::new(data_dir);
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.database_url = database_url;
        config.admin_password = Some(ADMIN_PASSWORD.to_string());
        config.workers = 1;
        config.max_upload_bytes = 512 * 1024;
        config.job_lease = Duration::from_secs(2);
        // Sealed secrets on PostgreSQL too, where no key is made by default.
        config.secret_key_file = Some(data_dir.join("secret.key"));
        config
    }

    pub async fn start(config: ServerConfig) -> TestServer {
        let running = Server::start(config.clone())
            .await
            .expect("the server starts");
        let address = running.address.expect("the API listens");
        TestServer {
            base: format!("http://{address}"),
            config,
            running: Some(running),
        }
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/v1/{}", self.base, path.trim_start_matches('/'))
    }
}

/// A client acting as one user.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub user: String,
    pub password: String,
}

impl Api {
    pub fn new(server: &TestServer, user: &str, password: &str) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: format!("{}/v1", server.base),
            user: user.into(),
            password: password.into(),
        }
    }

    pub fn admin(server: &TestServer) -> Api {
        Api::new(server, "admin", ADMIN_PASSWORD)
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request
            .basic_auth(&self.user, Some(&self.password))
            .send()
            .await
            .expect("the request is answered");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = response.bytes().await.unwrap();
        if !bytes.is_empty() {
            assert!(
                content_type.starts_with("application/json"),
                "every body is JSON, got `{content_type}`"
            );
        }
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, body)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.http.get(self.url(path))).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(self.http.delete(self.url(path))).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(
            self.http
                .post(self.url(path))
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    pub async fn post_bytes(&self, path: &str, body: Vec<u8>) -> (u16, Value) {
        self.send(self.http.post(self.url(path)).body(body)).await
    }

    /// Waits until an image reaches `analyzed` or `analysis_failed`.
    pub async fn wait_analyzed(&self, digest: &str) -> Value {
        for _ in 0..200 {
            let (status, body) = self.get(&format!("images/{digest}")).await;
            assert_eq!(status, 200, "{body}");
            let state = body[0]["analysis_status"].as_str().unwrap().to_string();
            if state == "analyzed" || state == "analysis_failed" {
                return body[0].clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("image {digest} was not analyzed within 10 s");
    }
}

/// A syft-json document made by the real Syft 1.18.1, with the manifest and config it
/// carries.
pub struct SyftDocument {
    pub packages: Vec<u8>,
    pub manifest: Vec<u8>,
    pub config: Vec<u8>,
    pub digest: String,
    pub image_id: String,
    pub tags: Vec<String>,
}

pub fn golden(name: &str) -> SyftDocument {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/syft/golden")
        .join(name);
    let packages = std::fs::read(&path).unwrap();
    let document: Value = serde_json::from_slice(&packages).unwrap();
    let metadata = &document["source"]["metadata"];
    let decode = |field: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(metadata[field].as_str().unwrap())
            .unwrap()
    };
    SyftDocument {
        manifest: decode("manifest"),
        config: decode("config"),
        digest: metadata["manifestDigest"].as_str().unwrap().to_string(),
        image_id: metadata["imageID"].as_str().unwrap().to_string(),
        tags: metadata["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect(),
        packages,
    }
}

/// Runs the import flow; returns the operation, the content digests and the answer to
/// `POST /images`.
pub async fn import(api: &Api, document: &SyftDocument) -> (String, Value, (u16, Value)) {
    import_with(api, document, &[]).await
}

/// [`import`] with more contents (`image_content`, `dockerfile`) uploaded beside.
pub async fn import_with(
    api: &Api,
    document: &SyftDocument,
    extra: &[(&str, Vec<u8>)],
) -> (String, Value, (u16, Value)) {
    let (status, operation) = api.post("imports/images", &Value::Null).await;
    assert_eq!(status, 200, "{operation}");
    let uuid = operation["uuid"].as_str().unwrap().to_string();
    let mut contents = serde_json::Map::new();
    let standard = [
        ("packages", &document.packages),
        ("manifest", &document.manifest),
        ("image_config", &document.config),
    ];
    let extra = extra.iter().map(|(kind, body)| (*kind, body));
    for (kind, body) in standard.into_iter().chain(extra) {
        let (status, answer) = api
            .post_bytes(&format!("imports/images/{uuid}/{kind}"), body.clone())
            .await;
        assert_eq!(status, 200, "{answer}");
        contents.insert(kind.into(), answer["digest"].clone());
    }
    let contents = Value::Object(contents);
    let request = json!({"source": {"import": {
        "contents": contents, "tags": document.tags, "digest": document.digest,
        "local_image_id": document.image_id, "operation_uuid": uuid,
    }}});
    let answer = api.post("images?force=false", &request).await;
    (uuid, contents, answer)
}
