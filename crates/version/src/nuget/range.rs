//! NuGet version ranges, as `NuGet.Versioning.VersionRange` reads them: `[1.0,2.0)`,
//! `(,1.0]`, `[1.2]`, and a bare `1.0`, which in NuGet means "1.0 or later".

use std::fmt;

use super::NuGetVersion;
use crate::{Scheme, VersionError};

#[derive(Debug, Clone)]
struct End {
    version: NuGetVersion,
    inclusive: bool,
}

/// A NuGet interval; a missing end is unbounded.
#[derive(Debug, Clone)]
pub struct NuGetRange {
    text: Box<str>,
    lower: Option<End>,
    upper: Option<End>,
}

impl NuGetRange {
    /// Reads a range. Floating ranges (`1.*`) are not supported: advisories do not use them.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::constraint(Scheme::NuGet, text, reason);
        let trimmed = text.trim();
        let version = |part: &str| {
            NuGetVersion::parse(part).map_err(|error| error.in_constraint(Scheme::NuGet, text))
        };
        let range = |lower, upper| {
            Ok(NuGetRange {
                text: trimmed.into(),
                lower,
                upper,
            })
        };

        if !trimmed.starts_with(['[', '(']) {
            if trimmed.is_empty() {
                return Err(invalid("range is empty"));
            }
            return range(
                Some(End {
                    version: version(trimmed)?,
                    inclusive: true,
                }),
                None,
            );
        }
        if !trimmed.ends_with([']', ')']) || trimmed.len() < 2 {
            return Err(invalid("a bracketed range must end with `]` or `)`"));
        }
        let lower_inclusive = trimmed.starts_with('[');
        let upper_inclusive = trimmed.ends_with(']');
        let inside = &trimmed[1..trimmed.len() - 1];

        let parts: Vec<&str> = inside.split(',').map(str::trim).collect();
        match parts.as_slice() {
            [exact] if lower_inclusive && upper_inclusive && !exact.is_empty() => {
                let exact = version(exact)?;
                range(
                    Some(End {
                        version: exact.clone(),
                        inclusive: true,
                    }),
                    Some(End {
                        version: exact,
                        inclusive: true,
                    }),
                )
            }
            [_] => Err(invalid("a single version must be surrounded by `[]`")),
            ["", ""] => Err(invalid("a range needs at least one bound")),
            [lower, upper] => {
                let end = |part: &str, inclusive| -> Result<Option<End>, VersionError> {
                    if part.is_empty() {
                        return Ok(None);
                    }
                    Ok(Some(End {
                        version: version(part)?,
                        inclusive,
                    }))
                };
                let (lower, upper) = (end(lower, lower_inclusive)?, end(upper, upper_inclusive)?);
                if let (Some(lower), Some(upper)) = (&lower, &upper) {
                    let order = lower.version.cmp(&upper.version);
                    if order.is_gt() || (order.is_eq() && !(lower.inclusive && upper.inclusive)) {
                        return Err(invalid("the lower bound is above the upper bound"));
                    }
                }
                range(lower, upper)
            }
            _ => Err(invalid("a range has at most two bounds")),
        }
    }

    /// Whether `version` lies in the range.
    pub fn contains(&self, version: &NuGetVersion) -> bool {
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

impl fmt::Display for NuGetRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(range: &str, version: &str) -> bool {
        NuGetRange::parse(range)
            .unwrap()
            .contains(&NuGetVersion::parse(version).unwrap())
    }

    #[test]
    fn reads_nuget_ranges() {
        let cases = [
            ("1.0", "1.0", true),
            ("1.0", "0.9", false),
            ("1.0", "99.0", true),
            ("[1.0]", "1.0.0.0", true),
            ("[1.0]", "1.0.1", false),
            ("(1.0,)", "1.0", false),
            ("[1.0,2.0)", "2.0-beta", true),
            ("[1.0,2.0)", "2.0", false),
            ("(,1.0]", "1.0", true),
            ("( , 1.0 ]", "0.1", true),
        ];
        for (range, version, expected) in cases {
            assert_eq!(contains(range, version), expected, "{version} in {range}");
        }
    }

    #[test]
    fn refuses_malformed_ranges() {
        for text in [
            "",
            "[1.0",
            "(1.0)",
            "[2.0,1.0]",
            "(1.0,1.0]",
            "[,]",
            "[1,2,3]",
            "1.*",
        ] {
            assert!(NuGetRange::parse(text).is_err(), "{text:?}");
        }
    }
}
