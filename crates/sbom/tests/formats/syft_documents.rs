//! Syft 1.18.1's own CycloneDX and SPDX documents (`tests/fixtures/syft-1.18.1/`) decode to
//! the packages of the golden they were converted from.

use plimsoll_model::{Sbom, SourceKind};

use super::support::{dependency_edges, facts, golden, tests_dir};

const DOCUMENTS: [&str; 4] = ["cyclonedx.json", "cyclonedx.xml", "spdx.json", "spdx"];

fn fixture(case: &str, kind: &str) -> Sbom {
    let path = tests_dir(&format!("fixtures/syft-1.18.1/{case}.{kind}"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    plimsoll_sbom::decode(&bytes).unwrap_or_else(|e| panic!("{case}.{kind}: {e}"))
}

#[test]
fn packages_equal_the_goldens() {
    for case in ["apk-alpine-distro", "img-wh-img-squashed"] {
        let expected = golden(case);
        for kind in DOCUMENTS {
            let decoded = fixture(case, kind);
            assert_eq!(facts(&decoded), facts(&expected), "{case}.{kind}");
            assert_eq!(
                dependency_edges(&decoded),
                dependency_edges(&expected),
                "{case}.{kind}"
            );
            let distro = decoded.distro.as_ref().expect("a distro");
            let golden_distro = expected.distro.as_ref().expect("a distro");
            assert_eq!(
                (&distro.id, &distro.version_id),
                (&golden_distro.id, &golden_distro.version_id),
                "{case}.{kind}"
            );
            assert_eq!(decoded.source.name, expected.source.name, "{case}.{kind}");
        }
    }
}

#[test]
fn cyclonedx_keeps_syft_properties() {
    let expected = golden("apk-alpine-distro");
    for kind in ["cyclonedx.json", "cyclonedx.xml"] {
        let decoded = fixture("apk-alpine-distro", kind);
        for (got, want) in decoded.packages.iter().zip(&expected.packages) {
            assert_eq!(got.found_by, want.found_by, "{kind}");
            let paths = |p: &plimsoll_model::Package| {
                p.locations
                    .iter()
                    .map(|l| l.path.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(paths(got), paths(want), "{kind}");
            let (
                plimsoll_model::PackageMetadata::Apk(got),
                plimsoll_model::PackageMetadata::Apk(want),
            ) = (&got.metadata, &want.metadata)
            else {
                panic!("{kind}: apk metadata expected");
            };
            assert_eq!(got.origin_package, want.origin_package);
            assert_eq!(got.maintainer, want.maintainer);
            assert_eq!(got.pull_dependencies, want.pull_dependencies);
            assert_eq!(got.provides, want.provides);
            assert_eq!(got.url, want.url);
            assert_eq!(got.architecture, want.architecture);
        }
        let distro = decoded.distro.expect("a distro");
        assert_eq!(distro.pretty_name, "Alpine Linux v3.11");
        assert_eq!(distro.home_url, "https://alpinelinux.org/");
    }
}

#[test]
fn image_sources_keep_their_digest() {
    for kind in DOCUMENTS {
        let decoded = fixture("img-wh-img-squashed", kind);
        assert_eq!(
            decoded.source.id, "c1362d83b48e10301ec39075fe6267e9a29552d50ba6641c7f1b79d01ff97a14",
            "{kind}"
        );
        let SourceKind::Image(image) = &decoded.source.kind else {
            panic!("{kind}: an image source expected");
        };
        assert_eq!(
            image.manifest_digest,
            "sha256:c1362d83b48e10301ec39075fe6267e9a29552d50ba6641c7f1b79d01ff97a14"
        );
    }
    let spdx = fixture("img-wh-img-squashed", "spdx.json");
    let paths: Vec<&str> = spdx.packages[0]
        .locations
        .iter()
        .map(|l| l.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "/var/lib/dpkg/info/python3-yaml.md5sums",
            "/var/lib/dpkg/status"
        ]
    );
}
