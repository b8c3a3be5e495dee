//! A parsed version of any scheme, for callers that pick the scheme at run time.

use std::cmp::Ordering;
use std::fmt;

use crate::apk::ApkVersion;
use crate::dpkg::DpkgVersion;
use crate::gem::GemVersion;
use crate::generic::GenericVersion;
use crate::golang::GoVersion;
use crate::maven::MavenVersion;
use crate::nuget::NuGetVersion;
use crate::pep440::Pep440Version;
use crate::rpm::RpmVersion;
use crate::semver::SemverVersion;
use crate::{Scheme, VersionError};

/// A version of one of the [`Scheme`]s.
///
/// Versions of the same scheme compare by that scheme's rules. The [`Ord`] implementation puts
/// different schemes in [`Scheme`] order, which only serves sorting; use
/// [`Version::compare`] to have a mismatch reported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// A Debian package version.
    Dpkg(DpkgVersion),
    /// An RPM EVR.
    Rpm(RpmVersion),
    /// An Alpine package version.
    Apk(ApkVersion),
    /// A PEP 440 version.
    Pep440(Pep440Version),
    /// A SemVer version, read strictly.
    Semver(SemverVersion),
    /// A Maven version.
    Maven(MavenVersion),
    /// A RubyGems version.
    Gem(GemVersion),
    /// A Go module version.
    Golang(GoVersion),
    /// A NuGet version.
    NuGet(NuGetVersion),
    /// A version read by the generic rules.
    Generic(GenericVersion),
}

impl Version {
    /// Reads `text` as a version of `scheme`.
    pub fn parse(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        Ok(match scheme {
            Scheme::Dpkg => Version::Dpkg(DpkgVersion::parse(text)?),
            Scheme::Rpm => Version::Rpm(RpmVersion::parse(text)?),
            Scheme::Apk => Version::Apk(ApkVersion::parse(text)?),
            Scheme::Pep440 => Version::Pep440(Pep440Version::parse(text)?),
            Scheme::Semver => Version::Semver(SemverVersion::parse(text)?),
            Scheme::Maven => Version::Maven(MavenVersion::parse(text)?),
            Scheme::Gem => Version::Gem(GemVersion::parse(text)?),
            Scheme::Golang => Version::Golang(GoVersion::parse(text)?),
            Scheme::NuGet => Version::NuGet(NuGetVersion::parse(text)?),
            Scheme::Generic => Version::Generic(GenericVersion::parse(text)?),
        })
    }

    /// The scheme of the version.
    pub fn scheme(&self) -> Scheme {
        match self {
            Version::Dpkg(_) => Scheme::Dpkg,
            Version::Rpm(_) => Scheme::Rpm,
            Version::Apk(_) => Scheme::Apk,
            Version::Pep440(_) => Scheme::Pep440,
            Version::Semver(_) => Scheme::Semver,
            Version::Maven(_) => Scheme::Maven,
            Version::Gem(_) => Scheme::Gem,
            Version::Golang(_) => Scheme::Golang,
            Version::NuGet(_) => Scheme::NuGet,
            Version::Generic(_) => Scheme::Generic,
        }
    }

    /// Orders two versions of the same scheme; versions of different schemes are an error.
    pub fn compare(&self, other: &Version) -> Result<Ordering, VersionError> {
        if self.scheme() != other.scheme() {
            return Err(VersionError::SchemeMismatch {
                left: self.scheme(),
                right: other.scheme(),
            });
        }
        Ok(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Dpkg(version) => version.fmt(f),
            Version::Rpm(version) => version.fmt(f),
            Version::Apk(version) => version.fmt(f),
            Version::Pep440(version) => version.fmt(f),
            Version::Semver(version) => version.fmt(f),
            Version::Maven(version) => version.fmt(f),
            Version::Gem(version) => version.fmt(f),
            Version::Golang(version) => version.fmt(f),
            Version::NuGet(version) => version.fmt(f),
            Version::Generic(version) => version.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_within_a_scheme_only() {
        let dpkg = Version::parse(Scheme::Dpkg, "1.0").unwrap();
        let rpm = Version::parse(Scheme::Rpm, "1.0").unwrap();
        assert_eq!(dpkg.compare(&dpkg.clone()), Ok(Ordering::Equal));
        assert_eq!(
            dpkg.compare(&rpm).unwrap_err().to_string(),
            "cannot compare versions of different schemes: `dpkg` and `rpm`"
        );
        assert_eq!(rpm.scheme(), Scheme::Rpm);
        assert_eq!(
            Version::parse(Scheme::Golang, "1.2").unwrap().to_string(),
            "v1.2.0"
        );
    }
}
