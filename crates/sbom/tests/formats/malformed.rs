//! Malformed documents are refused with an error that says what is wrong; none panics.

use plimsoll_sbom::{decode, DecodeError};

use super::support::{shared, tests_dir};

fn read(path: std::path::PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn error(bytes: &[u8]) -> DecodeError {
    match decode(bytes) {
        Ok(sbom) => panic!(
            "decoded {} packages from a malformed document",
            sbom.packages.len()
        ),
        Err(error) => error,
    }
}

#[test]
fn malformed_json_is_refused() {
    let cases: [(&str, &str); 6] = [
        ("{", "malformed JSON document at `.`: EOF while parsing"),
        ("{\"artifacts\": [}", "malformed JSON document"),
        ("{\"artifacts\": {}}", "malformed syft-json document at `artifacts`"),
        (
            "{\"artifacts\": [{\"name\": \"a\", \"metadataType\": \"rpm-db-entry\", \"metadata\": {\"size\": \"big\"}}]}",
            "malformed syft-json document at `artifacts[0].metadata.size`",
        ),
        (
            "{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"externalRefs\": 3}]}",
            "malformed SPDX JSON document at `packages[0].externalRefs`",
        ),
        (
            "{\"bomFormat\": \"CycloneDX\", \"dependencies\": [{\"ref\": \"a\", \"dependsOn\": \"b\"}]}",
            "malformed CycloneDX JSON document at `dependencies[0].dependsOn`",
        ),
    ];
    for (text, expected) in cases {
        let message = error(text.as_bytes()).to_string();
        assert!(message.starts_with(expected), "{text}: {message}");
    }
}

#[test]
fn a_wrong_bom_format_is_refused() {
    let fixture = read(tests_dir(
        "fixtures/syft-1.18.1/img-wh-img-squashed.cyclonedx.json",
    ));
    let text = String::from_utf8(fixture).unwrap();
    let wrong = text.replacen(
        "\"bomFormat\":\"CycloneDX\"",
        "\"bomFormat\":\"CycloneDx\"",
        1,
    );
    assert_ne!(wrong, text);
    assert!(matches!(
        error(wrong.as_bytes()),
        DecodeError::WrongBomFormat { found } if found == "CycloneDx"
    ));
}

/// Every proper prefix of a JSON or XML document is an error; tag-value, having no closing
/// mark, is only required not to panic (and to refuse lines cut short).
#[test]
fn truncated_documents_are_refused() {
    let documents = [
        shared("conformance/syft/golden/apk-alpine-distro.json"),
        tests_dir("fixtures/syft-1.18.1/apk-alpine-distro.cyclonedx.json"),
        tests_dir("fixtures/syft-1.18.1/apk-alpine-distro.cyclonedx.xml"),
        tests_dir("fixtures/syft-1.18.1/apk-alpine-distro.spdx.json"),
    ];
    for path in documents {
        let bytes = read(path.clone());
        let end = bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .unwrap();
        // Cut points spread over the whole document, plus the last byte.
        for cut in (1..end).step_by(61).chain([end]) {
            let result = decode(&bytes[..cut]);
            assert!(result.is_err(), "{} cut at {cut} decoded", path.display());
        }
    }

    let tag_value = read(tests_dir("fixtures/syft-1.18.1/apk-alpine-distro.spdx"));
    for cut in (1..tag_value.len()).step_by(37) {
        let _ = decode(&tag_value[..cut]);
    }
    let text = String::from_utf8(tag_value).unwrap();
    let relationship = text.find("Relationship: ").unwrap();
    let cut = &text[..relationship + "Relationship: SPDXRef-Package-apk-musl".len()];
    assert!(matches!(
        error(cut.as_bytes()),
        DecodeError::TagValue { .. }
    ));
}

/// Documents with bytes overwritten, deleted or duplicated at pseudo-random places decode or
/// fail, but never panic.
#[test]
fn mutated_documents_never_panic() {
    let fixture = |name: &str| tests_dir(&format!("fixtures/syft-1.18.1/{name}"));
    let documents = [
        shared("conformance/syft/golden/img-wh-img-squashed.json"),
        fixture("apk-alpine-distro.cyclonedx.json"),
        fixture("apk-alpine-distro.cyclonedx.xml"),
        fixture("apk-alpine-distro.spdx.json"),
        fixture("apk-alpine-distro.spdx"),
        fixture("img-wh-img-squashed.cyclonedx.xml"),
    ];
    // A fixed linear congruential sequence, so that a failure can be replayed.
    let mut state: u64 = 0x5eed;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    let noise = b"<>{}[]\":,&;#@%/\n\0\xff ";
    for path in documents {
        let original = read(path);
        for _ in 0..150 {
            let mut bytes = original.clone();
            for _ in 0..1 + next(4) {
                let at = next(bytes.len());
                match next(3) {
                    0 => bytes[at] = noise[next(noise.len())],
                    1 => {
                        bytes.remove(at);
                    }
                    _ => {
                        let end = (at + next(64)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                }
            }
            let _ = decode(&bytes);
        }
    }
}

#[test]
fn other_input_is_refused() {
    let cases: [&[u8]; 7] = [
        b"",
        b"   \n",
        b"\x89PNG\r\n\x1a\n",
        b"[1, 2, 3]",
        b"null",
        b"<?xml version=\"1.0\"?><html/>",
        b"SPDXVersion: SPDX-3.0\n",
    ];
    for bytes in cases {
        let _ = error(bytes);
    }
}
