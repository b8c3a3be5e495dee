//! The job queue: rows claimed with a lease. A worker that dies leaves its job to be
//! claimed again when the lease runs out; on PostgreSQL `FOR UPDATE SKIP LOCKED` keeps
//! concurrent claimers off each other's rows, on SQLite the single writer does.
//!
//! Every claim increments the job's `attempts`, and that number fences the claim: a worker
//! whose lease ran out (it stalled, and another worker took the job over) can no longer
//! extend the lease, finish the job or record its results, because the row no longer
//! carries its attempt number.
//!
//! Not yet: a worker frozen while its transaction recording results is open keeps the
//! job's row locked, so `SKIP LOCKED` passes the job by until that worker wakes or its
//! connection drops; the lease covers workers that die, not that case.

use sqlx::{Any, Row, Transaction};

use super::{Backend, Store};
use crate::time::now_epoch;
use crate::ServerError;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Analyze an imported image.
    Analyze,
    /// Re-match an analyzed image after vulnerability data changed.
    Rematch,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Analyze => "analyze",
            JobKind::Rematch => "rematch",
        }
    }

    fn parse(text: &str) -> Option<JobKind> {
        match text {
            "analyze" => Some(JobKind::Analyze),
            "rematch" => Some(JobKind::Rematch),
            _ => None,
        }
    }
}

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub kind: JobKind,
    pub account: String,
    /// The image digest the job is about.
    pub subject: String,
    /// Which claim of the job this is; it fences the claim (see the module comment).
    pub attempts: i64,
}

/// Queues a job inside a transaction, unless the same job is already queued.
pub(super) async fn enqueue(
    transaction: &mut Transaction<'_, Any>,
    kind: JobKind,
    account: &str,
    subject: &str,
) -> Result<(), ServerError> {
    let queued = sqlx::query(
        "SELECT id FROM jobs WHERE kind = $1 AND account = $2 AND subject = $3 AND state = 'queued'",
    )
    .bind(kind.as_str())
    .bind(account)
    .bind(subject)
    .fetch_optional(&mut **transaction)
    .await?;
    if queued.is_some() {
        return Ok(());
    }
    let now = now_epoch();
    sqlx::query(
        "INSERT INTO jobs (id, kind, account, subject, state, lease_until, attempts, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, 0, $5, $5)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(kind.as_str())
    .bind(account)
    .bind(subject)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    // On PostgreSQL, idle workers in every process are woken when the job commits.
    if transaction.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(JOBS_CHANNEL)
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
}

/// The PostgreSQL notification channel on which queued jobs are announced.
pub const JOBS_CHANNEL: &str = "plimsoll_jobs";

/// Removes a finished job inside the transaction that records its results; `false` when
/// the claim had passed to another worker, and the results must not be recorded.
pub(super) async fn complete(
    transaction: &mut Transaction<'_, Any>,
    job: &Job,
) -> Result<bool, ServerError> {
    let result = sqlx::query("DELETE FROM jobs WHERE id = $1 AND attempts = $2")
        .bind(&job.id)
        .bind(job.attempts)
        .execute(&mut **transaction)
        .await?;
    Ok(result.rows_affected() == 1)
}

impl Store {
    /// Queues a job.
    pub async fn enqueue(
        &self,
        kind: JobKind,
        account: &str,
        subject: &str,
    ) -> Result<(), ServerError> {
        let mut transaction = self.pool().begin().await?;
        enqueue(&mut transaction, kind, account, subject).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Claims the oldest queued job, or a running one whose lease ran out, for
    /// `lease_seconds`, on behalf of `claimer` (`host/pid/worker`, for people and tests
    /// looking at the queue).
    pub async fn claim_job(
        &self,
        lease_seconds: i64,
        claimer: &str,
    ) -> Result<Option<Job>, ServerError> {
        let now = now_epoch();
        let candidate = "SELECT id FROM jobs WHERE state = 'queued' \
             OR (state = 'running' AND lease_until < $1) ORDER BY created_at LIMIT 1";
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let row = sqlx::query(&format!(
            "UPDATE jobs SET state = 'running', lease_until = $2, attempts = attempts + 1, \
             updated_at = $1, claimed_by = $3 WHERE id = ({candidate}{lock}) \
             RETURNING id, kind, account, subject, attempts"
        ))
        .bind(now)
        .bind(now + lease_seconds)
        .bind(claimer)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let kind: String = row.try_get("kind")?;
        Ok(Some(Job {
            id: row.try_get("id")?,
            kind: JobKind::parse(&kind)
                .ok_or_else(|| ServerError::Corrupt(format!("unknown job kind `{kind}`")))?,
            account: row.try_get("account")?,
            subject: row.try_get("subject")?,
            attempts: row.try_get("attempts")?,
        }))
    }

    /// Removes a finished job; `false` when the claim had already passed to another worker.
    pub async fn finish_job(&self, job: &Job) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM jobs WHERE id = $1 AND attempts = $2")
            .bind(&job.id)
            .bind(job.attempts)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Extends the lease of a job still being worked on; `false` when the claim had
    /// already passed to another worker.
    pub async fn extend_lease(&self, job: &Job, lease_seconds: i64) -> Result<bool, ServerError> {
        let now = now_epoch();
        let result = sqlx::query(
            "UPDATE jobs SET lease_until = $1, updated_at = $2 \
             WHERE id = $3 AND attempts = $4 AND state = 'running'",
        )
        .bind(now + lease_seconds)
        .bind(now)
        .bind(&job.id)
        .bind(job.attempts)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Makes every running job claimable now: for a process that knows it is the only
    /// worker (embedded SQLite) and is starting after a crash.
    pub async fn release_all_jobs(&self) -> Result<u64, ServerError> {
        let result = sqlx::query("UPDATE jobs SET lease_until = 0 WHERE state = 'running'")
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected())
    }

    /// Jobs in the queue as (kind, state, count).
    pub async fn queue_counts(&self) -> Result<Vec<(String, String, i64)>, ServerError> {
        let rows = sqlx::query("SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state")
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// Jobs waiting or running.
    pub async fn queue_depth(&self) -> Result<i64, ServerError> {
        let row = sqlx::query("SELECT COUNT(*) FROM jobs")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get(0)?)
    }
}
