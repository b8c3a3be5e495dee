//! Python core metadata (`METADATA`, `PKG-INFO`): the header block of an RFC 822 style
//! message, as the PyPA core metadata specification describes it.
//!
//! Real files are not always well formed, so the reader keeps what it can, as Syft does:
//! a line without a colon is skipped, a line starting with a space continues the previous
//! field, and the first blank line after a field ends the headers (the description follows).

use std::collections::HashMap;

/// Lines this long or longer end the reading, as they end Syft's line scanner.
const MAX_LINE: usize = 64 * 1024;

/// Fields that may repeat; every other field keeps its last value.
const LIST_FIELDS: &[&str] = &["providesextra", "requiresdist"];

/// Fields whose value must be a structure, not text: a file that sets one is rejected, as
/// Syft's decoder rejects it.
const STRUCTURED_FIELDS: &[&str] = &[
    "files",
    "toplevelpackages",
    "directurlorigin",
    "licenselocation",
];

/// The fields of a metadata file that a package is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CoreMetadata {
    pub name: String,
    pub version: String,
    pub author: String,
    pub author_email: String,
    pub platform: String,
    pub license: String,
    pub license_expression: String,
    pub license_file: String,
    pub requires_python: String,
    pub requires_dist: Vec<String>,
    pub provides_extra: Vec<String>,
}

/// Why a metadata file gives no package.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MetadataError {
    #[error("a continuation line comes before any field: `{0}`")]
    OrphanContinuation(String),
    #[error("field `{0}` holds text where a structure belongs")]
    StructuredField(String),
}

/// One field's value: text, or the values of a field that may repeat.
enum Value {
    Text(String),
    List(Vec<String>),
}

/// Parses the header block of a metadata file.
pub(crate) fn parse(text: &str) -> Result<CoreMetadata, MetadataError> {
    // Field names are matched without dashes and case (`Author-email` is `authoremail`).
    let mut fields: HashMap<String, Value> = HashMap::new();
    let mut key = String::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.len() >= MAX_LINE {
            break;
        }
        if line.is_empty() {
            if fields.is_empty() {
                continue;
            }
            break;
        }
        if line.starts_with(' ') {
            let Some(value) = fields.get_mut(&key) else {
                return Err(MetadataError::OrphanContinuation(line.to_string()));
            };
            continue_field(value, line.trim());
            continue;
        }
        let Some(colon) = line.find(':').filter(|&i| i > 0) else {
            tracing::debug!(line, "skipping a python metadata line that is not a field");
            continue;
        };
        key = line[..colon].trim().replace('-', "").to_lowercase();
        let value = line[colon + 1..].trim().to_string();
        if LIST_FIELDS.contains(&key.as_str()) {
            match fields.get_mut(&key) {
                Some(Value::List(values)) => values.push(value),
                Some(Value::Text(previous)) => {
                    let previous = std::mem::take(previous);
                    fields.insert(key.clone(), Value::List(vec![previous, value]));
                }
                None => {
                    fields.insert(key.clone(), Value::List(vec![value]));
                }
            }
        } else {
            fields.insert(key.clone(), Value::Text(value));
        }
    }

    if let Some(field) = STRUCTURED_FIELDS.iter().find(|f| fields.contains_key(**f)) {
        return Err(MetadataError::StructuredField(field.to_string()));
    }
    let mut text_field = |name: &str| match fields.remove(name) {
        Some(Value::Text(text)) => text,
        Some(Value::List(mut values)) => values.pop().unwrap_or_default(),
        None => String::new(),
    };
    let mut metadata = CoreMetadata {
        name: text_field("name"),
        version: text_field("version"),
        author: text_field("author"),
        author_email: text_field("authoremail"),
        platform: text_field("platform"),
        license: text_field("license"),
        license_expression: text_field("licenseexpression"),
        license_file: text_field("licensefile"),
        requires_python: text_field("requirespython"),
        ..CoreMetadata::default()
    };
    let mut list_field = |name: &str| match fields.remove(name) {
        Some(Value::List(values)) => values,
        Some(Value::Text(text)) => vec![text],
        None => Vec::new(),
    };
    metadata.requires_dist = list_field("requiresdist");
    metadata.provides_extra = list_field("providesextra");
    Ok(metadata)
}

/// Appends a continuation line to a field (to the last value of a repeated one).
fn continue_field(value: &mut Value, line: &str) {
    let last = match value {
        Value::Text(text) => text,
        Value::List(values) => {
            if values.is_empty() {
                values.push(String::new());
            }
            match values.last_mut() {
                Some(last) => last,
                None => return,
            }
        }
    };
    last.push_str("\n ");
    last.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header_block() {
        let text = "Metadata-Version: 2.1\r\nName: Pygments\nVersion: 2.6.1\n\
            Author-email: georg@python.org\nLicense: BSD License\n  and more\n\
            Requires-Dist: soupsieve (>1.2)\nRequires-Dist: lxml ; extra == 'lxml'\n\
            Provides-Extra: lxml\nno colon here\n\nName: ignored, the description\n";
        let metadata = parse(text).unwrap();
        assert_eq!(metadata.name, "Pygments");
        assert_eq!(metadata.version, "2.6.1");
        assert_eq!(metadata.author_email, "georg@python.org");
        assert_eq!(metadata.license, "BSD License\n and more");
        assert_eq!(
            metadata.requires_dist,
            vec!["soupsieve (>1.2)", "lxml ; extra == 'lxml'"]
        );
        assert_eq!(metadata.provides_extra, vec!["lxml"]);
    }

    #[test]
    fn leading_blank_lines_are_skipped_and_repeats_keep_the_last_value() {
        let metadata = parse("\n\nName: a\nName: b\nLicense-Expression: MIT\n").unwrap();
        assert_eq!(metadata.name, "b");
        assert_eq!(metadata.license_expression, "MIT");
    }

    #[test]
    fn malformed_files_give_no_metadata() {
        assert!(matches!(
            parse(" orphan\nName: x\n"),
            Err(MetadataError::OrphanContinuation(_))
        ));
        assert!(matches!(
            parse("Name: x\nFiles: a.py\n"),
            Err(MetadataError::StructuredField(_))
        ));
        assert_eq!(parse("bogus").unwrap().name, "");
        assert_eq!(parse("").unwrap(), CoreMetadata::default());
    }
}
