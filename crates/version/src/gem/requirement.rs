//! RubyGems requirements, as `Gem::Requirement` reads and tests them: `~> 2.1`,
//! `>= 1.0, < 2.0`, `!= 1.5`, a bare version meaning `=`.
//!
//! Several requirements separated by commas must all hold, as the Ruby advisory databases write
//! them. Alternatives separated by `||` (Grype's constraint syntax) are accepted too.

use std::fmt;

use super::GemVersion;
use crate::{Scheme, VersionError};

/// A requirement operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GemOp {
    /// `=`, and a bare version.
    Equal,
    /// `!=`.
    NotEqual,
    /// `>`.
    Greater,
    /// `<`.
    Less,
    /// `>=`.
    GreaterEqual,
    /// `<=`.
    LessEqual,
    /// `~>`, the pessimistic operator: at least the version, below its [`GemVersion::bump`].
    Pessimistic,
}

impl GemOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            GemOp::Equal => "=",
            GemOp::NotEqual => "!=",
            GemOp::Greater => ">",
            GemOp::Less => "<",
            GemOp::GreaterEqual => ">=",
            GemOp::LessEqual => "<=",
            GemOp::Pessimistic => "~>",
        }
    }

    /// Whether `version` satisfies `self bound`.
    pub fn test(self, version: &GemVersion, bound: &GemVersion) -> bool {
        match self {
            GemOp::Equal => version == bound,
            GemOp::NotEqual => version != bound,
            GemOp::Greater => version > bound,
            GemOp::Less => version < bound,
            GemOp::GreaterEqual => version >= bound,
            GemOp::LessEqual => version <= bound,
            GemOp::Pessimistic => version >= bound && version.release() < bound.bump(),
        }
    }
}

/// Alternatives of requirements that must all hold.
#[derive(Debug, Clone)]
pub struct GemRequirement {
    text: Box<str>,
    alternatives: Vec<Vec<(GemOp, GemVersion)>>,
}

impl GemRequirement {
    /// Reads requirements; empty text gives the requirement every version meets (RubyGems'
    /// default `>= 0`).
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::constraint(Scheme::Gem, text, reason);
        if text.trim().is_empty() {
            return Ok(GemRequirement {
                text: "".into(),
                alternatives: vec![Vec::new()],
            });
        }

        let mut alternatives = Vec::new();
        for alternative in text.split("||") {
            let mut requirements = Vec::new();
            for item in alternative.split(',') {
                let item = item.trim();
                if item.is_empty() {
                    return Err(invalid("a requirement is empty"));
                }
                let (op, version) = split_op(item);
                let version = GemVersion::parse(version.trim_start())
                    .map_err(|error| error.in_constraint(Scheme::Gem, text))?;
                requirements.push((op, version));
            }
            alternatives.push(requirements);
        }
        Ok(GemRequirement {
            text: text.trim().into(),
            alternatives,
        })
    }

    /// Whether `version` meets every requirement of some alternative.
    pub fn contains(&self, version: &GemVersion) -> bool {
        self.alternatives
            .iter()
            .any(|all| all.iter().all(|(op, bound)| op.test(version, bound)))
    }
}

fn split_op(item: &str) -> (GemOp, &str) {
    const SPELLINGS: [(&str, GemOp); 7] = [
        ("~>", GemOp::Pessimistic),
        (">=", GemOp::GreaterEqual),
        ("<=", GemOp::LessEqual),
        ("!=", GemOp::NotEqual),
        (">", GemOp::Greater),
        ("<", GemOp::Less),
        ("=", GemOp::Equal),
    ];
    SPELLINGS
        .iter()
        .find_map(|(spelling, op)| item.strip_prefix(spelling).map(|rest| (*op, rest)))
        .unwrap_or((GemOp::Equal, item))
}

impl fmt::Display for GemRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(requirement: &str, version: &str) -> bool {
        GemRequirement::parse(requirement)
            .unwrap()
            .contains(&GemVersion::parse(version).unwrap())
    }

    #[test]
    fn follows_gem_requirement() {
        let cases = [
            ("~> 2.1", "2.9", true),
            ("~> 2.1", "3.0", false),
            ("~> 2.1", "2.0", false),
            ("~> 2.1.0", "2.1.9", true),
            ("~> 2.1.0", "2.2.0", false),
            ("~> 2.1.0", "2.2.0.a", false),
            ("~> 2", "2.9", true),
            (">= 1, < 2", "1.5", true),
            (">= 1, < 2", "2.0.a", true),
            (">= 1, < 2", "2", false),
            ("!= 1.5", "1.5.0", false),
            ("1.5", "1.5.0", true),
            ("= 1.5", "1.5.1", false),
            ("", "0.1", true),
            ("< 1 || > 2", "3", true),
            ("< 1 || > 2", "1.5", false),
        ];
        for (requirement, version, expected) in cases {
            assert_eq!(
                contains(requirement, version),
                expected,
                "{version} in {requirement}"
            );
        }
    }

    #[test]
    fn refuses_malformed_requirements() {
        for text in ["~>", ">= 1,", "=> 1", "> a", "1 2"] {
            assert!(GemRequirement::parse(text).is_err(), "{text:?}");
        }
    }
}
