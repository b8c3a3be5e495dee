//! Secrets the server must keep to use them later (registry passwords, webhook signing
//! secrets) are sealed before they reach the database: ChaCha20-Poly1305 under the server's
//! key, a fresh random nonce each time, stored as `sealed:v1:` and the base64 of the nonce
//! and ciphertext. The field's name is bound in as associated data, so a sealed value moved
//! to another column does not open. Values stored before sealing was introduced (or by a
//! server without a key) read as they are.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

use crate::ServerError;

const PREFIX: &str = "sealed:v1:";
const KEY_LEN: usize = 32;

/// The key that seals stored secrets.
pub struct SecretKey {
    key: LessSafeKey,
    random: SystemRandom,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(****)")
    }
}

impl SecretKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<SecretKey, ServerError> {
        let unbound = UnboundKey::new(&CHACHA20_POLY1305, bytes)
            .map_err(|_| ServerError::Secret(format!("a secret key is {KEY_LEN} bytes")))?;
        Ok(SecretKey {
            key: LessSafeKey::new(unbound),
            random: SystemRandom::new(),
        })
    }

    /// The key in `path` (64 hex digits), made there first if the file does not exist:
    /// readable by its owner alone. Every process of one deployment must use the same key.
    pub fn load_or_create(path: &Path) -> Result<SecretKey, ServerError> {
        let failed = |message: String| {
            ServerError::Secret(format!("secret key `{}`: {message}", path.display()))
        };
        if !path.exists() {
            let mut bytes = [0u8; KEY_LEN];
            SystemRandom::new()
                .fill(&mut bytes)
                .map_err(|_| failed("no randomness to make a key from".into()))?;
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
            let dir = dir.unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
            // Written whole beside it first, then linked into place: a process starting at
            // the same moment reads the one key, never half of one.
            let mut written =
                tempfile::NamedTempFile::new_in(dir).map_err(|e| failed(e.to_string()))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                written
                    .as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| failed(e.to_string()))?;
            }
            writeln!(written, "{}", hex::encode(bytes)).map_err(|e| failed(e.to_string()))?;
            match written.persist_noclobber(path) {
                Ok(_) => {
                    tracing::info!(path = %path.display(), "made a secret key for stored credentials")
                }
                // Another process made it first: read theirs.
                Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(failed(error.error.to_string())),
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
        let bytes = hex::decode(text.trim())
            .ok()
            .filter(|bytes| bytes.len() == KEY_LEN)
            .ok_or_else(|| failed(format!("not a key ({} hex digits)", KEY_LEN * 2)))?;
        SecretKey::from_bytes(&bytes)
    }

    /// Seals `plain` for the column `field`.
    pub fn seal(&self, field: &str, plain: &str) -> Result<String, ServerError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| ServerError::Secret("no randomness for a nonce".into()))?;
        let mut sealed = plain.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(field.as_bytes()),
                &mut sealed,
            )
            .map_err(|_| ServerError::Secret("sealing failed".into()))?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&sealed);
        Ok(format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(stored)
        ))
    }

    /// Opens a value of the column `field`; a value that was never sealed is returned as
    /// it is.
    pub fn open(&self, field: &str, stored: &str) -> Result<String, ServerError> {
        let Some(encoded) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_string());
        };
        let wrong = || {
            ServerError::Secret(format!(
                "a stored {field} does not open with this server's secret key: every process \
                 must use the key it was sealed with (`secret-key-file`)"
            ))
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| wrong())?;
        if bytes.len() < NONCE_LEN {
            return Err(wrong());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| wrong())?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(field.as_bytes()), &mut sealed)
            .map_err(|_| wrong())?;
        String::from_utf8(plain.to_vec()).map_err(|_| wrong())
    }
}

/// Whether a stored value is sealed.
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let key = SecretKey::load_or_create(&path).unwrap();
        let again = SecretKey::load_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let sealed = key.seal("registry_pass", "hunter2-password").unwrap();
        assert!(is_sealed(&sealed) && !sealed.contains("hunter2"));
        assert_ne!(
            sealed,
            key.seal("registry_pass", "hunter2-password").unwrap(),
            "fresh nonces"
        );
        assert_eq!(
            again.open("registry_pass", &sealed).unwrap(),
            "hunter2-password"
        );
        assert!(
            key.open("webhook_secret", &sealed).is_err(),
            "bound to its field"
        );

        let other = SecretKey::from_bytes(&[7; KEY_LEN]).unwrap();
        let error = other.open("registry_pass", &sealed).unwrap_err();
        assert!(error.to_string().contains("secret-key-file"), "{error}");

        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(key.open("registry_pass", &tampered).is_err());
        assert!(key.open("registry_pass", "sealed:v1:%%%").is_err());
        assert_eq!(key.open("registry_pass", "plain-old").unwrap(), "plain-old");

        std::fs::write(&path, "not hex\n").unwrap();
        assert!(SecretKey::load_or_create(&path).is_err());
    }
}
