//! Stored documents of an image: what was uploaded (SBOM, manifest, config, Dockerfile) and
//! what analysis derived (vulnerabilities, content), compressed.

use sqlx::Row;

use super::{decompress, Store};
use crate::ServerError;

/// The largest a stored document may inflate to.
const DOCUMENT_LIMIT: usize = 512 * 1024 * 1024;

/// Kinds of stored documents.
pub mod kind {
    pub const SBOM: &str = "packages";
    pub const MANIFEST: &str = "manifest";
    pub const CONFIG: &str = "image_config";
    pub const DOCKERFILE: &str = "dockerfile";
    pub const PARENT_MANIFEST: &str = "parent_manifest";
    pub const VULNERABILITIES: &str = "vulnerabilities";
    pub const CONTENT: &str = "content";
    /// The scanner's content analysis (`plimsoll_model::ImageContent`), when uploaded.
    pub const IMAGE_CONTENT: &str = "image_content";
    /// Where the server pulls an image from: `{"pullstring": "REGISTRY/REPO@DIGEST"}`.
    pub const PULL_SOURCE: &str = "pull_source";
}

impl Store {
    /// A stored document, decompressed.
    pub async fn document(
        &self,
        account: &str,
        digest: &str,
        kind: &str,
    ) -> Result<Option<Vec<u8>>, ServerError> {
        let row = sqlx::query(
            "SELECT body FROM image_documents WHERE account = $1 AND digest = $2 AND kind = $3",
        )
        .bind(account)
        .bind(digest)
        .bind(kind)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(row) => {
                let body: Vec<u8> = row.try_get(0)?;
                Ok(Some(decompress(&body, DOCUMENT_LIMIT)?))
            }
            None => Ok(None),
        }
    }
}
