//! The fetch layer against a running sandbox, in headless Chromium.
//!
//! `cargo xtask test` starts a sandbox and passes its URL and demo tokens at
//! compile time; run it through that command rather than by hand.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::Request;
use leptos::prelude::Owner;
use omnium_console::api::{
    ApiClient, ApiError, AssignRequest, ClientSettings, Credentials, UnauthorizedReason,
};
use omnium_console::model::{
    CaseId, OmniumCase, OmniumCasePatch, OmniumCaseSearchRequest, SortOrder,
};
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn sandbox_url() -> &'static str {
    option_env!("OMNIUM_SANDBOX_URL")
        .expect("OMNIUM_SANDBOX_URL is not set: run these tests with `cargo xtask test`")
}

fn admin_token() -> String {
    option_env!("OMNIUM_TOKEN_ADMIN")
        .expect("OMNIUM_TOKEN_ADMIN is not set")
        .to_owned()
}

fn read_only_token() -> String {
    option_env!("OMNIUM_TOKEN_READ_ONLY")
        .expect("OMNIUM_TOKEN_READ_ONLY is not set")
        .to_owned()
}

/// Credentials with a fixed token that record what the client reported.
#[derive(Default)]
struct RecordingCredentials {
    token: RefCell<String>,
    refreshes: Cell<u32>,
    forbidden: Cell<bool>,
    unauthorized: Cell<Option<UnauthorizedReason>>,
}

impl Credentials for RecordingCredentials {
    fn token(&self) -> Result<String, UnauthorizedReason> {
        Ok(self.token.borrow().clone())
    }

    fn refresh(&self) -> Pin<Box<dyn Future<Output = bool>>> {
        self.refreshes.set(self.refreshes.get() + 1);
        Box::pin(async { false })
    }

    fn unauthorized(&self, reason: UnauthorizedReason) {
        self.unauthorized.set(Some(reason));
    }

    fn forbidden(&self) {
        self.forbidden.set(true);
    }
}

fn client_with(token: String, timeout: Duration) -> (ApiClient, Rc<RecordingCredentials>) {
    let credentials = Rc::new(RecordingCredentials {
        token: RefCell::new(token),
        ..Default::default()
    });
    let settings = ClientSettings {
        base_url: sandbox_url().to_owned(),
        timeout,
        ..ClientSettings::default()
    };

    (ApiClient::new(settings, credentials.clone()), credentials)
}

fn admin_client() -> ApiClient {
    client_with(admin_token(), Duration::from_secs(30)).0
}

/// Replaces the sandbox's injected faults and latency.
async fn set_faults(body: serde_json::Value) {
    let response = Request::put(&format!("{}/_sandbox/faults", sandbox_url()))
        .json(&body)
        .unwrap()
        .send()
        .await
        .expect("the sandbox control endpoint is reachable");

    assert!(
        response.ok(),
        "setting faults failed with HTTP {}",
        response.status()
    );
}

async fn clear_faults() {
    set_faults(json!({"faults": [], "latency": []})).await;
}

fn new_case(subject: &str) -> OmniumCase {
    OmniumCase {
        subject: Some(subject.to_owned()),
        description: Some("Created by the fetch-layer tests.".to_owned()),
        priority: Some("High".to_owned()),
        customer_name: Some("Zoë Ångström".to_owned()),
        customer_email: Some("zoe@example.com".to_owned()),
        tags: vec!["wasm-test".to_owned()],
        ..OmniumCase::default()
    }
}

#[wasm_bindgen_test]
async fn every_endpoint_round_trips() {
    let client = admin_client();

    let created = client
        .create_case(&new_case("Fetch layer round trip"))
        .await
        .unwrap();
    let id = CaseId::new(&created.id).expect("created case has an id");

    assert!(created.case_number.is_some());
    assert_eq!(created.status.as_deref(), Some("New"));

    let fetched = client.get_case(&id).await.unwrap();

    assert_eq!(fetched.subject.as_deref(), Some("Fetch layer round trip"));
    assert_eq!(fetched.customer_name.as_deref(), Some("Zoë Ångström"));

    let mut patch = OmniumCasePatch::for_case(&id);
    patch.priority = Some("Low".to_owned());
    let patched = client.patch_case(&patch).await.unwrap();

    assert_eq!(patched.priority.as_deref(), Some("Low"));
    assert_eq!(patched.subject.as_deref(), Some("Fetch layer round trip"));

    let mut full = patched.clone();
    full.description = Some("Replaced by PUT.".to_owned());
    full.tags.clear();
    let updated = client.update_case(&full).await.unwrap();

    assert_eq!(updated.description.as_deref(), Some("Replaced by PUT."));
    assert!(updated.tags.is_empty());

    let assignee = AssignRequest {
        assigned_to_user_id: "agent-ada".to_owned(),
        assigned_to_name: "Ada Lovelace".to_owned(),
    };
    let assigned = client.assign_case(&id, &assignee).await.unwrap();

    assert_eq!(assigned.assigned_to_user_id.as_deref(), Some("agent-ada"));

    let moved = client.change_status(&id, "In Progress").await.unwrap();

    assert_eq!(moved.status.as_deref(), Some("In Progress"));
    assert_eq!(moved.case_status_log.len(), 2);

    let search = OmniumCaseSearchRequest {
        search_text: created.case_number.clone(),
        sort_order: Some(SortOrder::DEFAULT),
        take: 20,
        ..Default::default()
    };
    let found = client.search_cases(&search).await.unwrap();

    assert!(found.result.iter().any(|case| case.id == created.id));

    client.delete_case(&id).await.unwrap();

    assert_eq!(client.get_case(&id).await.unwrap_err(), ApiError::NotFound);
}

#[wasm_bindgen_test]
async fn rejected_token_is_unauthorized() {
    let (client, credentials) =
        client_with("not-a-valid-token".to_owned(), Duration::from_secs(30));

    let error = client
        .search_cases(&OmniumCaseSearchRequest {
            take: 1,
            ..Default::default()
        })
        .await
        .unwrap_err();

    assert_eq!(error, ApiError::Unauthorized(UnauthorizedReason::Rejected));
    assert_eq!(credentials.refreshes.get(), 1);
    assert_eq!(
        credentials.unauthorized.get(),
        Some(UnauthorizedReason::Rejected)
    );
}

#[wasm_bindgen_test]
async fn read_only_write_is_forbidden() {
    let (client, credentials) = client_with(read_only_token(), Duration::from_secs(30));

    let error = client
        .create_case(&new_case("Should not exist"))
        .await
        .unwrap_err();

    assert_eq!(error, ApiError::Forbidden);
    assert!(credentials.forbidden.get());
}

#[wasm_bindgen_test]
async fn unknown_id_is_not_found() {
    let client = admin_client();

    let error = client
        .get_case(&CaseId::new("no-such-case").unwrap())
        .await
        .unwrap_err();

    assert_eq!(error, ApiError::NotFound);
}

#[wasm_bindgen_test]
async fn invalid_create_is_validation() {
    let client = admin_client();
    let mut case = new_case("");
    case.customer_email = Some("not-an-email".to_owned());

    let error = client.create_case(&case).await.unwrap_err();
    let fields = error.field_errors();

    assert!(fields.contains_key("subject"), "{fields:?}");
    assert!(fields.contains_key("customerEmail"), "{fields:?}");
}

#[wasm_bindgen_test]
async fn rate_limited_read_is_retried() {
    let client = admin_client();
    set_faults(json!({"faults": [{"route": "search", "status": 429, "rate": 1.0, "count": 1}], "latency": []})).await;

    let result = client
        .search_cases(&OmniumCaseSearchRequest {
            take: 5,
            ..Default::default()
        })
        .await;
    clear_faults().await;

    assert_eq!(result.unwrap().result.len(), 5);
}

#[wasm_bindgen_test]
async fn unavailable_read_is_retried() {
    let client = admin_client();
    set_faults(json!({"faults": [{"route": "get", "status": 503, "rate": 1.0, "count": 2}], "latency": []})).await;
    let created = client
        .create_case(&new_case("Retry after 503"))
        .await
        .unwrap();

    let result = client.get_case(&CaseId::new(&created.id).unwrap()).await;
    clear_faults().await;

    assert_eq!(result.unwrap().id, created.id);
}

#[wasm_bindgen_test]
async fn write_is_not_retried() {
    let client = admin_client();
    set_faults(json!({"faults": [{"route": "create", "status": 503, "rate": 1.0, "count": 1}], "latency": []})).await;

    let first = client.create_case(&new_case("Not retried")).await;
    let second = client.create_case(&new_case("Sent after the fault")).await;
    clear_faults().await;

    assert!(
        matches!(first, Err(ApiError::Server { status: 503, .. })),
        "{first:?}"
    );
    assert!(second.is_ok());
}

#[wasm_bindgen_test]
async fn slow_answer_times_out() {
    let (client, _) = client_with(admin_token(), Duration::from_secs(1));
    set_faults(json!({"faults": [], "latency": [{"route": "search", "ms": 3000}]})).await;

    let result = client
        .search_cases(&OmniumCaseSearchRequest {
            take: 1,
            ..Default::default()
        })
        .await;
    clear_faults().await;

    assert_eq!(
        result.unwrap_err(),
        ApiError::Timeout(Duration::from_secs(1))
    );
}

#[wasm_bindgen_test]
async fn leaving_the_owner_aborts() {
    let client = admin_client();
    set_faults(json!({"faults": [], "latency": [{"route": "search", "ms": 2000}]})).await;

    let outcome: Rc<RefCell<Option<Result<usize, ApiError>>>> = Rc::default();
    let (done_sender, done) = futures_channel::oneshot::channel::<()>();
    // The app's mount does this; the test drives the reactive system alone.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();

    owner.with(|| {
        let outcome = outcome.clone();
        leptos::task::spawn_local_scoped(async move {
            let request = OmniumCaseSearchRequest {
                take: 1,
                ..Default::default()
            };
            let result = client
                .search_cases(&request)
                .await
                .map(|page| page.result.len());
            outcome.replace(Some(result));
            let _ = done_sender.send(());
        });
    });

    // One executor tick polls the task up to its fetch, which registers the
    // abort on the owner. Disposing of the owner then does what leaving a page does.
    leptos::task::tick().await;
    owner.cleanup();
    let _ = done.await;
    clear_faults().await;

    assert_eq!(outcome.borrow().clone(), Some(Err(ApiError::Aborted)));
}
