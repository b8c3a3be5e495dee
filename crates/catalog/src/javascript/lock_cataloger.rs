//! The JavaScript lock-file cataloger: what `package-lock.json`, `yarn.lock` and
//! `pnpm-lock.yaml` pin, with licenses from the lock entry and from the installed
//! `node_modules/<name>/package.json` beside the lock file, when there is one.

use plimsoll_image::FileView;
use plimsoll_model::metadata::{NpmPackageLockEntry, YarnLockEntry};
use plimsoll_model::{Evidence, License, Location, Package, PackageMetadata};

use super::{in_node_modules, npm_package, package_json, package_lock, pnpm_lock, yarn_lock};
use crate::cataloger::{Cataloger, Environment};
use crate::paths::clean;
use crate::CatalogError;

/// Finds npm packages pinned by lock files.
#[derive(Debug, Default)]
pub struct JavascriptLockCataloger;

/// The kinds of lock file, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LockKind {
    Npm,
    Yarn,
    Pnpm,
}

fn lock_kind(path: &str) -> Option<LockKind> {
    if path.ends_with("/package-lock.json") {
        Some(LockKind::Npm)
    } else if path.ends_with("/yarn.lock") {
        Some(LockKind::Yarn)
    } else if path.ends_with("/pnpm-lock.yaml") {
        Some(LockKind::Pnpm)
    } else {
        None
    }
}

impl Cataloger for JavascriptLockCataloger {
    fn name(&self) -> &'static str {
        "javascript-lock-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        lock_kind(path).is_some()
            || (path.ends_with("/package.json") && path.contains("/node_modules/"))
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&|path| lock_kind(path).is_some()) {
            let Some(kind) = lock_kind(&location.path) else {
                continue;
            };
            // Lock files inside node_modules belong to installed dependencies, not to the
            // project (pnpm's are read wherever they are, as Syft reads them).
            if kind != LockKind::Pnpm && in_node_modules(&location.path) {
                continue;
            }
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            match kind {
                LockKind::Npm => self.npm(view, &location, &text, &mut packages),
                LockKind::Yarn => self.yarn(view, &location, &text, &mut packages),
                LockKind::Pnpm => self.pnpm(view, &location, &text, &mut packages),
            }
        }
        Ok(packages)
    }
}

impl JavascriptLockCataloger {
    fn npm(&self, view: &FileView<'_>, lock: &Location, text: &str, out: &mut Vec<Package>) {
        let entries = match package_lock::parse(text) {
            Ok(entries) => entries,
            Err(error) => {
                tracing::debug!(path = %lock.path, %error, "skipping package-lock.json");
                return;
            }
        };
        for entry in entries {
            let metadata = PackageMetadata::NpmLock(NpmPackageLockEntry {
                resolved: entry.resolved,
                integrity: entry.integrity,
            });
            out.extend(self.package(
                view,
                lock,
                entry.name,
                entry.version,
                entry.licenses,
                metadata,
            ));
        }
    }

    fn yarn(&self, view: &FileView<'_>, lock: &Location, text: &str, out: &mut Vec<Package>) {
        for entry in yarn_lock::parse(text) {
            let metadata = PackageMetadata::YarnLock(YarnLockEntry {
                resolved: entry.resolved,
                integrity: entry.integrity,
            });
            out.extend(self.package(view, lock, entry.name, entry.version, Vec::new(), metadata));
        }
    }

    fn pnpm(&self, view: &FileView<'_>, lock: &Location, text: &str, out: &mut Vec<Package>) {
        let entries = match pnpm_lock::parse(text) {
            Ok(entries) => entries,
            Err(error) => {
                tracing::debug!(path = %lock.path, %error, "skipping pnpm-lock.yaml");
                return;
            }
        };
        for (name, version) in entries {
            out.extend(self.package(view, lock, name, version, Vec::new(), PackageMetadata::None));
        }
    }

    /// A package pinned by `lock`, its licenses those the entry declares and those of its
    /// installed manifest, all attributed to the lock file.
    fn package(
        &self,
        view: &FileView<'_>,
        lock: &Location,
        name: String,
        version: String,
        mut license_values: Vec<String>,
        metadata: PackageMetadata,
    ) -> Option<Package> {
        license_values.extend(installed_licenses(view, &lock.path, &name));
        let licenses = license_values
            .into_iter()
            .filter(|value| !value.is_empty())
            .map(|value| License::declared(value, lock.clone()))
            .collect();
        let location = lock.clone().with_evidence(Evidence::Primary);
        npm_package(self.name(), name, version, location, licenses, metadata)
    }
}

/// The licenses in `node_modules/<name>/package.json` next to the lock file at `lock_path`.
fn installed_licenses(view: &FileView<'_>, lock_path: &str, name: &str) -> Vec<String> {
    let directory = lock_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let manifest_path = clean(&format!("{directory}/node_modules/{name}/package.json"));
    let Some(manifest) = view.file(&manifest_path) else {
        return Vec::new();
    };
    let Some(bytes) = view.contents(&manifest) else {
        return Vec::new();
    };
    match package_json::parse_one(&String::from_utf8_lossy(&bytes)) {
        Ok(manifest) => manifest.licenses(),
        Err(error) => {
            tracing::debug!(path = %manifest_path, %error, "skipping an installed package.json");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_lock_files_and_installed_manifests() {
        let cataloger = JavascriptLockCataloger;
        assert!(cataloger.wants("/app/package-lock.json"));
        assert!(cataloger.wants("/yarn.lock"));
        assert!(cataloger.wants("/x/pnpm-lock.yaml"));
        assert!(cataloger.wants("/app/node_modules/@scope/a/package.json"));
        assert!(!cataloger.wants("/app/package.json"));
        assert!(!cataloger.wants("/app/yarn.lock.bak"));
    }
}
