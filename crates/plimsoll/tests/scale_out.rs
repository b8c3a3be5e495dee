//! The scale-out fault test: two `--role api` and two `--role worker` processes of the real
//! binary on one fresh PostgreSQL database, a few hundred uploads of distinct images from
//! concurrent clients over loopback; one worker killed with SIGKILL while it holds a job and
//! started again, then the other frozen past its lease while it holds a job and let go
//! after another worker finished that job. Every image must end `analyzed`, analyzed exactly
//! once, none lost, and the queue must drain.
//!
//! Runs where `PLIMSOLL_TEST_POSTGRES` names a PostgreSQL server (the test script sets it);
//! it makes its own database there and drops it at the end.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use plimsoll_client::{Client, Upload};
use serde_json::{json, Value};
use sqlx::{Executor, Row};

const PASSWORD: &str = "fault-test-admin-password";
/// Uploads, each of a distinct image.
const IMAGES: usize = 300;
/// Concurrent upload clients.
const CLIENTS: usize = 6;
/// Short, so the killed worker's jobs are taken over quickly.
const LEASE_SECONDS: &str = "2";

/// A server process, killed (SIGKILL) when dropped.
struct Process {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Process {
    fn start(dir: &Path, name: &str, role: &str, database: &str) -> Process {
        Process::start_with(dir, name, &["--role", role, "--database", database])
    }

    fn start_with(dir: &Path, name: &str, args: &[&str]) -> Process {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data_dir = dir.join(name);
        std::fs::create_dir_all(&data_dir).unwrap();
        // A restarted process appends to the log of the one before it.
        let log = dir.join(format!("{name}.log"));
        let stderr = File::options()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
            .arg("server")
            .args(args)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--workers", "2", "--job-lease-seconds", LEASE_SECONDS])
            .args(["--database-pool-size", "4"])
            .env("PLIMSOLL_ADMIN_PASSWORD", PASSWORD)
            .env("PLIMSOLL_LOG", "info")
            .env_remove("PLIMSOLL_CONFIG")
            .env_remove("PLIMSOLL_FEEDS")
            .env_remove("PLIMSOLL_DATABASE_URL")
            .env_remove("PLIMSOLL_ROLE")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("the server starts");
        Process { child, port, log }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// Waits until `/ready` answers 200: the database answers and carries the schema.
    fn wait_ready(&mut self) {
        let client = Client::new(&self.url(), "admin", PASSWORD).unwrap();
        let started = Instant::now();
        while client.get("ready").is_err() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("a server exited with {status}:\n{}", self.log_tail());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "a server was not ready within 30 s:\n{}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // `Child::kill` sends SIGKILL on Unix.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The golden syft-json of a real image, varied per upload: a package of its own and its
/// own digests and tag, so each upload is a distinct image with a distinct analysis.
struct Template {
    document: Value,
    manifest: Vec<u8>,
    config: Vec<u8>,
}

impl Template {
    fn load() -> Template {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/syft/golden/img-wh-img-squashed.json");
        let document: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let metadata = &document["source"]["metadata"];
        let decode = |field: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(metadata[field].as_str().unwrap())
                .unwrap()
        };
        Template {
            manifest: decode("manifest"),
            config: decode("config"),
            document,
        }
    }

    fn upload(&self, index: usize) -> Upload {
        let mut document = self.document.clone();
        let mut package = document["artifacts"][0].clone();
        let name = format!("fault-test-{index}");
        let version = format!("1.0-{index}");
        package["id"] = json!(format!("{index:016x}"));
        package["name"] = json!(name);
        package["version"] = json!(version);
        package["cpes"] = json!([]);
        package["purl"] = json!(format!(
            "pkg:deb/debian/{name}@{version}?arch=amd64&distro=debian-12"
        ));
        package["metadata"]["package"] = json!(name);
        package["metadata"]["version"] = json!(version);
        package["metadata"]["source"] = json!("");
        document["artifacts"].as_array_mut().unwrap().push(package);
        Upload {
            packages: serde_json::to_vec(&document).unwrap(),
            manifest: self.manifest.clone(),
            config: self.config.clone(),
            dockerfile: None,
            image_content: None,
            tags: vec![format!("docker.io/fault/image-{index}:latest")],
            digest: image_digest(index),
            image_id: format!("{:064x}", 0xfeed_0000_0000_u64 + index as u64),
            force: false,
        }
    }
}

fn image_digest(index: usize) -> String {
    format!("sha256:{:064x}", index + 1)
}

/// Sends a signal to a process (`kill -STOP`, `kill -CONT`).
fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} {pid} failed");
}

/// Creates an empty database on the server `base` points at; returns its URL and name.
async fn fresh_database(base: &str) -> (String, String) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(base)
        .await
        .expect("PostgreSQL is reachable");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("plimsoll_test_{nanos:x}{:x}", std::process::id());
    pool.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("a test database can be created");
    pool.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("a database URL has a path");
    (format!("{prefix}/{name}"), name)
}

/// What the database says about the run.
#[derive(Debug)]
struct Tally {
    images: usize,
    analyzed: usize,
    /// Images whose completed analyses are not exactly one: (digest, status, analyses).
    not_once: Vec<(String, String, i64)>,
    jobs: i64,
    incomplete_imports: i64,
}

async fn tally(pool: &sqlx::AnyPool) -> Tally {
    let rows = sqlx::query("SELECT digest, analysis_status, analyses FROM images")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut tally = Tally {
        images: rows.len(),
        analyzed: 0,
        not_once: Vec::new(),
        jobs: 0,
        incomplete_imports: 0,
    };
    for row in rows {
        let digest: String = row.get(0);
        let status: String = row.get(1);
        let analyses: i64 = row.get(2);
        if status == "analyzed" {
            tally.analyzed += 1;
        }
        if analyses != 1 {
            tally.not_once.push((digest, status, analyses));
        }
    }
    let count = |sql: &'static str| async move {
        sqlx::query(sql)
            .fetch_one(pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    tally.jobs = count("SELECT COUNT(*) FROM jobs").await;
    tally.incomplete_imports =
        count("SELECT COUNT(*) FROM imports WHERE status <> 'complete'").await;
    tally
}

#[test]
fn killed_worker_loses_no_image_and_none_is_analyzed_twice() {
    let Some(base) = std::env::var("PLIMSOLL_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        eprintln!("skipped: PLIMSOLL_TEST_POSTGRES is not set, and this test needs PostgreSQL");
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (database, name) = runtime.block_on(fresh_database(&base));
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();

    // All four start at once on the empty database: one migrates, the others wait.
    let mut apis = vec![
        Process::start(dir.path(), "api-1", "api", &database),
        Process::start(dir.path(), "api-2", "api", &database),
    ];
    let mut workers = vec![
        Process::start(dir.path(), "worker-1", "worker", &database),
        Process::start(dir.path(), "worker-2", "worker", &database),
    ];
    for process in apis.iter_mut().chain(workers.iter_mut()) {
        process.wait_ready();
    }

    // Concurrent clients, alternating between the two API processes.
    let template = Arc::new(Template::load());
    let uploaded = Arc::new(AtomicUsize::new(0));
    let urls: Vec<String> = apis.iter().map(Process::url).collect();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (template, uploaded) = (template.clone(), uploaded.clone());
            let client_for = urls.clone();
            std::thread::spawn(move || {
                for index in (client..IMAGES).step_by(CLIENTS) {
                    let url = &client_for[index % client_for.len()];
                    let api = Client::new(url, "admin", PASSWORD).unwrap();
                    let answer = api
                        .upload(&template.upload(index))
                        .unwrap_or_else(|error| panic!("upload {index} failed: {error}"));
                    assert_eq!(answer[0]["imageDigest"], image_digest(index), "{answer}");
                    uploaded.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    // A quarter of the way in, one worker dies without warning while it holds a job: it is
    // frozen (SIGSTOP) as soon as the queue shows it holding one, the job is confirmed
    // still held, and the process is killed (SIGKILL). It comes back shortly after.
    while uploaded.load(Ordering::SeqCst) < IMAGES / 4 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let pool = runtime.block_on(async {
        sqlx::any::AnyPoolOptions::new()
            .max_connections(2)
            .connect(&database)
            .await
            .unwrap()
    });
    let held_job = |pid: u32, id: Option<&str>| -> Option<(String, String)> {
        let held = format!(
            "SELECT id, subject FROM jobs WHERE state = 'running' AND claimed_by LIKE '%/{pid}/%'"
        );
        runtime.block_on(async {
            let rows = sqlx::query(&held).fetch_all(&pool).await.unwrap();
            rows.iter()
                .map(|row| (row.get::<String, _>(0), row.get::<String, _>(1)))
                .find(|(job, _)| id.is_none_or(|id| id == job))
        })
    };
    let job_exists = |id: &str| -> bool {
        runtime.block_on(async {
            sqlx::query("SELECT id FROM jobs WHERE id = $1")
                .bind(id)
                .fetch_optional(&pool)
                .await
                .unwrap()
                .is_some()
        })
    };
    // Whether no open transaction holds the job's row (a worker frozen while it records a
    // job's results holds it until it wakes: that is not the case under test).
    let row_free = |id: &str| -> bool {
        runtime.block_on(async {
            let mut transaction = pool.begin().await.unwrap();
            let free = sqlx::query("SELECT id FROM jobs WHERE id = $1 FOR UPDATE NOWAIT")
                .bind(id)
                .fetch_optional(&mut *transaction)
                .await
                .is_ok();
            transaction.rollback().await.unwrap();
            free
        })
    };
    // Freezes a worker process (SIGSTOP) at a moment the queue shows it holding a job
    // between its claim and the recording of its results; returns that job and its image.
    let freeze_holding = |pid: u32| -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            assert!(
                Instant::now() < deadline,
                "worker {pid} was never seen holding a job"
            );
            let Some((job, _)) = held_job(pid, None) else {
                continue;
            };
            signal(pid, "STOP");
            if let Some(held) = held_job(pid, Some(&job)).filter(|(id, _)| row_free(id)) {
                return held;
            }
            signal(pid, "CONT");
        }
    };
    let (stranded_job, stranded_image) = freeze_holding(workers[0].child.id());
    let killed = workers.remove(0);
    drop(killed);
    eprintln!(
        "killed worker-1 with SIGKILL after {} uploads, holding job {stranded_job} for {stranded_image}",
        uploaded.load(Ordering::SeqCst)
    );
    std::thread::sleep(Duration::from_millis(500));
    let mut restarted = Process::start(dir.path(), "worker-1", "worker", &database);
    restarted.wait_ready();
    workers.push(restarted);

    // The other worker stalls (SIGSTOP) holding a job past its lease; the restarted worker
    // takes the job over and finishes it; then the stalled one resumes. Its results must
    // be dropped, not recorded a second time.
    let pid = workers[0].child.id();
    let (stalled_job, stalled_image) = freeze_holding(pid);
    let deadline = Instant::now() + Duration::from_secs(20);
    while held_job(pid, Some(&stalled_job)).is_some() || job_exists(&stalled_job) {
        assert!(
            Instant::now() < deadline,
            "no worker took over job {stalled_job} from the stalled worker"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(pid, "CONT");
    eprintln!("worker-2 stalled past its lease holding job {stalled_job} for {stalled_image}; another worker finished it");

    for client in clients {
        client.join().expect("every upload succeeds");
    }
    let uploads_done = started.elapsed();

    // The queue drains: every image analyzed, once; nothing left queued or running.
    let deadline = Instant::now() + Duration::from_secs(60);
    let tally = loop {
        let tally = runtime.block_on(tally(&pool));
        let drained = tally.analyzed == IMAGES && tally.jobs == 0;
        if drained || Instant::now() > deadline {
            break tally;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    eprintln!(
        "{IMAGES} uploads in {:.1} s; drained {:.1} s after the start: {tally:?}",
        uploads_done.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let logs = || {
        workers
            .iter()
            .map(|w| format!("--- {}\n{}", w.log.display(), w.log_tail()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(tally.images, IMAGES, "images lost:\n{}", logs());
    assert_eq!(tally.analyzed, IMAGES, "not all analyzed:\n{}", logs());
    assert!(
        tally.not_once.is_empty(),
        "images not analyzed exactly once: {:?}",
        tally.not_once
    );
    assert_eq!(tally.jobs, 0, "the queue did not drain:\n{}", logs());
    assert_eq!(tally.incomplete_imports, 0, "import operations left open");
    for image in [&stranded_image, &stalled_image] {
        let (status, analyses): (String, i64) = runtime.block_on(async {
            let row = sqlx::query("SELECT analysis_status, analyses FROM images WHERE digest = $1")
                .bind(image)
                .fetch_one(&pool)
                .await
                .unwrap();
            (row.get(0), row.get(1))
        });
        assert_eq!((status.as_str(), analyses), ("analyzed", 1), "{image}");
    }

    // Both API processes see every image, analyzed.
    for url in &urls {
        let api = Client::new(url, "admin", PASSWORD).unwrap();
        let images = api.get("images").unwrap();
        let images = images.as_array().unwrap();
        assert_eq!(images.len(), IMAGES);
        assert!(images
            .iter()
            .all(|image| image["analysis_status"] == "analyzed"));
    }

    drop(apis);
    drop(workers);
    runtime.block_on(async {
        pool.close().await;
        let admin = sqlx::AnyPool::connect(&base).await.unwrap();
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
            .await;
        admin.close().await;
    });
}

#[test]
fn json_logs_are_one_object_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::start_with(dir.path(), "json", &["--log-format", "json"]);
    server.wait_ready();
    let client = Client::new(&server.url(), "admin", PASSWORD).unwrap();
    client.get("images").unwrap();
    drop(client);

    // Each line a JSON object; the request's event carries its fields, and no password.
    let deadline = Instant::now() + Duration::from_secs(10);
    let request = loop {
        let text = std::fs::read_to_string(&server.log).unwrap();
        let events: Vec<Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("`{line}`: {e}")))
            .collect();
        assert!(!text.contains(PASSWORD));
        let found = events
            .into_iter()
            .find(|event| event["message"] == "request" && event["http.path"] == "/v1/images");
        if let Some(event) = found {
            break event;
        }
        assert!(Instant::now() < deadline, "no request event in:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(request["level"], "INFO", "{request}");
    assert_eq!(request["http.method"], "GET", "{request}");
    assert_eq!(request["http.status"], 200, "{request}");
    assert!(request["duration_ms"].is_u64(), "{request}");
    drop(server);
}
