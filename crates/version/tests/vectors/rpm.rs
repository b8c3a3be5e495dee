//! rpm's `rpmvercmp` table.

use plimsoll_version::rpm::{rpmvercmp, RpmVersion};

use super::common::{ordering, read, Failures};

#[test]
fn rpmvercmp_tsv() {
    let file = "rpm/rpmvercmp.tsv.txt";
    let mut failures = Failures::default();
    let mut rows = 0;

    for line in read(file).lines().filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [a, b, expected] = fields[..] else {
            panic!("{file}: bad row {line:?}")
        };
        let expected = ordering(expected.parse().unwrap());
        rows += 1;
        if rpmvercmp(a, b) != expected {
            failures.push(format!("{line}: rpmvercmp gave {:?}", rpmvercmp(a, b)));
        }
        // Without `:` or `-`, the whole EVR is one version field and must order the same.
        if !line.contains([':', '-']) {
            let order = RpmVersion::parse(a)
                .unwrap()
                .cmp(&RpmVersion::parse(b).unwrap());
            if order != expected {
                failures.push(format!("{line}: RpmVersion gave {order:?}"));
            }
        }
    }

    failures.check(file);
    assert_eq!(rows, 91);
}
