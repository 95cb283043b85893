//! Keyboard shortcuts that work standalone and inside a shadow root.

use wasm_bindgen::JsCast;

/// Tells whether a key event started in a text field, where single-letter
/// shortcuts must not fire. Inside a shadow root the event's `target` is the
/// host element, so the first element of the composed path is checked.
pub fn is_typing(event: &web_sys::KeyboardEvent) -> bool {
    let path = event.composed_path();
    let Some(element) = path.get(0).dyn_into::<web_sys::Element>().ok() else {
        return false;
    };

    let tag = element.tag_name().to_ascii_lowercase();

    matches!(tag.as_str(), "input" | "textarea" | "select")
        || element
            .get_attribute("contenteditable")
            .is_some_and(|value| value != "false")
}

/// Tells whether a key event carries a modifier that belongs to the browser
/// or the operating system, so plain-letter shortcuts leave it alone.
pub fn has_command_modifier(event: &web_sys::KeyboardEvent) -> bool {
    event.ctrl_key() || event.meta_key() || event.alt_key()
}

/// Returns the element that has focus, looking inside the app's shadow root
/// when the app is embedded.
pub fn active_element() -> Option<web_sys::Element> {
    let mut active = web_sys::window()?.document()?.active_element()?;

    while let Some(inner) = active.shadow_root().and_then(|root| root.active_element()) {
        active = inner;
    }

    Some(active)
}
