//! Severity from a CVSS base score, for feeds that give a score but no severity word.

use crate::Severity;

/// The qualitative rating of a base score. CVSS v3.x and v4.0 share one scale (CVSS v3.1
/// specification, section 5: Low 0.1–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0);
/// v2 has no Critical (NVD: Low below 4.0, Medium below 7.0, High from 7.0). A score of 0 or
/// outside 0–10 rates nothing.
pub(super) fn from_score(cvss_version: &str, score: f64) -> Option<Severity> {
    if !(score > 0.0 && score <= 10.0) {
        return None;
    }
    let severity = if score < 4.0 {
        Severity::Low
    } else if score < 7.0 {
        Severity::Medium
    } else if score < 9.0 || cvss_version.starts_with('2') {
        Severity::High
    } else {
        Severity::Critical
    };
    Some(severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings() {
        assert_eq!(from_score("3.1", 9.8), Some(Severity::Critical));
        assert_eq!(from_score("3.1", 7.0), Some(Severity::High));
        assert_eq!(from_score("4.0", 6.9), Some(Severity::Medium));
        assert_eq!(from_score("3.0", 0.1), Some(Severity::Low));
        assert_eq!(from_score("2.0", 10.0), Some(Severity::High));
        assert_eq!(from_score("3.1", 0.0), None);
        assert_eq!(from_score("3.1", 11.0), None);
        assert_eq!(from_score("3.1", f64::NAN), None);
    }
}
