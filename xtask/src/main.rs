//! Project commands, run as `cargo xtask <command>`.

mod cargo_lock;
mod demo;
mod dist;
mod run_tests;
mod sandbox;
mod test_results;
mod tools;
mod workspace;

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::demo::{DemoOptions, demo};
use crate::dist::{DistOptions, dist};
use crate::run_tests::test;
use crate::workspace::Workspace;

const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  demo [--port N] [--seed-count N]
      Install the missing tools, build the app (trunk build --release) and the
      sandbox, then serve both from http://127.0.0.1:N (default port 8080).
      --seed-count sets how many generated cases the sandbox database starts with.
  test
      Run every test: host unit and contract tests, the wasm-bindgen tests in
      Chromium and the Playwright tests. The last line is `N passed, N failed`.
  dist [--base PATH]
      Build dist/ for a static host. --base sets the URL path the app is served
      under (such as /support/cases/) in dist/index.html and dist/config.json;
      dist/404.html is always written.
  help
      Print this text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let Some((command, options)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };

    match command.as_str() {
        "demo" => {
            let options = parse_demo_options(options)?;
            demo(&Workspace::locate()?, &options)?;
            Ok(ExitCode::SUCCESS)
        }
        "test" => {
            if let Some(option) = options.first() {
                bail!("`cargo xtask test` takes no options, got {option:?}");
            }
            let all_passed = test(&Workspace::locate()?);
            Ok(if all_passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        "dist" => {
            let options = parse_dist_options(options)?;
            dist(&Workspace::locate()?, &options)?;
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command {other:?}: run `cargo xtask help` for the list"),
    }
}

fn parse_demo_options(args: &[String]) -> Result<DemoOptions> {
    let mut options = DemoOptions {
        port: 8080,
        seed_count: None,
    };

    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let (name, value) = split_flag(flag, &mut args)?;
        match name {
            "--port" => {
                options.port = value.parse().with_context(|| {
                    format!("invalid --port {value:?}: expected a number from 0 to 65535")
                })?;
            }
            "--seed-count" => {
                options.seed_count = Some(value.parse().with_context(|| {
                    format!("invalid --seed-count {value:?}: expected a whole number")
                })?);
            }
            _ => bail!(
                "unknown option {name:?} for `cargo xtask demo`: it takes --port N and --seed-count N"
            ),
        }
    }
    Ok(options)
}

fn parse_dist_options(args: &[String]) -> Result<DistOptions> {
    let mut options = DistOptions { base: None };

    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let (name, value) = split_flag(flag, &mut args)?;
        match name {
            "--base" => options.base = Some(value),
            _ => bail!("unknown option {name:?} for `cargo xtask dist`: it takes --base PATH"),
        }
    }
    Ok(options)
}

/// Splits `--name=value`, or takes the value from the next argument for `--name value`.
fn split_flag<'a>(
    flag: &'a str,
    rest: &mut std::slice::Iter<'_, String>,
) -> Result<(&'a str, String)> {
    if let Some((name, value)) = flag.split_once('=') {
        return Ok((name, value.to_string()));
    }

    if !flag.starts_with("--") {
        bail!("unexpected argument {flag:?}: options look like --name VALUE");
    }
    let value = rest
        .next()
        .with_context(|| format!("option {flag} needs a value"))?;
    Ok((flag, value.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn demo_options_default() {
        let options = parse_demo_options(&[]).unwrap();
        assert_eq!(options.port, 8080);
        assert_eq!(options.seed_count, None);
    }

    #[test]
    fn demo_options_both_forms() {
        let options = parse_demo_options(&strings(&["--port", "9000", "--seed-count=25"])).unwrap();
        assert_eq!(options.port, 9000);
        assert_eq!(options.seed_count, Some(25));
    }

    #[test]
    fn demo_options_reject_bad_port() {
        let error = parse_demo_options(&strings(&["--port", "99999"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("invalid --port"), "{error}");
    }

    #[test]
    fn demo_options_reject_unknown() {
        let error = parse_demo_options(&strings(&["--db", "x.db"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown option \"--db\""), "{error}");
    }

    #[test]
    fn demo_options_missing_value() {
        let error = parse_demo_options(&strings(&["--port"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("needs a value"), "{error}");
    }

    #[test]
    fn dist_options_base() {
        let options = parse_dist_options(&strings(&["--base", "/support/cases/"])).unwrap();
        assert_eq!(options.base.as_deref(), Some("/support/cases/"));
    }
}
