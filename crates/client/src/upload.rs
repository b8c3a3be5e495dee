//! The import flow (Anchore's `/imports/images`): open an operation, upload the SBOM,
//! manifest, config and Dockerfile, then add the image from their digests.

use serde_json::{json, Value};

use crate::{Client, ClientError};

/// An analysis to upload.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The syft-json document.
    pub packages: Vec<u8>,
    /// The image manifest.
    pub manifest: Vec<u8>,
    /// The image config.
    pub config: Vec<u8>,
    pub dockerfile: Option<Vec<u8>>,
    /// The scanner's content analysis (`plimsoll_model::ImageContent` as JSON).
    pub image_content: Option<Vec<u8>>,
    /// Tags to record (`registry/repo:tag` or short forms).
    pub tags: Vec<String>,
    /// The manifest digest (`sha256:…`).
    pub digest: String,
    /// The config digest (`sha256:…`).
    pub image_id: String,
    /// Replace an existing analysis of the same image.
    pub force: bool,
}

impl Client {
    /// Runs the import flow; returns the image record the server answers.
    pub fn upload(&self, upload: &Upload) -> Result<Value, ClientError> {
        let operation = self.post_json("imports/images", &Value::Null)?;
        let uuid = operation
            .get("uuid")
            .and_then(Value::as_str)
            .ok_or_else(|| ClientError::Protocol("the import operation has no uuid".into()))?
            .to_string();

        let mut contents = serde_json::Map::new();
        let mut parts: Vec<(&str, &[u8], &str)> = vec![
            ("packages", &upload.packages, "application/json"),
            ("manifest", &upload.manifest, "application/json"),
            ("image_config", &upload.config, "application/json"),
        ];
        if let Some(dockerfile) = &upload.dockerfile {
            parts.push(("dockerfile", dockerfile, "text/plain; charset=utf-8"));
        }
        if let Some(image_content) = &upload.image_content {
            parts.push(("image_content", image_content, "application/json"));
        }
        for (kind, body, content_type) in parts {
            let answer = self.post_bytes(
                &format!("imports/images/{uuid}/{kind}"),
                body.to_vec(),
                content_type,
            )?;
            let digest = answer
                .get("digest")
                .and_then(Value::as_str)
                .ok_or_else(|| ClientError::Protocol(format!("the {kind} upload has no digest")))?;
            contents.insert(kind.to_string(), json!(digest));
        }

        let request = json!({
            "source": {"import": {
                "contents": contents,
                "tags": upload.tags,
                "digest": upload.digest,
                "local_image_id": upload.image_id,
                "operation_uuid": uuid,
            }},
        });
        let force = if upload.force { "true" } else { "false" };
        self.post_json(&format!("images?force={force}"), &request)
    }
}
