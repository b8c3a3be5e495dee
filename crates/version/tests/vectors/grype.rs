//! Grype's constraint tables (`{version, constraint, satisfied}`), for the schemes Plimsoll
//! has: apk, deb, rpm, maven, gem, and Grype's "semantic" fallback read by the generic scheme.

use plimsoll_version::{gem, Constraint, Scheme};
use serde_json::Value;

use super::common::{json, Failures};

const FILE: &str = "grype/grype_constraint_cases.json";

/// Rows where Grype departs from the ecosystem's tool and Plimsoll follows the tool.
const RPM_GRYPE_ONLY: [(&str, &str, &str); 9] = [
    // Grype ignores the epoch when only one side has one; rpm (`rpmverCmp`, and dependency
    // matching in `rpmverOverlap`) reads a missing epoch as 0.
    ("1:0", "< 1", "rpm: epoch 1 is newer than epoch 0"),
    ("1.0", "< 2:1.0", "rpm: epoch 0 is older than epoch 2"),
    (
        "2:4.19.01-1.el7_5",
        "<= 4.19.1-1.el7_5",
        "rpm: epoch 2 is newer than epoch 0",
    ),
    (
        "4.19.01-1.el7_5",
        "< 2:4.19.1-1.el7_5",
        "rpm: epoch 0 is older than epoch 2",
    ),
    (
        "4.19.0-1.el7_5",
        "< 12:4.19.0-1.el7",
        "rpm: epoch 0 is older than epoch 12",
    ),
    (
        "4.19.0-1.el7_5",
        "<= 12:4.19.0-1.el7",
        "rpm: epoch 0 is older than epoch 12",
    ),
    (
        "3:4.19.0-1.el7_5",
        "< 4.21.0-1.el7",
        "rpm: epoch 3 is newer than epoch 0",
    ),
    // Grype drops trailing `.0` segments of the release; `rpmvercmp` counts them, so
    // `5.el8` is older than `5.el8.0.0`.
    (
        "8.3.1-5.el8",
        "< 0:8.3.1-5.el8.0.0",
        "rpmvercmp: the longer release is newer",
    ),
    (
        "8.3.1-5.el8.0.0",
        "> 0:8.3.1-5.el8",
        "rpmvercmp: the longer release is newer",
    ),
];

/// Grype's version formats and the scheme each is read with; the others (jvm, portage,
/// bitnami) have no scheme here.
fn scheme_of(file: &str) -> Option<Scheme> {
    match file {
        "apk_version_test.go" => Some(Scheme::Apk),
        "deb_version_test.go" => Some(Scheme::Dpkg),
        "rpm_version_test.go" => Some(Scheme::Rpm),
        "maven_version_test.go" => Some(Scheme::Maven),
        "gem_version_test.go" => Some(Scheme::Gem),
        "semantic_version_test.go" => Some(Scheme::Generic),
        _ => None,
    }
}

#[test]
fn grype_constraint_cases() {
    let data = json(FILE);
    let cases = data["cases"].as_object().unwrap();
    let mut failures = Failures::default();
    let mut counts = Vec::new();

    for (file, rows) in cases {
        let rows = rows.as_array().unwrap();
        let Some(scheme) = scheme_of(file) else {
            counts.push((file.as_str(), rows.len(), 0, 0));
            continue;
        };
        let (mut passed, mut departures) = (0, 0);
        for row in rows {
            let field = |name: &str| {
                row[name]
                    .as_str()
                    .unwrap_or_else(|| panic!("{FILE}: {row}"))
            };
            let (version, constraint) = (field("version"), field("constraint"));
            let satisfied = row["satisfied"] == Value::Bool(true);
            // Grype strips the platform from gem versions (`1.2.0-x86_64-linux`) before
            // comparing; so does a cataloger, with `gem::split_platform`.
            let version = if scheme == Scheme::Gem {
                gem::split_platform(version).0
            } else {
                version
            };

            let departs = scheme == Scheme::Rpm
                && RPM_GRYPE_ONLY
                    .iter()
                    .any(|(v, c, _)| *v == version && *c == constraint);
            let result =
                Constraint::parse(scheme, constraint).and_then(|c| c.contains_str(version));
            match result {
                Ok(got) if got == satisfied && !departs => passed += 1,
                Ok(got) if got != satisfied && departs => departures += 1,
                other => {
                    let why = RPM_GRYPE_ONLY
                        .iter()
                        .find(|(v, c, _)| *v == version && *c == constraint);
                    let note = why.map_or("", |(_, _, reason)| reason);
                    failures.push(format!(
                        "{file}: {version} in {constraint:?}: {other:?} {note}"
                    ));
                }
            }
        }
        counts.push((file.as_str(), rows.len(), passed, departures));
    }

    failures.check(FILE);
    assert_eq!(
        counts,
        [
            ("apk_version_test.go", 34, 34, 0),
            ("bitnami_version_test.go", 43, 0, 0),
            ("deb_version_test.go", 75, 75, 0),
            ("gem_version_test.go", 27, 27, 0),
            ("jvm_version_test.go", 39, 0, 0),
            ("maven_version_test.go", 70, 70, 0),
            ("portage_version_test.go", 55, 0, 0),
            ("rpm_version_test.go", 52, 43, 9),
            ("semantic_version_test.go", 99, 99, 0),
        ]
    );
}
