//! Package licenses as CycloneDX license choices, grouped as Syft groups them: SPDX
//! identifiers as `license.id`, other names as `license.name` (one entry per URL), and SPDX
//! expressions as one merged `expression` when nothing else is present, else as names.

use plimsoll_model::License;

use super::document::{self, LicenseChoice};

/// The license choices for a package's licenses.
pub(crate) fn encode(licenses: &[License]) -> Vec<LicenseChoice> {
    let mut sorted: Vec<&License> = licenses.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.value, &a.spdx_expression, &a.license_type, &a.urls).cmp(&(
            &b.value,
            &b.spdx_expression,
            &b.license_type,
            &b.urls,
        ))
    });

    let mut identified = Vec::new();
    let mut named = Vec::new();
    let mut expressions: Vec<&str> = Vec::new();
    for license in sorted {
        let expression = license.spdx_expression.as_str();
        if is_license_id(expression) {
            push_per_url(&mut identified, license, |url| document::License {
                id: expression.to_string(),
                url,
                ..Default::default()
            });
        } else if !expression.is_empty() {
            expressions.push(expression);
        } else if !license.value.is_empty() {
            push_per_url(&mut named, license, |url| document::License {
                name: license.value.clone(),
                url,
                ..Default::default()
            });
        }
    }
    expressions.dedup();

    if identified.is_empty() && named.is_empty() {
        if expressions.is_empty() {
            return Vec::new();
        }
        return vec![LicenseChoice {
            expression: Some(merge_expressions(&expressions)),
            ..Default::default()
        }];
    }
    // A CycloneDX `licenses` list holds either licenses or one expression, so alongside
    // licenses an expression can only be written as a license name.
    let as_names = expressions.iter().map(|expression| document::License {
        name: expression.to_string(),
        ..Default::default()
    });
    let mut choices: Vec<LicenseChoice> = identified
        .into_iter()
        .chain(named)
        .chain(as_names)
        .map(|license| LicenseChoice {
            license: Some(license),
            ..Default::default()
        })
        .collect();
    choices.dedup();
    choices
}

/// Reads license choices back into licenses: an identifier or an expression is its own SPDX
/// expression; a name has none. Syft does not say whether a license was declared or
/// concluded, so without CycloneDX 1.6's `acknowledgement` a license comes back declared.
/// Entries for the same license with different URLs are merged.
pub(crate) fn decode(choices: &[LicenseChoice]) -> Vec<License> {
    let mut licenses: Vec<License> = Vec::new();
    for choice in choices {
        let (value, spdx_expression, url, acknowledgement) =
            match (&choice.license, &choice.expression) {
                (Some(license), _) if !license.id.is_empty() => (
                    license.id.clone(),
                    license.id.clone(),
                    license.url.clone(),
                    &license.acknowledgement,
                ),
                (Some(license), _) if !license.name.is_empty() => (
                    license.name.clone(),
                    String::new(),
                    license.url.clone(),
                    &license.acknowledgement,
                ),
                (_, Some(expression)) if !expression.is_empty() => (
                    expression.clone(),
                    expression.clone(),
                    String::new(),
                    &choice.acknowledgement,
                ),
                _ => continue,
            };
        let license_type = match acknowledgement.as_str() {
            "concluded" => "concluded",
            _ => "declared",
        };
        let existing = licenses.iter().position(|l| {
            l.value == value
                && l.spdx_expression == spdx_expression
                && l.license_type == license_type
        });
        let index = existing.unwrap_or_else(|| {
            licenses.push(License {
                value,
                spdx_expression,
                license_type: license_type.to_string(),
                urls: Vec::new(),
                locations: Vec::new(),
            });
            licenses.len() - 1
        });
        let license = &mut licenses[index];
        if !url.is_empty() && !license.urls.contains(&url) {
            license.urls.push(url);
        }
    }
    licenses
}

/// True for a single SPDX license identifier (as opposed to a compound expression or a
/// `LicenseRef-`). Syft checks identifiers against the SPDX license list; Plimsoll trusts
/// the model, whose `spdx_expression` holds only list identifiers or expressions.
pub(crate) fn is_license_id(expression: &str) -> bool {
    !expression.is_empty()
        && !expression.starts_with("LicenseRef-")
        && !expression.starts_with("DocumentRef-")
        && expression
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
}

/// Joins several expressions with `AND`, parenthesising each that is not already, as Syft
/// does (`(BSD-3-Clause AND ISC) AND (GPL-2.0-only OR MIT)`).
fn merge_expressions(expressions: &[&str]) -> String {
    if let [only] = expressions {
        return only.to_string();
    }
    expressions
        .iter()
        .map(|expression| {
            if expression.starts_with('(') && expression.ends_with(')') {
                expression.to_string()
            } else {
                format!("({expression})")
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn push_per_url(
    out: &mut Vec<document::License>,
    license: &License,
    make: impl Fn(String) -> document::License,
) {
    if license.urls.is_empty() {
        out.push(make(String::new()));
    }
    for url in &license.urls {
        out.push(make(url.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn license(value: &str, spdx: &str, urls: &[&str]) -> License {
        License {
            value: value.into(),
            spdx_expression: spdx.into(),
            license_type: "declared".into(),
            urls: urls.iter().map(|u| u.to_string()).collect(),
            locations: vec![],
        }
    }

    fn render(choices: &[LicenseChoice]) -> String {
        serde_json::to_string(choices).unwrap()
    }

    #[test]
    fn matches_syft_grouping() {
        // Observed with `syft convert` on a crafted syft-json document.
        let choices = encode(&[
            license("MIT", "MIT", &["https://x/mit", "https://y/mit"]),
            license("Foo", "", &["https://foo"]),
            license("GPL-2.0-only OR MIT", "GPL-2.0-only OR MIT", &[]),
            license("Apache-2.0", "Apache-2.0", &[]),
        ]);
        assert_eq!(
            render(&choices),
            r#"[{"license":{"id":"Apache-2.0"}},{"license":{"id":"MIT","url":"https://x/mit"}},{"license":{"id":"MIT","url":"https://y/mit"}},{"license":{"name":"Foo","url":"https://foo"}},{"license":{"name":"GPL-2.0-only OR MIT"}}]"#
        );
    }

    #[test]
    fn expressions_alone_merge() {
        let one = encode(&[license("MPL-2.0 AND MIT", "MPL-2.0 AND MIT", &[])]);
        assert_eq!(render(&one), r#"[{"expression":"MPL-2.0 AND MIT"}]"#);
        let two = encode(&[
            license("GPL-2.0-only OR MIT", "GPL-2.0-only OR MIT", &[]),
            license("(BSD-3-Clause AND ISC)", "(BSD-3-Clause AND ISC)", &[]),
        ]);
        assert_eq!(
            render(&two),
            r#"[{"expression":"(BSD-3-Clause AND ISC) AND (GPL-2.0-only OR MIT)"}]"#
        );
        let reference = encode(&[license("LicenseRef-foo", "LicenseRef-foo", &[])]);
        assert_eq!(render(&reference), r#"[{"expression":"LicenseRef-foo"}]"#);
        assert!(encode(&[]).is_empty());
    }

    #[test]
    fn decodes_and_merges_urls() {
        let licenses = decode(&encode(&[
            license("MIT", "MIT", &["https://x", "https://y"]),
            license("BSD", "", &[]),
        ]));
        assert_eq!(licenses.len(), 2);
        assert_eq!(licenses[0].value, "MIT");
        assert_eq!(licenses[0].urls, ["https://x", "https://y"]);
        assert_eq!(
            (
                licenses[1].value.as_str(),
                licenses[1].spdx_expression.as_str()
            ),
            ("BSD", "")
        );

        let concluded: Vec<LicenseChoice> =
            serde_json::from_str(r#"[{"license":{"id":"MIT","acknowledgement":"concluded"}}]"#)
                .unwrap();
        assert_eq!(decode(&concluded)[0].license_type, "concluded");
    }
}
