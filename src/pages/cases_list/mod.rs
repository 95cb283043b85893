//! `/cases`: the case list and search.
//!
//! The URL query is the list's only state: controls write it, and the search
//! reads it, so links, reloads and Back and Forward all reproduce a view.

mod filters;
mod loader;
mod query;
mod results;
mod shortcuts;

use chrono::Local;
use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use self::filters::CaseFilters;
use self::loader::{Loaded, SearchLoader};
use self::query::{
    QueryDefaults, dates_reversed, parse_query, query_notes, query_string, with_dates_swapped,
};
pub use self::results::case_path;
use self::results::{Results, ResultsToolbar};
use self::shortcuts::{Shortcut, ShortcutHelp, move_selection, reveal_row};
use crate::app::{page_title, use_app};
use crate::model::OmniumCaseSearchRequest;

/// The case list and search page.
#[component]
pub fn CasesPage() -> impl IntoView {
    let app = use_app();
    let location = use_location();
    let navigate = StoredValue::new_local(use_navigate());
    let defaults = app
        .config
        .with_value(|config| QueryDefaults::new(config.page_size));

    // Leaving the list changes the URL before the page is disposed. Keeping
    // the last request then avoids a search for the next page's query string.
    let request = Memo::new(move |previous: Option<&OmniumCaseSearchRequest>| {
        let on_list = location
            .pathname
            .with(|path| path.trim_end_matches('/').ends_with("/cases"));

        match previous {
            Some(previous) if !on_list => previous.clone(),
            _ => location
                .search
                .with(|search| parse_query(search, defaults, &Local)),
        }
    });

    // Every change of view is a history entry, so Back returns to it. A
    // request equal to the current one adds none, which also keeps a
    // debounced search that settles on unchanged text out of the history.
    let show = Callback::new(move |next: OmniumCaseSearchRequest| {
        if request.with_untracked(|current| *current == next) {
            return;
        }

        let path = format!("/cases{}", query_string(&next, defaults, &Local));
        let options = NavigateOptions {
            scroll: false,
            ..NavigateOptions::default()
        };
        navigate.with_value(|navigate| navigate(&path, options));
    });

    // A hand-edited or outdated link may carry values the list cannot use.
    // Saying which ones were ignored explains a view that differs from it.
    let notes = Memo::new(move |_| {
        location
            .search
            .with(|search| query_notes(search, defaults, &Local))
    });

    page_title(move || {
        let text = request.with(|request| request.search_text.clone());
        Some(match text {
            Some(text) => format!("Cases: {text}"),
            None => "Cases".to_owned(),
        })
    });

    let loader = SearchLoader::start(request);
    let selected = RwSignal::new(None::<usize>);
    let help_open = RwSignal::new(false);
    let search_input = NodeRef::<html::Input>::new();
    let table = NodeRef::<html::Table>::new();

    // A new page of results starts without a picked row.
    Effect::new(move |_| {
        loader.loaded.track();
        selected.set(None);
    });

    let shown_ids = move || {
        loader.loaded.with_untracked(|loaded| match loaded {
            Some(Loaded {
                outcome: Ok(result),
                ..
            }) => result.result.iter().map(|case| case.id.clone()).collect(),
            _ => Vec::new(),
        })
    };

    shortcuts::listen(move |shortcut, event| {
        if help_open.get_untracked() {
            return;
        }

        match shortcut {
            Shortcut::FocusSearch => {
                let Some(input) = search_input.get_untracked() else {
                    return;
                };
                event.prevent_default();
                let _ = input.focus();
                input.select();
            }
            Shortcut::Next | Shortcut::Previous => {
                let step = if shortcut == Shortcut::Next { 1 } else { -1 };
                let next = move_selection(selected.get_untracked(), step, shown_ids().len());
                let Some(index) = next else {
                    return;
                };
                event.prevent_default();
                selected.set(Some(index));
                reveal_row(table, index);
            }
            Shortcut::Open => {
                let ids = shown_ids();
                let Some(id) = selected.get_untracked().and_then(|index| ids.get(index)) else {
                    return;
                };
                if id.trim().is_empty() {
                    return;
                }
                event.prevent_default();
                navigate.with_value(|navigate| navigate(&case_path(id), Default::default()));
            }
            Shortcut::Help => {
                event.prevent_default();
                help_open.set(true);
            }
        }
    });

    let close_help = Callback::new(move |()| help_open.set(false));

    view! {
        <section class="cases-page" aria-labelledby="cases-heading">
            <div class="cases-heading">
                <h1 id="cases-heading">"Cases"</h1>
                <div class="cases-actions">
                    <button
                        type="button"
                        class="button button-quiet"
                        aria-keyshortcuts="?"
                        on:click=move |_| help_open.set(true)
                    >
                        "Keyboard shortcuts"
                    </button>
                    <Show when=move || app.session.is_admin()>
                        <a class="button button-primary" href=app.href("/cases/new")>
                            "New case"
                        </a>
                    </Show>
                </div>
            </div>

            <CaseFilters request=request on_change=show search_input=search_input />

            <QueryNotes notes=notes request=request on_change=show />

            <ResultsToolbar request=request loader=loader on_change=show />

            <div class="progress-slot">
                <Show when=move || loader.pending.get()>
                    <div class="progress" role="progressbar" aria-label="Loading cases"></div>
                </Show>
            </div>

            <Results
                request=request
                loader=loader
                on_change=show
                selected=selected
                table=table
            />

            <Show when=move || help_open.get()>
                <ShortcutHelp on_close=close_help />
            </Show>
        </section>
    }
}

/// Explains link values the list ignored or corrected, and a date range
/// that ends before it starts, with a way to swap it.
#[component]
fn QueryNotes(
    /// Messages about ignored or corrected URL values.
    notes: Memo<Vec<String>>,
    /// The request the URL describes.
    request: Memo<OmniumCaseSearchRequest>,
    /// Called with the request to show next.
    on_change: Callback<OmniumCaseSearchRequest>,
) -> impl IntoView {
    let reversed = Memo::new(move |_| request.with(dates_reversed));
    let swap_dates = move |_| on_change.run(with_dates_swapped(&request.get_untracked(), &Local));

    view! {
        <Show when=move || notes.with(|notes| !notes.is_empty())>
            <div class="alert query-notes" role="status">
                <p>"Some values in this page's address were not used:"</p>
                <ul>
                    {move || notes.get().into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}
                </ul>
            </div>
        </Show>
        <Show when=move || reversed.get()>
            <div class="alert query-notes" role="status">
                <p>"The “Created from” date is after the “Created to” date, so no case can match."</p>
                <button type="button" class="button" on:click=swap_dates>
                    "Swap the dates"
                </button>
            </div>
        </Show>
    }
}
