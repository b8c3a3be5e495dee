//! Byte-for-byte comparisons with Syft 1.18.1's own documents for the same goldens
//! (`tests/fixtures/syft-1.18.1/`). Syft's text is edited only where Plimsoll differs by
//! design: the timestamp and UUID, the tool and organisation names, the SPDX namespace host,
//! package IDs (Syft hashes Go structures; the model hashes its own identity), the subject
//! `bom-ref`, and SPDX files, which Plimsoll does not write.

use std::path::PathBuf;

use serde_json::Value;

use crate::stamp::Stamp;
use crate::{cyclonedx, spdx};

const CASES: [&str; 2] = ["img-wh-img-squashed", "apk-alpine-distro"];
const TOOL_VERSION: &str = "1.18.1";

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn golden(case: &str) -> String {
    read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../../shared/conformance/syft/golden/{case}.json"
    )))
}

fn syft(case: &str, kind: &str) -> String {
    read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/syft-1.18.1/{case}.{kind}")),
    )
}

/// Replaces the text that starts after `marker` and runs for `length` bytes.
fn replace_after(text: &str, marker: &str, length: usize, with: &str) -> String {
    let start = text.find(marker).unwrap_or_else(|| panic!("no `{marker}`")) + marker.len();
    format!("{}{with}{}", &text[..start], &text[start + length..])
}

/// Syft's package IDs paired with the model's, package by package (both lists are in Syft's
/// order).
fn id_pairs(golden_text: &str) -> Vec<(String, String)> {
    let document: Value = serde_json::from_str(golden_text).unwrap();
    let sbom = crate::decode(golden_text.as_bytes()).unwrap();
    let artifacts = document["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), sbom.packages.len());
    artifacts
        .iter()
        .zip(&sbom.packages)
        .map(|(artifact, package)| {
            assert_eq!(artifact["name"], package.name.as_str());
            (artifact["id"].as_str().unwrap().to_string(), package.id())
        })
        .collect()
}

fn with_plimsoll_ids(mut text: String, golden_text: &str) -> String {
    for (syft_id, model_id) in id_pairs(golden_text) {
        text = text.replace(&syft_id, &model_id);
    }
    text
}

#[test]
fn cyclonedx_json_matches_syft() {
    let stamp = Stamp::fixed();
    for case in CASES {
        let golden_text = golden(case);
        let sbom = crate::decode(golden_text.as_bytes()).unwrap();
        let ours = cyclonedx::encode_json_stamped(&sbom, TOOL_VERSION, &stamp);
        let ours_document: Value = serde_json::from_str(&ours).unwrap();
        let subject = ours_document["metadata"]["component"]["bom-ref"]
            .as_str()
            .unwrap();

        let mut expected = syft(case, "cyclonedx.json");
        expected = replace_after(&expected, "\"serialNumber\":\"urn:uuid:", 36, &stamp.uuid);
        expected = replace_after(&expected, "\"timestamp\":\"", 20, &stamp.timestamp);
        expected = expected.replace(
            "\"author\":\"anchore\",\"name\":\"syft\"",
            "\"author\":\"plimsoll\",\"name\":\"plimsoll\"",
        );
        expected = replace_after(&expected, "\"component\":{\"bom-ref\":\"", 16, subject);
        expected = with_plimsoll_ids(expected, &golden_text);
        assert_eq!(ours, expected, "{case}");
    }
}

#[test]
fn cyclonedx_xml_matches_syft() {
    let stamp = Stamp::fixed();
    for case in CASES {
        let golden_text = golden(case);
        let sbom = crate::decode(golden_text.as_bytes()).unwrap();
        let ours = cyclonedx::encode_xml_stamped(&sbom, TOOL_VERSION, &stamp);
        let marker = "</tools><component bom-ref=\"";
        let subject_at = ours.find(marker).unwrap() + marker.len();
        let subject = &ours[subject_at..subject_at + 16];

        let mut expected = syft(case, "cyclonedx.xml");
        expected = replace_after(&expected, "serialNumber=\"urn:uuid:", 36, &stamp.uuid);
        expected = replace_after(&expected, "<timestamp>", 20, &stamp.timestamp);
        expected = expected.replace(
            "<author>anchore</author><name>syft</name>",
            "<author>plimsoll</author><name>plimsoll</name>",
        );
        expected = replace_after(&expected, marker, 16, subject);
        expected = with_plimsoll_ids(expected, &golden_text);
        assert_eq!(ours, expected, "{case}");
    }
}

#[test]
fn spdx_json_matches_syft_without_files() {
    let stamp = Stamp::fixed();
    for case in CASES {
        let golden_text = golden(case);
        let sbom = crate::decode(golden_text.as_bytes()).unwrap();
        let ours = spdx::encode_json_stamped(&sbom, TOOL_VERSION, &stamp);
        let ours_document: Value = serde_json::from_str(&ours).unwrap();

        let mut expected: Value = serde_json::from_str(&syft(case, "spdx.json")).unwrap();
        let object = expected.as_object_mut().unwrap();
        object.shift_remove("files");
        object["documentNamespace"] = ours_document["documentNamespace"].clone();
        object["creationInfo"] = ours_document["creationInfo"].clone();
        let relationships = object["relationships"].as_array_mut().unwrap();
        relationships.retain(|r| !r.to_string().contains("SPDXRef-File-"));
        let expected = with_plimsoll_ids(
            format!("{}\n", serde_json::to_string(&expected).unwrap()),
            &golden_text,
        );
        assert_eq!(ours, expected, "{case}");
    }
}

#[test]
fn spdx_tag_value_matches_syft_without_files() {
    let stamp = Stamp::fixed();
    for case in CASES {
        let golden_text = golden(case);
        let sbom = crate::decode(golden_text.as_bytes()).unwrap();
        let ours = spdx::encode_tag_value_stamped(&sbom, TOOL_VERSION, &stamp);
        let namespace = ours
            .lines()
            .find_map(|line| line.strip_prefix("DocumentNamespace: "))
            .unwrap();

        let mut lines: Vec<String> = Vec::new();
        let mut in_files = false;
        let mut dropped_relationship = false;
        for line in syft(case, "spdx").lines() {
            if line.starts_with("##### ") {
                in_files = line == "##### Unpackaged files";
            }
            if in_files {
                continue;
            }
            if line.starts_with("Relationship: ") {
                dropped_relationship = line.contains("SPDXRef-File-");
            } else if !line.starts_with("RelationshipComment: ") {
                dropped_relationship = false;
            }
            if dropped_relationship {
                continue;
            }
            let line = match line.split_once(": ") {
                Some(("DocumentNamespace", _)) => format!("DocumentNamespace: {namespace}"),
                Some(("Created", _)) => format!("Created: {}", stamp.timestamp),
                _ => line
                    .replace("Organization: Anchore, Inc", "Organization: Plimsoll")
                    .replace("Tool: syft-", "Tool: plimsoll-"),
            };
            lines.push(line);
        }
        let expected = with_plimsoll_ids(format!("{}\n", lines.join("\n")), &golden_text);
        assert_eq!(ours, expected, "{case}");
    }
}
