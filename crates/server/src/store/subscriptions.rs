//! Subscriptions (Anchore's `tag_update`, `vuln_update`, `policy_eval`, `analysis_update`
//! and `repo_update`),
//! webhooks, and the notifications queued for them with their delivery state.

use sqlx::Row;

use super::Store;
use crate::time::{now_epoch, now_rfc3339};
use crate::ServerError;

/// The tag-level subscription types, created for every tag an image is added under.
pub const TAG_SUBSCRIPTIONS: &[&str] = &[
    "tag_update",
    "vuln_update",
    "policy_eval",
    "analysis_update",
];

/// How many delivery attempts a notification gets before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRecord {
    pub id: String,
    pub account: String,
    pub subscription_type: String,
    pub subscription_key: String,
    pub subscription_value: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub last_updated: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    pub id: String,
    pub account: String,
    pub url: String,
    pub secret: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: String,
    pub account: String,
    pub webhook: String,
    pub event_type: String,
    pub body: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

const SUBSCRIPTION_COLUMNS: &str = "id, account, subscription_type, subscription_key, \
    subscription_value, active, created_at, last_updated";
const NOTIFICATION_COLUMNS: &str = "id, account, webhook, event_type, body, state, attempts, \
    next_attempt, last_error, created_at, delivered_at";

fn subscription_from(row: &sqlx::any::AnyRow) -> Result<SubscriptionRecord, sqlx::Error> {
    Ok(SubscriptionRecord {
        id: row.try_get(0)?,
        account: row.try_get(1)?,
        subscription_type: row.try_get(2)?,
        subscription_key: row.try_get(3)?,
        subscription_value: row.try_get(4)?,
        active: row.try_get::<i64, _>(5)? != 0,
        created_at: row.try_get(6)?,
        last_updated: row.try_get(7)?,
    })
}

fn notification_from(row: &sqlx::any::AnyRow) -> Result<NotificationRecord, sqlx::Error> {
    Ok(NotificationRecord {
        id: row.try_get(0)?,
        account: row.try_get(1)?,
        webhook: row.try_get(2)?,
        event_type: row.try_get(3)?,
        body: row.try_get(4)?,
        state: row.try_get(5)?,
        attempts: row.try_get(6)?,
        next_attempt: row.try_get(7)?,
        last_error: row.try_get(8)?,
        created_at: row.try_get(9)?,
        delivered_at: row.try_get(10)?,
    })
}

/// The column webhook secrets are sealed for.
pub(super) const WEBHOOK_SECRET_FIELD: &str = "webhooks.secret";

fn webhook_from(row: &sqlx::any::AnyRow) -> Result<WebhookRecord, sqlx::Error> {
    Ok(WebhookRecord {
        id: row.try_get(0)?,
        account: row.try_get(1)?,
        url: row.try_get(2)?,
        secret: row.try_get(3)?,
        created_at: row.try_get(4)?,
    })
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Store {
    /// Creates a subscription unless one of the type and key exists; returns the record.
    pub async fn ensure_subscription(
        &self,
        account: &str,
        subscription_type: &str,
        key: &str,
        value: Option<&str>,
        active: bool,
    ) -> Result<SubscriptionRecord, ServerError> {
        let now = now_rfc3339();
        sqlx::query(
            "INSERT INTO subscriptions (id, account, subscription_type, subscription_key, \
             subscription_value, active, created_at, last_updated) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             ON CONFLICT (account, subscription_type, subscription_key) DO NOTHING",
        )
        .bind(new_id())
        .bind(account)
        .bind(subscription_type)
        .bind(key)
        .bind(value)
        .bind(i64::from(active))
        .bind(&now)
        .execute(self.pool())
        .await?;
        let found = self
            .subscriptions(account, Some(key), Some(subscription_type))
            .await?;
        found
            .into_iter()
            .next()
            .ok_or_else(|| ServerError::Corrupt("a subscription vanished as it was made".into()))
    }

    /// Gives a newly added tag Anchore's four tag-level subscriptions: `analysis_update`
    /// active, `tag_update` active when `autosubscribe` is asked for, the others inactive.
    /// Existing ones are left as they are.
    pub async fn ensure_tag_subscriptions(
        &self,
        account: &str,
        full_tag: &str,
        autosubscribe: bool,
    ) -> Result<(), ServerError> {
        for kind in TAG_SUBSCRIPTIONS {
            let active = match *kind {
                "analysis_update" => true,
                "tag_update" => autosubscribe,
                _ => false,
            };
            self.ensure_subscription(account, kind, full_tag, None, active)
                .await?;
        }
        Ok(())
    }

    /// The account's subscriptions, optionally of one key and type.
    pub async fn subscriptions(
        &self,
        account: &str,
        key: Option<&str>,
        subscription_type: Option<&str>,
    ) -> Result<Vec<SubscriptionRecord>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE account = $1 \
             AND ($2 = '' OR subscription_key = $2) AND ($3 = '' OR subscription_type = $3) \
             ORDER BY subscription_key, subscription_type"
        ))
        .bind(account)
        .bind(key.unwrap_or(""))
        .bind(subscription_type.unwrap_or(""))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(subscription_from)
            .collect::<Result<_, _>>()?)
    }

    /// One subscription of the account.
    pub async fn subscription(
        &self,
        account: &str,
        id: &str,
    ) -> Result<Option<SubscriptionRecord>, ServerError> {
        let row = sqlx::query(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE account = $1 AND id = $2"
        ))
        .bind(account)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(subscription_from).transpose()?)
    }

    /// Sets a subscription's active flag and value; `None` leaves either as it is.
    pub async fn update_subscription(
        &self,
        account: &str,
        id: &str,
        active: Option<bool>,
        value: Option<&str>,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "UPDATE subscriptions SET active = COALESCE($1, active), \
             subscription_value = COALESCE($2, subscription_value), last_updated = $3 \
             WHERE account = $4 AND id = $5",
        )
        .bind(active.map(i64::from))
        .bind(value)
        .bind(now_rfc3339())
        .bind(account)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn delete_subscription(&self, account: &str, id: &str) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM subscriptions WHERE account = $1 AND id = $2")
            .bind(account)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Every account's active subscriptions of one type.
    pub async fn active_subscriptions(
        &self,
        subscription_type: &str,
    ) -> Result<Vec<SubscriptionRecord>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE subscription_type = $1 \
             AND active = 1 ORDER BY account, subscription_key"
        ))
        .bind(subscription_type)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(subscription_from)
            .collect::<Result<_, _>>()?)
    }

    /// Claims a subscription's periodic check: true for the one caller that finds it due
    /// and moves its next check `period_seconds` ahead; every other process, until then,
    /// finds it taken.
    pub async fn claim_subscription_check(
        &self,
        id: &str,
        period_seconds: i64,
    ) -> Result<bool, ServerError> {
        let now = now_epoch();
        let result = sqlx::query(
            "UPDATE subscriptions SET next_check = $1 WHERE id = $2 AND next_check <= $3",
        )
        .bind(now + period_seconds)
        .bind(id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Whether the account has an active subscription of the type for the key.
    pub async fn subscribed(
        &self,
        account: &str,
        subscription_type: &str,
        key: &str,
    ) -> Result<bool, ServerError> {
        Ok(self
            .subscriptions(account, Some(key), Some(subscription_type))
            .await?
            .iter()
            .any(|s| s.active))
    }

    pub async fn add_webhook(
        &self,
        account: &str,
        url: &str,
        secret: &str,
    ) -> Result<WebhookRecord, ServerError> {
        let record = WebhookRecord {
            id: new_id(),
            account: account.to_string(),
            url: url.to_string(),
            secret: secret.to_string(),
            created_at: now_rfc3339(),
        };
        let sealed = self.seal(WEBHOOK_SECRET_FIELD, secret)?;
        sqlx::query(
            "INSERT INTO webhooks (id, account, url, secret, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&record.id)
        .bind(account)
        .bind(url)
        .bind(&sealed)
        .bind(&record.created_at)
        .execute(self.pool())
        .await?;
        Ok(record)
    }

    pub async fn webhooks(&self, account: &str) -> Result<Vec<WebhookRecord>, ServerError> {
        let rows = sqlx::query(
            "SELECT id, account, url, secret, created_at FROM webhooks WHERE account = $1 \
             ORDER BY created_at, id",
        )
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| self.webhook_from(row)).collect()
    }

    /// A row as a record, its secret opened.
    fn webhook_from(&self, row: &sqlx::any::AnyRow) -> Result<WebhookRecord, ServerError> {
        let mut record = webhook_from(row)?;
        record.secret = self.unseal(WEBHOOK_SECRET_FIELD, record.secret)?;
        Ok(record)
    }

    pub async fn delete_webhook(&self, account: &str, id: &str) -> Result<bool, ServerError> {
        let result = sqlx::query("DELETE FROM webhooks WHERE account = $1 AND id = $2")
            .bind(account)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Queues a notification for every webhook of the account; returns how many.
    pub async fn notify(
        &self,
        account: &str,
        event_type: &str,
        body: &str,
    ) -> Result<usize, ServerError> {
        let hooks = self.webhooks(account).await?;
        let now = now_rfc3339();
        for hook in &hooks {
            sqlx::query(&format!(
                "INSERT INTO notifications ({NOTIFICATION_COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, NULL, $7, NULL)"
            ))
            .bind(new_id())
            .bind(account)
            .bind(&hook.id)
            .bind(event_type)
            .bind(body)
            .bind(now_epoch())
            .bind(&now)
            .execute(self.pool())
            .await?;
        }
        Ok(hooks.len())
    }

    /// The account's notifications, newest first.
    pub async fn notifications(
        &self,
        account: &str,
    ) -> Result<Vec<NotificationRecord>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE account = $1 \
             ORDER BY created_at DESC, id"
        ))
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(notification_from)
            .collect::<Result<_, _>>()?)
    }

    /// Claims up to `limit` due notifications for one delivery attempt each: they are
    /// pushed `lease` seconds into the future first, so another process skips them, and a
    /// process that dies mid-delivery leaves them to be tried again.
    pub async fn claim_notifications(
        &self,
        limit: i64,
        lease: i64,
    ) -> Result<Vec<NotificationRecord>, ServerError> {
        let now = now_epoch();
        let rows = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications \
             WHERE state = 'pending' AND next_attempt <= $1 ORDER BY next_attempt LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut claimed = Vec::new();
        for row in &rows {
            let record = notification_from(row)?;
            let taken = sqlx::query(
                "UPDATE notifications SET next_attempt = $1 \
                 WHERE id = $2 AND state = 'pending' AND next_attempt = $3",
            )
            .bind(now + lease)
            .bind(&record.id)
            .bind(record.next_attempt)
            .execute(self.pool())
            .await?;
            if taken.rows_affected() == 1 {
                claimed.push(record);
            }
        }
        Ok(claimed)
    }

    /// Records one delivery attempt: delivered, or failed with a retry after `retry_in`
    /// seconds (or for good after [`MAX_ATTEMPTS`]).
    pub async fn record_delivery(
        &self,
        id: &str,
        outcome: Result<(), String>,
        retry_in: i64,
    ) -> Result<(), ServerError> {
        match outcome {
            Ok(()) => {
                sqlx::query(
                    "UPDATE notifications SET state = 'delivered', attempts = attempts + 1, \
                     delivered_at = $1, last_error = NULL WHERE id = $2",
                )
                .bind(now_rfc3339())
                .bind(id)
                .execute(self.pool())
                .await?;
            }
            Err(error) => {
                sqlx::query(
                    "UPDATE notifications SET attempts = attempts + 1, last_error = $1, \
                     next_attempt = $2, \
                     state = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END \
                     WHERE id = $4",
                )
                .bind(error)
                .bind(now_epoch() + retry_in)
                .bind(MAX_ATTEMPTS)
                .bind(id)
                .execute(self.pool())
                .await?;
            }
        }
        Ok(())
    }

    /// The webhook a notification goes to.
    pub async fn webhook(&self, id: &str) -> Result<Option<WebhookRecord>, ServerError> {
        let row =
            sqlx::query("SELECT id, account, url, secret, created_at FROM webhooks WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        row.as_ref().map(|row| self.webhook_from(row)).transpose()
    }
}
