//! The case model, its nested types and the patch model.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::decode::{null_as_empty, null_as_zero};
use super::time;

/// A case id checked to be non-blank, so API paths are never `/api/cases/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseId(String);

impl CaseId {
    /// Wraps a trimmed, non-blank id; returns `None` for a blank one.
    pub fn new(id: impl AsRef<str>) -> Option<Self> {
        let id = id.as_ref().trim();

        if id.is_empty() {
            return None;
        }

        Some(Self(id.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A customer-support case as GET and search return it.
///
/// Status, priority and source are tenant settings, so they stay strings.
/// Fields the API sends beyond the documented ones are kept in `extra` and
/// written back, so a full update (PUT) never drops what this model lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumCase {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to_user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_orders: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_customers: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_projects: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_carts: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_sku_ids: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_product_ids: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub participants: Vec<OmniumCaseParticipant>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub case_notes: Vec<OmniumComment>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub internal_notes: Vec<OmniumComment>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub properties: Vec<OmniumPropertyItem>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub case_status_log: Vec<OmniumCaseStatusLogItem>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub follow_up_date: Option<DateTime<Utc>>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolved_date: Option<DateTime<Utc>>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_date: Option<DateTime<Utc>>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_comment_date: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_commenter_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_zero")]
    pub comment_count: i64,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<DateTime<Utc>>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub changed: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_group_id: Option<String>,
    /// Undocumented fields, kept so a full update sends them back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A person taking part in a case besides the customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumCaseParticipant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A note on a case, public (`caseNotes`) or internal (`internalNotes`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumComment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// `Public` or `Internal` as Omnium writes it.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub comment_type: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub attachments: Vec<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Stream a note belongs to. The list a note sits in decides it, not the
/// note's own `type`, because that list is what the customer can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    Public,
    Internal,
}

impl CommentKind {
    /// The `type` value Omnium writes for this kind of note.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::Public => "Public",
            Self::Internal => "Internal",
        }
    }
}

/// A custom property. All four parts are strings; `valueType` is a hint such
/// as `String`, `Number`, `DateTime` or `Boolean`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumPropertyItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_type: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of a case's status history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumCaseStatusLogItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub timestamp: Option<DateTime<Utc>>,
    /// Milliseconds since the previous status change; `None` for the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_since_previous_ms: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A partial update. The API applies only non-null fields, so every field
/// left `None` is omitted from the body and stays as it is on the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumCasePatch {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_orders: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_customers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_projects: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_carts: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_sku_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_product_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<OmniumCaseParticipant>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<OmniumPropertyItem>>,
    #[serde(with = "time::optional", skip_serializing_if = "Option::is_none")]
    pub follow_up_date: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_group_id: Option<String>,
}

impl OmniumCasePatch {
    /// Starts an empty patch for one case.
    pub fn for_case(id: &CaseId) -> Self {
        Self {
            id: id.as_str().to_owned(),
            ..Self::default()
        }
    }

    /// Tells whether the patch changes nothing besides naming the case.
    pub fn is_empty(&self) -> bool {
        *self == Self::for_case(&CaseId(self.id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode;
    use chrono::Timelike;
    use serde_json::json;

    const CAMEL: &str = r#"{
        "id": "c-1", "caseNumber": "10001", "subject": "Parcel lost",
        "status": "In Progress", "priority": "Urgent-ish", "source": "Chat",
        "tags": ["shipping"], "relatedOrders": null,
        "caseNotes": [{"id": "n1", "detail": "Hello", "type": "Public",
                       "created": "2026-03-01T09:15:02.1234567Z", "tags": null}],
        "internalNotes": null,
        "caseStatusLog": [
            {"status": "New", "timestamp": "2026-03-01T09:00:00", "durationSincePreviousMs": null},
            {"status": "In Progress", "timestamp": "2026-03-01T10:00:00+01:00", "durationSincePreviousMs": 0}
        ],
        "commentCount": null,
        "created": "2026-03-01T09:00:00.1Z",
        "changed": "2026-03-02T09:00:00",
        "storeId": "oslo", "isDeleted": false
    }"#;

    const PASCAL: &str = r#"{
        "Id": "c-1", "CaseNumber": "10001", "Subject": "Parcel lost",
        "Status": "In Progress", "Priority": "Urgent-ish", "Source": "Chat",
        "Tags": ["shipping"],
        "CaseNotes": [{"Id": "n1", "Detail": "Hello", "Type": "Public",
                       "Created": "2026-03-01T09:15:02.1234567Z"}],
        "CaseStatusLog": [
            {"Status": "New", "Timestamp": "2026-03-01T09:00:00", "DurationSincePreviousMs": null},
            {"Status": "In Progress", "Timestamp": "2026-03-01T10:00:00+01:00", "DurationSincePreviousMs": 0}
        ],
        "Created": "2026-03-01T09:00:00.1Z",
        "Changed": "2026-03-02T09:00:00",
        "StoreId": "oslo", "IsDeleted": false
    }"#;

    #[test]
    fn case_reads_camel_case() {
        let case: OmniumCase = decode(CAMEL).unwrap();

        assert_eq!(case.case_number.as_deref(), Some("10001"));
        assert_eq!(case.status.as_deref(), Some("In Progress"));
        assert_eq!(case.priority.as_deref(), Some("Urgent-ish"));
        assert_eq!(case.source.as_deref(), Some("Chat"));
        assert!(case.related_orders.is_empty());
        assert!(case.internal_notes.is_empty());
        assert_eq!(case.comment_count, 0);
        assert_eq!(
            case.case_notes[0].created.unwrap().nanosecond(),
            123_456_700
        );
        assert!(case.case_notes[0].tags.is_empty());
    }

    #[test]
    fn case_reads_pascal_case_like_camel_case() {
        let camel: OmniumCase = decode(CAMEL).unwrap();
        let pascal: OmniumCase = decode(PASCAL).unwrap();

        assert_eq!(camel, pascal);
    }

    #[test]
    fn case_missing_fields_are_empty() {
        let case: OmniumCase = decode(r#"{"id": "c-2"}"#).unwrap();

        assert!(case.subject.is_none());
        assert!(case.tags.is_empty());
        assert!(case.case_status_log.is_empty());
        assert!(case.created.is_none());
    }

    #[test]
    fn case_offsetless_times_are_utc() {
        let case: OmniumCase = decode(CAMEL).unwrap();

        let first = case.case_status_log[0].timestamp.unwrap();
        let second = case.case_status_log[1].timestamp.unwrap();

        assert_eq!(first.hour(), 9);
        assert_eq!(second.hour(), 9);
        assert_eq!(case.changed.unwrap().hour(), 9);
    }

    #[test]
    fn case_keeps_unknown_fields_for_writing() {
        let case: OmniumCase = decode(CAMEL).unwrap();

        let written = serde_json::to_value(&case).unwrap();

        assert_eq!(written["storeId"], json!("oslo"));
        assert_eq!(written["isDeleted"], json!(false));
        assert_eq!(written["caseNumber"], json!("10001"));
    }

    #[test]
    fn case_writes_camel_case() {
        let case = OmniumCase {
            subject: Some("Hi".into()),
            assigned_to_user_id: Some("u1".into()),
            ..OmniumCase::default()
        };

        let written = serde_json::to_value(&case).unwrap();

        assert_eq!(written["subject"], json!("Hi"));
        assert_eq!(written["assignedToUserId"], json!("u1"));
        assert!(written.get("Subject").is_none());
        assert!(written.get("id").is_none());
    }

    #[test]
    fn patch_omits_unset_fields() {
        let mut patch = OmniumCasePatch::for_case(&CaseId::new("c-1").unwrap());
        patch.priority = Some("High".into());

        let written = serde_json::to_value(&patch).unwrap();

        assert_eq!(written, json!({"id": "c-1", "priority": "High"}));
    }

    #[test]
    fn patch_empty_lists_are_sent() {
        let mut patch = OmniumCasePatch::for_case(&CaseId::new("c-1").unwrap());
        patch.tags = Some(vec![]);

        let written = serde_json::to_value(&patch).unwrap();

        assert_eq!(written, json!({"id": "c-1", "tags": []}));
    }

    #[test]
    fn patch_is_empty_only_without_changes() {
        let id = CaseId::new("c-1").unwrap();
        let mut patch = OmniumCasePatch::for_case(&id);

        assert!(patch.is_empty());

        patch.subject = Some("New".into());

        assert!(!patch.is_empty());
    }

    #[test]
    fn case_id_rejects_blank() {
        assert!(CaseId::new("  ").is_none());
        assert_eq!(CaseId::new(" a ").unwrap().as_str(), "a");
    }
}
