//! `yarn.lock`, both yarn 1's format and yarn 2+ ("berry") YAML, read line by line with the
//! patterns Syft uses, so that the same packages come out: an entry's name from its header
//! line, its version from `version`, name and version from a registry `resolved` URL, and
//! an `integrity` line closing the entry.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

/// Lines this long or longer make the file unreadable, as they stop Syft's line scanner.
const MAX_LINE: usize = 64 * 1024;

/// The character classes below spell out Go's ASCII-only `\w`, `\W`, `\s` and `\d`.
static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    Some(Patterns {
        package_name: Regex::new(
            r#"^"?((?:@[0-9A-Za-z_][0-9A-Za-z_\-.]*/)?[0-9A-Za-z_][0-9A-Za-z_\-.]*)@"#,
        )
        .ok()?,
        version: Regex::new(
            r#"^[^0-9A-Za-z_]+version(?:[^0-9A-Za-z_]+"|:[^0-9A-Za-z_]+)([0-9A-Za-z_\-.]+)"?"#,
        )
        .ok()?,
        registry_url: Regex::new(
            r#"^[\t\n\f\r ]+resolved[\t\n\f\r ]+"https://registry\.(?:yarnpkg\.com|npmjs\.org)/(.+?)/-/(?:.+?)-([0-9]+\..+?)\.tgz"#,
        )
        .ok()?,
        resolved: Regex::new(r#"^[\t\n\f\r ]+resolved[\t\n\f\r ]+"(.+?)""#).ok()?,
        integrity: Regex::new(r"^[\t\n\f\r ]+integrity[\t\n\f\r ]+([^\t\n\f\r ]+)").ok()?,
    })
});

struct Patterns {
    package_name: Regex,
    version: Regex,
    registry_url: Regex,
    resolved: Regex,
    integrity: Regex,
}

/// One package the lock file pins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct YarnEntry {
    pub name: String,
    pub version: String,
    pub resolved: String,
    pub integrity: String,
}

/// The entries of a lock file, each name and version once; empty when a line is too long.
pub(crate) fn parse(text: &str) -> Vec<YarnEntry> {
    let Some(patterns) = PATTERNS.as_ref() else {
        return Vec::new();
    };
    let capture = |pattern: &Regex, line: &str, group: usize| {
        pattern
            .captures(line)
            .and_then(|c| c.get(group))
            .map_or("", |m| m.as_str())
            .to_string()
    };

    let mut entries = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut current = YarnEntry::default();
    for line in text.lines() {
        if line.len() >= MAX_LINE {
            return Vec::new();
        }
        let name = capture(&patterns.package_name, line, 1);
        if !name.is_empty() {
            // A new entry starts: keep the last one if it is complete. Its version and
            // resolved URL carry over until replaced, as they do in Syft.
            if !current.name.is_empty() && !current.version.is_empty() {
                emit(&current, "", &mut seen, &mut entries);
            }
            current.name = name;
            continue;
        }
        let version = capture(&patterns.version, line, 1);
        if !version.is_empty() {
            current.version = version;
            continue;
        }
        let from_url = patterns.registry_url.captures(line).and_then(|c| {
            Some((
                c.get(1)?.as_str().to_string(),
                c.get(2)?.as_str().to_string(),
            ))
        });
        let resolved = capture(&patterns.resolved, line, 1);
        if let Some((name, version)) = from_url.filter(|_| !resolved.is_empty()) {
            current = YarnEntry {
                name,
                version,
                resolved,
                ..current
            };
            continue;
        }
        let integrity = capture(&patterns.integrity, line, 1);
        if !integrity.is_empty() && !seen.contains(&format!("{}@{}", current.name, current.version))
        {
            emit(&current, &integrity, &mut seen, &mut entries);
            current = YarnEntry::default();
        }
    }
    if !current.name.is_empty() && !current.version.is_empty() {
        emit(&current, "", &mut seen, &mut entries);
    }
    entries
}

/// Keeps `entry` (with `integrity`) unless its name and version were kept already.
fn emit(
    entry: &YarnEntry,
    integrity: &str,
    seen: &mut HashSet<String>,
    entries: &mut Vec<YarnEntry>,
) {
    if seen.insert(format!("{}@{}", entry.name, entry.version)) {
        entries.push(YarnEntry {
            integrity: integrity.to_string(),
            ..entry.clone()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yarn_1_entries_close_with_integrity() {
        let text = r#"# yarn lockfile v1

"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.10.4"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.10.4.tgz#168d"
  integrity sha512-vG6S==
  dependencies:
    "@babel/highlight" "^7.10.4"

"@types/qs@^6.2.31":
  version "6.9.4"
  resolved "https://registry.yarnpkg.com/@types/qs/-/qs-6.9.4.tgz#a59e"
  integrity sha512-+wYo==

"@types/qs@^6.2.31":
  version "6.9.4"
  integrity sha512-+wYo==

should-type@shouldjs/type#31d2:
  version "1.3.0"
  resolved "https://github.com/shouldjs/type.git#31d2"
"#;
        let entries = parse(text);
        let names: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.version.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("@babel/code-frame", "7.10.4"),
                ("@types/qs", "6.9.4"),
                ("should-type", "1.3.0")
            ]
        );
        assert_eq!(entries[0].integrity, "sha512-vG6S==");
        assert!(entries[0].resolved.ends_with("code-frame-7.10.4.tgz#168d"));
        assert_eq!(entries[2].resolved, "");
    }

    #[test]
    fn berry_entries_close_at_the_next_header() {
        let text = r#"__metadata:
  version: 6
  cacheKey: 8

"@types/minimatch@npm:3.0.3":
  version: 3.0.3
  resolution: "@types/minimatch@npm:3.0.3"
  checksum: b802

"c0n-fab_u.laTION@workspace:.":
  version: 7.7.7
  resolution: "c0n-fab_u.laTION@workspace:."
"#;
        let entries = parse(text);
        let names: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.version.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![("@types/minimatch", "3.0.3"), ("c0n-fab_u.laTION", "7.7.7")]
        );
        assert_eq!(entries[0].resolved, "");
    }
}
