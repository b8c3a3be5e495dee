//! `/etc/redhat-release`: the `<name> release <version>` line of older Red Hat family releases.

use plimsoll_model::Distro;

use super::simple_release;
use super::text::{decode, go_lowercase};

/// Reads a release from text such as `CentOS release 5.7 (Final)`: the words before
/// `release` are the name (lowercased for the ID), the version is one digit, a dot and digits.
///
/// Follows Syft's pattern exactly: `release` is lowercase with one whitespace character (space,
/// tab, CR, LF or form feed) on each side, the name is everything before it on the same line,
/// and a version such as `10.1` or `5` does not match at all.
pub(super) fn parse_redhat_release(bytes: &[u8]) -> Option<Distro> {
    let text = decode(bytes);
    let (name_end, version) = find_release_marker(&text)?;

    // The name cannot span lines, though the whitespace before `release` may be a newline.
    let name_start = text[..name_end]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let name = &text[name_start..name_end];

    Some(simple_release(name, go_lowercase(name), version, ""))
}

/// The first place where `<space>release<space><digit>.<digits>` occurs: the offset of the
/// leading whitespace, and the version.
fn find_release_marker(text: &str) -> Option<(usize, &str)> {
    const MARKER: &[u8] = b"release";
    let bytes = text.as_bytes();

    (0..bytes.len()).find_map(|start| {
        let after_space = start + 1;
        let after_marker = after_space + MARKER.len();
        let is_marker = is_space(bytes[start])
            && bytes.get(after_space..after_marker) == Some(MARKER)
            && bytes.get(after_marker).copied().is_some_and(is_space);
        if !is_marker {
            return None;
        }

        let version_start = after_marker + 1;
        let version_len = version_length(&bytes[version_start..])?;
        Some((start, &text[version_start..version_start + version_len]))
    })
}

/// The length of a `<digit>.<digits>` version at the start of `bytes`, if there is one.
fn version_length(bytes: &[u8]) -> Option<usize> {
    let (major, rest) = bytes.split_first()?;
    if !major.is_ascii_digit() || rest.first() != Some(&b'.') {
        return None;
    }
    let minor_digits = rest[1..]
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .count();
    (minor_digits > 0).then_some(2 + minor_digits)
}

/// Whitespace as Go's regular expressions mean `\s`: no vertical tab, nothing beyond ASCII.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<(String, String, String)> {
        parse_redhat_release(text.as_bytes())
            .map(|distro| (distro.pretty_name, distro.id, distro.version_id))
    }

    fn release(pretty: &str, id: &str, version: &str) -> Option<(String, String, String)> {
        Some((pretty.into(), id.into(), version.into()))
    }

    #[test]
    fn reads_centos_5() {
        let distro = parse_redhat_release(b"CentOS release 5.7 (Final)").unwrap();
        assert_eq!(distro.pretty_name, "CentOS");
        assert_eq!(distro.name, "centos");
        assert_eq!(distro.id, "centos");
        assert_eq!(distro.id_like, ["centos"]);
        assert_eq!(distro.version, "5.7");
        assert_eq!(distro.version_id, "5.7");
        assert_eq!(distro.cpe_name, "");
    }

    #[test]
    fn follows_syft_on_odd_input() {
        let cases = [
            (
                "Red Hat Enterprise Linux Server release 5.11 (Tikanga)\n",
                release(
                    "Red Hat Enterprise Linux Server",
                    "red hat enterprise linux server",
                    "5.11",
                ),
            ),
            ("x release 1.2 y release 3.4", release("x", "x", "1.2")),
            ("a\nCentOS\nrelease 5.7", release("CentOS", "centos", "5.7")),
            ("\nrelease 6.1", release("", "", "6.1")),
            ("foo\trelease\t5.12345x", release("foo", "foo", "5.12345")),
            (
                "release 6.1 first, then Foo release 6.2",
                release(
                    "release 6.1 first, then Foo",
                    "release 6.1 first, then foo",
                    "6.2",
                ),
            ),
            ("CentOS release 5 (Final)", None),
            ("Foo release 10.1", None),
            ("Foo release 6.", None),
            ("Foo Release 6.1", None),
            ("Foo\x0brelease 6.1", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "{text:?}");
        }
    }
}
