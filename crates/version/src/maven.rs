//! Maven artifact versions, ordered as Maven's `ComparableVersion`, and Maven version ranges.

mod range;
mod version;

pub use range::MavenRange;
pub use version::MavenVersion;

use crate::comparator::{OpSyntax, RangeVersion};
use crate::{Scheme, VersionError};

impl RangeVersion for MavenVersion {
    const SCHEME: Scheme = Scheme::Maven;
    const OPERATORS: OpSyntax = OpSyntax::PLAIN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        MavenVersion::parse(text)
    }
}
