//! The package entries of `composer.lock` and `installed.json`. Composer writes one JSON
//! document per file; Syft reads a stream of them, so a file with several concatenated
//! documents yields the packages of each. `packages-dev` is not read (Syft leaves
//! development packages out).

use std::collections::BTreeMap;

use serde::Deserialize;

use plimsoll_model::metadata::{PhpComposerAuthor, PhpComposerEntry, PhpComposerReference};

/// One package entry: its metadata and, apart, its licenses.
#[derive(Debug, Default)]
pub(super) struct Entry {
    pub licenses: Vec<String>,
    pub entry: PhpComposerEntry,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawEntry {
    name: String,
    version: String,
    source: RawReference,
    dist: RawReference,
    require: BTreeMap<String, String>,
    provide: BTreeMap<String, String>,
    #[serde(rename = "require-dev")]
    require_dev: BTreeMap<String, String>,
    suggest: BTreeMap<String, String>,
    license: Option<Vec<String>>,
    #[serde(rename = "type")]
    package_type: String,
    #[serde(rename = "notification-url")]
    notification_url: String,
    bin: Vec<String>,
    authors: Vec<RawAuthor>,
    description: String,
    homepage: String,
    keywords: Vec<String>,
    time: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawReference {
    #[serde(rename = "type")]
    reference_type: String,
    url: String,
    reference: String,
    shasum: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawAuthor {
    name: String,
    email: String,
    homepage: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Lock {
    packages: Vec<RawEntry>,
}

/// `installed.json`: Composer 2 wraps the list in an object, Composer 1 writes it bare.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Installed {
    V2 {
        #[serde(default)]
        packages: Vec<RawEntry>,
    },
    V1(Vec<RawEntry>),
}

/// The entries of `packages` in each document of a `composer.lock`.
pub(super) fn parse_lock(bytes: &[u8]) -> Result<Vec<Entry>, serde_json::Error> {
    let mut entries = Vec::new();
    for lock in serde_json::Deserializer::from_slice(bytes).into_iter::<Lock>() {
        entries.extend(lock?.packages.into_iter().map(Entry::from));
    }
    Ok(entries)
}

/// The entries of each document of an `installed.json`, in either shape.
pub(super) fn parse_installed(bytes: &[u8]) -> Result<Vec<Entry>, serde_json::Error> {
    let mut entries = Vec::new();
    for installed in serde_json::Deserializer::from_slice(bytes).into_iter::<Installed>() {
        let packages = match installed? {
            Installed::V2 { packages } | Installed::V1(packages) => packages,
        };
        entries.extend(packages.into_iter().map(Entry::from));
    }
    Ok(entries)
}

impl From<RawReference> for PhpComposerReference {
    fn from(raw: RawReference) -> Self {
        PhpComposerReference {
            reference_type: raw.reference_type,
            url: raw.url,
            reference: raw.reference,
            shasum: raw.shasum,
        }
    }
}

impl From<RawEntry> for Entry {
    fn from(raw: RawEntry) -> Self {
        Entry {
            licenses: raw.license.unwrap_or_default(),
            entry: PhpComposerEntry {
                name: raw.name,
                version: raw.version,
                source: raw.source.into(),
                dist: raw.dist.into(),
                require: raw.require,
                provide: raw.provide,
                require_dev: raw.require_dev,
                suggest: raw.suggest,
                package_type: raw.package_type,
                notification_url: raw.notification_url,
                bin: raw.bin,
                authors: raw
                    .authors
                    .into_iter()
                    .map(|a| PhpComposerAuthor {
                        name: a.name,
                        email: a.email,
                        homepage: a.homepage,
                    })
                    .collect(),
                description: raw.description,
                homepage: raw.homepage,
                keywords: raw.keywords,
                time: raw.time,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"name": "psr/container", "version": "2.0.2",
        "source": {"type": "git", "url": "https://h/c.git", "reference": "c71e"},
        "require": {"php": ">=7.4.0"}, "license": ["MIT"], "extra": {"x": 1}}"#;

    #[test]
    fn lock_packages_not_dev_packages() {
        let text = format!(r#"{{"packages": [{ENTRY}], "packages-dev": [{ENTRY}]}}"#);
        let entries = parse_lock(text.as_bytes()).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].licenses, vec!["MIT"]);
        assert_eq!(entries[0].entry.source.reference, "c71e");
        assert_eq!(entries[0].entry.require["php"], ">=7.4.0");
    }

    #[test]
    fn installed_in_both_shapes() {
        let v1 = format!("[{ENTRY}]");
        let v2 = format!(r#"{{"packages": [{ENTRY}], "dev": true}}"#);
        assert_eq!(parse_installed(v1.as_bytes()).unwrap().len(), 1);
        assert_eq!(parse_installed(v2.as_bytes()).unwrap().len(), 1);
    }

    #[test]
    fn malformed_documents_are_errors() {
        assert!(parse_lock(b"{\"packages\": [").is_err());
        assert!(parse_lock(br#"{"packages": [{"name": 5}]}"#).is_err());
        assert!(parse_installed(b"bogus").is_err());
        assert!(parse_installed(b"").unwrap().is_empty());
    }
}
