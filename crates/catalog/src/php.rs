//! PHP Composer packages: what `composer.lock` pins (directories) and what Composer's
//! `vendor/composer/installed.json` says is installed (images), in both the Composer 1
//! (a bare array) and Composer 2 (`{"packages": [...]}`) shapes.

mod composer;

use plimsoll_image::FileView;
use plimsoll_model::metadata::PhpComposerEntry;
use plimsoll_model::{Evidence, License, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::purl::PackageUrl;
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds packages pinned by `composer.lock` files.
#[derive(Debug, Default)]
pub struct PhpComposerLockCataloger;

/// Finds packages recorded in Composer's `installed.json`.
#[derive(Debug, Default)]
pub struct PhpComposerInstalledCataloger;

fn is_composer_lock(path: &str) -> bool {
    path.ends_with("/composer.lock")
}

fn is_installed_json(path: &str) -> bool {
    path.ends_with("/installed.json")
}

impl Cataloger for PhpComposerLockCataloger {
    fn name(&self) -> &'static str {
        "php-composer-lock-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_composer_lock(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_composer_lock) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            match composer::parse_lock(&bytes) {
                Ok(entries) => packages.extend(entries.into_iter().filter_map(|entry| {
                    composer_package(
                        self.name(),
                        &location,
                        entry,
                        PackageMetadata::PhpComposerLock,
                    )
                })),
                Err(error) => {
                    tracing::warn!(path = %location.path, %error, "skipping an unreadable composer.lock");
                }
            }
        }
        Ok(packages)
    }
}

impl Cataloger for PhpComposerInstalledCataloger {
    fn name(&self) -> &'static str {
        "php-composer-installed-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_installed_json(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_installed_json) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            match composer::parse_installed(&bytes) {
                Ok(entries) => packages.extend(entries.into_iter().filter_map(|entry| {
                    composer_package(
                        self.name(),
                        &location,
                        entry,
                        PackageMetadata::PhpComposerInstalled,
                    )
                })),
                Err(error) => {
                    tracing::warn!(path = %location.path, %error, "skipping an unreadable installed.json");
                }
            }
        }
        Ok(packages)
    }
}

/// A package for one Composer entry; `None` when it has no name.
fn composer_package(
    found_by: &str,
    location: &Location,
    entry: composer::Entry,
    metadata: fn(PhpComposerEntry) -> PackageMetadata,
) -> Option<Package> {
    let composer::Entry { licenses, entry } = entry;
    if entry.name.trim().is_empty() {
        return None;
    }
    let location = location.clone().with_evidence(Evidence::Primary);
    let mut licenses: Vec<License> = licenses
        .into_iter()
        .filter(|value| !value.is_empty())
        .map(|value| License::declared(value, location.clone()))
        .collect();
    licenses.sort();
    licenses.dedup();
    let purl = composer_purl(&entry.name, &entry.version);
    let version = if entry.version.trim().is_empty() {
        UNKNOWN_VERSION.to_string()
    } else {
        entry.version.clone()
    };
    Some(Package {
        name: entry.name.clone(),
        version,
        package_type: PackageType::PhpComposer,
        found_by: found_by.to_string(),
        locations: vec![location],
        licenses,
        language: "php".to_string(),
        cpes: Vec::new(),
        purl,
        metadata: metadata(entry),
    })
}

/// `pkg:composer/<vendor>/<name>@<version>`; a name with more than one `/` keeps its first
/// part as the vendor and joins the rest with `-`, as Syft does.
fn composer_purl(name: &str, version: &str) -> String {
    let (vendor, name) = match name.split_once('/') {
        Some((vendor, rest)) => (vendor.to_string(), rest.replace('/', "-")),
        None => (String::new(), name.to_string()),
    };
    PackageUrl {
        namespace: vendor,
        version: version.to_string(),
        ..PackageUrl::new("composer", &name)
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_split_the_vendor() {
        assert_eq!(
            composer_purl("adoy/fastcgi-client", "1.0.2"),
            "pkg:composer/adoy/fastcgi-client@1.0.2"
        );
        assert_eq!(composer_purl("a/b/c", "1"), "pkg:composer/a/b-c@1");
        assert_eq!(composer_purl("solo", ""), "pkg:composer/solo");
    }

    #[test]
    fn globs() {
        assert!(PhpComposerLockCataloger.wants("/app/composer.lock"));
        assert!(PhpComposerInstalledCataloger.wants("/app/vendor/composer/installed.json"));
        assert!(!PhpComposerInstalledCataloger.wants("/app/not-installed.json"));
    }

    #[test]
    fn nameless_entries_are_dropped() {
        let entry = composer::Entry::default();
        let location = Location::new("/composer.lock", None);
        assert!(
            composer_package("x", &location, entry, PackageMetadata::PhpComposerLock).is_none()
        );
    }
}
