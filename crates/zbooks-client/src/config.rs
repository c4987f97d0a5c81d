//! The values a user sets: credentials, limits, token handling and timeouts.
//!
//! Defaults follow Zoho's documented limits (reference §2, §3.3); every duration can be
//! shortened so tests and the simulator run a "minute" in a second.

use std::fmt;
use std::time::Duration;

use zbooks_types::Secret;

/// How the client authenticates.
#[derive(Clone)]
pub enum Credentials {
    /// A self-client's refresh token: the client refreshes access tokens itself.
    RefreshToken {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
        /// The refresh token.
        refresh_token: Secret,
    },
    /// A fixed access token (it is never refreshed; when it expires, calls fail with an auth
    /// error).
    AccessToken(Secret),
}

impl Credentials {
    /// Refresh-token credentials.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        Credentials::RefreshToken {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
        }
    }

    /// A fixed access token.
    pub fn access_token(token: impl Into<Secret>) -> Self {
        Credentials::AccessToken(token.into())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::RefreshToken { client_id, .. } => f
                .debug_struct("RefreshToken")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .field("refresh_token", &"[redacted]")
                .finish(),
            Credentials::AccessToken(_) => f.write_str("AccessToken([redacted])"),
        }
    }
}

/// The limits the client keeps per organization (docs/design.md promise 3).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LimitsConfig {
    /// Keep limits at all (default on). Off: no pacing, no in-flight cap, no daily ledger
    /// (benchmarks, or a caller that paces itself); a 429 is still handled.
    pub enabled: bool,
    /// Calls allowed per window (Zoho: 100 a minute).
    pub per_window: u32,
    /// The window of `per_window` (Zoho: one minute).
    pub window: Duration,
    /// How many calls may go before their even slot (default 0). Each one is a call less
    /// per window at the steady rate.
    pub burst: u32,
    /// Extra spacing, in thousandths, so that a call reaching Zoho a little late (scheduling,
    /// a busy machine) never makes a window hold one call too many (default 15: 1.5 %, which
    /// absorbs 0.9 s of lateness a minute).
    pub margin_permille: u32,
    /// Calls in flight at once; `None` takes the plan's cap.
    pub in_flight: Option<u32>,
    /// Calls a day; `None` takes the plan's quota.
    pub per_day: Option<u32>,
    /// The length of a day for the ledger when Zoho's headers do not say (default 24 h).
    pub day: Duration,
    /// How long a 429/44 pauses the organization; `None` pauses for one window.
    pub pause: Option<Duration>,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            enabled: true,
            per_window: zbooks_types::plan::CALLS_PER_MINUTE,
            window: Duration::from_mins(1),
            burst: 0,
            margin_permille: 15,
            in_flight: None,
            per_day: None,
            day: Duration::from_hours(24),
            pause: None,
        }
    }
}

impl LimitsConfig {
    /// Limits switched off.
    pub fn disabled() -> Self {
        LimitsConfig {
            enabled: false,
            ..LimitsConfig::default()
        }
    }

    /// The even spacing between calls: the window over the calls allowed after the burst,
    /// plus the margin. With it, no window of `window` length holds more than `per_window`
    /// calls, wherever it starts.
    pub fn interval(&self) -> Duration {
        let steady = self.per_window.saturating_sub(self.burst).max(1);
        (self.window / steady).mul_f64(1.0 + f64::from(self.margin_permille) / 1000.0)
    }
}

/// How access tokens are handled (docs/design.md promise 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenConfig {
    /// Refresh this long before the token expires (default 5 minutes).
    pub refresh_before: Duration,
    /// Token requests allowed per refresh token per window (Zoho: 10).
    pub max_requests: u32,
    /// The window of `max_requests` (Zoho: 10 minutes).
    pub request_window: Duration,
    /// How long to stop asking after the accounts server says "Access Denied" (default 10
    /// minutes, Zoho's window).
    pub cooldown: Duration,
    /// How long one refresher holds the cross-process refresh lock at most (default 30 s).
    pub lock_lease: Duration,
    /// How often a process waiting for another's refresh looks again (default 50 ms).
    pub lock_poll: Duration,
}

impl Default for TokenConfig {
    fn default() -> Self {
        TokenConfig {
            refresh_before: Duration::from_mins(5),
            max_requests: 10,
            request_window: Duration::from_mins(10),
            cooldown: Duration::from_mins(10),
            lock_lease: Duration::from_secs(30),
            lock_poll: Duration::from_millis(50),
        }
    }
}

/// Timeouts of one attempt (the overall deadline is in [`crate::RetryConfig`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting (default 10 s).
    pub connect: Duration,
    /// One attempt, from send to the end of the body (default 60 s): an attempt still without
    /// its whole answer is cut at this deadline (`tokio::time::timeout`), never before.
    pub attempt: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            attempt: Duration::from_mins(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_leaves_room_for_the_burst() {
        let limits = LimitsConfig {
            window: Duration::from_secs(1),
            burst: 0,
            margin_permille: 0,
            ..LimitsConfig::default()
        };
        assert_eq!(limits.interval(), Duration::from_millis(10));
        let limits = LimitsConfig {
            burst: 1,
            margin_permille: 5,
            ..LimitsConfig::default()
        };
        // 60 s / 99 * 1.005
        let ms = limits.interval().as_secs_f64() * 1000.0;
        assert!((ms - 609.09).abs() < 0.1, "{ms}");
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Credentials::refresh_token("id", "1000.secretsecret", "1000.refreshrefresh");
        let text = format!("{c:?}");
        assert!(
            !text.contains("secretsecret") && !text.contains("refreshrefresh"),
            "{text}"
        );
    }
}
