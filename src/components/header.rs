//! The header: the app's name, navigation and the signed-in agent.

use leptos::prelude::*;

use super::sign_out_button::SignOutButton;
use crate::app::use_app;
use crate::auth::AccessLevel;
use crate::text::format_duration_ms;

/// The top bar with the agent's name, access level, the token's time left
/// and sign-out.
#[component]
pub fn Header() -> impl IntoView {
    let app = use_app();
    let session = app.session;

    let name = move || {
        session
            .claims()
            .and_then(|claims| claims.display_name.or(claims.user_id))
            .unwrap_or_else(|| "Signed-in agent".to_owned())
    };

    let time_left = move || {
        let expires_at = session.claims()?.expires_at?;
        let left = (expires_at - app.now.get()).num_milliseconds();

        if left <= 0 {
            return Some("token expired".to_owned());
        }

        Some(format!("{} left", format_duration_ms(left)))
    };

    let access_label = move || session.access().label();
    let read_only = move || session.access() == AccessLevel::Read;

    view! {
        <header class="app-header" role="banner">
            <a class="brand" href=app.href("/cases")>"Omnium Cases"</a>
            <nav aria-label="Main">
                <a href=app.href("/cases")>"Cases"</a>
            </nav>
            <Show when=move || session.token().is_some()>
                <div class="session-info">
                    <span class="agent-name">{name}</span>
                    <Show
                        when=read_only
                        fallback=move || view! { <span class="access-label">{access_label}</span> }
                    >
                        <span class="badge badge-quiet" title="Your token allows reading cases only">
                            "read-only"
                        </span>
                    </Show>
                    <span class="token-time" title="Time until your access token expires">
                        {time_left}
                    </span>
                    <SignOutButton class="button button-quiet" />
                </div>
            </Show>
        </header>
    }
}
