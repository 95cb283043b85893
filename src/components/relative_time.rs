//! A time shown relative to now, with the absolute local time on hover.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::app::use_app;
use crate::text::{local_time_full, relative_time};

/// A `<time>` element reading "5 min ago", with the full local time in its
/// tooltip and its machine-readable value in `datetime`.
#[component]
pub fn RelativeTime(
    /// The instant to show; nothing is drawn for `None`.
    value: Option<DateTime<Utc>>,
    /// Text shown instead when there is no value.
    #[prop(optional, into)]
    empty: Option<String>,
) -> impl IntoView {
    let now = use_app().now;

    match value {
        Some(value) => view! {
            <time datetime=value.to_rfc3339() title=local_time_full(value)>
                {move || relative_time(value, now.get())}
            </time>
        }
        .into_any(),
        None => view! { <span class="empty-value">{empty.unwrap_or_default()}</span> }.into_any(),
    }
}
