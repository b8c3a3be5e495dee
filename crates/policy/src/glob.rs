//! Anchore's wildcard patterns, used by mappings, image selection rules and whitelist trigger
//! IDs: `*` matches any run of characters and the whole text must match; a pattern starting
//! with `regexp:` is a regular expression matched from the start of the text.

/// Whether `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    if let Some(raw) = pattern.trim().strip_prefix("regexp:") {
        // The remainder of the untrimmed pattern is the expression, as Anchore takes it.
        let raw = pattern.trim_start().strip_prefix("regexp:").unwrap_or(raw);
        return crate::gates::anchored(raw).is_ok_and(|regex| regex.is_match(text));
    }
    wildcard(pattern, text)
}

/// `*`-only wildcard matching over characters, without backtracking blow-up.
fn wildcard(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // The position after the last `*` seen, and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p + 1, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((after_star, tried)) = star {
            p = after_star;
            t = tried + 1;
            star = Some((after_star, tried + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_raw_expressions() {
        let cases = [
            ("*", "", true),
            ("*", "docker.io", true),
            ("docker.io", "docker.io", true),
            ("docker.io", "docker.io.evil", false),
            ("library/*", "library/alpine", true),
            ("library/*", "myorg/alpine", false),
            ("*alpine*", "library/alpine-base", true),
            ("3.*.1", "3.18.1", true),
            ("3.*.1", "3.18.2", false),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("CVE-2021-*+openssl", "CVE-2021-3711+openssl", true),
            ("CVE-2021-*+openssl", "CVE-2021-3711+libssl", false),
            // Dots and other regex characters are literal in wildcards.
            ("3.18", "3x18", false),
            ("regexp:3\\.1[0-9]", "3.18", true),
            ("regexp:3\\.1[0-9]", "v3.18", false),
            ("regexp:(", "(", false),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(matches(pattern, text), expected, "{pattern} ~ {text}");
        }
    }
}
