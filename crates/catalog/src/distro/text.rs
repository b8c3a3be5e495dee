//! Text helpers that reproduce how Syft (a Go program) turns identity files into strings.

/// Decodes bytes as UTF-8, replacing every byte that does not start a valid sequence with
/// U+FFFD, one replacement per byte.
///
/// Syft keeps the raw bytes and Go's JSON encoder replaces each invalid byte on output; Rust's
/// `String::from_utf8_lossy` would instead fold a truncated sequence into a single U+FFFD.
pub(super) fn decode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(error) => {
                let (valid, invalid) = rest.split_at(error.valid_up_to());
                // `valid_up_to` marks where the prefix is known to be valid UTF-8.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                text.push(char::REPLACEMENT_CHARACTER);
                rest = &invalid[1..];
            }
        }
    }
}

/// Lowercases the way Go's `strings.ToLower` does: one character at a time, without the
/// context-sensitive rules (a final capital sigma becomes `σ`, not `ς`), and with `İ` becoming
/// a plain `i` rather than `i` plus a combining dot.
pub(super) fn go_lowercase(text: &str) -> String {
    text.chars()
        .flat_map(|character| match character {
            '\u{130}' => 'i'.to_lowercase(),
            other => other.to_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_keeps_valid_text() {
        assert_eq!(decode("Grüße, 世界".as_bytes()), "Grüße, 世界");
    }

    #[test]
    fn decode_replaces_each_invalid_byte() {
        // A truncated three-byte sequence is two bad bytes, hence two replacements.
        assert_eq!(decode(b"a\xe2\x82b\xffc"), "a\u{fffd}\u{fffd}b\u{fffd}c");
        assert_eq!(decode(b"\xf0"), "\u{fffd}");
    }

    #[test]
    fn lowercase_matches_go() {
        assert_eq!(go_lowercase("CentOS"), "centos");
        assert_eq!(go_lowercase("İSTANBUL ΟΔΟΣ"), "istanbul οδοσ");
    }
}
