//! Catalogers: each finds one ecosystem's packages in a view of a file index. Distro
//! detection lives here too, since package URLs depend on it.

mod apk;
mod cataloger;
pub mod cpe;
mod dependencies;
pub mod distro;
mod dpkg;
mod error;
mod executable;
mod golang;
mod javascript;
mod paths;
pub mod purl;
mod python;
mod rpm;
pub mod rpmdb;
mod rust;

use std::collections::HashMap;

use plimsoll_image::{Capture, FileIndex, Scope};
use plimsoll_model::{Distro, Package, PackageType, Relationship, RelationshipType};

pub use apk::ApkCataloger;
pub use cataloger::{Cataloger, Environment};
pub use dpkg::DpkgCataloger;
pub use error::CatalogError;
pub use golang::{GoModuleBinaryCataloger, GoModuleFileCataloger};
pub use javascript::{JavascriptLockCataloger, JavascriptPackageCataloger};
pub use python::PythonInstalledCataloger;
pub use rpm::RpmCataloger;
pub use rust::{CargoAuditableBinaryCataloger, RustCargoLockCataloger};

/// The version Syft reports for a package whose records give none.
pub const UNKNOWN_VERSION: &str = "UNKNOWN";

/// Which default set of catalogers to run. As in Syft, images are cataloged for what is
/// installed, directories also for what is declared (lock files, manifests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogerSet {
    Image,
    Directory,
}

/// The default catalogers for a kind of source.
pub fn default_catalogers(set: CatalogerSet) -> Vec<Box<dyn Cataloger>> {
    let mut catalogers: Vec<Box<dyn Cataloger>> = vec![
        Box::new(ApkCataloger),
        Box::new(DpkgCataloger),
        Box::new(RpmCataloger),
        Box::new(PythonInstalledCataloger),
        Box::new(GoModuleBinaryCataloger),
        Box::new(CargoAuditableBinaryCataloger),
    ];
    match set {
        CatalogerSet::Image => catalogers.push(Box::new(JavascriptPackageCataloger)),
        CatalogerSet::Directory => catalogers.push(Box::new(JavascriptLockCataloger)),
    }
    if set == CatalogerSet::Directory {
        catalogers.push(Box::new(GoModuleFileCataloger));
        catalogers.push(Box::new(RustCargoLockCataloger));
    }
    catalogers
}

/// Whether any of `catalogers`, or distro detection, needs the content of `path`.
pub fn wanted(catalogers: &[Box<dyn Cataloger>], path: &str) -> bool {
    let relative = path.trim_start_matches('/');
    distro::DISTRO_PATHS.contains(&relative) || catalogers.iter().any(|c| c.wants(path))
}

/// What the source reader keeps for a set of catalogers: the files they (or distro
/// detection) want by path, and, when a cataloger reads executables, a condensed record of
/// each executable that holds something they report.
pub struct Wanted<'a> {
    catalogers: &'a [Box<dyn Cataloger>],
    executables: bool,
}

impl<'a> Wanted<'a> {
    pub fn new(catalogers: &'a [Box<dyn Cataloger>]) -> Self {
        Wanted {
            catalogers,
            executables: catalogers.iter().any(|c| c.reads_executables()),
        }
    }
}

impl Capture for Wanted<'_> {
    fn wants(&self, path: &str) -> bool {
        wanted(self.catalogers, path)
    }

    fn sniffs(&self, head: &[u8]) -> bool {
        self.executables && executable::is_executable(head)
    }

    fn condense(&self, path: &str, content: &[u8]) -> Option<Vec<u8>> {
        executable::condense(path, content)
    }
}

/// The sorted, distinct real paths of a package's locations, joined.
fn location_paths(package: &Package) -> String {
    let mut paths: Vec<&str> = package.locations.iter().map(|l| l.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths.join("\0")
}

/// What cataloging a source found.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub distro: Option<Distro>,
    /// Packages in Syft's order (name, version, type, location paths).
    pub packages: Vec<Package>,
    /// Edges between the packages (`dependency-of`: parent is the dependency).
    pub relationships: Vec<Relationship>,
}

/// Runs the catalogers over the views of `scope`. The distro always comes from the squashed
/// view. Packages with the same identity found in several layers become one package whose
/// locations are those of all of them.
pub fn catalog(
    index: &FileIndex,
    scope: Scope,
    catalogers: &[Box<dyn Cataloger>],
) -> Result<Catalog, CatalogError> {
    let squashed = index.views(Scope::Squashed);
    let distro = squashed.first().and_then(|view| {
        distro::identify(&|path: &str| view.read(&format!("/{path}")).map(|bytes| bytes.to_vec()))
    });
    let environment = Environment {
        distro: distro.clone(),
    };

    let views = if scope == Scope::Squashed {
        squashed
    } else {
        index.views(scope)
    };
    let mut merged: Vec<Package> = Vec::new();
    let mut by_identity: HashMap<String, usize> = HashMap::new();
    for view in &views {
        for cataloger in catalogers {
            for package in cataloger.catalog(view, &environment)? {
                // As in Syft's package IDs, the real paths of the locations count: the same
                // lock entry in two projects stays two packages, while the same file seen
                // in several layers is one.
                let key = format!("{}\0{}", package.identity_key(), location_paths(&package));
                match by_identity.get(&key) {
                    Some(&position) => {
                        let existing = &mut merged[position];
                        for location in package.locations {
                            if !existing.locations.contains(&location) {
                                existing.locations.push(location);
                            }
                        }
                        existing.locations.sort();
                    }
                    None => {
                        by_identity.insert(key, merged.len());
                        merged.push(package);
                    }
                }
            }
        }
    }
    for package in &mut merged {
        // Not yet: language ecosystems get their own candidate rules (vendors from
        // authors, group IDs, hosts); until then only OS packages get generated CPEs.
        let os_package = matches!(
            package.package_type,
            PackageType::Deb | PackageType::Rpm | PackageType::Apk
        );
        if package.cpes.is_empty() && os_package {
            package.cpes = cpe::generate(package);
        }
    }
    merged.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let relationships = dependencies::dependency_pairs(&merged)
        .into_iter()
        .chain(golang::dependency_pairs(&merged))
        .chain(rust::dependency_pairs(&merged))
        .chain(rust::audit_dependency_pairs(&merged, &views))
        .map(|(dependency, dependent)| Relationship {
            parent: merged[dependency].id(),
            child: merged[dependent].id(),
            relationship_type: RelationshipType::DependencyOf,
            metadata: None,
        })
        .collect();
    Ok(Catalog {
        distro,
        packages: merged,
        relationships,
    })
}
