//! Entry points called from JavaScript: `start` for the standalone page and
//! `mount` for embedding into a host page.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::app::{App, ConfigProblem};
use crate::config::{ConfigError, RuntimeConfig};

/// Starts the standalone app: loads `config.json` from beside `index.html`
/// and mounts the app into the body.
#[wasm_bindgen]
pub fn start() {
    console_error_panic_hook::set_once();

    wasm_bindgen_futures::spawn_local(async {
        let loaded = load_config().await;

        mount_to_body(move || match loaded {
            Ok(config) => App(crate::app::AppProps { config, host: None }).into_any(),
            Err(problem) => view! { <ConfigProblem problem /> }.into_any(),
        });
    });
}

/// An app mounted into a host page's element by `mount`.
#[wasm_bindgen]
pub struct MountedApp {
    handle: Option<Box<dyn std::any::Any>>,
    host: crate::app::HostBridge,
    element: web_sys::HtmlElement,
}

#[wasm_bindgen]
impl MountedApp {
    /// Removes the app from the host page and releases everything it held:
    /// its view, listeners, timers and the shadow root's content.
    pub fn unmount(&mut self) {
        self.handle.take();

        if let Some(shadow) = self.element.shadow_root() {
            shadow.set_inner_html("");
        }
    }

    /// Hands the app a fresh access token, at any time.
    #[wasm_bindgen(js_name = setToken)]
    pub fn set_token(&self, token: String) {
        self.host.set_token(token);
    }
}

/// Mounts the app into `element` with `settings` (the same keys as
/// `config.json`). The app draws inside a shadow root, so the host page's
/// styles and the app's do not reach each other. `stylesheets` lists the
/// app's CSS files as `{href, integrity}` objects, loaded into that root.
#[wasm_bindgen]
pub fn mount(
    element: web_sys::HtmlElement,
    settings: JsValue,
    stylesheets: js_sys::Array,
) -> Result<MountedApp, JsValue> {
    console_error_panic_hook::set_once();

    let text = js_sys::JSON::stringify(&settings)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| JsValue::from_str("mount: settings must be a plain object"))?;

    let config = RuntimeConfig::from_json(&text)
        .map_err(|error| JsValue::from_str(&format!("mount: invalid settings: {error}")))?;

    let sheets: Vec<(String, Option<String>)> = stylesheets
        .iter()
        .filter_map(|sheet| {
            let href = js_sys::Reflect::get(&sheet, &JsValue::from_str("href"))
                .ok()?
                .as_string()?;
            let integrity = js_sys::Reflect::get(&sheet, &JsValue::from_str("integrity"))
                .ok()
                .and_then(|value| value.as_string());
            Some((href, integrity))
        })
        .collect();

    let root = crate::app::embed_root(&element, &sheets)?;
    let host = crate::app::HostBridge::new(Some(element.clone().into()));

    let bridge = host.clone();

    let handle = mount_to(root, move || {
        App(crate::app::AppProps {
            config,
            host: Some(bridge),
        })
    });

    Ok(MountedApp {
        handle: Some(Box::new(handle)),
        host,
        element,
    })
}

async fn load_config() -> Result<RuntimeConfig, ConfigError> {
    use gloo_net::http::Request;

    let url = config_url().unwrap_or_else(|| "config.json".to_owned());

    let fail = |message: String| ConfigError {
        key: "config.json".to_owned(),
        message,
    };

    let response = Request::get(&url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| {
            fail(format!(
                "could not be loaded from {url}. Check that the file is deployed beside index.html."
            ))
        })?;

    if !response.ok() {
        return Err(fail(format!(
            "could not be loaded from {url} (HTTP {}). Deploy it beside index.html.",
            response.status()
        )));
    }

    let text = response
        .text()
        .await
        .map_err(|_| fail(format!("could not be read from {url}. Reload the page.")))?;

    RuntimeConfig::from_json(&text)
}

/// Resolves `config.json` against the page's `<base href>`, the folder the
/// app's files are served from.
fn config_url() -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;

    web_sys::Url::new_with_base("config.json", &base)
        .ok()
        .map(|url| url.href())
}
