//! SBOM encoders.
