//! The list's URL query and the search request it stands for.
//!
//! The query contains every part of the view (search text, filters, sort, page
//! and page size), so a link reproduces the view and Back steps through
//! earlier ones. Parameters equal to their default are left out, and values
//! that cannot be read are ignored rather than rejected, because a URL may
//! have been typed or edited by hand.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::model::{MAX_TAKE, OmniumCaseSearchRequest, RESULT_WINDOW, SortField, SortOrder};

/// The page sizes offered besides the configured default.
pub const PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];

const TEXT: &str = "q";
const STATUS: &str = "status";
const PRIORITY: &str = "priority";
const ASSIGNEE: &str = "assignee";
const TAG: &str = "tag";
const CUSTOMER: &str = "customer";
const ORDER: &str = "order";
const FROM: &str = "from";
const TO: &str = "to";
const DELETED: &str = "deleted";
const SORT: &str = "sort";
const PAGE: &str = "page";
const SIZE: &str = "size";

/// The date format of `from` and `to`, as `<input type="date">` writes it.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// The longest URL value a note quotes in full, in characters.
const NOTE_VALUE_CHARS: usize = 40;

/// Characters written as they are in a query value (RFC 3986 unreserved).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Values used for parameters the URL leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryDefaults {
    /// The page size from the runtime configuration.
    pub take: u32,
}

impl QueryDefaults {
    /// Defaults with the configured page size, kept within the API's limit.
    pub fn new(page_size: u32) -> Self {
        Self {
            take: page_size.clamp(1, MAX_TAKE),
        }
    }

    /// Returns the request with no filters, the default order and the first page.
    pub fn request(self) -> OmniumCaseSearchRequest {
        OmniumCaseSearchRequest {
            sort_order: Some(SortOrder::DEFAULT),
            take: self.take,
            ..OmniumCaseSearchRequest::default()
        }
    }
}

/// Parses a URL query string (with or without its leading `?`) into a
/// search request. Dates are read as days in `zone`: `from` as the start of
/// that day and `to` as its last millisecond.
pub fn parse_query<Tz: TimeZone>(
    search: &str,
    defaults: QueryDefaults,
    zone: &Tz,
) -> OmniumCaseSearchRequest {
    parse_query_with_notes(search, defaults, zone).0
}

/// Lists the parameters of a URL query string that were ignored or
/// corrected, each saying what was wrong and what the list shows instead.
/// Parameters the list does not know are not listed, because a portal may
/// add its own to the link.
pub fn query_notes<Tz: TimeZone>(search: &str, defaults: QueryDefaults, zone: &Tz) -> Vec<String> {
    parse_query_with_notes(search, defaults, zone).1
}

fn parse_query_with_notes<Tz: TimeZone>(
    search: &str,
    defaults: QueryDefaults,
    zone: &Tz,
) -> (OmniumCaseSearchRequest, Vec<String>) {
    let mut request = defaults.request();
    let mut notes = Vec::new();
    let mut page_parameter = None;

    for (key, full_value) in decode_pairs(search) {
        // Notes quote the value, shortened so a pasted blob stays readable.
        let value = shorten(&full_value, NOTE_VALUE_CHARS);
        let value = value.as_str();
        match key.as_str() {
            TEXT => request.search_text = non_blank(&full_value),
            STATUS => request.status = non_blank(&full_value),
            PRIORITY => request.priority = non_blank(&full_value),
            ASSIGNEE => request.assigned_to_user_id = non_blank(&full_value),
            CUSTOMER => request.customer_id = non_blank(&full_value),
            ORDER => request.order_id = non_blank(&full_value),
            TAG => add_tag(&mut request.tags, &full_value),
            FROM | TO => {
                let Some(date) = parse_date(&full_value) else {
                    notes.push(format!(
                        "“{key}={value}” is not a date in the form YYYY-MM-DD, so it was ignored."
                    ));
                    continue;
                };
                if key == FROM {
                    request.date_from = start_of_day(date, zone);
                } else {
                    request.date_to = end_of_day(date, zone);
                }
            }
            DELETED => match full_value.trim() {
                "1" | "true" => request.include_deleted = true,
                "" | "0" | "false" => request.include_deleted = false,
                _ => notes.push(format!(
                    "“deleted={value}” is neither 1 nor 0, so deleted cases are left out."
                )),
            },
            SORT => match SortOrder::from_wire_name(full_value.trim()) {
                Some(order) => request.sort_order = Some(order),
                None => notes.push(format!(
                    "“sort={value}” is not a sort order, so the newest cases come first."
                )),
            },
            SIZE => match parse_number(&full_value).filter(|take| (1..=MAX_TAKE).contains(take)) {
                Some(take) => request.take = take,
                None => notes.push(format!(
                    "“size={value}” is not a page size from 1 to {MAX_TAKE}, so {} cases are shown per page.",
                    defaults.take
                )),
            },
            PAGE => page_parameter = Some((parse_number(&full_value), value.to_owned())),
            _ => {}
        }
    }

    // The page is applied last because its limit depends on the page size.
    if let Some((number, value)) = page_parameter {
        match number.filter(|page| *page >= 1) {
            Some(number) => {
                let last = max_page(request.take);
                request.page = (number - 1).min(last);
                if number - 1 > last {
                    notes.push(format!(
                        "“page={value}” is past the last page the API serves at {} per page, so page {} is shown.",
                        request.take,
                        last + 1
                    ));
                }
            }
            None => notes.push(format!(
                "“page={value}” is not a page number from 1 up, so the first page is shown."
            )),
        }
    }

    (request, notes)
}

/// Writes a search request as a URL query string starting with `?`, or an
/// empty string when everything is at its default. Dates are written as
/// days in `zone`.
pub fn query_string<Tz: TimeZone>(
    request: &OmniumCaseSearchRequest,
    defaults: QueryDefaults,
    zone: &Tz,
) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let text_values = [
        (TEXT, &request.search_text),
        (STATUS, &request.status),
        (PRIORITY, &request.priority),
        (ASSIGNEE, &request.assigned_to_user_id),
    ];

    for (key, value) in text_values {
        if let Some(value) = value.as_deref().and_then(non_blank) {
            pairs.push((key, value));
        }
    }

    for tag in &request.tags {
        if let Some(tag) = non_blank(tag) {
            pairs.push((TAG, tag));
        }
    }

    for (key, value) in [(CUSTOMER, &request.customer_id), (ORDER, &request.order_id)] {
        if let Some(value) = value.as_deref().and_then(non_blank) {
            pairs.push((key, value));
        }
    }

    if let Some(from) = request.date_from {
        pairs.push((FROM, local_date(from, zone).format(DATE_FORMAT).to_string()));
    }

    if let Some(to) = request.date_to {
        pairs.push((TO, local_date(to, zone).format(DATE_FORMAT).to_string()));
    }

    if request.include_deleted {
        pairs.push((DELETED, "1".to_owned()));
    }

    let sort = effective_sort(request);
    if sort != SortOrder::DEFAULT {
        pairs.push((SORT, sort.wire_name()));
    }

    if request.page > 0 {
        pairs.push((PAGE, (request.page + 1).to_string()));
    }

    if request.take != defaults.take {
        pairs.push((SIZE, request.take.to_string()));
    }

    if pairs.is_empty() {
        return String::new();
    }

    let encoded: Vec<String> = pairs
        .into_iter()
        .map(|(key, value)| format!("{key}={}", utf8_percent_encode(&value, QUERY_VALUE)))
        .collect();

    format!("?{}", encoded.join("&"))
}

/// Returns the order a request sorts by, the API's default when it names none.
pub fn effective_sort(request: &OmniumCaseSearchRequest) -> SortOrder {
    request.sort_order.unwrap_or(SortOrder::DEFAULT)
}

/// Tells whether two requests filter the same way, ignoring sort and paging.
pub fn same_filters(a: &OmniumCaseSearchRequest, b: &OmniumCaseSearchRequest) -> bool {
    a.search_text == b.search_text
        && a.status == b.status
        && a.priority == b.priority
        && a.assigned_to_user_id == b.assigned_to_user_id
        && a.tags == b.tags
        && a.customer_id == b.customer_id
        && a.order_id == b.order_id
        && a.date_from == b.date_from
        && a.date_to == b.date_to
        && a.include_deleted == b.include_deleted
}

/// Tells whether a request narrows the results with any filter.
pub fn has_filters(request: &OmniumCaseSearchRequest) -> bool {
    let cleared = with_filters(request, &OmniumCaseSearchRequest::default());

    !same_filters(request, &cleared)
}

/// Counts the filters set besides the search text; each tag counts once.
pub fn filter_count(request: &OmniumCaseSearchRequest) -> usize {
    let single = [
        request.status.is_some(),
        request.priority.is_some(),
        request.assigned_to_user_id.is_some(),
        request.customer_id.is_some(),
        request.order_id.is_some(),
        request.date_from.is_some(),
        request.date_to.is_some(),
        request.include_deleted,
    ];

    single.into_iter().filter(|set| *set).count() + request.tags.len()
}

/// Takes the filters of `filters` into `current`, keeping its sort and page
/// size. The page goes back to the first when any filter changed, because the
/// old page number means nothing in a different result set.
pub fn with_filters(
    current: &OmniumCaseSearchRequest,
    filters: &OmniumCaseSearchRequest,
) -> OmniumCaseSearchRequest {
    let next = OmniumCaseSearchRequest {
        search_text: filters.search_text.as_deref().and_then(non_blank),
        status: filters.status.as_deref().and_then(non_blank),
        priority: filters.priority.as_deref().and_then(non_blank),
        assigned_to_user_id: filters.assigned_to_user_id.as_deref().and_then(non_blank),
        tags: filters.tags.iter().fold(Vec::new(), |mut tags, tag| {
            add_tag(&mut tags, tag);
            tags
        }),
        customer_id: filters.customer_id.as_deref().and_then(non_blank),
        order_id: filters.order_id.as_deref().and_then(non_blank),
        date_from: filters.date_from,
        date_to: filters.date_to,
        include_deleted: filters.include_deleted,
        ..current.clone()
    };

    if same_filters(current, &next) {
        return next;
    }

    OmniumCaseSearchRequest { page: 0, ..next }
}

/// Returns the request sorted by `order`, back on the first page.
pub fn with_sort(current: &OmniumCaseSearchRequest, order: SortOrder) -> OmniumCaseSearchRequest {
    OmniumCaseSearchRequest {
        sort_order: Some(order),
        page: 0,
        ..current.clone()
    }
}

/// Returns the request with another page size, on the page that contains
/// the first case of the current page.
pub fn with_page_size(current: &OmniumCaseSearchRequest, take: u32) -> OmniumCaseSearchRequest {
    let take = take.clamp(1, MAX_TAKE);
    let first_index = u64::from(current.page) * u64::from(current.take);
    let page = u32::try_from(first_index / u64::from(take)).unwrap_or(u32::MAX);

    OmniumCaseSearchRequest {
        take,
        page: page.min(max_page(take)),
        ..current.clone()
    }
}

/// Returns the request on zero-based `page`, kept within the result window.
pub fn with_page(current: &OmniumCaseSearchRequest, page: u32) -> OmniumCaseSearchRequest {
    OmniumCaseSearchRequest {
        page: page.min(max_page(current.take)),
        ..current.clone()
    }
}

/// Returns the order a click on a column header requests: the other
/// direction of the current field, or the field's natural first direction
/// (newest first for creation and change times, ascending for the rest).
pub fn next_sort(current: SortOrder, field: SortField) -> SortOrder {
    if current.field == field {
        return current.reversed();
    }

    let ascending = !matches!(field, SortField::Created | SortField::Changed);

    SortOrder { field, ascending }
}

/// Tells whether the date range ends before it starts, which no case can match.
pub fn dates_reversed(request: &OmniumCaseSearchRequest) -> bool {
    match (request.date_from, request.date_to) {
        (Some(from), Some(to)) => from > to,
        _ => false,
    }
}

/// Returns the request with its two dates exchanged, each still covering a
/// whole day in `zone`, on the first page.
pub fn with_dates_swapped<Tz: TimeZone>(
    current: &OmniumCaseSearchRequest,
    zone: &Tz,
) -> OmniumCaseSearchRequest {
    let day = |value: Option<DateTime<Utc>>| value.map(|value| local_date(value, zone));
    let (Some(first_day), Some(last_day)) = (day(current.date_to), day(current.date_from)) else {
        return current.clone();
    };

    OmniumCaseSearchRequest {
        date_from: start_of_day(first_day, zone),
        date_to: end_of_day(last_day, zone),
        page: 0,
        ..current.clone()
    }
}

/// Returns the last zero-based page the API serves for this page size. The
/// API rejects a search whose `take * page` exceeds the result window.
pub fn max_page(take: u32) -> u32 {
    let window = u32::try_from(RESULT_WINDOW).unwrap_or(u32::MAX);

    window / take.max(1)
}

/// Returns the last zero-based page with results, limited by the result window.
pub fn last_page(total_hits: i64, take: u32) -> u32 {
    let take = u64::from(take.max(1));
    let total = u64::try_from(total_hits).unwrap_or(0);
    let pages_with_results = total.div_ceil(take).max(1);
    let last = u32::try_from(pages_with_results - 1).unwrap_or(u32::MAX);

    last.min(max_page(take as u32))
}

/// Tells whether some of `total_hits` results lie beyond the last page the
/// API serves, so the agent must narrow the search to see them.
pub fn window_hides_results(total_hits: i64, take: u32) -> bool {
    let reachable = (u64::from(max_page(take)) + 1) * u64::from(take.max(1));

    u64::try_from(total_hits).is_ok_and(|total| total > reachable)
}

/// Describes which results a page shows, such as "41–60 of 1,234".
pub fn range_label(page: u32, take: u32, shown: usize, total_hits: i64) -> String {
    let total = group_thousands(u64::try_from(total_hits).unwrap_or(0));

    if shown == 0 {
        return format!("0 of {total}");
    }

    let first = u64::from(page) * u64::from(take) + 1;
    let last = first + shown as u64 - 1;

    format!(
        "{}–{} of {total}",
        group_thousands(first),
        group_thousands(last)
    )
}

/// Formats a count with commas between thousands, such as "12,345".
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);

    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }

    grouped
}

/// Parses a `YYYY-MM-DD` date; returns `None` for anything else.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), DATE_FORMAT).ok()
}

/// Formats the local day of an instant as `YYYY-MM-DD`.
pub fn format_date<Tz: TimeZone>(value: DateTime<Utc>, zone: &Tz) -> String {
    local_date(value, zone).format(DATE_FORMAT).to_string()
}

/// Returns the first instant of `date` in `zone`.
pub fn start_of_day<Tz: TimeZone>(date: NaiveDate, zone: &Tz) -> Option<DateTime<Utc>> {
    first_instant_at_or_after(date.and_time(NaiveTime::MIN), zone)
}

/// Returns the last millisecond of `date` in `zone`.
pub fn end_of_day<Tz: TimeZone>(date: NaiveDate, zone: &Tz) -> Option<DateTime<Utc>> {
    let next_day = date.succ_opt()?;

    Some(start_of_day(next_day, zone)? - Duration::milliseconds(1))
}

fn local_date<Tz: TimeZone>(value: DateTime<Utc>, zone: &Tz) -> NaiveDate {
    value.with_timezone(zone).date_naive()
}

/// Resolves a wall-clock time in `zone` to an instant. A time that falls in
/// a daylight-saving gap (some zones skip midnight) moves forward to the end
/// of the gap, found in 15-minute steps because gaps are whole quarter hours.
fn first_instant_at_or_after<Tz: TimeZone>(
    local: NaiveDateTime,
    zone: &Tz,
) -> Option<DateTime<Utc>> {
    (0..=12).find_map(|quarter| {
        zone.from_local_datetime(&(local + Duration::minutes(15 * quarter)))
            .earliest()
            .map(|instant| instant.with_timezone(&Utc))
    })
}

fn decode_pairs(search: &str) -> impl Iterator<Item = (String, String)> + '_ {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(key), decode_component(value))
        })
}

/// Decodes one form-encoded component: `+` is a space, `%XX` a byte.
fn decode_component(text: &str) -> String {
    let spaced = text.replace('+', " ");

    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

fn non_blank(value: &str) -> Option<String> {
    let value = value.trim();

    if value.is_empty() {
        return None;
    }

    Some(value.to_owned())
}

fn add_tag(tags: &mut Vec<String>, tag: &str) {
    let Some(tag) = non_blank(tag) else {
        return;
    };

    if !tags.contains(&tag) {
        tags.push(tag);
    }
}

/// Cuts `text` to `max_chars` characters, marking the cut with an ellipsis.
fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

fn parse_number(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    const DEFAULTS: QueryDefaults = QueryDefaults { take: 20 };

    fn oslo_winter() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    fn parse(search: &str) -> OmniumCaseSearchRequest {
        parse_query(search, DEFAULTS, &oslo_winter())
    }

    fn write(request: &OmniumCaseSearchRequest) -> String {
        query_string(request, DEFAULTS, &oslo_winter())
    }

    fn full_request() -> OmniumCaseSearchRequest {
        let zone = oslo_winter();
        let from = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();

        OmniumCaseSearchRequest {
            search_text: Some("parcel lost & found 50%".into()),
            status: Some("In Progress".into()),
            priority: Some("Urgent-ish".into()),
            assigned_to_user_id: Some("agent-ada".into()),
            tags: vec!["vip".into(), "b2b".into()],
            customer_id: Some("CUST-01001".into()),
            order_id: Some("ORD-123".into()),
            date_from: start_of_day(from, &zone),
            date_to: end_of_day(to, &zone),
            sort_order: Some(SortOrder::from_wire_name("ChangedAscending").unwrap()),
            page: 3,
            take: 50,
            include_deleted: true,
        }
    }

    #[test]
    fn query_round_trips_every_field() {
        let request = full_request();

        let written = write(&request);

        assert_eq!(parse(&written), request);
    }

    #[test]
    fn query_uses_readable_names() {
        let written = write(&full_request());

        assert_eq!(
            written,
            "?q=parcel%20lost%20%26%20found%2050%25&status=In%20Progress&priority=Urgent-ish\
             &assignee=agent-ada&tag=vip&tag=b2b&customer=CUST-01001&order=ORD-123\
             &from=2026-01-05&to=2026-02-28&deleted=1&sort=ChangedAscending&page=4&size=50"
        );
    }

    #[test]
    fn query_round_trips_every_sort_order() {
        for order in SortOrder::all() {
            let request = with_sort(&DEFAULTS.request(), order);

            assert_eq!(parse(&write(&request)), request, "{}", order.wire_name());
        }
    }

    #[test]
    fn query_leaves_defaults_out() {
        assert_eq!(write(&DEFAULTS.request()), "");
        assert_eq!(parse(""), DEFAULTS.request());
        assert_eq!(parse("?"), DEFAULTS.request());
    }

    #[test]
    fn query_default_size_comes_from_config() {
        let defaults = QueryDefaults::new(25);
        let request = parse_query("", defaults, &Utc);

        assert_eq!(request.take, 25);
        assert_eq!(query_string(&request, defaults, &Utc), "");
        assert_eq!(
            query_string(&with_page_size(&request, 20), defaults, &Utc),
            "?size=20"
        );
    }

    #[test]
    fn query_config_size_is_clamped() {
        assert_eq!(QueryDefaults::new(0).take, 1);
        assert_eq!(QueryDefaults::new(500).take, MAX_TAKE);
    }

    #[test]
    fn query_reads_plus_as_space() {
        let request = parse("?q=parcel+lost&status=In+Progress");

        assert_eq!(request.search_text.as_deref(), Some("parcel lost"));
        assert_eq!(request.status.as_deref(), Some("In Progress"));
    }

    #[test]
    fn query_reads_unicode() {
        let request = parse("?q=%C3%98yvind%20%C3%98deg%C3%A5rd");

        assert_eq!(request.search_text.as_deref(), Some("Øyvind Ødegård"));
        assert_eq!(parse(&write(&request)), request);
    }

    #[test]
    fn query_ignores_invalid_values() {
        let request = parse(
            "?sort=createdascending&page=0&size=0&from=2026-13-01&to=yesterday\
             &deleted=yes&status=%20%20&tag=&unknown=1&page=-3",
        );

        assert_eq!(request, DEFAULTS.request());
    }

    #[test]
    fn notes_name_each_ignored_value() {
        let notes = query_notes(
            "?sort=newest&size=100000&from=2026-13-01&deleted=yes&page=abc&unknown=1",
            DEFAULTS,
            &Utc,
        );

        assert_eq!(notes.len(), 5);
        assert!(notes[0].contains("“sort=newest”"));
        assert!(notes[1].contains("“size=100000”"));
        assert!(notes[1].contains("20 cases are shown per page"));
        assert!(notes[2].contains("“from=2026-13-01”"));
        assert!(notes[3].contains("“deleted=yes”"));
        assert!(notes[4].contains("“page=abc”"));
    }

    #[test]
    fn notes_name_page_past_window() {
        let notes = query_notes("?size=100&page=500", DEFAULTS, &Utc);

        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("“page=500”"));
        assert!(notes[0].contains("page 101 is shown"));
    }

    #[test]
    fn notes_empty_for_valid_query() {
        let query = "?q=parcel&status=Open&tag=vip&from=2026-01-05&to=2026-02-28\
                     &deleted=1&sort=ChangedAscending&page=4&size=50&utm_source=portal";

        assert!(query_notes(query, DEFAULTS, &Utc).is_empty());
        assert!(query_notes("", DEFAULTS, &Utc).is_empty());
    }

    #[test]
    fn notes_shorten_long_values() {
        let long = "x".repeat(500);
        let notes = query_notes(&format!("?sort={long}"), DEFAULTS, &Utc);

        assert_eq!(notes.len(), 1);
        assert!(notes[0].chars().count() < 120);
        assert!(notes[0].contains('…'));
    }

    #[test]
    fn reversed_dates_are_detected() {
        assert!(dates_reversed(&parse("?from=2026-03-10&to=2026-03-01")));
        assert!(!dates_reversed(&parse("?from=2026-03-01&to=2026-03-01")));
        assert!(!dates_reversed(&parse("?from=2026-03-10")));
    }

    #[test]
    fn swapped_dates_cover_both_days() {
        let zone = oslo_winter();
        let reversed = parse_query("?from=2026-03-10&to=2026-03-01&page=3", DEFAULTS, &zone);
        let swapped = with_dates_swapped(&reversed, &zone);

        assert_eq!(
            query_string(&swapped, DEFAULTS, &zone),
            "?from=2026-03-01&to=2026-03-10"
        );
        assert!(!dates_reversed(&swapped));
    }

    #[test]
    fn query_ignores_size_above_maximum() {
        assert_eq!(parse("?size=101").take, DEFAULTS.take);
        assert_eq!(parse("?size=abc").take, DEFAULTS.take);
        assert_eq!(parse("?size=7").take, 7);
    }

    #[test]
    fn query_page_is_one_based() {
        assert_eq!(parse("?page=1").page, 0);
        assert_eq!(parse("?page=2").page, 1);
        assert_eq!(write(&with_page(&DEFAULTS.request(), 1)), "?page=2");
    }

    #[test]
    fn query_page_is_kept_within_window() {
        let request = parse("?size=100&page=500");

        assert_eq!(request.page, 100);
        assert!(!request.exceeds_limits());
        assert_eq!(parse("?page=99999").page, 500);
    }

    #[test]
    fn query_tags_are_trimmed_and_unique() {
        let request = parse("?tag=vip&tag=%20refund%20&tag=vip&tag=");

        assert_eq!(request.tags, vec!["vip".to_owned(), "refund".to_owned()]);
    }

    #[test]
    fn query_text_is_trimmed() {
        let request = parse("?q=%20%20parcel%20");

        assert_eq!(request.search_text.as_deref(), Some("parcel"));
        assert_eq!(write(&request), "?q=parcel");
    }

    #[test]
    fn query_dates_cover_whole_local_days() {
        let request = parse("?from=2026-03-01&to=2026-03-02");

        assert_eq!(
            request.date_from,
            Some(Utc.with_ymd_and_hms(2026, 2, 28, 23, 0, 0).unwrap())
        );
        assert_eq!(
            request.date_to,
            Some(
                Utc.with_ymd_and_hms(2026, 3, 2, 22, 59, 59).unwrap() + Duration::milliseconds(999)
            )
        );
        assert_eq!(write(&request), "?from=2026-03-01&to=2026-03-02");
    }

    /// A zone like America/Santiago on 2026-09-06: clocks jump from 00:00
    /// (UTC-4) to 01:00 (UTC-3), so that day has no midnight.
    #[derive(Debug, Clone, Copy)]
    struct SkipsMidnight;

    impl SkipsMidnight {
        fn switch_local() -> NaiveDateTime {
            NaiveDate::from_ymd_opt(2026, 9, 6)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        }

        fn before() -> FixedOffset {
            FixedOffset::west_opt(4 * 3600).unwrap()
        }

        fn after() -> FixedOffset {
            FixedOffset::west_opt(3 * 3600).unwrap()
        }
    }

    impl TimeZone for SkipsMidnight {
        type Offset = FixedOffset;

        fn from_offset(_offset: &FixedOffset) -> Self {
            SkipsMidnight
        }

        fn offset_from_local_date(
            &self,
            local: &NaiveDate,
        ) -> chrono::MappedLocalTime<FixedOffset> {
            self.offset_from_local_datetime(&local.and_hms_opt(12, 0, 0).unwrap())
        }

        fn offset_from_local_datetime(
            &self,
            local: &NaiveDateTime,
        ) -> chrono::MappedLocalTime<FixedOffset> {
            let switch = Self::switch_local();

            if *local < switch {
                chrono::MappedLocalTime::Single(Self::before())
            } else if *local < switch + Duration::hours(1) {
                chrono::MappedLocalTime::None
            } else {
                chrono::MappedLocalTime::Single(Self::after())
            }
        }

        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            self.offset_from_utc_datetime(&utc.and_hms_opt(12, 0, 0).unwrap())
        }

        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            let switch_utc = Self::switch_local() + Duration::hours(4);

            if *utc < switch_utc {
                Self::before()
            } else {
                Self::after()
            }
        }
    }

    #[test]
    fn start_of_day_skips_midnight_gap() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();

        let start = start_of_day(date, &SkipsMidnight);

        assert_eq!(
            start,
            Some(Utc.with_ymd_and_hms(2026, 9, 6, 4, 0, 0).unwrap())
        );
        assert_eq!(format_date(start.unwrap(), &SkipsMidnight), "2026-09-06");
    }

    #[test]
    fn end_of_day_before_midnight_gap() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 5).unwrap();

        let end = end_of_day(date, &SkipsMidnight);

        assert_eq!(
            end,
            Some(
                Utc.with_ymd_and_hms(2026, 9, 6, 3, 59, 59).unwrap() + Duration::milliseconds(999)
            )
        );
        assert_eq!(format_date(end.unwrap(), &SkipsMidnight), "2026-09-05");
    }

    #[test]
    fn with_filters_resets_page_on_change() {
        let current = with_page(&DEFAULTS.request(), 4);
        let mut filters = current.clone();
        filters.status = Some("New".into());

        let next = with_filters(&current, &filters);

        assert_eq!(next.page, 0);
        assert_eq!(next.status.as_deref(), Some("New"));
    }

    #[test]
    fn with_filters_keeps_page_without_change() {
        let current = with_page(&DEFAULTS.request(), 4);
        let mut filters = current.clone();
        filters.search_text = Some("   ".into());

        let next = with_filters(&current, &filters);

        assert_eq!(next.page, 4);
        assert_eq!(next.search_text, None);
    }

    #[test]
    fn with_filters_keeps_sort_and_size() {
        let current = with_page_size(
            &with_sort(&DEFAULTS.request(), SortOrder::DEFAULT.reversed()),
            50,
        );

        let next = with_filters(&current, &OmniumCaseSearchRequest::default());

        assert_eq!(next.sort_order, current.sort_order);
        assert_eq!(next.take, 50);
    }

    #[test]
    fn has_filters_ignores_sort_and_paging() {
        let sorted = with_page(
            &with_sort(&DEFAULTS.request(), SortOrder::DEFAULT.reversed()),
            2,
        );

        assert!(!has_filters(&sorted));
        assert!(has_filters(&parse("?deleted=1")));
        assert!(has_filters(&parse("?tag=vip")));
    }

    #[test]
    fn filter_count_leaves_out_search_text() {
        assert_eq!(filter_count(&parse("?q=parcel")), 0);
        assert_eq!(
            filter_count(&parse("?q=parcel&status=New&tag=a&tag=b&deleted=1")),
            4
        );
        assert_eq!(
            filter_count(&parse(
                "?from=2026-01-01&to=2026-01-02&sort=SubjectAscending"
            )),
            2
        );
    }

    #[test]
    fn with_sort_resets_page() {
        let current = with_page(&DEFAULTS.request(), 4);
        let order = SortOrder::from_wire_name("SubjectAscending").unwrap();

        let next = with_sort(&current, order);

        assert_eq!(next.page, 0);
        assert_eq!(next.sort_order, Some(order));
    }

    #[test]
    fn with_page_size_keeps_first_case_visible() {
        let current = with_page(&DEFAULTS.request(), 5);

        let next = with_page_size(&current, 50);

        assert_eq!(next.take, 50);
        assert_eq!(next.page, 2);
    }

    #[test]
    fn with_page_size_stays_within_window() {
        let current = with_page(&with_page_size(&DEFAULTS.request(), 10), 1000);

        let next = with_page_size(&current, 100);

        assert_eq!(next.page, 100);
        assert!(!next.exceeds_limits());
    }

    #[test]
    fn next_sort_reverses_same_field() {
        let subject = SortOrder {
            field: SortField::Subject,
            ascending: true,
        };

        assert_eq!(next_sort(subject, SortField::Subject), subject.reversed());
    }

    #[test]
    fn next_sort_starts_times_newest_first() {
        let changed = next_sort(SortOrder::DEFAULT, SortField::Changed);
        let subject = next_sort(SortOrder::DEFAULT, SortField::Subject);

        assert!(!changed.ascending);
        assert!(subject.ascending);
        assert_eq!(
            next_sort(SortOrder::DEFAULT, SortField::Created),
            SortOrder::DEFAULT.reversed()
        );
    }

    #[test]
    fn next_sort_reaches_all_sixteen_orders() {
        let mut reached = Vec::new();

        for field in SortField::ALL {
            let first = next_sort(SortOrder::DEFAULT, field);
            reached.push(first);
            reached.push(next_sort(first, field));
        }

        for order in SortOrder::all() {
            assert!(reached.contains(&order), "{}", order.wire_name());
        }
    }

    #[test]
    fn max_page_follows_window() {
        assert_eq!(max_page(100), 100);
        assert_eq!(max_page(20), 500);
        assert_eq!(max_page(30), 333);
    }

    #[test]
    fn last_page_of_results() {
        assert_eq!(last_page(0, 20), 0);
        assert_eq!(last_page(20, 20), 0);
        assert_eq!(last_page(21, 20), 1);
        assert_eq!(last_page(12_000, 100), 100);
        assert_eq!(last_page(-5, 20), 0);
    }

    #[test]
    fn window_hides_only_unreachable_results() {
        assert!(!window_hides_results(10_100, 100));
        assert!(window_hides_results(10_101, 100));
        assert!(!window_hides_results(10_020, 20));
        assert!(window_hides_results(10_021, 20));
    }

    #[test]
    fn range_label_counts_from_one() {
        assert_eq!(range_label(2, 20, 20, 1234), "41–60 of 1,234");
        assert_eq!(range_label(0, 20, 7, 7), "1–7 of 7");
        assert_eq!(range_label(0, 20, 0, 0), "0 of 0");
    }

    #[test]
    fn group_thousands_inserts_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(12_345_678_901), "12,345,678,901");
    }
}
