//! Ruby gems: what `Gemfile.lock` pins (directories), and what `.gemspec` files declare,
//! anywhere (directories) or under a `specifications` directory where RubyGems records
//! installed gems (images).

mod gemfile_lock;
mod gemspec;

use plimsoll_image::FileView;
use plimsoll_model::metadata::RubyGemspec;
use plimsoll_model::{Evidence, License, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::purl::PackageUrl;
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds gems pinned by Bundler lock files (`**/Gemfile.lock`).
#[derive(Debug, Default)]
pub struct RubyGemfileLockCataloger;

/// Finds gems declared by any `.gemspec` file (`**/*.gemspec`).
#[derive(Debug, Default)]
pub struct RubyGemspecCataloger;

/// Finds installed gems: the `.gemspec` files RubyGems keeps under a `specifications`
/// directory (`**/specifications/**/*.gemspec`).
#[derive(Debug, Default)]
pub struct RubyInstalledGemspecCataloger;

fn is_gemfile_lock(path: &str) -> bool {
    path.ends_with("/Gemfile.lock")
}

fn is_gemspec(path: &str) -> bool {
    path.ends_with(".gemspec")
}

fn is_installed_gemspec(path: &str) -> bool {
    is_gemspec(path) && path.contains("/specifications/")
}

/// `pkg:gem/<name>@<version>`.
fn gem_purl(name: &str, version: &str) -> String {
    PackageUrl {
        version: version.to_string(),
        ..PackageUrl::new("gem", name)
    }
    .to_string()
}

fn gem(found_by: &str, name: String, version: String) -> Package {
    let purl = gem_purl(&name, &version);
    let version = if version.trim().is_empty() {
        UNKNOWN_VERSION.to_string()
    } else {
        version
    };
    Package {
        name,
        version,
        package_type: PackageType::Gem,
        found_by: found_by.to_string(),
        locations: Vec::new(),
        licenses: Vec::new(),
        language: "ruby".to_string(),
        cpes: Vec::new(),
        purl,
        metadata: PackageMetadata::None,
    }
}

impl Cataloger for RubyGemfileLockCataloger {
    fn name(&self) -> &'static str {
        "ruby-gemfile-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_gemfile_lock(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_gemfile_lock) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let location = location.with_evidence(Evidence::Primary);
            for (name, version) in gemfile_lock::parse(&String::from_utf8_lossy(&bytes)) {
                let mut package = gem(self.name(), name, version);
                package.locations = vec![location.clone()];
                packages.push(package);
            }
        }
        Ok(packages)
    }
}

impl Cataloger for RubyGemspecCataloger {
    fn name(&self) -> &'static str {
        "ruby-gemspec-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_gemspec(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        Ok(gemspec_packages(self.name(), view, &is_gemspec))
    }
}

impl Cataloger for RubyInstalledGemspecCataloger {
    fn name(&self) -> &'static str {
        "ruby-installed-gemspec-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_installed_gemspec(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        Ok(gemspec_packages(self.name(), view, &is_installed_gemspec))
    }
}

/// One package per gemspec that names its gem; the others are skipped with a warning.
fn gemspec_packages(
    found_by: &str,
    view: &FileView<'_>,
    wanted: &dyn Fn(&str) -> bool,
) -> Vec<Package> {
    let mut packages = Vec::new();
    for location in view.find(wanted) {
        let Some(bytes) = view.contents(&location) else {
            continue;
        };
        let spec = gemspec::parse(&String::from_utf8_lossy(&bytes));
        if spec.name.is_empty() {
            tracing::warn!(path = %location.path, "skipping a gemspec that names no gem");
            continue;
        }
        let location = location.with_evidence(Evidence::Primary);
        let mut package = gem(found_by, spec.name.clone(), spec.version.clone());
        package.licenses = spec
            .licenses
            .iter()
            .map(|value| License::declared(value.clone(), location.clone()))
            .collect();
        package.licenses.sort();
        package.licenses.dedup();
        package.locations = vec![location];
        package.metadata = PackageMetadata::RubyGemspec(RubyGemspec {
            name: spec.name,
            version: spec.version,
            files: spec.files,
            authors: spec.authors,
            homepage: spec.homepage,
        });
        packages.push(package);
    }
    packages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_as_syft_writes_them() {
        assert!(RubyGemfileLockCataloger.wants("/app/Gemfile.lock"));
        assert!(!RubyGemfileLockCataloger.wants("/app/Gemfile"));
        assert!(RubyGemspecCataloger.wants("/bundler.gemspec"));
        let installed = RubyInstalledGemspecCataloger;
        assert!(installed.wants("/usr/lib/ruby/specifications/default/json.gemspec"));
        assert!(installed.wants("/ruby/specifications/bundler.gemspec"));
        assert!(!installed.wants("/src/bundler.gemspec"));
    }

    #[test]
    fn gem_purls() {
        assert_eq!(gem_purl("rails", "4.1.1"), "pkg:gem/rails@4.1.1");
        assert_eq!(gem_purl("rails", ""), "pkg:gem/rails");
    }
}
