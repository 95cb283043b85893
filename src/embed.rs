//! Talking to an embedding page: token handover and announcements.
//!
//! Mounted by `mount()`, the app draws inside a shadow root of the host's
//! element and dispatches DOM events on that element. In an iframe, it
//! exchanges `postMessage` messages with the parent page, accepting them only
//! from configured origins.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::auth::{Session, TokenSourceKind};

/// The message type a parent page sends with a token.
pub const TOKEN_MESSAGE: &str = "omnium-cases:token";
/// The message type the app sends when it needs a token.
pub const TOKEN_REQUEST_MESSAGE: &str = "omnium-cases:token-request";

/// The link between the app and the page that embeds it.
#[derive(Clone)]
pub struct HostBridge {
    /// The element events are dispatched on; `None` means the window.
    target: Option<web_sys::EventTarget>,
    session: Rc<RefCell<Option<Session>>>,
}

impl HostBridge {
    pub fn new(target: Option<web_sys::EventTarget>) -> Self {
        Self {
            target,
            session: Rc::new(RefCell::new(None)),
        }
    }

    /// Tells whether the app is mounted into an element of a host page,
    /// which owns the page's title and the rest of the document.
    pub fn is_mounted(&self) -> bool {
        self.target.is_some()
    }

    /// Lets the mount API hand tokens to `session`.
    pub fn connect(&self, session: Session, _allowed_origins: Vec<String>) {
        self.session.replace(Some(session));
    }

    /// Hands the app a token from the embedding page's code.
    pub fn set_token(&self, token: String) {
        if let Some(session) = *self.session.borrow() {
            session.set_token(token);
        }
    }

    /// Dispatches `event` with `detail` on the host's element, bubbling and
    /// crossing the shadow boundary so the portal can listen anywhere above.
    pub fn announce(&self, event: &str, detail: &serde_json::Value) {
        dispatch(self.target.as_ref(), event, detail);
    }

    /// In an iframe whose token source is the host, listens for tokens from
    /// the allowed parent origins and requests one at start, after a 401
    /// and after the agent signed out.
    pub fn connect_parent(session: Session, allowed_origins: Vec<String>) {
        if session.source() != TokenSourceKind::Host || !cfg!(target_arch = "wasm32") {
            return;
        }

        let Some(parent) = parent_window() else {
            return;
        };

        let allowed = allowed_origins.clone();
        let handle = window_event_listener(leptos::ev::message, move |event| {
            if !allowed.iter().any(|origin| *origin == event.origin()) {
                return;
            }

            if let Some(token) = token_from_message(&event.data()) {
                session.set_token(token);
            }
        });
        on_cleanup(move || handle.remove());

        let request_token = move || {
            for origin in &allowed_origins {
                post_to_parent(&parent, TOKEN_REQUEST_MESSAGE, origin);
            }
        };

        // The app requests a token from the parent at start (the effect's
        // first run), after a 401 and after the agent signed out.
        Effect::new(move |_| {
            let rejected = session.sign_in_needed().is_some();
            let signed_out = session.token().is_none();

            if rejected || signed_out {
                request_token();
            }
        });
    }
}

/// Creates the shadow root the app draws in, with the app's stylesheet, and
/// returns the element to mount into.
pub fn embed_root(
    element: &web_sys::HtmlElement,
    stylesheets: &[(String, Option<String>)],
) -> Result<web_sys::HtmlElement, JsValue> {
    let document = element
        .owner_document()
        .ok_or_else(|| JsValue::from_str("mount: the element is not in a document"))?;

    let shadow = match element.shadow_root() {
        Some(shadow) => shadow,
        None => {
            element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?
        }
    };
    shadow.set_inner_html("");

    for (href, integrity) in stylesheets {
        let link: web_sys::HtmlLinkElement = document.create_element("link")?.unchecked_into();
        link.set_rel("stylesheet");
        link.set_href(href);

        // The stylesheet may come from a CDN origin other than the portal's;
        // integrity on a cross-origin file needs a CORS request.
        if let Some(integrity) = integrity {
            link.set_integrity(integrity);
            link.set_cross_origin(Some("anonymous"));
        }

        shadow.append_child(&link)?;
    }

    let root: web_sys::HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("omnium-embed-root");
    shadow.append_child(&root)?;

    Ok(root)
}

fn token_from_message(data: &JsValue) -> Option<String> {
    let kind = js_sys::Reflect::get(data, &JsValue::from_str("type"))
        .ok()?
        .as_string()?;

    if kind != TOKEN_MESSAGE {
        return None;
    }

    js_sys::Reflect::get(data, &JsValue::from_str("token"))
        .ok()?
        .as_string()
        .filter(|token| !token.trim().is_empty())
}

fn parent_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;

    // A top-level window is its own parent.
    if js_sys::Object::is(&parent, &window) {
        return None;
    }

    Some(parent)
}

fn post_to_parent(parent: &web_sys::Window, kind: &str, origin: &str) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &message,
        &JsValue::from_str("type"),
        &JsValue::from_str(kind),
    );
    let _ = parent.post_message(&message, origin);
}

/// Dispatches `event` with `detail` on `window`, for an app that runs on a
/// page of its own (standalone, or as the document of an iframe).
pub fn announce_on_window(event: &str, detail: &serde_json::Value) {
    dispatch(None, event, detail);
}

fn dispatch(target: Option<&web_sys::EventTarget>, event: &str, detail: &serde_json::Value) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }

    let detail = js_sys::JSON::parse(&detail.to_string()).unwrap_or(JsValue::NULL);
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);

    let Ok(custom) = web_sys::CustomEvent::new_with_event_init_dict(event, &init) else {
        return;
    };

    match target {
        Some(target) => {
            let _ = target.dispatch_event(&custom);
        }
        None => {
            if let Some(window) = web_sys::window() {
                let _ = window.dispatch_event(&custom);
            }
        }
    }
}
