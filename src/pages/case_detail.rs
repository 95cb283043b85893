//! `/cases/:id`: one case and the actions an agent takes on it.

use leptos::prelude::*;

/// The case detail page.
#[component]
pub fn CaseDetailPage() -> impl IntoView {
    view! {
        <section class="case-detail-page">
            <h1>"Case"</h1>
        </section>
    }
}
