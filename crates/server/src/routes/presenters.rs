//! Records as the API shows them: the `AnchoreImage` shape anchore-cli reads field by field.

use serde_json::{json, Map, Value};

use crate::store::ImageRecord;

/// An image record as `AnchoreImage`.
pub fn image(record: &ImageRecord) -> Value {
    let analyzed = record.analysis_status == "analyzed";
    let metadata = json!({
        "arch": record.arch,
        "distro": record.distro,
        "distro_version": record.distro_version,
        "dockerfile_mode": record.dockerfile_mode,
        "image_size": record.image_size,
        "layer_count": record.layer_count,
    });
    let annotations: Value =
        serde_json::from_str(&record.annotations).unwrap_or_else(|_| Value::Object(Map::new()));
    let details: Vec<Value> = record
        .tags
        .iter()
        .map(|tag| {
            let reference = tag.reference();
            json!({
                "imageDigest": record.digest,
                "userId": record.account,
                "registry": tag.registry,
                "repo": tag.repo,
                "tag": tag.tag,
                "fulltag": reference.full_tag(),
                "digest": record.digest,
                "fulldigest": reference.full_digest(&record.digest),
                "imageId": tag.image_id,
                "dockerfile": tag.dockerfile,
                "created_at": tag.created_at,
                "last_updated": tag.last_updated,
                "tag_detected_at": tag.tag_detected_at,
            })
        })
        .collect();
    let mut image = json!({
        "imageDigest": record.digest,
        "parentDigest": record.parent_digest,
        "userId": record.account,
        "image_type": record.image_type,
        "analysis_status": record.analysis_status,
        "image_status": record.image_status,
        "analyzed_at": record.analyzed_at,
        "created_at": record.created_at,
        "last_updated": record.last_updated,
        "annotations": annotations,
        "record_version": "1",
        "image_content": {"metadata": metadata},
        "image_detail": details,
    });
    if let (false, Some(reason)) = (analyzed, &record.analysis_error) {
        image["analysis_error"] = json!(reason);
    }
    image
}
