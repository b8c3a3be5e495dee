//! The binary classifier cataloger: recognises well-known programs and libraries (Python,
//! Node.js, BusyBox, OpenSSL, Go, Java, databases, web servers and more) by their file
//! names and the version strings compiled into them, with the names, PURLs and CPEs Syft's
//! classifiers give them.
//!
//! Each matched file is read whole, as Syft reads it; the file index captures the content
//! of every file a classifier's name pattern matches (up to the index's per-file limit).

mod classifier;
mod classifiers;
mod elf;

use std::collections::HashSet;

use plimsoll_image::FileView;
use plimsoll_model::metadata::{BinarySignature, ClassifierMatch, MatchLocation};
use plimsoll_model::{Cpe, Evidence, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::purl::PackageUrl;
use crate::CatalogError;

use classifier::{Classifier, Found};
use classifiers::{CLASSIFIERS, LIBRARY_FILE_NAMES};

/// Finds binaries that a classifier recognises.
#[derive(Debug, Default)]
pub struct BinaryClassifierCataloger;

impl Cataloger for BinaryClassifierCataloger {
    fn name(&self) -> &'static str {
        "binary-classifier-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        CLASSIFIERS.iter().any(|c| c.wants(path))
            || classifier::file_name_matches(LIBRARY_FILE_NAMES, path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        // The files a program links to, found by name anywhere, as Syft finds them.
        let lookup = |name: &str| {
            view.find(&|path| path.rsplit('/').next() == Some(name))
                .into_iter()
                .filter_map(|location| Some((view.contents(&location)?, location)))
                .map(|(bytes, location)| (location, bytes))
                .collect::<Vec<_>>()
        };
        let mut found: Vec<(&Classifier, Found, Location)> = Vec::new();
        for classifier in CLASSIFIERS.iter() {
            for location in view.find(&|path| classifier.wants(path)) {
                let Some(bytes) = view.contents(&location) else {
                    continue;
                };
                for version in classifier.find(&location.path, &bytes, &lookup) {
                    found.push((classifier, version, location.clone()));
                }
            }
        }

        // A multi-call binary (BusyBox) is reached through links named for each program it
        // provides, and a classifier for that program may find a version-like string in it
        // (gzip 1.0 in BusyBox). Syft reports those; Plimsoll keeps only what a classifier
        // finds under the file's own name when there is such a match.
        let named: HashSet<&str> = found
            .iter()
            .filter(|(classifier, _, location)| classifier.wants(&location.path))
            .map(|(_, _, location)| location.path.as_str())
            .collect();
        let kept: Vec<(&Classifier, Found, Location)> = found
            .iter()
            .filter(|(classifier, _, location)| {
                classifier.wants(&location.path) || !named.contains(location.path.as_str())
            })
            .cloned()
            .collect();

        let mut packages: Vec<Package> = Vec::new();
        for (classifier, found, location) in kept {
            merge(&mut packages, self.package(classifier, found, location));
        }
        Ok(packages)
    }
}

impl BinaryClassifierCataloger {
    /// The package for a match in `location` (and in the libraries it needs, if that is
    /// where the version was found): every file is a location and a match.
    fn package(&self, classifier: &Classifier, found: Found, location: Location) -> Package {
        let Found { version, libraries } = found;
        let mut locations: Vec<Location> = std::iter::once(location)
            .chain(libraries)
            .map(|l| l.with_evidence(Evidence::Primary))
            .collect();
        let matches = locations
            .iter()
            .map(|location| ClassifierMatch {
                classifier: classifier.class.to_string(),
                location: match_location(location),
            })
            .collect();
        locations.sort();
        locations.dedup();
        let purl = PackageUrl {
            namespace: classifier.purl_namespace.to_string(),
            version: version.clone(),
            ..PackageUrl::new(classifier.purl_type, classifier.purl_name)
        }
        .to_string();
        let cpes = classifier
            .cpes
            .iter()
            .map(|(vendor, product, source)| Cpe {
                cpe: format!(
                    "cpe:2.3:a:{vendor}:{product}:{}:*:*:*:*:*:*:*",
                    crate::cpe::escape(&version)
                ),
                source: source.to_string(),
            })
            .collect();
        Package {
            name: classifier.package.to_string(),
            version,
            package_type: PackageType::Binary,
            found_by: self.name().to_string(),
            locations,
            licenses: Vec::new(),
            // Syft names a language only where the PURL's type implies one.
            language: if classifier.purl_type == "golang" {
                "go".to_string()
            } else {
                String::new()
            },
            cpes,
            purl,
            metadata: PackageMetadata::BinarySignature(BinarySignature { matches }),
        }
    }
}

/// A location as it is written inside metadata.
fn match_location(location: &Location) -> MatchLocation {
    let mut annotations = std::collections::BTreeMap::new();
    if location.evidence == Some(Evidence::Primary) {
        annotations.insert("evidence".to_string(), "primary".to_string());
    }
    MatchLocation {
        path: location.path.clone(),
        layer_id: location.layer_id.clone(),
        access_path: location.access_path.clone(),
        annotations,
    }
}

/// Adds a package, or, as Syft does, folds it into one already found with the same name
/// and version: the same program in several places (or found by several classifiers) is
/// one package with every location and every match.
fn merge(packages: &mut Vec<Package>, package: Package) {
    let Some(existing) = packages
        .iter_mut()
        .find(|p| p.name == package.name && p.version == package.version)
    else {
        packages.push(package);
        return;
    };
    for location in package.locations {
        if !existing.locations.contains(&location) {
            existing.locations.push(location);
        }
    }
    existing.locations.sort();
    if let (PackageMetadata::BinarySignature(into), PackageMetadata::BinarySignature(from)) =
        (&mut existing.metadata, package.metadata)
    {
        into.matches.extend(from.matches);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wants_only_classifier_globs() {
        let cataloger = BinaryClassifierCataloger;
        for path in [
            "/usr/bin/python3.11",
            "/usr/lib/libpython3.11.so.1.0",
            "/usr/local/bin/node",
            "/bin/busybox",
            "/usr/bin/openssl",
        ] {
            assert!(cataloger.wants(path), "{path}");
        }
        // Syft 1.18.1 classifies the `openssl` program only, not libssl or libcrypto.
        for path in [
            "/usr/bin/nodejs",
            "/bin/sh",
            "/usr/lib/libpython.a",
            "/usr/lib/libssl.so.3",
        ] {
            assert!(!cataloger.wants(path), "{path}");
        }
    }

    #[test]
    fn links_into_a_multi_call_binary_are_not_other_programs() {
        let root = tempfile::tempdir().unwrap();
        let busybox = root.path().join("busybox");
        std::fs::write(&busybox, b"..BusyBox v1.35.0 (2022)..\x001.0\x00..").unwrap();
        std::os::unix::fs::symlink("busybox", root.path().join("gzip")).unwrap();
        // A gzip of its own is still found.
        std::fs::create_dir(root.path().join("bin")).unwrap();
        std::fs::write(root.path().join("bin/gzip"), b"\x001.12\x00").unwrap();

        let cataloger = BinaryClassifierCataloger;
        let wanted = |path: &str| cataloger.wants(path);
        let index = plimsoll_image::read_directory(
            root.path(),
            "test",
            &wanted,
            plimsoll_image::Limits::default(),
        )
        .unwrap();
        let view = &index.views(plimsoll_image::Scope::Squashed)[0];
        let packages = cataloger.catalog(view, &Environment::default()).unwrap();
        let mut found: Vec<(&str, &str)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        found.sort();
        assert_eq!(found, vec![("busybox", "1.35.0"), ("gzip", "1.12")]);
    }

    #[test]
    fn python_versions_come_from_the_libpython_it_needs() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("usr/local/lib")).unwrap();
        std::fs::create_dir_all(root.path().join("usr/local/bin")).unwrap();
        let library = root.path().join("usr/local/lib/libpython3.11.so.1.0");
        std::fs::write(library, b"..\x003.11.4\x00..").unwrap();
        std::fs::write(
            root.path().join("usr/local/bin/python3.11"),
            elf::tiny_elf(),
        )
        .unwrap();

        let cataloger = BinaryClassifierCataloger;
        let wanted = |path: &str| cataloger.wants(path);
        let limits = plimsoll_image::Limits::default();
        let index = plimsoll_image::read_directory(root.path(), "t", &wanted, limits).unwrap();
        let view = &index.views(plimsoll_image::Scope::Squashed)[0];
        let packages = cataloger.catalog(view, &Environment::default()).unwrap();

        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].version, "3.11.4");
        let paths: Vec<&str> = packages[0]
            .locations
            .iter()
            .map(|l| l.path.as_str())
            .collect();
        assert_eq!(
            paths,
            vec![
                "/usr/local/bin/python3.11",
                "/usr/local/lib/libpython3.11.so.1.0"
            ]
        );
        let PackageMetadata::BinarySignature(signature) = &packages[0].metadata else {
            panic!("binary packages carry a binary signature");
        };
        let classes: Vec<&str> = signature
            .matches
            .iter()
            .map(|m| m.classifier.as_str())
            .collect();
        assert_eq!(
            classes,
            vec!["python-binary", "python-binary", "python-binary-lib"]
        );
    }

    #[test]
    fn same_name_and_version_merge() {
        let cataloger = BinaryClassifierCataloger;
        let python = &CLASSIFIERS[0];
        let mut packages = Vec::new();
        for path in ["/b/python3.8", "/a/python3.8"] {
            let found = Found {
                version: "3.8.16".into(),
                libraries: Vec::new(),
            };
            let package = cataloger.package(python, found, Location::new(path, None));
            merge(&mut packages, package);
        }
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].locations[0].path, "/a/python3.8");
        assert_eq!(packages[0].purl, "pkg:generic/python@3.8.16");
        let PackageMetadata::BinarySignature(signature) = &packages[0].metadata else {
            panic!("binary packages carry a binary signature");
        };
        assert_eq!(signature.matches[0].location.path, "/b/python3.8");
        assert_eq!(
            packages[0].cpes[0].cpe,
            "cpe:2.3:a:python_software_foundation:python:3.8.16:*:*:*:*:*:*:*"
        );
    }
}
