//! Content analysis: every file's metadata and digest, the password file, and a search of
//! every file's content for secrets, as Anchore's analyzer records them for its `files`,
//! `passwd_file` and `secret_scans` policy gates.

use aho_corasick::AhoCorasick;
use plimsoll_image::{EntryKind, FileIndex, Scope};
use plimsoll_model::{ContentMatch, FileKind, FileRecord, ImageContent};
use regex::bytes::RegexSet;

use crate::CatalogError;

/// The password file the `passwd_file` gate reads.
pub const PASSWD_PATH: &str = "/etc/passwd";

/// Anchore's default secret patterns, `NAME=regex` as its analyzer configuration names
/// them, each with an equivalent that Rust's regex engine accepts. It has no look-around,
/// so a consumed character outside the key's class (or the line's end) stands in for it;
/// the leading and trailing `.*` of a search add nothing to whether a line matches.
const DEFAULT_SECRET_PATTERNS: &[(&str, &str, &str)] = &[
    (
        "AWS_ACCESS_KEY",
        r"(?i).*aws_access_key_id( *=+ *).*(?<![A-Z0-9])[A-Z0-9]{20}(?![A-Z0-9]).*",
        r"(?im)aws_access_key_id( *=+ *)(?:.*[^A-Z0-9\n])?[A-Z0-9]{20}(?:[^A-Z0-9\n]|$)",
    ),
    (
        "AWS_SECRET_KEY",
        r"(?i).*aws_secret_access_key( *=+ *).*(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=]).*",
        r"(?im)aws_secret_access_key( *=+)(?: +| *.*[^A-Za-z0-9/+=\n])[A-Za-z0-9/+=]{40}(?:[^A-Za-z0-9/+=\n]|$)",
    ),
    (
        "PRIV_KEY",
        r"(?i)-+BEGIN(.*)PRIVATE KEY-+",
        // One dash on each side decides a search as well as runs of them, and gives the
        // engine a rare literal (`-begin`) to look for instead of every `-`.
        r"(?i)-BEGIN(.*)PRIVATE KEY-",
    ),
    (
        "DOCKER_AUTH",
        r#"(?i).*"auth": *".+""#,
        r#"(?i)"auth": *".+""#,
    ),
    (
        "API_KEY",
        r"(?i).*api(-|_)key( *=+ *).*(?<![A-Z0-9])[A-Z0-9]{20,60}(?![A-Z0-9]).*",
        r"(?im)api(-|_)key( *=+ *)(?:.*[^A-Z0-9\n])?[A-Z0-9]{20,60}(?:[^A-Z0-9\n]|$)",
    ),
];

/// A literal every default pattern's match contains (ASCII case aside): a file holding
/// none of them cannot match, and is not searched further.
const DEFAULT_SECRET_KEYWORDS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "-begin",
    "\"auth\"",
    "api-key",
    "api_key",
];

/// One named pattern: how Anchore writes it, and what is searched.
#[derive(Debug, Clone)]
struct SecretPattern {
    name: String,
    shown: String,
}

/// A compiled set of named content patterns, searched over every inspected file.
#[derive(Debug, Clone)]
pub struct ContentSearch {
    patterns: Vec<SecretPattern>,
    set: RegexSet,
    /// For the default patterns alone: their keywords, found far faster than the set.
    keywords: Option<AhoCorasick>,
}

impl ContentSearch {
    /// Anchore's default secret patterns.
    pub fn default_secrets() -> Self {
        let patterns = DEFAULT_SECRET_PATTERNS
            .iter()
            .map(|(name, shown, searched)| (*name, *shown, *searched));
        let mut search = Self::build(patterns).expect("the default secret patterns compile");
        search.keywords = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(DEFAULT_SECRET_KEYWORDS)
            .ok();
        search
    }

    /// Extra patterns given as `NAME=regex`, searched as written, after the defaults.
    pub fn with_defaults_and(extra: &[String]) -> Result<Self, CatalogError> {
        let mut patterns: Vec<(String, String, String)> = DEFAULT_SECRET_PATTERNS
            .iter()
            .map(|(n, s, r)| (n.to_string(), s.to_string(), r.to_string()))
            .collect();
        for text in extra {
            let Some((name, regex)) = text
                .split_once('=')
                .filter(|(n, r)| !n.is_empty() && !r.is_empty())
            else {
                return Err(CatalogError::Pattern(format!("`{text}` is not NAME=REGEX")));
            };
            patterns.push((name.to_string(), regex.to_string(), regex.to_string()));
        }
        Self::build(
            patterns
                .iter()
                .map(|(n, s, r)| (n.as_str(), s.as_str(), r.as_str())),
        )
    }

    fn build<'a>(
        patterns: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Result<Self, CatalogError> {
        let mut named = Vec::new();
        let mut searched = Vec::new();
        for (name, shown, regex) in patterns {
            named.push(SecretPattern {
                name: name.to_string(),
                shown: shown.to_string(),
            });
            searched.push(regex.to_string());
        }
        let set = regex::bytes::RegexSetBuilder::new(&searched)
            .size_limit(32 << 20)
            .build()
            .map_err(|e| CatalogError::Pattern(e.to_string()))?;
        Ok(ContentSearch {
            patterns: named,
            set,
            keywords: None,
        })
    }

    /// The indices of the patterns `content` matches.
    pub fn matches(&self, content: &[u8]) -> Vec<u32> {
        if self
            .keywords
            .as_ref()
            .is_some_and(|keywords| !keywords.is_match(content))
        {
            return Vec::new();
        }
        self.set
            .matches(content)
            .into_iter()
            .map(|i| i as u32)
            .collect()
    }
}

/// The content analysis of the squashed file system of `index`, read with inspection on
/// (see `Wanted::inspecting`).
pub fn analyse(index: &FileIndex, search: &ContentSearch) -> ImageContent {
    let mut content = ImageContent::default();
    let Some(view) = index.views(Scope::Squashed).into_iter().next() else {
        return content;
    };
    for (path, entry) in view.entries() {
        let inspected = view.inspected(path);
        content.files.push(FileRecord {
            path: path.to_string(),
            kind: match entry.kind {
                EntryKind::File => FileKind::File,
                EntryKind::Dir => FileKind::Dir,
                EntryKind::Symlink => FileKind::Symlink,
                EntryKind::Hardlink => FileKind::Hardlink,
                EntryKind::Other => FileKind::Other,
            },
            mode: entry.mode & 0o7777,
            uid: entry.uid,
            gid: entry.gid,
            size: entry.size,
            link: entry.link.clone(),
            sha256: inspected.map(|found| hex::encode(found.sha256)),
        });
        for &index in inspected.map_or(&[][..], |found| &found.matches) {
            if let Some(pattern) = search.patterns.get(index as usize) {
                content.secrets.push(ContentMatch {
                    path: path.to_string(),
                    name: pattern.name.clone(),
                    regex: pattern.shown.clone(),
                });
            }
        }
    }
    content.passwd = view
        .read(PASSWD_PATH)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(search: &ContentSearch, text: &str) -> Vec<String> {
        search
            .matches(text.as_bytes())
            .into_iter()
            .map(|i| search.patterns[i as usize].name.clone())
            .collect()
    }

    #[test]
    fn default_patterns_find_what_anchore_finds() {
        let search = ContentSearch::default_secrets();
        let cases: &[(&str, &[&str])] = &[
            (
                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
                &["AWS_ACCESS_KEY"],
            ),
            (
                "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
                &["AWS_ACCESS_KEY"],
            ),
            ("aws_access_key_id: x=AKIAIOSFODNN7EXAMPLE", &[]),
            (
                "aws_access_key_id = 'AKIAIOSFODNN7EXAMPLE'",
                &["AWS_ACCESS_KEY"],
            ),
            // The secret's class holds `=`, so a key glued to it has no boundary.
            (
                "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
                &[],
            ),
            // 21 characters is not a key.
            ("aws_access_key_id = AKIAIOSFODNN7EXAMPLEX\n", &[]),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
                &["AWS_SECRET_KEY"],
            ),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", &["PRIV_KEY"]),
            ("-----BEGIN PUBLIC KEY-----\n", &[]),
            (
                r#"{"auths": {"x": {"auth": "dXNlcjpwYXNz"}}}"#,
                &["DOCKER_AUTH"],
            ),
            ("API_KEY=abcdefghij0123456789abcd\n", &["API_KEY"]),
            ("api-key: short\n", &[]),
            ("nothing to see here\n", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(names(&search, text), *expected, "{text}");
        }
    }

    #[test]
    fn a_key_on_another_line_does_not_complete_a_match() {
        let search = ContentSearch::default_secrets();
        assert!(names(&search, "aws_access_key_id =\nAKIAIOSFODNN7EXAMPLE\n").is_empty());
    }

    #[test]
    fn extra_patterns_must_be_named_and_valid() {
        let search = ContentSearch::with_defaults_and(&["TOKEN=tok_[a-z]{8}".into()]).unwrap();
        assert_eq!(names(&search, "x tok_abcdefgh"), ["TOKEN"]);
        assert!(ContentSearch::with_defaults_and(&["no-name".into()]).is_err());
        assert!(ContentSearch::with_defaults_and(&["BAD=(".into()]).is_err());
    }
}
