//! Alpine package versions, read and ordered as apk-tools 3 does.
//!
//! The grammar is `digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]` (apk-tools'
//! `version.c`): one lowercase letter may follow the numbers; the suffixes are `_alpha`,
//! `_beta`, `_pre` and `_rc`, which sort before the bare version, and `_cvs`, `_svn`, `_git`,
//! `_hg` and `_p`, which sort after it; `~` carries a lowercase hexadecimal commit hash; `-r`
//! the package revision. Anything else is invalid: apk itself only orders invalid versions by a
//! fallback, which this crate does not imitate.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::comparator::{ComparatorList, Op, OpSyntax, RangeVersion};
use crate::numeral::compare_digits;
use crate::{Scheme, VersionError};

/// A valid Alpine package version.
///
/// Equality is apk's: `1.01` and `1.1` differ (a number with a leading zero after a dot
/// compares as text), `1-r01` equals `1-r1`.
#[derive(Debug, Clone)]
pub struct ApkVersion {
    text: Box<str>,
}

/// A list of apk comparators such as `>= 1.2-r0, < 1.3` (see [`ComparatorList`]); apk's
/// fuzzy `~`, `<~` and `>~` are accepted too.
pub type ApkRange = ComparatorList<ApkVersion>;

impl ApkVersion {
    /// Reads a version, refusing what `apk_version_validate` refuses.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let mut tokens = Tokens::new(text);
        loop {
            let token = tokens.next_token();
            match token.kind {
                Kind::End => return Ok(ApkVersion { text: text.into() }),
                Kind::Invalid => {
                    return Err(VersionError::version(Scheme::Apk, text, tokens.error))
                }
                _ => {}
            }
        }
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// apk's fuzzy comparison: equal when `bound`'s components are a prefix of this version's,
    /// so `3.6.9` fuzzily equals `3.6`.
    pub fn compare_fuzzy(&self, bound: &ApkVersion) -> Ordering {
        compare(&self.text, &bound.text, true)
    }
}

/// The kinds of token, in apk's order: a later kind where the other version has an earlier one
/// makes the version older (except for pre-release suffixes, handled apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNumber,
    CommitHash,
    Revision,
    End,
    Invalid,
}

/// The suffixes in order; those before the empty entry are pre-releases.
const SUFFIXES: [&str; 10] = [
    "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p",
];
const NO_SUFFIX: usize = 4;

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: Kind,
    value: &'a str,
    suffix: usize,
}

/// Walks a version token by token, checking each may follow the one before.
struct Tokens<'a> {
    rest: &'a str,
    previous: Option<Kind>,
    error: &'static str,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens {
            rest: text,
            previous: None,
            error: "",
        }
    }

    fn next_token(&mut self) -> Token<'a> {
        let token = self.read();
        self.previous = Some(token.kind);
        token
    }

    fn read(&mut self) -> Token<'a> {
        let Some(previous) = self.previous else {
            return self.digits(Kind::InitialDigit, "version does not start with a number");
        };
        if previous >= Kind::End {
            return Token {
                kind: previous,
                value: "",
                suffix: 0,
            };
        }
        let Some(first) = self.rest.bytes().next() else {
            return Token {
                kind: Kind::End,
                value: "",
                suffix: 0,
            };
        };

        match first {
            b'a'..=b'z' if previous <= Kind::Digit => {
                let (value, rest) = self.rest.split_at(1);
                self.rest = rest;
                Token {
                    kind: Kind::Letter,
                    value,
                    suffix: 0,
                }
            }
            b'.' if previous <= Kind::Digit => {
                self.rest = &self.rest[1..];
                self.digits(Kind::Digit, "a dot is not followed by a number")
            }
            b'0'..=b'9' if previous == Kind::Suffix => {
                self.digits(Kind::SuffixNumber, "invalid suffix number")
            }
            b'_' if previous <= Kind::SuffixNumber => {
                let name = take_while(&self.rest[1..], |c| c.is_ascii_lowercase());
                self.rest = &self.rest[1 + name.len()..];
                match SUFFIXES
                    .iter()
                    .position(|suffix| !suffix.is_empty() && *suffix == name)
                {
                    Some(suffix) => Token {
                        kind: Kind::Suffix,
                        value: name,
                        suffix,
                    },
                    None => self.invalid("unknown suffix"),
                }
            }
            b'~' if previous < Kind::CommitHash => {
                let hash = take_while(&self.rest[1..], |c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
                self.rest = &self.rest[1 + hash.len()..];
                if hash.is_empty() {
                    return self.invalid("`~` is not followed by a commit hash");
                }
                Token {
                    kind: Kind::CommitHash,
                    value: hash,
                    suffix: 0,
                }
            }
            b'-' if previous < Kind::Revision => match self.rest.strip_prefix("-r") {
                Some(rest) => {
                    self.rest = rest;
                    self.digits(Kind::Revision, "`-r` is not followed by a number")
                }
                None => self.invalid("a hyphen must start the `-r` revision"),
            },
            _ => self.invalid("unexpected character"),
        }
    }

    fn digits(&mut self, kind: Kind, error: &'static str) -> Token<'a> {
        let value = take_while(self.rest, |c| c.is_ascii_digit());
        self.rest = &self.rest[value.len()..];
        if value.is_empty() {
            return self.invalid(error);
        }
        Token {
            kind,
            value,
            suffix: 0,
        }
    }

    fn invalid(&mut self, error: &'static str) -> Token<'a> {
        self.error = error;
        Token {
            kind: Kind::Invalid,
            value: "",
            suffix: 0,
        }
    }
}

fn take_while(text: &str, predicate: impl Fn(u8) -> bool) -> &str {
    let length = text.bytes().take_while(|&c| predicate(c)).count();
    &text[..length]
}

/// Orders two tokens of the same kind.
fn compare_tokens(a: &Token<'_>, b: &Token<'_>) -> Ordering {
    match a.kind {
        // After a dot, a leading zero makes the number compare as text (as in Gentoo).
        Kind::Digit if a.value.starts_with('0') || b.value.starts_with('0') => a.value.cmp(b.value),
        Kind::InitialDigit | Kind::Digit | Kind::SuffixNumber | Kind::Revision => {
            compare_digits(a.value, b.value)
        }
        Kind::Suffix => a.suffix.cmp(&b.suffix),
        _ => a.value.cmp(b.value),
    }
}

/// apk's `apk_version_compare_fuzzy` on two valid versions.
fn compare(a: &str, b: &str, fuzzy: bool) -> Ordering {
    let (mut left, mut right) = (Tokens::new(a), Tokens::new(b));
    let (mut ta, mut tb) = (left.next_token(), right.next_token());

    while ta.kind == tb.kind && ta.kind < Kind::End {
        let order = compare_tokens(&ta, &tb);
        if order.is_ne() {
            return order;
        }
        (ta, tb) = (left.next_token(), right.next_token());
    }

    if ta.kind == tb.kind || (tb.kind == Kind::End && fuzzy) {
        return Ordering::Equal;
    }
    // The leading components are equal: the longer version is newer, unless what it has more
    // is a pre-release suffix.
    if ta.kind == Kind::Suffix && ta.suffix < NO_SUFFIX {
        return Ordering::Less;
    }
    if tb.kind == Kind::Suffix && tb.suffix < NO_SUFFIX {
        return Ordering::Greater;
    }
    tb.kind.cmp(&ta.kind)
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.text, &other.text, false)
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for ApkVersion {}

impl fmt::Display for ApkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for ApkVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ApkVersion::parse(text)
    }
}

impl RangeVersion for ApkVersion {
    const SCHEME: Scheme = Scheme::Apk;
    const OPERATORS: OpSyntax = OpSyntax::APK;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        ApkVersion::parse(text)
    }

    fn satisfies(&self, op: Op, bound: &Self) -> bool {
        let order = if op.is_fuzzy() {
            self.compare_fuzzy(bound)
        } else {
            self.cmp(bound)
        };
        op.accepts(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(a: &str, b: &str) -> Ordering {
        ApkVersion::parse(a)
            .unwrap()
            .cmp(&ApkVersion::parse(b).unwrap())
    }

    #[test]
    fn orders_like_apk() {
        let cases = [
            ("1.0", "1.0-r1", Ordering::Less),
            ("1.0_rc1", "1.0", Ordering::Less),
            ("1.0_p1", "1.0", Ordering::Greater),
            ("1.0_alpha", "1.0_beta", Ordering::Less),
            ("1.0a", "1.0", Ordering::Greater),
            ("1.0a", "1.0.1", Ordering::Less),
            ("1.01", "1.1", Ordering::Less),
            ("1.010", "1.01", Ordering::Greater),
            ("1-r01", "1-r1", Ordering::Equal),
            ("1.0~abc", "1.0~abd", Ordering::Less),
            ("1.0~abc-r1", "1.0~abc", Ordering::Greater),
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
    fn refuses_invalid_versions() {
        let cases = [
            ("", "version does not start with a number"),
            ("a", "version does not start with a number"),
            ("1.", "a dot is not followed by a number"),
            ("1ab", "unexpected character"),
            ("1_foo", "unknown suffix"),
            ("1_", "unknown suffix"),
            ("1~", "`~` is not followed by a commit hash"),
            ("1-r", "`-r` is not followed by a number"),
            ("1-2", "a hyphen must start the `-r` revision"),
            ("1.0A", "unexpected character"),
            ("1-r1-r2", "unexpected character"),
        ];
        for (text, reason) in cases {
            match ApkVersion::parse(text) {
                Err(VersionError::InvalidVersion { reason: got, .. }) => {
                    assert_eq!(got, reason, "{text:?}")
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn fuzzy_operators() {
        let range = |text| ApkRange::parse(text).unwrap();
        let version = |text| ApkVersion::parse(text).unwrap();
        assert!(range("~3.6").contains(&version("3.6.9")));
        assert!(!range("~3.8.1").contains(&version("3.8")));
        assert!(range("<~3.6").contains(&version("3.5")));
        assert!(range(">~3.6").contains(&version("3.6.1")));
        assert!(!range("=3.6").contains(&version("3.6.1")));
    }
}
