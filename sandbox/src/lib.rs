//! A stand-in for the Omnium Cases API with a SQLite database and seeded
//! cases, used as the demo back end and by every browser test.
//!
//! It follows Omnium's documented behaviour: camelCase JSON out, request
//! field names read in any casing, .NET timestamps, search limits, roles in
//! JWT claims, RFC 7807 errors and per-token rate limits. Where Omnium's
//! documentation is silent, the choice is marked as an assumption at the one
//! place in the code that makes it.
//!
//! Start it in-process with [`start`]:
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! let sandbox = omnium_sandbox::start(omnium_sandbox::SandboxConfig::default()).await?;
//! println!("{} admin token {}", sandbox.url(), sandbox.tokens.admin);
//! sandbox.stop().await?;
//! # Ok(())
//! # }
//! ```

pub mod app;
pub mod auth;
pub mod faults;
pub mod json_body;
pub mod lifecycle;
pub mod model;
pub mod problem;
pub mod rate_limit;
pub mod search;
pub mod seed;
pub mod server;
pub mod service;
pub mod settings;
pub mod store;
pub mod timestamp;

pub use app::AppConfig;
pub use server::{RunningSandbox, SandboxConfig, start};
pub use store::DbLocation;
