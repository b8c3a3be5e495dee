//! A NuGet package version, read and ordered as `NuGet.Versioning.NuGetVersion` is: one to four
//! numbers (leading zeros allowed, missing ones 0), dot-separated release labels compared
//! without regard to case (numbers by value, before text), and metadata after `+` that does not
//! take part in the order.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::{Scheme, VersionError};

/// A NuGet version such as `1.0.0.1-beta.2+sha.abc`.
///
/// Equality is NuGet's default comparer: `1.0` equals `1.0.0.0`, `1.0.0-BETA` equals
/// `1.0.0-beta`, metadata is ignored.
#[derive(Debug, Clone)]
pub struct NuGetVersion {
    text: Box<str>,
    numbers: [u32; 4],
    labels: Vec<Box<str>>,
    metadata: Option<Box<str>>,
}

impl NuGetVersion {
    /// Reads a version.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::NuGet, text, reason);
        let (rest, metadata) = match text.split_once('+') {
            Some((rest, metadata)) => (rest, Some(metadata)),
            None => (text, None),
        };
        let (core, labels) = match rest.split_once('-') {
            Some((core, labels)) => (core, Some(labels)),
            None => (rest, None),
        };

        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() > 4 {
            return Err(invalid("more than four version numbers"));
        }
        let mut numbers = [0; 4];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            *slot = read_number(part).ok_or_else(|| invalid("bad version number"))?;
        }

        let labels = match labels {
            Some(labels) => read_identifiers(labels).ok_or_else(|| invalid("bad release label"))?,
            None => Vec::new(),
        };
        if let Some(metadata) = metadata {
            read_identifiers(metadata).ok_or_else(|| invalid("bad metadata"))?;
        }

        Ok(NuGetVersion {
            text: text.into(),
            numbers,
            labels,
            metadata: metadata.map(Into::into),
        })
    }

    /// Major, minor, patch and revision.
    pub fn numbers(&self) -> [u32; 4] {
        self.numbers
    }

    /// Whether the version has release labels.
    pub fn is_prerelease(&self) -> bool {
        !self.labels.is_empty()
    }

    /// The metadata after `+`, if any.
    pub fn metadata(&self) -> Option<&str> {
        self.metadata.as_deref()
    }
}

/// A non-negative `int` as .NET reads it; leading zeros allowed.
fn read_number(part: &str) -> Option<u32> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = part.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    digits
        .parse::<u32>()
        .ok()
        .filter(|value| *value <= i32::MAX as u32)
}

fn read_identifiers(text: &str) -> Option<Vec<Box<str>>> {
    text.split('.')
        .map(|part| {
            let valid =
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            valid.then(|| part.into())
        })
        .collect()
}

/// NuGet's label order: labels that read as an `int` by value and before other labels, which
/// compare ordinally ignoring case.
fn compare_labels(a: &str, b: &str) -> Ordering {
    match (read_number(a), read_number(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b.bytes().map(|c| c.to_ascii_uppercase())),
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.labels.iter().zip(&other.labels) {
                        let order = compare_labels(a, b);
                        if order.is_ne() {
                            return order;
                        }
                    }
                    self.labels.len().cmp(&other.labels.len())
                }
            }
        })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for NuGetVersion {}

impl fmt::Display for NuGetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for NuGetVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NuGetVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> NuGetVersion {
        NuGetVersion::parse(text).unwrap()
    }

    #[test]
    fn orders_like_nuget() {
        let ascending = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-BETA.2",
            "1.0.0-beta.11",
            "1.0.0",
            "1.0.0.1",
            "1.0.1",
            "2",
        ];
        for pair in ascending.windows(2) {
            assert!(
                version(pair[0]) < version(pair[1]),
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(version("1.0"), version("1.0.0.0"));
        assert_eq!(version("1.0.01"), version("1.0.1"));
        assert_eq!(version("1.0.0-BETA+AA"), version("1.0.0-beta+bb"));
        assert_eq!(version("1.2.3.4").numbers(), [1, 2, 3, 4]);
    }

    #[test]
    fn refuses_what_nuget_refuses() {
        for text in [
            "",
            "1.",
            ".1",
            "1.2.3.4.5",
            "1.0-",
            "1.0+",
            "1.0-a..b",
            "a",
            "2147483648",
            "1.0 ",
        ] {
            assert!(NuGetVersion::parse(text).is_err(), "{text:?}");
        }
    }
}
