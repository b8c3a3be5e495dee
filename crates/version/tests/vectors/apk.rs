//! apk-tools' own version table: validity, and every operator.

use plimsoll_version::apk::{ApkRange, ApkVersion};

use super::common::{read, Failures};

/// Comparison rows naming a version apk-tools itself calls invalid. apk orders such versions by
/// a fallback; Plimsoll refuses them, so these rows must give an error instead.
const INVALID_OPERANDS: [&str; 4] = [
    // `1.0bc`: two letters in a row (apk-tools' own comment says "invalid").
    "1.0 < 1.0bc",
    // `_foo`: not a suffix apk knows.
    "23_foo > 4_beta",
    // `_post`: not a suffix apk knows (apk has `_p`).
    "3.6.9_post1 ~ 3.6",
    "3.6.9_post1 !~ 3.8",
];

#[test]
fn version_data() {
    let file = "apk/version.data";
    let mut failures = Failures::default();
    let (mut valid, mut invalid, mut comparisons, mut refused) = (0, 0, 0, 0);

    for raw in read(file).lines() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        match fields[..] {
            [version] => {
                let (expect_valid, version) = match version.strip_prefix('!') {
                    Some(version) => (false, version),
                    None => (true, version),
                };
                if expect_valid {
                    valid += 1
                } else {
                    invalid += 1
                }
                if ApkVersion::parse(version).is_ok() != expect_valid {
                    failures.push(format!("{line}: validity"));
                }
            }
            [left, op, right] => {
                comparisons += 1;
                let (negate, op) = match op.strip_prefix('!') {
                    Some(op) => (true, op),
                    None => (false, op),
                };
                let range = ApkRange::parse(&format!("{op}{right}"));
                let result = range.and_then(|range| Ok(range.contains(&ApkVersion::parse(left)?)));
                match result {
                    Ok(holds) if holds != negate && !INVALID_OPERANDS.contains(&line) => {}
                    Err(_) if INVALID_OPERANDS.contains(&line) => refused += 1,
                    other => failures.push(format!("{line}: got {other:?}")),
                }
            }
            _ => panic!("{file}: bad row {line:?}"),
        }
    }

    failures.check(file);
    assert_eq!(
        (valid, invalid, comparisons, refused),
        (6, 25, 754, INVALID_OPERANDS.len())
    );
}
