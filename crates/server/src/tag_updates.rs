//! `tag_update` subscriptions: on a schedule, every tag with an active subscription is
//! looked up in its registry (with its account's registry settings); when it names a
//! manifest other than the image last recorded under it, that image is recorded under the
//! tag and queued to be pulled and analyzed, as `image add` would.
//!
//! Every worker process runs the check; two doing it at once record the same digest, which
//! the store treats as one image.

use plimsoll_registry::Reference;

use crate::references::TagReference;
use crate::routes::pulls;
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

/// Checks every active `tag_update` subscription; returns how many tags moved.
async fn check_all(state: &AppState) -> Result<usize, crate::ServerError> {
    let mut moved = 0;
    for subscription in state.store.active_subscriptions("tag_update").await? {
        match check_one(state, &subscription).await {
            Ok(true) => moved += 1,
            Ok(false) => {}
            Err(reason) => tracing::warn!(
                account = %subscription.account, tag = %subscription.subscription_key,
                reason, "failed to check a subscribed tag"
            ),
        }
    }
    if moved > 0 {
        state.wake.notify_waiters();
    }
    Ok(moved)
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
