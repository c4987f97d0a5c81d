//! How a failure is classified: was the request sent, what kind of failure is it, and whether
//! and when a retry can help (docs/design.md promise 2).
//!
//! These are the words every other part speaks: the client's retry loop, the import journal's
//! states, the CLI's exit codes and `zbooks explain` all derive from a [`FailureClass`] and a
//! [`Retry`], never from a status or a code directly.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Whether a failed request reached Zoho.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sent {
    /// Certainly not sent (failed before a byte left, e.g. connection refused, local quota).
    NotSent,
    /// Possibly sent and acted on, with no answer read (timeout, reset after writing).
    MaybeSent,
    /// Zoho (or a gateway in front of it) answered.
    Answered,
}

/// What kind of failure it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FailureClass {
    /// The access token expired or was revoked, or lacks a scope (401/57): refresh once.
    AuthExpired,
    /// Credentials or headers are wrong (401/14, `invalid_client`, `invalid_code`, 57 with a
    /// fresh token): a person must fix the configuration.
    AuthMisconfigured,
    /// The accounts server refused to mint more tokens for now ("Access Denied").
    TokenThrottled,
    /// The organization's 100 calls a minute are spent (429/44); the whole organization is
    /// blocked to the end of the minute.
    RateLimitedMinute,
    /// The plan's daily quota is spent (429/45): stop until the day resets.
    QuotaExhaustedDay,
    /// Too many calls in flight at once for the organization (429/1070).
    ConcurrencyLimited,
    /// A server-side failure (1000, HTTP 500/502/503/504) that may pass.
    TransientServer,
    /// An answer that could not be read: not JSON, empty, truncated, or without a code.
    BadResponse,
    /// The record or route does not exist (1002, 404).
    NotFound,
    /// The record already exists (3062, the one documented duplicate code).
    Duplicate,
    /// The request itself is wrong (2, 1038, other 400s, 405): fix the request.
    Validation,
    /// The organization cannot be used by this user now (6041, 103001, 9017), or cannot be
    /// chosen because the call named none and the user has several (6024).
    BlockedOrg,
    /// Not a failure Zoho documents; read the status.
    Unknown,
}

impl FailureClass {
    /// Every class, in declaration order.
    pub const ALL: [FailureClass; 13] = [
        FailureClass::AuthExpired,
        FailureClass::AuthMisconfigured,
        FailureClass::TokenThrottled,
        FailureClass::RateLimitedMinute,
        FailureClass::QuotaExhaustedDay,
        FailureClass::ConcurrencyLimited,
        FailureClass::TransientServer,
        FailureClass::BadResponse,
        FailureClass::NotFound,
        FailureClass::Duplicate,
        FailureClass::Validation,
        FailureClass::BlockedOrg,
        FailureClass::Unknown,
    ];

    /// The snake-case name used in JSON output and logs (`rate_limited_minute`).
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::AuthExpired => "auth_expired",
            FailureClass::AuthMisconfigured => "auth_misconfigured",
            FailureClass::TokenThrottled => "token_throttled",
            FailureClass::RateLimitedMinute => "rate_limited_minute",
            FailureClass::QuotaExhaustedDay => "quota_exhausted_day",
            FailureClass::ConcurrencyLimited => "concurrency_limited",
            FailureClass::TransientServer => "transient_server",
            FailureClass::BadResponse => "bad_response",
            FailureClass::NotFound => "not_found",
            FailureClass::Duplicate => "duplicate",
            FailureClass::Validation => "validation",
            FailureClass::BlockedOrg => "blocked_org",
            FailureClass::Unknown => "unknown",
        }
    }

    /// A short human description.
    pub fn describe(self) -> &'static str {
        match self {
            FailureClass::AuthExpired => "auth expired: the access token needs a refresh",
            FailureClass::AuthMisconfigured => "auth misconfigured: a person must fix credentials",
            FailureClass::TokenThrottled => "token requests throttled by the accounts server",
            FailureClass::RateLimitedMinute => "per-minute limit: the organization is blocked",
            FailureClass::QuotaExhaustedDay => "daily quota spent",
            FailureClass::ConcurrencyLimited => "too many calls in flight",
            FailureClass::TransientServer => "transient server failure",
            FailureClass::BadResponse => "unreadable response",
            FailureClass::NotFound => "not found",
            FailureClass::Duplicate => "duplicate record",
            FailureClass::Validation => "invalid request",
            FailureClass::BlockedOrg => "organization unusable",
            FailureClass::Unknown => "unknown failure",
        }
    }

    /// The retry advice that goes with this class when nothing more specific is known.
    pub fn default_retry(self) -> Retry {
        match self {
            FailureClass::AuthExpired => Retry::AfterRefresh,
            FailureClass::TokenThrottled => Retry::AfterCooldown,
            FailureClass::RateLimitedMinute => Retry::AfterMinuteWindow,
            FailureClass::QuotaExhaustedDay => Retry::NextDay,
            FailureClass::ConcurrencyLimited => Retry::ShortBackoff,
            FailureClass::TransientServer => Retry::Backoff,
            FailureClass::BadResponse => Retry::IfIdempotent,
            FailureClass::AuthMisconfigured
            | FailureClass::NotFound
            | FailureClass::Duplicate
            | FailureClass::Validation
            | FailureClass::BlockedOrg
            | FailureClass::Unknown => Retry::Never,
        }
    }
}

impl fmt::Display for FailureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether and when a retry can help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retry {
    /// No retry helps: the same request will fail the same way.
    Never,
    /// Refresh the access token once, then replay once; a second failure is not retried.
    AfterRefresh,
    /// Pause every call to the organization until the minute window ends (at least 60 s).
    AfterMinuteWindow,
    /// Stop; the daily quota resets the next day.
    NextDay,
    /// Retry after a short jittered pause with fewer calls in flight.
    ShortBackoff,
    /// Retry with capped exponential backoff and full jitter; within an import, defer the
    /// record for minutes.
    Backoff,
    /// Wait out the accounts server's 10-minute window before asking for a token again.
    AfterCooldown,
    /// Safe to repeat for reads, updates, deletes and upserts; a create must be looked up by
    /// its natural key first, because it may have landed.
    IfIdempotent,
}

impl Retry {
    /// The snake-case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Retry::Never => "never",
            Retry::AfterRefresh => "after_refresh",
            Retry::AfterMinuteWindow => "after_minute_window",
            Retry::NextDay => "next_day",
            Retry::ShortBackoff => "short_backoff",
            Retry::Backoff => "backoff",
            Retry::AfterCooldown => "after_cooldown",
            Retry::IfIdempotent => "if_idempotent",
        }
    }

    /// Whether any retry can help.
    pub fn is_retryable(self) -> bool {
        self != Retry::Never
    }

    /// One sentence saying whether and when a retry helps.
    pub fn describe(self) -> &'static str {
        match self {
            Retry::Never => "no: the same request will fail the same way until something is fixed",
            Retry::AfterRefresh => {
                "once, after refreshing the access token; if a fresh token fails the same way, \
                 stop: the token lacks a scope"
            }
            Retry::AfterMinuteWindow => {
                "yes, but only after the minute window ends (wait at least 60 s); pause every \
                 call to the organization, not just this one"
            }
            Retry::NextDay => {
                "not today: stop and resume after the daily quota resets (Zoho does not publish \
                 the reset time)"
            }
            Retry::ShortBackoff => "yes, after a short jittered pause, with fewer calls in flight",
            Retry::Backoff => {
                "yes, with capped exponential backoff and jitter; Zoho advises minutes, not \
                 seconds, after a server error"
            }
            Retry::AfterCooldown => {
                "only after the accounts server's 10-minute window; never in a loop"
            }
            Retry::IfIdempotent => {
                "reads, updates, deletes and upserts: yes; a create may have landed, so look it \
                 up by its natural key before sending it again"
            }
        }
    }
}

impl fmt::Display for Retry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
