//! Shared helpers: where the real data lives, the goldens used, and the package facts every
//! format must carry.

use std::collections::BTreeSet;
use std::path::PathBuf;

use plimsoll_model::{Package, Sbom};

/// Syft goldens exercised by every format: an image, dpkg, RPM (many licenses), apk (license
/// expressions, dependencies), dpkg status.d without a distro, an image with an ownership
/// relationship, a distro with a CPE, and the language packages whose metadata the model
/// knows (Python, npm, yarn).
pub const GOLDENS: &[&str] = &[
    "img-wh-img-squashed",
    "dpkg-debian-distro",
    "rpm-sqlite-mariner",
    "apk-alpine-distro",
    "cat-debian",
    "img-own-img-squashed",
    "os-redhat",
    "cat-python",
    "cat-javascript",
    "pkg-coverage-dir",
];

/// A path under the shared folder beside the repository.
pub fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
}

/// A path under this crate's tests folder.
pub fn tests_dir(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(path)
}

/// The SBOM in a Syft golden.
pub fn golden(case: &str) -> Sbom {
    let path = shared(&format!("conformance/syft/golden/{case}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    plimsoll_sbom::decode(&bytes).unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// What every format keeps of a package: name, version, type, PURL, CPE strings in order,
/// and the licenses as SPDX expressions where they have one, else as written (CycloneDX and
/// SPDX carry no more than that).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PackageFacts {
    pub name: String,
    pub version: String,
    pub package_type: String,
    pub purl: String,
    pub cpes: Vec<String>,
    pub licenses: BTreeSet<String>,
}

impl PackageFacts {
    pub fn of(package: &Package) -> PackageFacts {
        PackageFacts {
            name: package.name.clone(),
            version: package.version.clone(),
            package_type: package.package_type.as_str().to_string(),
            purl: package.purl.clone(),
            cpes: package.cpes.iter().map(|cpe| cpe.cpe.clone()).collect(),
            licenses: package
                .licenses
                .iter()
                .map(|license| {
                    if license.spdx_expression.is_empty() {
                        license.value.clone()
                    } else {
                        license.spdx_expression.clone()
                    }
                })
                .collect(),
        }
    }
}

/// The facts of every package the model can tell apart, sorted. (Packages with the same ID,
/// which only decoded documents with metadata the model does not keep can hold, are written
/// once.)
pub fn facts(sbom: &Sbom) -> Vec<PackageFacts> {
    let mut ids = std::collections::HashSet::new();
    let mut facts: Vec<PackageFacts> = sbom
        .packages
        .iter()
        .filter(|package| ids.insert(package.id()))
        .map(PackageFacts::of)
        .collect();
    facts.sort();
    // Packages that differ only in metadata SPDX has no place for (a jar and the same
    // jar nested inside it: one name, version and file) read back as one.
    facts.dedup();
    facts
}

/// `dependency-of` edges as (dependency, dependent) name-version pairs, sorted.
pub fn dependency_edges(sbom: &Sbom) -> Vec<(String, String)> {
    let label = |id: &str| {
        sbom.packages
            .iter()
            .find(|package| package.id() == id)
            .map(|package| format!("{}@{}", package.name, package.version))
            .unwrap_or_else(|| format!("<{id}>"))
    };
    let mut edges: Vec<(String, String)> = sbom
        .relationships
        .iter()
        .filter(|r| r.relationship_type == plimsoll_model::RelationshipType::DependencyOf)
        .map(|r| (label(&r.parent), label(&r.child)))
        .collect();
    edges.sort();
    edges.dedup();
    edges
}
