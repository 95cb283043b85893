//! `cargo xtask test`: every test of the project, with one summary at the end.

use std::net::TcpListener;
use std::path::Path;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::dist::build_release_bundle;
use crate::sandbox::{Sandbox, log_path, read_tokens};
use crate::test_results::{TestCounts, parse_playwright_report, sum_test_results};
use crate::tools::{CHROMEDRIVER, ensure_browser, ensure_build_tools, ensure_playwright};
use crate::workspace::{Workspace, announce, describe, note, run, run_and_capture};

/// Test file of the wasm-bindgen browser tests, relative to the repository root.
const WASM_TEST_FILE: &str = "tests/client_wasm.rs";

/// Default for `WASM_BINDGEN_TEST_TIMEOUT`, in seconds, which limits the
/// whole wasm test run in the browser; the runner's own default is 20.
const WASM_TEST_TIMEOUT_SECONDS: &str = "180";

/// Runs every test step and prints the summary. Returns `true` when all passed.
pub fn test(workspace: &Workspace) -> bool {
    let mut report = Report::default();

    let setup_started = Instant::now();
    if let Err(error) = set_up_tools(workspace) {
        eprintln!("error: {error:#}");
        report.add_failure("tool setup", &format!("{error:#}"), setup_started.elapsed());
        return report.print_summary();
    }

    run_host_tests(workspace, &mut report);

    let sandbox_built = build_sandbox(workspace, &mut report);
    let sandbox_binary = workspace.binary("debug", "omnium-sandbox");

    if !workspace.root.join(WASM_TEST_FILE).is_file() {
        note(&format!(
            "{WASM_TEST_FILE} does not exist yet, so there are no wasm-bindgen browser tests to run"
        ));
        report.add_skipped(
            "wasm-bindgen browser tests",
            &format!("{WASM_TEST_FILE} does not exist"),
        );
    } else if !sandbox_built {
        report.add_skipped("wasm-bindgen browser tests", "the sandbox did not build");
    } else {
        run_wasm_tests(workspace, &sandbox_binary, &mut report);
    }

    let app_built = build_app(workspace, &mut report);

    if !sandbox_built || !app_built {
        report.add_skipped(
            "Playwright browser tests",
            "the sandbox or the app did not build",
        );
    } else {
        run_playwright(workspace, &sandbox_binary, &mut report);
    }

    report.print_summary()
}

fn set_up_tools(workspace: &Workspace) -> Result<()> {
    announce("Checking the test tools");
    ensure_browser(workspace)?;
    ensure_build_tools(workspace)?;
    ensure_playwright(workspace)
}

fn run_host_tests(workspace: &Workspace, report: &mut Report) {
    let name = "host tests: cargo test --workspace";
    announce(&format!("Running the {name}"));

    let started = Instant::now();
    let mut command = workspace.cargo();
    command.args(["test", "--workspace", "--no-fail-fast"]);
    report.add_test_run(name, run_and_capture(&mut command), started.elapsed());
}

fn build_sandbox(workspace: &Workspace, report: &mut Report) -> bool {
    let name = "sandbox build: cargo build -p omnium-sandbox";
    announce(&format!("Running the {name}"));

    let started = Instant::now();
    let result = run(
        workspace.cargo().args(["build", "-p", "omnium-sandbox"]),
        "building the sandbox",
        "read the compiler errors above, fix them and rerun",
    );
    report.add_build(name, result, started.elapsed())
}

fn build_app(workspace: &Workspace, report: &mut Report) -> bool {
    let started = Instant::now();
    let result = build_release_bundle(workspace, None);
    report.add_build(
        "app build: trunk build --release, dist/404.html",
        result,
        started.elapsed(),
    )
}

/// Runs the app's wasm-bindgen tests in Chromium against a fresh sandbox.
fn run_wasm_tests(workspace: &Workspace, sandbox_binary: &Path, report: &mut Report) {
    let name = "wasm-bindgen browser tests: cargo test --target wasm32-unknown-unknown";
    announce(&format!("Running the {name} --test client_wasm"));

    let started = Instant::now();
    let result = run_wasm_tests_with_sandbox(workspace, sandbox_binary);
    report.add_test_run(name, result, started.elapsed());
}

fn run_wasm_tests_with_sandbox(
    workspace: &Workspace,
    sandbox_binary: &Path,
) -> Result<(ExitStatus, String)> {
    // The test page's origin must be known before the sandbox starts, because
    // the sandbox allows cross-origin requests only from the origins it is given.
    let page_port = free_local_port()?;
    let page_origin = format!("http://127.0.0.1:{page_port}");

    let sandbox_args = [
        "--in-memory",
        "--port",
        "0",
        "--control",
        "--allow-origin",
        &page_origin,
    ]
    .map(String::from);
    let sandbox_log = log_path(workspace, "sandbox-wasm-tests.log");
    let sandbox = Sandbox::start(workspace, sandbox_binary, &sandbox_args, &sandbox_log)?;
    note(&format!(
        "sandbox at {} (log: {})",
        sandbox.url,
        sandbox_log.display()
    ));
    let tokens = read_tokens(workspace, sandbox_binary)?;

    let mut command = workspace.cargo();
    command
        .args([
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "client_wasm",
        ])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env(
            "WASM_BINDGEN_TEST_ADDRESS",
            format!("127.0.0.1:{page_port}"),
        )
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            workspace.root.join("webdriver.json"),
        )
        // The tests read these with `env!`, so they are compile-time inputs.
        .env("OMNIUM_SANDBOX_URL", &sandbox.url)
        .env("OMNIUM_TOKEN_ADMIN", &tokens.admin)
        .env("OMNIUM_TOKEN_READ_ONLY", &tokens.read_only)
        .env("OMNIUM_TOKEN_NO_ROLE", &tokens.no_role);
    if std::env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
        command.env("WASM_BINDGEN_TEST_TIMEOUT", WASM_TEST_TIMEOUT_SECONDS);
    }

    let result = run_and_capture(&mut command);
    drop(sandbox);
    result
}

/// Runs the Playwright specs in `tests/browser/` against the release build.
fn run_playwright(workspace: &Workspace, sandbox_binary: &Path, report: &mut Report) {
    let name = "Playwright browser tests: tests/browser";
    announce(&format!("Running the {name}"));

    let started = Instant::now();
    let result = run_playwright_and_read_report(workspace, sandbox_binary);
    let elapsed = started.elapsed();

    match result {
        Ok((status, counts)) => report.add_counts(name, status, Some(counts), elapsed),
        Err(error) => {
            eprintln!("error: {error:#}");
            report.add_failure(name, &format!("{error:#}"), elapsed);
        }
    }
}

fn run_playwright_and_read_report(
    workspace: &Workspace,
    sandbox_binary: &Path,
) -> Result<(ExitStatus, TestCounts)> {
    let browser_tests_dir = workspace.root.join("tests/browser");
    let report_path = workspace.target_dir.join("browser-tests/results.json");
    remove_stale_report(&report_path)?;

    let mut command = workspace.command(browser_tests_dir.join("node_modules/.bin/playwright"));
    command
        .arg("test")
        .current_dir(&browser_tests_dir)
        .env("OMNIUM_SANDBOX_BIN", sandbox_binary)
        .env("OMNIUM_DIST", workspace.root.join("dist"))
        .env("PLAYWRIGHT_JSON_OUTPUT_FILE", &report_path);
    let status = command
        .status()
        .with_context(|| format!("failed to start {}", describe(&command)))?;

    let report = std::fs::read_to_string(&report_path).with_context(|| {
        format!(
            "Playwright ({status}) wrote no JSON report at {}: read its output above",
            report_path.display()
        )
    })?;
    let counts = parse_playwright_report(&report)?;
    Ok((status, counts))
}

fn remove_stale_report(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error)
            .with_context(|| format!("failed to remove the old report {}", path.display())),
    }
}

/// Returns a loopback port that was free a moment ago. Another process could
/// take it before the caller binds it, which a rerun fixes.
fn free_local_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").context("failed to bind a free port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

/// Outcome of one step.
enum Outcome {
    Passed,
    Failed,
    Skipped(String),
}

struct StepReport {
    name: String,
    outcome: Outcome,
    counts: Option<TestCounts>,
    elapsed: Duration,
}

/// The steps run so far, for the closing summary.
#[derive(Default)]
struct Report {
    steps: Vec<StepReport>,
}

impl Report {
    /// Records a test command from its exit status and its output's `test result:` lines.
    fn add_test_run(
        &mut self,
        name: &str,
        result: Result<(ExitStatus, String)>,
        elapsed: Duration,
    ) {
        match result {
            Ok((status, output)) => {
                self.add_counts(name, status, sum_test_results(&output), elapsed)
            }
            Err(error) => {
                eprintln!("error: {error:#}");
                self.add_failure(name, &format!("{error:#}"), elapsed);
            }
        }
    }

    /// Records a test command. A command that fails without reporting a
    /// failed test (it did not compile, or the runner crashed) counts as one
    /// failed test, so the totals never hide a failure.
    fn add_counts(
        &mut self,
        name: &str,
        status: ExitStatus,
        counts: Option<TestCounts>,
        elapsed: Duration,
    ) {
        let mut counts = counts.unwrap_or_default();
        if !status.success() && counts.failed == 0 {
            counts.failed = 1;
        }

        let outcome = if status.success() && counts.failed == 0 {
            Outcome::Passed
        } else {
            Outcome::Failed
        };
        self.steps.push(StepReport {
            name: name.to_string(),
            outcome,
            counts: Some(counts),
            elapsed,
        });
    }

    /// Records a build step, which has no tests of its own. Returns whether it succeeded.
    fn add_build(&mut self, name: &str, result: Result<()>, elapsed: Duration) -> bool {
        if let Err(error) = &result {
            eprintln!("error: {error:#}");
        }

        self.steps.push(StepReport {
            name: name.to_string(),
            outcome: if result.is_ok() {
                Outcome::Passed
            } else {
                Outcome::Failed
            },
            counts: None,
            elapsed,
        });
        result.is_ok()
    }

    /// Records a step that failed before it could count tests; it counts as one failure.
    fn add_failure(&mut self, name: &str, error: &str, elapsed: Duration) {
        let first_line = error.lines().next().unwrap_or_default();
        self.steps.push(StepReport {
            name: format!("{name} ({first_line})"),
            outcome: Outcome::Failed,
            counts: None,
            elapsed,
        });
    }

    fn add_skipped(&mut self, name: &str, reason: &str) {
        self.steps.push(StepReport {
            name: name.to_string(),
            outcome: Outcome::Skipped(reason.to_string()),
            counts: None,
            elapsed: Duration::ZERO,
        });
    }

    /// Prints one line per step and, as the very last line, `N passed, N failed`.
    /// Returns `true` when every step passed or was skipped.
    fn print_summary(&self) -> bool {
        let mut total = TestCounts::default();
        let mut all_passed = true;

        println!();
        announce("Summary");
        for step in &self.steps {
            let seconds = step.elapsed.as_secs_f64();
            match &step.outcome {
                Outcome::Skipped(reason) => println!("    SKIP  {} ({reason})", step.name),
                Outcome::Passed | Outcome::Failed => {
                    let label = if matches!(step.outcome, Outcome::Passed) {
                        "PASS"
                    } else {
                        "FAIL"
                    };
                    let counts = step.counts.map_or(String::new(), |counts| {
                        format!(
                            ": {} passed, {} failed, {} skipped",
                            counts.passed, counts.failed, counts.skipped
                        )
                    });
                    println!("    {label}  {}{counts} in {seconds:.0} s", step.name);
                }
            }

            if matches!(step.outcome, Outcome::Failed) {
                all_passed = false;
                // A failed step without test counts stands for one failure.
                total.failed += step.counts.map_or(1, |_| 0);
            }
            if let Some(counts) = step.counts {
                total += counts;
            }
        }

        println!("{} passed, {} failed", total.passed, total.failed);
        all_passed
    }
}
