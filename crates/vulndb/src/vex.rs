//! VEX documents, OpenVEX and CycloneDX: statements that a vulnerability does not affect a
//! product (or is fixed in it, or does affect it, or is being looked into), matched against
//! findings by vulnerability ID or alias and by package URL or image digest.

use serde_json::Value;

/// What a statement says about a vulnerability in its products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    /// OpenVEX's name for the status.
    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// Whether a finding the statement applies to is no longer reported.
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }
}

/// One statement of a VEX document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexStatement {
    /// The vulnerability ID, such as `CVE-2019-17571`.
    pub vulnerability: String,
    /// Other IDs the statement names for the same vulnerability.
    pub aliases: Vec<String>,
    /// Product identifiers: package URLs, or image references with their subcomponents.
    pub products: Vec<Product>,
    pub status: VexStatus,
    /// Why the product is not affected (`vulnerable_code_not_in_execute_path`).
    pub justification: Option<String>,
    /// Free text: OpenVEX's impact or action statement, CycloneDX's analysis detail.
    pub detail: Option<String>,
    /// The document's own ID, when it has one.
    pub document: Option<String>,
}

/// A product a statement names, with the components inside it that it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: String,
    pub subcomponents: Vec<String>,
}

/// Why a VEX document was refused.
#[derive(Debug, thiserror::Error)]
pub enum VexError {
    #[error("the VEX document is not JSON: {0}")]
    NotJson(#[from] serde_json::Error),
    #[error("the document is neither OpenVEX (`@context` of openvex.dev) nor CycloneDX with `vulnerabilities`")]
    UnknownFormat,
    #[error("statement {index}: {reason}")]
    Statement { index: usize, reason: String },
}

/// Reads an OpenVEX or CycloneDX VEX document.
pub fn parse_vex(bytes: &[u8]) -> Result<Vec<VexStatement>, VexError> {
    let document: Value = serde_json::from_slice(bytes)?;
    let context = document.get("@context").and_then(Value::as_str);
    if context.is_some_and(|c| c.contains("openvex")) {
        return openvex(&document);
    }
    if document.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        if let Some(vulnerabilities) = document.get("vulnerabilities").and_then(Value::as_array) {
            return cyclonedx(&document, vulnerabilities);
        }
    }
    Err(VexError::UnknownFormat)
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn openvex(document: &Value) -> Result<Vec<VexStatement>, VexError> {
    let id = text(document, "@id");
    let statements =
        document
            .get("statements")
            .and_then(Value::as_array)
            .ok_or(VexError::Statement {
                index: 0,
                reason: "the document has no `statements` list".into(),
            })?;
    statements
        .iter()
        .enumerate()
        .map(|(index, statement)| {
            let bad = |reason: &str| VexError::Statement {
                index,
                reason: reason.to_string(),
            };
            // v0.2 names the vulnerability as an object; v0.0.1 as a string.
            let vulnerability = statement.get("vulnerability");
            let (name, aliases) = match vulnerability {
                Some(Value::String(name)) => (Some(name.trim().to_string()), Vec::new()),
                Some(object @ Value::Object(_)) => (
                    text(object, "name").or_else(|| text(object, "@id")),
                    strings(object.get("aliases")),
                ),
                _ => (None, Vec::new()),
            };
            let name = name
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad("no `vulnerability` name"))?;
            let status = match text(statement, "status").as_deref() {
                Some("not_affected") => VexStatus::NotAffected,
                Some("affected") => VexStatus::Affected,
                Some("fixed") => VexStatus::Fixed,
                Some("under_investigation") => VexStatus::UnderInvestigation,
                Some(other) => return Err(bad(&format!("unknown status `{other}`"))),
                None => return Err(bad("no `status`")),
            };
            let justification = text(statement, "justification");
            let impact = text(statement, "impact_statement");
            if status == VexStatus::NotAffected && justification.is_none() && impact.is_none() {
                return Err(bad(
                    "`not_affected` needs a `justification` or an `impact_statement`",
                ));
            }
            let products = statement
                .get("products")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|product| match product {
                    Value::String(id) => Some(Product {
                        id: id.clone(),
                        subcomponents: Vec::new(),
                    }),
                    Value::Object(_) => Some(Product {
                        id: text(product, "@id")?,
                        subcomponents: product
                            .get("subcomponents")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(|sub| match sub {
                                Value::String(id) => Some(id.clone()),
                                other => text(other, "@id"),
                            })
                            .collect(),
                    }),
                    _ => None,
                })
                .collect();
            Ok(VexStatement {
                vulnerability: name,
                aliases,
                products,
                status,
                justification,
                detail: impact.or_else(|| text(statement, "action_statement")),
                document: id.clone(),
            })
        })
        .collect()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn cyclonedx(document: &Value, vulnerabilities: &[Value]) -> Result<Vec<VexStatement>, VexError> {
    let id = text(document, "serialNumber");
    vulnerabilities
        .iter()
        .enumerate()
        .map(|(index, vulnerability)| {
            let bad = |reason: &str| VexError::Statement {
                index,
                reason: reason.to_string(),
            };
            let name = text(vulnerability, "id").ok_or_else(|| bad("no `id`"))?;
            let analysis = vulnerability
                .get("analysis")
                .ok_or_else(|| bad("no `analysis`"))?;
            let status = match text(analysis, "state").as_deref() {
                Some("not_affected" | "false_positive") => VexStatus::NotAffected,
                Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
                Some("exploitable") => VexStatus::Affected,
                Some("in_triage") => VexStatus::UnderInvestigation,
                Some(other) => return Err(bad(&format!("unknown analysis state `{other}`"))),
                None => return Err(bad("no `analysis.state`")),
            };
            let aliases = vulnerability
                .get("references")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|reference| text(reference, "id"))
                .collect();
            // A reference is a package URL, or a BOM link whose fragment names the component.
            let products = vulnerability
                .get("affects")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|affected| text(affected, "ref"))
                .map(|reference| {
                    let id = match reference.rsplit_once('#') {
                        Some((_, fragment)) if reference.starts_with("urn:cdx:") => {
                            fragment.to_string()
                        }
                        _ => reference,
                    };
                    Product {
                        id,
                        subcomponents: Vec::new(),
                    }
                })
                .collect();
            Ok(VexStatement {
                vulnerability: name,
                aliases,
                products,
                status,
                justification: text(analysis, "justification"),
                detail: text(analysis, "detail"),
                document: id.clone(),
            })
        })
        .collect()
}

/// The statement that decides a finding: the last one that names the finding's
/// vulnerability (by ID or alias) and its package (by package URL, or the image by digest
/// with the package among its subcomponents, or no products at all).
pub fn verdict<'a>(
    statements: &'a [VexStatement],
    ids: &[&str],
    purl: &str,
    image_digest: Option<&str>,
) -> Option<&'a VexStatement> {
    statements.iter().rev().find(|statement| {
        let named = std::iter::once(&statement.vulnerability)
            .chain(&statement.aliases)
            .any(|name| ids.iter().any(|id| id.eq_ignore_ascii_case(name)));
        named && covers(statement, purl, image_digest)
    })
}

fn covers(statement: &VexStatement, purl: &str, image_digest: Option<&str>) -> bool {
    if statement.products.is_empty() {
        return true;
    }
    statement.products.iter().any(|product| {
        if same_package(&product.id, purl) {
            return true;
        }
        let is_image = image_digest.is_some_and(|digest| {
            let hex = digest.trim_start_matches("sha256:");
            !hex.is_empty() && product.id.contains(hex)
        });
        is_image
            && (product.subcomponents.is_empty()
                || product
                    .subcomponents
                    .iter()
                    .any(|sub| same_package(sub, purl)))
    })
}

/// Whether a product's package URL names the package: the same type, namespace and name,
/// and the same version unless the product gives none. Qualifiers and subpaths are ignored.
pub fn same_package(product: &str, purl: &str) -> bool {
    let (Some(product), Some(purl)) = (purl_parts(product), purl_parts(purl)) else {
        return false;
    };
    product.0 == purl.0 && product.1.is_none_or(|version| Some(version) == purl.1)
}

/// A package URL's lower-cased `type/namespace/name` and its version.
fn purl_parts(purl: &str) -> Option<(String, Option<&str>)> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (path, version) = match rest.rsplit_once('@') {
        Some((path, version)) => (path, Some(version)),
        None => (rest, None),
    };
    Some((path.replace("%40", "@").to_ascii_lowercase(), version))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENVEX: &str = r#"{
      "@context": "https://openvex.dev/ns/v0.2.0",
      "@id": "https://example.org/vex/1",
      "author": "Platform team",
      "timestamp": "2026-11-30T10:00:00Z",
      "version": 1,
      "statements": [
        {"vulnerability": {"name": "CVE-2019-17571", "aliases": ["GHSA-2qrg-x229-3v8q"]},
         "products": [{"@id": "pkg:maven/log4j/log4j@1.2.17"}],
         "status": "not_affected",
         "justification": "vulnerable_code_not_in_execute_path"},
        {"vulnerability": {"name": "CVE-2023-0001"},
         "products": [{"@id": "pkg:oci/app@sha256%3Aabcdef",
                       "subcomponents": [{"@id": "pkg:npm/lodash"}]}],
         "status": "fixed"},
        {"vulnerability": "CVE-2023-0002", "products": ["pkg:pypi/idna@2.10"],
         "status": "under_investigation"}
      ]
    }"#;

    #[test]
    fn openvex_statements_decide_findings_by_id_alias_and_product() {
        let statements = parse_vex(OPENVEX.as_bytes()).unwrap();
        assert_eq!(statements.len(), 3);
        let log4j = "pkg:maven/log4j/log4j@1.2.17";
        let found = verdict(&statements, &["CVE-2019-17571"], log4j, None).unwrap();
        assert_eq!(found.status, VexStatus::NotAffected);
        assert_eq!(
            found.justification.as_deref(),
            Some("vulnerable_code_not_in_execute_path")
        );
        assert_eq!(found.document.as_deref(), Some("https://example.org/vex/1"));
        // By alias, and with qualifiers on the package URL.
        assert!(verdict(
            &statements,
            &["GHSA-2QRG-X229-3V8Q"],
            "pkg:maven/log4j/log4j@1.2.17?type=jar",
            None
        )
        .is_some());
        // Another version, or another vulnerability, is not covered.
        assert!(verdict(
            &statements,
            &["CVE-2019-17571"],
            "pkg:maven/log4j/log4j@1.2.16",
            None
        )
        .is_none());
        assert!(verdict(&statements, &["CVE-2019-9999"], log4j, None).is_none());
        // An image product covers its subcomponents in that image only.
        let lodash = "pkg:npm/lodash@4.17.15";
        assert_eq!(
            verdict(
                &statements,
                &["CVE-2023-0001"],
                lodash,
                Some("sha256:abcdef")
            )
            .map(|s| s.status),
            Some(VexStatus::Fixed)
        );
        assert!(verdict(&statements, &["CVE-2023-0001"], lodash, Some("sha256:999")).is_none());
        assert!(
            !verdict(&statements, &["CVE-2023-0002"], "pkg:pypi/idna@2.10", None)
                .unwrap()
                .status
                .suppresses()
        );
    }

    #[test]
    fn cyclonedx_vex_maps_analysis_states() {
        let document = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
          "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
          "vulnerabilities": [
            {"id": "CVE-2019-17571", "analysis": {"state": "false_positive", "detail": "not loaded"},
             "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/log4j/log4j@1.2.17"}]},
            {"id": "CVE-2020-1", "analysis": {"state": "resolved"}, "affects": [{"ref": "pkg:npm/a@1"}]},
            {"id": "CVE-2020-2", "analysis": {"state": "exploitable"}}]}"#;
        let statements = parse_vex(document.as_bytes()).unwrap();
        let statuses: Vec<_> = statements.iter().map(|s| s.status).collect();
        assert_eq!(
            statuses,
            [
                VexStatus::NotAffected,
                VexStatus::Fixed,
                VexStatus::Affected
            ]
        );
        assert_eq!(statements[0].products[0].id, "pkg:maven/log4j/log4j@1.2.17");
        assert_eq!(statements[0].detail.as_deref(), Some("not loaded"));
        assert!(verdict(&statements, &["CVE-2020-2"], "pkg:npm/anything@2", None).is_some());
    }

    #[test]
    fn malformed_documents_are_refused_with_the_statement_named() {
        let cases = [
            ("not json", "not JSON"),
            (r#"{"statements": []}"#, "neither OpenVEX"),
            (
                r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-1"}, "status": "not_affected"}]}"#,
                "statement 0: `not_affected` needs",
            ),
            (
                r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-1"}, "status": "fine"}]}"#,
                "unknown status `fine`",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "CVE-1"}]}"#,
                "statement 0: no `analysis`",
            ),
        ];
        for (document, needle) in cases {
            let error = parse_vex(document.as_bytes()).unwrap_err().to_string();
            assert!(error.contains(needle), "{document}: {error}");
        }
    }
}
