//! `/cases/new` and `/cases/:id/edit`: the create and edit forms.
//!
//! The forms never lose an agent's work. The form is kept as a draft in
//! `localStorage` while the agent types, and leaving with edits needs a
//! confirmation. A save re-reads the case and shows a colleague's change
//! beside the agent's instead of overwriting it. A failed save keeps
//! everything in place.

mod conflict_view;
mod diff;
mod draft;
mod fields;
mod guard;
mod validate;
mod view;

use chrono::{DateTime, Local, Utc};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use wasm_bindgen::JsCast;

pub use self::draft::{
    load_text as load_note_draft, note_draft_key, remove_user_drafts,
    store_text as store_note_draft, user_draft_keys,
};
pub use self::guard::guard_back_navigation;

use self::conflict_view::ConflictPanel;
use self::diff::{
    Change, Choice, ConflictRow, SavePlan, build_new_case, changed_fields, conflict_rows,
    full_update_note, merge_choices, plan_save, resolve,
};
use self::draft::Draft;
use self::fields::{Field, FormValues};
use self::validate::{FieldMessage, place_api_errors, validate};
use self::view::FormFields;
use crate::api::ApiError;
use crate::app::{AppContext, page_title, use_app};
use crate::components::error_view::ErrorView;
use crate::components::keyboard::active_element;
use crate::components::relative_time::RelativeTime;
use crate::model::{CaseId, OmniumCase, new_client_id};
use crate::text::local_time;

/// Renders the form for a new case. Only case admins see it.
#[component]
pub fn NewCasePage() -> impl IntoView {
    page_title(|| Some("New case".to_owned()));

    view! {
        <AdminOnly>
            <NewCaseForm />
        </AdminOnly>
    }
}

/// Renders the form for editing a case. Only case admins see it.
#[component]
pub fn EditCasePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id")));
    page_title(|| Some("Edit case".to_owned()));

    view! {
        <AdminOnly>
            {move || match id.get().as_deref().and_then(CaseId::new) {
                Some(id) => view! { <EditCaseForm id /> }.into_any(),
                None => view! { <ErrorView error=ApiError::NotFound /> }.into_any(),
            }}
        </AdminOnly>
    }
}

/// Shows its children to case admins and shows everyone else what access
/// they need. A form opened by an admin stays when a refused save lowers
/// the session to read-only, so the agent's work stays on screen beside the
/// error.
#[component]
fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let app = use_app();
    let session = app.session;
    let opened_as_admin = untrack(|| session.is_admin());
    let allowed = move || session.is_admin() || (opened_as_admin && session.was_downgraded());

    view! {
        <Show when=allowed fallback=move || view! { <AdminNeeded /> }>
            {children()}
        </Show>
    }
}

#[component]
fn AdminNeeded() -> impl IntoView {
    let app = use_app();

    view! {
        <section class="notice-page" role="alert">
            <h1>"Case-admin access needed"</h1>
            <p>
                "Creating and editing cases needs case-admin access, and your access token "
                "allows reading cases only. Ask an Omnium administrator for the CaseAdmin role, "
                "then sign in again."
            </p>
            <p>
                <a href=app.href("/cases")>"Back to cases"</a>
            </p>
        </section>
    }
}

#[component]
fn NewCaseForm() -> impl IntoView {
    let app = use_app();
    let model = FormModel::new(&app, None);

    model.open(None);

    view! {
        <section class="case-form-page">
            <header class="case-form-header">
                <p class="case-form-back">
                    <a href=app.href("/cases")>"Back to cases"</a>
                </p>
                <h1>"New case"</h1>
            </header>
            <CaseForm model />
        </section>
    }
}

#[component]
fn EditCaseForm(id: CaseId) -> impl IntoView {
    let app = use_app();
    let session = app.session;
    let model = FormModel::new(&app, Some(id.clone()));

    let load_id = id.clone();
    let loaded = LocalResource::new(move || {
        // Reading the token reloads the case after the agent signs in again;
        // an open form ignores the reload (see below), so no edit is lost.
        let _ = session.token();
        let client = app.client();
        let id = load_id.clone();

        async move { client.get_case(&id).await }
    });

    Effect::new(move |_| {
        let Some(Ok(case)) = loaded.get() else {
            return;
        };

        if !model.ready.get_untracked() {
            model.open(Some(&case));
        }
    });

    let back = app.href(&case_path(&id));
    let title = move || match model.case_number.get() {
        Some(number) => format!("Edit case {number}"),
        None => "Edit case".to_owned(),
    };

    let pending = move || match loaded.get() {
        Some(Err(error)) => view! {
            <ErrorView error on_retry=Callback::new(move |_| loaded.refetch()) />
        }
        .into_any(),
        _ => view! {
            <div class="progress" role="progressbar" aria-label="Loading the case"></div>
        }
        .into_any(),
    };

    view! {
        <section class="case-form-page">
            <header class="case-form-header">
                <p class="case-form-back">
                    <a href=back>"Back to the case"</a>
                </p>
                <h1>{title}</h1>
            </header>
            <Show when=move || model.ready.get() fallback=pending>
                <CaseForm model />
            </Show>
        </section>
    }
}

/// The message in the alert above the save button.
#[derive(Debug, Clone, PartialEq)]
enum Alert {
    /// The browser's checks failed on this many fields.
    Invalid(usize),
    /// A request failed; `unplaced` contains field errors that name no control.
    Failed {
        error: ApiError,
        unplaced: Vec<String>,
    },
    /// The agent changed nothing.
    NothingToSave,
}

/// A colleague's change found when saving, waiting for the agent's choices.
#[derive(Debug, Clone, PartialEq)]
struct Conflict {
    rows: Vec<ConflictRow>,
    /// The form as the server's case fills it.
    theirs: FormValues,
    /// The server's `changed`, the new baseline once the agent chooses.
    changed: Option<DateTime<Utc>>,
}

/// The state of one form. Copyable: every part is a reactive handle.
#[derive(Clone, Copy)]
struct FormModel {
    app: AppContext,
    case_id: StoredValue<Option<CaseId>>,
    /// The id the new-case form sends with every create attempt, so a retry
    /// after a lost response finds the first attempt's case (Omnium returns
    /// 409 for a taken id) instead of creating a second one. `None` when
    /// editing, or when the browser offers no random source.
    new_case_id: StoredValue<Option<String>>,
    draft_key: StoredValue<String>,
    /// The form as the agent edits it.
    values: RwSignal<FormValues>,
    /// The form as it was opened; changes are computed against it.
    baseline: RwSignal<FormValues>,
    /// The case's `changed` when the form was opened.
    opened_changed: RwSignal<Option<DateTime<Utc>>>,
    /// The last case read from the server, for discarding a draft.
    server_case: StoredValue<Option<OmniumCase>>,
    case_number: RwSignal<Option<String>>,
    ready: RwSignal<bool>,
    /// When the restored draft was written, while its notice shows.
    restored_at: RwSignal<Option<DateTime<Utc>>>,
    /// The date control contains a partly typed value.
    follow_up_incomplete: RwSignal<bool>,
    /// The browser's messages, kept current after the first save attempt.
    browser_errors: RwSignal<Vec<FieldMessage>>,
    /// The API's messages, each dropped when its control is edited.
    api_errors: RwSignal<Vec<FieldMessage>>,
    attempted: RwSignal<bool>,
    alert: RwSignal<Option<Alert>>,
    saving: RwSignal<bool>,
    conflict: RwSignal<Option<Conflict>>,
    choices: RwSignal<std::collections::BTreeMap<Field, Choice>>,
    /// Set once the case is saved or the edits discarded: the draft is
    /// gone and leaving needs no confirmation.
    finished: RwSignal<bool>,
    form: NodeRef<html::Form>,
    /// The page's reactive owner. Saves run under it, not under the button
    /// that started them: a button inside an alert or the conflict view goes
    /// away when the save starts, and its cleanup would abort the request.
    owner: StoredValue<Option<Owner>>,
}

impl FormModel {
    fn new(app: &AppContext, case_id: Option<CaseId>) -> Self {
        let user_id = untrack(|| app.session.claims().and_then(|claims| claims.user_id));
        let key = draft::draft_key(user_id.as_deref(), case_id.as_ref());
        let new_case_id = case_id.is_none().then(new_client_id).flatten();

        Self {
            app: *app,
            case_id: StoredValue::new(case_id),
            new_case_id: StoredValue::new(new_case_id),
            draft_key: StoredValue::new(key),
            values: RwSignal::new(FormValues::default()),
            baseline: RwSignal::new(FormValues::default()),
            opened_changed: RwSignal::new(None),
            server_case: StoredValue::new(None),
            case_number: RwSignal::new(None),
            ready: RwSignal::new(false),
            restored_at: RwSignal::new(None),
            follow_up_incomplete: RwSignal::new(false),
            browser_errors: RwSignal::new(Vec::new()),
            api_errors: RwSignal::new(Vec::new()),
            attempted: RwSignal::new(false),
            alert: RwSignal::new(None),
            saving: RwSignal::new(false),
            conflict: RwSignal::new(None),
            choices: RwSignal::new(Default::default()),
            finished: RwSignal::new(false),
            form: NodeRef::new(),
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// Fills the form from the case (or empty for a new case), or from the
    /// stored draft when there is one.
    fn open(&self, case: Option<&OmniumCase>) {
        self.server_case.set_value(case.cloned());
        self.case_number
            .set(case.and_then(|case| case.case_number.clone()));

        let fresh = case
            .map(|case| FormValues::from_case(case, &Local))
            .unwrap_or_default();
        let draft = self
            .draft_key
            .with_value(|key| draft::load(key))
            .filter(|draft| !changed_fields(&draft.baseline, &draft.values).is_empty());

        match draft {
            Some(draft) => {
                self.values.set(draft.values);
                self.baseline.set(draft.baseline);
                self.opened_changed.set(draft.opened_changed);
                self.restored_at.set(Some(draft.saved_at));

                // A create attempt from before the reload may have reached
                // Omnium, so its retry must send the same id.
                if draft.new_case_id.is_some() && !self.is_edit() {
                    self.new_case_id.set_value(draft.new_case_id);
                }
            }
            None => {
                self.values.set(fresh.clone());
                self.baseline.set(fresh);
                self.opened_changed.set(case.and_then(|case| case.changed));
            }
        }

        self.ready.set(true);
    }

    /// Throws the draft away and shows the case as last read.
    fn discard_draft(&self) {
        self.draft_key.with_value(|key| draft::remove(key));

        let case = self.server_case.get_value();
        let fresh = case
            .as_ref()
            .map(|case| FormValues::from_case(case, &Local))
            .unwrap_or_default();

        self.values.set(fresh.clone());
        self.baseline.set(fresh);
        self.opened_changed.set(case.and_then(|case| case.changed));
        self.restored_at.set(None);

        // The discarded draft's id may already name a case that an attempt
        // with a lost response created. The fresh form is another case.
        if !self.is_edit() {
            self.new_case_id.set_value(new_client_id());
        }

        self.browser_errors.set(Vec::new());
        self.api_errors.set(Vec::new());
        self.attempted.set(false);
        self.alert.set(None);
    }

    /// Returns the message for a control, browser checks first, tracked.
    fn error_for(&self, input_id: &str) -> Option<String> {
        let find = |errors: &Vec<FieldMessage>| {
            errors
                .iter()
                .find(|error| error.input_id == input_id)
                .map(|error| error.message.clone())
        };

        self.browser_errors
            .with(find)
            .or_else(|| self.api_errors.with(find))
    }

    /// Changes the form and drops the API's message for the edited control.
    fn edit(&self, input_id: &str, change: impl FnOnce(&mut FormValues)) {
        self.values.update(change);
        self.api_errors.update(|errors| {
            errors.retain(|error| error.input_id != input_id);
        });
    }

    fn changes(&self) -> Vec<Change> {
        changed_fields(&self.baseline.get(), &self.values.get())
    }

    fn is_edit(&self) -> bool {
        self.case_id.with_value(Option::is_some)
    }

    /// Returns the path that Cancel and a finished save lead to.
    fn exit_path(&self) -> String {
        match self.case_id.get_value() {
            Some(id) => case_path(&id),
            None => "/cases".to_owned(),
        }
    }
}

/// Renders the form itself, shared by the create and edit pages.
#[component]
fn CaseForm(model: FormModel) -> impl IntoView {
    let app = model.app;
    let navigate = use_navigate();
    let go = UnsyncCallback::new(move |path: String| navigate(&path, Default::default()));

    let changes = Memo::new(move |_| model.changes());
    let dirty = Memo::new(move |_| {
        model.ready.get() && !model.finished.get() && !changes.with(Vec::is_empty)
    });

    guard::guard_unsaved_changes(
        dirty.into(),
        app.config.with_value(|config| config.router_base()),
    );

    keep_draft(model);
    revalidate_after_attempt(model);

    let note = move || {
        if !model.is_edit() {
            return None;
        }

        changes.with(|changes| full_update_note(changes))
    };

    let save = move || start_save(model, go);
    let cancel = move || {
        if model.conflict.with_untracked(Option::is_some) {
            model.conflict.set(None);
            return;
        }

        let discard = !dirty.get_untracked()
            || guard::confirm("Discard your changes? The form closes and your draft is deleted.");

        if !discard {
            return;
        }

        model.finished.set(true);
        model.draft_key.with_value(|key| draft::remove(key));
        go.run(model.exit_path());
    };

    let on_keydown = move |event: web_sys::KeyboardEvent| {
        let command = event.ctrl_key() || event.meta_key();

        if event.key() == "Enter" && command {
            event.prevent_default();
            save();
            return;
        }

        if event.key() == "Escape" && !event.default_prevented() {
            event.prevent_default();
            cancel();
            return;
        }

        // Enter in a one-line field would submit the whole form; agents
        // save on purpose with the button or Ctrl+Enter instead.
        if event.key() == "Enter" && in_single_line_field(&event) {
            event.prevent_default();
        }
    };

    let submit_label = move || match (model.saving.get(), model.is_edit()) {
        (true, _) => "Saving…",
        (false, true) => "Save changes",
        (false, false) => "Create case",
    };

    view! {
        <form
            class="case-form"
            novalidate
            node_ref=model.form
            on:keydown=on_keydown
            on:submit=move |event| {
                event.prevent_default();
                save();
            }
        >
            <DraftNotice model />
            <FormFields model />
            <Show when=move || model.conflict.with(Option::is_some)>
                <ConflictPanel model go />
            </Show>
            <div class="form-actions" hidden=move || model.conflict.with(Option::is_some)>
                <FormAlert model on_retry=Callback::new(move |_| save()) />
                <p class="save-note" role="status">
                    {note}
                </p>
                <div class="form-buttons">
                    <button
                        type="submit"
                        class="button button-primary"
                        disabled=move || model.saving.get()
                    >
                        {submit_label}
                    </button>
                    <button type="button" class="button" on:click=move |_| cancel()>
                        "Cancel"
                    </button>
                </div>
                <p class="hint">"Ctrl+Enter (⌘+Enter on a Mac) saves; Escape cancels."</p>
            </div>
        </form>
    }
}

/// Renders the notice for a restored draft, with a way to throw it away.
#[component]
fn DraftNotice(model: FormModel) -> impl IntoView {
    let when = move || model.restored_at.get();

    view! {
        <Show when=move || when().is_some()>
            <div class="alert draft-notice" role="status">
                <p>
                    "Restored your unsaved draft from "
                    {move || when().map(local_time)}
                    " ("
                    <RelativeTime value=when() />
                    ")."
                </p>
                <div class="draft-actions">
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| model.discard_draft()
                    >
                        "Discard draft"
                    </button>
                    <button
                        type="button"
                        class="button button-quiet"
                        on:click=move |_| model.restored_at.set(None)
                    >
                        "Keep draft"
                    </button>
                </div>
            </div>
        </Show>
    }
}

/// Renders the alert above the save button: failed checks, a failed request, or
/// nothing to save. A failure's alert takes focus (`tabindex="-1"`) when no
/// field is marked, so the form's keyboard shortcuts keep working.
#[component]
fn FormAlert(model: FormModel, on_retry: Callback<()>) -> impl IntoView {
    move || {
        let alert = model.alert.get()?;

        let alert_view = match alert {
            Alert::Invalid(count) => {
                let fields = if count == 1 {
                    "1 field needs".to_owned()
                } else {
                    format!("{count} fields need")
                };

                view! {
                    <div class="alert alert-error" role="alert" tabindex="-1">
                        <p>
                            {fields}
                            " attention before the case can be saved. Correct the marked "
                            "fields and save again."
                        </p>
                    </div>
                }
                .into_any()
            }
            Alert::Failed {
                error: ApiError::Validation(_),
                unplaced,
            } => view! {
                <div class="alert alert-error" role="alert" tabindex="-1">
                    <p>
                        "Omnium rejected the case as invalid. Correct the marked fields and save again."
                    </p>
                    <ul class="unplaced-errors">
                        {unplaced.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
            Alert::Failed { error, .. } => view! {
                <div class="form-failure">
                    <ErrorView error on_retry focusable=true />
                    <p class="hint">"Your edits are still here and kept as a draft in this browser."</p>
                </div>
            }
            .into_any(),
            Alert::NothingToSave => view! {
                <div class="alert" role="status">
                    <p>"You have not changed anything, so there is nothing to save."</p>
                </div>
            }
            .into_any(),
        };

        Some(alert_view)
    }
}

/// Stores the form as a draft whenever it differs from how it was opened,
/// and removes the draft when it no longer does.
fn keep_draft(model: FormModel) {
    Effect::new(move |_| {
        let values = model.values.get();
        let baseline = model.baseline.get();
        let ready = model.ready.get();
        let finished = model.finished.get();

        if !ready || finished {
            return;
        }

        // Signing out deletes the agent's drafts, so a form still open at
        // that moment must not write one back.
        if untrack(|| model.app.session.token().is_none()) {
            return;
        }

        let key = model.draft_key.get_value();

        if changed_fields(&baseline, &values).is_empty() {
            draft::remove(&key);
            return;
        }

        let opened_changed = model.opened_changed.get_untracked();
        let draft = Draft {
            new_case_id: model.new_case_id.get_value(),
            ..Draft::new(values, baseline, opened_changed, Utc::now())
        };
        draft::store(&key, &draft);
    });
}

/// After the first save attempt, re-runs the browser's checks on every
/// edit, so a message disappears as soon as its field is fixed.
fn revalidate_after_attempt(model: FormModel) {
    Effect::new(move |_| {
        let attempted = model.attempted.get();
        let incomplete = model.follow_up_incomplete.get();

        if !attempted {
            return;
        }

        let errors = model
            .values
            .with(|values| validate(values, incomplete, &Local).err())
            .unwrap_or_default();

        model.browser_errors.set(errors);
    });
}

/// Starts a save unless one is running or a conflict waits for choices.
fn start_save(model: FormModel, go: UnsyncCallback<String>) {
    if model.saving.get_untracked() || model.conflict.with_untracked(Option::is_some) {
        return;
    }

    // Leaving the focused field commits text still typed into a tag or id
    // list, and the date control reports a partly typed value.
    if let Some(element) =
        active_element().and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.blur();
    }

    read_follow_up_validity(model);

    let task = save(model, go);

    match model.owner.get_value() {
        Some(owner) => owner.with(|| leptos::task::spawn_local_scoped(task)),
        None => leptos::task::spawn_local_scoped(task),
    }
}

/// The outcome of one save attempt that reached the API.
enum Outcome {
    Saved(Box<OmniumCase>, &'static str),
    /// Nothing differs from the server's case, so nothing was written.
    AlreadyCurrent,
    NothingToSave,
    Conflict,
}

async fn save(model: FormModel, go: UnsyncCallback<String>) {
    model.attempted.set(true);
    model.alert.set(None);

    let values = model.values.get_untracked();
    let incomplete = model.follow_up_incomplete.get_untracked();

    let follow_up = match validate(&values, incomplete, &Local) {
        Ok(checked) => checked.follow_up,
        Err(errors) => {
            let count = errors.len();
            model.browser_errors.set(errors);
            model.alert.set(Some(Alert::Invalid(count)));
            focus_after_failure(model);
            return;
        }
    };

    model.browser_errors.set(Vec::new());
    model.saving.set(true);

    let outcome = match model.case_id.get_value() {
        Some(id) => save_edit(model, &id, &values, follow_up).await,
        None => save_new(model, &values, follow_up).await,
    };

    model.saving.set(false);

    match outcome {
        Ok(Outcome::Saved(case, action)) => finish(model, go, Some((*case, action))),
        Ok(Outcome::AlreadyCurrent) => finish(model, go, None),
        Ok(Outcome::NothingToSave) => model.alert.set(Some(Alert::NothingToSave)),
        Ok(Outcome::Conflict) => focus_conflict(model),
        Err(ApiError::Aborted) => {}
        Err(error) => show_failure(model, error, &values),
    }
}

/// Creates the case under the form's own id. A 409 for that id means an
/// earlier attempt of this form created the case but its response was lost
/// (a dropped connection or the client's timeout), so the stored case is
/// read and taken as this attempt's result.
///
/// NOTE: edits made between the lost attempt and the retry are not in the
/// stored case. The case page then shows the case as it was created, and
/// the agent has to make those edits again there.
async fn save_new(
    model: FormModel,
    values: &FormValues,
    follow_up: Option<DateTime<Utc>>,
) -> Result<Outcome, ApiError> {
    let client = model.app.client();
    let mut case = build_new_case(values, follow_up);
    let id = model.new_case_id.get_value();

    if let Some(id) = &id {
        case.id = id.clone();
    }

    let created = match client.create_case(&case).await {
        Ok(created) => created,
        Err(ApiError::Conflict(detail)) => {
            let Some(id) = id.as_deref().and_then(CaseId::new) else {
                return Err(ApiError::Conflict(detail));
            };

            leptos::logging::log!("case {id} already exists, so an earlier create reached Omnium");
            client.get_case(&id).await?
        }
        Err(error) => return Err(error),
    };

    Ok(Outcome::Saved(Box::new(created), "create"))
}

/// Re-reads the case, stops at a colleague's change, and sends a PATCH of
/// the changed fields or, when a field is cleared, a PUT of the fresh case
/// with the changes applied.
async fn save_edit(
    model: FormModel,
    id: &CaseId,
    values: &FormValues,
    follow_up: Option<DateTime<Utc>>,
) -> Result<Outcome, ApiError> {
    let client = model.app.client();
    let baseline = model.baseline.get_untracked();

    if changed_fields(&baseline, values).is_empty() {
        return Ok(Outcome::NothingToSave);
    }

    let fresh = client.get_case(id).await?;
    model.server_case.set_value(Some(fresh.clone()));

    let mut baseline = baseline;

    if fresh.changed != model.opened_changed.get_untracked() {
        let theirs = FormValues::from_case(&fresh, &Local);
        let rows = conflict_rows(&baseline, values, &theirs);

        // A change only to what the form does not show (a note, say) is no
        // conflict: the agent's fields are saved onto the fresh case.
        if rows.iter().any(|row| row.changed_on_server) {
            model.choices.set(merge_choices(&rows));
            model.conflict.set(Some(Conflict {
                rows,
                theirs,
                changed: fresh.changed,
            }));
            return Ok(Outcome::Conflict);
        }

        model.baseline.set(theirs.clone());
        model.opened_changed.set(fresh.changed);
        baseline = theirs;
    }

    let changes = changed_fields(&baseline, values);

    if changes.is_empty() {
        return Ok(Outcome::AlreadyCurrent);
    }

    let saved = match plan_save(id, values, &changes, follow_up, fresh) {
        SavePlan::Patch(patch) => client.patch_case(&patch).await?,
        SavePlan::Put(case) => client.update_case(&case).await?,
    };

    Ok(Outcome::Saved(Box::new(saved), "edit"))
}

/// Applies the agent's conflict choices, makes the server's case the new
/// baseline, and saves again (which re-reads the case once more).
fn resolve_conflict(model: FormModel, go: UnsyncCallback<String>) {
    let Some(conflict) = model.conflict.get_untracked() else {
        return;
    };

    let choices = model.choices.get_untracked();
    let resolved = model
        .values
        .with_untracked(|mine| resolve(mine, &conflict.theirs, &choices));

    // Taking the server's value everywhere leaves nothing to write: the
    // case on the server is already what the agent chose.
    let nothing_left = changed_fields(&conflict.theirs, &resolved).is_empty();

    model.baseline.set(conflict.theirs);
    model.opened_changed.set(conflict.changed);
    model.values.set(resolved);
    model.conflict.set(None);

    if nothing_left {
        finish(model, go, None);
        return;
    }

    start_save(model, go);
}

/// Ends the form after a write (or when the server already had everything):
/// deletes the draft, announces the change to the embedding page, and
/// opens the case.
fn finish(model: FormModel, go: UnsyncCallback<String>, saved: Option<(OmniumCase, &str)>) {
    model.finished.set(true);
    model.draft_key.with_value(|key| draft::remove(key));

    let path = match &saved {
        Some((case, _)) => CaseId::new(&case.id)
            .map(|id| case_path(&id))
            .unwrap_or_else(|| model.exit_path()),
        None => model.exit_path(),
    };

    if let Some((case, action)) = saved {
        model.app.announce(
            "omnium-cases:case-changed",
            serde_json::json!({
                "id": case.id,
                "caseNumber": case.case_number,
                "action": action,
            }),
        );
    }

    go.run(path);
}

/// Shows a failed request: field errors on their controls, the rest in the
/// alert. The form and its draft stay as they are.
fn show_failure(model: FormModel, error: ApiError, values: &FormValues) {
    let placed = place_api_errors(&error.field_errors(), values);

    // A 401 opens the sign-in dialog over the form, and focus belongs there.
    let focus_form = !matches!(error, ApiError::Unauthorized(_));

    leptos::logging::warn!(
        "saving case {} failed: {}",
        model
            .case_id
            .get_value()
            .map_or_else(|| "(new)".to_owned(), |id| id.to_string()),
        error_kind(&error)
    );

    model.api_errors.set(placed.fields);
    model.alert.set(Some(Alert::Failed {
        error,
        unplaced: placed.unplaced,
    }));

    if focus_form {
        focus_after_failure(model);
    }
}

/// Returns a short name of the failure for the log, without any response text.
fn error_kind(error: &ApiError) -> String {
    match error {
        ApiError::Server { status, .. } | ApiError::UnexpectedStatus { status, .. } => {
            format!("HTTP {status}")
        }
        other => format!("{other:?}")
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Moves focus to the first control marked invalid or, when none is, to the
/// failure's alert, once they are drawn. A save blurs the focused field and
/// disables the save button, which leaves focus on `<body>`, outside the
/// form whose keydown handler runs Ctrl+Enter.
fn focus_after_failure(model: FormModel) {
    // The form may be gone by the next frame, when the agent left the page.
    request_animation_frame(move || {
        let Some(form) = model.form.try_get_untracked().flatten() else {
            return;
        };

        let target = ["[aria-invalid='true']", "[role='alert'][tabindex='-1']"]
            .into_iter()
            .find_map(|selector| form.query_selector(selector).ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());

        if let Some(element) = target {
            let _ = element.focus();
        }
    });
}

fn focus_conflict(model: FormModel) {
    request_animation_frame(move || {
        let heading = model
            .form
            .get_untracked()
            .and_then(|form| form.query_selector("#conflict-title").ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());

        if let Some(heading) = heading {
            let _ = heading.focus();
        }
    });
}

/// Reads the date control's own report of a partly typed value, which its
/// empty `value` hides.
fn read_follow_up_validity(model: FormModel) {
    let input = model
        .form
        .get_untracked()
        .and_then(|form| {
            form.query_selector(&format!("#{}", Field::FollowUp.input_id()))
                .ok()
                .flatten()
        })
        .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok());

    if let Some(input) = input {
        model.follow_up_incomplete.set(has_bad_input(&input));
    }
}

/// Tells whether an input contains text its type cannot read (`validity.badInput`).
fn has_bad_input(input: &web_sys::HtmlInputElement) -> bool {
    let validity = js_sys::Reflect::get(input, &"validity".into()).ok();

    validity
        .and_then(|validity| js_sys::Reflect::get(&validity, &"badInput".into()).ok())
        .and_then(|bad| bad.as_bool())
        .unwrap_or(false)
}

/// Tells whether a key event comes from a one-line text control, where
/// Enter would submit the form.
fn in_single_line_field(event: &web_sys::KeyboardEvent) -> bool {
    let path = event.composed_path();

    path.get(0)
        .dyn_into::<web_sys::HtmlInputElement>()
        .is_ok_and(|input| {
            !matches!(
                input.type_().as_str(),
                "submit" | "button" | "checkbox" | "radio" | "reset"
            )
        })
}

/// Returns the app path of a case, with the id encoded as one path segment.
fn case_path(id: &CaseId) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

    // RFC 3986 unreserved characters stay as they are.
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');

    format!("/cases/{}", utf8_percent_encode(id.as_str(), SEGMENT))
}
