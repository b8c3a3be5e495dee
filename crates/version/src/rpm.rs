//! RPM package versions, `[epoch:]version[-release]`, read and ordered as rpm does.
//!
//! The split follows rpm's `parseEVR` (the epoch is a leading run of digits ended by `:`, the
//! release follows the last `-`), the order follows `rpmverCmp` (a missing epoch is 0, a missing
//! release sorts before any release), and each field is compared with `rpmvercmp`: runs of
//! letters and runs of digits compared one by one, other characters only separating them, `~`
//! sorting before everything and `^` after the end of the string but before anything else.
//! Range tests follow rpm's dependency matching (`rpmverOverlap`): a bound without a release
//! matches every release of its version.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::comparator::{ComparatorList, Op, OpSyntax, RangeVersion};
use crate::numeral::compare_digits;
use crate::{Scheme, VersionError};

/// An RPM `[epoch:]version[-release]`.
///
/// Equality is rpm's: `1.01` equals `1.1`, `0:1.0` equals `1.0`.
#[derive(Debug, Clone)]
pub struct RpmVersion {
    text: Box<str>,
    epoch: Option<Box<str>>,
    version: Box<str>,
    release: Option<Box<str>>,
}

/// A list of rpm comparators such as `>= 0:1.2-3.el9, < 2.0` (see [`ComparatorList`]).
pub type RpmRange = ComparatorList<RpmVersion>;

impl RpmVersion {
    /// Reads an EVR string.
    ///
    /// rpm accepts nearly any text; what is refused here is what cannot be a package's EVR:
    /// the empty string, whitespace and control characters, and an empty version field.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Rpm, text, reason);

        if text.is_empty() {
            return Err(invalid("version is empty"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                "version contains whitespace or a control character",
            ));
        }

        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (epoch, rest) = match text[digits..].strip_prefix(':') {
            Some(rest) if digits == 0 => (Some("0"), rest),
            Some(rest) => (Some(&text[..digits]), rest),
            None => (None, text),
        };
        let (version, release) = match rest.rsplit_once('-') {
            Some((version, release)) => (version, Some(release)),
            None => (rest, None),
        };
        if version.is_empty() {
            return Err(invalid("version field is empty"));
        }

        Ok(RpmVersion {
            text: text.into(),
            epoch: epoch.map(Into::into),
            version: version.into(),
            release: release.map(Into::into),
        })
    }

    /// The epoch as written, if there is one (an empty epoch reads as `0`, as in rpm).
    pub fn epoch(&self) -> Option<&str> {
        self.epoch.as_deref()
    }

    /// The version field.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The release field, if there is one.
    pub fn release(&self) -> Option<&str> {
        self.release.as_deref()
    }

    fn epoch_or_zero(&self) -> &str {
        self.epoch.as_deref().unwrap_or("0")
    }

    /// rpm's dependency comparison: epochs default to 0, and releases count only when both
    /// sides have a non-empty one.
    fn compare_loosely(&self, bound: &RpmVersion) -> Ordering {
        let order = rpmvercmp(self.epoch_or_zero(), bound.epoch_or_zero())
            .then_with(|| rpmvercmp(&self.version, &bound.version));
        match (self.release(), bound.release()) {
            (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
                order.then_with(|| rpmvercmp(a, b))
            }
            _ => order,
        }
    }
}

/// rpm's `rpmvercmp`: orders two version (or release) fields.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let is_separator = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    let (mut one, mut two) = (a.as_bytes(), b.as_bytes());

    while !one.is_empty() || !two.is_empty() {
        one = skip_while(one, is_separator);
        two = skip_while(two, is_separator);

        // `~` sorts before everything, the end of the string included.
        if one.first() == Some(&b'~') || two.first() == Some(&b'~') {
            if one.first() != Some(&b'~') {
                return Ordering::Greater;
            }
            if two.first() != Some(&b'~') {
                return Ordering::Less;
            }
            (one, two) = (&one[1..], &two[1..]);
            continue;
        }

        // `^` sorts after the end of the string but before everything else.
        if one.first() == Some(&b'^') || two.first() == Some(&b'^') {
            match (one.first(), two.first()) {
                (None, _) => return Ordering::Less,
                (_, None) => return Ordering::Greater,
                (Some(b'^'), Some(b'^')) => (one, two) = (&one[1..], &two[1..]),
                (Some(b'^'), Some(_)) => return Ordering::Less,
                (Some(_), Some(_)) => return Ordering::Greater,
            }
            continue;
        }

        let (Some(&first), Some(_)) = (one.first(), two.first()) else {
            break;
        };

        // A run of digits or of letters, taken from both sides.
        let numeric = first.is_ascii_digit();
        let in_run = |c: u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let one_len = one.iter().take_while(|&&c| in_run(c)).count();
        let two_len = two.iter().take_while(|&&c| in_run(c)).count();
        if two_len == 0 {
            // Different kinds of run: a number is newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }

        let (run_one, run_two) = (&one[..one_len], &two[..two_len]);
        let order = if numeric {
            compare_digits(ascii(run_one), ascii(run_two))
        } else {
            run_one.cmp(run_two)
        };
        if order.is_ne() {
            return order;
        }
        (one, two) = (&one[one_len..], &two[two_len..]);
    }

    // Whichever still has characters left is newer.
    match (one.is_empty(), two.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, _) => Ordering::Greater,
    }
}

fn skip_while(bytes: &[u8], predicate: impl Fn(u8) -> bool) -> &[u8] {
    let skipped = bytes.iter().take_while(|&&c| predicate(c)).count();
    &bytes[skipped..]
}

/// Views a run of ASCII digits as text.
fn ascii(digits: &[u8]) -> &str {
    std::str::from_utf8(digits).unwrap_or_default()
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        rpmvercmp(self.epoch_or_zero(), other.epoch_or_zero())
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (self.release(), other.release()) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => rpmvercmp(a, b),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for RpmVersion {}

impl fmt::Display for RpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for RpmVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RpmVersion::parse(text)
    }
}

impl RangeVersion for RpmVersion {
    const SCHEME: Scheme = Scheme::Rpm;
    const OPERATORS: OpSyntax = OpSyntax::PLAIN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        RpmVersion::parse(text)
    }

    /// As `rpmverOverlap` tests an installed EVR against a dependency: when only one side has
    /// a release and the other allows equality, the versions match.
    fn satisfies(&self, op: Op, bound: &Self) -> bool {
        let releases = (self.release().unwrap_or(""), bound.release().unwrap_or(""));
        let one_release = releases.0.is_empty() != releases.1.is_empty();
        let order = self.compare_loosely(bound);
        if order.is_eq() && one_release && op.allows_equal() {
            return true;
        }
        op.accepts(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpmvercmp_orders_fields() {
        let cases = [
            ("1.0", "1.0", Ordering::Equal),
            ("1.0", "2.0", Ordering::Less),
            ("2.0.1a", "2.0.1", Ordering::Greater),
            ("1.0~rc1", "1.0", Ordering::Less),
            ("1.0^git1", "1.0", Ordering::Greater),
            ("1.0^git1", "1.01", Ordering::Less),
            ("a", "1", Ordering::Less),
            ("1.010", "1.10", Ordering::Equal),
            ("+", "_", Ordering::Equal),
            ("5.el8", "5.el8.0.0", Ordering::Less),
        ];
        for (a, b, expected) in cases {
            assert_eq!(rpmvercmp(a, b), expected, "{a} vs {b}");
            assert_eq!(rpmvercmp(b, a), expected.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn splits_evr_like_rpm() {
        let cases = [
            ("1:2.3-4.el9", Some("1"), "2.3", Some("4.el9")),
            ("2.3", None, "2.3", None),
            (":2.3", Some("0"), "2.3", None),
            ("a:1", None, "a:1", None),
            ("1.2.3-3-el7_5", None, "1.2.3-3", Some("el7_5")),
            ("1-", None, "1", Some("")),
        ];
        for (text, epoch, version, release) in cases {
            let parsed = RpmVersion::parse(text).unwrap();
            assert_eq!(
                (parsed.epoch(), parsed.version(), parsed.release()),
                (epoch, version, release)
            );
        }
        for text in ["", "-1", "1:-1", "1.0 1", "1.0\u{7}"] {
            assert!(RpmVersion::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn bounds_without_release_match_every_release() {
        let range = |text| RpmRange::parse(text).unwrap();
        let version = |text| RpmVersion::parse(text).unwrap();
        assert!(range("= 1.0").contains(&version("1.0-5.el9")));
        assert!(range("<= 1.0").contains(&version("1.0-5.el9")));
        assert!(!range("< 1.0").contains(&version("1.0-5.el9")));
        assert!(range("< 1.0-6").contains(&version("1.0-5.el9")));
        assert!(range("< 1:0.5").contains(&version("1.0-5.el9")));
        assert!(!range("< 0:1.0-5.el9").contains(&version("1.0-5.el9")));
    }
}
