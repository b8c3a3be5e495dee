//! `/bin/busybox`: the version string inside the BusyBox binary, for images with nothing else.

use plimsoll_model::Distro;

use super::simple_release;

const MARKER: &[u8] = b"BusyBox v";

/// Reads a release from the first `BusyBox v<digits and dots>` string in the binary, such as
/// `BusyBox v1.31.1`: the whole string is the pretty name, the digits and dots the version.
pub(super) fn parse_busybox(bytes: &[u8]) -> Option<Distro> {
    let version = marker_positions(bytes).find_map(|start| {
        let version = &bytes[start + MARKER.len()..];
        let length = version
            .iter()
            .take_while(|byte| byte.is_ascii_digit() || **byte == b'.')
            .count();
        // Digits and dots are ASCII, so the slice is valid UTF-8.
        std::str::from_utf8(&version[..length])
            .ok()
            .filter(|version| !version.is_empty())
    })?;

    let pretty_name = format!("BusyBox v{version}");
    Some(simple_release(
        &pretty_name,
        "busybox".to_owned(),
        version,
        "",
    ))
}

/// The offsets where [`MARKER`] occurs, in order.
fn marker_positions(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .windows(MARKER.len())
        .enumerate()
        .filter(|(_, window)| *window == MARKER)
        .map(|(start, _)| start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version_of(bytes: &[u8]) -> Option<String> {
        parse_busybox(bytes).map(|distro| distro.version_id)
    }

    #[test]
    fn reads_the_version_string() {
        let distro = parse_busybox(b"junk...BusyBox v1.31.1more junk").unwrap();
        assert_eq!(distro.pretty_name, "BusyBox v1.31.1");
        assert_eq!(distro.name, "busybox");
        assert_eq!(distro.id, "busybox");
        assert_eq!(distro.id_like, ["busybox"]);
        assert_eq!(distro.version, "1.31.1");
        assert_eq!(distro.version_id, "1.31.1");
    }

    #[test]
    fn follows_syft_on_odd_input() {
        let cases: [(&[u8], Option<&str>); 6] = [
            (
                b"\x7fELF\xff\0BusyBox v1.36.1 (2023-05-18)\0",
                Some("1.36.1"),
            ),
            (b"BusyBox vX BusyBox v1.2", Some("1.2")),
            (b"BusyBox v1.2.\0", Some("1.2.")),
            (b"BusyBox v", None),
            (b"busybox v1.2", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(version_of(bytes).as_deref(), expected, "{bytes:?}");
        }
    }
}
