//! A constraint of any scheme: the native range syntax of its ecosystem's advisories, or the
//! events of an OSV range.
//!
//! Native syntax by scheme:
//!
//! | scheme | syntax |
//! | --- | --- |
//! | dpkg, rpm, apk, golang, generic | comparator lists (`>= 1.2-1, < 1.4 \|\| = 2.0`) |
//! | pep440 | PEP 440 specifier sets (`>=1.0,<2.0`, `~=1.4`, `==1.*`, `!=1.5`, `===x`) |
//! | semver | npm ranges (`^1.2`, `~1.2.3`, `1.x`, `1.0 - 2.0`, `\|\|`), commas read as spaces |
//! | maven | Maven ranges (`[1.0,2.0)`, `(,1.0],[1.2,)`) or comparator lists |
//! | gem | RubyGems requirements (`~> 2.1`, `>= 1, < 2`) |
//! | nuget | NuGet ranges (`[1.0,2.0)`) or comparator lists |

use std::fmt;

use crate::apk::ApkRange;
use crate::comparator::ComparatorList;
use crate::dpkg::DpkgRange;
use crate::gem::GemRequirement;
use crate::generic::GenericRange;
use crate::golang::GoRange;
use crate::maven::{MavenRange, MavenVersion};
use crate::nuget::{NuGetRange, NuGetVersion};
use crate::osv::{OsvEvent, OsvRange};
use crate::pep440::SpecifierSet;
use crate::rpm::RpmRange;
use crate::semver::{NpmOptions, NpmRange};
use crate::{Scheme, Version, VersionError};

/// How a constraint treats pre-releases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConstraintOptions {
    /// Let pre-releases satisfy npm ranges and PEP 440 specifiers like any other version. By
    /// default each ecosystem's own rule applies: npm accepts a pre-release only next to a
    /// comparator naming one of the same version, PEP 440 only when a specifier names one.
    pub include_prereleases: bool,
}

/// A set of versions of one scheme.
#[derive(Debug, Clone)]
pub struct Constraint {
    scheme: Scheme,
    text: Box<str>,
    inner: Inner,
}

#[derive(Debug, Clone)]
enum Inner {
    Osv(OsvRange<Version>),
    Dpkg(DpkgRange),
    Rpm(RpmRange),
    Apk(ApkRange),
    Pep440(SpecifierSet),
    Semver(NpmRange),
    MavenRange(MavenRange),
    MavenList(ComparatorList<MavenVersion>),
    Gem(GemRequirement),
    Golang(GoRange),
    NuGetRange(NuGetRange),
    NuGetList(ComparatorList<NuGetVersion>),
    Generic(GenericRange),
}

impl Constraint {
    /// Reads a constraint in the scheme's native syntax, with default options.
    pub fn parse(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        Self::parse_with(scheme, text, ConstraintOptions::default())
    }

    /// Reads a constraint in the scheme's native syntax.
    pub fn parse_with(
        scheme: Scheme,
        text: &str,
        options: ConstraintOptions,
    ) -> Result<Self, VersionError> {
        let bracketed = text.trim_start().starts_with(['[', '(']);
        let inner = match scheme {
            Scheme::Dpkg => Inner::Dpkg(DpkgRange::parse(text)?),
            Scheme::Rpm => Inner::Rpm(RpmRange::parse(text)?),
            Scheme::Apk => Inner::Apk(ApkRange::parse(text)?),
            Scheme::Pep440 => {
                let set = SpecifierSet::parse(text)?;
                Inner::Pep440(if options.include_prereleases {
                    set.with_prereleases(true)
                } else {
                    set
                })
            }
            Scheme::Semver => {
                let npm = NpmOptions {
                    loose: false,
                    include_prerelease: options.include_prereleases,
                };
                Inner::Semver(NpmRange::parse_with(text, npm)?)
            }
            Scheme::Maven if bracketed => Inner::MavenRange(MavenRange::parse(text)?),
            Scheme::Maven => Inner::MavenList(ComparatorList::parse(text)?),
            Scheme::Gem => Inner::Gem(GemRequirement::parse(text)?),
            Scheme::Golang => Inner::Golang(GoRange::parse(text)?),
            Scheme::NuGet if bracketed => Inner::NuGetRange(NuGetRange::parse(text)?),
            Scheme::NuGet => Inner::NuGetList(ComparatorList::parse(text)?),
            Scheme::Generic => Inner::Generic(GenericRange::parse(text)?),
        };
        Ok(Constraint {
            scheme,
            text: text.trim().into(),
            inner,
        })
    }

    /// Builds a constraint from the events of one OSV range.
    pub fn from_osv_events<'a>(
        scheme: Scheme,
        events: impl IntoIterator<Item = OsvEvent<'a>>,
    ) -> Result<Self, VersionError> {
        let events: Vec<OsvEvent<'a>> = events.into_iter().collect();
        let text = events
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let range = OsvRange::new(scheme, events, |version| Version::parse(scheme, version))?;
        Ok(Constraint {
            scheme,
            text: text.into(),
            inner: Inner::Osv(range),
        })
    }

    /// The scheme of the constraint.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Whether `version` is in the set; a version of another scheme is an error.
    pub fn contains(&self, version: &Version) -> Result<bool, VersionError> {
        let mismatch = || VersionError::SchemeMismatch {
            left: self.scheme,
            right: version.scheme(),
        };
        let contained = match (&self.inner, version) {
            (Inner::Osv(range), version) if version.scheme() == self.scheme => {
                range.contains(version)
            }
            (Inner::Dpkg(range), Version::Dpkg(version)) => range.contains(version),
            (Inner::Rpm(range), Version::Rpm(version)) => range.contains(version),
            (Inner::Apk(range), Version::Apk(version)) => range.contains(version),
            (Inner::Pep440(set), Version::Pep440(version)) => set.contains(version),
            (Inner::Semver(range), Version::Semver(version)) => range.contains(version),
            (Inner::MavenRange(range), Version::Maven(version)) => range.contains(version),
            (Inner::MavenList(list), Version::Maven(version)) => list.contains(version),
            (Inner::Gem(requirement), Version::Gem(version)) => requirement.contains(version),
            (Inner::Golang(range), Version::Golang(version)) => range.contains(version),
            (Inner::NuGetRange(range), Version::NuGet(version)) => range.contains(version),
            (Inner::NuGetList(list), Version::NuGet(version)) => list.contains(version),
            (Inner::Generic(range), Version::Generic(version)) => range.contains(version),
            _ => return Err(mismatch()),
        };
        Ok(contained)
    }

    /// Reads `version` in the constraint's scheme and tests it.
    pub fn contains_str(&self, version: &str) -> Result<bool, VersionError> {
        self.contains(&Version::parse(self.scheme, version)?)
    }
}

/// The constraint as written (OSV events as a list).
impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_syntax_per_scheme() {
        let cases = [
            (Scheme::Dpkg, ">= 1.2-1, << 1.4", "1.3-2", true),
            (Scheme::Rpm, "< 0:1.2-3.el9", "1.2-2.el9", true),
            (Scheme::Apk, "< 1.2.3-r4", "1.2.3-r4", false),
            (Scheme::Pep440, ">=1.0,<2.0,!=1.5", "1.5", false),
            (Scheme::Semver, "^1.2.3", "1.9.0", true),
            (Scheme::Semver, ">= 1.0.0, < 1.2.3", "1.2.3", false),
            (Scheme::Maven, "[1.0,2.0)", "1.5", true),
            (Scheme::Maven, ">= 1.0, < 2.0", "2.0-SNAPSHOT", true),
            (Scheme::Gem, "~> 2.1", "2.9", true),
            (Scheme::Golang, "< 1.4.1", "v1.4.0", true),
            (Scheme::NuGet, "[1.0,2.0)", "2.0", false),
            (Scheme::NuGet, ">= 1.0, < 2.0", "1.0", true),
            (Scheme::Generic, "< 2.0", "2.0rc1", true),
        ];
        for (scheme, text, version, expected) in cases {
            let constraint = Constraint::parse(scheme, text).unwrap();
            assert_eq!(
                constraint.contains_str(version),
                Ok(expected),
                "{scheme}: {version} in {text}"
            );
        }
    }

    #[test]
    fn options_let_pre_releases_in() {
        let including = ConstraintOptions {
            include_prereleases: true,
        };
        let npm = Constraint::parse_with(Scheme::Semver, ">=1.0.0 <2.0.0", including).unwrap();
        assert_eq!(npm.contains_str("1.5.0-beta"), Ok(true));
        let npm = Constraint::parse(Scheme::Semver, ">=1.0.0 <2.0.0").unwrap();
        assert_eq!(npm.contains_str("1.5.0-beta"), Ok(false));
        let python = Constraint::parse_with(Scheme::Pep440, ">=1.0,<2.0", including).unwrap();
        assert_eq!(python.contains_str("1.5rc1"), Ok(true));
    }

    #[test]
    fn osv_events() {
        let events = [OsvEvent::Introduced("0"), OsvEvent::Fixed("2.0.0")];
        let constraint = Constraint::from_osv_events(Scheme::Semver, events).unwrap();
        assert_eq!(constraint.contains_str("1.9.9"), Ok(true));
        assert_eq!(constraint.contains_str("2.0.0"), Ok(false));
        assert!(constraint.contains_str("2.0").is_err());
    }

    #[test]
    fn refuses_other_schemes() {
        let constraint = Constraint::parse(Scheme::Dpkg, "< 1.0").unwrap();
        let rpm = Version::parse(Scheme::Rpm, "0.5").unwrap();
        assert!(matches!(
            constraint.contains(&rpm),
            Err(VersionError::SchemeMismatch { .. })
        ));
    }
}
