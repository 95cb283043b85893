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

/// Tells whether a key event belongs to the app: it came from inside the
/// app's root, or, when the app owns the whole page, from the page body
/// (nothing focused). Embedded in a portal, keys typed elsewhere on the
/// portal are left alone.
pub fn event_in_app(event: &web_sys::KeyboardEvent, embedded: bool) -> bool {
    let path = event.composed_path();

    let inside = path.iter().any(|target| {
        target
            .dyn_into::<web_sys::Element>()
            .is_ok_and(|element| element.class_list().contains("omnium-app"))
    });

    if inside {
        return true;
    }

    let on_body = path
        .get(0)
        .dyn_into::<web_sys::Element>()
        .is_ok_and(|element| matches!(element.tag_name().as_str(), "BODY" | "HTML"));

    on_body && !embedded
}
