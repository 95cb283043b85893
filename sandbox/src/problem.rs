//! RFC 7807 problem details, the error body of every failed API request.
//!
//! Assumption: Omnium returns errors the way ASP.NET's `[ApiController]`
//! does, with `application/problem+json` bodies whose `type` links the HTTP
//! status section of RFC 9110 and whose validation errors map camelCase field
//! names to lists of messages.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One error response of the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Validation messages per camelCase field name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, Vec<String>>,
    /// Seconds for the `Retry-After` header; not part of the body.
    #[serde(skip)]
    pub retry_after_seconds: Option<u64>,
    /// Whether to send `WWW-Authenticate: Bearer`; not part of the body.
    #[serde(skip)]
    pub bearer_challenge: bool,
}

/// Title ASP.NET gives every validation problem.
const VALIDATION_TITLE: &str = "One or more validation errors occurred.";

impl Problem {
    /// Creates a problem with the standard title and type for `status`.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Problem {
            problem_type: type_link(status),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: Some(detail.into()),
            errors: BTreeMap::new(),
            retry_after_seconds: None,
            bearer_challenge: false,
        }
    }

    /// Creates a 400 problem for one invalid field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        errors.into_problem()
    }

    /// Creates a 401 problem with a `WWW-Authenticate: Bearer` challenge.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Problem {
            bearer_challenge: true,
            ..Problem::new(StatusCode::UNAUTHORIZED, detail)
        }
    }

    /// Creates a 404 problem.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, detail)
    }

    /// Creates a 500 problem for a failure inside the sandbox, logging the cause.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "request failed inside the sandbox");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The sandbox failed to process the request; see its log.",
        )
    }

    /// Sets the `Retry-After` seconds.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();

        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.bearer_challenge {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }

        (status, headers, body).into_response()
    }
}

/// Validation messages collected per field before they become one 400 problem.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    /// Adds a message for a camelCase field name or path such as
    /// `participants[0].email`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Returns `Ok` when nothing was added, else the 400 problem.
    pub fn into_result(self) -> Result<(), Problem> {
        if self.0.is_empty() {
            return Ok(());
        }
        Err(self.into_problem())
    }

    fn into_problem(self) -> Problem {
        let fields: Vec<&str> = self.0.keys().map(String::as_str).collect();
        Problem {
            title: VALIDATION_TITLE.to_owned(),
            detail: Some(format!("Invalid fields: {}.", fields.join(", "))),
            errors: self.0,
            ..Problem::new(StatusCode::BAD_REQUEST, "")
        }
    }
}

/// Returns the RFC 9110 section link ASP.NET uses as the problem `type`.
fn type_link(status: StatusCode) -> String {
    let section = match status.as_u16() {
        400 => "15.5.1",
        401 => "15.5.2",
        403 => "15.5.4",
        404 => "15.5.5",
        405 => "15.5.6",
        409 => "15.5.10",
        415 => "15.5.16",
        429 => return "https://tools.ietf.org/html/rfc6585#section-4".to_owned(),
        500 => "15.6.1",
        502 => "15.6.3",
        503 => "15.6.4",
        504 => "15.6.5",
        _ => return "about:blank".to_owned(),
    };
    format!("https://tools.ietf.org/html/rfc9110#section-{section}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_become_validation_problem() {
        let mut errors = FieldErrors::default();
        errors.add("subject", "The subject field is required.");
        errors.add("customerEmail", "Not an email address.");

        let problem = errors.into_result().unwrap_err();
        let body = serde_json::to_value(&problem).unwrap();

        assert_eq!(body["status"], 400);
        assert_eq!(body["title"], VALIDATION_TITLE);
        assert_eq!(
            body["errors"]["subject"][0],
            "The subject field is required."
        );
        assert_eq!(body["errors"]["customerEmail"][0], "Not an email address.");
    }

    #[test]
    fn empty_field_errors_are_ok() {
        assert!(FieldErrors::default().into_result().is_ok());
    }

    #[test]
    fn problem_body_omits_empty_errors() {
        let body = serde_json::to_value(Problem::not_found("Case 'x' was not found.")).unwrap();
        assert!(body.get("errors").is_none());
        assert_eq!(
            body["type"],
            "https://tools.ietf.org/html/rfc9110#section-15.5.5"
        );
    }
}
