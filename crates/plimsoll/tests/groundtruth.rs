//! The OS packages found in real images equal the ground truth taken with the ecosystems'
//! own tools (dpkg-query, rpm), for both scopes and every archive form; so do image A's
//! Python and npm packages (by PEP 503 name for Python), image B's Java archives (by name,
//! version and archive path), and images B's and D's Go modules and Rust crates (with the
//! binary each was found in), for both scopes.
//!
//! The prebuilt OCI archives under `shared/images/prebuilt` are always checked. The other
//! forms (OCI layout, classic and Docker 25+ `docker save`, zstd layers) and image B come
//! from `shared/tools/build-images.sh`; point `PLIMSOLL_TEST_IMAGES` at its output to check
//! them (CI builds them), or they are skipped with a note.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use plimsoll_catalog::{catalog, default_catalogers, CatalogerSet, Wanted};
use plimsoll_image::{open, Limits, Opened, Progress, Scope, SourceSpec};
use plimsoll_model::Package;
use serde_json::Value;

type Key = (String, String, String);

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The OS package types this check covers.
const OS_TYPES: &[&str] = &["deb", "rpm", "apk"];

fn scan(input: &str, scope: Scope) -> Vec<Key> {
    packages(input, scope)
        .into_iter()
        .filter(|p| OS_TYPES.contains(&p.package_type.as_str()))
        .map(|p| (p.package_type.as_str().to_string(), p.name, p.version))
        .collect()
}

/// Every package the image catalogers find in `input`.
fn packages(input: &str, scope: Scope) -> Vec<Package> {
    let limits = Limits::default();
    let catalogers = default_catalogers(CatalogerSet::Image);
    let spec = SourceSpec::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    let Opened::Image(mut image) =
        open(&spec, None, &limits).unwrap_or_else(|e| panic!("{input}: {e}"))
    else {
        panic!("{input} is not an image");
    };
    let wants = Wanted::new(&catalogers);
    let index = image
        .read_layers(&wants, limits, &Progress::default())
        .unwrap_or_else(|e| panic!("{input}: {e}"));
    let found = catalog(&index, scope, &catalogers).unwrap_or_else(|e| panic!("{input}: {e}"));
    found.packages
}

/// The truth's OS packages: `squashed.json` or `all-layers.json` of one image.
fn truth(groundtruth: &Path, image: &str, scope: Scope) -> Vec<Key> {
    let file = match scope {
        Scope::Squashed => "squashed.json",
        Scope::AllLayers => "all-layers.json",
    };
    let path = groundtruth.join(image).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: Value = serde_json::from_str(&text).unwrap();
    document["packages"]
        .as_array()
        .unwrap()
        .iter()
        // `pseudo` records (rpm's gpg-pubkey keys) are listed by rpm but are not software.
        .filter(|p| {
            OS_TYPES.contains(&p["type"].as_str().unwrap_or("")) && p["pseudo"] != Value::Bool(true)
        })
        .map(|p| {
            // The truth's versions already carry the epoch (`1:3.0.7-6.el9_2`).
            let version = p["version"].as_str().unwrap_or("").to_string();
            (
                p["type"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
                version,
            )
        })
        .collect()
}

fn check(input: &str, groundtruth: &Path, image: &str, scope: Scope) {
    let found = scan(input, scope);
    let expected = truth(groundtruth, image, scope);
    assert!(!expected.is_empty(), "{image} truth lists no OS packages");
    let found_set: BTreeSet<&Key> = found.iter().collect();
    let expected_set: BTreeSet<&Key> = expected.iter().collect();
    let missed: Vec<_> = expected_set.difference(&found_set).collect();
    let extra: Vec<_> = found_set.difference(&expected_set).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "{input} ({scope:?}): missed {missed:?}, extra {extra:?}"
    );
    if scope == Scope::Squashed {
        assert_eq!(
            found.len(),
            found_set.len(),
            "{input}: a package is reported twice in the squashed image"
        );
    }
}

#[test]
fn prebuilt_oci_archives_match_the_ground_truth() {
    let groundtruth = shared().join("images/groundtruth");
    for image in ["image-a", "image-c", "image-c8", "image-d"] {
        let archive = shared().join(format!("images/prebuilt/{image}/{image}.oci-archive.tar"));
        for scope in [Scope::Squashed, Scope::AllLayers] {
            check(
                &format!("oci-archive:{}", archive.display()),
                &groundtruth,
                image,
                scope,
            );
        }
    }
}

/// The language package types the second check covers.
const LANGUAGE_TYPES: &[&str] = &["python", "npm"];

/// A PEP 503 normalised name: lowercase, runs of `-`, `_` and `.` as one `-`. The truth
/// keeps Python names as their metadata writes them (`Jinja2`); Syft normalises them.
fn pep503(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn language_key(package_type: &str, name: &str, version: &str) -> Key {
    let name = if package_type == "python" {
        pep503(name)
    } else {
        name.to_string()
    };
    (package_type.to_string(), name, version.to_string())
}

/// The truth's Python and npm packages for one scope of one image.
fn language_truth(groundtruth: &Path, image: &str, scope: Scope) -> BTreeSet<Key> {
    let file = match scope {
        Scope::Squashed => "squashed.json",
        Scope::AllLayers => "all-layers.json",
    };
    let path = groundtruth.join(image).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: Value = serde_json::from_str(&text).unwrap();
    document["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| LANGUAGE_TYPES.contains(&p["type"].as_str().unwrap_or("")))
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or("").to_string();
            language_key(&text("type"), &text("name"), &text("version"))
        })
        .collect()
}

#[test]
fn language_packages_of_image_a_match_the_ground_truth() {
    let groundtruth = shared().join("images/groundtruth");
    let archive = shared().join("images/prebuilt/image-a/image-a.oci-archive.tar");
    let input = format!("oci-archive:{}", archive.display());
    for (scope, python, npm) in [(Scope::Squashed, 7, 53), (Scope::AllLayers, 10, 53)] {
        let expected = language_truth(&groundtruth, "image-a", scope);
        let count = |t: &str| expected.iter().filter(|k| k.0 == t).count();
        assert_eq!(
            (count("python"), count("npm")),
            (python, npm),
            "{scope:?} truth"
        );

        let found: BTreeSet<Key> = packages(&input, scope)
            .into_iter()
            .filter(|p| LANGUAGE_TYPES.contains(&p.package_type.as_str()))
            .map(|p| language_key(p.package_type.as_str(), &p.name, &p.version))
            .collect();
        let missed: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "image-a ({scope:?}): missed {missed:?}, extra {extra:?}"
        );
    }
}

/// The binary package types the third check covers.
const BINARY_TYPES: &[&str] = &["go-module", "rust-crate"];

/// (type, name, version, path of the binary).
type BinaryKey = (String, String, String, String);

/// The truth's Go modules and Rust crates for one scope of one image. The truth writes no
/// version as an empty string (a Go binary built outside module mode records none for its
/// main package); Plimsoll, as Syft does for any package without one, reports `UNKNOWN`.
fn binary_truth(groundtruth: &Path, image: &str, scope: Scope) -> BTreeSet<BinaryKey> {
    let file = match scope {
        Scope::Squashed => "squashed.json",
        Scope::AllLayers => "all-layers.json",
    };
    let path = groundtruth.join(image).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: Value = serde_json::from_str(&text).unwrap();
    document["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| BINARY_TYPES.contains(&p["type"].as_str().unwrap_or("")))
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or("").to_string();
            let version = match text("version") {
                version if version.is_empty() => "UNKNOWN".to_string(),
                version => version,
            };
            (text("type"), text("name"), version, text("path"))
        })
        .collect()
}

fn check_binaries(input: &str, groundtruth: &Path, image: &str, scope: Scope) {
    let expected = binary_truth(groundtruth, image, scope);
    assert!(
        !expected.is_empty(),
        "{image} truth lists no Go or Rust packages"
    );
    let found: Vec<BinaryKey> = packages(input, scope)
        .into_iter()
        .filter(|p| BINARY_TYPES.contains(&p.package_type.as_str()))
        .flat_map(|p| {
            let key = |path: &str| {
                let kind = p.package_type.as_str().to_string();
                (kind, p.name.clone(), p.version.clone(), path.to_string())
            };
            p.locations.iter().map(|l| key(&l.path)).collect::<Vec<_>>()
        })
        .collect();
    let found_set: BTreeSet<BinaryKey> = found.iter().cloned().collect();
    assert_eq!(
        found.len(),
        found_set.len(),
        "{input} ({scope:?}): a package is reported twice"
    );
    let missed: Vec<_> = expected.difference(&found_set).collect();
    let extra: Vec<_> = found_set.difference(&expected).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "{input} ({scope:?}): missed {missed:?}, extra {extra:?}"
    );
}

#[test]
fn go_and_rust_packages_match_the_ground_truth() {
    let groundtruth = shared().join("images/groundtruth");
    let archive = shared().join("images/prebuilt/image-d/image-d.oci-archive.tar");
    let mut inputs = vec![(format!("oci-archive:{}", archive.display()), "image-d")];
    // Image B carries a GOPATH-built Go binary, a module-built one and a cargo auditable
    // binary; it is only in the built corpus.
    if let Some(dir) = built_images() {
        let base = dir.join("image-b");
        inputs.push((format!("oci-dir:{}", base.join("oci").display()), "image-b"));
        inputs.push((
            format!(
                "docker-archive:{}",
                base.join("image-b.docker-archive.tar").display()
            ),
            "image-b",
        ));
    }
    for (input, image) in &inputs {
        for scope in [Scope::Squashed, Scope::AllLayers] {
            check_binaries(input, &groundtruth, image, scope);
        }
    }
}

/// The corpus built by `build-images.sh`, when present.
fn built_images() -> Option<PathBuf> {
    match std::env::var_os("PLIMSOLL_TEST_IMAGES") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("groundtruth").is_dir(),
                "PLIMSOLL_TEST_IMAGES={} holds no corpus",
                dir.display()
            );
            Some(dir)
        }
        None => {
            eprintln!(
                "note: PLIMSOLL_TEST_IMAGES is not set; the built image forms are not checked"
            );
            None
        }
    }
}

#[test]
fn every_archive_form_matches_the_ground_truth() {
    let Some(dir) = built_images() else { return };
    let groundtruth = dir.join("groundtruth");
    for image in ["image-a", "image-b", "image-c", "image-c8", "image-d"] {
        let base = dir.join(image);
        let mut forms = vec![
            format!("oci-dir:{}", base.join("oci").display()),
            format!(
                "oci-archive:{}",
                base.join(format!("{image}.oci-archive.tar")).display()
            ),
            format!(
                "docker-archive:{}",
                base.join(format!("{image}.docker-archive.tar")).display()
            ),
            format!(
                "docker-archive:{}",
                base.join(format!("{image}.docker-save-oci.tar")).display()
            ),
            // A bare path is detected as what it is.
            base.join(format!("{image}.docker-archive.tar"))
                .display()
                .to_string(),
        ];
        if base.join("oci-zstd").is_dir() {
            forms.push(format!("oci-dir:{}", base.join("oci-zstd").display()));
        }
        for form in &forms {
            for scope in [Scope::Squashed, Scope::AllLayers] {
                check(form, &groundtruth, image, scope);
            }
        }
    }
}

/// The `!/`-joined archive path of a Java package (`a.jar!/BOOT-INF/lib/b.jar`), as the
/// truth writes it: the archives of its virtual path, without a shaded package's
/// `:group:artifact` suffix.
fn java_archive_path(package: &Package) -> String {
    let plimsoll_model::PackageMetadata::JavaArchive(metadata) = &package.metadata else {
        return String::new();
    };
    metadata
        .virtual_path
        .split(':')
        .filter(|part| {
            [".jar", ".war", ".ear", ".hpi", ".jpi"]
                .iter()
                .any(|e| part.ends_with(e))
        })
        .collect::<Vec<_>>()
        .join("!/")
}

#[test]
fn java_archives_of_image_b_match_the_ground_truth() {
    let Some(dir) = built_images() else { return };
    let archive = dir.join("image-b/image-b.oci-archive.tar");
    let input = format!("oci-archive:{}", archive.display());
    for scope in [Scope::Squashed, Scope::AllLayers] {
        let file = match scope {
            Scope::Squashed => "squashed.json",
            Scope::AllLayers => "all-layers.json",
        };
        let text = std::fs::read_to_string(dir.join("groundtruth/image-b").join(file)).unwrap();
        let document: Value = serde_json::from_str(&text).unwrap();
        let expected: BTreeSet<Key> = document["packages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["type"] == "java-archive")
            .map(|p| {
                let text = |key: &str| p[key].as_str().unwrap_or("").to_string();
                (text("name"), text("version"), text("path"))
            })
            .collect();
        assert_eq!(expected.len(), 62, "{scope:?} truth");

        let found: Vec<Key> = packages(&input, scope)
            .into_iter()
            .filter(|p| p.package_type.as_str() == "java-archive")
            .map(|p| {
                let path = java_archive_path(&p);
                (p.name, p.version, path)
            })
            .collect();
        assert_eq!(found.len(), expected.len(), "{scope:?}: duplicates");
        let found: BTreeSet<Key> = found.into_iter().collect();
        let missed: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "image-b ({scope:?}): missed {missed:?}, extra {extra:?}"
        );
    }
}
