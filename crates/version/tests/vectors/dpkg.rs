//! dpkg's own comparison table.

use plimsoll_version::dpkg::DpkgVersion;

use super::common::{ordering, read, Failures};

#[test]
fn dpkg_version_t() {
    let file = "dpkg/Dpkg_Version.t.data.txt";
    let mut failures = Failures::default();
    let mut rows = 0;

    for line in read(file).lines().filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [a, b, expected] = fields[..] else {
            panic!("{file}: bad row {line:?}")
        };
        let expected = ordering(expected.parse().unwrap());
        rows += 1;
        match (DpkgVersion::parse(a), DpkgVersion::parse(b)) {
            (Ok(x), Ok(y)) if x.cmp(&y) == expected => {}
            result => failures.push(format!("{line}: got {result:?}")),
        }
    }

    failures.check(file);
    assert_eq!(rows, 43);
}
