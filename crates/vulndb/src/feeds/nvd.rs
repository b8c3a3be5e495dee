//! NVD CVE records in the CVE API 2.0 JSON (nvd.nist.gov/developers/vulnerabilities): pages
//! of `{"format": "NVD_CVE", "vulnerabilities": [{"cve": {…}}]}`, or one `cve` object per
//! file as mirrors of the API keep them. The retired 1.1 data feeds (`CVE_Items`) are
//! recognised and skipped with that reason.
//!
//! Each vulnerable `cpeMatch` of the configurations becomes an affected entry in the
//! `nvd:cpe` namespace: the package is the CPE's product (escapes removed), `cpes` holds the
//! match criteria, and the version bounds become one constraint (`>= 1.0, < 2.4.5`) or, for a
//! CPE naming one version, that version. A CPE with any version and no bounds gets the
//! constraint `*`. The CPE's update field is kept in `cpes` only. Platform conditions (the
//! non-vulnerable CPEs of an `AND` configuration) are not kept, so an application matches on
//! every platform. NVD states no fixes, so the fix is unknown. CVSS metrics are kept with
//! their base scores; the severity is NVD's own (`Primary`) rating, newest CVSS version
//! first, else the first rating given.

use serde_json::Value;

use super::{string_at, Parsed, Record};
use crate::namespace::scheme_of;
use crate::{Advisory, Affected, Cvss, FixState, Severity};

/// The feed NVD advisories are stored under.
pub(super) const FEED: &str = "nvd";

const NAMESPACE: &str = "nvd:cpe";

/// The metric lists of a CVE, newest CVSS version first.
const METRICS: [(&str, &str); 4] = [
    ("cvssMetricV40", "4.0"),
    ("cvssMetricV31", "3.1"),
    ("cvssMetricV30", "3.0"),
    ("cvssMetricV2", "2.0"),
];

/// Whether text that does not parse resembles an NVD document.
pub(super) fn looks_like(text: &str) -> bool {
    text.contains("\"NVD_CVE\"") || text.contains("\"CVE_Items\"")
}

/// Whether a value is a single API 2.0 `cve` object.
fn is_cve(value: &Value) -> bool {
    value
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(|id| id.starts_with("CVE-"))
        && value.get("descriptions").is_some()
        && (value.get("sourceIdentifier").is_some() || value.get("vulnStatus").is_some())
}

/// Reads a page, a single CVE, or recognises a 1.1 feed; `None` when the value is none.
pub(super) fn parse(origin: &str, value: &Value) -> Option<Parsed> {
    if value.get("CVE_Items").is_some() {
        let count = value
            .get("CVE_data_numberOfCVEs")
            .and_then(Value::as_str)
            .unwrap_or("its");
        let reason = format!(
            "NVD JSON 1.1 feeds are retired and not read ({count} records); \
             use the CVE API 2.0 format"
        );
        return Some(Parsed::unreadable(FEED, origin, &reason));
    }
    let cves: Vec<&Value> = if is_cve(value) {
        vec![value]
    } else {
        let page = value.get("format").and_then(Value::as_str) == Some("NVD_CVE");
        let items = value.get("vulnerabilities").and_then(Value::as_array)?;
        if !page
            && !items
                .first()
                .is_some_and(|item| item.get("cve").is_some_and(is_cve))
        {
            return None;
        }
        items
            .iter()
            .map(|item| item.get("cve").unwrap_or(item))
            .collect()
    };

    let mut parsed = Parsed::new(FEED);
    for (index, cve) in cves.into_iter().enumerate() {
        match advisory(cve) {
            Ok(advisory) => parsed.records.push(Record::Advisory(advisory)),
            Err(reason) => parsed
                .skipped
                .push(format!("{origin}: vulnerability {index}: {reason}")),
        }
    }
    Some(parsed)
}

fn advisory(cve: &Value) -> Result<Advisory, String> {
    let id = string_at(cve, "id").ok_or("the record has no `cve.id`")?;
    let details = cve
        .get("descriptions")
        .and_then(Value::as_array)
        .and_then(|descriptions| {
            descriptions
                .iter()
                .find(|d| d.get("lang").and_then(Value::as_str) == Some("en"))
        })
        .and_then(|description| string_at(description, "value"))
        .unwrap_or_default();
    let modified = string_at(cve, "lastModified");
    let rejected = cve.get("vulnStatus").and_then(Value::as_str) == Some("Rejected");
    let references = cve
        .get("references")
        .and_then(Value::as_array)
        .map(|references| {
            references
                .iter()
                .filter_map(|r| string_at(r, "url"))
                .collect()
        })
        .unwrap_or_default();

    let (cvss, severity) = metrics(cve.get("metrics"));
    let mut advisory = Advisory {
        id: id.clone(),
        details: details.trim().to_string(),
        severity,
        cvss,
        references,
        published: string_at(cve, "published"),
        withdrawn: if rejected {
            modified.clone().or_else(|| string_at(cve, "published"))
        } else {
            None
        },
        modified,
        ..Advisory::default()
    };

    let mut unusable = Vec::new();
    for configuration in cve
        .get("configurations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for node in configuration
            .get("nodes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for cpe_match in node
                .get("cpeMatch")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match affected(cpe_match) {
                    Ok(Some(entry)) if !advisory.affected.contains(&entry) => {
                        advisory.affected.push(entry)
                    }
                    Ok(_) => {}
                    Err(reason) => unusable.push(reason),
                }
            }
        }
    }
    if advisory.affected.is_empty() && !unusable.is_empty() {
        return Err(format!("`{id}`: {}", unusable.join("; ")));
    }
    Ok(advisory)
}

/// The CVSS scores and NVD's severity.
fn metrics(metrics: Option<&Value>) -> (Vec<Cvss>, Option<Severity>) {
    let mut scores = Vec::new();
    let mut primary = None;
    let mut first = None;
    for (key, version) in METRICS {
        for metric in metrics
            .and_then(|m| m.get(key))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(data) = metric.get("cvssData") else {
                continue;
            };
            // A metric without a vector says nothing that can be checked.
            let Some(vector) = string_at(data, "vectorString") else {
                continue;
            };
            let base_score = data.get("baseScore").and_then(Value::as_f64);
            let source = match metric.get("source").and_then(Value::as_str) {
                Some("nvd@nist.gov") | None => FEED.to_string(),
                Some(source) => source.to_string(),
            };
            // v2 puts the rating beside `cvssData`, later versions inside it.
            let rating = string_at(data, "baseSeverity")
                .or_else(|| string_at(metric, "baseSeverity"))
                .and_then(|word| Severity::parse(&word))
                .or_else(|| {
                    base_score.and_then(|score| super::severity::from_score(version, score))
                });
            if metric.get("type").and_then(Value::as_str) == Some("Primary") && source == FEED {
                primary = primary.or(rating);
            }
            first = first.or(rating);
            scores.push(Cvss {
                version: version.to_string(),
                vector,
                base_score,
                source,
            });
        }
    }
    (scores, primary.or(first))
}

/// The affected entry of one `cpeMatch`; `None` when it is not vulnerable (a platform).
fn affected(cpe_match: &Value) -> Result<Option<Affected>, String> {
    if cpe_match.get("vulnerable").and_then(Value::as_bool) != Some(true) {
        return Ok(None);
    }
    let criteria = string_at(cpe_match, "criteria").ok_or("a `cpeMatch` has no `criteria`")?;
    let fields =
        cpe_fields(&criteria).ok_or_else(|| format!("`{criteria}` is not a CPE 2.3 name"))?;
    let (product, version) = (unescape(fields[4]), fields[5]);

    let bound = |key: &str, operator: &str| {
        string_at(cpe_match, key)
            .filter(|v| !v.trim().is_empty())
            .map(|v| format!("{operator} {}", v.trim()))
    };
    let bounds: Vec<String> = [
        bound("versionStartIncluding", ">="),
        bound("versionStartExcluding", ">"),
        bound("versionEndIncluding", "<="),
        bound("versionEndExcluding", "<"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (versions, constraints) = match (bounds.is_empty(), version) {
        (false, _) => (Vec::new(), vec![bounds.join(", ")]),
        (true, "*" | "-" | "") => (
            Vec::new(),
            vec![super::constraint::EVERY_VERSION.to_string()],
        ),
        (true, version) => (vec![unescape(version)], Vec::new()),
    };
    Ok(Some(Affected {
        namespace: NAMESPACE.to_string(),
        package: product,
        scheme: scheme_of(NAMESPACE).to_string(),
        ranges: Vec::new(),
        versions,
        constraints,
        fix: FixState::Unknown,
        cpes: vec![criteria],
    }))
}

/// The 13 fields of a CPE 2.3 formatted string (`cpe:2.3:a:vendor:product:version:…`),
/// split at the colons that are not escaped.
fn cpe_fields(cpe: &str) -> Option<Vec<&str>> {
    let mut fields = Vec::with_capacity(13);
    let mut start = 0;
    let mut escaped = false;
    for (index, c) in cpe.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' => {
                fields.push(&cpe[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    fields.push(&cpe[start..]);
    let valid =
        fields.len() == 13 && fields[0] == "cpe" && fields[1] == "2.3" && !fields[4].is_empty();
    valid.then_some(fields)
}

/// A CPE field without its escapes: `wp_maintenance_mode_\&_coming_soon` is
/// `wp_maintenance_mode_&_coming_soon`.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut escaped = false;
    for c in field.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::{advisories, files_under, parse_shared};

    #[test]
    fn the_vunnel_pages() {
        let parsed = parse_shared("fixtures/vunnel/nvd/test-fixtures/full-page.json");
        assert_eq!(
            (
                parsed.feed.as_str(),
                parsed.records.len(),
                parsed.skipped.len()
            ),
            (FEED, 38, 0)
        );

        let parsed = parse_shared("fixtures/vunnel/nvd/test-fixtures/single-entry.json");
        let advisory = advisories(&parsed)[0];
        assert_eq!(advisory.id, "CVE-2022-1576");
        assert_eq!(advisory.severity, Some(Severity::Medium));
        assert_eq!(advisory.cvss.len(), 2);
        assert_eq!(
            advisory.cvss[0].vector,
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N"
        );
        assert_eq!(
            (
                advisory.cvss[0].base_score,
                advisory.cvss[0].source.as_str()
            ),
            (Some(6.5), "nvd")
        );
        let affected = &advisory.affected[0];
        assert_eq!(
            (affected.namespace.as_str(), affected.package.as_str()),
            ("nvd:cpe", "wp_maintenance_mode_&_coming_soon")
        );
        assert_eq!(affected.constraints, ["< 2.4.5"]);
        assert_eq!(
            affected.cpes,
            ["cpe:2.3:a:themeisle:wp_maintenance_mode_\\&_coming_soon:*:*:*:*:*:wordpress:*:*"]
        );
    }

    #[test]
    fn the_osv_dev_samples() {
        let files =
            files_under("fixtures/osv-misc/osv.dev-vulnfeeds/vulnfeeds/test_data/nvdcve-2.0");
        let (mut imported, mut skipped) = (0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let parsed = crate::feeds::parse(&path.display().to_string(), &bytes)
                .expect("recognised")
                .unwrap();
            assert_eq!(parsed.feed, FEED);
            imported += parsed.records.len();
            skipped += parsed.skipped.len();
        }
        assert_eq!((files.len(), imported, skipped), (23, 23, 0));

        let parsed = parse_shared(
            "fixtures/osv-misc/osv.dev-vulnfeeds/vulnfeeds/test_data/nvdcve-1.1-test-data.json",
        );
        assert!(parsed.records.is_empty());
        assert!(
            parsed.skipped[0].contains("NVD JSON 1.1 feeds are retired and not read (660 records)"),
            "{:?}",
            parsed.skipped
        );
    }

    #[test]
    fn cpe_names() {
        let fields = cpe_fields("cpe:2.3:a:vendor:pro\\:duct:1.0:*:*:*:*:*:*:*").unwrap();
        assert_eq!(
            (fields[4], unescape(fields[4]).as_str()),
            ("pro\\:duct", "pro:duct")
        );
        assert!(cpe_fields("cpe:/a:vendor:product:1.0").is_none());
        assert!(cpe_fields("cpe:2.3:a:vendor").is_none());
    }

    #[test]
    fn malformed_records_are_skipped_with_a_reason() {
        let page = br#"{"format": "NVD_CVE", "vulnerabilities": [
            {"cve": {"id": "CVE-2024-1", "descriptions": [], "configurations": [{"nodes": [
                {"cpeMatch": [{"vulnerable": true, "criteria": "cpe:/a:vendor:product:1.0"}]}]}]}},
            {"cve": {"descriptions": []}},
            {"cve": {"id": "CVE-2024-2", "descriptions": [], "configurations": [{"nodes": [
                {"cpeMatch": [
                {"vulnerable": true, "criteria": "cpe:2.3:a:v:p:1.2.3:*:*:*:*:*:*:*"},
                {"vulnerable": false, "criteria": "cpe:2.3:o:v:os:-:*:*:*:*:*:*:*"},
                {"vulnerable": true, "criteria": 7}]}]}]}}]}"#;
        let parsed = crate::feeds::parse("page.json", page).unwrap().unwrap();
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(advisories(&parsed)[0].affected[0].versions, ["1.2.3"]);
        let reasons = parsed.skipped.join("\n");
        let expected =
            "page.json: vulnerability 0: `CVE-2024-1`: `cpe:/a:vendor:product:1.0` is not";
        assert!(reasons.contains(expected), "{reasons}");
        assert!(
            reasons.contains("vulnerability 1: the record has no `cve.id`"),
            "{reasons}"
        );
    }
}
