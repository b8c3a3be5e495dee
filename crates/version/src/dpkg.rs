//! Debian package versions, `[epoch:]upstream[-revision]`, read and ordered as dpkg does.
//!
//! The syntax and the ordering follow deb-version(7) and dpkg's `parseversion` and
//! `verrevcmp`: the epoch compares as a number; the upstream version and the revision compare
//! as alternating runs of non-digits and digits, where in a non-digit run `~` sorts before
//! everything (even the end of the string), letters sort before all other characters, and digit
//! runs compare as numbers.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::comparator::{ComparatorList, OpSyntax, RangeVersion};
use crate::numeral::compare_digits;
use crate::{Scheme, VersionError};

/// A Debian package version.
///
/// Equality is dpkg's: `1.0000-1` equals `1.0-1`, and `0:1` equals `1`.
#[derive(Debug, Clone)]
pub struct DpkgVersion {
    text: Box<str>,
    epoch: u32,
    upstream: Box<str>,
    revision: Box<str>,
}

/// A list of dpkg comparators such as `>= 1.2-1, << 2.0` (see [`ComparatorList`]).
pub type DpkgRange = ComparatorList<DpkgVersion>;

impl DpkgVersion {
    /// Reads a version; surrounding whitespace is ignored, as dpkg ignores it.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Dpkg, text, reason);
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());

        if trimmed.is_empty() {
            return Err(invalid("version string is empty"));
        }
        if trimmed.contains(|c: char| c.is_ascii_whitespace()) {
            return Err(invalid("version string has embedded spaces"));
        }

        let (epoch, rest) = match trimmed.split_once(':') {
            Some((epoch, rest)) => (parse_epoch(epoch).map_err(invalid)?, rest),
            None => (0, trimmed),
        };
        if rest.is_empty() {
            return Err(invalid("nothing after colon in version number"));
        }

        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((_, "")) => return Err(invalid("revision number is empty")),
            Some((upstream, revision)) => (upstream, revision),
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err(invalid("version number is empty"));
        }
        if !upstream.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(invalid("version number does not start with digit"));
        }
        if !upstream
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-+~:".contains(&b))
        {
            return Err(invalid("invalid character in version number"));
        }
        if !revision
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+~".contains(&b))
        {
            return Err(invalid("invalid character in revision number"));
        }

        Ok(DpkgVersion {
            text: trimmed.into(),
            epoch,
            upstream: upstream.into(),
            revision: revision.into(),
        })
    }

    /// The epoch; 0 when the version has none.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The upstream part, between the epoch and the last hyphen.
    pub fn upstream(&self) -> &str {
        &self.upstream
    }

    /// The Debian revision after the last hyphen, if there is one.
    pub fn revision(&self) -> Option<&str> {
        (!self.revision.is_empty()).then_some(&*self.revision)
    }
}

/// Reads the epoch: a decimal number no larger than C's `INT_MAX`, as dpkg requires.
fn parse_epoch(epoch: &str) -> Result<u32, &'static str> {
    if epoch.is_empty() {
        return Err("epoch in version is empty");
    }
    if !epoch.bytes().all(|b| b.is_ascii_digit()) {
        return Err("epoch in version is not number");
    }
    match epoch.parse::<u32>() {
        Ok(value) if value <= i32::MAX as u32 => Ok(value),
        _ => Err("epoch in version is too big"),
    }
}

/// dpkg's `verrevcmp`: orders two upstream versions or two revisions.
pub fn compare_fragment(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);

    while i < a.len() || j < b.len() {
        // The non-digit prefix, character by character in dpkg's character order.
        while a.get(i).is_some_and(|c| !c.is_ascii_digit())
            || b.get(j).is_some_and(|c| !c.is_ascii_digit())
        {
            let order = char_order(a.get(i).copied()).cmp(&char_order(b.get(j).copied()));
            if order.is_ne() {
                return order;
            }
            i += 1;
            j += 1;
        }

        // Then the digit run, by value.
        let (a_digits, a_end) = digit_run(a, i);
        let (b_digits, b_end) = digit_run(b, j);
        let order = compare_digits(a_digits, b_digits);
        if order.is_ne() {
            return order;
        }
        i = a_end;
        j = b_end;
    }
    Ordering::Equal
}

/// The run of ASCII digits starting at `start`, and the index just after it.
fn digit_run(bytes: &[u8], start: usize) -> (&str, usize) {
    let start = start.min(bytes.len());
    let end = start
        + bytes[start..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    (
        std::str::from_utf8(&bytes[start..end]).unwrap_or_default(),
        end,
    )
}

/// The weight dpkg gives a character of a non-digit run: `~` lowest, then the end of the run
/// (a digit or the end of the string), then letters, then everything else.
fn char_order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| compare_fragment(&self.upstream, &other.upstream))
            .then_with(|| compare_fragment(&self.revision, &other.revision))
    }
}

impl PartialOrd for DpkgVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DpkgVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for DpkgVersion {}

impl fmt::Display for DpkgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for DpkgVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DpkgVersion::parse(text)
    }
}

impl RangeVersion for DpkgVersion {
    const SCHEME: Scheme = Scheme::Dpkg;
    const OPERATORS: OpSyntax = OpSyntax::DEBIAN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        DpkgVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(a: &str, b: &str) -> Ordering {
        DpkgVersion::parse(a)
            .unwrap()
            .cmp(&DpkgVersion::parse(b).unwrap())
    }

    #[test]
    fn orders_like_dpkg() {
        let cases = [
            ("1.0~rc1", "1.0", Ordering::Less),
            ("1.0", "1.0+b1", Ordering::Less),
            ("1.0a", "1.0+", Ordering::Less),
            ("1:0.1", "2.0", Ordering::Greater),
            ("1.0-1", "1.0-1~bpo1", Ordering::Greater),
            ("1.2.3-1~deb7u1", "1.2.3-1", Ordering::Less),
            ("1.00", "1.0", Ordering::Equal),
            ("0:1.0", "1.0", Ordering::Equal),
            ("1.0-0", "1.0", Ordering::Equal),
            (
                "99999999999999999999999",
                "99999999999999999999998",
                Ordering::Greater,
            ),
        ];
        for (a, b, expected) in cases {
            assert_eq!(order(a, b), expected, "{a} vs {b}");
            assert_eq!(order(b, a), expected.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn splits_epoch_upstream_revision() {
        let version = DpkgVersion::parse("2:1.2-3-4ubuntu1").unwrap();
        assert_eq!(version.epoch(), 2);
        assert_eq!(version.upstream(), "1.2-3");
        assert_eq!(version.revision(), Some("4ubuntu1"));
        assert_eq!(version.to_string(), "2:1.2-3-4ubuntu1");
        assert_eq!(DpkgVersion::parse(" 1.0 ").unwrap().revision(), None);
    }

    #[test]
    fn rejects_what_dpkg_rejects() {
        let cases = [
            ("", "version string is empty"),
            ("1 .0", "version string has embedded spaces"),
            (":1.0", "epoch in version is empty"),
            ("a:1.0", "epoch in version is not number"),
            ("-1:1.0", "epoch in version is not number"),
            ("2147483648:1.0", "epoch in version is too big"),
            ("1:", "nothing after colon in version number"),
            ("1.0-", "revision number is empty"),
            ("1:-1", "version number is empty"),
            ("a1.0", "version number does not start with digit"),
            ("1.0_1", "invalid character in version number"),
            ("1.0-1_2", "invalid character in revision number"),
            ("1.0é", "invalid character in version number"),
        ];
        for (text, reason) in cases {
            match DpkgVersion::parse(text) {
                Err(VersionError::InvalidVersion { reason: got, .. }) => {
                    assert_eq!(got, reason, "{text:?}")
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }
}
