//! Analysis: a worker claims a job, reads the uploaded SBOM, manifest and config, works out
//! the image's facts, matches its packages against the vulnerability store, and records the
//! results. Re-matching after a feed sync runs the matching step alone.

pub mod content;
mod pull;
pub mod vulnerabilities;

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use plimsoll_model::{ImageContent, Package, RelationshipType, Sbom};
use plimsoll_vulndb::match_packages;
use serde_json::Value;

use crate::corrections;
use crate::notifications;
use crate::routes::account_corrections;
use crate::server::AppState;
use crate::store::{document_kind, AnalysisFacts, Job, JobKind, JOBS_CHANNEL};
use crate::ServerError;

/// How long an idle worker waits for a wake-up while PostgreSQL announces queued jobs:
/// looking at the queue is then only a safety net.
const LISTENING_POLL: Duration = Duration::from_secs(5);

/// How long an idle worker waits before looking at the queue again when not woken. A job
/// whose holder died is announced by nothing, so while listening a worker still looks once
/// a lease at least, and such jobs are taken over soon after their lease runs out.
fn idle_wait(state: &AppState) -> Duration {
    if state.listening.load(Ordering::Relaxed) {
        LISTENING_POLL
            .min(state.config.job_lease)
            .max(state.config.idle_poll)
    } else {
        state.config.idle_poll
    }
}

/// On PostgreSQL: wakes this process's idle workers whenever any process queues a job
/// (`NOTIFY` on [`JOBS_CHANNEL`]). While the listener is down, workers look at the queue
/// every `idle_poll` instead.
pub async fn listen_for_jobs(state: AppState) {
    let url = state.config.database_url();
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(JOBS_CHANNEL).await {
                Ok(()) => {
                    state.listening.store(true, Ordering::Relaxed);
                    // Jobs queued while no one listened are found by the look this starts.
                    state.wake.notify_waiters();
                    loop {
                        match listener.recv().await {
                            Ok(_) => state.wake.notify_waiters(),
                            Err(error) => {
                                tracing::warn!(error = %error, "lost the job announcements; polling the queue");
                                break;
                            }
                        }
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %error, "failed to listen for job announcements")
                }
            },
            Err(error) => {
                tracing::warn!(error = %error, "failed to connect for job announcements")
            }
        }
        state.listening.store(false, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// What became of a job.
enum Finished {
    /// The results were recorded and the job removed with them.
    Recorded,
    /// There was nothing to do (the image is gone, or already analyzed).
    Nothing,
    /// The claim had passed to another worker; nothing was recorded.
    Superseded,
}

/// Runs one worker until the process stops.
pub async fn run_worker(state: AppState, worker: usize) {
    let lease = state.config.job_lease.as_secs().max(1) as i64;
    let claimer = format!("{}/{}/{worker}", state.host_id, std::process::id());
    loop {
        match state.store.claim_job(lease, &claimer).await {
            Ok(Some(job)) => {
                let started = std::time::Instant::now();
                let outcome = tokio::select! {
                    // A job that finished wins over a lease check that found it gone.
                    biased;
                    outcome = run_job(&state, &job) => outcome,
                    () = keep_lease(&state, &job, lease) => Ok(Finished::Superseded),
                };
                let elapsed = started.elapsed();
                let duration_ms = elapsed.as_millis() as u64;
                let (kind, account, digest) = (job.kind.as_str(), &job.account, &job.subject);
                let finished = match outcome {
                    Ok(Finished::Recorded) => {
                        state.metrics.job_done(job.kind, elapsed);
                        tracing::info!(
                            worker, job = kind, account = %account, image.digest = %digest,
                            duration_ms, "job done"
                        );
                        continue;
                    }
                    Ok(Finished::Nothing) => state.store.finish_job(&job).await,
                    Ok(Finished::Superseded) => {
                        tracing::warn!(
                            worker, job = kind, account = %account, image.digest = %digest,
                            duration_ms, "the job's lease ran out and another worker took it \
                            over; this worker's results were dropped"
                        );
                        continue;
                    }
                    Err(error) => {
                        tracing::warn!(
                            worker, job = kind, account = %account, image.digest = %digest,
                            duration_ms, error = %error, "job failed"
                        );
                        state.store.finish_job(&job).await
                    }
                };
                if let Err(error) = finished {
                    tracing::warn!(error = %error, "failed to remove a finished job");
                }
            }
            Ok(None) => {
                let _ = tokio::time::timeout(idle_wait(&state), state.wake.notified()).await;
            }
            Err(error) => {
                tracing::warn!(error = %error, "failed to claim a job");
                tokio::time::sleep(state.config.idle_poll).await;
            }
        }
    }
}

/// Extends a job's lease at a third of its length while the job runs; returns when the
/// claim has passed to another worker (this one stalled past its lease).
async fn keep_lease(state: &AppState, job: &Job, lease_seconds: i64) {
    let period = Duration::from_millis((lease_seconds as u64 * 1000 / 3).max(300));
    loop {
        tokio::time::sleep(period).await;
        match state.store.extend_lease(job, lease_seconds).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => tracing::warn!(error = %error, "failed to extend a job's lease"),
        }
    }
}

/// Runs a job; a failure of the image (bad SBOM) is recorded on the image, not returned.
async fn run_job(state: &AppState, job: &Job) -> Result<Finished, ServerError> {
    match job.kind {
        JobKind::Analyze => analyze(state, job).await,
        JobKind::Rematch => rematch(state, job).await,
    }
}

/// Why an analysis failed, in words for the image record.
pub(crate) struct Failure(pub String);

async fn analyze(state: &AppState, job: &Job) -> Result<Finished, ServerError> {
    let (account, digest) = (job.account.as_str(), job.subject.as_str());
    let store = &state.store;
    let Some(image) = store.image(account, digest).await? else {
        return Ok(Finished::Nothing);
    };
    if image.analysis_status == "analyzed" || !store.mark_analyzing(account, digest).await? {
        return Ok(Finished::Nothing);
    }

    let mut sbom_bytes = store.document(account, digest, document_kind::SBOM).await?;
    if sbom_bytes.is_none() {
        if let Some(source) = store
            .document(account, digest, document_kind::PULL_SOURCE)
            .await?
        {
            match pull_image(state, account, &source).await? {
                Ok(pulled) => {
                    store
                        .put_document(account, digest, document_kind::SBOM, &pulled.sbom)
                        .await?;
                    store
                        .put_document(
                            account,
                            digest,
                            document_kind::IMAGE_CONTENT,
                            &pulled.image_content,
                        )
                        .await?;
                    sbom_bytes = Some(pulled.sbom);
                }
                Err(Failure(reason)) => {
                    tracing::warn!(account, image.digest = digest, reason, "pull failed");
                    if !store.fail_analysis(job, &reason).await? {
                        return Ok(Finished::Superseded);
                    }
                    notifications::analysis_finished(store, account, digest).await;
                    return Ok(Finished::Recorded);
                }
            }
        }
    }
    let manifest = store
        .document(account, digest, document_kind::MANIFEST)
        .await?;
    let config = store
        .document(account, digest, document_kind::CONFIG)
        .await?;
    let image_content = store
        .document(account, digest, document_kind::IMAGE_CONTENT)
        .await?;
    let vulnerability_store = state.vulnerabilities.path(store).await?;
    let corrections = account_corrections(state, account).await?;
    let outcome = tokio::task::spawn_blocking(move || {
        let sbom = read_sbom(sbom_bytes.as_deref())?;
        let image_content = read_image_content(image_content.as_deref())?;
        let facts = facts(&sbom, manifest.as_deref(), config.as_deref());
        let mut packages = analyzable_packages(&sbom);
        corrections::apply(&mut packages, &corrections);
        let vulnerabilities = match_report(vulnerability_store.as_deref(), &sbom, &packages)
            .map_err(|error| Failure(format!("matching failed: {error}")))?;
        let content = content::listings(&packages, image_content.as_ref());
        Ok::<_, Failure>((facts, vulnerabilities, content))
    })
    .await
    .map_err(|error| ServerError::Corrupt(format!("analysis panicked: {error}")))?;

    let recorded = match outcome {
        Ok((facts, vulnerabilities, content)) => {
            let results = [
                (
                    document_kind::VULNERABILITIES,
                    serde_json::to_vec(&vulnerabilities).unwrap_or_default(),
                ),
                (
                    document_kind::CONTENT,
                    serde_json::to_vec(&content).unwrap_or_default(),
                ),
            ];
            store.finish_analysis(job, &facts, &results).await?
        }
        Err(Failure(reason)) => {
            tracing::warn!(account, image.digest = digest, reason, "analysis failed");
            store.fail_analysis(job, &reason).await?
        }
    };
    if !recorded {
        return Ok(Finished::Superseded);
    }
    notifications::analysis_finished(store, account, digest).await;
    Ok(Finished::Recorded)
}

/// Pulls the image a `pull_source` document names, with the account's registry settings
/// as they are now.
async fn pull_image(
    state: &AppState,
    account: &str,
    source: &[u8],
) -> Result<Result<pull::Pulled, Failure>, ServerError> {
    let Some(pullstring) = serde_json::from_slice::<Value>(source).ok().and_then(|v| {
        v.get("pullstring")
            .and_then(Value::as_str)
            .map(str::to_string)
    }) else {
        return Ok(Err(Failure(
            "the pull source record is unreadable".to_string(),
        )));
    };
    let reference = match plimsoll_registry::Reference::parse(&pullstring) {
        Ok(reference) => reference,
        Err(error) => return Ok(Err(Failure(error.to_string()))),
    };
    let settings = state
        .store
        .registry_for(account, &reference.registry, &reference.repository)
        .await?;
    let options = crate::routes::client_options(settings.as_ref());
    let layer_cache = state
        .config
        .layer_cache_dir()
        .map(|dir| (dir, state.config.layer_cache_max_bytes));
    let started = std::time::Instant::now();
    let outcome =
        tokio::task::spawn_blocking(move || pull::pull_sbom(&pullstring, &options, layer_cache))
            .await
            .map_err(|error| ServerError::Corrupt(format!("pulling panicked: {error}")))?;
    tracing::info!(
        account, image.reference = %reference,
        duration_ms = started.elapsed().as_millis() as u64, ok = outcome.is_ok(), "image pulled"
    );
    Ok(outcome)
}

async fn rematch(state: &AppState, job: &Job) -> Result<Finished, ServerError> {
    let (account, digest) = (job.account.as_str(), job.subject.as_str());
    let store = &state.store;
    let Some(image) = store.image(account, digest).await? else {
        return Ok(Finished::Nothing);
    };
    if image.analysis_status != "analyzed" {
        return Ok(Finished::Nothing);
    }
    let sbom_bytes = store.document(account, digest, document_kind::SBOM).await?;
    let before: Value = store
        .document(account, digest, document_kind::VULNERABILITIES)
        .await?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    let vulnerability_store = state.vulnerabilities.path(store).await?;
    let corrections = account_corrections(state, account).await?;
    let report = tokio::task::spawn_blocking(move || {
        let sbom = read_sbom(sbom_bytes.as_deref())?;
        let mut packages = analyzable_packages(&sbom);
        corrections::apply(&mut packages, &corrections);
        match_report(vulnerability_store.as_deref(), &sbom, &packages)
            .map_err(|error| Failure(format!("matching failed: {error}")))
    })
    .await
    .map_err(|error| ServerError::Corrupt(format!("re-matching panicked: {error}")))?;
    match report {
        Ok(report) => {
            let results = [(
                document_kind::VULNERABILITIES,
                serde_json::to_vec(&report).unwrap_or_default(),
            )];
            if !store.replace_results(job, &results).await? {
                return Ok(Finished::Superseded);
            }
            let after = serde_json::to_value(&report).unwrap_or_default();
            notifications::vulnerabilities_changed(store, account, digest, &before, &after).await;
            Ok(Finished::Recorded)
        }
        Err(Failure(reason)) => Err(ServerError::Corrupt(reason)),
    }
}

pub(crate) fn read_sbom(bytes: Option<&[u8]>) -> Result<Sbom, Failure> {
    let bytes = bytes.ok_or_else(|| Failure("the import has no packages document".into()))?;
    plimsoll_sbom::decode(bytes)
        .map_err(|error| Failure(format!("failed to read the uploaded SBOM: {error}")))
}

/// The scanner's content analysis, when one was uploaded.
pub(crate) fn read_image_content(bytes: Option<&[u8]>) -> Result<Option<ImageContent>, Failure> {
    bytes
        .map(|bytes| {
            serde_json::from_slice(bytes).map_err(|error| {
                Failure(format!(
                    "failed to read the uploaded image content: {error}"
                ))
            })
        })
        .transpose()
}

/// The packages analysis reports: as Anchore's analyzer does, a package that another owns
/// by file overlap (a Python package an OS package installed) is dropped, so one piece of
/// software is not reported twice.
pub(crate) fn analyzable_packages(sbom: &Sbom) -> Vec<Package> {
    let owned: HashSet<&str> = sbom
        .relationships
        .iter()
        .filter(|edge| edge.relationship_type == RelationshipType::OwnershipByFileOverlap)
        .map(|edge| edge.child.as_str())
        .collect();
    sbom.packages
        .iter()
        .filter(|package| owned.is_empty() || !owned.contains(package.id().as_str()))
        .cloned()
        .collect()
}

/// Matches packages against the vulnerability store; no store yet means no findings.
fn match_report(
    vulnerability_store: Option<&Path>,
    sbom: &Sbom,
    packages: &[Package],
) -> Result<Value, plimsoll_vulndb::StoreError> {
    let Some(vulnerability_store) = vulnerability_store else {
        return Ok(vulnerabilities::report(&[], packages));
    };
    let store = plimsoll_vulndb::Store::open(vulnerability_store)?;
    let versions = plimsoll_vulndb::versions::Schemes;
    let matches = match_packages(packages, sbom.distro.as_ref(), &store, &versions)?;
    Ok(vulnerabilities::report(&matches, packages))
}

/// The image facts Anchore keeps in `image_content.metadata`.
fn facts(sbom: &Sbom, manifest: Option<&[u8]>, config: Option<&[u8]>) -> AnalysisFacts {
    let manifest: Option<Value> = manifest.and_then(|bytes| serde_json::from_slice(bytes).ok());
    let config: Option<Value> = config.and_then(|bytes| serde_json::from_slice(bytes).ok());
    let layers = manifest
        .as_ref()
        .and_then(|m| m.get("layers"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let image_size = layers
        .iter()
        .filter_map(|layer| layer.get("size").and_then(Value::as_i64))
        .sum();
    let arch = config
        .as_ref()
        .and_then(|c| c.get("architecture"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let distro = sbom.distro.clone().unwrap_or_default();
    // Anchore names Red Hat Enterprise Linux `rhel`, as its feeds do.
    let name = match distro.id.as_str() {
        "redhat" => "rhel".to_string(),
        other => other.to_string(),
    };
    let diff_ids = config
        .as_ref()
        .and_then(|c| c.pointer("/rootfs/diff_ids"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|id| id.as_str().map(str::to_string))
        .collect();
    AnalysisFacts {
        arch,
        distro: name,
        distro_version: distro.version_id,
        image_size,
        layer_count: layers.len() as i64,
        diff_ids,
    }
}
