//! The search box and the filter controls above the list.

use std::time::Duration;

use chrono::{Local, TimeZone};
use leptos::html;
use leptos::prelude::*;

use super::query::{
    end_of_day, filter_count, format_date, has_filters, parse_date, start_of_day, with_filters,
};
use crate::app::use_app;
use crate::model::OmniumCaseSearchRequest;

/// How long the search text must stay unchanged before it is searched for.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// The filter controls' values as the agent edits them, before they are
/// applied to the URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterDraft {
    pub text: String,
    pub status: String,
    pub priority: String,
    pub assignee: String,
    pub tags: Vec<String>,
    /// A tag typed but not yet added to `tags`.
    pub new_tag: String,
    pub customer: String,
    pub order: String,
    /// `YYYY-MM-DD` as `<input type="date">` writes it, or empty.
    pub from: String,
    pub to: String,
    pub include_deleted: bool,
}

impl FilterDraft {
    /// Returns the controls' values for a request's filters.
    pub fn from_request<Tz: TimeZone>(request: &OmniumCaseSearchRequest, zone: &Tz) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();

        Self {
            text: text(&request.search_text),
            status: text(&request.status),
            priority: text(&request.priority),
            assignee: text(&request.assigned_to_user_id),
            tags: request.tags.clone(),
            new_tag: String::new(),
            customer: text(&request.customer_id),
            order: text(&request.order_id),
            from: request
                .date_from
                .map(|from| format_date(from, zone))
                .unwrap_or_default(),
            to: request
                .date_to
                .map(|to| format_date(to, zone))
                .unwrap_or_default(),
            include_deleted: request.include_deleted,
        }
    }

    /// Returns the filters the controls describe, with a typed but unadded
    /// tag counted as added. Sort and paging are left at their defaults.
    pub fn to_filters<Tz: TimeZone>(&self, zone: &Tz) -> OmniumCaseSearchRequest {
        let text = |value: &str| Some(value.to_owned());
        let mut tags = self.tags.clone();
        tags.push(self.new_tag.clone());

        OmniumCaseSearchRequest {
            search_text: text(&self.text),
            status: text(&self.status),
            priority: text(&self.priority),
            assigned_to_user_id: text(&self.assignee),
            tags,
            customer_id: text(&self.customer),
            order_id: text(&self.order),
            date_from: parse_date(&self.from).and_then(|date| start_of_day(date, zone)),
            date_to: parse_date(&self.to).and_then(|date| end_of_day(date, zone)),
            include_deleted: self.include_deleted,
            ..OmniumCaseSearchRequest::default()
        }
    }

    /// Takes the values of `applied` (the URL's filters), except where a
    /// text field already means the same once trimmed. That keeps a trailing
    /// space the agent just typed, which the URL leaves out.
    pub fn sync(&mut self, applied: &FilterDraft) {
        let fields = [
            (&mut self.text, &applied.text),
            (&mut self.status, &applied.status),
            (&mut self.priority, &applied.priority),
            (&mut self.assignee, &applied.assignee),
            (&mut self.customer, &applied.customer),
            (&mut self.order, &applied.order),
        ];

        for (draft, applied) in fields {
            if draft.trim() != applied.as_str() {
                draft.clone_from(applied);
            }
        }

        self.tags.clone_from(&applied.tags);
        self.from.clone_from(&applied.from);
        self.to.clone_from(&applied.to);
        self.include_deleted = applied.include_deleted;
    }
}

/// The width below which the filters start folded away, matching the card
/// layout's breakpoint in `list.css`.
const NARROW_SCREEN: &str = "(max-width: 900px)";

/// The search box and filters. Each control applies when it changes; the
/// search text applies once typing pauses. The filters fold into a
/// disclosure, open at first on wide screens.
#[component]
pub fn CaseFilters(
    /// The request the URL describes.
    request: Memo<OmniumCaseSearchRequest>,
    /// Called with the request to show next.
    on_change: Callback<OmniumCaseSearchRequest>,
    /// The search box, focused by the `/` shortcut.
    search_input: NodeRef<html::Input>,
) -> impl IntoView {
    let app = use_app();
    let draft = RwSignal::new(FilterDraft::from_request(&request.get_untracked(), &Local));

    // Back, Forward and links change the URL; the controls follow it.
    Effect::new(move |_| {
        let applied = request.with(|request| FilterDraft::from_request(request, &Local));
        draft.update(|draft| draft.sync(&applied));
    });

    let apply = move || {
        let filters = draft.with_untracked(|draft| draft.to_filters(&Local));
        draft.update(|draft| draft.new_tag.clear());
        on_change.run(with_filters(&request.get_untracked(), &filters));
    };

    let mut apply_after_pause = debounce(SEARCH_DELAY, move |_: ()| apply());

    let clear = move |_| {
        draft.update(|draft| *draft = FilterDraft::default());
        on_change.run(with_filters(
            &request.get_untracked(),
            &OmniumCaseSearchRequest::default(),
        ));
    };

    let remove_tag = move |tag: String| {
        draft.update(|draft| draft.tags.retain(|kept| *kept != tag));
        apply();
    };

    let start_open = !matches_media(NARROW_SCREEN);
    let active_count = move || {
        let count = request.with(filter_count);
        (count > 0).then(|| format!("{count} active"))
    };

    let statuses = app.config.with_value(|config| config.statuses.clone());
    let priorities = app.config.with_value(|config| config.priorities.clone());
    let own_id = move || app.session.claims().and_then(|claims| claims.user_id);
    let own_label = move || {
        let claims = app.session.claims();
        let name = claims.and_then(|claims| claims.display_name);

        match name {
            Some(name) => format!("Me ({name})"),
            None => "Me".to_owned(),
        }
    };

    let text_field = move |id: &'static str,
                           label: &'static str,
                           list: Option<&'static str>,
                           read: fn(&FilterDraft) -> &String,
                           write: fn(&mut FilterDraft, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="text"
                    autocomplete="off"
                    list=list
                    prop:value=move || draft.with(|draft| read(draft).clone())
                    on:input=move |event| {
                        let value = event_target_value(&event);
                        draft.update(|draft| write(draft, value));
                    }
                    on:change=move |_| apply()
                />
            </div>
        }
    };

    let date_field = move |id: &'static str,
                           label: &'static str,
                           read: fn(&FilterDraft) -> &String,
                           write: fn(&mut FilterDraft, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="date"
                    prop:value=move || draft.with(|draft| read(draft).clone())
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        draft.update(|draft| write(draft, value));
                        apply();
                    }
                />
            </div>
        }
    };

    view! {
        <form
            class="case-filters"
            role="search"
            aria-label="Search cases"
            on:submit=move |event| {
                event.prevent_default();
                apply();
            }
        >
            <div class="field filter-search">
                <label for="case-search">"Search"</label>
                <div class="filter-search-row">
                    <input
                        id="case-search"
                        type="search"
                        node_ref=search_input
                        autocomplete="off"
                        aria-keyshortcuts="/"
                        aria-describedby="case-search-hint"
                        prop:value=move || draft.with(|draft| draft.text.clone())
                        on:input=move |event| {
                            let value = event_target_value(&event);
                            draft.update(|draft| draft.text = value);
                            apply_after_pause(());
                        }
                    />
                    // A submit button lets Enter in any field apply the filters.
                    <button type="submit" class="button">"Search"</button>
                </div>
                <span id="case-search-hint" class="hint">
                    "Case number, subject, description or customer name"
                </span>
            </div>

            <details class="filter-panel" open=start_open>
                <summary>
                    "Filters"
                    {move || active_count().map(|count| view! { <span class="badge">{count}</span> })}
                </summary>
                <div class="filter-grid">
                    {text_field(
                        "filter-status",
                        "Status",
                        Some("filter-status-options"),
                        |draft| &draft.status,
                        |draft, value| draft.status = value,
                    )}
                    <datalist id="filter-status-options">
                        {statuses.into_iter().map(|status| view! { <option value=status></option> }).collect_view()}
                    </datalist>

                    {text_field(
                        "filter-priority",
                        "Priority",
                        Some("filter-priority-options"),
                        |draft| &draft.priority,
                        |draft, value| draft.priority = value,
                    )}
                    <datalist id="filter-priority-options">
                        {priorities
                            .into_iter()
                            .map(|priority| view! { <option value=priority></option> })
                            .collect_view()}
                    </datalist>

                    {text_field(
                        "filter-assignee",
                        "Assignee (user id)",
                        Some("filter-assignee-options"),
                        |draft| &draft.assignee,
                        |draft, value| draft.assignee = value,
                    )}
                    <datalist id="filter-assignee-options">
                        {move || own_id().map(|id| view! { <option value=id label=own_label()></option> })}
                    </datalist>

                    {text_field(
                        "filter-customer",
                        "Customer id",
                        None,
                        |draft| &draft.customer,
                        |draft, value| draft.customer = value,
                    )}

                    {text_field(
                        "filter-order",
                        "Order id",
                        None,
                        |draft| &draft.order,
                        |draft, value| draft.order = value,
                    )}

                    {date_field(
                        "filter-from",
                        "Created from",
                        |draft| &draft.from,
                        |draft, value| draft.from = value,
                    )}

                    {date_field(
                        "filter-to",
                        "Created to",
                        |draft| &draft.to,
                        |draft, value| draft.to = value,
                    )}

                    <fieldset class="field filter-tags">
                        <legend>"Tags (all must match)"</legend>
                        <ul class="tag-chips" aria-label="Selected tags">
                            <For
                                each=move || draft.with(|draft| draft.tags.clone())
                                key=|tag| tag.clone()
                                let:tag
                            >
                                <li class="tag-chip">
                                    <span>{tag.clone()}</span>
                                    <button
                                        type="button"
                                        class="button-quiet tag-remove"
                                        aria-label=format!("Remove tag {tag}")
                                        on:click={
                                            let tag = tag.clone();
                                            move |_| remove_tag(tag.clone())
                                        }
                                    >
                                        "×"
                                    </button>
                                </li>
                            </For>
                        </ul>
                        <div class="tag-add">
                            <label for="filter-tag" class="visually-hidden">"Add tag"</label>
                            <input
                                id="filter-tag"
                                type="text"
                                autocomplete="off"
                                placeholder="Add tag"
                                prop:value=move || draft.with(|draft| draft.new_tag.clone())
                                on:input=move |event| {
                                    let value = event_target_value(&event);
                                    draft.update(|draft| draft.new_tag = value);
                                }
                                on:change=move |_| apply()
                            />
                            <button type="button" class="button" on:click=move |_| apply()>
                                "Add"
                            </button>
                        </div>
                    </fieldset>

                    <div class="field filter-deleted">
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=move || draft.with(|draft| draft.include_deleted)
                                on:change=move |event| {
                                    let checked = event_target_checked(&event);
                                    draft.update(|draft| draft.include_deleted = checked);
                                    apply();
                                }
                            />
                            " Include deleted cases"
                        </label>
                    </div>
                </div>
            </details>

            <Show when=move || request.with(has_filters)>
                <div class="filter-actions">
                    <button type="button" class="button button-quiet" on:click=clear>
                        "Clear search and filters"
                    </button>
                </div>
            </Show>
        </form>
    }
}

/// Tells whether the browser window matches a media query; `false` where
/// there is no window.
fn matches_media(query: &str) -> bool {
    web_sys::window()
        .and_then(|window| window.match_media(query).ok().flatten())
        .is_some_and(|list| list.matches())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn filled() -> FilterDraft {
        FilterDraft {
            text: "parcel".into(),
            status: "New".into(),
            priority: "High".into(),
            assignee: "agent-ada".into(),
            tags: vec!["vip".into()],
            new_tag: String::new(),
            customer: "CUST-1".into(),
            order: "ORD-1".into(),
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            include_deleted: true,
        }
    }

    #[test]
    fn draft_round_trips_request() {
        let draft = filled();

        let request = with_filters(&OmniumCaseSearchRequest::default(), &draft.to_filters(&Utc));

        assert_eq!(FilterDraft::from_request(&request, &Utc), draft);
    }

    #[test]
    fn draft_counts_typed_tag_as_added() {
        let draft = FilterDraft {
            new_tag: " refund ".into(),
            ..filled()
        };

        let next = with_filters(&OmniumCaseSearchRequest::default(), &draft.to_filters(&Utc));

        assert_eq!(next.tags, vec!["vip".to_owned(), "refund".to_owned()]);
    }

    #[test]
    fn draft_ignores_blank_and_invalid_values() {
        let draft = FilterDraft {
            text: "   ".into(),
            from: "not a date".into(),
            ..FilterDraft::default()
        };

        let next = with_filters(&OmniumCaseSearchRequest::default(), &draft.to_filters(&Utc));

        assert_eq!(next, OmniumCaseSearchRequest::default());
    }

    #[test]
    fn sync_keeps_trailing_space_while_typing() {
        let mut draft = FilterDraft {
            text: "parcel ".into(),
            ..FilterDraft::default()
        };
        let applied = FilterDraft {
            text: "parcel".into(),
            ..FilterDraft::default()
        };

        draft.sync(&applied);

        assert_eq!(draft.text, "parcel ");
    }

    #[test]
    fn sync_takes_changed_values() {
        let mut draft = filled();
        let applied = FilterDraft {
            status: "Closed".into(),
            ..FilterDraft::default()
        };

        draft.sync(&applied);

        assert_eq!(draft.status, "Closed");
        assert_eq!(draft.text, "");
        assert!(draft.tags.is_empty());
        assert!(!draft.include_deleted);
    }
}
