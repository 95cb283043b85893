//! Single-key shortcuts of the list and the dialog that lists them.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::use_app;
use crate::components::dialog::Dialog;
use crate::components::keyboard::{event_in_app, has_command_modifier, is_typing};

/// An action of the list that a single key starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    FocusSearch,
    Next,
    Previous,
    Open,
    Help,
}

impl Shortcut {
    /// Returns the shortcut for a key, as `KeyboardEvent.key` names it.
    pub fn from_key(key: &str) -> Option<Shortcut> {
        match key {
            "/" => Some(Shortcut::FocusSearch),
            "j" => Some(Shortcut::Next),
            "k" => Some(Shortcut::Previous),
            "Enter" => Some(Shortcut::Open),
            "?" => Some(Shortcut::Help),
            _ => None,
        }
    }
}

/// Returns the row picked after moving by `step` from `current` among
/// `count` rows. The first move picks the first row, and moves stop at
/// either end.
pub fn move_selection(current: Option<usize>, step: isize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }

    let Some(current) = current else {
        return Some(0);
    };

    Some(current.saturating_add_signed(step).min(count - 1))
}

/// Calls `on_shortcut` for shortcut keys pressed anywhere on the page,
/// except while the agent types in a field, presses a command modifier, or
/// a dialog is open. The listener is removed when the calling owner is cleaned
/// up.
pub fn listen(on_shortcut: impl Fn(Shortcut, &web_sys::KeyboardEvent) + 'static) {
    let embedded = use_app().is_mounted();
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.default_prevented()
            || has_command_modifier(&event)
            || is_typing(&event)
            || !event_in_app(&event, embedded)
        {
            return;
        }

        let Some(shortcut) = Shortcut::from_key(&event.key()) else {
            return;
        };

        if in_dialog_or_control(&event, shortcut) {
            return;
        }

        on_shortcut(shortcut, &event);
    });

    on_cleanup(move || handle.remove());
}

/// Tells whether the key was pressed inside a dialog, or is Enter on a link
/// or button, which opens or presses it by itself.
fn in_dialog_or_control(event: &web_sys::KeyboardEvent, shortcut: Shortcut) -> bool {
    let path = event.composed_path();
    let Some(element) = path.get(0).dyn_into::<web_sys::Element>().ok() else {
        return false;
    };

    if matches!(element.closest("[role=dialog]"), Ok(Some(_))) {
        return true;
    }

    if shortcut != Shortcut::Open {
        return false;
    }

    matches!(
        element.closest("a[href], button, summary, [role=button]"),
        Ok(Some(_))
    )
}

/// Focuses the link of row `index` and scrolls the row into view.
pub fn reveal_row(table: NodeRef<html::Table>, index: usize) {
    let Some(table) = table.get_untracked() else {
        return;
    };

    let selector = format!("tbody tr:nth-child({})", index + 1);
    let Ok(Some(row)) = table.query_selector(&selector) else {
        return;
    };

    if let Ok(Some(link)) = row.query_selector("a[href]")
        && let Ok(link) = link.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = link.focus();
    }

    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    row.scroll_into_view_with_scroll_into_view_options(&options);
}

/// The dialog listing the list's shortcuts.
#[component]
pub fn ShortcutHelp(
    /// Called when the agent closes the dialog.
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <Dialog title="Keyboard shortcuts" on_close=on_close>
            <dl class="shortcut-list">
                <dt><kbd>"/"</kbd></dt>
                <dd>"Focus the search box"</dd>
                <dt><kbd>"j"</kbd></dt>
                <dd>"Select the next case"</dd>
                <dt><kbd>"k"</kbd></dt>
                <dd>"Select the previous case"</dd>
                <dt><kbd>"Enter"</kbd></dt>
                <dd>"Open the selected case"</dd>
                <dt><kbd>"?"</kbd></dt>
                <dd>"Show this list"</dd>
                <dt><kbd>"Esc"</kbd></dt>
                <dd>"Close this dialog"</dd>
            </dl>
            <p class="hint">"Shortcuts are off while you type in a field."</p>
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| on_close.run(())>
                    "Close"
                </button>
            </div>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_selection_starts_at_first_row() {
        assert_eq!(move_selection(None, 1, 5), Some(0));
        assert_eq!(move_selection(None, -1, 5), Some(0));
    }

    #[test]
    fn move_selection_stops_at_ends() {
        assert_eq!(move_selection(Some(4), 1, 5), Some(4));
        assert_eq!(move_selection(Some(0), -1, 5), Some(0));
        assert_eq!(move_selection(Some(2), 1, 5), Some(3));
    }

    #[test]
    fn move_selection_without_rows() {
        assert_eq!(move_selection(Some(3), 1, 0), None);
    }

    #[test]
    fn move_selection_clamps_stale_index() {
        assert_eq!(move_selection(Some(30), -1, 5), Some(4));
    }

    #[test]
    fn shortcut_keys() {
        assert_eq!(Shortcut::from_key("/"), Some(Shortcut::FocusSearch));
        assert_eq!(Shortcut::from_key("?"), Some(Shortcut::Help));
        assert_eq!(Shortcut::from_key("J"), None);
    }
}
