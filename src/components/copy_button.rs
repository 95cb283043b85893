//! A button that puts a text on the clipboard and reports how that went.

use leptos::prelude::*;

/// A "Copy" button. Its accessible name is "Copy " followed by `label`. The
/// result goes to `on_result` as a sentence for a live region, because the
/// browser can deny clipboard access (on an insecure page, or by permission).
#[component]
pub fn CopyButton(
    /// The text put on the clipboard.
    #[prop(into)]
    text: Signal<String>,
    /// What is copied, for the button's accessible name, such as
    /// "order ORD-1".
    #[prop(into)]
    label: String,
    /// Called with "Copied …" or a message saying why copying failed.
    on_result: Callback<String>,
) -> impl IntoView {
    let copy = move |_| {
        let text = text.get_untracked();

        leptos::task::spawn_local(async move {
            let message = match write_clipboard(&text).await {
                Ok(()) => format!("Copied {text} to the clipboard."),
                Err(()) => format!(
                    "Could not copy {text}: the browser did not allow access to the clipboard. \
                     Select the text and copy it by hand."
                ),
            };

            // The button may be gone by now (the agent left the page).
            let _ = on_result.try_run(message);
        });
    };

    view! {
        <button type="button" class="button button-quiet copy-button" on:click=copy>
            "Copy"
            <span class="visually-hidden">" " {label}</span>
        </button>
    }
}

#[cfg(target_arch = "wasm32")]
async fn write_clipboard(text: &str) -> Result<(), ()> {
    use wasm_bindgen::JsCast;

    let navigator = web_sys::window().ok_or(())?.navigator();

    // `navigator.clipboard` is undefined outside secure contexts; calling
    // through it would throw.
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).map_err(|_| ())?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(());
    }

    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| ())
}

#[cfg(not(target_arch = "wasm32"))]
async fn write_clipboard(_text: &str) -> Result<(), ()> {
    Err(())
}
