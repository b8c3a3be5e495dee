//! The vulnerability store shared through PostgreSQL: a feed sync publishes the whole store
//! file as a numbered snapshot, compressed and split into parts small enough for one row
//! each, and every process keeps a local copy of the newest (see `feeds::cache`).

use sqlx::{Any, Row, Transaction};

use super::{compress, decompress, Backend, Store};
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

    /// The store file of a snapshot; `None` when a newer publication removed it meanwhile.
    pub async fn vulnerability_snapshot(
        &self,
        generation: i64,
    ) -> Result<Option<Vec<u8>>, ServerError> {
        let header = sqlx::query(
            "SELECT size_bytes, parts FROM vulnerability_snapshots WHERE generation = $1",
        )
        .bind(generation)
        .fetch_optional(self.pool())
        .await?;
        let Some(header) = header else {
            return Ok(None);
        };
        let size: i64 = header.try_get(0)?;
        let parts: i64 = header.try_get(1)?;
        // One statement, so the parts come from one consistent view of the table.
        let rows = sqlx::query(
            "SELECT body FROM vulnerability_snapshot_parts WHERE generation = $1 ORDER BY part",
        )
        .bind(generation)
        .fetch_all(self.pool())
        .await?;
        if rows.len() as i64 != parts {
            return Ok(None);
        }
        let mut compressed = Vec::new();
        for row in rows {
            compressed.extend_from_slice(&row.try_get::<Vec<u8>, _>(0)?);
        }
        let bytes = decompress(&compressed, size.max(0) as usize)?;
        if bytes.len() as i64 != size {
            return Err(ServerError::Corrupt(format!(
                "vulnerability snapshot {generation} holds {} bytes, not {size}",
                bytes.len()
            )));
        }
        Ok(Some(bytes))
    }

    /// Publishes a store file as the next snapshot and removes older ones; returns its
    /// generation. Callers hold the feed-sync lock, so generations do not race.
    pub async fn publish_vulnerability_snapshot(&self, file: &[u8]) -> Result<i64, ServerError> {
        let compressed = compress(file);
        let mut transaction = self.pool().begin().await?;
        let latest: Option<i64> =
            sqlx::query("SELECT MAX(generation) FROM vulnerability_snapshots")
                .fetch_one(&mut *transaction)
                .await?
                .try_get(0)?;
        let generation = latest.unwrap_or(0) + 1;
        let parts: Vec<&[u8]> = compressed.chunks(PART_BYTES).collect();
        sqlx::query(
            "INSERT INTO vulnerability_snapshots (generation, created_at, size_bytes, parts) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(generation)
        .bind(now_rfc3339())
        .bind(file.len() as i64)
        .bind(parts.len() as i64)
        .execute(&mut *transaction)
        .await?;
        for (index, part) in parts.iter().enumerate() {
            sqlx::query(
                "INSERT INTO vulnerability_snapshot_parts (generation, part, body) \
                 VALUES ($1, $2, $3)",
            )
            .bind(generation)
            .bind(index as i64)
            .bind(part.to_vec())
            .execute(&mut *transaction)
            .await?;
        }
        for table in ["vulnerability_snapshot_parts", "vulnerability_snapshots"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE generation < $1"))
                .bind(generation)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(generation)
    }
}
