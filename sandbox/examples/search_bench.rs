//! Measures search latency over 100,000 seeded cases.
//!
//! Starts the sandbox in-process with an in-memory database, then sends each
//! search in turn over HTTP on loopback and prints the seeding time and the
//! median and 95th-percentile latency per kind of search.
//!
//! Run: `cargo run -p omnium-sandbox --profile server --example search_bench [REQUESTS]`
//! where REQUESTS (default 200) is the number of searches per kind.

use std::time::{Duration, Instant};

use omnium_sandbox::SandboxConfig;
use omnium_sandbox::rate_limit::RateLimitConfig;
use serde_json::{Value, json};

const CASE_COUNT: usize = 100_000;
const DEFAULT_REQUESTS: usize = 200;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let requests: usize = match std::env::args().nth(1) {
        Some(count) => count.parse()?,
        None => DEFAULT_REQUESTS,
    };

    let started = Instant::now();
    let sandbox = omnium_sandbox::start(SandboxConfig {
        seed_count: CASE_COUNT,
        rate_limit: RateLimitConfig {
            capacity: u32::MAX,
            ..RateLimitConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await?;
    println!(
        "started with {} seeded cases in {:.2} s (generate + insert in one transaction)",
        sandbox.seeded,
        started.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::new();
    let url = format!("{}/api/cases/search", sandbox.url());
    let token = sandbox.tokens.admin.clone();

    let scenarios = [
        ("free text \"refund\"", json!({"searchText": "refund"})),
        (
            "filter status + assignee",
            json!({"status": "In Progress", "assignedToUserId": "agent-ada"}),
        ),
        (
            "sort SubjectAscending",
            json!({"sortOrder": "SubjectAscending"}),
        ),
        ("default (CreatedDescending)", json!({})),
    ];

    println!("{requests} searches per kind, take 20, page 0, one request at a time");
    println!(
        "{:<30} {:>10} {:>10} {:>10}",
        "search", "hits", "median ms", "p95 ms"
    );
    for (name, body) in scenarios {
        let mut latencies = Vec::with_capacity(requests);
        let mut hits = 0;
        for _ in 0..requests {
            let sent = Instant::now();
            let response = client
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await?
                .error_for_status()?;
            let reply: Value = response.json().await?;
            latencies.push(sent.elapsed());
            hits = reply["totalHits"].as_i64().unwrap_or(-1);
        }
        latencies.sort();
        println!(
            "{:<30} {:>10} {:>10.2} {:>10.2}",
            name,
            hits,
            millis(percentile(&latencies, 0.50)),
            millis(percentile(&latencies, 0.95))
        );
    }

    sandbox.stop().await?;
    Ok(())
}

/// Returns the nearest-rank percentile of sorted latencies.
fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let rank = (fraction * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
