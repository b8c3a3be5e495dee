//! The one error type of this crate: a version or a constraint that could not be read.

use crate::Scheme;

/// Why a version, a constraint or a scheme name was refused.
///
/// Every scheme rejects what its own tool rejects; nothing is guessed. Messages are lowercase,
/// with the offending input in backticks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The text is not a valid version of the scheme.
    #[error("invalid {scheme} version `{input}`: {reason}")]
    InvalidVersion {
        /// The scheme the text was read as.
        scheme: Scheme,
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The text is not a valid constraint (range, requirement or specifier) of the scheme.
    #[error("invalid {scheme} constraint `{input}`: {reason}")]
    InvalidConstraint {
        /// The scheme the text was read as.
        scheme: Scheme,
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A constraint holds a version that is not valid; the version's own error is the source.
    #[error("invalid {scheme} constraint `{input}`")]
    ConstraintVersion {
        /// The scheme the text was read as.
        scheme: Scheme,
        /// The whole constraint as given.
        input: String,
        /// The error of the version inside it.
        #[source]
        source: Box<VersionError>,
    },

    /// Two values of different schemes were compared or matched.
    #[error("cannot compare versions of different schemes: `{left}` and `{right}`")]
    SchemeMismatch {
        /// The scheme of the left-hand side (the version, or the constraint).
        left: Scheme,
        /// The scheme of the right-hand side.
        right: Scheme,
    },

    /// The name is not one of the schemes this crate knows.
    #[error("unknown version scheme `{0}`")]
    UnknownScheme(String),
}

impl VersionError {
    /// Builds an [`VersionError::InvalidVersion`].
    pub(crate) fn version(scheme: Scheme, input: &str, reason: &'static str) -> Self {
        VersionError::InvalidVersion {
            scheme,
            input: input.to_owned(),
            reason,
        }
    }

    /// Builds an [`VersionError::InvalidConstraint`].
    pub(crate) fn constraint(scheme: Scheme, input: &str, reason: &'static str) -> Self {
        VersionError::InvalidConstraint {
            scheme,
            input: input.to_owned(),
            reason,
        }
    }

    /// Wraps a version's error in a [`VersionError::ConstraintVersion`] for `input`.
    pub(crate) fn in_constraint(self, scheme: Scheme, input: &str) -> Self {
        VersionError::ConstraintVersion {
            scheme,
            input: input.to_owned(),
            source: Box::new(self),
        }
    }
}
