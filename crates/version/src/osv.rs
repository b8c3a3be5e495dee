//! OSV affected ranges: `introduced`, `fixed`, `last_affected` and `limit` events, evaluated
//! as the OSV schema's "Evaluation" section describes for `ECOSYSTEM` and `SEMVER` ranges.
//!
//! Events are sorted by version (`introduced: "0"` first); walking them in order, an
//! `introduced` at or below the version makes it affected, a `fixed` at or below it makes it
//! unaffected, a `last_affected` strictly below it makes it unaffected. When `limit` events are
//! present, the version must also be below one of them (`limit: "*"` is no limit).

use std::cmp::Ordering;
use std::fmt;

use crate::{Scheme, VersionError};

/// One event of an OSV range, with its version as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OsvEvent<'a> {
    /// The first affected version; `"0"` means all versions before the next event.
    Introduced(&'a str),
    /// The first version with the fix.
    Fixed(&'a str),
    /// The last affected version.
    LastAffected(&'a str),
    /// An upper limit on the range; `"*"` means none.
    Limit(&'a str),
}

impl<'a> OsvEvent<'a> {
    /// The event's field name in OSV and its version.
    pub fn parts(self) -> (&'static str, &'a str) {
        match self {
            OsvEvent::Introduced(text) => ("introduced", text),
            OsvEvent::Fixed(text) => ("fixed", text),
            OsvEvent::LastAffected(text) => ("last_affected", text),
            OsvEvent::Limit(text) => ("limit", text),
        }
    }
}

/// As OSV writes it: `introduced: 0`.
impl fmt::Display for OsvEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, version) = self.parts();
        write!(f, "{name}: {version}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Event<V> {
    /// `None` is `introduced: "0"`.
    Introduced(Option<V>),
    Fixed(V),
    LastAffected(V),
}

impl<V> Event<V> {
    fn version(&self) -> Option<&V> {
        match self {
            Event::Introduced(version) => version.as_ref(),
            Event::Fixed(version) | Event::LastAffected(version) => Some(version),
        }
    }
}

/// The events of one OSV range, sorted and ready to test versions against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsvRange<V> {
    events: Vec<Event<V>>,
    /// `None` is `limit: "*"`.
    limits: Vec<Option<V>>,
}

impl<V: Ord> OsvRange<V> {
    /// Reads the events of a range, each version with `parse`. A range needs at least one
    /// `introduced` event.
    pub fn new<'a>(
        scheme: Scheme,
        events: impl IntoIterator<Item = OsvEvent<'a>>,
        parse: impl Fn(&str) -> Result<V, VersionError>,
    ) -> Result<Self, VersionError> {
        let mut parsed = Vec::new();
        let mut limits = Vec::new();
        let mut written = Vec::new();
        for event in events {
            written.push(event.to_string());
            match event {
                OsvEvent::Introduced("0") => parsed.push(Event::Introduced(None)),
                OsvEvent::Introduced(text) => parsed.push(Event::Introduced(Some(parse(text)?))),
                OsvEvent::Fixed(text) => parsed.push(Event::Fixed(parse(text)?)),
                OsvEvent::LastAffected(text) => parsed.push(Event::LastAffected(parse(text)?)),
                OsvEvent::Limit("*") => limits.push(None),
                OsvEvent::Limit(text) => limits.push(Some(parse(text)?)),
            }
        }
        if !parsed
            .iter()
            .any(|event| matches!(event, Event::Introduced(_)))
        {
            let input = written.join(", ");
            return Err(VersionError::constraint(
                scheme,
                &input,
                "no `introduced` event",
            ));
        }

        // A stable sort keeps the written order of events at the same version.
        parsed.sort_by(|a, b| match (a.version(), b.version()) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(a), Some(b)) => a.cmp(b),
        });
        Ok(OsvRange {
            events: parsed,
            limits,
        })
    }

    /// Whether `version` is affected.
    pub fn contains(&self, version: &V) -> bool {
        let mut affected = false;
        for event in &self.events {
            match event {
                Event::Introduced(None) => affected = true,
                Event::Introduced(Some(introduced)) if version >= introduced => affected = true,
                Event::Fixed(fixed) if version >= fixed => affected = false,
                Event::LastAffected(last) if version > last => affected = false,
                _ => {}
            }
        }
        let under_limit = self.limits.is_empty()
            || self
                .limits
                .iter()
                .any(|limit| limit.as_ref().is_none_or(|limit| version < limit));
        affected && under_limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dpkg::DpkgVersion;

    fn range(events: &[OsvEvent<'_>]) -> OsvRange<DpkgVersion> {
        OsvRange::new(Scheme::Dpkg, events.iter().copied(), DpkgVersion::parse).unwrap()
    }

    fn contains(range: &OsvRange<DpkgVersion>, version: &str) -> bool {
        range.contains(&DpkgVersion::parse(version).unwrap())
    }

    #[test]
    fn evaluates_events() {
        use OsvEvent::{Fixed, Introduced, LastAffected, Limit};
        let fixed = range(&[Introduced("0"), Fixed("1.2-1")]);
        assert!(contains(&fixed, "1.0"));
        assert!(contains(&fixed, "1.2-0"));
        assert!(!contains(&fixed, "1.2-1"));

        let last = range(&[Introduced("1.0"), LastAffected("1.5")]);
        assert!(!contains(&last, "0.9"));
        assert!(contains(&last, "1.5"));
        assert!(!contains(&last, "1.5.1"));

        // Written out of order, two affected stretches.
        let two = range(&[
            Fixed("2.0"),
            Introduced("3.0"),
            Introduced("1.0"),
            Fixed("3.5"),
        ]);
        let cases = [
            ("0.5", false),
            ("1.5", true),
            ("2.5", false),
            ("3.2", true),
            ("4", false),
        ];
        for (version, expected) in cases {
            assert_eq!(contains(&two, version), expected, "{version}");
        }

        let limited = range(&[Introduced("0"), Limit("2.0")]);
        assert!(contains(&limited, "1.9"));
        assert!(!contains(&limited, "2.0"));
        assert!(contains(&range(&[Introduced("0"), Limit("*")]), "99"));
    }

    #[test]
    fn refuses_bad_events() {
        let parse = DpkgVersion::parse;
        let no_introduced = OsvRange::new(Scheme::Dpkg, [OsvEvent::Fixed("1.0")], parse);
        assert_eq!(
            no_introduced.unwrap_err().to_string(),
            "invalid dpkg constraint `fixed: 1.0`: no `introduced` event"
        );
        assert!(OsvRange::new(Scheme::Dpkg, [OsvEvent::Introduced("x")], parse).is_err());
    }
}
