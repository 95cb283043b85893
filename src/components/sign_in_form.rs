//! The token form of the sign-in page and the sign-in-again dialog.

use chrono::Utc;
use leptos::prelude::*;

use crate::app::use_app;
use crate::auth::{AccessLevel, access_level, decode_claims, pasted_token};
use crate::text::{format_duration_ms, local_time_full};

/// What a pasted token would give, shown before the agent continues.
#[derive(Debug, Clone, PartialEq)]
enum TokenPreview {
    Empty,
    Usable {
        who: String,
        access: AccessLevel,
        expires: Option<String>,
    },
    Expired {
        who: String,
    },
    NoCaseAccess {
        who: String,
    },
}

/// A textarea for a pasted token, a preview of whom it belongs to, its
/// access level and expiry, and a sign-in button.
#[component]
pub fn SignInForm(
    /// Called after the token is stored.
    on_signed_in: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    let session = app.session;
    let (pasted, set_pasted) = signal(String::new());

    let preview = Memo::new(move |_| {
        let token = pasted.get();
        let token = pasted_token(&token);

        if token.is_empty() {
            return TokenPreview::Empty;
        }

        let claims = decode_claims(token);
        let who = claims
            .as_ref()
            .and_then(|claims| claims.display_name.clone().or(claims.user_id.clone()))
            .unwrap_or_else(|| "an unnamed user (the token is not a readable JWT)".to_owned());

        if claims
            .as_ref()
            .is_some_and(|claims| claims.is_expired(Utc::now()))
        {
            return TokenPreview::Expired { who };
        }

        let access = app
            .config
            .with_value(|config| access_level(token, &config.roles));

        if access == AccessLevel::None {
            return TokenPreview::NoCaseAccess { who };
        }

        let expires = claims.and_then(|claims| claims.expires_at).map(|expiry| {
            let left = (expiry - Utc::now()).num_milliseconds();
            format!(
                "{} (in {})",
                local_time_full(expiry),
                format_duration_ms(left)
            )
        });

        TokenPreview::Usable {
            who,
            access,
            expires,
        }
    });

    let usable = move || matches!(preview.get(), TokenPreview::Usable { .. });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();

        if !usable() {
            return;
        }

        session.set_token(pasted.get_untracked());
        set_pasted.set(String::new());
        on_signed_in.run(());
    };

    view! {
        <form class="sign-in-form" on:submit=submit>
            <label for="access-token">"Access token"</label>
            <textarea
                id="access-token"
                name="access-token"
                rows="4"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="token-preview"
                prop:value=pasted
                on:input=move |event| set_pasted.set(event_target_value(&event))
            ></textarea>
            <div id="token-preview" class="token-preview" aria-live="polite">
                {move || match preview.get() {
                    TokenPreview::Empty => {
                        view! { <p class="hint">"Paste the Omnium access token your portal or administrator gave you."</p> }
                            .into_any()
                    }
                    TokenPreview::Usable { who, access, expires } => {
                        view! {
                            <dl class="token-facts">
                                <dt>"Belongs to"</dt>
                                <dd>{who}</dd>
                                <dt>"Access"</dt>
                                <dd>{access.label()}</dd>
                                <dt>"Expires"</dt>
                                <dd>{expires.unwrap_or_else(|| "not stated in the token".to_owned())}</dd>
                            </dl>
                        }
                            .into_any()
                    }
                    TokenPreview::Expired { who } => {
                        view! {
                            <p class="field-error" role="alert">
                                "This token (for " {who} ") has expired. Get a new token and paste it here."
                            </p>
                        }
                            .into_any()
                    }
                    TokenPreview::NoCaseAccess { who } => {
                        view! {
                            <p class="field-error" role="alert">
                                "This token (for " {who} ") has no case access. Ask an Omnium administrator "
                                "for the CaseRead or CaseAdmin role."
                            </p>
                        }
                            .into_any()
                    }
                }}
            </div>
            <button type="submit" class="button button-primary" disabled=move || !usable()>
                "Sign in"
            </button>
        </form>
    }
}
