//! Loads the route's case, one request at a time.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use super::controller::CaseState;
use crate::model::CaseId;

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
        untrack(|| {
            spawn_local_scoped_with_cancellation(async move {
                let result = client.get_case(&requested).await;
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
