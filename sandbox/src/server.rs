//! The HTTP server: routes, per-request checks, CORS, request logging, and
//! starting and stopping.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tokio::sync::{OwnedSemaphorePermit, oneshot};
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::app::{self, AppConfig};
use crate::auth::{Access, Caller, DemoTokens, TokenAuthority};
use crate::faults::{FaultInjector, FaultSettings, Route};
use crate::json_body;
use crate::lifecycle::Author;
use crate::model::{
    AssignRequest, CasePatch, ChangeStatusRequest, OmniumCase, SearchRequest, SearchResponse,
};
use crate::problem::Problem;
use crate::rate_limit::{RateLimitConfig, RateLimits};
use crate::search::SearchQuery;
use crate::seed;
use crate::service::CaseService;
use crate::settings::Settings;
use crate::store::{self, CaseRow, DbLocation, StoredCase};

/// Everything the sandbox can be started with.
///
/// `SandboxConfig::default()` suits tests: an in-memory database with 300
/// seeded cases on an ephemeral port of 127.0.0.1, Omnium's rate limits, no
/// faults and no app.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    pub db: DbLocation,
    /// Cases to seed when the database is empty.
    pub seed_count: usize,
    pub settings: Settings,
    pub app: Option<AppConfig>,
    /// Origins allowed by CORS; `*` allows any. Empty sends no CORS headers.
    pub allowed_origins: Vec<String>,
    pub faults: FaultSettings,
    /// Whether to mount the unauthenticated `/_sandbox/faults` endpoints.
    pub control: bool,
    pub rate_limit: RateLimitConfig,
    /// HS256 secret; `None` reads `SANDBOX_JWT_SECRET` or uses the
    /// development secret.
    pub jwt_secret: Option<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            db: DbLocation::InMemory,
            seed_count: 300,
            settings: Settings::default(),
            app: None,
            allowed_origins: Vec::new(),
            faults: FaultSettings::default(),
            control: false,
            rate_limit: RateLimitConfig::default(),
            jwt_secret: None,
        }
    }
}

/// A started sandbox. Dropping it stops the server abruptly; [`stop`]
/// stops it gracefully.
///
/// [`stop`]: RunningSandbox::stop
#[derive(Debug)]
pub struct RunningSandbox {
    /// Address the server listens on.
    pub address: SocketAddr,
    /// Demo tokens signed with the server's secret.
    pub tokens: DemoTokens,
    /// Authority that signs tokens the server accepts.
    pub authority: TokenAuthority,
    /// Base path of the app, when one is served.
    pub app_base_path: Option<String>,
    /// Cases seeded at start; 0 when the database already had cases.
    pub seeded: usize,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningSandbox {
    /// Returns the origin, such as `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Returns the app URL, when an app is served.
    pub fn app_url(&self) -> Option<String> {
        let base = self.app_base_path.as_ref()?;
        Some(format!("{}{base}", self.url()))
    }

    /// Stops accepting requests, lets open ones finish and waits for the
    /// server to end.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.context("server task failed")??;
        }
        Ok(())
    }

    /// Waits until the server ends, which happens only on an I/O error or
    /// after [`RunningSandbox::stop`] from elsewhere.
    pub async fn wait(mut self) -> anyhow::Result<()> {
        if let Some(task) = self.task.take() {
            task.await.context("server task failed")??;
        }
        Ok(())
    }

    /// Returns a sender that stops the server gracefully when sent to.
    pub fn take_shutdown(&mut self) -> Option<oneshot::Sender<()>> {
        self.shutdown.take()
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// Shared state of all handlers.
struct AppState {
    service: CaseService,
    authority: TokenAuthority,
    limits: RateLimits,
    faults: FaultInjector,
    app: Option<AppConfig>,
}

/// Opens the database, seeds it when empty, binds the port and starts
/// serving in the background.
pub async fn start(config: SandboxConfig) -> anyhow::Result<RunningSandbox> {
    config.settings.validate().context("invalid settings")?;
    config.faults.validate().context("invalid fault settings")?;

    let settings = Arc::new(config.settings.clone());
    let authority = match &config.jwt_secret {
        Some(secret) => TokenAuthority::new(secret)?,
        None => TokenAuthority::from_env()?,
    };
    let tokens = authority.demo_tokens()?;

    let (connection, seeded) = {
        let settings = settings.clone();
        let db = config.db.clone();
        let seed_count = config.seed_count;
        tokio::task::spawn_blocking(move || open_and_seed(&db, seed_count, &settings))
            .await
            .context("database task failed")??
    };

    let state = Arc::new(AppState {
        service: CaseService::new(connection, settings),
        authority: authority.clone(),
        limits: RateLimits::new(config.rate_limit)?,
        faults: FaultInjector::new(config.faults.clone()),
        app: config.app.clone(),
    });
    let router = build_router(state, &config)?;

    let listener = tokio::net::TcpListener::bind((config.host, config.port))
        .await
        .with_context(|| format!("failed to bind {}:{}", config.host, config.port))?;
    let address = listener.local_addr()?;

    let (shutdown, shutdown_signal) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = shutdown_signal.await;
            })
            .await
    });
    tracing::info!(%address, "sandbox started");

    Ok(RunningSandbox {
        address,
        tokens,
        authority,
        app_base_path: config.app.as_ref().map(|app| app.base_path.clone()),
        seeded,
        shutdown: Some(shutdown),
        task: Some(task),
    })
}

/// Opens the database and, when it contains no cases, seeds `seed_count` cases
/// in one transaction. Returns the connection and the number seeded.
fn open_and_seed(
    db: &DbLocation,
    seed_count: usize,
    settings: &Settings,
) -> anyhow::Result<(rusqlite::Connection, usize)> {
    let mut connection = store::open(db, settings)?;
    if seed_count == 0 || store::count(&connection)? > 0 {
        store::create_indexes(&connection)?;
        return Ok((connection, 0));
    }

    let started = Instant::now();
    let transaction = connection.transaction()?;
    let (rows, receiver) = std::sync::mpsc::sync_channel::<anyhow::Result<CaseRow>>(1024);

    // Generating and serializing cases takes about as long as writing them,
    // so one thread does each.
    std::thread::scope(|scope| -> anyhow::Result<()> {
        scope.spawn(move || {
            let cases = seed::generate_each(seed_count, seed::todays_anchor(), settings);
            for (index, seeded) in cases.enumerate() {
                let stored = StoredCase {
                    seq: store::FIRST_CASE_NUMBER + index as i64,
                    case: seeded.case,
                    deleted: seeded.deleted,
                };
                if rows.send(CaseRow::new(stored)).is_err() {
                    return;
                }
            }
        });
        for row in receiver {
            store::insert_row(&transaction, &row?, settings)?;
        }
        Ok(())
    })?;
    let inserted = started.elapsed();
    store::create_indexes(&transaction)?;
    transaction.commit()?;

    tracing::info!(
        count = seed_count,
        insert_ms = inserted.as_millis() as u64,
        index_ms = (started.elapsed() - inserted).as_millis() as u64,
        "seeded cases"
    );
    Ok((connection, seed_count))
}

fn build_router(state: Arc<AppState>, config: &SandboxConfig) -> anyhow::Result<Router> {
    let api = Router::new()
        .route(
            "/api/cases",
            post(create_case).put(replace_case).patch(patch_case),
        )
        .route("/api/cases/search", post(search_cases))
        .route("/api/cases/{id}", get(get_case).delete(delete_case))
        .route("/api/cases/{id}/assignto", post(assign_case))
        .route("/api/cases/{id}/changestatus", post(change_status));

    let mut router = api.method_not_allowed_fallback(method_not_allowed);
    if config.control {
        router = router.route("/_sandbox/faults", get(read_faults).put(replace_faults));
    }

    let mut router = router
        .fallback(fallback)
        .with_state(state)
        .layer(middleware::from_fn(log_request));

    if let Some(cors) = cors_layer(&config.allowed_origins)? {
        router = router.layer(cors);
    }
    Ok(router)
}

fn cors_layer(origins: &[String]) -> anyhow::Result<Option<CorsLayer>> {
    if origins.is_empty() {
        return Ok(None);
    }

    let allow_origin = if origins.iter().any(|origin| origin == "*") {
        AllowOrigin::any()
    } else {
        let values = origins
            .iter()
            .map(|origin| {
                HeaderValue::from_str(origin.trim_end_matches('/'))
                    .with_context(|| format!("invalid CORS origin '{origin}'"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        AllowOrigin::list(values)
    };

    let layer = CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER, header::LOCATION])
        .max_age(std::time::Duration::from_secs(600));
    Ok(Some(layer))
}

/// Logs method, path without query, status and duration of every request.
/// Headers and bodies are never logged, so tokens and case data stay out
/// of the log.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();

    let response = next.run(request).await;

    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

impl AppState {
    /// Runs the checks every API request passes, in order: a valid token
    /// (401), the rate limits (429), the role (403), then injected latency
    /// and faults. The permit holds a concurrency slot until dropped.
    async fn admit(
        &self,
        headers: &HeaderMap,
        route: Route,
        access: Access,
    ) -> Result<(Caller, OwnedSemaphorePermit), Problem> {
        let caller = self.authority.authenticate(headers)?;
        let permit = self.limits.admit(&caller.limit_key)?;
        caller.require(access)?;
        self.faults.apply(route).await?;
        Ok((caller, permit))
    }
}

/// Runs blocking database work off the async threads.
async fn run_blocking<T: Send + 'static>(
    state: Arc<AppState>,
    work: impl FnOnce(&CaseService) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    tokio::task::spawn_blocking(move || work(&state.service))
        .await
        .map_err(Problem::internal)?
}

fn author(caller: &Caller) -> Author {
    Author {
        user_id: caller.sub.clone(),
        name: caller.name.clone(),
    }
}

async fn get_case(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<OmniumCase>, Problem> {
    let (_caller, _permit) = state.admit(&headers, Route::Get, Access::Read).await?;
    let case = run_blocking(state, move |service| service.get(&id)).await?;
    Ok(Json(case))
}

async fn search_cases(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<SearchResponse>, Problem> {
    let (_caller, _permit) = state.admit(&headers, Route::Search, Access::Read).await?;
    let request: SearchRequest = json_body::parse(&headers, &body)?;
    let query = SearchQuery::from_request(request)?;
    let response = run_blocking(state, move |service| service.search(&query)).await?;
    Ok(Json(response))
}

/// Assumption: Omnium returns 201 Created for a create, with a `Location`
/// header and the stored case, as ASP.NET's `CreatedAtAction` does. Its
/// reference lists 201 among the status codes but shows no example.
async fn create_case(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let (caller, _permit) = state.admit(&headers, Route::Create, Access::Admin).await?;
    let case: OmniumCase = json_body::parse(&headers, &body)?;
    let author = author(&caller);
    let created = run_blocking(state, move |service| service.create(case, &author)).await?;

    let location =
        HeaderValue::from_str(&format!("/api/cases/{}", created.id)).map_err(Problem::internal)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(created),
    )
        .into_response())
}

async fn replace_case(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<OmniumCase>, Problem> {
    let (caller, _permit) = state.admit(&headers, Route::Update, Access::Admin).await?;
    let case: OmniumCase = json_body::parse(&headers, &body)?;
    let author = author(&caller);
    let replaced = run_blocking(state, move |service| service.replace(case, &author)).await?;
    Ok(Json(replaced))
}

async fn patch_case(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<OmniumCase>, Problem> {
    let (_caller, _permit) = state.admit(&headers, Route::Patch, Access::Admin).await?;
    let patch: CasePatch = json_body::parse(&headers, &body)?;
    let patched = run_blocking(state, move |service| service.patch(patch)).await?;
    Ok(Json(patched))
}

async fn delete_case(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, Problem> {
    let (_caller, _permit) = state.admit(&headers, Route::Delete, Access::Admin).await?;
    run_blocking(state, move |service| service.delete(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn assign_case(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<OmniumCase>, Problem> {
    let (_caller, _permit) = state.admit(&headers, Route::Assign, Access::Admin).await?;
    let request: AssignRequest = json_body::parse(&headers, &body)?;
    let case = run_blocking(state, move |service| service.assign(&id, request)).await?;
    Ok(Json(case))
}

async fn change_status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<OmniumCase>, Problem> {
    let (_caller, _permit) = state
        .admit(&headers, Route::ChangeStatus, Access::Admin)
        .await?;
    let request: ChangeStatusRequest = json_body::parse(&headers, &body)?;
    let case = run_blocking(state, move |service| service.change_status(&id, request)).await?;
    Ok(Json(case))
}

async fn read_faults(State(state): State<Arc<AppState>>) -> Json<FaultSettings> {
    Json(state.faults.current())
}

async fn replace_faults(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<FaultSettings>, Problem> {
    let settings: FaultSettings = serde_json::from_slice(&body).map_err(|error| {
        Problem::invalid_field("$", format!("Invalid fault settings: {error}."))
    })?;
    settings
        .validate()
        .map_err(|error| Problem::invalid_field("$", format!("{error:#}.")))?;

    tracing::info!(
        faults = settings.faults.len(),
        latency = settings.latency.len(),
        "fault settings replaced"
    );
    state.faults.replace(settings);
    Ok(Json(state.faults.current()))
}

async fn method_not_allowed(request: Request) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {}.",
            request.method(),
            request.uri().path()
        ),
    )
}

async fn fallback(State(state): State<Arc<AppState>>, request: Request) -> Response {
    match &state.app {
        Some(app_config) => app::serve(app_config, state.service.settings(), request).await,
        None => Problem::not_found(format!("Nothing is served at {}.", request.uri().path()))
            .into_response(),
    }
}
