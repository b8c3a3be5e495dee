//! Registry credentials of an account (Anchore's `RegistryConfiguration`), used when the
//! server pulls an image. The password is kept because pulling needs it, sealed with the
//! server's key (see `secrets`), and it is never returned by the API.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::Store;
use crate::time::now_rfc3339;
use crate::ServerError;

/// One registry configuration.
#[derive(Clone)]
pub struct RegistryRecord {
    pub account: String,
    /// The registry host (and port), optionally with a repository path prefix.
    pub registry: String,
    pub registry_name: String,
    pub registry_user: String,
    pub registry_pass: String,
    pub registry_type: String,
    /// Whether TLS is verified; `false` also allows plain HTTP.
    pub registry_verify: bool,
    pub created_at: String,
    pub last_updated: String,
}

impl std::fmt::Debug for RegistryRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryRecord")
            .field("account", &self.account)
            .field("registry", &self.registry)
            .field("registry_user", &self.registry_user)
            .field("registry_pass", &"****")
            .finish_non_exhaustive()
    }
}

/// The column registry passwords are sealed for.
pub(super) const PASSWORD_FIELD: &str = "registries.registry_pass";

const COLUMNS: &str = "account, registry, registry_name, registry_user, registry_pass, \
    registry_type, registry_verify, created_at, last_updated";

fn record_from(row: &AnyRow) -> Result<RegistryRecord, sqlx::Error> {
    let verify: i64 = row.try_get("registry_verify")?;
    Ok(RegistryRecord {
        account: row.try_get("account")?,
        registry: row.try_get("registry")?,
        registry_name: row.try_get("registry_name")?,
        registry_user: row.try_get("registry_user")?,
        registry_pass: row.try_get("registry_pass")?,
        registry_type: row.try_get("registry_type")?,
        registry_verify: verify != 0,
        created_at: row.try_get("created_at")?,
        last_updated: row.try_get("last_updated")?,
    })
}

impl Store {
    /// The account's registries, by name.
    pub async fn registries(&self, account: &str) -> Result<Vec<RegistryRecord>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM registries WHERE account = $1 ORDER BY registry"
        ))
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| self.registry_from(row)).collect()
    }

    /// One registry of the account.
    pub async fn registry(
        &self,
        account: &str,
        registry: &str,
    ) -> Result<Option<RegistryRecord>, ServerError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM registries WHERE account = $1 AND registry = $2"
        ))
        .bind(account)
        .bind(registry)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(|row| self.registry_from(row)).transpose()
    }

    /// A row as a record, its password opened.
    fn registry_from(&self, row: &AnyRow) -> Result<RegistryRecord, ServerError> {
        let mut record = record_from(row)?;
        record.registry_pass = self.unseal(PASSWORD_FIELD, record.registry_pass)?;
        Ok(record)
    }

    /// Adds a registry; `false` when the account already has one of that name.
    pub async fn add_registry(&self, record: &RegistryRecord) -> Result<bool, ServerError> {
        let now = now_rfc3339();
        let password = self.seal(PASSWORD_FIELD, &record.registry_pass)?;
        let result = sqlx::query(
            "INSERT INTO registries (account, registry, registry_name, registry_user, \
             registry_pass, registry_type, registry_verify, created_at, last_updated) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (account, registry) DO NOTHING",
        )
        .bind(&record.account)
        .bind(&record.registry)
        .bind(&record.registry_name)
        .bind(&record.registry_user)
        .bind(&password)
        .bind(&record.registry_type)
        .bind(i64::from(record.registry_verify))
        .bind(&now)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Replaces a registry's settings; `false` when there is no such registry.
    pub async fn update_registry(&self, record: &RegistryRecord) -> Result<bool, ServerError> {
        let password = self.seal(PASSWORD_FIELD, &record.registry_pass)?;
        let result = sqlx::query(
            "UPDATE registries SET registry_name = $3, registry_user = $4, registry_pass = $5, \
             registry_type = $6, registry_verify = $7, last_updated = $8 \
             WHERE account = $1 AND registry = $2",
        )
        .bind(&record.account)
        .bind(&record.registry)
        .bind(&record.registry_name)
        .bind(&record.registry_user)
        .bind(&password)
        .bind(&record.registry_type)
        .bind(i64::from(record.registry_verify))
        .bind(now_rfc3339())
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Deletes a registry; `false` when there was none.
    pub async fn delete_registry(
        &self,
        account: &str,
        registry: &str,
    ) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM registries WHERE account = $1 AND registry = $2")
            .bind(account)
            .bind(registry)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The configuration that applies to an image in `registry/repository`: the longest
    /// configured name that is the registry itself or a path prefix of the repository.
    pub async fn registry_for(
        &self,
        account: &str,
        registry: &str,
        repository: &str,
    ) -> Result<Option<RegistryRecord>, ServerError> {
        let full = format!("{registry}/{repository}");
        let best = self
            .registries(account)
            .await?
            .into_iter()
            .filter(|r| r.registry == registry || full.starts_with(&format!("{}/", r.registry)))
            .max_by_key(|r| r.registry.len());
        Ok(best)
    }
}
