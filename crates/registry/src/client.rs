//! The HTTP side: one client per repository, which pings `/v2/`, answers the registry's
//! authentication challenge, negotiates manifests and streams blobs.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::blocking::{Client, Response};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::manifest::{media_type, ImageManifest, Index, MediaTypeField};
use crate::platform::choose;
use crate::{Challenge, Credentials, Manifest, Platform, Reference, RegistryError, Resolved};
use crate::{Descriptor, VerifiedBlob};

/// Redirects followed for one request (blob downloads are often sent to object storage).
const MAX_REDIRECTS: usize = 5;
/// The largest token or error answer read.
const MAX_SMALL_ANSWER: u64 = 1 << 20;
/// The most tags a repository listing returns.
pub const MAX_TAGS: usize = 10_000;
const TAGS_PER_PAGE: usize = 1000;
const MAX_TAG_PAGES: usize = 100;
/// Where system CA bundles live on the common distributions.
const SYSTEM_CA_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// How to reach a registry.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Allow plain HTTP (tried after HTTPS) and TLS certificates that do not verify.
    pub insecure: bool,
    /// A PEM file of extra CA certificates to trust, beside the system's.
    pub ca_file: Option<PathBuf>,
    /// Credentials to use; when absent and `docker_config` is set, the Docker config file's.
    pub credentials: Option<Credentials>,
    /// Whether to look credentials up in the Docker config file.
    pub docker_config: bool,
    /// The longest wait for a connection or for any one read.
    pub timeout: Duration,
    /// The largest manifest, index or config read whole.
    pub max_document: u64,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            insecure: false,
            ca_file: None,
            credentials: None,
            docker_config: true,
            timeout: Duration::from_secs(120),
            max_document: 16 << 20,
        }
    }
}

/// A connection to one repository of one registry. `Debug` leaves out the credentials and
/// the `Authorization` value they earned.
pub struct RegistryClient {
    http: Client,
    /// The registry as the reference names it, for messages.
    registry: String,
    /// `https://host` or `http://host`.
    base: String,
    repository: String,
    credentials: Option<Credentials>,
    insecure: bool,
    /// The `Authorization` value that the last challenge earned.
    authorization: Mutex<Option<String>>,
    max_document: u64,
}

impl std::fmt::Debug for RegistryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryClient")
            .field("base", &self.base)
            .field("repository", &self.repository)
            .field("insecure", &self.insecure)
            .finish_non_exhaustive()
    }
}

impl RegistryClient {
    /// Connects to the reference's registry: finds a scheme that answers `/v2/` and
    /// answers its authentication challenge.
    pub fn connect(
        reference: &Reference,
        options: &ClientOptions,
    ) -> Result<RegistryClient, RegistryError> {
        let http = http_client(options, &reference.registry)?;
        let credentials = match &options.credentials {
            Some(credentials) => Some(credentials.clone()),
            None if options.docker_config => Credentials::from_docker_config(&reference.registry)?,
            None => None,
        };
        let schemes: &[&str] = if options.insecure {
            &["https", "http"]
        } else {
            &["https"]
        };
        let mut client = RegistryClient {
            http,
            registry: reference.registry.clone(),
            base: String::new(),
            repository: reference.repository.clone(),
            credentials,
            insecure: options.insecure,
            authorization: Mutex::new(None),
            max_document: options.max_document,
        };
        let mut last_error = None;
        for (position, scheme) in schemes.iter().enumerate() {
            client.base = format!("{scheme}://{}", reference.api_host());
            let url = format!("{}/v2/", client.base);
            match client.http.get(&url).send() {
                Ok(response) => {
                    client.after_ping(response)?;
                    tracing::debug!(registry = %client.registry, scheme, "registry answered");
                    return Ok(client);
                }
                Err(error) if position + 1 < schemes.len() => {
                    tracing::debug!(registry = %client.registry, scheme, error = %reason(&error), "trying the next scheme");
                    last_error = Some(error);
                }
                Err(error) => return Err(client.connect_error(&error)),
            }
        }
        Err(match last_error {
            Some(error) => client.connect_error(&error),
            None => RegistryError::Connect {
                registry: client.registry.clone(),
                reason: "no scheme to try".to_string(),
            },
        })
    }

    /// Checks that a registry answers and accepts the credentials in `options`: the
    /// `/v2/` ping, then the challenge answered and the ping repeated with what it earned
    /// (for bearer auth, a token service that refuses the credentials fails here).
    pub fn login(registry: &str, options: &ClientOptions) -> Result<(), RegistryError> {
        let probe = Reference {
            registry: registry.to_string(),
            repository: String::new(),
            tag: None,
            digest: None,
        };
        let client = RegistryClient::connect(&probe, options)?;
        let mut request = client.http.get(format!("{}/v2/", client.base));
        let authorization = client
            .authorization
            .lock()
            .ok()
            .and_then(|slot| slot.clone());
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        let response = request.send().map_err(|e| client.connect_error(&e))?;
        if response.status().is_success() {
            return Ok(());
        }
        let message = client.error_message(response);
        Err(client.unauthorized(&message))
    }

    /// The registry as the reference names it.
    pub fn registry(&self) -> &str {
        &self.registry
    }

    fn after_ping(&self, response: Response) -> Result<(), RegistryError> {
        match response.status() {
            status if status.is_success() => Ok(()),
            StatusCode::UNAUTHORIZED => {
                let challenge = challenge_of(&response, &self.registry)?;
                self.authenticate(&challenge)
            }
            _ => Err(self.status_error(response, "/v2/")),
        }
    }

    /// Earns an `Authorization` value for the challenge: the credentials themselves for
    /// basic auth, a token from the token service for bearer auth.
    fn authenticate(&self, challenge: &Challenge) -> Result<(), RegistryError> {
        let value = match challenge {
            Challenge::Basic => match &self.credentials {
                Some(credentials) => credentials.basic_header(),
                // Without credentials the requests go out bare and the 401 says why.
                None => return Ok(()),
            },
            Challenge::Bearer {
                realm,
                service,
                scope,
            } => format!(
                "Bearer {}",
                self.token(realm, service.as_deref(), scope.as_deref())?
            ),
        };
        if let Ok(mut slot) = self.authorization.lock() {
            *slot = Some(value);
        }
        Ok(())
    }

    /// Asks the token service for a pull token for the repository (Docker's token
    /// authentication specification).
    fn token(
        &self,
        realm: &str,
        service: Option<&str>,
        scope: Option<&str>,
    ) -> Result<String, RegistryError> {
        let mut url = reqwest::Url::parse(realm).map_err(|_| RegistryError::Protocol {
            registry: self.registry.clone(),
            reason: format!("the token service `{realm}` is not a URL"),
        })?;
        if url.scheme() != "https" && !self.insecure {
            return Err(RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!(
                    "the token service `{realm}` is not HTTPS; credentials are only sent \
                     over plain HTTP with `--insecure`"
                ),
            });
        }
        let own_scope =
            (!self.repository.is_empty()).then(|| format!("repository:{}:pull", self.repository));
        {
            let mut query = url.query_pairs_mut();
            if let Some(service) = service {
                query.append_pair("service", service);
            }
            if let Some(scope) = scope.or(own_scope.as_deref()) {
                query.append_pair("scope", scope);
            }
        }
        let mut request = self.http.get(url);
        if let Some(credentials) = &self.credentials {
            request = request.basic_auth(&credentials.username, Some(credentials.password()));
        }
        let response = request.send().map_err(|e| self.connect_error(&e))?;
        if response.status() == StatusCode::UNAUTHORIZED {
            return Err(self.unauthorized("the token service refused"));
        }
        if !response.status().is_success() {
            return Err(self.status_error(response, "a token"));
        }
        #[derive(Deserialize)]
        struct TokenAnswer {
            #[serde(default)]
            token: Option<String>,
            #[serde(default)]
            access_token: Option<String>,
        }
        let bytes = self.read_bounded(response, MAX_SMALL_ANSWER, "the token answer")?;
        let answer: TokenAnswer =
            serde_json::from_slice(&bytes).map_err(|e| RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!("the token answer is not JSON: {e}"),
            })?;
        answer
            .token
            .or(answer.access_token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: "the token answer holds no token".to_string(),
            })
    }

    /// GETs a path under `/v2/<repository>/`, answering one fresh challenge on a 401.
    fn get(&self, path: &str, accept: Option<&str>, what: &str) -> Result<Response, RegistryError> {
        let url = format!("{}/v2/{}/{path}", self.base, self.repository);
        let mut challenged = false;
        loop {
            let mut request = self.http.get(&url);
            if let Some(accept) = accept {
                request = request.header(ACCEPT, accept);
            }
            let authorization = self.authorization.lock().ok().and_then(|slot| slot.clone());
            if let Some(value) = authorization {
                request = request.header(AUTHORIZATION, value);
            }
            let response = request.send().map_err(|e| self.connect_error(&e))?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            if status == StatusCode::UNAUTHORIZED && !challenged {
                challenged = true;
                if let Ok(challenge) = challenge_of(&response, &self.registry) {
                    let before = self.authorization.lock().ok().and_then(|slot| slot.clone());
                    self.authenticate(&challenge)?;
                    let after = self.authorization.lock().ok().and_then(|slot| slot.clone());
                    // Retry only when the challenge earned something new (a token with the
                    // scope asked for, or credentials not yet sent).
                    if after.is_some() && after != before {
                        continue;
                    }
                }
            }
            if status == StatusCode::UNAUTHORIZED {
                let message = self.error_message(response);
                return Err(self.unauthorized(&message));
            }
            return Err(self.status_error(response, what));
        }
    }

    /// Fetches a manifest or index by tag or digest, checking its digest.
    pub fn manifest(&self, target: &str) -> Result<Manifest, RegistryError> {
        let what = format!("{}/{}:{target}", self.registry, self.repository)
            .replace(":sha256:", "@sha256:");
        let response = self.get(
            &format!("manifests/{target}"),
            Some(media_type::ACCEPT),
            &what,
        )?;
        let header_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().trim().to_string())
            .unwrap_or_default();
        let header_digest = response
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = self.read_bounded(response, self.max_document, "the manifest")?;
        let digest = format!("sha256:{}", hex::encode(Sha256::digest(&bytes)));

        let expected = if target.contains(':') {
            Some(target.to_string())
        } else {
            header_digest.filter(|d| d.starts_with("sha256:"))
        };
        if let Some(expected) = expected {
            if expected != digest {
                return Err(RegistryError::DigestMismatch {
                    registry: self.registry.clone(),
                    what: format!("manifest `{what}`"),
                    expected,
                    actual: digest,
                });
            }
        }

        let body: MediaTypeField =
            serde_json::from_slice(&bytes).map_err(|e| RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!("the manifest of `{what}` is not JSON: {e}"),
            })?;
        let media_type = match body.media_type.filter(|t| !t.is_empty()) {
            Some(declared) => declared,
            None if media_type::is_index(&header_type) || media_type::is_image(&header_type) => {
                header_type
            }
            // An OCI manifest may omit `mediaType`; tell an index by its `manifests`.
            None if body.schema_version == Some(2) && body.manifests.is_some() => {
                media_type::OCI_INDEX.to_string()
            }
            None if body.schema_version == Some(2) => media_type::OCI_MANIFEST.to_string(),
            None => header_type,
        };
        if !media_type::is_index(&media_type) && !media_type::is_image(&media_type) {
            return Err(RegistryError::UnsupportedMediaType {
                reference: what,
                media_type,
            });
        }
        Ok(Manifest {
            bytes,
            media_type,
            digest,
        })
    }

    /// Follows a reference to the image manifest for `platform`, through an index if the
    /// reference names one.
    pub fn resolve(
        &self,
        reference: &Reference,
        platform: &Platform,
    ) -> Result<Resolved, RegistryError> {
        let first = self.manifest(reference.target())?;
        let (manifest, index) = if media_type::is_index(&first.media_type) {
            let parsed: Index = self.parse(&first.bytes, "the image index")?;
            let chosen = choose(&parsed, platform).map_err(|available| {
                RegistryError::UnsupportedPlatform {
                    reference: reference.to_string(),
                    wanted: platform.to_string(),
                    available,
                }
            })?;
            let manifest = self.manifest(&chosen.digest)?;
            if !media_type::is_image(&manifest.media_type) {
                return Err(RegistryError::UnsupportedMediaType {
                    reference: reference.with_digest(&chosen.digest),
                    media_type: manifest.media_type,
                });
            }
            (manifest, Some(first))
        } else {
            (first, None)
        };
        let image: ImageManifest = self.parse(&manifest.bytes, "the image manifest")?;
        Ok(Resolved {
            manifest,
            index,
            config: image.config,
            layers: image.layers,
        })
    }

    /// The repository's tags (`/v2/<name>/tags/list`), following the registry's pages, up
    /// to [`MAX_TAGS`].
    pub fn tags(&self) -> Result<Vec<String>, RegistryError> {
        #[derive(Deserialize)]
        struct TagList {
            #[serde(default)]
            tags: Option<Vec<String>>,
        }
        let what = format!("the tags of {}/{}", self.registry, self.repository);
        let mut tags = Vec::new();
        let mut path = format!("tags/list?n={TAGS_PER_PAGE}");
        for _ in 0..MAX_TAG_PAGES {
            let response = self.get(&path, Some("application/json"), &what)?;
            let next = next_page(response.headers().get("link").and_then(|v| v.to_str().ok()));
            let bytes = self.read_bounded(response, self.max_document, "the tag list")?;
            let page: TagList = self.parse(&bytes, "the tag list")?;
            tags.extend(page.tags.unwrap_or_default());
            if tags.len() > MAX_TAGS {
                return Err(RegistryError::TooLarge {
                    registry: self.registry.clone(),
                    what: format!("{what} are more than {MAX_TAGS}"),
                });
            }
            match next {
                Some(query) => path = format!("tags/list?{query}"),
                None => {
                    tags.sort();
                    tags.dedup();
                    return Ok(tags);
                }
            }
        }
        // Pages that never end (empty ones, or one naming itself) are refused, not followed.
        Err(RegistryError::TooLarge {
            registry: self.registry.clone(),
            what: format!("{what} run to more than {MAX_TAG_PAGES} pages"),
        })
    }

    /// Opens a blob for streaming; the stream checks its size and digest as it is read.
    pub fn blob(&self, descriptor: &Descriptor, what: &str) -> Result<VerifiedBlob, RegistryError> {
        if !descriptor.digest.starts_with("sha256:") {
            return Err(RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!(
                    "the {what} `{}` uses a digest algorithm Plimsoll cannot check (only sha256)",
                    descriptor.digest
                ),
            });
        }
        // The size bounds the download: without it an endless body could run forever.
        if descriptor.size == 0 {
            return Err(RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!(
                    "the descriptor of the {what} `{}` has no size",
                    descriptor.digest
                ),
            });
        }
        if !crate::reference::is_digest(&descriptor.digest) {
            return Err(RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!("`{}` is not a digest", descriptor.digest),
            });
        }
        let response = self.get(
            &format!("blobs/{}", descriptor.digest),
            None,
            &format!(
                "{}/{}@{}",
                self.registry, self.repository, descriptor.digest
            ),
        )?;
        let size = Some(descriptor.size);
        if let (Some(size), Some(length)) = (size, content_length(&response)) {
            if length > size {
                return Err(RegistryError::TooLarge {
                    registry: self.registry.clone(),
                    what: format!(
                        "the {what} is {length} bytes, not the {size} its descriptor names"
                    ),
                });
            }
        }
        Ok(VerifiedBlob::new(
            Box::new(response),
            &descriptor.digest,
            size,
            &self.registry,
            format!("{what} `{}`", descriptor.digest),
        ))
    }

    /// Reads a small blob (an image config) whole, checked against its digest.
    pub fn blob_bytes(
        &self,
        descriptor: &Descriptor,
        what: &str,
    ) -> Result<Vec<u8>, RegistryError> {
        if descriptor.size > self.max_document {
            return Err(RegistryError::TooLarge {
                registry: self.registry.clone(),
                what: format!(
                    "the {what} is {} bytes, more than the {} allowed",
                    descriptor.size, self.max_document
                ),
            });
        }
        let blob = self.blob(descriptor, what)?;
        let mut bytes = Vec::new();
        blob.take(self.max_document + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| unwrap_io(error, &self.registry))?;
        if bytes.len() as u64 > self.max_document {
            return Err(RegistryError::TooLarge {
                registry: self.registry.clone(),
                what: format!("the {what} is more than {} bytes", self.max_document),
            });
        }
        Ok(bytes)
    }

    fn parse<'a, T: Deserialize<'a>>(
        &self,
        bytes: &'a [u8],
        what: &str,
    ) -> Result<T, RegistryError> {
        serde_json::from_slice(bytes).map_err(|e| RegistryError::Protocol {
            registry: self.registry.clone(),
            reason: format!("{what} is malformed: {e}"),
        })
    }

    /// Reads a whole answer, refusing one over `limit` bytes whether or not it says so.
    fn read_bounded(
        &self,
        response: Response,
        limit: u64,
        what: &str,
    ) -> Result<Vec<u8>, RegistryError> {
        let too_large = || RegistryError::TooLarge {
            registry: self.registry.clone(),
            what: format!("{what} is more than {limit} bytes"),
        };
        if content_length(&response).is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        response
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!("{what} broke off: {error}"),
            })?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(bytes)
    }

    fn unauthorized(&self, message: &str) -> RegistryError {
        let reason = match &self.credentials {
            Some(credentials) => format!(
                "the credentials of user `{}` were refused",
                credentials.username
            ),
            None => "it needs credentials and none were given".to_string(),
        };
        let reason = if message.is_empty() {
            reason
        } else {
            format!("{reason} ({message})")
        };
        let repository = if self.repository.is_empty() {
            "/v2/".to_string()
        } else {
            self.repository.clone()
        };
        RegistryError::Unauthorized {
            registry: self.registry.clone(),
            repository,
            reason,
        }
    }

    fn status_error(&self, response: Response, what: &str) -> RegistryError {
        let status = response.status();
        let message = self.error_message(response);
        match status {
            StatusCode::UNAUTHORIZED => self.unauthorized(&message),
            StatusCode::FORBIDDEN => RegistryError::Denied {
                registry: self.registry.clone(),
                repository: self.repository.clone(),
                message,
            },
            StatusCode::NOT_FOUND => RegistryError::NotFound {
                registry: self.registry.clone(),
                what: what.to_string(),
                message,
            },
            _ => RegistryError::Status {
                registry: self.registry.clone(),
                what: what.to_string(),
                status: status.as_u16(),
                message,
            },
        }
    }

    /// The registry's own words from an error body (`{"errors":[{"code","message"}]}`), or
    /// nothing.
    fn error_message(&self, response: Response) -> String {
        #[derive(Deserialize)]
        struct Errors {
            errors: Vec<ErrorEntry>,
        }
        #[derive(Deserialize)]
        struct ErrorEntry {
            #[serde(default)]
            code: String,
            #[serde(default)]
            message: String,
        }
        let mut bytes = Vec::new();
        let _ = response.take(64 << 10).read_to_end(&mut bytes);
        match serde_json::from_slice::<Errors>(&bytes) {
            Ok(errors) => errors
                .errors
                .iter()
                .map(|e| match (e.code.is_empty(), e.message.is_empty()) {
                    (false, false) => format!("{} ({})", e.message, e.code),
                    (true, false) => e.message.clone(),
                    _ => e.code.clone(),
                })
                .collect::<Vec<_>>()
                .join("; "),
            Err(_) => String::new(),
        }
    }

    fn connect_error(&self, error: &reqwest::Error) -> RegistryError {
        RegistryError::Connect {
            registry: self.registry.clone(),
            reason: reason(error),
        }
    }
}

/// The HTTP client: system CA roots plus the custom CA, bounded redirects that never
/// downgrade HTTPS to HTTP unless insecure.
fn http_client(options: &ClientOptions, registry: &str) -> Result<Client, RegistryError> {
    let insecure = options.insecure;
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let downgrade = attempt.url().scheme() == "http"
            && attempt.previous().iter().any(|url| url.scheme() == "https");
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if downgrade && !insecure {
            attempt.error("a redirect from HTTPS to plain HTTP")
        } else {
            attempt.follow()
        }
    });
    let mut builder = Client::builder()
        .user_agent(concat!("plimsoll/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.timeout)
        .timeout(options.timeout)
        .redirect(policy);
    for path in SYSTEM_CA_BUNDLES
        .iter()
        .map(PathBuf::from)
        .chain(std::env::var_os("SSL_CERT_FILE").map(PathBuf::from))
    {
        let Ok(pem) = std::fs::read(&path) else {
            continue;
        };
        match reqwest::Certificate::from_pem_bundle(&pem) {
            Ok(certificates) => {
                for certificate in certificates {
                    builder = builder.add_root_certificate(certificate);
                }
            }
            Err(error) => {
                tracing::debug!(path = %path.display(), error = %error, "skipping an unreadable CA bundle")
            }
        }
    }
    if let Some(path) = &options.ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| RegistryError::Tls(format!("failed to read `{}`: {e}", path.display())))?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            RegistryError::Tls(format!(
                "`{}` is not a PEM certificate bundle: {e}",
                path.display()
            ))
        })?;
        if certificates.is_empty() {
            return Err(RegistryError::Tls(format!(
                "`{}` holds no PEM certificates",
                path.display()
            )));
        }
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    if insecure {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder.build().map_err(|e| RegistryError::Connect {
        registry: registry.to_string(),
        reason: e.to_string(),
    })
}

fn challenge_of(response: &Response, registry: &str) -> Result<Challenge, RegistryError> {
    response
        .headers()
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(Challenge::parse)
        .ok_or_else(|| RegistryError::Protocol {
            registry: registry.to_string(),
            reason: "it answered 401 without a basic or bearer challenge".to_string(),
        })
}

fn content_length(response: &Response) -> Option<u64> {
    response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// The innermost cause of a transport error ("Connection refused", "failed to lookup
/// address information"), which says more than reqwest's outer message.
fn reason(error: &reqwest::Error) -> String {
    let mut innermost: &dyn std::error::Error = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let text = innermost.to_string();
    if error.is_timeout() {
        format!("timed out ({text})")
    } else {
        text
    }
}

/// The registry error inside an I/O error from a [`VerifiedBlob`], or a protocol error.
pub(crate) fn unwrap_io(error: std::io::Error, registry: &str) -> RegistryError {
    let text = error.to_string();
    match error
        .into_inner()
        .map(|inner| inner.downcast::<RegistryError>())
    {
        Some(Ok(inner)) => *inner,
        _ => RegistryError::Protocol {
            registry: registry.to_string(),
            reason: text,
        },
    }
}

/// The query of the next page a `Link: <...>; rel="next"` header names, if any.
fn next_page(link: Option<&str>) -> Option<String> {
    link?.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|param| param.trim().trim_start_matches("rel=").trim_matches('"') == "next");
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let query = target.split_once('?')?.1;
        is_next.then(|| query.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::next_page;

    #[test]
    fn the_next_page_is_the_query_of_the_link_marked_next() {
        assert_eq!(
            next_page(Some(
                r#"</v2/team/app/tags/list?last=b&n=1000>; rel="next""#
            )),
            Some("last=b&n=1000".into())
        );
        assert_eq!(
            next_page(Some(
                r#"</v2/x/tags/list?n=1>; rel="prev", </v2/x/tags/list?last=c&n=1>; rel=next"#
            )),
            Some("last=c&n=1".into())
        );
        assert_eq!(
            next_page(Some(r#"</v2/x/tags/list?n=1>; rel="prev""#)),
            None
        );
        assert_eq!(next_page(Some("garbage")), None);
        assert_eq!(next_page(None), None);
    }
}
