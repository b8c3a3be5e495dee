//! Plimsoll's server: the Anchore Engine v1 HTTP API over a store that is SQLite by default
//! and PostgreSQL for scale-out, with an analysis queue, workers and feed sync.
//!
//! Uploads follow Anchore's import flow (operation, content uploads, `POST /images`); a
//! worker decodes the uploaded SBOM, matches it against the vulnerability store and records
//! what `anchore-cli` reads back.

mod accounts;
mod analysis;
mod auth;
mod config;
mod corrections;
mod error;
mod evaluation;
mod feeds;
mod metrics;
mod notifications;
mod references;
mod routes;
mod secrets;
mod server;
mod store;
mod tag_updates;
mod time;

pub use config::{Role, ServerConfig};
pub use error::ServerError;
pub use routes::{NO_SUCH_ROUTE, ROUTES};
pub use secrets::SecretKey;
pub use server::{RunningServer, Server};
pub use store::Store;

/// The API version reported in `swagger.json`; anchore-cli picks its request forms by it.
pub const API_VERSION: &str = "0.1.20";
