//! The vulnerability store shared through PostgreSQL: a feed sync publishes the whole store
//! file as a numbered snapshot, compressed and split into parts small enough for one row
//! each, and every process keeps a local copy of the newest (see `feeds::cache`).

use std::io::{Read, Write};
use std::path::Path;

use sqlx::{Any, Row, Transaction};

use super::{Backend, Store};
use crate::time::now_rfc3339;
use crate::ServerError;

/// The largest part of a snapshot stored in one row.
const PART_BYTES: usize = 8 << 20;

/// Arbitrary, fixed: the advisory lock key that lets one feed sync run at a time across
/// every process on one PostgreSQL database.
const FEED_SYNC_LOCK: i64 = 0x706c_6d5f_6665_6564;

/// Holds the cluster-wide feed-sync lock until dropped: an open transaction whose
/// `pg_advisory_xact_lock` ends with it, so a process that dies mid-sync releases it too.
pub struct FeedSyncLock {
    _transaction: Option<Transaction<'static, Any>>,
}

impl Store {
    /// Waits for the cluster-wide feed-sync lock (on SQLite, the process's own lock is
    /// enough: one process owns the database).
    pub async fn lock_feed_sync(&self) -> Result<FeedSyncLock, ServerError> {
        if self.backend() != Backend::Postgres {
            return Ok(FeedSyncLock { _transaction: None });
        }
        let mut transaction = self.pool().begin().await?;
        // The lock's transaction stays open, idle, for the whole sync: exempt from the
        // idle-transaction timeout that ends frozen sessions.
        sqlx::query("SET LOCAL idle_in_transaction_session_timeout = 0")
            .execute(&mut *transaction)
            .await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(FEED_SYNC_LOCK)
            .execute(&mut *transaction)
            .await?;
        Ok(FeedSyncLock {
            _transaction: Some(transaction),
        })
    }

    /// The newest published snapshot's generation, if any was published.
    pub async fn latest_vulnerability_generation(&self) -> Result<Option<i64>, ServerError> {
        let row = sqlx::query("SELECT MAX(generation) FROM vulnerability_snapshots")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Writes a snapshot's store file to `dest`, one part in memory at a time; returns its
    /// size, or `None` when a newer publication removed it meanwhile. A snapshot that
    /// inflates past the size it was published with is refused, not written on.
    pub async fn fetch_vulnerability_snapshot(
        &self,
        generation: i64,
        dest: &Path,
    ) -> Result<Option<u64>, ServerError> {
        let header = sqlx::query(
            "SELECT size_bytes, parts FROM vulnerability_snapshots WHERE generation = $1",
        )
        .bind(generation)
        .fetch_optional(self.pool())
        .await?;
        let Some(header) = header else {
            return Ok(None);
        };
        let size = u64::try_from(header.try_get::<i64, _>(0)?).unwrap_or(0);
        let parts: i64 = header.try_get(1)?;
        let corrupt = |error: std::io::Error| {
            ServerError::Corrupt(format!("vulnerability snapshot {generation}: {error}"))
        };
        let file = std::io::BufWriter::new(std::fs::File::create(dest)?);
        let mut decoder = zstd::stream::write::Decoder::new(Bounded {
            inner: file,
            left: size,
        })
        .map_err(corrupt)?;
        for part in 0..parts {
            let row = sqlx::query(
                "SELECT body FROM vulnerability_snapshot_parts WHERE generation = $1 AND part = $2",
            )
            .bind(generation)
            .bind(part)
            .fetch_optional(self.pool())
            .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            decoder
                .write_all(&row.try_get::<Vec<u8>, _>(0)?)
                .map_err(corrupt)?;
        }
        decoder.flush().map_err(corrupt)?;
        let mut bounded = decoder.into_inner();
        bounded.inner.flush().map_err(corrupt)?;
        if bounded.left != 0 {
            return Err(ServerError::Corrupt(format!(
                "vulnerability snapshot {generation} holds {} bytes, not {size}",
                size - bounded.left
            )));
        }
        Ok(Some(size))
    }

    /// Publishes a store file as the next snapshot and removes older ones; returns its
    /// generation and size. The file is compressed and stored one part at a time. Callers
    /// hold the feed-sync lock, so generations do not race.
    pub async fn publish_vulnerability_snapshot(
        &self,
        path: &Path,
    ) -> Result<(i64, u64), ServerError> {
        self.publish_in_parts(path, PART_BYTES).await
    }

    pub(super) async fn publish_in_parts(
        &self,
        path: &Path,
        part_bytes: usize,
    ) -> Result<(i64, u64), ServerError> {
        let size = std::fs::metadata(path)?.len();
        // Level 3: most of the size win for a fraction of the time of higher levels.
        let mut encoder = zstd::stream::read::Encoder::new(std::fs::File::open(path)?, 3)?;
        let mut transaction = self.pool().begin().await?;
        let latest: Option<i64> =
            sqlx::query("SELECT MAX(generation) FROM vulnerability_snapshots")
                .fetch_one(&mut *transaction)
                .await?
                .try_get(0)?;
        let generation = latest.unwrap_or(0) + 1;
        let mut parts = 0i64;
        loop {
            let mut part = Vec::with_capacity(part_bytes);
            (&mut encoder)
                .take(part_bytes as u64)
                .read_to_end(&mut part)?;
            if part.is_empty() {
                break;
            }
            let last = part.len() < part_bytes;
            sqlx::query(
                "INSERT INTO vulnerability_snapshot_parts (generation, part, body) \
                 VALUES ($1, $2, $3)",
            )
            .bind(generation)
            .bind(parts)
            .bind(part)
            .execute(&mut *transaction)
            .await?;
            parts += 1;
            if last {
                break;
            }
        }
        sqlx::query(
            "INSERT INTO vulnerability_snapshots (generation, created_at, size_bytes, parts) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(generation)
        .bind(now_rfc3339())
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .bind(parts)
        .execute(&mut *transaction)
        .await?;
        for table in ["vulnerability_snapshot_parts", "vulnerability_snapshots"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE generation < $1"))
                .bind(generation)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok((generation, size))
    }
}

/// A writer that refuses bytes past `left`.
struct Bounded<W> {
    inner: W,
    left: u64,
}

impl<W: Write> Write for Bounded<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if bytes.len() as u64 > self.left {
            return Err(std::io::Error::other(
                "it inflates past the size it was published with",
            ));
        }
        let written = self.inner.write(bytes)?;
        self.left -= written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
