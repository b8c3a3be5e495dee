//! Distro detection from os-release and the usual fallbacks.
//!
//! The rules are Syft 1.18.1's: the files in [`DISTRO_PATHS`] are tried in order, and the first
//! one that yields a release wins. A file that is absent, unreadable or says nothing useful
//! (an empty os-release, a redhat-release without a version) passes the turn to the next.

mod busybox;
mod os_release;
mod redhat_release;
mod system_release_cpe;
mod text;

use plimsoll_model::Distro;

pub use os_release::parse_os_release;

/// The paths (relative to the root, no leading slash) that detection may read, in priority order.
///
/// `bin/busybox` must stay last: many distros ship the busybox binary next to an os-release.
pub const DISTRO_PATHS: &[&str] = &[
    "etc/os-release",
    "usr/lib/os-release",
    // CentOS 6 has no os-release, only this one-line CPE.
    "etc/system-release-cpe",
    // The last resort for older Red Hat family releases, such as CentOS 5.
    "etc/redhat-release",
    "bin/busybox",
];

/// Reads one identity file's bytes; `None` means it says nothing about the distro.
type Parser = fn(&[u8]) -> Option<Distro>;

/// The parser for each entry of [`DISTRO_PATHS`], at the same index (the array length keeps the
/// two lists the same size).
const PARSERS: [Parser; DISTRO_PATHS.len()] = [
    os_release::parse_os_release_bytes,
    os_release::parse_os_release_bytes,
    system_release_cpe::parse_system_release_cpe,
    redhat_release::parse_redhat_release,
    busybox::parse_busybox,
];

/// Identifies the distro from file contents; `read(path)` returns a file's bytes (path as in
/// [`DISTRO_PATHS`]) or `None` when absent.
///
/// The reader is expected to follow symbolic links (`etc/os-release` is usually one), as Syft's
/// file resolvers do. Returns `None` when no file identifies a distro.
pub fn identify(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Option<Distro> {
    DISTRO_PATHS
        .iter()
        .zip(PARSERS)
        .find_map(|(path, parse)| read(path).and_then(|bytes| parse(&bytes)))
}

/// The release the fallback files describe: a name, a version and perhaps a CPE, with the
/// lowercased name standing in for the ID and for the only `ID_LIKE` entry.
fn simple_release(pretty_name: &str, name: String, version: &str, cpe_name: &str) -> Distro {
    Distro {
        pretty_name: pretty_name.to_owned(),
        id: name.clone(),
        id_like: vec![name.clone()],
        name,
        version: version.to_owned(),
        version_id: version.to_owned(),
        cpe_name: cpe_name.to_owned(),
        ..Distro::default()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::fs;
    use std::path::{Path, PathBuf};

    use serde_json::Value;

    use super::*;

    const OS_RELEASE: &str = "ID=debian\nVERSION_ID=12\n";

    fn reader(files: &[(&str, &str)]) -> impl Fn(&str) -> Option<Vec<u8>> {
        let files: HashMap<String, Vec<u8>> = files
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect();
        move |path| files.get(path).cloned()
    }

    fn identify_files(files: &[(&str, &str)]) -> Option<(String, String)> {
        identify(&reader(files)).map(|distro| (distro.id, distro.version_id))
    }

    fn found(id: &str, version_id: &str) -> Option<(String, String)> {
        Some((id.to_owned(), version_id.to_owned()))
    }

    #[test]
    fn nothing_to_read_means_no_distro() {
        assert_eq!(identify_files(&[]), None);
    }

    #[test]
    fn etc_os_release_wins_over_usr_lib() {
        let files = [
            ("usr/lib/os-release", "ID=fedora\nVERSION_ID=36\n"),
            ("etc/os-release", OS_RELEASE),
        ];
        assert_eq!(identify_files(&files), found("debian", "12"));
    }

    #[test]
    fn empty_os_release_falls_through_to_the_next_file() {
        let files = [
            ("etc/os-release", "# nothing here\n\n"),
            ("usr/lib/os-release", OS_RELEASE),
        ];
        assert_eq!(identify_files(&files), found("debian", "12"));
    }

    #[test]
    fn system_release_cpe_comes_before_redhat_release() {
        let files = [
            ("etc/redhat-release", "CentOS release 6.10 (Final)"),
            ("etc/system-release-cpe", "cpe:/o:centos:linux:6:GA"),
        ];
        assert_eq!(identify_files(&files), found("centos", "6"));
    }

    #[test]
    fn unparsable_redhat_release_falls_through_to_busybox() {
        let files = [
            ("etc/redhat-release", "CentOS release 5 (Final)"),
            ("bin/busybox", "\0BusyBox v1.36.1 (2023-07-27)\0"),
        ];
        assert_eq!(identify_files(&files), found("busybox", "1.36.1"));
    }

    #[test]
    fn busybox_is_only_a_last_resort() {
        let files = [
            ("bin/busybox", "BusyBox v1.36.1"),
            ("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
        ];
        assert_eq!(identify_files(&files), found("alpine", "3.19.1"));
    }

    fn conformance_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/syft")
    }

    /// The distro in Syft's JSON shape: camelCase keys, empty fields left out.
    fn to_syft_json(distro: Option<&Distro>) -> Value {
        let Some(distro) = distro else {
            return Value::Object(Default::default());
        };
        let strings = [
            ("prettyName", &distro.pretty_name),
            ("name", &distro.name),
            ("id", &distro.id),
            ("version", &distro.version),
            ("versionID", &distro.version_id),
            ("versionCodename", &distro.version_codename),
            ("buildID", &distro.build_id),
            ("imageID", &distro.image_id),
            ("imageVersion", &distro.image_version),
            ("variant", &distro.variant),
            ("variantID", &distro.variant_id),
            ("homeURL", &distro.home_url),
            ("supportURL", &distro.support_url),
            ("bugReportURL", &distro.bug_report_url),
            ("privacyPolicyURL", &distro.privacy_policy_url),
            ("cpeName", &distro.cpe_name),
            ("supportEnd", &distro.support_end),
        ];
        let mut object: serde_json::Map<String, Value> = strings
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| (key.to_owned(), Value::from(value.as_str())))
            .collect();
        if !distro.id_like.is_empty() {
            object.insert("idLike".to_owned(), Value::from(distro.id_like.clone()));
        }
        Value::Object(object)
    }

    /// Every directory case of the Syft conformance suite: the distro we identify must be the
    /// one Syft 1.18.1 reported, field by field (cases with no identity file must have none).
    #[test]
    fn matches_syft_on_every_conformance_case() {
        let root = conformance_dir();
        let inputs = fs::read_dir(root.join("inputs"))
            .unwrap_or_else(|error| panic!("conformance inputs under {root:?}: {error}"));
        let mut cases: Vec<PathBuf> = inputs.map(|entry| entry.unwrap().path()).collect();
        cases.sort();

        let mut with_distro_files = 0;
        let mut mismatches = Vec::new();
        for case in &cases {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let golden = root.join("golden").join(format!("{name}.json"));
            let golden: Value = serde_json::from_slice(&fs::read(&golden).unwrap()).unwrap();

            if DISTRO_PATHS.iter().any(|path| case.join(path).exists()) {
                with_distro_files += 1;
            }
            let distro = identify(&|path| fs::read(case.join(path)).ok());
            let actual = to_syft_json(distro.as_ref());
            if actual != golden["distro"] {
                mismatches.push(format!("{name}: got {actual}, Syft {}", golden["distro"]));
            }
        }

        assert!(
            with_distro_files >= 29,
            "only {with_distro_files} cases with distro files"
        );
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    }
}
