//! Checking a search request and turning its sort order into SQL.

use crate::model::SearchRequest;
use crate::problem::{FieldErrors, Problem};
use crate::timestamp::Timestamp;

/// Results per page when the request leaves `take` out or sends 0.
///
/// .NET reads a missing `Take` as 0, so Omnium can only apply its default of
/// 20 when `take` is 0; the sandbox does the same.
pub const DEFAULT_TAKE: i64 = 20;
/// Largest `take` Omnium accepts.
pub const MAX_TAKE: i64 = 100;
/// Largest `take * page` Omnium accepts; deeper pages are rejected.
pub const MAX_WINDOW: i64 = 10_000;

/// A sortable field of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// One of Omnium's sixteen sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortOrder {
    pub field: SortField,
    pub ascending: bool,
}

impl SortOrder {
    /// All sort orders, each field ascending then descending.
    pub const ALL: [SortOrder; 16] = {
        use SortField::*;
        let fields = [
            Created,
            Changed,
            Status,
            Priority,
            Subject,
            CustomerName,
            AssignedToName,
            FollowUpDate,
        ];
        let mut all = [SortOrder {
            field: Created,
            ascending: true,
        }; 16];
        let mut index = 0;
        while index < 16 {
            all[index] = SortOrder {
                field: fields[index / 2],
                ascending: index % 2 == 0,
            };
            index += 1;
        }
        all
    };

    /// Default sort order of Omnium's search: newest first.
    pub const DEFAULT: SortOrder = SortOrder {
        field: SortField::Created,
        ascending: false,
    };

    /// Returns the API name, such as `SubjectAscending`.
    pub fn name(self) -> String {
        let field = match self.field {
            SortField::Created => "Created",
            SortField::Changed => "Changed",
            SortField::Status => "Status",
            SortField::Priority => "Priority",
            SortField::Subject => "Subject",
            SortField::CustomerName => "CustomerName",
            SortField::AssignedToName => "AssignedToName",
            SortField::FollowUpDate => "FollowUpDate",
        };
        let direction = if self.ascending {
            "Ascending"
        } else {
            "Descending"
        };
        format!("{field}{direction}")
    }

    /// Parses an API name, ignoring case as .NET's enum reading does.
    pub fn parse(name: &str) -> Option<SortOrder> {
        Self::ALL
            .into_iter()
            .find(|order| order.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Returns the SQL `ORDER BY` list over the `cases` table aliased `c`.
    ///
    /// Ties are broken by creation time and then by case number, both in
    /// the requested direction, so paging is stable.
    ///
    /// Assumptions about Omnium's order: a missing value (no follow-up date,
    /// no assignee, an unknown status or priority) sorts last in both
    /// directions, status sorts by level and priority by list position (see
    /// [`crate::settings::Settings::status_sort_rank`]), and text sorts
    /// ignore ASCII case.
    pub fn sql(self) -> String {
        let (column, nullable) = match self.field {
            SortField::Created => ("c.created", false),
            SortField::Changed => ("c.changed", false),
            SortField::Status => ("c.status_rank", true),
            SortField::Priority => ("c.priority_rank", true),
            SortField::Subject => ("c.subject COLLATE NOCASE", true),
            SortField::CustomerName => ("c.customer_name COLLATE NOCASE", true),
            SortField::AssignedToName => ("c.assigned_to_name COLLATE NOCASE", true),
            SortField::FollowUpDate => ("c.follow_up_date", true),
        };
        let direction = if self.ascending { "ASC" } else { "DESC" };
        let nulls_last = if nullable {
            format!("({} IS NULL), ", column.trim_end_matches(" COLLATE NOCASE"))
        } else {
            String::new()
        };

        if self.field == SortField::Created {
            return format!("c.created {direction}, c.seq {direction}");
        }
        format!("{nulls_last}{column} {direction}, c.created {direction}, c.seq {direction}")
    }
}

/// A checked search request, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    /// Lowercase free text, matched as a substring.
    pub text: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub assigned_to_user_id: Option<String>,
    /// Every tag must be on the case.
    pub tags: Vec<String>,
    pub customer_id: Option<String>,
    pub order_id: Option<String>,
    /// Inclusive lower bound on `created`.
    pub created_from: Option<Timestamp>,
    /// Inclusive upper bound on `created`.
    pub created_to: Option<Timestamp>,
    pub include_deleted: bool,
    pub sort: SortOrder,
    pub page: i64,
    pub take: i64,
}

impl SearchQuery {
    /// Checks paging and sort order and normalizes the filters. Blank text
    /// filters count as absent.
    ///
    /// Errors: 400 naming `take`, `page` or `sortOrder` and the limit broken.
    pub fn from_request(request: SearchRequest) -> Result<SearchQuery, Problem> {
        let mut errors = FieldErrors::default();

        let take = match request.take.unwrap_or(0) {
            0 => DEFAULT_TAKE,
            take => take,
        };
        let page = request.page.unwrap_or(0);

        if take < 0 {
            errors.add(
                "take",
                format!("take must be between 1 and {MAX_TAKE}; got {take}."),
            );
        } else if take > MAX_TAKE {
            errors.add(
                "take",
                format!("take must be at most {MAX_TAKE}; got {take}."),
            );
        }
        if page < 0 {
            errors.add("page", format!("page must be 0 or greater; got {page}."));
        } else if take > 0 && take.saturating_mul(page) > MAX_WINDOW {
            errors.add(
                "page",
                format!(
                    "take * page must be at most {MAX_WINDOW}; got {take} * {page} = {}.",
                    take.saturating_mul(page)
                ),
            );
        }

        let sort = match request.sort_order.as_deref().map(str::trim) {
            None | Some("") => SortOrder::DEFAULT,
            Some(name) => SortOrder::parse(name).unwrap_or_else(|| {
                let known: Vec<String> = SortOrder::ALL.iter().map(|order| order.name()).collect();
                errors.add(
                    "sortOrder",
                    format!(
                        "Unknown sort order '{name}'. Use one of: {}.",
                        known.join(", ")
                    ),
                );
                SortOrder::DEFAULT
            }),
        };

        errors.into_result()?;

        let present = |value: Option<String>| value.filter(|text| !text.trim().is_empty());
        Ok(SearchQuery {
            text: present(request.search_text).map(|text| text.to_lowercase()),
            status: present(request.status),
            priority: present(request.priority),
            assigned_to_user_id: present(request.assigned_to_user_id),
            tags: request
                .tags
                .unwrap_or_default()
                .into_iter()
                .filter(|tag| !tag.trim().is_empty())
                .collect(),
            customer_id: present(request.customer_id),
            order_id: present(request.order_id),
            created_from: request.date_from,
            created_to: request.date_to,
            include_deleted: request.include_deleted.unwrap_or(false),
            sort,
            page,
            take,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(take: Option<i64>, page: Option<i64>) -> Result<SearchQuery, Problem> {
        SearchQuery::from_request(SearchRequest {
            take,
            page,
            ..SearchRequest::default()
        })
    }

    #[test]
    fn all_sixteen_names_parse_back() {
        let names: Vec<String> = SortOrder::ALL.iter().map(|order| order.name()).collect();
        assert_eq!(names.len(), 16);
        assert!(names.contains(&"FollowUpDateDescending".to_owned()));
        for order in SortOrder::ALL {
            assert_eq!(SortOrder::parse(&order.name()), Some(order));
        }
    }

    #[test]
    fn parse_ignores_case() {
        assert_eq!(
            SortOrder::parse("subjectascending"),
            Some(SortOrder {
                field: SortField::Subject,
                ascending: true
            })
        );
        assert_eq!(SortOrder::parse("Subject"), None);
    }

    #[test]
    fn nullable_sorts_put_nulls_last_both_ways() {
        let ascending = SortOrder::parse("FollowUpDateAscending").unwrap().sql();
        let descending = SortOrder::parse("FollowUpDateDescending").unwrap().sql();
        assert!(ascending.starts_with("(c.follow_up_date IS NULL), c.follow_up_date ASC"));
        assert!(descending.starts_with("(c.follow_up_date IS NULL), c.follow_up_date DESC"));
    }

    #[test]
    fn ties_break_in_sort_direction() {
        let sql = SortOrder::parse("SubjectDescending").unwrap().sql();
        assert!(sql.ends_with("c.created DESC, c.seq DESC"), "{sql}");
        assert_eq!(SortOrder::DEFAULT.sql(), "c.created DESC, c.seq DESC");
    }

    #[test]
    fn status_and_priority_sort_by_rank() {
        assert!(
            SortOrder::parse("StatusAscending")
                .unwrap()
                .sql()
                .contains("c.status_rank ASC")
        );
        assert!(
            SortOrder::parse("PriorityDescending")
                .unwrap()
                .sql()
                .contains("c.priority_rank DESC")
        );
    }

    #[test]
    fn take_defaults_to_twenty() {
        assert_eq!(query(None, None).unwrap().take, 20);
        assert_eq!(query(Some(0), None).unwrap().take, 20);
    }

    #[test]
    fn paging_limits_name_the_parameter() {
        let too_many = query(Some(101), None).unwrap_err();
        assert!(too_many.errors["take"][0].contains("100"));

        let too_deep = query(Some(100), Some(101)).unwrap_err();
        assert!(too_deep.errors["page"][0].contains("10000"));

        assert!(query(Some(100), Some(100)).is_ok());
        assert!(
            query(Some(-1), None)
                .unwrap_err()
                .errors
                .contains_key("take")
        );
        assert!(
            query(None, Some(-1))
                .unwrap_err()
                .errors
                .contains_key("page")
        );
    }

    #[test]
    fn unknown_sort_order_is_rejected() {
        let problem = SearchQuery::from_request(SearchRequest {
            sort_order: Some("Newest".to_owned()),
            ..SearchRequest::default()
        })
        .unwrap_err();
        assert!(problem.errors.contains_key("sortOrder"));
    }

    #[test]
    fn search_text_is_lowercased_and_blank_filters_dropped() {
        let query = SearchQuery::from_request(SearchRequest {
            search_text: Some("ZOË".to_owned()),
            status: Some("  ".to_owned()),
            tags: Some(vec!["vip".to_owned(), String::new()]),
            ..SearchRequest::default()
        })
        .unwrap();
        assert_eq!(query.text.as_deref(), Some("zoë"));
        assert_eq!(query.status, None);
        assert_eq!(query.tags, vec!["vip".to_owned()]);
    }
}
