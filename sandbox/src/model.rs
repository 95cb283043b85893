//! Serde types of the Omnium Cases API.
//!
//! Responses are written in camelCase, as Omnium's JSON examples and Swagger
//! schemas show. Request bodies pass through [`crate::json_body`] first, which
//! maps field names case-insensitively onto these camelCase names, so both
//! `caseNumber` and `CaseNumber` are read.

use serde::{Deserialize, Deserializer, Serialize};

use crate::timestamp::Timestamp;

/// A case as Omnium stores and returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OmniumCase {
    pub id: String,
    pub case_number: Option<String>,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub source: Option<String>,
    pub assigned_to_user_id: Option<String>,
    pub assigned_to_name: Option<String>,
    pub customer_id: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub related_orders: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub related_customers: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub related_projects: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub related_carts: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub related_sku_ids: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub related_product_ids: Vec<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub participants: Vec<Participant>,
    /// Public notes, visible to the customer.
    #[serde(deserialize_with = "null_as_empty")]
    pub case_notes: Vec<Comment>,
    /// Internal notes, for staff only.
    #[serde(deserialize_with = "null_as_empty")]
    pub internal_notes: Vec<Comment>,
    #[serde(deserialize_with = "null_as_empty")]
    pub properties: Vec<PropertyItem>,
    #[serde(deserialize_with = "null_as_empty")]
    pub case_status_log: Vec<StatusLogItem>,
    pub follow_up_date: Option<Timestamp>,
    pub resolved_date: Option<Timestamp>,
    pub closed_date: Option<Timestamp>,
    pub last_comment_date: Option<Timestamp>,
    pub last_commenter_name: Option<String>,
    pub comment_count: i32,
    pub created: Option<Timestamp>,
    pub changed: Option<Timestamp>,
    pub market_id: Option<String>,
    pub market_group_id: Option<String>,
}

/// A person involved in a case (`OmniumCaseParticipant`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Participant {
    pub name: Option<String>,
    pub email: Option<String>,
    pub customer_id: Option<String>,
    pub role: Option<String>,
}

/// A note on a case (`OmniumComment`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Comment {
    pub id: Option<String>,
    pub created: Option<Timestamp>,
    /// Display name of the author.
    pub creator: Option<String>,
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
    /// `Public` or `Internal`.
    #[serde(rename = "type")]
    pub comment_type: Option<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    /// Attachments are passed through unchanged, because their shape is not
    /// part of the Cases reference.
    #[serde(deserialize_with = "null_as_empty")]
    pub attachments: Vec<serde_json::Value>,
}

/// A custom property (`OmniumPropertyItem`); every member is a string and
/// `valueType` is a hint such as `String`, `Number`, `DateTime` or `Boolean`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PropertyItem {
    pub key: Option<String>,
    pub key_group: Option<String>,
    pub value: Option<String>,
    pub value_type: Option<String>,
}

/// One entry of a case's status history (`OmniumCaseStatusLogItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusLogItem {
    pub status: String,
    pub timestamp: Timestamp,
    /// Milliseconds since the previous entry; `None` for the first entry.
    pub duration_since_previous_ms: Option<i64>,
}

/// The body of `PATCH /api/cases` (`OmniumCasePatch`): every field except
/// `id` is applied only when present and not null.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CasePatch {
    pub id: Option<String>,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub source: Option<String>,
    pub assigned_to_user_id: Option<String>,
    pub assigned_to_name: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_id: Option<String>,
    pub tags: Option<Vec<String>>,
    pub related_orders: Option<Vec<String>>,
    pub related_customers: Option<Vec<String>>,
    pub related_projects: Option<Vec<String>>,
    pub related_carts: Option<Vec<String>>,
    pub related_sku_ids: Option<Vec<String>>,
    pub related_product_ids: Option<Vec<String>>,
    pub participants: Option<Vec<Participant>>,
    pub properties: Option<Vec<PropertyItem>>,
    pub follow_up_date: Option<Timestamp>,
    pub market_id: Option<String>,
    pub market_group_id: Option<String>,
}

/// The body of `POST /api/cases/{id}/assignto`.
///
/// Assumption: Omnium's public pages do not show this body; its fields are
/// named like the case fields they set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssignRequest {
    pub assigned_to_user_id: Option<String>,
    pub assigned_to_name: Option<String>,
}

/// The body of `POST /api/cases/{id}/changestatus`.
///
/// Assumption: Omnium's public pages do not show this body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChangeStatusRequest {
    pub status: Option<String>,
}

/// The body of `POST /api/cases/search` (`OmniumCaseSearchRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchRequest {
    pub search_text: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub assigned_to_user_id: Option<String>,
    pub tags: Option<Vec<String>>,
    pub customer_id: Option<String>,
    pub order_id: Option<String>,
    pub date_from: Option<Timestamp>,
    pub date_to: Option<Timestamp>,
    pub sort_order: Option<String>,
    pub page: Option<i64>,
    pub take: Option<i64>,
    pub include_deleted: Option<bool>,
}

/// The body Omnium wraps search results in.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResponse {
    pub result: Vec<OmniumCase>,
    pub total_hits: i64,
    pub facets: Vec<serde_json::Value>,
    pub scroll_id: Option<String>,
}

/// Every camelCase field name that a request body may carry. Request keys are
/// matched against this list case-insensitively and rewritten to the entry
/// found, as ASP.NET's case-insensitive JSON reading does.
pub const REQUEST_FIELD_NAMES: &[&str] = &[
    // OmniumCase and OmniumCasePatch.
    "id",
    "caseNumber",
    "subject",
    "description",
    "status",
    "priority",
    "source",
    "assignedToUserId",
    "assignedToName",
    "customerId",
    "customerName",
    "customerEmail",
    "tags",
    "relatedOrders",
    "relatedCustomers",
    "relatedProjects",
    "relatedCarts",
    "relatedSkuIds",
    "relatedProductIds",
    "participants",
    "caseNotes",
    "internalNotes",
    "properties",
    "caseStatusLog",
    "followUpDate",
    "resolvedDate",
    "closedDate",
    "lastCommentDate",
    "lastCommenterName",
    "commentCount",
    "created",
    "changed",
    "marketId",
    "marketGroupId",
    // OmniumCaseParticipant.
    "name",
    "email",
    "role",
    // OmniumComment.
    "creator",
    "userId",
    "title",
    "detail",
    "type",
    "attachments",
    // OmniumPropertyItem.
    "key",
    "keyGroup",
    "value",
    "valueType",
    // OmniumCaseStatusLogItem.
    "timestamp",
    "durationSincePreviousMs",
    // OmniumCaseSearchRequest.
    "searchText",
    "orderId",
    "dateFrom",
    "dateTo",
    "sortOrder",
    "page",
    "take",
    "includeDeleted",
];

/// Reads a list that may arrive as `null`, which means empty.
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let list = Option::<Vec<T>>::deserialize(deserializer)?;
    Ok(list.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_case() -> OmniumCase {
        let time = Timestamp::parse("2026-03-01T09:15:02.1234567Z").unwrap();
        let text = || Some("x".to_owned());
        let list = || vec!["x".to_owned()];
        let comment = Comment {
            id: text(),
            created: Some(time),
            creator: text(),
            user_id: text(),
            customer_id: text(),
            title: text(),
            detail: text(),
            comment_type: text(),
            tags: list(),
            attachments: vec![serde_json::json!({})],
        };

        OmniumCase {
            id: "x".to_owned(),
            case_number: text(),
            subject: text(),
            description: text(),
            status: text(),
            priority: text(),
            source: text(),
            assigned_to_user_id: text(),
            assigned_to_name: text(),
            customer_id: text(),
            customer_name: text(),
            customer_email: text(),
            tags: list(),
            related_orders: list(),
            related_customers: list(),
            related_projects: list(),
            related_carts: list(),
            related_sku_ids: list(),
            related_product_ids: list(),
            participants: vec![Participant {
                name: text(),
                email: text(),
                customer_id: text(),
                role: text(),
            }],
            case_notes: vec![comment.clone()],
            internal_notes: vec![comment],
            properties: vec![PropertyItem {
                key: text(),
                key_group: text(),
                value: text(),
                value_type: text(),
            }],
            case_status_log: vec![StatusLogItem {
                status: "x".to_owned(),
                timestamp: time,
                duration_since_previous_ms: Some(1),
            }],
            follow_up_date: Some(time),
            resolved_date: Some(time),
            closed_date: Some(time),
            last_comment_date: Some(time),
            last_commenter_name: text(),
            comment_count: 2,
            created: Some(time),
            changed: Some(time),
            market_id: text(),
            market_group_id: text(),
        }
    }

    fn collect_keys(value: &serde_json::Value, keys: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    keys.push(key.clone());
                    collect_keys(child, keys);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    collect_keys(item, keys);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn field_name_list_covers_every_case_field() {
        let value = serde_json::to_value(full_case()).unwrap();
        let mut keys = Vec::new();
        collect_keys(&value, &mut keys);

        for key in keys {
            assert!(
                REQUEST_FIELD_NAMES.contains(&key.as_str()),
                "field '{key}' is missing from REQUEST_FIELD_NAMES"
            );
        }
    }

    #[test]
    fn case_round_trips_through_json() {
        let case = full_case();
        let text = serde_json::to_string(&case).unwrap();
        let back: OmniumCase = serde_json::from_str(&text).unwrap();
        assert_eq!(back, case);
    }

    #[test]
    fn null_lists_read_as_empty() {
        let case: OmniumCase =
            serde_json::from_str(r#"{"id": "a", "tags": null, "caseNotes": null}"#).unwrap();
        assert!(case.tags.is_empty());
        assert!(case.case_notes.is_empty());
    }

    #[test]
    fn output_uses_camel_case() {
        let text = serde_json::to_string(&full_case()).unwrap();
        assert!(text.contains("\"caseNumber\""));
        assert!(text.contains("\"durationSincePreviousMs\""));
        assert!(text.contains("\"type\""));
        assert!(!text.contains("\"CaseNumber\""));
    }
}
