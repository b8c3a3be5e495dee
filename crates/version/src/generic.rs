//! A fallback scheme for versions that follow no stated standard: release numbers, then an
//! optional pre-release tail of letter and digit runs, then optional `+build` metadata.
//!
//! The rules, written down here because no standard does: an optional `v`; dot-separated release
//! numbers, compared by value with missing numbers counting as 0 (`1.2` equals `1.2.0`); then,
//! after a letter or one of `-`, `_`, `~` (or a dot before a letter), a tail that marks a
//! pre-release (`1.0rc1`, `1.0.0-beta.2`, `1.0.0.alpha` all sort before `1.0.0`). A tail is
//! compared run by run, separators ignored: numbers by value, letters without regard to case,
//! numbers before letters, a shorter tail before a longer one it begins. Text after `+` is build
//! metadata and does not take part in the order.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::comparator::{ComparatorList, OpSyntax, RangeVersion};
use crate::numeral::Numeral;
use crate::{Scheme, VersionError};

/// A version read by the generic rules.
#[derive(Debug, Clone)]
pub struct GenericVersion {
    text: Box<str>,
    release: Vec<Numeral>,
    tail: Vec<Word>,
}

/// A list of generic comparators such as `>= 1.0, < 2.0` (see [`ComparatorList`]).
pub type GenericRange = ComparatorList<GenericVersion>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Word {
    Number(Numeral),
    /// Lowercased.
    Letters(Box<str>),
}

impl Ord for Word {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Word::Number(a), Word::Number(b)) => a.cmp(b),
            (Word::Letters(a), Word::Letters(b)) => a.cmp(b),
            (Word::Number(_), Word::Letters(_)) => Ordering::Less,
            (Word::Letters(_), Word::Number(_)) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

const SEPARATORS: [u8; 4] = [b'.', b'-', b'_', b'~'];

impl GenericVersion {
    /// Reads a version by the generic rules.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Generic, text, reason);
        let (main, build) = match text.split_once('+') {
            Some((main, build)) => (main, Some(build)),
            None => (text, None),
        };
        if let Some(build) = build {
            let build_ok = !build.is_empty()
                && build
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || SEPARATORS.contains(&b));
            if !build_ok {
                return Err(invalid("bad build metadata after `+`"));
            }
        }
        let main = main.strip_prefix(['v', 'V']).unwrap_or(main);
        if !main.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(invalid("a version starts with a number"));
        }

        let bytes = main.as_bytes();
        let mut release = Vec::new();
        let mut index = 0;
        loop {
            let digits = run(bytes, index, u8::is_ascii_digit);
            release
                .push(Numeral::parse(&main[index..index + digits]).unwrap_or_else(Numeral::zero));
            index += digits;
            let dot_then_digit = bytes.get(index) == Some(&b'.')
                && bytes.get(index + 1).is_some_and(u8::is_ascii_digit);
            if !dot_then_digit {
                break;
            }
            index += 1;
        }

        let tail = read_tail(&main[index..]).ok_or_else(|| invalid("bad pre-release tail"))?;
        Ok(GenericVersion {
            text: text.into(),
            release,
            tail,
        })
    }

    /// Whether the version has a pre-release tail.
    pub fn is_prerelease(&self) -> bool {
        !self.tail.is_empty()
    }
}

fn run(bytes: &[u8], start: usize, predicate: impl Fn(&u8) -> bool) -> usize {
    bytes[start..].iter().take_while(|b| predicate(b)).count()
}

/// Reads the tail: words of letters or digits, at most one separator between them, none at
/// the end.
fn read_tail(tail: &str) -> Option<Vec<Word>> {
    let bytes = tail.as_bytes();
    let mut words = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if SEPARATORS.contains(&bytes[index]) {
            index += 1;
            if !bytes.get(index).is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
        }
        let first = bytes[index];
        let length = if first.is_ascii_digit() {
            run(bytes, index, u8::is_ascii_digit)
        } else {
            run(bytes, index, u8::is_ascii_alphabetic)
        };
        if length == 0 {
            return None;
        }
        let text = &tail[index..index + length];
        words.push(match Numeral::parse(text) {
            Some(number) => Word::Number(number),
            None => Word::Letters(text.to_ascii_lowercase().into()),
        });
        index += length;
    }
    Some(words)
}

impl Ord for GenericVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Numeral::zero();
        let length = self.release.len().max(other.release.len());
        for index in 0..length {
            let left = self.release.get(index).unwrap_or(&zero);
            let right = other.release.get(index).unwrap_or(&zero);
            let order = left.cmp(right);
            if order.is_ne() {
                return order;
            }
        }
        match (self.tail.is_empty(), other.tail.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => self.tail.cmp(&other.tail),
        }
    }
}

impl PartialOrd for GenericVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GenericVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for GenericVersion {}

impl fmt::Display for GenericVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for GenericVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        GenericVersion::parse(text)
    }
}

impl RangeVersion for GenericVersion {
    const SCHEME: Scheme = Scheme::Generic;
    const OPERATORS: OpSyntax = OpSyntax::PLAIN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        GenericVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> GenericVersion {
        GenericVersion::parse(text).unwrap()
    }

    #[test]
    fn orders_by_the_generic_rules() {
        let ascending = [
            "1.0.0-alpha",
            "1.0.0.alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0rc1",
            "1.0.0",
            "1.0.1",
            "1.2",
            "1.10",
            "v2",
        ];
        for pair in ascending.windows(2) {
            assert!(
                version(pair[0]) < version(pair[1]),
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        let equal = [
            ("1.2", "1.2.0"),
            ("1.20rc1", "1.20.0-rc1"),
            ("1.0-Alpha-Beta", "1.0.alpha.beta"),
            ("2.3.1+meta", "2.3.1"),
        ];
        for (a, b) in equal {
            assert_eq!(version(a), version(b), "{a} = {b}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for text in [
            "", "v", "abc", "1.0-", "1.0--a", "1.0 a", "1.0+", "1.0+a b", "1.0#", ".1",
        ] {
            assert!(GenericVersion::parse(text).is_err(), "{text:?}");
        }
    }
}
