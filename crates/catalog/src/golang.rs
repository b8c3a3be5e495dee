//! Go modules: those compiled into binaries (from their build information) and those a
//! `go.mod` file requires (directories).

mod binary_cataloger;
pub(crate) mod buildinfo;
mod go_mod;
mod mod_cataloger;
mod modinfo;

use std::collections::HashMap;

use plimsoll_model::{Package, PackageMetadata};

use crate::purl::PackageUrl;

pub use binary_cataloger::GoModuleBinaryCataloger;
pub use mod_cataloger::GoModuleFileCataloger;

/// The name of the binary cataloger, which the dependency edges look for.
const BINARY_CATALOGER: &str = "go-module-binary-cataloger";

/// `pkg:golang/<host>/<owner>/<name>@<version>#<subpath>` as Syft splits a module path:
/// one segment is a name, two are namespace and name, more put the first two in the
/// namespace, the third as the name and the rest in the subpath.
fn golang_purl(module_path: &str, version: &str) -> String {
    let fields: Vec<&str> = module_path.split('/').collect();
    let (namespace, name, subpath) = match fields.len() {
        1 => (String::new(), fields[0], String::new()),
        2 => (fields[0].to_string(), fields[1], String::new()),
        _ => (fields[..2].join("/"), fields[2], fields[3..].join("/")),
    };
    let mut purl = PackageUrl {
        namespace,
        version: version.to_string(),
        ..PackageUrl::new("golang", name)
    }
    .to_string();
    let subpath: Vec<&str> = subpath
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect();
    if !subpath.is_empty() {
        purl.push('#');
        purl.push_str(&subpath.join("/"));
    }
    purl
}

/// `dependency-of` pairs `(dependency, dependent)` of package indices, as Syft relates the
/// packages of one Go binary: every dependency and the standard library are dependencies
/// of the main module. Packages of one binary share their location paths.
pub(crate) fn dependency_pairs(packages: &[Package]) -> Vec<(usize, usize)> {
    let mut mains: HashMap<String, usize> = HashMap::new();
    for (index, package) in packages.iter().enumerate() {
        if is_main(package) {
            mains.insert(crate::location_paths(package), index);
        }
    }
    let mut pairs = Vec::new();
    for (index, package) in packages.iter().enumerate() {
        if package.found_by != BINARY_CATALOGER || is_main(package) {
            continue;
        }
        if let Some(&main) = mains.get(&crate::location_paths(package)) {
            if main != index {
                pairs.push((index, main));
            }
        }
    }
    pairs
}

/// Whether a binary's package is its main module (the one named as `mainModule` that is
/// not the standard library).
fn is_main(package: &Package) -> bool {
    match &package.metadata {
        PackageMetadata::GoBuildinfo(entry) => {
            package.found_by == BINARY_CATALOGER
                && package.name != "stdlib"
                && entry.main_module == package.name
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_split_module_paths_as_syft_does() {
        assert_eq!(golang_purl("stdlib", "1.19.8"), "pkg:golang/stdlib@1.19.8");
        assert_eq!(
            golang_purl("github.com/google/uuid", "v1.3.0"),
            "pkg:golang/github.com/google/uuid@v1.3.0"
        );
        assert_eq!(
            golang_purl("github.com/anchore/archiver/v3", "v3.5.2"),
            "pkg:golang/github.com/anchore/archiver@v3.5.2#v3"
        );
        assert_eq!(
            golang_purl("example.com/hello", "(devel)"),
            "pkg:golang/example.com/hello@(devel)"
        );
        assert_eq!(
            golang_purl("gopkg.in/yaml.v3", ""),
            "pkg:golang/gopkg.in/yaml.v3"
        );
    }
}
