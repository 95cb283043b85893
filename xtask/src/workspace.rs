//! Paths of the repository and the environment that every child process gets.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use anyhow::{Context, Result, bail};

/// The repository checkout that the commands work on.
pub struct Workspace {
    /// Repository root, which contains the workspace `Cargo.toml`.
    pub root: PathBuf,
    /// Cargo's target directory, as `cargo metadata` reports it.
    pub target_dir: PathBuf,
    /// `PATH` for child processes: the npm tools folder and Cargo's binary
    /// folder come first, so the pinned `wasm-opt` wins over any system copy.
    path_var: OsString,
}

impl Workspace {
    /// Finds the repository from this crate's location and reads the target
    /// directory from `cargo metadata`, because `CARGO_TARGET_DIR` or a config
    /// file may move it.
    pub fn locate() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("the xtask crate has no parent folder")?
            .to_path_buf();

        // `cargo install` puts binaries such as `trunk` here, and a fresh
        // shell may not have it on PATH yet.
        let cargo_bin_dir = cargo_home()?.join("bin");

        let mut path_entries = vec![root.join("tools/node_modules/.bin"), cargo_bin_dir];
        if let Some(existing) = std::env::var_os("PATH") {
            path_entries.extend(std::env::split_paths(&existing));
        }
        let path_var =
            std::env::join_paths(path_entries).context("PATH contains an invalid entry")?;

        let mut workspace = Workspace {
            root,
            target_dir: PathBuf::new(),
            path_var,
        };
        workspace.target_dir = workspace.read_target_dir()?;
        Ok(workspace)
    }

    /// Builds a command that runs in the repository root with the tool `PATH`.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path_var);
        command
    }

    /// Builds a command for the Cargo that runs this xtask.
    pub fn cargo(&self) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        self.command(cargo)
    }

    /// Searches the tool `PATH` for an executable file.
    pub fn find_program(&self, name: &str) -> Option<PathBuf> {
        std::env::split_paths(&self.path_var)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    }

    /// Path of a binary built by Cargo with the given profile folder
    /// (`debug`, `release`, `server`).
    pub fn binary(&self, profile_dir: &str, name: &str) -> PathBuf {
        self.target_dir.join(profile_dir).join(name)
    }

    fn read_target_dir(&self) -> Result<PathBuf> {
        let output = self
            .cargo()
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .stderr(Stdio::inherit())
            .output()
            .context("failed to start `cargo metadata`")?;
        if !output.status.success() {
            bail!(
                "`cargo metadata` failed ({}): fix the workspace manifest errors it printed above",
                output.status
            );
        }

        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
            .context("`cargo metadata` printed invalid JSON")?;
        let target_dir = metadata["target_directory"]
            .as_str()
            .context("`cargo metadata` output has no target_directory")?;
        Ok(PathBuf::from(target_dir))
    }
}

/// Cargo's home folder: `CARGO_HOME`, or `~/.cargo` as Cargo itself defaults.
fn cargo_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }

    let home = std::env::var_os("HOME")
        .context("neither CARGO_HOME nor HOME is set, so the folder of `cargo install` binaries is unknown: set CARGO_HOME")?;
    Ok(PathBuf::from(home).join(".cargo"))
}

/// Prints the start of a step.
pub fn announce(message: &str) {
    println!("==> {message}");
}

/// Prints a detail under the current step, such as a tool that is already installed.
pub fn note(message: &str) {
    println!("    {message}");
}

/// Runs a command with inherited output and fails when it exits non-zero.
/// The error names the `step` and the next action for the reader (`fix`).
pub fn run(command: &mut Command, step: &str, fix: &str) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("{step}: failed to start {}", describe(command)))?;
    if !status.success() {
        bail!("{step} failed ({status}): {fix}");
    }
    Ok(())
}

/// Runs a command and returns its standard output as text, or `None` when the
/// program is missing or exits non-zero. Used for `--version` checks.
pub fn read_stdout(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Runs a command, copies each line of its standard output to ours as it
/// arrives and returns the exit status with the whole output, so the caller can
/// read test counts from it. Standard error goes straight to ours.
pub fn run_and_capture(command: &mut Command) -> Result<(ExitStatus, String)> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("failed to start {}", describe(command)))?;

    let stdout = child.stdout.take().context("child has no stdout pipe")?;
    let mut reader = BufReader::new(stdout);
    let mut captured = String::new();
    let mut line = Vec::new();
    // Bytes rather than `lines()`, so output that is not UTF-8 cannot stop the
    // copy and leave the child blocked on a full pipe.
    while reader
        .read_until(b'\n', &mut line)
        .context("failed to read the output of a child process")?
        > 0
    {
        let text = String::from_utf8_lossy(&line);
        print!("{text}");
        captured.push_str(&text);
        line.clear();
    }

    let status = child.wait().context("failed to wait for a child process")?;
    Ok((status, captured))
}

/// Renders a command as the shell line a reader could rerun.
pub fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    format!("`{}`", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_keeps_invalid_utf8_lines() {
        let mut command = Command::new("sh");
        command.args(["-c", "printf 'first\\n\\377second\\nlast'; exit 3"]);

        let (status, output) = run_and_capture(&mut command).unwrap();

        assert_eq!(status.code(), Some(3));
        assert_eq!(output, "first\n\u{fffd}second\nlast");
    }

    #[test]
    fn describe_joins_program_and_args() {
        let mut command = Command::new("cargo");
        command.args(["build", "-p", "omnium-sandbox"]);
        assert_eq!(describe(&command), "`cargo build -p omnium-sandbox`");
    }
}
