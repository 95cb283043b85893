//! Contract tests of `POST /api/cases/search`: every filter, all sixteen
//! sort orders and the paging limits, checked against the full case list
//! fetched from the same server.

mod common;

use std::cmp::Ordering;
use std::collections::BTreeSet;

use common::{TestSandbox, config, ids, start};
use serde_json::{Value, json};

/// Seeded cases plus a few with known values; deleted seeded cases are
/// included.
async fn sandbox_with_cases() -> TestSandbox {
    let sandbox = start(config(300)).await;
    sandbox
        .create(json!({
            "subject": "Marker alpha case",
            "tags": ["test-alpha", "test-beta"],
            "customerId": "CUST-TEST-1",
            "relatedOrders": ["ORD-TEST-1", "ORD-TEST-2"]
        }))
        .await;
    sandbox
        .create(json!({
            "subject": "Marker beta case",
            "tags": ["test-alpha"],
            "relatedCustomers": ["CUST-TEST-1"],
            "relatedOrders": ["ORD-TEST-2"]
        }))
        .await;
    sandbox
}

fn text(case: &Value, field: &str) -> Option<String> {
    case[field].as_str().map(str::to_owned)
}

fn list(case: &Value, field: &str) -> Vec<String> {
    case[field]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks that a search returns exactly the cases of `all` that `expected`
/// accepts, and that there is at least one.
async fn assert_filter(
    sandbox: &TestSandbox,
    all: &[Value],
    request: Value,
    expected: impl Fn(&Value) -> bool,
) {
    let wanted: BTreeSet<String> = ids(&all
        .iter()
        .filter(|case| expected(case))
        .cloned()
        .collect::<Vec<_>>())
    .into_iter()
    .collect();
    let found: BTreeSet<String> = ids(&sandbox.search_all(request.clone()).await)
        .into_iter()
        .collect();

    assert!(
        !wanted.is_empty(),
        "filter {request} matches nothing in the data"
    );
    assert_eq!(found, wanted, "filter {request}");

    let reply = sandbox.search(request.clone()).await;
    assert_eq!(
        reply.body["totalHits"],
        json!(wanted.len()),
        "filter {request}"
    );
}

fn contains_ignoring_case(case: &Value, field: &str, needle: &str) -> bool {
    text(case, field).is_some_and(|value| value.to_lowercase().contains(&needle.to_lowercase()))
}

fn matches_free_text(case: &Value, needle: &str) -> bool {
    ["caseNumber", "subject", "description", "customerName"]
        .iter()
        .any(|field| contains_ignoring_case(case, field, needle))
}

#[tokio::test]
async fn free_text_searches_each_field() {
    let sandbox = sandbox_with_cases().await;
    let all = sandbox.search_all(json!({})).await;

    let needles = [
        ("caseNumber", "10042"),
        ("subject", "WARRANTY claim"),
        ("description", "travelling from friday"),
        ("customerName", "ØYVIND"),
    ];
    for (field, needle) in needles {
        assert!(
            all.iter()
                .any(|case| contains_ignoring_case(case, field, needle)),
            "no case has '{needle}' in {field}"
        );
        assert_filter(&sandbox, &all, json!({"searchText": needle}), |case| {
            matches_free_text(case, needle)
        })
        .await;
    }
}

#[tokio::test]
async fn exact_filters_match_their_field() {
    let sandbox = sandbox_with_cases().await;
    let all = sandbox.search_all(json!({})).await;

    assert_filter(&sandbox, &all, json!({"status": "In Progress"}), |case| {
        case["status"] == "In Progress"
    })
    .await;
    assert_filter(&sandbox, &all, json!({"priority": "Critical"}), |case| {
        case["priority"] == "Critical"
    })
    .await;
    assert_filter(
        &sandbox,
        &all,
        json!({"assignedToUserId": "agent-ada"}),
        |case| case["assignedToUserId"] == "agent-ada",
    )
    .await;
    assert_filter(
        &sandbox,
        &all,
        json!({"status": "New", "assignedToUserId": "agent-grace"}),
        |case| case["status"] == "New" && case["assignedToUserId"] == "agent-grace",
    )
    .await;
}

#[tokio::test]
async fn tags_filter_requires_every_tag() {
    let sandbox = sandbox_with_cases().await;
    let all = sandbox.search_all(json!({})).await;

    assert_filter(&sandbox, &all, json!({"tags": ["test-alpha"]}), |case| {
        list(case, "tags").contains(&"test-alpha".to_owned())
    })
    .await;
    assert_filter(
        &sandbox,
        &all,
        json!({"tags": ["test-alpha", "test-beta"]}),
        |case| {
            let tags = list(case, "tags");
            tags.contains(&"test-alpha".to_owned()) && tags.contains(&"test-beta".to_owned())
        },
    )
    .await;
    assert_filter(&sandbox, &all, json!({"tags": ["vip", "refund"]}), |case| {
        let tags = list(case, "tags");
        tags.contains(&"vip".to_owned()) && tags.contains(&"refund".to_owned())
    })
    .await;

    let alpha_and_beta = sandbox
        .search(json!({"tags": ["test-alpha", "test-beta"]}))
        .await;
    assert_eq!(alpha_and_beta.body["totalHits"], 1);
}

#[tokio::test]
async fn customer_filter_matches_customer_and_related_customers() {
    let sandbox = sandbox_with_cases().await;
    let all = sandbox.search_all(json!({})).await;

    assert_filter(
        &sandbox,
        &all,
        json!({"customerId": "CUST-TEST-1"}),
        |case| {
            case["customerId"] == "CUST-TEST-1"
                || list(case, "relatedCustomers").contains(&"CUST-TEST-1".to_owned())
        },
    )
    .await;

    let seeded_customer = all
        .iter()
        .find_map(|case| text(case, "customerId").filter(|id| id.starts_with("CUST-0")))
        .unwrap();
    assert_filter(
        &sandbox,
        &all,
        json!({"customerId": seeded_customer}),
        |case| {
            case["customerId"] == json!(seeded_customer)
                || list(case, "relatedCustomers").contains(&seeded_customer)
        },
    )
    .await;
}

#[tokio::test]
async fn order_filter_matches_related_orders() {
    let sandbox = sandbox_with_cases().await;
    let all = sandbox.search_all(json!({})).await;

    assert_filter(&sandbox, &all, json!({"orderId": "ORD-TEST-2"}), |case| {
        list(case, "relatedOrders").contains(&"ORD-TEST-2".to_owned())
    })
    .await;
    assert_eq!(
        sandbox.search(json!({"orderId": "ORD-TEST-1"})).await.body["totalHits"],
        1
    );
}

#[tokio::test]
async fn date_range_filters_created() {
    let sandbox = sandbox_with_cases().await;
    let all = sandbox.search_all(json!({})).await;

    let mut created: Vec<String> = all
        .iter()
        .map(|case| text(case, "created").unwrap())
        .collect();
    created.sort();
    let from = created[created.len() / 4].clone();
    let to = created[created.len() / 2].clone();

    assert_filter(
        &sandbox,
        &all,
        json!({"dateFrom": from, "dateTo": to}),
        |case| {
            let created = text(case, "created").unwrap();
            created >= from && created <= to
        },
    )
    .await;
    assert_filter(&sandbox, &all, json!({"dateFrom": to}), |case| {
        text(case, "created").unwrap() >= to
    })
    .await;

    let offset_form = sandbox
        .search(json!({"dateTo": "2000-01-01T01:00:00+01:00"}))
        .await;
    assert_eq!(offset_form.status, 200);
    assert_eq!(offset_form.body["totalHits"], 0);
}

#[tokio::test]
async fn include_deleted_adds_deleted_cases() {
    let sandbox = sandbox_with_cases().await;
    let live = sandbox.search_all(json!({})).await;
    let everything = sandbox.search_all(json!({"includeDeleted": true})).await;

    assert!(everything.len() > live.len());
    let live_ids: BTreeSet<String> = ids(&live).into_iter().collect();
    let deleted: Vec<String> = ids(&everything)
        .into_iter()
        .filter(|id| !live_ids.contains(id))
        .collect();
    for id in deleted {
        let reply = sandbox
            .admin_call(reqwest::Method::GET, &format!("/api/cases/{id}"), None)
            .await;
        assert_eq!(reply.status, 404, "deleted case {id}");
    }
}

/// Rank of a status or priority in the default settings; unknown is `None`.
fn rank(case: &Value, field: &str) -> Option<i64> {
    let value = text(case, field)?;
    let names: &[&str] = if field == "status" {
        &["New", "In Progress", "Resolved", "Closed"]
    } else {
        &["Low", "Medium", "High", "Critical"]
    };
    names
        .iter()
        .position(|name| *name == value)
        .map(|position| position as i64)
}

/// Compares by `key` with missing keys last in either direction, then by
/// created and case number in the sort direction.
fn expected_order(field: &str, ascending: bool, left: &Value, right: &Value) -> Ordering {
    let direct = |ordering: Ordering| {
        if ascending {
            ordering
        } else {
            ordering.reverse()
        }
    };

    let by_key = match field {
        "Created" => Ordering::Equal,
        "Changed" => text(left, "changed").cmp(&text(right, "changed")),
        _ => {
            let key = |case: &Value| -> Option<String> {
                match field {
                    "Status" => rank(case, "status").map(|rank| format!("{rank:04}")),
                    "Priority" => rank(case, "priority").map(|rank| format!("{rank:04}")),
                    "Subject" => text(case, "subject").map(|value| value.to_ascii_lowercase()),
                    "CustomerName" => {
                        text(case, "customerName").map(|value| value.to_ascii_lowercase())
                    }
                    "AssignedToName" => {
                        text(case, "assignedToName").map(|value| value.to_ascii_lowercase())
                    }
                    "FollowUpDate" => text(case, "followUpDate"),
                    other => panic!("unknown sort field {other}"),
                }
            };
            match (key(left), key(right)) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => return Ordering::Greater,
                (Some(_), None) => return Ordering::Less,
                (Some(left_key), Some(right_key)) => left_key.cmp(&right_key),
            }
        }
    };

    let number = |case: &Value| text(case, "caseNumber").unwrap().parse::<i64>().unwrap();
    direct(
        by_key
            .then_with(|| text(left, "created").cmp(&text(right, "created")))
            .then_with(|| number(left).cmp(&number(right))),
    )
}

#[tokio::test]
async fn all_sixteen_sort_orders_hold() {
    let sandbox = sandbox_with_cases().await;
    let fields = [
        "Created",
        "Changed",
        "Status",
        "Priority",
        "Subject",
        "CustomerName",
        "AssignedToName",
        "FollowUpDate",
    ];

    for field in fields {
        for ascending in [true, false] {
            let direction = if ascending { "Ascending" } else { "Descending" };
            let sort_order = format!("{field}{direction}");
            let served = sandbox.search_all(json!({"sortOrder": sort_order})).await;

            let mut expected = served.clone();
            expected.sort_by(|left, right| expected_order(field, ascending, left, right));

            assert_eq!(ids(&served), ids(&expected), "sort order {sort_order}");
        }
    }
}

#[tokio::test]
async fn nullable_sorts_put_missing_values_last() {
    let sandbox = sandbox_with_cases().await;
    for sort_order in [
        "FollowUpDateAscending",
        "FollowUpDateDescending",
        "AssignedToNameAscending",
        "AssignedToNameDescending",
    ] {
        let field = if sort_order.starts_with("FollowUp") {
            "followUpDate"
        } else {
            "assignedToName"
        };
        let served = sandbox.search_all(json!({"sortOrder": sort_order})).await;
        let first_null = served
            .iter()
            .position(|case| case[field].is_null())
            .unwrap();
        assert!(first_null > 0, "{sort_order}");
        assert!(
            served[first_null..]
                .iter()
                .all(|case| case[field].is_null()),
            "{sort_order}: a value follows a null"
        );
    }
}

#[tokio::test]
async fn default_sort_is_created_descending() {
    let sandbox = sandbox_with_cases().await;
    let default = ids(&sandbox.search_all(json!({})).await);
    let explicit = ids(&sandbox
        .search_all(json!({"sortOrder": "CreatedDescending"}))
        .await);
    assert_eq!(default, explicit);
}

#[tokio::test]
async fn unknown_sort_order_is_400() {
    let sandbox = start(config(0)).await;
    let reply = sandbox.search(json!({"sortOrder": "Newest"})).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body["errors"]["sortOrder"].is_array());
}

#[tokio::test]
async fn paging_defaults_and_limits() {
    let sandbox = sandbox_with_cases().await;

    let default = sandbox.search(json!({})).await;
    assert_eq!(default.status, 200);
    assert_eq!(default.body["result"].as_array().unwrap().len(), 20);
    let total = default.body["totalHits"].as_u64().unwrap();
    assert!(total > 20);
    assert_eq!(default.body["facets"], json!([]));
    assert_eq!(default.body["scrollId"], Value::Null);

    let past_end = sandbox.search(json!({"page": 400, "take": 20})).await;
    assert_eq!(past_end.status, 200);
    assert_eq!(past_end.body["result"], json!([]));
    assert_eq!(past_end.body["totalHits"], total);

    let second = sandbox.search(json!({"page": 1, "take": 20})).await;
    let first_two_pages = sandbox.search(json!({"page": 0, "take": 40})).await;
    assert_eq!(
        second.body["result"].as_array().unwrap()[..],
        first_two_pages.body["result"].as_array().unwrap()[20..]
    );

    let too_many = sandbox.search(json!({"take": 101})).await;
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.header("content-type"), "application/problem+json");
    let message = too_many.body["errors"]["take"][0].as_str().unwrap();
    assert!(message.contains("100"), "{message}");

    let too_deep = sandbox.search(json!({"take": 100, "page": 101})).await;
    assert_eq!(too_deep.status, 400);
    let message = too_deep.body["errors"]["page"][0].as_str().unwrap();
    assert!(message.contains("10000"), "{message}");

    let window_edge = sandbox.search(json!({"take": 100, "page": 100})).await;
    assert_eq!(window_edge.status, 200);

    let negative_page = sandbox.search(json!({"page": -1})).await;
    assert_eq!(negative_page.status, 400);
    assert!(negative_page.body["errors"]["page"].is_array());

    let negative_take = sandbox.search(json!({"take": -5})).await;
    assert_eq!(negative_take.status, 400);
    assert!(negative_take.body["errors"]["take"].is_array());
}
