//! How retries are bounded: attempts, an overall deadline and a retry budget shared by the
//! whole client, with full-jitter exponential backoff (the AWS SDK's "standard" mode,
//! smithy-rs `retries/strategy/standard.rs` and `token_bucket.rs`).
//!
//! The budget is what stops a bulk import from multiplying its own load during an outage:
//! every retry takes tokens, a timeout takes more, a success gives back what its retries took
//! (or one token), and an empty bucket stops retries even when attempts remain.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::time::Jitter;

/// Retry settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts per call, the first included (default 4).
    pub max_attempts: u32,
    /// Backoff before the first retry of a server failure, before jitter (default 1 s).
    pub initial_backoff: Duration,
    /// The longest backoff (default 20 s).
    pub max_backoff: Duration,
    /// Backoff before the first retry after a 1070 (too many calls in flight), before jitter
    /// (default 250 ms).
    pub concurrency_backoff: Duration,
    /// The longest a call may take, retries and waits included (default 5 minutes).
    pub deadline: Duration,
    /// The retry budget shared by every call of the client.
    pub budget: RetryBudgetConfig,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            concurrency_backoff: Duration::from_millis(250),
            deadline: Duration::from_mins(5),
            budget: RetryBudgetConfig::default(),
        }
    }
}

impl RetryConfig {
    /// No retries at all (one attempt per call).
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }
}

/// The retry budget (a token bucket, as smithy-rs's standard mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudgetConfig {
    /// Tokens in a full bucket (default 500).
    pub capacity: u32,
    /// Tokens a retry takes (default 5).
    pub retry_cost: u32,
    /// Tokens a retry after a timeout or lost answer takes (default 10).
    pub timeout_cost: u32,
    /// Tokens a success without retries gives back (default 1).
    pub success_refund: u32,
}

impl Default for RetryBudgetConfig {
    fn default() -> Self {
        RetryBudgetConfig {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_refund: 1,
        }
    }
}

/// The client-wide retry budget.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    config: RetryBudgetConfig,
    tokens: AtomicU32,
}

impl RetryBudget {
    pub(crate) fn new(config: RetryBudgetConfig) -> Self {
        RetryBudget {
            config,
            tokens: AtomicU32::new(config.capacity),
        }
    }

    /// Takes `cost` tokens for a retry; `false` (and nothing taken) when there are too few.
    pub(crate) fn try_take(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// A call succeeded after its retries took `taken` tokens: give them back (or the
    /// success refund when it took none).
    pub(crate) fn refund(&self, taken: u32) {
        let give = if taken == 0 {
            self.config.success_refund
        } else {
            taken
        };
        let capacity = self.config.capacity;
        // A full bucket (every call of a healthy client) is only read, never written: the
        // workers' calls do not contend for its cache line.
        if self.tokens.load(Ordering::Acquire) >= capacity {
            return;
        }
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(give).min(capacity))
            });
    }

    /// Tokens left.
    pub(crate) fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

/// Full-jitter exponential backoff: uniform in `[0, min(max, base * 2^(retry - 1))]`, where
/// `retry` counts from 1.
pub(crate) fn backoff(jitter: &Jitter, base: Duration, max: Duration, retry: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << retry.saturating_sub(1).min(20));
    jitter.upto(exp.min(max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_stops_retries_when_empty_and_refills_on_success() {
        let budget = RetryBudget::new(RetryBudgetConfig {
            capacity: 12,
            retry_cost: 5,
            timeout_cost: 10,
            success_refund: 1,
        });
        assert!(budget.try_take(5));
        assert!(budget.try_take(5));
        assert!(!budget.try_take(5));
        assert_eq!(budget.available(), 2);
        budget.refund(10);
        assert_eq!(budget.available(), 12);
        budget.refund(0);
        assert_eq!(budget.available(), 12);
    }

    #[test]
    fn backoff_is_capped_and_grows() {
        let jitter = Jitter::new(3);
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        for retry in 1..30 {
            let cap = (base * (1 << (retry - 1).min(20))).min(max);
            assert!(backoff(&jitter, base, max, retry) <= cap);
        }
    }
}
