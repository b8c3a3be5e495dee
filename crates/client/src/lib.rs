//! A client for the Anchore v1 API as Plimsoll's server (and Anchore Engine) speak it: the
//! import flow `plimsoll scan -H` uses, and plain JSON requests for the CLI's server
//! commands. Credentials never appear in errors.

mod upload;

use std::time::Duration;

use reqwest::blocking::{RequestBuilder, Response};
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

pub use upload::Upload;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error status.
    #[error("{message} (HTTP {status})")]
    Api {
        status: u16,
        message: String,
        detail: Value,
    },
    /// The server could not be reached or the exchange broke off.
    #[error("failed to reach the server at `{url}`: {reason}")]
    Transport { url: String, reason: String },
    /// The answer was not what the API promises.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    /// The URL given is not usable.
    #[error("`{0}` is not a usable server URL")]
    Url(String),
}

/// A connection to one server as one user.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::blocking::Client,
    base: String,
    user: String,
    password: String,
    account: Option<String>,
}

impl Client {
    /// A client for `url`. As Syft's uploader did, a URL without a scheme gets `http://`
    /// and one whose path does not end in `v1` gets `/v1`.
    pub fn new(url: &str, user: &str, password: &str) -> Result<Client, ClientError> {
        let base = normalise_url(url)?;
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(300))
            .user_agent(concat!("plimsoll/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ClientError::Url(error.to_string()))?;
        Ok(Client {
            http,
            base,
            user: user.to_string(),
            password: password.to_string(),
            account: None,
        })
    }

    /// Acts as another account (administrators only), as `x-anchore-account` does.
    pub fn as_account(mut self, account: Option<String>) -> Client {
        self.account = account;
        self
    }

    /// The API base URL, ending in `/v1`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The host (and port) of the server, for messages.
    pub fn host(&self) -> String {
        reqwest::Url::parse(&self.base)
            .ok()
            .and_then(|url| {
                url.host_str().map(|host| match url.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host.to_string(),
                })
            })
            .unwrap_or_else(|| self.base.clone())
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    fn request(&self, builder: RequestBuilder) -> RequestBuilder {
        let builder = builder.basic_auth(&self.user, Some(&self.password));
        match &self.account {
            Some(account) => builder.header("x-anchore-account", account),
            None => builder,
        }
    }

    /// `GET path` (relative to `/v1`), answering JSON.
    pub fn get(&self, path: &str) -> Result<Value, ClientError> {
        let url = self.url(path);
        self.send(&url, self.request(self.http.get(&url)))
    }

    /// `POST path` with a JSON body.
    pub fn post_json(&self, path: &str, body: &Value) -> Result<Value, ClientError> {
        let url = self.url(path);
        let builder = self
            .http
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        self.send(&url, self.request(builder))
    }

    /// `POST path` with raw bytes of a content type.
    pub fn post_bytes(
        &self,
        path: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<Value, ClientError> {
        let url = self.url(path);
        let builder = self
            .http
            .post(&url)
            .header(CONTENT_TYPE, content_type)
            .body(body);
        self.send(&url, self.request(builder))
    }

    /// `PUT path` with a JSON body.
    pub fn put_json(&self, path: &str, body: &Value) -> Result<Value, ClientError> {
        let url = self.url(path);
        let builder = self
            .http
            .put(&url)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        self.send(&url, self.request(builder))
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str) -> Result<Value, ClientError> {
        let url = self.url(path);
        self.send(&url, self.request(self.http.delete(&url)))
    }

    fn send(&self, url: &str, builder: RequestBuilder) -> Result<Value, ClientError> {
        let response = builder.send().map_err(|error| ClientError::Transport {
            url: mask(url),
            reason: error.without_url().to_string(),
        })?;
        read(response, url)
    }
}

/// Reads a response: JSON on success (null for an empty body), the error envelope otherwise.
fn read(response: Response, url: &str) -> Result<Value, ClientError> {
    let status = response.status();
    let bytes = response.bytes().map_err(|error| ClientError::Transport {
        url: mask(url),
        reason: error.without_url().to_string(),
    })?;
    let body: Option<Value> = serde_json::from_slice(&bytes).ok();
    if status.is_success() {
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        return body.ok_or_else(|| ClientError::Protocol(format!("{} is not JSON", mask(url))));
    }
    let (message, detail) = match &body {
        Some(Value::Object(envelope)) => (
            envelope
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("request failed")
                .to_string(),
            envelope.get("detail").cloned().unwrap_or(Value::Null),
        ),
        _ => (
            String::from_utf8_lossy(&bytes)
                .trim()
                .chars()
                .take(200)
                .collect::<String>(),
            Value::Null,
        ),
    };
    let message = if message.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("request failed")
            .to_string()
    } else {
        message
    };
    Err(ClientError::Api {
        status: status.as_u16(),
        message,
        detail,
    })
}

/// Removes credentials from a URL for messages.
fn mask(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("****");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

fn normalise_url(url: &str) -> Result<String, ClientError> {
    let with_scheme = if url.contains("://") {
        url.to_string()
    } else {
        format!("http://{url}")
    };
    let parsed = reqwest::Url::parse(&with_scheme).map_err(|_| ClientError::Url(mask(url)))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(ClientError::Url(mask(url)));
    }
    let trimmed = with_scheme.trim_end_matches('/').to_string();
    if trimmed.rsplit('/').next() == Some("v1") {
        Ok(trimmed)
    } else {
        Ok(format!("{trimmed}/v1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_a_scheme_and_v1_as_syft_gave_them() {
        assert_eq!(
            normalise_url("localhost:8228").unwrap(),
            "http://localhost:8228/v1"
        );
        assert_eq!(normalise_url("http://h:1/v1/").unwrap(), "http://h:1/v1");
        assert_eq!(
            normalise_url("https://h/anchore").unwrap(),
            "https://h/anchore/v1"
        );
        assert!(normalise_url("ftp://h").is_err());
    }

    #[test]
    fn credentials_in_urls_are_masked() {
        assert_eq!(mask("http://me:secret@h/v1"), "http://****@h/v1");
        assert_eq!(mask("http://h/v1"), "http://h/v1");
    }
}
