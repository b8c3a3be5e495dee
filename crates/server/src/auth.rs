//! HTTP Basic authentication, and acting as another account (`x-anchore-account`, admins
//! only). Verified credentials are cached briefly by a digest of the header, because an
//! argon2 verification per request would cap the API at a few dozen requests a second.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::accounts::verify_password;
use crate::error::ApiError;
use crate::server::AppState;

/// How long a verified credential is trusted without checking the hash again.
const CACHE_TTL: Duration = Duration::from_secs(30);

/// The header admins use to act as another account.
const ACCOUNT_HEADER: &str = "x-anchore-account";

/// Who is calling, and as which account.
#[derive(Debug, Clone)]
pub struct Caller {
    pub username: String,
    /// The user's own account.
    pub own_account: String,
    pub is_admin: bool,
    /// The account the request acts on: the caller's own, or the one an admin named.
    pub account: String,
}

/// A verified credential: when, the user, their account, and whether it is an admin's.
type Verified = (Instant, String, String, bool);

/// Recently verified credentials, keyed by a digest of the Authorization header.
#[derive(Debug, Default)]
pub struct CredentialCache {
    entries: Mutex<HashMap<[u8; 32], Verified>>,
}

impl CredentialCache {
    fn get(&self, key: &[u8; 32]) -> Option<(String, String, bool)> {
        let entries = self.entries.lock().ok()?;
        let (at, user, account, admin) = entries.get(key)?;
        (at.elapsed() < CACHE_TTL).then(|| (user.clone(), account.clone(), *admin))
    }

    fn put(&self, key: [u8; 32], user: &str, account: &str, admin: bool) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() > 10_000 {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), user.into(), account.into(), admin));
        }
    }

    /// Forgets every cached credential (after a password or account change).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let key: [u8; 32] = Sha256::digest(header.as_bytes()).into();
        let (username, own_account, is_admin) = match state.credentials.get(&key) {
            Some(cached) => cached,
            None => {
                let (username, password) =
                    parse_basic(header).ok_or_else(ApiError::unauthorized)?;
                let user = state
                    .store
                    .user(&username)
                    .await?
                    .ok_or_else(ApiError::unauthorized)?;
                let hash = user.password_hash.clone();
                let matches =
                    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                        .await
                        .map_err(ApiError::internal)?;
                if !matches {
                    return Err(ApiError::unauthorized());
                }
                let account = state
                    .store
                    .account(&user.account)
                    .await?
                    .ok_or_else(ApiError::unauthorized)?;
                if account.state != "enabled" {
                    return Err(ApiError::unauthorized());
                }
                let is_admin = account.account_type == "admin";
                state
                    .credentials
                    .put(key, &username, &account.name, is_admin);
                (username, account.name, is_admin)
            }
        };

        let account = match parts
            .headers
            .get(ACCOUNT_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|value| !value.is_empty() && *value != own_account)
        {
            Some(other) if is_admin => {
                if state.store.account(other).await?.is_none() {
                    return Err(ApiError::not_found(format!("account `{other}` not found")));
                }
                other.to_string()
            }
            Some(_) => {
                return Err(ApiError::forbidden(
                    "only administrators may act as another account",
                ))
            }
            None => own_account.clone(),
        };
        Ok(Caller {
            username,
            own_account,
            is_admin,
            account,
        })
    }
}

/// Splits a `Basic` Authorization header into user and password.
fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_headers() {
        assert_eq!(
            parse_basic("Basic YWRtaW46Zm9vYmFy"),
            Some(("admin".into(), "foobar".into()))
        );
        assert_eq!(parse_basic("Bearer YWRtaW46Zm9vYmFy"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
        assert_eq!(parse_basic("Basic YWRtaW4="), None);
    }
}
