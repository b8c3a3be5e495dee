//! Import operations (Anchore's `/imports/images`): an operation collects uploaded contents
//! by digest until `POST /images` turns them into an image.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::Store;
use crate::time::{now_rfc3339, rfc3339_in};
use crate::ServerError;

/// How long an operation stays open, as Anchore's engine does.
const OPERATION_LIFETIME_SECONDS: i64 = 24 * 3600;

/// An import operation.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOperation {
    pub uuid: String,
    #[serde(skip)]
    pub account: String,
    /// `pending`, `processing`, `complete`, `failed` or `expired`.
    pub status: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_updated: String,
}

/// One uploaded content of an operation.
#[derive(Debug, Clone)]
pub struct ImportContent {
    pub content_type: String,
    pub digest: String,
    pub body: Vec<u8>,
    pub created_at: String,
}

fn operation_from(row: &AnyRow) -> Result<ImportOperation, sqlx::Error> {
    Ok(ImportOperation {
        uuid: row.try_get("uuid")?,
        account: row.try_get("account")?,
        status: row.try_get("status")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_updated: row.try_get("last_updated")?,
    })
}

impl Store {
    /// Opens a new operation.
    pub async fn create_import(&self, account: &str) -> Result<ImportOperation, ServerError> {
        let now = now_rfc3339();
        let operation = ImportOperation {
            uuid: uuid::Uuid::new_v4().to_string(),
            account: account.to_string(),
            status: "pending".to_string(),
            created_at: now.clone(),
            expires_at: rfc3339_in(OPERATION_LIFETIME_SECONDS),
            last_updated: now,
        };
        sqlx::query(
            "INSERT INTO imports (uuid, account, status, created_at, expires_at, last_updated) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&operation.uuid)
        .bind(account)
        .bind(&operation.status)
        .bind(&operation.created_at)
        .bind(&operation.expires_at)
        .bind(&operation.last_updated)
        .execute(self.pool())
        .await?;
        Ok(operation)
    }

    /// An operation of an account; an expired pending one reads as `expired`.
    pub async fn import(
        &self,
        account: &str,
        uuid: &str,
    ) -> Result<Option<ImportOperation>, ServerError> {
        let row = sqlx::query(
            "SELECT uuid, account, status, created_at, expires_at, last_updated FROM imports \
             WHERE uuid = $1 AND account = $2",
        )
        .bind(uuid)
        .bind(account)
        .fetch_optional(self.pool())
        .await?;
        let mut operation = row.as_ref().map(operation_from).transpose()?;
        if let Some(operation) = &mut operation {
            if operation.status == "pending" && operation.expires_at < now_rfc3339() {
                operation.status = "expired".to_string();
            }
        }
        Ok(operation)
    }

    pub async fn imports(&self, account: &str) -> Result<Vec<ImportOperation>, ServerError> {
        let rows = sqlx::query(
            "SELECT uuid, account, status, created_at, expires_at, last_updated FROM imports \
             WHERE account = $1 ORDER BY created_at",
        )
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(operation_from).collect::<Result<_, _>>()?)
    }

    /// Deletes an operation and its contents.
    pub async fn delete_import(&self, account: &str, uuid: &str) -> Result<bool, ServerError> {
        let mut transaction = self.pool().begin().await?;
        let result = sqlx::query("DELETE FROM imports WHERE uuid = $1 AND account = $2")
            .bind(uuid)
            .bind(account)
            .execute(&mut *transaction)
            .await?;
        if result.rows_affected() == 1 {
            sqlx::query("DELETE FROM import_contents WHERE uuid = $1")
                .bind(uuid)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(result.rows_affected() == 1)
    }

    /// Stores an uploaded content; the same bytes twice are one row.
    pub async fn put_import_content(
        &self,
        uuid: &str,
        content_type: &str,
        digest: &str,
        body: &[u8],
    ) -> Result<String, ServerError> {
        let now = now_rfc3339();
        sqlx::query(
            "INSERT INTO import_contents (uuid, content_type, digest, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (uuid, content_type, digest) DO NOTHING",
        )
        .bind(uuid)
        .bind(content_type)
        .bind(digest)
        .bind(body)
        .bind(&now)
        .execute(self.pool())
        .await?;
        Ok(now)
    }

    /// The digests uploaded to an operation for a content type.
    pub async fn import_content_digests(
        &self,
        uuid: &str,
        content_type: &str,
    ) -> Result<Vec<String>, ServerError> {
        let rows = sqlx::query(
            "SELECT digest FROM import_contents WHERE uuid = $1 AND content_type = $2 \
             ORDER BY created_at",
        )
        .bind(uuid)
        .bind(content_type)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()?)
    }

    /// One uploaded content by type and digest.
    pub async fn import_content(
        &self,
        uuid: &str,
        content_type: &str,
        digest: &str,
    ) -> Result<Option<ImportContent>, ServerError> {
        let row = sqlx::query(
            "SELECT content_type, digest, body, created_at FROM import_contents \
             WHERE uuid = $1 AND content_type = $2 AND digest = $3",
        )
        .bind(uuid)
        .bind(content_type)
        .bind(digest)
        .fetch_optional(self.pool())
        .await?;
        Ok(row
            .map(|row| -> Result<ImportContent, sqlx::Error> {
                Ok(ImportContent {
                    content_type: row.try_get(0)?,
                    digest: row.try_get(1)?,
                    body: row.try_get(2)?,
                    created_at: row.try_get(3)?,
                })
            })
            .transpose()?)
    }
}
