//! RubyGems versions and requirements, as `Gem::Version` and `Gem::Requirement` define them.

mod platform;
mod requirement;
mod version;

pub use platform::split_platform;
pub use requirement::{GemOp, GemRequirement};
pub use version::GemVersion;

use crate::comparator::{OpSyntax, RangeVersion};
use crate::{Scheme, VersionError};

impl RangeVersion for GemVersion {
    const SCHEME: Scheme = Scheme::Gem;
    const OPERATORS: OpSyntax = OpSyntax::PLAIN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        GemVersion::parse(text)
    }
}
