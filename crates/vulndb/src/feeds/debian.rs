//! Debian's security tracker (security-tracker.debian.org): the JSON export of every CVE by
//! source package and release, and the DSA and DLA lists of issued advisories. Both name
//! releases by codename; advisories go to `debian:<version>` namespaces, keyed by source
//! package, with `dpkg` versions.

pub(super) mod list;
pub(super) mod tracker;

use crate::{Affected, Event, FixState, Range, Severity};

use super::constraint::NO_VERSION;

/// The release version of a Debian codename (`bookworm` is `12`); `sid` is `unstable`.
/// Releases before 4.0 kept their point version in the name (`woody` is `3.0`).
pub(super) fn release_version(codename: &str) -> Option<&'static str> {
    Some(match codename {
        "hamm" => "2.0",
        "slink" => "2.1",
        "potato" => "2.2",
        "woody" => "3.0",
        "sarge" => "3.1",
        "etch" => "4",
        "lenny" => "5",
        "squeeze" => "6",
        "wheezy" => "7",
        "jessie" => "8",
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        "duke" => "15",
        "sid" => "unstable",
        _ => return None,
    })
}

/// What the tracker says about one source package in one release.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Status {
    /// Fixed in this version.
    Fixed(String),
    /// The release was never affected (the tracker's fixed version `0`, `<not-affected>`).
    NotAffected,
    /// Affected and not fixed yet (`open`, `<unfixed>`, `<postponed>`).
    Open,
    /// Affected, and Debian will not fix it there (`<no-dsa>`, `<ignored>`, `<end-of-life>`).
    WontFix,
    /// The tracker has not decided whether the release is affected (`undetermined`).
    Undetermined,
}

/// The affected entry for a source package in a release.
pub(super) fn affected(release: &str, package: &str, status: Status) -> Affected {
    let every_version = || {
        vec![Range {
            events: vec![Event::Introduced("0".to_string())],
        }]
    };
    let (ranges, constraints, fix) = match status {
        Status::Fixed(version) => {
            let events = vec![
                Event::Introduced("0".to_string()),
                Event::Fixed(version.clone()),
            ];
            (
                vec![Range { events }],
                Vec::new(),
                FixState::Fixed(vec![version]),
            )
        }
        Status::NotAffected => (
            Vec::new(),
            vec![NO_VERSION.to_string()],
            FixState::Fixed(vec!["0".to_string()]),
        ),
        Status::Open => (every_version(), Vec::new(), FixState::NotFixed),
        Status::WontFix => (every_version(), Vec::new(), FixState::WontFix),
        Status::Undetermined => (every_version(), Vec::new(), FixState::Unknown),
    };
    Affected {
        namespace: format!("debian:{release}"),
        package: package.to_string(),
        scheme: "dpkg".to_string(),
        ranges,
        versions: Vec::new(),
        constraints,
        fix,
        cpes: Vec::new(),
    }
}

/// The severity of a tracker urgency (`low`, `medium**`, `unimportant`). Asterisks mark
/// urgencies taken from NVD scores; `not yet assigned` and `end-of-life` rate nothing.
pub(super) fn urgency_severity(urgency: &str) -> Option<Severity> {
    match urgency.trim_end_matches('*') {
        "unimportant" => Some(Severity::Negligible),
        "low" => Some(Severity::Low),
        "medium" => Some(Severity::Medium),
        "high" => Some(Severity::High),
        _ => None,
    }
}

/// Whether `text` can be a Debian version (`1.2-3`, `1:2.3~rc1+dfsg-1~deb12u1`).
pub(super) fn is_dpkg_version(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '~' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codenames_and_urgencies() {
        assert_eq!(release_version("bookworm"), Some("12"));
        assert_eq!(release_version("sid"), Some("unstable"));
        assert_eq!(release_version("woody"), Some("3.0"));
        assert_eq!(release_version("experimental"), None);
        assert_eq!(urgency_severity("high**"), Some(Severity::High));
        assert_eq!(urgency_severity("unimportant"), Some(Severity::Negligible));
        assert_eq!(urgency_severity("not yet assigned"), None);
        assert!(is_dpkg_version("1:2.3~rc1+dfsg-1~deb12u1"));
        assert!(!is_dpkg_version("<unfixed>"));
    }
}
