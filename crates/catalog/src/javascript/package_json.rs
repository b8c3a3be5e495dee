//! `package.json` manifests (npm's documentation of the file describes the fields): the
//! package's identity, author, repository and licenses.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::go_json::{self, TypeError};

/// `Name <email> (url)`, each part but the name optional. `\s` is spelled out because Go's
/// means ASCII whitespace only.
static AUTHOR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^[\t\n\f\r ]*(?P<name>[^<(]*)([\t\n\f\r ]+<(?P<email>.*)>)?([\t\n\f\r ]\((?P<url>.*)\))?[\t\n\f\r ]*$",
    )
    .ok()
});

/// What a manifest says about its package.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PackageJson {
    pub name: String,
    pub version: String,
    /// `name <email> (url)`, whichever parts are known.
    pub author: String,
    pub homepage: String,
    pub description: String,
    /// The repository URL.
    pub url: String,
    pub private: bool,
    /// The raw `license` and `licenses` fields, when present (even as `null`).
    license: Option<Value>,
    licenses: Option<Value>,
}

/// Every manifest in a file (usually one). Any value of the wrong type makes the whole file
/// unreadable, as it does for Syft.
pub(crate) fn parse_all(text: &str) -> Result<Vec<PackageJson>, ManifestError> {
    go_json::values(text)?
        .iter()
        .map(|value| PackageJson::from_value(value).map_err(ManifestError::from))
        .collect()
}

/// The one manifest a file holds.
pub(crate) fn parse_one(text: &str) -> Result<PackageJson, ManifestError> {
    let value: Value = serde_json::from_str(text)?;
    Ok(PackageJson::from_value(&value)?)
}

/// Why a manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ManifestError {
    #[error("not JSON: {0}")]
    Syntax(#[from] serde_json::Error),
    #[error(transparent)]
    Type(#[from] TypeError),
}

impl PackageJson {
    fn from_value(value: &Value) -> Result<Self, TypeError> {
        let Some(object) = go_json::as_object(value, "package.json")? else {
            return Ok(PackageJson::default());
        };
        go_json::check_string_list(object, "latest")?;
        go_json::check_string_map(object, "dependencies")?;
        Ok(PackageJson {
            name: go_json::string(object, "name")?,
            version: go_json::string(object, "version")?,
            author: author(go_json::field(object, "author"))?,
            homepage: go_json::string(object, "homepage")?,
            description: go_json::string(object, "description")?,
            url: repository_url(go_json::field(object, "repository"))?,
            private: go_json::boolean(object, "private")?,
            license: go_json::field(object, "license").cloned(),
            licenses: go_json::field(object, "licenses").cloned(),
        })
    }

    /// The declared licenses: `license` as a string or a `{type}` object, else the
    /// deprecated `licenses` array of `{type}` objects. Empty values are left out.
    pub(crate) fn licenses(&self) -> Vec<String> {
        let single = match &self.license {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Null) => Some(String::new()),
            Some(Value::Object(object)) => license_type(object),
            _ => None,
        };
        let values = match single {
            Some(value) => vec![value],
            None => match &self.licenses {
                Some(Value::Array(items)) => {
                    let types: Option<Vec<String>> = items
                        .iter()
                        .map(|item| match item {
                            Value::Object(object) => license_type(object),
                            Value::Null => Some(String::new()),
                            _ => None,
                        })
                        .collect();
                    types.unwrap_or_default()
                }
                _ => Vec::new(),
            },
        };
        values.into_iter().filter(|v| !v.is_empty()).collect()
    }
}

/// The `type` of a `{type, url}` license object; `None` when a field is not a string.
fn license_type(object: &Map<String, Value>) -> Option<String> {
    go_json::string(object, "url").ok()?;
    go_json::string(object, "type").ok()
}

/// The author as one string, from `"Name <email> (url)"` or `{name, email, url}`.
fn author(value: Option<&Value>) -> Result<String, TypeError> {
    let (name, email, url) = match value {
        None | Some(Value::Null) => return Ok(String::new()),
        Some(Value::String(text)) => {
            let captures = AUTHOR.as_ref().and_then(|pattern| pattern.captures(text));
            let Some(captures) = captures else {
                return Ok(String::new());
            };
            let part = |name: &str| {
                captures
                    .name(name)
                    .map_or(String::new(), |m| m.as_str().to_string())
            };
            (part("name"), part("email"), part("url"))
        }
        Some(Value::Object(object)) => (
            go_json::string(object, "name").map_err(|_| go_json::type_error("author", "text"))?,
            go_json::string(object, "email").map_err(|_| go_json::type_error("author", "text"))?,
            go_json::string(object, "url").map_err(|_| go_json::type_error("author", "text"))?,
        ),
        Some(_) => return Err(go_json::type_error("author", "a string or an object")),
    };
    let mut out = name;
    if !email.is_empty() {
        out.push_str(&format!(" <{email}>"));
    }
    if !url.is_empty() {
        out.push_str(&format!(" ({url})"));
    }
    Ok(out)
}

/// The repository URL, from a string or a `{type, url}` object of strings.
fn repository_url(value: Option<&Value>) -> Result<String, TypeError> {
    match value {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(Value::Object(object)) if object.values().all(go_json::is_string_or_null) => {
            go_json::string(object, "url")
        }
        Some(_) => Err(go_json::type_error(
            "repository",
            "a string or an object of strings",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> PackageJson {
        parse_one(text).unwrap()
    }

    #[test]
    fn author_strings_split_into_parts() {
        let package = one(r#"{"author": "Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)"}"#);
        assert_eq!(
            package.author,
            "Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)"
        );
        assert_eq!(one(r#"{"author": "  Someone  "}"#).author, "Someone  ");
        assert_eq!(
            one(r#"{"author": {"name": "A", "email": "a@b", "extra": 1}}"#).author,
            "A <a@b>"
        );
        assert!(parse_one(r#"{"author": {"name": 5}}"#).is_err());
        assert!(parse_one(r#"{"author": ["x"]}"#).is_err());
    }

    #[test]
    fn licenses_come_from_either_field() {
        assert_eq!(one(r#"{"license": "MIT"}"#).licenses(), vec!["MIT"]);
        assert_eq!(
            one(r#"{"license": {"type": "ISC", "url": "u"}}"#).licenses(),
            vec!["ISC"]
        );
        assert_eq!(
            one(r#"{"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}"#).licenses(),
            vec!["MIT", "Apache-2.0"]
        );
        assert_eq!(
            one(r#"{"license": ["MIT"], "licenses": [{"type": "BSD"}]}"#).licenses(),
            vec!["BSD"]
        );
        assert!(one(r#"{"licenses": ["MIT"]}"#).licenses().is_empty());
        assert!(one(r#"{"license": null}"#).licenses().is_empty());
    }

    #[test]
    fn wrong_types_make_the_file_unreadable() {
        assert!(parse_one(r#"{"version": 1}"#).is_err());
        assert!(parse_one(r#"{"private": "true"}"#).is_err());
        assert!(parse_one(r#"{"repository": {"url": "u", "directory": 3}}"#).is_err());
        assert!(parse_one(r#"[1]"#).is_err());
        assert_eq!(parse_all("null").unwrap(), vec![PackageJson::default()]);
        assert_eq!(
            one(r#"{"repository": {"type": "git", "url": "https://r"}}"#).url,
            "https://r"
        );
    }
}
