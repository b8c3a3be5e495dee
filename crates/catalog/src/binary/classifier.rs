//! One classifier: a file-name pattern, and how to read a version from a matching file.

use std::sync::Arc;

use regex::bytes::Regex;

use plimsoll_model::Location;

use super::elf;

/// How a classifier reads the version out of a file.
pub(super) enum Evidence {
    /// The `version` group of the first match of a pattern over the content.
    Content(Regex),
    /// A pattern over the real path whose `version` group is put into a content pattern
    /// (at `{version}`, dots escaped); the version is that pattern's `version` group.
    /// Python writes `[NUL]3.11.2[NUL]` into its binaries, and the file name says which
    /// `3.11` to look for, so unrelated version-like strings are not taken.
    NameThenContent {
        name: regex::Regex,
        content_template: &'static str,
    },
    /// The first of several that gives a version.
    FirstOf(Vec<Evidence>),
    /// Another evidence, unless one of these patterns occurs in the content (OpenJDK's
    /// pattern would also match GraalVM, for instance).
    Excluding(Box<Evidence>, Vec<Regex>),
    /// The version another evidence finds in a library the program needs (an ELF
    /// `DT_NEEDED` name matching `library`), wherever a file of that name is.
    SharedLibrary {
        library: regex::Regex,
        evidence: Box<Evidence>,
    },
}

/// A version a classifier found, and the libraries it was found in, if not in the file
/// itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub version: String,
    pub libraries: Vec<Location>,
}

/// The files with a given name, and their contents.
pub(super) type LibraryLookup<'a> = dyn Fn(&str) -> Vec<(Location, Arc<[u8]>)> + 'a;

/// A kind of binary Syft recognises, with the identity it gives the package.
pub(super) struct Classifier {
    /// The classifier's name, reported in `binary-signature` metadata.
    pub class: &'static str,
    /// The file names looked at: each a `*` and `?` wildcard over the last path
    /// component (Syft's globs are all `**/<name pattern>`).
    pub file_names: &'static [&'static str],
    pub evidence: Evidence,
    pub package: &'static str,
    pub purl_type: &'static str,
    pub purl_namespace: &'static str,
    pub purl_name: &'static str,
    /// `(vendor, product, source)` of each CPE, in order; vendor and product as CPE 2.3
    /// formatted strings write them (already escaped).
    pub cpes: &'static [(&'static str, &'static str, &'static str)],
}

impl Classifier {
    /// Whether a path matches one of the file-name patterns.
    pub fn wants(&self, path: &str) -> bool {
        file_name_matches(self.file_names, path)
    }

    /// The versions the file's name and content (or the libraries it needs) give.
    pub fn find(&self, real_path: &str, content: &[u8], lookup: &LibraryLookup<'_>) -> Vec<Found> {
        evaluate(&self.evidence, real_path, content, lookup)
    }

    /// The version the file's name and content give, if any, looking at no library.
    #[cfg(test)]
    pub fn version(&self, real_path: &str, content: &[u8]) -> Option<String> {
        self.find(real_path, content, &|_| Vec::new())
            .into_iter()
            .next()
            .map(|found| found.version)
    }
}

fn evaluate(
    evidence: &Evidence,
    real_path: &str,
    content: &[u8],
    lookup: &LibraryLookup<'_>,
) -> Vec<Found> {
    let own = |version: Option<String>| {
        version
            .map(|version| Found {
                version,
                libraries: Vec::new(),
            })
            .into_iter()
            .collect()
    };
    match evidence {
        Evidence::Content(pattern) => own(captured_version(pattern, content)),
        Evidence::NameThenContent {
            name,
            content_template,
        } => own(name_then_content(
            name,
            content_template,
            real_path,
            content,
        )),
        Evidence::FirstOf(all) => all
            .iter()
            .map(|e| evaluate(e, real_path, content, lookup))
            .find(|found| !found.is_empty())
            .unwrap_or_default(),
        Evidence::Excluding(evidence, patterns) => {
            if patterns.iter().any(|p| p.is_match(content)) {
                return Vec::new();
            }
            evaluate(evidence, real_path, content, lookup)
        }
        Evidence::SharedLibrary { library, evidence } => {
            let mut found = Vec::new();
            for name in elf::needed_libraries(content) {
                if !library.is_match(&name) {
                    continue;
                }
                for (location, bytes) in lookup(&name) {
                    for inner in evaluate(evidence, &location.path, &bytes, lookup) {
                        let mut libraries = vec![location.clone()];
                        libraries.extend(inner.libraries);
                        found.push(Found {
                            version: inner.version,
                            libraries,
                        });
                    }
                }
            }
            found
        }
    }
}

fn name_then_content(
    name: &regex::Regex,
    content_template: &str,
    real_path: &str,
    content: &[u8],
) -> Option<String> {
    let captures = name.captures(real_path)?;
    let mut pattern = content_template.to_string();
    if pattern.contains("{version}") {
        let from_name = captures.name("version")?.as_str();
        pattern = pattern.replace("{version}", &from_name.replace('.', "\\."));
    }
    // The name part is digits and dots only, so the pattern always compiles; a failure
    // would mean no version rather than a panic.
    let pattern = super::classifiers::bytes_pattern(&pattern)?;
    captured_version(&pattern, content)
}

/// The version of the first match in which some named group is not empty, as Syft reads
/// matches: its `version` group, or else `major.minor.patch` from groups of those names.
fn captured_version(pattern: &Regex, content: &[u8]) -> Option<String> {
    let names: Vec<&str> = pattern.capture_names().flatten().collect();
    let captures = pattern.captures_iter(content).find(|captures| {
        names
            .iter()
            .any(|name| captures.name(name).is_some_and(|m| !m.is_empty()))
    })?;
    let group = |name: &str| {
        captures
            .name(name)
            .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
    };
    let version = match group("version") {
        Some(version) => version,
        None => {
            let number = |name: &str| group(name)?.parse::<u64>().ok();
            format!(
                "{}.{}.{}",
                number("major")?,
                number("minor")?,
                number("patch")?
            )
        }
    };
    (!version.is_empty()).then_some(version)
}

/// Whether the last component of `path` matches one of `patterns`.
pub(super) fn file_name_matches(patterns: &[&str], path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    patterns
        .iter()
        .any(|pattern| wildcard(pattern.as_bytes(), name.as_bytes()))
}

/// Glob matching of one path component: `*` any run of bytes, `?` any one byte.
fn wildcard(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.split_first(), name.split_first()) {
        (None, None) => true,
        (Some((b'*', rest)), _) => {
            wildcard(rest, name) || (!name.is_empty() && wildcard(pattern, &name[1..]))
        }
        (Some((b'?', rest)), Some((_, name_rest))) => wildcard(rest, name_rest),
        (Some((p, rest)), Some((n, name_rest))) if p == n => wildcard(rest, name_rest),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard(b"python*", b"python"));
        assert!(wildcard(b"libpython*.so*", b"libpython3.7m.so.1.0"));
        assert!(!wildcard(b"libpython*.so*", b"libpython3.7m.a"));
        assert!(wildcard(b"libstd-????.so", b"libstd-abcd.so"));
        assert!(!wildcard(b"node", b"nodejs"));
    }

    fn first(evidence: &Evidence, path: &str, content: &[u8]) -> Option<String> {
        evaluate(evidence, path, content, &|_| Vec::new())
            .into_iter()
            .next()
            .map(|found| found.version)
    }

    #[test]
    fn name_then_content() {
        let evidence = Evidence::NameThenContent {
            name: regex::Regex::new(r"(?:.*/|^)python(?P<version>[0-9]+(?:\.[0-9]+)+)$").unwrap(),
            content_template: r"(?m)\x00(?P<version>{version}[-._a-zA-Z0-9]*)\x00",
        };
        let content = b"junk\x003.5\x00more\x003.8.16\x00end";
        assert_eq!(
            first(&evidence, "/usr/bin/python3.8", content).as_deref(),
            Some("3.8.16")
        );
        assert_eq!(first(&evidence, "/usr/bin/python", content), None);
        assert_eq!(first(&evidence, "/usr/bin/python3.9", content), None);
    }
}
