//! PEP 440 version specifiers (`~=`, `==`, `!=`, `<=`, `>=`, `<`, `>`, `===`, and `==1.0.*`
//! prefix matching) and comma-separated specifier sets, with PEP 440's rules for pre-releases,
//! post-releases and local versions as `packaging` applies them.

use std::fmt;
use std::str::FromStr;

use super::Pep440Version;
use crate::{Scheme, VersionError};

/// A specifier operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecifierOp {
    /// `~=`, compatible release.
    Compatible,
    /// `==`, version matching (with `.*`, prefix matching).
    Equal,
    /// `!=`, version exclusion.
    NotEqual,
    /// `<=`.
    LessEqual,
    /// `>=`.
    GreaterEqual,
    /// `<`, exclusive: excludes pre-releases of the bound itself.
    Less,
    /// `>`, exclusive: excludes post-releases and local versions of the bound itself.
    Greater,
    /// `===`, arbitrary equality of the text.
    Arbitrary,
}

impl SpecifierOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecifierOp::Compatible => "~=",
            SpecifierOp::Equal => "==",
            SpecifierOp::NotEqual => "!=",
            SpecifierOp::LessEqual => "<=",
            SpecifierOp::GreaterEqual => ">=",
            SpecifierOp::Less => "<",
            SpecifierOp::Greater => ">",
            SpecifierOp::Arbitrary => "===",
        }
    }
}

/// One specifier, such as `>=1.0` or `==2.1.*`.
#[derive(Debug, Clone)]
pub struct Specifier {
    op: SpecifierOp,
    text: Box<str>,
    /// The bound; `None` only for `===` with text that is not a PEP 440 version.
    version: Option<Pep440Version>,
    wildcard: bool,
}

impl Specifier {
    /// Reads one specifier.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::constraint(Scheme::Pep440, text, reason);
        let trimmed = text.trim();
        let (op, rest) = split_op(trimmed).ok_or_else(|| invalid("missing or unknown operator"))?;
        let written = rest.trim_start();
        if written.is_empty() {
            return Err(invalid("specifier has no version"));
        }

        if op == SpecifierOp::Arbitrary {
            if written.contains(|c: char| c.is_whitespace() || c == ';' || c == ')') {
                return Err(invalid("arbitrary equality text has a space, `;` or `)`"));
            }
            let version = Pep440Version::parse(written).ok();
            return Ok(Specifier {
                op,
                text: written.into(),
                version,
                wildcard: false,
            });
        }

        let (version_text, wildcard) = match written.strip_suffix(".*") {
            Some(prefix) => (prefix, true),
            None => (written, false),
        };
        let version = Pep440Version::parse(version_text)
            .map_err(|error| error.in_constraint(Scheme::Pep440, text))?;
        if version_text.trim() != version_text {
            return Err(invalid("specifier version has surrounding spaces"));
        }

        let equality = matches!(op, SpecifierOp::Equal | SpecifierOp::NotEqual);
        if wildcard && !equality {
            return Err(invalid("only `==` and `!=` take a `.*` prefix"));
        }
        if wildcard && !version.is_plain_release() {
            return Err(invalid("a `.*` prefix must be a release"));
        }
        if version.has_local() && !equality {
            return Err(invalid("only `==` and `!=` take a local version"));
        }
        if op == SpecifierOp::Compatible && version.release_numbers().len() < 2 {
            return Err(invalid("`~=` needs at least two release numbers"));
        }

        Ok(Specifier {
            op,
            text: written.into(),
            version: Some(version),
            wildcard,
        })
    }

    /// The operator.
    pub fn op(&self) -> SpecifierOp {
        self.op
    }

    /// Whether the specifier itself names a pre-release, which lets a set accept pre-releases
    /// (PEP 440: "pre-releases … only if … explicitly requested").
    pub fn names_prerelease(&self) -> bool {
        match (&self.version, self.op) {
            (_, SpecifierOp::NotEqual) => false,
            (Some(version), _) => version.is_prerelease(),
            (None, _) => false,
        }
    }

    /// Whether `candidate` satisfies the operator, before any pre-release filtering.
    pub fn matches(&self, candidate: &Pep440Version) -> bool {
        let Some(bound) = &self.version else {
            return self.matches_arbitrary(candidate);
        };
        match self.op {
            SpecifierOp::Compatible => {
                let release = bound.release_numbers();
                let prefix = bound.with_release(release[..release.len() - 1].to_vec());
                candidate.public() >= *bound && candidate.starts_with(&prefix)
            }
            SpecifierOp::Equal => self.matches_equal(candidate, bound),
            SpecifierOp::NotEqual => !self.matches_equal(candidate, bound),
            SpecifierOp::LessEqual => candidate.public() <= *bound,
            SpecifierOp::GreaterEqual => candidate.public() >= *bound,
            SpecifierOp::Less => {
                // `<3.1` does not accept 3.1.dev0 unless the bound is a pre-release itself.
                candidate < bound
                    && !(!bound.is_prerelease()
                        && candidate.is_prerelease()
                        && candidate.base() == bound.base())
            }
            SpecifierOp::Greater => {
                // `>3.1` accepts neither 3.1.post0 (unless the bound is a post-release) nor
                // 3.1+local.
                let same_base = candidate.base() == bound.base();
                candidate > bound
                    && !(!bound.is_postrelease() && candidate.is_postrelease() && same_base)
                    && !(candidate.has_local() && same_base)
            }
            SpecifierOp::Arbitrary => self.matches_arbitrary(candidate),
        }
    }

    fn matches_equal(&self, candidate: &Pep440Version, bound: &Pep440Version) -> bool {
        if self.wildcard {
            candidate.starts_with(bound)
        } else if bound.has_local() {
            candidate == bound
        } else {
            candidate.public() == *bound
        }
    }

    /// `===` compares the candidate's normal form with the text, ignoring case.
    fn matches_arbitrary(&self, candidate: &Pep440Version) -> bool {
        candidate.to_string().eq_ignore_ascii_case(&self.text)
    }
}

fn split_op(text: &str) -> Option<(SpecifierOp, &str)> {
    const OPERATORS: [(&str, SpecifierOp); 8] = [
        ("===", SpecifierOp::Arbitrary),
        ("~=", SpecifierOp::Compatible),
        ("==", SpecifierOp::Equal),
        ("!=", SpecifierOp::NotEqual),
        ("<=", SpecifierOp::LessEqual),
        (">=", SpecifierOp::GreaterEqual),
        ("<", SpecifierOp::Less),
        (">", SpecifierOp::Greater),
    ];
    OPERATORS
        .iter()
        .find_map(|(spelling, op)| text.strip_prefix(spelling).map(|rest| (*op, rest)))
}

impl fmt::Display for Specifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.op.as_str(), self.text)
    }
}

impl FromStr for Specifier {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Specifier::parse(text)
    }
}

/// Comma-separated specifiers that must all hold, such as `>=1.0,<2.0,!=1.5.*`.
#[derive(Debug, Clone)]
pub struct SpecifierSet {
    specifiers: Vec<Specifier>,
    prereleases: Option<bool>,
}

impl SpecifierSet {
    /// Reads a specifier set; empty items between commas are skipped, as `packaging` does.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let specifiers = text
            .split(',')
            .filter(|item| !item.trim().is_empty())
            .map(|item| {
                Specifier::parse(item).map_err(|error| match error {
                    VersionError::InvalidConstraint { reason, .. } => {
                        VersionError::constraint(Scheme::Pep440, text, reason)
                    }
                    VersionError::ConstraintVersion { source, .. } => {
                        source.in_constraint(Scheme::Pep440, text)
                    }
                    other => other,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(SpecifierSet {
            specifiers,
            prereleases: None,
        })
    }

    /// Decides pre-release handling explicitly instead of by PEP 440's default (pre-releases
    /// only when a specifier names one).
    pub fn with_prereleases(mut self, accept: bool) -> Self {
        self.prereleases = Some(accept);
        self
    }

    /// The specifiers.
    pub fn specifiers(&self) -> &[Specifier] {
        &self.specifiers
    }

    /// Whether `candidate` satisfies every specifier. Pre-releases (and development releases)
    /// are refused unless accepted explicitly or a specifier names one.
    pub fn contains(&self, candidate: &Pep440Version) -> bool {
        let prereleases = self
            .prereleases
            .unwrap_or_else(|| self.specifiers.iter().any(Specifier::names_prerelease));
        if candidate.is_prerelease() && !prereleases {
            return false;
        }
        self.specifiers
            .iter()
            .all(|specifier| specifier.matches(candidate))
    }
}

impl fmt::Display for SpecifierSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: Vec<String> = self.specifiers.iter().map(ToString::to_string).collect();
        f.write_str(&items.join(","))
    }
}

impl FromStr for SpecifierSet {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SpecifierSet::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(set: &str, version: &str) -> bool {
        SpecifierSet::parse(set)
            .unwrap()
            .contains(&Pep440Version::parse(version).unwrap())
    }

    #[test]
    fn follows_pep440_operators() {
        let cases = [
            (">=1.0,<2.0", "1.5", true),
            (">=1.0, <2.0", "2.0", false),
            ("~=2.2", "2.9", true),
            ("~=2.2", "3.0", false),
            ("~=2.2.0", "2.3", false),
            ("~=1.4.5a4", "1.4.6", true),
            ("~=1.4.5a4", "1.5", false),
            ("==1.0.*", "1.0.3", true),
            ("==1.0.*", "1.0", true),
            ("==1.0.*", "1.1", false),
            ("==1.*", "1", true),
            ("!=1.0.*", "1.0.3", false),
            ("==1.0", "1.0+local", true),
            ("==1.0+local", "1.0", false),
            ("==1.0+local", "1.0+LOCAL", true),
            ("!=1.5", "1.5.0", false),
            ("<3.1", "3.0", true),
            (">3.1", "3.1.post1", false),
            (">3.1.post0", "3.1.post1", true),
            (">3.1", "3.1+local", false),
            (">3.1", "3.2", true),
            ("<=1.0", "1.0+local", true),
            ("===1.0", "1.0", true),
            ("===1.0", "1.0.0", false),
            ("===foobar", "1.0", false),
            ("", "1.0", true),
        ];
        for (set, version, expected) in cases {
            assert_eq!(contains(set, version), expected, "{version} in {set}");
        }
    }

    #[test]
    fn refuses_pre_releases_unless_named() {
        let cases = [
            (">=1.0", "2.0a1", false),
            ("", "2.0a1", false),
            ("<3.1", "3.1.dev0", false),
            ("<3.1", "3.0.dev0", false),
            ("<3.1rc1", "3.0.dev0", true),
            (">=1.0a1", "1.0b1", true),
            ("==1.0rc1", "1.0rc1", true),
            ("!=1.0rc1", "1.0rc2", false),
        ];
        for (set, version, expected) in cases {
            assert_eq!(contains(set, version), expected, "{version} in {set}");
        }
        let accepting = SpecifierSet::parse(">=1.0").unwrap().with_prereleases(true);
        assert!(accepting.contains(&Pep440Version::parse("2.0a1").unwrap()));
    }

    #[test]
    fn refuses_malformed_specifiers() {
        for text in [
            "1.0",
            ">=1.0.*",
            "~=1",
            "<1.0+local",
            "==1.0a1.*",
            ">=",
            "=>1.0",
            "==1.0 .*",
        ] {
            assert!(SpecifierSet::parse(text).is_err(), "{text:?}");
        }
    }
}
