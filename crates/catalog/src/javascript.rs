//! JavaScript packages: what `package.json` manifests say is installed (images), and what
//! npm, yarn and pnpm lock files say will be (directories).

mod go_json;
mod lock_cataloger;
mod package_cataloger;
mod package_json;
mod package_lock;
mod pnpm_lock;
mod yarn_lock;

use plimsoll_model::{License, Location, Package, PackageMetadata, PackageType};

use crate::purl::PackageUrl;
use crate::UNKNOWN_VERSION;

pub use lock_cataloger::JavascriptLockCataloger;
pub use package_cataloger::JavascriptPackageCataloger;

/// `pkg:npm/<scope>/<name>@<version>`: a scoped name's scope is the namespace.
fn npm_purl(name: &str, version: &str) -> String {
    let (scope, name) = name.split_once('/').unwrap_or(("", name));
    PackageUrl {
        namespace: scope.to_string(),
        version: version.to_string(),
        ..PackageUrl::new("npm", name)
    }
    .to_string()
}

/// Whether a path runs through a `node_modules` directory (lock files there belong to
/// installed dependencies, not to the project, and are skipped).
fn in_node_modules(path: &str) -> bool {
    path.split(['/', '\\']).any(|part| part == "node_modules")
}

/// An npm package with the identity and evidence every JavaScript cataloger gives it.
/// `None` when it has no name; an empty version becomes `UNKNOWN` after the PURL is formed.
fn npm_package(
    found_by: &str,
    name: String,
    version: String,
    location: Location,
    licenses: Vec<License>,
    metadata: PackageMetadata,
) -> Option<Package> {
    if name.trim().is_empty() {
        return None;
    }
    let purl = npm_purl(&name, &version);
    let version = if version.trim().is_empty() {
        UNKNOWN_VERSION.to_string()
    } else {
        version
    };
    Some(Package {
        name,
        version,
        package_type: PackageType::Npm,
        found_by: found_by.to_string(),
        locations: vec![location],
        licenses: merge_licenses(licenses),
        language: "javascript".to_string(),
        cpes: Vec::new(),
        purl,
        metadata,
    })
}

/// Licenses sorted by value with duplicates (same value and type) merged, their locations
/// joined, as Syft keeps a package's licenses as a set.
fn merge_licenses(licenses: Vec<License>) -> Vec<License> {
    let mut merged: Vec<License> = Vec::new();
    for license in licenses {
        match merged.iter_mut().find(|l| {
            l.value == license.value
                && l.spdx_expression == license.spdx_expression
                && l.license_type == license.license_type
        }) {
            Some(existing) => {
                for location in license.locations {
                    if !existing.locations.contains(&location) {
                        existing.locations.push(location);
                    }
                }
                existing.locations.sort();
            }
            None => merged.push(license),
        }
    }
    merged.sort_by(|a, b| {
        (&a.value, &a.spdx_expression, &a.license_type).cmp(&(
            &b.value,
            &b.spdx_expression,
            &b.license_type,
        ))
    });
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_names_become_namespaces() {
        assert_eq!(
            npm_purl("@babel/code-frame", "7.10.4"),
            "pkg:npm/%40babel/code-frame@7.10.4"
        );
        assert_eq!(npm_purl("asn1.js", ""), "pkg:npm/asn1.js");
    }

    #[test]
    fn node_modules_is_a_whole_component() {
        assert!(in_node_modules("/app/node_modules/x/package-lock.json"));
        assert!(!in_node_modules("/app/my_node_modules/package-lock.json"));
    }

    #[test]
    fn duplicate_licenses_merge() {
        let at = |p: &str| Location::new(p, None);
        let licenses = merge_licenses(vec![
            License::declared("MIT", at("/b")),
            License::declared("Apache-2.0", at("/a")),
            License::declared("MIT", at("/a")),
        ]);
        assert_eq!(licenses.len(), 2);
        assert_eq!(licenses[1].value, "MIT");
        assert_eq!(licenses[1].locations.len(), 2);
    }
}
