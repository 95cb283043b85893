//! Contract tests of serving the built app (static files, fallback, base
//! path, config.json, cache headers) and of persistence across restarts.

mod common;

use std::path::Path;

use common::{config, start};
use omnium_sandbox::{AppConfig, DbLocation};
use reqwest::Method;
use serde_json::json;

const INDEX: &str =
    "<!DOCTYPE html><html><head><base href=\"/\"><title>Cases</title></head><body></body></html>";
const SCRIPT_NAME: &str = "omnium-console-1a2b3c4d5e6f7a8b.js";
const WASM_NAME: &str = "omnium-console-1a2b3c4d5e6f7a8b_bg.wasm";

fn write_app(dir: &Path) {
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join(SCRIPT_NAME), "console.log('app');").unwrap();
    std::fs::write(dir.join(WASM_NAME), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("favicon.ico"), b"icon").unwrap();
    std::fs::write(dir.join("404.html"), "<html><body>Not here</body></html>").unwrap();
}

fn app_config(dir: &Path, base_path: &str, fallback: bool) -> AppConfig {
    let mut config_override = serde_json::Map::new();
    config_override.insert(
        "tokenSource".to_owned(),
        json!({"kind": "endpoint", "url": "/token"}),
    );
    config_override.insert(
        "caseLinkTemplate".to_owned(),
        json!("https://example.com/{id}"),
    );
    AppConfig {
        dir: dir.to_path_buf(),
        base_path: base_path.to_owned(),
        csp: Some("default-src 'self'".to_owned()),
        config_override,
        fallback,
    }
}

async fn get(sandbox: &common::TestSandbox, path: &str) -> common::Reply {
    sandbox.call(Method::GET, path, None, None).await
}

#[tokio::test]
async fn app_is_served_under_base_path() {
    let dir = tempfile::tempdir().unwrap();
    write_app(dir.path());
    let mut with_app = config(0);
    with_app.app = Some(app_config(dir.path(), "/support/cases/", true));
    let sandbox = start(with_app).await;

    let index = get(&sandbox, "/support/cases/").await;
    assert_eq!(index.status, 200);
    assert!(
        index.text.contains("<base href=\"/support/cases/\">"),
        "{}",
        index.text
    );
    assert_eq!(index.header("cache-control"), "no-cache");
    assert!(index.header("content-type").starts_with("text/html"));
    assert_eq!(
        index.header("content-security-policy"),
        "default-src 'self'"
    );

    let deep_link = get(&sandbox, "/support/cases/cases/abc-123").await;
    assert_eq!(deep_link.status, 200);
    assert_eq!(deep_link.text, index.text);
    assert_eq!(deep_link.header("cache-control"), "no-cache");

    let script = get(&sandbox, &format!("/support/cases/{SCRIPT_NAME}")).await;
    assert_eq!(script.status, 200);
    assert_eq!(script.text, "console.log('app');");
    assert_eq!(
        script.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(script.header("content-security-policy"), "");

    let wasm = get(&sandbox, &format!("/support/cases/{WASM_NAME}")).await;
    assert_eq!(wasm.header("content-type"), "application/wasm");
    assert_eq!(
        wasm.header("cache-control"),
        "public, max-age=31536000, immutable"
    );

    let icon = get(&sandbox, "/support/cases/favicon.ico").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("cache-control"), "no-cache");

    let outside = get(&sandbox, "/elsewhere").await;
    assert_eq!(outside.status, 404);

    let api = sandbox
        .call(Method::GET, "/api/unknown", Some(&sandbox.admin()), None)
        .await;
    assert_eq!(api.status, 404);
    assert_eq!(api.header("content-type"), "application/problem+json");

    let cases = sandbox.search(json!({})).await;
    assert_eq!(cases.status, 200);
}

#[tokio::test]
async fn base_path_without_slash_redirects() {
    let dir = tempfile::tempdir().unwrap();
    write_app(dir.path());
    let mut with_app = config(0);
    with_app.app = Some(app_config(dir.path(), "/support/cases/", true));
    let sandbox = start(with_app).await;

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let reply = client
        .get(sandbox.url("/support/cases"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 308);
    assert_eq!(reply.headers()["location"], "/support/cases/");
}

#[tokio::test]
async fn config_json_points_at_this_server() {
    let dir = tempfile::tempdir().unwrap();
    write_app(dir.path());
    let mut with_app = config(0);
    with_app.app = Some(app_config(dir.path(), "/support/cases/", true));
    let sandbox = start(with_app).await;

    let reply = get(&sandbox, "/support/cases/config.json").await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), "no-cache");
    assert!(reply.header("content-type").starts_with("application/json"));
    let config = &reply.body;
    assert_eq!(config["apiBaseUrl"], sandbox.sandbox.url());
    assert_eq!(config["basePath"], "/support/cases/");
    assert_eq!(
        config["statuses"],
        json!(["New", "In Progress", "Resolved", "Closed"])
    );
    assert_eq!(config["closedStatus"], "Closed");
    assert_eq!(
        config["priorities"],
        json!(["Low", "Medium", "High", "Critical"])
    );
    assert_eq!(config["sources"], json!(["Email", "Phone", "Web"]));
    assert_eq!(
        config["tokenSource"],
        json!({"kind": "endpoint", "url": "/token"})
    );
    assert_eq!(config["caseLinkTemplate"], "https://example.com/{id}");
}

#[tokio::test]
async fn root_base_path_keeps_base_href() {
    let dir = tempfile::tempdir().unwrap();
    write_app(dir.path());
    let mut with_app = config(0);
    let mut app = app_config(dir.path(), "/", true);
    app.config_override.clear();
    with_app.app = Some(app);
    let sandbox = start(with_app).await;

    let index = get(&sandbox, "/").await;
    assert!(index.text.contains("<base href=\"/\">"));

    let config = get(&sandbox, "/config.json").await;
    assert_eq!(config.body["basePath"], "/");
    assert_eq!(config.body["tokenSource"], json!({"kind": "paste"}));

    let fallback = get(&sandbox, "/cases/10001").await;
    assert_eq!(fallback.status, 200);
    assert_eq!(fallback.text, index.text);

    let control = get(&sandbox, "/_sandbox/faults").await;
    assert_eq!(control.status, 404, "no fallback for the control path");
}

#[tokio::test]
async fn no_fallback_serves_404_page() {
    let dir = tempfile::tempdir().unwrap();
    write_app(dir.path());
    let mut with_app = config(0);
    with_app.app = Some(app_config(dir.path(), "/support/cases/", false));
    let sandbox = start(with_app).await;

    let missing = get(&sandbox, "/support/cases/cases/abc").await;
    assert_eq!(missing.status, 404);
    assert!(missing.text.contains("Not here"));
    assert_eq!(
        missing.header("content-security-policy"),
        "default-src 'self'"
    );

    let index = get(&sandbox, "/support/cases/").await;
    assert_eq!(index.status, 200);
}

#[tokio::test]
async fn edits_survive_restart_with_file_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = DbLocation::File(dir.path().join("sandbox.db"));
    let mut first_config = config(10);
    first_config.db = db.clone();

    let first = start(first_config.clone()).await;
    assert_eq!(first.sandbox.seeded, 10);
    let created = first.create(json!({"subject": "Survivor"})).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let patched = first
        .admin_call(
            Method::PATCH,
            "/api/cases",
            Some(json!({"id": id, "priority": "Critical"})),
        )
        .await;
    assert_eq!(patched.status, 200);
    first.sandbox.stop().await.unwrap();

    let second = start(first_config).await;
    assert_eq!(
        second.sandbox.seeded, 0,
        "a database with cases is not seeded again"
    );
    let reply = second
        .admin_call(Method::GET, &format!("/api/cases/{id}"), None)
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, patched.body);

    let next = second.create(json!({"subject": "After restart"})).await;
    assert_eq!(next["caseNumber"], "10012");
}
