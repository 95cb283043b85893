//! The case's header, its facts (customer, assignee, source, tags, dates)
//! and its description.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::app::use_app;
use crate::components::relative_time::RelativeTime;
use crate::model::OmniumCase;

/// Characters escaped in the address part of a `mailto:` link, so a stored
/// address cannot add headers (`?`), a fragment or break the attribute.
const MAILTO_ADDRESS: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`');

/// Builds a `mailto:` link for an address.
pub fn mailto(address: &str) -> String {
    format!(
        "mailto:{}",
        utf8_percent_encode(address.trim(), MAILTO_ADDRESS)
    )
}

/// The case number, subject, status and priority.
#[component]
pub fn CaseHeader(
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let number =
        move || case.with(|case| case.case_number.clone().unwrap_or_else(|| case.id.clone()));
    let subject = move || {
        case.with(|case| {
            case.subject
                .clone()
                .filter(|subject| !subject.trim().is_empty())
                .unwrap_or_else(|| "(no subject)".to_owned())
        })
    };
    let status = move || {
        case.with(|case| case.status.clone())
            .unwrap_or_else(|| "none".to_owned())
    };
    let priority = move || {
        case.with(|case| case.priority.clone())
            .unwrap_or_else(|| "none".to_owned())
    };

    view! {
        <header class="case-header">
            <p class="case-number">"Case " <span class="case-number-value">{number}</span></p>
            <h1 class="case-subject">{subject}</h1>
            <p class="case-badges">
                <span class="badge badge-status">
                    <span class="badge-label">"Status "</span>
                    {status}
                </span>
                " "
                <span class="badge badge-priority">
                    <span class="badge-label">"Priority "</span>
                    {priority}
                </span>
            </p>
        </header>
    }
}

/// The facts list: customer, assignee, source, tags, market and dates.
#[component]
pub fn CaseFacts(
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let app = use_app();
    let session = app.session;
    let now = app.now;

    let text = move |read: fn(&OmniumCase) -> Option<String>| {
        move || {
            case.with(read)
                .filter(|value| !value.trim().is_empty())
                .unwrap_or_else(|| "—".to_owned())
        }
    };

    let customer = move || {
        let (name, email, id) = case.with(|case| {
            (
                case.customer_name.clone(),
                case.customer_email
                    .clone()
                    .filter(|email| !email.trim().is_empty()),
                case.customer_id.clone().filter(|id| !id.trim().is_empty()),
            )
        });

        view! {
            <span class="customer-name">{name.unwrap_or_else(|| "(no name)".to_owned())}</span>
            {email
                .map(|email| {
                    view! {
                        <br />
                        <a class="customer-email" href=mailto(&email)>{email.clone()}</a>
                    }
                })}
            {id
                .map(|id| {
                    view! {
                        <br />
                        <span class="hint">"Customer id "</span>
                        <span class="customer-id">{id}</span>
                    }
                })}
        }
    };

    let assignee = move || {
        let (user_id, name) = case.with(|case| {
            (
                case.assigned_to_user_id.clone(),
                case.assigned_to_name.clone(),
            )
        });
        let mine =
            user_id.is_some() && session.claims().and_then(|claims| claims.user_id) == user_id;

        match (name, user_id) {
            (None, None) => view! { <span class="hint">"Unassigned"</span> }.into_any(),
            (name, user_id) => view! {
                <span class="assignee-name">
                    {name.clone().or(user_id.clone()).unwrap_or_default()}
                </span>
                {mine.then(|| view! { " " <span class="badge badge-quiet">"you"</span> })}
                {user_id
                    .filter(|_| name.is_some())
                    .map(|id| view! { " " <span class="hint assignee-id">"(" {id} ")"</span> })}
            }
            .into_any(),
        }
    };

    let tags = move || {
        let tags = case.with(|case| case.tags.clone());

        if tags.is_empty() {
            return view! { <span class="hint">"No tags"</span> }.into_any();
        }

        let items = tags
            .into_iter()
            .map(|tag| view! { <li class="badge">{tag}</li> })
            .collect_view();

        view! { <ul class="tag-list">{items}</ul> }.into_any()
    };

    let market = move || {
        case.with(
            |case| match (case.market_id.clone(), case.market_group_id.clone()) {
                (None, None) => "—".to_owned(),
                (Some(id), None) => id,
                (None, Some(group)) => format!("(group {group})"),
                (Some(id), Some(group)) => format!("{id} (group {group})"),
            },
        )
    };

    let date = move |read: fn(&OmniumCase) -> Option<DateTime<Utc>>, empty: &'static str| {
        move || view! { <RelativeTime value=case.with(read) empty=empty /> }
    };

    let overdue = move || {
        case.with(|case| {
            let open = case.closed_date.is_none() && case.resolved_date.is_none();
            let due = case.follow_up_date.is_some_and(|due| due < now.get());
            open && due
        })
    };

    let last_comment = move || {
        let (when, who) =
            case.with(|case| (case.last_comment_date, case.last_commenter_name.clone()));

        view! {
            <RelativeTime value=when empty="no comments yet" />
            {who.map(|who| view! { " by " <span class="last-commenter">{who}</span> })}
        }
    };

    view! {
        <section class="case-section" aria-labelledby="case-facts-heading">
            <h2 id="case-facts-heading" class="visually-hidden">"Details"</h2>
            <dl class="fact-list case-facts">
                <dt>"Customer"</dt>
                <dd>{customer}</dd>
                <dt>"Assigned to"</dt>
                <dd>{assignee}</dd>
                <dt>"Status"</dt>
                <dd>{text(|case| case.status.clone())}</dd>
                <dt>"Priority"</dt>
                <dd>{text(|case| case.priority.clone())}</dd>
                <dt>"Source"</dt>
                <dd>{text(|case| case.source.clone())}</dd>
                <dt>"Tags"</dt>
                <dd>{tags}</dd>
                <dt>"Market"</dt>
                <dd>{market}</dd>
                <dt>"Notes"</dt>
                <dd>{move || case.with(|case| case.comment_count.to_string())}</dd>
                <dt>"Created"</dt>
                <dd>{date(|case| case.created, "unknown")}</dd>
                <dt>"Changed"</dt>
                <dd>{date(|case| case.changed, "unknown")}</dd>
                <dt>"Follow-up"</dt>
                <dd>
                    {date(|case| case.follow_up_date, "none")}
                    <Show when=overdue>
                        " "
                        <span class="badge badge-overdue">"overdue"</span>
                    </Show>
                </dd>
                <dt>"Resolved"</dt>
                <dd>{date(|case| case.resolved_date, "not resolved")}</dd>
                <dt>"Closed"</dt>
                <dd>{date(|case| case.closed_date, "not closed")}</dd>
                <dt>"Last comment"</dt>
                <dd>{last_comment}</dd>
            </dl>
        </section>
    }
}

/// The description, with its line breaks kept.
#[component]
pub fn CaseDescription(
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let description = move || {
        case.with(|case| case.description.clone())
            .filter(|text| !text.trim().is_empty())
    };

    view! {
        <section class="case-section" aria-labelledby="case-description-heading">
            <h2 id="case-description-heading">"Description"</h2>
            {move || match description() {
                Some(text) => view! { <div class="case-description">{text}</div> }.into_any(),
                None => view! { <p class="hint">"No description."</p> }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_keeps_plain_addresses() {
        assert_eq!(mailto("zoe@example.com"), "mailto:zoe@example.com");
        assert_eq!(
            mailto(" o'connor@example.ie "),
            "mailto:o'connor@example.ie"
        );
    }

    #[test]
    fn mailto_escapes_headers_and_quotes() {
        assert_eq!(mailto("a@b.c?subject=x\"y"), "mailto:a@b.c%3Fsubject=x%22y");
    }
}
