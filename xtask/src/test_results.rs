//! Test counts read from the output of libtest and Playwright.

use std::ops::AddAssign;

use anyhow::{Context, Result};

/// Numbers of tests by outcome, for one run or a sum of runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    /// Tests marked ignored (libtest) or skipped (Playwright).
    pub skipped: u64,
}

impl AddAssign for TestCounts {
    fn add_assign(&mut self, other: Self) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// Parses one libtest summary line such as
/// `test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s`.
///
/// wasm-bindgen-test-runner prints the same line. Returns `None` for any other line.
pub fn parse_test_result_line(line: &str) -> Option<TestCounts> {
    let line = strip_ansi(line);
    let (_, summary) = line.split_once("test result: ")?;
    let (_, tallies) = summary.split_once(". ")?;

    let mut counts = TestCounts::default();
    let mut found_passed = false;
    for tally in tallies.split(';') {
        let Some((number, label)) = tally.trim().split_once(' ') else {
            continue;
        };
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        match label {
            "passed" => {
                counts.passed = number;
                found_passed = true;
            }
            "failed" => counts.failed = number,
            "ignored" => counts.skipped = number,
            _ => {}
        }
    }

    found_passed.then_some(counts)
}

/// Adds up every `test result:` line in the output of `cargo test`, which
/// prints one per test binary and one per crate's doc tests. Returns `None`
/// when there is no such line, as when compilation failed.
pub fn sum_test_results(output: &str) -> Option<TestCounts> {
    let mut total: Option<TestCounts> = None;
    for counts in output.lines().filter_map(parse_test_result_line) {
        *total.get_or_insert_with(TestCounts::default) += counts;
    }
    total
}

/// Reads the counts from the report of Playwright's `json` reporter.
///
/// Playwright calls a test `expected` when it passed, `unexpected` when it
/// failed and `flaky` when it failed and then passed on a retry. Errors
/// outside any test, such as a spec file that does not compile, count as
/// failures, because the tests in that file never ran.
pub fn parse_playwright_report(report: &str) -> Result<TestCounts> {
    let report: serde_json::Value =
        serde_json::from_str(report).context("the Playwright JSON report is not valid JSON")?;
    let stats = &report["stats"];
    let count = |key: &str| -> Result<u64> {
        stats[key]
            .as_u64()
            .with_context(|| format!("the Playwright JSON report has no stats.{key} number"))
    };

    let global_errors = report["errors"].as_array().map_or(0, Vec::len) as u64;
    Ok(TestCounts {
        passed: count("expected")? + count("flaky")?,
        failed: count("unexpected")? + global_errors,
        skipped: count("skipped")?,
    })
}

/// Removes terminal colour sequences (`ESC [ ... letter`), which libtest
/// prints when it thinks it writes to a terminal.
fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            plain.push(c);
            continue;
        }
        if chars.next() != Some('[') {
            continue;
        }
        for code in chars.by_ref() {
            if code.is_ascii_alphabetic() {
                break;
            }
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_line_ok() {
        let line = "test result: ok. 12 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.31s";
        let counts = parse_test_result_line(line).unwrap();
        assert_eq!(counts.passed, 12);
        assert_eq!(counts.failed, 0);
        assert_eq!(counts.skipped, 2);
    }

    #[test]
    fn result_line_failed() {
        let line = "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s";
        let counts = parse_test_result_line(line).unwrap();
        assert_eq!(counts.passed, 3);
        assert_eq!(counts.failed, 1);
    }

    #[test]
    fn result_line_with_colour_codes() {
        let line = "test result: \u{1b}[32mok\u{1b}[0m. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        let counts = parse_test_result_line(line).unwrap();
        assert_eq!(counts.passed, 4);
    }

    #[test]
    fn result_line_from_wasm_runner() {
        let line =
            "test result: ok. 5 passed; 0 failed; 0 ignored; 0 filtered out; finished in 2.13s";
        assert_eq!(parse_test_result_line(line).unwrap().passed, 5);
    }

    #[test]
    fn other_lines_are_not_results() {
        assert_eq!(parse_test_result_line("running 3 tests"), None);
        assert_eq!(
            parse_test_result_line("test api::tests::parses ... ok"),
            None
        );
        assert_eq!(parse_test_result_line("test result: garbage"), None);
    }

    #[test]
    fn sum_adds_every_binary() {
        let output = "\
running 2 tests
test a ... ok
test b ... ok

test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

running 0 tests

test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

test result: FAILED. 7 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 3.20s
";
        let total = sum_test_results(output).unwrap();
        assert_eq!(total.passed, 9);
        assert_eq!(total.failed, 2);
        assert_eq!(total.skipped, 1);
    }

    #[test]
    fn sum_without_result_lines() {
        assert_eq!(
            sum_test_results("error[E0425]: cannot find value `x`\n"),
            None
        );
    }

    #[test]
    fn playwright_report_counts() {
        let report = r#"{"config": {}, "suites": [], "errors": [],
            "stats": {"startTime": "2026-01-01T00:00:00.000Z", "duration": 1200.5,
                      "expected": 4, "skipped": 1, "unexpected": 2, "flaky": 1}}"#;
        let counts = parse_playwright_report(report).unwrap();
        assert_eq!(counts.passed, 5);
        assert_eq!(counts.failed, 2);
        assert_eq!(counts.skipped, 1);
    }

    #[test]
    fn playwright_report_global_error_fails() {
        let report = r#"{"errors": [{"message": "SyntaxError"}],
            "stats": {"expected": 0, "skipped": 0, "unexpected": 0, "flaky": 0}}"#;
        assert_eq!(parse_playwright_report(report).unwrap().failed, 1);
    }

    #[test]
    fn playwright_report_without_stats() {
        let error = parse_playwright_report("{}").unwrap_err().to_string();
        assert!(error.contains("stats.expected"), "{error}");
    }
}
