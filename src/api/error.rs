//! Every way an API call fails, each with a message an agent can act on.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use crate::model::normalize_keys;

/// Reason a token was rejected, by the API or by this app before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnauthorizedReason {
    /// No token is available: the agent has not signed in.
    Missing,
    /// The token's `exp` has passed, so it was not sent.
    Expired,
    /// The API responded with 401.
    Rejected,
}

/// A 400 response: the title and the messages per field from a problem-details
/// body, keyed by the field's camelCase name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationProblem {
    pub title: Option<String>,
    pub detail: Option<String>,
    pub field_errors: BTreeMap<String, Vec<String>>,
}

/// A failed API call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("{}", unauthorized_message(*.0))]
    Unauthorized(UnauthorizedReason),
    #[error(
        "Your access token does not grant case-admin access, so Omnium refused this change. \
         Ask an Omnium administrator for the CaseAdmin role."
    )]
    Forbidden,
    #[error("The case was not found. It may have been deleted, or the link may be wrong.")]
    NotFound,
    #[error("{}", conflict_message(.0.as_deref()))]
    Conflict(Option<String>),
    #[error("{}", validation_message(.0))]
    Validation(ValidationProblem),
    #[error("{}", rate_limited_message(*.0))]
    RateLimited(Option<Duration>),
    #[error("{}", server_message(*.status, .detail.as_deref()))]
    Server {
        status: u16,
        detail: Option<String>,
        retry_after: Option<Duration>,
    },
    #[error("{}", unexpected_message(*.status, .detail.as_deref()))]
    UnexpectedStatus { status: u16, detail: Option<String> },
    #[error(
        "Could not reach the Omnium API. Check your connection (or the API address in \
         config.json) and try again."
    )]
    Network,
    #[error("The Omnium API did not answer within {} seconds. Try again.", .0.as_secs())]
    Timeout(Duration),
    #[error(
        "The Omnium API sent an answer this app could not read ({0}). \
         Try again; if it persists, report it with the time it happened."
    )]
    MalformedResponse(String),
    #[error("The request was cancelled.")]
    Aborted,
}

impl ApiError {
    /// Maps a non-success response to an error. The body is read only for a
    /// problem-details title, detail and field errors, or an HTML title, and
    /// none of it is kept beyond those short texts.
    pub fn from_response(status: u16, retry_after: Option<&str>, body: &str) -> ApiError {
        let problem = ProblemDetails::parse(body);

        match status {
            400 | 422 => ApiError::Validation(problem.into_validation()),
            401 => ApiError::Unauthorized(UnauthorizedReason::Rejected),
            403 => ApiError::Forbidden,
            404 | 410 => ApiError::NotFound,
            409 => ApiError::Conflict(problem.detail.or(problem.title)),
            429 => ApiError::RateLimited(retry_after.and_then(parse_retry_after)),
            500..=599 => ApiError::Server {
                status,
                detail: problem.summary().or_else(|| text_summary(body)),
                retry_after: retry_after.and_then(parse_retry_after),
            },
            _ => ApiError::UnexpectedStatus {
                status,
                detail: problem.summary(),
            },
        }
    }

    /// Tells whether a read may be sent again after this error.
    pub fn is_retryable_read(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited(_) | ApiError::Server { status: 503, .. }
        )
    }

    /// Returns the delay the API requested in `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited(delay) => *delay,
            ApiError::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Field messages for a form, empty for anything but a validation error.
    pub fn field_errors(&self) -> BTreeMap<String, Vec<String>> {
        match self {
            ApiError::Validation(problem) => problem.field_errors.clone(),
            _ => BTreeMap::new(),
        }
    }
}

/// Parses `Retry-After` as delay seconds; an HTTP date is not used by Omnium.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn unauthorized_message(reason: UnauthorizedReason) -> &'static str {
    match reason {
        UnauthorizedReason::Missing => {
            "You are not signed in. Sign in with an Omnium access token."
        }
        UnauthorizedReason::Expired => {
            "Your access token has expired. Sign in again; your work on this page is kept."
        }
        UnauthorizedReason::Rejected => {
            "Omnium did not accept your access token (it may be expired or revoked). \
             Sign in again; your work on this page is kept."
        }
    }
}

fn conflict_message(detail: Option<&str>) -> String {
    let mut message = "A case with this id already exists.".to_owned();

    if let Some(detail) = detail {
        message.push_str(&format!(" Omnium said: {detail}"));
    }

    message.push_str(" Change the id, or leave it empty to let Omnium choose one.");
    message
}

fn validation_message(problem: &ValidationProblem) -> String {
    let mut parts = vec![
        problem
            .title
            .clone()
            .unwrap_or_else(|| "Omnium rejected the request as invalid.".to_owned()),
    ];

    if let Some(detail) = &problem.detail {
        parts.push(detail.clone());
    }

    for (field, messages) in &problem.field_errors {
        parts.push(format!("{field}: {}", messages.join(" ")));
    }

    parts.push("Correct the marked fields and try again.".to_owned());
    parts.join(" ")
}

fn rate_limited_message(delay: Option<Duration>) -> String {
    match delay {
        Some(delay) => {
            let seconds = delay.as_secs().max(1);
            let unit = if seconds == 1 { "second" } else { "seconds" };

            format!(
                "Omnium is limiting requests from your token. Wait {seconds} {unit}, then try again."
            )
        }
        None => {
            "Omnium is limiting requests from your token. Wait a moment, then try again.".to_owned()
        }
    }
}

fn server_message(status: u16, detail: Option<&str>) -> String {
    let mut message = format!("The Omnium API failed (HTTP {status}).");

    if let Some(detail) = detail {
        message.push_str(&format!(" It said: {detail}."));
    }

    message.push_str(" Try again in a moment; nothing was lost.");
    message
}

fn unexpected_message(status: u16, detail: Option<&str>) -> String {
    let mut message = format!("The Omnium API returned an unexpected HTTP {status}.");

    if let Some(detail) = detail {
        message.push_str(&format!(" It said: {detail}."));
    }

    message.push_str(" Try again; if it persists, check the API address in config.json.");
    message
}

/// An RFC 7807 body, read leniently: every part is optional.
#[derive(Debug, Default, Deserialize)]
struct ProblemDetails {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
}

/// Maximum number of characters of error-body text taken into a message.
const MAX_DETAIL_CHARS: usize = 200;

impl ProblemDetails {
    fn parse(body: &str) -> ProblemDetails {
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(body) else {
            return ProblemDetails::default();
        };

        // Field names in `errors` are data, so only the outer keys are folded.
        let errors = value
            .as_object_mut()
            .and_then(|object| object.remove("errors").or_else(|| object.remove("Errors")));
        normalize_keys(&mut value);

        let mut problem: ProblemDetails = serde_json::from_value(value).unwrap_or_default();
        problem.errors = errors;
        problem.title = problem.title.map(|text| truncate(&text));
        problem.detail = problem.detail.map(|text| truncate(&text));
        problem
    }

    fn summary(&self) -> Option<String> {
        self.detail.clone().or_else(|| self.title.clone())
    }

    fn into_validation(self) -> ValidationProblem {
        let mut field_errors = BTreeMap::new();

        if let Some(serde_json::Value::Object(errors)) = self.errors {
            for (field, messages) in errors {
                let messages = match messages {
                    serde_json::Value::Array(items) => items
                        .into_iter()
                        .filter_map(|item| item.as_str().map(truncate))
                        .collect(),
                    serde_json::Value::String(text) => vec![truncate(&text)],
                    _ => Vec::new(),
                };

                field_errors.insert(field_key(&field), messages);
            }
        }

        ValidationProblem {
            title: self.title,
            detail: self.detail,
            field_errors,
        }
    }
}

/// Turns an error key (`Subject`, `$.customerEmail`, `Participants[0].Email`)
/// into the camelCase path a form uses (`subject`, `customerEmail`,
/// `participants[0].email`).
pub fn field_key(raw: &str) -> String {
    raw.trim_start_matches("$.")
        .split('.')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A short text from a non-JSON body: an HTML page's `<title>`, or the first
/// line of plain text. Gateways send 502 and 504 this way.
fn text_summary(body: &str) -> Option<String> {
    let body = body.trim();

    if body.is_empty() || body.starts_with('{') || body.starts_with('[') {
        return None;
    }

    if body.starts_with('<') {
        let lower = body.to_ascii_lowercase();
        let start = lower.find("<title>")? + "<title>".len();
        let end = lower[start..].find("</title>")? + start;
        let title = body[start..end].trim();

        return (!title.is_empty()).then(|| truncate(title));
    }

    body.lines().next().map(truncate)
}

fn truncate(text: &str) -> String {
    let text = text.trim();

    if text.chars().count() <= MAX_DETAIL_CHARS {
        return text.to_owned();
    }

    let mut short: String = text.chars().take(MAX_DETAIL_CHARS).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_401_is_rejected_token() {
        let error = ApiError::from_response(401, None, "");

        assert_eq!(error, ApiError::Unauthorized(UnauthorizedReason::Rejected));
        assert!(error.to_string().contains("Sign in again"));
    }

    #[test]
    fn status_403_is_forbidden() {
        let error = ApiError::from_response(403, None, r#"{"title": "Forbidden"}"#);

        assert_eq!(error, ApiError::Forbidden);
        assert!(error.to_string().contains("CaseAdmin"));
    }

    #[test]
    fn status_404_is_not_found() {
        assert_eq!(ApiError::from_response(404, None, ""), ApiError::NotFound);
    }

    #[test]
    fn status_409_carries_detail() {
        let error = ApiError::from_response(
            409,
            None,
            r#"{"title": "Conflict", "detail": "Case 'x' exists."}"#,
        );

        assert_eq!(error, ApiError::Conflict(Some("Case 'x' exists.".into())));
        assert!(error.to_string().contains("Case 'x' exists."));
    }

    #[test]
    fn status_400_reads_field_errors() {
        let body = r#"{
            "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
            "title": "One or more validation errors occurred.",
            "status": 400,
            "errors": {"Subject": ["The Subject field is required."], "customerEmail": "Invalid email."}
        }"#;

        let error = ApiError::from_response(400, None, body);
        let fields = error.field_errors();

        assert_eq!(fields["subject"], vec!["The Subject field is required."]);
        assert_eq!(fields["customerEmail"], vec!["Invalid email."]);
        assert!(
            error
                .to_string()
                .starts_with("One or more validation errors occurred.")
        );
    }

    #[test]
    fn status_400_plain_text_still_validation() {
        let error = ApiError::from_response(400, None, "Bad Request");

        assert!(matches!(error, ApiError::Validation(_)));
        assert!(error.field_errors().is_empty());
    }

    #[test]
    fn status_429_reads_retry_after() {
        let error = ApiError::from_response(429, Some("7"), "");

        assert_eq!(error, ApiError::RateLimited(Some(Duration::from_secs(7))));
        assert!(error.to_string().contains("Wait 7 seconds"));
        assert!(
            ApiError::RateLimited(Some(Duration::from_secs(1)))
                .to_string()
                .contains("Wait 1 second,")
        );
        assert!(error.is_retryable_read());
    }

    #[test]
    fn status_429_without_header() {
        let error = ApiError::from_response(429, None, "");

        assert_eq!(error, ApiError::RateLimited(None));
        assert!(error.to_string().contains("Wait a moment"));
    }

    #[test]
    fn status_500_problem_detail() {
        let error = ApiError::from_response(
            500,
            None,
            r#"{"title": "Internal error", "detail": "Database timeout"}"#,
        );

        assert_eq!(
            error,
            ApiError::Server {
                status: 500,
                detail: Some("Database timeout".into()),
                retry_after: None,
            }
        );
        assert!(!error.is_retryable_read());
    }

    #[test]
    fn status_502_html_gateway_page_gives_title() {
        let body =
            "<html><head><TITLE>502 Bad Gateway</TITLE></head><body><h1>nginx</h1></body></html>";

        let error = ApiError::from_response(502, None, body);

        assert_eq!(
            error,
            ApiError::Server {
                status: 502,
                detail: Some("502 Bad Gateway".into()),
                retry_after: None,
            }
        );
    }

    #[test]
    fn status_503_plain_text_is_retryable() {
        let error = ApiError::from_response(503, Some("1"), "Service Unavailable\nmore");

        assert_eq!(
            error,
            ApiError::Server {
                status: 503,
                detail: Some("Service Unavailable".into()),
                retry_after: Some(Duration::from_secs(1)),
            }
        );
        assert!(error.is_retryable_read());
    }

    #[test]
    fn long_detail_is_truncated() {
        let body = format!(r#"{{"detail": "{}"}}"#, "x".repeat(1000));

        let ApiError::Server { detail, .. } = ApiError::from_response(500, None, &body) else {
            panic!("expected a server error");
        };

        assert_eq!(detail.unwrap().chars().count(), MAX_DETAIL_CHARS + 1);
    }

    #[test]
    fn other_status_is_unexpected() {
        let error = ApiError::from_response(405, None, "");

        assert_eq!(
            error,
            ApiError::UnexpectedStatus {
                status: 405,
                detail: None
            }
        );
    }

    #[test]
    fn field_key_camel_cases_paths() {
        assert_eq!(field_key("Subject"), "subject");
        assert_eq!(field_key("$.customerEmail"), "customerEmail");
        assert_eq!(field_key("Participants[0].Email"), "participants[0].email");
    }

    #[test]
    fn every_message_is_a_sentence() {
        let errors = [
            ApiError::Unauthorized(UnauthorizedReason::Missing),
            ApiError::Unauthorized(UnauthorizedReason::Expired),
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::Conflict(None),
            ApiError::Validation(ValidationProblem::default()),
            ApiError::RateLimited(None),
            ApiError::Server {
                status: 500,
                detail: None,
                retry_after: None,
            },
            ApiError::Network,
            ApiError::Timeout(Duration::from_secs(30)),
            ApiError::MalformedResponse("field `result`: invalid type".into()),
            ApiError::Aborted,
        ];

        for error in errors {
            let message = error.to_string();
            assert!(message.ends_with('.'), "{message}");
        }
    }
}
