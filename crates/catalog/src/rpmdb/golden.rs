//! Test support: reads Syft's conformance fixtures and checks parsed headers against the
//! packages Syft 1.18.1 reported for the same database.

use std::path::PathBuf;

use serde_json::Value;

use super::header::RpmHeader;
use super::is_gpg_pubkey;

/// The shared Syft conformance suite, which sits beside the repository.
fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/syft")
}

/// Reads a fixture file under `inputs/`.
pub(crate) fn read_input(relative: &str) -> Vec<u8> {
    let path = conformance_dir().join("inputs").join(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("read {}: {error}", path.display()))
}

/// Asserts that `headers` hold exactly the rpm packages of `golden/<case>.json`, field by field.
///
/// Syft reports only the files that exist in the scanned tree, so each golden file must be
/// among the header's files with the same attributes, rather than the lists being equal.
pub(crate) fn assert_matches_golden(headers: &[RpmHeader], case: &str) {
    let path = conformance_dir()
        .join("golden")
        .join(format!("{case}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let golden: Value = serde_json::from_str(&text).unwrap();
    let artifacts: Vec<&Value> = golden["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|artifact| artifact["type"] == "rpm")
        .collect();

    let packages: Vec<&RpmHeader> = headers.iter().filter(|h| !is_gpg_pubkey(h)).collect();
    assert_eq!(packages.len(), artifacts.len(), "package count of {case}");

    for artifact in artifacts {
        let metadata = &artifact["metadata"];
        let header = packages
            .iter()
            .find(|header| {
                metadata["name"] == header.name.as_str()
                    && metadata["version"] == header.version.as_str()
                    && metadata["release"] == header.release.as_str()
                    && metadata["architecture"] == header.arch.as_str()
            })
            .unwrap_or_else(|| panic!("{case}: no header for {metadata}"));
        assert_header_fields(header, artifact);
        assert_files(header, &metadata["files"]);
    }
}

fn assert_header_fields(header: &RpmHeader, artifact: &Value) {
    let metadata = &artifact["metadata"];
    let name = &header.name;
    assert_eq!(metadata["epoch"].as_i64(), header.epoch, "epoch of {name}");
    assert_eq!(
        metadata["sourceRpm"],
        header.source_rpm.as_str(),
        "sourceRpm of {name}"
    );
    assert_eq!(
        metadata["size"].as_u64(),
        Some(header.size),
        "size of {name}"
    );
    assert_eq!(
        metadata["vendor"],
        header.vendor.as_str(),
        "vendor of {name}"
    );
    assert_eq!(
        metadata["modularityLabel"],
        header.modularity_label.as_str(),
        "{name}"
    );
    assert_eq!(
        strings(&metadata["provides"]),
        header.provides,
        "provides of {name}"
    );
    assert_eq!(
        strings(&metadata["requires"]),
        header.requires,
        "requires of {name}"
    );

    let licenses: Vec<String> = artifact["licenses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|license| license["value"].as_str().unwrap().to_string())
        .collect();
    let expected = if header.license.is_empty() {
        vec![]
    } else {
        vec![header.license.clone()]
    };
    assert_eq!(licenses, expected, "license of {name}");
}

fn assert_files(header: &RpmHeader, golden_files: &Value) {
    for golden in golden_files.as_array().into_iter().flatten() {
        let path = golden["path"].as_str().unwrap();
        let file = header
            .files
            .iter()
            .find(|file| file.path == path)
            .unwrap_or_else(|| panic!("{}: no file {path}", header.name));
        assert_eq!(
            golden["mode"].as_u64(),
            Some(u64::from(file.mode)),
            "{path}"
        );
        assert_eq!(golden["size"].as_u64(), Some(file.size), "{path}");
        assert_eq!(
            golden["digest"]["algorithm"],
            file.digest_algorithm.as_str(),
            "{path}"
        );
        assert_eq!(golden["digest"]["value"], file.digest.as_str(), "{path}");
        assert_eq!(golden["userName"], file.user_name.as_str(), "{path}");
        assert_eq!(golden["groupName"], file.group_name.as_str(), "{path}");
        // Syft prints flags as letters; the fixtures only hold files without flags.
        assert_eq!(golden["flags"] == "", file.flags == 0, "{path}");
    }
}

/// A JSON array of strings; absent (as Syft omits empty lists) reads as empty.
fn strings(value: &Value) -> Vec<String> {
    let items = value.as_array().into_iter().flatten();
    items
        .map(|item| item.as_str().unwrap().to_string())
        .collect()
}
