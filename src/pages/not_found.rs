//! The page for a path no route matches.

use leptos::prelude::*;

use crate::app::{page_title, use_app};

/// Says the page does not exist and links back to the case list.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let app = use_app();
    page_title(|| Some("Page not found".to_owned()));

    view! {
        <section class="notice-page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have been mistyped or moved."</p>
            <p>
                <a href=app.href("/cases")>"Back to the case list"</a>
            </p>
        </section>
    }
}
