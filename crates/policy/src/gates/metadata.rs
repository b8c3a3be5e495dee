//! The `metadata` gate: one check on one image fact (size, architecture, OS, distribution,
//! layer count).

use std::cmp::Ordering;

use super::{anchored, Context, Fire, TriggerError};
use crate::params;

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    if context.trigger != "attribute" {
        return Ok(Vec::new());
    }
    let attribute = context.required("attribute")?;
    let check = context.required("check")?;
    let value = context.text("value").filter(|value| !value.is_empty());

    let needs_value = !matches!(check, "exists" | "not_exists");
    if needs_value && value.is_none() {
        return Ok(Vec::new());
    }

    let facts = &context.input.facts;
    let image_value = match attribute {
        "size" => Fact::Number(facts.size),
        "layer_count" => Fact::Number(facts.layer_count),
        "architecture" => Fact::Text(&facts.architecture),
        "os_type" => Fact::Text(&facts.os_type),
        "distro" => Fact::Text(&facts.distro),
        "distro_version" => Fact::Text(&facts.distro_version),
        "like_distro" => Fact::Text(&facts.like_distro),
        _ => return Err(context.bad("attribute", attribute)),
    };
    // The value is read as the fact's type; sizes take units (`1GB`).
    let rule_value = match (value, &image_value) {
        (None, _) => None,
        (Some(text), Fact::Number(_)) => {
            let parse = if attribute == "size" {
                params::parse_size
            } else {
                params::parse_integer
            };
            let number = parse(text).ok_or_else(|| context.bad("value", text))?;
            Some(number.to_string())
        }
        (Some(text), Fact::Text(_)) => Some(text.to_string()),
    };
    let right = rule_value.as_deref().unwrap_or_default();
    let left = image_value.to_string();

    let ordering = || match &image_value {
        Fact::Number(number) => right.parse::<u64>().ok().map(|r| number.cmp(&r)),
        Fact::Text(text) => Some(text.cmp(&right)),
    };
    let matched = match check {
        "=" => ordering() == Some(Ordering::Equal),
        "!=" => ordering() != Some(Ordering::Equal),
        ">" => ordering() == Some(Ordering::Greater),
        "<" => ordering() == Some(Ordering::Less),
        ">=" => matches!(ordering(), Some(Ordering::Greater | Ordering::Equal)),
        "<=" => matches!(ordering(), Some(Ordering::Less | Ordering::Equal)),
        "exists" => image_value.is_present(),
        "not_exists" => !image_value.is_present(),
        "like" | "not_like" => {
            let pattern = anchored(right).map_err(|_| context.bad("value", right))?;
            pattern.is_match(&left) == (check == "like")
        }
        "in" => params::comma_list(right).contains(&left.as_str()),
        "not_in" => !params::comma_list(right).contains(&left.as_str()),
        _ => return Err(context.bad("check", check)),
    };
    if !matched {
        return Ok(Vec::new());
    }
    Ok(vec![Fire::message(format!(
        "Attribute check for attribute: '{attribute}' check: '{check}' check_value: '{right}' matched image value: '{left}'"
    ))])
}

/// An image fact: sizes and counts compare as numbers, the rest as strings.
enum Fact<'a> {
    Number(u64),
    Text(&'a str),
}

impl Fact<'_> {
    /// Whether the fact is known: non-zero, non-empty.
    fn is_present(&self) -> bool {
        match self {
            Fact::Number(number) => *number != 0,
            Fact::Text(text) => !text.is_empty(),
        }
    }
}

impl std::fmt::Display for Fact<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fact::Number(number) => write!(f, "{number}"),
            Fact::Text(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, rule};
    use crate::input::{EvaluationInput, ImageFacts};

    fn fires(attribute: &str, check: &str, value: Option<&str>) -> Vec<String> {
        let input = EvaluationInput {
            facts: ImageFacts {
                size: 1_610_612_736, // 1.5 GiB
                architecture: "amd64".into(),
                os_type: "linux".into(),
                distro: "debian".into(),
                distro_version: "12".into(),
                like_distro: String::new(),
                layer_count: 7,
            },
            ..Default::default()
        };
        let mut params = vec![("attribute", attribute), ("check", check)];
        if let Some(value) = value {
            params.push(("value", value));
        }
        evaluate_rule(&rule("metadata", "attribute", &params), &input, now())
            .unwrap()
            .into_iter()
            .map(|fired| fired.message)
            .collect()
    }

    #[test]
    fn attribute_checks() {
        let cases = [
            ("size", ">", Some("1GB"), true),
            ("size", ">", Some("2gb"), false),
            ("size", "<=", Some("1610612736"), true),
            ("size", "!=", Some("1536MB"), false),
            ("layer_count", ">=", Some("8"), false),
            ("layer_count", "<", Some("8"), true),
            ("layer_count", "=", Some("7"), true),
            ("distro_version", "in", Some("11, 12"), true),
            ("architecture", "=", Some("amd64"), true),
            ("architecture", "not_in", Some("amd64,arm64"), false),
            ("os_type", "like", Some("lin"), true),
            ("os_type", "not_like", Some("win.*"), true),
            ("distro", "in", Some("alpine,debian"), true),
            ("distro_version", ">", Some("11"), true),
            ("like_distro", "exists", None, false),
            ("like_distro", "not_exists", None, true),
            ("distro", "exists", None, true),
            // A check that needs a value does nothing without one.
            ("distro", "=", None, false),
        ];
        for (attribute, check, value, expected) in cases {
            let fired = fires(attribute, check, value);
            assert_eq!(!fired.is_empty(), expected, "{attribute} {check} {value:?}");
        }
    }

    #[test]
    fn messages_show_the_value_in_bytes() {
        assert_eq!(
            fires("size", ">", Some("1GB")),
            ["Attribute check for attribute: 'size' check: '>' check_value: '1073741824' matched image value: '1610612736'"]
        );
        assert_eq!(
            fires("like_distro", "not_exists", None),
            ["Attribute check for attribute: 'like_distro' check: 'not_exists' check_value: '' matched image value: ''"]
        );
    }
}
