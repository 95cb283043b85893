//! The admin toolbar and its dialogs: assign, change status, change priority
//! and delete. Rendered only for admins; readers never see them.

use leptos::html;
use leptos::prelude::*;

use super::case_path;
use super::controller::{CaseAction, CaseState, FailurePlace, OpenDialog};
use crate::api::{ApiError, AssignRequest};
use crate::components::dialog::Dialog;
use crate::components::error_view::ErrorView;
use crate::model::{CaseId, OmniumCase};

/// The select value of the "Other status" choice; the others are indexes.
const OTHER_CHOICE: &str = "other";

/// The id of the message under the status field when the API rejects it.
const STATUS_ERROR_ID: &str = "case-status-error";

/// Returns the API's messages on the `status` field of a rejected request,
/// joined into one text, or `None` when the error names no such field.
fn status_field_error(error: &ApiError) -> Option<String> {
    let errors = error.field_errors();
    let messages: Vec<String> = errors
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case("status"))
        .flat_map(|(_, messages)| messages.iter().cloned())
        .collect();

    (!messages.is_empty()).then(|| messages.join(" "))
}

/// Returns the agent's own id and name, when the token carries both.
fn own_identity(state: CaseState) -> Option<AssignRequest> {
    let claims = state.app.session.claims()?;

    Some(AssignRequest {
        assigned_to_user_id: claims.user_id.filter(|id| !id.trim().is_empty())?,
        assigned_to_name: claims.display_name.filter(|name| !name.trim().is_empty())?,
    })
}

/// The toolbar of admin actions.
#[component]
pub fn ActionBar(
    /// The page's state.
    state: CaseState,
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let app = state.app;
    let busy = move || state.is_busy();

    // "Assign to me" shows when the token names the agent and the case is
    // not already theirs.
    let assign_to_me = move || {
        let me = own_identity(state)?;
        let assigned = case.with(|case| case.assigned_to_user_id.clone());

        (assigned.as_deref() != Some(me.assigned_to_user_id.as_str())).then_some(me)
    };
    let assigning_to_me =
        move || state.is_saving(CaseAction::Assign) && state.dialog.get().is_none();

    let edit_href = move || {
        let id = CaseId::new(case.with(|case| case.id.clone())).or_else(|| state.id.get());
        let path = id
            .map(|id| format!("{}/edit", case_path(&id)))
            .unwrap_or_default();
        app.href(&path)
    };

    let open = move |dialog: OpenDialog| move |_| state.open_dialog(dialog);

    view! {
        <div class="case-actions" role="toolbar" aria-label="Case actions">
            <button
                type="button"
                class="button"
                aria-keyshortcuts="a"
                disabled=busy
                on:click=open(OpenDialog::Assign)
            >
                "Assign…"
            </button>
            {move || {
                assign_to_me()
                    .map(|me| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                disabled=busy
                                on:click=move |_| state.assign(me.clone())
                            >
                                {move || if assigning_to_me() { "Saving…" } else { "Assign to me" }}
                            </button>
                        }
                    })
            }}
            <button
                type="button"
                class="button"
                aria-keyshortcuts="s"
                disabled=busy
                on:click=open(OpenDialog::Status)
            >
                "Change status…"
            </button>
            <button type="button" class="button" disabled=busy on:click=open(OpenDialog::Priority)>
                "Change priority…"
            </button>
            <a class="button" href=edit_href aria-keyshortcuts="e">
                "Edit"
            </a>
            <button
                type="button"
                class="button button-danger"
                disabled=busy
                on:click=open(OpenDialog::Delete)
            >
                "Delete…"
            </button>
        </div>
        <p class="hint shortcut-hint">
            "Shortcuts: " <kbd>"a"</kbd> " assign, " <kbd>"s"</kbd> " change status, " <kbd>"e"</kbd>
            " edit."
        </p>
    }
}

/// The open dialog, if any.
#[component]
pub fn ActionDialogs(
    /// The page's state.
    state: CaseState,
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    move || match state.dialog.get() {
        Some(OpenDialog::Assign) => view! { <AssignDialog state case /> }.into_any(),
        Some(OpenDialog::Status) => view! { <StatusDialog state case /> }.into_any(),
        Some(OpenDialog::Priority) => view! { <PriorityDialog state case /> }.into_any(),
        Some(OpenDialog::Delete) => view! { <DeleteDialog state case /> }.into_any(),
        None => ().into_any(),
    }
}

/// The submit button of a dialog: disabled with "Saving…" while the write
/// runs.
#[component]
fn SaveButton(
    state: CaseState,
    action: CaseAction,
    label: &'static str,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let class = if danger {
        "button button-danger"
    } else {
        "button button-primary"
    };

    view! {
        <button type="submit" class=class disabled=move || state.is_busy()>
            {move || if state.is_saving(action) { "Saving…" } else { label }}
        </button>
    }
}

/// The failure of this dialog's write, if it failed.
#[component]
fn DialogFailure(state: CaseState, dialog: OpenDialog) -> impl IntoView {
    move || {
        state
            .failure_at(FailurePlace::Dialog(dialog))
            .map(|error| view! { <ErrorView error /> })
    }
}

#[component]
fn AssignDialog(state: CaseState, case: Memo<OmniumCase>) -> impl IntoView {
    let (current_id, current_name) = case.with_untracked(|case| {
        (
            case.assigned_to_user_id.clone().unwrap_or_default(),
            case.assigned_to_name.clone().unwrap_or_default(),
        )
    });
    let user_id = RwSignal::new(current_id.clone());
    let name = RwSignal::new(current_name.clone());

    // A new user id with the previous assignee's name left in place would
    // attach that name to someone else, so the name is cleared to be retyped.
    let on_user_id = move |event: leptos::ev::Event| {
        let typed = event_target_value(&event);

        if typed.trim() != current_id
            && name.get_untracked() == current_name
            && !current_name.is_empty()
        {
            name.set(String::new());
        }

        user_id.set(typed);
    };
    let problem = RwSignal::new(None::<&'static str>);
    let me = untrack(|| own_identity(state));

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();

        let user_id = user_id.get_untracked().trim().to_owned();
        let name = name.get_untracked().trim().to_owned();

        if user_id.is_empty() {
            problem.set(Some("Enter the user id of the agent to assign."));
            return;
        }

        if name.is_empty() {
            problem.set(Some(
                "Enter the agent's display name, as the case list shows it.",
            ));
            return;
        }

        problem.set(None);
        state.assign(AssignRequest {
            assigned_to_user_id: user_id,
            assigned_to_name: name,
        });
    };

    let fill_me = me.map(|me| {
        let fill = move |_| {
            user_id.set(me.assigned_to_user_id.clone());
            name.set(me.assigned_to_name.clone());
        };

        view! {
            <button type="button" class="button button-quiet" on:click=fill>
                "Fill in myself"
            </button>
        }
    });

    view! {
        <Dialog title="Assign case" on_close=Callback::new(move |_| state.close_dialog())>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="case-assign-user-id">"User id"</label>
                    <input
                        id="case-assign-user-id"
                        type="text"
                        autocomplete="off"
                        prop:value=move || user_id.get()
                        on:input=on_user_id
                    />
                </div>
                <div class="field">
                    <label for="case-assign-name">"Display name"</label>
                    <input
                        id="case-assign-name"
                        type="text"
                        autocomplete="off"
                        prop:value=move || name.get()
                        on:input=move |event| name.set(event_target_value(&event))
                    />
                </div>
                {fill_me}
                {move || problem.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
                <DialogFailure state dialog=OpenDialog::Assign />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.close_dialog()>
                        "Cancel"
                    </button>
                    <SaveButton state action=CaseAction::Assign label="Assign" />
                </div>
            </form>
        </Dialog>
    }
}

/// Returns the choices of a select: the configured values, plus the current
/// value first when the configuration lacks it, so it still shows as selected.
fn choices(configured: Vec<String>, current: &str) -> Vec<String> {
    let mut choices = configured;

    if !current.is_empty() && !choices.iter().any(|choice| choice == current) {
        choices.insert(0, current.to_owned());
    }

    choices
}

#[component]
fn StatusDialog(state: CaseState, case: Memo<OmniumCase>) -> impl IntoView {
    let (statuses, closed_status) = state
        .app
        .config
        .with_value(|config| (config.statuses.clone(), config.closed_status.clone()));
    let current = case.with_untracked(|case| case.status.clone().unwrap_or_default());
    let subject = case.with_untracked(|case| case.subject.clone().unwrap_or_default());
    let number = case.with_untracked(|case| case.case_number.clone().unwrap_or_default());
    let options = StoredValue::new(choices(statuses, &current));

    // Preselect the status after the current one, the usual next step.
    let next = options.with_value(|options| {
        let position = options.iter().position(|option| *option == current);
        position
            .map(|index| (index + 1).min(options.len().saturating_sub(1)))
            .unwrap_or(0)
    });
    let choice = RwSignal::new(next.to_string());
    let other = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<String>);
    let current = StoredValue::new(current);
    let closed_status = StoredValue::new(closed_status);
    let case_name = StoredValue::new((number, subject));

    // The API's messages on `status`, shown on the field until the agent
    // changes it.
    let edited = RwSignal::new(false);
    let status_error = Memo::new(move |_| {
        state
            .failure_at(FailurePlace::Dialog(OpenDialog::Status))
            .and_then(|error| status_field_error(&error))
    });
    let marked = move || status_error.with(Option::is_some) && !edited.get();

    // A closing that the API rejects returns to the form, where the field
    // can be marked and corrected.
    Effect::new(move |_| {
        if status_error.with(Option::is_some) {
            confirming.set(None);
        }
    });

    let target = move || {
        let choice = choice.get_untracked();

        if choice == OTHER_CHOICE {
            return other.get_untracked().trim().to_owned();
        }

        choice
            .parse::<usize>()
            .ok()
            .and_then(|index| options.with_value(|options| options.get(index).cloned()))
            .unwrap_or_default()
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();

        let status = target();

        if status.is_empty() {
            problem.set(Some(
                "Choose a status, or type one under Other status.".to_owned(),
            ));
            return;
        }

        if current.with_value(|current| *current == status) {
            problem.set(Some(format!("The case already has the status {status}.")));
            return;
        }

        problem.set(None);
        edited.set(false);

        if closed_status.with_value(|closed| *closed == status) {
            confirming.set(Some(status));
            return;
        }

        state.change_status(status);
    };

    // The form is drawn again after "Back" from the confirmation, so it is
    // built by a function; its values live in the signals above.
    let form = move || {
        let select = NodeRef::<html::Select>::new();
        select.on_load(|select| {
            let _ = select.focus();
        });
        let other_input = NodeRef::<html::Input>::new();

        // The save button is disabled while the write runs, which drops
        // focus out of the form, so a rejected status moves focus back to
        // the control that contains it.
        Effect::new(move |_| {
            if status_error.with(Option::is_none) {
                return;
            }

            let other_chosen = choice.get_untracked() == OTHER_CHOICE;

            // The dialog may be gone by the next frame (Cancel right after
            // the failure), and its node refs with it.
            request_animation_frame(move || {
                let target: Option<web_sys::HtmlElement> = if other_chosen {
                    other_input.try_get_untracked().flatten().map(Into::into)
                } else {
                    select.try_get_untracked().flatten().map(Into::into)
                };

                if let Some(target) = target {
                    let _ = target.focus();
                }
            });
        });

        let select_invalid = move || (marked() && choice.get() != OTHER_CHOICE).then_some("true");
        let other_invalid = move || (marked() && choice.get() == OTHER_CHOICE).then_some("true");
        let described = move |invalid: Option<&'static str>| invalid.map(|_| STATUS_ERROR_ID);

        let option_views = options.with_value(|options| {
            options
                .iter()
                .enumerate()
                .map(|(index, option)| {
                    let label = if current.with_value(|current| current == option) {
                        format!("{option} (current)")
                    } else {
                        option.clone()
                    };

                    view! { <option value=index.to_string()>{label}</option> }
                })
                .collect_view()
        });

        view! {
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="case-status-choice">"New status"</label>
                    <select
                        id="case-status-choice"
                        node_ref=select
                        aria-invalid=select_invalid
                        aria-describedby=move || described(select_invalid())
                        prop:value=move || choice.get()
                        on:change=move |event| {
                            edited.set(true);
                            choice.set(event_target_value(&event));
                        }
                    >
                        {option_views}
                        <option value=OTHER_CHOICE>"Other status…"</option>
                    </select>
                </div>
                <Show when=move || choice.get() == OTHER_CHOICE>
                    <div class="field">
                        <label for="case-status-other">"Other status"</label>
                        <input
                            id="case-status-other"
                            type="text"
                            autocomplete="off"
                            node_ref=other_input
                            aria-invalid=other_invalid
                            aria-describedby=move || described(other_invalid())
                            prop:value=move || other.get()
                            on:input=move |event| {
                                edited.set(true);
                                other.set(event_target_value(&event));
                            }
                        />
                    </div>
                </Show>
                <Show when=marked>
                    <p id=STATUS_ERROR_ID class="field-error">
                        {move || status_error.get().unwrap_or_default()}
                    </p>
                </Show>
                {move || problem.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
                <DialogFailure state dialog=OpenDialog::Status />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.close_dialog()>
                        "Cancel"
                    </button>
                    <SaveButton state action=CaseAction::Status label="Change status" />
                </div>
            </form>
        }
    };

    // Closing is confirmed in the same dialog, naming the case, so focus
    // stays inside it. Focus starts on Back, as Cancel in the delete
    // dialog, so a second Enter pressed out of habit does not close the case.
    let confirm = move |status: String| {
        let back = NodeRef::<html::Button>::new();
        back.on_load(|back| {
            let _ = back.focus();
        });

        let (number, subject) = case_name.get_value();
        let close_status = status.clone();
        let submit = move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            state.change_status(close_status.clone());
        };

        view! {
            <form on:submit=submit>
                <p>
                    "Close case " <strong>{number}</strong> " “" {subject} "”? It moves to the status "
                    {status} " and gets a closed date."
                </p>
                <DialogFailure state dialog=OpenDialog::Status />
                <div class="dialog-actions">
                    <button
                        type="button"
                        class="button"
                        node_ref=back
                        on:click=move |_| confirming.set(None)
                    >
                        "Back"
                    </button>
                    <button type="submit" class="button button-primary" disabled=move || state.is_busy()>
                        {move || if state.is_saving(CaseAction::Status) { "Saving…" } else { "Close case" }}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <Dialog title="Change status" on_close=Callback::new(move |_| state.close_dialog())>
            <p class="hint">"Current status: " {move || current.get_value()}</p>
            {move || match confirming.get() {
                None => form().into_any(),
                Some(status) => confirm(status).into_any(),
            }}
        </Dialog>
    }
}

#[component]
fn PriorityDialog(state: CaseState, case: Memo<OmniumCase>) -> impl IntoView {
    let priorities = state
        .app
        .config
        .with_value(|config| config.priorities.clone());
    let current = case.with_untracked(|case| case.priority.clone().unwrap_or_default());
    let options = StoredValue::new(choices(priorities, &current));
    let selected = options
        .with_value(|options| options.iter().position(|option| *option == current))
        .unwrap_or(0);
    let choice = RwSignal::new(selected.to_string());
    let problem = RwSignal::new(None::<String>);

    let current_priority = current.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();

        let priority = choice
            .get_untracked()
            .parse::<usize>()
            .ok()
            .and_then(|index| options.with_value(|options| options.get(index).cloned()));

        let Some(priority) = priority else {
            problem.set(Some("Choose a priority.".to_owned()));
            return;
        };

        if priority == current_priority {
            problem.set(Some(format!(
                "The case already has the priority {priority}."
            )));
            return;
        }

        problem.set(None);
        state.change_priority(priority);
    };

    let option_views = options.with_value(|options| {
        options
            .iter()
            .enumerate()
            .map(|(index, option)| {
                let label = if *option == current {
                    format!("{option} (current)")
                } else {
                    option.clone()
                };

                view! { <option value=index.to_string()>{label}</option> }
            })
            .collect_view()
    });

    view! {
        <Dialog title="Change priority" on_close=Callback::new(move |_| state.close_dialog())>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="case-priority-choice">"New priority"</label>
                    <select
                        id="case-priority-choice"
                        prop:value=move || choice.get()
                        on:change=move |event| choice.set(event_target_value(&event))
                    >
                        {option_views}
                    </select>
                </div>
                {move || problem.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
                <DialogFailure state dialog=OpenDialog::Priority />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.close_dialog()>
                        "Cancel"
                    </button>
                    <SaveButton state action=CaseAction::Priority label="Change priority" />
                </div>
            </form>
        </Dialog>
    }
}

#[component]
fn DeleteDialog(state: CaseState, case: Memo<OmniumCase>) -> impl IntoView {
    let (number, subject) = case.with_untracked(|case| {
        (
            case.case_number.clone().unwrap_or_else(|| case.id.clone()),
            case.subject.clone().unwrap_or_default(),
        )
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        state.delete();
    };

    view! {
        <Dialog title="Delete case" on_close=Callback::new(move |_| state.close_dialog())>
            <form on:submit=submit>
                <p>
                    "Delete case " <strong>{number}</strong> " “" {subject} "”? "
                    "It disappears from the case list and can no longer be opened here."
                </p>
                <DialogFailure state dialog=OpenDialog::Delete />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.close_dialog()>
                        "Cancel"
                    </button>
                    <SaveButton state action=CaseAction::Delete label="Delete case" danger=true />
                </div>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_add_unknown_current_first() {
        let configured = vec!["New".to_owned(), "Closed".to_owned()];

        assert_eq!(
            choices(configured.clone(), "Waiting"),
            ["Waiting", "New", "Closed"]
        );
        assert_eq!(choices(configured.clone(), "Closed"), ["New", "Closed"]);
        assert_eq!(choices(configured, ""), ["New", "Closed"]);
    }
}
