//! Content analysis: every file's metadata and digest, the password file, and a search of
//! small files' content for secrets and for configured patterns, as Anchore's analyzer
//! records them for its `files`, `passwd_file` and `secret_scans` policy gates.

use aho_corasick::AhoCorasick;
use plimsoll_image::{EntryKind, FileIndex, Scope, SearchHit};
use plimsoll_model::{ContentMatch, FileKind, FileRecord, ImageContent};
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use sha2::{Digest, Sha256};

use crate::CatalogError;

/// The password file the `passwd_file` gate reads.
pub const PASSWD_PATH: &str = "/etc/passwd";

/// Anchore's default secret patterns, `NAME=regex` as its analyzer configuration names
/// them, each with an equivalent that Rust's regex engine accepts. It has no look-around,
/// so a consumed character outside the key's class (or the line's end) stands in for it;
/// the leading and trailing `.*` of a pattern that Anchore matches from a line's start
/// make it a search anywhere in the line.
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
        // Anchored at a line's start, as Anchore's search is; one trailing dash decides a
        // match as well as a run of them.
        r"(?im)^-+BEGIN(.*)PRIVATE KEY-",
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

/// The largest file searched, in bytes: Anchore's shipped `MAXFILESIZE`. Credentials,
/// keys and configuration files are small; large files (bundles, archives, data) mostly
/// yield false positives and dominate the cost of searching.
pub const MAX_SEARCHED_FILE: usize = 10_000;

/// Which of Anchore's two search lists a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// `secret_search`, read by the `secret_scans` gate.
    Secret,
    /// `content_search`, read by the `files/content_regex_match` trigger.
    Content,
}

/// One pattern: how Anchore writes it, and the expression that tests one line.
#[derive(Debug, Clone)]
struct Pattern {
    kind: PatternKind,
    /// The name before the first `=`; empty when the pattern has none.
    name: String,
    shown: String,
    line: Regex,
}

/// A compiled set of content patterns, searched over every inspected file of up to
/// [`MAX_SEARCHED_FILE`] bytes. As in Anchore's analyzer, a pattern matches a line when it
/// matches at the line's start; a file matches when one of its lines does.
#[derive(Debug, Clone)]
pub struct ContentSearch {
    /// Anchore's default secret patterns, then extra secret patterns, then content patterns.
    patterns: Vec<Pattern>,
    /// The default secret patterns over a whole file, tried only when one of their
    /// keywords is present: found far faster than the set.
    defaults: RegexSet,
    keywords: AhoCorasick,
    /// The extra and content patterns over a whole file.
    extra: Option<RegexSet>,
}

impl ContentSearch {
    /// Anchore's default secret patterns alone.
    pub fn default_secrets() -> Self {
        Self::new(&[], &[]).expect("the default secret patterns compile")
    }

    /// Anchore's default secret patterns, then `secrets` (each `NAME=REGEX`) and `content`
    /// (each `NAME=REGEX`, or a bare expression when it holds no `=`). An expression is
    /// written as Anchore's analyzer configuration takes it, and must compile here: Rust's
    /// engine has no look-around or back-references.
    pub fn new(secrets: &[String], content: &[String]) -> Result<Self, CatalogError> {
        let mut patterns = Vec::new();
        let mut whole_file = Vec::new();
        for (name, shown, searched) in DEFAULT_SECRET_PATTERNS {
            patterns.push(Pattern {
                kind: PatternKind::Secret,
                name: name.to_string(),
                shown: shown.to_string(),
                line: compile(searched)?,
            });
            whole_file.push(searched.to_string());
        }
        let defaults = RegexSetBuilder::new(&whole_file)
            .size_limit(32 << 20)
            .build()
            .map_err(|e| CatalogError::Pattern(e.to_string()))?;

        let mut extra = Vec::new();
        for (kind, texts) in [
            (PatternKind::Secret, secrets),
            (PatternKind::Content, content),
        ] {
            for text in texts {
                let (name, regex) = match text.split_once('=') {
                    Some((name, regex)) => (name, regex),
                    None if kind == PatternKind::Content => ("", text.as_str()),
                    None => {
                        return Err(CatalogError::Pattern(format!("`{text}` is not NAME=REGEX")))
                    }
                };
                if kind == PatternKind::Secret && name.is_empty() {
                    return Err(CatalogError::Pattern(format!("`{text}` is not NAME=REGEX")));
                }
                // An empty expression would match every line of every file.
                if regex.is_empty() {
                    return Err(CatalogError::Pattern(format!(
                        "`{text}` has an empty pattern"
                    )));
                }
                // Anchore matches each line from its start (Python's `re.match`).
                let searched = format!("(?m)^(?:{regex})");
                patterns.push(Pattern {
                    kind,
                    name: name.to_string(),
                    shown: regex.to_string(),
                    line: compile(&searched)
                        .map_err(|e| CatalogError::Pattern(format!("`{text}`: {e}")))?,
                });
                extra.push(searched);
            }
        }
        let extra = if extra.is_empty() {
            None
        } else {
            Some(
                RegexSetBuilder::new(&extra)
                    .size_limit(32 << 20)
                    .build()
                    .map_err(|e| CatalogError::Pattern(e.to_string()))?,
            )
        };
        Ok(ContentSearch {
            patterns,
            defaults,
            keywords: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(DEFAULT_SECRET_KEYWORDS)
                .map_err(|e| CatalogError::Pattern(e.to_string()))?,
            extra,
        })
    }

    /// Whether Anchore's default secret patterns are all that is searched.
    pub fn is_default(&self) -> bool {
        self.extra.is_none()
    }

    /// A name for what this search finds, for layer caches: layers inspected with
    /// different patterns hold different matches, so they must not share entries.
    pub fn capture_set(&self) -> String {
        if self.is_default() {
            return "image-inspected".into();
        }
        let mut hasher = Sha256::new();
        for pattern in &self.patterns {
            let kind = match pattern.kind {
                PatternKind::Secret => "secret",
                PatternKind::Content => "content",
            };
            hasher.update(format!(
                "{kind}\0{}\0{}\0",
                pattern.name,
                pattern.line.as_str()
            ));
        }
        format!("image-inspected-{}", &hex::encode(hasher.finalize())[..16])
    }

    /// The lines of `content` that each pattern matches, by pattern index and line.
    pub fn matches(&self, content: &[u8]) -> Vec<SearchHit> {
        if content.len() > MAX_SEARCHED_FILE {
            return Vec::new();
        }
        let mut found: Vec<usize> = Vec::new();
        if self.keywords.is_match(content) {
            found.extend(self.defaults.matches(content).iter());
        }
        if let Some(extra) = &self.extra {
            let offset = DEFAULT_SECRET_PATTERNS.len();
            found.extend(extra.matches(content).iter().map(|i| offset + i));
        }
        if found.is_empty() {
            return Vec::new();
        }
        // Matches are rare, so finding their lines one expression at a time costs little.
        let mut hits = Vec::new();
        for (line, text) in content.split_inclusive(|&b| b == b'\n').enumerate() {
            for &index in &found {
                if self.patterns[index].line.is_match(text) {
                    hits.push(SearchHit {
                        pattern: index as u32,
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                    });
                }
            }
        }
        hits
    }
}

fn compile(regex: &str) -> Result<Regex, CatalogError> {
    RegexBuilder::new(regex)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| CatalogError::Pattern(e.to_string()))
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
        let hits = inspected.map_or(&[][..], |found| &found.matches);
        for hit in hits {
            let Some(pattern) = search.patterns.get(hit.pattern as usize) else {
                continue;
            };
            let list = match pattern.kind {
                PatternKind::Secret => &mut content.secrets,
                PatternKind::Content => &mut content.content_matches,
            };
            match list.last_mut() {
                Some(last)
                    if last.path == path
                        && last.regex == pattern.shown
                        && last.name == pattern.name =>
                {
                    last.lines.push(hit.line)
                }
                _ => list.push(ContentMatch {
                    path: path.to_string(),
                    name: pattern.name.clone(),
                    regex: pattern.shown.clone(),
                    lines: vec![hit.line],
                }),
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
        let mut names: Vec<String> = search
            .matches(text.as_bytes())
            .into_iter()
            .map(|hit| search.patterns[hit.pattern as usize].name.clone())
            .collect();
        names.dedup();
        names
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
    fn a_pattern_matches_from_the_start_of_a_line() {
        let search = ContentSearch::default_secrets();
        assert_eq!(
            names(&search, "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n"),
            ["PRIV_KEY"]
        );
        assert!(names(&search, "echo '-----BEGIN RSA PRIVATE KEY-----'\n").is_empty());
    }

    #[test]
    fn hits_carry_their_lines_and_large_files_are_not_searched() {
        let search = ContentSearch::default_secrets();
        let text = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\nx\naws_access_key_id = AKIAIOSFODNN7EXAMPLF\n";
        let lines: Vec<u32> = search
            .matches(text.as_bytes())
            .iter()
            .map(|h| h.line)
            .collect();
        assert_eq!(lines, [1, 3]);

        let mut large = text.to_string();
        large.push_str(&"#".repeat(MAX_SEARCHED_FILE));
        assert!(search.matches(large.as_bytes()).is_empty());
    }

    #[test]
    fn extra_secret_and_content_patterns() {
        let search = ContentSearch::new(
            &["TOKEN=.*tok_[a-z]{8}".into()],
            &["DEBUG=debug_mode".into(), ".*password".into()],
        )
        .unwrap();
        assert!(!search.is_default());
        assert!(ContentSearch::default_secrets().is_default());
        assert_eq!(
            ContentSearch::default_secrets().capture_set(),
            "image-inspected"
        );
        assert_ne!(search.capture_set(), "image-inspected");
        // Named by the part before the first `=`, as Anchore splits them.
        assert_eq!(names(&search, "x tok_abcdefgh"), ["TOKEN"]);
        assert_eq!(names(&search, "debug_mode = 1\n"), ["DEBUG"]);
        assert!(
            names(&search, "# debug_mode = 1\n").is_empty(),
            "anchored at a line start"
        );
        let hits = search.matches(b"user\nthe password is\n");
        assert_eq!(hits.len(), 1);
        let pattern = &search.patterns[hits[0].pattern as usize];
        assert_eq!(
            (
                pattern.kind,
                pattern.name.as_str(),
                pattern.shown.as_str(),
                hits[0].line
            ),
            (PatternKind::Content, "", ".*password", 1)
        );

        assert!(ContentSearch::new(&["no-name".into()], &[]).is_err());
        assert!(ContentSearch::new(&["BAD=(".into()], &[]).is_err());
        assert!(ContentSearch::new(&[], &["EMPTY=".into()]).is_err());
        let lookaround = ContentSearch::new(&[], &["(?<!x)y".into()]).unwrap_err();
        assert!(lookaround.to_string().contains("(?<!x)y"), "{lookaround}");
    }
}
