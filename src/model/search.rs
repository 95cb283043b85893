//! The search request, its sort orders and the result wrapper.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::case::OmniumCase;
use super::decode::null_as_empty;
use super::time;

/// The largest `take` the API accepts.
pub const MAX_TAKE: u32 = 100;

/// The API rejects a search whose `take * page` exceeds this, so no page
/// beyond this many results can be reached.
pub const RESULT_WINDOW: u64 = 10_000;

/// The API's default page size.
pub const DEFAULT_TAKE: u32 = 20;

/// A search over cases. Every filter left `None` or empty is omitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumCaseSearchRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to_user_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Cases created after this instant.
    #[serde(with = "time::optional", skip_serializing_if = "Option::is_none")]
    pub date_from: Option<DateTime<Utc>>,
    /// Cases created before this instant.
    #[serde(with = "time::optional", skip_serializing_if = "Option::is_none")]
    pub date_to: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
    /// Zero-based page number.
    pub page: u32,
    pub take: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub include_deleted: bool,
}

impl OmniumCaseSearchRequest {
    /// Tells whether the API would reject this page for lying past the
    /// result window or for a `take` above the maximum.
    pub fn exceeds_limits(&self) -> bool {
        self.take > MAX_TAKE || u64::from(self.take) * u64::from(self.page) > RESULT_WINDOW
    }
}

/// One page of search results.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OmniumCaseSearchResult {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub result: Vec<OmniumCase>,
    #[serde(default)]
    pub total_hits: i64,
    #[serde(default)]
    pub facets: Option<Value>,
    #[serde(default)]
    pub scroll_id: Option<String>,
}

/// The sortable case fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    Created,
    Changed,
    Status,
    Priority,
    Subject,
    CustomerName,
    AssignedToName,
    FollowUpDate,
}

impl SortField {
    pub const ALL: [SortField; 8] = [
        Self::Created,
        Self::Changed,
        Self::Status,
        Self::Priority,
        Self::Subject,
        Self::CustomerName,
        Self::AssignedToName,
        Self::FollowUpDate,
    ];

    /// The field's name as it starts the sort order's wire name.
    pub fn wire_prefix(self) -> &'static str {
        match self {
            Self::Created => "Created",
            Self::Changed => "Changed",
            Self::Status => "Status",
            Self::Priority => "Priority",
            Self::Subject => "Subject",
            Self::CustomerName => "CustomerName",
            Self::AssignedToName => "AssignedToName",
            Self::FollowUpDate => "FollowUpDate",
        }
    }
}

/// One of the 16 documented sort orders: a field and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortOrder {
    pub field: SortField,
    pub ascending: bool,
}

impl SortOrder {
    /// The API's default order.
    pub const DEFAULT: SortOrder = SortOrder {
        field: SortField::Created,
        ascending: false,
    };

    /// All 16 orders, each field ascending then descending.
    pub fn all() -> impl Iterator<Item = SortOrder> {
        SortField::ALL
            .into_iter()
            .flat_map(|field| [true, false].map(|ascending| SortOrder { field, ascending }))
    }

    /// The wire name, such as `ChangedDescending`.
    pub fn wire_name(self) -> String {
        let direction = if self.ascending {
            "Ascending"
        } else {
            "Descending"
        };
        format!("{}{direction}", self.field.wire_prefix())
    }

    /// Parses a wire name; returns `None` for anything but the 16 values.
    pub fn from_wire_name(name: &str) -> Option<SortOrder> {
        Self::all().find(|order| order.wire_name() == name)
    }

    /// The same field in the other direction.
    pub fn reversed(self) -> SortOrder {
        SortOrder {
            ascending: !self.ascending,
            ..self
        }
    }
}

impl Serialize for SortOrder {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.wire_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode;
    use serde_json::json;

    #[test]
    fn sort_orders_are_the_sixteen_documented() {
        let names: Vec<String> = SortOrder::all().map(SortOrder::wire_name).collect();

        assert_eq!(names.len(), 16);
        assert!(names.contains(&"CreatedAscending".to_owned()));
        assert!(names.contains(&"FollowUpDateDescending".to_owned()));
        assert!(names.contains(&"AssignedToNameAscending".to_owned()));
    }

    #[test]
    fn sort_order_wire_names_round_trip() {
        for order in SortOrder::all() {
            assert_eq!(SortOrder::from_wire_name(&order.wire_name()), Some(order));
        }

        assert_eq!(SortOrder::from_wire_name("createdAscending"), None);
    }

    #[test]
    fn search_request_omits_empty_filters() {
        let request = OmniumCaseSearchRequest {
            search_text: Some("parcel".into()),
            sort_order: Some(SortOrder::DEFAULT),
            take: 20,
            ..Default::default()
        };

        let written = serde_json::to_value(&request).unwrap();

        assert_eq!(
            written,
            json!({"searchText": "parcel", "sortOrder": "CreatedDescending", "page": 0, "take": 20})
        );
    }

    #[test]
    fn search_request_limits() {
        let mut request = OmniumCaseSearchRequest {
            take: 100,
            page: 100,
            ..Default::default()
        };

        assert!(!request.exceeds_limits());

        request.page = 101;

        assert!(request.exceeds_limits());

        request.page = 0;
        request.take = 101;

        assert!(request.exceeds_limits());
    }

    #[test]
    fn search_result_reads_wrapper() {
        let result: OmniumCaseSearchResult = decode(
            r#"{"Result": [{"Id": "a"}], "TotalHits": 12345678901, "Facets": [], "ScrollId": null}"#,
        )
        .unwrap();

        assert_eq!(result.result.len(), 1);
        assert_eq!(result.total_hits, 12_345_678_901);
    }

    #[test]
    fn search_result_tolerates_missing_optionals() {
        let result: OmniumCaseSearchResult = decode(r#"{"result": null, "totalHits": 0}"#).unwrap();

        assert!(result.result.is_empty());
        assert!(result.facets.is_none());
    }
}
