//! Separating a gem's platform from its version, as in `nokogiri-1.16.0-x86_64-linux-gnu`.
//!
//! A platform is not part of a RubyGems version: `Gem::Version` would read `1.16.0-x86_64-linux`
//! as a pre-release. Gem file names, installed-gem directories and lockfiles append the platform
//! after a hyphen, so it has to be split off before the version is read.

/// The first word of every platform RubyGems names: CPU names, and the few platforms that are a
/// single word.
const PLATFORM_WORDS: [&str; 26] = [
    "aarch64",
    "arm",
    "arm64",
    "armv5",
    "armv6",
    "armv7",
    "armv8",
    "i386",
    "i486",
    "i586",
    "i686",
    "java",
    "jruby",
    "loongarch64",
    "mips",
    "mips64",
    "mswin32",
    "mswin64",
    "powerpc",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv64",
    "s390x",
    "universal",
    "x86",
];

/// Splits `1.16.0-x86_64-linux-gnu` into `1.16.0` and `x86_64-linux-gnu`.
///
/// The platform starts at the first hyphen followed by a known CPU or platform word (`x86`,
/// `x86_64`, `x64`, `arm64`, `aarch64`, `armv7`, `universal`, `java`, …); text with no such
/// hyphen is all version. `1.2.0-alpha-x86-linux` splits into `1.2.0-alpha` and `x86-linux`.
pub fn split_platform(text: &str) -> (&str, Option<&str>) {
    for (index, _) in text.match_indices('-') {
        let rest = &text[index + 1..];
        let word = rest.split('-').next().unwrap_or_default();
        if is_platform_word(word) {
            return (&text[..index], Some(rest));
        }
    }
    (text, None)
}

fn is_platform_word(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    PLATFORM_WORDS.contains(&word.as_str())
        || matches!(word.as_str(), "x86_64" | "x64" | "x64_mingw")
        || word
            .strip_prefix("armv")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_known_platforms() {
        let cases = [
            (
                "1.16.0-x86_64-linux-gnu",
                ("1.16.0", Some("x86_64-linux-gnu")),
            ),
            (
                "1.19.3-aarch64-linux-musl",
                ("1.19.3", Some("aarch64-linux-musl")),
            ),
            ("1.2.0-java", ("1.2.0", Some("java"))),
            ("0.0.1-armv5-window", ("0.0.1", Some("armv5-window"))),
            (
                "1.2.0-alpha-1-meta-x86-linux",
                ("1.2.0-alpha-1-meta", Some("x86-linux")),
            ),
            (
                "1.0.0-alpha-a.b-c-build.1",
                ("1.0.0-alpha-a.b-c-build.1", None),
            ),
            ("0.9.9-r0", ("0.9.9-r0", None)),
            ("1.0", ("1.0", None)),
        ];
        for (text, expected) in cases {
            assert_eq!(split_platform(text), expected, "{text}");
        }
    }
}
