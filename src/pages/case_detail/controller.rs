//! The detail page's state and the writes it sends. Views call these methods
//! and draw from the signals; nothing here draws.

use std::future::Future;

use chrono::Utc;
use leptos::prelude::*;
use serde_json::json;

use super::notes::{NoteAuthor, append_note, new_note};
use crate::api::{ApiError, AssignRequest};
use crate::app::AppContext;
use crate::model::{
    CaseId, CommentKind, OmniumCase, OmniumCasePatch, OmniumComment, new_client_id,
};

/// A write the page sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    Assign,
    Status,
    Priority,
    Note(CommentKind),
    Delete,
}

impl CaseAction {
    /// Returns the `action` value of the `omnium-cases:case-changed` event.
    pub fn event_name(self) -> &'static str {
        match self {
            Self::Assign => "assign",
            Self::Status => "status",
            Self::Priority => "priority",
            Self::Note(_) => "note",
            Self::Delete => "delete",
        }
    }
}

/// The dialog that is open, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenDialog {
    Assign,
    Status,
    Priority,
    Delete,
}

impl OpenDialog {
    /// Returns the write this dialog sends.
    pub fn action(self) -> CaseAction {
        match self {
            Self::Assign => CaseAction::Assign,
            Self::Status => CaseAction::Status,
            Self::Priority => CaseAction::Priority,
            Self::Delete => CaseAction::Delete,
        }
    }
}

/// A failed write and the action it belonged to, so the error shows beside
/// the control that sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFailure {
    pub action: CaseAction,
    pub error: ApiError,
}

/// The place a failed write's error is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailurePlace {
    /// In the open dialog that sent it.
    Dialog(OpenDialog),
    /// Under the note box that sent it.
    Composer(CommentKind),
    /// At the top of the case, for everything else, and whenever the control
    /// that sent it is gone (a 403 hides every admin control).
    Page,
}

/// The parts of a deleted case that the page keeps for its message.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedCase {
    pub case_number: Option<String>,
    pub subject: Option<String>,
}

/// The page's overall state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageView {
    Loading,
    Shown,
    NotFound,
    /// Loading failed for another reason and there is no case to show.
    Failed,
    Deleted,
}

/// The page's state. Copyable: every part is a reactive handle.
#[derive(Clone, Copy)]
pub struct CaseState {
    pub app: AppContext,
    /// The id from the route; `None` for one that is blank.
    pub id: Memo<Option<CaseId>>,
    /// The case as last read or written.
    pub shown: RwSignal<Option<OmniumCase>>,
    /// The route id of the last load taken in. A case or error loaded for
    /// another id is never shown, so the previous case cannot appear under
    /// the next case's address.
    pub loaded_for: RwSignal<Option<CaseId>>,
    /// The error of the latest load.
    pub load_error: RwSignal<Option<ApiError>>,
    /// Set once this page deleted the case.
    pub deleted: RwSignal<Option<DeletedCase>>,
    /// The write in flight; one at a time.
    pub busy: RwSignal<Option<CaseAction>>,
    pub failure: RwSignal<Option<ActionFailure>>,
    /// A visible note about the shown case, such as a colleague's change.
    pub notice: RwSignal<Option<String>>,
    /// Text of the polite live region: what the last action did.
    pub announcement: RwSignal<String>,
    pub dialog: RwSignal<Option<OpenDialog>>,
    /// Note drafts live here, outside the case resource, so reloading the
    /// case (after signing in again, say) keeps what the agent typed.
    pub public_draft: RwSignal<String>,
    pub internal_draft: RwSignal<String>,
    /// The public note last sent without a confirmed response, resent as it
    /// is when the agent retries the same text.
    pending_public: RwSignal<Option<OmniumComment>>,
    /// The internal note last sent without a confirmed response.
    pending_internal: RwSignal<Option<OmniumComment>>,
    /// The page's owner, under which writes run so leaving the page aborts
    /// them (the API client cancels requests on cleanup of their owner).
    owner: StoredValue<Option<Owner>>,
}

impl CaseState {
    /// Creates the state; call inside the page component.
    pub fn new(app: AppContext, id: Memo<Option<CaseId>>) -> Self {
        Self {
            app,
            id,
            shown: RwSignal::new(None),
            loaded_for: RwSignal::new(None),
            load_error: RwSignal::new(None),
            deleted: RwSignal::new(None),
            busy: RwSignal::new(None),
            failure: RwSignal::new(None),
            notice: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            dialog: RwSignal::new(None),
            public_draft: RwSignal::new(String::new()),
            internal_draft: RwSignal::new(String::new()),
            pending_public: RwSignal::new(None),
            pending_internal: RwSignal::new(None),
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// Returns the note of one kind last sent without a confirmed response.
    fn pending_note(self, kind: CommentKind) -> RwSignal<Option<OmniumComment>> {
        match kind {
            CommentKind::Public => self.pending_public,
            CommentKind::Internal => self.pending_internal,
        }
    }

    /// Returns the draft of one kind of note.
    pub fn draft(self, kind: CommentKind) -> RwSignal<String> {
        match kind {
            CommentKind::Public => self.public_draft,
            CommentKind::Internal => self.internal_draft,
        }
    }

    /// Forgets everything about the previous case when the route's id
    /// changes without the page being rebuilt.
    pub fn reset(self) {
        self.shown.set(None);
        self.loaded_for.set(None);
        self.load_error.set(None);
        self.deleted.set(None);
        self.failure.set(None);
        self.notice.set(None);
        self.dialog.set(None);
        self.public_draft.set(String::new());
        self.internal_draft.set(String::new());
        self.pending_public.set(None);
        self.pending_internal.set(None);
    }

    /// Takes in the result of loading the case `requested`. A result for an
    /// id the route has since left is dropped.
    pub fn loaded(self, requested: &CaseId, result: Result<OmniumCase, ApiError>) {
        let still_current = self
            .id
            .with_untracked(|current| current.as_ref() == Some(requested));

        // A newer load replaced this one, or the page is going away.
        if !still_current || matches!(result, Err(ApiError::Aborted)) {
            return;
        }

        self.loaded_for.set(Some(requested.clone()));

        match result {
            Ok(case) => {
                self.shown.set(Some(case));
                self.load_error.set(None);

                // A write refused for a rejected token is moot once the
                // agent signed in again and the case loaded.
                let token_rejected = self.failure.with_untracked(|failure| {
                    failure
                        .as_ref()
                        .is_some_and(|failure| matches!(failure.error, ApiError::Unauthorized(_)))
                });
                if token_rejected {
                    self.failure.set(None);
                }
            }
            Err(ApiError::NotFound) => {
                self.shown.set(None);
                self.load_error.set(Some(ApiError::NotFound));
            }
            Err(error) => self.load_error.set(Some(error)),
        }
    }

    /// Returns the page's overall state, tracked.
    pub fn view(self) -> PageView {
        let route_id = self.id.get();
        let loaded_for = self.loaded_for.get();

        page_view(&ViewInputs {
            route_id: route_id.as_ref(),
            loaded_for: loaded_for.as_ref(),
            deleted: self.deleted.with(Option::is_some),
            shown: self.shown.with(Option::is_some),
            error: self.load_error.get(),
        })
    }

    /// Opens a dialog, clearing an old failure so it does not show in it.
    pub fn open_dialog(self, dialog: OpenDialog) {
        self.failure.set(None);
        self.dialog.set(Some(dialog));
    }

    pub fn close_dialog(self) {
        self.dialog.set(None);
    }

    /// Tells whether `action` is the write in flight, tracked.
    pub fn is_saving(self, action: CaseAction) -> bool {
        self.busy.get() == Some(action)
    }

    /// Tells whether any write is in flight, tracked.
    pub fn is_busy(self) -> bool {
        self.busy.with(Option::is_some)
    }

    /// Returns where the current failure is shown, tracked.
    pub fn failure_place(self) -> Option<FailurePlace> {
        let action = self
            .failure
            .with(|failure| failure.as_ref().map(|f| f.action))?;
        let admin = self.app.session.is_admin();

        if !admin {
            return Some(FailurePlace::Page);
        }

        if let CaseAction::Note(kind) = action {
            return Some(FailurePlace::Composer(kind));
        }

        match self.dialog.get() {
            Some(dialog) if dialog.action() == action => Some(FailurePlace::Dialog(dialog)),
            _ => Some(FailurePlace::Page),
        }
    }

    /// Returns the current failure's error when it is shown at `place`,
    /// tracked.
    pub fn failure_at(self, place: FailurePlace) -> Option<ApiError> {
        if self.failure_place()? != place {
            return None;
        }

        self.failure
            .with(|failure| failure.as_ref().map(|f| f.error.clone()))
    }

    /// `POST assignto`.
    pub fn assign(self, assignee: AssignRequest) {
        let Some((id, _)) = self.begin(CaseAction::Assign) else {
            return;
        };
        let client = self.app.client();
        let done = format!("Assigned to {}.", assignee.assigned_to_name);

        self.spawn(async move {
            let result = client.assign_case(&id, &assignee).await;
            self.finish(&id, CaseAction::Assign, result, done);
        });
    }

    /// `POST changestatus`.
    pub fn change_status(self, status: String) {
        let Some((id, _)) = self.begin(CaseAction::Status) else {
            return;
        };
        let client = self.app.client();
        let done = format!("Status changed to {status}.");

        self.spawn(async move {
            let result = client.change_status(&id, &status).await;
            self.finish(&id, CaseAction::Status, result, done);
        });
    }

    /// `PATCH` with only the priority, so nothing else can be overwritten.
    pub fn change_priority(self, priority: String) {
        let Some((id, _)) = self.begin(CaseAction::Priority) else {
            return;
        };
        let client = self.app.client();
        let done = format!("Priority changed to {priority}.");
        let mut patch = OmniumCasePatch::for_case(&id);
        patch.priority = Some(priority);

        self.spawn(async move {
            let result = client.patch_case(&patch).await;
            self.finish(&id, CaseAction::Priority, result, done);
        });
    }

    /// Adds the draft of `kind` as a note.
    ///
    /// The API has no notes endpoint, so this is a full update (PUT). The
    /// case is read again right before writing and the note appended to that
    /// fresh copy, so a colleague's change since the page loaded survives.
    pub fn add_note(self, kind: CommentKind) {
        let draft = self.draft(kind);
        let text = draft.get_untracked();

        if text.trim().is_empty() {
            return;
        }

        let action = CaseAction::Note(kind);
        let Some((id, shown)) = self.begin(action) else {
            return;
        };

        let claims = untrack(|| self.app.session.claims());
        let author = NoteAuthor {
            user_id: claims.as_ref().and_then(|claims| claims.user_id.clone()),
            display_name: claims.and_then(|claims| claims.display_name),
        };
        // A retry of the same text sends the same note, id and time
        // included, so an attempt that was stored but whose response was lost
        // is found in the fresh copy instead of being added twice.
        let pending = self.pending_note(kind);
        let note = pending
            .get_untracked()
            .filter(|note| note.detail.as_deref() == Some(text.trim()))
            .unwrap_or_else(|| new_note(&text, kind, Utc::now(), &author, new_client_id()));
        pending.set(Some(note.clone()));
        let client = self.app.client();

        self.spawn(async move {
            let fresh = match client.get_case(&id).await {
                Ok(fresh) => fresh,
                Err(error) => return self.fail(action, error),
            };

            let merge = append_note(fresh, shown.changed, note, kind);
            let result = if merge.already_saved {
                Ok(merge.case.clone())
            } else {
                client.update_case(&merge.case).await
            };

            if result.is_ok() && self.is_current(&id) {
                pending.set(None);

                // Only the text that was sent is cleared; the box is
                // read-only while saving, so this is the usual case.
                if draft.try_get_untracked().as_ref() == Some(&text) {
                    draft.set(String::new());
                }

                if merge.already_saved {
                    self.notice.set(Some(
                        "Your earlier attempt had already added this note, so it was not \
                         added again."
                            .to_owned(),
                    ));
                } else if merge.changed_since_shown {
                    self.notice.set(Some(
                        "This case was changed by someone else after you opened it. Your note \
                         was added to the latest version, which is shown now."
                            .to_owned(),
                    ));
                }
            }

            let done = match kind {
                CommentKind::Public => "Public note added.",
                CommentKind::Internal => "Internal note added.",
            };
            self.finish(&id, action, result, done.to_owned());
        });
    }

    /// `DELETE`: afterwards the page shows that the case is deleted.
    pub fn delete(self) {
        let Some((id, shown)) = self.begin(CaseAction::Delete) else {
            return;
        };
        let client = self.app.client();

        self.spawn(async move {
            if let Err(error) = client.delete_case(&id).await {
                return self.fail(CaseAction::Delete, error);
            }

            if !self.is_current(&id) {
                self.busy.set(None);
                return;
            }

            self.busy.set(None);
            self.dialog.set(None);
            self.announcement.set(format!(
                "Case {} was deleted.",
                shown.case_number.as_deref().unwrap_or(shown.id.as_str())
            ));
            self.announce_change(&shown, CaseAction::Delete);
            self.deleted.set(Some(DeletedCase {
                case_number: shown.case_number,
                subject: shown.subject,
            }));
        });
    }

    /// Marks `action` as in flight and returns the id to write to and the
    /// case as shown. Returns `None` while another write runs or while no
    /// case is shown.
    fn begin(self, action: CaseAction) -> Option<(CaseId, OmniumCase)> {
        if self.busy.get_untracked().is_some() {
            return None;
        }

        let shown = self.shown.get_untracked()?;
        let id = CaseId::new(&shown.id).or_else(|| self.id.get_untracked())?;

        self.busy.set(Some(action));
        self.failure.set(None);
        self.notice.set(None);
        Some((id, shown))
    }

    /// Tells whether `id` is still the case on screen.
    fn is_current(self, id: &CaseId) -> bool {
        self.shown
            .try_with_untracked(|shown| {
                shown
                    .as_ref()
                    .is_some_and(|shown| shown.id == id.as_str() || shown.id.is_empty())
            })
            .unwrap_or(false)
    }

    fn spawn(self, task: impl Future<Output = ()> + 'static) {
        match self.owner.get_value() {
            Some(owner) => owner.with(|| leptos::task::spawn_local_scoped(task)),
            None => leptos::task::spawn_local_scoped(task),
        }
    }

    fn finish(
        self,
        id: &CaseId,
        action: CaseAction,
        result: Result<OmniumCase, ApiError>,
        done: String,
    ) {
        let case = match result {
            Ok(case) => case,
            Err(error) => return self.fail(action, error),
        };

        // The agent may have followed a link to another case meanwhile, and
        // then the response is not the case on screen.
        if !self.is_current(id) {
            self.busy.set(None);
            return;
        }

        self.busy.set(None);
        self.dialog.set(None);
        self.announcement.set(done);
        self.announce_change(&case, action);
        self.shown.set(Some(case));
    }

    fn fail(self, action: CaseAction, error: ApiError) {
        self.busy.set(None);

        // An abort means the page is going away; there is no one to tell.
        if error == ApiError::Aborted {
            return;
        }

        leptos::logging::warn!(
            "Case {} {} failed: {}",
            self.id
                .try_get_untracked()
                .flatten()
                .map(|id| id.to_string())
                .unwrap_or_default(),
            action.event_name(),
            failure_kind(&error)
        );
        self.failure.set(Some(ActionFailure { action, error }));
    }

    fn announce_change(self, case: &OmniumCase, action: CaseAction) {
        self.app.announce(
            "omnium-cases:case-changed",
            json!({
                "id": case.id,
                "caseNumber": case.case_number,
                "action": action.event_name(),
            }),
        );
    }
}

/// What [`page_view`] decides from.
#[derive(Debug, Clone, PartialEq)]
struct ViewInputs<'a> {
    /// The id in the route; `None` for a blank one.
    route_id: Option<&'a CaseId>,
    /// The route id of the last load taken in.
    loaded_for: Option<&'a CaseId>,
    deleted: bool,
    shown: bool,
    error: Option<ApiError>,
}

/// Decides what the page shows. Anything loaded for another id than the
/// route's counts as not loaded yet, because the route changes before the
/// page's state is reset and the previous case must not show in between.
fn page_view(inputs: &ViewInputs) -> PageView {
    let Some(route_id) = inputs.route_id else {
        return PageView::NotFound;
    };

    if inputs.loaded_for != Some(route_id) {
        return PageView::Loading;
    }

    if inputs.deleted {
        return PageView::Deleted;
    }

    if inputs.shown {
        return PageView::Shown;
    }

    match inputs.error {
        Some(ApiError::NotFound) => PageView::NotFound,
        Some(_) => PageView::Failed,
        None => PageView::Loading,
    }
}

/// Describes a failure for the log by its HTTP status or by what went wrong
/// on the way. Messages are left out because they may quote the case's data.
fn failure_kind(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized(_) => "HTTP 401".to_owned(),
        ApiError::Forbidden => "HTTP 403".to_owned(),
        ApiError::NotFound => "HTTP 404".to_owned(),
        ApiError::Conflict(_) => "HTTP 409".to_owned(),
        ApiError::Validation(_) => "HTTP 400".to_owned(),
        ApiError::RateLimited(_) => "HTTP 429".to_owned(),
        ApiError::Server { status, .. } | ApiError::UnexpectedStatus { status, .. } => {
            format!("HTTP {status}")
        }
        ApiError::Network => "network error".to_owned(),
        ApiError::Timeout(_) => "timeout".to_owned(),
        ApiError::MalformedResponse(_) => "unreadable response".to_owned(),
        ApiError::Aborted => "aborted".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> CaseId {
        CaseId::new(text).unwrap()
    }

    #[test]
    fn stale_case_is_hidden() {
        let (a, b) = (id("case-a"), id("case-b"));

        let view = page_view(&ViewInputs {
            route_id: Some(&b),
            loaded_for: Some(&a),
            deleted: false,
            shown: true,
            error: None,
        });

        assert_eq!(view, PageView::Loading);
    }

    #[test]
    fn stale_error_and_deletion_are_hidden() {
        let (a, b) = (id("case-a"), id("case-b"));
        let mut inputs = ViewInputs {
            route_id: Some(&b),
            loaded_for: Some(&a),
            deleted: false,
            shown: false,
            error: Some(ApiError::NotFound),
        };

        assert_eq!(page_view(&inputs), PageView::Loading);

        inputs.error = Some(ApiError::Network);
        assert_eq!(page_view(&inputs), PageView::Loading);

        inputs.error = None;
        inputs.deleted = true;
        assert_eq!(page_view(&inputs), PageView::Loading);
    }

    #[test]
    fn nothing_loaded_yet_is_loading() {
        let b = id("case-b");

        let view = page_view(&ViewInputs {
            route_id: Some(&b),
            loaded_for: None,
            deleted: false,
            shown: false,
            error: None,
        });

        assert_eq!(view, PageView::Loading);
    }

    #[test]
    fn loads_for_route_id_decide_view() {
        let b = id("case-b");
        let loaded = |deleted, shown, error| ViewInputs {
            route_id: Some(&b),
            loaded_for: Some(&b),
            deleted,
            shown,
            error,
        };

        assert_eq!(page_view(&loaded(false, true, None)), PageView::Shown);
        assert_eq!(page_view(&loaded(true, false, None)), PageView::Deleted);
        assert_eq!(
            page_view(&loaded(false, false, Some(ApiError::NotFound))),
            PageView::NotFound
        );
        assert_eq!(
            page_view(&loaded(false, false, Some(ApiError::Network))),
            PageView::Failed
        );
        // A retry clears the error and waits for the new response.
        assert_eq!(page_view(&loaded(false, false, None)), PageView::Loading);
        // A reload that failed while a case is shown keeps the case.
        assert_eq!(
            page_view(&loaded(false, true, Some(ApiError::Network))),
            PageView::Shown
        );
    }

    #[test]
    fn blank_route_id_is_not_found() {
        let view = page_view(&ViewInputs {
            route_id: None,
            loaded_for: None,
            deleted: false,
            shown: false,
            error: None,
        });

        assert_eq!(view, PageView::NotFound);
    }
}
