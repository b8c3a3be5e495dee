//! The version schemes this crate knows, by name, and the OSV ecosystems that use them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::{Constraint, Version, VersionError};

/// A version scheme: how versions of an ecosystem are written and ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Debian and Ubuntu packages ([`crate::dpkg`]).
    Dpkg,
    /// RPM packages: Red Hat, SUSE, Rocky, Alma, … ([`crate::rpm`]).
    Rpm,
    /// Alpine, Wolfi and Chainguard packages ([`crate::apk`]).
    Apk,
    /// Python packages ([`crate::pep440`]).
    Pep440,
    /// SemVer 2.0.0 with npm ranges ([`crate::semver`]).
    Semver,
    /// Maven artifacts ([`crate::maven`]).
    Maven,
    /// Ruby gems ([`crate::gem`]).
    Gem,
    /// Go modules ([`crate::golang`]).
    Golang,
    /// NuGet packages ([`crate::nuget`]).
    NuGet,
    /// Anything else, by the rules in [`crate::generic`].
    Generic,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Scheme; 10] = [
        Scheme::Dpkg,
        Scheme::Rpm,
        Scheme::Apk,
        Scheme::Pep440,
        Scheme::Semver,
        Scheme::Maven,
        Scheme::Gem,
        Scheme::Golang,
        Scheme::NuGet,
        Scheme::Generic,
    ];

    /// The scheme's stable lowercase name, as [`FromStr`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
            Scheme::Pep440 => "pep440",
            Scheme::Semver => "semver",
            Scheme::Maven => "maven",
            Scheme::Gem => "gem",
            Scheme::Golang => "golang",
            Scheme::NuGet => "nuget",
            Scheme::Generic => "generic",
        }
    }

    /// Reads a version of this scheme.
    pub fn parse(self, text: &str) -> Result<Version, VersionError> {
        Version::parse(self, text)
    }

    /// Orders two versions of this scheme; an invalid version is an error.
    pub fn compare(&self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        Version::parse(*self, a)?.compare(&Version::parse(*self, b)?)
    }

    /// Reads a constraint in this scheme's native syntax (see [`Constraint::parse`]).
    pub fn constraint(self, text: &str) -> Result<Constraint, VersionError> {
        Constraint::parse(self, text)
    }

    /// The scheme of an OSV ecosystem such as `Debian:12`, `PyPI` or `Red Hat`; `None` for
    /// ecosystems whose versions this crate does not read.
    pub fn for_osv_ecosystem(ecosystem: &str) -> Option<Scheme> {
        // The part after `:` names a release of the distribution (`Alpine:v3.20`).
        let name = ecosystem.split(':').next().unwrap_or_default();
        let scheme = match name {
            "Debian" | "Ubuntu" => Scheme::Dpkg,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia"
            | "openEuler" => Scheme::Rpm,
            "Alpine" | "Wolfi" | "Chainguard" => Scheme::Apk,
            "PyPI" => Scheme::Pep440,
            "npm" | "crates.io" | "Hex" => Scheme::Semver,
            "Maven" => Scheme::Maven,
            "RubyGems" => Scheme::Gem,
            "Go" => Scheme::Golang,
            "NuGet" => Scheme::NuGet,
            _ => return None,
        };
        Some(scheme)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scheme {
    type Err = VersionError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.as_str() == name)
            .ok_or_else(|| VersionError::UnknownScheme(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for scheme in Scheme::ALL {
            assert_eq!(scheme.as_str().parse::<Scheme>(), Ok(scheme));
        }
        assert!("Debian".parse::<Scheme>().is_err());
    }

    #[test]
    fn maps_osv_ecosystems() {
        let cases = [
            ("Debian:12", Some(Scheme::Dpkg)),
            ("Alpine:v3.20", Some(Scheme::Apk)),
            ("Red Hat:enterprise_linux:9::appstream", Some(Scheme::Rpm)),
            ("PyPI", Some(Scheme::Pep440)),
            ("crates.io", Some(Scheme::Semver)),
            ("Go", Some(Scheme::Golang)),
            ("Packagist", None),
        ];
        for (ecosystem, expected) in cases {
            assert_eq!(
                Scheme::for_osv_ecosystem(ecosystem),
                expected,
                "{ecosystem}"
            );
        }
    }

    #[test]
    fn compares_and_refuses() {
        assert_eq!(Scheme::Dpkg.compare("1.0~rc1", "1.0"), Ok(Ordering::Less));
        assert_eq!(Scheme::Pep440.compare("1.0", "1.0.0"), Ok(Ordering::Equal));
        assert_eq!(
            Scheme::Maven.compare("1.0-SNAPSHOT", "1.0"),
            Ok(Ordering::Less)
        );
        let error = Scheme::Apk.compare("1.0", "1.0bc").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid apk version `1.0bc`: unexpected character"
        );
    }
}
