//! `.gemspec` files read as text, line by line, as Syft reads them: Ruby is not evaluated,
//! so only `name`, `version`, `homepage`, `files`, `authors` and `licenses` assigned from
//! literals are seen.

use std::sync::LazyLock;

use regex::Regex;

/// What a gemspec assigns. Lists are split on commas as written.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Gemspec {
    pub name: String,
    pub version: String,
    pub homepage: String,
    pub files: Vec<String>,
    pub authors: Vec<String>,
    pub licenses: Vec<String>,
}

/// One assignment pattern per field; a line sets at most one field, the first that
/// matches in this order.
static FIELDS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let string = |field: &str| format!(r#".*\.{field}\s*=\s*["'](.*)["'] *"#);
    let list = |field: &str| format!(r#".*\.{field}\s*=\s*\[(.*)\] *"#);
    [
        ("name", string("name")),
        ("version", string("version")),
        ("homepage", string("homepage")),
        ("files", list("files")),
        ("authors", list("authors")),
        ("licenses", list("licenses")),
    ]
    .into_iter()
    .filter_map(|(field, pattern)| Regex::new(&pattern).ok().map(|re| (field, re)))
    .collect()
});

/// `\u00E9`-style escapes, as `gem build` writes non-ASCII text.
static UNICODE_ESCAPE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\\u([0-9A-F]{4})").ok());

pub(super) fn parse(text: &str) -> Gemspec {
    let mut spec = Gemspec::default();
    for line in text.lines() {
        let line = render_escapes(&line.trim().replace(".freeze", ""));
        if line.is_empty() {
            continue;
        }
        for (field, pattern) in FIELDS.iter() {
            let Some(value) = pattern
                .captures(&line)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str())
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            match *field {
                "name" => spec.name = value.to_string(),
                "version" => spec.version = value.to_string(),
                "homepage" => spec.homepage = value.to_string(),
                "files" => spec.files = list(value),
                "authors" => spec.authors = list(value),
                _ => spec.licenses = list(value),
            }
            break;
        }
    }
    spec
}

/// `"a", "b"` → `[a, b]`: split on commas, quotes and spaces trimmed from each item.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|item| item.trim_matches(|c| c == '"' || c == ' ').to_string())
        .collect()
}

fn render_escapes(line: &str) -> String {
    let Some(pattern) = UNICODE_ESCAPE.as_ref() else {
        return line.to_string();
    };
    pattern
        .replace_all(line, |captures: &regex::Captures<'_>| {
            u32::from_str_radix(&captures[1], 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_else(|| captures[0].to_string())
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_from_a_generated_gemspec() {
        let spec = parse(
            "Gem::Specification.new do |s|\n\
             \x20 s.name = \"bundler\".freeze\n\
             \x20 s.version = \"2.1.4\"\n\
             \x20 s.required_rubygems_version = Gem::Requirement.new(\">= 2.5.2\".freeze)\n\
             \x20 s.authors = [\"Andr\\u00E9 Arko\".freeze, \"Samuel Giddins\".freeze]\n\
             \x20 s.files = [\"exe/bundle\".freeze, \"exe/bundler\".freeze]\n\
             \x20 s.homepage = \"https://bundler.io\".freeze\n\
             \x20 s.licenses = [\"MIT\".freeze]\n\
             \x20 s.rubygems_version = \"3.1.2\".freeze\n\
             end\n",
        );
        assert_eq!(spec.name, "bundler");
        assert_eq!(spec.version, "2.1.4");
        assert_eq!(spec.authors, vec!["André Arko", "Samuel Giddins"]);
        assert_eq!(spec.files, vec!["exe/bundle", "exe/bundler"]);
        assert_eq!(spec.homepage, "https://bundler.io");
        assert_eq!(spec.licenses, vec!["MIT"]);
    }

    #[test]
    fn garbage_names_nothing() {
        assert_eq!(parse("bogus"), Gemspec::default());
        assert_eq!(parse("s.name = \"\\uZZZZ\n\u{0}"), Gemspec::default());
    }
}
