//! A modal dialog that traps focus and gives it back when it closes.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::keyboard::active_element;

/// Elements that can take focus with Tab.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
                         select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// A modal dialog. Escape and the backdrop call `on_close`; Tab and
/// Shift+Tab stay inside; the element focused before it opened gets focus
/// back when it closes. The first field (or button) is focused on open.
#[component]
pub fn Dialog(
    /// The dialog's heading, also its accessible name.
    #[prop(into)]
    title: String,
    /// Called when the agent dismisses the dialog.
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<html::Div>::new();
    let previous = StoredValue::new_local(active_element());
    let title_id = format!("dialog-title-{}", next_dialog_id());

    panel.on_load(|panel| {
        let first = panel
            .query_selector("input, select, textarea")
            .ok()
            .flatten()
            .or_else(|| panel.query_selector(FOCUSABLE).ok().flatten());

        if let Some(element) =
            first.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });

    on_cleanup(move || {
        let element = previous.try_get_value().flatten();

        if let Some(element) =
            element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });

    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            event.stop_propagation();
            on_close.run(());
            return;
        }

        if event.key() != "Tab" {
            return;
        }

        let Some(panel) = panel.get_untracked() else {
            return;
        };

        let Ok(nodes) = panel.query_selector_all(FOCUSABLE) else {
            return;
        };

        let items: Vec<web_sys::HtmlElement> = (0..nodes.length())
            .filter_map(|index| nodes.get(index))
            .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
            .collect();

        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };

        let active = active_element();
        let at_first = active
            .as_ref()
            .is_some_and(|active| active == first.unchecked_ref::<web_sys::Element>());
        let at_last = active
            .as_ref()
            .is_some_and(|active| active == last.unchecked_ref::<web_sys::Element>());

        if event.shift_key() && at_first {
            event.prevent_default();
            let _ = last.focus();
        } else if !event.shift_key() && at_last {
            event.prevent_default();
            let _ = first.focus();
        }
    };

    let heading_id = title_id.clone();

    view! {
        <div class="dialog-backdrop" on:click=move |_| on_close.run(())>
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby=title_id
                node_ref=panel
                on:keydown=on_keydown
                on:click=|event| event.stop_propagation()
            >
                <h2 id=heading_id>{title}</h2>
                {children()}
            </div>
        </div>
    }
}

fn next_dialog_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};

    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
