//! The Linux distribution an image or directory claims to be, from os-release and friends.

use serde::{Deserialize, Serialize};

/// A Linux release as described by `/etc/os-release` (field names follow os-release(5)).
/// Empty strings mean the field was not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distro {
    /// `PRETTY_NAME`: the name to show people, for example `Debian GNU/Linux 12 (bookworm)`.
    pub pretty_name: String,
    /// `NAME`: the distribution's name without version.
    pub name: String,
    /// `ID`: the lower-case identifier, for example `debian`, `rhel`, `alpine`.
    pub id: String,
    /// `ID_LIKE`: identifiers of distributions this one derives from.
    pub id_like: Vec<String>,
    /// `VERSION`: the version as shown to people.
    pub version: String,
    /// `VERSION_ID`: the machine-readable version, for example `12` or `3.18.4`.
    pub version_id: String,
    /// `VERSION_CODENAME`, for example `bookworm`.
    pub version_codename: String,
    /// `BUILD_ID`: for rolling releases without a version.
    pub build_id: String,
    /// `IMAGE_ID`.
    pub image_id: String,
    /// `IMAGE_VERSION`.
    pub image_version: String,
    /// `VARIANT`.
    pub variant: String,
    /// `VARIANT_ID`.
    pub variant_id: String,
    /// `HOME_URL`.
    pub home_url: String,
    /// `SUPPORT_URL`.
    pub support_url: String,
    /// `BUG_REPORT_URL`.
    pub bug_report_url: String,
    /// `PRIVACY_POLICY_URL`.
    pub privacy_policy_url: String,
    /// `CPE_NAME`: the distribution's CPE.
    pub cpe_name: String,
    /// `SUPPORT_END`: the date support ends.
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
