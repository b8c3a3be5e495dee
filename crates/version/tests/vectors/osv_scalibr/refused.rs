//! The versions of osv-scalibr's tables that Plimsoll refuses, and the rows where Plimsoll
//! follows the ecosystem's tool where osv-scalibr does not.
//!
//! osv-scalibr orders versions its ecosystem's own tool refuses (by a fallback of its own, or by
//! an older tool's rules); Plimsoll makes them errors. Every row naming one of these versions
//! must give an error, and every error must come from one of them.

use super::Refusal;

pub const ALPINE: &[Refusal] = &[Refusal {
    reason: "invalid for apk-tools 3: a bare or repeated `-r`, dots without numbers, upper-case \
                 letters, a digit after the letter, unknown `_` suffixes, no leading number",
    versions: &[
        "1-r",
        "1-r-0",
        "1-r-1",
        "0.r1",
        "0..1..0",
        "0...1...0",
        "0...1...0.r1",
        "0...1...0r1",
        "0..8",
        "0.8.21.r2",
        "10.2.24.r0",
        "1.2.0A",
        "1.2.0D",
        "6.6.2p1",
        "1-ruff",
        "1-r0-1",
        "1-ruff2",
        "1-r0-ruff2",
        "1.2_blah",
        "1.2_csv2",
        ".1",
        ".2",
        "a",
        "c",
        "23_foo",
        "1.0bc",
    ],
}];

pub const ALPINE_GENERATED: &[Refusal] = &[Refusal {
    reason: "invalid for apk-tools 3: a digit after the letter (`5.1p1` rather than `5.1_p1`), \
                 which apk-tools 3 refuses though old secdb entries use it",
    versions: &[
        "5.1p1-r0",
        "1.7.4p6-r1",
        "1.8.1p1-r1",
        "1.8.28p1-r1",
        "1.8.31p1-r1",
        "1.9.4p2-r1",
        "1.9.5p1-r1",
        "1.9.5p2-r1",
        "5.7.1p1-r0",
        "5.7.1p1-r1",
        "5.7.1p1-r2",
        "5.7.2p1-r0",
        "5.7.3p1-r0",
        "5.7.3p1-r1",
        "5.7.3p2-r0",
        "5.7.3p2-r1",
        "5.9.2p1-r0",
        "5.9.2p1-r1",
        "5.9.2p1-r2",
        "5.9.2p1-r3",
        "6.0.2p1-r0",
        "6.0.2p1-r1",
        "6.0.2p1-r2",
        "6.0.2p1-r3",
        "6.0.2p1-r4",
        "6.0.2p1-r5",
        "6.0.2p1-r6",
        "6.0.2p1-r7",
        "6.0.2p1-r8",
        "6.0.3p1-r0",
        "6.0.3p1-r1",
        "6.0.3p1-r2",
        "6.0.3p1-r3",
        "6.0.3p1-r4",
        "6.4.2p1-r0",
        "6.4.2p1-r1",
        "6.4.2p1-r2",
        "6.6.1p1-r0",
        "6.6.1p1-r1",
        "6.6.1p1-r2",
        "6.6.1p1-r3",
        "6.6.2p1-r0",
        "6.6.2p1-r2",
        "6.6.3p1-r0",
        "6.6.3p1-r1",
        "6.6.4p1-r0",
        "3.3.3p1-r0",
        "3.3.3p1-r1",
        "3.3.3p1-r2",
        "3.3.3p1-r4",
    ],
}];

/// The rows of `pypi-versions.txt` whose versions are not PEP 440; the file's own comment calls
/// them "legacy versions" that a current `packaging` refuses.
const PYPI_LEGACY: &[&str] = &[
    "0.1-bulbasaur",
    "0.1-charmander",
    "0.9-doduo",
    "0.9-eevee",
    "0.9-fearow",
    "0.9-gyarados",
    "0.9-horsea",
    "0.9-ivysaur",
    "-class.-jw.util.version.version-pre",
    "-class.-jw.util.version.version-preview",
    "-class.-jw.util.version.version-dev",
];

pub const PYPI: &[Refusal] = &[Refusal {
    reason: "not PEP 440: `packaging` 22 and later refuse it (LegacyVersion is gone)",
    versions: PYPI_LEGACY,
}];

pub const PYPI_GENERATED: &[Refusal] = &[Refusal {
    reason: "not PEP 440: `packaging` 22 and later refuse it (LegacyVersion is gone)",
    versions: &[
        "0.1-bulbasaur",
        "0.1-charmander",
        "0.9-doduo",
        "0.9-eevee",
        "0.9-fearow",
        "0.9-gyarados",
        "0.9-horsea",
        "0.9-ivysaur",
        "2.0.1rc2-git",
        "0.7.1.fix1",
        "0.7.4.svn.r2010",
        "2013-01-21T20:33:09+0100",
        "2013-01-23T17:11:52+0100",
        "2013-02-01T20:50:46+0100",
        "2013-02-02T19:59:03+0100",
        "2013-02-02T20:23:17+0100",
        "2013-02-08T17:40:57+0000",
        "2013-03-27T16:32:26+0100",
        "2013-05-09T12:47:53+0200",
        "2013-05-10T17:55:56+0200",
        "2013-05-14T20:16:05+0200",
        "2013-06-01T10:32:51+0200",
        "2013-07-19T09:11:08+0000",
        "2013-08-12T21:48:56+0200",
        "2013-09-11T19-27-10",
        "2013-12-23T17-51-15",
        "2014-01-12T15-52-10",
        "0.0.1-test1",
        "0.7.10p1",
        "0.7.11p1",
        "0.7.11p2",
        "0.7.11p3",
        "0.8.1p1",
        "0.8.3p1",
        "0.8.4p1",
        "0.8.4p2",
        "0.8.6p1",
        "0.8.7p1",
        "-class.-jw.util.version.Version-",
        "trunk",
        "0.3m1",
        "0.3m2",
        "0.3m3",
        "0.3m4",
        "0.3m5",
        "0.4m1",
        "0.4m2",
        "0.4m3",
        "0.4m4",
        "0.4m5",
        "0.5m1",
        "0.5m2",
        "0.5m3",
        "0.5m4",
        "0.5m5",
        "0.6m1",
        "0.6m2",
        "0.6m3",
        "0.6m4",
        "0.6m5",
        "0.6m6",
        "1.3.1-STAGING",
        "4.11-final",
        "5.0-final",
        "a3",
        "2.0.0-final",
        "1.0beta6.1",
        "0.3.1-p1",
        "0.4.0-p1",
    ],
}];

pub const SEMVER: &[Refusal] = &[
    Refusal {
        reason: "node-semver refuses numbers above 2^53 - 1, and needs all three numbers",
        versions: &[
            "999999999999999999999999999991",
            concat!(
                "999999999999999999999999999991.999999999999999999999999999991.",
                "999999999999999999999999999991"
            ),
        ],
    },
    Refusal {
        reason: "not SemVer: five numbers",
        versions: &["1.1.3.4.5"],
    },
];

pub const NUGET: &[Refusal] = &[Refusal {
    reason: "NuGet.Versioning reads each number as a 32-bit `int` and refuses larger ones",
    versions: &[
        "999999999999999999999999999991",
        concat!(
            "999999999999999999999999999991.999999999999999999999999999991.",
            "999999999999999999999999999991"
        ),
    ],
}];

pub const RUBYGEMS: &[Refusal] = &[Refusal {
    reason: "not a RubyGems version: letters must follow a dot or a hyphen (`Gem::Version` \
             raises \"Malformed version number string\")",
    versions: &["1beta", "1gamma"],
}];

/// Rows where osv-scalibr follows the POM reference's "Version Order Specification", which
/// orders by separator (`.qualifier < -qualifier < -number < .number`), and Maven's own
/// `ComparableVersion`, which Plimsoll follows, does not. `maven-artifact` 3.8 and 3.9 give the
/// opposite order for each of these rows.
pub const MAVEN_SPEC_ONLY: &[&str] = &["1-1 = 1-ga-1"];

pub const MAVEN_GENERATED_SPEC_ONLY: &[&str] = &[
    "1.0.0-RC16 < 1.0.0.RC8-beta",
    "1.0.0-gradle-rework-beta3 < 1.0.0.RC7-3",
    "2.9.0-1 < 2.9.0.RC1",
    "6.1.12.rc5 < 6.1.12rc1",
    "1.1.31.sec10 < 1.1.31_noneautotype",
    "1.1.34.sec10 < 1.1.34_noneautotype",
    "1.1.46.sec10 < 1.1.46_noneautotype",
    "1.2.8.sec10_noneautotype < 1.2.8_noneautotype",
    "1.2.31.sec10 < 1.2.31_noneautotype",
    "1.2.48.sec10 < 1.2.48_noneautotype",
    "1.2.50.sec10 < 1.2.50_noneautotype",
    "1.2.54.sec10 < 1.2.54_noneautotype",
    "1.2.57.sec10 < 1.2.57_noneautotype",
    "1.2.60.sec10 < 1.2.60_noneautotype",
    "1.2.67.sec10 < 1.2.67_noneautotype",
    "1.0.0rc0 < 1.0.beta8",
    "1.5.9.RC1 < 1.5.9-RC0",
    "1.1.0-01-glassfish < 1.1.0.Beta1",
];
