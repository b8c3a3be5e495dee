//! Subscriptions and webhooks end to end: a receiver on loopback gets image A's
//! `analysis_update` and, after a feed sync adds PyPA advisories that affect it, a
//! `vuln_update` with the findings added; each signed with the webhook's secret. A first
//! delivery answered with 500 is retried; a webhook whose endpoint is down never holds
//! analysis back, and its failures are visible.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{free_port, scan_upload, start_server, Api};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};

const PASSWORD: &str = "notifications-password";
const SECRET: &str = "a-shared-secret-of-some-length";

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// One request the receiver got: its headers (lower-cased names) and body.
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP receiver: answers the first request 500 and the rest 204, and passes
/// each request on.
fn receiver() -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let text = line.trim_end();
                if text.is_empty() {
                    break;
                }
                if let Some((name, value)) = text.split_once(':') {
                    headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
                }
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = if n == 0 {
                "500 Internal Server Error"
            } else {
                "204 No Content"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            if sender.send(Received { headers, body }).is_err() {
                break;
            }
        }
    });
    (url, received)
}

fn signature(body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The next delivered notification of an event type (skipping others), checked for its
/// signature.
fn next_event(received: &mpsc::Receiver<Received>, event: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let request = received
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no `{event}` notification arrived"));
        assert_eq!(
            request.header("x-plimsoll-signature"),
            Some(signature(&request.body).as_str()),
            "a notification is signed with the shared secret"
        );
        if request.header("x-plimsoll-event") == Some(event) {
            return serde_json::from_slice(&request.body).unwrap();
        }
    }
}

#[test]
fn subscribed_tags_get_signed_analysis_and_vulnerability_notifications() {
    let data = tempfile::tempdir().unwrap();
    let feeds = data.path().join("feeds");
    std::fs::create_dir_all(&feeds).unwrap();
    let server = start_server(data.path(), &["--feed", feeds.to_str().unwrap()], PASSWORD);
    let api = Api::new(&server.url, PASSWORD);
    let (hook_url, received) = receiver();
    let (status, hook) = api.post("webhooks", &json!({"url": hook_url, "secret": SECRET}));
    assert_eq!(status, 200, "{hook}");
    assert!(hook.get("secret").is_none(), "the secret is never shown");
    // An endpoint that is down: its notifications fail without holding anything back.
    let down = format!("http://127.0.0.1:{}/hook", free_port());
    let (status, _) = api.post("webhooks", &json!({"url": down, "secret": SECRET}));
    assert_eq!(status, 200);
    let (status, body) = api.post("webhooks", &json!({"url": "ftp://x", "secret": SECRET}));
    assert_eq!(status, 400, "{body}");

    let image = shared().join("images/prebuilt/image-a/image-a.oci-archive.tar");
    scan_upload(
        &server.url,
        PASSWORD,
        &format!("oci-archive:{}", image.display()),
        "corpus/app:1",
    );

    // The four tag-level subscriptions exist; analysis_update is active.
    let (status, subscriptions) = api.get("subscriptions?subscription_key=corpus/app:1");
    assert_eq!(status, 200);
    let active: Vec<(String, bool)> = subscriptions
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["subscription_type"].as_str().unwrap().to_string(),
                s["active"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        active,
        [
            ("analysis_update".to_string(), true),
            ("policy_eval".to_string(), false),
            ("tag_update".to_string(), true),
            ("vuln_update".to_string(), false),
        ]
    );

    let analysed = next_event(&received, "analysis_update");
    assert_eq!(analysed["subscription_key"], "docker.io/corpus/app:1");
    assert_eq!(analysed["data"]["analysis_status"], "analyzed");
    let digest = analysed["image_digest"].as_str().unwrap().to_string();

    // Activate vuln_update as anchore-cli does: look the subscription up, then PUT it.
    let (_, found) = api
        .get("subscriptions?subscription_key=docker.io/corpus/app:1&subscription_type=vuln_update");
    let id = found[0]["subscription_id"].as_str().unwrap().to_string();
    let (status, updated) = api.put(
        &format!("subscriptions/{id}"),
        &json!({"active": true, "subscription_key": "docker.io/corpus/app:1",
                "subscription_type": "vuln_update"}),
    );
    assert_eq!((status, updated[0]["active"].clone()), (200, json!(true)));

    // New advisories arrive with a feed sync; re-matching finds them in the stored image.
    let source = shared().join("vulndata/osv-pypi/subset");
    copy_tree(&source, &feeds.join("pypi"));
    let (status, synced) = api.post("system/feeds", &Value::Null);
    assert_eq!(status, 200, "{synced}");
    let changed = next_event(&received, "vuln_update");
    assert_eq!(changed["image_digest"], digest.as_str());
    let added: Vec<&str> = changed["data"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["vuln"].as_str().unwrap())
        .collect();
    assert!(added.contains(&"PYSEC-2024-60"), "{changed}");
    assert_eq!(changed["data"]["removed"], json!([]));

    // Delivery state is visible: the 500 was retried until delivered, the dead endpoint
    // keeps failing with its reason.
    let started = Instant::now();
    loop {
        let (_, notifications) = api.get("notifications");
        let listed = notifications.as_array().unwrap();
        let retried = listed.iter().any(|n| {
            n["webhook_id"] == hook["webhook_id"] && n["state"] == "delivered" && n["attempts"] == 2
        });
        let failing = listed.iter().any(|n| {
            n["webhook_id"] != hook["webhook_id"]
                && n["state"] == "pending"
                && n["attempts"].as_i64() >= Some(1)
                && n["last_error"]
                    .as_str()
                    .is_some_and(|e| e.contains("delivery failed"))
        });
        if retried && failing {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{notifications}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // A tag's policy result that changes (the default bundle stops on the new findings; a
    // bundle that only warns passes) is a policy_eval notification.
    let (_, found) = api
        .get("subscriptions?subscription_key=docker.io/corpus/app:1&subscription_type=policy_eval");
    let id = found[0]["subscription_id"].as_str().unwrap().to_string();
    let (status, _) = api.put(&format!("subscriptions/{id}"), &json!({"active": true}));
    assert_eq!(status, 200);
    let check = format!("images/{digest}/check?tag=corpus/app:1");
    let (status, first) = api.get(&check);
    assert_eq!(status, 200, "{first}");
    let warn_only = json!({"id": "warn-only", "version": "1_0", "name": "warn", "whitelists": [],
        "policies": [{"id": "p", "version": "1_0", "rules": [
            {"id": "r1", "gate": "always", "trigger": "always", "action": "WARN", "params": []}]}],
        "mappings": [{"id": "m", "name": "m", "registry": "*", "repository": "*",
            "image": {"type": "tag", "value": "*"}, "policy_ids": ["p"], "whitelist_ids": []}]});
    let (status, mut record) = api.post("policies", &warn_only);
    assert_eq!(status, 200, "{record}");
    record["active"] = json!(true);
    let (status, _) = api.put("policies/warn-only", &record);
    assert_eq!(status, 200);
    let (status, second) = api.get(&check);
    assert_eq!(status, 200, "{second}");
    let changed = next_event(&received, "policy_eval");
    assert_eq!(changed["subscription_key"], "docker.io/corpus/app:1");
    assert_eq!(
        changed["data"],
        json!({"previous_status": "fail", "status": "pass"})
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
