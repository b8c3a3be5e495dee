//! One comparator of an npm range once its sugar (`^`, `~`, x-ranges, hyphens) is gone.

use super::SemverVersion;
use crate::comparator::Op;

/// One desugared comparator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Bound {
    /// Matches every version (node-semver's empty comparator).
    Any,
    Compare(Op, SemverVersion),
}

impl Bound {
    pub(super) fn matches(&self, version: &SemverVersion) -> bool {
        match self {
            Bound::Any => true,
            Bound::Compare(op, bound) => op.accepts(version.cmp(bound)),
        }
    }

    /// `<0.0.0-0`, which nothing satisfies.
    pub(super) fn is_null_set(&self) -> bool {
        let lowest = SemverVersion::new(0, 0, 0).lowest_prerelease();
        matches!(self, Bound::Compare(Op::Less, version) if *version == lowest)
    }
}
