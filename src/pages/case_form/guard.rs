//! Asks before the agent leaves a form with unsaved edits.
//!
//! leptos_router 0.8 has no navigation guard (its sources have no confirm,
//! block or before-navigate hook), so the guard listens at the window:
//!
//! - `beforeunload` covers closing the tab, reloading, typing another
//!   address, and links that leave the app (the browser shows its own confirmation).
//! - A click listener in the capture phase runs before the router's own
//!   (bubble-phase) link handler and cancels in-app link clicks the agent
//!   does not confirm.
//! - Back and Forward fire `popstate` at the window itself, where listeners
//!   run in the order they were added (Chromium 156 runs a capture listener
//!   added later after the router's). [`guard_back_navigation`] therefore
//!   adds its listener before the router exists; when the agent stays, it
//!   hides the event from the router and puts the form's address back.
//!
//! NOTE: navigation started from code (`use_navigate`) is not intercepted.
//! The draft in `localStorage` keeps the work then, except after signing
//! out, which deletes the agent's drafts before the shell redirects to the
//! sign-in page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The question asked before leaving the form with unsaved edits.
pub const LEAVE_QUESTION: &str = "You have unsaved changes on this form. Leave anyway? \
     Your draft stays in this browser and comes back when you open the form again.";

/// The open form's state as the Back/Forward listener needs it. Plain cells,
/// not signals, because the listener may run while the form is torn down.
struct OpenForm {
    dirty: Rc<Cell<bool>>,
    url: String,
}

thread_local! {
    static OPEN_FORM: RefCell<Option<OpenForm>> = const { RefCell::new(None) };
    static BACK_GUARD_ADDED: Cell<bool> = const { Cell::new(false) };
}

/// Adds the Back/Forward listener. Call it once before the router is
/// created, so the listener runs before the router's; later calls do
/// nothing. It stays for the life of the page and acts only while a form
/// with unsaved edits is open.
pub fn guard_back_navigation() {
    if !cfg!(target_arch = "wasm32") || BACK_GUARD_ADDED.with(Cell::get) {
        return;
    }

    let Some(window) = web_sys::window() else {
        return;
    };

    let pop_state = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let form_url = OPEN_FORM.with_borrow(|open| {
            open.as_ref()
                .filter(|open| open.dirty.get())
                .map(|open| open.url.clone())
        });

        let Some(form_url) = form_url else {
            return;
        };

        if confirm_leave() {
            return;
        }

        event.stop_immediate_propagation();

        if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&form_url));
        }
    });

    let added = window
        .add_event_listener_with_callback("popstate", pop_state.as_ref().unchecked_ref())
        .is_ok();

    // The listener lives as long as the page, like the router's own.
    pop_state.forget();
    BACK_GUARD_ADDED.with(|flag| flag.set(added));
}

/// Asks the agent to confirm leaving while `dirty` is true, for as long as
/// the calling component lives. `router_base` is the base path the router
/// serves under (empty for the root).
pub fn guard_unsaved_changes(dirty: Signal<bool>, router_base: String) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }

    let Some(window) = web_sys::window() else {
        return;
    };

    let dirty_now = Rc::new(Cell::new(false));
    let form_url = window.location().href().unwrap_or_default();

    OPEN_FORM.with_borrow_mut(|open| {
        *open = Some(OpenForm {
            dirty: dirty_now.clone(),
            url: form_url,
        });
    });

    let mirror = SendWrapper::new(dirty_now.clone());
    Effect::new(move |_| mirror.set(dirty.get()));

    let before_unload = Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
        move |event: web_sys::BeforeUnloadEvent| {
            if !dirty.get_untracked() {
                return;
            }

            event.prevent_default();
            event.set_return_value(LEAVE_QUESTION);
        },
    );

    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
        if !dirty.get_untracked() || !is_in_app_link_click(&event, &router_base) {
            return;
        }

        if confirm_leave() {
            return;
        }

        event.prevent_default();
        event.stop_propagation();
    });

    let target: &web_sys::EventTarget = window.as_ref();
    let _ = target
        .add_event_listener_with_callback("beforeunload", before_unload.as_ref().unchecked_ref());
    let _ = target.add_event_listener_with_callback_and_bool(
        "click",
        click.as_ref().unchecked_ref(),
        true,
    );

    let listeners = SendWrapper::new((window, before_unload, click, dirty_now));

    on_cleanup(move || {
        let (window, before_unload, click, dirty_now) = listeners.take();
        let target: &web_sys::EventTarget = window.as_ref();

        let _ = target.remove_event_listener_with_callback(
            "beforeunload",
            before_unload.as_ref().unchecked_ref(),
        );
        let _ = target.remove_event_listener_with_callback_and_bool(
            "click",
            click.as_ref().unchecked_ref(),
            true,
        );

        // Another form may have opened meanwhile; only this form's entry goes.
        OPEN_FORM.with_borrow_mut(|open| {
            if open
                .as_ref()
                .is_some_and(|open| Rc::ptr_eq(&open.dirty, &dirty_now))
            {
                *open = None;
            }
        });
    });
}

/// Asks the leave question; `true` when the agent chooses to leave.
pub fn confirm_leave() -> bool {
    confirm(LEAVE_QUESTION)
}

/// Shows a browser confirmation; `true` when the agent confirms or no
/// browser window exists.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|window| window.confirm_with_message(question).ok())
        .unwrap_or(true)
}

/// Tells whether a click follows a link that the router would handle: a
/// plain left click on a same-origin link under the router's base, without
/// a target or download, to another page of the app.
fn is_in_app_link_click(event: &web_sys::MouseEvent, router_base: &str) -> bool {
    let modified = event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key();

    if event.default_prevented() || event.button() != 0 || modified {
        return false;
    }

    // Inside a shadow root the event's target is the host, so the composed
    // path is searched for the link.
    let path = event.composed_path();
    let Some(anchor) = (0..path.length()).find_map(|index| {
        path.get(index)
            .dyn_into::<web_sys::HtmlAnchorElement>()
            .ok()
    }) else {
        return false;
    };

    let rel = anchor.rel();
    let leaves_app = !anchor.target().is_empty()
        || anchor.has_attribute("download")
        || rel.split_whitespace().any(|part| part == "external");

    if leaves_app || anchor.href().is_empty() {
        return false;
    }

    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return false;
    };

    let Ok(url) = web_sys::Url::new(&anchor.href()) else {
        return false;
    };

    let same_origin = location.origin().is_ok_and(|origin| origin == url.origin());
    let under_base = router_base.is_empty() || url.pathname().starts_with(router_base);

    if !same_origin || !under_base {
        return false;
    }

    let same_page = location
        .pathname()
        .is_ok_and(|pathname| pathname == url.pathname())
        && location.search().is_ok_and(|search| search == url.search());

    !same_page
}
