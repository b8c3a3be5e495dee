//! Matches as Anchore's vulnerability report rows (`GET /images/{digest}/vuln/{type}`), with
//! the field names and `"None"` placeholders anchore-cli reads.

use plimsoll_model::Package;
use plimsoll_vulndb::{Cvss, FixState, Match};
use serde_json::{json, Value};

// The os / non-os split and Anchore's type names are the policy engine's, so a report and
// an evaluation of the same image always agree.
pub use plimsoll_policy::gates::{anchore_package_type, is_os_package};

/// The report rows of every match, split into `os` and `non-os`.
pub fn report(matches: &[Match], packages: &[Package]) -> Value {
    let mut os = Vec::new();
    let mut non_os = Vec::new();
    for found in matches {
        let package = &packages[found.package];
        let row = row(found, package);
        if is_os_package(package.package_type) {
            os.push(row);
        } else {
            non_os.push(row);
        }
    }
    json!({"os": os, "non-os": non_os})
}

fn row(found: &Match, package: &Package) -> Value {
    let os = is_os_package(package.package_type);
    let cpe23 = package.cpes.first().map(|cpe| cpe.cpe.clone());
    let fix = match &found.fix {
        FixState::Fixed(versions) if !versions.is_empty() => versions.join(","),
        _ => "None".to_string(),
    };
    let path = if os {
        "pkgdb".to_string()
    } else {
        package
            .locations
            .first()
            .map_or_else(|| "None".to_string(), |location| location.path.clone())
    };
    let (nvd, vendor): (Vec<&Cvss>, Vec<&Cvss>) = found
        .cvss
        .iter()
        .partition(|cvss| cvss.source.to_ascii_lowercase().contains("nvd"));
    json!({
        "vuln": found.id,
        "severity": found.severity.as_str(),
        "package": format!("{}-{}", package.name, package.version),
        "package_name": package.name,
        "package_version": package.version,
        "package_type": anchore_package_type(package.package_type),
        "package_cpe": cpe23.as_deref().map_or_else(|| "None".to_string(), cpe22),
        "package_cpe23": cpe23.unwrap_or_else(|| "None".to_string()),
        "package_path": path,
        // Plimsoll's own: the package URL, which VEX statements name.
        "package_purl": package.purl,
        "fix": fix,
        "url": url(found),
        "feed": "vulnerabilities",
        "feed_group": found.namespace,
        "will_not_fix": matches!(found.fix, FixState::WontFix),
        "nvd_data": score_objects(&found.id, &nvd, &found.related),
        "vendor_data": if vendor.is_empty() { json!([]) } else { score_objects(&found.id, &vendor, &[]) },
        "related": found.related,
        // Plimsoll's own: the advisory's publication date, for `max_days_since_creation`.
        "published": found.published,
        // Plimsoll's own: when the fix was announced, where a DSA or DLA dates it, for
        // `max_days_since_fix`.
        "fix_observed_at": found.fix_announced(),
        "inherited_from_base": Value::Null,
    })
}

/// A link for a vulnerability: the advisory's own first, then NVD for CVEs.
fn url(found: &Match) -> String {
    if let Some(url) = found.urls.first() {
        return url.clone();
    }
    let cve = std::iter::once(&found.id)
        .chain(&found.related)
        .find(|id| id.starts_with("CVE-"));
    match cve {
        Some(cve) => format!("https://nvd.nist.gov/vuln/detail/{cve}"),
        None => "None".to_string(),
    }
}

/// `nvd_data` / `vendor_data`: one object per CVE with v2 and v3 scores (`-1.0` where
/// absent, as Anchore writes).
///
/// NVD data names the CVE even without scores, so anchore-cli's "CVE Refs" column shows the
/// CVE behind a GHSA or PYSEC finding.
fn score_objects(id: &str, scores: &[&Cvss], related: &[String]) -> Value {
    let cve = std::iter::once(id)
        .chain(related.iter().map(String::as_str))
        .find(|candidate| candidate.starts_with("CVE-"));
    let cve = match (cve, scores.is_empty()) {
        (Some(cve), _) => cve,
        (None, false) => id,
        (None, true) => return json!([]),
    };
    let v2 = scores
        .iter()
        .find(|s| s.version.starts_with('2'))
        .map(|s| scores_of(s));
    let v3 = scores
        .iter()
        .find(|s| s.version.starts_with('3'))
        .map(|s| scores_of(s));
    let missing = json!({"base_score": -1.0, "exploitability_score": -1.0, "impact_score": -1.0});
    json!([{
        "id": cve,
        "cvss_v2": v2.unwrap_or_else(|| missing.clone()),
        "cvss_v3": v3.unwrap_or(missing),
    }])
}

/// Base, exploitability and impact scores of a vector, as NVD reports them.
fn scores_of(cvss: &Cvss) -> Value {
    let base = cvss.base_score.unwrap_or(-1.0);
    let (exploitability, impact) = plimsoll_vulndb::subscores(cvss).unwrap_or((-1.0, -1.0));
    json!({"base_score": base, "exploitability_score": exploitability, "impact_score": impact})
}

/// A CPE 2.3 formatted string as a CPE 2.2 URI (`cpe:/a:vendor:product:version`).
fn cpe22(cpe23: &str) -> String {
    let fields: Vec<&str> = cpe23.split(':').collect();
    if fields.len() < 6 || fields[0] != "cpe" {
        return "None".to_string();
    }
    let mut parts: Vec<&str> = fields[2..fields.len().min(7)].to_vec();
    while parts
        .last()
        .is_some_and(|part| *part == "*" || part.is_empty())
    {
        parts.pop();
    }
    format!("cpe:/{}", parts.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpe_uris() {
        assert_eq!(
            cpe22("cpe:2.3:a:openssl:openssl:1.1.1g:*:*:*:*:*:*:*"),
            "cpe:/a:openssl:openssl:1.1.1g"
        );
        assert_eq!(cpe22("nonsense"), "None");
    }
}
