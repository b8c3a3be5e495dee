//! A PEP 440 version: parsing with every spelling PEP 440 normalises, the normal form, and the
//! order of PEP 440's "Summary of permitted suffixes and relative ordering".

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::parse;
use crate::numeral::Numeral;
use crate::{Scheme, VersionError};

/// A PEP 440 version such as `1!2.0.post1.dev3+ubuntu.1`.
///
/// Equality is PEP 440's: `1.0` equals `1.0.0`, `1.0+AbC` equals `1.0+abc`.
#[derive(Debug, Clone)]
pub struct Pep440Version {
    pub(super) epoch: Numeral,
    pub(super) release: Vec<Numeral>,
    pub(super) pre: Option<(PreKind, Numeral)>,
    pub(super) post: Option<Numeral>,
    pub(super) dev: Option<Numeral>,
    pub(super) local: Vec<LocalPart>,
}

/// The kind of a pre-release, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreKind {
    /// `a` (also spelt `alpha`).
    Alpha,
    /// `b` (also spelt `beta`).
    Beta,
    /// `rc` (also spelt `c`, `pre` and `preview`).
    ReleaseCandidate,
}

impl PreKind {
    /// The normal spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PreKind::Alpha => "a",
            PreKind::Beta => "b",
            PreKind::ReleaseCandidate => "rc",
        }
    }
}

/// One dot-separated part of a local version label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum LocalPart {
    /// Text parts sort before numbers.
    Text(Box<str>),
    Number(Numeral),
}

impl Ord for LocalPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LocalPart::Number(a), LocalPart::Number(b)) => a.cmp(b),
            (LocalPart::Text(a), LocalPart::Text(b)) => a.cmp(b),
            (LocalPart::Text(_), LocalPart::Number(_)) => Ordering::Less,
            (LocalPart::Number(_), LocalPart::Text(_)) => Ordering::Greater,
        }
    }
}

impl PartialOrd for LocalPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for LocalPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalPart::Text(text) => f.write_str(text),
            LocalPart::Number(number) => write!(f, "{number}"),
        }
    }
}

impl Pep440Version {
    /// Reads a version in any spelling PEP 440 accepts; surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Pep440, text, reason);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(invalid("version is empty"));
        }
        if !trimmed.is_ascii() {
            return Err(invalid("version has a character outside ASCII"));
        }
        parse::read(&trimmed.to_ascii_lowercase()).ok_or_else(|| invalid("not a PEP 440 version"))
    }

    /// The epoch; 0 when none was written.
    pub fn epoch(&self) -> &str {
        self.epoch.as_str()
    }

    /// The release numbers, as written (trailing zeros kept).
    pub fn release(&self) -> impl Iterator<Item = &str> {
        self.release.iter().map(Numeral::as_str)
    }

    /// The pre-release kind and number, if any.
    pub fn pre(&self) -> Option<(PreKind, &str)> {
        self.pre
            .as_ref()
            .map(|(kind, number)| (*kind, number.as_str()))
    }

    /// The post-release number, if any.
    pub fn post(&self) -> Option<&str> {
        self.post.as_ref().map(Numeral::as_str)
    }

    /// The development release number, if any.
    pub fn dev(&self) -> Option<&str> {
        self.dev.as_ref().map(Numeral::as_str)
    }

    /// The local version label in normal form, if any.
    pub fn local(&self) -> Option<String> {
        (!self.local.is_empty()).then(|| join_local(&self.local))
    }

    /// Whether this is a pre-release or a development release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// Whether this is a post-release.
    pub fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    /// The version without its local label.
    pub fn public(&self) -> Pep440Version {
        Pep440Version {
            local: Vec::new(),
            ..self.clone()
        }
    }

    /// The epoch and release only.
    pub fn base(&self) -> Pep440Version {
        Pep440Version {
            epoch: self.epoch.clone(),
            release: self.release.clone(),
            pre: None,
            post: None,
            dev: None,
            local: Vec::new(),
        }
    }

    /// Whether the local label is present.
    pub(crate) fn has_local(&self) -> bool {
        !self.local.is_empty()
    }

    /// Whether this version has only an epoch and a release.
    pub(crate) fn is_plain_release(&self) -> bool {
        self.pre.is_none() && self.post.is_none() && self.dev.is_none() && self.local.is_empty()
    }

    /// Whether the release, zero-padded, starts with `prefix`'s release, in the same epoch.
    pub(crate) fn starts_with(&self, prefix: &Pep440Version) -> bool {
        let zero = Numeral::zero();
        self.epoch == prefix.epoch
            && prefix
                .release
                .iter()
                .enumerate()
                .all(|(index, number)| self.release.get(index).unwrap_or(&zero) == number)
    }

    /// The release numbers; used to build `~=` prefixes.
    pub(crate) fn release_numbers(&self) -> &[Numeral] {
        &self.release
    }

    /// A copy with the release replaced.
    pub(crate) fn with_release(&self, release: Vec<Numeral>) -> Pep440Version {
        Pep440Version {
            release,
            ..self.base()
        }
    }

    /// The release without trailing zeros, the form the order uses.
    fn significant_release(&self) -> &[Numeral] {
        let length = self
            .release
            .iter()
            .rposition(|n| !n.is_zero())
            .map_or(0, |i| i + 1);
        &self.release[..length]
    }
}

fn join_local(parts: &[LocalPart]) -> String {
    parts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Where a version sits around its pre-releases: a development release of the release itself
/// (`1.0.dev0`) comes before all of its pre-releases, a final release after them.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey<'a> {
    DevOnly,
    Pre(PreKind, &'a Numeral),
    Final,
}

impl Pep440Version {
    fn pre_key(&self) -> PreKey<'_> {
        match (&self.pre, &self.post, &self.dev) {
            (Some((kind, number)), _, _) => PreKey::Pre(*kind, number),
            (None, None, Some(_)) => PreKey::DevOnly,
            (None, _, _) => PreKey::Final,
        }
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.significant_release().cmp(other.significant_release()))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            .then_with(|| self.post.cmp(&other.post))
            .then_with(|| match (&self.dev, &other.dev) {
                // No development release sorts after any.
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Pep440Version {}

/// The normal form, as `packaging` prints it.
impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.epoch.is_zero() {
            write!(f, "{}!", self.epoch)?;
        }
        let release: Vec<&str> = self.release.iter().map(Numeral::as_str).collect();
        f.write_str(&release.join("."))?;
        if let Some((kind, number)) = &self.pre {
            write!(f, "{}{number}", kind.as_str())?;
        }
        if let Some(post) = &self.post {
            write!(f, ".post{post}")?;
        }
        if let Some(dev) = &self.dev {
            write!(f, ".dev{dev}")?;
        }
        if !self.local.is_empty() {
            write!(f, "+{}", join_local(&self.local))?;
        }
        Ok(())
    }
}

impl FromStr for Pep440Version {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Pep440Version::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> String {
        Pep440Version::parse(text).unwrap().to_string()
    }

    #[test]
    fn normalises_spellings() {
        let cases = [
            ("v1.0", "1.0"),
            ("1.0-ALPHA-1", "1.0a1"),
            ("1.0.preview", "1.0rc0"),
            ("1.0c2", "1.0rc2"),
            ("1.0-1", "1.0.post1"),
            ("1.0.rev", "1.0.post0"),
            ("1.0_r_3", "1.0.post3"),
            ("1.0-dev", "1.0.dev0"),
            ("1.0a.", "1.0a0"),
            ("01!007.010", "1!7.10"),
            ("1.0+Ubuntu-01_x", "1.0+ubuntu.1.x"),
            ("  1.0\t", "1.0"),
        ];
        for (text, expected) in cases {
            assert_eq!(normal(text), expected, "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_pep440() {
        for text in [
            "", "1.", ".1", "1..0", "1.0+", "1.0+a..b", "1.0 a1", "a1", "1.0-", "1.0é",
        ] {
            assert!(Pep440Version::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn orders_suffixes() {
        let ascending = [
            "1.0.dev1",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a1.post1",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+abc.1",
            "1.0+1",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.0.1",
            "1!0.1",
        ];
        for pair in ascending.windows(2) {
            let (a, b) = (
                Pep440Version::parse(pair[0]).unwrap(),
                Pep440Version::parse(pair[1]).unwrap(),
            );
            assert_eq!(a.cmp(&b), Ordering::Less, "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(
            Pep440Version::parse("1.0").unwrap(),
            Pep440Version::parse("1.0.0").unwrap()
        );
    }
}
