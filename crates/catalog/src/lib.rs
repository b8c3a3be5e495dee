//! Catalogers: each finds one ecosystem's packages in a view of a file index. Distro
//! detection lives here too, since package URLs depend on it.

mod apk;
mod binary;
mod cataloger;
pub mod content;
pub mod cpe;
mod dependencies;
pub mod distro;
mod document;
mod dotnet;
mod dpkg;
mod error;
mod executable;
mod golang;
mod java;
mod javascript;
mod jvm;
mod ownership;
mod paths;
mod php;
pub mod purl;
mod python;
mod rpm;
pub mod rpmdb;
mod ruby;
mod rust;

use std::collections::HashMap;

use plimsoll_image::{Capture, FileIndex, Scope};
use plimsoll_model::{Distro, Package, Relationship, RelationshipType};

use content::ContentSearch;

pub use apk::ApkCataloger;
pub use binary::BinaryClassifierCataloger;
pub use cataloger::{Cataloged, Cataloger, Environment};
pub use document::sbom;
pub use dotnet::DotnetDepsCataloger;
pub use dpkg::DpkgCataloger;
pub use error::CatalogError;
pub use golang::{GoModuleBinaryCataloger, GoModuleFileCataloger};
pub use java::{GradleLockfileCataloger, JavaArchiveCataloger, JavaPomCataloger};
pub use javascript::{JavascriptLockCataloger, JavascriptPackageCataloger};
pub use jvm::JavaJvmCataloger;
pub use php::{PhpComposerInstalledCataloger, PhpComposerLockCataloger};
pub use python::PythonInstalledCataloger;
pub use rpm::RpmCataloger;
pub use ruby::{RubyGemfileLockCataloger, RubyGemspecCataloger, RubyInstalledGemspecCataloger};
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
        Box::new(JavaArchiveCataloger::default()),
        Box::new(BinaryClassifierCataloger),
        Box::new(JavaJvmCataloger),
        Box::new(GoModuleBinaryCataloger),
        Box::new(CargoAuditableBinaryCataloger),
    ];
    match set {
        CatalogerSet::Image => catalogers.push(Box::new(JavascriptPackageCataloger)),
        CatalogerSet::Directory => {
            catalogers.push(Box::new(JavascriptLockCataloger));
            catalogers.push(Box::new(JavaPomCataloger));
            catalogers.push(Box::new(GradleLockfileCataloger));
        }
    }
    match set {
        CatalogerSet::Image => {
            catalogers.push(Box::new(RubyInstalledGemspecCataloger));
            catalogers.push(Box::new(PhpComposerInstalledCataloger));
        }
        CatalogerSet::Directory => {
            catalogers.push(Box::new(RubyGemfileLockCataloger));
            catalogers.push(Box::new(RubyGemspecCataloger));
            catalogers.push(Box::new(PhpComposerLockCataloger));
            catalogers.push(Box::new(DotnetDepsCataloger));
        }
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
    search: Option<&'a ContentSearch>,
}

impl<'a> Wanted<'a> {
    pub fn new(catalogers: &'a [Box<dyn Cataloger>]) -> Self {
        Wanted {
            catalogers,
            executables: catalogers.iter().any(|c| c.reads_executables()),
            search: None,
        }
    }

    /// Also inspects every file for [`content::analyse`]: digests, the password file and
    /// the secret search.
    pub fn inspecting(mut self, search: &'a ContentSearch) -> Self {
        self.search = Some(search);
        self
    }
}

impl Capture for Wanted<'_> {
    fn wants(&self, path: &str) -> bool {
        (self.search.is_some() && path == content::PASSWD_PATH) || wanted(self.catalogers, path)
    }

    fn inspects(&self) -> bool {
        self.search.is_some()
    }

    fn search(&self, _path: &str, content: &[u8]) -> Vec<plimsoll_image::SearchHit> {
        self.search
            .map(|search| search.matches(content))
            .unwrap_or_default()
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
    // Edges stated by the catalogers' own files, as positions in `merged`.
    let mut stated: Vec<(usize, usize)> = Vec::new();
    for view in &views {
        for cataloger in catalogers {
            let cataloged = cataloger.catalog_with_dependencies(view, &environment)?;
            let mut positions = Vec::with_capacity(cataloged.packages.len());
            for package in cataloged.packages {
                // As in Syft's package IDs, the real paths of the locations count: the same
                // lock entry in two projects stays two packages, while the same file seen
                // in several layers is one.
                let key = format!("{}\0{}", package.identity_key(), location_paths(&package));
                match by_identity.get(&key) {
                    Some(&position) => {
                        positions.push(position);
                        let existing = &mut merged[position];
                        for location in package.locations {
                            if !existing.locations.contains(&location) {
                                existing.locations.push(location);
                            }
                        }
                        existing.locations.sort();
                    }
                    None => {
                        positions.push(merged.len());
                        by_identity.insert(key, merged.len());
                        merged.push(package);
                    }
                }
            }
            stated.extend(
                cataloged
                    .dependencies
                    .iter()
                    .filter_map(|&(a, b)| Some((*positions.get(a)?, *positions.get(b)?))),
            );
        }
    }
    for package in &mut merged {
        // Declared CPEs (binary classifiers, JVM installations, the Go standard library)
        // are kept as they are; nothing is generated next to them.
        if package.cpes.is_empty() && cpe::generates_for(package.package_type) {
            package.cpes = cpe::generate(package);
        }
    }
    // Syft's `exclude-binary-overlap-by-ownership`: a binary found inside a file that an
    // OS package installed is that package's.
    let final_view = index.views(Scope::Squashed);
    let resolve = |path: &str| final_view.first().and_then(|view| view.resolve(path));
    let owned = ownership::ownerships(&merged, &resolve);
    let removed = ownership::excluded(&merged, &owned);
    let (merged, kept) = without(merged, &removed);
    let (merged, sorted) = sort_packages(merged);
    let position = |old: usize| kept[old].map(|kept| sorted[kept]);
    let stated = stated
        .into_iter()
        .filter_map(|(a, b)| Some((position(a)?, position(b)?)));

    let mut pairs = dependencies::dependency_pairs(&merged);
    pairs.extend(stated.filter(|(a, b)| a != b));
    pairs.sort_unstable();
    pairs.dedup();
    let mut relationships: Vec<Relationship> = pairs
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
    relationships.extend(owned.into_iter().filter_map(|edge| {
        Some(Relationship {
            parent: merged[position(edge.owner)?].id(),
            child: merged[position(edge.owned)?].id(),
            relationship_type: RelationshipType::OwnershipByFileOverlap,
            metadata: Some(serde_json::json!({ "files": edge.files })),
        })
    }));
    Ok(Catalog {
        distro,
        packages: merged,
        relationships,
    })
}

/// Packages in Syft's order, and for each old position its new one.
fn sort_packages(packages: Vec<Package>) -> (Vec<Package>, Vec<usize>) {
    let mut order: Vec<usize> = (0..packages.len()).collect();
    order.sort_by(|&a, &b| packages[a].sort_key().cmp(&packages[b].sort_key()));
    let mut new_position = vec![0; packages.len()];
    for (position, &old) in order.iter().enumerate() {
        new_position[old] = position;
    }
    let mut slots: Vec<Option<Package>> = packages.into_iter().map(Some).collect();
    let sorted = order.iter().filter_map(|&old| slots[old].take()).collect();
    (sorted, new_position)
}

/// The packages not in `removed`, and for each old position its new one (`None` if
/// removed).
fn without(
    packages: Vec<Package>,
    removed: &std::collections::BTreeSet<usize>,
) -> (Vec<Package>, Vec<Option<usize>>) {
    let mut positions = Vec::with_capacity(packages.len());
    let mut kept = Vec::with_capacity(packages.len());
    for (old, package) in packages.into_iter().enumerate() {
        if removed.contains(&old) {
            positions.push(None);
        } else {
            positions.push(Some(kept.len()));
            kept.push(package);
        }
    }
    (kept, positions)
}
