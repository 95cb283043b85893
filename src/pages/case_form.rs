//! `/cases/new` and `/cases/:id/edit`: the create and edit forms.

use leptos::prelude::*;

/// The form for a new case.
#[component]
pub fn NewCasePage() -> impl IntoView {
    view! {
        <section class="case-form-page">
            <h1>"New case"</h1>
        </section>
    }
}

/// The form for editing a case.
#[component]
pub fn EditCasePage() -> impl IntoView {
    view! {
        <section class="case-form-page">
            <h1>"Edit case"</h1>
        </section>
    }
}
