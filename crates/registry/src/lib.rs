//! A client for container registries speaking the OCI Distribution API (the Docker
//! Registry HTTP API v2): image references, `WWW-Authenticate` challenges with basic and
//! bearer-token auth, credentials from flags or the Docker config file, manifest and index
//! negotiation with platform selection, and blob streams checked against their digests.
//!
//! Blocking by design: image sources stream layers into synchronous readers. Credentials
//! never appear in `Debug` output or in errors.

mod auth;
mod client;
mod credentials;
mod error;
mod manifest;
mod platform;
mod reference;
mod verify;

pub use auth::Challenge;
pub use client::{ClientOptions, RegistryClient};
pub use credentials::Credentials;
pub use error::RegistryError;
pub use manifest::{media_type, Descriptor, Manifest, Resolved};
pub use platform::Platform;
pub use reference::Reference;
pub use verify::VerifiedBlob;
