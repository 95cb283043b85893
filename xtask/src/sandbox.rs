//! Starting the Omnium sandbox API server for the browser tests.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::workspace::Workspace;

/// Prefix of the first line the sandbox prints on standard output.
const LISTENING_PREFIX: &str = "omnium-sandbox listening on ";

/// Time the sandbox gets to seed its database and bind its port.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running sandbox, stopped when dropped.
pub struct Sandbox {
    child: Child,
    /// Base URL, such as `http://127.0.0.1:41234`.
    pub url: String,
}

impl Sandbox {
    /// Starts `binary` with `args` and waits for its first stdout line.
    ///
    /// Standard error and the rest of standard output go to `log_path`, which
    /// the error messages point to.
    pub fn start(
        workspace: &Workspace,
        binary: &Path,
        args: &[String],
        log_path: &Path,
    ) -> Result<Sandbox> {
        if let Some(dir) = log_path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let log = File::create(log_path)
            .with_context(|| format!("failed to create {}", log_path.display()))?;
        let stderr_log = log
            .try_clone()
            .context("failed to share the sandbox log file")?;

        let mut child = workspace
            .command(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr_log)
            .spawn()
            .with_context(|| {
                format!(
                    "failed to start the sandbox {}: build it with `cargo build -p omnium-sandbox`",
                    binary.display()
                )
            })?;

        let stdout = child.stdout.take().context("sandbox has no stdout pipe")?;
        let first_line = read_first_line_then_log(stdout, log);

        let line = match first_line.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "the sandbox printed nothing within {} s: see {}",
                    START_TIMEOUT.as_secs(),
                    log_path.display()
                );
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = child.wait().context("failed to wait for the sandbox")?;
                bail!(
                    "the sandbox exited ({status}) before it listened: {}\n{}",
                    log_path.display(),
                    log_tail(log_path)
                );
            }
        };

        let Some(url) = parse_listening_line(&line) else {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "the sandbox's first output line is {line:?}, expected `{LISTENING_PREFIX}http://127.0.0.1:PORT`"
            );
        };
        let url = url.to_string();
        Ok(Sandbox { child, url })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // The test sandboxes keep their data in memory, so a hard kill loses nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends the first line of `stdout` through the returned channel and appends
/// every later line to `log`, so the sandbox does not block on a full pipe.
fn read_first_line_then_log(
    stdout: impl std::io::Read + Send + 'static,
    mut log: File,
) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let Some(Ok(first)) = lines.next() else {
            return;
        };
        let _ = writeln!(log, "{first}");
        let _ = sender.send(first);
        for line in lines.map_while(Result::ok) {
            let _ = writeln!(log, "{line}");
        }
    });
    receiver
}

/// Returns the last lines of a log file for an error message.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Returns the URL from the sandbox's first output line,
/// `omnium-sandbox listening on http://127.0.0.1:PORT`.
pub fn parse_listening_line(line: &str) -> Option<&str> {
    let url = line.trim_end().strip_prefix(LISTENING_PREFIX)?;
    let address = url.strip_prefix("http://")?;
    let (_, port) = address.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    Some(url)
}

/// The sandbox's three demo tokens.
#[derive(Debug, PartialEq, Eq)]
pub struct Tokens {
    pub admin: String,
    pub read_only: String,
    pub no_role: String,
}

/// Runs `<binary> tokens` and parses the JSON it prints.
pub fn read_tokens(workspace: &Workspace, binary: &Path) -> Result<Tokens> {
    let output = workspace
        .command(binary)
        .arg("tokens")
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("failed to start `{} tokens`", binary.display()))?;
    if !output.status.success() {
        bail!("`{} tokens` failed ({})", binary.display(), output.status);
    }
    parse_tokens(&String::from_utf8_lossy(&output.stdout))
}

/// Parses `{"admin": "...", "readOnly": "...", "noRole": "..."}`.
pub fn parse_tokens(json: &str) -> Result<Tokens> {
    let value: serde_json::Value =
        serde_json::from_str(json).context("`omnium-sandbox tokens` printed invalid JSON")?;
    let field = |key: &str| -> Result<String> {
        value[key]
            .as_str()
            .map(str::to_string)
            .with_context(|| format!("`omnium-sandbox tokens` printed no string field {key:?}"))
    };
    Ok(Tokens {
        admin: field("admin")?,
        read_only: field("readOnly")?,
        no_role: field("noRole")?,
    })
}

/// Path of a sandbox log under the target directory.
pub fn log_path(workspace: &Workspace, name: &str) -> PathBuf {
    workspace.target_dir.join("xtask").join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_line_gives_url() {
        let line = "omnium-sandbox listening on http://127.0.0.1:43817\n";
        assert_eq!(parse_listening_line(line), Some("http://127.0.0.1:43817"));
    }

    #[test]
    fn listening_line_needs_prefix() {
        assert_eq!(
            parse_listening_line("INFO starting on http://127.0.0.1:8080"),
            None
        );
    }

    #[test]
    fn listening_line_needs_port() {
        assert_eq!(
            parse_listening_line("omnium-sandbox listening on http://127.0.0.1"),
            None
        );
        assert_eq!(
            parse_listening_line("omnium-sandbox listening on http://127.0.0.1:port"),
            None
        );
    }

    #[test]
    fn tokens_parse() {
        let tokens =
            parse_tokens(r#"{"admin": "a.b.c", "readOnly": "d.e.f", "noRole": "g.h.i"}"#).unwrap();
        assert_eq!(tokens.admin, "a.b.c");
        assert_eq!(tokens.read_only, "d.e.f");
        assert_eq!(tokens.no_role, "g.h.i");
    }

    #[test]
    fn tokens_missing_field() {
        let error = parse_tokens(r#"{"admin": "a", "readOnly": "b"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("noRole"), "{error}");
    }
}
