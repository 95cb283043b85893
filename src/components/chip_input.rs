//! A text field that collects entries as removable chips, for tags and
//! lists of ids.

use leptos::html;
use leptos::prelude::*;

/// A labelled text field with the entries so far shown as chips. Enter or a
/// comma adds the typed text (pasted comma-separated text adds each part),
/// leaving the field adds what is left in it, and each chip has a remove
/// button. An entry already in the list (ignoring case) is not added; the
/// field shows a message and keeps the text for correcting.
#[component]
pub fn ChipInput(
    /// The text field's `id`; the error message's id is this plus `-error`.
    #[prop(into)]
    id: String,
    /// The visible label, such as "Tags".
    #[prop(into)]
    label: String,
    /// What one entry is called in buttons and messages, such as "tag".
    #[prop(into)]
    item_name: String,
    /// The entries.
    #[prop(into)]
    items: Signal<Vec<String>>,
    /// Called with the whole new list after an entry is added or removed.
    on_change: Callback<Vec<String>>,
    /// A message about the list from the form's validation.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let (pending, set_pending) = signal(String::new());
    let (entry_error, set_entry_error) = signal(None::<String>);
    let input = NodeRef::<html::Input>::new();

    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");

    let shown_error = move || entry_error.get().or_else(|| error.get());

    let names = StoredValue::new((label.clone(), item_name.clone()));

    // Adds each non-empty part and returns `true`. At a part already in the
    // list it stops, leaves that part and the rest in the field, and returns
    // `false`.
    let add = move |parts: Vec<String>| -> bool {
        let mut list = items.get_untracked();
        let before = list.len();

        for (index, part) in parts.iter().enumerate() {
            let entry = part.trim();

            if entry.is_empty() {
                continue;
            }

            let already_listed = list
                .iter()
                .any(|item| item.trim().to_lowercase() == entry.to_lowercase());

            if !already_listed {
                list.push(entry.to_owned());
                continue;
            }

            let message = names.with_value(|(label, item_name)| {
                format!("{label}: “{entry}” is already in the list. Enter a different {item_name}.")
            });
            set_entry_error.set(Some(message));
            set_pending.set(parts[index..].join(", "));

            if list.len() > before {
                on_change.run(list);
            }
            return false;
        }

        set_entry_error.set(None);
        set_pending.set(String::new());

        if list.len() > before {
            on_change.run(list);
        }
        true
    };

    let on_keydown = move |event: web_sys::KeyboardEvent| {
        let command = event.ctrl_key() || event.meta_key();

        if (event.key() == "Enter" && !command) || event.key() == "," {
            event.prevent_default();
            add(vec![pending.get_untracked()]);
        }
    };

    // Typed commas never reach the field (see `on_keydown`), so commas here
    // come from pasted text: every part before the last comma is added.
    let on_input = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        set_entry_error.set(None);

        let Some((complete, rest)) = text.rsplit_once(',') else {
            set_pending.set(text);
            return;
        };

        let rest = rest.trim_start().to_owned();
        let added = add(complete.split(',').map(str::to_owned).collect());

        if added {
            set_pending.set(rest);
        } else if !rest.is_empty() {
            set_pending.update(|pending| {
                pending.push_str(", ");
                pending.push_str(&rest);
            });
        }
    };

    let remove = move |position: usize| {
        let mut list = items.get_untracked();

        if position < list.len() {
            list.remove(position);
            on_change.run(list);
        }

        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };

    let chips_label = format!("{label} added");
    let describedby = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            if shown_error().is_some() {
                format!("{hint_id} {error_id}")
            } else {
                hint_id.clone()
            }
        }
    };

    view! {
        <div class="field chip-field">
            <label for=id.clone()>{label}</label>
            <ul class="chip-list" aria-label=chips_label>
                {move || {
                    items
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(position, item)| {
                            let remove_label = format!("Remove {item_name} {item}");
                            view! {
                                <li class="chip">
                                    <span class="chip-text">{item}</span>
                                    <button
                                        type="button"
                                        class="chip-remove"
                                        aria-label=remove_label.clone()
                                        title=remove_label
                                        on:click=move |_| remove(position)
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <input
                id=id
                type="text"
                autocomplete="off"
                node_ref=input
                aria-describedby=describedby
                aria-invalid=move || shown_error().is_some().then_some("true")
                prop:value=pending
                on:input=on_input
                on:keydown=on_keydown
                on:blur=move |_| {
                    add(vec![pending.get_untracked()]);
                }
            />
            <p id=hint_id class="hint">"Press Enter or type a comma to add."</p>
            <Show when=move || shown_error().is_some()>
                <p id=error_id.clone() class="field-error">
                    {shown_error}
                </p>
            </Show>
        </div>
    }
}
