//! The view shown when a colleague changed the case while the agent edited
//! it: each differing field with both values and a choice between them.

use leptos::prelude::*;

use super::diff::{Choice, ConflictRow, merge_choices, uniform_choices};
use super::{FormModel, resolve_conflict};

/// The conflict view, with per-field choices and shortcuts for keeping all
/// of the agent's values, taking all of the server's, or merging.
#[component]
pub(super) fn ConflictPanel(model: FormModel, go: UnsyncCallback<String>) -> impl IntoView {
    let rows = move || {
        model
            .conflict
            .with(|conflict| conflict.as_ref().map(|conflict| conflict.rows.clone()))
            .unwrap_or_default()
    };

    let set_all = move |choice: Option<Choice>| {
        let rows = rows();

        model.choices.set(match choice {
            Some(choice) => uniform_choices(&rows, choice),
            None => merge_choices(&rows),
        });
    };

    view! {
        <section class="conflict-panel" aria-labelledby="conflict-title">
            <h2 id="conflict-title" tabindex="-1">
                "Someone else changed this case"
            </h2>
            <p>
                "The case was changed on the server after you opened this form. Below are the "
                "fields where your form and the server differ. Choose whose value to keep for "
                "each; by default your edits are kept and everything else is taken from the "
                "server (merge)."
            </p>
            <div class="conflict-shortcuts" role="group" aria-label="Choose for every field">
                <button type="button" class="button" on:click=move |_| set_all(Some(Choice::Mine))>
                    "Keep all mine"
                </button>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| set_all(Some(Choice::Theirs))
                >
                    "Take all theirs"
                </button>
                <button type="button" class="button" on:click=move |_| set_all(None)>
                    "Merge"
                </button>
            </div>
            <div class="conflict-rows">
                {move || {
                    rows()
                        .into_iter()
                        .map(|row| view! { <ConflictChoice model row /> })
                        .collect_view()
                }}
            </div>
            <div class="form-buttons">
                <button
                    type="button"
                    class="button button-primary"
                    on:click=move |_| resolve_conflict(model, go)
                >
                    "Save with these choices"
                </button>
                <button type="button" class="button" on:click=move |_| model.conflict.set(None)>
                    "Back to the form"
                </button>
            </div>
        </section>
    }
}

/// One differing field: the agent's value and the server's, as two radios.
#[component]
fn ConflictChoice(model: FormModel, row: ConflictRow) -> impl IntoView {
    let field = row.field;
    let name = format!("conflict-{}", field.wire_name());
    let chosen = move || model.choices.with(|choices| choices.get(&field).copied());

    let choose = move |choice: Choice| {
        model.choices.update(|choices| {
            choices.insert(field, choice);
        });
    };

    let who = match (row.changed_by_me, row.changed_on_server) {
        (true, true) => "Changed by you and on the server",
        (true, false) => "Changed by you",
        (false, true) => "Changed on the server",
        (false, false) => "",
    };

    view! {
        <fieldset class="conflict-row">
            <legend>{field.label()}</legend>
            <p class="hint">{who}</p>
            <label class="conflict-option">
                <input
                    type="radio"
                    name=name.clone()
                    value="mine"
                    prop:checked=move || chosen() == Some(Choice::Mine)
                    on:change=move |_| choose(Choice::Mine)
                />
                <span class="conflict-option-label">"Keep mine: "</span>
                <span class="conflict-value">{row.mine.display()}</span>
            </label>
            <label class="conflict-option">
                <input
                    type="radio"
                    name=name
                    value="theirs"
                    prop:checked=move || chosen() == Some(Choice::Theirs)
                    on:change=move |_| choose(Choice::Theirs)
                />
                <span class="conflict-option-label">"Take theirs: "</span>
                <span class="conflict-value">{row.theirs.display()}</span>
            </label>
        </fieldset>
    }
}
