//! The vulnerability store and matcher. Feeds of many formats (OSV, distro trackers, NVD,
//! KEV, EPSS) are normalised into [`Advisory`] records and kept in a SQLite file; the
//! matcher looks packages up by namespace and name and tests their versions against the
//! affected ranges.

mod error;
pub mod feeds;
mod import;
pub mod matcher;
pub mod namespace;
mod record;
pub mod severity;
mod store;
pub mod versions;
pub mod vex;

pub use error::StoreError;
pub use import::{import, ImportError, ImportSummary};
pub use matcher::{match_packages, AdvisorySource, Match, MatchType, VersionOrder};
pub use record::{Advisory, Affected, Cvss, Event, ExploitInfo, FixState, Range, Severity};
pub use severity::subscores;
pub use store::{FeedStatus, GroupStatus, ImportBatch, Store};
