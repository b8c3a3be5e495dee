//! A Semantic Versioning 2.0.0 version, read as node-semver reads it (strictly by default, or
//! in its "loose" mode), and ordered by SemVer precedence.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::numeral::Numeral;
use crate::{Scheme, VersionError};

/// node-semver refuses longer version strings.
const MAX_LENGTH: usize = 256;

/// node-semver refuses numbers above JavaScript's `Number.MAX_SAFE_INTEGER`.
pub(crate) const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// A SemVer version such as `1.2.3-beta.1+build.5`.
///
/// Build metadata is kept but does not take part in the order or in equality.
#[derive(Debug, Clone)]
pub struct SemverVersion {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Identifier>,
    build: Vec<Box<str>>,
}

/// One dot-separated pre-release identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identifier {
    /// Only digits: compared by value, and before any alphanumeric identifier.
    Numeric(Numeral),
    /// Anything else: compared as ASCII text.
    Alphanumeric(Box<str>),
}

impl Identifier {
    fn read(text: &str) -> Identifier {
        match Numeral::parse(text) {
            Some(number) => Identifier::Numeric(number),
            None => Identifier::Alphanumeric(text.into()),
        }
    }
}

impl Ord for Identifier {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Identifier::Numeric(a), Identifier::Numeric(b)) => a.cmp(b),
            (Identifier::Numeric(_), Identifier::Alphanumeric(_)) => Ordering::Less,
            (Identifier::Alphanumeric(_), Identifier::Numeric(_)) => Ordering::Greater,
            (Identifier::Alphanumeric(a), Identifier::Alphanumeric(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Identifier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Numeric(number) => write!(f, "{number}"),
            Identifier::Alphanumeric(text) => f.write_str(text),
        }
    }
}

impl SemverVersion {
    /// Reads a version strictly: `[v]MAJOR.MINOR.PATCH[-PRE][+BUILD]` with no leading zeros,
    /// surrounding whitespace ignored.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        Self::parse_with(text, false)
    }

    /// Reads a version in node-semver's loose mode: leading `=`, `v` and spaces, leading zeros,
    /// and a pre-release without its hyphen (`1.2.3beta`) are accepted.
    pub fn parse_loose(text: &str) -> Result<Self, VersionError> {
        Self::parse_with(text, true)
    }

    /// Reads a version strictly or loosely.
    pub fn parse_with(text: &str, loose: bool) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Semver, text, reason);
        if text.len() > MAX_LENGTH {
            return Err(invalid("version is longer than 256 characters"));
        }
        let mut rest = text.trim();
        rest = if loose {
            rest.trim_start_matches(|c: char| c == 'v' || c == '=' || c.is_whitespace())
        } else {
            rest.strip_prefix('v').unwrap_or(rest)
        };

        let (core, build) = match rest.split_once('+') {
            Some((core, build)) => (core, Some(build)),
            None => (rest, None),
        };
        let (major, rest) = read_number(core, loose).ok_or_else(|| invalid("bad major version"))?;
        let rest = rest
            .strip_prefix('.')
            .ok_or_else(|| invalid("missing minor version"))?;
        let (minor, rest) = read_number(rest, loose).ok_or_else(|| invalid("bad minor version"))?;
        let rest = rest
            .strip_prefix('.')
            .ok_or_else(|| invalid("missing patch version"))?;
        let (patch, rest) = read_number(rest, loose).ok_or_else(|| invalid("bad patch version"))?;

        let pre = match rest.strip_prefix('-') {
            Some(pre) => read_prerelease(pre, loose),
            None if rest.is_empty() => Some(Vec::new()),
            None if loose => read_prerelease(rest, loose),
            None => None,
        }
        .ok_or_else(|| invalid("bad pre-release"))?;
        let build = match build {
            Some(build) => read_build(build).ok_or_else(|| invalid("bad build metadata"))?,
            None => Vec::new(),
        };

        Ok(SemverVersion {
            major,
            minor,
            patch,
            pre,
            build,
        })
    }

    /// A version without pre-release or build.
    pub(crate) fn new(major: u64, minor: u64, patch: u64) -> Self {
        SemverVersion {
            major,
            minor,
            patch,
            pre: Vec::new(),
            build: Vec::new(),
        }
    }

    /// The same version with the lowest pre-release, `-0`.
    pub(crate) fn lowest_prerelease(mut self) -> Self {
        self.pre = vec![Identifier::Numeric(Numeral::zero())];
        self
    }

    /// The same version with `pre` as its pre-release.
    pub(crate) fn with_prerelease(mut self, pre: Vec<Identifier>) -> Self {
        self.pre = pre;
        self
    }

    /// The major version.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor version.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch version.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release identifiers; empty for a release.
    pub fn prerelease(&self) -> &[Identifier] {
        &self.pre
    }

    /// The build metadata identifiers.
    pub fn build(&self) -> impl Iterator<Item = &str> {
        self.build.iter().map(|item| &**item)
    }

    /// Whether this is a pre-release.
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// Whether major, minor and patch are the same.
    pub(crate) fn same_core(&self, other: &SemverVersion) -> bool {
        (self.major, self.minor, self.patch) == (other.major, other.minor, other.patch)
    }
}

/// Reads a major, minor or patch number: no leading zero unless loose, at most
/// `MAX_SAFE_INTEGER`.
fn read_number(text: &str, loose: bool) -> Option<(u64, &str)> {
    let length = text.bytes().take_while(u8::is_ascii_digit).count();
    let digits = &text[..length];
    if digits.is_empty() || (!loose && digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    let value = Numeral::parse(digits)?
        .to_u64()
        .filter(|value| *value <= MAX_SAFE_INTEGER)?;
    Some((value, &text[length..]))
}

fn read_prerelease(text: &str, loose: bool) -> Option<Vec<Identifier>> {
    text.split('.')
        .map(|part| {
            let valid = !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && (loose || !is_numeric_with_leading_zero(part));
            valid.then(|| Identifier::read(part))
        })
        .collect()
}

fn is_numeric_with_leading_zero(part: &str) -> bool {
    part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit())
}

fn read_build(text: &str) -> Option<Vec<Box<str>>> {
    text.split('.')
        .map(|part| {
            let valid =
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            valid.then(|| part.into())
        })
        .collect()
}

impl Ord for SemverVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                // A release is newer than its pre-releases.
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for SemverVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for SemverVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for SemverVersion {}

impl fmt::Display for SemverVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            let pre: Vec<String> = self.pre.iter().map(ToString::to_string).collect();
            write!(f, "-{}", pre.join("."))?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build.join("."))?;
        }
        Ok(())
    }
}

impl FromStr for SemverVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SemverVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_precedence() {
        let ascending = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for pair in ascending.windows(2) {
            let a = SemverVersion::parse(pair[0]).unwrap();
            let b = SemverVersion::parse(pair[1]).unwrap();
            assert!(a < b, "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(
            SemverVersion::parse("1.0.0+a").unwrap(),
            SemverVersion::parse("1.0.0+b").unwrap()
        );
    }

    #[test]
    fn strict_and_loose() {
        let cases = [
            ("v1.2.3", true, true),
            ("=1.2.3", false, true),
            ("v 1.2.3", false, true),
            ("01.2.3", false, true),
            ("1.2.3-01", false, true),
            ("1.2.3beta", false, true),
            ("1.2", false, false),
            ("1.2.3.4", false, false),
            ("1.2.3-", false, false),
            ("1.2.3+", false, false),
            ("1.2.3-a..b", false, false),
            ("9007199254740992.0.0", false, false),
            ("", false, false),
        ];
        for (text, strict, loose) in cases {
            assert_eq!(
                SemverVersion::parse(text).is_ok(),
                strict,
                "strict {text:?}"
            );
            assert_eq!(
                SemverVersion::parse_loose(text).is_ok(),
                loose,
                "loose {text:?}"
            );
        }
        assert_eq!(
            SemverVersion::parse_loose("=v1.02.3beta")
                .unwrap()
                .to_string(),
            "1.2.3-beta"
        );
    }
}
