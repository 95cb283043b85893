//! Per-token rate limits with Omnium's defaults: a token bucket of 12,000
//! requests refilled with 1,000 every 10 seconds, and at most 20 requests in
//! flight per token.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::bail;
use axum::http::StatusCode;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::problem::Problem;

/// Limits of one API user, configurable from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Requests the bucket holds when full.
    pub capacity: u32,
    /// Requests added per interval.
    pub refill: u32,
    /// Length of one refill interval.
    pub interval: Duration,
    /// Requests one token may have in flight at once.
    pub max_concurrent: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            capacity: 12_000,
            refill: 1_000,
            interval: Duration::from_secs(10),
            max_concurrent: 20,
        }
    }
}

impl RateLimitConfig {
    /// Checks that every limit is positive.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.capacity == 0 || self.refill == 0 || self.max_concurrent == 0 {
            bail!("rate capacity, refill and max concurrent requests must be at least 1");
        }
        if self.interval.is_zero() {
            bail!("rate interval must be at least 1 ms");
        }
        Ok(())
    }
}

/// Rate and concurrency limits keyed by user id and token.
pub struct RateLimits {
    bucket: DefaultKeyedRateLimiter<String>,
    max_concurrent: u32,
    in_flight: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RateLimits")
            .field("max_concurrent", &self.max_concurrent)
            .finish_non_exhaustive()
    }
}

impl RateLimits {
    /// Creates the limits. The bucket refills continuously, one request every
    /// `interval / refill`, which matches a refill of `refill` per interval
    /// on average.
    pub fn new(config: RateLimitConfig) -> anyhow::Result<Self> {
        config.validate()?;

        let period = config.interval / config.refill;
        let period = period.max(Duration::from_nanos(1));
        let Some(quota) = Quota::with_period(period) else {
            bail!("rate refill interval is too short");
        };
        let capacity = NonZeroU32::new(config.capacity).unwrap_or(NonZeroU32::MIN);

        Ok(RateLimits {
            bucket: RateLimiter::keyed(quota.allow_burst(capacity)),
            max_concurrent: config.max_concurrent,
            in_flight: Mutex::new(HashMap::new()),
        })
    }

    /// Takes one request from the caller's bucket and a slot among its
    /// concurrent requests. The slot is freed when the permit is dropped.
    ///
    /// Errors: 429 with `Retry-After` in whole seconds (at least 1).
    pub fn admit(&self, key: &str) -> Result<OwnedSemaphorePermit, Problem> {
        if let Err(not_until) = self.bucket.check_key(&key.to_owned()) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(too_many_requests(
                "The token has used up its request budget; retry after the Retry-After seconds.",
                seconds.max(1),
            ));
        }

        let semaphore = {
            let mut in_flight = self
                .in_flight
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            in_flight
                .entry(key.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(self.max_concurrent as usize)))
                .clone()
        };

        semaphore.try_acquire_owned().map_err(|_| {
            too_many_requests(
                &format!(
                    "The token already has the maximum of {} concurrent requests in flight; wait for one to finish.",
                    self.max_concurrent
                ),
                1,
            )
        })
    }
}

fn too_many_requests(detail: &str, retry_after_seconds: u64) -> Problem {
    Problem::new(StatusCode::TOO_MANY_REQUESTS, detail).with_retry_after(retry_after_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(capacity: u32, max_concurrent: u32) -> RateLimits {
        RateLimits::new(RateLimitConfig {
            capacity,
            refill: 1,
            interval: Duration::from_secs(60),
            max_concurrent,
        })
        .unwrap()
    }

    #[test]
    fn bucket_empties_after_capacity() {
        let limits = small(2, 10);
        assert!(limits.admit("a").is_ok());
        assert!(limits.admit("a").is_ok());

        let problem = limits.admit("a").unwrap_err();
        assert_eq!(problem.status, 429);
        let seconds = problem.retry_after_seconds.unwrap();
        assert!((1..=60).contains(&seconds), "retry after {seconds}");
    }

    #[test]
    fn keys_have_separate_buckets() {
        let limits = small(1, 10);
        assert!(limits.admit("a").is_ok());
        assert!(limits.admit("b").is_ok());
        assert!(limits.admit("a").is_err());
    }

    #[test]
    fn concurrency_slot_returns_on_drop() {
        let limits = small(100, 1);
        let permit = limits.admit("a").unwrap();

        let problem = limits.admit("a").unwrap_err();
        assert_eq!(problem.status, 429);
        assert_eq!(problem.retry_after_seconds, Some(1));

        drop(permit);
        assert!(limits.admit("a").is_ok());
    }

    #[test]
    fn zero_limits_are_rejected() {
        let config = RateLimitConfig {
            capacity: 0,
            ..RateLimitConfig::default()
        };
        assert!(RateLimits::new(config).is_err());
    }
}
