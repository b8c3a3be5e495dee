//! Why a registry operation failed. Messages name the registry and repository, never a
//! credential or an `Authorization` header.

/// A registry failure.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The text is not an image reference.
    #[error("`{input}` is not an image reference: {reason}")]
    Reference { input: String, reason: String },

    /// The registry could not be reached: unknown host, refused connection, TLS failure,
    /// timeout.
    #[error("failed to reach the registry `{registry}`: {reason}")]
    Connect { registry: String, reason: String },

    /// 401: no credentials were given, or the registry refused them.
    #[error("the registry `{registry}` refused access to `{repository}` (HTTP 401): {reason}")]
    Unauthorized {
        registry: String,
        repository: String,
        reason: String,
    },

    /// 403: the credentials are valid but do not allow pulling.
    #[error("the registry `{registry}` denied access to `{repository}` (HTTP 403){}", detail_suffix(.message))]
    Denied {
        registry: String,
        repository: String,
        message: String,
    },

    /// 404: no such repository, tag, manifest or blob.
    #[error("`{what}` was not found in the registry `{registry}` (HTTP 404){}", detail_suffix(.message))]
    NotFound {
        registry: String,
        what: String,
        message: String,
    },

    /// Any other unexpected status.
    #[error("the registry `{registry}` answered HTTP {status} for `{what}`{}", detail_suffix(.message))]
    Status {
        registry: String,
        what: String,
        status: u16,
        message: String,
    },

    /// Content did not have the digest that names it.
    #[error("the {what} from `{registry}` does not match its digest: expected `{expected}`, got `{actual}`")]
    DigestMismatch {
        registry: String,
        what: String,
        expected: String,
        actual: String,
    },

    /// A manifest of a media type Plimsoll does not read.
    #[error("the manifest of `{reference}` has the unsupported media type `{media_type}`{}", hint_for_media_type(.media_type))]
    UnsupportedMediaType {
        reference: String,
        media_type: String,
    },

    /// The image index has no manifest for the wanted platform.
    #[error("`{reference}` has no image for platform `{wanted}` (available: {})", available.join(", "))]
    UnsupportedPlatform {
        reference: String,
        wanted: String,
        available: Vec<String>,
    },

    /// Something exceeded a bound that keeps hostile registries from exhausting memory.
    #[error("the registry `{registry}` sent too much: {what}")]
    TooLarge { registry: String, what: String },

    /// The registry broke the protocol (malformed JSON, a bad challenge, a cut stream).
    #[error("the registry `{registry}` sent something unusable: {reason}")]
    Protocol { registry: String, reason: String },

    /// Credentials could not be read (Docker config file, credential helper).
    #[error("failed to read registry credentials: {0}")]
    Credentials(String),

    /// A TLS setting could not be applied (a custom CA file).
    #[error("failed to set up TLS: {0}")]
    Tls(String),
}

fn detail_suffix(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

fn hint_for_media_type(media_type: &str) -> &'static str {
    if media_type.contains("manifest.v1") {
        " (Docker schema 1 manifests are obsolete; push the image again with a current tool)"
    } else {
        ""
    }
}
