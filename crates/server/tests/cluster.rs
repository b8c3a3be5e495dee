//! Several servers on one database, over real HTTP: vulnerability data synced by one process
//! reaches the workers of another through the database (PostgreSQL), whose jobs wake them
//! (NOTIFY), re-matching follows a second sync, and `/metrics` reports requests, the queue and analyses. On SQLite the same
//! checks run in the one embedded process.

mod common;

use std::path::Path;

use common::{golden, import, Api, TestServer};
use plimsoll_server::Role;
use serde_json::{json, Value};

/// An OSV advisory against Debian 12's `pyyaml` source package, which the golden image's
/// `python3-yaml 6.0-3+b2` comes from.
fn advisory(id: &str) -> Value {
    json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2026-01-01T00:00:00Z",
        "summary": "a test advisory",
        "affected": [{
            "package": {"ecosystem": "Debian:12", "name": "pyyaml"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "6.0-4"}]}],
        }],
    })
}

fn write_feed(dir: &Path, ids: &[&str]) {
    for id in ids {
        std::fs::write(dir.join(format!("{id}.json")), advisory(id).to_string()).unwrap();
    }
}

async fn vulnerability_ids(api: &Api, digest: &str) -> Vec<String> {
    let (status, body) = api.get(&format!("images/{digest}/vuln/all")).await;
    assert_eq!(status, 200, "{body}");
    let mut ids: Vec<String> = body["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["vuln"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

async fn sync_feeds(api: &Api) {
    let (status, body) = api.post("system/feeds", &Value::Null).await;
    assert_eq!(status, 200, "{body}");
}

/// Waits until the image's report lists exactly `expected` (re-matching is queued work).
async fn wait_for_vulnerabilities(api: &Api, digest: &str, expected: &[&str]) {
    let mut seen = Vec::new();
    for _ in 0..200 {
        seen = vulnerability_ids(api, digest).await;
        if seen == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("image {digest} lists {seen:?}, not {expected:?}");
}

#[tokio::test]
async fn feed_data_synced_by_one_process_reaches_the_workers_of_another() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let feed = tempfile::tempdir().unwrap();
        write_feed(feed.path(), &["PLIMSOLL-TEST-1"]);
        let shared = database.is_some();

        // Scaled out: an API process that syncs the feed, and a worker process that has no
        // feed configured and its own data directory. Embedded: one process does both.
        let api_data = tempfile::tempdir().unwrap();
        let mut config = TestServer::config(api_data.path(), database.clone());
        config.feeds = vec![feed.path().display().to_string()];
        config.feed_sync_interval = std::time::Duration::ZERO;
        if shared {
            config.role = Role::Api;
        }
        let api_server = TestServer::start(config).await;
        let worker_data = tempfile::tempdir().unwrap();
        let worker = if shared {
            let mut config = TestServer::config(worker_data.path(), database.clone());
            config.role = Role::Worker;
            // The worker hears of queued jobs through PostgreSQL's NOTIFY: were it to wait
            // for its next look at the queue, nothing below would finish in time.
            config.idle_poll = std::time::Duration::from_secs(600);
            Some(TestServer::start(config).await)
        } else {
            None
        };
        let admin = Api::admin(&api_server);

        sync_feeds(&admin).await;
        let document = golden("img-wh-img-squashed.json");
        let (_, _, (status, answer)) = import(&admin, &document).await;
        assert_eq!(status, 200, "{answer}");
        let image = admin.wait_analyzed(&document.digest).await;
        assert_eq!(image["analysis_status"], "analyzed");
        assert_eq!(
            vulnerability_ids(&admin, &document.digest).await,
            ["PLIMSOLL-TEST-1"]
        );

        // A second sync adds an advisory; the stored image is re-matched against it.
        write_feed(feed.path(), &["PLIMSOLL-TEST-2"]);
        sync_feeds(&admin).await;
        wait_for_vulnerabilities(
            &admin,
            &document.digest,
            &["PLIMSOLL-TEST-1", "PLIMSOLL-TEST-2"],
        )
        .await;

        if let Some(worker) = worker {
            // The worker's data directory holds the store it fetched from the database.
            let fetched = std::fs::read_dir(worker_data.path())
                .unwrap()
                .filter_map(Result::ok)
                .any(|entry| {
                    entry
                        .file_name()
                        .to_string_lossy()
                        .starts_with("vulnerabilities-")
                });
            assert!(fetched, "the worker fetched no vulnerability store");
            worker.stop().await;
        }
        api_server.stop().await;
    }
}

/// `GET /metrics` as text, without credentials.
async fn metrics(server: &TestServer) -> String {
    let response = reqwest::get(server.url("metrics")).await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    response.text().await.unwrap()
}

/// The value of one series, by its whole name and labels as exposed.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.trim().parse().unwrap())
}

#[tokio::test]
async fn metrics_report_requests_the_queue_and_analyses() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        // An API process alone first: the upload's job waits in the queue.
        let data = tempfile::tempdir().unwrap();
        let mut config = TestServer::config(data.path(), database.clone());
        config.role = Role::Api;
        let server = TestServer::start(config.clone()).await;
        let admin = Api::admin(&server);
        let document = golden("img-wh-img-squashed.json");
        let (_, _, (status, _)) = import(&admin, &document).await;
        assert_eq!(status, 200);

        let text = metrics(&server).await;
        assert!(text.ends_with("# EOF\n"), "{text}");
        let queued = r#"plimsoll_queue_jobs{kind="analyze",state="queued"}"#;
        assert_eq!(sample(&text, queued), Some(1.0), "{text}");
        let added = r#"plimsoll_http_requests_total{method="POST",route="/images",status="200"}"#;
        assert_eq!(sample(&text, added), Some(1.0), "{text}");
        let route = r#"plimsoll_http_requests_total{method="POST",route="/imports/images/{operation}/{content_type}",status="200"}"#;
        assert_eq!(sample(&text, route), Some(3.0), "{text}");
        assert_eq!(
            sample(&text, "plimsoll_feed_last_sync_timestamp_seconds"),
            Some(0.0)
        );
        server.stop().await;

        // With a worker the queue drains and the analysis is timed.
        config.role = Role::All;
        let server = TestServer::start(config).await;
        let admin = Api::admin(&server);
        admin.wait_analyzed(&document.digest).await;
        let (status, _) = admin.get("images/sha256:0000/vuln/all").await;
        assert_eq!(status, 404);
        let text = metrics(&server).await;
        assert_eq!(sample(&text, queued), Some(0.0), "{text}");
        assert_eq!(
            sample(&text, "plimsoll_analysis_duration_seconds_count"),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            sample(&text, r#"plimsoll_jobs_completed_total{kind="analyze"}"#),
            Some(1.0),
            "{text}"
        );
        let missing = r#"plimsoll_http_requests_total{method="GET",route="/images/{digest}/vuln/{vtype}",status="404"}"#;
        assert_eq!(sample(&text, missing), Some(1.0), "{text}");
        server.stop().await;
    }
}
