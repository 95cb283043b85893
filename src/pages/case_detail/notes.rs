//! Public notes and internal notes as two separate streams, and the boxes
//! agents write new notes in.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde_json::Value;

use super::controller::{CaseAction, CaseState, FailurePlace};
use crate::components::copy_button::CopyButton;
use crate::components::error_view::ErrorView;
use crate::components::relative_time::RelativeTime;
use crate::model::{CommentKind, OmniumCase, OmniumComment};
use crate::pages::case_form::{load_note_draft, note_draft_key, store_note_draft};

/// The label on every internal note, so it is never taken for one visible
/// to the customer, whatever the colours.
pub const INTERNAL_LABEL: &str = "Internal — not visible to the customer";

/// The author of a new note, from the token's claims.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteAuthor {
    pub user_id: Option<String>,
    pub display_name: Option<String>,
}

/// A fresh copy of the case with a note appended, ready for a full update.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteMerge {
    pub case: OmniumCase,
    /// The fresh copy's `changed` differs from the shown case's, so someone
    /// changed the case after the page showed it.
    pub changed_since_shown: bool,
    /// The fresh copy already has a note with this note's id: an earlier
    /// attempt was stored although its response was lost, so nothing is sent.
    pub already_saved: bool,
}

/// Builds a note as the agent writes it: trimmed text, the agent as creator,
/// the type of the stream it goes to and, when given, an id of the app's
/// own, which lets a retry recognise an attempt that was stored.
pub fn new_note(
    text: &str,
    kind: CommentKind,
    now: DateTime<Utc>,
    author: &NoteAuthor,
    id: Option<String>,
) -> OmniumComment {
    OmniumComment {
        id,
        created: Some(now),
        creator: author
            .display_name
            .clone()
            .or_else(|| author.user_id.clone()),
        user_id: author.user_id.clone(),
        detail: Some(text.trim().to_owned()),
        comment_type: Some(kind.wire_name().to_owned()),
        ..OmniumComment::default()
    }
}

/// Appends `note` to the freshly read case. Everything else comes from the
/// fresh copy, so a colleague's change since the page loaded is kept rather
/// than overwritten with the older shown case.
pub fn append_note(
    mut fresh: OmniumCase,
    shown_changed: Option<DateTime<Utc>>,
    note: OmniumComment,
    kind: CommentKind,
) -> NoteMerge {
    let changed_since_shown = fresh.changed != shown_changed;
    let stream = match kind {
        CommentKind::Public => &mut fresh.case_notes,
        CommentKind::Internal => &mut fresh.internal_notes,
    };
    let already_saved = note
        .id
        .as_ref()
        .is_some_and(|id| stream.iter().any(|stored| stored.id.as_ref() == Some(id)));

    if !already_saved {
        stream.push(note);
    }

    NoteMerge {
        case: fresh,
        changed_since_shown,
        already_saved,
    }
}

/// One stream of notes with its heading, its notes and, for admins, the box
/// to add one.
#[component]
pub fn NotesSection(
    /// The page's state.
    state: CaseState,
    /// The case shown on the page.
    case: Memo<OmniumCase>,
    /// Which stream this is.
    kind: CommentKind,
) -> impl IntoView {
    let notes = Memo::new(move |_| {
        case.with(|case| match kind {
            CommentKind::Public => case.case_notes.clone(),
            CommentKind::Internal => case.internal_notes.clone(),
        })
    });

    let (class, heading_id, heading, intro, empty) = match kind {
        CommentKind::Public => (
            "case-section notes notes-public",
            "case-public-notes-heading",
            "Public notes",
            "Visible to the customer.",
            "No public notes yet.",
        ),
        CommentKind::Internal => (
            "case-section notes notes-internal",
            "case-internal-notes-heading",
            "Internal notes",
            "Staff only. The customer never sees these.",
            "No internal notes yet.",
        ),
    };

    let admin = move || state.app.session.is_admin();
    let draft = state.draft(kind);
    let unsent = move || !admin() && !draft.with(|text| text.trim().is_empty());

    keep_draft_in_storage(state, kind);

    let list = move || {
        let notes = notes.get();

        if notes.is_empty() {
            return view! { <p class="hint">{empty}</p> }.into_any();
        }

        let items = notes
            .into_iter()
            .map(|note| view! { <NoteItem note kind /> })
            .collect_view();

        view! { <ol class="note-list">{items}</ol> }.into_any()
    };

    view! {
        <section class=class aria-labelledby=heading_id>
            <h2 id=heading_id>
                {heading}
                <span class="note-count">" (" {move || notes.with(Vec::len)} ")"</span>
            </h2>
            <p class="hint notes-intro">{intro}</p>
            {list}
            <Show when=admin>
                <NoteComposer state kind />
            </Show>
            <Show when=unsent>
                <UnsentDraft state kind />
            </Show>
        </section>
    }
}

/// Keeps the unsent note of `kind` in `localStorage` while the agent types,
/// and puts it back when the case is opened again, so leaving the page,
/// Back, a reload or a crash does not lose it. Signing out deletes it with
/// the agent's other drafts.
fn keep_draft_in_storage(state: CaseState, kind: CommentKind) {
    let session = state.app.session;
    let draft = state.draft(kind);
    let Some(case_id) = state.id.get_untracked() else {
        return;
    };
    let user_id = untrack(|| session.claims()).and_then(|claims| claims.user_id);
    let key = note_draft_key(user_id.as_deref(), &case_id, kind.wire_name());

    if draft.with_untracked(|text| text.trim().is_empty())
        && let Some(text) = load_note_draft(&key)
    {
        draft.set(text);
    }

    Effect::new(move |_| {
        let text = draft.get();

        // After signing out the drafts were deleted on purpose; writing
        // one back would undo that. When the route moves to another case,
        // the page empties the boxes, which must not delete this case's draft.
        let same_case = state.id.with_untracked(|id| id.as_ref() == Some(&case_id));
        if untrack(|| session.token()).is_none() || !same_case {
            return;
        }

        store_note_draft(&key, &text);
    });
}

#[component]
fn NoteItem(note: OmniumComment, kind: CommentKind) -> impl IntoView {
    let internal = kind == CommentKind::Internal;
    let creator = note
        .creator
        .clone()
        .or(note.user_id.clone())
        .unwrap_or_else(|| "Unknown author".to_owned());
    let tags = (!note.tags.is_empty()).then(|| {
        let tags = note
            .tags
            .iter()
            .map(|tag| view! { <li class="badge badge-quiet">{tag.clone()}</li> })
            .collect_view();

        view! { <ul class="tag-list" aria-label="Note tags">{tags}</ul> }
    });
    let attachments = (!note.attachments.is_empty()).then(|| {
        let items = note.attachments.iter().map(attachment_view).collect_view();

        view! { <ul class="note-attachments" aria-label="Attachments">{items}</ul> }
    });

    view! {
        <li class="note" class:note-internal=internal>
            {internal.then(|| view! { <p class="note-label">{INTERNAL_LABEL}</p> })}
            <p class="note-meta">
                <span class="note-creator">{creator}</span>
                " · "
                <RelativeTime value=note.created empty="unknown time" />
            </p>
            {note.title.map(|title| view! { <p class="note-title">{title}</p> })}
            <div class="note-detail">{note.detail.unwrap_or_default()}</div>
            {tags}
            {attachments}
        </li>
    }
}

/// Draws an attachment by its file name, linked only when its URL is http(s), so
/// a stored `javascript:` address can never become a link.
fn attachment_view(attachment: &Value) -> AnyView {
    let text = |keys: &[&str]| {
        keys.iter()
            .find_map(|key| attachment.get(*key).and_then(Value::as_str))
            .map(str::to_owned)
    };
    let name =
        text(&["fileName", "FileName", "name", "Name"]).unwrap_or_else(|| "Attachment".to_owned());
    let url = text(&["url", "Url", "uri", "Uri"])
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));

    match url {
        Some(url) => view! {
            <li>
                <a href=url target="_blank" rel="noopener">{name}</a>
            </li>
        }
        .into_any(),
        None => view! { <li>{name}</li> }.into_any(),
    }
}

#[component]
fn NoteComposer(state: CaseState, kind: CommentKind) -> impl IntoView {
    let draft = state.draft(kind);
    let action = CaseAction::Note(kind);
    let (id, hint_id, label, hint, button) = match kind {
        CommentKind::Public => (
            "case-new-public-note",
            "case-new-public-note-hint",
            "New public note",
            "The customer will see this note.",
            "Add public note",
        ),
        CommentKind::Internal => (
            "case-new-internal-note",
            "case-new-internal-note-hint",
            "New internal note",
            "Only staff will see this note.",
            "Add internal note",
        ),
    };

    let saving = move || state.is_saving(action);
    let blank = move || draft.with(|text| text.trim().is_empty());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        state.add_note(kind);
    };

    // Ctrl+Enter (Cmd+Enter on macOS) sends the note from the text box.
    let keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            event.prevent_default();
            state.add_note(kind);
        }
    };

    view! {
        <form class="note-composer" on:submit=submit>
            <label for=id>{label}</label>
            <p class="hint" id=hint_id>
                {hint}
                " Ctrl+Enter adds it."
            </p>
            <textarea
                id=id
                rows="4"
                aria-describedby=hint_id
                prop:value=move || draft.get()
                readonly=saving
                on:input=move |event| draft.set(event_target_value(&event))
                on:keydown=keydown
            ></textarea>
            {move || {
                state
                    .failure_at(FailurePlace::Composer(kind))
                    .map(|error| {
                        view! {
                            <ErrorView error />
                            <p class="hint">"Your note was not added. It is still in the box above."</p>
                        }
                    })
            }}
            <div class="composer-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || state.is_busy() || blank()
                >
                    {move || if saving() { "Saving…" } else { button }}
                </button>
            </div>
        </form>
    }
}

/// A draft that can no longer be sent because the access went away (the API
/// rejected a write). It stays readable and copyable so it is not lost.
#[component]
fn UnsentDraft(state: CaseState, kind: CommentKind) -> impl IntoView {
    let draft = state.draft(kind);
    let (id, label) = match kind {
        CommentKind::Public => ("case-unsent-public-note", "Unsaved public note"),
        CommentKind::Internal => ("case-unsent-internal-note", "Unsaved internal note"),
    };
    let copied = RwSignal::new(String::new());

    view! {
        <div class="unsent-note">
            <label for=id>{label}</label>
            <p class="hint">
                "This note was not saved, and your access token no longer allows changes. "
                "Copy it before you leave this page."
            </p>
            <textarea id=id rows="4" readonly prop:value=move || draft.get()></textarea>
            <CopyButton
                text=Signal::derive(move || draft.get())
                label=label.to_lowercase()
                on_result=Callback::new(move |message| copied.set(message))
            />
            <p class="hint" aria-live="polite">{move || copied.get()}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + minutes * 60, 0).unwrap()
    }

    fn author() -> NoteAuthor {
        NoteAuthor {
            user_id: Some("agent-ada".into()),
            display_name: Some("Ada Lovelace".into()),
        }
    }

    fn existing_note(detail: &str) -> OmniumComment {
        OmniumComment {
            id: Some(format!("id-{detail}")),
            detail: Some(detail.to_owned()),
            ..OmniumComment::default()
        }
    }

    #[test]
    fn new_note_carries_author_and_type() {
        let note = new_note(
            "  Called the carrier.\n",
            CommentKind::Internal,
            at(0),
            &author(),
            None,
        );

        assert_eq!(note.detail.as_deref(), Some("Called the carrier."));
        assert_eq!(note.creator.as_deref(), Some("Ada Lovelace"));
        assert_eq!(note.user_id.as_deref(), Some("agent-ada"));
        assert_eq!(note.comment_type.as_deref(), Some("Internal"));
        assert_eq!(note.created, Some(at(0)));
        assert_eq!(note.id, None);
    }

    #[test]
    fn new_note_without_name_uses_user_id() {
        let author = NoteAuthor {
            user_id: Some("agent-ada".into()),
            display_name: None,
        };

        let note = new_note("Hi", CommentKind::Public, at(0), &author, None);

        assert_eq!(note.creator.as_deref(), Some("agent-ada"));
        assert_eq!(note.comment_type.as_deref(), Some("Public"));
    }

    #[test]
    fn append_note_goes_to_its_stream() {
        let case = OmniumCase {
            changed: Some(at(1)),
            ..OmniumCase::default()
        };
        let note = new_note("Hello", CommentKind::Public, at(2), &author(), None);

        let public = append_note(case.clone(), Some(at(1)), note.clone(), CommentKind::Public);
        let internal = append_note(case, Some(at(1)), note, CommentKind::Internal);

        assert_eq!(public.case.case_notes.len(), 1);
        assert!(public.case.internal_notes.is_empty());
        assert_eq!(internal.case.internal_notes.len(), 1);
        assert!(internal.case.case_notes.is_empty());
        assert!(!public.changed_since_shown);
    }

    #[test]
    fn append_note_keeps_colleague_changes() {
        // The colleague changed the subject and added a note after the page
        // showed the case; both survive and the note goes last.
        let fresh = OmniumCase {
            id: "c-1".into(),
            subject: Some("Changed by a colleague".into()),
            changed: Some(at(5)),
            case_notes: vec![existing_note("first"), existing_note("colleague")],
            ..OmniumCase::default()
        };
        let note = new_note("mine", CommentKind::Public, at(6), &author(), None);

        let merge = append_note(fresh, Some(at(1)), note, CommentKind::Public);

        assert!(merge.changed_since_shown);
        assert_eq!(
            merge.case.subject.as_deref(),
            Some("Changed by a colleague")
        );
        let details: Vec<&str> = merge
            .case
            .case_notes
            .iter()
            .filter_map(|note| note.detail.as_deref())
            .collect();
        assert_eq!(details, ["first", "colleague", "mine"]);
    }

    #[test]
    fn append_note_skips_note_already_stored() {
        let note = new_note(
            "mine",
            CommentKind::Public,
            at(6),
            &author(),
            Some("n-1".into()),
        );
        let fresh = OmniumCase {
            changed: Some(at(6)),
            case_notes: vec![existing_note("first"), note.clone()],
            ..OmniumCase::default()
        };

        let merge = append_note(fresh, Some(at(1)), note, CommentKind::Public);

        assert!(merge.already_saved);
        assert_eq!(merge.case.case_notes.len(), 2);
    }

    #[test]
    fn append_note_adds_note_with_new_id() {
        let note = new_note(
            "mine",
            CommentKind::Internal,
            at(6),
            &author(),
            Some("n-2".into()),
        );
        let fresh = OmniumCase {
            internal_notes: vec![existing_note("first")],
            ..OmniumCase::default()
        };

        let merge = append_note(fresh, None, note, CommentKind::Internal);

        assert!(!merge.already_saved);
        assert_eq!(merge.case.internal_notes.len(), 2);
        assert_eq!(merge.case.internal_notes[1].id.as_deref(), Some("n-2"));
    }

    #[test]
    fn append_note_sees_change_from_missing_time() {
        let fresh = OmniumCase {
            changed: Some(at(5)),
            ..OmniumCase::default()
        };
        let note = new_note("mine", CommentKind::Public, at(6), &author(), None);

        assert!(append_note(fresh, None, note, CommentKind::Public).changed_since_shown);
    }
}
