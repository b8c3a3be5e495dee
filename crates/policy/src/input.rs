//! What an evaluation looks at: one image, everything known about it, filled by the caller
//! (the server from its store, the CLI from a scan). Anything unknown stays empty or `None`,
//! and the triggers that need it do not fire, except those whose job is to report it missing.

use std::fmt;

use jiff::Timestamp;
use plimsoll_model::{ContentMatch, Distro, ImageContent, Package};

use crate::dockerfile::Dockerfile;

/// The image under evaluation.
#[derive(Debug, Clone, Default)]
pub struct EvaluationInput {
    /// The manifest digest, `sha256:…`.
    pub image_digest: String,
    /// The image ID (config digest hex), which names the image in result rows.
    pub image_id: String,
    /// The full tag being evaluated, `registry/repository:tag`; mappings match against it.
    pub tag: String,
    /// Every package found in the image.
    pub packages: Vec<Package>,
    /// The distribution, when one was detected.
    pub distro: Option<Distro>,
    /// Facts for `metadata/attribute`.
    pub facts: ImageFacts,
    /// Vulnerability findings against [`EvaluationInput::packages`].
    pub vulnerabilities: Vec<VulnerabilityFinding>,
    /// The state of the vulnerability data the findings came from.
    pub feeds: FeedState,
    /// The Dockerfile, actual or guessed; `None` when neither is known.
    pub dockerfile: Option<Dockerfile>,
    /// File metadata; empty when not captured.
    pub files: Vec<FileEntry>,
    /// The text of `/etc/passwd`, when captured.
    pub passwd: Option<String>,
    /// Content-search matches (`files/content_regex_match`); `None` when no search ran.
    pub content_search: Option<Vec<RegexMatch>>,
    /// Secret-search matches (`secret_scans`); `None` when no search ran.
    pub secret_search: Option<Vec<RegexMatch>>,
}

/// A date as vulnerability sources write it: RFC 3339 (`2021-11-16T10:00:00Z`), a civil
/// date-time without an offset (read as UTC), or a bare date (midnight UTC).
pub fn parse_source_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(timestamp) = text.parse::<Timestamp>() {
        return Some(timestamp);
    }
    let utc = jiff::tz::TimeZone::UTC;
    if let Ok(datetime) = text.parse::<jiff::civil::DateTime>() {
        return utc.to_timestamp(datetime).ok();
    }
    let date = text.get(..10)?.parse::<jiff::civil::Date>().ok()?;
    utc.to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .ok()
}

impl EvaluationInput {
    /// Takes the file metadata, password file and search matches of a scan's content
    /// analysis. Without one these stay unknown and their gates hold back.
    pub fn add_content(&mut self, content: &ImageContent) {
        self.files = content
            .files
            .iter()
            .map(|file| FileEntry {
                path: file.path.clone(),
                mode: file.st_mode(),
                uid: u32::try_from(file.uid).unwrap_or(u32::MAX),
                gid: u32::try_from(file.gid).unwrap_or(u32::MAX),
                size: file.size,
                sha256: file.sha256.clone(),
            })
            .collect();
        self.passwd = content.passwd.clone();
        let matches = |found: &[ContentMatch]| {
            found
                .iter()
                .map(|found| RegexMatch {
                    path: found.path.clone(),
                    name: (!found.name.is_empty()).then(|| found.name.clone()),
                    regex: found.regex.clone(),
                })
                .collect()
        };
        self.secret_search = Some(matches(&content.secrets));
        self.content_search = Some(matches(&content.content_matches));
    }
}

/// The image facts `metadata/attribute` compares; empty strings and zeros mean unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFacts {
    /// Total size in bytes (Anchore: the sum of the manifest's layer sizes).
    pub size: u64,
    /// The config's architecture, such as `amd64`.
    pub architecture: String,
    /// The config's OS, such as `linux`.
    pub os_type: String,
    /// The distribution ID, such as `debian` (`redhat` reads as `rhel`).
    pub distro: String,
    /// The distribution version, such as `12`.
    pub distro_version: String,
    /// The distributions this one derives from, comma-separated.
    pub like_distro: String,
    /// The number of layers.
    pub layer_count: u64,
}

/// Vulnerability severities, lowest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    #[default]
    Unknown,
    Negligible,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 6] = [
        Severity::Unknown,
        Severity::Negligible,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lower-case name policies use (`medium`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::Negligible => "negligible",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Reads a severity name in any case.
    pub fn from_name(name: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// CVSS v3 scores of one vector; `-1.0` where a score is unknown, as Anchore writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CvssV3Scores {
    pub base: f64,
    pub exploitability: f64,
    pub impact: f64,
}

/// One vulnerability found in one package.
#[derive(Debug, Clone, Default)]
pub struct VulnerabilityFinding {
    /// The vulnerability ID, such as `CVE-2021-3711` or `GHSA-…`.
    pub id: String,
    pub severity: Severity,
    /// Index into [`EvaluationInput::packages`].
    pub package: usize,
    /// Where a language package lives (the jar, the `package.json`); `None` uses the
    /// package's first location. Not used for OS packages.
    pub package_path: Option<String>,
    /// Versions that fix it; empty when there is no fix.
    pub fix_versions: Vec<String>,
    /// The vendor has said it will not fix it.
    pub will_not_fix: bool,
    /// NVD's CVSS v3 scores (the highest of each is used).
    pub nvd_cvss_v3: Vec<CvssV3Scores>,
    /// The vendor's CVSS v3 scores (the highest of each is used).
    pub vendor_cvss_v3: Vec<CvssV3Scores>,
    /// A link to the advisory; shown in messages.
    pub link: String,
    /// When the vulnerability was published, or failing that first found in this image;
    /// `max_days_since_creation` does not fire without it.
    pub created_at: Option<Timestamp>,
    /// When the fix was first seen; `max_days_since_fix` does not hold a finding back
    /// without it, as in Anchore.
    pub fix_observed_at: Option<Timestamp>,
}

/// How current the vulnerability data is for this image.
#[derive(Debug, Clone, Default)]
pub struct FeedState {
    /// The image's distribution namespace, such as `debian:12`; shown in messages.
    pub distro_namespace: String,
    /// Whether any vulnerability data exists for that namespace.
    pub distro_data_available: bool,
    /// The feed groups that serve this image, with their last successful sync.
    pub groups: Vec<FeedGroupSync>,
}

/// One feed group (namespace) and when it last synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedGroupSync {
    /// The namespace, such as `debian:12` or `github:python`.
    pub namespace: String,
    /// The last successful sync; `None` if it never synced.
    pub last_sync: Option<Timestamp>,
}

/// One file of the image's squashed filesystem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    /// The `st_mode` bits: file type and permissions (at least the permissions).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// The content's SHA-256 in lower-case hex, for regular files when known.
    pub sha256: Option<String>,
}

/// A file whose content matched a named regular expression of a content or secret search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegexMatch {
    pub path: String,
    /// The expression's name (`AWS_ACCESS_KEY`), when it has one.
    pub name: Option<String>,
    /// The expression itself.
    pub regex: String,
}

impl RegexMatch {
    /// The expression as Anchore shows it: `NAME=regex`, or the bare expression.
    pub fn display(&self) -> String {
        match &self.name {
            Some(name) => format!("{name}={}", self.regex),
            None => self.regex.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_dates_in_every_written_form() {
        let at = |text: &str| parse_source_date(text).map(|t| t.to_string());
        assert_eq!(at("2021-11-16"), Some("2021-11-16T00:00:00Z".into()));
        assert_eq!(
            at("2023-05-22T14:15:09.983Z"),
            Some("2023-05-22T14:15:09.983Z".into())
        );
        assert_eq!(
            at("2023-05-22T14:15:09.983"),
            Some("2023-05-22T14:15:09.983Z".into())
        );
        assert_eq!(
            at("2023-05-22T16:15:09+02:00"),
            Some("2023-05-22T14:15:09Z".into())
        );
        assert_eq!(
            at("2011-12-28 00:00:00 UTC"),
            Some("2011-12-28T00:00:00Z".into())
        );
        assert_eq!(at("yesterday"), None);
        assert_eq!(at(""), None);
    }
}
