//! The vulnerability store a process matches against. Embedded (SQLite), it is the file
//! in the data directory that feed sync writes. Scaled out (PostgreSQL), the database holds
//! the store as numbered snapshots and each process keeps a local copy of the newest, named
//! by its generation, fetched again whenever a sync anywhere publishes a newer one; so every
//! worker matches against the same data and nothing lives only in one process.
//!
//! The local copies are named by process and generation (`vulnerabilities-p{pid}-g{n}.db`),
//! so processes that share a data directory never remove each other's files, and the
//! generation before the newest is kept until the next one arrives, so a match that looked
//! up its file just before a new generation landed can still open it.

use std::path::{Path, PathBuf};

use tokio::sync::Mutex;

use crate::store::{Backend, Store};
use crate::ServerError;

/// The local copy of the vulnerability store.
#[derive(Debug)]
pub struct VulnerabilityCache {
    data_dir: PathBuf,
    embedded: PathBuf,
    /// The generation held locally and its file.
    current: Mutex<Option<(i64, PathBuf)>>,
    /// The file of the generation before, kept for matches that are about to open it.
    previous: Mutex<Option<PathBuf>>,
}

impl VulnerabilityCache {
    /// A cache in `data_dir`; `embedded` is the store file the SQLite mode uses.
    pub fn new(data_dir: &Path, embedded: PathBuf) -> VulnerabilityCache {
        remove_copies_of_dead_processes(data_dir);
        VulnerabilityCache {
            data_dir: data_dir.to_path_buf(),
            embedded,
            current: Mutex::new(None),
            previous: Mutex::new(None),
        }
    }

    /// The store file to match against now, first fetching a newer published snapshot;
    /// `None` while no feed was ever synced.
    pub async fn path(&self, store: &Store) -> Result<Option<PathBuf>, ServerError> {
        if store.backend() == Backend::Sqlite {
            return Ok(self.embedded.exists().then(|| self.embedded.clone()));
        }
        let Some(latest) = store.latest_vulnerability_generation().await? else {
            return Ok(None);
        };
        let mut current = self.current.lock().await;
        if let Some((generation, path)) = current.as_ref() {
            if *generation >= latest {
                return Ok(Some(path.clone()));
            }
        }
        let staging = self.staging_path();
        let Some(size) = store.fetch_vulnerability_snapshot(latest, &staging).await? else {
            // A newer publication replaced it while we read; the next call fetches that one.
            let _ = tokio::fs::remove_file(&staging).await;
            return Ok(current.as_ref().map(|(_, path)| path.clone()));
        };
        let path = self.install_locked(&mut current, latest, &staging).await?;
        tracing::info!(
            generation = latest,
            size_bytes = size,
            "fetched the shared vulnerability store"
        );
        Ok(Some(path))
    }

    /// A scratch file for building or fetching a store before it is installed.
    pub fn staging_path(&self) -> PathBuf {
        self.data_dir.join(format!(
            "vulnerabilities-p{}-staging.db",
            std::process::id()
        ))
    }

    /// Installs a store file just published as `generation`.
    pub async fn install(&self, generation: i64, file: &Path) -> Result<PathBuf, ServerError> {
        let mut current = self.current.lock().await;
        self.install_locked(&mut current, generation, file).await
    }

    async fn install_locked(
        &self,
        current: &mut Option<(i64, PathBuf)>,
        generation: i64,
        file: &Path,
    ) -> Result<PathBuf, ServerError> {
        let path = self.data_dir.join(format!(
            "vulnerabilities-p{}-g{generation}.db",
            std::process::id()
        ));
        tokio::fs::rename(file, &path).await?;
        // Matchers still reading a removed file keep it open; it goes when they close it.
        if let Some((_, replaced)) = current.replace((generation, path.clone())) {
            if replaced != path {
                let mut previous = self.previous.lock().await;
                if let Some(older) = previous.replace(replaced) {
                    remove_store_file(&older).await;
                }
            }
        }
        Ok(path)
    }
}

/// Removes a store file and SQLite's companion files; a file already gone is fine.
pub async fn remove_store_file(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = tokio::fs::remove_file(PathBuf::from(name)).await;
    }
}

/// Removes the local copies left by processes that no longer run (their process ID is not
/// in `/proc`); where there is no `/proc` to ask, removes nothing.
fn remove_copies_of_dead_processes(data_dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("vulnerabilities-p")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
