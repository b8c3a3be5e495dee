//! Feed sync: import the configured feeds (files, directories, URLs) into the vulnerability
//! store, record what it holds for `/system/feeds`, and queue re-matching of every analyzed
//! image so stored results follow the data.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::server::AppState;
use crate::store::JobKind;
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

/// Syncs every configured feed once. Only one sync runs at a time in a process.
pub async fn sync(state: &AppState) -> Result<SyncSummary, ServerError> {
    let _guard = state.feed_lock.lock().await;
    if state.config.feeds.is_empty() {
        return Ok(SyncSummary::default());
    }
    let mut inputs = Vec::new();
    for feed in &state.config.feeds {
        inputs.push(resolve(state, feed).await?);
    }

    let path = state.config.vulnerability_store();
    let (summaries, groups) = tokio::task::spawn_blocking(move || {
        let mut store = plimsoll_vulndb::Store::open_or_create(&path)?;
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        let summaries = plimsoll_vulndb::import(&mut store, &inputs, &now_rfc3339())
            .map_err(|error| ServerError::Corrupt(format!("feed import failed: {error}")))?;
        let groups = store.groups()?;
        Ok::<_, ServerError>((summaries, groups))
    })
    .await
    .map_err(|error| ServerError::Corrupt(format!("feed import panicked: {error}")))??;

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
