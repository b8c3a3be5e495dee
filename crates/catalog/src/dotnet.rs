//! .NET dependencies as the SDK records them beside a built application: `<app>.deps.json`
//! lists every library (the project itself, its other projects and NuGet packages) and, per
//! runtime target, which library depends on which.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use plimsoll_image::FileView;
use plimsoll_model::metadata::DotnetDepsEntry;
use plimsoll_model::{Evidence, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloged, Cataloger, Environment};
use crate::purl::PackageUrl;
use crate::CatalogError;

/// Finds .NET libraries in `*.deps.json` files.
#[derive(Debug, Default)]
pub struct DotnetDepsCataloger;

fn is_deps_json(path: &str) -> bool {
    path.ends_with(".deps.json")
}

/// The parts of a `deps.json` that name packages and their dependencies.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DepsJson {
    runtime_target: RuntimeTarget,
    /// Per target framework, per `name/version`, what that library needs.
    targets: HashMap<String, HashMap<String, Target>>,
    libraries: BTreeMap<String, Library>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RuntimeTarget {
    name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Target {
    dependencies: HashMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Library {
    #[serde(rename = "type")]
    library_type: String,
    path: String,
    sha512: String,
    hash_path: String,
}

impl Cataloger for DotnetDepsCataloger {
    fn name(&self) -> &'static str {
        "dotnet-deps-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_deps_json(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        Ok(self.catalog_with_dependencies(view, environment)?.packages)
    }

    fn catalog_with_dependencies(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Cataloged, CatalogError> {
        let mut cataloged = Cataloged::default();
        for location in view.find(&is_deps_json) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let document: DepsJson = match serde_json::from_slice(&bytes) {
                Ok(document) => document,
                Err(error) => {
                    tracing::warn!(path = %location.path, %error, "skipping an unreadable deps.json");
                    continue;
                }
            };
            match self.packages(&location, &document) {
                Some(found) => {
                    let offset = cataloged.packages.len();
                    cataloged.packages.extend(found.packages);
                    cataloged.dependencies.extend(
                        found
                            .dependencies
                            .into_iter()
                            .map(|(a, b)| (a + offset, b + offset)),
                    );
                }
                None => {
                    tracing::warn!(
                        path = %location.path,
                        "skipping a deps.json whose own project is not among its libraries"
                    );
                }
            }
        }
        Ok(cataloged)
    }
}

impl DotnetDepsCataloger {
    /// The libraries of one file, its own project first, and the `(dependency, dependent)`
    /// index pairs of the runtime target. `None` without the project, which Syft requires:
    /// a library of type `project` named as the file is (`App` for `App.deps.json`).
    fn packages(&self, location: &Location, document: &DepsJson) -> Option<Cataloged> {
        let file_name = location.path.rsplit(['/', '\\']).next().unwrap_or("");
        let root_name = file_name.strip_suffix(".deps.json").unwrap_or("");
        if root_name.is_empty() {
            return None;
        }
        let root_key = document.libraries.iter().find_map(|(key, library)| {
            let (name, _) = split_name_version(key)?;
            (library.library_type == "project" && name == root_name).then_some(key)
        })?;

        let location = location.clone().with_evidence(Evidence::Primary);
        let mut packages = Vec::new();
        let mut positions: HashMap<&str, usize> = HashMap::new();
        let keys = std::iter::once(root_key)
            .chain(document.libraries.keys().filter(|key| *key != root_key));
        for key in keys {
            let Some((name, version)) = split_name_version(key) else {
                continue;
            };
            positions.insert(key, packages.len());
            packages.push(self.package(name, version, &document.libraries[key], &location));
        }

        let mut edges = Vec::new();
        if let Some(target) = document.targets.get(&document.runtime_target.name) {
            for (dependent, entry) in target {
                let Some(&dependent) = positions.get(dependent.as_str()) else {
                    continue;
                };
                for (name, version) in &entry.dependencies {
                    if let Some(&dependency) = positions.get(format!("{name}/{version}").as_str()) {
                        edges.push((dependency, dependent));
                    }
                }
            }
        }
        edges.sort_unstable();
        edges.dedup();
        Some(Cataloged {
            packages,
            dependencies: edges,
        })
    }

    fn package(
        &self,
        name: &str,
        version: &str,
        library: &Library,
        location: &Location,
    ) -> Package {
        let purl = PackageUrl {
            version: version.to_string(),
            ..PackageUrl::new("nuget", name)
        }
        .to_string();
        Package {
            name: name.to_string(),
            version: version.to_string(),
            package_type: PackageType::DotNet,
            found_by: self.name().to_string(),
            locations: vec![location.clone()],
            licenses: Vec::new(),
            language: "dotnet".to_string(),
            cpes: Vec::new(),
            purl,
            metadata: PackageMetadata::DotnetDeps(DotnetDepsEntry {
                name: name.to_string(),
                version: version.to_string(),
                path: library.path.clone(),
                sha512: library.sha512.clone(),
                hash_path: library.hash_path.clone(),
            }),
        }
    }
}

/// `Newtonsoft.Json/13.0.1` → (`Newtonsoft.Json`, `13.0.1`); a key without a version is no
/// library.
fn split_name_version(key: &str) -> Option<(&str, &str)> {
    let mut parts = key.split('/');
    Some((parts.next()?, parts.next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPS: &str = r#"{
      "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0"},
      "targets": {".NETCoreApp,Version=v6.0": {
        "App/1.0.0": {"dependencies": {"Serilog": "2.10.0", "Missing": "1.0"}},
        "Serilog/2.10.0": {}
      }},
      "libraries": {
        "Serilog/2.10.0": {"type": "package", "path": "serilog/2.10.0", "sha512": "sha512-x",
                           "hashPath": "serilog.2.10.0.nupkg.sha512"},
        "App/1.0.0": {"type": "project"},
        "NoVersion": {"type": "package"}
      }
    }"#;

    fn parse(path: &str, text: &str) -> Option<Cataloged> {
        let document: DepsJson = serde_json::from_str(text).unwrap();
        DotnetDepsCataloger.packages(&Location::new(path, None), &document)
    }

    #[test]
    fn libraries_and_edges_of_the_runtime_target() {
        let Cataloged {
            packages,
            dependencies: edges,
        } = parse("/bin/App.deps.json", DEPS).unwrap();
        let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["App", "Serilog"]);
        assert_eq!(packages[1].purl, "pkg:nuget/Serilog@2.10.0");
        assert_eq!(edges, vec![(1, 0)]);
    }

    #[test]
    fn a_file_without_its_project_gives_nothing() {
        assert!(parse("/bin/Other.deps.json", DEPS).is_none());
        assert!(parse("/bin/.deps.json", DEPS).is_none());
        assert!(serde_json::from_str::<DepsJson>("bogus deps.json").is_err());
        assert!(serde_json::from_str::<DepsJson>(r#"{"libraries": []}"#).is_err());
    }
}
