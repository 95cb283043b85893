//! Serving the built front-end: static files, the single-page-app fallback
//! to `index.html`, a base path, cache headers and the generated runtime
//! configuration `config.json`.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Map, Value, json};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::problem::Problem;
use crate::settings::Settings;

/// Cache policy for files whose name carries a content hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache policy for everything else: revalidate on every use.
const NO_CACHE: &str = "no-cache";
/// Number of hex digits Trunk puts in a hashed file name.
const HASH_DIGITS: usize = 16;

/// Settings for serving the built front-end.
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    /// Folder of the built app, with `index.html` at its root.
    pub dir: PathBuf,
    /// URL prefix of the app, starting and ending with `/`.
    pub base_path: String,
    /// `Content-Security-Policy` for HTML responses.
    pub csp: Option<String>,
    /// Keys merged over the generated `config.json`.
    pub config_override: Map<String, Value>,
    /// Whether unknown paths get `index.html`; without it they get the
    /// app's `404.html` with status 404, as static hosts do.
    pub fallback: bool,
}

/// Returns `path` with exactly one leading and one trailing slash.
pub fn normalize_base_path(path: &str) -> String {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        return "/".to_owned();
    }
    format!("/{trimmed}/")
}

/// Serves one request that no API route matched.
pub async fn serve(app: &AppConfig, settings: &Settings, request: Request) -> Response {
    let path = request.uri().path().to_owned();

    let is_reserved = ["/api", "/_sandbox"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")));
    if is_reserved {
        return Problem::not_found(format!("No endpoint matches {path}.")).into_response();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "{} is not allowed on {path}; the app accepts GET.",
                request.method()
            ),
        )
        .into_response();
    }
    if format!("{path}/") == app.base_path {
        return Redirect::permanent(&app.base_path).into_response();
    }
    let Some(relative) = path.strip_prefix(&app.base_path) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };

    let response = match relative {
        "config.json" => config_json(app, settings, request.headers()),
        "" | "index.html" => index_html(app).await,
        _ => static_file(app, relative, request).await,
    };
    with_csp(app, response)
}

/// Returns whether a file name contains a Trunk content hash, such as
/// `omnium-console-1a2b3c4d5e6f7a8b_bg.wasm` or `main-1a2b3c4d5e6f7a8b.css`.
pub fn is_hashed_file_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.iter().enumerate().any(|(dash, byte)| {
        if *byte != b'-' {
            return false;
        }
        let digits = bytes[dash + 1..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(*byte))
            .count();
        let next = bytes.get(dash + 1 + digits);
        digits >= HASH_DIGITS && matches!(next, Some(b'.') | Some(b'_'))
    })
}

/// Points the `href` of the page's `<base>` element at `base_path`. Pages
/// without a `<base>` element are returned unchanged.
pub fn rewrite_base_href(html: &str, base_path: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let Some(tag_start) = find_base_tag(&lower) else {
        return html.to_owned();
    };
    let Some(tag_length) = lower[tag_start..].find('>') else {
        return html.to_owned();
    };
    let tag_end = tag_start + tag_length;
    let tag = &lower[tag_start..tag_end];

    let Some(href) = tag.find("href") else {
        let insert_at = tag_start + "<base".len();
        return format!(
            "{} href=\"{base_path}\"{}",
            &html[..insert_at],
            &html[insert_at..]
        );
    };

    let after_name = &tag[href + 4..];
    let Some(equals) = after_name.find('=') else {
        return html.to_owned();
    };
    let value_start_in_tag = href + 4 + equals + 1;
    let value_text = &tag[value_start_in_tag..];
    let leading_space = value_text.len() - value_text.trim_start().len();
    let value_start = tag_start + value_start_in_tag + leading_space;
    let value_text = value_text.trim_start();

    let value_end = match value_text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let closing = value_text[1..]
                .find(quote)
                .map_or(value_text.len(), |end| end + 2);
            value_start + closing
        }
        _ => {
            let length = value_text
                .find(|character: char| character.is_ascii_whitespace())
                .unwrap_or(value_text.len());
            value_start + length
        }
    };

    format!(
        "{}\"{base_path}\"{}",
        &html[..value_start],
        &html[value_end..]
    )
}

fn find_base_tag(lower: &str) -> Option<usize> {
    lower.match_indices("<base").map(|(index, _)| index).find(|index| {
        let next = lower.as_bytes().get(index + "<base".len());
        matches!(next, Some(byte) if byte.is_ascii_whitespace() || *byte == b'>' || *byte == b'/')
    })
}

/// Builds `config.json`, the app's runtime configuration pointing at this
/// server as the browser reaches it.
fn config_json(app: &AppConfig, settings: &Settings, headers: &HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("127.0.0.1");

    let mut config = json!({
        "apiBaseUrl": format!("http://{host}"),
        "basePath": app.base_path,
        "tokenSource": {"kind": "paste"},
        "statuses": settings.status_names_by_level(),
        "closedStatus": settings.closed_status,
        "priorities": settings.priorities,
        "sources": settings.sources,
    });
    if let Value::Object(map) = &mut config {
        for (key, value) in &app.config_override {
            map.insert(key.clone(), value.clone());
        }
    }

    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, NO_CACHE),
        ],
        config.to_string(),
    )
        .into_response()
}

async fn index_html(app: &AppConfig) -> Response {
    let path = app.dir.join("index.html");
    let Ok(html) = tokio::fs::read_to_string(&path).await else {
        return Problem::not_found(format!(
            "The app folder has no index.html ({}).",
            path.display()
        ))
        .into_response();
    };
    html_response(StatusCode::OK, rewrite_base_href(&html, &app.base_path))
}

async fn not_found_page(app: &AppConfig) -> Response {
    match tokio::fs::read_to_string(app.dir.join("404.html")).await {
        Ok(html) => html_response(
            StatusCode::NOT_FOUND,
            rewrite_base_href(&html, &app.base_path),
        ),
        Err(_) => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

fn html_response(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, NO_CACHE),
        ],
        html,
    )
        .into_response()
}

async fn static_file(app: &AppConfig, relative: &str, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let Ok(uri) = format!("/{relative}").parse() else {
        return (StatusCode::BAD_REQUEST, "Invalid path").into_response();
    };
    parts.uri = uri;
    let file_request = Request::from_parts(parts, Body::empty());

    let served = ServeDir::new(&app.dir)
        .append_index_html_on_directories(false)
        .oneshot(file_request)
        .await;
    let mut response = match served {
        Ok(response) => response.map(Body::new),
        Err(infallible) => match infallible {},
    };

    if response.status() == StatusCode::NOT_FOUND {
        if app.fallback {
            return index_html(app).await;
        }
        return not_found_page(app).await;
    }

    let name = relative.rsplit('/').next().unwrap_or(relative);
    let cache = if is_hashed_file_name(name) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if name.ends_with(".wasm") {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/wasm"),
        );
    }
    response
}

fn with_csp(app: &AppConfig, mut response: Response) -> Response {
    let Some(policy) = &app.csp else {
        return response;
    };
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_html {
        return response;
    }
    if let Ok(value) = HeaderValue::from_str(policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_normalized() {
        assert_eq!(normalize_base_path("/"), "/");
        assert_eq!(normalize_base_path(""), "/");
        assert_eq!(normalize_base_path("support/cases"), "/support/cases/");
        assert_eq!(normalize_base_path("/support/cases/"), "/support/cases/");
    }

    #[test]
    fn hashed_names_are_recognized() {
        assert!(is_hashed_file_name("omnium-console-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_file_name(
            "omnium-console-1a2b3c4d5e6f7a8b_bg.wasm"
        ));
        assert!(is_hashed_file_name("main-0123456789abcdef.css"));
        assert!(!is_hashed_file_name("index.html"));
        assert!(!is_hashed_file_name("favicon.ico"));
        assert!(!is_hashed_file_name("omnium-console.js"));
        assert!(!is_hashed_file_name("main-1234.css"));
        assert!(!is_hashed_file_name("main-0123456789abcdef"));
    }

    #[test]
    fn base_href_is_rewritten() {
        let html = "<html><head><base href=\"/\"><title>x</title></head></html>";
        assert_eq!(
            rewrite_base_href(html, "/support/cases/"),
            "<html><head><base href=\"/support/cases/\"><title>x</title></head></html>"
        );
    }

    #[test]
    fn base_href_variants_are_rewritten() {
        let cases = [
            ("<BASE HREF='/' />", "<BASE HREF=\"/a/\" />"),
            (
                "<base data-x=\"1\" href = \"/\">",
                "<base data-x=\"1\" href = \"/a/\">",
            ),
            ("<base href=/>", "<base href=\"/a/\">"),
            ("<base>", "<base href=\"/a/\">"),
        ];
        for (input, expected) in cases {
            assert_eq!(rewrite_base_href(input, "/a/"), expected, "input {input}");
        }
    }

    #[test]
    fn page_without_base_is_unchanged() {
        let html = "<html><head><basefont></head></html>";
        assert_eq!(rewrite_base_href(html, "/a/"), html);
    }
}
