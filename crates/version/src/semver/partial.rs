//! Partial versions as node-semver's ranges write them: `1`, `1.2`, `1.x`, `*`,
//! `1.2.3-beta` (its `XRANGEPLAIN`).

use super::version::{Identifier, MAX_SAFE_INTEGER};
use super::SemverVersion;
use crate::numeral::Numeral;

/// One position of a partial version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    /// Missing, `x`, `X` or `*`.
    Wild,
    /// A number and its digits as written (node-semver tests `"0"` as text in `^` ranges).
    Number(u64, &'a str),
}

impl Part<'_> {
    pub(crate) fn is_wild(self) -> bool {
        matches!(self, Part::Wild)
    }

    /// The number, 0 for a wildcard.
    pub(crate) fn value(self) -> u64 {
        match self {
            Part::Wild => 0,
            Part::Number(value, _) => value,
        }
    }

    /// Whether the number was written exactly `0`.
    pub(crate) fn is_written_zero(self) -> bool {
        matches!(self, Part::Number(_, "0"))
    }
}

/// A partial version: major, minor, patch (each possibly wild) and a pre-release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Partial<'a> {
    pub(crate) major: Part<'a>,
    pub(crate) minor: Part<'a>,
    pub(crate) patch: Part<'a>,
    pub(crate) pre: Vec<Identifier>,
}

impl<'a> Partial<'a> {
    /// Reads a partial version; leading `v` and `=` are skipped as node-semver skips them.
    pub(crate) fn parse(text: &'a str, loose: bool) -> Option<Partial<'a>> {
        let text = text.trim_start_matches(['v', '=']);
        let mut pieces = text.splitn(3, '.');
        let major = read_part(pieces.next()?, loose)?;
        let minor = pieces
            .next()
            .map(|piece| read_part(piece, loose))
            .unwrap_or(Some(Part::Wild))?;
        let (patch, pre) = match pieces.next() {
            None => (Part::Wild, Vec::new()),
            Some(rest) => read_patch(rest, loose)?,
        };
        Some(Partial {
            major,
            minor,
            patch,
            pre,
        })
    }

    /// A wildcard followed by a number (`*.1`, `1.x.2`), which node-semver refuses in x-ranges.
    pub(crate) fn has_wild_before_number(&self) -> bool {
        (self.major.is_wild() && !self.minor.is_wild())
            || (self.minor.is_wild() && !self.patch.is_wild())
    }

    /// The full version this names, when nothing is wild.
    pub(crate) fn full(&self) -> SemverVersion {
        SemverVersion::new(self.major.value(), self.minor.value(), self.patch.value())
            .with_prerelease(self.pre.clone())
    }
}

fn read_part(piece: &str, loose: bool) -> Option<Part<'_>> {
    match piece {
        "x" | "X" | "*" => Some(Part::Wild),
        _ => read_number(piece, loose),
    }
}

fn read_number(digits: &str, loose: bool) -> Option<Part<'_>> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !loose && digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    let value = Numeral::parse(digits)?
        .to_u64()
        .filter(|value| *value <= MAX_SAFE_INTEGER)?;
    Some(Part::Number(value, digits))
}

/// The patch and what may follow it: a pre-release (its hyphen optional when loose).
fn read_patch(rest: &str, loose: bool) -> Option<(Part<'_>, Vec<Identifier>)> {
    let wild = rest.starts_with(['x', 'X', '*']);
    let length = if wild {
        1
    } else {
        rest.bytes().take_while(u8::is_ascii_digit).count()
    };
    let patch = read_part(&rest[..length], loose)?;
    let tail = &rest[length..];
    if tail.is_empty() {
        return Some((patch, Vec::new()));
    }
    let pre_text = match tail.strip_prefix('-') {
        Some(pre) => pre,
        None if loose => tail,
        None => return None,
    };
    // Parsing a whole version is the simplest way to apply the pre-release rules.
    let probe = format!("0.0.0-{pre_text}");
    let pre = SemverVersion::parse_with(&probe, loose)
        .ok()?
        .prerelease()
        .to_vec();
    Some((patch, pre))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_partials() {
        let partial = Partial::parse("v1.x", false).unwrap();
        assert_eq!(
            (partial.major, partial.minor, partial.patch),
            (Part::Number(1, "1"), Part::Wild, Part::Wild)
        );
        assert!(Partial::parse("*", false).unwrap().major.is_wild());
        assert_eq!(Partial::parse("1.2.3-beta.1", false).unwrap().pre.len(), 2);
        assert_eq!(Partial::parse("1.2.3beta", true).unwrap().pre.len(), 1);
        assert!(Partial::parse("1.2.3beta", false).is_none());
        assert!(Partial::parse("01.2", false).is_none());
        assert!(Partial::parse("1.2.3.4", false).is_none());
        assert!(Partial::parse("1..2", false).is_none());
        assert!(Partial::parse("", false).is_none());
        assert!(Partial::parse("*.1", false)
            .unwrap()
            .has_wild_before_number());
    }
}
