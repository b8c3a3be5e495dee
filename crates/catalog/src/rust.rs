//! Rust crates: those `cargo auditable` recorded in binaries, and those a `Cargo.lock`
//! pins (directories).

pub(crate) mod audit;
mod audit_cataloger;
mod lock_cataloger;

use std::collections::{BTreeSet, HashMap};

use plimsoll_model::{Package, PackageMetadata};

use crate::purl::PackageUrl;

pub(crate) use audit_cataloger::dependency_pairs as audit_dependency_pairs;
pub use audit_cataloger::CargoAuditableBinaryCataloger;
pub use lock_cataloger::RustCargoLockCataloger;

/// `pkg:cargo/<name>@<version>`.
fn cargo_purl(name: &str, version: &str) -> String {
    PackageUrl {
        version: version.to_string(),
        ..PackageUrl::new("cargo", name)
    }
    .to_string()
}

/// `dependency-of` pairs `(dependency, dependent)` between the packages of each
/// `Cargo.lock`: a dependency string (`name`, `name version` or `name version (source)`)
/// names every package of the same lock that provides it, as Syft resolves them.
pub(crate) fn dependency_pairs(packages: &[Package]) -> Vec<(usize, usize)> {
    let mut providers: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (index, package) in packages.iter().enumerate() {
        let PackageMetadata::RustCargoLock(entry) = &package.metadata else {
            continue;
        };
        let lock = crate::location_paths(package);
        let mut provides = vec![
            package.name.clone(),
            format!("{} {}", package.name, package.version),
        ];
        if !entry.source.is_empty() {
            // A git source's `#<commit>` is not part of how dependents name it.
            let source = match entry.source.split_once('#') {
                Some((base, _)) if entry.source.starts_with("git") => base,
                _ => &entry.source,
            };
            provides.push(format!("{} {} ({source})", package.name, package.version));
        }
        for provided in provides {
            providers
                .entry((lock.clone(), provided))
                .or_default()
                .push(index);
        }
    }

    let mut pairs = BTreeSet::new();
    for (dependent, package) in packages.iter().enumerate() {
        let PackageMetadata::RustCargoLock(entry) = &package.metadata else {
            continue;
        };
        let lock = crate::location_paths(package);
        for required in &entry.dependencies {
            let key = (lock.clone(), required.clone());
            for &dependency in providers.get(&key).into_iter().flatten() {
                pairs.insert((dependency, dependent));
            }
        }
    }
    pairs.into_iter().collect()
}
