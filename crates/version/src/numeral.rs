//! Decimal numbers of any length, compared by value without ever overflowing.
//!
//! Most version schemes put no bound on their numbers (Python, Ruby and Java's `BigInteger`
//! compare them exactly), so a number is kept as its digits and ordered by length, then text.

use std::cmp::Ordering;
use std::fmt;

/// A non-negative decimal number kept as its digits, leading zeros removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Numeral(Box<str>);

impl Numeral {
    /// The number zero.
    pub fn zero() -> Self {
        Numeral("0".into())
    }

    /// Reads a run of ASCII digits; `None` if `digits` is empty or holds anything else.
    pub fn parse(digits: &str) -> Option<Self> {
        if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        Some(Numeral(
            if trimmed.is_empty() { "0" } else { trimmed }.into(),
        ))
    }

    /// Whether the number is zero.
    pub fn is_zero(&self) -> bool {
        &*self.0 == "0"
    }

    /// The value, if it fits in a `u64`.
    pub fn to_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// The digits, without leading zeros.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Ord for Numeral {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_digits(&self.0, &other.0)
    }
}

impl PartialOrd for Numeral {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Numeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Compares two runs of ASCII digits by value; leading zeros do not count, and an empty run is
/// zero.
pub(crate) fn compare_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_value() {
        let cases = [
            ("0", "00", Ordering::Equal),
            ("", "0", Ordering::Equal),
            ("9", "10", Ordering::Less),
            ("010", "9", Ordering::Greater),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567891",
                Ordering::Less,
            ),
        ];
        for (a, b, expected) in cases {
            assert_eq!(compare_digits(a, b), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn parses_only_digits() {
        assert_eq!(
            Numeral::parse("007").map(|n| n.to_string()),
            Some("7".to_owned())
        );
        assert_eq!(Numeral::parse("000").map(|n| n.is_zero()), Some(true));
        assert_eq!(Numeral::parse(""), None);
        assert_eq!(Numeral::parse("1a"), None);
        assert_eq!(Numeral::parse("١"), None);
    }
}
