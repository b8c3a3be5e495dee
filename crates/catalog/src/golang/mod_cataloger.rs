//! The `go.mod` cataloger (directories): every required module, after the file's
//! `replace` and `exclude` directives, with its `h1:` hash from the sibling `go.sum`.

use std::collections::{BTreeMap, HashMap};

use plimsoll_image::FileView;
use plimsoll_model::metadata::GoModuleEntry;
use plimsoll_model::{Evidence, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::golang::go_mod::{self, ModuleVersion};
use crate::golang::golang_purl;
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds the modules `go.mod` files require.
#[derive(Debug, Default)]
pub struct GoModuleFileCataloger;

fn is_go_mod(path: &str) -> bool {
    path.ends_with("/go.mod")
}

impl Cataloger for GoModuleFileCataloger {
    fn name(&self) -> &'static str {
        "go-module-file-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_go_mod(path) || path.ends_with("/go.sum")
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_go_mod) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let go_mod = match go_mod::parse(&String::from_utf8_lossy(&bytes)) {
                Ok(go_mod) => go_mod,
                Err(error) => {
                    tracing::warn!(path = %location.path, %error, "skipping an invalid go.mod");
                    continue;
                }
            };
            let sum_path = format!("{}.sum", location.path.trim_end_matches(".mod"));
            let digests = view
                .read(&sum_path)
                .map(|bytes| parse_go_sum(&String::from_utf8_lossy(&bytes)))
                .unwrap_or_default();
            let location = location.with_evidence(Evidence::Primary);
            for module in modules(go_mod) {
                packages.push(self.package(module, &digests, &location));
            }
        }
        Ok(packages)
    }
}

/// The modules as Syft keys them, by path: requirements, then replacements (each drops
/// the replaced path, whatever version it names, and adds the new module), then
/// exclusions removed by path.
fn modules(go_mod: go_mod::GoMod) -> Vec<ModuleVersion> {
    let mut by_path: BTreeMap<String, ModuleVersion> = BTreeMap::new();
    for module in go_mod.require {
        by_path.insert(module.path.clone(), module);
    }
    for (old, new) in go_mod.replace {
        by_path.remove(&old.path);
        by_path.insert(new.path.clone(), new);
    }
    for module in go_mod.exclude {
        by_path.remove(&module.path);
    }
    by_path.into_values().collect()
}

/// `go.sum` lines (`path version hash`) as a map from `path version` to hash.
fn parse_go_sum(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            (parts.len() >= 3).then(|| (format!("{} {}", parts[0], parts[1]), parts[2].to_string()))
        })
        .collect()
}

impl GoModuleFileCataloger {
    fn package(
        &self,
        module: ModuleVersion,
        digests: &HashMap<String, String>,
        location: &Location,
    ) -> Package {
        let h1_digest = digests
            .get(&format!("{} {}", module.path, module.version))
            .cloned()
            .unwrap_or_default();
        let version = if module.version.is_empty() {
            UNKNOWN_VERSION.to_string()
        } else {
            module.version.clone()
        };
        Package {
            purl: golang_purl(&module.path, &module.version),
            name: module.path,
            version,
            package_type: PackageType::GoModule,
            found_by: self.name().to_string(),
            locations: vec![location.clone()],
            licenses: Vec::new(),
            language: "go".to_string(),
            cpes: Vec::new(),
            metadata: PackageMetadata::GoModule(GoModuleEntry { h1_digest }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_sum_maps_module_versions_to_hashes() {
        let digests =
            parse_go_sum("a.com/b v1.0.0 h1:x=\na.com/b v1.0.0/go.mod h1:y=\nshort line\n");
        assert_eq!(digests["a.com/b v1.0.0"], "h1:x=");
        assert_eq!(digests["a.com/b v1.0.0/go.mod"], "h1:y=");
        assert_eq!(digests.len(), 2);
    }

    #[test]
    fn replacements_and_exclusions_apply_by_path() {
        let go_mod = go_mod::parse(
            "require (\n\ta v1\n\tb v2\n\tc v3\n)\nreplace a v0 => z v9\nexclude b v7\n",
        )
        .unwrap();
        let found: Vec<(String, String)> = modules(go_mod)
            .into_iter()
            .map(|m| (m.path, m.version))
            .collect();
        assert_eq!(
            found,
            [("c".into(), "v3".into()), ("z".into(), "v9".into())]
        );
    }
}
