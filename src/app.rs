//! The app shell: context, header, routes and the sign-in flow around them.

use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;

use crate::api::{ApiClient, UnauthorizedReason};
use crate::auth::{AccessLevel, Session, TokenSourceKind};
use crate::components::dialog::Dialog;
use crate::components::header::Header;
use crate::components::sign_in_form::SignInForm;
use crate::components::sign_out_button::SignOutButton;
use crate::config::{ConfigError, RuntimeConfig};
use crate::pages::case_detail::CaseDetailPage;
use crate::pages::case_form::{EditCasePage, NewCasePage};
use crate::pages::cases_list::CasesPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::sign_in::SignInPage;

pub use crate::embed::{HostBridge, embed_root};

/// Everything a page needs from the shell. Copyable: each part is a handle.
#[derive(Clone, Copy)]
pub struct AppContext {
    pub config: StoredValue<RuntimeConfig>,
    pub client: StoredValue<ApiClient, LocalStorage>,
    pub session: Session,
    pub host: StoredValue<Option<HostBridge>, LocalStorage>,
    /// The current time, ticking every few seconds, for relative times,
    /// live durations and the token's time left.
    pub now: RwSignal<DateTime<Utc>>,
}

impl AppContext {
    pub fn client(&self) -> ApiClient {
        self.client.get_value()
    }

    /// Turns an app path (`/cases/42`) into a link under the base path.
    pub fn href(&self, app_path: &str) -> String {
        self.config.with_value(|config| config.href(app_path))
    }

    /// Signs the agent out. Their drafts (forms and notes) are removed from
    /// this browser first, so the next person at a shared desk cannot read
    /// unsent case text, and then the token is cleared. An expired or rejected token
    /// does not lead here, so an agent who signs in again finds the drafts.
    pub fn sign_out(&self) {
        crate::pages::case_form::remove_user_drafts(self.user_id().as_deref());
        self.session.sign_out();
        // A portal that hands out tokens learns that the agent left, so it
        // can sign them out too or hand over another token.
        self.announce("omnium-cases:signed-out", serde_json::json!({}));
    }

    /// Counts the signed-in agent's drafts (forms and notes) kept in this
    /// browser, which signing out deletes.
    pub fn draft_count(&self) -> usize {
        crate::pages::case_form::user_draft_keys(self.user_id().as_deref()).len()
    }

    fn user_id(&self) -> Option<String> {
        untrack(|| self.session.claims()).and_then(|claims| claims.user_id)
    }

    /// Tells whether the app is mounted into an element of a portal's page.
    pub fn is_mounted(&self) -> bool {
        self.host
            .with_value(|host| host.as_ref().is_some_and(HostBridge::is_mounted))
    }

    /// Tells the embedding page about something the agent did.
    pub fn announce(&self, event: &str, detail: serde_json::Value) {
        self.host.with_value(|host| match host {
            Some(host) => host.announce(event, &detail),
            None => crate::embed::announce_on_window(event, &detail),
        });
    }
}

/// The app's name, last in every page title.
const APP_TITLE: &str = "Omnium Cases";

/// Keeps the browser tab's title at `title` followed by the app's name, so
/// agents with many tabs open can tell them apart. When the app is mounted
/// into a portal's element the portal owns the title, so nothing is set.
pub fn page_title(title: impl Fn() -> Option<String> + 'static) {
    let app = use_app();

    if app.is_mounted() || !cfg!(target_arch = "wasm32") {
        return;
    }

    Effect::new(move |_| {
        let full = match title() {
            Some(title) if !title.trim().is_empty() => format!("{} · {APP_TITLE}", title.trim()),
            _ => APP_TITLE.to_owned(),
        };

        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&full);
        }
    });
}

/// Returns the shell's context; every page is rendered inside [`App`].
pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}

/// Renders the app: the shell around the routes.
#[component]
pub fn App(config: RuntimeConfig, host: Option<HostBridge>) -> impl IntoView {
    let session = Session::new(
        config.token_source.clone(),
        config.token_storage,
        config.roles.clone(),
    );
    let client = ApiClient::new(config.client_settings(), Rc::new(session));
    let base = config.router_base();
    let now = RwSignal::new(Utc::now());

    let context = AppContext {
        config: StoredValue::new(config),
        client: StoredValue::new_local(client),
        session,
        host: StoredValue::new_local(host.clone()),
        now,
    };
    provide_context(context);

    if let Some(host) = host {
        host.connect(
            session,
            context
                .config
                .with_value(|config| config.allowed_parent_origins.clone()),
        );
    } else {
        HostBridge::connect_parent(
            session,
            context
                .config
                .with_value(|config| config.allowed_parent_origins.clone()),
        );
    }

    start_clock(now);
    start_token_source(session);
    // Before the router exists, so the forms' Back/Forward guard runs first.
    crate::pages::case_form::guard_back_navigation();

    view! {
        // Focusable by click only, so a click on the app's plain text moves
        // focus into the app and its keyboard shortcuts work when mounted
        // into a portal (keys from the portal page itself are ignored there).
        <div class="omnium-app" tabindex="-1">
            <Router base=base>
                <Header />
                <SessionNotices />
                <main class="app-main" id="main">
                    <AuthGate>
                        <Routes fallback=NotFoundPage>
                            <Route path=path!("") view=|| view! { <Redirect path="/cases" /> } />
                            <Route path=path!("/cases") view=CasesPage />
                            <Route path=path!("/cases/new") view=NewCasePage />
                            <Route path=path!("/cases/:id") view=CaseDetailPage />
                            <Route path=path!("/cases/:id/edit") view=EditCasePage />
                            <Route path=path!("/sign-in") view=SignInPage />
                        </Routes>
                    </AuthGate>
                </main>
                <NavigationAnnouncer />
            </Router>
        </div>
    }
}

/// Sends the agent to sign in when there is no token, and shows the sign-in
/// dialog over the page when a token is rejected mid-work, so nothing on the
/// page is lost.
#[component]
fn AuthGate(children: ChildrenFn) -> impl IntoView {
    let app = use_app();
    let session = app.session;
    let location = use_location();
    let navigate = use_navigate();

    Effect::new(move |_| {
        let on_sign_in = location.pathname.get().ends_with("/sign-in");
        let has_token = session.token().is_some();

        if has_token || on_sign_in || session.source() != TokenSourceKind::Paste {
            return;
        }

        let current = format!(
            "{}{}",
            strip_base(&location.pathname.get_untracked(), &app),
            query_suffix(&location.search.get_untracked())
        );
        let next = encode_query_value(&current);
        navigate(&format!("/sign-in?next={next}"), Default::default());
    });

    let waiting = move || session.token().is_none() && session.source() != TokenSourceKind::Paste;
    let no_access = move || session.token().is_some() && session.access() == AccessLevel::None;

    let on_sign_in = move || location.pathname.get().ends_with("/sign-in");
    let show_routes = move || on_sign_in() || (session.token().is_some() && !no_access());

    view! {
        <Show when=waiting>
            <WaitingForToken />
        </Show>
        <Show when=move || no_access() && !on_sign_in()>
            <NoCaseAccess />
        </Show>
        <Show when=show_routes>{children()}</Show>
        <Show when=move || session.sign_in_needed().is_some() && session.token().is_some()>
            <SignInAgainDialog />
        </Show>
    }
}

fn strip_base(pathname: &str, app: &AppContext) -> String {
    let base = app.config.with_value(RuntimeConfig::router_base);
    let path = pathname.strip_prefix(&base).unwrap_or(pathname);

    if path.is_empty() {
        "/".to_owned()
    } else {
        path.to_owned()
    }
}

fn query_suffix(search: &str) -> String {
    if search.is_empty() || search == "?" {
        return String::new();
    }

    if search.starts_with('?') {
        search.to_owned()
    } else {
        format!("?{search}")
    }
}

/// Percent-encodes a query value, leaving RFC 3986 unreserved characters.
pub fn encode_query_value(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, crate::api::PATH_SEGMENT).to_string()
}

/// Shown while a token endpoint or host page has not handed over a token.
#[component]
fn WaitingForToken() -> impl IntoView {
    let app = use_app();
    let session = app.session;
    let (failed, set_failed) = signal(false);

    let retry = move |_| {
        set_failed.set(false);
        leptos::task::spawn_local(async move {
            if !session.fetch_from_endpoint().await {
                set_failed.set(true);
            }
        });
    };

    let message = move || match session.source() {
        TokenSourceKind::Endpoint { .. } if failed.get() => {
            "The portal did not provide an access token. You may need to sign in to the portal first, then try again."
        }
        TokenSourceKind::Endpoint { .. } => "Signing in through the portal…",
        _ => "Waiting for the portal to provide an access token…",
    };

    // A portal that never sends a token leaves the agent nothing to act on,
    // so after a while the page names what the portal's developers should
    // check.
    let (slow, set_slow) = signal(false);
    if session.source() == TokenSourceKind::Host {
        let timer = gloo_timers::callback::Timeout::new(HOST_TOKEN_PATIENCE_MS, move || {
            set_slow.set(true);
        });
        let timer = StoredValue::new_local(Some(timer));
        on_cleanup(move || {
            if let Some(timer) = timer.try_update_value(Option::take).flatten() {
                timer.cancel();
            }
        });
    }

    view! {
        <section class="notice-page" aria-live="polite">
            <h1>"Signing in"</h1>
            <p>{message}</p>
            <Show when=move || slow.get()>
                <p class="hint">
                    "No token has arrived yet. If this page stays, ask the portal's developers to check "
                    "that the portal's origin is listed in allowedParentOrigins in config.json (in an "
                    "iframe) or that the portal calls setToken (when mounted), then reload."
                </p>
            </Show>
            <Show when=move || matches!(session.source(), TokenSourceKind::Endpoint { .. })>
                <button type="button" class="button" on:click=retry>"Try again"</button>
            </Show>
        </section>
    }
}

/// How long the waiting page waits for a portal's token before it names
/// what to check, in milliseconds.
const HOST_TOKEN_PATIENCE_MS: u32 = 5_000;

/// Shown when the token carries roles but none for cases.
#[component]
fn NoCaseAccess() -> impl IntoView {
    view! {
        <section class="notice-page" role="alert">
            <h1>"No case access"</h1>
            <p>
                "Your access token does not grant access to cases. Ask an Omnium administrator for "
                "the CaseRead role (to read cases) or CaseAdmin (to work on them), then sign in again."
            </p>
            <SignOutButton class="button" />
        </section>
    }
}

/// Renders the dialog over the current page when the API rejected the token.
/// It closes once a new token is stored, and the page underneath keeps its
/// state, so the agent can retry what failed.
#[component]
fn SignInAgainDialog() -> impl IntoView {
    let session = use_app().session;

    let reason = move || match session.sign_in_needed() {
        Some(UnauthorizedReason::Expired) => "Your access token has expired.",
        _ => "Omnium did not accept your access token.",
    };

    // Escape and the backdrop do nothing, because without a token no request
    // can succeed. The only way out is signing in (or reloading the page),
    // and focus stays inside as in every other dialog.
    let stay_open = Callback::new(|_| ());

    view! {
        <Dialog title="Sign in again" on_close=stay_open>
            <p>{reason} " Sign in to continue; everything on this page is kept."</p>
            <SignInForm on_signed_in=Callback::new(|_| ()) />
        </Dialog>
    }
}

/// Messages about the session: a refused write, an expiring token.
#[component]
fn SessionNotices() -> impl IntoView {
    let app = use_app();
    let session = app.session;

    view! {
        <Show when=move || session.was_downgraded()>
            <div class="banner banner-warning" role="status">
                "Omnium refused a change because your access token lacks case-admin access. "
                "Admin actions are hidden; you can keep reading cases."
            </div>
        </Show>
    }
}

/// Announces route changes to the embedding page.
#[component]
fn NavigationAnnouncer() -> impl IntoView {
    let app = use_app();
    let location = use_location();

    Effect::new(move |_| {
        let path = location.pathname.get();
        let search = location.search.get();

        app.announce(
            "omnium-cases:navigate",
            serde_json::json!({"path": path, "search": search}),
        );
    });
}

/// Renders a configuration problem instead of a blank page.
#[component]
pub fn ConfigProblem(problem: ConfigError) -> impl IntoView {
    view! {
        <div class="omnium-app">
            <section class="notice-page config-problem" role="alert">
                <h1>"Omnium Cases cannot start"</h1>
                <p>"The runtime configuration (config.json) is not usable:"</p>
                <p>
                    <code>{problem.key.clone()}</code>
                    " "
                    {problem.message.clone()}
                </p>
                <p>
                    "Fix config.json beside index.html, then reload. docs/CONFIGURATION.md in "
                    "the app's source lists every setting."
                </p>
            </section>
        </div>
    }
}

fn start_clock(now: RwSignal<DateTime<Utc>>) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }

    if let Ok(handle) =
        set_interval_with_handle(move || now.set(Utc::now()), Duration::from_secs(5))
    {
        on_cleanup(move || handle.clear());
    }
}

/// Fetches the first token from a token endpoint, and a fresh one shortly
/// before each expires.
fn start_token_source(session: Session) {
    if !matches!(session.source(), TokenSourceKind::Endpoint { .. })
        || !cfg!(target_arch = "wasm32")
    {
        return;
    }

    if session.token().is_none() {
        leptos::task::spawn_local(async move {
            session.fetch_from_endpoint().await;
        });
    }

    // Refreshes one minute before expiry; checked every 30 s so a laptop
    // waking from sleep refreshes promptly.
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let expiring = session
                .expires_at()
                .is_some_and(|expiry| expiry - Utc::now() < chrono::Duration::seconds(60));

            if expiring {
                leptos::task::spawn_local(async move {
                    session.fetch_from_endpoint().await;
                });
            }
        },
        Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
}
