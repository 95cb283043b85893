//! Reading JSON request bodies the way ASP.NET does: field names match
//! case-insensitively, and a body that cannot be read becomes a 400 problem
//! naming the field and what was wrong.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::REQUEST_FIELD_NAMES;
use crate::problem::Problem;

/// Field names keyed by their lowercase form.
static CANONICAL_NAMES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    REQUEST_FIELD_NAMES
        .iter()
        .map(|name| (name.to_lowercase(), *name))
        .collect()
});

/// Parses a request body into `T` after checking its content type.
///
/// Errors: 415 when the content type is not JSON, 400 when the body is empty,
/// is not JSON, or has a field of the wrong type.
pub fn parse<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Problem> {
    check_content_type(headers)?;

    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::invalid_field(
            "$",
            "A non-empty request body is required.",
        ));
    }

    let mut value: Value = serde_json::from_slice(body).map_err(|error| {
        Problem::invalid_field("$", format!("The request body is not valid JSON: {error}."))
    })?;
    canonicalize_keys(&mut value);

    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "$".to_owned() } else { path };
        Problem::invalid_field(&field, format!("{}.", error.inner()))
    })
}

/// Rewrites every object key that matches a known field name regardless of
/// case to that field name. Unknown keys stay as they are and are ignored.
pub fn canonicalize_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut child) in entries {
                canonicalize_keys(&mut child);
                let name = CANONICAL_NAMES
                    .get(&key.to_lowercase())
                    .map_or(key, |canonical| canonical.to_string());
                map.insert(name, child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(canonicalize_keys),
        _ => {}
    }
}

/// Assumption: Omnium rejects a body without a JSON content type with 415,
/// as ASP.NET's `[ApiController]` does.
fn check_content_type(headers: &HeaderMap) -> Result<(), Problem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();

    let is_json = media_type == "application/json"
        || media_type == "text/json"
        || (media_type.starts_with("application/") && media_type.ends_with("+json"));
    if is_json {
        return Ok(());
    }

    Err(Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!(
            "Content-Type '{content_type}' is not supported; send the body as application/json."
        ),
    ))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;
    use crate::model::{OmniumCase, SearchRequest};

    fn json_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        headers
    }

    #[test]
    fn pascal_case_keys_are_read() {
        let body = br#"{"Subject": "Hi", "CustomerEmail": "a@example.com", "CaseNotes": [{"Detail": "d", "Type": "Public"}]}"#;
        let case: OmniumCase = parse(&json_headers(), body).unwrap();
        assert_eq!(case.subject.as_deref(), Some("Hi"));
        assert_eq!(case.customer_email.as_deref(), Some("a@example.com"));
        assert_eq!(case.case_notes[0].detail.as_deref(), Some("d"));
        assert_eq!(case.case_notes[0].comment_type.as_deref(), Some("Public"));
    }

    #[test]
    fn any_casing_is_read() {
        let body = br#"{"SEARCHTEXT": "box", "sortorder": "SubjectAscending"}"#;
        let request: SearchRequest = parse(&json_headers(), body).unwrap();
        assert_eq!(request.search_text.as_deref(), Some("box"));
        assert_eq!(request.sort_order.as_deref(), Some("SubjectAscending"));
    }

    #[test]
    fn wrong_type_names_the_field() {
        let body = br#"{"take": "many"}"#;
        let problem = parse::<SearchRequest>(&json_headers(), body).unwrap_err();
        assert_eq!(problem.status, 400);
        assert!(problem.errors.contains_key("take"), "{:?}", problem.errors);
    }

    #[test]
    fn nested_wrong_type_names_the_path() {
        let body = br#"{"participants": [{"email": 5}]}"#;
        let problem = parse::<OmniumCase>(&json_headers(), body).unwrap_err();
        assert!(
            problem.errors.contains_key("participants[0].email"),
            "{:?}",
            problem.errors
        );
    }

    #[test]
    fn syntax_error_is_reported() {
        let problem = parse::<OmniumCase>(&json_headers(), b"{\"subject\": ").unwrap_err();
        assert_eq!(problem.status, 400);
        let message = &problem.errors["$"][0];
        assert!(message.contains("not valid JSON"), "{message}");
    }

    #[test]
    fn empty_body_is_rejected() {
        let problem = parse::<OmniumCase>(&json_headers(), b"  ").unwrap_err();
        assert_eq!(problem.status, 400);
    }

    #[test]
    fn non_json_content_type_is_rejected() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let problem = parse::<OmniumCase>(&headers, b"{}").unwrap_err();
        assert_eq!(problem.status, 415);
    }

    #[test]
    fn bad_timestamp_names_the_field() {
        let body = br#"{"followUpDate": "next week"}"#;
        let problem = parse::<OmniumCase>(&json_headers(), body).unwrap_err();
        assert!(problem.errors.contains_key("followUpDate"));
    }
}
