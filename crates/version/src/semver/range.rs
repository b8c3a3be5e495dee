//! npm ranges, as node-semver reads and tests them: `||` alternatives of space-separated
//! comparators, hyphen ranges (`1.2 - 2`), x-ranges (`1.x`, `*`), tilde (`~1.2`), caret
//! (`^0.2.3`), and the rule that a pre-release only satisfies a range when a comparator of the
//! same alternative names a pre-release of the same `major.minor.patch`.
//!
//! As the GitHub Advisory Database writes npm ranges with commas (`>= 1.0.0, < 1.2.3`), a comma
//! between comparators is read like a space.

use std::fmt;

use super::bound::Bound;
use super::desugar::parse_set;
use super::SemverVersion;
use crate::comparator::Op;
use crate::{Scheme, VersionError};

/// How a range reads and tests versions; node-semver's `loose` and `includePrerelease`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NpmOptions {
    /// Read versions in node-semver's loose mode (see [`SemverVersion::parse_loose`]).
    pub loose: bool,
    /// Let pre-releases satisfy the range like any other version.
    pub include_prerelease: bool,
}

/// An npm range.
#[derive(Debug, Clone)]
pub struct NpmRange {
    text: Box<str>,
    sets: Vec<Vec<Bound>>,
    options: NpmOptions,
}

impl NpmRange {
    /// Reads a range with node-semver's default options.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        Self::parse_with(text, NpmOptions::default())
    }

    /// Reads a range with the given options.
    ///
    /// Unlike node-semver's loose mode, which drops comparators it cannot read, any unreadable
    /// comparator is an error.
    pub fn parse_with(text: &str, options: NpmOptions) -> Result<Self, VersionError> {
        let normal: String = text
            .replace(',', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut sets = normal
            .split("||")
            .map(|set| parse_set(set.trim(), options))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|reason| VersionError::constraint(Scheme::Semver, text, reason))?;

        // As node-semver: null sets go when something else remains, and an alternative that
        // matches everything makes the whole range match everything.
        if sets.len() > 1 {
            let first = sets[0].clone();
            sets.retain(|set| !set[0].is_null_set());
            if sets.is_empty() {
                sets.push(first);
            } else if let Some(any) = sets.iter().find(|set| set.as_slice() == [Bound::Any]) {
                sets = vec![any.clone()];
            }
        }
        Ok(NpmRange {
            text: text.trim().into(),
            sets,
            options,
        })
    }

    /// The options the range was read with.
    pub fn options(&self) -> NpmOptions {
        self.options
    }

    /// Whether `version` satisfies the range (node-semver's `satisfies`).
    pub fn contains(&self, version: &SemverVersion) -> bool {
        self.sets.iter().any(|set| self.set_contains(set, version))
    }

    fn set_contains(&self, set: &[Bound], version: &SemverVersion) -> bool {
        if !set.iter().all(|bound| bound.matches(version)) {
            return false;
        }
        if !version.is_prerelease() || self.options.include_prerelease {
            return true;
        }
        // A pre-release needs a comparator naming a pre-release of the same version.
        set.iter().any(|bound| match bound {
            Bound::Compare(_, bound) => bound.is_prerelease() && bound.same_core(version),
            Bound::Any => false,
        })
    }

    /// Whether `version` is newer than every version the range allows (node-semver's `gtr`).
    pub fn is_above(&self, version: &SemverVersion) -> bool {
        self.outside(version, true)
    }

    /// Whether `version` is older than every version the range allows (node-semver's `ltr`).
    pub fn is_below(&self, version: &SemverVersion) -> bool {
        self.outside(version, false)
    }

    /// node-semver's `outside`, written for "above"; `above == false` mirrors every comparison.
    fn outside(&self, version: &SemverVersion, above: bool) -> bool {
        if self.contains(version) {
            return false;
        }
        let higher = |a: &SemverVersion, b: &SemverVersion| if above { a > b } else { a < b };
        let (strict, inclusive) = if above {
            (Op::Greater, Op::GreaterEqual)
        } else {
            (Op::Less, Op::LessEqual)
        };

        for set in &self.sets {
            let bounds: Vec<(Op, SemverVersion)> = set
                .iter()
                .map(|bound| match bound {
                    Bound::Any => (Op::GreaterEqual, SemverVersion::new(0, 0, 0)),
                    Bound::Compare(op, version) => (*op, version.clone()),
                })
                .collect();
            let (mut high, mut low) = (&bounds[0], &bounds[0]);
            for bound in &bounds {
                if higher(&bound.1, &high.1) {
                    high = bound;
                } else if higher(&low.1, &bound.1) {
                    low = bound;
                }
            }

            // If the highest comparator reaches upwards, the version is not above the set.
            if high.0 == strict || high.0 == inclusive {
                return false;
            }
            // Nor if the version does not clear the lowest comparator.
            let clears = |strictly: bool| {
                if strictly {
                    higher(version, &low.1)
                } else {
                    higher(version, &low.1) || *version == low.1
                }
            };
            if (low.0 == Op::Equal || low.0 == strict) && !clears(true) {
                return false;
            }
            if low.0 == inclusive && !clears(false) {
                return false;
            }
        }
        true
    }
}

impl fmt::Display for NpmRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(range: &str, version: &str) -> bool {
        NpmRange::parse(range)
            .unwrap()
            .contains(&SemverVersion::parse(version).unwrap())
    }

    #[test]
    fn desugars_like_node_semver() {
        let cases = [
            ("^1.2.3", "1.9.9", true),
            ("^1.2.3", "2.0.0", false),
            ("^0.2.3", "0.3.0", false),
            ("^0.0.3", "0.0.4", false),
            ("^0.0", "0.0.9", true),
            ("~1.2", "1.2.9", true),
            ("~1.2", "1.3.0", false),
            ("1.x", "1.9.0", true),
            (">1.2", "1.2.9", false),
            ("<=1.2", "1.2.9", true),
            ("1.2 - 2", "2.9.9", true),
            ("1.2 - 2", "3.0.0", false),
            (">=1.0.0, <2.0.0", "1.5.0", true),
            ("<1.0.0 || >=2.0.0", "1.5.0", false),
            ("* || 1.2.3-beta", "1.2.3-beta", false),
            (">* || 1.0.0", "1.0.0", true),
        ];
        for (range, version, expected) in cases {
            assert_eq!(contains(range, version), expected, "{version} in {range}");
        }
    }

    #[test]
    fn pre_releases_need_a_matching_comparator() {
        assert!(contains(">=1.2.3-alpha <2.0.0", "1.2.3-beta"));
        assert!(!contains(">=1.2.3-alpha <2.0.0", "1.2.4-beta"));
        let including = NpmOptions {
            include_prerelease: true,
            ..NpmOptions::default()
        };
        let range = NpmRange::parse_with(">=1.2.3-alpha <2.0.0", including).unwrap();
        assert!(range.contains(&SemverVersion::parse("1.2.4-beta").unwrap()));
    }

    #[test]
    fn refuses_unreadable_ranges() {
        for text in ["foo", ">", "1.2.3 -", "*.1", ">=1.2.3 < ", "^01.2"] {
            assert!(NpmRange::parse(text).is_err(), "{text:?}");
        }
    }
}
