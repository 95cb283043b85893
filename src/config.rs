//! The runtime configuration: `config.json` beside `index.html`, or the same
//! settings passed by an embedding page. One build serves every tenant.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use crate::api::ClientSettings;
use crate::auth::{RoleSettings, TokenSourceKind, TokenStorage};
use crate::model::{MAX_TAKE, decode_strict};

/// The deployment's settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeConfig {
    /// The Omnium API's base URL, such as `https://api.omnium.no`.
    pub api_base_url: String,
    /// The path the app is served under, such as `/support/cases/`.
    #[serde(default = "default_base_path")]
    pub base_path: String,
    #[serde(default = "default_token_source")]
    pub token_source: TokenSourceKind,
    #[serde(default)]
    pub token_storage: TokenStorage,
    #[serde(default)]
    pub roles: RoleSettings,
    /// The tenant's statuses in flow order; free values stay possible.
    #[serde(default = "default_statuses")]
    pub statuses: Vec<String>,
    /// The status that closes a case. Moving a case there needs a confirmation.
    #[serde(default = "default_closed_status")]
    pub closed_status: String,
    #[serde(default = "default_priorities")]
    pub priorities: Vec<String>,
    #[serde(default = "default_sources")]
    pub sources: Vec<String>,
    /// Results per page unless the agent picks another size.
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// How long one request may take, in milliseconds.
    #[serde(default = "default_timeout_ms")]
    pub request_timeout_ms: u64,
    /// Portal links for related ids, keyed by kind (`orders`, `customers`,
    /// `projects`, `carts`, `skus`, `products`), each with `{id}` in it.
    #[serde(default)]
    pub link_templates: BTreeMap<String, String>,
    /// Origins whose `postMessage` may hand the app a token in an iframe.
    #[serde(default)]
    pub allowed_parent_origins: Vec<String>,
}

/// The kinds of related ids a link template can exist for.
pub const LINK_KINDS: [&str; 6] = [
    "orders",
    "customers",
    "projects",
    "carts",
    "skus",
    "products",
];

/// A configuration that cannot be used, naming the key and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    /// The offending key's path, such as `tokenSource.url`.
    pub key: String,
    pub message: String,
}

impl RuntimeConfig {
    /// Parses and checks a configuration given as JSON text.
    pub fn from_json(text: &str) -> Result<RuntimeConfig, ConfigError> {
        check_json_syntax(text)?;

        let config: RuntimeConfig = decode_strict(text).map_err(|error| ConfigError {
            key: error.path,
            message: error.message,
        })?;

        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let fail = |key: &str, message: String| {
            Err(ConfigError {
                key: key.to_owned(),
                message,
            })
        };

        let api = self.api_base_url.trim();
        if !(api.starts_with("https://") || api.starts_with("http://") || api.starts_with('/')) {
            return fail(
                "apiBaseUrl",
                format!(
                    "{api:?} is not an http(s) URL or a path. Set it to the Omnium API's \
                     base URL, such as \"https://api.omnium.no\"."
                ),
            );
        }

        if !self.base_path.starts_with('/') {
            return fail(
                "basePath",
                format!(
                    "{:?} must start with \"/\", such as \"/\" or \"/support/cases/\".",
                    self.base_path
                ),
            );
        }

        if self.page_size == 0 || self.page_size > MAX_TAKE {
            return fail(
                "pageSize",
                format!(
                    "{} is out of range. Use a number from 1 to {MAX_TAKE}.",
                    self.page_size
                ),
            );
        }

        if self.request_timeout_ms < 1_000 {
            return fail(
                "requestTimeoutMs",
                format!(
                    "{} ms is too short. Use at least 1000.",
                    self.request_timeout_ms
                ),
            );
        }

        if self.statuses.is_empty() {
            return fail(
                "statuses",
                "is empty. List the tenant's statuses in flow order, such as \
                 [\"New\", \"In Progress\", \"Resolved\", \"Closed\"]."
                    .to_owned(),
            );
        }

        if self.statuses.iter().any(|status| status.trim().is_empty()) {
            return fail(
                "statuses",
                "contains an empty status name. Remove it.".to_owned(),
            );
        }

        if !self.statuses.contains(&self.closed_status) {
            return fail(
                "closedStatus",
                format!(
                    "{:?} is not one of statuses ({}). Add it to statuses or set closedStatus \
                     to the tenant's closing status, spelt as in statuses.",
                    self.closed_status,
                    self.statuses.join(", ")
                ),
            );
        }

        if let TokenSourceKind::Endpoint { url } = &self.token_source
            && url.trim().is_empty()
        {
            return fail(
                "tokenSource.url",
                "is empty. Set it to the portal's token endpoint, such as \"/portal/omnium-token\".".to_owned(),
            );
        }

        for (kind, template) in &self.link_templates {
            if !LINK_KINDS.contains(&kind.as_str()) {
                return fail(
                    &format!("linkTemplates.{kind}"),
                    format!(
                        "is not a known kind. Use one of: {}.",
                        LINK_KINDS.join(", ")
                    ),
                );
            }

            if !template.contains("{id}") {
                return fail(
                    &format!("linkTemplates.{kind}"),
                    "lacks the {id} placeholder where the related id goes.".to_owned(),
                );
            }

            if !is_http_url_or_site_path(template) {
                return fail(
                    &format!("linkTemplates.{kind}"),
                    format!(
                        "{template:?} is not an http: or https: URL or a path on this site \
                         starting with a single \"/\". Use a link such as \
                         \"https://portal.example.com/{kind}/{{id}}\"."
                    ),
                );
            }
        }

        for origin in &self.allowed_parent_origins {
            let valid = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.trim_end_matches('/').contains(['?', '#'])
                && origin.matches('/').count() == 2;

            if !valid {
                return fail(
                    "allowedParentOrigins",
                    format!(
                        "{origin:?} is not an origin. Write scheme, host and port only, such as \"https://portal.example.com\"."
                    ),
                );
            }
        }

        Ok(())
    }

    /// Returns the router's base: the base path without its trailing slash,
    /// and empty for the root, because the router joins paths onto it.
    pub fn router_base(&self) -> String {
        self.base_path.trim_end_matches('/').to_owned()
    }

    /// Turns an app path (`/cases/42`) into the link a browser follows.
    pub fn href(&self, app_path: &str) -> String {
        format!("{}{app_path}", self.router_base())
    }

    /// Builds the fetch layer's settings.
    pub fn client_settings(&self) -> ClientSettings {
        ClientSettings {
            base_url: self.api_base_url.trim().to_owned(),
            timeout: Duration::from_millis(self.request_timeout_ms),
            ..ClientSettings::default()
        }
    }

    /// Builds the portal link for a related id when a template exists for its kind.
    pub fn related_link(&self, kind: &str, id: &str) -> Option<String> {
        let template = self.link_templates.get(kind)?;
        let encoded =
            percent_encoding::utf8_percent_encode(id, crate::api::PATH_SEGMENT).to_string();

        Some(template.replace("{id}", &encoded))
    }
}

/// Rejects text that is not JSON at all, naming the line and column of the
/// first syntax error. The typed parse after it would blame whichever key it
/// was reading (or `?`) for a syntax error instead.
fn check_json_syntax(text: &str) -> Result<(), ConfigError> {
    let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) else {
        return Ok(());
    };

    if !(error.is_syntax() || error.is_eof()) {
        return Ok(());
    }

    // serde_json's message ends with " at line L column C", given here in
    // the app's own words instead.
    let full = error.to_string();
    let location = format!(" at line {} column {}", error.line(), error.column());
    let reason = if error.is_eof() {
        "the file ends before the JSON is complete"
    } else {
        full.strip_suffix(&location).unwrap_or(&full)
    };

    Err(ConfigError {
        key: "config.json".to_owned(),
        message: format!(
            "is not valid JSON: {reason} at line {}, column {}. Fix the syntax there.",
            error.line(),
            error.column()
        ),
    })
}

/// Tells whether a link template is an `http:` or `https:` URL or a path on
/// the app's own site. Anything else (`javascript:`, `data:`, or `//host`,
/// which browsers read as another site) would become a link an agent
/// clicks. Browsers drop leading spaces and control characters from a link,
/// so those are skipped before the check.
fn is_http_url_or_site_path(template: &str) -> bool {
    let link = template.trim_start_matches(|c: char| c <= ' ');
    let lower = link.to_ascii_lowercase();

    if lower.starts_with("https://") || lower.starts_with("http://") {
        return true;
    }

    // Browsers treat a backslash like a slash, so "/\host" is "//host" too.
    link.starts_with('/') && !link[1..].starts_with(['/', '\\'])
}

fn default_base_path() -> String {
    "/".to_owned()
}

fn default_token_source() -> TokenSourceKind {
    TokenSourceKind::Paste
}

fn default_statuses() -> Vec<String> {
    ["New", "In Progress", "Resolved", "Closed"]
        .map(str::to_owned)
        .to_vec()
}

fn default_closed_status() -> String {
    "Closed".to_owned()
}

fn default_priorities() -> Vec<String> {
    ["Low", "Medium", "High", "Critical"]
        .map(str::to_owned)
        .to_vec()
}

fn default_sources() -> Vec<String> {
    ["Email", "Phone", "Web"].map(str::to_owned).to_vec()
}

fn default_page_size() -> u32 {
    20
}

fn default_timeout_ms() -> u64 {
    30_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let config =
            RuntimeConfig::from_json(r#"{"apiBaseUrl": "https://api.omnium.no"}"#).unwrap();

        assert_eq!(config.base_path, "/");
        assert_eq!(config.router_base(), "");
        assert_eq!(config.token_source, TokenSourceKind::Paste);
        assert_eq!(config.token_storage, TokenStorage::Memory);
        assert_eq!(config.statuses, default_statuses());
        assert_eq!(config.page_size, 20);
        assert_eq!(config.roles, RoleSettings::default());
    }

    #[test]
    fn sub_path_base() {
        let config =
            RuntimeConfig::from_json(r#"{"apiBaseUrl": "/", "basePath": "/support/cases/"}"#)
                .unwrap();

        assert_eq!(config.router_base(), "/support/cases");
        assert_eq!(config.href("/cases/1"), "/support/cases/cases/1");
    }

    #[test]
    fn missing_api_base_url_names_key() {
        let error = RuntimeConfig::from_json("{}").unwrap_err();

        assert!(error.message.contains("apiBaseUrl"), "{error}");
    }

    #[test]
    fn unknown_key_is_named() {
        let error =
            RuntimeConfig::from_json(r#"{"apiBaseUrl": "/", "apiBaseURL": "x"}"#).unwrap_err();

        assert!(error.to_string().contains("apiBaseURL"), "{error}");
    }

    #[test]
    fn wrong_type_names_path() {
        let error =
            RuntimeConfig::from_json(r#"{"apiBaseUrl": "/", "roles": {"readRoles": "CaseRead"}}"#)
                .unwrap_err();

        assert_eq!(error.key, "roles.readRoles");
    }

    #[test]
    fn invalid_values_name_key() {
        let cases = [
            (r#"{"apiBaseUrl": "ftp://x"}"#, "apiBaseUrl"),
            (r#"{"apiBaseUrl": "/", "basePath": "support"}"#, "basePath"),
            (r#"{"apiBaseUrl": "/", "pageSize": 500}"#, "pageSize"),
            (
                r#"{"apiBaseUrl": "/", "requestTimeoutMs": 5}"#,
                "requestTimeoutMs",
            ),
            (
                r#"{"apiBaseUrl": "/", "tokenSource": {"kind": "endpoint", "url": ""}}"#,
                "tokenSource.url",
            ),
            (
                r#"{"apiBaseUrl": "/", "linkTemplates": {"orders": "https://x/orders"}}"#,
                "linkTemplates.orders",
            ),
            (
                r#"{"apiBaseUrl": "/", "linkTemplates": {"invoices": "https://x/{id}"}}"#,
                "linkTemplates.invoices",
            ),
            (
                r#"{"apiBaseUrl": "/", "allowedParentOrigins": ["https://x.com/path"]}"#,
                "allowedParentOrigins",
            ),
        ];

        for (json, key) in cases {
            let error = RuntimeConfig::from_json(json).unwrap_err();
            assert_eq!(error.key, key, "{json}: {error}");
        }
    }

    #[test]
    fn not_json_is_reported() {
        let error = RuntimeConfig::from_json("<html>").unwrap_err();

        assert!(error.message.contains("not valid JSON"), "{error}");
    }

    #[test]
    fn unfinished_json_names_line_and_column() {
        let error = RuntimeConfig::from_json("{\n  \"apiBaseUrl\": \"https://api.omnium.no\",\n")
            .unwrap_err();

        assert_eq!(error.key, "config.json");
        assert!(error.message.starts_with("is not valid JSON: "), "{error}");
        assert!(error.message.contains("line 3, column 0"), "{error}");
        assert!(!error.to_string().contains('?'), "{error}");
    }

    #[test]
    fn trailing_comma_in_map_names_line_and_column() {
        let error = RuntimeConfig::from_json(
            r#"{"apiBaseUrl": "/", "linkTemplates": {"orders": "/o/{id}",}}"#,
        )
        .unwrap_err();

        assert_eq!(error.key, "config.json");
        assert!(error.message.contains("line 1, column"), "{error}");
    }

    #[test]
    fn link_templates_must_be_http_or_site_path() {
        let rejected = [
            r#"javascript:alert(\"{id}\")"#,
            "JavaScript:alert('{id}')",
            " javascript:alert('{id}')",
            "data:text/html,{id}",
            "//evil.example/{id}",
            "/\\evil.example/{id}",
            "portal/orders/{id}",
            "ftp://portal/{id}",
        ];

        for template in rejected {
            let error = RuntimeConfig::from_json(&with_order_link(template)).unwrap_err();

            assert_eq!(error.key, "linkTemplates.orders", "{template}: {error}");
            assert!(error.message.contains("https:"), "{template}: {error}");
        }
    }

    #[test]
    fn link_templates_accept_http_and_site_paths() {
        let accepted = [
            "https://portal.example.com/orders/{id}",
            "HTTP://portal.example.com/orders/{id}",
            "/portal/orders/{id}",
        ];

        for template in accepted {
            assert!(
                RuntimeConfig::from_json(&with_order_link(template)).is_ok(),
                "{template}"
            );
        }
    }

    /// Returns a minimal config.json text with `template` for order links.
    fn with_order_link(template: &str) -> String {
        serde_json::json!({
            "apiBaseUrl": "/",
            "linkTemplates": {"orders": template},
        })
        .to_string()
    }

    #[test]
    fn statuses_must_not_be_empty() {
        let error = RuntimeConfig::from_json(r#"{"apiBaseUrl": "/", "statuses": []}"#).unwrap_err();

        assert_eq!(error.key, "statuses");
        assert!(error.message.starts_with("is empty."), "{error}");
    }

    #[test]
    fn closed_status_must_be_listed() {
        let error = RuntimeConfig::from_json(
            r#"{"apiBaseUrl": "/", "statuses": ["New", "Done"], "closedStatus": "Closed"}"#,
        )
        .unwrap_err();

        assert_eq!(error.key, "closedStatus");
        assert!(error.message.contains("\"Closed\""), "{error}");
        assert!(error.message.contains("New, Done"), "{error}");
    }

    #[test]
    fn closed_status_from_statuses_is_accepted() {
        let config = RuntimeConfig::from_json(
            r#"{"apiBaseUrl": "/", "statuses": ["New", "Done"], "closedStatus": "Done"}"#,
        )
        .unwrap();

        assert_eq!(config.closed_status, "Done");
    }

    #[test]
    fn related_link_fills_template() {
        let config = RuntimeConfig::from_json(
            r#"{"apiBaseUrl": "/", "linkTemplates": {"orders": "https://portal/orders/{id}"}}"#,
        )
        .unwrap();

        assert_eq!(
            config.related_link("orders", "A 1").as_deref(),
            Some("https://portal/orders/A%201")
        );
        assert_eq!(config.related_link("carts", "c1"), None);
    }
}
