//! Reading JSON fields with the rules of Go's `encoding/json`, which Syft decodes these
//! manifests with: keys match field names regardless of case (the last match wins), `null`
//! leaves a field empty, and a value of the wrong type makes the whole document unreadable.

use serde_json::{Map, Value};

/// A value whose type does not fit the field it is decoded into.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` is not {expected}")]
pub(crate) struct TypeError {
    pub field: String,
    pub expected: &'static str,
}

/// Every JSON value in `text`, one after another (a file may hold several, as Go's stream
/// decoder reads them).
pub(crate) fn values(text: &str) -> Result<Vec<Value>, serde_json::Error> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .collect()
}

/// The object a document decodes into: `None` for `null`, an error for a non-object.
pub(crate) fn as_object<'a>(
    value: &'a Value,
    what: &str,
) -> Result<Option<&'a Map<String, Value>>, TypeError> {
    match value {
        Value::Object(object) => Ok(Some(object)),
        Value::Null => Ok(None),
        _ => Err(type_error(what, "an object")),
    }
}

/// The value of field `name`: the last key that equals it ignoring ASCII case.
pub(crate) fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .rev()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// A string field; absent or `null` is empty.
pub(crate) fn string(object: &Map<String, Value>, name: &str) -> Result<String, TypeError> {
    match field(object, name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(type_error(name, "a string")),
    }
}

/// A boolean field; absent or `null` is false.
pub(crate) fn boolean(object: &Map<String, Value>, name: &str) -> Result<bool, TypeError> {
    match field(object, name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(_) => Err(type_error(name, "a boolean")),
    }
}

/// Checks that a field is an object (or absent, or `null`) whose values are all strings.
pub(crate) fn check_string_map(object: &Map<String, Value>, name: &str) -> Result<(), TypeError> {
    match field(object, name) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(map)) if map.values().all(is_string_or_null) => Ok(()),
        Some(_) => Err(type_error(name, "an object of strings")),
    }
}

/// Checks that a field is an array (or absent, or `null`) of strings.
pub(crate) fn check_string_list(object: &Map<String, Value>, name: &str) -> Result<(), TypeError> {
    match field(object, name) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(items)) if items.iter().all(is_string_or_null) => Ok(()),
        Some(_) => Err(type_error(name, "an array of strings")),
    }
}

pub(crate) fn is_string_or_null(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Null)
}

pub(crate) fn type_error(field: &str, expected: &'static str) -> TypeError {
    TypeError {
        field: field.to_string(),
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_match_without_case_and_check_types() {
        let value = json!({"Name": "a", "version": null, "private": "yes", "deps": {"x": 1}});
        let object = value.as_object().unwrap();
        assert_eq!(string(object, "name").unwrap(), "a");
        assert_eq!(string(object, "version").unwrap(), "");
        assert!(boolean(object, "private").is_err());
        assert!(check_string_map(object, "deps").is_err());
        assert!(check_string_list(object, "absent").is_ok());
    }

    #[test]
    fn streams_hold_several_values() {
        assert_eq!(values("{} {\"a\":1}\n").unwrap().len(), 2);
        assert!(values("{} trailing").is_err());
    }
}
