//! Contract tests of the case endpoints over real HTTP: create, get, PUT,
//! PATCH, delete, assign, change status, and their errors.

mod common;

use std::time::Duration;

use chrono::DateTime;
use common::{config, start};
use reqwest::Method;
use serde_json::{Value, json};

fn millis_between(earlier: &Value, later: &Value) -> i64 {
    let earlier = DateTime::parse_from_rfc3339(earlier.as_str().unwrap()).unwrap();
    let later = DateTime::parse_from_rfc3339(later.as_str().unwrap()).unwrap();
    (later - earlier).num_milliseconds()
}

fn is_dotnet_timestamp(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let bytes = text.as_bytes();
    text.len() == 28
        && bytes[19] == b'.'
        && bytes[20..27].iter().all(u8::is_ascii_digit)
        && text.ends_with('Z')
}

#[tokio::test]
async fn create_returns_201_with_location_and_case() {
    let sandbox = start(config(0)).await;

    let reply = sandbox
        .admin_call(
            Method::POST,
            "/api/cases",
            Some(json!({
                "subject": "Parcel lost",
                "customerName": "Zoë Ångström",
                "customerEmail": "zoe@example.com",
                "priority": "High",
                "tags": ["shipping"],
                "created": "2001-01-01T00:00:00Z",
                "caseNumber": "999",
                "relatedOrders": null
            })),
        )
        .await;

    assert_eq!(reply.status, 201, "{}", reply.text);
    let case = &reply.body;
    let id = case["id"].as_str().unwrap();
    assert_eq!(reply.header("location"), format!("/api/cases/{id}"));
    assert_eq!(case["caseNumber"], "10001");
    assert_eq!(case["status"], "New");
    assert_eq!(case["subject"], "Parcel lost");
    assert_eq!(case["customerName"], "Zoë Ångström");
    assert_eq!(case["relatedOrders"], json!([]));
    assert_ne!(case["created"], "2001-01-01T00:00:00.0000000Z");
    assert!(is_dotnet_timestamp(&case["created"]), "{}", case["created"]);
    assert_eq!(case["created"], case["changed"]);
    assert_eq!(case["caseStatusLog"][0]["status"], "New");
    assert_eq!(
        case["caseStatusLog"][0]["durationSincePreviousMs"],
        Value::Null
    );
    assert_eq!(case["commentCount"], 0);
}

#[tokio::test]
async fn create_numbers_cases_sequentially() {
    let sandbox = start(config(3)).await;
    let case = sandbox.create(json!({"subject": "Fourth"})).await;
    assert_eq!(case["caseNumber"], "10004");
}

#[tokio::test]
async fn create_duplicate_id_is_409() {
    let sandbox = start(config(0)).await;
    let case = sandbox
        .create(json!({"id": "case-fixed-1", "subject": "One"}))
        .await;
    assert_eq!(case["id"], "case-fixed-1");

    let reply = sandbox
        .admin_call(
            Method::POST,
            "/api/cases",
            Some(json!({"id": "case-fixed-1", "subject": "Again"})),
        )
        .await;

    assert_eq!(reply.status, 409);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    assert_eq!(reply.body["status"], 409);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("case-fixed-1")
    );
}

#[tokio::test]
async fn get_returns_case_and_404_for_unknown() {
    let sandbox = start(config(0)).await;
    let created = sandbox.create(json!({"subject": "Lookup"})).await;
    let id = created["id"].as_str().unwrap();

    let found = sandbox
        .admin_call(Method::GET, &format!("/api/cases/{id}"), None)
        .await;
    assert_eq!(found.status, 200);
    assert_eq!(found.body, created);

    let missing = sandbox
        .admin_call(Method::GET, "/api/cases/no-such-case", None)
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), "application/problem+json");
    assert_eq!(missing.body["status"], 404);
    assert!(
        missing.body["detail"]
            .as_str()
            .unwrap()
            .contains("no-such-case")
    );
}

#[tokio::test]
async fn put_replaces_fields_and_keeps_server_fields() {
    let sandbox = start(config(0)).await;
    let created = sandbox
        .create(json!({
            "subject": "Old subject",
            "assignedToUserId": "agent-ada",
            "assignedToName": "Ada Lovelace",
            "tags": ["a", "b"],
            "followUpDate": "2026-05-01T09:00:00Z"
        }))
        .await;

    let mut update = created.clone();
    update["subject"] = json!("New subject");
    update["assignedToUserId"] = Value::Null;
    update["assignedToName"] = Value::Null;
    update["tags"] = json!([]);
    update["followUpDate"] = Value::Null;
    update["caseNumber"] = json!("1");
    update["created"] = json!("2000-01-01T00:00:00Z");

    let reply = sandbox
        .admin_call(Method::PUT, "/api/cases", Some(update))
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let case = &reply.body;
    assert_eq!(case["subject"], "New subject");
    assert_eq!(case["assignedToUserId"], Value::Null);
    assert_eq!(case["tags"], json!([]));
    assert_eq!(case["followUpDate"], Value::Null);
    assert_eq!(case["caseNumber"], created["caseNumber"]);
    assert_eq!(case["created"], created["created"]);
    assert!(case["changed"].as_str() >= created["changed"].as_str());
}

#[tokio::test]
async fn put_bad_id_is_400_or_404() {
    let sandbox = start(config(0)).await;

    let no_id = sandbox
        .admin_call(Method::PUT, "/api/cases", Some(json!({"subject": "x"})))
        .await;
    assert_eq!(no_id.status, 400);
    assert!(no_id.body["errors"]["id"].is_array(), "{}", no_id.text);

    let unknown = sandbox
        .admin_call(
            Method::PUT,
            "/api/cases",
            Some(json!({"id": "nope", "subject": "x"})),
        )
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn patch_applies_only_present_non_null_fields() {
    let sandbox = start(config(0)).await;
    let created = sandbox
        .create(json!({
            "subject": "Keep me",
            "description": "Original",
            "priority": "Low",
            "tags": ["keep"],
            "assignedToUserId": "agent-ada",
            "assignedToName": "Ada Lovelace"
        }))
        .await;
    let id = created["id"].as_str().unwrap();

    let reply = sandbox
        .admin_call(
            Method::PATCH,
            "/api/cases",
            Some(json!({
                "id": id,
                "subject": null,
                "tags": null,
                "assignedToUserId": null,
                "priority": "Critical",
                "followUpDate": "2026-06-01T10:00:00.5+02:00"
            })),
        )
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let case = &reply.body;
    assert_eq!(case["subject"], "Keep me");
    assert_eq!(case["description"], "Original");
    assert_eq!(case["tags"], json!(["keep"]));
    assert_eq!(case["assignedToUserId"], "agent-ada");
    assert_eq!(case["priority"], "Critical");
    assert_eq!(case["followUpDate"], "2026-06-01T08:00:00.5000000Z");
}

#[tokio::test]
async fn patch_cannot_clear_with_empty_values() {
    let sandbox = start(config(0)).await;
    let created = sandbox
        .create(json!({
            "subject": "Keep my tags",
            "tags": ["keep"],
            "relatedOrders": ["ORD-1"],
            "assignedToUserId": "agent-ada"
        }))
        .await;
    let id = created["id"].as_str().unwrap();

    let reply = sandbox
        .admin_call(
            Method::PATCH,
            "/api/cases",
            Some(json!({"id": id, "tags": [], "relatedOrders": [], "assignedToUserId": ""})),
        )
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["tags"], json!(["keep"]));
    assert_eq!(reply.body["relatedOrders"], json!(["ORD-1"]));
    assert_eq!(reply.body["assignedToUserId"], "agent-ada");
}

#[tokio::test]
async fn patch_without_id_is_400() {
    let sandbox = start(config(0)).await;
    let reply = sandbox
        .admin_call(Method::PATCH, "/api/cases", Some(json!({"subject": "x"})))
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body["errors"]["id"].is_array());
}

#[tokio::test]
async fn pascal_case_bodies_are_accepted() {
    let sandbox = start(config(0)).await;
    let created = sandbox
        .create(json!({
            "Subject": "Pascal",
            "CustomerEmail": "pascal@example.com",
            "Tags": ["vip"],
            "CaseNotes": [{"Detail": "Hello", "Creator": "Zoë"}]
        }))
        .await;
    assert_eq!(created["subject"], "Pascal");
    assert_eq!(created["customerEmail"], "pascal@example.com");
    assert_eq!(created["tags"], json!(["vip"]));
    assert_eq!(created["caseNotes"][0]["detail"], "Hello");
    let id = created["id"].as_str().unwrap();

    let patched = sandbox
        .admin_call(
            Method::PATCH,
            "/api/cases",
            Some(json!({"Id": id, "Priority": "High"})),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["priority"], "High");

    let status = sandbox
        .admin_call(
            Method::POST,
            &format!("/api/cases/{id}/changestatus"),
            Some(json!({"Status": "In Progress"})),
        )
        .await;
    assert_eq!(status.body["status"], "In Progress");

    let search = sandbox
        .search(json!({"SearchText": "pascal", "Take": 5}))
        .await;
    assert_eq!(search.body["totalHits"], 1);
}

#[tokio::test]
async fn assign_sets_and_clears_assignee() {
    let sandbox = start(config(0)).await;
    let created = sandbox.create(json!({"subject": "Assign me"})).await;
    let path = format!("/api/cases/{}/assignto", created["id"].as_str().unwrap());

    let assigned = sandbox
        .admin_call(
            Method::POST,
            &path,
            Some(json!({"assignedToUserId": "agent-grace", "assignedToName": "Grace Hopper"})),
        )
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    assert_eq!(assigned.body["assignedToUserId"], "agent-grace");
    assert_eq!(assigned.body["assignedToName"], "Grace Hopper");

    let cleared = sandbox
        .admin_call(Method::POST, &path, Some(json!({"assignedToUserId": null})))
        .await;
    assert_eq!(cleared.body["assignedToUserId"], Value::Null);
}

#[tokio::test]
async fn change_status_logs_durations_and_dates() {
    let sandbox = start(config(0)).await;
    let created = sandbox.create(json!({"subject": "Status flow"})).await;
    let path = format!(
        "/api/cases/{}/changestatus",
        created["id"].as_str().unwrap()
    );
    let change = |status: &'static str| {
        let path = path.clone();
        let sandbox = &sandbox;
        async move {
            let reply = sandbox
                .admin_call(Method::POST, &path, Some(json!({"status": status})))
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            reply.body
        }
    };

    tokio::time::sleep(Duration::from_millis(30)).await;
    change("In Progress").await;
    tokio::time::sleep(Duration::from_millis(30)).await;
    let resolved = change("Resolved").await;

    let log = resolved["caseStatusLog"].as_array().unwrap();
    assert_eq!(log.len(), 3);
    for pair in log.windows(2) {
        let expected = millis_between(&pair[0]["timestamp"], &pair[1]["timestamp"]);
        assert!(expected >= 30, "gap {expected} ms");
        assert_eq!(pair[1]["durationSincePreviousMs"], json!(expected));
    }
    assert_eq!(resolved["resolvedDate"], log[2]["timestamp"]);
    assert_eq!(resolved["closedDate"], Value::Null);

    let closed = change("Closed").await;
    assert!(closed["closedDate"].is_string());
    assert_eq!(closed["resolvedDate"], resolved["resolvedDate"]);

    let reopened = change("In Progress").await;
    assert_eq!(reopened["resolvedDate"], Value::Null);
    assert_eq!(reopened["closedDate"], Value::Null);
    assert_eq!(reopened["caseStatusLog"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn status_changes_through_put_and_patch_are_logged() {
    let sandbox = start(config(0)).await;
    let created = sandbox.create(json!({"subject": "Logged"})).await;
    let id = created["id"].as_str().unwrap();

    let patched = sandbox
        .admin_call(
            Method::PATCH,
            "/api/cases",
            Some(json!({"id": id, "status": "Resolved"})),
        )
        .await;
    assert_eq!(patched.body["caseStatusLog"].as_array().unwrap().len(), 2);
    assert!(patched.body["resolvedDate"].is_string());

    let mut full = patched.body.clone();
    full["status"] = json!("Closed");
    full["caseStatusLog"] = json!([]);
    let put = sandbox
        .admin_call(Method::PUT, "/api/cases", Some(full))
        .await;
    let log = put.body["caseStatusLog"].as_array().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[2]["status"], "Closed");
    assert!(put.body["closedDate"].is_string());
}

#[tokio::test]
async fn comment_counters_follow_notes() {
    let sandbox = start(config(0)).await;
    let created = sandbox
        .create(json!({
            "subject": "Notes",
            "caseNotes": [{"detail": "Public one", "creator": "José Núñez",
                           "created": "2026-01-01T10:00:00Z"}],
            "internalNotes": [{"detail": "Internal one"}]
        }))
        .await;

    assert_eq!(created["commentCount"], 2);
    let internal = &created["internalNotes"][0];
    assert!(internal["id"].is_string());
    assert_eq!(internal["type"], "Internal");
    assert_eq!(internal["creator"], "Ada Lovelace");
    assert_eq!(created["caseNotes"][0]["type"], "Public");
    assert_eq!(created["lastCommentDate"], internal["created"]);
    assert_eq!(created["lastCommenterName"], "Ada Lovelace");

    let mut update = created.clone();
    update["caseNotes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"detail": "Second public", "creator": "Zoë Ångström",
                     "created": "2099-01-01T00:00:00Z"}));
    let reply = sandbox
        .admin_call(Method::PUT, "/api/cases", Some(update))
        .await;
    assert_eq!(reply.body["commentCount"], 3);
    assert_eq!(reply.body["lastCommenterName"], "Zoë Ångström");
    assert_eq!(
        reply.body["lastCommentDate"],
        "2099-01-01T00:00:00.0000000Z"
    );

    let mut emptied = reply.body.clone();
    emptied["caseNotes"] = Value::Null;
    emptied["internalNotes"] = json!([]);
    let reply = sandbox
        .admin_call(Method::PUT, "/api/cases", Some(emptied))
        .await;
    assert_eq!(reply.body["commentCount"], 0);
    assert_eq!(reply.body["lastCommentDate"], Value::Null);
}

#[tokio::test]
async fn delete_is_soft() {
    let sandbox = start(config(0)).await;
    let created = sandbox
        .create(json!({"subject": "Delete me unique-marker"}))
        .await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/cases/{id}");

    let deleted = sandbox.admin_call(Method::DELETE, &path, None).await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.text.is_empty());

    let get = sandbox.admin_call(Method::GET, &path, None).await;
    assert_eq!(get.status, 404);
    assert!(get.body["detail"].as_str().unwrap().contains("deleted"));

    let hidden = sandbox.search(json!({"searchText": "unique-marker"})).await;
    assert_eq!(hidden.body["totalHits"], 0);

    let shown = sandbox
        .search(json!({"searchText": "unique-marker", "includeDeleted": true}))
        .await;
    assert_eq!(shown.body["totalHits"], 1);
    assert_eq!(shown.body["result"][0]["id"], id);

    let again = sandbox.admin_call(Method::DELETE, &path, None).await;
    assert_eq!(again.status, 404);
    let patch = sandbox
        .admin_call(
            Method::PATCH,
            "/api/cases",
            Some(json!({"id": id, "subject": "x"})),
        )
        .await;
    assert_eq!(patch.status, 404);
}

#[tokio::test]
async fn validation_errors_name_fields() {
    let sandbox = start(config(0)).await;

    let reply = sandbox
        .admin_call(
            Method::POST,
            "/api/cases",
            Some(json!({
                "subject": "  ",
                "customerEmail": "not-an-email",
                "status": "Done",
                "participants": [{"name": "P", "email": "bad@"}]
            })),
        )
        .await;

    assert_eq!(reply.status, 400);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let errors = &reply.body["errors"];
    assert!(errors["subject"][0].is_string(), "{}", reply.text);
    assert!(errors["customerEmail"][0].is_string());
    assert!(errors["status"][0].as_str().unwrap().contains("Done"));
    assert!(errors["participants[0].email"][0].is_string());
    assert_eq!(
        reply.body["title"],
        "One or more validation errors occurred."
    );
}

#[tokio::test]
async fn missing_subject_is_400() {
    let sandbox = start(config(0)).await;
    let reply = sandbox
        .admin_call(
            Method::POST,
            "/api/cases",
            Some(json!({"description": "x"})),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body["errors"]["subject"].is_array());
}

#[tokio::test]
async fn unknown_status_in_change_status_is_400() {
    let sandbox = start(config(0)).await;
    let created = sandbox.create(json!({"subject": "x"})).await;
    let path = format!(
        "/api/cases/{}/changestatus",
        created["id"].as_str().unwrap()
    );

    let unknown = sandbox
        .admin_call(Method::POST, &path, Some(json!({"status": "Archived"})))
        .await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body["errors"]["status"].is_array());

    let missing = sandbox
        .admin_call(Method::POST, &path, Some(json!({})))
        .await;
    assert_eq!(missing.status, 400);
}

#[tokio::test]
async fn malformed_json_is_400_naming_the_problem() {
    let sandbox = start(config(0)).await;

    let syntax = sandbox
        .client
        .post(sandbox.url("/api/cases"))
        .bearer_auth(sandbox.admin())
        .header("content-type", "application/json")
        .body("{\"subject\": \"x\",")
        .send()
        .await
        .unwrap();
    let syntax = common::read_reply(syntax).await;
    assert_eq!(syntax.status, 400);
    assert_eq!(syntax.header("content-type"), "application/problem+json");
    assert!(syntax.text.contains("not valid JSON"), "{}", syntax.text);

    let wrong_type = sandbox
        .admin_call(Method::POST, "/api/cases", Some(json!({"subject": ["x"]})))
        .await;
    assert_eq!(wrong_type.status, 400);
    assert!(
        wrong_type.body["errors"]["subject"].is_array(),
        "{}",
        wrong_type.text
    );

    let bad_date = sandbox
        .admin_call(
            Method::POST,
            "/api/cases",
            Some(json!({"subject": "x", "followUpDate": "soon"})),
        )
        .await;
    assert_eq!(bad_date.status, 400);
    assert!(bad_date.body["errors"]["followUpDate"].is_array());
}

#[tokio::test]
async fn timestamps_in_any_dotnet_shape_are_read() {
    let sandbox = start(config(0)).await;
    let inputs = [
        ("2026-03-01T09:15:02Z", "2026-03-01T09:15:02.0000000Z"),
        (
            "2026-03-01T09:15:02.1234567Z",
            "2026-03-01T09:15:02.1234567Z",
        ),
        ("2026-03-01T09:15:02.12", "2026-03-01T09:15:02.1200000Z"),
        (
            "2026-03-01T10:15:02.123+01:00",
            "2026-03-01T09:15:02.1230000Z",
        ),
    ];
    for (input, expected) in inputs {
        let case = sandbox
            .create(json!({"subject": "Dates", "followUpDate": input}))
            .await;
        assert_eq!(case["followUpDate"], expected, "input {input}");
    }
}

#[tokio::test]
async fn failed_write_leaves_case_unchanged() {
    let sandbox = start(config(0)).await;
    let created = sandbox.create(json!({"subject": "Stable"})).await;
    let id = created["id"].as_str().unwrap();

    let mut bad = created.clone();
    bad["subject"] = json!("Changed");
    bad["customerEmail"] = json!("broken");
    let reply = sandbox
        .admin_call(Method::PUT, "/api/cases", Some(bad))
        .await;
    assert_eq!(reply.status, 400);

    let after = sandbox
        .admin_call(Method::GET, &format!("/api/cases/{id}"), None)
        .await;
    assert_eq!(after.body, created);
}

#[tokio::test]
async fn unknown_api_path_is_404_problem() {
    let sandbox = start(config(0)).await;
    let reply = sandbox.admin_call(Method::GET, "/api/orders/1", None).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn seeded_cases_are_served() {
    let sandbox = start(config(40)).await;
    let reply = sandbox.search(json!({"take": 100})).await;
    let total = reply.body["totalHits"].as_u64().unwrap();
    assert!((30..40).contains(&total), "total {total}");

    let script = sandbox.search(json!({"searchText": "<script>"})).await;
    assert_eq!(script.body["totalHits"], 1);
    assert_eq!(
        script.body["result"][0]["subject"],
        "<script>alert(\"x\")</script> order missing"
    );
}
