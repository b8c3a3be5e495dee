//! Side by side with Syft 1.18.1 on its own language fixtures (`shared/conformance/syft`):
//! the Python, JavaScript, Java, Go, Rust, Ruby, PHP, .NET, binary-classifier and JVM
//! packages Plimsoll reports equal Syft's goldens on type, name, version, PURL, location
//! paths, `foundBy`, language, license values, `metadataType` and the metadata itself; for
//! images also the layer of every location, in both scopes. `.deps.json` dependency edges and
//! every `ownership-by-file-overlap` edge are compared too.
//!
//! Syft's goldens hold packages from catalogers Plimsoll does not have yet (requirements
//! files, Poetry and Pipfile locks, `setup.py`); only the packages of the catalogers under
//! test are compared. Every known difference is listed in `KNOWN_DIFFERENCES` with its
//! reason, and the test fails if one of them stops occurring, so the list stays true.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The catalogers this test covers, by their `foundBy` names.
const CATALOGERS: &[&str] = &[
    "python-installed-package-cataloger",
    "javascript-package-cataloger",
    "javascript-lock-cataloger",
    "java-archive-cataloger",
    "java-pom-cataloger",
    "java-gradle-lockfile-cataloger",
    "ruby-gemfile-cataloger",
    "ruby-gemspec-cataloger",
    "ruby-installed-gemspec-cataloger",
    "php-composer-lock-cataloger",
    "php-composer-installed-cataloger",
    "dotnet-deps-cataloger",
    "binary-classifier-cataloger",
    "java-jvm-cataloger",
    "go-module-binary-cataloger",
    "go-module-file-cataloger",
    "cargo-auditable-binary-cataloger",
    "rust-cargo-lock-cataloger",
];

/// The catalogers whose `dependency-of` edges are compared too (between packages they found).
/// `ownership-by-file-overlap` edges are compared between all packages.
const EDGE_CATALOGERS: &[&str] = &["dotnet-deps-cataloger"];

/// Directory cases whose Python and npm packages are compared.
const CASES: &[&str] = &[
    "cat-python",
    "cat-javascript",
    "npm-lock-v1",
    "npm-lock-v2",
    "npm-lock-v3",
    "npm-lock-dir",
    "npm-lock-alias1",
    "npm-lock-alias2",
    "yarn-v1",
    "yarn-berry",
    "yarn-lock-dir",
    "pnpm-v5",
    "pnpm-v6",
    "pkg-coverage-dir",
    "cat-java",
    "java-hpi-nested",
    "java-jar-metadata",
    "java-jar-shaded",
    "pom-xml",
    "gradle-lock",
    "cat-ruby",
    "gemfile-lock",
    "cat-php",
    "composer-lock",
    "cat-dotnet",
    "dotnet-deps",
    "binary-snippets",
    "os-busybox",
    "cat-golang",
    "go-binaries",
    "go-mod-many",
    "go-mod-sum",
    "cargo-auditable",
    "cargo-lock",
    "cargo-lock-git",
    "cat-rust",
];

/// Image archives (under `images/`) with Python or npm packages in their goldens.
const IMAGES: &[&str] = &["cov-docker", "own-img", "wh-img"];

/// Packages where Plimsoll deliberately differs from Syft: (case, package name, reason).
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[(
    "binary-snippets",
    "busybox",
    "Syft ran on the fixture's symbolic link `busybox -> [`; the copy here holds the link as a \
     three-byte text file, so there is no BusyBox binary to classify",
), (
    "go-binaries",
    "example.com/hello",
    "the main module of `/hello` is recorded as `(devel)`; Syft reports `v1.2.3`, a guess \
     from `-ldflags -X main.version=1.2.3`, which is not the module's version",
)];

fn conformance() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/syft")
}

/// Everything compared about one package, in a form that sorts and prints well.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    package_type: String,
    name: String,
    version: String,
    purl: String,
    locations: Vec<String>,
    found_by: String,
    language: String,
    licenses: Vec<String>,
    metadata_type: String,
    metadata: String,
}

fn language_packages(document: &Value) -> BTreeSet<Key> {
    document["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| CATALOGERS.contains(&a["foundBy"].as_str().unwrap_or("")))
        .map(|a| {
            let text = |key: &str| a[key].as_str().unwrap_or("").to_string();
            let mut locations: Vec<String> = a["locations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    let path = l["path"].as_str().unwrap();
                    match l["layerID"].as_str() {
                        Some(layer) => format!("{path} ({layer})"),
                        None => path.to_string(),
                    }
                })
                .collect();
            locations.sort();
            let mut licenses: Vec<String> = a["licenses"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["value"].as_str().unwrap().to_string())
                .collect();
            licenses.sort();
            Key {
                package_type: text("type"),
                name: text("name"),
                version: text("version"),
                purl: text("purl"),
                locations,
                found_by: text("foundBy"),
                language: text("language"),
                licenses,
                metadata_type: text("metadataType"),
                metadata: a.get("metadata").map(Value::to_string).unwrap_or_default(),
            }
        })
        .collect()
}

/// The `dependency-of` edges between packages of `EDGE_CATALOGERS`, as `dependency ->
/// dependent` over name, version and PURL.
fn dependency_edges(document: &Value) -> BTreeSet<String> {
    let mut names = std::collections::HashMap::new();
    for artifact in document["artifacts"].as_array().unwrap() {
        if EDGE_CATALOGERS.contains(&artifact["foundBy"].as_str().unwrap_or("")) {
            let key = format!(
                "{}@{} ({})",
                artifact["name"].as_str().unwrap_or(""),
                artifact["version"].as_str().unwrap_or(""),
                artifact["purl"].as_str().unwrap_or("")
            );
            names.insert(artifact["id"].as_str().unwrap_or("").to_string(), key);
        }
    }
    document["artifactRelationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "dependency-of")
        .filter_map(|r| {
            let parent = names.get(r["parent"].as_str()?)?;
            let child = names.get(r["child"].as_str()?)?;
            Some(format!("{parent} -> {child}"))
        })
        .collect()
}

/// Every `ownership-by-file-overlap` edge, as `owner -> owned [files]` over type, name and
/// version.
fn ownership_edges(document: &Value) -> BTreeSet<String> {
    let names: std::collections::HashMap<&str, String> = document["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let key = format!(
                "{}:{}@{}",
                a["type"].as_str().unwrap_or(""),
                a["name"].as_str().unwrap_or(""),
                a["version"].as_str().unwrap_or("")
            );
            (a["id"].as_str().unwrap_or(""), key)
        })
        .collect();
    document["artifactRelationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "ownership-by-file-overlap")
        .map(|r| {
            let name = |key: &str| names.get(r[key].as_str().unwrap_or("")).cloned();
            format!(
                "{:?} -> {:?} {}",
                name("parent"),
                name("child"),
                r["metadata"]["files"]
            )
        })
        .collect()
}

fn scan(dir: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(dir)
        .args(["scan", "-q", "-o", "syft-json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn is_known(case: &str, key: &Key) -> bool {
    KNOWN_DIFFERENCES
        .iter()
        .any(|(c, name, _)| *c == case && *name == key.name)
}

/// Compares one golden with Plimsoll's document; returns the differences not listed as
/// known, and notes the known ones seen.
fn compare(
    case: &str,
    ours: &Value,
    known_seen: &mut BTreeSet<(String, String)>,
) -> Option<String> {
    let golden_path = conformance().join(format!("golden/{case}.json"));
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(golden_path).unwrap()).unwrap();
    let mut our_edges = dependency_edges(ours);
    our_edges.extend(ownership_edges(ours));
    let mut golden_edges = dependency_edges(&golden);
    golden_edges.extend(ownership_edges(&golden));
    let (ours, golden) = (language_packages(ours), language_packages(&golden));

    let mut missed: Vec<&Key> = golden.difference(&ours).collect();
    let mut extra: Vec<&Key> = ours.difference(&golden).collect();
    for key in missed.iter().chain(&extra).filter(|k| is_known(case, k)) {
        known_seen.insert((case.to_string(), key.name.clone()));
    }
    missed.retain(|k| !is_known(case, k));
    extra.retain(|k| !is_known(case, k));
    let missed_edges: Vec<&String> = golden_edges.difference(&our_edges).collect();
    let extra_edges: Vec<&String> = our_edges.difference(&golden_edges).collect();
    let equal = missed.is_empty() && extra.is_empty();
    let equal_edges = missed_edges.is_empty() && extra_edges.is_empty();
    (!equal || !equal_edges).then(|| {
        format!(
            "{case}: missed {missed:#?}\nextra {extra:#?}\n\
             missed edges {missed_edges:#?}\nextra edges {extra_edges:#?}"
        )
    })
}

/// Fails unless every listed known difference was seen.
fn check_known(known_seen: &BTreeSet<(String, String)>, cases: &[String]) {
    for (case, name, reason) in KNOWN_DIFFERENCES {
        if cases.iter().any(|c| c == case) {
            assert!(
                known_seen.contains(&(case.to_string(), name.to_string())),
                "{case}: `{name}` now matches Syft; drop it from KNOWN_DIFFERENCES ({reason})"
            );
        }
    }
}

#[test]
fn language_directory_cases_match_syft() {
    let inputs = conformance().join("inputs");
    let mut failures = Vec::new();
    let mut known_seen = BTreeSet::new();
    for case in CASES {
        let golden: Value = serde_json::from_str(
            &std::fs::read_to_string(conformance().join(format!("golden/{case}.json"))).unwrap(),
        )
        .unwrap();
        assert!(
            !language_packages(&golden).is_empty(),
            "{case}: the golden has no packages to compare"
        );
        let ours = scan(&inputs, &[&format!("dir:{case}")]);
        failures.extend(compare(case, &ours, &mut known_seen));
    }
    let cases: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    check_known(&known_seen, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn language_image_cases_match_syft_in_both_scopes() {
    let images = conformance().join("images");
    let mut failures = Vec::new();
    let mut known_seen = BTreeSet::new();
    let mut cases = Vec::new();
    for image in IMAGES {
        for scope in ["squashed", "all-layers"] {
            let case = format!("img-{image}-{scope}");
            let ours = scan(&images, &[&format!("{image}.tar"), "--scope", scope]);
            failures.extend(compare(&case, &ours, &mut known_seen));
            cases.push(case);
        }
    }
    check_known(&known_seen, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `dependency-of` edges among the packages of the catalogers under test, each end named
/// by type, name and the paths of its locations. Versions are left out so that a version
/// listed in `KNOWN_DIFFERENCES` does not hide an edge.
fn located_dependency_edges(document: &Value) -> BTreeSet<(String, String)> {
    let mut names = std::collections::HashMap::new();
    for artifact in document["artifacts"].as_array().unwrap() {
        if !CATALOGERS.contains(&artifact["foundBy"].as_str().unwrap_or("")) {
            continue;
        }
        let mut paths: Vec<&str> = artifact["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["path"].as_str().unwrap())
            .collect();
        paths.sort();
        let name = format!(
            "{} {} {}",
            artifact["type"].as_str().unwrap(),
            artifact["name"].as_str().unwrap(),
            paths.join(",")
        );
        names.insert(artifact["id"].as_str().unwrap().to_string(), name);
    }
    document["artifactRelationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "dependency-of")
        .filter_map(|r| {
            let end = |key: &str| names.get(r[key].as_str().unwrap_or("")).cloned();
            Some((end("parent")?, end("child")?))
        })
        .collect()
}

#[test]
fn go_and_rust_dependency_edges_match_syft() {
    let inputs = conformance().join("inputs");
    for case in ["go-binaries", "cargo-lock", "cargo-lock-git", "cat-rust"] {
        let golden: Value = serde_json::from_str(
            &std::fs::read_to_string(conformance().join(format!("golden/{case}.json"))).unwrap(),
        )
        .unwrap();
        let expected = located_dependency_edges(&golden);
        assert!(!expected.is_empty(), "{case}: the golden has no edges");
        let ours = located_dependency_edges(&scan(&inputs, &[&format!("dir:{case}")]));
        let missed: Vec<_> = expected.difference(&ours).collect();
        let extra: Vec<_> = ours.difference(&expected).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "{case}: missed {missed:#?}\nextra {extra:#?}"
        );
    }
}
