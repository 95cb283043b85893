//! The results: the toolbar with count, sort and page size, the table (cards
//! on narrow screens), the pager and the empty and error states.

use chrono::{DateTime, Utc};
use leptos::html;
use leptos::prelude::*;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use wasm_bindgen::JsCast;

use super::loader::{Loaded, SearchLoader};
use super::query::{
    PAGE_SIZES, effective_sort, group_thousands, has_filters, last_page, max_page, next_sort,
    range_label, window_hides_results, with_filters, with_page, with_page_size, with_sort,
};
use crate::app::use_app;
use crate::components::error_view::ErrorView;
use crate::components::relative_time::RelativeTime;
use crate::model::{
    OmniumCase, OmniumCaseSearchRequest, OmniumCaseSearchResult, SortField, SortOrder,
};
use crate::text::{local_time, local_time_full};

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Returns the app path of a case's page.
pub fn case_path(id: &str) -> String {
    format!("/cases/{}", utf8_percent_encode(id, PATH_SEGMENT))
}

/// The count, sort choice and page-size choice above the table.
#[component]
pub fn ResultsToolbar(
    /// The request the URL describes.
    request: Memo<OmniumCaseSearchRequest>,
    /// The list's search state.
    loader: SearchLoader,
    /// Called with the request to show next.
    on_change: Callback<OmniumCaseSearchRequest>,
) -> impl IntoView {
    let app = use_app();
    let default_take = app.config.with_value(|config| config.page_size);

    let summary = move || {
        let loaded = loader.loaded.get()?;
        let result = loaded.outcome.as_ref().ok()?;
        let request = &loaded.request;

        Some(format!(
            "{} cases",
            range_label(
                request.page,
                request.take,
                result.result.len(),
                result.total_hits
            )
        ))
    };

    let sizes = move || {
        let mut sizes = PAGE_SIZES.to_vec();
        sizes.push(default_take);
        sizes.push(request.with(|request| request.take));
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    };

    let sort_name = move || request.with(effective_sort).wire_name();

    view! {
        <div class="results-toolbar">
            <p id="results-range" class="results-range" aria-live="polite">
                {summary}
            </p>
            <div class="results-options">
                <label for="results-sort">"Sort by"</label>
                <select
                    id="results-sort"
                    prop:value=sort_name
                    on:change=move |event| {
                        let Some(order) = SortOrder::from_wire_name(&event_target_value(&event)) else {
                            return;
                        };
                        on_change.run(with_sort(&request.get_untracked(), order));
                    }
                >
                    {SortOrder::all()
                        .map(|order| {
                            let name = order.wire_name();
                            view! {
                                <option value=name.clone() selected=move || sort_name() == name>
                                    {sort_label(order)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <label for="results-size">"Per page"</label>
                <select
                    id="results-size"
                    prop:value=move || request.with(|request| request.take.to_string())
                    on:change=move |event| {
                        let Ok(take) = event_target_value(&event).parse::<u32>() else {
                            return;
                        };
                        on_change.run(with_page_size(&request.get_untracked(), take));
                    }
                >
                    {move || {
                        let take = request.with(|request| request.take);
                        sizes()
                            .into_iter()
                            .map(|size| {
                                view! {
                                    <option value=size.to_string() selected=size == take>
                                        {size.to_string()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        </div>
    }
}

/// The results area: the first load, an error, an empty result or the table
/// with its pager. Rows of the last finished search stay while the next
/// one loads.
#[component]
pub fn Results(
    /// The request the URL describes.
    request: Memo<OmniumCaseSearchRequest>,
    /// The list's search state.
    loader: SearchLoader,
    /// Called with the request to show next.
    on_change: Callback<OmniumCaseSearchRequest>,
    /// The index of the row picked with the keyboard.
    selected: RwSignal<Option<usize>>,
    /// The table, for scrolling a picked row into view.
    table: NodeRef<html::Table>,
) -> impl IntoView {
    let retry = Callback::new(move |()| loader.retry());

    view! {
        <div class="results" aria-busy=move || loader.pending.get().to_string()>
            {move || match loader.loaded.get() {
                None => view! { <p class="hint results-first-load">"Loading cases…"</p> }.into_any(),
                Some(Loaded { outcome: Err(error), .. }) => {
                    view! { <ErrorView error=error on_retry=retry /> }.into_any()
                }
                Some(Loaded { request: shown, outcome: Ok(result) }) => {
                    view! {
                        <ResultPage
                            shown=shown
                            result=result
                            request=request
                            on_change=on_change
                            selected=selected
                            table=table
                        />
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// One page of results for `shown`, which may lag behind `request` while
/// the next search loads.
#[component]
fn ResultPage(
    shown: OmniumCaseSearchRequest,
    result: OmniumCaseSearchResult,
    request: Memo<OmniumCaseSearchRequest>,
    on_change: Callback<OmniumCaseSearchRequest>,
    selected: RwSignal<Option<usize>>,
    table: NodeRef<html::Table>,
) -> impl IntoView {
    let total = result.total_hits;
    let take = shown.take;

    if result.result.is_empty() {
        return view! { <EmptyResult shown=shown total=total request=request on_change=on_change /> }
            .into_any();
    }

    let window_notice = window_hides_results(total, take).then(|| {
        let reachable = (u64::from(max_page(take)) + 1) * u64::from(take);
        view! {
            <p class="alert window-notice" role="status">
                "Only the first "
                {group_thousands(reachable)}
                " of "
                {group_thousands(u64::try_from(total).unwrap_or(0))}
                " matching cases can be paged through. Narrow the search (add search text or a filter) to find the rest."
            </p>
        }
    });

    view! {
        {window_notice}
        <CaseTable cases=result.result request=request on_change=on_change selected=selected table=table />
        <Pager request=request total=total on_change=on_change />
    }
    .into_any()
}

/// The message for a search without results, with a way out.
#[component]
fn EmptyResult(
    shown: OmniumCaseSearchRequest,
    total: i64,
    request: Memo<OmniumCaseSearchRequest>,
    on_change: Callback<OmniumCaseSearchRequest>,
) -> impl IntoView {
    if shown.page > 0 && total > 0 {
        let page = shown.page + 1;
        return view! {
            <div class="empty-result" role="status">
                <p>{format!("Page {page} is past the last page of results.")}</p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| on_change.run(with_page(&request.get_untracked(), 0))
                >
                    "Go to the first page"
                </button>
            </div>
        }
        .into_any();
    }

    if !has_filters(&shown) {
        return view! {
            <div class="empty-result" role="status">
                <p>"There are no cases yet."</p>
            </div>
        }
        .into_any();
    }

    view! {
        <div class="empty-result" role="status">
            <p>"No cases match the search text and filters."</p>
            <button
                type="button"
                class="button"
                on:click=move |_| {
                    on_change
                        .run(with_filters(&request.get_untracked(), &OmniumCaseSearchRequest::default()))
                }
            >
                "Clear search and filters"
            </button>
        </div>
    }
    .into_any()
}

/// A table column: its header text, its class, and the field it sorts by.
struct Column {
    label: &'static str,
    class: &'static str,
    sort: Option<SortField>,
}

const COLUMNS: [Column; 10] = [
    Column {
        label: "Case",
        class: "col-number",
        sort: None,
    },
    Column {
        label: "Subject",
        class: "col-subject",
        sort: Some(SortField::Subject),
    },
    Column {
        label: "Status",
        class: "col-status",
        sort: Some(SortField::Status),
    },
    Column {
        label: "Priority",
        class: "col-priority",
        sort: Some(SortField::Priority),
    },
    Column {
        label: "Customer",
        class: "col-customer",
        sort: Some(SortField::CustomerName),
    },
    Column {
        label: "Assignee",
        class: "col-assignee",
        sort: Some(SortField::AssignedToName),
    },
    Column {
        label: "Tags",
        class: "col-tags",
        sort: None,
    },
    Column {
        label: "Created",
        class: "col-created",
        sort: Some(SortField::Created),
    },
    Column {
        label: "Changed",
        class: "col-changed",
        sort: Some(SortField::Changed),
    },
    Column {
        label: "Follow-up",
        class: "col-follow-up",
        sort: Some(SortField::FollowUpDate),
    },
];

/// The table of cases. Below a narrow width the stylesheet turns each row
/// into a card, with the column names taken from `data-label`.
#[component]
fn CaseTable(
    cases: Vec<OmniumCase>,
    request: Memo<OmniumCaseSearchRequest>,
    on_change: Callback<OmniumCaseSearchRequest>,
    selected: RwSignal<Option<usize>>,
    table: NodeRef<html::Table>,
) -> impl IntoView {
    let sort = Signal::derive(move || request.with(effective_sort));

    let headers = COLUMNS
        .iter()
        .map(|column| match column.sort {
            Some(field) => view! {
                <SortHeader
                    field=field
                    label=column.label
                    class=column.class
                    sort=sort
                    on_sort=Callback::new(move |field| {
                        let current = request.get_untracked();
                        on_change.run(with_sort(&current, next_sort(effective_sort(&current), field)));
                    })
                />
            }
            .into_any(),
            None => view! { <th scope="col" class=column.class>{column.label}</th> }.into_any(),
        })
        .collect_view();

    let rows = cases
        .into_iter()
        .enumerate()
        .map(|(index, case)| view! { <CaseRow case=case index=index selected=selected /> })
        .collect_view();

    view! {
        <div class="table-scroll">
            <table class="cases-table" aria-label="Cases" node_ref=table>
                <thead>
                    <tr>{headers}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A column header that sorts by its field, with `aria-sort` on the sorted
/// one.
#[component]
fn SortHeader(
    field: SortField,
    label: &'static str,
    class: &'static str,
    sort: Signal<SortOrder>,
    on_sort: Callback<SortField>,
) -> impl IntoView {
    let direction = move || {
        let sort = sort.get();

        (sort.field == field).then_some(sort.ascending)
    };

    let aria_sort = move || match direction() {
        Some(true) => "ascending",
        Some(false) => "descending",
        None => "none",
    };

    let indicator = move || match direction() {
        Some(true) => "▲",
        Some(false) => "▼",
        None => "↕",
    };

    view! {
        <th scope="col" class=class aria-sort=aria_sort>
            <button type="button" class="sort-button" on:click=move |_| on_sort.run(field)>
                {label}
                <span class="sort-indicator" aria-hidden="true">{indicator}</span>
            </button>
        </th>
    }
}

/// One case as a table row; a click anywhere on it opens the case.
#[component]
fn CaseRow(case: OmniumCase, index: usize, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let app = use_app();
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let closed_status = app.config.with_value(|config| config.closed_status.clone());

    let path = (!case.id.trim().is_empty()).then(|| case_path(&case.id));
    let href = path.as_deref().map(|path| app.href(path));
    let is_selected = move || selected.get() == Some(index);

    let open = {
        let path = path.clone();
        move |event: leptos::ev::MouseEvent| {
            let Some(path) = path.as_deref() else {
                return;
            };

            // Links and buttons in the row do their own thing.
            let on_control = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .and_then(|element| element.closest("a, button, input, select, textarea").ok())
                .flatten()
                .is_some();

            if on_control || has_selected_text() {
                return;
            }

            navigate.with_value(|navigate| navigate(path, Default::default()));
        }
    };

    let subject = case
        .subject
        .clone()
        .filter(|subject| !subject.trim().is_empty())
        .unwrap_or_else(|| "(no subject)".to_owned());

    let follow_up = case.follow_up_date;
    let is_closed = case
        .status
        .as_deref()
        .is_some_and(|status| status.trim().eq_ignore_ascii_case(closed_status.trim()));

    view! {
        <tr
            class="case-row"
            class:selected=is_selected
            aria-current=move || is_selected().then_some("true")
            on:click=open
        >
            <td class="col-number" data-label="Case">{case.case_number.clone().unwrap_or_default()}</td>
            <td class="col-subject" data-label="Subject">
                {match href {
                    Some(href) => view! { <a class="case-link" href=href>{subject}</a> }.into_any(),
                    None => view! { <span>{subject}</span> }.into_any(),
                }}
            </td>
            <td class="col-status" data-label="Status">
                {case.status.clone().map(|status| view! { <span class="badge">{status}</span> })}
            </td>
            <td class="col-priority" data-label="Priority">{case.priority.clone().unwrap_or_default()}</td>
            <td class="col-customer" data-label="Customer">
                {case.customer_name.clone().or(case.customer_id.clone()).unwrap_or_default()}
            </td>
            <td class="col-assignee" data-label="Assignee">
                {match case.assigned_to_name.clone().or(case.assigned_to_user_id.clone()) {
                    Some(name) => view! { <span>{name}</span> }.into_any(),
                    None => view! { <span class="empty-value">"Unassigned"</span> }.into_any(),
                }}
            </td>
            <td class="col-tags" data-label="Tags">
                <ul class="tag-list">
                    {case.tags.iter().map(|tag| view! { <li class="badge badge-quiet">{tag.clone()}</li> }).collect_view()}
                </ul>
            </td>
            <td class="col-created" data-label="Created">
                <RelativeTime value=case.created />
            </td>
            <td class="col-changed" data-label="Changed">
                <RelativeTime value=case.changed />
            </td>
            <td class="col-follow-up" data-label="Follow-up">
                {follow_up.map(|date| view! { <FollowUp date=date is_closed=is_closed /> })}
            </td>
        </tr>
    }
}

/// A follow-up date, marked overdue once it has passed on an open case.
#[component]
fn FollowUp(date: DateTime<Utc>, is_closed: bool) -> impl IntoView {
    let now = use_app().now;
    let overdue = move || !is_closed && date < now.get();

    view! {
        <span class="follow-up" class:overdue=overdue>
            <time datetime=date.to_rfc3339() title=local_time_full(date)>{local_time(date)}</time>
            <Show when=overdue>
                <span class="badge badge-overdue">"overdue"</span>
            </Show>
        </span>
    }
}

/// First, previous, next and last page, limited by the result window.
#[component]
fn Pager(
    request: Memo<OmniumCaseSearchRequest>,
    total: i64,
    on_change: Callback<OmniumCaseSearchRequest>,
) -> impl IntoView {
    let page = move || request.with(|request| request.page);
    let last = move || request.with(|request| last_page(total, request.take));
    let at_first = move || page() == 0;
    let at_last = move || page() >= last();
    let go = move |page: u32| on_change.run(with_page(&request.get_untracked(), page));

    view! {
        <nav class="pager" aria-label="Pages">
            <button
                type="button"
                class="button"
                disabled=at_first
                on:click=move |_| go(0)
            >
                "First page"
            </button>
            <button
                type="button"
                class="button"
                disabled=at_first
                on:click=move |_| go(page().saturating_sub(1))
            >
                "Previous page"
            </button>
            <span class="pager-position">
                {move || {
                    format!(
                        "Page {} of {}",
                        group_thousands(u64::from(page()) + 1),
                        group_thousands(u64::from(last()) + 1),
                    )
                }}
            </span>
            <button
                type="button"
                class="button"
                disabled=at_last
                on:click=move |_| go(page() + 1)
            >
                "Next page"
            </button>
            <button
                type="button"
                class="button"
                disabled=at_last
                on:click=move |_| go(last())
            >
                "Last page"
            </button>
        </nav>
    }
}

/// Returns the label of a sort order in the sort menu.
fn sort_label(order: SortOrder) -> &'static str {
    match (order.field, order.ascending) {
        (SortField::Created, false) => "Created, newest first",
        (SortField::Created, true) => "Created, oldest first",
        (SortField::Changed, false) => "Changed, newest first",
        (SortField::Changed, true) => "Changed, oldest first",
        (SortField::Status, true) => "Status, ascending",
        (SortField::Status, false) => "Status, descending",
        (SortField::Priority, true) => "Priority, ascending",
        (SortField::Priority, false) => "Priority, descending",
        (SortField::Subject, true) => "Subject, A to Z",
        (SortField::Subject, false) => "Subject, Z to A",
        (SortField::CustomerName, true) => "Customer, A to Z",
        (SortField::CustomerName, false) => "Customer, Z to A",
        (SortField::AssignedToName, true) => "Assignee, A to Z",
        (SortField::AssignedToName, false) => "Assignee, Z to A",
        (SortField::FollowUpDate, true) => "Follow-up, earliest first",
        (SortField::FollowUpDate, false) => "Follow-up, latest first",
    }
}

/// Tells whether the agent has selected text, so a click that ends a
/// selection in a row does not open the case.
fn has_selected_text() -> bool {
    web_sys::window()
        .and_then(|window| window.get_selection().ok().flatten())
        .is_some_and(|selection| !selection.is_collapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_path_encodes_id() {
        assert_eq!(case_path("a/b c"), "/cases/a%2Fb%20c");
        assert_eq!(case_path("3f2a-9"), "/cases/3f2a-9");
    }

    #[test]
    fn sort_labels_are_distinct() {
        let mut labels: Vec<&str> = SortOrder::all().map(sort_label).collect();
        labels.sort_unstable();
        labels.dedup();

        assert_eq!(labels.len(), 16);
    }
}
