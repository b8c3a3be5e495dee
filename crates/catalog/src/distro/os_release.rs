//! The os-release file (os-release(5)): `KEY=value` lines, read the way Syft reads them.
//!
//! Syft's reader is looser and stranger than the specification in a few ways, all kept here so
//! that the same file gives the same distro:
//!
//! - only spaces are trimmed around keys and values, and a line is a comment only when `#` is
//!   its very first character;
//! - quotes are removed only when the value contains a double quote somewhere and starts and
//!   ends with the same quote character (`ID='alpine'` keeps its single quotes);
//! - the escapes `\"`, `\$`, `\\` and `` \` `` are undone anywhere in the value, quoted or not;
//! - a later line overrides an earlier one with the same key;
//! - a line of 64 KiB or more makes the whole file unreadable.

use plimsoll_model::Distro;

use super::text::decode;

/// Lines this long or longer make Syft's line reader (Go's `bufio.Scanner` with its default
/// token limit) fail, and Syft then ignores the whole file.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Parses os-release text (quotes, escapes, comments, blank lines).
///
/// Returns `None` when the text sets none of the fields a [`Distro`] has, or when a line is
/// too long for Syft to read (see the module documentation).
pub fn parse_os_release(text: &str) -> Option<Distro> {
    if has_overlong_line(text.as_bytes()) {
        return None;
    }
    distro_from_lines(text)
}

/// [`parse_os_release`] on raw file bytes; bytes that are not UTF-8 become U+FFFD.
pub(super) fn parse_os_release_bytes(bytes: &[u8]) -> Option<Distro> {
    // Line lengths count raw bytes: decoding can lengthen a line by replacing bytes.
    if has_overlong_line(bytes) {
        return None;
    }
    distro_from_lines(&decode(bytes))
}

fn has_overlong_line(bytes: &[u8]) -> bool {
    bytes
        .split(|&byte| byte == b'\n')
        .any(|line| line.len() >= MAX_LINE_BYTES)
}

fn distro_from_lines(text: &str) -> Option<Distro> {
    let mut distro = Distro::default();
    let mut id_like = String::new();

    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some((key, value)) = parse_line(line) else {
            continue;
        };
        if key == "ID_LIKE" {
            id_like = value;
        } else if let Some(field) = field_mut(&mut distro, key) {
            *field = value;
        }
    }

    // ID_LIKE is split on single spaces only: a tab inside it stays part of an entry.
    distro.id_like = id_like
        .split(' ')
        .map(str::trim)
        .filter(|like| !like.is_empty())
        .map(str::to_owned)
        .collect();

    (distro != Distro::default()).then_some(distro)
}

/// One `KEY=value` line, or `None` for blank lines, comments and lines without `=`.
fn parse_line(line: &str) -> Option<(&str, String)> {
    if line.is_empty() || line.starts_with('#') {
        return None;
    }

    let (key, value) = line.split_once('=')?;
    let key = key.trim_matches(' ');
    let value = unquote(value.trim_matches(' '));

    let value = value
        .replace("\\\"", "\"")
        .replace("\\$", "$")
        .replace("\\\\", "\\")
        .replace("\\`", "`");
    Some((key, value))
}

/// Removes the surrounding quotes, under Syft's conditions: the value holds a double quote and
/// its first and last characters are the same quote. Then at most one `'` and one `"` go from
/// each end, in that order.
fn unquote(value: &str) -> &str {
    let bytes = value.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return value;
    };
    if !value.contains('"') || first != last || !matches!(first, b'"' | b'\'') {
        return value;
    }

    let value = value.strip_prefix('\'').unwrap_or(value);
    let value = value.strip_prefix('"').unwrap_or(value);
    let value = value.strip_suffix('\'').unwrap_or(value);
    value.strip_suffix('"').unwrap_or(value)
}

/// The [`Distro`] field an os-release key fills, if any (`ID_LIKE` is handled apart).
fn field_mut<'a>(distro: &'a mut Distro, key: &str) -> Option<&'a mut String> {
    let field = match key {
        "PRETTY_NAME" => &mut distro.pretty_name,
        "NAME" => &mut distro.name,
        "ID" => &mut distro.id,
        "VERSION" => &mut distro.version,
        "VERSION_ID" => &mut distro.version_id,
        "VERSION_CODENAME" => &mut distro.version_codename,
        "BUILD_ID" => &mut distro.build_id,
        "IMAGE_ID" => &mut distro.image_id,
        "IMAGE_VERSION" => &mut distro.image_version,
        "VARIANT" => &mut distro.variant,
        "VARIANT_ID" => &mut distro.variant_id,
        "HOME_URL" => &mut distro.home_url,
        "SUPPORT_URL" => &mut distro.support_url,
        "BUG_REPORT_URL" => &mut distro.bug_report_url,
        "PRIVACY_POLICY_URL" => &mut distro.privacy_policy_url,
        "CPE_NAME" => &mut distro.cpe_name,
        "SUPPORT_END" => &mut distro.support_end,
        _ => return None,
    };
    Some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value `key` ends up with, parsing `text`.
    fn value_of(text: &str, key: &str) -> String {
        let distro = parse_os_release(text).unwrap_or_default();
        match key {
            "ID_LIKE" => distro.id_like.join("|"),
            _ => field_mut(&mut distro.clone(), key)
                .cloned()
                .unwrap_or_default(),
        }
    }

    #[test]
    fn reads_a_typical_file() {
        let text = "PRETTY_NAME=\"Ubuntu 20.04 LTS\"\nNAME=\"Ubuntu\"\nID=ubuntu\n\
                    ID_LIKE=debian\nVERSION_ID=\"20.04\"\nVERSION_CODENAME=focal\n";
        let distro = parse_os_release(text).unwrap();
        assert_eq!(distro.pretty_name, "Ubuntu 20.04 LTS");
        assert_eq!(distro.name, "Ubuntu");
        assert_eq!(distro.id, "ubuntu");
        assert_eq!(distro.id_like, ["debian"]);
        assert_eq!(distro.version_id, "20.04");
        assert_eq!(distro.version_codename, "focal");
    }

    #[test]
    fn values_follow_syft() {
        let cases = [
            // (text, key, value)
            ("ID=\"debian\"", "ID", "debian"),
            ("ID=debian", "ID", "debian"),
            ("ID='debian'", "ID", "'debian'"),
            // The trailing double quote goes too: Syft strips `'` then `"` from each end.
            ("NAME='say \"hi\"'", "NAME", "say \"hi"),
            ("NAME=\"'x'\"", "NAME", "'x'"),
            ("NAME=\"unbalanced", "NAME", "\"unbalanced"),
            ("NAME=\"", "NAME", ""),
            ("  ID  =  debian  ", "ID", "debian"),
            ("ID=\tdebian", "ID", "\tdebian"),
            (
                "NAME=\"a \\\"b\\\" \\$c \\\\d \\`e\"",
                "NAME",
                "a \"b\" $c \\d `e",
            ),
            ("NAME=\\\\\"", "NAME", "\\\""),
            ("NAME=a=b", "NAME", "a=b"),
            ("ID=debian\r", "ID", "debian"),
            ("ID=first\nID=second", "ID", "second"),
            ("# ID=comment\nID=real", "ID", "real"),
            ("ID=x\n   # ID=not a comment", "ID", "x"),
            (
                "ID_LIKE=\"rhel  centos\tfedora \"",
                "ID_LIKE",
                "rhel|centos\tfedora",
            ),
            ("ID=x\nID_LIKE=\" \"", "ID_LIKE", ""),
        ];
        for (text, key, expected) in cases {
            assert_eq!(value_of(text, key), expected, "{key} in {text:?}");
        }
    }

    #[test]
    fn nothing_useful_means_no_distro() {
        assert_eq!(parse_os_release(""), None);
        assert_eq!(parse_os_release("\n\n# comment\n"), None);
        assert_eq!(
            parse_os_release("ANSI_COLOR=\"0;31\"\nno equals sign\n"),
            None
        );
        assert_eq!(parse_os_release("ID_LIKE=\"  \"\nID=\n"), None);
    }

    #[test]
    fn an_overlong_line_spoils_the_whole_file() {
        let just_short = format!("ID=debian\nX={}\n", "x".repeat(MAX_LINE_BYTES - 3));
        assert_eq!(value_of(&just_short, "ID"), "debian");

        let too_long = format!("ID=debian\nX={}\n", "x".repeat(MAX_LINE_BYTES - 2));
        assert_eq!(parse_os_release(&too_long), None);
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        let distro = parse_os_release_bytes(b"ID=deb\xffian\nNAME=\"\xe2\x82\"").unwrap();
        assert_eq!(distro.id, "deb\u{fffd}ian");
        assert_eq!(distro.name, "\u{fffd}\u{fffd}");
    }
}
