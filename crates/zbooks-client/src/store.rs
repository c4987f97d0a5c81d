//! The state the client keeps outside itself, as traits: the token cache with its refresh
//! lock and token-request guard ([`TokenStore`]), and per-organization pacing state, pause and
//! daily call ledger ([`LimitStore`]).
//!
//! Every decision that must hold across processes (docs/design.md promises 3 and 4) is made *inside*
//! one store call, atomically: reserving the next pacing slot, counting a unit of daily quota,
//! admitting a token request under Zoho's 10-per-10-minutes limit, taking the refresh lock.
//! [`MemoryStore`] serves one process; `zbooks-store`'s SQLite store serves every process on a
//! machine with the same semantics, and a Redis or PostgreSQL store can follow behind the same
//! traits. Stores never see HTTP and never log a secret.

mod memory;

use std::fmt;
use std::time::{Duration, SystemTime};

use zbooks_types::{Plan, Secret};

pub use memory::MemoryStore;

use crate::time::BoxFuture;

/// A store failed (I/O, a locked database past its timeout, a corrupt row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    message: String,
}

impl StoreError {
    /// A store error with this (secret-free) message.
    pub fn new(message: impl fmt::Display) -> Self {
        StoreError {
            message: zbooks_types::scrub(&message.to_string()),
        }
    }
}

/// The result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Names one cached token: the accounts server, the client id and a fingerprint of the refresh
/// token (never the token itself), so every process using the same credentials finds the same
/// row and different credentials never share one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenKey(String);

impl TokenKey {
    /// The key of a refresh token's access tokens.
    pub fn for_refresh_token(accounts_url: &str, client_id: &str, refresh_token: &Secret) -> Self {
        TokenKey(format!(
            "{}|{client_id}|{:016x}",
            accounts_url.trim_end_matches('/'),
            fnv1a(refresh_token.expose().as_bytes())
        ))
    }

    /// A key from its text, as a store reads it back.
    pub fn from_stored(text: impl Into<String>) -> Self {
        TokenKey(text.into())
    }

    /// The key's text (holds no secret).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// FNV-1a, 64 bits: stable across processes, builds and Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A cached access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredToken {
    /// The access token.
    pub access_token: Secret,
    /// When Zoho said it expires.
    pub expires_at: SystemTime,
    /// The `api_domain` of the token response.
    pub api_domain: Option<String>,
    /// How long it was issued for (`expires_in`), so every process sizes its refresh margin
    /// to it; `None` when unknown (a token cached by an older build).
    pub lifetime: Option<Duration>,
}

/// Zoho's limit on token requests: at most `max` per refresh token in `window` (reference
/// §3.3: 10 in 10 minutes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenRequestPolicy {
    /// Requests allowed per window.
    pub max: u32,
    /// The window.
    pub window: Duration,
}

/// Whether a token request may be made now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAdmission {
    /// Yes; the request has been counted.
    Granted,
    /// No: the window is full, or the accounts server said "Access Denied" and the cool-down
    /// runs until `until`.
    Denied {
        /// When a request may be made again.
        until: SystemTime,
    },
}

/// The token cache shared by every client (and process) using the same credentials.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The cached token, if any.
    fn load_token<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, StoreResult<Option<StoredToken>>>;

    /// Caches a token, replacing the one before.
    fn save_token<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, StoreResult<()>>;

    /// Takes the refresh lock for `lease` if it is free (or its lease ran out); `false` when
    /// another holder has it.
    fn try_lock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
        now: SystemTime,
        lease: Duration,
    ) -> BoxFuture<'a, StoreResult<bool>>;

    /// Releases the refresh lock if `holder` has it.
    fn unlock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>>;

    /// Counts a token request if the policy and any cool-down allow it now.
    fn admit_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
        now: SystemTime,
        policy: TokenRequestPolicy,
    ) -> BoxFuture<'a, StoreResult<TokenAdmission>>;

    /// Refuses token requests until `until` (after the accounts server's "Access Denied").
    fn cool_down<'a>(
        &'a self,
        key: &'a TokenKey,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>>;
}

/// Even pacing: one call every `interval`, with up to `burst` calls early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacingPolicy {
    /// The emission interval (the window divided by the calls allowed in it).
    pub interval: Duration,
    /// How many calls may go before their even slot.
    pub burst: u32,
}

/// The daily quota used when the ledger has nothing better (a plan, or a configured budget).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyPolicy {
    /// Calls a day.
    pub limit: u32,
    /// The length of a day (shorter in tests).
    pub day: Duration,
}

/// What the store decided for one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Send at `at` (now or later); a unit of daily quota has been counted.
    Send {
        /// When the call may be sent.
        at: SystemTime,
        /// Whether the organization is paused after a 429/44 (so the wait is the pause).
        paused: bool,
    },
    /// The daily quota is spent; nothing was counted.
    QuotaExhausted {
        /// When the quota is expected to reset.
        resets_at: SystemTime,
    },
}

/// The daily quota as Zoho's `X-Rate-Limit-*` headers report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerQuota {
    /// `X-Rate-Limit-Limit`: calls a day.
    pub limit: u32,
    /// `X-Rate-Limit-Remaining`: calls left.
    pub remaining: u32,
    /// Now plus `X-Rate-Limit-Reset` seconds.
    pub resets_at: SystemTime,
}

/// The daily ledger of one organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyUsage {
    /// Calls counted in the current day.
    pub used: u32,
    /// Calls allowed in it.
    pub limit: u32,
    /// When it is expected to reset.
    pub resets_at: SystemTime,
}

/// What a store knows about one organization's limits (for `zbooks quota`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitsSnapshot {
    /// The daily ledger, if any call was counted.
    pub daily: Option<DailyUsage>,
    /// Until when the organization is paused after a 429/44, if it is.
    pub paused_until: Option<SystemTime>,
    /// The next free pacing slot.
    pub next_slot: Option<SystemTime>,
}

/// What a store said to one call's request for an organization-wide in-flight lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaseAdmission {
    /// The lease is held until released, or until it runs out when its holder dies.
    Granted,
    /// Every lease of the organization is held; ask again shortly.
    Busy,
    /// The store keeps no leases (it is not shared across machines): the process's own cap on
    /// calls in flight is the only cap.
    Unshared,
}

/// One process calling an organization, as a shared store counted it (`zbooks quota`: who is
/// using the organization's budget).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    /// The caller's name as its store was opened with it (program, host and process).
    pub name: String,
    /// Calls it was admitted in the last minute (the pacing window).
    pub calls_last_minute: u32,
    /// Calls it was admitted in the daily ledger's current day.
    pub calls_today: u32,
    /// When it was last admitted.
    pub last_call: SystemTime,
    /// In-flight leases it holds now.
    pub in_flight: u32,
}

/// Per-organization pacing, pause and daily ledger, shared by every client (and process)
/// calling the same organization.
pub trait LimitStore: Send + Sync + fmt::Debug {
    /// Admits one call: refuses it when the daily quota is spent, else counts a unit of quota
    /// and reserves the organization's next pacing slot (after any pause), atomically.
    fn admit<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
        pacing: Option<PacingPolicy>,
        daily: Option<DailyPolicy>,
    ) -> BoxFuture<'a, StoreResult<Admission>>;

    /// Pauses every call to the organization until `until` (after a 429/44).
    fn pause<'a>(
        &'a self,
        organization_id: &'a str,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>>;

    /// Corrects the daily ledger from Zoho's headers.
    fn record_server_quota<'a>(
        &'a self,
        organization_id: &'a str,
        quota: ServerQuota,
    ) -> BoxFuture<'a, StoreResult<()>>;

    /// Marks the daily quota spent until `resets_at` (after a 429/45).
    fn exhaust_daily<'a>(
        &'a self,
        organization_id: &'a str,
        resets_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>>;

    /// What the store knows about the organization now.
    fn snapshot<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>>;

    /// The organization's plan as a client last read it from `GET /organizations`, and when.
    /// A store shared by processes spares each new process that call (the default keeps
    /// nothing: every client then reads the plan once for itself).
    fn load_plan<'a>(
        &'a self,
        organization_id: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(Plan, SystemTime)>>> {
        let _ = organization_id;
        Box::pin(async { Ok(None) })
    }

    /// Takes one of the organization's `cap` in-flight leases for `holder` (one call) until
    /// `now + lease`, so that processes on several machines together keep under Zoho's cap on
    /// calls in flight (1070). A store that is not shared answers [`LeaseAdmission::Unshared`]
    /// (the default): the process's own semaphore is then the cap.
    fn acquire_in_flight<'a>(
        &'a self,
        organization_id: &'a str,
        holder: &'a str,
        cap: u32,
        now: SystemTime,
        lease: Duration,
    ) -> BoxFuture<'a, StoreResult<LeaseAdmission>> {
        let _ = (organization_id, holder, cap, now, lease);
        Box::pin(async { Ok(LeaseAdmission::Unshared) })
    }

    /// Gives back `holder`'s in-flight lease (nothing when it has none).
    fn release_in_flight<'a>(
        &'a self,
        organization_id: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let _ = (organization_id, holder);
        Box::pin(async { Ok(()) })
    }

    /// The store's own clock now, for a store shared across machines: a client measures the
    /// difference from its clock and corrects the times it passes and receives, so that a
    /// machine whose clock is off by a few seconds still paces with the others. `None` (the
    /// default, for a store that is not shared): the caller's clock is the clock.
    fn server_time(&self) -> BoxFuture<'_, StoreResult<Option<SystemTime>>> {
        Box::pin(async { Ok(None) })
    }

    /// Every process that called the organization recently, as the store counted them, by
    /// name; one whose counts are all zero is not listed (the
    /// default counts nobody: a store that is not shared has one participant, its own
    /// process).
    fn participants<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<Vec<Participant>>> {
        let _ = (organization_id, now);
        Box::pin(async { Ok(Vec::new()) })
    }

    /// Keeps the organization's plan, read from `GET /organizations` at `checked_at`.
    fn save_plan<'a>(
        &'a self,
        organization_id: &'a str,
        plan: Plan,
        checked_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let _ = (organization_id, plan, checked_at);
        Box::pin(async { Ok(()) })
    }
}

/// The pure GCRA step shared by every store: given the stored theoretical arrival time and
/// pause, when may a call arriving `now` be sent, and what is the new arrival time.
///
/// A call may go at `max(now, tat - burst * interval, paused_until)`; the new `tat` is
/// `max(tat, now, paused_until) + interval`. Reserving the slot (rather than asking again
/// later) keeps processes from polling each other.
///
/// Every time is in microseconds since the Unix epoch: an interval of 10.15 ms stored in
/// milliseconds would round to 10 ms and silently spend the safety margin.
pub fn gcra_reserve(
    now_us: i64,
    tat_us: i64,
    paused_until_us: i64,
    policy: PacingPolicy,
) -> (i64, i64) {
    let interval = i64::try_from(policy.interval.as_micros()).unwrap_or(i64::MAX);
    let tolerance = interval.saturating_mul(i64::from(policy.burst));
    let tat = tat_us.max(now_us);
    let at = (tat - tolerance).max(now_us).max(paused_until_us);
    let new_tat = tat.max(paused_until_us).saturating_add(interval);
    (at, new_tat)
}

/// The pure daily-ledger step: `(used, limit, resets_at_ms)` of the current window after
/// admitting one call, or `Err(resets_at_ms)` when the quota is spent.
pub fn ledger_admit(
    now_ms: i64,
    row: Option<(u32, u32, i64)>,
    policy: DailyPolicy,
) -> Result<(u32, u32, i64), i64> {
    let day_ms = i64::try_from(policy.day.as_millis()).unwrap_or(i64::MAX);
    let (used, limit, resets_at) = match row {
        Some((used, limit, resets_at)) if now_ms < resets_at => (used, limit, resets_at),
        // No row, or the day is over: a new day starts with this call.
        _ => (0, policy.limit, now_ms.saturating_add(day_ms)),
    };
    if used >= limit {
        return Err(resets_at);
    }
    Ok((used + 1, limit, resets_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: i64 = 1000;

    fn pacing(ms: u64, burst: u32) -> PacingPolicy {
        PacingPolicy {
            interval: Duration::from_millis(ms),
            burst,
        }
    }

    #[test]
    fn gcra_spaces_calls_evenly_after_the_burst() {
        let (mut tat, mut slots) = (0, Vec::new());
        for _ in 0..5 {
            let (at, new_tat) = gcra_reserve(1000 * MS, tat, 0, pacing(100, 1));
            slots.push(at / MS);
            tat = new_tat;
        }
        assert_eq!(slots, [1000, 1000, 1100, 1200, 1300]);
    }

    #[test]
    fn gcra_never_exceeds_the_limit_in_any_window() {
        // 100 calls per 1000 ms, burst 0: any half-open window of 1000 ms holds at most 100.
        let (mut tat, mut slots) = (0, Vec::new());
        for i in 0..1000 {
            let now = 5_000 + i / 3; // callers arrive faster than the rate
            let (at, new_tat) = gcra_reserve(now * MS, tat, 0, pacing(10, 0));
            slots.push(at / MS);
            tat = new_tat;
        }
        for (i, start) in slots.iter().enumerate() {
            let in_window = slots[i..].iter().take_while(|s| **s < start + 1000).count();
            assert!(in_window <= 100, "{in_window} at {start}");
        }
    }

    #[test]
    fn gcra_waits_out_a_pause() {
        let (at, tat) = gcra_reserve(1000 * MS, 0, 5000 * MS, pacing(10, 3));
        assert_eq!(at, 5000 * MS);
        assert_eq!(tat, 5010 * MS);
    }

    #[test]
    fn gcra_keeps_sub_millisecond_spacing() {
        let interval = PacingPolicy {
            interval: Duration::from_micros(10_150),
            burst: 0,
        };
        let mut tat = 0;
        for _ in 0..100 {
            tat = gcra_reserve(0, tat, 0, interval).1;
        }
        assert_eq!(tat, 1_015_000);
    }

    #[test]
    fn ledger_counts_refuses_and_resets() {
        let policy = DailyPolicy {
            limit: 2,
            day: Duration::from_secs(10),
        };
        let row = ledger_admit(0, None, policy).unwrap();
        assert_eq!(row, (1, 2, 10_000));
        let row = ledger_admit(1, Some(row), policy).unwrap();
        assert_eq!(ledger_admit(2, Some(row), policy), Err(10_000));
        assert_eq!(ledger_admit(10_000, Some(row), policy), Ok((1, 2, 20_000)));
    }

    #[test]
    fn token_key_holds_no_secret() {
        let secret = Secret::new("1000.canarycanarycanary.refresh");
        let key = TokenKey::for_refresh_token("https://accounts.zoho.in/", "1000.CLIENT", &secret);
        assert!(!key.as_str().contains("canary"));
        assert!(
            key.as_str()
                .starts_with("https://accounts.zoho.in|1000.CLIENT|")
        );
    }
}
