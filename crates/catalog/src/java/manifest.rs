//! JAR manifests (`META-INF/MANIFEST.MF`): `Key: value` lines in sections separated by
//! blank lines, a line starting with a space continuing the previous value (JAR File
//! Specification, "Manifest Specification").

use plimsoll_model::metadata::{JavaManifest, KeyValue};

/// Parses a manifest. Lines that are not `key: value` are skipped, as Syft skips them.
pub(crate) fn parse(text: &str) -> JavaManifest {
    let mut sections: Vec<Vec<KeyValue>> = Vec::new();
    let mut in_section = false;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            in_section = false;
            continue;
        }
        if let Some(continuation) = line.strip_prefix(' ') {
            // The specification keeps the continuation verbatim; Syft trims it, and the
            // values are compared with Syft's.
            if in_section {
                if let Some(last) = sections.last_mut().and_then(|s| s.last_mut()) {
                    last.value.push_str(continuation.trim());
                }
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        if !in_section {
            sections.push(Vec::new());
            in_section = true;
        }
        if let Some(section) = sections.last_mut() {
            section.push(KeyValue {
                key: key.to_string(),
                value: value.trim().to_string(),
            });
        }
    }
    let mut sections = sections.into_iter();
    JavaManifest {
        main: sections.next().unwrap_or_default(),
        sections: sections.collect(),
    }
}

/// The first non-empty value of `key`, in the main section or else in a named one.
pub(crate) fn field<'m>(manifest: &'m JavaManifest, key: &str) -> Option<&'m str> {
    std::iter::once(&manifest.main)
        .chain(&manifest.sections)
        .filter_map(|section| section.iter().find(|entry| entry.key == key))
        .map(|entry| entry.value.as_str())
        .find(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_continuations() {
        let manifest = parse(
            "Manifest-Version: 1.0\r\nBundle-Name: a lo\r\n ng name\r\nnot a field\r\n\r\n\
             Name: x/y\nImplementation-Version: 2\n\n\n",
        );
        assert_eq!(manifest.main.len(), 2);
        assert_eq!(manifest.main_value("Bundle-Name"), Some("a long name"));
        assert_eq!(manifest.sections.len(), 1);
        assert_eq!(field(&manifest, "Implementation-Version"), Some("2"));
        assert_eq!(field(&manifest, "Missing"), None);
    }

    #[test]
    fn a_continuation_without_a_key_is_ignored() {
        let manifest = parse(" orphan\nA: b\n");
        assert_eq!(manifest.main_value("A"), Some("b"));
        assert_eq!(manifest.main.len(), 1);
    }
}
