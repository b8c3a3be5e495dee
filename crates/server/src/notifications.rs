//! Notifications: events of subscribed tags (analysis finished, vulnerabilities changed by
//! re-matching, policy result changed) queued in the database for every webhook of the
//! account, and delivered by a background task: signed with the webhook's secret
//! (`X-Plimsoll-Signature: sha256=HMAC`), retried with exponential backoff, never in the
//! way of analysis.

use std::collections::BTreeMap;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::server::AppState;
use crate::store::{ImageRecord, NotificationRecord, Store};
use crate::time::now_rfc3339;
use crate::ServerError;

/// How long one delivery may take before it counts as failed.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claimed notification is hidden from other deliverers.
const CLAIM_LEASE_SECONDS: i64 = 60;
/// The longest wait between two attempts.
const MAX_BACKOFF_SECONDS: i64 = 300;

/// The signature header value for a body: `sha256=` and the hex HMAC-SHA256 under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Seconds to wait after the `attempt`-th failed delivery (1, 2, 4, … up to five minutes).
pub fn backoff(attempt: i64) -> i64 {
    let exponent = attempt.clamp(1, 10) - 1;
    (1_i64 << exponent).min(MAX_BACKOFF_SECONDS)
}

/// Delivers due notifications until the process stops.
pub async fn run_notifier(state: AppState) {
    let client = match reqwest::Client::builder()
        .timeout(DELIVERY_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(error = %error, "webhook client unavailable; notifications wait");
            return;
        }
    };
    loop {
        match state
            .store
            .claim_notifications(20, CLAIM_LEASE_SECONDS)
            .await
        {
            Ok(batch) if !batch.is_empty() => {
                for notification in batch {
                    if let Err(error) = deliver(&state.store, &client, &notification).await {
                        tracing::warn!(error = %error, "recording a webhook delivery failed");
                    }
                }
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %error, "claiming notifications failed"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn deliver(
    store: &Store,
    client: &reqwest::Client,
    notification: &NotificationRecord,
) -> Result<(), ServerError> {
    let Some(webhook) = store.webhook(&notification.webhook).await? else {
        return store
            .record_delivery(&notification.id, Err("the webhook was deleted".into()), 0)
            .await;
    };
    let outcome = client
        .post(&webhook.url)
        .header("content-type", "application/json")
        .header("x-plimsoll-event", &notification.event_type)
        .header("x-plimsoll-delivery", &notification.id)
        .header(
            "x-plimsoll-signature",
            signature(&webhook.secret, notification.body.as_bytes()),
        )
        .body(notification.body.clone())
        .send()
        .await;
    let outcome = match outcome {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) => Err(format!("the endpoint answered {}", response.status())),
        // Without the URL, which may carry credentials.
        Err(error) => Err(format!("the delivery failed: {}", error.without_url())),
    };
    if let Err(reason) = &outcome {
        tracing::warn!(
            webhook = %webhook.id,
            event = %notification.event_type,
            attempt = notification.attempts + 1,
            reason = %reason,
            "webhook delivery failed"
        );
    }
    store
        .record_delivery(
            &notification.id,
            outcome,
            backoff(notification.attempts + 1),
        )
        .await
}

/// Queues an event for every tag of the image with an active subscription of its type.
async fn notify_tags(
    store: &Store,
    image: &ImageRecord,
    event_type: &str,
    data: Value,
) -> Result<(), ServerError> {
    for tag in &image.tags {
        let key = tag.reference().full_tag();
        if !store.subscribed(&image.account, event_type, &key).await? {
            continue;
        }
        let body = json!({
            "event_type": event_type,
            "account": image.account,
            "subscription_key": key,
            "image_digest": image.digest,
            "timestamp": now_rfc3339(),
            "data": data,
        });
        store
            .notify(&image.account, event_type, &body.to_string())
            .await?;
    }
    Ok(())
}

/// An analysis finished (`analyzed` or `analysis_failed`).
pub async fn analysis_finished(store: &Store, account: &str, digest: &str) {
    let outcome = async {
        let Some(image) = store.image(account, digest).await? else {
            return Ok(());
        };
        let data = json!({
            "analysis_status": image.analysis_status,
            "analysis_error": image.analysis_error,
        });
        notify_tags(store, &image, "analysis_update", data).await
    };
    if let Err(error) = outcome.await {
        tracing::warn!(error = %error, "queueing an analysis notification failed");
    }
}

/// The identity of a finding in a vulnerability report, with the row to show.
fn findings(report: &Value) -> BTreeMap<(String, String, String), Value> {
    ["os", "non-os"]
        .iter()
        .flat_map(|kind| report[*kind].as_array().cloned().unwrap_or_default())
        .map(|row| {
            let text = |key: &str| row[key].as_str().unwrap_or_default().to_string();
            let key = (text("vuln"), text("package"), text("package_path"));
            let shown = json!({
                "vuln": row["vuln"], "package": row["package"], "severity": row["severity"],
                "fix": row["fix"], "package_path": row["package_path"],
            });
            (key, shown)
        })
        .collect()
}

/// What re-matching changed: findings added and removed.
pub fn report_diff(before: &Value, after: &Value) -> (Vec<Value>, Vec<Value>) {
    let (old, new) = (findings(before), findings(after));
    let added = new
        .iter()
        .filter(|(key, _)| !old.contains_key(*key))
        .map(|(_, row)| row.clone())
        .collect();
    let removed = old
        .iter()
        .filter(|(key, _)| !new.contains_key(*key))
        .map(|(_, row)| row.clone())
        .collect();
    (added, removed)
}

/// Re-matching changed an image's vulnerabilities.
pub async fn vulnerabilities_changed(
    store: &Store,
    account: &str,
    digest: &str,
    before: &Value,
    after: &Value,
) {
    let (added, removed) = report_diff(before, after);
    if added.is_empty() && removed.is_empty() {
        return;
    }
    let outcome = async {
        let Some(image) = store.image(account, digest).await? else {
            return Ok(());
        };
        let data = json!({"added": added, "removed": removed});
        notify_tags(store, &image, "vuln_update", data).await
    };
    if let Err(error) = outcome.await {
        tracing::warn!(error = %error, "queueing a vulnerability notification failed");
    }
}

/// A policy evaluation of a tag came out differently from the one before it.
pub async fn policy_changed(
    store: &Store,
    image: &ImageRecord,
    tag: &str,
    previous: &str,
    current: &str,
) {
    let body = json!({
        "event_type": "policy_eval",
        "account": image.account,
        "subscription_key": tag,
        "image_digest": image.digest,
        "timestamp": now_rfc3339(),
        "data": {"previous_status": previous, "status": current},
    });
    let outcome = async {
        if store.subscribed(&image.account, "policy_eval", tag).await? {
            store
                .notify(&image.account, "policy_eval", &body.to_string())
                .await?;
        }
        Ok::<_, ServerError>(())
    };
    if let Err(error) = outcome.await {
        tracing::warn!(error = %error, "queueing a policy notification failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_in_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let waits: Vec<i64> = (1..=12).map(backoff).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
    }

    #[test]
    fn the_diff_lists_added_and_removed_findings() {
        let row = |vuln: &str| {
            json!({"vuln": vuln, "package": "idna-2.10", "severity": "High",
                                       "fix": "3.7", "package_path": "/x"})
        };
        let before = json!({"os": [], "non-os": [row("A"), row("B")]});
        let after = json!({"os": [], "non-os": [row("B"), row("C")]});
        let (added, removed) = report_diff(&before, &after);
        assert_eq!(added.len(), 1);
        assert_eq!(added[0]["vuln"], "C");
        assert_eq!(removed[0]["vuln"], "A");
        assert_eq!(report_diff(&after, &after), (vec![], vec![]));
    }
}
