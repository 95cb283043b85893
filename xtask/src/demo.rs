//! `cargo xtask demo`: build everything and serve the app with the sandbox.

use std::os::unix::process::CommandExt;

use anyhow::{Context, Result};

use crate::dist::build_release_bundle;
use crate::tools::ensure_build_tools;
use crate::workspace::{Workspace, announce, describe, run};

/// Options of `cargo xtask demo`, passed on to the sandbox.
#[derive(Debug)]
pub struct DemoOptions {
    pub port: u16,
    /// Number of generated cases; `None` keeps the sandbox's default.
    pub seed_count: Option<u32>,
}

/// Installs the missing tools, builds the app and the sandbox, then replaces
/// this process with the sandbox, which serves `dist/` and prints the URL and
/// the demo tokens. Returns only when the sandbox could not be started.
pub fn demo(workspace: &Workspace, options: &DemoOptions) -> Result<()> {
    ensure_build_tools(workspace)?;
    build_release_bundle(workspace, None)?;

    announce("Building the sandbox: cargo build -p omnium-sandbox --profile server");
    run(
        workspace
            .cargo()
            .args(["build", "-p", "omnium-sandbox", "--profile", "server"]),
        "building the sandbox",
        "read the compiler errors above, fix them and rerun",
    )?;

    let demo_dir = workspace.target_dir.join("demo");
    std::fs::create_dir_all(&demo_dir)
        .with_context(|| format!("failed to create {}", demo_dir.display()))?;

    let mut sandbox = workspace.command(workspace.binary("server", "omnium-sandbox"));
    sandbox
        .arg("--app-dir")
        .arg(workspace.root.join("dist"))
        .arg("--db")
        .arg(demo_dir.join("sandbox.db"))
        .arg("--port")
        .arg(options.port.to_string());
    if let Some(seed_count) = options.seed_count {
        sandbox.arg("--seed-count").arg(seed_count.to_string());
    }

    announce(&format!(
        "Starting the sandbox: {} (Ctrl-C stops it)",
        describe(&sandbox)
    ));
    // `exec` hands the terminal to the sandbox, so Ctrl-C reaches it directly.
    let error = sandbox.exec();
    Err(error).context("failed to start the sandbox binary built above")
}
