//! Lenient reading of API bodies.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A body that did not match the expected shape, with the JSON path of the
/// first value that failed (`result[3].created`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}")]
pub struct DecodeError {
    /// The failing path and serde's reason, free of the body's content.
    pub what: String,
}

/// Parses `text` into `T`, accepting camelCase and PascalCase field names.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let mut value: Value = serde_json::from_str(text).map_err(|error| DecodeError {
        what: format!("the body is not JSON ({error})"),
    })?;

    normalize_keys(&mut value);

    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        DecodeError {
            what: format!("field `{path}`: {}", error.into_inner()),
        }
    })
}

/// A configuration or settings object that did not match, with the JSON path
/// of the offending key and a readable reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictDecodeError {
    pub path: String,
    pub message: String,
}

/// Parses `text` into `T` with its exact field names, so a misspelt key in a
/// settings file is reported instead of silently ignored.
pub fn decode_strict<T: DeserializeOwned>(text: &str) -> Result<T, StrictDecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);

    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();

        let message = if inner.is_syntax() || inner.is_eof() {
            format!("the file is not valid JSON ({inner}). Fix the syntax.")
        } else {
            format!("{inner}. Fix this value.")
        };

        StrictDecodeError {
            path: if path == "." {
                "(top level)".to_owned()
            } else {
                path
            },
            message,
        }
    })
}

/// Rewrites every object key to camelCase by lowering its first letter, the
/// only difference between .NET's PascalCase and camelCase names.
pub fn normalize_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let entries = std::mem::take(map);
            let mut normalized = Map::with_capacity(entries.len());

            for (key, mut inner) in entries {
                normalize_keys(&mut inner);
                normalized.insert(camel_case(&key), inner);
            }

            *map = normalized;
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_keys),
        _ => {}
    }
}

fn camel_case(key: &str) -> String {
    let mut chars = key.chars();

    match chars.next() {
        Some(first) if first.is_ascii_uppercase() => {
            first.to_ascii_lowercase().to_string() + chars.as_str()
        }
        _ => key.to_owned(),
    }
}

/// Deserializes a list that may be `null` or missing as an empty list.
pub(crate) fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let list: Option<Vec<T>> = serde::Deserialize::deserialize(deserializer)?;
    Ok(list.unwrap_or_default())
}

/// Deserializes a number that may be `null` as zero.
pub(crate) fn null_as_zero<'de, D>(deserializer: D) -> Result<i64, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let number: Option<i64> = serde::Deserialize::deserialize(deserializer)?;
    Ok(number.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalize_keys_folds_nested_pascal_case() {
        let mut value = json!({"CaseNumber": "1", "CaseNotes": [{"Detail": "x"}], "id": "a"});

        normalize_keys(&mut value);

        assert_eq!(
            value,
            json!({"caseNumber": "1", "caseNotes": [{"detail": "x"}], "id": "a"})
        );
    }

    #[test]
    fn decode_error_names_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            #[allow(dead_code)]
            items: Vec<Inner>,
        }

        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            count: i64,
        }

        let error = decode::<Outer>(r#"{"Items": [{"count": 1}, {"count": "many"}]}"#).unwrap_err();

        assert!(error.what.contains("items[1].count"), "{}", error.what);
    }

    #[test]
    fn decode_error_for_non_json_hides_body() {
        let error = decode::<Value>("<html>secret customer data</html>").unwrap_err();

        assert!(error.what.starts_with("the body is not JSON"));
        assert!(!error.what.contains("secret"));
    }
}
