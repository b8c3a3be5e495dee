//! `POST /repositories`: Anchore's `repo add`. The repository's tags are listed in its
//! registry with the account's settings, and a `repo_update` subscription records the
//! watch; every tag not seen before is then recorded and queued to be pulled, as `image
//! add` would, at once and on each later check (see `tag_updates`).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use serde_json::{json, Value};

use super::flag;
use super::subscriptions::{normalised_key, present};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::SubscriptionRecord;
use crate::tag_updates;

/// `POST /repositories?repository=R&autosubscribe=&dryrun=[&lookuptag=]`.
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let repository = query
        .get("repository")
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::bad_request("query parameter `repository` is required"))?;
    let autosubscribe = flag(&query, "autosubscribe", false)?;
    let dryrun = flag(&query, "dryrun", false)?;
    let lookuptag = query
        .get("lookuptag")
        .filter(|t| !t.is_empty())
        .map_or("latest", String::as_str);
    let key = normalised_key("repo_update", repository)?;

    let tags = tag_updates::list_tags(&state, &caller.account, &key)
        .await?
        .map_err(|error| {
            ApiError::not_found(format!(
                "no tags could be added from input regrepo ({repository}): {error}"
            ))
        })?;
    if dryrun {
        let value = json!({
            "autosubscribe": autosubscribe,
            "lookuptag": lookuptag,
            "tagcount": tags.len(),
        });
        let now = crate::time::now_rfc3339();
        let unsaved = SubscriptionRecord {
            id: String::new(),
            account: caller.account.clone(),
            subscription_type: "repo_update".into(),
            subscription_key: key,
            subscription_value: Some(value.to_string()),
            active: false,
            created_at: now.clone(),
            last_updated: now,
        };
        return Ok(Json(json!([present(&unsaved, &caller.account)])));
    }

    // Added again: the new settings, keeping the tags already taken in.
    let record = state
        .store
        .ensure_subscription(&caller.account, "repo_update", &key, None, true)
        .await?;
    let mut stored: serde_json::Map<String, Value> = record
        .subscription_value
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    stored.insert("autosubscribe".into(), json!(autosubscribe));
    stored.insert("lookuptag".into(), json!(lookuptag));
    stored.entry("tagcount").or_insert(json!(tags.len()));
    let stored = Value::Object(stored).to_string();
    state
        .store
        .update_subscription(&caller.account, &record.id, None, Some(&stored))
        .await?;
    let record = state
        .store
        .subscription(&caller.account, &record.id)
        .await?
        .ok_or_else(|| ApiError::internal("a subscription vanished as it was made"))?;

    // The first check runs now, on the tags just listed, rather than at the watcher's next
    // tick.
    let period = tag_updates::check_period(&state);
    if state
        .store
        .claim_subscription_check(&record.id, period)
        .await?
    {
        let state = state.clone();
        let subscription = record.clone();
        tokio::spawn(async move {
            tag_updates::check_repository_logged(&state, &subscription, Some(tags)).await;
        });
    }
    Ok(Json(json!([present(&record, &caller.account)])))
}
