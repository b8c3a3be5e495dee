//! Properties every scheme must keep on any input: reading never panics, and the order of the
//! versions it accepts is a total order (reflexive, antisymmetric, transitive), which Rust's
//! sorting relies on.

use std::cmp::Ordering;

use plimsoll_version::{Constraint, Scheme, Version};

/// A small deterministic generator, so a failure reproduces.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Pieces that versions and constraints are made of, and some they should never hold.
const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "9",
    "10",
    "01",
    "00",
    "123456789012345678901234567890",
    ".",
    ".",
    ".",
    "-",
    "_",
    "~",
    "^",
    "+",
    ":",
    "!",
    "a",
    "b",
    "c",
    "rc",
    "alpha",
    "beta",
    "pre",
    "post",
    "dev",
    "p",
    "r",
    "-r",
    "_p",
    "_rc",
    "sp",
    "ga",
    "final",
    "snapshot",
    "x",
    "*",
    "v",
    "A",
    "Z",
    " ",
    "é",
    "\u{0}",
    "[",
    "]",
    "(",
    ")",
    ",",
    "<",
    ">",
    "=",
    "~>",
    "||",
    "ubuntu",
    "el9",
    "git",
];

fn random_text(rng: &mut Xorshift) -> String {
    let length = rng.below(9);
    (0..length)
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

/// Mostly well-formed versions, so that the order is exercised on many valid ones.
fn random_version(rng: &mut Xorshift) -> String {
    const NUMBERS: &[&str] = &["0", "1", "2", "10", "01", "3"];
    const SUFFIXES: &[&str] = &[
        "",
        "a1",
        "b2",
        "rc1",
        "-rc.1",
        "-alpha",
        "-1",
        "_p1",
        "_rc2",
        "-r1",
        "~1",
        "^1",
        ".post1",
        ".dev0",
        "-SNAPSHOT",
        "-sp1",
        ".Final",
        "-ga",
        "+build",
        "c",
        "-beta.2",
        "~rc1",
        "-0",
        ".a",
        "-x",
        "b",
    ];
    let parts = 1 + rng.below(4);
    let numbers: Vec<&str> = (0..parts)
        .map(|_| NUMBERS[rng.below(NUMBERS.len())])
        .collect();
    let mut version = numbers.join(".");
    for _ in 0..rng.below(3) {
        version.push_str(SUFFIXES[rng.below(SUFFIXES.len())]);
    }
    version
}

#[test]
fn reading_never_panics() {
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let text = random_text(&mut rng);
        for scheme in Scheme::ALL {
            let version = Version::parse(scheme, &text);
            if let Ok(constraint) = Constraint::parse(scheme, &text) {
                if let Ok(version) = &version {
                    let _ = constraint.contains(version);
                }
                let _ = constraint.to_string();
            }
        }
    }
}

#[test]
fn orders_are_total() {
    let mut rng = Xorshift(0x2545_F491_4F6C_DD1D);
    for scheme in Scheme::ALL {
        let mut versions: Vec<(String, Version)> = Vec::new();
        while versions.len() < 300 {
            let text = random_version(&mut rng);
            if let Ok(version) = Version::parse(scheme, &text) {
                versions.push((text, version));
            }
        }

        for (a_text, a) in &versions {
            assert_eq!(a.cmp(a), Ordering::Equal, "{scheme}: {a_text} vs itself");
            for (b_text, b) in &versions {
                let (ab, ba) = (a.cmp(b), b.cmp(a));
                assert_eq!(ab, ba.reverse(), "{scheme}: {a_text} vs {b_text}");
            }
        }

        // Transitivity, on every sorted neighbourhood and on random triples.
        let mut sorted: Vec<&(String, Version)> = versions.iter().collect();
        sorted.sort_by(|x, y| x.1.cmp(&y.1));
        for window in sorted.windows(2) {
            assert!(
                window[0].1 <= window[1].1,
                "{scheme}: {} !<= {}",
                window[0].0,
                window[1].0
            );
        }
        for _ in 0..20_000 {
            let a = &versions[rng.below(versions.len())];
            let b = &versions[rng.below(versions.len())];
            let c = &versions[rng.below(versions.len())];
            if a.1 <= b.1 && b.1 <= c.1 {
                assert!(
                    a.1 <= c.1,
                    "{scheme}: {} <= {} <= {} but not {0} <= {2}",
                    a.0,
                    b.0,
                    c.0
                );
            }
        }
    }
}
