//! Policy bundles per account (one active at a time) and the history of evaluations.

use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{compress, decompress, Store};
use crate::time::now_rfc3339;
use crate::ServerError;

/// The largest stored evaluation result.
const RESULT_LIMIT: usize = 256 * 1024 * 1024;

/// A stored bundle.
#[derive(Debug, Clone)]
pub struct PolicyRecord {
    pub account: String,
    pub policy_id: String,
    pub name: Option<String>,
    pub active: bool,
    pub policy_source: String,
    /// The bundle as JSON text.
    pub bundle: String,
    pub created_at: String,
    pub last_updated: String,
}

impl PolicyRecord {
    /// The record as Anchore's `PolicyBundleRecord`; the bundle only with `detail`.
    pub fn to_json(&self, detail: bool) -> Value {
        let bundle = if detail {
            serde_json::from_str(&self.bundle).unwrap_or_else(|_| json!({}))
        } else {
            json!({})
        };
        json!({
            "policyId": self.policy_id,
            "active": self.active,
            "userId": self.account,
            "policy_source": self.policy_source,
            "name": self.name,
            "created_at": self.created_at,
            "last_updated": self.last_updated,
            "policybundle": bundle,
        })
    }
}

/// One evaluation of an image and tag.
#[derive(Debug, Clone)]
pub struct EvaluationRecord {
    pub policy_id: String,
    pub status: String,
    pub final_action: String,
    pub created_at: String,
    /// `{policy, result}`: the bundle and the result document.
    pub detail: Value,
}

fn policy_from(row: &AnyRow) -> Result<PolicyRecord, sqlx::Error> {
    Ok(PolicyRecord {
        account: row.try_get("account")?,
        policy_id: row.try_get("policy_id")?,
        name: row.try_get("name")?,
        active: row.try_get::<i64, _>("active")? != 0,
        policy_source: row.try_get("policy_source")?,
        bundle: row.try_get("bundle")?,
        created_at: row.try_get("created_at")?,
        last_updated: row.try_get("last_updated")?,
    })
}

const POLICY_COLUMNS: &str =
    "account, policy_id, name, active, policy_source, bundle, created_at, last_updated";

impl Store {
    /// Adds a bundle; false when the account already has one with that ID.
    pub async fn add_policy(
        &self,
        account: &str,
        policy_id: &str,
        name: Option<&str>,
        bundle: &str,
        active: bool,
    ) -> Result<bool, ServerError> {
        let now = now_rfc3339();
        let result = sqlx::query(
            "INSERT INTO policies (account, policy_id, name, active, policy_source, bundle, \
             created_at, last_updated) VALUES ($1, $2, $3, $4, 'local', $5, $6, $6) \
             ON CONFLICT (account, policy_id) DO NOTHING",
        )
        .bind(account)
        .bind(policy_id)
        .bind(name)
        .bind(i64::from(active))
        .bind(bundle)
        .bind(&now)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Adds `bundle` as the active policy of an account that has none.
    pub async fn ensure_default_policy(
        &self,
        account: &str,
        policy_id: &str,
        name: &str,
        bundle: &str,
    ) -> Result<(), ServerError> {
        let existing = sqlx::query("SELECT COUNT(*) FROM policies WHERE account = $1")
            .bind(account)
            .fetch_one(self.pool())
            .await?
            .try_get::<i64, _>(0)?;
        if existing == 0 {
            self.add_policy(account, policy_id, Some(name), bundle, true)
                .await?;
        }
        Ok(())
    }

    pub async fn policies(&self, account: &str) -> Result<Vec<PolicyRecord>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE account = $1 ORDER BY created_at, policy_id"
        ))
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(policy_from).collect::<Result<_, _>>()?)
    }

    pub async fn policy(
        &self,
        account: &str,
        policy_id: &str,
    ) -> Result<Option<PolicyRecord>, ServerError> {
        let row = sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE account = $1 AND policy_id = $2"
        ))
        .bind(account)
        .bind(policy_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(policy_from).transpose()?)
    }

    /// The account's active bundle.
    pub async fn active_policy(&self, account: &str) -> Result<Option<PolicyRecord>, ServerError> {
        let row = sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE account = $1 AND active = 1"
        ))
        .bind(account)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(policy_from).transpose()?)
    }

    /// Replaces a bundle's document.
    pub async fn update_policy_bundle(
        &self,
        account: &str,
        policy_id: &str,
        name: Option<&str>,
        bundle: &str,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "UPDATE policies SET bundle = $1, name = $2, last_updated = $3 \
             WHERE account = $4 AND policy_id = $5",
        )
        .bind(bundle)
        .bind(name)
        .bind(now_rfc3339())
        .bind(account)
        .bind(policy_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Makes one bundle the active one and every other inactive, in one transaction.
    pub async fn activate_policy(&self, account: &str, policy_id: &str) -> Result<(), ServerError> {
        let now = now_rfc3339();
        let mut transaction = self.pool().begin().await?;
        sqlx::query(
            "UPDATE policies SET active = 0, last_updated = $1 WHERE account = $2 AND active = 1 \
             AND policy_id <> $3",
        )
        .bind(&now)
        .bind(account)
        .bind(policy_id)
        .execute(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE policies SET active = 1, last_updated = $1 WHERE account = $2 AND policy_id = $3",
        )
        .bind(&now)
        .bind(account)
        .bind(policy_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    pub async fn delete_policy(&self, account: &str, policy_id: &str) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM policies WHERE account = $1 AND policy_id = $2")
            .bind(account)
            .bind(policy_id)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records an evaluation.
    pub async fn record_evaluation(
        &self,
        account: &str,
        digest: &str,
        tag: &str,
        record: &EvaluationRecord,
    ) -> Result<(), ServerError> {
        let body = serde_json::to_vec(&record.detail).unwrap_or_default();
        sqlx::query(
            "INSERT INTO evaluations (id, account, digest, tag, policy_id, status, final_action, \
             created_at, sequence, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(account)
        .bind(digest)
        .bind(tag)
        .bind(&record.policy_id)
        .bind(&record.status)
        .bind(&record.final_action)
        .bind(&record.created_at)
        .bind(jiff::Timestamp::now().as_nanosecond() as i64)
        .bind(compress(&body))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Evaluations of an image and tag, newest first.
    pub async fn evaluations(
        &self,
        account: &str,
        digest: &str,
        tag: &str,
    ) -> Result<Vec<EvaluationRecord>, ServerError> {
        let rows = sqlx::query(
            "SELECT policy_id, status, final_action, created_at, result FROM evaluations \
             WHERE account = $1 AND digest = $2 AND tag = $3 ORDER BY sequence DESC",
        )
        .bind(account)
        .bind(digest)
        .bind(tag)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let body: Vec<u8> = row.try_get("result")?;
                let detail = serde_json::from_slice(&decompress(&body, RESULT_LIMIT)?)
                    .map_err(|error| ServerError::Corrupt(error.to_string()))?;
                Ok(EvaluationRecord {
                    policy_id: row.try_get("policy_id")?,
                    status: row.try_get("status")?,
                    final_action: row.try_get("final_action")?,
                    created_at: row.try_get("created_at")?,
                    detail,
                })
            })
            .collect()
    }
}
