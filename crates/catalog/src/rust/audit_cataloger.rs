//! The `cargo auditable` binary cataloger: the runtime crates recorded in executables'
//! `.dep-v0` sections, related as the record's dependency indices say.

use std::collections::{BTreeSet, HashMap};

use plimsoll_image::FileView;
use plimsoll_model::metadata::RustCargoAuditEntry;
use plimsoll_model::{Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::executable;
use crate::rust::audit::{AuditPackage, AuditRecord};
use crate::rust::cargo_purl;
use crate::{CatalogError, UNKNOWN_VERSION};

const NAME: &str = "cargo-auditable-binary-cataloger";

/// Finds the crates `cargo auditable` recorded in executables.
#[derive(Debug, Default)]
pub struct CargoAuditableBinaryCataloger;

impl Cataloger for CargoAuditableBinaryCataloger {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, _path: &str) -> bool {
        false
    }

    fn reads_executables(&self) -> bool {
        true
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for (location, facts) in executable::located_facts(view) {
            for json in &facts.cargo_audits {
                match serde_json::from_str::<AuditRecord>(json) {
                    Ok(record) => packages.extend(
                        record
                            .packages
                            .into_iter()
                            .filter(|crate_| crate_.kind == "runtime" && !crate_.name.is_empty())
                            .map(|crate_| self.package(crate_, &location)),
                    ),
                    Err(error) => tracing::warn!(
                        path = %location.path,
                        %error,
                        "skipping an unreadable cargo auditable record"
                    ),
                }
            }
        }
        Ok(packages)
    }
}

/// The runtime crates of a record, by their index in it.
fn runtime_crates(json: &str) -> Option<Vec<Option<AuditPackage>>> {
    let record: AuditRecord = serde_json::from_str(json).ok()?;
    Some(
        record
            .packages
            .into_iter()
            .map(|c| (c.kind == "runtime" && !c.name.is_empty()).then_some(c))
            .collect(),
    )
}

/// `dependency-of` pairs `(dependency, dependent)` between the crates of each binary, from
/// the dependency indices of its record (read again from the views, since packages do not
/// keep them). Build-time crates are not packages, so edges through them are dropped, as
/// Syft drops them.
pub(crate) fn dependency_pairs(
    packages: &[Package],
    views: &[FileView<'_>],
) -> Vec<(usize, usize)> {
    let mut by_crate: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (index, package) in packages.iter().enumerate() {
        let PackageMetadata::RustCargoAudit(entry) = &package.metadata else {
            continue;
        };
        if package.found_by != NAME {
            continue;
        }
        for location in &package.locations {
            by_crate.insert((&location.path, &entry.name, &entry.version), index);
        }
    }
    let binaries: BTreeSet<&str> = by_crate.keys().map(|(path, _, _)| *path).collect();

    let mut pairs = BTreeSet::new();
    for path in binaries {
        let Some(content) = views.iter().find_map(|view| view.read(path)) else {
            continue;
        };
        for json in executable::facts(path, &content).cargo_audits {
            let Some(crates) = runtime_crates(&json) else {
                continue;
            };
            let index_of = |crate_: &AuditPackage| {
                by_crate
                    .get(&(path, crate_.name.as_str(), crate_.version.as_str()))
                    .copied()
            };
            for parent in crates.iter().flatten() {
                for &dependency in &parent.dependencies {
                    let Some(Some(dependency)) = crates.get(dependency) else {
                        continue;
                    };
                    if let (Some(from), Some(to)) = (index_of(dependency), index_of(parent)) {
                        pairs.insert((from, to));
                    }
                }
            }
        }
    }
    pairs.into_iter().collect()
}

impl CargoAuditableBinaryCataloger {
    fn package(&self, crate_: AuditPackage, location: &Location) -> Package {
        let version = if crate_.version.is_empty() {
            UNKNOWN_VERSION.to_string()
        } else {
            crate_.version.clone()
        };
        Package {
            name: crate_.name.clone(),
            version,
            package_type: PackageType::RustCrate,
            found_by: self.name().to_string(),
            locations: vec![location.clone()],
            licenses: Vec::new(),
            language: "rust".to_string(),
            cpes: Vec::new(),
            purl: cargo_purl(&crate_.name, &crate_.version),
            metadata: PackageMetadata::RustCargoAudit(RustCargoAuditEntry {
                name: crate_.name,
                version: crate_.version,
                source: crate_.source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use plimsoll_image::{Entry, EntryKind, FileIndex, Layer, Scope};

    use super::*;
    use crate::cataloger::Cataloger;
    use crate::executable::{record, ExecutableFacts};

    #[test]
    fn runtime_crates_are_related_by_the_record_and_build_crates_dropped() {
        let json = r#"{"packages":[
            {"name":"app","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},
            {"name":"regex","version":"1.5.4","source":"crates.io","dependencies":[3]},
            {"name":"cc","version":"1.0.0","source":"crates.io","kind":"build"},
            {"name":"memchr","version":"2.4.1","source":"crates.io","dependencies":[9]}
        ]}"#;
        let facts = ExecutableFacts {
            cargo_audits: vec![json.to_string()],
            ..ExecutableFacts::default()
        };
        let mut layer = Layer::default();
        let entry = Entry {
            kind: EntryKind::File,
            link: None,
            size: 1,
            mode: 0o755,
            uid: 0,
            gid: 0,
        };
        layer.entries.insert("/bin/app".into(), entry);
        layer
            .contents
            .insert("/bin/app".into(), Arc::from(record(&facts).unwrap()));
        let index = FileIndex {
            layers: vec![layer],
        };

        let catalogers: Vec<Box<dyn Cataloger>> = vec![Box::new(CargoAuditableBinaryCataloger)];
        let found = crate::catalog(&index, Scope::Squashed, &catalogers).unwrap();
        let names: Vec<&str> = found.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["app", "memchr", "regex"]);
        let name_of = |id: &str| {
            let package = found.packages.iter().find(|p| p.id() == id).unwrap();
            package.name.clone()
        };
        let edges: BTreeSet<(String, String)> = found
            .relationships
            .iter()
            .map(|r| (name_of(&r.parent), name_of(&r.child)))
            .collect();
        let expected: BTreeSet<(String, String)> = [("regex", "app"), ("memchr", "regex")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(edges, expected);
    }
}
