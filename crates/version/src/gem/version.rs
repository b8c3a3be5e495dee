//! A RubyGems version, read and ordered as `Gem::Version` does.
//!
//! A version is numbers separated by dots, optionally with letters (`1.0.a2`) or a hyphenated
//! part (`1.0-beta`, read as `1.0.pre.beta`). It is compared as its runs of digits and runs of
//! letters, trailing zeros of the release and of the pre-release part dropped, missing segments
//! counting as 0, and any letters sorting before any number, so that a version with letters is a
//! pre-release of the numbers before them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::numeral::Numeral;
use crate::{Scheme, VersionError};

/// A RubyGems version.
///
/// Equality is RubyGems' order: `1.0` equals `1`, `1.0.a` equals `1.a`.
#[derive(Debug, Clone)]
pub struct GemVersion {
    text: Box<str>,
    segments: Vec<Segment>,
    canonical: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Number(Numeral),
    Text(Box<str>),
}

impl Segment {
    fn is_zero(&self) -> bool {
        matches!(self, Segment::Number(number) if number.is_zero())
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Number(number) => write!(f, "{number}"),
            Segment::Text(text) => f.write_str(text),
        }
    }
}

impl GemVersion {
    /// Reads a version as `Gem::Version.new` does, surrounding whitespace ignored.
    ///
    /// RubyGems reads an empty string as `0`; here it is an error, as an empty version in scan
    /// data means a missing version, not version 0.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Gem, text, reason);
        let trimmed = text.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
        if trimmed.is_empty() {
            return Err(invalid("version is empty"));
        }
        if !is_well_formed(trimmed) {
            return Err(invalid("not a RubyGems version"));
        }

        let segments = split_segments(&trimmed.replace('-', ".pre."));
        let canonical = canonical_segments(&segments);
        Ok(GemVersion {
            text: trimmed.into(),
            segments,
            canonical,
        })
    }

    /// The version as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the version has letters, which makes it a pre-release.
    pub fn is_prerelease(&self) -> bool {
        self.segments
            .iter()
            .any(|segment| matches!(segment, Segment::Text(_)))
    }

    /// The release this pre-release leads to: the numbers before the first letters.
    pub fn release(&self) -> GemVersion {
        if !self.is_prerelease() {
            return self.clone();
        }
        from_segments(numeric_prefix(&self.segments))
    }

    /// The version `~>` stops before: the release numbers without the last, the new last one
    /// increased (`2.1.3` bumps to `2.2`, `2` to `3`).
    pub fn bump(&self) -> GemVersion {
        let mut segments = numeric_prefix(&self.segments).to_vec();
        if segments.len() > 1 {
            segments.pop();
        }
        if let Some(Segment::Number(last)) = segments.last_mut() {
            *last = increment(last);
        }
        from_segments(&segments)
    }
}

/// `\A[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\z`, RubyGems' version pattern.
fn is_well_formed(text: &str) -> bool {
    let (main, pre) = match text.split_once('-') {
        Some((main, pre)) => (main, Some(pre)),
        None => (text, None),
    };
    let mut parts = main.split('.');
    let first_is_number = parts
        .next()
        .is_some_and(|first| !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok =
        parts.all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|pre| {
        pre.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    });
    first_is_number && rest_ok && pre_ok
}

/// The runs of digits and of letters, other characters dropped.
fn split_segments(text: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let digit = bytes[index].is_ascii_digit();
        let alpha = bytes[index].is_ascii_alphabetic();
        if !digit && !alpha {
            index += 1;
            continue;
        }
        let start = index;
        while index < bytes.len()
            && if digit {
                bytes[index].is_ascii_digit()
            } else {
                bytes[index].is_ascii_alphabetic()
            }
        {
            index += 1;
        }
        let run = &text[start..index];
        segments.push(match Numeral::parse(run) {
            Some(number) => Segment::Number(number),
            None => Segment::Text(run.into()),
        });
    }
    segments
}

/// The numbers before the first letters.
fn numeric_prefix(segments: &[Segment]) -> &[Segment] {
    let end = segments
        .iter()
        .position(|s| matches!(s, Segment::Text(_)))
        .unwrap_or(segments.len());
    &segments[..end]
}

/// The release part and the pre-release part, each without trailing zeros.
fn canonical_segments(segments: &[Segment]) -> Vec<Segment> {
    let release = numeric_prefix(segments);
    let pre = &segments[release.len()..];
    let trim = |part: &[Segment]| {
        let length = part.iter().rposition(|s| !s.is_zero()).map_or(0, |i| i + 1);
        part[..length].to_vec()
    };
    let mut canonical = trim(release);
    canonical.extend(trim(pre));
    canonical
}

fn from_segments(segments: &[Segment]) -> GemVersion {
    let text = segments
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".");
    let text = if text.is_empty() {
        "0".to_owned()
    } else {
        text
    };
    let segments = split_segments(&text);
    let canonical = canonical_segments(&segments);
    GemVersion {
        text: text.into(),
        segments,
        canonical,
    }
}

/// Adds one to a decimal number of any length.
fn increment(number: &Numeral) -> Numeral {
    let mut digits: Vec<u8> = number.as_str().bytes().collect();
    let mut index = digits.len();
    loop {
        if index == 0 {
            digits.insert(0, b'1');
            break;
        }
        index -= 1;
        if digits[index] == b'9' {
            digits[index] = b'0';
        } else {
            digits[index] += 1;
            break;
        }
    }
    let text = String::from_utf8(digits).unwrap_or_default();
    Numeral::parse(&text).unwrap_or_else(Numeral::zero)
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number(Numeral::zero());
        let length = self.canonical.len().max(other.canonical.len());
        for index in 0..length {
            let left = self.canonical.get(index).unwrap_or(&zero);
            let right = other.canonical.get(index).unwrap_or(&zero);
            let order = match (left, right) {
                (Segment::Number(a), Segment::Number(b)) => a.cmp(b),
                (Segment::Text(a), Segment::Text(b)) => a.cmp(b),
                (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
            };
            if order.is_ne() {
                return order;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for GemVersion {}

impl fmt::Display for GemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for GemVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        GemVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> GemVersion {
        GemVersion::parse(text).unwrap()
    }

    #[test]
    fn orders_like_rubygems() {
        let ascending = [
            "1.0.a", "1.0.a.1", "1.0.b1", "1.0.rc1", "1.0.rc2", "1", "1.0.1", "1.1", "2.0",
        ];
        for pair in ascending.windows(2) {
            assert!(
                version(pair[0]) < version(pair[1]),
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(version("1.0"), version("1"));
        assert_eq!(version("1.0.a"), version("1.a"));
        assert_eq!(version("1.0-beta"), version("1.0.pre.beta"));
        assert!(version("1.0.A") < version("1.0.a"));
    }

    #[test]
    fn release_and_bump() {
        let cases = [
            ("2.1.3", "2.1.3", "2.2"),
            ("2", "2", "3"),
            ("2.1.b", "2.1", "3"),
            ("1.9", "1.9", "2"),
        ];
        for (text, release, bump) in cases {
            assert_eq!(
                version(text).release().to_string(),
                release,
                "release of {text}"
            );
            assert_eq!(version(text).bump().to_string(), bump, "bump of {text}");
        }
        assert_eq!(
            version("99999999999999999999.9").bump().to_string(),
            "100000000000000000000"
        );
    }

    #[test]
    fn refuses_what_rubygems_refuses() {
        for text in ["", "  ", "a", "1..2", "1.", "1.0_1", "1-", "1.0-a..b", "-1"] {
            assert!(GemVersion::parse(text).is_err(), "{text:?}");
        }
        assert_eq!(version(" 1.0\n").as_str(), "1.0");
    }
}
