//! The server's store: accounts, images, import operations, documents, results and jobs, in
//! SQLite (embedded) or PostgreSQL (scale-out) through one set of portable queries.
//!
//! Portability rules kept throughout: `$N` placeholders, `TEXT`, `BIGINT` and `BYTEA`
//! columns only (booleans are `BIGINT` 0/1, times RFC 3339 `TEXT` or epoch `BIGINT`), and
//! `ON CONFLICT` upserts. Where the two databases must differ (claiming jobs), the query is
//! chosen by [`Backend`].

mod accounts;
mod ancestry;
mod corrections;
mod documents;
mod feeds;
mod images;
mod imports;
mod jobs;
mod migrations;
mod policies;
mod registries;
mod snapshots;
mod subscriptions;

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use accounts::{Account, User};
pub use documents::kind as document_kind;
pub use images::{AnalysisFacts, ImageRecord, NewImage};
pub use imports::ImportOperation;
pub use jobs::{Job, JobKind, JOBS_CHANNEL};
pub use policies::{EvaluationRecord, PolicyRecord};
pub use registries::RegistryRecord;
pub use subscriptions::{NotificationRecord, SubscriptionRecord, WebhookRecord, TAG_SUBSCRIPTIONS};

use crate::secrets::SecretKey;
use crate::ServerError;

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The database a URL names: PostgreSQL for `postgres://` and `postgresql://`, else
    /// SQLite.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Seals the secrets kept in the database; without one they are stored as given.
    secret_key: Option<std::sync::Arc<SecretKey>>,
}

/// How long a PostgreSQL session may sit idle inside a transaction, unless the server's
/// job lease says otherwise (see [`Store::connect_with`]).
pub const DEFAULT_IDLE_TRANSACTION_TIMEOUT: std::time::Duration =
    std::time::Duration::from_secs(120);

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and applies the migrations.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, ServerError> {
        Store::connect_with(url, max_connections, DEFAULT_IDLE_TRANSACTION_TIMEOUT).await
    }

    /// [`Store::connect`], with how long PostgreSQL lets a session sit idle inside a
    /// transaction before it ends the session. A process frozen mid-transaction (stopped,
    /// or stalled past its job's lease) then releases its row locks instead of holding them
    /// until its connection dies; the fenced job claims keep it from recording anything
    /// afterwards.
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        idle_transaction_timeout: std::time::Duration,
    ) -> Result<Store, ServerError> {
        sqlx::any::install_default_drivers();
        let idle_ms = idle_transaction_timeout.as_millis().max(1);
        let backend = Backend::of_url(url);
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; the busy timeout makes
                        // concurrent writers wait for each other instead of failing.
                        connection
                            .execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")
                            .await?;
                    } else {
                        connection
                            .execute(
                                format!("SET idle_in_transaction_session_timeout = {idle_ms}")
                                    .as_str(),
                            )
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let store = Store {
            pool,
            backend,
            secret_key: None,
        };
        migrations::apply(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Seals the secrets written from now on (registry passwords, webhook secrets) with
    /// `key`, and opens those read with it.
    pub fn with_secret_key(mut self, key: SecretKey) -> Store {
        self.secret_key = Some(std::sync::Arc::new(key));
        self
    }

    /// Seals the secrets stored before this server had a key; returns how many. Each is
    /// replaced only if it is still the value read, so processes starting together do not
    /// seal one twice.
    pub async fn seal_stored_secrets(&self) -> Result<usize, ServerError> {
        use sqlx::Row;
        if self.secret_key.is_none() {
            return Ok(0);
        }
        let mut sealed = 0;
        let rows = sqlx::query("SELECT account, registry, registry_pass FROM registries")
            .fetch_all(&self.pool)
            .await?;
        for row in rows {
            let (account, registry, stored): (String, String, String) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            if crate::secrets::is_sealed(&stored) {
                continue;
            }
            let result = sqlx::query(
                "UPDATE registries SET registry_pass = $1 \
                 WHERE account = $2 AND registry = $3 AND registry_pass = $4",
            )
            .bind(self.seal(registries::PASSWORD_FIELD, &stored)?)
            .bind(&account)
            .bind(&registry)
            .bind(&stored)
            .execute(&self.pool)
            .await?;
            sealed += result.rows_affected() as usize;
        }
        let rows = sqlx::query("SELECT id, secret FROM webhooks")
            .fetch_all(&self.pool)
            .await?;
        for row in rows {
            let (id, stored): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            if crate::secrets::is_sealed(&stored) {
                continue;
            }
            let result =
                sqlx::query("UPDATE webhooks SET secret = $1 WHERE id = $2 AND secret = $3")
                    .bind(self.seal(subscriptions::WEBHOOK_SECRET_FIELD, &stored)?)
                    .bind(&id)
                    .bind(&stored)
                    .execute(&self.pool)
                    .await?;
            sealed += result.rows_affected() as usize;
        }
        Ok(sealed)
    }

    /// A secret as it is to be stored in the column `field`.
    pub(crate) fn seal(&self, field: &str, plain: &str) -> Result<String, ServerError> {
        match &self.secret_key {
            Some(key) => key.seal(field, plain),
            None => Ok(plain.to_string()),
        }
    }

    /// A secret as it was stored in the column `field`, opened.
    pub(crate) fn unseal(&self, field: &str, stored: String) -> Result<String, ServerError> {
        match &self.secret_key {
            Some(key) => key.open(field, &stored),
            None if crate::secrets::is_sealed(&stored) => Err(ServerError::Secret(format!(
                "a stored {field} is sealed, and this server has no secret key \
                 (`secret-key-file`)"
            ))),
            None => Ok(stored),
        }
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// The newest migration applied to the database.
    pub async fn applied_schema_version(&self) -> Result<i64, ServerError> {
        use sqlx::Row;
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Compresses a stored document.
pub(crate) fn compress(bytes: &[u8]) -> Vec<u8> {
    // Level 3: most of the size win for a fraction of the time of higher levels.
    zstd::bulk::compress(bytes, 3).unwrap_or_else(|_| bytes.to_vec())
}

/// Decompresses a stored document, bounded by `limit` bytes.
pub(crate) fn decompress(bytes: &[u8], limit: usize) -> Result<Vec<u8>, ServerError> {
    use std::io::Read;
    let mut decoder = zstd::stream::read::Decoder::new(bytes)
        .map_err(|error| ServerError::Corrupt(error.to_string()))?;
    let mut out = Vec::new();
    (&mut decoder)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|error| ServerError::Corrupt(error.to_string()))?;
    if out.len() > limit {
        return Err(ServerError::Corrupt(format!(
            "a stored document inflates past {limit} bytes"
        )));
    }
    Ok(out)
}

/// The schema version this build migrates to.
pub fn schema_version() -> i64 {
    migrations::latest()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sqlx::Executor;

    use super::*;

    #[tokio::test]
    async fn secrets_stored_without_a_key_are_sealed_once_there_is_one() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
        let plain = Store::connect(&url, 1).await.unwrap();
        let record = registries::RegistryRecord {
            account: "admin".into(),
            registry: "r.example".into(),
            registry_name: "r.example".into(),
            registry_user: "u".into(),
            registry_pass: "old-plain-password".into(),
            registry_type: "docker_v2".into(),
            registry_verify: true,
            created_at: String::new(),
            last_updated: String::new(),
        };
        assert!(plain.add_registry(&record).await.unwrap());
        plain
            .add_webhook(
                "admin",
                "http://127.0.0.1:9/hook",
                "old-plain-webhook-secret",
            )
            .await
            .unwrap();
        plain.close().await;

        let key = SecretKey::load_or_create(&dir.path().join("secret.key")).unwrap();
        let store = Store::connect(&url, 1).await.unwrap().with_secret_key(key);
        assert_eq!(store.seal_stored_secrets().await.unwrap(), 2);
        assert_eq!(store.seal_stored_secrets().await.unwrap(), 0, "sealed once");
        let raw: Vec<String> = sqlx::query_scalar(
            "SELECT registry_pass FROM registries UNION ALL SELECT secret FROM webhooks",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert!(
            raw.iter()
                .all(|value| value.starts_with("sealed:v1:") && !value.contains("old-plain")),
            "{raw:?}"
        );
        let opened = store.registry("admin", "r.example").await.unwrap().unwrap();
        assert_eq!(opened.registry_pass, "old-plain-password");
        let hooks = store.webhooks("admin").await.unwrap();
        assert_eq!(hooks[0].secret, "old-plain-webhook-secret");

        // A server without the key cannot use them, and says why.
        let keyless = Store::connect(&url, 1).await.unwrap();
        let error = keyless.registry("admin", "r.example").await.unwrap_err();
        assert!(error.to_string().contains("secret-key-file"), "{error}");
        store.close().await;
        keyless.close().await;
    }

    /// A fresh database on the PostgreSQL server of `PLIMSOLL_TEST_POSTGRES`, with a pool
    /// on that server to drop it with; `None` when the variable is not set.
    async fn fresh_postgres(tag: &str) -> Option<(sqlx::AnyPool, String, String)> {
        let Some(base) = std::env::var("PLIMSOLL_TEST_POSTGRES")
            .ok()
            .filter(|url| !url.is_empty())
        else {
            eprintln!("note: PLIMSOLL_TEST_POSTGRES is not set; nothing to check on SQLite");
            return None;
        };
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&base).await.unwrap();
        let name = format!("plimsoll_test_{tag}_{}", std::process::id());
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
            .await
            .unwrap();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        Some((admin, name, url))
    }

    #[tokio::test]
    async fn snapshots_go_through_the_database_in_parts_and_bad_ones_are_refused() {
        let Some((admin, name, url)) = fresh_postgres("snapshot").await else {
            return;
        };
        let store = Store::connect(&url, 2).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        // 3 MB that compress poorly, so 256 KiB parts make several.
        let mut bytes = Vec::new();
        let mut state = 0x2545_f491_u32;
        while bytes.len() < 3 << 20 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes.extend_from_slice(&state.to_le_bytes());
        }
        let published = dir.path().join("published.db");
        std::fs::write(&published, &bytes).unwrap();
        let (generation, size) = store.publish_in_parts(&published, 256 << 10).await.unwrap();
        assert_eq!(size, bytes.len() as u64);
        let parts: i64 =
            sqlx::query_scalar("SELECT parts FROM vulnerability_snapshots WHERE generation = $1")
                .bind(generation)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert!(parts > 4, "{parts} parts");

        let fetched = dir.path().join("fetched.db");
        let got = store
            .fetch_vulnerability_snapshot(generation, &fetched)
            .await
            .unwrap();
        assert_eq!(got, Some(size));
        assert!(std::fs::read(&fetched).unwrap() == bytes);

        // A snapshot that inflates past its recorded size is refused.
        sqlx::query("UPDATE vulnerability_snapshots SET size_bytes = 1000 WHERE generation = $1")
            .bind(generation)
            .execute(store.pool())
            .await
            .unwrap();
        let error = store
            .fetch_vulnerability_snapshot(generation, &fetched)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("inflates past"), "{error}");
        // One whose part went missing (replaced meanwhile) is not there to fetch.
        sqlx::query("UPDATE vulnerability_snapshots SET size_bytes = $1 WHERE generation = $2")
            .bind(size as i64)
            .bind(generation)
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("DELETE FROM vulnerability_snapshot_parts WHERE part = 1")
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(
            store
                .fetch_vulnerability_snapshot(generation, &fetched)
                .await
                .unwrap(),
            None
        );
        store.close().await;
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .unwrap();
    }

    /// On PostgreSQL (`PLIMSOLL_TEST_POSTGRES`): a session left idle inside a transaction
    /// (a frozen process) is ended after the timeout, and the row it locked is free again.
    #[tokio::test]
    async fn a_session_idle_inside_a_transaction_is_ended_and_its_locks_freed() {
        let Some((admin, name, url)) = fresh_postgres("idle").await else {
            return;
        };

        let frozen = Store::connect_with(&url, 1, Duration::from_millis(300))
            .await
            .unwrap();
        let other = Store::connect(&url, 1).await.unwrap();
        let lock = "SELECT version FROM schema_migrations WHERE version = 1 FOR UPDATE NOWAIT";
        let mut held = frozen.pool().begin().await.unwrap();
        sqlx::query(lock).execute(&mut *held).await.unwrap();
        let mut waiting = other.pool().begin().await.unwrap();
        assert!(
            sqlx::query(lock).execute(&mut *waiting).await.is_err(),
            "the row is locked while the session is within its timeout"
        );
        waiting.rollback().await.unwrap();

        tokio::time::sleep(Duration::from_millis(1500)).await;
        let mut taking = other.pool().begin().await.unwrap();
        sqlx::query(lock)
            .execute(&mut *taking)
            .await
            .expect("the idle session's lock was released");
        taking.rollback().await.unwrap();
        assert!(
            sqlx::query("SELECT 1").execute(&mut *held).await.is_err(),
            "the idle session was ended"
        );
        drop(held);
        frozen.close().await;
        other.close().await;
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .unwrap();
    }
}
