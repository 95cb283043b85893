//! Loads the route's case, one request at a time.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use super::controller::CaseState;
use crate::api::{ApiClient, ApiError};
use crate::model::{CaseId, OmniumCaseSearchRequest};
use crate::pages::cases_list::case_path;

/// Loads the case of the route's id into `state` whenever the id or the
/// session's token changes (signing in again reloads it), and again on each
/// call of the returned retry callback.
///
/// A `LocalResource` is not used here. In leptos 0.8.23 (reactive_graph
/// 0.2.16) a resource runs its futures one after another. So when the route
/// moves from case A to case B, A's request still runs to its end, and A
/// becomes the resource's value before B's request starts. An effect
/// instead cleans up its owner on every run, which aborts the replaced
/// request (the client ties its `AbortController` to that owner) and
/// cancels the task awaiting it.
pub fn start(state: CaseState) -> Callback<()> {
    let app = state.app;
    let retries = RwSignal::new(0_u32);
    let navigate = use_navigate();

    Effect::new(move |previous: Option<Option<CaseId>>| {
        let id = state.id.get();
        let signed_in = app.session.token().is_some();
        retries.track();

        // The router keeps this page when only the id changes (one case
        // linked from another, or Back between two cases), so the previous
        // case's state is dropped by hand.
        if previous.is_some_and(|previous| previous != id) {
            state.reset();
        }

        let Some(requested) = id.clone() else {
            return id;
        };

        if !signed_in {
            return id;
        }

        let client = app.client();

        // Untracked, so signals the client reads while the request runs do
        // not become dependencies of this effect.
        let navigate = navigate.clone();
        untrack(|| {
            spawn_local_scoped_with_cancellation(async move {
                let result = client.get_case(&requested).await;

                // Agents quote case numbers, not ids, so an address with a
                // number that is not an id leads to the case with that number.
                if matches!(result, Err(ApiError::NotFound))
                    && let Some(found) = find_by_case_number(&client, requested.as_str()).await
                {
                    let options = NavigateOptions {
                        replace: true,
                        ..NavigateOptions::default()
                    };
                    navigate(&case_path(&found), options);
                    return;
                }

                state.loaded(&requested, result);
            });
        });

        id
    });

    // Clearing the error first shows "Loading" again while the retry runs.
    Callback::new(move |_| {
        state.load_error.set(None);
        retries.update(|count| *count = count.wrapping_add(1));
    })
}

/// Returns the id of the one case whose case number is `number`, searching
/// for it as text. `None` when `number` is not all digits, when no case or
/// more than one has it, or when the search fails (the page then shows the
/// not-found response of the first request).
async fn find_by_case_number(client: &ApiClient, number: &str) -> Option<String> {
    if !looks_like_case_number(number) {
        return None;
    }

    let request = OmniumCaseSearchRequest {
        search_text: Some(number.to_owned()),
        take: CASE_NUMBER_CANDIDATES,
        ..OmniumCaseSearchRequest::default()
    };
    let found = client.search_cases(&request).await.ok()?;
    let mut matching = found
        .result
        .into_iter()
        .filter(|case| case.case_number.as_deref() == Some(number));

    let case = matching.next()?;
    if matching.next().is_some() || case.id.trim().is_empty() || case.id == number {
        return None;
    }

    Some(case.id)
}

/// How many search results are checked for the exact case number. A number
/// also matches cases whose text contains it, so a few are read.
const CASE_NUMBER_CANDIDATES: u32 = 20;

/// Tells whether an id from the address could be a case number instead.
fn looks_like_case_number(text: &str) -> bool {
    !text.is_empty() && text.len() <= 20 && text.bytes().all(|byte| byte.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_look_like_case_numbers() {
        assert!(looks_like_case_number("10042"));
        assert!(!looks_like_case_number(""));
        assert!(!looks_like_case_number("c-10042"));
        assert!(!looks_like_case_number("1004 2"));
        assert!(!looks_like_case_number(&"9".repeat(21)));
    }
}
