//! A hand-written reader for the regular expression in PEP 440's appendix ("Parsing version
//! strings with regular expressions"), run on lowercase text: each optional part is tried in
//! turn, and a separator is consumed greedily as the expression's `[-_\.]?` is.

use super::version::{LocalPart, Pep440Version, PreKind};
use crate::numeral::Numeral;

const PRE_LABELS: [(&str, PreKind); 8] = [
    ("preview", PreKind::ReleaseCandidate),
    ("alpha", PreKind::Alpha),
    ("beta", PreKind::Beta),
    ("pre", PreKind::ReleaseCandidate),
    ("rc", PreKind::ReleaseCandidate),
    ("a", PreKind::Alpha),
    ("b", PreKind::Beta),
    ("c", PreKind::ReleaseCandidate),
];

/// Reads a whole lowercase version, or `None` if any of it does not fit.
pub(super) fn read(lower: &str) -> Option<Pep440Version> {
    let mut cursor = Cursor { rest: lower };
    let version = cursor.version()?;
    cursor.rest.is_empty().then_some(version)
}

/// The text still to read.
struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    fn version(&mut self) -> Option<Pep440Version> {
        self.eat("v");
        let epoch = self.epoch();
        let release = self.release()?;
        let pre = self.pre();
        let post = self.post();
        let dev = self.dev();
        let local = self.local()?;
        Some(Pep440Version {
            epoch: epoch.unwrap_or_else(Numeral::zero),
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    fn epoch(&mut self) -> Option<Numeral> {
        let digits = leading_digits(self.rest);
        let after = self.rest[digits.len()..].strip_prefix('!')?;
        let epoch = Numeral::parse(digits)?;
        self.rest = after;
        Some(epoch)
    }

    fn release(&mut self) -> Option<Vec<Numeral>> {
        let mut release = vec![self.number()?];
        while let Some(after_dot) = self.rest.strip_prefix('.') {
            let digits = leading_digits(after_dot);
            let Some(number) = Numeral::parse(digits) else {
                break;
            };
            release.push(number);
            self.rest = &after_dot[digits.len()..];
        }
        Some(release)
    }

    fn pre(&mut self) -> Option<(PreKind, Numeral)> {
        let saved = self.rest;
        self.separator();
        let Some(kind) = PRE_LABELS
            .iter()
            .find_map(|(label, kind)| self.eat(label).then_some(*kind))
        else {
            self.rest = saved;
            return None;
        };
        Some((kind, self.optional_number()))
    }

    fn post(&mut self) -> Option<Numeral> {
        // The implicit form `1.0-1`.
        if let Some(after) = self.rest.strip_prefix('-') {
            let digits = leading_digits(after);
            if let Some(number) = Numeral::parse(digits) {
                self.rest = &after[digits.len()..];
                return Some(number);
            }
        }
        let saved = self.rest;
        self.separator();
        if ["post", "rev", "r"].iter().any(|label| self.eat(label)) {
            return Some(self.optional_number());
        }
        self.rest = saved;
        None
    }

    fn dev(&mut self) -> Option<Numeral> {
        let saved = self.rest;
        self.separator();
        if self.eat("dev") {
            return Some(self.optional_number());
        }
        self.rest = saved;
        None
    }

    /// The local label, or an empty list when there is none; `None` when it is malformed.
    fn local(&mut self) -> Option<Vec<LocalPart>> {
        let Some(label) = self.rest.strip_prefix('+') else {
            return Some(Vec::new());
        };
        self.rest = "";
        label
            .split(['.', '-', '_'])
            .map(|part| {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    None
                } else if let Some(number) = Numeral::parse(part) {
                    Some(LocalPart::Number(number))
                } else {
                    Some(LocalPart::Text(part.into()))
                }
            })
            .collect()
    }

    /// `[-_.]?` then an optional number, 0 when absent. The separator stays consumed when no
    /// number follows, as the expression's greedy `[-_\.]?` leaves it.
    fn optional_number(&mut self) -> Numeral {
        self.separator();
        self.number().unwrap_or_else(Numeral::zero)
    }

    fn number(&mut self) -> Option<Numeral> {
        let digits = leading_digits(self.rest);
        let number = Numeral::parse(digits)?;
        self.rest = &self.rest[digits.len()..];
        Some(number)
    }

    fn separator(&mut self) {
        if self.rest.starts_with(['-', '_', '.']) {
            self.rest = &self.rest[1..];
        }
    }

    fn eat(&mut self, literal: &str) -> bool {
        match self.rest.strip_prefix(literal) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }
}

fn leading_digits(text: &str) -> &str {
    let length = text.bytes().take_while(u8::is_ascii_digit).count();
    &text[..length]
}
