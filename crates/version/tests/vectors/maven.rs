//! Maven's `ComparableVersionTest`.

use std::cmp::Ordering;

use plimsoll_version::maven::MavenVersion;
use serde_json::Value;

use super::common::{json, Failures};

const FILE: &str = "maven/ComparableVersionTest.json";

fn version(text: &str) -> MavenVersion {
    MavenVersion::parse(text).unwrap_or_else(|error| panic!("{error}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn comparable_version_test() {
    let data = json(FILE);
    let mut failures = Failures::default();
    let mut checked = 0;
    let mut expect = |a: &str, b: &str, expected: Ordering| {
        checked += 1;
        for (x, y, order) in [(a, b, expected), (b, a, expected.reverse())] {
            let got = version(x).cmp(&version(y));
            if got != order {
                failures.push(format!("{x} vs {y}: {got:?}, expected {order:?}"));
            }
        }
    };

    // As Maven's `checkVersionsOrder`: every earlier version is less than every later one.
    for key in ["VERSIONS_QUALIFIER_ascending", "VERSIONS_NUMBER_ascending"] {
        let ascending = strings(&data[key]);
        for (i, a) in ascending.iter().enumerate() {
            for b in &ascending[i + 1..] {
                expect(a, b, Ordering::Less);
            }
        }
    }
    // `same_order_not_equal_pairs` compare equal though their canonical text differs.
    for (key, order) in [
        ("equal_pairs", Ordering::Equal),
        ("less_than_pairs", Ordering::Less),
        ("same_order_not_equal_pairs", Ordering::Equal),
    ] {
        for pair in data[key].as_array().unwrap() {
            expect(pair[0].as_str().unwrap(), pair[1].as_str().unwrap(), order);
        }
    }

    failures.check(FILE);
    assert_eq!(checked, 22 * 21 / 2 + 24 * 23 / 2 + 31 + 24 + 11);
}
