//! The HTTP client every page calls through.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::error::{ApiError, UnauthorizedReason};
use crate::model::decode;

/// Where the client gets its bearer token, and whom it tells when the API
/// turns that token down. The session implements it.
pub trait Credentials {
    /// Returns the token to send, or why there is none. An expired token is
    /// reported here so it is never sent.
    fn token(&self) -> Result<String, UnauthorizedReason>;

    /// Fetches a fresh token after a 401; resolves to `true` when one arrived
    /// and the request may be sent again.
    fn refresh(&self) -> Pin<Box<dyn Future<Output = bool>>>;

    /// Records that the API responded 401 and no fresh token was available.
    fn unauthorized(&self, reason: UnauthorizedReason);

    /// Records that the API responded 403, which means the token lacks admin
    /// access whatever its claims seemed to say.
    fn forbidden(&self);
}

/// Whether a request only reads. Reads are retried on 429 and 503; writes
/// never are, since Omnium offers no way to tell whether a write landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Read,
    Write,
}

/// Client settings from the runtime configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSettings {
    /// The API's base URL without a trailing slash, such as
    /// `https://api.omnium.no`.
    pub base_url: String,
    /// How long one attempt may take before it is aborted.
    pub timeout: Duration,
    /// How many times a read is sent again after a 429 or 503.
    pub read_retries: u32,
    /// The longest `Retry-After` the client waits out by itself; a longer
    /// one is shown to the agent instead.
    pub max_retry_wait: Duration,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            base_url: String::new(),
            timeout: Duration::from_secs(30),
            read_retries: 2,
            max_retry_wait: Duration::from_secs(10),
        }
    }
}

/// The Omnium API client. Cheap to clone; clones share settings and
/// credentials.
#[derive(Clone)]
pub struct ApiClient {
    settings: Rc<ClientSettings>,
    credentials: Rc<dyn Credentials>,
}

impl ApiClient {
    pub fn new(settings: ClientSettings, credentials: Rc<dyn Credentials>) -> Self {
        let base_url = settings.base_url.trim_end_matches('/').to_owned();

        Self {
            settings: Rc::new(ClientSettings {
                base_url,
                ..settings
            }),
            credentials,
        }
    }

    pub fn settings(&self) -> &ClientSettings {
        &self.settings
    }

    /// Sends one request and decodes the JSON response.
    pub(crate) async fn request_json<T: DeserializeOwned>(
        &self,
        method: &'static str,
        path: &str,
        body: Option<String>,
        kind: RequestKind,
    ) -> Result<T, ApiError> {
        let text = self.request_text(method, path, body, kind).await?;

        decode(&text).map_err(|error| ApiError::MalformedResponse(error.what))
    }

    /// Sends one request with retries and token refresh, returning the body
    /// of a 2xx answer.
    pub(crate) async fn request_text(
        &self,
        method: &'static str,
        path: &str,
        body: Option<String>,
        kind: RequestKind,
    ) -> Result<String, ApiError> {
        let url = format!("{}{path}", self.settings.base_url);
        let mut retries_left = self.settings.read_retries;
        let mut refreshed = false;

        loop {
            let token = match self.credentials.token() {
                Ok(token) => token,
                Err(reason) => {
                    if !refreshed {
                        refreshed = true;

                        if self.credentials.refresh().await {
                            continue;
                        }
                    }

                    self.credentials.unauthorized(reason);
                    return Err(ApiError::Unauthorized(reason));
                }
            };

            let error = match self.send_once(method, &url, &token, body.as_deref()).await {
                Ok(text) => return Ok(text),
                Err(error) => error,
            };

            match &error {
                ApiError::Unauthorized(_) if !refreshed => {
                    refreshed = true;

                    if self.credentials.refresh().await {
                        continue;
                    }

                    self.credentials.unauthorized(UnauthorizedReason::Rejected);
                }
                ApiError::Unauthorized(reason) => self.credentials.unauthorized(*reason),
                ApiError::Forbidden => self.credentials.forbidden(),
                _ => {}
            }

            let may_retry =
                kind == RequestKind::Read && retries_left > 0 && error.is_retryable_read();
            let attempt = self.settings.read_retries - retries_left;
            let wait = retry_wait(&error, attempt);

            if !may_retry || wait > self.settings.max_retry_wait {
                return Err(error);
            }

            retries_left -= 1;
            sleep(wait).await;
        }
    }

    #[cfg(target_arch = "wasm32")]
    async fn send_once(
        &self,
        method: &'static str,
        url: &str,
        token: &str,
        body: Option<&str>,
    ) -> Result<String, ApiError> {
        use gloo_net::http::{Method, RequestBuilder};
        use leptos::prelude::on_cleanup;
        use send_wrapper::SendWrapper;
        use std::cell::Cell;

        let controller = web_sys::AbortController::new().map_err(|_| ApiError::Network)?;
        let signal = controller.signal();
        let timed_out = Rc::new(Cell::new(false));

        let timer = {
            let controller = controller.clone();
            let timed_out = timed_out.clone();
            let millis = u32::try_from(self.settings.timeout.as_millis()).unwrap_or(u32::MAX);

            gloo_timers::callback::Timeout::new(millis, move || {
                timed_out.set(true);
                controller.abort();
            })
        };

        // Leaving the page (or a newer query replacing this one) disposes the
        // reactive owner that started the request, which aborts it.
        let on_leave = SendWrapper::new(controller.clone());
        on_cleanup(move || on_leave.abort());

        let method = match method {
            "GET" => Method::GET,
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            other => unreachable!("the client sends no {other} requests"),
        };

        let builder = RequestBuilder::new(url)
            .method(method)
            .header("Accept", "application/json")
            .header("Authorization", &format!("Bearer {token}"))
            .abort_signal(Some(&signal));

        let request = match body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.to_owned()),
            None => builder.build(),
        }
        .map_err(|_| ApiError::Network)?;

        let outcome = request.send().await;
        let failure = |timed_out: &Cell<bool>| {
            if timed_out.get() {
                ApiError::Timeout(self.settings.timeout)
            } else if signal.aborted() {
                ApiError::Aborted
            } else {
                ApiError::Network
            }
        };

        let response = match outcome {
            Ok(response) => response,
            Err(_) => return Err(failure(&timed_out)),
        };

        let status = response.status();
        let retry_after = response.headers().get("retry-after");
        let text = match response.text().await {
            Ok(text) => text,
            Err(_) => return Err(failure(&timed_out)),
        };

        drop(timer);

        if (200..300).contains(&status) {
            return Ok(text);
        }

        Err(ApiError::from_response(
            status,
            retry_after.as_deref(),
            &text,
        ))
    }

    #[cfg(not(target_arch = "wasm32"))]
    async fn send_once(
        &self,
        _method: &'static str,
        _url: &str,
        _token: &str,
        _body: Option<&str>,
    ) -> Result<String, ApiError> {
        // The fetch layer runs only in a browser; host builds exist for unit
        // tests of the pure logic.
        Err(ApiError::Network)
    }
}

/// How long to wait before sending a read again: what the API asked for, or
/// one second doubled per attempt.
pub(crate) fn retry_wait(error: &ApiError, attempt: u32) -> Duration {
    error
        .retry_after()
        .unwrap_or_else(|| Duration::from_secs(1 << attempt.min(4)))
}

#[cfg(target_arch = "wasm32")]
async fn sleep(duration: Duration) {
    let millis = u32::try_from(duration.as_millis()).unwrap_or(u32::MAX);
    gloo_timers::future::TimeoutFuture::new(millis).await;
}

#[cfg(not(target_arch = "wasm32"))]
async fn sleep(_duration: Duration) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_wait_prefers_retry_after() {
        let error = ApiError::RateLimited(Some(Duration::from_secs(3)));

        assert_eq!(retry_wait(&error, 0), Duration::from_secs(3));
    }

    #[test]
    fn retry_wait_backs_off_without_header() {
        let error = ApiError::Server {
            status: 503,
            detail: None,
            retry_after: None,
        };

        assert_eq!(retry_wait(&error, 0), Duration::from_secs(1));
        assert_eq!(retry_wait(&error, 1), Duration::from_secs(2));
        assert_eq!(retry_wait(&error, 9), Duration::from_secs(16));
    }
}
