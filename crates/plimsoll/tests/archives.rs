//! Classic `docker save` archives built in the test: several images, chosen by tag.

mod common;

use common::*;

/// A classic docker archive: `manifest.json`, one config and one layer tar per image.
fn docker_archive(path: &std::path::Path, images: &[(&str, Vec<u8>)]) {
    let mut builder = tar::Builder::new(std::fs::File::create(path).unwrap());
    let mut manifest = Vec::new();
    let add = |builder: &mut tar::Builder<std::fs::File>, name: &str, data: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, data).unwrap();
    };
    for (position, (tag, layer)) in images.iter().enumerate() {
        let config = serde_json::json!({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [sha256(layer)]}});
        let config_name = format!("config{position}.json");
        let layer_name = format!("layer{position}/layer.tar");
        add(
            &mut builder,
            &config_name,
            &serde_json::to_vec(&config).unwrap(),
        );
        add(&mut builder, &layer_name, layer);
        manifest.push(
            serde_json::json!({"Config": config_name, "RepoTags": [tag], "Layers": [layer_name]}),
        );
    }
    add(
        &mut builder,
        "manifest.json",
        &serde_json::to_vec(&manifest).unwrap(),
    );
    builder.finish().unwrap();
}

#[test]
fn a_docker_archive_with_several_images_needs_a_tag() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("two.tar");
    let with_hello = layer_tar(&[
        Item::File("etc/os-release", OS_RELEASE),
        Item::File("var/lib/dpkg/status", STATUS),
    ]);
    let empty = layer_tar(&[Item::File("etc/os-release", OS_RELEASE)]);
    docker_archive(
        &archive,
        &[
            ("example.com/team/app:1.0", with_hello),
            ("example.com/team/base:2.0", empty),
        ],
    );
    let archive = archive.display().to_string();

    let stderr = assert_error(&plimsoll(&["scan", &archive]), "holds 2 images");
    assert!(
        stderr.contains("example.com/team/app:1.0") && stderr.contains("example.com/team/base:2.0"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");

    let output = plimsoll(&[
        "scan",
        "-q",
        "-o",
        "json",
        &format!("docker-archive:{archive}:1.0"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["artifacts"][0]["name"], "hello");
    assert_eq!(
        document["source"]["metadata"]["tags"][0],
        "example.com/team/app:1.0"
    );
    assert_eq!(
        document["source"]["metadata"]["mediaType"],
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    let location = &document["artifacts"][0]["locations"][0];
    assert_eq!(
        location["layerID"],
        document["source"]["metadata"]["layers"][0]["digest"]
    );

    let output = plimsoll(&["scan", "-q", &format!("{archive}:2.0")]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "No packages discovered\n"
    );
}

#[test]
fn a_single_file_source_is_cataloged_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, b"nothing to see").unwrap();
    let output = plimsoll(&[
        "scan",
        "-q",
        "-o",
        "json",
        &format!("file:{}", file.display()),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["source"]["type"], "file");
    assert_eq!(document["artifacts"].as_array().unwrap().len(), 0);
}
