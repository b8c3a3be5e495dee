//! The shared version vectors (`shared/vulndata/version-vectors`), each file checked against
//! the scheme it was written for. Every row must pass; rows that cannot are listed by name in
//! the file's test, each with its reason, and the counts are pinned so that nothing is skipped
//! silently.

mod vectors {
    pub mod apk;
    pub mod common;
    pub mod dpkg;
    pub mod grype;
    pub mod maven;
    pub mod osv_scalibr;
    pub mod pep440;
    pub mod rpm;
    pub mod semver_npm;
}
