//! `/cases`: the case list and search.

use leptos::prelude::*;

/// The case list and search page.
#[component]
pub fn CasesPage() -> impl IntoView {
    view! {
        <section class="cases-page">
            <h1>"Cases"</h1>
        </section>
    }
}
