//! Names and versions read from an archive's file name (`commons-lang3-3.12.0.jar`), the
//! last resort when the archive's own metadata names nothing.
//!
//! The rules follow Syft's: the name is the shortest run of `-`-joined words (each
//! starting with a letter) after which `-` and a version follow; a version starts with a
//! digit, `build` and a digit, or is `r`/`rc` and digits. With no such split, a version
//! after a `.`, `_` or `-` at the end is taken. Two cases Syft gets wrong are corrected:
//! Debian's `log4j-1.2-1.2.17.jar` (an API series before the version) is log4j 1.2.17, not
//! version `1.2-1.2.17`; and a version glued to the name (`py4j0.10.9.7.jar`) keeps its
//! leading digits (py4j 0.10.9.7, not `py4j0` 10.9.7).

/// What a file name says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ArchiveFilename {
    pub name: String,
    pub version: String,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text` (after a `-`) is a whole version in the first split's sense.
fn is_version(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let starts_with_digit = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_digit());
    if starts_with_digit(&lower) {
        return true;
    }
    if let Some(rest) = lower.strip_prefix("build") {
        return starts_with_digit(rest);
    }
    let digits = lower.strip_prefix("rc").or_else(|| lower.strip_prefix('r'));
    digits.is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

/// The first split: `(name, version)`, or `None` when the stem is no name at all.
fn split_name_version(stem: &str) -> Option<(&str, &str)> {
    let starts_word = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if !starts_word(stem) {
        return None;
    }
    for (position, c) in stem.char_indices() {
        if c == '-' {
            let rest = &stem[position + 1..];
            if is_version(rest) {
                return Some((&stem[..position], rest));
            }
            if !starts_word(rest) {
                // `-` then neither a version nor a word: the stem matches no rule.
                return (rest.is_empty()).then_some((stem, ""));
            }
        } else if !(is_word(c) || c == '.') {
            return None;
        }
    }
    Some((stem, ""))
}

/// A version at the end of a name without `-`: after the first `.`, `_` or `-` followed by
/// one. Returns the byte position of the separator.
fn trailing_version(name: &str) -> Option<usize> {
    name.char_indices()
        .filter(|(_, c)| matches!(c, '.' | '_' | '-'))
        .map(|(position, _)| position)
        .find(|&position| is_version(&name[position + 1..]))
}

impl ArchiveFilename {
    /// Reads the name and version from a path's file name, extension dropped.
    pub fn parse(path: &str) -> ArchiveFilename {
        let base = path.rsplit('/').next().unwrap_or(path);
        let stem = match base.rfind('.') {
            Some(dot) => &base[..dot],
            None => base,
        };
        let Some((name, version)) = split_name_version(stem) else {
            return ArchiveFilename::default();
        };
        let (mut name, mut version) = (name.to_string(), version.to_string());

        if version.is_empty() {
            if let Some(separator) = trailing_version(&name) {
                let mut start = separator;
                // A version glued to the name: give it back its leading digits when a
                // letter comes before them (`py4j0.10.9.7`).
                if name.as_bytes()[separator] == b'.' {
                    let digits = name[..separator]
                        .bytes()
                        .rev()
                        .take_while(u8::is_ascii_digit)
                        .count();
                    let before = separator - digits;
                    if digits > 0 && before > 0 && name.as_bytes()[before - 1].is_ascii_alphabetic()
                    {
                        start = before;
                    }
                }
                version = name[start..]
                    .trim_start_matches(['.', '_', '-'])
                    .to_string();
                name.truncate(start);
            }
        }

        // An API series before the version (`1.2-1.2.17`): the version is the second.
        if let Some((series, rest)) = version.split_once('-') {
            if rest.starts_with(&format!("{series}.")) {
                version = rest.to_string();
            }
        }
        ArchiveFilename { name, version }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions_as_syft_reads_them() {
        for (path, name, version) in [
            ("/a/commons-lang3-3.12.0.jar", "commons-lang3", "3.12.0"),
            ("jackson-core-2.15.2.jar", "jackson-core", "2.15.2"),
            ("api-all-2.0.0-sources.jar", "api-all", "2.0.0-sources"),
            ("guava-31.1-jre.jar", "guava", "31.1-jre"),
            (
                "spring-instrumentation-4.3.0-1.0.jar",
                "spring-instrumentation",
                "4.3.0-1.0",
            ),
            ("jsr305-0.1~+svn49.jar", "jsr305", "0.1~+svn49"),
            ("example-jenkins-plugin.hpi", "example-jenkins-plugin", ""),
            ("gradle.hpi", "gradle", ""),
            ("ant-1.10.jar", "ant", "1.10"),
            ("foo-rc1.jar", "foo", "rc1"),
            ("foo-build12-x.jar", "foo", "build12-x"),
            (
                "org.eclipse.osgi_3.10.0.v20140606.jar",
                "org.eclipse.osgi",
                "3.10.0.v20140606",
            ),
            (
                "com.fasterxml.jackson.core.jackson-core-2.15.2.jar",
                "com.fasterxml.jackson.core.jackson-core",
                "2.15.2",
            ),
            ("1password.jar", "", ""),
        ] {
            let parsed = ArchiveFilename::parse(path);
            assert_eq!(
                (parsed.name.as_str(), parsed.version.as_str()),
                (name, version),
                "{path}"
            );
        }
    }

    #[test]
    fn where_syft_is_wrong() {
        let log4j = ArchiveFilename::parse("/usr/share/java/log4j-1.2-1.2.17.jar");
        assert_eq!(
            (log4j.name.as_str(), log4j.version.as_str()),
            ("log4j", "1.2.17")
        );
        let py4j = ArchiveFilename::parse("/usr/local/share/py4j/py4j0.10.9.7.jar");
        assert_eq!(
            (py4j.name.as_str(), py4j.version.as_str()),
            ("py4j", "0.10.9.7")
        );
    }
}
