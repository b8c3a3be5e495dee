//! The `cargo auditable` binary cataloger: the runtime crates recorded in executables'
//! `.dep-v0` sections.
//!
//! Not yet: Syft also relates the crates of one binary by the record's dependency
//! indices; the model's packages do not keep those indices, so no edges are reported.

use plimsoll_image::FileView;
use plimsoll_model::metadata::RustCargoAuditEntry;
use plimsoll_model::{Evidence, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::executable;
use crate::rust::audit::{AuditPackage, AuditRecord};
use crate::rust::cargo_purl;
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds the crates `cargo auditable` recorded in executables.
#[derive(Debug, Default)]
pub struct CargoAuditableBinaryCataloger;

impl Cataloger for CargoAuditableBinaryCataloger {
    fn name(&self) -> &'static str {
        "cargo-auditable-binary-cataloger"
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
        for location in view.find_contents(&executable::is_candidate) {
            let Some(content) = view.contents(&location) else {
                continue;
            };
            let facts = executable::facts(&location.path, &content);
            let location = location.with_evidence(Evidence::Primary);
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
