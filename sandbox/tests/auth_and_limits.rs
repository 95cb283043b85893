//! Contract tests of authentication (401), roles (403) and rate limits (429).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{TEST_SECRET, config, start};
use omnium_sandbox::auth::{RoleClaim, TokenAuthority, TokenRequest};
use omnium_sandbox::faults::{FaultSettings, LatencyRule};
use omnium_sandbox::rate_limit::RateLimitConfig;
use reqwest::Method;
use serde_json::{Value, json};

fn token(secret: &str, roles: &[&str], role_claim: RoleClaim, expires_in_seconds: i64) -> String {
    TokenAuthority::new(secret)
        .unwrap()
        .sign(&TokenRequest {
            sub: "agent-test".to_owned(),
            name: "Test Agent".to_owned(),
            roles: roles.iter().map(|role| role.to_string()).collect(),
            role_claim,
            expires_in_seconds,
            single_role_as_string: roles.len() == 1,
        })
        .unwrap()
}

/// Lists every endpoint with a body that succeeds for an admin, and
/// whether it writes.
fn endpoints(id: &str) -> Vec<(Method, String, Option<Value>, bool)> {
    vec![
        (Method::GET, format!("/api/cases/{id}"), None, false),
        (
            Method::POST,
            "/api/cases/search".to_owned(),
            Some(json!({})),
            false,
        ),
        (
            Method::POST,
            "/api/cases".to_owned(),
            Some(json!({"subject": "x"})),
            true,
        ),
        (
            Method::PUT,
            "/api/cases".to_owned(),
            Some(json!({"id": id, "subject": "x"})),
            true,
        ),
        (
            Method::PATCH,
            "/api/cases".to_owned(),
            Some(json!({"id": id, "subject": "y"})),
            true,
        ),
        (
            Method::POST,
            format!("/api/cases/{id}/assignto"),
            Some(json!({"assignedToUserId": "agent-ada", "assignedToName": "Ada Lovelace"})),
            true,
        ),
        (
            Method::POST,
            format!("/api/cases/{id}/changestatus"),
            Some(json!({"status": "In Progress"})),
            true,
        ),
        (Method::DELETE, format!("/api/cases/{id}"), None, true),
    ]
}

#[tokio::test]
async fn bad_tokens_are_401_on_every_endpoint() {
    let sandbox = start(config(0)).await;
    let id = sandbox.create(json!({"subject": "Target"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let expired = token(TEST_SECRET, &["CaseAdmin"], RoleClaim::Role, -60);
    let badly_signed = token("some-other-secret", &["CaseAdmin"], RoleClaim::Role, 600);
    let tokens: [(&str, Option<&str>); 4] = [
        ("missing", None),
        ("malformed", Some("not.a.jwt")),
        ("bad signature", Some(&badly_signed)),
        ("expired", Some(&expired)),
    ];

    for (method, path, body, _) in endpoints(&id) {
        for (label, token) in tokens {
            let reply = sandbox
                .call(method.clone(), &path, token, body.clone())
                .await;
            assert_eq!(reply.status, 401, "{label} token on {method} {path}");
            assert_eq!(reply.header("www-authenticate"), "Bearer", "{label}");
            assert_eq!(reply.header("content-type"), "application/problem+json");
            assert_eq!(reply.body["status"], 401);
        }
    }
}

#[tokio::test]
async fn expired_token_problem_says_expired() {
    let sandbox = start(config(0)).await;
    let expired = token(TEST_SECRET, &["CaseRead"], RoleClaim::Role, -60);
    let reply = sandbox
        .call(
            Method::POST,
            "/api/cases/search",
            Some(&expired),
            Some(json!({})),
        )
        .await;
    assert!(reply.body["detail"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn read_only_token_is_403_on_every_write() {
    let sandbox = start(config(0)).await;
    let id = sandbox.create(json!({"subject": "Target"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reader = sandbox.read_only();

    for (method, path, body, is_write) in endpoints(&id) {
        let reply = sandbox
            .call(method.clone(), &path, Some(&reader), body)
            .await;
        let expected = if is_write { 403 } else { 200 };
        assert_eq!(
            reply.status, expected,
            "read-only on {method} {path}: {}",
            reply.text
        );
        if is_write {
            assert_eq!(reply.header("content-type"), "application/problem+json");
            assert!(reply.body["detail"].as_str().unwrap().contains("CaseAdmin"));
        }
    }
}

#[tokio::test]
async fn no_role_token_is_403_on_reads() {
    let sandbox = start(config(0)).await;
    let id = sandbox.create(json!({"subject": "Target"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let outsider = sandbox.no_role();

    for (method, path, body, _) in endpoints(&id) {
        let reply = sandbox
            .call(method.clone(), &path, Some(&outsider), body)
            .await;
        assert_eq!(reply.status, 403, "no role on {method} {path}");
    }
}

#[tokio::test]
async fn admin_token_succeeds_on_every_endpoint() {
    let sandbox = start(config(0)).await;
    let id = sandbox.create(json!({"subject": "Target"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    for (method, path, body, _) in endpoints(&id) {
        let reply = sandbox.admin_call(method.clone(), &path, body).await;
        assert!(
            (200..300).contains(&reply.status),
            "admin on {method} {path}: {} {}",
            reply.status,
            reply.text
        );
    }
}

#[tokio::test]
async fn every_role_claim_shape_is_accepted() {
    let sandbox = start(config(0)).await;
    let shapes = [
        (RoleClaim::Role, vec!["CaseAdmin"]),
        (RoleClaim::Roles, vec!["CaseRead", "CaseAdmin"]),
        (RoleClaim::Ms, vec!["CaseAdmin"]),
        (RoleClaim::Ms, vec!["ApiOwner"]),
    ];
    for (claim, roles) in shapes {
        let token = token(TEST_SECRET, &roles, claim, 600);
        let reply = sandbox
            .call(
                Method::POST,
                "/api/cases",
                Some(&token),
                Some(json!({"subject": "Claim shape"})),
            )
            .await;
        assert_eq!(reply.status, 201, "{claim:?} {roles:?}: {}", reply.text);
    }
}

#[tokio::test]
async fn exhausted_bucket_is_429_with_retry_after() {
    let mut low_limit = config(0);
    low_limit.rate_limit = RateLimitConfig {
        capacity: 3,
        refill: 1,
        interval: Duration::from_secs(60),
        max_concurrent: 20,
    };
    let sandbox = start(low_limit).await;

    for attempt in 0..3 {
        let reply = sandbox.search(json!({})).await;
        assert_eq!(reply.status, 200, "request {attempt}");
    }
    let limited = sandbox.search(json!({})).await;

    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("content-type"), "application/problem+json");
    assert_eq!(limited.body["status"], 429);
    let retry_after: u64 = limited.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry_after), "retry after {retry_after}");

    let other_token = sandbox
        .call(
            Method::POST,
            "/api/cases/search",
            Some(&sandbox.read_only()),
            Some(json!({})),
        )
        .await;
    assert_eq!(other_token.status, 200, "each token has its own bucket");
}

#[tokio::test]
async fn too_many_concurrent_requests_are_429() {
    let mut one_at_a_time = config(0);
    one_at_a_time.rate_limit.max_concurrent = 1;
    one_at_a_time.faults = FaultSettings {
        faults: Vec::new(),
        latency: vec![LatencyRule {
            route: "search".to_owned(),
            ms: 10_000,
        }],
    };
    let sandbox = Arc::new(start(one_at_a_time).await);

    let slow = {
        let sandbox = sandbox.clone();
        tokio::spawn(async move {
            // A probe below may hold the only slot at the moment this search
            // arrives, so retry until the search itself gets the slot.
            loop {
                let reply = sandbox.search(json!({})).await;
                if reply.status != 429 {
                    return reply;
                }
            }
        })
    };

    let deadline = Instant::now() + Duration::from_secs(5);
    let limited = loop {
        let reply = sandbox
            .admin_call(Method::GET, "/api/cases/any", None)
            .await;
        if reply.status == 429 {
            break Some(reply);
        }
        if Instant::now() > deadline {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    slow.abort();

    let limited = limited.expect("a request is limited while the slow search runs");
    assert_eq!(limited.header("retry-after"), "1");
    assert!(
        limited.body["detail"]
            .as_str()
            .unwrap()
            .contains("in flight")
    );
}
