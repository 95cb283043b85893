//! `/cases/:id`: one case at a glance, and the quick actions agents take on
//! it all day.
//!
//! [`controller`] contains the page's state and sends its writes, and
//! [`loader`] reads the case. The other modules draw one part of the case
//! each.

mod actions;
mod controller;
mod facts;
mod loader;
mod notes;
mod properties;
mod related;
mod timeline;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use self::actions::{ActionBar, ActionDialogs};
use self::controller::{CaseState, FailurePlace, OpenDialog, PageView};
use self::facts::{CaseDescription, CaseFacts, CaseHeader};
use self::notes::NotesSection;
use self::properties::PropertiesSection;
use self::related::{ParticipantsSection, RelatedSection};
use self::timeline::StatusTimeline;
use crate::app::{page_title, use_app};
use crate::components::error_view::ErrorView;
use crate::components::keyboard::{event_in_app, has_command_modifier, is_typing};
use crate::model::{CaseId, CommentKind, OmniumCase};

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds the app path of a case's detail page, such as `/cases/42`.
pub fn case_path(id: &CaseId) -> String {
    format!("/cases/{}", utf8_percent_encode(id.as_str(), PATH_SEGMENT))
}

/// The case detail page.
#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id")).and_then(CaseId::new));
    let state = CaseState::new(app, id);
    let retry = loader::start(state);

    listen_for_shortcuts(state);

    let page = Memo::new(move |_| state.view());

    page_title(move || {
        if page.get() != PageView::Shown {
            return Some("Case".to_owned());
        }

        state.shown.with(|case| {
            case.as_ref().map(|case| {
                let number = case.case_number.as_deref().unwrap_or_default();
                let subject = case.subject.as_deref().unwrap_or_default();
                format!("{number} {subject}")
            })
        })
    });

    view! {
        <section class="case-detail-page">
            <p class="visually-hidden" role="status" aria-live="polite">
                {move || state.announcement.get()}
            </p>
            {move || match page.get() {
                PageView::Loading => view! {
                    <div class="progress" aria-hidden="true"></div>
                    <p class="hint">"Loading the case…"</p>
                }
                .into_any(),
                PageView::Shown => view! { <CaseView state retry /> }.into_any(),
                PageView::NotFound => view! { <CaseNotFound state /> }.into_any(),
                PageView::Failed => view! {
                    <h1>"Case"</h1>
                    {move || {
                        state.load_error.get().map(|error| view! { <ErrorView error on_retry=retry /> })
                    }}
                }
                .into_any(),
                PageView::Deleted => view! { <CaseDeleted state /> }.into_any(),
            }}
        </section>
    }
}

/// The case and, for admins, its actions.
#[component]
fn CaseView(state: CaseState, retry: Callback<()>) -> impl IntoView {
    let case: Memo<OmniumCase> = Memo::new(move |_| state.shown.get().unwrap_or_default());
    let admin = move || state.app.session.is_admin();
    let list_href = state.app.href("/cases");

    // A reload that failed while a case is shown leaves the case in place
    // with the error above it.
    let reload_error = move || {
        state
            .load_error
            .get()
            .map(|error| view! { <ErrorView error on_retry=retry /> })
    };
    let page_failure = move || {
        state
            .failure_at(FailurePlace::Page)
            .map(|error| view! { <ErrorView error /> })
    };
    let notice = move || {
        state
            .notice
            .get()
            .map(|text| view! { <p class="alert case-notice" role="status">{text}</p> })
    };

    view! {
        <nav class="case-breadcrumb" aria-label="Breadcrumb">
            <a href=list_href>"Cases"</a>
        </nav>
        <CaseHeader case />
        {reload_error}
        {page_failure}
        {notice}
        <Show when=move || state.is_busy()>
            <div class="progress" aria-hidden="true"></div>
        </Show>
        <Show when=admin>
            <ActionBar state case />
            <ActionDialogs state case />
        </Show>
        <div class="case-layout">
            <div class="case-main">
                <CaseDescription case />
                <NotesSection state case kind=CommentKind::Public />
                <NotesSection state case kind=CommentKind::Internal />
            </div>
            <div class="case-side">
                <CaseFacts case />
                <StatusTimeline case />
                <ParticipantsSection case />
                <PropertiesSection case />
                <RelatedSection case />
            </div>
        </div>
    }
}

/// Shown for an unknown id. The API returns 404 for a deleted case too, so
/// the wording covers both.
#[component]
fn CaseNotFound(state: CaseState) -> impl IntoView {
    let list_href = state.app.href("/cases");
    let id = state
        .id
        .get_untracked()
        .map(|id| id.to_string())
        .unwrap_or_default();

    view! {
        <div class="notice-page">
            <h1>"Case not found"</h1>
            <p>
                "There is no case with the id " <code>{id}</code>
                ". It may have been deleted, or the link may be wrong."
            </p>
            <p>
                <a href=list_href>"Back to the case list"</a>
            </p>
        </div>
    }
}

/// Shown after this page deleted the case.
#[component]
fn CaseDeleted(state: CaseState) -> impl IntoView {
    let list_href = state.app.href("/cases");
    let deleted = state.deleted.get_untracked();
    let number = deleted
        .as_ref()
        .and_then(|deleted| deleted.case_number.clone())
        .unwrap_or_default();
    let subject = deleted
        .and_then(|deleted| deleted.subject)
        .unwrap_or_default();

    // The delete button that had focus is gone; the heading takes it so
    // screen readers land on the outcome.
    let heading = NodeRef::<html::H1>::new();
    heading.on_load(|heading| {
        let _ = heading.focus();
    });

    view! {
        <div class="notice-page">
            <h1 tabindex="-1" node_ref=heading>"Case deleted"</h1>
            <p>
                "Case " <strong>{number}</strong> " “" {subject}
                "” was deleted. It no longer appears in the case list."
            </p>
            <p>
                <a href=list_href>"Back to the case list"</a>
            </p>
        </div>
    }
}

/// Single-key shortcuts for admins: `e` edit, `a` assign, `s` change status.
fn listen_for_shortcuts(state: CaseState) {
    let navigate = use_navigate();
    let embedded = state.app.is_mounted();

    let handle = window_event_listener(ev::keydown, move |event| {
        if event.default_prevented()
            || event.repeat()
            || is_typing(&event)
            || has_command_modifier(&event)
            || !event_in_app(&event, embedded)
        {
            return;
        }

        let ready = untrack(|| {
            state.view() == PageView::Shown
                && state.dialog.get().is_none()
                && state.app.session.sign_in_needed().is_none()
                && state.app.session.is_admin()
        });

        if !ready {
            return;
        }

        match event.key().as_str() {
            "e" => {
                let Some(id) = state.id.get_untracked() else {
                    return;
                };

                navigate(&format!("{}/edit", case_path(&id)), Default::default());
            }
            "a" => state.open_dialog(OpenDialog::Assign),
            "s" => state.open_dialog(OpenDialog::Status),
            _ => return,
        }

        event.prevent_default();
    });

    on_cleanup(move || handle.remove());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_path_encodes_id() {
        let id = CaseId::new("a/b c").unwrap();

        assert_eq!(case_path(&id), "/cases/a%2Fb%20c");
        assert_eq!(
            case_path(&CaseId::new("c-1_2.3").unwrap()),
            "/cases/c-1_2.3"
        );
    }
}
