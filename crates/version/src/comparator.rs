//! Comparator lists, the range syntax of distro advisories and of Grype-style constraints:
//! `>= 1.0, < 2.0 || = 3.1`.
//!
//! A list is one or more alternatives separated by `||`; an alternative is one or more
//! comparators separated by `,`, all of which must hold. A comparator is an operator and a
//! version (a bare version means `=`). The empty text matches every version.

use std::cmp::Ordering;
use std::fmt;

use crate::{Scheme, VersionError};

/// A version type that comparator lists (and OSV events) can hold.
pub trait RangeVersion: Ord + Sized {
    /// The scheme the type belongs to.
    const SCHEME: Scheme;

    /// The operator spellings the scheme accepts beyond the common ones.
    const OPERATORS: OpSyntax;

    /// Reads a version of the scheme.
    fn parse_version(text: &str) -> Result<Self, VersionError>;

    /// Whether `self` satisfies `op bound`. Most schemes just compare; rpm lets a bound without
    /// a release match every release, and apk compares fuzzily for `~`.
    fn satisfies(&self, op: Op, bound: &Self) -> bool {
        op.accepts(self.cmp(bound))
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `<` (dpkg also spells it `<<`).
    Less,
    /// `<=`.
    LessEqual,
    /// `=` or `==`, and a bare version.
    Equal,
    /// `!=`.
    NotEqual,
    /// `>=`.
    GreaterEqual,
    /// `>` (dpkg also spells it `>>`).
    Greater,
    /// apk's `~`: the version starts with the bound's components.
    Fuzzy,
    /// apk's `<~`: less than the bound, or a fuzzy match of it.
    FuzzyLessEqual,
    /// apk's `>~`: greater than the bound, or a fuzzy match of it.
    FuzzyGreaterEqual,
}

impl Op {
    /// Whether a version ordered `order` against the bound satisfies the operator; fuzzy
    /// operators read `order` as the result of a fuzzy comparison.
    pub fn accepts(self, order: Ordering) -> bool {
        match self {
            Op::Less => order.is_lt(),
            Op::LessEqual | Op::FuzzyLessEqual => order.is_le(),
            Op::Equal | Op::Fuzzy => order.is_eq(),
            Op::NotEqual => order.is_ne(),
            Op::GreaterEqual | Op::FuzzyGreaterEqual => order.is_ge(),
            Op::Greater => order.is_gt(),
        }
    }

    /// Whether the operator holds for a version equal to its bound.
    pub fn allows_equal(self) -> bool {
        self.accepts(Ordering::Equal)
    }

    /// Whether the operator is one of apk's fuzzy ones.
    pub fn is_fuzzy(self) -> bool {
        matches!(self, Op::Fuzzy | Op::FuzzyLessEqual | Op::FuzzyGreaterEqual)
    }

    /// The operator's usual spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Less => "<",
            Op::LessEqual => "<=",
            Op::Equal => "=",
            Op::NotEqual => "!=",
            Op::GreaterEqual => ">=",
            Op::Greater => ">",
            Op::Fuzzy => "~",
            Op::FuzzyLessEqual => "<~",
            Op::FuzzyGreaterEqual => ">~",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which operator spellings a scheme accepts besides `< <= = == != >= >`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpSyntax {
    debian: bool,
    fuzzy: bool,
}

impl OpSyntax {
    /// Only the common operators.
    pub const PLAIN: OpSyntax = OpSyntax {
        debian: false,
        fuzzy: false,
    };
    /// Also dpkg's `<<` and `>>`.
    pub const DEBIAN: OpSyntax = OpSyntax {
        debian: true,
        fuzzy: false,
    };
    /// Also apk's fuzzy `~`, `<~` and `>~`.
    pub const APK: OpSyntax = OpSyntax {
        debian: false,
        fuzzy: true,
    };

    /// Splits a leading operator off `text`; the longest spelling wins.
    pub(crate) fn split_op(self, text: &str) -> (Op, &str) {
        const SPELLINGS: [(&str, Op, u8); 12] = [
            ("<<", Op::Less, 1),
            (">>", Op::Greater, 1),
            ("<~", Op::FuzzyLessEqual, 2),
            (">~", Op::FuzzyGreaterEqual, 2),
            ("<=", Op::LessEqual, 0),
            (">=", Op::GreaterEqual, 0),
            ("==", Op::Equal, 0),
            ("!=", Op::NotEqual, 0),
            ("<", Op::Less, 0),
            (">", Op::Greater, 0),
            ("=", Op::Equal, 0),
            ("~", Op::Fuzzy, 2),
        ];
        for (spelling, op, family) in SPELLINGS {
            let allowed = match family {
                1 => self.debian,
                2 => self.fuzzy,
                _ => true,
            };
            if let Some(rest) = text.strip_prefix(spelling).filter(|_| allowed) {
                return (op, rest);
            }
        }
        (Op::Equal, text)
    }
}

/// One operator and its bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparator<V> {
    /// The operator.
    pub op: Op,
    /// The bound.
    pub version: V,
}

impl<V: RangeVersion> Comparator<V> {
    /// Whether `version` satisfies this comparator.
    pub fn matches(&self, version: &V) -> bool {
        version.satisfies(self.op, &self.version)
    }
}

/// Alternatives (`||`) of comparators that must all hold (`,`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparatorList<V> {
    alternatives: Vec<Vec<Comparator<V>>>,
}

impl<V: RangeVersion> ComparatorList<V> {
    /// Reads a comparator list; empty text gives the list that matches every version.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::constraint(V::SCHEME, text, reason);
        if text.trim().is_empty() {
            return Ok(ComparatorList {
                alternatives: vec![Vec::new()],
            });
        }

        let mut alternatives = Vec::new();
        for alternative in text.split("||") {
            if alternative.trim().is_empty() {
                return Err(invalid("an alternative between `||` is empty"));
            }
            let mut comparators = Vec::new();
            for item in alternative.split(',') {
                let (op, version) = V::OPERATORS.split_op(item.trim());
                let version = version.trim_start();
                if version.is_empty() {
                    return Err(invalid("a comparator has no version"));
                }
                let version = V::parse_version(version)
                    .map_err(|error| error.in_constraint(V::SCHEME, text))?;
                comparators.push(Comparator { op, version });
            }
            alternatives.push(comparators);
        }
        Ok(ComparatorList { alternatives })
    }

    /// Whether `version` satisfies every comparator of at least one alternative.
    pub fn contains(&self, version: &V) -> bool {
        self.alternatives
            .iter()
            .any(|all| all.iter().all(|comparator| comparator.matches(version)))
    }

    /// The alternatives, each a list of comparators that must all hold.
    pub fn alternatives(&self) -> &[Vec<Comparator<V>>] {
        &self.alternatives
    }
}

impl<V: fmt::Display> fmt::Display for ComparatorList<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, alternative) in self.alternatives.iter().enumerate() {
            if index > 0 {
                f.write_str(" || ")?;
            }
            for (position, comparator) in alternative.iter().enumerate() {
                if position > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{} {}", comparator.op, comparator.version)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::dpkg::{DpkgRange, DpkgVersion};

    fn contains(range: &str, version: &str) -> bool {
        DpkgRange::parse(range)
            .unwrap()
            .contains(&DpkgVersion::parse(version).unwrap())
    }

    #[test]
    fn reads_operators_alternatives_and_bare_versions() {
        let cases = [
            ("", "1.0", true),
            ("1.0", "1.0", true),
            ("= 1.0", "1.0-0", true),
            ("== 1.0", "1.1", false),
            ("!= 1.0", "1.1", true),
            ("<< 1.2-3", "1.2-2", true),
            ("< 1.2-3", "1.2-3", false),
            (">> 1.2-3", "1.2-3", false),
            (">= 1.0, < 2.0", "1.5", true),
            (">= 1.0, < 2.0", "2.0", false),
            ("< 1.0 || >= 2.0, < 3.0", "2.5", true),
            ("< 1.0 || >= 2.0, < 3.0", "1.5", false),
            ("  <=1.0  ", "1.0", true),
        ];
        for (range, version, expected) in cases {
            assert_eq!(contains(range, version), expected, "{version} in {range}");
        }
    }

    #[test]
    fn refuses_malformed_lists() {
        for text in ["< 1.0 ||", ">= 1.0,", "<", "< 1.0 2.0", "~ 1.0", ">= abc"] {
            assert!(DpkgRange::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn prints_normalised() {
        let range = DpkgRange::parse(">=1.0,<<2.0||3.0").unwrap();
        assert_eq!(range.to_string(), ">= 1.0, < 2.0 || = 3.0");
    }
}
