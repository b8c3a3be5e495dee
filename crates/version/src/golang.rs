//! Go module versions, read and ordered as `golang.org/x/mod/semver` does: `v1.2.3`,
//! shorthands `v1` and `v1.2`, pre-releases (pseudo-versions among them) and build metadata
//! such as `+incompatible`, which does not take part in the order.
//!
//! The leading `v` may be left out, as OSV writes Go versions without it.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::comparator::{ComparatorList, OpSyntax, RangeVersion};
use crate::numeral::Numeral;
use crate::semver::Identifier;
use crate::{Scheme, VersionError};

/// A Go module version.
#[derive(Debug, Clone)]
pub struct GoVersion {
    major: Numeral,
    minor: Numeral,
    patch: Numeral,
    pre: Vec<Identifier>,
    pre_text: Box<str>,
    build: Option<Box<str>>,
}

/// A list of Go comparators such as `>= v1.2.0, < v1.4.1` (see [`ComparatorList`]).
pub type GoRange = ComparatorList<GoVersion>;

impl GoVersion {
    /// Reads a version; the `v` is optional.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Golang, text, reason);
        let rest = text.strip_prefix('v').unwrap_or(text);

        let (major, rest) = read_number(rest).ok_or_else(|| invalid("bad major version"))?;
        let shorthand = |minor, patch| GoVersion {
            major: major.clone(),
            minor,
            patch,
            pre: Vec::new(),
            pre_text: "".into(),
            build: None,
        };
        if rest.is_empty() {
            return Ok(shorthand(Numeral::zero(), Numeral::zero()));
        }
        let rest = rest
            .strip_prefix('.')
            .ok_or_else(|| invalid("bad major version"))?;
        let (minor, rest) = read_number(rest).ok_or_else(|| invalid("bad minor version"))?;
        if rest.is_empty() {
            return Ok(shorthand(minor, Numeral::zero()));
        }
        let rest = rest
            .strip_prefix('.')
            .ok_or_else(|| invalid("bad minor version"))?;
        let (patch, rest) = read_number(rest).ok_or_else(|| invalid("bad patch version"))?;

        let (rest, build) = match rest.split_once('+') {
            Some((rest, build)) => (rest, Some(build)),
            None => (rest, None),
        };
        let pre_text = match rest.strip_prefix('-') {
            Some(pre) => pre,
            None if rest.is_empty() => "",
            None => return Err(invalid("unexpected text after the patch version")),
        };
        let pre = if rest.is_empty() {
            Vec::new()
        } else {
            read_identifiers(pre_text, true).ok_or_else(|| invalid("bad pre-release"))?
        };
        if let Some(build) = build {
            read_identifiers(build, false).ok_or_else(|| invalid("bad build metadata"))?;
        }

        Ok(GoVersion {
            major,
            minor,
            patch,
            pre,
            pre_text: pre_text.into(),
            build: build.map(Into::into),
        })
    }

    /// Whether this is a pre-release (pseudo-versions are).
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// Whether the version carries `+incompatible`: a v2 or later module without a `go.mod`.
    pub fn is_incompatible(&self) -> bool {
        self.build.as_deref() == Some("incompatible")
    }

    /// Whether this is a pseudo-version naming a commit, in one of the three forms the Go
    /// module reference defines: `vX.0.0-yyyymmddhhmmss-abcdef123456`,
    /// `vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef123456` and `vX.Y.Z-0.yyyymmddhhmmss-abcdef123456`.
    pub fn is_pseudo(&self) -> bool {
        let Some((head, revision)) = self.pre_text.rsplit_once('-') else {
            return false;
        };
        if revision.is_empty() || !revision.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return false;
        }
        let is_time = |text: &str| text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit());
        let base_form = self.minor.is_zero() && self.patch.is_zero() && is_time(head);
        let dotted_form = head.len() >= 16 && {
            let (before, time) = head.split_at(head.len() - 14);
            is_time(time) && (before == "0." || before.ends_with(".0."))
        };
        base_form || dotted_form
    }
}

/// A major, minor or patch number: digits, no leading zero, any length.
fn read_number(text: &str) -> Option<(Numeral, &str)> {
    let length = text.bytes().take_while(u8::is_ascii_digit).count();
    let digits = &text[..length];
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    Some((Numeral::parse(digits)?, &text[length..]))
}

/// Dot-separated identifiers of `[0-9A-Za-z-]`; numeric pre-release identifiers may not have a
/// leading zero.
fn read_identifiers(text: &str, prerelease: bool) -> Option<Vec<Identifier>> {
    text.split('.')
        .map(|part| {
            let chars_ok =
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            let numeric = part.bytes().all(|b| b.is_ascii_digit());
            let zero_ok = !(prerelease && numeric && part.len() > 1 && part.starts_with('0'));
            (chars_ok && zero_ok).then(|| match Numeral::parse(part) {
                Some(number) => Identifier::Numeric(number),
                None => Identifier::Alphanumeric(part.into()),
            })
        })
        .collect()
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.major, &self.minor, &self.patch)
            .cmp(&(&other.major, &other.minor, &other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for GoVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GoVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for GoVersion {}

/// The canonical form, with its `v` (shorthands written out in full).
impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre_text.is_empty() {
            write!(f, "-{}", self.pre_text)?;
        }
        if let Some(build) = &self.build {
            write!(f, "+{build}")?;
        }
        Ok(())
    }
}

impl FromStr for GoVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        GoVersion::parse(text)
    }
}

impl RangeVersion for GoVersion {
    const SCHEME: Scheme = Scheme::Golang;
    const OPERATORS: OpSyntax = OpSyntax::PLAIN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        GoVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> GoVersion {
        GoVersion::parse(text).unwrap()
    }

    #[test]
    fn orders_like_x_mod_semver() {
        let ascending = [
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0",
            "v0.1.0-0.20200101000000-abcdef123456",
            "v0.1.0-rc.1",
            "v0.1.0",
            "v1",
            "v1.0.1",
            "v1.2",
            "v2.0.0+incompatible",
            "v10.0.0",
            "v123456789012345678901234567890.0.0",
        ];
        for pair in ascending.windows(2) {
            assert!(
                version(pair[0]) < version(pair[1]),
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(version("v1.2"), version("1.2.0"));
        assert_eq!(version("v2.0.0+incompatible"), version("v2.0.0"));
        assert_eq!(version("1.2").to_string(), "v1.2.0");
    }

    #[test]
    fn refuses_what_go_refuses() {
        for text in [
            "",
            "v",
            "v01.0.0",
            "v1.02.0",
            "v1.2-pre",
            "v1.2.3-01",
            "v1.2.3-",
            "v1.2.3+",
            "v1.2.3.4",
            "1.2.3 ",
        ] {
            assert!(GoVersion::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn recognises_pseudo_versions() {
        let cases = [
            ("v0.0.0-20191109021931-daa7c04131f5", true),
            ("v1.2.4-0.20191109021931-daa7c04131f5", true),
            ("v1.2.3-pre.0.20191109021931-daa7c04131f5", true),
            ("v1.2.3-pre", false),
            ("v1.2.3-20191109021931-daa7c04131f5", false),
        ];
        for (text, expected) in cases {
            assert_eq!(version(text).is_pseudo(), expected, "{text}");
            assert!(version(text).is_prerelease());
        }
        assert!(version("v2.0.0+incompatible").is_incompatible());
    }
}
