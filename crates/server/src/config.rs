//! Server settings: defaults, then a TOML config file, then environment and flags (the
//! binary applies those last two). Nothing here is secret except the first admin password,
//! which is only ever used to create the account.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::store::Backend;
use crate::ServerError;

/// Which parts of the server a process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The API and the workers (the default).
    All,
    /// Only the HTTP API.
    Api,
    /// Only the analysis and feed workers.
    Worker,
}

impl Role {
    /// Parses `all`, `api` or `worker`.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "all" => Some(Role::All),
            "api" => Some(Role::Api),
            "worker" => Some(Role::Worker),
            _ => None,
        }
    }

    pub fn serves_api(self) -> bool {
        matches!(self, Role::All | Role::Api)
    }

    pub fn runs_workers(self) -> bool {
        matches!(self, Role::All | Role::Worker)
    }
}

/// Everything a server process needs to start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Holds the SQLite database (when no URL is given) and the vulnerability store.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; SQLite in the data directory when absent.
    pub database_url: Option<String>,
    pub role: Role,
    /// Vulnerability feeds: files, directories or URLs that `plimsoll db import` reads.
    pub feeds: Vec<String>,
    /// How often feeds are synced; never when zero.
    pub feed_sync_interval: Duration,
    /// How often tags with an active `tag_update` subscription are looked up in their
    /// registries (and pulled when they moved); never when zero.
    pub tag_update_interval: Duration,
    /// The bound on the pulled-layer cache in the data directory, in bytes.
    pub layer_cache_max_bytes: u64,
    /// The key that seals stored secrets (see [`ServerConfig::secret_key_path`]).
    pub secret_key_file: Option<PathBuf>,
    /// How long an idle worker waits before looking at the queue again when nothing wakes
    /// it. On PostgreSQL, queued jobs are announced (`NOTIFY`) and this is a safety net.
    pub idle_poll: Duration,
    /// The password of the `admin` user created on first start. When absent a random one
    /// is generated and printed once.
    pub admin_password: Option<String>,
    /// Analysis workers in this process.
    pub workers: usize,
    /// How long a claimed job stays with its worker before others may take it.
    pub job_lease: Duration,
    /// The largest import content accepted, in bytes.
    pub max_upload_bytes: usize,
    pub database_max_connections: u32,
}

impl ServerConfig {
    /// The defaults for a data directory.
    pub fn new(data_dir: impl Into<PathBuf>) -> ServerConfig {
        ServerConfig {
            listen: SocketAddr::from(([0, 0, 0, 0], 8228)),
            data_dir: data_dir.into(),
            database_url: None,
            role: Role::All,
            feeds: Vec::new(),
            feed_sync_interval: Duration::from_secs(6 * 3600),
            tag_update_interval: Duration::from_secs(3600),
            layer_cache_max_bytes: plimsoll_image::DEFAULT_LAYER_CACHE_BYTES,
            idle_poll: Duration::from_millis(500),
            secret_key_file: None,
            admin_password: None,
            workers: 2,
            job_lease: Duration::from_secs(120),
            max_upload_bytes: 100 * 1024 * 1024,
            database_max_connections: 8,
        }
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("plimsoll.db").display()
            ),
        }
    }

    /// Where pulled layers' file indexes are cached, keyed by diff ID: an image sharing
    /// layers with one pulled before reads them from here instead of the registry.
    pub fn layer_cache_dir(&self) -> Option<PathBuf> {
        Some(self.data_dir.join("layer-cache"))
    }

    /// The file of the key that seals registry passwords and webhook secrets: the one
    /// configured, else `secret.key` in the data directory for the embedded database. On
    /// PostgreSQL processes do not share a data directory, so without a configured key
    /// there is none and secrets are stored as given.
    pub fn secret_key_path(&self) -> Option<PathBuf> {
        match &self.secret_key_file {
            Some(path) => Some(path.clone()),
            None if Backend::of_url(&self.database_url()) == Backend::Postgres => None,
            None => Some(self.data_dir.join("secret.key")),
        }
    }

    /// Where the vulnerability store lives.
    pub fn vulnerability_store(&self) -> PathBuf {
        self.data_dir.join("vulnerabilities.db")
    }

    /// Applies a TOML config file over these settings. Keys are the long flag names
    /// (`listen`, `data-dir`, `database`, `role`, `feeds`, `feed-sync-interval-seconds`,
    /// `workers`, `job-lease-seconds`, `max-upload-bytes`, `database-pool-size` (or
    /// `database-max-connections`), `admin-password`, `tag-update-interval-seconds`,
    /// `layer-cache-max-mb`, `secret-key-file`).
    pub fn apply_file(&mut self, path: &Path) -> Result<(), ServerError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServerError::Config {
            path: path.display().to_string(),
            message: source.to_string(),
        })?;
        let file: ConfigFile = toml::from_str(&text).map_err(|source| ServerError::Config {
            path: path.display().to_string(),
            message: source.to_string(),
        })?;
        if let Some(listen) = file.listen {
            self.listen = listen;
        }
        if let Some(dir) = file.data_dir {
            self.data_dir = dir;
        }
        if file.database.is_some() {
            self.database_url = file.database;
        }
        if let Some(role) = file.role {
            self.role = role;
        }
        if let Some(feeds) = file.feeds {
            self.feeds = feeds;
        }
        if let Some(seconds) = file.feed_sync_interval_seconds {
            self.feed_sync_interval = Duration::from_secs(seconds);
        }
        if let Some(seconds) = file.tag_update_interval_seconds {
            self.tag_update_interval = Duration::from_secs(seconds);
        }
        if file.secret_key_file.is_some() {
            self.secret_key_file = file.secret_key_file;
        }
        if let Some(megabytes) = file.layer_cache_max_mb {
            self.layer_cache_max_bytes = megabytes.saturating_mul(1 << 20);
        }
        if file.admin_password.is_some() {
            self.admin_password = file.admin_password;
        }
        if let Some(workers) = file.workers {
            self.workers = workers;
        }
        if let Some(seconds) = file.job_lease_seconds {
            self.job_lease = Duration::from_secs(seconds);
        }
        if let Some(bytes) = file.max_upload_bytes {
            self.max_upload_bytes = bytes;
        }
        if let Some(connections) = file.database_max_connections {
            self.database_max_connections = connections;
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ConfigFile {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database: Option<String>,
    role: Option<Role>,
    feeds: Option<Vec<String>>,
    feed_sync_interval_seconds: Option<u64>,
    tag_update_interval_seconds: Option<u64>,
    layer_cache_max_mb: Option<u64>,
    secret_key_file: Option<PathBuf>,
    admin_password: Option<String>,
    workers: Option<usize>,
    job_lease_seconds: Option<u64>,
    max_upload_bytes: Option<usize>,
    /// Also spelled as the flag is, `database-pool-size`.
    #[serde(alias = "database-pool-size")]
    database_max_connections: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_overrides_the_defaults_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\nrole = \"api\"\nworkers = 4\n",
        )
        .unwrap();
        let mut config = ServerConfig::new(dir.path());
        config.apply_file(&path).unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.role, Role::Api);
        assert_eq!(config.workers, 4);

        std::fs::write(&path, "database-pool-size = 3\njob-lease-seconds = 5\n").unwrap();
        config.apply_file(&path).unwrap();
        assert_eq!(config.database_max_connections, 3);
        assert_eq!(config.job_lease, Duration::from_secs(5));

        std::fs::write(&path, "lisen = \"127.0.0.1:9000\"\n").unwrap();
        let error = config.apply_file(&path).unwrap_err().to_string();
        assert!(error.contains("lisen"), "{error}");
    }
}
