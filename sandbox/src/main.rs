//! Command line of the Omnium Cases sandbox.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use omnium_sandbox::auth::{DEMO_TOKEN_LIFETIME_SECONDS, RoleClaim, TokenAuthority, TokenRequest};
use omnium_sandbox::faults::{FaultRule, FaultSettings, LatencyRule};
use omnium_sandbox::rate_limit::RateLimitConfig;
use omnium_sandbox::settings::Settings;
use omnium_sandbox::{AppConfig, DbLocation, SandboxConfig, app};

/// Stand-in for the Omnium Cases API, with a SQLite database of seeded cases.
#[derive(Debug, Parser)]
#[command(
    name = "omnium-sandbox",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Print the three demo tokens as JSON: admin, readOnly and noRole.
    Tokens,
    /// Print one signed token with the given claims.
    Token(TokenArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,

    /// Port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// SQLite database file; created and seeded when missing or empty.
    #[arg(long, default_value = "sandbox.db", conflicts_with = "in_memory")]
    db: PathBuf,

    /// Keep the database in memory; changes are lost on exit.
    #[arg(long)]
    in_memory: bool,

    /// Number of cases to seed into an empty database. The same count gives
    /// the same content on every run. Cases are created over the 365 days
    /// before the start of the current UTC day, with follow-up dates on both
    /// sides of it.
    #[arg(long, default_value_t = 300)]
    seed_count: usize,

    /// JSON file with statuses, priorities and sources; missing keys keep
    /// Omnium's example values.
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,

    /// Folder of the built front-end to serve, with index.html at its root.
    #[arg(long, value_name = "DIR")]
    app_dir: Option<PathBuf>,

    /// URL prefix the front-end is served under; the API stays at /api.
    #[arg(long, default_value = "/", value_name = "PATH")]
    base_path: String,

    /// Origin allowed by CORS, such as http://127.0.0.1:8081; repeatable, or
    /// comma-separated in SANDBOX_ALLOWED_ORIGINS. `*` allows any origin.
    #[arg(
        long = "allow-origin",
        value_name = "ORIGIN",
        env = "SANDBOX_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,

    /// Fail a share of the requests to a route: ROUTE:STATUS:RATE, such as
    /// search:503:0.5. Routes: get, create, update, patch, delete, search,
    /// assign, changestatus or *. Repeatable; SANDBOX_FAULTS adds more.
    #[arg(long = "fault", value_name = "ROUTE:STATUS:RATE")]
    faults: Vec<FaultRule>,

    /// Delay every request to a route: ROUTE:MS, such as search:800.
    /// Repeatable; SANDBOX_LATENCY adds more.
    #[arg(long = "latency", value_name = "ROUTE:MS")]
    latency: Vec<LatencyRule>,

    /// Mount GET and PUT /_sandbox/faults (no authentication) to change
    /// faults while running.
    #[arg(long)]
    control: bool,

    /// Requests a token's bucket holds when full.
    #[arg(long, default_value_t = 12_000)]
    rate_capacity: u32,

    /// Requests added to a token's bucket per refill interval.
    #[arg(long, default_value_t = 1_000)]
    rate_refill: u32,

    /// Refill interval of the rate limit, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    rate_interval_ms: u64,

    /// Requests one token may have in flight at once.
    #[arg(long, default_value_t = 20)]
    max_concurrent: u32,

    /// Content-Security-Policy header value for HTML responses of the app.
    #[arg(long, value_name = "POLICY")]
    csp: Option<String>,

    /// JSON file whose top-level keys replace those of the generated
    /// config.json.
    #[arg(long, value_name = "FILE")]
    config_override: Option<PathBuf>,

    /// Serve the app's 404.html with status 404 for unknown app paths
    /// instead of index.html.
    #[arg(long)]
    no_fallback: bool,
}

#[derive(Debug, Args)]
struct TokenArgs {
    /// User id (`sub` claim).
    #[arg(long)]
    sub: String,

    /// Display name (`name` claim).
    #[arg(long)]
    name: String,

    /// Role to include, such as CaseRead; repeatable. One role is written as
    /// a string, several as an array.
    #[arg(long = "role", value_name = "ROLE")]
    roles: Vec<String>,

    /// Write the roles as an array even when there is only one.
    #[arg(long)]
    array: bool,

    /// Claim the roles go in: role, roles, or ms for
    /// http://schemas.microsoft.com/ws/2008/06/identity/claims/role.
    #[arg(long, value_enum, default_value_t = RoleClaim::Role)]
    claim: RoleClaim,

    /// Seconds until the token expires; negative gives an expired token.
    #[arg(long, default_value_t = DEMO_TOKEN_LIFETIME_SECONDS, allow_negative_numbers = true)]
    expires_in: i64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();

    match cli.command {
        Some(Command::Tokens) => print_demo_tokens(),
        Some(Command::Token(args)) => print_token(args),
        Some(Command::Serve(args)) => serve(args).await,
        None => serve(cli.serve).await,
    }
}

fn print_demo_tokens() -> anyhow::Result<()> {
    let tokens = TokenAuthority::from_env()?.demo_tokens()?;
    println!("{}", serde_json::to_string_pretty(&tokens)?);
    Ok(())
}

fn print_token(args: TokenArgs) -> anyhow::Result<()> {
    let token = TokenAuthority::from_env()?.sign(&TokenRequest {
        sub: args.sub,
        name: args.name,
        roles: args.roles,
        role_claim: args.claim,
        expires_in_seconds: args.expires_in,
        single_role_as_string: !args.array,
    })?;
    println!("{token}");
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "omnium_sandbox=info".into()),
        )
        .init();

    let config = sandbox_config(args)?;
    let mut sandbox = omnium_sandbox::start(config).await?;

    print_banner(&sandbox)?;

    let shutdown = sandbox.take_shutdown();
    tokio::spawn(async move {
        wait_for_stop_signal().await;
        tracing::info!("stop signal received, shutting down");
        if let Some(shutdown) = shutdown {
            let _ = shutdown.send(());
        }
    });
    sandbox.wait().await?;
    tracing::info!("sandbox stopped");
    Ok(())
}

fn sandbox_config(args: ServeArgs) -> anyhow::Result<SandboxConfig> {
    let settings = match &args.settings {
        Some(path) => Settings::load(path)?,
        None => Settings::default(),
    };

    let mut faults = FaultSettings {
        faults: args.faults,
        latency: args.latency,
    };
    faults.extend_from_env()?;

    let app = match args.app_dir {
        Some(dir) => Some(app_config(
            dir,
            &args.base_path,
            args.csp,
            args.config_override.as_deref(),
            !args.no_fallback,
        )?),
        None => None,
    };

    let db = if args.in_memory {
        DbLocation::InMemory
    } else {
        DbLocation::File(args.db)
    };

    Ok(SandboxConfig {
        host: args.host,
        port: args.port,
        db,
        seed_count: args.seed_count,
        settings,
        app,
        allowed_origins: args.allowed_origins,
        faults,
        control: args.control,
        rate_limit: RateLimitConfig {
            capacity: args.rate_capacity,
            refill: args.rate_refill,
            interval: Duration::from_millis(args.rate_interval_ms),
            max_concurrent: args.max_concurrent,
        },
        jwt_secret: None,
    })
}

fn app_config(
    dir: PathBuf,
    base_path: &str,
    csp: Option<String>,
    config_override: Option<&Path>,
    fallback: bool,
) -> anyhow::Result<AppConfig> {
    if !dir.is_dir() {
        bail!("app folder {} does not exist", dir.display());
    }

    let config_override = match config_override {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            match serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", path.display()))?
            {
                serde_json::Value::Object(map) => map,
                _ => bail!("{} must contain a JSON object", path.display()),
            }
        }
        None => serde_json::Map::new(),
    };

    Ok(AppConfig {
        dir,
        base_path: app::normalize_base_path(base_path),
        csp,
        config_override,
        fallback,
    })
}

/// Prints the machine-readable first line, then the app URL and the demo
/// tokens for people. This is the only place tokens are written.
fn print_banner(sandbox: &omnium_sandbox::RunningSandbox) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "omnium-sandbox listening on {}", sandbox.url())?;
    writeln!(out)?;
    if let Some(app_url) = sandbox.app_url() {
        writeln!(out, "App:        {app_url}")?;
    }
    writeln!(out, "API:        {}/api/cases", sandbox.url())?;
    writeln!(out)?;
    writeln!(out, "Demo tokens, valid for 10 days:")?;
    writeln!(
        out,
        "  admin      (agent-ada, Ada Lovelace, CaseRead + CaseAdmin):\n    {}",
        sandbox.tokens.admin
    )?;
    writeln!(
        out,
        "  read-only  (agent-grace, Grace Hopper, CaseRead):\n    {}",
        sandbox.tokens.read_only
    )?;
    writeln!(
        out,
        "  no role    (agent-linus, Linus Pauling, OrderRead):\n    {}",
        sandbox.tokens.no_role
    )?;
    out.flush()?;
    Ok(())
}

async fn wait_for_stop_signal() {
    let interrupt = tokio::signal::ctrl_c();

    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM");
                    std::future::pending::<()>().await;
                }
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate => {}
        }
    }

    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
