//! Runs the search for the current URL, one request at a time.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api::ApiError;
use crate::app::use_app;
use crate::model::{OmniumCaseSearchRequest, OmniumCaseSearchResult};

/// A finished search: the request and what the API returned for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub request: OmniumCaseSearchRequest,
    pub outcome: Result<OmniumCaseSearchResult, ApiError>,
}

/// The state of the list's search, shared by the views that draw it.
#[derive(Clone, Copy)]
pub struct SearchLoader {
    /// The last search that finished while its request was still the current
    /// one; `None` until the first one finishes.
    pub loaded: ReadSignal<Option<Loaded>>,
    /// Whether a search for the current request is in flight.
    pub pending: ReadSignal<bool>,
    retries: RwSignal<u32>,
}

impl SearchLoader {
    /// Starts searching whenever `request` or the session's token changes.
    ///
    /// A `LocalResource` is not used here: leptos 0.8.23 (reactive_graph
    /// 0.2.16) awaits a resource's running future before it creates the next
    /// one, so a new query would neither abort the request in flight nor
    /// start before it ends. An effect instead cleans up its owner on every
    /// run, which aborts the previous request (the client ties its
    /// `AbortController` to that owner) and cancels the task awaiting it.
    pub fn start(current: Memo<OmniumCaseSearchRequest>) -> Self {
        let app = use_app();
        let (loaded, set_loaded) = signal(None::<Loaded>);
        let (pending, set_pending) = signal(false);
        let retries = RwSignal::new(0_u32);

        Effect::new(move |_| {
            let request = current.get();
            let signed_in = app.session.token().is_some();
            retries.track();

            if !signed_in {
                set_pending.set(false);
                return;
            }

            set_pending.set(true);
            let client = app.client();

            // Untracked, so signals the client reads while the request runs
            // do not become dependencies of this effect.
            untrack(|| {
                spawn_local_scoped_with_cancellation(async move {
                    let outcome = client.search_cases(&request).await;

                    if matches!(outcome, Err(ApiError::Aborted)) {
                        return;
                    }

                    // A response for a query the agent has since changed is
                    // dropped, should it arrive despite the abort.
                    if current.with_untracked(|now| *now != request) {
                        return;
                    }

                    set_pending.set(false);
                    set_loaded.set(Some(Loaded { request, outcome }));
                });
            });
        });

        Self {
            loaded,
            pending,
            retries,
        }
    }

    /// Sends the current search again.
    pub fn retry(&self) {
        self.retries.update(|count| *count = count.wrapping_add(1));
    }
}
