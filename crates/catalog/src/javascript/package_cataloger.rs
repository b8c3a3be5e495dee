//! The `package.json` cataloger: every manifest in an image is a package, whether an
//! installed dependency under `node_modules` or an application's own root.

use plimsoll_image::FileView;
use plimsoll_model::metadata::NpmPackage;
use plimsoll_model::{Evidence, License, Package, PackageMetadata};

use super::{npm_package, package_json};
use crate::cataloger::{Cataloger, Environment};
use crate::CatalogError;

/// Finds npm packages from their `package.json` manifests.
#[derive(Debug, Default)]
pub struct JavascriptPackageCataloger;

fn is_manifest(path: &str) -> bool {
    path.ends_with("/package.json")
}

impl Cataloger for JavascriptPackageCataloger {
    fn name(&self) -> &'static str {
        "javascript-package-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_manifest(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_manifest) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let manifests = match package_json::parse_all(&String::from_utf8_lossy(&bytes)) {
                Ok(manifests) => manifests,
                Err(error) => {
                    tracing::debug!(path = %location.path, %error, "skipping package.json");
                    continue;
                }
            };
            let location = location.with_evidence(Evidence::Primary);
            for manifest in manifests {
                // Syft attributes the licenses to the manifest as annotated evidence.
                let licenses = manifest
                    .licenses()
                    .into_iter()
                    .map(|value| License::declared(value, location.clone()))
                    .collect();
                let metadata = PackageMetadata::Npm(NpmPackage {
                    name: manifest.name.clone(),
                    version: manifest.version.clone(),
                    author: manifest.author,
                    homepage: manifest.homepage,
                    description: manifest.description,
                    url: manifest.url,
                    private: manifest.private,
                });
                packages.extend(npm_package(
                    self.name(),
                    manifest.name,
                    manifest.version,
                    location.clone(),
                    licenses,
                    metadata,
                ));
            }
        }
        Ok(packages)
    }
}
