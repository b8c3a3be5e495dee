//! node-semver's fixtures: comparisons, equality, valid and invalid versions, range inclusion
//! and exclusion, and versions above or below ranges. Options (`loose`, `includePrerelease`)
//! are honoured, read with JavaScript's truthiness as node-semver reads them.

use std::cmp::Ordering;

use plimsoll_version::semver::{NpmOptions, NpmRange, SemverVersion};
use serde_json::Value;

use super::common::{json, Failures};

/// node-semver's `parseOptions`: no options; a non-object truthy value means loose; an object
/// gives its fields.
fn options(value: Option<&Value>) -> NpmOptions {
    let truthy = |value: &Value| match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64() != Some(0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    };
    match value {
        None | Some(Value::Null) => NpmOptions::default(),
        Some(Value::Object(fields)) => NpmOptions {
            loose: fields.get("loose").is_some_and(truthy),
            include_prerelease: fields.get("includePrerelease").is_some_and(truthy),
        },
        Some(other) => NpmOptions {
            loose: truthy(other),
            include_prerelease: false,
        },
    }
}

fn rows(file: &str) -> Vec<Vec<Value>> {
    json(file)
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_array().unwrap().clone())
        .collect()
}

fn parse(text: &str, options: NpmOptions) -> SemverVersion {
    SemverVersion::parse_with(text, options.loose).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn comparisons_and_equality() {
    let mut failures = Failures::default();
    let comparisons = rows("semver-npm/comparisons.json");
    for row in &comparisons {
        let options = options(row.get(2));
        let (greater, less) = (row[0].as_str().unwrap(), row[1].as_str().unwrap());
        let (a, b) = (parse(greater, options), parse(less, options));
        if a.cmp(&b) != Ordering::Greater || b.cmp(&a) != Ordering::Less {
            failures.push(format!("{greater} > {less}"));
        }
    }
    let equality = rows("semver-npm/equality.json");
    for row in &equality {
        let options = options(row.get(2));
        let (a, b) = (row[0].as_str().unwrap(), row[1].as_str().unwrap());
        if parse(a, options) != parse(b, options) {
            failures.push(format!("{a} = {b}"));
        }
    }
    failures.check("semver-npm comparisons/equality");
    assert_eq!((comparisons.len(), equality.len()), (31, 37));
}

#[test]
fn valid_and_invalid_versions() {
    let mut failures = Failures::default();
    let valid = rows("semver-npm/valid-versions.json");
    for row in &valid {
        let text = row[0].as_str().unwrap();
        let version = parse(text, NpmOptions::default());
        let prerelease: Vec<Value> = version
            .prerelease()
            .iter()
            .map(|id| match id {
                plimsoll_version::semver::Identifier::Numeric(n) => {
                    Value::from(n.to_u64().unwrap())
                }
                plimsoll_version::semver::Identifier::Alphanumeric(s) => Value::from(&**s),
            })
            .collect();
        let build: Vec<Value> = version.build().map(Value::from).collect();
        let got = vec![
            row[0].clone(),
            Value::from(version.major()),
            Value::from(version.minor()),
            Value::from(version.patch()),
            Value::from(prerelease),
            Value::from(build),
        ];
        if &got != row {
            failures.push(format!("{text}: {got:?}"));
        }
    }

    let invalid = rows("semver-npm/invalid-versions.json");
    let mut not_strings = 0;
    for row in &invalid {
        // One fixture passes an object, which a Rust `&str` cannot be.
        let Some(text) = row[0].as_str() else {
            not_strings += 1;
            continue;
        };
        if SemverVersion::parse_with(text, options(row.get(2)).loose).is_ok() {
            failures.push(format!("{text:?} should be invalid"));
        }
    }
    failures.check("semver-npm valid/invalid");
    assert_eq!((valid.len(), invalid.len(), not_strings), (22, 10, 1));
}

/// Exclusion rows where the range or the version is not valid: node-semver's `satisfies`
/// answers `false`, Plimsoll answers with an error.
const EXCLUDED_BY_ERROR: [&str; 4] = [
    // Not a version.
    "* | not a version",
    "  >=2 | glorp",
    // Not a string at all (`false`).
    ">=2 | false",
    // `foo` is not a comparator; node-semver's loose mode drops it silently, Plimsoll refuses
    // the range.
    "== 1.0.0 || foo | 2.0.0",
];

fn test_range(range: &str, version: &Value, options: NpmOptions) -> Result<bool, String> {
    let range = NpmRange::parse_with(range, options).map_err(|error| error.to_string())?;
    let text = version.as_str().ok_or("not a string")?;
    let version =
        SemverVersion::parse_with(text, options.loose).map_err(|error| error.to_string())?;
    Ok(range.contains(&version))
}

#[test]
fn range_include_and_exclude() {
    let mut failures = Failures::default();
    let include = rows("semver-npm/range-include.json");
    for row in &include {
        let range = row[0].as_str().unwrap();
        let result = test_range(range, &row[1], options(row.get(2)));
        if result != Ok(true) {
            failures.push(format!("{range} should include {}: {result:?}", row[1]));
        }
    }

    let exclude = rows("semver-npm/range-exclude.json");
    let mut by_error = 0;
    for row in &exclude {
        let range = row[0].as_str().unwrap();
        let key = format!("{range} | {}", row[1].as_str().unwrap_or("false"));
        let listed = EXCLUDED_BY_ERROR.iter().any(|listed| listed.trim() == key);
        match test_range(range, &row[1], options(row.get(2))) {
            Ok(false) if !listed => {}
            Err(_) if listed => by_error += 1,
            other => failures.push(format!("{key}: {other:?}")),
        }
    }
    failures.check("semver-npm range include/exclude");
    assert_eq!(
        (include.len(), exclude.len(), by_error),
        (126, 98, EXCLUDED_BY_ERROR.len())
    );
}

#[test]
fn versions_outside_ranges() {
    let mut failures = Failures::default();
    let mut counts = Vec::new();
    for (file, above, expected) in [
        ("semver-npm/version-gt-range.json", true, true),
        ("semver-npm/version-not-gt-range.json", true, false),
        ("semver-npm/version-lt-range.json", false, true),
        ("semver-npm/version-not-lt-range.json", false, false),
    ] {
        let table = rows(file);
        counts.push(table.len());
        for row in &table {
            let options = options(row.get(2));
            let text = row[0].as_str().unwrap();
            let range =
                NpmRange::parse_with(text, options).unwrap_or_else(|error| panic!("{error}"));
            let version = parse(row[1].as_str().unwrap(), options);
            let got = if above {
                range.is_above(&version)
            } else {
                range.is_below(&version)
            };
            if got != expected {
                failures.push(format!("{file}: {text} / {}: {got}", row[1]));
            }
        }
    }
    failures.check("semver-npm outside");
    assert_eq!(counts, [56, 80, 58, 83]);
}
