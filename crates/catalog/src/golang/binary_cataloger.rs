//! The Go binary cataloger: every executable with Go build information gives its main
//! module, the modules it was built with (replacements applied) and the standard library
//! of the toolchain that compiled it.
//!
//! Unlike Syft, a main module whose version is `(devel)` keeps that version: Syft guesses
//! one from `-ldflags`, from version-like strings in the binary or from VCS settings,
//! which the binary does not record as the module's version. A binary built outside
//! module mode records no main module at all; it is reported under the main package's
//! path with no version, where Syft writes `(devel)`.

use plimsoll_image::FileView;
use plimsoll_model::metadata::GoBuildinfoEntry;
use plimsoll_model::{Cpe, License, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::executable;
use crate::golang::buildinfo::RawBuildInfo;
use crate::golang::modinfo::{self, Module, ModuleInfo};
use crate::golang::{golang_purl, BINARY_CATALOGER};
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds the Go modules compiled into executables.
#[derive(Debug, Default)]
pub struct GoModuleBinaryCataloger;

impl Cataloger for GoModuleBinaryCataloger {
    fn name(&self) -> &'static str {
        BINARY_CATALOGER
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
            let mut found = Vec::new();
            for build in &facts.go_builds {
                match modinfo::parse(&build.modinfo) {
                    Ok(info) => found.extend(build_packages(build, info, &location)),
                    Err(error) => {
                        tracing::warn!(path = %location.path, %error, "skipping a Go binary");
                    }
                }
            }
            if let Some(stdlib) = found.first().and_then(stdlib_package) {
                found.push(stdlib);
            }
            packages.extend(found);
        }
        Ok(packages)
    }
}

/// The main module first, then the dependencies.
fn build_packages(build: &RawBuildInfo, mut info: ModuleInfo, location: &Location) -> Vec<Package> {
    let (go_version, experiments) = split_experiments(&build.go_version);
    let architecture = info
        .settings
        .iter()
        .find(|kv| kv.key == "GOARCH")
        .map_or_else(|| build.architecture.clone(), |kv| kv.value.clone());
    let facts = BuildFacts {
        go_version,
        experiments,
        architecture,
        crypto_settings: build.crypto_settings.clone(),
    };

    if missing_main_module(&info) {
        info.main = Some(main_from_path(&mut info));
    }
    let main_path = info
        .main
        .as_ref()
        .map(|m| m.path.clone())
        .unwrap_or_default();

    let mut packages = Vec::new();
    if let Some(main) = info.main_module() {
        let settings = info.settings.clone();
        packages.push(module_package(main, &main_path, settings, &facts, location));
    }
    for dep in &info.deps {
        if dep.effective().path.is_empty() {
            continue;
        }
        packages.push(module_package(
            dep,
            &main_path,
            Vec::new(),
            &facts,
            location,
        ));
    }
    packages
}

/// What every package of one binary shares.
struct BuildFacts {
    go_version: String,
    experiments: Vec<String>,
    architecture: String,
    crypto_settings: Vec<String>,
}

/// Splits `go1.20 X:boringcrypto,arenas` into the version and the experiments.
fn split_experiments(version: &str) -> (String, Vec<String>) {
    let Some((version, rest)) = version.split_once(' ') else {
        return (version.to_string(), Vec::new());
    };
    let experiments = rest
        .split(' ')
        .filter_map(|chunk| chunk.strip_prefix("X:"))
        .flat_map(|list| list.split(',').map(str::to_string))
        .collect();
    (version.to_string(), experiments)
}

/// Whether the text names no usable main module: none at all beside a package path, or
/// the placeholder module of `go build file.go`.
fn missing_main_module(info: &ModuleInfo) -> bool {
    let partial_build = info.main.as_ref().is_some_and(|main| {
        main.path == "command-line-arguments" && main.version.is_empty() && main.sum.is_empty()
    });
    (info.main_module().is_none() && !info.path.is_empty()) || partial_build
}

/// The main module of a binary whose text names none: the single dependency at version
/// `(devel)` if there is exactly one (as Syft does), else the main package's path with no
/// version.
fn main_from_path(info: &mut ModuleInfo) -> Module {
    let candidates: Vec<usize> = (0..info.deps.len())
        .filter(|&i| info.deps[i].version == "(devel)")
        .collect();
    if let [only] = candidates[..] {
        return info.deps.remove(only);
    }
    Module {
        path: info.path.clone(),
        ..Module::default()
    }
}

fn module_package(
    module: &Module,
    main_path: &str,
    build_settings: Vec<plimsoll_model::metadata::KeyValue>,
    facts: &BuildFacts,
    location: &Location,
) -> Package {
    let module = module.effective();
    let version = if module.version.is_empty() {
        UNKNOWN_VERSION.to_string()
    } else {
        module.version.clone()
    };
    Package {
        name: module.path.clone(),
        version,
        package_type: PackageType::GoModule,
        found_by: BINARY_CATALOGER.to_string(),
        locations: vec![location.clone()],
        licenses: Vec::new(),
        language: "go".to_string(),
        cpes: Vec::new(),
        purl: golang_purl(&module.path, &module.version),
        metadata: PackageMetadata::GoBuildinfo(GoBuildinfoEntry {
            build_settings,
            go_compiled_version: facts.go_version.clone(),
            architecture: facts.architecture.clone(),
            h1_digest: module.sum.clone(),
            main_module: main_path.to_string(),
            go_crypto_settings: facts.crypto_settings.clone(),
            go_experiments: facts.experiments.clone(),
        }),
    }
}

/// The standard library the binary was compiled with, at the binary's location; `None`
/// when the toolchain version has no release number to name it by.
fn stdlib_package(first: &Package) -> Option<Package> {
    let PackageMetadata::GoBuildinfo(entry) = &first.metadata else {
        return None;
    };
    let version = &entry.go_compiled_version;
    let cpe = stdlib_cpe(version)?;
    Some(Package {
        name: "stdlib".to_string(),
        version: version.clone(),
        package_type: PackageType::GoModule,
        found_by: BINARY_CATALOGER.to_string(),
        locations: first.locations.clone(),
        licenses: vec![License {
            value: "BSD-3-Clause".to_string(),
            spdx_expression: "BSD-3-Clause".to_string(),
            license_type: "declared".to_string(),
            urls: Vec::new(),
            locations: Vec::new(),
        }],
        language: "go".to_string(),
        // Syft 1.18.1 labels this CPE `syft-generated` although it is formed by rule, not
        // by candidate generation; the label is kept so documents compare equal.
        cpes: vec![Cpe {
            cpe,
            source: "syft-generated".to_string(),
        }],
        purl: golang_purl("stdlib", version.strip_prefix("go").unwrap_or(version)),
        metadata: PackageMetadata::GoBuildinfo(GoBuildinfoEntry {
            go_compiled_version: version.clone(),
            ..GoBuildinfoEntry::default()
        }),
    })
}

/// `cpe:2.3:a:golang:go:<release>:<candidate or ->:…` from a toolchain version: `go1.19.8`
/// gives `1.19.8` and `-`, `go1.22rc1` gives `1.22` and `rc1`.
fn stdlib_cpe(version: &str) -> Option<String> {
    let version = version.strip_prefix("go").unwrap_or(version);
    let start = version.find(|c: char| c.is_ascii_digit())?;
    let rest = &version[start..];
    let mut release_end = 0;
    let mut dots = 0;
    let bytes = rest.as_bytes();
    while release_end < bytes.len() {
        let c = bytes[release_end];
        if c.is_ascii_digit() {
            release_end += 1;
        } else if c == b'.'
            && dots < 2
            && bytes.get(release_end + 1).is_some_and(u8::is_ascii_digit)
        {
            dots += 1;
            release_end += 1;
        } else {
            break;
        }
    }
    let release = &rest[..release_end];
    let candidate: String = rest[release_end..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let candidate = if candidate.is_empty() {
        "-".to_string()
    } else {
        candidate
    };
    Some(format!(
        "cpe:2.3:a:golang:go:{release}:{candidate}:*:*:*:*:*:*"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location() -> Location {
        Location::new("/usr/bin/app", None).with_evidence(plimsoll_model::Evidence::Primary)
    }

    fn build(modinfo: &str) -> RawBuildInfo {
        RawBuildInfo {
            go_version: "go1.19.8".into(),
            modinfo: modinfo.into(),
            architecture: "x86_64".into(),
            crypto_settings: Vec::new(),
        }
    }

    #[test]
    fn experiments_split_from_the_version() {
        assert_eq!(
            split_experiments("go1.20 X:boringcrypto,arenas"),
            (
                "go1.20".to_string(),
                vec!["boringcrypto".to_string(), "arenas".to_string()]
            )
        );
        assert_eq!(
            split_experiments("go1.19.8"),
            ("go1.19.8".to_string(), Vec::new())
        );
    }

    #[test]
    fn stdlib_cpes_follow_the_release() {
        assert_eq!(
            stdlib_cpe("go1.19.8").unwrap(),
            "cpe:2.3:a:golang:go:1.19.8:-:*:*:*:*:*:*"
        );
        assert_eq!(
            stdlib_cpe("go1.22rc1").unwrap(),
            "cpe:2.3:a:golang:go:1.22:rc1:*:*:*:*:*:*"
        );
        assert_eq!(stdlib_cpe("gox"), None);
    }

    #[test]
    fn devel_main_modules_keep_their_version_and_replacements_apply() {
        let info = modinfo::parse(
            "path\texample.com/app\nmod\texample.com/app\t(devel)\t\n\
             dep\tgolang.org/x/net\tv0.7.0\th1:a=\n=>\tgolang.org/x/net\tv0.8.0\th1:b=\n\
             build\t-ldflags=\"-X main.version=1.2.3\"\nbuild\tGOARCH=arm64\n",
        )
        .unwrap();
        let packages = build_packages(&build(""), info, &location());
        let summary: Vec<(&str, &str, &str)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.purl.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "example.com/app",
                    "(devel)",
                    "pkg:golang/example.com/app@(devel)"
                ),
                (
                    "golang.org/x/net",
                    "v0.8.0",
                    "pkg:golang/golang.org/x/net@v0.8.0"
                ),
            ]
        );
        let PackageMetadata::GoBuildinfo(dep) = &packages[1].metadata else {
            panic!("no metadata");
        };
        assert_eq!(
            (dep.h1_digest.as_str(), dep.architecture.as_str()),
            ("h1:b=", "arm64")
        );
        assert_eq!(dep.main_module, "example.com/app");
        assert!(dep.build_settings.is_empty());
    }

    #[test]
    fn gopath_binaries_report_the_package_path_without_a_version() {
        let info = modinfo::parse("path\tgithub.com/restic/restic/cmd/restic\n").unwrap();
        let packages = build_packages(&build(""), info, &location());
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].name, "github.com/restic/restic/cmd/restic");
        assert_eq!(packages[0].version, UNKNOWN_VERSION);
        assert_eq!(
            packages[0].purl,
            "pkg:golang/github.com/restic/restic#cmd/restic"
        );
        let stdlib = stdlib_package(&packages[0]).unwrap();
        assert_eq!(stdlib.purl, "pkg:golang/stdlib@1.19.8");
        assert_eq!(stdlib.version, "go1.19.8");
    }
}
