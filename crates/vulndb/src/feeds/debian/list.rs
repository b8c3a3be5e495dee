//! The tracker's lists of issued advisories, `data/DSA/list` and `data/DLA/list`: a header
//! line per advisory, then indented lines naming its CVEs and the fixed source package in
//! each release.
//!
//! ```text
//! [05 Aug 2002] DSA-140 libpng - buffer overflow
//!         {CVE-2002-0660 CVE-2002-0728}
//!         [woody] - libpng 1.0.12-3.woody.2
//!         [sarge] - awstats <not-affected> (Vulnerable code not present)
//!         NOTE: …
//! ```
//!
//! One advisory per DSA or DLA, with the CVEs as aliases and one affected entry per release
//! line: fixed in the version given, or in the state given in angle brackets (as in the
//! tracker's other lists: `<not-affected>`, `<unfixed>`, `<postponed>`, `<no-dsa>`,
//! `<ignored>`, `<end-of-life>`). Announcements that name no package (a release's end of
//! life, a key change) are skipped with that reason.

use super::{affected, is_dpkg_version, release_version, urgency_severity, Status};
use crate::feeds::{Parsed, Record};
use crate::Advisory;

/// Reads a list; `None` unless its first line is an advisory header.
pub(crate) fn parse(origin: &str, text: &str) -> Option<Parsed> {
    let first = text.lines().find(|line| !line.trim().is_empty())?;
    let (_, id, _) = header(first)?;
    let feed = if id.starts_with("DLA-") {
        "debian-dla"
    } else {
        "debian-dsa"
    };

    let mut parsed = Parsed::new(feed);
    let mut current: Option<Advisory> = None;
    for (index, line) in text.lines().enumerate() {
        let at = |reason: String| format!("{origin}: line {}: {reason}", index + 1);
        if let Some((date, id, rest)) = header(line) {
            finish(current.take(), &mut parsed, origin);
            current = Some(new_advisory(date, id, rest));
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with("NOTE:") {
            continue;
        }
        let Some(advisory) = current.as_mut() else {
            parsed
                .skipped
                .push(at("a line before the first advisory".to_string()));
            continue;
        };
        if let Some(ids) = line.strip_prefix('{') {
            advisory.aliases.extend(
                ids.trim_end_matches('}')
                    .split_whitespace()
                    .map(str::to_string),
            );
        } else if line.starts_with('[') {
            if let Err(reason) = add_release(advisory, line) {
                parsed
                    .skipped
                    .push(at(format!("`{}`: {reason}", advisory.id)));
            }
        } else {
            parsed
                .skipped
                .push(at(format!("`{}`: unexpected line `{line}`", advisory.id)));
        }
    }
    finish(current, &mut parsed, origin);
    Some(parsed)
}

/// A header line: `[05 Aug 2002] DSA-140 libpng - buffer overflow` gives the ISO date, the
/// ID and the rest.
fn header(line: &str) -> Option<(String, &str, &str)> {
    let (date, rest) = line.strip_prefix('[')?.split_once("] ")?;
    let (id, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    if !["DSA-", "DLA-", "DTSA-"]
        .iter()
        .any(|prefix| id.starts_with(prefix))
    {
        return None;
    }
    Some((iso_date(date)?, id, rest.trim()))
}

/// `05 Aug 2002` as `2002-08-05`.
fn iso_date(date: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = date.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let month = MONTHS.iter().position(|name| month.starts_with(name))? + 1;
    let year: u32 = parts.next()?.parse().ok()?;
    let valid = (1..=31).contains(&day) && (1000..=9999).contains(&year);
    valid.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn new_advisory(published: String, id: &str, rest: &str) -> Advisory {
    // `libpng - buffer overflow`: the package, then the title; some headers have only one.
    let summary = rest.split_once(" - ").map_or(rest, |(_, title)| title);
    Advisory {
        id: id.to_string(),
        summary: summary.trim().to_string(),
        published: Some(published),
        references: vec![format!("https://security-tracker.debian.org/tracker/{id}")],
        ..Advisory::default()
    }
}

/// Adds the advisory to the records, or skips it when it names no package.
fn finish(advisory: Option<Advisory>, parsed: &mut Parsed, origin: &str) {
    let Some(mut advisory) = advisory else { return };
    if advisory.affected.is_empty() {
        parsed.skipped.push(format!(
            "{origin}: `{}` names no fixed package",
            advisory.id
        ));
        return;
    }
    advisory.aliases.sort();
    advisory.aliases.dedup();
    parsed.records.push(Record::Advisory(advisory));
}

/// A release line: `[woody] - libpng 1.0.12-3.woody.2 (medium)`.
fn add_release(advisory: &mut Advisory, line: &str) -> Result<(), String> {
    let malformed = || format!("`{line}` is not `[release] - package version`");
    let (codename, rest) = line
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .ok_or_else(malformed)?;
    let rest = rest.trim_start().strip_prefix('-').ok_or_else(malformed)?;
    let (fields, notes) = rest.split_once('(').unwrap_or((rest, ""));
    let mut fields = fields.split_whitespace();
    let (Some(package), Some(state), None) = (fields.next(), fields.next(), fields.next()) else {
        return Err(malformed());
    };

    let release =
        release_version(codename).ok_or_else(|| format!("unknown release `{codename}`"))?;
    let status = match state {
        "<not-affected>" => Status::NotAffected,
        "<unfixed>" | "<postponed>" => Status::Open,
        "<no-dsa>" | "<ignored>" | "<end-of-life>" => Status::WontFix,
        version if is_dpkg_version(version) => Status::Fixed(version.to_string()),
        other => return Err(format!("`{other}` is not a Debian version")),
    };
    advisory.affected.push(affected(release, package, status));

    // Notes may carry the urgency: `(bug #322591; medium)`.
    let severity = notes
        .trim_end_matches(')')
        .split(';')
        .find_map(|note| urgency_severity(note.trim()));
    advisory.severity = advisory.severity.max(severity);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::testdata::{advisories, parse_shared};
    use crate::{Event, FixState, Severity};

    #[test]
    fn headers_and_dates() {
        assert_eq!(
            header("[05 Aug 2002] DSA-140 libpng - buffer overflow"),
            Some((
                "2002-08-05".to_string(),
                "DSA-140",
                "libpng - buffer overflow"
            ))
        );
        assert_eq!(
            header("[18 Apr 2018] DSA-4205-1 jessie end-of-life").map(|h| h.1),
            Some("DSA-4205-1")
        );
        assert_eq!(header("[xx Aug 2002] DSA-140 libpng"), None);
        assert_eq!(header("[woody] - libpng 1.0"), None);
        assert_eq!(iso_date("1 Sept 2020").as_deref(), Some("2020-09-01"));
    }

    #[test]
    fn the_dsa_and_dla_lists() {
        let dsa = parse_shared("debian-security-tracker/DSA/list");
        assert_eq!(
            (dsa.feed.as_str(), dsa.records.len(), dsa.skipped.len()),
            ("debian-dsa", 5_382, 25),
            "{:#?}",
            dsa.skipped
        );
        let dla = parse_shared("debian-security-tracker/DLA/list");
        assert_eq!(
            (dla.feed.as_str(), dla.records.len(), dla.skipped.len()),
            ("debian-dla", 3_530, 4),
            "{:#?}",
            dla.skipped
        );

        let libpng = advisories(&dsa)
            .into_iter()
            .find(|a| a.id == "DSA-140")
            .unwrap();
        assert_eq!(libpng.aliases, ["CVE-2002-0660", "CVE-2002-0728"]);
        assert_eq!(libpng.published.as_deref(), Some("2002-08-05"));
        assert_eq!(libpng.summary, "buffer overflow");
        let packages: Vec<&str> = libpng.affected.iter().map(|a| a.package.as_str()).collect();
        assert_eq!(packages, ["libpng", "libpng3"]);
        let first = &libpng.affected[0];
        assert_eq!(
            (first.namespace.as_str(), first.scheme.as_str()),
            ("debian:3.0", "dpkg")
        );
        assert_eq!(
            first.ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Fixed("1.0.12-3.woody.2".into())
            ]
        );
        assert!(dsa
            .skipped
            .iter()
            .any(|reason| reason.contains("`DSA-3281-1` names no fixed package")));
        // The list itself gives the package twice and no version here.
        assert!(dsa.skipped.iter().any(|reason| reason
            .contains("`DSA-423`: `kernel-image-2.4.17-ia64` is not a Debian version")));
    }

    #[test]
    fn the_vunnel_dsa_sample() {
        let parsed = parse_shared("fixtures/vunnel/debian/test-fixtures/input/DSA");
        let sope = advisories(&parsed)
            .into_iter()
            .find(|a| a.id == "DSA-5970-1")
            .unwrap();
        assert_eq!(sope.affected[0].namespace, "debian:12");
        assert_eq!(
            sope.affected[0].fix,
            FixState::Fixed(vec!["5.8.0-1+deb12u1".into()])
        );
    }

    #[test]
    fn malformed_lines_are_skipped_with_a_reason() {
        let text = concat!(
            "[01 Aug 2002] DSA-141 mpack - buffer overflow\n",
            "\t{CVE-2002-1425}\n",
            "\t[woody] - mpack 1.5-7woody2 (high)\n",
            "\t[experimental] - mpack 1.6\n",
            "\t[sarge] - mpack\n",
            "\t[etch] - mpack ???\n",
            "\tgarbage\n",
            "[02 Aug 2002] DSA-142 notice\n",
        );
        let parsed = parse("DSA/list", text).expect("recognised");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(advisories(&parsed)[0].severity, Some(Severity::High));
        let reasons = parsed.skipped.join("\n");
        for reason in [
            "DSA/list: line 4: `DSA-141`: unknown release `experimental`",
            "line 5: `DSA-141`: `[sarge] - mpack` is not `[release] - package version`",
            "line 6: `DSA-141`: `???` is not a Debian version",
            "line 7: `DSA-141`: unexpected line `garbage`",
            "`DSA-142` names no fixed package",
        ] {
            assert!(reasons.contains(reason), "{reason} not in {reasons}");
        }
        assert!(parse("notes.txt", "Just some text\n[01 Aug 2002] DSA-1 x\n").is_none());
    }
}
