//! The form's controls, grouped in sections. Every control has a label, and
//! its error message is tied to it with `aria-describedby` and
//! `aria-invalid`.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::fields::{
    Field, FormValues, PARTICIPANT_PARTS, PROPERTY_PARTS, ParticipantRow, PropertyRow, RowPart,
    VALUE_TYPES, row_input_id,
};
use super::{FormModel, has_bad_input};
use crate::components::chip_input::ChipInput;

/// Renders every section of the form.
#[component]
pub(super) fn FormFields(model: FormModel) -> impl IntoView {
    let (statuses, priorities, sources) = model.app.config.with_value(|config| {
        (
            config.statuses.clone(),
            config.priorities.clone(),
            config.sources.clone(),
        )
    });

    let status_empty = if model.is_edit() {
        "Not set"
    } else {
        "Default for new cases"
    };

    view! {
        <fieldset class="form-section">
            <legend>"Case"</legend>
            <TextField model field=Field::Subject required=true />
            <TextField model field=Field::Description multiline=true />
            <div class="field-grid">
                <ChoiceField model field=Field::Status options=statuses empty_label=status_empty />
                <ChoiceField model field=Field::Priority options=priorities empty_label="Not set" />
                <TextField
                    model
                    field=Field::Source
                    list=("case-source-options", sources)
                    hint="Pick one or type another source."
                />
                <FollowUpField model />
            </div>
        </fieldset>
        <AssigneeSection model />
        <fieldset class="form-section">
            <legend>"Customer"</legend>
            <div class="field-grid">
                <TextField model field=Field::CustomerId />
                <TextField model field=Field::CustomerName />
                <TextField model field=Field::CustomerEmail input_type="email" />
            </div>
        </fieldset>
        <fieldset class="form-section">
            <legend>"Tags and related items"</legend>
            <ListField model field=Field::Tags item_name="tag" />
            <div class="field-grid">
                <ListField model field=Field::RelatedOrders item_name="order id" />
                <ListField model field=Field::RelatedCustomers item_name="customer id" />
                <ListField model field=Field::RelatedProjects item_name="project id" />
                <ListField model field=Field::RelatedCarts item_name="cart id" />
                <ListField model field=Field::RelatedSkus item_name="SKU" />
                <ListField model field=Field::RelatedProducts item_name="product id" />
            </div>
        </fieldset>
        <ParticipantRows model />
        <PropertyRows model />
    }
}

/// Builds the `aria-describedby` value: the hint and, when shown, the error.
fn described_by(hint_id: Option<String>, error_id: String, has_error: bool) -> Option<String> {
    let ids: Vec<String> = hint_id
        .into_iter()
        .chain(has_error.then_some(error_id))
        .collect();

    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Renders the error message under a control, when it has one.
#[component]
fn FieldError(model: FormModel, #[prop(into)] input_id: String) -> impl IntoView {
    let error_id = format!("{input_id}-error");
    let input_id = StoredValue::new(input_id);
    let message = move || input_id.with_value(|input_id| model.error_for(input_id));

    view! {
        <Show when=move || message().is_some()>
            <p id=error_id.clone() class="field-error">
                {message}
            </p>
        </Show>
    }
}

/// Renders a labelled text field, text area or field with suggestions.
#[component]
fn TextField(
    model: FormModel,
    field: Field,
    /// Shows a multi-line text area.
    #[prop(optional)]
    multiline: bool,
    /// Marks the field as required for assistive technology and in the label.
    #[prop(optional)]
    required: bool,
    /// The input's `type`; `text` unless set.
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// A help line under the field.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// A `datalist` id and its suggestions.
    #[prop(optional)]
    list: Option<(&'static str, Vec<String>)>,
) -> impl IntoView {
    let id = field.input_id();
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let value = Memo::new(move |_| {
        model
            .values
            .with(|values| values.text(field).unwrap_or_default().to_owned())
    });

    let has_error = move || model.error_for(id).is_some();
    let describedby = {
        let hint_id = hint_id.clone();
        move || described_by(hint_id.clone(), format!("{id}-error"), has_error())
    };

    let on_input = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);

        model.edit(id, |values| {
            if let Some(target) = values.text_mut(field) {
                *target = text;
            }
        });
    };

    let list_id = list.as_ref().map(|(list_id, _)| *list_id);
    let suggestions = list.map(|(list_id, options)| {
        view! {
            <datalist id=list_id>
                {options
                    .into_iter()
                    .map(|option| view! { <option value=option></option> })
                    .collect_view()}
            </datalist>
        }
    });

    let control = if multiline {
        view! {
            <textarea
                id=id
                rows="5"
                aria-describedby=describedby
                aria-invalid=move || has_error().then_some("true")
                prop:value=value
                on:input=on_input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                type=input_type.unwrap_or("text")
                list=list_id
                autocomplete="off"
                aria-required=required.then_some("true")
                aria-describedby=describedby
                aria-invalid=move || has_error().then_some("true")
                prop:value=value
                on:input=on_input
            />
        }
        .into_any()
    };

    view! {
        <div class="field">
            <label for=id>
                {field.label()}
                {required.then_some(view! { <span class="required-mark">" (required)"</span> })}
            </label>
            {control}
            {suggestions}
            {hint.map(|hint| view! { <p id=hint_id.clone() class="hint">{hint}</p> })}
            <FieldError model input_id=id />
        </div>
    }
}

/// Renders a select of the configured values. The value the case had, and the
/// current one, stay selectable even when the configuration lacks them,
/// because statuses and priorities are tenant settings that change.
#[component]
fn ChoiceField(
    model: FormModel,
    field: Field,
    options: Vec<String>,
    /// The label of the empty choice, offered while the case has no value.
    empty_label: &'static str,
) -> impl IntoView {
    let id = field.input_id();
    let current = Memo::new(move |_| {
        model
            .values
            .with(|values| values.text(field).unwrap_or_default().to_owned())
    });
    let original = Memo::new(move |_| {
        model
            .baseline
            .with(|values| values.text(field).unwrap_or_default().to_owned())
    });

    let choices = Memo::new(move |_| {
        let mut choices = options.clone();

        for value in [original.get(), current.get()] {
            if !value.is_empty() && !choices.contains(&value) {
                choices.push(value);
            }
        }

        choices
    });

    let offer_empty = move || original.with(String::is_empty) || current.with(String::is_empty);
    let has_error = move || model.error_for(id).is_some();

    let on_change = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);

        model.edit(id, |values| {
            if let Some(target) = values.text_mut(field) {
                *target = text;
            }
        });
    };

    view! {
        <div class="field">
            <label for=id>{field.label()}</label>
            <select
                id=id
                aria-describedby=move || described_by(None, format!("{id}-error"), has_error())
                aria-invalid=move || has_error().then_some("true")
                on:change=on_change
            >
                <Show when=offer_empty>
                    <option value="" prop:selected=move || current.with(String::is_empty)>
                        {empty_label}
                    </option>
                </Show>
                <For
                    each=move || choices.get()
                    key=|choice| choice.clone()
                    children=move |choice| {
                        let label = choice.clone();
                        let value = choice.clone();
                        view! {
                            <option value=value prop:selected=move || current.get() == choice>
                                {label}
                            </option>
                        }
                    }
                />
            </select>
            <FieldError model input_id=id />
        </div>
    }
}

/// Renders the follow-up date and time, entered in local time.
#[component]
fn FollowUpField(model: FormModel) -> impl IntoView {
    let field = Field::FollowUp;
    let id = field.input_id();
    let hint_id = format!("{id}-hint");
    let input = NodeRef::<html::Input>::new();
    let value = Memo::new(move |_| model.values.with(|values| values.follow_up.clone()));

    let has_error = move || model.error_for(id).is_some();
    let describedby = {
        let hint_id = hint_id.clone();
        move || described_by(Some(hint_id.clone()), format!("{id}-error"), has_error())
    };

    let read = move |event: leptos::ev::Event| {
        let Some(element) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };

        model.follow_up_incomplete.set(has_bad_input(&element));
        let text = element.value();

        if model
            .values
            .with_untracked(|values| values.follow_up != text)
        {
            model.edit(id, |values| values.follow_up = text);
        }
    };

    let clear = move |_| {
        // Setting the element's value also drops a partly typed date, which
        // an unchanged empty value in the form would not.
        if let Some(element) = input.get_untracked() {
            element.set_value("");
        }

        model.follow_up_incomplete.set(false);
        model.edit(id, |values| values.follow_up.clear());
    };

    view! {
        <div class="field">
            <label for=id>{field.label()}</label>
            <div class="follow-up-control">
                <input
                    id=id
                    type="datetime-local"
                    node_ref=input
                    aria-describedby=describedby
                    aria-invalid=move || has_error().then_some("true")
                    prop:value=value
                    on:input=read
                    on:blur=move |event: leptos::ev::FocusEvent| read(event.into())
                />
                <button type="button" class="button button-quiet" on:click=clear>
                    "Clear follow-up"
                </button>
            </div>
            <p id=hint_id class="hint">"In your local time; Omnium stores it in UTC."</p>
            <FieldError model input_id=id />
        </div>
    }
}

#[component]
fn AssigneeSection(model: FormModel) -> impl IntoView {
    let session = model.app.session;
    let me = move || {
        session.claims().and_then(|claims| {
            let id = claims.user_id?;
            Some((id, claims.display_name.unwrap_or_default()))
        })
    };

    let assign_to_me = move |_| {
        let Some((id, name)) = me() else {
            return;
        };

        model.edit(Field::AssigneeId.input_id(), |values| {
            values.assigned_to_user_id = id;
            values.assigned_to_name = name;
        });
        model.api_errors.update(|errors| {
            errors.retain(|error| error.input_id != Field::AssigneeName.input_id());
        });
    };

    view! {
        <fieldset class="form-section">
            <legend>"Assignee"</legend>
            <div class="field-grid">
                <TextField model field=Field::AssigneeId />
                <TextField model field=Field::AssigneeName />
            </div>
            <Show when=move || me().is_some()>
                <button type="button" class="button" on:click=assign_to_me>
                    "Assign to me"
                </button>
            </Show>
        </fieldset>
    }
}

/// Tags or a list of related ids, as chips.
#[component]
fn ListField(model: FormModel, field: Field, item_name: &'static str) -> impl IntoView {
    let id = field.input_id();
    let items = Memo::new(move |_| {
        model
            .values
            .with(|values| values.list(field).cloned().unwrap_or_default())
    });

    let on_change = Callback::new(move |list: Vec<String>| {
        model.edit(id, |values| {
            if let Some(target) = values.list_mut(field) {
                *target = list;
            }
        });
    });

    view! {
        <ChipInput
            id=id
            label=field.label()
            item_name=item_name
            items=items
            on_change=on_change
            error=Signal::derive(move || model.error_for(id))
        />
    }
}

/// Focuses a control once it is drawn.
fn focus_later(model: FormModel, input_id: String) {
    request_animation_frame(move || {
        let element = model
            .form
            .get_untracked()
            .and_then(|form| form.query_selector(&format!("#{input_id}")).ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());

        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

#[component]
fn ParticipantRows(model: FormModel) -> impl IntoView {
    let rows = Memo::new(move |_| {
        model.values.with(|values| {
            values
                .participants
                .iter()
                .map(|row| row.row)
                .collect::<Vec<_>>()
        })
    });
    let add_button = NodeRef::<html::Button>::new();

    let add = move |_| {
        let row = model.values.with_untracked(FormValues::next_row_key);

        model.values.update(|values| {
            values.participants.push(ParticipantRow {
                row,
                ..Default::default()
            });
        });

        focus_later(model, row_input_id(Field::Participants, row, RowPart::Name));
    };

    view! {
        <fieldset class="form-section rows" id=Field::Participants.input_id()>
            <legend>"Participants"</legend>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="hint">"No participants besides the customer."</p>
            </Show>
            <For
                each=move || rows.get()
                key=|row| *row
                children=move |row| {
                    view! { <ParticipantRowView model row rows add_button /> }
                }
            />
            <button type="button" class="button" node_ref=add_button on:click=add>
                "Add participant"
            </button>
        </fieldset>
    }
}

#[component]
fn ParticipantRowView(
    model: FormModel,
    row: u32,
    rows: Memo<Vec<u32>>,
    add_button: NodeRef<html::Button>,
) -> impl IntoView {
    let number = Memo::new(move |_| rows.with(|rows| position(rows, row)));

    let remove = move |_| {
        model.values.update(|values| {
            values
                .participants
                .retain(|participant| participant.row != row);
        });

        if let Some(button) = add_button.get_untracked() {
            let _ = button.focus();
        }
    };

    view! {
        <fieldset class="form-row">
            <legend>{move || format!("Participant {}", number.get())}</legend>
            <div class="field-grid">
                {PARTICIPANT_PARTS
                    .into_iter()
                    .map(|part| view! { <RowInput model field=Field::Participants row part /> })
                    .collect_view()}
            </div>
            <button type="button" class="button button-quiet" on:click=remove>
                {move || format!("Remove participant {}", number.get())}
            </button>
        </fieldset>
    }
}

#[component]
fn PropertyRows(model: FormModel) -> impl IntoView {
    let rows = Memo::new(move |_| {
        model.values.with(|values| {
            values
                .properties
                .iter()
                .map(|row| row.row)
                .collect::<Vec<_>>()
        })
    });
    let add_button = NodeRef::<html::Button>::new();

    let add = move |_| {
        let row = model.values.with_untracked(FormValues::next_row_key);

        model.values.update(|values| {
            values.properties.push(PropertyRow {
                row,
                value_type: VALUE_TYPES[0].to_owned(),
                ..Default::default()
            });
        });

        focus_later(model, row_input_id(Field::Properties, row, RowPart::Key));
    };

    view! {
        <fieldset class="form-section rows" id=Field::Properties.input_id()>
            <legend>"Custom properties"</legend>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="hint">"No custom properties."</p>
            </Show>
            <For
                each=move || rows.get()
                key=|row| *row
                children=move |row| {
                    view! { <PropertyRowView model row rows add_button /> }
                }
            />
            <button type="button" class="button" node_ref=add_button on:click=add>
                "Add property"
            </button>
        </fieldset>
    }
}

#[component]
fn PropertyRowView(
    model: FormModel,
    row: u32,
    rows: Memo<Vec<u32>>,
    add_button: NodeRef<html::Button>,
) -> impl IntoView {
    let number = Memo::new(move |_| rows.with(|rows| position(rows, row)));

    let remove = move |_| {
        model.values.update(|values| {
            values.properties.retain(|property| property.row != row);
        });

        if let Some(button) = add_button.get_untracked() {
            let _ = button.focus();
        }
    };

    view! {
        <fieldset class="form-row">
            <legend>{move || format!("Property {}", number.get())}</legend>
            <div class="field-grid">
                {PROPERTY_PARTS
                    .into_iter()
                    .map(|part| view! { <RowInput model field=Field::Properties row part /> })
                    .collect_view()}
            </div>
            <button type="button" class="button button-quiet" on:click=remove>
                {move || format!("Remove property {}", number.get())}
            </button>
        </fieldset>
    }
}

/// Returns the 1-based position of a row key in the list of rows.
fn position(rows: &[u32], row: u32) -> usize {
    rows.iter().position(|key| *key == row).unwrap_or(0) + 1
}

/// Reads one part of a participant or property row.
fn row_part(values: &FormValues, field: Field, row: u32, part: RowPart) -> String {
    let text = match field {
        Field::Participants => values
            .participants
            .iter()
            .find(|participant| participant.row == row)
            .map(|participant| participant.part(part)),
        _ => values
            .properties
            .iter()
            .find(|property| property.row == row)
            .map(|property| property.part(part)),
    };

    text.unwrap_or_default().to_owned()
}

/// Writes one part of a participant or property row.
fn set_row_part(values: &mut FormValues, field: Field, row: u32, part: RowPart, text: String) {
    let target = match field {
        Field::Participants => values
            .participants
            .iter_mut()
            .find(|participant| participant.row == row)
            .and_then(|participant| participant.part_mut(part)),
        _ => values
            .properties
            .iter_mut()
            .find(|property| property.row == row)
            .and_then(|property| property.part_mut(part)),
    };

    if let Some(target) = target {
        *target = text;
    }
}

/// Returns a hint for a property value of the given type.
fn value_placeholder(value_type: &str) -> &'static str {
    match value_type {
        "Number" => "such as 12.50",
        "Boolean" => "true or false",
        "DateTime" => "such as 2026-03-01T09:15:00Z",
        _ => "",
    }
}

/// Renders one control of a participant or property row.
#[component]
fn RowInput(model: FormModel, field: Field, row: u32, part: RowPart) -> impl IntoView {
    let id = row_input_id(field, row, part);
    let value = Memo::new(move |_| {
        model
            .values
            .with(|values| row_part(values, field, row, part))
    });

    let error_id = format!("{id}-error");
    let check_id = StoredValue::new(id.clone());
    let has_error = move || check_id.with_value(|id| model.error_for(id).is_some());

    let edit_id = id.clone();
    let on_input = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);

        model.edit(&edit_id, |values| {
            set_row_part(values, field, row, part, text)
        });
    };

    let describedby = move || described_by(None, error_id.clone(), has_error());

    let control = match part {
        RowPart::ValueType => {
            let choices = Memo::new(move |_| {
                let mut choices: Vec<String> = VALUE_TYPES.map(str::to_owned).to_vec();
                let current = value.get();

                if !current.is_empty() && !choices.contains(&current) {
                    choices.push(current);
                }

                choices
            });

            view! {
                <select
                    id=id.clone()
                    aria-describedby=describedby
                    aria-invalid=move || has_error().then_some("true")
                    on:change=on_input
                >
                    <For
                        each=move || choices.get()
                        key=|choice| choice.clone()
                        children=move |choice| {
                            let label = choice.clone();
                            let option_value = choice.clone();
                            view! {
                                <option
                                    value=option_value
                                    prop:selected=move || value.get() == choice
                                >
                                    {label}
                                </option>
                            }
                        }
                    />
                </select>
            }
            .into_any()
        }
        _ => {
            let placeholder = move || {
                if part != RowPart::Value {
                    return "";
                }

                model.values.with(|values| {
                    value_placeholder(&row_part(values, field, row, RowPart::ValueType))
                })
            };
            let input_type = if part == RowPart::Email {
                "email"
            } else {
                "text"
            };

            view! {
                <input
                    id=id.clone()
                    type=input_type
                    autocomplete="off"
                    placeholder=placeholder
                    aria-describedby=describedby
                    aria-invalid=move || has_error().then_some("true")
                    prop:value=value
                    on:input=on_input
                />
            }
            .into_any()
        }
    };

    view! {
        <div class="field">
            <label for=id.clone()>{part.label()}</label>
            {control}
            <FieldError model input_id=id />
        </div>
    }
}
