//! What the server reports about vulnerability feeds (`/system/feeds`): one feed record and
//! its groups, refreshed after each sync from the vulnerability store.

use sqlx::Row;

use super::Store;
use crate::time::now_rfc3339;
use crate::ServerError;

/// A feed as `/system/feeds` lists it.
#[derive(Debug, Clone)]
pub struct FeedRecord {
    pub name: String,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
    pub last_full_sync: Option<String>,
    pub groups: Vec<FeedGroupRecord>,
}

/// A group of a feed (`debian:12`, `github:python`).
#[derive(Debug, Clone)]
pub struct FeedGroupRecord {
    pub name: String,
    pub enabled: bool,
    pub created_at: String,
    pub last_sync: Option<String>,
    pub record_count: i64,
}

impl Store {
    /// Records a finished sync of `feed` with its groups and their record counts.
    pub async fn record_feed_sync(
        &self,
        feed: &str,
        groups: &[(String, i64, String)],
    ) -> Result<(), ServerError> {
        let now = now_rfc3339();
        let mut transaction = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO feeds (name, enabled, created_at, updated_at, last_full_sync) \
             VALUES ($1, 1, $2, $2, $2) ON CONFLICT (name) DO UPDATE SET updated_at = $2, \
             last_full_sync = $2",
        )
        .bind(feed)
        .bind(&now)
        .execute(&mut *transaction)
        .await?;
        for (group, count, last_sync) in groups {
            sqlx::query(
                "INSERT INTO feed_groups (feed, name, enabled, created_at, last_sync, record_count) \
                 VALUES ($1, $2, 1, $3, $4, $5) ON CONFLICT (feed, name) DO UPDATE SET \
                 last_sync = $4, record_count = $5",
            )
            .bind(feed)
            .bind(group)
            .bind(&now)
            .bind(last_sync)
            .bind(*count)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Makes sure a feed is listed (before its first sync, with no `last_full_sync`).
    pub async fn ensure_feed(&self, feed: &str) -> Result<(), ServerError> {
        let now = now_rfc3339();
        sqlx::query(
            "INSERT INTO feeds (name, enabled, created_at, updated_at, last_full_sync) \
             VALUES ($1, 1, $2, $2, NULL) ON CONFLICT (name) DO NOTHING",
        )
        .bind(feed)
        .bind(&now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every feed with its groups.
    pub async fn feeds(&self) -> Result<Vec<FeedRecord>, ServerError> {
        let rows = sqlx::query(
            "SELECT name, enabled, created_at, updated_at, last_full_sync FROM feeds ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        let mut feeds = Vec::new();
        for row in rows {
            let name: String = row.try_get("name")?;
            let groups = sqlx::query(
                "SELECT name, enabled, created_at, last_sync, record_count FROM feed_groups \
                 WHERE feed = $1 ORDER BY name",
            )
            .bind(&name)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|group| -> Result<FeedGroupRecord, sqlx::Error> {
                Ok(FeedGroupRecord {
                    name: group.try_get("name")?,
                    enabled: group.try_get::<i64, _>("enabled")? != 0,
                    created_at: group.try_get("created_at")?,
                    last_sync: group.try_get("last_sync")?,
                    record_count: group.try_get("record_count")?,
                })
            })
            .collect::<Result<_, _>>()?;
            feeds.push(FeedRecord {
                enabled: row.try_get::<i64, _>("enabled")? != 0,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
                last_full_sync: row.try_get("last_full_sync")?,
                name,
                groups,
            });
        }
        Ok(feeds)
    }
}
