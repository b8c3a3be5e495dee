//! NuGet package versions and version ranges, as `NuGet.Versioning` defines them.

mod range;
mod version;

pub use range::NuGetRange;
pub use version::NuGetVersion;

use crate::comparator::{OpSyntax, RangeVersion};
use crate::{Scheme, VersionError};

impl RangeVersion for NuGetVersion {
    const SCHEME: Scheme = Scheme::NuGet;
    const OPERATORS: OpSyntax = OpSyntax::PLAIN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        NuGetVersion::parse(text)
    }
}
