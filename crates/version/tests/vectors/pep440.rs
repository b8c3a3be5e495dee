//! `packaging`'s version tests: order, validity, normal form and the version's parts.

use std::cmp::Ordering;

use plimsoll_version::pep440::Pep440Version;
use serde_json::Value;

use super::common::{json, Failures};

const FILE: &str = "pep440/packaging_test_version.json";

fn version(text: &str) -> Pep440Version {
    Pep440Version::parse(text).unwrap_or_else(|error| panic!("{error}"))
}

fn table(data: &Value, key: &str) -> Vec<(String, Value)> {
    data[key]
        .as_array()
        .unwrap_or_else(|| panic!("{FILE}: no {key}"))
        .iter()
        .map(|row| (row[0].as_str().unwrap().to_owned(), row[1].clone()))
        .collect()
}

#[test]
fn sorted_versions_every_pair() {
    let data = json(FILE);
    let sorted: Vec<&str> = data["sorted_versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let parsed: Vec<Pep440Version> = sorted.iter().map(|text| version(text)).collect();
    let mut failures = Failures::default();

    for (i, a) in parsed.iter().enumerate() {
        for (j, b) in parsed.iter().enumerate() {
            if a.cmp(b) != i.cmp(&j) {
                failures.push(format!("{} vs {}: {:?}", sorted[i], sorted[j], a.cmp(b)));
            }
        }
    }
    failures.check(FILE);
    assert_eq!(sorted.len(), 92);
}

#[test]
fn invalid_and_normalized() {
    let data = json(FILE);
    let mut failures = Failures::default();

    let invalid = data["test_invalid_versions"].as_array().unwrap();
    for text in invalid.iter().map(|v| v.as_str().unwrap()) {
        if Pep440Version::parse(text).is_ok() {
            failures.push(format!("{text:?} should be invalid"));
        }
    }
    let normalized = table(&data, "test_normalized_versions");
    for (text, expected) in &normalized {
        let got = Pep440Version::parse(text).map(|v| v.to_string());
        if got.as_deref() != Ok(expected.as_str().unwrap()) {
            failures.push(format!("{text:?}: {got:?}, expected {expected}"));
        }
    }
    failures.check(FILE);
    assert_eq!((invalid.len(), normalized.len()), (20, 102));
}

#[test]
fn parts() {
    let data = json(FILE);
    let mut failures = Failures::default();
    let mut rows = 0;
    let mut check = |key: &str, part: &dyn Fn(&Pep440Version) -> Value| {
        for (text, expected) in table(&data, key) {
            rows += 1;
            let got = part(&version(&text));
            if got != expected {
                failures.push(format!("{key} {text}: {got}, expected {expected}"));
            }
        }
    };
    let number = |text: &str| Value::from(text.parse::<u64>().unwrap());

    check("test_version_public", &|v| {
        Value::from(v.public().to_string())
    });
    check("test_version_base_version", &|v| {
        Value::from(v.base().to_string())
    });
    check("test_version_epoch", &|v| number(v.epoch()));
    check("test_version_local", &|v| {
        v.local().map_or(Value::Null, Value::from)
    });
    check("test_version_pre", &|v| {
        v.pre().map_or(Value::Null, |(kind, n)| {
            serde_json::json!([kind.as_str(), number(n)])
        })
    });
    check("test_version_post", &|v| {
        v.post().map_or(Value::Null, number)
    });
    check("test_version_dev", &|v| v.dev().map_or(Value::Null, number));
    check("test_version_is_prerelease", &|v| {
        Value::from(v.is_prerelease())
    });

    failures.check(FILE);
    assert_eq!(rows, 7 * 29 + 22);
    assert_eq!(version("1.0").cmp(&version("1.0.0")), Ordering::Equal);
}
