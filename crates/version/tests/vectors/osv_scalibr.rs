//! osv-scalibr's comparison tables, hand-written and generated from real OSV data.

mod refused;

use std::collections::BTreeSet;

use plimsoll_version::Scheme;

use super::common::{ordering_of, read, Failures};

/// Versions of a table that Plimsoll refuses, and why.
pub struct Refusal {
    pub reason: &'static str,
    pub versions: &'static [&'static str],
}

/// A table and what is expected of it.
struct Table {
    file: &'static str,
    scheme: Scheme,
    /// Rows in the table, comments and blank lines left out.
    rows: usize,
    /// Rows naming a refused version, which must give an error.
    refused_rows: usize,
    refused: &'static [Refusal],
    /// Rows where Plimsoll gives another order, each explained in [`refused`].
    disagreeing: &'static [&'static str],
}

fn check(table: &Table) {
    let refused: BTreeSet<&str> = table
        .refused
        .iter()
        .flat_map(|refusal| refusal.versions.iter().copied())
        .collect();
    let mut failures = Failures::default();
    let (mut rows, mut refused_rows, mut disagreeing) = (0, 0, 0);
    let mut seen_refused = BTreeSet::new();

    let text = read(&format!("osv-scalibr/{}", table.file));
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [a, op, b] = fields[..] else {
            panic!("{}: bad row {line:?}", table.file)
        };
        let expected =
            ordering_of(op).unwrap_or_else(|| panic!("{}: bad operator in {line:?}", table.file));
        rows += 1;

        let names_refused = refused.contains(a) || refused.contains(b);
        let disagrees = table.disagreeing.contains(&line);
        match (table.scheme.compare(a, b), table.scheme.compare(b, a)) {
            (Err(_), Err(_)) if names_refused => {
                refused_rows += 1;
                seen_refused.extend([a, b].into_iter().filter(|v| refused.contains(v)));
            }
            (Ok(order), Ok(reverse)) if !names_refused => {
                let agrees = order == expected && reverse == expected.reverse();
                match (agrees, disagrees) {
                    (true, false) => {}
                    (false, true) => disagreeing += 1,
                    _ => failures.push(format!("{line}: {order:?}")),
                }
            }
            other => {
                let why = table
                    .refused
                    .iter()
                    .find(|r| r.versions.contains(&a) || r.versions.contains(&b));
                let expected = why.map_or("an order", |refusal| refusal.reason);
                failures.push(format!("{line}: {other:?}, expected {expected}"));
            }
        }
    }

    for unused in refused.difference(&seen_refused) {
        failures.push(format!("listed as refused but not in the table: {unused}"));
    }
    failures.check(table.file);
    let expected = (table.rows, table.refused_rows, table.disagreeing.len());
    assert_eq!(
        (rows, refused_rows, disagreeing),
        expected,
        "{}",
        table.file
    );
}

#[test]
fn debian() {
    check(&Table {
        file: "debian-versions.txt",
        scheme: Scheme::Dpkg,
        rows: 30,
        refused_rows: 0,
        refused: &[],
        disagreeing: &[],
    });
}

#[test]
fn debian_generated() {
    check(&Table {
        file: "debian-versions-generated.txt",
        scheme: Scheme::Dpkg,
        rows: 14442,
        refused_rows: 0,
        refused: &[],
        disagreeing: &[],
    });
}

#[test]
fn alpine() {
    check(&Table {
        file: "alpine-versions.txt",
        scheme: Scheme::Apk,
        rows: 778,
        refused_rows: 37,
        refused: refused::ALPINE,
        disagreeing: &[],
    });
}

#[test]
fn alpine_generated() {
    check(&Table {
        file: "alpine-versions-generated.txt",
        scheme: Scheme::Apk,
        rows: 13979,
        refused_rows: 58,
        refused: refused::ALPINE_GENERATED,
        disagreeing: &[],
    });
}

#[test]
fn maven() {
    check(&Table {
        file: "maven-versions.txt",
        scheme: Scheme::Maven,
        rows: 102,
        refused_rows: 0,
        refused: &[],
        disagreeing: refused::MAVEN_SPEC_ONLY,
    });
}

#[test]
fn maven_generated() {
    check(&Table {
        file: "maven-versions-generated.txt",
        scheme: Scheme::Maven,
        rows: 14752,
        refused_rows: 0,
        refused: &[],
        disagreeing: refused::MAVEN_GENERATED_SPEC_ONLY,
    });
}

#[test]
fn pypi() {
    check(&Table {
        file: "pypi-versions.txt",
        scheme: Scheme::Pep440,
        rows: 37,
        refused_rows: 11,
        refused: refused::PYPI,
        disagreeing: &[],
    });
}

#[test]
fn pypi_generated() {
    check(&Table {
        file: "pypi-versions-generated.txt",
        scheme: Scheme::Pep440,
        rows: 12375,
        refused_rows: 69,
        refused: refused::PYPI_GENERATED,
        disagreeing: &[],
    });
}

#[test]
fn redhat() {
    check(&Table {
        file: "redhat-versions.txt",
        scheme: Scheme::Rpm,
        rows: 165,
        refused_rows: 0,
        refused: &[],
        disagreeing: &[],
    });
}

#[test]
fn semver() {
    check(&Table {
        file: "semver-versions.txt",
        scheme: Scheme::Semver,
        rows: 86,
        refused_rows: 3,
        refused: refused::SEMVER,
        disagreeing: &[],
    });
}

#[test]
fn nuget() {
    check(&Table {
        file: "nuget-versions.txt",
        scheme: Scheme::NuGet,
        rows: 35,
        refused_rows: 2,
        refused: refused::NUGET,
        disagreeing: &[],
    });
}

#[test]
fn rubygems() {
    check(&Table {
        file: "rubygems-versions.txt",
        scheme: Scheme::Gem,
        rows: 25,
        refused_rows: 2,
        refused: refused::RUBYGEMS,
        disagreeing: &[],
    });
}

#[test]
fn rubygems_generated() {
    check(&Table {
        file: "rubygems-versions-generated.txt",
        scheme: Scheme::Gem,
        rows: 4098,
        refused_rows: 0,
        refused: &[],
        disagreeing: &[],
    });
}
