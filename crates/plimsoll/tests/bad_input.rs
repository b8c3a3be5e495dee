//! Hostile and broken inputs end in a clear `error:` naming the input and exit status 2:
//! never a panic, a hang or unbounded memory.

mod common;

use std::io::Write;

use common::*;

fn path_str(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[test]
fn a_truncated_archive_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/images/prebuilt/image-c/image-c.oci-archive.tar"
    ))
    .unwrap();
    let truncated = dir.path().join("cut.tar");
    std::fs::write(&truncated, &original[..original.len() / 2]).unwrap();
    let output = plimsoll(&["scan", &format!("oci-archive:{}", path_str(&truncated))]);
    assert_error(&output, "cut.tar");
    // Without a scheme, a broken archive is still an error, not a plain file to catalog.
    let output = plimsoll(&["scan", &path_str(&truncated)]);
    assert_error(&output, "truncated");
}

#[test]
fn garbage_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.tar");
    let bytes: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, bytes).unwrap();
    for scheme in ["docker-archive", "oci-archive"] {
        let output = plimsoll(&["scan", &format!("{scheme}:{}", path_str(&garbage))]);
        assert_error(&output, "garbage.tar");
    }
}

#[test]
fn missing_and_malformed_layout_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let layout = oci_layout(
        &dir.path().join("img"),
        &[(
            "latest",
            vec![LayerBlob::gzipped(&layer_tar(&[Item::File(
                "etc/os-release",
                OS_RELEASE,
            )]))],
        )],
    );
    let source = format!("oci-dir:{}", path_str(&layout));

    std::fs::write(layout.join("index.json"), b"{\"manifests\": [").unwrap();
    assert_error(&plimsoll(&["scan", &source]), "index.json");

    std::fs::remove_file(layout.join("index.json")).unwrap();
    assert_error(&plimsoll(&["scan", &source]), "index.json");

    let index = serde_json::json!({"manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:../../../../etc/passwd"}]});
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&index).unwrap(),
    )
    .unwrap();
    assert_error(&plimsoll(&["scan", &source]), "not a valid digest");

    let missing = format!("sha256:{}", "0".repeat(64));
    let index = serde_json::json!({"manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": missing}]});
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&index).unwrap(),
    )
    .unwrap();
    assert_error(&plimsoll(&["scan", &source]), "failed to open");
}

#[test]
fn a_manifest_whose_digest_does_not_match_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let layout = oci_layout(
        &dir.path().join("img"),
        &[(
            "latest",
            vec![LayerBlob::gzipped(&layer_tar(&[Item::File(
                "etc/os-release",
                OS_RELEASE,
            )]))],
        )],
    );
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .trim_start_matches("sha256:")
        .to_string();
    std::fs::write(
        layout.join("blobs/sha256").join(digest),
        b"{\"tampered\": true}",
    )
    .unwrap();
    assert_error(
        &plimsoll(&["scan", &format!("oci-dir:{}", path_str(&layout))]),
        "has digest",
    );
}

#[test]
fn entries_that_escape_the_root_are_errors() {
    for name in ["../../etc/cron.d/evil", "etc/../../evil", "/etc/passwd"] {
        let dir = tempfile::tempdir().unwrap();
        let layer = layer_tar(&[
            Item::File("etc/os-release", OS_RELEASE),
            Item::File(name, b"x"),
        ]);
        let layout = oci_layout(
            &dir.path().join("img"),
            &[("latest", vec![LayerBlob::gzipped(&layer)])],
        );
        let stderr = assert_error(
            &plimsoll(&["scan", &format!("oci-dir:{}", path_str(&layout))]),
            "escapes the image root",
        );
        assert!(stderr.contains(name), "{stderr}");
    }
}

#[test]
fn symlink_loops_and_escaping_links_stay_inside_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let layer = layer_tar(&[
        Item::Dir("etc"),
        // A link that climbs far above the root, and a loop where a status file would be.
        Item::Symlink("etc/os-release", "../../../../../../usr/lib/os-release"),
        Item::File("usr/lib/os-release", OS_RELEASE),
        Item::Symlink("var/lib/dpkg/status.d/loop-a", "loop-b"),
        Item::Symlink(
            "var/lib/dpkg/status.d/loop-b",
            "/var/lib/dpkg/status.d/loop-a",
        ),
        Item::File("var/lib/dpkg/status", STATUS),
    ]);
    let layout = oci_layout(
        &dir.path().join("img"),
        &[("latest", vec![LayerBlob::gzipped(&layer)])],
    );
    let output = plimsoll(&[
        "scan",
        "-q",
        "-o",
        "json",
        &format!("oci-dir:{}", path_str(&layout)),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        document["distro"]["id"], "debian",
        "the escaping link resolves inside the root"
    );
    assert_eq!(document["artifacts"].as_array().unwrap().len(), 1);
    assert_eq!(
        document["artifacts"][0]["purl"],
        "pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12"
    );
}

/// A zstd layer holding one file of zeros, `size` bytes long, built without holding it.
fn zeros_layer(path: &str, size: u64) -> LayerBlob {
    let mut header = tar::Header::new_gnu();
    header.set_path(path).unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 1).unwrap();
    encoder.write_all(header.as_bytes()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    let mut left = size.div_ceil(512) * 512 + 1024;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        encoder.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    LayerBlob {
        blob: encoder.finish().unwrap(),
        diff_id: format!("sha256:{}", "1".repeat(64)),
    }
}

#[test]
fn a_decompression_bomb_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = zeros_layer("var/tmp/zeros", 1_300 << 20);
    assert!(bomb.blob.len() < 1 << 20, "the bomb is small as stored");
    let layout = oci_layout(&dir.path().join("img"), &[("latest", vec![bomb])]);
    assert_error(
        &plimsoll(&["scan", &format!("oci-dir:{}", path_str(&layout))]),
        "decompression bomb",
    );
}

#[test]
fn a_cataloged_file_beyond_the_size_limit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let layout = oci_layout(
        &dir.path().join("img"),
        &[(
            "latest",
            vec![zeros_layer("var/lib/dpkg/status", 600 << 20)],
        )],
    );
    assert_error(
        &plimsoll(&["scan", &format!("oci-dir:{}", path_str(&layout))]),
        "/var/lib/dpkg/status",
    );
}

#[test]
fn a_layer_cut_inside_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let tar = layer_tar(&[
        Item::File("etc/os-release", OS_RELEASE),
        Item::File("var/lib/dpkg/status", STATUS),
    ]);
    // Cut inside the status file's data.
    let cut = &tar[..512 + 512 + 512 + 20];
    let layer = LayerBlob {
        blob: gzip(cut),
        diff_id: sha256(cut),
    };
    let layout = oci_layout(&dir.path().join("img"), &[("latest", vec![layer])]);
    assert_error(
        &plimsoll(&["scan", &format!("oci-dir:{}", path_str(&layout))]),
        "unreadable",
    );
}

#[test]
fn a_corrupt_rpm_database_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let rpm_dir = dir.path().join("root/var/lib/rpm");
    std::fs::create_dir_all(&rpm_dir).unwrap();
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.resize(8192, 0xAB);
    std::fs::write(rpm_dir.join("rpmdb.sqlite"), bytes).unwrap();
    let source = format!("dir:{}", path_str(&dir.path().join("root")));
    assert_error(&plimsoll(&["scan", &source]), "/var/lib/rpm/rpmdb.sqlite");
}

#[test]
fn several_images_need_a_tag() {
    let dir = tempfile::tempdir().unwrap();
    let one = LayerBlob::gzipped(&layer_tar(&[
        Item::File("etc/os-release", OS_RELEASE),
        Item::File("var/lib/dpkg/status", STATUS),
    ]));
    let two = LayerBlob::gzipped(&layer_tar(&[Item::File("etc/os-release", OS_RELEASE)]));
    let layout = oci_layout(
        &dir.path().join("img"),
        &[("first", vec![one]), ("second", vec![two])],
    );
    let source = format!("oci-dir:{}", path_str(&layout));
    let stderr = assert_error(&plimsoll(&["scan", &source]), "holds 2 images");
    assert!(
        stderr.contains("first") && stderr.contains("second"),
        "the choices are listed: {stderr}"
    );

    let output = plimsoll(&["scan", "-q", &format!("{source}:first")]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("hello"));
    let output = plimsoll(&["scan", "-q", &format!("{source}:second")]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "No packages discovered\n"
    );
    assert_error(
        &plimsoll(&["scan", &format!("{source}:third")]),
        "tagged `third`",
    );
}

#[test]
fn unknown_sources_and_formats_are_errors() {
    assert_error(&plimsoll(&["scan", "/no/such/path"]), "/no/such/path");
    assert_error(&plimsoll(&["scan", "dir:/no/such/dir"]), "/no/such/dir");
    let dir = tempfile::tempdir().unwrap();
    assert_error(
        &plimsoll(&[
            "scan",
            "-o",
            "yaml",
            &format!("dir:{}", path_str(dir.path())),
        ]),
        "yaml",
    );
}
