//! The normalised advisory: what every feed is turned into before it is stored. The shape
//! follows OSV (https://ossf.github.io/osv-schema/), which the other formats map onto.

use serde::{Deserialize, Serialize};

/// Severity levels, lowest first; the order is what `--fail-on` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Unknown,
    Negligible,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The name shown in tables and JSON (`Critical`, `High`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "Unknown",
            Severity::Negligible => "Negligible",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }

    /// Parses a severity name in any case (`moderate` is Medium, `important` High, as Red
    /// Hat and GitHub write them).
    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "unknown" | "none" | "unimportant" => Some(Severity::Unknown),
            "negligible" => Some(Severity::Negligible),
            "low" => Some(Severity::Low),
            "medium" | "moderate" => Some(Severity::Medium),
            "high" | "important" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

/// A CVSS score as the source gives it: the vector and, where given, the base score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// `2.0`, `3.0`, `3.1` or `4.0`.
    pub version: String,
    pub vector: String,
    pub base_score: Option<f64>,
    /// Who scored it (`nvd`, `github`, the distro).
    pub source: String,
}

/// One OSV range event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Affected from this version on (`0` means from the beginning).
    Introduced(String),
    /// Not affected from this version on.
    Fixed(String),
    /// Affected up to and including this version.
    LastAffected(String),
    /// Not affected from this version on, without claiming a fix (OSV `limit`).
    Limit(String),
}

/// An ordered list of events in one version scheme.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Range {
    pub events: Vec<Event>,
}

/// Whether and where a vulnerability is fixed for an affected package.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixState {
    /// Fixed in these versions.
    Fixed(Vec<String>),
    /// No fix exists yet.
    NotFixed,
    /// The vendor will not fix it.
    WontFix,
    /// The source does not say.
    #[default]
    Unknown,
}

/// One package an advisory affects, within one namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// Where the package lives: `debian:12`, `alpine:3.18`, `rhel:9`, `pypi`, `npm`,
    /// `maven`, `go`, `crates.io`, `rubygems`, `packagist`, `nuget`, or `nvd:cpe`.
    pub namespace: String,
    /// The package name as the namespace normalises it (a source package for Debian).
    pub package: String,
    /// The version scheme the ranges are written in (`dpkg`, `rpm`, `apk`, `pep440`,
    /// `semver`, `maven`, `gem`, `golang`, `nuget`, `generic`).
    pub scheme: String,
    pub ranges: Vec<Range>,
    /// Versions listed as affected one by one.
    pub versions: Vec<String>,
    /// Native constraint strings where the source gives ranges in its own syntax
    /// (`< 1.2-3`, `>=1.0,<2.0`, `^1.2.3`), in `scheme`'s syntax; each entry's own syntax
    /// joins its parts (`,` and spaces as "and", `||` as "or").
    ///
    /// An entry prefixed with `!` names versions that are *not* affected: the patched and
    /// unaffected requirements of RustSec and RubySec, the patched range of an npm advisory.
    /// A version is affected by the list when it matches no `!` entry and matches at least
    /// one entry without the prefix, or the list has only `!` entries: `["!>= 1.13.1",
    /// "!< 0.1.14"]` reads "affected unless at or above 1.13.1 or below 0.1.14", and
    /// `["<=1.5.1", "!>=1.5.2"]` "affected at or below 1.5.1 and not at or above 1.5.2".
    /// The entry `*` matches every version, in any scheme, so `["*"]` is "every version"
    /// and `["!*"]` "no version" (a distro saying its package was never affected). An empty
    /// list says nothing; `ranges` and `versions` apply.
    pub constraints: Vec<String>,
    pub fix: FixState,
    /// CPE 2.3 match strings, for NVD configurations.
    pub cpes: Vec<String>,
}

/// Known exploitation (CISA KEV) and exploit probability (EPSS), attached at match time.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ExploitInfo {
    pub kev_date_added: Option<String>,
    pub kev_due_date: Option<String>,
    pub kev_ransomware: Option<String>,
    pub epss_score: Option<f64>,
    pub epss_percentile: Option<f64>,
}

/// A vulnerability advisory, normalised.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Advisory {
    /// The advisory's own ID (`GHSA-…`, `PYSEC-…`, `CVE-…`, `DSA-…`, `RUSTSEC-…`).
    pub id: String,
    /// Other IDs for the same vulnerability (CVEs, GHSAs); used to report it once.
    pub aliases: Vec<String>,
    pub summary: String,
    pub details: String,
    /// The severity the source states, if any.
    pub severity: Option<Severity>,
    pub cvss: Vec<Cvss>,
    pub references: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    /// When the advisory was withdrawn; withdrawn advisories never match.
    pub withdrawn: Option<String>,
    pub affected: Vec<Affected>,
}
