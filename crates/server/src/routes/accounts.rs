//! `/account`, `/user` and `/accounts/...`: who the caller is, and (for administrators) the
//! accounts and their users.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::body::JsonBody;
use crate::accounts::{hash_password, ADMIN};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::server::AppState;
use crate::store::{Account, User};

/// anchore-cli's own bounds on passwords, enforced here too.
const PASSWORD_LENGTH: std::ops::RangeInclusive<usize> = 6..=128;

fn require_admin(caller: &Caller) -> ApiResult<()> {
    if caller.is_admin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only administrators may manage accounts",
        ))
    }
}

/// An account the caller may manage: any for admins, their own otherwise.
fn may_manage(caller: &Caller, account: &str) -> ApiResult<()> {
    if caller.is_admin || caller.own_account == account {
        Ok(())
    } else {
        Err(ApiError::forbidden("not authorized for this account"))
    }
}

async fn account_or_404(state: &AppState, name: &str) -> ApiResult<Account> {
    state
        .store
        .account(name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("account {name} not found")))
}

fn valid_name(name: &str) -> ApiResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "`{name}` is not a valid name (letters, digits, `_`, `-`, `.`, `@`; at most 128)"
        )))
    }
}

fn valid_password(password: &str) -> ApiResult<()> {
    if PASSWORD_LENGTH.contains(&password.chars().count()) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "passwords must have 6 to 128 characters",
        ))
    }
}

/// `GET /account`.
pub async fn own_account(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Account>> {
    Ok(Json(account_or_404(&state, &caller.account).await?))
}

/// `GET /user`.
pub async fn own_user(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<User>> {
    let user = state
        .store
        .user(&caller.username)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    Ok(Json(user))
}

#[derive(Debug, Deserialize)]
pub struct Credential {
    #[serde(rename = "type", default)]
    credential_type: Option<String>,
    value: String,
}

async fn set_user_password(
    state: &AppState,
    username: &str,
    credential: Credential,
) -> ApiResult<Json<User>> {
    if credential
        .credential_type
        .as_deref()
        .is_some_and(|t| t != "password")
    {
        return Err(ApiError::bad_request(
            "only `password` credentials are supported",
        ));
    }
    valid_password(&credential.value)?;
    let hash = hash_password(&credential.value)?;
    if !state.store.set_password_hash(username, &hash).await? {
        return Err(ApiError::not_found(format!("user {username} not found")));
    }
    state.credentials.clear();
    let user = state
        .store
        .user(username)
        .await?
        .ok_or_else(|| ApiError::internal("user vanished"))?;
    Ok(Json(user))
}

/// `POST /user/credentials`.
pub async fn set_own_password(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(credential): JsonBody<Credential>,
) -> ApiResult<Json<User>> {
    set_user_password(&state, &caller.username, credential).await
}

/// `GET /accounts`.
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Account>>> {
    require_admin(&caller)?;
    Ok(Json(state.store.accounts().await?))
}

#[derive(Debug, Deserialize)]
pub struct NewAccount {
    name: String,
    #[serde(default)]
    email: Option<String>,
}

/// `POST /accounts`.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<NewAccount>,
) -> ApiResult<Json<Account>> {
    require_admin(&caller)?;
    valid_name(&request.name)?;
    if !state
        .store
        .create_account(&request.name, request.email.as_deref(), "user")
        .await?
    {
        return Err(ApiError::conflict(format!(
            "account {} already exists",
            request.name
        )));
    }
    super::seed_default_policy(&state.store, &request.name).await?;
    Ok(Json(account_or_404(&state, &request.name).await?))
}

/// `GET /accounts/{account}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Account>> {
    may_manage(&caller, &name)?;
    Ok(Json(account_or_404(&state, &name).await?))
}

/// `DELETE /accounts/{account}`: only a disabled account, never the admin's.
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    require_admin(&caller)?;
    let account = account_or_404(&state, &name).await?;
    if account.name == ADMIN || account.name == caller.own_account {
        return Err(ApiError::bad_request(
            "the administrator's own account cannot be deleted",
        ));
    }
    if account.state != "disabled" {
        return Err(ApiError::bad_request(
            "an account must be disabled before it is deleted",
        ));
    }
    state.store.delete_account(&name).await?;
    state.credentials.clear();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
pub struct AccountState {
    state: String,
}

/// `PUT /accounts/{account}/state`.
pub async fn set_state(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    JsonBody(request): JsonBody<AccountState>,
) -> ApiResult<Json<Value>> {
    require_admin(&caller)?;
    if !matches!(request.state.as_str(), "enabled" | "disabled") {
        return Err(ApiError::bad_request(
            "state must be `enabled` or `disabled`",
        ));
    }
    if name == ADMIN && request.state == "disabled" {
        return Err(ApiError::bad_request(
            "the admin account cannot be disabled",
        ));
    }
    if !state.store.set_account_state(&name, &request.state).await? {
        return Err(ApiError::not_found(format!("account {name} not found")));
    }
    state.credentials.clear();
    Ok(Json(serde_json::json!({"state": request.state})))
}

/// `GET /accounts/{account}/users`.
pub async fn users(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<User>>> {
    may_manage(&caller, &name)?;
    account_or_404(&state, &name).await?;
    Ok(Json(state.store.users(&name).await?))
}

#[derive(Debug, Deserialize)]
pub struct NewUser {
    username: String,
    password: String,
}

/// `POST /accounts/{account}/users`.
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    JsonBody(request): JsonBody<NewUser>,
) -> ApiResult<Json<User>> {
    require_admin(&caller)?;
    account_or_404(&state, &name).await?;
    valid_name(&request.username)?;
    valid_password(&request.password)?;
    let hash = hash_password(&request.password)?;
    if !state
        .store
        .create_user(&name, &request.username, &hash)
        .await?
    {
        return Err(ApiError::conflict(format!(
            "user {} already exists",
            request.username
        )));
    }
    let user = state
        .store
        .user(&request.username)
        .await?
        .ok_or_else(|| ApiError::internal("user vanished"))?;
    Ok(Json(user))
}

async fn user_of(state: &AppState, account: &str, username: &str) -> ApiResult<User> {
    state
        .store
        .user(username)
        .await?
        .filter(|user| user.account == account)
        .ok_or_else(|| ApiError::not_found(format!("user {username} not found")))
}

/// `GET /accounts/{account}/users/{user}`.
pub async fn user(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, username)): Path<(String, String)>,
) -> ApiResult<Json<User>> {
    may_manage(&caller, &name)?;
    Ok(Json(user_of(&state, &name, &username).await?))
}

/// `DELETE /accounts/{account}/users/{user}`.
pub async fn delete_user(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, username)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    require_admin(&caller)?;
    if username == caller.username {
        return Err(ApiError::bad_request("users cannot delete themselves"));
    }
    user_of(&state, &name, &username).await?;
    state.store.delete_user(&name, &username).await?;
    state.credentials.clear();
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /accounts/{account}/users/{user}/credentials`.
pub async fn set_password(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, username)): Path<(String, String)>,
    JsonBody(credential): JsonBody<Credential>,
) -> ApiResult<Json<User>> {
    if !(caller.is_admin || caller.username == username) {
        return Err(ApiError::forbidden(
            "not authorized to change this user's password",
        ));
    }
    user_of(&state, &name, &username).await?;
    set_user_password(&state, &username, credential).await
}
