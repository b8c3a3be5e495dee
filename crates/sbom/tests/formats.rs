//! The SBOM formats against real data: Syft's goldens encoded in every format and checked
//! against the official schemas, decoded back, Syft's own CycloneDX and SPDX documents
//! decoded, and malformed documents refused.

mod formats {
    pub mod malformed;
    pub mod round_trip;
    pub mod schemas;
    pub mod support;
    pub mod syft_documents;
}
