//! Fault injection for tests: added latency and a share of error responses
//! per route. Off unless configured.

use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use anyhow::{Context, bail};
use axum::http::StatusCode;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::problem::Problem;

/// Route names that faults and latency apply to; `*` matches every route.
pub const ROUTE_NAMES: [&str; 8] = [
    "get",
    "create",
    "update",
    "patch",
    "delete",
    "search",
    "assign",
    "changestatus",
];

/// Seed of the generator that decides which requests fail, so a run with
/// the same requests fails the same ones.
const FAULT_RANDOM_SEED: u64 = 7807;

/// One API route, named as in `--fault` and `--latency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Get,
    Create,
    Update,
    Patch,
    Delete,
    Search,
    Assign,
    ChangeStatus,
}

impl Route {
    /// Returns the name used in fault settings.
    pub fn name(self) -> &'static str {
        match self {
            Route::Get => "get",
            Route::Create => "create",
            Route::Update => "update",
            Route::Patch => "patch",
            Route::Delete => "delete",
            Route::Search => "search",
            Route::Assign => "assign",
            Route::ChangeStatus => "changestatus",
        }
    }
}

/// Fails the share `rate` of the requests to `route` with `status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    pub route: String,
    pub status: u16,
    /// Share of requests that fail, from 0.0 to 1.0.
    pub rate: f64,
    /// How many requests fail before the rule stops; without it the rule
    /// lasts until replaced. Lets a test fail exactly the next request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// Delays every request to `route` by `ms` milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LatencyRule {
    pub route: String,
    pub ms: u64,
}

/// The complete fault configuration, also the body of `/_sandbox/faults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultSettings {
    pub faults: Vec<FaultRule>,
    pub latency: Vec<LatencyRule>,
}

impl FaultSettings {
    /// Reads `SANDBOX_FAULTS` and `SANDBOX_LATENCY` (comma-separated specs,
    /// as `--fault` and `--latency` take them) and appends them.
    pub fn extend_from_env(&mut self) -> anyhow::Result<()> {
        if let Ok(specs) = std::env::var("SANDBOX_FAULTS") {
            for spec in split_specs(&specs) {
                self.faults
                    .push(spec.parse().context("invalid SANDBOX_FAULTS")?);
            }
        }
        if let Ok(specs) = std::env::var("SANDBOX_LATENCY") {
            for spec in split_specs(&specs) {
                self.latency
                    .push(spec.parse().context("invalid SANDBOX_LATENCY")?);
            }
        }
        Ok(())
    }

    /// Checks route names, statuses and rates.
    pub fn validate(&self) -> anyhow::Result<()> {
        for rule in &self.faults {
            check_route(&rule.route)?;
            if !(400..=599).contains(&rule.status) {
                bail!(
                    "fault status {} for route '{}' must be between 400 and 599",
                    rule.status,
                    rule.route
                );
            }
            if !(0.0..=1.0).contains(&rule.rate) {
                bail!(
                    "fault rate {} for route '{}' must be between 0.0 and 1.0",
                    rule.rate,
                    rule.route
                );
            }
        }
        for rule in &self.latency {
            check_route(&rule.route)?;
        }
        Ok(())
    }
}

impl FromStr for FaultRule {
    type Err = anyhow::Error;

    /// Parses `ROUTE:STATUS:RATE`, such as `search:503:0.5`.
    fn from_str(spec: &str) -> anyhow::Result<Self> {
        let parts: Vec<&str> = spec.trim().split(':').collect();
        let [route, status, rate] = parts.as_slice() else {
            bail!("fault '{spec}' must have the form ROUTE:STATUS:RATE, such as search:503:0.5");
        };
        let rule = FaultRule {
            route: route.to_string(),
            status: status
                .parse()
                .with_context(|| format!("fault '{spec}' has an invalid status '{status}'"))?,
            rate: rate
                .parse()
                .with_context(|| format!("fault '{spec}' has an invalid rate '{rate}'"))?,
            count: None,
        };
        FaultSettings {
            faults: vec![rule.clone()],
            latency: Vec::new(),
        }
        .validate()?;
        Ok(rule)
    }
}

impl FromStr for LatencyRule {
    type Err = anyhow::Error;

    /// Parses `ROUTE:MS`, such as `search:800`.
    fn from_str(spec: &str) -> anyhow::Result<Self> {
        let Some((route, ms)) = spec.trim().split_once(':') else {
            bail!("latency '{spec}' must have the form ROUTE:MS, such as search:800");
        };
        check_route(route)?;
        Ok(LatencyRule {
            route: route.to_owned(),
            ms: ms
                .parse()
                .with_context(|| format!("latency '{spec}' has an invalid millisecond count"))?,
        })
    }
}

impl fmt::Display for FaultRule {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}:{}:{}", self.route, self.status, self.rate)
    }
}

/// Live fault settings, replaceable while the server runs.
#[derive(Debug)]
pub struct FaultInjector {
    settings: RwLock<FaultSettings>,
    random: Mutex<ChaCha8Rng>,
}

impl FaultInjector {
    /// Creates an injector with `settings`.
    pub fn new(settings: FaultSettings) -> Self {
        FaultInjector {
            settings: RwLock::new(settings),
            random: Mutex::new(ChaCha8Rng::seed_from_u64(FAULT_RANDOM_SEED)),
        }
    }

    /// Returns a copy of the current settings.
    pub fn current(&self) -> FaultSettings {
        self.settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Replaces the settings.
    pub fn replace(&self, settings: FaultSettings) {
        *self
            .settings
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = settings;
    }

    /// Waits for the configured latency of `route`, then fails the request
    /// with the configured share. A rule for the route itself wins over `*`.
    pub async fn apply(&self, route: Route) -> Result<(), Problem> {
        let (delay, fault) = {
            let settings = self.current();
            let delay = pick(&settings.latency, route, |rule| &rule.route).map(|rule| rule.ms);
            let fault = pick(&settings.faults, route, |rule| &rule.route).cloned();
            (delay, fault)
        };

        if let Some(ms) = delay.filter(|ms| *ms > 0) {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }

        let Some(fault) = fault else {
            return Ok(());
        };
        let draw: f64 = self
            .random
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .random();
        if draw >= fault.rate || !self.consume(route, &fault) {
            return Ok(());
        }

        let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let problem = Problem::new(
            status,
            format!(
                "Fault injected by the sandbox for route '{}'.",
                route.name()
            ),
        );
        let needs_retry_after =
            status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS;
        if needs_retry_after {
            return Err(problem.with_retry_after(1));
        }
        Err(problem)
    }
}

impl FaultInjector {
    /// Counts one use of a rule with a `count`; returns `false` when another
    /// request already used up its last failure.
    fn consume(&self, route: Route, fired: &FaultRule) -> bool {
        if fired.count.is_none() {
            return true;
        }

        let mut settings = self
            .settings
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(index) = settings
            .faults
            .iter()
            .position(|rule| rule == fired && (rule.route == route.name() || rule.route == "*"))
        else {
            return false;
        };

        match settings.faults[index].count {
            Some(0) => false,
            Some(1) => {
                settings.faults.remove(index);
                true
            }
            Some(left) => {
                settings.faults[index].count = Some(left - 1);
                true
            }
            None => true,
        }
    }
}

fn pick<T>(rules: &[T], route: Route, route_of: impl Fn(&T) -> &String) -> Option<&T> {
    rules
        .iter()
        .find(|rule| route_of(rule) == route.name())
        .or_else(|| rules.iter().find(|rule| route_of(rule) == "*"))
}

fn check_route(route: &str) -> anyhow::Result<()> {
    if route == "*" || ROUTE_NAMES.contains(&route) {
        return Ok(());
    }
    bail!(
        "unknown route '{route}'; use one of {} or *",
        ROUTE_NAMES.join(", ")
    )
}

fn split_specs(specs: &str) -> impl Iterator<Item = &str> {
    specs
        .split(',')
        .map(str::trim)
        .filter(|spec| !spec.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_spec_parses() {
        let rule: FaultRule = "search:503:0.5".parse().unwrap();
        assert_eq!(rule.route, "search");
        assert_eq!(rule.status, 503);
        assert_eq!(rule.rate, 0.5);
    }

    #[test]
    fn fault_spec_rejects_bad_parts() {
        for spec in [
            "search:503",
            "find:503:1",
            "search:200:1",
            "search:503:2",
            "*:x:1",
        ] {
            assert!(spec.parse::<FaultRule>().is_err(), "spec {spec}");
        }
    }

    #[test]
    fn latency_spec_parses() {
        let rule: LatencyRule = "*:250".parse().unwrap();
        assert_eq!(rule.route, "*");
        assert_eq!(rule.ms, 250);
        assert!("search:-1".parse::<LatencyRule>().is_err());
    }

    #[tokio::test]
    async fn route_rule_beats_wildcard() {
        let injector = FaultInjector::new(FaultSettings {
            faults: vec![
                FaultRule {
                    route: "*".to_owned(),
                    status: 500,
                    rate: 1.0,
                    count: None,
                },
                FaultRule {
                    route: "search".to_owned(),
                    status: 503,
                    rate: 1.0,
                    count: None,
                },
            ],
            latency: Vec::new(),
        });

        let search = injector.apply(Route::Search).await.unwrap_err();
        assert_eq!(search.status, 503);
        assert_eq!(search.retry_after_seconds, Some(1));

        let get = injector.apply(Route::Get).await.unwrap_err();
        assert_eq!(get.status, 500);
        assert_eq!(get.retry_after_seconds, None);
    }

    #[tokio::test]
    async fn zero_rate_never_fails() {
        let injector = FaultInjector::new(FaultSettings {
            faults: vec![FaultRule {
                route: "get".to_owned(),
                status: 500,
                rate: 0.0,
                count: None,
            }],
            latency: Vec::new(),
        });
        for _ in 0..100 {
            assert!(injector.apply(Route::Get).await.is_ok());
        }
    }

    #[tokio::test]
    async fn counted_rule_fails_only_that_many() {
        let injector = FaultInjector::new(FaultSettings {
            faults: vec![FaultRule {
                route: "search".to_owned(),
                status: 429,
                rate: 1.0,
                count: Some(2),
            }],
            latency: Vec::new(),
        });

        assert_eq!(injector.apply(Route::Search).await.unwrap_err().status, 429);
        assert_eq!(injector.apply(Route::Search).await.unwrap_err().status, 429);
        assert!(injector.apply(Route::Search).await.is_ok());
        assert!(injector.current().faults.is_empty());
    }
}
