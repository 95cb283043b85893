//! Contract tests of fault injection, the test-control endpoint and CORS.

mod common;

use std::time::{Duration, Instant};

use common::{config, start};
use omnium_sandbox::faults::{FaultRule, FaultSettings, LatencyRule};
use reqwest::Method;
use serde_json::json;

fn faults(rules: &[&str], latency: &[&str]) -> FaultSettings {
    FaultSettings {
        faults: rules
            .iter()
            .map(|spec| spec.parse::<FaultRule>().unwrap())
            .collect(),
        latency: latency
            .iter()
            .map(|spec| spec.parse::<LatencyRule>().unwrap())
            .collect(),
    }
}

#[tokio::test]
async fn full_rate_fault_answers_every_request() {
    let mut faulty = config(5);
    faulty.faults = faults(&["search:503:1.0", "update:500:1"], &[]);
    let sandbox = start(faulty).await;

    for _ in 0..5 {
        let reply = sandbox.search(json!({})).await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.header("retry-after"), "1");
        assert_eq!(reply.header("content-type"), "application/problem+json");
    }

    let created = sandbox.create(json!({"subject": "Unaffected"})).await;
    let update = sandbox
        .admin_call(Method::PUT, "/api/cases", Some(created.clone()))
        .await;
    assert_eq!(update.status, 500);
    assert_eq!(update.header("retry-after"), "");

    let get = sandbox
        .admin_call(
            Method::GET,
            &format!("/api/cases/{}", created["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(get.status, 200);
}

#[tokio::test]
async fn wildcard_fault_hits_every_route() {
    let mut faulty = config(0);
    faulty.faults = faults(&["*:500:1.0"], &[]);
    let sandbox = start(faulty).await;

    let search = sandbox.search(json!({})).await;
    assert_eq!(search.status, 500);
    let create = sandbox
        .admin_call(Method::POST, "/api/cases", Some(json!({"subject": "x"})))
        .await;
    assert_eq!(create.status, 500);
}

#[tokio::test]
async fn latency_delays_the_route() {
    let mut slow = config(0);
    slow.faults = faults(&[], &["search:400"]);
    let sandbox = start(slow).await;

    let started = Instant::now();
    let reply = sandbox.search(json!({})).await;
    let elapsed = started.elapsed();

    assert_eq!(reply.status, 200);
    assert!(elapsed >= Duration::from_millis(400), "took {elapsed:?}");
}

#[tokio::test]
async fn control_endpoint_is_absent_without_flag() {
    let sandbox = start(config(0)).await;
    let get = sandbox
        .call(Method::GET, "/_sandbox/faults", None, None)
        .await;
    assert_eq!(get.status, 404);
    let put = sandbox
        .call(
            Method::PUT,
            "/_sandbox/faults",
            None,
            Some(json!({"faults": []})),
        )
        .await;
    assert_eq!(put.status, 404);
}

#[tokio::test]
async fn control_endpoint_replaces_faults() {
    let mut controlled = config(0);
    controlled.control = true;
    let sandbox = start(controlled).await;

    assert_eq!(sandbox.search(json!({})).await.status, 200);

    let settings = json!({
        "faults": [{"route": "search", "status": 503, "rate": 1.0}],
        "latency": [{"route": "get", "ms": 5}]
    });
    let put = sandbox
        .call(
            Method::PUT,
            "/_sandbox/faults",
            None,
            Some(settings.clone()),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);

    let read = sandbox
        .call(Method::GET, "/_sandbox/faults", None, None)
        .await;
    assert_eq!(read.body, settings);
    assert_eq!(sandbox.search(json!({})).await.status, 503);

    let cleared = sandbox
        .call(Method::PUT, "/_sandbox/faults", None, Some(json!({})))
        .await;
    assert_eq!(cleared.status, 200);
    assert_eq!(sandbox.search(json!({})).await.status, 200);

    let invalid = sandbox
        .call(
            Method::PUT,
            "/_sandbox/faults",
            None,
            Some(json!({"faults": [{"route": "nowhere", "status": 503, "rate": 1.0}]})),
        )
        .await;
    assert_eq!(invalid.status, 400);
    assert!(invalid.text.contains("nowhere"));
}

#[tokio::test]
async fn cors_preflight_allows_only_listed_origins() {
    let mut cors = config(0);
    cors.allowed_origins = vec!["http://127.0.0.1:5173".to_owned()];
    let sandbox = start(cors).await;

    let preflight = |origin: &'static str| {
        sandbox
            .client
            .request(Method::OPTIONS, sandbox.url("/api/cases/search"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };

    let allowed = preflight("http://127.0.0.1:5173").await.unwrap();
    assert!(allowed.status().is_success());
    let headers = allowed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://127.0.0.1:5173"
    );
    let allowed_headers = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed_headers.contains("authorization"));
    assert!(allowed_headers.contains("content-type"));
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        assert!(methods.contains(method), "{method} missing from {methods}");
    }

    let refused = preflight("http://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let actual = sandbox
        .client
        .post(sandbox.url("/api/cases/search"))
        .header("origin", "http://127.0.0.1:5173")
        .bearer_auth(sandbox.admin())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(actual.status(), 200);
    assert_eq!(
        actual.headers()["access-control-allow-origin"],
        "http://127.0.0.1:5173"
    );
    let exposed = actual.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"), "{exposed}");
}
