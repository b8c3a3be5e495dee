//! Severity: as the source states it, else computed from the best CVSS vector (v4, then
//! v3.1, v3.0, v2) with the qualitative ratings of the CVSS specifications.

use std::str::FromStr;

use crate::{Advisory, Cvss, Severity};

/// The base score of a CVSS vector, where the vector parses.
pub fn base_score(cvss: &Cvss) -> Option<f64> {
    if let Some(score) = cvss.base_score {
        return Some(score);
    }
    match cvss.version.as_str() {
        "4.0" => cvss::v4::Vector::from_str(&cvss.vector)
            .ok()
            .map(|v| v.score().value()),
        "3.0" | "3.1" => cvss::v3::Vector::from_str(&cvss.vector)
            .ok()
            .map(|v| v.score().value()),
        "2.0" => cvss::v2::Vector::from_str(&cvss.vector)
            .ok()
            .map(|v| v.score().value()),
        _ => None,
    }
}

/// The exploitability and impact sub-scores of a CVSS v3 or v2 vector, rounded to one
/// decimal as NVD reports them; `None` when the vector does not parse.
pub fn subscores(cvss: &Cvss) -> Option<(f64, f64)> {
    let round1 = |value: f64| (value * 10.0).round() / 10.0;
    if cvss.version.starts_with('3') {
        let parsed = cvss::v3::Vector::from_str(&cvss.vector).ok()?;
        let exploitability = parsed.exploitability().value();
        let iss = parsed.impact().value();
        // CVSS v3.1 specification §7.1: the impact sub-score from the ISS, by scope.
        let changed = cvss.vector.contains("S:C");
        let impact = if changed {
            7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
        } else {
            6.42 * iss
        };
        Some((round1(exploitability), round1(impact.max(0.0))))
    } else if cvss.version.starts_with('2') {
        let vector = cvss.vector.trim_start_matches('(').trim_end_matches(')');
        let parsed = cvss::v2::Vector::from_str(vector).ok()?;
        Some((
            round1(parsed.exploitability().value()),
            round1(parsed.impact().value()),
        ))
    } else {
        None
    }
}

/// The qualitative rating of a score: CVSS v3 and v4 share one scale; v2 has no Critical.
pub fn rating(version: &str, score: f64) -> Severity {
    if version == "2.0" {
        return match score {
            s if s >= 7.0 => Severity::High,
            s if s >= 4.0 => Severity::Medium,
            _ => Severity::Low,
        };
    }
    match score {
        s if s >= 9.0 => Severity::Critical,
        s if s >= 7.0 => Severity::High,
        s if s >= 4.0 => Severity::Medium,
        s if s > 0.0 => Severity::Low,
        _ => Severity::Negligible,
    }
}

/// The severity of an advisory: stated, else from its newest parsable CVSS vector.
pub fn severity_of(advisory: &Advisory) -> Severity {
    if let Some(stated) = advisory.severity {
        return stated;
    }
    let mut vectors: Vec<&Cvss> = advisory.cvss.iter().collect();
    vectors.sort_by(|a, b| b.version.cmp(&a.version));
    vectors
        .into_iter()
        .find_map(|cvss| base_score(cvss).map(|score| rating(&cvss.version, score)))
        .unwrap_or(Severity::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_subscores_as_nvd_reports_them() {
        let of = |version: &str, vector: &str| {
            subscores(&Cvss {
                version: version.into(),
                vector: vector.into(),
                base_score: None,
                source: "nvd".into(),
            })
        };
        // CVE-2021-3711: NVD gives 9.8 with exploitability 3.9 and impact 5.9.
        assert_eq!(
            of("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Some((3.9, 5.9))
        );
        // A scope-changed vector (CVE-2021-44228: 10.0, 3.9, 6.0).
        assert_eq!(
            of("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
            Some((3.9, 6.0))
        );
        assert_eq!(of("2.0", "AV:N/AC:L/Au:N/C:P/I:P/A:P"), Some((10.0, 6.4)));
        assert_eq!(of("3.1", "garbage"), None);
    }

    fn cvss(version: &str, vector: &str) -> Cvss {
        Cvss {
            version: version.into(),
            vector: vector.into(),
            base_score: None,
            source: String::new(),
        }
    }

    #[test]
    fn scores_from_vectors() {
        let v31 = cvss("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assert_eq!(base_score(&v31), Some(9.8));
        let v2 = cvss("2.0", "AV:N/AC:L/Au:N/C:P/I:P/A:P");
        assert_eq!(base_score(&v2), Some(7.5));
        assert_eq!(rating("2.0", 7.5), Severity::High);
        let advisory = Advisory {
            cvss: vec![v2, v31],
            ..Advisory::default()
        };
        assert_eq!(
            severity_of(&advisory),
            Severity::Critical,
            "v3.1 is preferred over v2"
        );
        let broken = Advisory {
            cvss: vec![cvss("3.1", "CVSS:3.1/garbage")],
            ..Advisory::default()
        };
        assert_eq!(severity_of(&broken), Severity::Unknown);
    }
}
