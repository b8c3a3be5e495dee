//! Registry credentials: given directly, or found in the Docker config file
//! (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`) as `auths` entries or through
//! a credential helper (`credHelpers`, `credsStore`), whose protocol is: run
//! `docker-credential-NAME get`, write the server URL on its stdin, read
//! `{"Username": …, "Secret": …}` from its stdout.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use serde::Deserialize;

use crate::reference::DOCKER_HUB;
use crate::RegistryError;

/// The largest config file or helper answer read.
const MAX_CONFIG: u64 = 4 << 20;
/// The key Docker stores Docker Hub credentials under.
const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// A user name and password (or token). `Debug` shows the user only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"****")
            .finish()
    }
}

impl Credentials {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            username: username.into(),
            password: password.into(),
        }
    }

    pub fn password(&self) -> &str {
        &self.password
    }

    /// The value of a basic `Authorization` header.
    pub(crate) fn basic_header(&self) -> String {
        let pair = format!("{}:{}", self.username, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    /// The credentials the Docker config file holds for `registry`, if any.
    pub fn from_docker_config(registry: &str) -> Result<Option<Credentials>, RegistryError> {
        let Some(path) = docker_config_path() else {
            return Ok(None);
        };
        if !path.is_file() {
            return Ok(None);
        }
        let config = read_config(&path)?;
        config.lookup(registry)
    }
}

/// `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`.
fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".docker/config.json"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default)]
    cred_helpers: BTreeMap<String, String>,
    #[serde(default)]
    creds_store: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

fn read_config(path: &Path) -> Result<DockerConfig, RegistryError> {
    let fail =
        |reason: String| RegistryError::Credentials(format!("`{}`: {reason}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| fail(format!("it is not valid JSON: {e}")))
}

impl DockerConfig {
    /// Docker's order: a helper for the registry, then the default store, then `auths`.
    fn lookup(&self, registry: &str) -> Result<Option<Credentials>, RegistryError> {
        let keys = keys_for(registry);
        if let Some(helper) = keys.iter().find_map(|key| self.cred_helpers.get(key)) {
            return run_helper(helper, &server_url(registry));
        }
        if let Some(store) = self.creds_store.as_deref().filter(|s| !s.is_empty()) {
            if let Some(found) = run_helper(store, &server_url(registry))? {
                return Ok(Some(found));
            }
        }
        let entry = self
            .auths
            .iter()
            .find(|(key, _)| keys.contains(&host_of(key)))
            .map(|(_, entry)| entry);
        let Some(entry) = entry else { return Ok(None) };
        if let (Some(username), Some(password)) = (&entry.username, &entry.password) {
            return Ok(Some(Credentials::new(username, password)));
        }
        let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                RegistryError::Credentials(format!(
                    "the `auth` entry for `{registry}` is not base64 of `user:password`"
                ))
            })?;
        let (username, password) = decoded.split_once(':').ok_or_else(|| {
            RegistryError::Credentials(format!(
                "the `auth` entry for `{registry}` is not base64 of `user:password`"
            ))
        })?;
        Ok(Some(Credentials::new(username, password)))
    }
}

/// The names a registry may be stored under, as hosts.
fn keys_for(registry: &str) -> Vec<String> {
    if registry == DOCKER_HUB {
        ["index.docker.io", "docker.io", "registry-1.docker.io"]
            .map(str::to_string)
            .to_vec()
    } else {
        vec![registry.to_string()]
    }
}

/// `https://host/v1/` → `host`.
fn host_of(key: &str) -> String {
    let without_scheme = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    without_scheme
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// What a helper is asked about: Docker's own key for Docker Hub, else the host.
fn server_url(registry: &str) -> String {
    if registry == DOCKER_HUB {
        DOCKER_HUB_KEY.to_string()
    } else {
        registry.to_string()
    }
}

#[derive(Debug, Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Runs `docker-credential-NAME get`. A helper that has nothing for the server exits
/// non-zero ("credentials not found"); that is no credentials, not an error.
fn run_helper(name: &str, server: &str) -> Result<Option<Credentials>, RegistryError> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(RegistryError::Credentials(format!(
            "`{name}` is not a credential helper name"
        )));
    }
    let program = format!("docker-credential-{name}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| RegistryError::Credentials(format!("failed to run `{program}`: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server.as_bytes());
    }
    let mut out = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = stdout.take(MAX_CONFIG).read_to_end(&mut out);
    }
    let status = child
        .wait()
        .map_err(|e| RegistryError::Credentials(format!("`{program}` failed: {e}")))?;
    if !status.success() {
        tracing::debug!(
            helper = program,
            registry = server,
            "the credential helper has no entry"
        );
        return Ok(None);
    }
    let answer: HelperAnswer = serde_json::from_slice(&out).map_err(|e| {
        RegistryError::Credentials(format!(
            "`{program}` answered something that is not JSON: {e}"
        ))
    })?;
    if answer.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(Credentials::new(answer.username, answer.secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> DockerConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn auths_entries_by_host_with_or_without_scheme() {
        let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cret:x");
        let found = config(&format!(
            r#"{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{auth}"}},
                 "http://127.0.0.1:5000": {{"username": "bob", "password": "pw"}}}}}}"#
        ));
        let hub = found.lookup(DOCKER_HUB).unwrap().unwrap();
        assert_eq!(
            (hub.username.as_str(), hub.password()),
            ("alice", "s3cret:x")
        );
        let local = found.lookup("127.0.0.1:5000").unwrap().unwrap();
        assert_eq!(local.username, "bob");
        assert_eq!(found.lookup("quay.io").unwrap(), None);
        assert!(
            !format!("{hub:?}").contains("s3cret"),
            "Debug hides the password"
        );
    }

    #[test]
    fn a_broken_auth_entry_is_an_error_naming_no_secret() {
        let broken = config(r#"{"auths": {"r.io": {"auth": "bm8tY29sb24="}}}"#);
        let error = broken.lookup("r.io").unwrap_err().to_string();
        assert!(error.contains("not base64 of `user:password`"), "{error}");
    }

    #[test]
    fn credential_helpers_are_run_with_the_server_on_stdin() {
        let dir = tempfile::tempdir().unwrap();
        let helper = dir.path().join("docker-credential-plimsolltest");
        std::fs::write(
            &helper,
            "#!/bin/sh\nread server\n[ \"$1\" = get ] || exit 3\n\
             [ \"$server\" = r.example:5000 ] || { echo 'credentials not found'; exit 1; }\n\
             printf '{\"ServerURL\":\"%s\",\"Username\":\"carol\",\"Secret\":\"tok\"}' \"$server\"\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = format!(
            "{}:{}",
            dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        // The helper is found through PATH, as Docker finds it; set for this process only,
        // and only this test looks helpers up.
        std::env::set_var("PATH", path);
        let found = config(r#"{"credHelpers": {"r.example:5000": "plimsolltest"}}"#);
        let credentials = found.lookup("r.example:5000").unwrap().unwrap();
        assert_eq!(
            (credentials.username.as_str(), credentials.password()),
            ("carol", "tok")
        );
        let store = config(r#"{"credsStore": "plimsolltest"}"#);
        assert_eq!(
            store.lookup("other.example").unwrap(),
            None,
            "not found is no credentials"
        );
        let missing = config(r#"{"credsStore": "plimsoll-no-such-helper"}"#);
        assert!(missing.lookup("x.io").is_err());
    }
}
