//! Reading parameter values, which bundles always write as strings: booleans, numbers,
//! comma-separated lists and sizes with units.

use crate::spec::Validator;

/// `true` or `false` in any case, surrounding spaces allowed.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A non-negative whole number, surrounding spaces allowed.
pub fn parse_integer(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// A decimal number such as `5`, `7.5` or `-1.0`.
pub fn parse_float(value: &str) -> Option<f64> {
    let value = value.trim();
    let digits = value.strip_prefix('-').unwrap_or(value);
    let plain = !digits.is_empty()
        && digits
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'.')
        && digits.bytes().filter(|&byte| byte == b'.').count() <= 1
        && digits != ".";
    if plain {
        value.parse().ok()
    } else {
        None
    }
}

/// The items of a comma-separated list, trimmed, without empty items.
pub fn comma_list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

/// A size in bytes: a whole number with an optional `kb`, `mb`, `gb` or `tb` unit in any case
/// (powers of 1024, as Anchore reads them: `1GB` is 1073741824).
pub fn parse_size(value: &str) -> Option<u64> {
    let value = value.to_ascii_lowercase();
    let digits_end = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (digits, unit) = value.split_at(digits_end);
    let number: u64 = digits.parse().ok()?;
    let factor: u64 = match unit {
        "" => 1,
        "kb" => 1 << 10,
        "mb" => 1 << 20,
        "gb" => 1 << 30,
        "tb" => 1 << 40,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// Why a value fails its validator, as words that follow "expected"; `None` when it passes.
///
/// `attribute` is the rule's `attribute` parameter, which decides what a
/// [`Validator::MetadataValue`] must be.
pub fn check(validator: Validator, value: &str, attribute: Option<&str>) -> Option<String> {
    let ok = match validator {
        Validator::Enum(values) => values.contains(&value),
        Validator::Boolean => parse_bool(value).is_some(),
        Validator::Integer => parse_integer(value).is_some(),
        Validator::Float => parse_float(value).is_some(),
        Validator::Text => true,
        Validator::Regex => {
            return regex::Regex::new(value)
                .err()
                .map(|error| format!("a valid regular expression ({})", first_line(&error)));
        }
        Validator::CommaList => !comma_list(value).is_empty(),
        Validator::CommaNumbers => {
            let items = comma_list(value);
            !items.is_empty() && items.iter().all(|item| parse_integer(item).is_some())
        }
        Validator::MetadataValue => match attribute {
            Some("size") => parse_size(value).is_some(),
            Some("layer_count") => parse_integer(value).is_some(),
            _ => true,
        },
    };
    if ok {
        return None;
    }
    let expected = match (validator, attribute) {
        (Validator::MetadataValue, Some("size")) => {
            "a size in bytes with an optional unit (kb, mb, gb, tb), such as 1GB".to_string()
        }
        (Validator::MetadataValue, _) => "a whole number".to_string(),
        _ => validator.description(),
    };
    Some(expected)
}

fn first_line(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines().last().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_units_in_any_case() {
        let cases = [
            ("10", Some(10)),
            ("1kb", Some(1024)),
            ("1GB", Some(1_073_741_824)),
            ("3Mb", Some(3 * 1024 * 1024)),
            ("1 GB", None),
            ("1g", None),
            ("GB", None),
            ("-1", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text), expected, "{text}");
        }
    }

    #[test]
    fn numbers_and_booleans() {
        assert_eq!(parse_integer(" 7 "), Some(7));
        assert_eq!(parse_integer("-7"), None);
        assert_eq!(parse_integer("7.0"), None);
        assert_eq!(parse_float("7.5"), Some(7.5));
        assert_eq!(parse_float("-1"), Some(-1.0));
        assert_eq!(parse_float("."), None);
        assert_eq!(parse_float("1e3"), None);
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(comma_list(" a, b,,c "), ["a", "b", "c"]);
    }

    #[test]
    fn validators_explain_what_they_expected() {
        assert_eq!(check(Validator::Integer, "2", None), None);
        assert_eq!(
            check(Validator::Integer, "two", None).as_deref(),
            Some("a whole number")
        );
        assert!(check(Validator::Regex, "(", None)
            .unwrap()
            .starts_with("a valid regular expression"));
        assert_eq!(check(Validator::CommaNumbers, "22, 80", None), None);
        assert!(check(Validator::CommaNumbers, "22,ssh", None).is_some());
        assert_eq!(check(Validator::MetadataValue, "1GB", Some("size")), None);
        assert!(check(Validator::MetadataValue, "big", Some("size")).is_some());
        assert_eq!(check(Validator::MetadataValue, "big", Some("distro")), None);
    }
}
