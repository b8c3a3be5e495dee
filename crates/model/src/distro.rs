//! The Linux distribution an image or directory claims to be, from os-release and friends.

use serde::{Deserialize, Serialize};

/// A Linux release as described by `/etc/os-release` (field names follow os-release(5)).
/// Empty strings mean the field was not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distro {
    pub pretty_name: String,
    pub name: String,
    pub id: String,
    pub id_like: Vec<String>,
    pub version: String,
    pub version_id: String,
    pub version_codename: String,
    pub build_id: String,
    pub image_id: String,
    pub image_version: String,
    pub variant: String,
    pub variant_id: String,
    pub home_url: String,
    pub support_url: String,
    pub bug_report_url: String,
    pub privacy_policy_url: String,
    pub cpe_name: String,
    pub support_end: String,
}

impl Distro {
    /// The `distro` PURL qualifier: `ID-VERSION_ID`, else `ID-BUILD_ID`, else `ID`.
    pub fn purl_qualifier(&self) -> String {
        if !self.version_id.is_empty() {
            format!("{}-{}", self.id, self.version_id)
        } else if !self.build_id.is_empty() {
            format!("{}-{}", self.id, self.build_id)
        } else {
            self.id.clone()
        }
    }

    /// True when the distro is `id` or declares itself like it (`ID_LIKE`).
    pub fn is_like(&self, id: &str) -> bool {
        self.id == id || self.id_like.iter().any(|like| like == id)
    }
}
