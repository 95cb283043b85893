//! Helpers shared by the contract tests: an in-process sandbox on an
//! ephemeral port and a small HTTP client around it.

#![allow(dead_code)]

use omnium_sandbox::{RunningSandbox, SandboxConfig};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// Secret the test sandboxes sign tokens with.
pub const TEST_SECRET: &str = "contract-test-secret";

/// Returns a config with an in-memory database and `seed_count` seeded
/// cases.
pub fn config(seed_count: usize) -> SandboxConfig {
    SandboxConfig {
        seed_count,
        jwt_secret: Some(TEST_SECRET.to_owned()),
        ..SandboxConfig::default()
    }
}

/// A running sandbox and a client for it.
pub struct TestSandbox {
    pub sandbox: RunningSandbox,
    pub client: reqwest::Client,
}

/// An HTTP response, with its body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Reply {
    /// Returns a header as text, or "" when it is missing.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }
}

/// Starts a sandbox with `config`.
pub async fn start(config: SandboxConfig) -> TestSandbox {
    let sandbox = omnium_sandbox::start(config).await.expect("sandbox starts");
    TestSandbox {
        sandbox,
        client: reqwest::Client::new(),
    }
}

impl TestSandbox {
    pub fn admin(&self) -> String {
        self.sandbox.tokens.admin.clone()
    }

    pub fn read_only(&self) -> String {
        self.sandbox.tokens.read_only.clone()
    }

    pub fn no_role(&self) -> String {
        self.sandbox.tokens.no_role.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.url())
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        read_reply(request.send().await.expect("request is sent")).await
    }

    /// Sends a request as the admin.
    pub async fn admin_call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.call(method, path, Some(&self.admin()), body).await
    }

    /// Creates a case as the admin and returns it.
    pub async fn create(&self, body: Value) -> Value {
        let reply = self
            .admin_call(Method::POST, "/api/cases", Some(body))
            .await;
        assert_eq!(reply.status, 201, "create failed: {}", reply.text);
        reply.body
    }

    /// Searches as the admin and returns the reply.
    pub async fn search(&self, body: Value) -> Reply {
        self.admin_call(Method::POST, "/api/cases/search", Some(body))
            .await
    }

    /// Returns every case in search order by paging with take 100.
    pub async fn search_all(&self, mut body: Value) -> Vec<Value> {
        let mut cases = Vec::new();
        for page in 0.. {
            body["page"] = json!(page);
            body["take"] = json!(100);
            let reply = self.search(body.clone()).await;
            assert_eq!(reply.status, 200, "search failed: {}", reply.text);

            let result = reply.body["result"].as_array().unwrap().clone();
            let total = reply.body["totalHits"].as_u64().unwrap() as usize;
            cases.extend(result);
            if cases.len() >= total {
                break;
            }
        }
        cases
    }
}

/// Reads status, headers and body of a response.
pub async fn read_reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body is read");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        body,
    }
}

/// Returns the ids of `cases` in order.
pub fn ids(cases: &[Value]) -> Vec<String> {
    cases
        .iter()
        .map(|case| case["id"].as_str().unwrap().to_owned())
        .collect()
}
