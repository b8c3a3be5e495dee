//! Corrections (Anchore's false-positive management): rewrite the fields of matching
//! packages (CPEs, PURL, name, version) before vulnerability matching. A correction names a
//! content type (`java`, `python`, `os`, ...) and field values the package must have; its
//! replacements may use `{field}` templates filled from the same package.

use plimsoll_model::{Cpe, Package};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::analysis::content;

/// The content types a correction may name.
const MATCH_TYPES: &[&str] = &[
    "os", "java", "python", "npm", "gem", "go", "nuget", "rust", "composer", "binary",
];

/// The fields a correction may replace.
const REPLACEABLE: &[&str] = &["cpes", "cpe", "purl", "package", "name", "version"];

/// A correction as the API takes and shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    #[serde(default)]
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "match")]
    pub matches: CorrectionMatch,
    pub replace: Vec<FieldValue>,
    #[serde(default)]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionMatch {
    #[serde(rename = "type")]
    pub package_type: String,
    #[serde(default)]
    pub field_matches: Vec<FieldValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    pub field_name: String,
    pub field_value: String,
}

/// Reads and checks a correction; the error names what is wrong.
pub fn validate(body: &Value) -> Result<Correction, String> {
    let correction: Correction =
        serde_json::from_value(body.clone()).map_err(|e| format!("not a correction: {e}"))?;
    if correction.kind != "package" {
        return Err(format!(
            "correction type `{}` is not supported (only `package`)",
            correction.kind
        ));
    }
    if !MATCH_TYPES.contains(&correction.matches.package_type.as_str()) {
        return Err(format!(
            "match type `{}` is not one of {}",
            correction.matches.package_type,
            MATCH_TYPES.join(", ")
        ));
    }
    if correction.matches.field_matches.is_empty() {
        return Err("the match needs at least one field_matches entry".into());
    }
    if correction.replace.is_empty() {
        return Err("the correction replaces nothing (`replace` is empty)".into());
    }
    for replacement in &correction.replace {
        if !REPLACEABLE.contains(&replacement.field_name.as_str()) {
            return Err(format!(
                "field `{}` cannot be replaced (one of {})",
                replacement.field_name,
                REPLACEABLE.join(", ")
            ));
        }
        if replacement.field_value.trim().is_empty() {
            return Err(format!(
                "the value for `{}` is empty",
                replacement.field_name
            ));
        }
    }
    Ok(correction)
}

/// A package field by its name in Anchore's content listing (`package`, `version`,
/// `implementation-version`, ...), or `purl`.
fn field(package: &Package, entry: &Value, name: &str) -> Option<String> {
    match name {
        "package" | "name" => Some(package.name.clone()),
        "version" => Some(package.version.clone()),
        "purl" => Some(package.purl.clone()),
        _ => match entry.get(name)? {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        },
    }
}

/// Fills `{field}` templates from the package; unknown fields stay as written.
fn fill(template: &str, package: &Package, entry: &Value) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match field(package, entry, name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Applies every correction to the packages it matches; returns how many were changed.
pub fn apply(packages: &mut [Package], corrections: &[Correction]) -> usize {
    let mut changed = 0;
    for package in packages.iter_mut() {
        let mut touched = false;
        for correction in corrections {
            let (kind, entry) = content::entry(package);
            if kind != correction.matches.package_type {
                continue;
            }
            let matched = correction.matches.field_matches.iter().all(|wanted| {
                field(package, &entry, &wanted.field_name).as_deref()
                    == Some(wanted.field_value.as_str())
            });
            if !matched {
                continue;
            }
            let values: Vec<(&str, String)> = correction
                .replace
                .iter()
                .map(|r| (r.field_name.as_str(), fill(&r.field_value, package, &entry)))
                .collect();
            for (name, value) in values {
                match name {
                    "cpes" | "cpe" => {
                        package.cpes = value
                            .split(',')
                            .map(str::trim)
                            .filter(|cpe| !cpe.is_empty())
                            .map(|cpe| Cpe {
                                cpe: cpe.to_string(),
                                source: "correction".into(),
                            })
                            .collect();
                    }
                    "purl" => package.purl = value,
                    "package" | "name" => package.name = value,
                    "version" => package.version = value,
                    _ => {}
                }
            }
            touched = true;
        }
        changed += usize::from(touched);
    }
    changed
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn jar(name: &str, version: &str) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            package_type: plimsoll_model::PackageType::JavaArchive,
            found_by: String::new(),
            locations: Vec::new(),
            licenses: Vec::new(),
            language: "java".into(),
            cpes: vec![Cpe {
                cpe: format!("cpe:2.3:a:apache:{name}:{version}:*:*:*:*:*:*:*"),
                source: "syft-generated".into(),
            }],
            purl: format!("pkg:maven/{name}/{name}@{version}"),
            metadata: Default::default(),
        }
    }

    #[test]
    fn a_correction_rewrites_the_cpes_of_matching_packages_with_templates() {
        let correction = validate(&json!({
            "type": "package", "description": "log4j is not Apache's here",
            "match": {"type": "java", "field_matches": [{"field_name": "package", "field_value": "log4j"}]},
            "replace": [{"field_name": "cpes", "field_value": "cpe:2.3:a:example:{package}:{version}:*:*:*:*:*:*:*"}]
        }))
        .unwrap();
        let mut packages = vec![jar("log4j", "1.2.17"), jar("commons-io", "2.11.0")];
        assert_eq!(apply(&mut packages, &[correction]), 1);
        assert_eq!(
            packages[0].cpes[0].cpe,
            "cpe:2.3:a:example:log4j:1.2.17:*:*:*:*:*:*:*"
        );
        assert_eq!(packages[0].cpes.len(), 1);
        assert_eq!(
            packages[1].cpes[0].cpe,
            "cpe:2.3:a:apache:commons-io:2.11.0:*:*:*:*:*:*:*"
        );
    }

    #[test]
    fn field_matches_must_all_hold_and_the_type_must_agree() {
        let correction = |package_type: &str, version: &str| {
            validate(&json!({
                "type": "package",
                "match": {"type": package_type, "field_matches": [
                    {"field_name": "package", "field_value": "log4j"},
                    {"field_name": "version", "field_value": version}]},
                "replace": [{"field_name": "version", "field_value": "{version}-patched"}]
            }))
            .unwrap()
        };
        let mut packages = vec![jar("log4j", "1.2.17")];
        assert_eq!(apply(&mut packages, &[correction("python", "1.2.17")]), 0);
        assert_eq!(apply(&mut packages, &[correction("java", "1.2.16")]), 0);
        assert_eq!(apply(&mut packages, &[correction("java", "1.2.17")]), 1);
        assert_eq!(packages[0].version, "1.2.17-patched");
    }

    #[test]
    fn malformed_corrections_are_refused() {
        let cases = [
            (json!({"type": "package"}), "not a correction"),
            (
                json!({"type": "vulnerability", "match": {"type": "java", "field_matches": []}, "replace": []}),
                "only `package`",
            ),
            (
                json!({"type": "package", "match": {"type": "cobol", "field_matches": [{"field_name": "package", "field_value": "x"}]}, "replace": [{"field_name": "cpes", "field_value": "x"}]}),
                "match type `cobol`",
            ),
            (
                json!({"type": "package", "match": {"type": "java", "field_matches": []}, "replace": [{"field_name": "cpes", "field_value": "x"}]}),
                "at least one field_matches",
            ),
            (
                json!({"type": "package", "match": {"type": "java", "field_matches": [{"field_name": "package", "field_value": "x"}]}, "replace": [{"field_name": "licenses", "field_value": "MIT"}]}),
                "field `licenses` cannot be replaced",
            ),
        ];
        for (body, needle) in cases {
            let error = validate(&body).unwrap_err();
            assert!(error.contains(needle), "{body}: {error}");
        }
    }
}
