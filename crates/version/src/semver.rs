//! Semantic Versioning 2.0.0 versions and npm ranges, as node-semver reads and tests them.

mod bound;
mod desugar;
mod partial;
mod range;
mod version;

pub use range::{NpmOptions, NpmRange};
pub use version::{Identifier, SemverVersion};

use crate::comparator::{OpSyntax, RangeVersion};
use crate::{Scheme, VersionError};

impl RangeVersion for SemverVersion {
    const SCHEME: Scheme = Scheme::Semver;
    const OPERATORS: OpSyntax = OpSyntax::PLAIN;

    fn parse_version(text: &str) -> Result<Self, VersionError> {
        SemverVersion::parse(text)
    }
}
