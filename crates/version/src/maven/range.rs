//! Maven version ranges, as Maven's `VersionRange.createFromVersionSpec` reads them:
//! `[1.0,2.0)`, `(,1.0]`, `[1.2]`, and unions such as `(,1.0],[1.2,)`.
//!
//! A bare version is only a "soft" recommendation in Maven (it matches everything), so it is not
//! a range here; advisories that mean an exact version write `[1.2]`, or use a comparator list.

use std::fmt;

use super::MavenVersion;
use crate::{Scheme, VersionError};

/// One end of a restriction.
#[derive(Debug, Clone, PartialEq, Eq)]
struct End {
    version: MavenVersion,
    inclusive: bool,
}

/// One bracketed interval; a missing end is unbounded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Restriction {
    lower: Option<End>,
    upper: Option<End>,
}

impl Restriction {
    fn contains(&self, version: &MavenVersion) -> bool {
        let above = self.lower.as_ref().is_none_or(|end| {
            let order = version.cmp(&end.version);
            order.is_gt() || (order.is_eq() && end.inclusive)
        });
        let below = self.upper.as_ref().is_none_or(|end| {
            let order = version.cmp(&end.version);
            order.is_lt() || (order.is_eq() && end.inclusive)
        });
        above && below
    }
}

/// A union of Maven intervals.
#[derive(Debug, Clone)]
pub struct MavenRange {
    text: Box<str>,
    restrictions: Vec<Restriction>,
}

impl MavenRange {
    /// Reads a bracketed range or a comma-separated union of them.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::constraint(Scheme::Maven, text, reason);
        let mut rest = text.trim();
        if !rest.starts_with(['[', '(']) {
            return Err(invalid("a Maven range starts with `[` or `(`"));
        }

        let mut restrictions: Vec<Restriction> = Vec::new();
        while rest.starts_with(['[', '(']) {
            let close = rest
                .find([']', ')'])
                .ok_or_else(|| invalid("unbounded range"))?;
            let restriction = parse_restriction(&rest[..=close], text)?;
            if let Some(previous) = restrictions.last() {
                if overlaps(previous, &restriction) {
                    return Err(invalid("ranges overlap"));
                }
            }
            restrictions.push(restriction);
            rest = rest[close + 1..].trim_start();
            rest = rest.strip_prefix(',').map_or(rest, str::trim_start);
        }
        if !rest.is_empty() {
            return Err(invalid("only bracketed ranges may be combined"));
        }
        Ok(MavenRange {
            text: text.trim().into(),
            restrictions,
        })
    }

    /// Whether `version` lies in any of the intervals.
    pub fn contains(&self, version: &MavenVersion) -> bool {
        self.restrictions
            .iter()
            .any(|restriction| restriction.contains(version))
    }
}

/// Maven refuses a union whose next interval starts below where the previous one ends.
fn overlaps(previous: &Restriction, next: &Restriction) -> bool {
    match (&previous.upper, &next.lower) {
        (None, _) | (_, None) => true,
        (Some(upper), Some(lower)) => lower.version < upper.version,
    }
}

/// Reads one `[a,b)`-style interval of the range `whole`.
fn parse_restriction(spec: &str, whole: &str) -> Result<Restriction, VersionError> {
    let invalid = |reason| VersionError::constraint(Scheme::Maven, whole, reason);
    let lower_inclusive = spec.starts_with('[');
    let upper_inclusive = spec.ends_with(']');
    let inside = spec[1..spec.len() - 1].trim();
    let version = |text: &str| {
        MavenVersion::parse(text).map_err(|error| error.in_constraint(Scheme::Maven, whole))
    };

    let Some((lower, upper)) = inside.split_once(',') else {
        if !(lower_inclusive && upper_inclusive) {
            return Err(invalid("a single version must be surrounded by `[]`"));
        }
        let exact = version(inside)?;
        return Ok(Restriction {
            lower: Some(End {
                version: exact.clone(),
                inclusive: true,
            }),
            upper: Some(End {
                version: exact,
                inclusive: true,
            }),
        });
    };
    let (lower, upper) = (lower.trim(), upper.trim());
    if upper.contains(',') {
        return Err(invalid("an interval has more than two ends"));
    }
    let lower = (!lower.is_empty())
        .then(|| {
            version(lower).map(|version| End {
                version,
                inclusive: lower_inclusive,
            })
        })
        .transpose()?;
    let upper = (!upper.is_empty())
        .then(|| {
            version(upper).map(|version| End {
                version,
                inclusive: upper_inclusive,
            })
        })
        .transpose()?;
    if let (Some(lower), Some(upper)) = (&lower, &upper) {
        if upper.version < lower.version {
            return Err(invalid("range defies version ordering"));
        }
    }
    Ok(Restriction { lower, upper })
}

impl fmt::Display for MavenRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(range: &str, version: &str) -> bool {
        MavenRange::parse(range)
            .unwrap()
            .contains(&MavenVersion::parse(version).unwrap())
    }

    #[test]
    fn reads_intervals() {
        let cases = [
            ("[1.0,2.0)", "1.0", true),
            ("[1.0,2.0)", "2.0", false),
            ("[1.0,2.0)", "2.0-SNAPSHOT", true),
            ("(1.0,2.0]", "1.0", false),
            ("(,1.0]", "0.1", true),
            ("[1.5,)", "99", true),
            ("[1.2]", "1.2.0", true),
            ("[1.2]", "1.2.1", false),
            ("(,1.0],[1.2,)", "1.1", false),
            ("(,1.0],[1.2,)", "1.3", true),
            (" [ 1.0 , 2.0 ) ", "1.5", true),
        ];
        for (range, version, expected) in cases {
            assert_eq!(contains(range, version), expected, "{version} in {range}");
        }
    }

    #[test]
    fn refuses_malformed_ranges() {
        for text in [
            "1.0",
            "[1.0,2.0",
            "(1.0)",
            "[2.0,1.0]",
            "[1.0,2.0),[1.5,3.0)",
            "[1,2,3]",
            "[1.0,2.0) x",
        ] {
            assert!(MavenRange::parse(text).is_err(), "{text:?}");
        }
    }
}
