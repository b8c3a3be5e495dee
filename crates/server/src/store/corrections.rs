//! Corrections and VEX documents of an account, kept as their JSON documents.

use sqlx::Row;

use super::Store;
use crate::time::now_rfc3339;
use crate::ServerError;

/// A stored VEX document.
#[derive(Debug, Clone)]
pub struct VexRecord {
    pub id: String,
    pub body: String,
    pub statements: i64,
    pub created_at: String,
}

impl Store {
    /// Stores a correction's JSON under its UUID.
    pub async fn add_correction(
        &self,
        account: &str,
        uuid: &str,
        body: &str,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "INSERT INTO corrections (account, uuid, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(account)
        .bind(uuid)
        .bind(body)
        .bind(now_rfc3339())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every correction of an account (its JSON), oldest first.
    pub async fn corrections(&self, account: &str) -> Result<Vec<String>, ServerError> {
        let rows = sqlx::query(
            "SELECT body FROM corrections WHERE account = $1 ORDER BY created_at, uuid",
        )
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?)
    }

    /// Deletes a correction; false when unknown.
    pub async fn delete_correction(&self, account: &str, uuid: &str) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM corrections WHERE account = $1 AND uuid = $2")
            .bind(account)
            .bind(uuid)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Stores (or replaces) a VEX document under its ID.
    pub async fn put_vex(
        &self,
        account: &str,
        id: &str,
        body: &str,
        statements: i64,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "INSERT INTO vex_documents (account, id, body, statements, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account, id) DO UPDATE SET \
             body = excluded.body, statements = excluded.statements, \
             created_at = excluded.created_at",
        )
        .bind(account)
        .bind(id)
        .bind(body)
        .bind(statements)
        .bind(now_rfc3339())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every VEX document of an account, oldest first.
    pub async fn vex_documents(&self, account: &str) -> Result<Vec<VexRecord>, ServerError> {
        let rows = sqlx::query(
            "SELECT id, body, statements, created_at FROM vex_documents WHERE account = $1 \
             ORDER BY created_at, id",
        )
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(VexRecord {
                    id: row.try_get(0)?,
                    body: row.try_get(1)?,
                    statements: row.try_get(2)?,
                    created_at: row.try_get(3)?,
                })
            })
            .collect()
    }

    /// Deletes a VEX document; false when unknown.
    pub async fn delete_vex(&self, account: &str, id: &str) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM vex_documents WHERE account = $1 AND id = $2")
            .bind(account)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() > 0)
    }
}
