//! Installing the build and test tools that are missing, and skipping the rest.
//!
//! Each `ensure_*` function checks the installed version first, so a second
//! run installs nothing. The install times are estimates measured on a
//! 2-core machine.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cargo_lock::locked_version;
use crate::workspace::{Workspace, announce, note, read_stdout, run};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Trunk 0.22 needs Rust 1.96.1 (its `rust-version`), so the project stays on 0.21.
const TRUNK_SERIES: &str = "0.21";

/// Debian's `chromium` and `chromium-driver` packages install these.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Installs everything `trunk build` needs: the wasm target, Trunk, the
/// wasm-bindgen CLI and wasm-opt.
pub fn ensure_build_tools(workspace: &Workspace) -> Result<()> {
    ensure_wasm_target(workspace)?;
    ensure_trunk(workspace)?;
    ensure_wasm_bindgen(workspace)?;
    ensure_wasm_opt(workspace)?;
    Ok(())
}

/// Adds the `wasm32-unknown-unknown` target to the active toolchain.
pub fn ensure_wasm_target(workspace: &Workspace) -> Result<()> {
    let installed = read_stdout(workspace.command("rustup").args(["target", "list", "--installed"]))
        .context("`rustup target list --installed` failed: this project needs a rustup-managed Rust toolchain (see README.md)")?;
    if installed.lines().any(|target| target.trim() == WASM_TARGET) {
        note(&format!("Rust target {WASM_TARGET} is installed"));
        return Ok(());
    }

    announce(&format!("Adding Rust target {WASM_TARGET}"));
    run(
        workspace
            .command("rustup")
            .args(["target", "add", WASM_TARGET]),
        "adding the wasm32 target",
        "check that crates.io and the Rust toolchain server are reachable, then rerun",
    )
}

/// Installs Trunk 0.21 with `cargo install` unless a 0.21 release is on `PATH`.
pub fn ensure_trunk(workspace: &Workspace) -> Result<()> {
    let version = read_stdout(workspace.command("trunk").arg("--version"));
    let version = version
        .as_deref()
        .and_then(|text| text.strip_prefix("trunk "));
    if let Some(version) = version
        && version.starts_with(&format!("{TRUNK_SERIES}."))
    {
        note(&format!("Trunk {version} is installed"));
        return Ok(());
    }

    if let Some(version) = version {
        note(&format!(
            "Trunk {version} is on PATH, but this project needs {TRUNK_SERIES}"
        ));
    }
    announce(&format!(
        "Installing Trunk {TRUNK_SERIES} (takes about 9 minutes on 2 cores)"
    ));
    run(
        workspace
            .cargo()
            .args(["install", "--locked", "trunk", "--version"])
            .arg(format!("~{TRUNK_SERIES}")),
        "installing Trunk",
        "read the compiler errors above; a build that runs out of memory or disk can be rerun once space is free",
    )
}

/// Installs the wasm-bindgen CLI (with `wasm-bindgen-test-runner`) at exactly
/// the version of the `wasm-bindgen` library in `Cargo.lock`, because the CLI
/// rejects a module built by any other version.
pub fn ensure_wasm_bindgen(workspace: &Workspace) -> Result<()> {
    let lock_path = workspace.root.join("Cargo.lock");
    let lock_file = std::fs::read_to_string(&lock_path).with_context(|| {
        format!(
            "failed to read {}: run `cargo generate-lockfile` to create it",
            lock_path.display()
        )
    })?;
    let locked = locked_version(&lock_file, "wasm-bindgen")?;

    let installed = read_stdout(workspace.command("wasm-bindgen").arg("--version"));
    let installed = installed
        .as_deref()
        .and_then(|text| text.strip_prefix("wasm-bindgen "));
    let has_runner = workspace.find_program("wasm-bindgen-test-runner").is_some();
    if installed == Some(locked.as_str()) && has_runner {
        note(&format!("wasm-bindgen-cli {locked} is installed"));
        return Ok(());
    }

    if let Some(installed) = installed {
        note(&format!(
            "wasm-bindgen-cli {installed} is on PATH, but Cargo.lock has wasm-bindgen {locked}"
        ));
    }
    announce(&format!(
        "Installing wasm-bindgen-cli {locked} (takes 3 to 5 minutes on 2 cores)"
    ));
    // NOTE: no `--locked`, because the lock file published with
    // wasm-bindgen-cli 0.2.130 pins webpki-roots 1.0.11, which crates.io does
    // not serve.
    run(
        workspace
            .cargo()
            .args(["install", "wasm-bindgen-cli", "--version"])
            .arg(format!("={locked}")),
        "installing wasm-bindgen-cli",
        "read the compiler errors above and rerun",
    )
}

/// Installs the npm `binaryen` package pinned in `tools/package-lock.json`,
/// whose `wasm-opt` Trunk finds on `PATH`.
///
/// Debian's `binaryen` 108 must not be used: its `wasm-opt` silently breaks
/// the bundle, which then fails at start-up with
/// `WebAssembly.Table.set(): Argument 1 is invalid for table`.
pub fn ensure_wasm_opt(workspace: &Workspace) -> Result<()> {
    let tools_dir = workspace.root.join("tools");
    ensure_npm_packages(
        workspace,
        &tools_dir,
        "binaryen",
        "wasm-opt from npm binaryen",
    )?;

    let wasm_opt = tools_dir.join("node_modules/.bin/wasm-opt");
    let version =
        read_stdout(workspace.command(&wasm_opt).arg("--version")).with_context(|| {
            format!(
                "{} --version failed after `npm ci`: delete tools/node_modules and rerun",
                wasm_opt.display()
            )
        })?;
    note(&format!("using {version}"));
    Ok(())
}

/// Installs the Playwright test runner pinned in `tests/browser/package-lock.json`.
pub fn ensure_playwright(workspace: &Workspace) -> Result<()> {
    let browser_tests_dir = workspace.root.join("tests/browser");
    ensure_npm_packages(
        workspace,
        &browser_tests_dir,
        "@playwright/test",
        "Playwright",
    )
}

/// Runs `npm ci` in `dir` unless `node_modules` already contains `package` at
/// the version its `package-lock.json` pins.
fn ensure_npm_packages(
    workspace: &Workspace,
    dir: &Path,
    package: &str,
    label: &str,
) -> Result<()> {
    let lock_path = dir.join("package-lock.json");
    let lock_text = std::fs::read_to_string(&lock_path)
        .with_context(|| format!("failed to read {}", lock_path.display()))?;
    let lock: serde_json::Value = serde_json::from_str(&lock_text)
        .with_context(|| format!("{} is not valid JSON", lock_path.display()))?;
    let pinned = lock["packages"][format!("node_modules/{package}")]["version"]
        .as_str()
        .with_context(|| {
            format!(
                "{} does not pin {package}: run `npm install` in {}",
                lock_path.display(),
                dir.display()
            )
        })?;

    if installed_npm_version(dir, package).as_deref() == Some(pinned) {
        note(&format!("{label} ({package} {pinned}) is installed"));
        return Ok(());
    }

    if read_stdout(workspace.command("npm").arg("--version")).is_none() {
        bail!(
            "npm is missing: install Node.js 20 with npm (Debian: `apt-get install nodejs npm`), then rerun"
        );
    }
    announce(&format!(
        "Installing {label} ({package} {pinned}) with npm ci"
    ));
    run(
        workspace
            .command("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(dir)
            // Playwright drives Debian's Chromium, so it must not download its own.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        &format!("`npm ci` in {}", dir.display()),
        "check that the npm registry is reachable and rerun",
    )
}

/// Reads the version of an installed npm package from its `package.json`.
fn installed_npm_version(dir: &Path, package: &str) -> Option<String> {
    let manifest = dir.join("node_modules").join(package).join("package.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
    manifest["version"].as_str().map(str::to_string)
}

/// Makes sure Debian's Chromium and ChromeDriver are installed. It installs
/// them with apt-get when running as root, and otherwise stops and names the
/// packages.
pub fn ensure_browser(workspace: &Workspace) -> Result<()> {
    let missing = missing_browser_packages(|path| path.is_file());
    if missing.is_empty() {
        note(&format!(
            "Chromium ({CHROMIUM}) and ChromeDriver ({CHROMEDRIVER}) are installed"
        ));
        return Ok(());
    }

    let packages = missing.join(" ");
    if !is_root(workspace) {
        bail!(
            "the browser tests need Debian's {packages} package(s), which are missing: run `sudo apt-get install -y {packages}`, then rerun"
        );
    }

    announce(&format!(
        "Installing {packages} with apt-get (takes about 1 minute)"
    ));
    run(
        workspace.command("apt-get").arg("update"),
        "apt-get update",
        "check that the Debian package mirror is reachable and rerun",
    )?;
    run(
        workspace
            .command("apt-get")
            .args(["install", "-y"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &format!("apt-get install {packages}"),
        "read apt-get's message above and rerun",
    )
}

/// Returns the Debian packages whose program `is_file` does not find.
fn missing_browser_packages(is_file: impl Fn(&Path) -> bool) -> Vec<&'static str> {
    [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")]
        .into_iter()
        .filter(|(path, _)| !is_file(Path::new(path)))
        .map(|(_, package)| package)
        .collect()
}

fn is_root(workspace: &Workspace) -> bool {
    read_stdout(workspace.command("id").arg("-u")).as_deref() == Some("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_packages_none_missing() {
        assert!(missing_browser_packages(|_| true).is_empty());
    }

    #[test]
    fn browser_packages_all_missing() {
        assert_eq!(
            missing_browser_packages(|_| false),
            ["chromium", "chromium-driver"]
        );
    }

    #[test]
    fn browser_packages_driver_missing() {
        let missing = missing_browser_packages(|path| path == Path::new(CHROMIUM));
        assert_eq!(missing, ["chromium-driver"]);
    }
}
