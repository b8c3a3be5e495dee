//! `tag_update` subscriptions: on a schedule, every tag with an active subscription is
//! looked up in its registry (with its account's registry settings); when it names a
//! manifest other than the image last recorded under it, that image is recorded under the
//! tag and queued to be pulled and analyzed, as `image add` would.
//!
//! `repo_update` subscriptions (`repo add`): on the same schedule, the repository's tags are
//! listed, and each one not taken in before is added as `image add` would add it, with the
//! tag-level subscriptions (`tag_update` active when the repository was added with
//! `autosubscribe`). The subscription's value keeps the tags taken in and their count.
//!
//! Every worker process runs the watcher, and each check goes to the one that claims it
//! (see `Store::claim_subscription_check`); were two to record the same digest at once,
//! the store would still keep it as one image.

use std::collections::BTreeSet;

use plimsoll_registry::{Reference, RegistryClient, RegistryError};
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::references::TagReference;
use crate::routes::{client_options, pulls};
use crate::server::AppState;
use crate::store::SubscriptionRecord;

/// Checks the subscribed tags every `tag_update_interval`.
pub async fn run_watcher(state: AppState) {
    loop {
        tokio::time::sleep(state.config.tag_update_interval).await;
        match check_all(&state).await {
            Ok(moved) if moved > 0 => tracing::info!(tags = moved, "tags moved; new images queued"),
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %error, "failed to check subscribed tags"),
        }
    }
}

/// How far ahead a claimed check moves a subscription's next one: a little under the
/// interval, so that a check claimed late in one tick is due by the next tick of whichever
/// worker comes first.
pub(crate) fn check_period(state: &AppState) -> i64 {
    (state.config.tag_update_interval.as_secs_f64() * 0.9).floor() as i64
}

/// Checks every active `tag_update` and `repo_update` subscription this process claims;
/// returns how many tags moved or were found.
async fn check_all(state: &AppState) -> Result<usize, crate::ServerError> {
    let mut moved = 0;
    let period = check_period(state);
    for subscription in state.store.active_subscriptions("tag_update").await? {
        if !state
            .store
            .claim_subscription_check(&subscription.id, period)
            .await?
        {
            continue;
        }
        match check_one(state, &subscription).await {
            Ok(true) => moved += 1,
            Ok(false) => {}
            Err(reason) => tracing::warn!(
                account = %subscription.account, tag = %subscription.subscription_key,
                reason, "failed to check a subscribed tag"
            ),
        }
    }
    for subscription in state.store.active_subscriptions("repo_update").await? {
        if state
            .store
            .claim_subscription_check(&subscription.id, period)
            .await?
        {
            moved += check_repository_logged(state, &subscription, None).await;
        }
    }
    if moved > 0 {
        state.wake.notify_waiters();
    }
    Ok(moved)
}

/// The tags of `REGISTRY/REPO`, listed with the account's settings for the registry.
pub(crate) async fn list_tags(
    state: &AppState,
    account: &str,
    repository: &str,
) -> ApiResult<Result<Vec<String>, RegistryError>> {
    let reference = match Reference::parse(repository) {
        Ok(reference) => reference,
        Err(error) => return Ok(Err(error)),
    };
    let settings = state
        .store
        .registry_for(account, &reference.registry, &reference.repository)
        .await?;
    let options = client_options(settings.as_ref());
    tokio::task::spawn_blocking(move || RegistryClient::connect(&reference, &options)?.tags())
        .await
        .map_err(|error| ApiError::internal(format!("listing tags panicked: {error}")))
}

/// [`check_repository`], its failure logged; returns how many tags it took in.
pub(crate) async fn check_repository_logged(
    state: &AppState,
    subscription: &SubscriptionRecord,
    listed: Option<Vec<String>>,
) -> usize {
    match check_repository(state, subscription, listed).await {
        Ok(added) => {
            if added > 0 {
                state.wake.notify_waiters();
            }
            added
        }
        Err(reason) => {
            tracing::warn!(
                account = %subscription.account, repository = %subscription.subscription_key,
                reason, "failed to check a watched repository"
            );
            0
        }
    }
}

/// Lists a watched repository's tags (unless `listed` already holds them) and adds each
/// one not taken in before; returns how many it added. A tag that fails to add is tried
/// again at the next check.
async fn check_repository(
    state: &AppState,
    subscription: &SubscriptionRecord,
    listed: Option<Vec<String>>,
) -> Result<usize, String> {
    let account = subscription.account.as_str();
    let repository = subscription.subscription_key.as_str();
    let mut value: serde_json::Map<String, Value> = subscription
        .subscription_value
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    let autosubscribe = value
        .get("autosubscribe")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut taken: BTreeSet<String> = value
        .get("repotags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|tag| tag.as_str().map(str::to_string))
        .collect();
    let tags = match listed {
        Some(tags) => tags,
        None => list_tags(state, account, repository)
            .await
            .map_err(|error| error.message)?
            .map_err(|error| error.to_string())?,
    };
    let mut added = 0;
    let new: Vec<&String> = tags.iter().filter(|tag| !taken.contains(*tag)).collect();
    for tag in new {
        let full = format!("{repository}:{tag}");
        match add_tag(state, account, &full, autosubscribe).await {
            Ok(()) => {
                taken.insert(tag.clone());
                added += 1;
            }
            Err(reason) => tracing::warn!(
                account, tag = %full, reason, "failed to add a tag of a watched repository"
            ),
        }
    }
    value.insert("repotags".into(), json!(taken));
    value.insert("tagcount".into(), json!(taken.len()));
    state
        .store
        .update_subscription(
            account,
            &subscription.id,
            None,
            Some(&Value::Object(value).to_string()),
        )
        .await
        .map_err(|error| error.to_string())?;
    if added > 0 {
        tracing::info!(
            account,
            repository,
            tags = added,
            "watched repository tags added"
        );
    }
    Ok(added)
}

/// Adds one tag as `image add` would: resolved, recorded, queued and subscribed.
async fn add_tag(
    state: &AppState,
    account: &str,
    full: &str,
    autosubscribe: bool,
) -> Result<(), String> {
    let tag = TagReference::parse(full).ok_or_else(|| format!("`{full}` is not a tag"))?;
    let reference = Reference::parse(full).map_err(|error| error.to_string())?;
    let found = pulls::resolve(state, account, &reference)
        .await
        .map_err(|error| error.message)?
        .map_err(|error| error.to_string())?;
    let key = tag.full_tag();
    pulls::record(state, account, &reference, tag, found, None, None, false)
        .await
        .map_err(|error| error.message)?;
    state
        .store
        .ensure_tag_subscriptions(account, &key, autosubscribe)
        .await
        .map_err(|error| error.to_string())
}

/// Looks one subscribed tag up; records and queues the image it now names if that is new.
async fn check_one(state: &AppState, subscription: &SubscriptionRecord) -> Result<bool, String> {
    let account = subscription.account.as_str();
    let key = subscription.subscription_key.as_str();
    let tag = TagReference::parse(key).ok_or_else(|| format!("`{key}` is not a tag"))?;
    let reference = Reference::parse(key).map_err(|error| error.to_string())?;
    let found = pulls::resolve(state, account, &reference)
        .await
        .map_err(|error| error.message)?
        .map_err(|error| error.to_string())?;
    let current = state
        .store
        .images_by_tag(account, &tag)
        .await
        .map_err(|error| error.to_string())?;
    if current
        .first()
        .is_some_and(|image| image.digest == found.digest)
    {
        return Ok(false);
    }
    let digest = found.digest.clone();
    pulls::record(state, account, &reference, tag, found, None, None, false)
        .await
        .map_err(|error| error.message)?;
    tracing::info!(account, tag = key, image.digest = %digest, "tag moved to a new image");
    Ok(true)
}
