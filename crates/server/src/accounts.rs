//! Passwords and the first start: argon2 hashing, and the `admin` account created when the
//! database has none.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::{ServerError, Store};

/// The administrator account and user created on first start.
pub const ADMIN: &str = "admin";

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| ServerError::Corrupt(format!("failed to hash a password: {error}")))
}

/// Whether `password` matches a stored hash; a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Creates the `admin` account and user if they do not exist. Returns the generated
/// password when none was configured, for the caller to show once.
pub async fn bootstrap_admin(
    store: &Store,
    configured: Option<&str>,
) -> Result<Option<String>, ServerError> {
    store.create_account(ADMIN, None, "admin").await?;
    crate::routes::seed_default_policy(store, ADMIN)
        .await
        .map_err(|error| ServerError::Corrupt(error.message))?;
    if store.user(ADMIN).await?.is_some() {
        return Ok(None);
    }
    let (password, generated) = match configured {
        Some(password) => (password.to_string(), None),
        None => {
            let password = uuid::Uuid::new_v4().simple().to_string();
            (password.clone(), Some(password))
        }
    };
    store
        .create_user(ADMIN, ADMIN, &hash_password(&password)?)
        .await?;
    Ok(generated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_their_password() {
        let hash = hash_password("s3cret-pass").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("s3cret-pass", &hash));
        assert!(!verify_password("s3cret-pasS", &hash));
        assert!(!verify_password("s3cret-pass", "not a hash"));
    }
}
