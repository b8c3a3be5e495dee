//! npm's `package-lock.json`: lockfile version 1 lists `dependencies` by name; versions 2
//! and 3 list `packages` by install path (`node_modules/a/node_modules/b`), the root
//! project under the empty key. Development-only entries are left out, as Syft leaves them.

use serde_json::{Map, Value};

use super::go_json::{self, TypeError};

/// One package the lock file pins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LockEntry {
    pub name: String,
    pub version: String,
    pub resolved: String,
    pub integrity: String,
    /// Licenses the entry itself declares (lockfile versions 2 and 3).
    pub licenses: Vec<String>,
}

/// Why a lock file could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    #[error("not JSON: {0}")]
    Syntax(#[from] serde_json::Error),
    #[error(transparent)]
    Type(#[from] TypeError),
}

/// The lock file's top level; several JSON values in one file add up, as they do when Go
/// decodes them one after another into the same structure.
#[derive(Default)]
struct Lock {
    version: i64,
    dependencies: Vec<(String, Map<String, Value>)>,
    packages: Vec<(String, Map<String, Value>)>,
}

/// The entries of a lock file, in no particular order.
pub(crate) fn parse(text: &str) -> Result<Vec<LockEntry>, LockError> {
    let mut lock = Lock::default();
    for value in go_json::values(text)? {
        let Some(object) = go_json::as_object(&value, "package-lock.json")? else {
            continue;
        };
        go_json::boolean(object, "requires")?;
        match go_json::field(object, "lockfileVersion") {
            None | Some(Value::Null) => {}
            Some(Value::Number(number)) => {
                lock.version = number
                    .as_i64()
                    .ok_or_else(|| go_json::type_error("lockfileVersion", "an integer"))?;
            }
            Some(_) => return Err(go_json::type_error("lockfileVersion", "an integer").into()),
        }
        merge(&mut lock.dependencies, object, "dependencies")?;
        merge(&mut lock.packages, object, "packages")?;
    }

    // Go decodes every entry before any is used, so a mistyped field anywhere is an error.
    for (_, dependency) in &lock.dependencies {
        check_entry(dependency, &["version", "resolved", "integrity"])?;
    }
    for (_, package) in &lock.packages {
        check_entry(package, &["name", "version", "resolved", "integrity"])?;
    }

    let mut entries = Vec::new();
    match lock.version {
        1 => {
            for (name, dependency) in &lock.dependencies {
                if go_json::boolean(dependency, "dev")? {
                    continue;
                }
                let (name, version) = unalias(name, &go_json::string(dependency, "version")?);
                entries.push(LockEntry {
                    name,
                    version,
                    resolved: go_json::string(dependency, "resolved")?,
                    integrity: go_json::string(dependency, "integrity")?,
                    licenses: Vec::new(),
                });
            }
        }
        2 | 3 => {
            for (path, package) in &lock.packages {
                let declared_name = go_json::string(package, "name")?;
                if path.is_empty() && declared_name.is_empty() {
                    continue;
                }
                if go_json::boolean(package, "dev")? {
                    continue;
                }
                // An alias installs a package under another directory name; `name` gives
                // the real one.
                let name = if declared_name.is_empty() {
                    path.as_str()
                } else {
                    declared_name.as_str()
                };
                entries.push(LockEntry {
                    name: name_from_path(name).to_string(),
                    version: go_json::string(package, "version")?,
                    resolved: go_json::string(package, "resolved")?,
                    integrity: go_json::string(package, "integrity")?,
                    licenses: lock_licenses(go_json::field(package, "license")),
                });
            }
        }
        _ => {}
    }
    Ok(entries)
}

/// Adds the entries of map field `name` to `into`; a later entry with the same key replaces
/// an earlier one.
fn merge(
    into: &mut Vec<(String, Map<String, Value>)>,
    object: &Map<String, Value>,
    name: &str,
) -> Result<(), TypeError> {
    let entries = match go_json::field(object, name) {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Object(entries)) => entries,
        Some(_) => return Err(go_json::type_error(name, "an object")),
    };
    for (key, value) in entries {
        let entry = match value {
            Value::Object(entry) => entry.clone(),
            Value::Null => Map::new(),
            _ => return Err(go_json::type_error(key, "an object")),
        };
        into.retain(|(existing, _)| existing != key);
        into.push((key.clone(), entry));
    }
    Ok(())
}

/// Checks that an entry's text fields are strings and its `dev` flag a boolean.
fn check_entry(entry: &Map<String, Value>, text_fields: &[&str]) -> Result<(), TypeError> {
    for name in text_fields {
        go_json::string(entry, name)?;
    }
    go_json::boolean(entry, "dev")?;
    Ok(())
}

/// Resolves an npm alias (`"version": "npm:real-name@1.2.3"`, npm RFC 0001) to the real
/// name and version.
fn unalias(name: &str, version: &str) -> (String, String) {
    if let Some(target) = version.strip_prefix("npm:") {
        if let Some((real, real_version)) = target.rsplit_once('@') {
            return (real.to_string(), real_version.to_string());
        }
    }
    (name.to_string(), version.to_string())
}

/// The package name at the end of an install path.
fn name_from_path(path: &str) -> &str {
    path.rsplit("node_modules/").next().unwrap_or(path)
}

/// A lock entry's `license`: a string or an array of strings; anything else is ignored.
fn lock_licenses(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => vec![text.clone()],
        Some(Value::Array(items)) if items.iter().all(go_json::is_string_or_null) => items
            .iter()
            .map(|item| item.as_str().unwrap_or("").to_string())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut entries: Vec<LockEntry>) -> Vec<(String, String)> {
        entries.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
        entries.into_iter().map(|e| (e.name, e.version)).collect()
    }

    #[test]
    fn version_1_reads_dependencies_and_aliases() {
        let text = r#"{"lockfileVersion": 1, "dependencies": {
            "case": {"version": "1.6.2"},
            "chai": {"version": "npm:@bundled-es-modules/chai@4.2.2"},
            "devonly": {"version": "1.0.0", "dev": true}}}"#;
        assert_eq!(
            sorted(parse(text).unwrap()),
            vec![
                ("@bundled-es-modules/chai".into(), "4.2.2".into()),
                ("case".into(), "1.6.2".into())
            ]
        );
    }

    #[test]
    fn versions_2_and_3_read_packages_by_path() {
        let text = r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "root", "version": "1.0.0", "license": "ISC"},
            "node_modules/a/node_modules/@s/b": {"version": "2.0.0", "license": ["MIT"]},
            "node_modules/alias": {"name": "real", "version": "3.0.0"},
            "node_modules/d": {"version": "4.0.0", "dev": true}}}"#;
        let entries = parse(text).unwrap();
        assert_eq!(
            sorted(entries.clone()),
            vec![
                ("@s/b".into(), "2.0.0".into()),
                ("real".into(), "3.0.0".into()),
                ("root".into(), "1.0.0".into())
            ]
        );
        let root = entries.iter().find(|e| e.name == "root").unwrap();
        assert_eq!(root.licenses, vec!["ISC"]);
    }

    #[test]
    fn unnamed_roots_and_other_versions_give_nothing() {
        assert!(
            parse(r#"{"lockfileVersion": 2, "packages": {"": {"version": "1"}}}"#)
                .unwrap()
                .is_empty()
        );
        assert!(parse(r#"{"lockfileVersion": 9, "packages": {"x": {}}}"#)
            .unwrap()
            .is_empty());
        assert!(parse(r#"{"lockfileVersion": "2"}"#).is_err());
        assert!(parse(r#"{"lockfileVersion": 2, "packages": {"x": {"version": 2}}}"#).is_err());
        assert!(parse("bogus").is_err());
    }
}
