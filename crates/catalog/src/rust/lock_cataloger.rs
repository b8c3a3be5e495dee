//! The `Cargo.lock` cataloger (directories): every `[[package]]` the lock pins, with its
//! source, checksum and dependency strings.

use serde::Deserialize;

use plimsoll_image::FileView;
use plimsoll_model::metadata::RustCargoLockEntry;
use plimsoll_model::{Evidence, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::rust::cargo_purl;
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds the crates `Cargo.lock` files pin.
#[derive(Debug, Default)]
pub struct RustCargoLockCataloger;

fn is_cargo_lock(path: &str) -> bool {
    path.ends_with("/Cargo.lock")
}

#[derive(Debug, Default, Deserialize)]
struct LockFile {
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Debug, Default, Deserialize)]
struct LockPackage {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    checksum: String,
    #[serde(default)]
    dependencies: Vec<String>,
}

impl Cataloger for RustCargoLockCataloger {
    fn name(&self) -> &'static str {
        "rust-cargo-lock-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_cargo_lock(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_cargo_lock) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let lock: LockFile = match toml::from_str(&String::from_utf8_lossy(&bytes)) {
                Ok(lock) => lock,
                Err(error) => {
                    tracing::warn!(path = %location.path, %error, "skipping an invalid Cargo.lock");
                    continue;
                }
            };
            let location = location.with_evidence(Evidence::Primary);
            packages.extend(
                lock.package
                    .into_iter()
                    .filter(|entry| !entry.name.is_empty())
                    .map(|entry| self.package(entry, &location)),
            );
        }
        Ok(packages)
    }
}

impl RustCargoLockCataloger {
    fn package(&self, entry: LockPackage, location: &Location) -> Package {
        let version = if entry.version.is_empty() {
            UNKNOWN_VERSION.to_string()
        } else {
            entry.version.clone()
        };
        Package {
            name: entry.name.clone(),
            version,
            package_type: PackageType::RustCrate,
            found_by: self.name().to_string(),
            locations: vec![location.clone()],
            licenses: Vec::new(),
            language: "rust".to_string(),
            cpes: Vec::new(),
            purl: cargo_purl(&entry.name, &entry.version),
            metadata: PackageMetadata::RustCargoLock(RustCargoLockEntry {
                name: entry.name,
                version: entry.version,
                source: entry.source,
                checksum: entry.checksum,
                dependencies: entry.dependencies,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_entries_keep_their_fields() {
        let lock: LockFile = toml::from_str(
            "version = 3\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\
             checksum = \"ab\"\ndependencies = [\"b 0.1.0\"]\n\n[[package]]\nname = \"b\"\n\
             version = \"0.1.0\"\n",
        )
        .unwrap();
        assert_eq!(lock.package.len(), 2);
        assert_eq!(lock.package[0].dependencies, ["b 0.1.0"]);
        assert!(lock.package[1].source.is_empty());
    }
}
