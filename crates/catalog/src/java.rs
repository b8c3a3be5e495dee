//! Java catalogers: archives (jar, war, ear, Jenkins plugins…) with the Maven metadata
//! inside them, and, for directories, Maven `pom.xml` files and Gradle lockfiles.

mod archive_cataloger;
mod filename;
mod gradle_lockfile;
mod group_id;
mod license_file;
mod manifest;
mod pom_cataloger;
mod pom_properties;
mod pom_resolver;
mod pom_xml;
mod zip_archive;

use std::collections::HashMap;

use plimsoll_model::{Package, PackageMetadata};

pub use archive_cataloger::JavaArchiveCataloger;
pub use gradle_lockfile::GradleLockfileCataloger;
pub use pom_cataloger::JavaPomCataloger;

/// A handle naming one Java package within a scan: the file it was found in and its
/// virtual path inside that file (or, for a declared package, its package URL).
fn handle(path: &str, name_in_file: &str) -> String {
    format!("{path}\0{name_in_file}")
}

/// The handles a package answers to.
fn handles_of(package: &Package, metadata: &plimsoll_model::metadata::JavaArchive) -> Vec<String> {
    let name_in_file = if metadata.virtual_path.is_empty() {
        &package.purl
    } else {
        &metadata.virtual_path
    };
    package
        .locations
        .iter()
        .map(|location| handle(&location.path, name_in_file))
        .collect()
}

/// `(dependency, dependent)` pairs of package indices between Java packages: a package
/// found inside an archive is a dependency of the archive's package, and a declared
/// dependency of the project declaring it.
pub(crate) fn dependency_pairs(packages: &[Package]) -> Vec<(usize, usize)> {
    let mut by_handle: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, package) in packages.iter().enumerate() {
        if let PackageMetadata::JavaArchive(metadata) = &package.metadata {
            for handle in handles_of(package, metadata) {
                by_handle.entry(handle).or_default().push(index);
            }
        }
    }
    let mut pairs = Vec::new();
    for (index, package) in packages.iter().enumerate() {
        let PackageMetadata::JavaArchive(metadata) = &package.metadata else {
            continue;
        };
        for handle in &metadata.dependency_of {
            for &dependent in by_handle.get(handle).into_iter().flatten() {
                if dependent != index {
                    pairs.push((index, dependent));
                }
            }
        }
    }
    pairs
}
