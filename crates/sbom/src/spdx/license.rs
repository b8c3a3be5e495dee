//! Package licenses as SPDX license expressions, as Syft writes them: each license's SPDX
//! expression (compound ones in parentheses) or, for a license with none, a `LicenseRef-`
//! whose text goes to `hasExtractedLicensingInfos`; all joined with `AND`. Reading splits the
//! expression at its top-level `AND`s again.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use plimsoll_model::License;

use super::document::ExtractedLicense;

/// SPDX's word for "no statement made".
pub(crate) const NOASSERTION: &str = "NOASSERTION";
const NONE: &str = "NONE";
const LICENSE_REF: &str = "LicenseRef-";
/// Longer license texts are named by their SHA-256 rather than spelled out in the ID.
const LONGEST_SPELLED_OUT: usize = 64;

/// Builds license expressions for a document, remembering the `LicenseRef-`s they use.
#[derive(Debug, Default)]
pub(crate) struct Expressions {
    extracted: BTreeMap<String, String>,
}

impl Expressions {
    /// The expression for some licenses (sorted by value first, as Syft sorts them), or
    /// `NOASSERTION` when there are none.
    pub fn expression(&mut self, licenses: &[&License]) -> String {
        let mut sorted = licenses.to_vec();
        sorted.sort_by(|a, b| (&a.value, &a.spdx_expression).cmp(&(&b.value, &b.spdx_expression)));
        let mut terms: Vec<String> = Vec::new();
        for license in sorted {
            let term = self.term(license);
            if !term.is_empty() && !terms.contains(&term) {
                terms.push(term);
            }
        }
        if terms.is_empty() {
            NOASSERTION.to_string()
        } else {
            terms.join(" AND ")
        }
    }

    fn term(&mut self, license: &License) -> String {
        let expression = license.spdx_expression.as_str();
        if expression.contains(char::is_whitespace) {
            if expression.starts_with('(') && expression.ends_with(')') {
                return expression.to_string();
            }
            return format!("({expression})");
        }
        if let Some(text) = expression.strip_prefix(LICENSE_REF) {
            self.extracted
                .insert(expression.to_string(), text.to_string());
            return expression.to_string();
        }
        if !expression.is_empty() {
            return expression.to_string();
        }
        if license.value.is_empty() {
            return String::new();
        }
        let id = license_ref(&license.value);
        self.extracted.insert(id.clone(), license.value.clone());
        id
    }

    /// `hasExtractedLicensingInfos`, sorted by ID.
    pub fn into_extracted(self) -> Vec<ExtractedLicense> {
        self.extracted
            .into_iter()
            .map(|(license_id, extracted_text)| ExtractedLicense {
                license_id,
                extracted_text,
            })
            .collect()
    }
}

/// Syft's `LicenseRef-` for a license that is not an SPDX expression: the text with
/// characters other than letters, digits, `.` and `-` replaced by `-`, or its SHA-256 when
/// longer than 64 characters.
fn license_ref(value: &str) -> String {
    if value.chars().count() > LONGEST_SPELLED_OUT {
        let digest = Sha256::digest(value.as_bytes());
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        return format!("{LICENSE_REF}{hex}");
    }
    let sanitised: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{LICENSE_REF}{sanitised}")
}

/// Reads an expression back into licenses of the given type: one per top-level `AND` term,
/// enclosing parentheses removed, `LicenseRef-`s replaced by their extracted text (as a
/// license with no SPDX expression).
pub(crate) fn parse(
    expression: &str,
    license_type: &str,
    extracted: &BTreeMap<&str, &str>,
) -> Vec<License> {
    let expression = expression.trim();
    if expression.is_empty() || expression == NOASSERTION || expression == NONE {
        return Vec::new();
    }
    split_and(expression)
        .into_iter()
        .map(|term| {
            let (value, spdx_expression) = match extracted.get(term) {
                Some(text) => (text.to_string(), String::new()),
                None => (term.to_string(), term.to_string()),
            };
            License {
                value,
                spdx_expression,
                license_type: license_type.to_string(),
                urls: Vec::new(),
                locations: Vec::new(),
            }
        })
        .collect()
}

/// The operands of an expression's top-level `AND`s, each without enclosing parentheses.
fn split_and(expression: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = expression.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b' ' if depth == 0 && expression[index..].starts_with(" AND ") => {
                terms.push(unwrap(&expression[start..index]));
                index += " AND ".len();
                start = index;
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    terms.push(unwrap(&expression[start..]));
    terms.retain(|term| !term.is_empty());
    terms
}

/// Removes one pair of parentheses that encloses the whole term.
fn unwrap(term: &str) -> &str {
    let term = term.trim();
    let Some(inner) = term.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return term;
    };
    // `(A) OR (B)` starts and ends with parentheses that do not enclose it.
    let mut depth = 0usize;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return term,
            ')' => depth -= 1,
            _ => {}
        }
    }
    inner.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn license(value: &str, spdx: &str) -> License {
        License {
            value: value.into(),
            spdx_expression: spdx.into(),
            license_type: "declared".into(),
            urls: vec![],
            locations: vec![],
        }
    }

    #[test]
    fn matches_syft() {
        // Observed with `syft convert` on a crafted syft-json document.
        let mut expressions = Expressions::default();
        let long = "B".repeat(65);
        let licenses = [
            license("MIT", "MIT"),
            license(&"A".repeat(64), ""),
            license(&long, ""),
            license("GPL-2.0-only OR MIT", "GPL-2.0-only OR MIT"),
        ];
        let refs: Vec<&License> = licenses.iter().collect();
        assert_eq!(
            expressions.expression(&refs),
            format!(
                "LicenseRef-{} AND LicenseRef-3db14a3b436f09c012eaf07ed03300ef30f349936a414abe4d3946d3ae578170 AND (GPL-2.0-only OR MIT) AND MIT",
                "A".repeat(64)
            )
        );
        let reference = license("LicenseRef-foo", "LicenseRef-foo");
        assert_eq!(expressions.expression(&[&reference]), "LicenseRef-foo");
        assert_eq!(expressions.expression(&[]), NOASSERTION);

        let extracted = expressions.into_extracted();
        let ids: Vec<&str> = extracted.iter().map(|e| e.license_id.as_str()).collect();
        assert_eq!(
            ids[0],
            "LicenseRef-3db14a3b436f09c012eaf07ed03300ef30f349936a414abe4d3946d3ae578170"
        );
        assert_eq!(ids[2], "LicenseRef-foo");
        assert_eq!(extracted[2].extracted_text, "foo");
        assert_eq!(
            license_ref("(LGPLv3+ or GPLv2+) and GPLv3+"),
            "LicenseRef--LGPLv3--or-GPLv2---and-GPLv3-"
        );
    }

    #[test]
    fn parses_back() {
        let extracted = BTreeMap::from([("LicenseRef-BSD", "BSD")]);
        let licenses = parse(
            "Apache-2.0 AND LicenseRef-BSD AND (MPL-2.0 AND MIT) AND (A OR B) AND ((C))",
            "declared",
            &extracted,
        );
        let pairs: Vec<(&str, &str)> = licenses
            .iter()
            .map(|l| (l.value.as_str(), l.spdx_expression.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Apache-2.0", "Apache-2.0"),
                ("BSD", ""),
                ("MPL-2.0 AND MIT", "MPL-2.0 AND MIT"),
                ("A OR B", "A OR B"),
                ("(C)", "(C)"),
            ]
        );
        assert_eq!(unwrap("(A) OR (B)"), "(A) OR (B)");
        assert!(parse("NOASSERTION", "declared", &extracted).is_empty());
        assert!(parse(" ", "declared", &extracted).is_empty());
        assert_eq!(parse("(", "declared", &extracted)[0].value, "(");
    }
}
