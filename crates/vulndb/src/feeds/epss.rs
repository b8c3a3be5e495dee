//! FIRST's Exploit Prediction Scoring System scores (first.org/epss/data_stats), as the
//! daily CSV: a `#model_version:…,score_date:…` comment, the header `cve,epss,percentile`,
//! then one row per CVE.

use super::{Parsed, Record};

/// The feed EPSS scores are stored under.
pub(super) const FEED: &str = "epss";

const HEADER: &str = "cve,epss,percentile";

/// Reads the scores; `None` unless the text opens with the model comment or the header.
pub(super) fn parse(origin: &str, text: &str) -> Option<Parsed> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .peekable();
    let (_, first) = lines.peek()?;
    let commented = first.starts_with("#model_version");
    if !commented && first.trim() != HEADER {
        return None;
    }
    if commented {
        lines.next();
    }

    let mut parsed = Parsed::new(FEED);
    match lines.next() {
        Some((_, header)) if header.trim() == HEADER => {}
        Some((_, header)) => {
            let reason = format!("the header is `{}`, expected `{HEADER}`", header.trim());
            return Some(Parsed::unreadable(FEED, origin, &reason));
        }
        None => return Some(parsed),
    }
    for (index, line) in lines {
        match record(line) {
            Ok(record) => parsed.records.push(record),
            Err(reason) => parsed
                .skipped
                .push(format!("{origin}: line {}: {reason}", index + 1)),
        }
    }
    Some(parsed)
}

fn record(line: &str) -> Result<Record, String> {
    let fields: Vec<&str> = line.trim().split(',').collect();
    let [cve, score, percentile] = fields[..] else {
        return Err(format!("`{line}` does not have three fields"));
    };
    if !cve.starts_with("CVE-") {
        return Err(format!("`{cve}` is not a CVE ID"));
    }
    let probability = |text: &str| {
        text.parse::<f64>()
            .ok()
            .filter(|value| (0.0..=1.0).contains(value))
    };
    let score =
        probability(score).ok_or_else(|| format!("`{cve}`: `{score}` is not a probability"))?;
    let percentile = probability(percentile)
        .ok_or_else(|| format!("`{cve}`: `{percentile}` is not a percentile"))?;
    Ok(Record::Epss {
        cve: cve.to_string(),
        score,
        percentile,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::parse_shared;

    #[test]
    fn the_vunnel_samples() {
        let parsed = parse_shared("fixtures/vunnel/epss/test-fixtures/example-1.csv");
        assert_eq!(
            (
                parsed.feed.as_str(),
                parsed.records.len(),
                parsed.skipped.len()
            ),
            (FEED, 5, 0)
        );
        assert_eq!(
            parsed.records[4],
            Record::Epss {
                cve: "CVE-1999-0005".into(),
                score: 0.91963,
                percentile: 0.99214
            }
        );

        let parsed = parse_shared("fixtures/vunnel/epss/test-fixtures/missing-date.csv");
        assert_eq!(parsed.records.len(), 5);

        let parsed = parse_shared("fixtures/vunnel/epss/test-fixtures/invalid-header.csv");
        assert!(parsed.records.is_empty());
        assert!(
            parsed.skipped[0]
                .ends_with("the header is `invalid,header,format`, expected `cve,epss,percentile`"),
            "{:?}",
            parsed.skipped
        );
    }

    #[test]
    fn malformed_rows_are_skipped_with_a_reason() {
        let csv = "cve,epss,percentile\nCVE-1,0.5,0.9\nCVE-2,high,0.9\nCVE-3,0.5\n\
                   GHSA-1,0.1,0.1\nCVE-4,0.1,1.5\n";
        let parsed = parse("epss.csv", csv).expect("recognised");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(
            parsed.skipped,
            [
                "epss.csv: line 3: `CVE-2`: `high` is not a probability",
                "epss.csv: line 4: `CVE-3,0.5` does not have three fields",
                "epss.csv: line 5: `GHSA-1` is not a CVE ID",
                "epss.csv: line 6: `CVE-4`: `1.5` is not a percentile",
            ]
        );
        assert!(parse("other.csv", "name,version\nx,1\n").is_none());
    }
}
