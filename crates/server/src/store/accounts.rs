//! Accounts and their users. Passwords are stored only as argon2 hashes.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::Store;
use crate::time::now_rfc3339;
use crate::ServerError;

/// An account: the unit that owns images and policies.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub name: String,
    pub email: Option<String>,
    /// `admin`, `user` or `service`.
    #[serde(rename = "type")]
    pub account_type: String,
    /// `enabled`, `disabled` or `deleting`.
    pub state: String,
    pub created_at: String,
    pub last_updated: String,
}

/// A user of an account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub username: String,
    #[serde(skip)]
    pub account: String,
    #[serde(skip)]
    pub password_hash: String,
    #[serde(rename = "type")]
    pub user_type: &'static str,
    pub source: Option<String>,
    pub created_at: String,
    pub last_updated: String,
}

fn account_from(row: &AnyRow) -> Result<Account, sqlx::Error> {
    Ok(Account {
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        account_type: row.try_get("type")?,
        state: row.try_get("state")?,
        created_at: row.try_get("created_at")?,
        last_updated: row.try_get("last_updated")?,
    })
}

fn user_from(row: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        username: row.try_get("username")?,
        account: row.try_get("account")?,
        password_hash: row.try_get("password_hash")?,
        user_type: "native",
        source: None,
        created_at: row.try_get("created_at")?,
        last_updated: row.try_get("last_updated")?,
    })
}

const ACCOUNT_COLUMNS: &str = "name, email, type, state, created_at, last_updated";
const USER_COLUMNS: &str = "username, account, password_hash, created_at, last_updated";

impl Store {
    /// Creates an account; false when the name is taken.
    pub async fn create_account(
        &self,
        name: &str,
        email: Option<&str>,
        account_type: &str,
    ) -> Result<bool, ServerError> {
        let now = now_rfc3339();
        let result = sqlx::query(
            "INSERT INTO accounts (name, email, type, state, created_at, last_updated) \
             VALUES ($1, $2, $3, 'enabled', $4, $4) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(email)
        .bind(account_type)
        .bind(&now)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn account(&self, name: &str) -> Result<Option<Account>, ServerError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = $1"
        ))
        .bind(name)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(account_from).transpose()?)
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(account_from).collect::<Result<_, _>>()?)
    }

    /// Sets an account's state; false when there is no such account.
    pub async fn set_account_state(&self, name: &str, state: &str) -> Result<bool, ServerError> {
        let result =
            sqlx::query("UPDATE accounts SET state = $1, last_updated = $2 WHERE name = $3")
                .bind(state)
                .bind(now_rfc3339())
                .bind(name)
                .execute(self.pool())
                .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Deletes an account with its users and everything it owns.
    pub async fn delete_account(&self, name: &str) -> Result<bool, ServerError> {
        let mut transaction = self.pool().begin().await?;
        for table in [
            "image_documents",
            "image_tags",
            "images",
            "jobs",
            "imports",
            "policies",
            "evaluations",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE account = $1"))
                .bind(name)
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query("DELETE FROM users WHERE account = $1")
            .bind(name)
            .execute(&mut *transaction)
            .await?;
        let result = sqlx::query("DELETE FROM accounts WHERE name = $1")
            .bind(name)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(result.rows_affected() == 1)
    }

    /// Creates a user; false when the name is taken.
    pub async fn create_user(
        &self,
        account: &str,
        username: &str,
        password_hash: &str,
    ) -> Result<bool, ServerError> {
        let now = now_rfc3339();
        let result = sqlx::query(
            "INSERT INTO users (username, account, password_hash, created_at, last_updated) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (username) DO NOTHING",
        )
        .bind(username)
        .bind(account)
        .bind(password_hash)
        .bind(&now)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn user(&self, username: &str) -> Result<Option<User>, ServerError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(user_from).transpose()?)
    }

    pub async fn users(&self, account: &str) -> Result<Vec<User>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE account = $1 ORDER BY username"
        ))
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(user_from).collect::<Result<_, _>>()?)
    }

    pub async fn delete_user(&self, account: &str, username: &str) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM users WHERE account = $1 AND username = $2")
            .bind(account)
            .bind(username)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn set_password_hash(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<bool, ServerError> {
        let result = sqlx::query(
            "UPDATE users SET password_hash = $1, last_updated = $2 WHERE username = $3",
        )
        .bind(password_hash)
        .bind(now_rfc3339())
        .bind(username)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }
}
