//! The HTTP API: every route served both under `/v1` and unprefixed, as Anchore's engine
//! does, with one error envelope for every failure.

mod accounts;
mod ancestry;
mod body;
mod corrections;
mod diff;
mod images;
mod imports;
mod policies;
mod presenters;
pub(crate) mod pulls;
mod registries;
mod repositories;
mod subscriptions;
mod swagger;
mod system;

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, MatchedPath, State};
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{get, post, put};
use axum::Router;

use crate::error::ApiError;
use crate::server::AppState;

pub use corrections::account_corrections;
pub use policies::seed_default_policy;
pub use registries::client_options;
pub use swagger::ROUTES;

/// The annotation that links an imported image to its import operation.
pub const IMPORT_OPERATION_ANNOTATION: &str = "anchore.system/import_operation_id";

/// The message of the fallback, so tests can tell "no such route" from "no such image".
pub const NO_SUCH_ROUTE: &str = "no such route";

/// The whole API.
pub fn router(state: AppState) -> Router {
    let api: Router<AppState> = Router::new()
        .route("/health", get(system::health))
        .route("/ready", get(system::ready))
        .route("/metrics", get(system::metrics))
        .route("/version", get(system::version))
        .route("/swagger.json", get(swagger::document))
        .route("/system", get(system::status))
        .route("/system/services", get(system::services))
        .route("/system/feeds", get(system::feeds).post(system::sync_feeds))
        .route("/system/policy_spec", get(policies::policy_spec))
        .route("/policies", get(policies::list).post(policies::add))
        .route(
            "/policies/{policy_id}",
            get(policies::get)
                .put(policies::update)
                .delete(policies::delete),
        )
        .route("/images/{digest}/check", get(policies::check))
        .route(
            "/corrections",
            get(corrections::list).post(corrections::add),
        )
        .route(
            "/corrections/{uuid}",
            get(corrections::get).delete(corrections::delete),
        )
        .route(
            "/enterprise/corrections",
            get(corrections::list).post(corrections::add),
        )
        .route(
            "/enterprise/corrections/{uuid}",
            get(corrections::get).delete(corrections::delete),
        )
        .route(
            "/vex",
            get(corrections::list_vex)
                .post(corrections::add_vex)
                .layer(DefaultBodyLimit::max(16 << 20)),
        )
        .route(
            "/vex/{vex_id}",
            get(corrections::get_vex).delete(corrections::delete_vex),
        )
        .route("/images/{digest}/vex", get(corrections::export_image_vex))
        .route("/images/{digest}/diff/{other}", get(diff::diff))
        .route(
            "/subscriptions",
            get(subscriptions::list).post(subscriptions::add),
        )
        .route(
            "/subscriptions/{subscription_id}",
            get(subscriptions::get)
                .put(subscriptions::update)
                .delete(subscriptions::delete),
        )
        .route(
            "/webhooks",
            get(subscriptions::list_webhooks).post(subscriptions::add_webhook),
        )
        .route(
            "/webhooks/{webhook_id}",
            axum::routing::delete(subscriptions::delete_webhook),
        )
        .route("/notifications", get(subscriptions::notifications))
        .route("/imports/images", post(imports::create).get(imports::list))
        .route(
            "/imports/images/{operation}",
            get(imports::get).delete(imports::delete),
        )
        .route(
            "/imports/images/{operation}/{content_type}",
            post(imports::upload)
                .get(imports::list_contents)
                // The body is read by the handler, which enforces the configured limit.
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/images",
            post(images::add)
                .get(images::list)
                .delete(images::delete_many),
        )
        .route(
            "/images/by_id/{image_id}",
            get(images::get_by_id).delete(images::delete_by_id),
        )
        .route(
            "/images/by_id/{image_id}/vuln/{vtype}",
            get(images::vuln_by_id),
        )
        .route("/images/{digest}", get(images::get).delete(images::delete))
        .route("/images/{digest}/ancestors", get(ancestry::ancestors))
        .route(
            "/enterprise/images/{digest}/ancestors",
            get(ancestry::ancestors),
        )
        .route("/images/{digest}/vuln", get(images::vuln_types))
        .route("/images/{digest}/vuln/{vtype}", get(images::vuln))
        .route("/images/{digest}/content", get(images::content_types))
        .route("/images/{digest}/content/{ctype}", get(images::content))
        .route("/images/{digest}/metadata", get(images::metadata_types))
        .route("/images/{digest}/metadata/{mtype}", get(images::metadata))
        .route(
            "/images/{digest}/artifacts/{artifact_type}",
            get(images::artifacts),
        )
        .route("/registries", get(registries::list).post(registries::add))
        .route("/repositories", post(repositories::add))
        .route(
            "/registries/{registry}",
            get(registries::get)
                .put(registries::update)
                .delete(registries::delete),
        )
        .route("/account", get(accounts::own_account))
        .route("/user", get(accounts::own_user))
        .route("/user/credentials", post(accounts::set_own_password))
        .route("/accounts", get(accounts::list).post(accounts::create))
        .route(
            "/accounts/{account}",
            get(accounts::get).delete(accounts::delete),
        )
        .route("/accounts/{account}/state", put(accounts::set_state))
        .route(
            "/accounts/{account}/users",
            get(accounts::users).post(accounts::add_user),
        )
        .route(
            "/accounts/{account}/users/{user}",
            get(accounts::user).delete(accounts::delete_user),
        )
        .route(
            "/accounts/{account}/users/{user}/credentials",
            post(accounts::set_password),
        );

    Router::new()
        .route("/", get(system::ping))
        .route("/v1", get(system::ping))
        .route("/v1/", get(system::ping))
        .nest("/v1", api.clone())
        .merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log_request,
        ))
        .with_state(state)
}

/// What a worker-only process serves: liveness, readiness and metrics.
pub fn operations_router(state: AppState) -> Router {
    let operations: Router<AppState> = Router::new()
        .route("/health", get(system::health))
        .route("/ready", get(system::ready))
        .route("/metrics", get(system::metrics));
    Router::new()
        .nest("/v1", operations.clone())
        .merge(operations)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log_request,
        ))
        .with_state(state)
}

/// One log event per request: method, path (never the query, which may carry tags only, or
/// the headers, which carry credentials), status and duration; and the request counted by
/// its route template for `/metrics`.
async fn log_request(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    // The routes are served under `/v1` and unprefixed; both count as the one route.
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => match matched.as_str().strip_prefix("/v1") {
            Some("") => "/".to_string(),
            Some(rest) => rest.to_string(),
            None => matched.as_str().to_string(),
        },
        None => "unmatched".to_string(),
    };
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .request(method.as_str(), &route, response.status().as_u16());
    tracing::info!(
        http.method = %method,
        http.path = %path,
        http.status = response.status().as_u16(),
        duration_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(NO_SUCH_ROUTE).with_detail(serde_json::json!({"path": uri.path()}))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method {method} is not allowed on {}", uri.path()),
    )
}

/// A boolean query parameter, spelled as Python or JSON spells it (`True`, `false`).
pub fn flag(query: &HashMap<String, String>, name: &str, default: bool) -> Result<bool, ApiError> {
    match query.get(name) {
        None => Ok(default),
        Some(value) if value.eq_ignore_ascii_case("true") || value == "1" => Ok(true),
        Some(value) if value.eq_ignore_ascii_case("false") || value == "0" => Ok(false),
        Some(value) => Err(ApiError::bad_request(format!(
            "query parameter `{name}` must be true or false, not `{value}`"
        ))),
    }
}
