//! A Maven version, split into items and ordered as Maven's `ComparableVersion` orders them.
//!
//! The rules are those of Maven 3.9, the released line that Maven Central's tooling and OSV use:
//! the text is lowercased and split at `.`, at `-`, and wherever digits and letters meet; a `-`
//! or a switch between digits and letters opens a sub-list. Numbers compare by value.
//! Qualifiers order as `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
//! release < sp`, then any other qualifier alphabetically; `a1`, `b1`, `m1` are `alpha-1`,
//! `beta-1`, `milestone-1`. Zeros and empty qualifiers at the end of a list are dropped (`1.0.0`
//! equals `1`, `1-ga` equals `1`).
//!
//! Not followed: Maven 4 reads letters followed by digits (`rc1`, `alpha-2`) as one combined
//! item, which orders a few rare versions differently (`1-1` against `1-ga-1`); the ecosystem's
//! data is ordered by Maven 3.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::numeral::Numeral;
use crate::{Scheme, VersionError};

/// A Maven artifact version.
///
/// Equality is Maven's order: `1.0` equals `1`, `1-RELEASE` equals `1`, `1cr` equals `1rc`.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    text: Box<str>,
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Number(Numeral),
    /// A qualifier, with its aliases applied (`cr` is `rc`; `ga`, `final`, `release` are empty).
    Text(Box<str>),
    List(Vec<Item>),
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Number(number) => number.is_zero(),
            Item::Text(text) => text.is_empty(),
            Item::List(items) => items.is_empty(),
        }
    }
}

impl MavenVersion {
    /// Reads a version. Maven accepts any text; refused here are the empty string, whitespace,
    /// control characters and characters outside ASCII, none of which a real artifact version
    /// holds and for which Java's Unicode rules would decide the order.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason| VersionError::version(Scheme::Maven, text, reason);
        if text.is_empty() {
            return Err(invalid("version is empty"));
        }
        if !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid(
                "version has whitespace, a control character or non-ASCII text",
            ));
        }
        Ok(MavenVersion {
            text: text.into(),
            items: split_items(&text.to_ascii_lowercase()),
        })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The item lists under construction; the last is the one being filled, each nested in the one
/// before.
struct Lists(Vec<Vec<Item>>);

impl Lists {
    fn push(&mut self, item: Item) {
        if let Some(current) = self.0.last_mut() {
            current.push(item);
        }
    }

    fn current_is_empty(&self) -> bool {
        self.0.last().is_none_or(Vec::is_empty)
    }

    fn open(&mut self) {
        self.0.push(Vec::new());
    }

    /// Normalises every list, innermost first, nesting each in its parent.
    fn finish(mut self) -> Vec<Item> {
        let mut inner = self.0.pop().unwrap_or_default();
        normalize(&mut inner);
        while let Some(mut parent) = self.0.pop() {
            parent.push(Item::List(inner));
            normalize(&mut parent);
            inner = parent;
        }
        inner
    }
}

fn split_items(lower: &str) -> Vec<Item> {
    let bytes = lower.as_bytes();
    let mut lists = Lists(vec![Vec::new()]);
    let (mut is_digit, mut start) = (false, 0);

    for (index, &c) in bytes.iter().enumerate() {
        match c {
            b'.' | b'-' => {
                let item = if index == start {
                    Item::Number(Numeral::zero())
                } else {
                    read_item(is_digit, &lower[start..index])
                };
                lists.push(item);
                start = index + 1;
                if c == b'-' {
                    lists.open();
                }
            }
            b'0'..=b'9' => {
                if !is_digit && index > start {
                    // Letters then digits: the letters are a qualifier of their own list, the
                    // digits start another (`rc1` is `rc-1`).
                    if !lists.current_is_empty() {
                        lists.open();
                    }
                    lists.push(Item::Text(qualifier(&lower[start..index], true).into()));
                    start = index;
                    lists.open();
                }
                is_digit = true;
            }
            _ => {
                if is_digit && index > start {
                    lists.push(read_item(true, &lower[start..index]));
                    start = index;
                    lists.open();
                }
                is_digit = false;
            }
        }
    }

    if bytes.len() > start {
        // `1.0.0.x` is read as `1.0.0-x`: a trailing qualifier always opens a sub-list.
        if !is_digit && !lists.current_is_empty() {
            lists.open();
        }
        lists.push(read_item(is_digit, &lower[start..]));
    }
    lists.finish()
}

fn read_item(is_digit: bool, text: &str) -> Item {
    if is_digit {
        Item::Number(Numeral::parse(text).unwrap_or_else(Numeral::zero))
    } else {
        Item::Text(qualifier(text, false).into())
    }
}

/// Applies the short spellings before a digit and the aliases of qualifiers.
fn qualifier(text: &str, followed_by_digit: bool) -> &str {
    match (text, followed_by_digit) {
        ("a", true) => "alpha",
        ("b", true) => "beta",
        ("m", true) => "milestone",
        ("cr", _) => "rc",
        ("ga" | "final" | "release", _) => "",
        _ => text,
    }
}

/// Drops zeros and empty qualifiers from the end of the list, looking past sub-lists.
fn normalize(items: &mut Vec<Item>) {
    for index in (0..items.len()).rev() {
        if items[index].is_null() {
            items.remove(index);
        } else if !matches!(items[index], Item::List(_)) {
            break;
        }
    }
}

/// Where a qualifier sorts: the known ones by rank, all of them before unknown ones, which
/// sort alphabetically.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum QualifierRank<'a> {
    Known(u8),
    Unknown(&'a str),
}

const KNOWN_QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_RANK: u8 = 5;

fn rank(qualifier: &str) -> QualifierRank<'_> {
    match KNOWN_QUALIFIERS
        .iter()
        .position(|known| *known == qualifier)
    {
        Some(position) => QualifierRank::Known(position as u8),
        None => QualifierRank::Unknown(qualifier),
    }
}

/// Orders an item against another, or against nothing (the shorter version's padding).
fn compare_item(a: &Item, b: Option<&Item>) -> Ordering {
    use Item::{List, Number, Text};
    use Ordering::{Equal, Greater, Less};

    match (a, b) {
        (Number(x), None) => {
            if x.is_zero() {
                Equal
            } else {
                Greater
            }
        }
        (Number(x), Some(Number(y))) => x.cmp(y),
        (Number(_), Some(Text(_) | List(_))) => Greater,

        (Text(x), None) => rank(x).cmp(&QualifierRank::Known(RELEASE_RANK)),
        (Text(x), Some(Text(y))) => rank(x).cmp(&rank(y)),
        (Text(_), Some(Number(_) | List(_))) => Less,

        (List(items), None) => items
            .iter()
            .map(|item| compare_item(item, None))
            .find(|o| o.is_ne())
            .unwrap_or(Equal),
        (List(left), Some(List(right))) => compare_lists(left, right),
        (List(_), Some(Number(_))) => Less,
        (List(_), Some(Text(_))) => Greater,
    }
}

fn compare_lists(left: &[Item], right: &[Item]) -> Ordering {
    for index in 0..left.len().max(right.len()) {
        let order = match (left.get(index), right.get(index)) {
            (Some(l), r) => compare_item(l, r),
            (None, Some(r)) => compare_item(r, None).reverse(),
            (None, None) => Ordering::Equal,
        };
        if order.is_ne() {
            return order;
        }
    }
    Ordering::Equal
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.items, &other.items)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for MavenVersion {}

impl fmt::Display for MavenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for MavenVersion {
    type Err = VersionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        MavenVersion::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(a: &str, b: &str) -> Ordering {
        MavenVersion::parse(a)
            .unwrap()
            .cmp(&MavenVersion::parse(b).unwrap())
    }

    #[test]
    fn orders_qualifiers() {
        let ascending = [
            "1-alpha",
            "1-alpha1",
            "1-beta",
            "1-milestone-1",
            "1-rc",
            "1-rc2",
            "1-snapshot",
            "1",
            "1-sp",
            "1-sp1",
            "1-abc",
            "1-1",
            "1.1",
        ];
        for pair in ascending.windows(2) {
            assert_eq!(
                order(pair[0], pair[1]),
                Ordering::Less,
                "{} < {}",
                pair[0],
                pair[1]
            );
            assert_eq!(
                order(pair[1], pair[0]),
                Ordering::Greater,
                "{} > {}",
                pair[1],
                pair[0]
            );
        }
    }

    #[test]
    fn equal_spellings() {
        let pairs = [
            ("1", "1.0.0"),
            ("1-ga", "1"),
            ("1.final", "1"),
            ("1cr1", "1-RC-1"),
            ("1a1", "1-alpha-1"),
            ("1.0-0", "1"),
            ("01.2", "1.2"),
            ("1..1", "1.0.1"),
            (
                "123456789012345678901234567890",
                "0123456789012345678901234567890",
            ),
        ];
        for (a, b) in pairs {
            assert_eq!(order(a, b), Ordering::Equal, "{a} = {b}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_version() {
        for text in ["", "1 .0", "1.0\t", "1.0é"] {
            assert!(MavenVersion::parse(text).is_err(), "{text:?}");
        }
    }
}
