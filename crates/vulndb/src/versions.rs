//! The matcher's version ordering, backed by the `plimsoll-version` schemes.

use std::cmp::Ordering;
use std::str::FromStr;

use plimsoll_version::Scheme;

use crate::VersionOrder;

/// Every scheme of `plimsoll-version`, chosen by name (`dpkg`, `rpm`, `pep440`, …).
#[derive(Debug, Clone, Copy, Default)]
pub struct Schemes;

fn scheme(name: &str) -> Result<Scheme, String> {
    Scheme::from_str(name).map_err(|e| e.to_string())
}

impl VersionOrder for Schemes {
    fn compare(&self, scheme_name: &str, a: &str, b: &str) -> Result<Ordering, String> {
        scheme(scheme_name)?
            .compare(a, b)
            .map_err(|e| e.to_string())
    }

    fn satisfies(
        &self,
        scheme_name: &str,
        version: &str,
        constraint: &str,
    ) -> Result<bool, String> {
        let scheme = scheme(scheme_name)?;
        scheme
            .constraint(constraint)
            .map_err(|e| e.to_string())?
            .contains_str(version)
            .map_err(|e| e.to_string())
    }
}
