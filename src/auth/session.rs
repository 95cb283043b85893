//! The signed-in agent: the token, where it came from, where it is kept, and
//! the access it grants. Every page reads access from here.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::Deserialize;

use super::access::{AccessLevel, RoleSettings, access_level};
use super::jwt::{TokenClaims, decode_claims};
use crate::api::{Credentials, UnauthorizedReason};

/// Source of the app's tokens. The browser never has Omnium's client
/// secret, so the app only ever receives ready tokens.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum TokenSourceKind {
    /// The agent pastes a token on the sign-in page.
    Paste,
    /// The portal's backend returns a token at `url`, called with the
    /// browser's cookies: plain text or `{"accessToken", "expiresIn"}`.
    Endpoint { url: String },
    /// The embedding page hands tokens over: through the mount API's
    /// `setToken`, or by `postMessage` into an iframe.
    Host,
}

/// Storage area for a token between page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenStorage {
    /// Only in memory, so a reload requests a token again.
    #[default]
    Memory,
    /// `sessionStorage`: survives reloads, not the closing of the tab.
    Session,
    /// `localStorage`, only when the deployment opts in.
    Local,
}

/// The key under which a stored token is kept.
const STORAGE_KEY: &str = "omnium-cases.token";

/// The session state the UI draws from.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionState {
    pub token: Option<String>,
    pub claims: Option<TokenClaims>,
    pub access: AccessLevel,
}

/// The agent's session. Copyable: every part is a reactive handle.
#[derive(Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<String>>,
    roles: StoredValue<RoleSettings>,
    source: StoredValue<TokenSourceKind>,
    storage: StoredValue<TokenStorage>,
    /// Set after the API responded 403 to a write, which hides admin actions.
    downgraded: RwSignal<bool>,
    /// Set when the API turned the token down and no fresh one came: the
    /// shell asks the agent to sign in over the current page.
    sign_in_needed: RwSignal<Option<UnauthorizedReason>>,
    /// A refresh in flight, so concurrent 401s share it.
    refreshing: RwSignal<bool>,
}

impl Session {
    /// Creates a session and restores a stored token, if the storage keeps one.
    pub fn new(source: TokenSourceKind, storage: TokenStorage, roles: RoleSettings) -> Self {
        let stored = read_stored(storage);

        Self {
            token: RwSignal::new(stored),
            roles: StoredValue::new(roles),
            source: StoredValue::new(source),
            storage: StoredValue::new(storage),
            downgraded: RwSignal::new(false),
            sign_in_needed: RwSignal::new(None),
            refreshing: RwSignal::new(false),
        }
    }

    pub fn source(&self) -> TokenSourceKind {
        self.source.get_value()
    }

    /// Returns the current token; tracked.
    pub fn token(&self) -> Option<String> {
        self.token.get()
    }

    /// Returns the current token's claims; tracked.
    pub fn claims(&self) -> Option<TokenClaims> {
        self.token
            .with(|token| token.as_deref().and_then(decode_claims))
    }

    /// The access level, tracked: the token's, lowered to read-only after
    /// the API refused a write.
    pub fn access(&self) -> AccessLevel {
        let level = self.token.with(|token| match token {
            Some(token) => self.roles.with_value(|roles| access_level(token, roles)),
            None => AccessLevel::None,
        });

        if self.downgraded.get() {
            return level.min(AccessLevel::Read);
        }

        level
    }

    /// Tells whether admin actions may be shown, tracked.
    pub fn is_admin(&self) -> bool {
        self.access() == AccessLevel::Admin
    }

    /// Tells whether the API refused a write with this token, tracked.
    pub fn was_downgraded(&self) -> bool {
        self.downgraded.get()
    }

    /// Why the agent must sign in again, if they must, tracked.
    pub fn sign_in_needed(&self) -> Option<UnauthorizedReason> {
        self.sign_in_needed.get()
    }

    /// Stores a new token, clearing a downgrade and any sign-in request.
    pub fn set_token(&self, token: String) {
        let token = super::jwt::pasted_token(&token).to_owned();

        write_stored(self.storage.get_value(), Some(&token));
        self.downgraded.set(false);
        self.sign_in_needed.set(None);
        self.token.set(Some(token));
    }

    /// Forgets the token everywhere it was kept. The sign-out buttons call
    /// [`AppContext::sign_out`](crate::app::AppContext::sign_out), which
    /// also removes the agent's drafts.
    pub fn sign_out(&self) {
        write_stored(self.storage.get_value(), None);
        self.downgraded.set(false);
        self.sign_in_needed.set(None);
        self.token.set(None);
    }

    /// Asks the agent to sign in again over the current page.
    pub fn request_sign_in(&self, reason: UnauthorizedReason) {
        self.sign_in_needed.set(Some(reason));
    }

    /// Time left on the token at `now`, untracked.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.token
            .with_untracked(|token| token.as_deref().and_then(decode_claims))
            .and_then(|claims| claims.expires_at)
    }

    /// Fetches a token from the configured token endpoint and stores it.
    /// Returns `false` when the source is not an endpoint or the call failed.
    pub async fn fetch_from_endpoint(&self) -> bool {
        let TokenSourceKind::Endpoint { url } = self.source.get_value() else {
            return false;
        };

        if self.refreshing.get_untracked() {
            return wait_for_refresh(self.refreshing).await
                && self.token.with_untracked(Option::is_some);
        }

        self.refreshing.set(true);
        let fetched = fetch_endpoint_token(&url).await;
        self.refreshing.set(false);

        match fetched {
            Some(token) => {
                self.set_token(token);
                true
            }
            None => false,
        }
    }
}

impl Credentials for Session {
    fn token(&self) -> Result<String, UnauthorizedReason> {
        let Some(token) = self.token.get_untracked() else {
            return Err(UnauthorizedReason::Missing);
        };

        let expired = decode_claims(&token).is_some_and(|claims| claims.is_expired(Utc::now()));

        if expired {
            return Err(UnauthorizedReason::Expired);
        }

        Ok(token)
    }

    fn refresh(&self) -> Pin<Box<dyn Future<Output = bool>>> {
        let session = *self;

        Box::pin(async move { session.fetch_from_endpoint().await })
    }

    fn unauthorized(&self, reason: UnauthorizedReason) {
        self.request_sign_in(reason);
    }

    fn forbidden(&self) {
        self.downgraded.set(true);
    }
}

/// Body of a token endpoint that returns JSON.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EndpointToken {
    #[serde(alias = "access_token", alias = "token")]
    access_token: String,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
/// Reads a token endpoint's body: a JSON object with `accessToken` (or
/// `access_token`, `token`), a JSON string, or the bare token as text.
pub(crate) fn parse_endpoint_body(body: &str) -> Option<String> {
    let body = body.trim();

    if body.starts_with('{') {
        return serde_json::from_str::<EndpointToken>(body)
            .ok()
            .map(|answer| answer.access_token)
            .filter(|token| !token.trim().is_empty());
    }

    if body.starts_with('"') {
        return serde_json::from_str::<String>(body)
            .ok()
            .filter(|token| !token.is_empty());
    }

    (!body.is_empty() && !body.contains(char::is_whitespace)).then(|| body.to_owned())
}

#[cfg(target_arch = "wasm32")]
async fn fetch_endpoint_token(url: &str) -> Option<String> {
    use gloo_net::http::Request;
    use web_sys::RequestCredentials;

    let response = Request::get(url)
        .credentials(RequestCredentials::Include)
        .header("Accept", "application/json, text/plain")
        .send()
        .await;

    let response = match response {
        Ok(response) if response.ok() => response,
        Ok(response) => {
            leptos::logging::warn!(
                "The token endpoint returned HTTP {}; no token was stored.",
                response.status()
            );
            return None;
        }
        Err(_) => {
            leptos::logging::warn!("The token endpoint could not be reached.");
            return None;
        }
    };

    parse_endpoint_body(&response.text().await.ok()?)
}

#[cfg(not(target_arch = "wasm32"))]
async fn fetch_endpoint_token(_url: &str) -> Option<String> {
    None
}

#[cfg(target_arch = "wasm32")]
async fn wait_for_refresh(refreshing: RwSignal<bool>) -> bool {
    while refreshing.get_untracked() {
        gloo_timers::future::TimeoutFuture::new(50).await;
    }

    true
}

#[cfg(not(target_arch = "wasm32"))]
async fn wait_for_refresh(_refreshing: RwSignal<bool>) -> bool {
    false
}

fn storage_area(storage: TokenStorage) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;

    match storage {
        TokenStorage::Memory => None,
        TokenStorage::Session => window.session_storage().ok().flatten(),
        TokenStorage::Local => window.local_storage().ok().flatten(),
    }
}

fn read_stored(storage: TokenStorage) -> Option<String> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }

    storage_area(storage)?.get_item(STORAGE_KEY).ok().flatten()
}

fn write_stored(storage: TokenStorage, token: Option<&str>) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }

    let Some(area) = storage_area(storage) else {
        return;
    };

    // A full or blocked storage leaves the token in memory only, which is
    // the safe default anyway.
    let _ = match token {
        Some(token) => area.set_item(STORAGE_KEY, token),
        None => area.remove_item(STORAGE_KEY),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_body_json_object() {
        assert_eq!(
            parse_endpoint_body(r#"{"accessToken": "abc.def.ghi", "expiresIn": 3600}"#).as_deref(),
            Some("abc.def.ghi")
        );
        assert_eq!(
            parse_endpoint_body(r#"{"access_token": "t"}"#).as_deref(),
            Some("t")
        );
    }

    #[test]
    fn endpoint_body_plain_text() {
        assert_eq!(
            parse_endpoint_body("  abc.def.ghi\n").as_deref(),
            Some("abc.def.ghi")
        );
        assert_eq!(parse_endpoint_body(r#""abc""#).as_deref(), Some("abc"));
    }

    #[test]
    fn endpoint_body_rejects_html_and_empty() {
        assert_eq!(parse_endpoint_body("<html>Sign in</html>"), None);
        assert_eq!(parse_endpoint_body(""), None);
        assert_eq!(parse_endpoint_body(r#"{"expiresIn": 5}"#), None);
    }

    #[test]
    fn token_source_reads_kinds() {
        let endpoint: TokenSourceKind =
            serde_json::from_str(r#"{"kind": "endpoint", "url": "/portal/token"}"#).unwrap();

        assert_eq!(
            endpoint,
            TokenSourceKind::Endpoint {
                url: "/portal/token".into()
            }
        );
        assert_eq!(
            serde_json::from_str::<TokenSourceKind>(r#"{"kind": "paste"}"#).unwrap(),
            TokenSourceKind::Paste
        );
        assert!(serde_json::from_str::<TokenSourceKind>(r#"{"kind": "endpoint"}"#).is_err());
    }
}
