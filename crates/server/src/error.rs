//! Errors: [`ServerError`] for starting and storage, [`ApiError`] for what a request gets
//! back, always in Anchore's envelope `{message, httpcode, detail}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// Why the server could not start or a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("failed to read the config file `{path}`: {message}")]
    Config { path: String, message: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the vulnerability store failed: {0}")]
    VulnerabilityStore(#[from] plimsoll_vulndb::StoreError),
    #[error("failed to bind `{address}`: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Secret(String),
}

/// An error answered to an HTTP request.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub detail: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            detail: json!({}),
        }
    }

    pub fn with_detail(mut self, detail: Value) -> ApiError {
        self.detail = detail;
        self
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    /// An internal failure; the cause is logged, not sent.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %error, "request failed");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl From<ServerError> for ApiError {
    fn from(error: ServerError) -> ApiError {
        ApiError::internal(error)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        ApiError::internal(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut detail = self.detail;
        if let Value::Object(map) = &mut detail {
            map.entry("error_codes").or_insert_with(|| json!([]));
        }
        let body = json!({
            "message": self.message,
            "httpcode": self.status.as_u16(),
            "detail": detail,
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("basic realm=\"Authentication required\""),
            );
        }
        response
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
