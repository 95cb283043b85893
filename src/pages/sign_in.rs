//! `/sign-in`: where an agent pastes a token.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::app::{page_title, use_app};
use crate::components::sign_in_form::SignInForm;

/// The sign-in page. After signing in it returns the agent to the view they
/// came from (`?next=`), which is an app path and never carries the token.
#[component]
pub fn SignInPage() -> impl IntoView {
    let app = use_app();
    page_title(|| Some("Sign in".to_owned()));
    let query = use_query_map();
    let navigate = use_navigate();

    let next = move || safe_next(query.with_untracked(|query| query.get("next")).as_deref());

    let go_on = Callback::new(move |_| navigate(&next(), Default::default()));

    view! {
        <section class="sign-in-page">
            <h1>"Sign in"</h1>
            <p>
                "Omnium Cases works with an Omnium access token. The browser never sees Omnium's client "
                "secret, so paste a ready token here. "
                {move || match app.session.source() {
                    crate::auth::TokenSourceKind::Paste => "",
                    _ => "This deployment normally signs you in through the portal.",
                }}
            </p>
            <SignInForm on_signed_in=go_on />
        </section>
    }
}

/// Accepts only an app path for `next`, so a crafted link cannot send the
/// agent to another site after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/cases".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_next_keeps_app_paths() {
        assert_eq!(safe_next(Some("/cases?status=New")), "/cases?status=New");
        assert_eq!(safe_next(Some("/cases/42/edit")), "/cases/42/edit");
    }

    #[test]
    fn safe_next_rejects_other_sites() {
        assert_eq!(safe_next(Some("//evil.example")), "/cases");
        assert_eq!(safe_next(Some("https://evil.example")), "/cases");
        assert_eq!(safe_next(Some("/\\evil.example")), "/cases");
        assert_eq!(safe_next(None), "/cases");
    }
}
