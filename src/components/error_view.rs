//! An API error shown as one alert with the action that fits it.

use leptos::prelude::*;

use crate::api::ApiError;

/// An alert with the error's message and, where trying again can help, a
/// retry button.
#[component]
pub fn ErrorView(
    /// The failure to explain.
    error: ApiError,
    /// Called when the agent asks to try again.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
    /// Makes the alert focusable from script (`tabindex="-1"`), for views
    /// that move focus to it.
    #[prop(optional)]
    focusable: bool,
) -> impl IntoView {
    let retryable = !matches!(
        error,
        ApiError::Forbidden | ApiError::NotFound | ApiError::Validation(_)
    );
    let message = error.to_string();

    view! {
        <div class="alert alert-error" role="alert" tabindex=focusable.then_some("-1")>
            <p>{message}</p>
            {on_retry
                .filter(|_| retryable)
                .map(|retry| {
                    view! {
                        <button type="button" class="button" on:click=move |_| retry.run(())>
                            "Try again"
                        </button>
                    }
                })}
        </div>
    }
}
