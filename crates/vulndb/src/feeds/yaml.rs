//! YAML documents read into the same JSON values the JSON formats use, so that a format
//! written in both (OSV, Alpine secdb) is read by one code path.

use serde_json::{Map, Number, Value};
use serde_yaml_ng::Value as Yaml;

/// Whether a document's name says it is YAML.
pub(super) fn is_yaml_name(origin: &str) -> bool {
    origin.ends_with(".yaml") || origin.ends_with(".yml")
}

/// Parses one YAML document into a JSON value.
pub(super) fn parse(text: &str) -> Result<Value, String> {
    let yaml: Yaml = serde_yaml_ng::from_str(text).map_err(|error| error.to_string())?;
    Ok(to_json(yaml))
}

/// Converts a YAML value. Mapping keys that are not strings become their text: Alpine's
/// secdb writes the version `0` as a bare number key. YAML has already read such a key as a
/// number, so a key like `1.10` comes back as `1.1`; the feeds seen quote such versions.
/// Keys that are themselves sequences or mappings have no text and are left out.
fn to_json(yaml: Yaml) -> Value {
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(value) => Value::Bool(value),
        Yaml::Number(number) => number_to_json(&number),
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                if let Some(key) = key_text(key) {
                    object.insert(key, to_json(value));
                }
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => to_json(tagged.value),
    }
}

fn number_to_json(number: &serde_yaml_ng::Number) -> Value {
    if let Some(integer) = number.as_i64() {
        Value::Number(integer.into())
    } else if let Some(integer) = number.as_u64() {
        Value::Number(integer.into())
    } else {
        // NaN and infinities have no JSON form.
        number
            .as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }
}

fn key_text(key: Yaml) -> Option<String> {
    match key {
        Yaml::String(text) => Some(text),
        Yaml::Number(number) => Some(number.to_string()),
        Yaml::Bool(value) => Some(value.to_string()),
        Yaml::Null => Some(String::new()),
        Yaml::Tagged(tagged) => key_text(tagged.value),
        Yaml::Sequence(_) | Yaml::Mapping(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_text() {
        let value = parse("secfixes:\n  0:\n    - CVE-2016-2781\n  1.2.3-r0: [CVE-1]\n  true: x\n")
            .unwrap();
        let secfixes = value["secfixes"].as_object().unwrap();
        assert_eq!(
            secfixes.keys().collect::<Vec<_>>(),
            ["0", "1.2.3-r0", "true"]
        );
        assert_eq!(secfixes["0"][0], "CVE-2016-2781");
    }

    #[test]
    fn scalars_keep_their_types() {
        let value = parse("score: 7.5\ncount: 3\ndate: 2011-12-28\nnothing: ~\n").unwrap();
        assert_eq!(value["score"].as_f64(), Some(7.5));
        assert_eq!(value["count"].as_i64(), Some(3));
        assert_eq!(value["date"], "2011-12-28");
        assert!(value["nothing"].is_null());
        assert!(parse("key: [unclosed").is_err());
    }
}
