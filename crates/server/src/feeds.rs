//! Feed sync: import the configured feeds (files, directories, URLs) into the vulnerability
//! store, record what it holds for `/system/feeds`, and queue re-matching of every analyzed
//! image so stored results follow the data. On PostgreSQL one sync runs at a time across
//! every process, and it publishes the store for all of them (see [`cache`]).

pub mod cache;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::server::AppState;
use crate::store::{Backend, JobKind};
use crate::time::now_rfc3339;
use crate::ServerError;

/// The one feed anchore-cli waits for; every group of data lives under it.
pub const FEED: &str = "vulnerabilities";

/// The largest feed download accepted.
const MAX_DOWNLOAD: u64 = 2 << 30;

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncSummary {
    pub imported: u64,
    pub skipped: u64,
    pub rematched_images: usize,
}

/// Syncs every configured feed once. Only one sync runs at a time in a process, and on
/// PostgreSQL in the whole cluster.
pub async fn sync(state: &AppState) -> Result<SyncSummary, ServerError> {
    sync_unless_fresh(state, None)
        .await
        .map(Option::unwrap_or_default)
}

/// The scheduler's sync: on PostgreSQL, where every worker process runs a scheduler, it
/// does nothing (`None`) when another process synced less than half an interval ago.
pub async fn scheduled_sync(state: &AppState) -> Result<Option<SyncSummary>, ServerError> {
    let fresh = match state.store.backend() {
        Backend::Postgres => Some(state.config.feed_sync_interval / 2),
        Backend::Sqlite => None,
    };
    sync_unless_fresh(state, fresh).await
}

async fn sync_unless_fresh(
    state: &AppState,
    fresh: Option<Duration>,
) -> Result<Option<SyncSummary>, ServerError> {
    let _guard = state.feed_lock.lock().await;
    if state.config.feeds.is_empty() {
        return Ok(Some(SyncSummary::default()));
    }
    let _cluster = state.store.lock_feed_sync().await?;
    if let Some(fresh) = fresh {
        if last_sync_age(state).await?.is_some_and(|age| age < fresh) {
            return Ok(None);
        }
    }
    let outcome = import_and_publish(state).await;
    state.metrics.feed_sync_finished(outcome.is_ok());
    outcome.map(Some)
}

/// How long ago the last sync anywhere succeeded.
async fn last_sync_age(state: &AppState) -> Result<Option<Duration>, ServerError> {
    let now = jiff::Timestamp::now();
    Ok(state
        .store
        .feeds()
        .await?
        .iter()
        .filter_map(|feed| feed.last_full_sync.as_deref())
        .filter_map(|time| time.parse::<jiff::Timestamp>().ok())
        .max()
        .map(|last| {
            Duration::from_secs(now.as_second().saturating_sub(last.as_second()).max(0) as u64)
        }))
}

async fn import_and_publish(state: &AppState) -> Result<SyncSummary, ServerError> {
    let mut inputs = Vec::new();
    for feed in &state.config.feeds {
        inputs.push(resolve(state, feed).await?);
    }

    // Scaled out, the import starts from the newest shared store and builds the next one
    // beside it; embedded, it updates the one store file in place.
    let shared = state.store.backend() == Backend::Postgres;
    let path = if shared {
        let staging = state.vulnerabilities.staging_path();
        cache::remove_store_file(&staging).await;
        if let Some(current) = state.vulnerabilities.path(&state.store).await? {
            tokio::fs::copy(&current, &staging).await?;
        }
        staging
    } else {
        state.config.vulnerability_store()
    };
    let import_path = path.clone();
    let (summaries, groups) = tokio::task::spawn_blocking(move || {
        let mut store = plimsoll_vulndb::Store::open_or_create(&import_path)?;
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        let summaries = plimsoll_vulndb::import(&mut store, &inputs, &now_rfc3339())
            .map_err(|error| ServerError::Corrupt(format!("feed import failed: {error}")))?;
        let groups = store.groups()?;
        // Dropping the store closes it, which folds its write-ahead log into the file.
        Ok::<_, ServerError>((summaries, groups))
    })
    .await
    .map_err(|error| ServerError::Corrupt(format!("feed import panicked: {error}")))??;
    if shared {
        let (generation, size) = state.store.publish_vulnerability_snapshot(&path).await?;
        state.vulnerabilities.install(generation, &path).await?;
        tracing::info!(
            generation,
            size_bytes = size,
            "published the shared vulnerability store"
        );
    }

    let groups: Vec<(String, i64, String)> = groups
        .into_iter()
        .map(|group| (group.namespace, group.advisories as i64, group.updated))
        .collect();
    state.store.record_feed_sync(FEED, &groups).await?;

    let mut summary = SyncSummary::default();
    for feed in &summaries {
        summary.imported += feed.imported;
        summary.skipped += feed.skipped;
        tracing::info!(
            feed = %feed.feed, imported = feed.imported, skipped = feed.skipped, "feed synced"
        );
    }
    // Not yet: an image whose analysis was running while this sync published keeps the
    // results of the data before it until the next sync; results do not record which
    // generation of the data they came from.
    for (account, digest) in state.store.analyzed_images().await? {
        state
            .store
            .enqueue(JobKind::Rematch, &account, &digest)
            .await?;
        summary.rematched_images += 1;
    }
    state.wake.notify_waiters();
    Ok(summary)
}

/// A local path for a feed: itself, or a download of a URL into the data directory.
async fn resolve(state: &AppState, feed: &str) -> Result<PathBuf, ServerError> {
    if !(feed.starts_with("http://") || feed.starts_with("https://")) {
        return Ok(PathBuf::from(feed));
    }
    let directory = state.config.data_dir.join("feeds");
    tokio::fs::create_dir_all(&directory).await?;
    let name = hex::encode(&Sha256::digest(feed.as_bytes())[..8]);
    let extension = feed
        .rsplit('/')
        .next()
        .and_then(|last| last.split_once('.').map(|(_, ext)| ext.to_string()))
        .unwrap_or_else(|| "json".to_string());
    let target = directory.join(format!("{name}.{extension}"));
    let failed =
        |message: String| ServerError::Corrupt(format!("failed to download a feed: {message}"));
    let mut response = reqwest::get(feed)
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|error| failed(error.without_url().to_string()))?;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| failed(e.to_string()))? {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > MAX_DOWNLOAD {
            return Err(failed(format!("larger than {MAX_DOWNLOAD} bytes")));
        }
    }
    tokio::fs::write(&target, &body).await?;
    Ok(target)
}
