//! Version schemes for Plimsoll: reading versions, ordering them, and testing them against
//! ranges, one module per scheme.
//!
//! Each scheme module follows its ecosystem's own tool, rule for rule: [`dpkg`] (dpkg), [`rpm`]
//! (rpm's `rpmvercmp`), [`apk`] (apk-tools 3), [`pep440`] (PEP 440 as `packaging` applies it),
//! [`semver`] (SemVer 2.0.0 and node-semver's npm ranges), [`maven`] (Maven's
//! `ComparableVersion` and version ranges), [`gem`] (`Gem::Version` and `Gem::Requirement`),
//! [`golang`] (`golang.org/x/mod/semver`), [`nuget`] (`NuGet.Versioning`), and [`generic`], a
//! fallback whose rules are written down in its module. A version the tool would refuse is an
//! error here too; nothing is guessed.
//!
//! Each module has a version type (ordered by [`Ord`]) and a range type. For callers that know
//! the scheme only at run time, [`Scheme`], [`Version`] and [`Constraint`] wrap them all:
//!
//! ```
//! use plimsoll_version::{Constraint, OsvEvent, Scheme};
//!
//! assert!(Scheme::Dpkg.compare("1.0~rc1", "1.0")?.is_lt());
//!
//! let npm = Constraint::parse(Scheme::Semver, "^1.2.3 || >=2.1.0 <2.1.5")?;
//! assert!(npm.contains_str("2.1.4")?);
//!
//! let osv = Constraint::from_osv_events(
//!     Scheme::Pep440,
//!     [OsvEvent::Introduced("0"), OsvEvent::Fixed("2.0.1")],
//! )?;
//! assert!(osv.contains_str("2.0.0")?);
//! # Ok::<(), plimsoll_version::VersionError>(())
//! ```
//!
//! Deliberate departures from the tools, each explained in its module:
//!
//! - apk and PEP 440: versions the tool calls invalid are errors, though apk-tools orders them
//!   by a fallback and `packaging` before 22 had a "legacy" order for them.
//! - Maven: the order is Maven 3.9's `ComparableVersion`, not the separator-sensitive "Version
//!   Order Specification" of the POM reference (which OSV tooling follows) nor Maven 4's.
//! - npm: node-semver's loose mode silently drops comparators it cannot read; here they are
//!   errors. Commas between comparators (the GitHub Advisory Database's spelling) are read as
//!   spaces.
//! - RubyGems: the empty string is an error rather than version 0.
//! - rpm: range tests follow rpm's dependency matching (a missing epoch is 0, a bound without a
//!   release matches every release), not Grype's (which ignores a one-sided epoch).

pub mod apk;
mod comparator;
mod constraint;
pub mod dpkg;
mod error;
pub mod gem;
pub mod generic;
pub mod golang;
pub mod maven;
pub mod nuget;
mod numeral;
mod osv;
pub mod pep440;
pub mod rpm;
mod scheme;
pub mod semver;
mod version;

pub use comparator::{Comparator, ComparatorList, Op, OpSyntax, RangeVersion};
pub use constraint::{Constraint, ConstraintOptions};
pub use error::VersionError;
pub use numeral::Numeral;
pub use osv::{OsvEvent, OsvRange};
pub use scheme::Scheme;
pub use version::Version;
