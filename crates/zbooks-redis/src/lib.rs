//! The client's shared state on Redis, so that one organization's budget and tokens hold across
//! machines (issue 16): [`RedisStore`] implements `zbooks-client`'s [`LimitStore`] and
//! [`TokenStore`] with exactly the semantics of the in-memory and SQLite stores, plus in-flight
//! leases that expire when their holder dies.
//!
//! Every decision is one Lua script run atomically by Redis through `EVALSHA` (one round trip
//! a call): the GCRA pacing slot, the pause after a 429/44 and the daily ledger with its reset
//! in one script; the refresh lock as a value holding a per-store random fencing token, set with
//! a `PX` time to live and released by compare-and-delete. Times are the caller's (the injected
//! clock), as in the other stores; key lifetimes use Redis's own clock, relative, only so that a
//! dead holder's lock or lease disappears. Keys start with a configurable prefix (default
//! `zbooks:`) so tests and tenants can share one server.
//!
//! Beyond the other stores:
//!
//! - **In-flight leases** ([`LimitStore::acquire_in_flight`]): a sorted set of holders scored
//!   by the lease's end; expired ones are dropped before counting, so a holder that died frees
//!   its place when its lease ends (the key also carries a `PX` time to live).
//! - **Participants**: a store opened with [`RedisOptions::participant`] (the CLI names it
//!   `<command> on <host> pid <pid>`) has the admit script count its calls in the same round
//!   trip: in the last 60 seconds, in the ledger's day, and its last call; with the leases it
//!   holds, [`LimitStore::participants`] lists them for `zbooks quota`.
//! - **One clock**: [`LimitStore::server_time`] is Redis's `TIME`. The client measures its
//!   offset from it and passes every time on Redis's clock, so a machine whose clock is off by
//!   seconds still paces on the same slots as the others.
//! - **A restart without persistence** empties the pacing state. Each store remembers the
//!   latest theoretical arrival time the admit script returned to it (every process's
//!   reservations up to its last call) and passes it along: on a fresh hash the script starts
//!   the schedule there and grants no burst. The client's limiter adds its own floor (no slot
//!   before the latest it was granted, local ones included). Only the reservations other
//!   processes made after this process's last call can be overlapped: a few calls, within the
//!   pacing margin. See docs/running-across-machines.md.
//!
//! This crate is its own so that only builds that ask for Redis compile the `redis` crate, and
//! so that `zbooks-store` (SQLite, PostgreSQL) and `zbooks-client` never depend on it. It never
//! sees HTTP and never logs a secret; the access token is the only secret it stores.
//!
//! When Redis does not answer, every call returns a [`StoreError`]; the client then sends
//! nothing (a store error is never retried), so the limit is never exceeded.
//! [`FallbackStore`] keeps callers going instead on a conservative local share, and says so.
//!
//! [`RedisStore::answers`] keeps `zbooks gateway`'s `Idempotency-Key` answers on the same
//! server, so gateways sharing the state share their keys.

mod answers;
mod fallback;

use std::fmt;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands as _, Script};
use zbooks_client::store::{
    Admission, DailyPolicy, DailyUsage, LeaseAdmission, LimitStore, LimitsSnapshot, PacingPolicy,
    Participant, ServerQuota, StoreError, StoreResult, StoredToken, TokenAdmission, TokenKey,
    TokenRequestPolicy, TokenStore,
};
use zbooks_client::time::{BoxFuture, from_micros, from_millis, to_micros, to_millis};
use zbooks_types::{Plan, Secret};

pub use answers::RedisAnswers;
pub use fallback::{FallbackStore, LOCAL_SHARE, Notice, PROBE_EVERY, RECOVERY_GRACE};

/// The key prefix used when none is given.
pub const DEFAULT_PREFIX: &str = "zbooks:";

/// Keys with no natural end (a ledger, a plan, a cached token) live this long past their last
/// use so that an abandoned organization does not stay in Redis for ever.
const IDLE_TTL: Duration = Duration::from_hours(48);

/// One admission, atomically: the daily ledger (reset when its day is over, refused when
/// spent, nothing written then), then the GCRA slot after any pause. Mirrors
/// `zbooks_client::store::{ledger_admit, gcra_reserve}` line for line. When the store has a
/// participant name (`ARGV[10]`) and a unit of quota was counted, the same script counts the
/// call for it: KEYS\[2\] the organization's participants scored by their last call, KEYS\[3\]
/// the participant's hash (calls in the ledger's day, that day's reset, last call, fencing
/// prefix of its leases), KEYS\[4\] its calls of the last 60 seconds. `ARGV[13]` is the
/// latest theoretical arrival time this client saw: when the hash holds none (Redis lost it),
/// the schedule starts there, with no burst. The reply carries the new one.
///
/// Lua numbers are doubles: microseconds since 1970 (~1.8e15) are exact below 2^53, and every
/// number written back goes through `%d` (a bare `tostring` would print `1.8e+15`).
const ADMIT: &str = r"
local h = redis.call('HMGET', KEYS[1], 'tat_us', 'paused_ms', 'used', 'limit', 'resets_ms')
local tat = tonumber(h[1]) or 0
local paused = tonumber(h[2]) or 0
local used, limit, resets = tonumber(h[3]), tonumber(h[4]), tonumber(h[5])
local now_ms, now_us = tonumber(ARGV[1]), tonumber(ARGV[2])
local ttl_ms = tonumber(ARGV[9])
if ARGV[6] == '1' then
  if not (used and limit and resets and now_ms < resets) then
    used, limit, resets = 0, tonumber(ARGV[7]), now_ms + tonumber(ARGV[8])
  end
  if used >= limit then
    return {0, string.format('%d', resets)}
  end
  used = used + 1
  redis.call('HSET', KEYS[1], 'used', string.format('%d', used),
    'limit', string.format('%d', limit), 'resets_ms', string.format('%d', resets))
  ttl_ms = math.max(ttl_ms, resets - now_ms)
end
local at_us
if ARGV[3] == '1' then
  local interval = tonumber(ARGV[4])
  local tolerance = interval * tonumber(ARGV[5])
  local floor = tonumber(ARGV[13]) or 0
  if not h[1] and floor > 0 then
    -- A fresh schedule (Redis lost it) while this client saw calls reserved up to floor:
    -- start after them, and grant no burst over them.
    tat = floor
    tolerance = 0
  end
  local t = math.max(tat, now_us)
  at_us = math.max(t - tolerance, now_us, paused * 1000)
  tat = math.max(t, paused * 1000) + interval
  redis.call('HSET', KEYS[1], 'tat_us', string.format('%d', tat))
else
  at_us = math.max(now_ms, paused) * 1000
end
if redis.call('PTTL', KEYS[1]) < ttl_ms then
  redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl_ms))
end
if ARGV[10] ~= '' and ARGV[6] == '1' then
  local idle = tonumber(ARGV[9])
  redis.call('ZADD', KEYS[2], string.format('%d', now_ms), ARGV[10])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now_ms - idle))
  local today = 0
  if tonumber(redis.call('HGET', KEYS[3], 'resets_ms')) == resets then
    today = tonumber(redis.call('HGET', KEYS[3], 'today')) or 0
  end
  redis.call('HSET', KEYS[3], 'today', string.format('%d', today + 1),
    'resets_ms', string.format('%d', resets), 'last_ms', string.format('%d', now_ms),
    'fence', ARGV[11])
  redis.call('ZADD', KEYS[4], string.format('%d', now_ms), ARGV[12])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', string.format('%d', now_ms - 60000))
  for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], string.format('%d', idle)) end
end
local is_paused = 0
if paused > now_ms then is_paused = 1 end
return {1, string.format('%d', at_us), is_paused, string.format('%d', tat)}
";

/// Raises a hash field to at least `ARGV[2]` (a pause, a cool-down never shortens).
const RAISE: &str = r"
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return 1
";

/// Marks the daily quota spent: used = limit (the limit kept, 0 if none), until the reset.
const EXHAUST: &str = r"
local limit = redis.call('HGET', KEYS[1], 'limit') or '0'
redis.call('HSET', KEYS[1], 'used', limit, 'limit', limit, 'resets_ms', ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
";

/// Takes the refresh lock if it is free, already ours, or its lease (by the caller's clock)
/// ran out; the value is `fencing-token SP until_ms`, and `PX` frees it in Redis's own time
/// when the holder dies.
const LOCK: &str = r"
local v = redis.call('GET', KEYS[1])
if v then
  local sp = string.find(v, ' ', 1, true)
  local holder, until_ms = string.sub(v, 1, sp - 1), tonumber(string.sub(v, sp + 1))
  if holder ~= ARGV[1] and until_ms > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[3], 'PX', ARGV[4])
return 1
";

/// Compare-and-delete: releases the lock only if it still holds our fencing token.
const UNLOCK: &str = r"
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ' ' then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Zoho's token-request window: KEYS\[1\] a sorted set of request times, KEYS\[2\] the state
/// hash holding the cool-down. Drops requests at or before `now - window`, then counts.
const ADMIT_TOKEN: &str = r"
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local cool = tonumber(redis.call('HGET', KEYS[2], 'cooldown_ms')) or 0
if cool > now then return {0, string.format('%d', cool)} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - window))
if redis.call('ZCARD', KEYS[1]) >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, string.format('%d', tonumber(oldest[2]) + window)}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, '0'}
";

/// Takes an in-flight lease: KEYS\[1\] a sorted set of holders scored by lease end (caller's
/// clock); expired leases are dropped first, so a dead holder's lease frees itself.
const ACQUIRE_LEASE: &str = r"
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0
";

/// How to reach Redis and name keys there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedisOptions {
    /// The server's URL, `redis://host:port/db` (a password in it is never printed).
    pub url: String,
    /// Prepended to every key (default [`DEFAULT_PREFIX`]).
    pub prefix: String,
    /// How long one command (or one connection attempt) may take before it is an error.
    pub timeout: Duration,
    /// The name this process's calls are counted under (`zbooks quota`: who is using the
    /// budget), e.g. `worker on db-2 pid 4121`; `None` counts nothing per participant.
    pub participant: Option<String>,
}

impl RedisOptions {
    /// The options for `url`, with the default prefix and a 2-second timeout.
    pub fn new(url: impl Into<String>) -> Self {
        RedisOptions {
            url: url.into(),
            prefix: DEFAULT_PREFIX.to_owned(),
            timeout: Duration::from_secs(2),
            participant: None,
        }
    }

    /// The same options, counting this process's calls under `name` (see
    /// [`RedisOptions::participant`](RedisOptions#structfield.participant)).
    #[must_use]
    pub fn participant(mut self, name: impl Into<String>) -> Self {
        self.participant = Some(name.into());
        self
    }

    /// The options a state URL names: `redis://[:password@]host[:port][/db][?prefix=name:]`
    /// (`prefix` is ours, the rest goes to the `redis` crate as it is).
    pub fn from_url(url: &str) -> StoreResult<Self> {
        if !url.starts_with("redis://") || url.contains(char::is_whitespace) {
            return Err(StoreError::new(
                "a shared state URL starts with redis:// (rediss:// is not supported)",
            ));
        }
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut prefix = None;
        let mut rest = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.strip_prefix("prefix=") {
                Some(value) => prefix = Some(value.to_owned()),
                None => rest.push(pair),
            }
        }
        let url = if rest.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", rest.join("&"))
        };
        redis::Client::open(url.as_str()).map_err(|e| store_error("invalid state URL", &e))?;
        let options = RedisOptions::new(url);
        Ok(match prefix {
            Some(prefix) => options.prefix(prefix),
            None => options,
        })
    }

    /// The same options with another key prefix.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }
}

/// The scripts, loaded once per store (`EVALSHA`, falling back to `EVAL` after a restart).
struct Scripts {
    admit: Script,
    raise: Script,
    exhaust: Script,
    lock: Script,
    unlock: Script,
    admit_token: Script,
    acquire_lease: Script,
}

/// Budget, daily ledger, pause, in-flight leases and token cache on one Redis server, shared
/// by every process (on every machine) pointed at it with the same prefix.
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
    /// This store's part of every fencing token: holder names are only unique per machine
    /// (they carry a pid), so two machines' clients could share one.
    fence: String,
    nonce: AtomicU64,
    participant: Option<String>,
    /// The latest theoretical arrival time this store saw per organization, in microseconds:
    /// the floor of a schedule Redis lost.
    seen_tat: std::sync::Mutex<std::collections::HashMap<String, i64>>,
    scripts: Scripts,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// A random 64-bit number from the standard library's per-process hash keys (no RNG crate:
/// this only has to differ between processes and machines, not be unpredictable).
fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}

fn store_error(what: &str, err: &redis::RedisError) -> StoreError {
    // RedisError's Display never carries the URL's password; scrub anyway.
    StoreError::new(format!("redis: {what}: {err}"))
}

fn dur_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Durations handed to Lua stay below 2^53 microseconds (~285 years) so they stay exact.
fn lua_us(d: Duration) -> i64 {
    i64::try_from(d.as_micros())
        .unwrap_or(i64::MAX)
        .min(1 << 52)
}

fn parse_i64(text: &str) -> StoreResult<i64> {
    text.parse()
        .map_err(|_| StoreError::new(format!("redis: unexpected number {text:?}")))
}

impl RedisStore {
    /// A store on `options.url`. Connects lazily: an unreachable server is an error on the
    /// first call, not here (so a CLI that never calls Zoho never waits for Redis). Call it
    /// inside a Tokio runtime: the connection manager runs its reconnections there.
    pub fn open(options: &RedisOptions) -> StoreResult<Self> {
        let client = redis::Client::open(options.url.as_str())
            .map_err(|e| store_error("invalid state URL", &e))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(options.timeout))
            .set_response_timeout(Some(options.timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| store_error("cannot set up the connection", &e))?;
        Ok(RedisStore {
            conn,
            prefix: options.prefix.clone(),
            fence: format!("{:016x}", random_u64()),
            nonce: AtomicU64::new(random_u64()),
            participant: options.participant.clone(),
            seen_tat: std::sync::Mutex::default(),
            scripts: Scripts {
                admit: Script::new(ADMIT),
                raise: Script::new(RAISE),
                exhaust: Script::new(EXHAUST),
                lock: Script::new(LOCK),
                unlock: Script::new(UNLOCK),
                admit_token: Script::new(ADMIT_TOKEN),
                acquire_lease: Script::new(ACQUIRE_LEASE),
            },
        })
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Answers whether the server is reachable (`PING`).
    pub async fn ping(&self) -> StoreResult<()> {
        let mut conn = self.conn.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(drop)
            .map_err(|e| store_error("ping", &e))
    }

    /// Deletes every key under this store's prefix (tests, `zbooks` never calls it).
    pub async fn delete_all(&self) -> StoreResult<()> {
        let mut conn = self.conn.clone();
        let pattern = format!("{}*", self.prefix);
        let mut keys = Vec::new();
        {
            let mut iter = conn
                .scan_match::<_, String>(&pattern)
                .await
                .map_err(|e| store_error("scan", &e))?;
            while let Some(key) = futures_next(&mut iter).await {
                keys.push(key.map_err(|e| store_error("scan", &e))?);
            }
        }
        if !keys.is_empty() {
            let mut conn = self.conn.clone();
            conn.del::<_, ()>(keys)
                .await
                .map_err(|e| store_error("delete", &e))?;
        }
        Ok(())
    }

    fn org_key(&self, org: &str) -> String {
        format!("{}org:{org}", self.prefix)
    }

    fn token_key(&self, kind: &str, key: &TokenKey) -> String {
        format!("{}{kind}:{}", self.prefix, key.as_str())
    }

    fn fencing_token(&self, holder: &str) -> String {
        // Spaces separate the token from the lease end in the stored value.
        format!("{}/{}", self.fence, holder.replace(' ', "_"))
    }

    fn seen_tat(&self, org: &str) -> i64 {
        self.seen_tat
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(org)
            .copied()
            .unwrap_or(0)
    }

    fn saw_tat(&self, org: &str, tat: i64) {
        let mut seen = self
            .seen_tat
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = seen.entry(org.to_owned()).or_default();
        *entry = (*entry).max(tat);
    }

    fn lease_key(&self, org: &str) -> String {
        format!("{}inflight:{org}", self.prefix)
    }

    fn who_key(&self, org: &str) -> String {
        format!("{}who:{org}", self.prefix)
    }

    fn participant_key(&self, org: &str, name: &str) -> String {
        format!("{}who:{org}:{name}", self.prefix)
    }

    fn participant_calls_key(&self, org: &str, name: &str) -> String {
        format!("{}who-calls:{org}:{name}", self.prefix)
    }

    /// The organizations this store holds a budget for (for `zbooks quota`), sorted.
    pub async fn organizations(&self) -> StoreResult<Vec<String>> {
        let mut conn = self.conn.clone();
        let head = format!("{}org:", self.prefix);
        let mut orgs = Vec::new();
        let mut iter = conn
            .scan_match::<_, String>(format!("{head}*"))
            .await
            .map_err(|e| store_error("scan", &e))?;
        while let Some(key) = futures_next(&mut iter).await {
            let key = key.map_err(|e| store_error("scan", &e))?;
            if let Some(org) = key.strip_prefix(&head) {
                orgs.push(org.to_owned());
            }
        }
        orgs.sort();
        orgs.dedup();
        Ok(orgs)
    }

    /// The in-flight leases of the organization still running at `now`.
    pub async fn in_flight(&self, organization_id: &str, now: SystemTime) -> StoreResult<u32> {
        let mut conn = self.conn.clone();
        let count: u64 = conn
            .zcount(
                self.lease_key(organization_id),
                format!("({}", to_millis(now)),
                "+inf",
            )
            .await
            .map_err(|e| store_error("in-flight count", &e))?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}

/// The fields of an organization's hash: tat_us, paused_ms, used, limit, resets_ms.
type OrgFields = (
    Option<i64>,
    Option<i64>,
    Option<u32>,
    Option<u32>,
    Option<i64>,
);

/// The next item of a scan stream, without a futures dependency.
async fn futures_next<T>(iter: &mut redis::AsyncIter<'_, T>) -> Option<redis::RedisResult<T>>
where
    T: redis::FromRedisValue + Unpin + Send + 'static,
{
    iter.next_item().await
}

impl TokenStore for RedisStore {
    fn load_token<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, StoreResult<Option<StoredToken>>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let fields: (Option<String>, Option<i64>, Option<String>, Option<i64>) =
                redis::cmd("HMGET")
                    .arg(self.token_key("token", key))
                    .arg(&["access", "expires_ms", "api_domain", "lifetime_ms"])
                    .query_async(&mut conn)
                    .await
                    .map_err(|e| store_error("load token", &e))?;
            Ok(match fields {
                (Some(access), Some(expires), domain, lifetime) => Some(StoredToken {
                    access_token: Secret::new(access),
                    expires_at: from_millis(expires),
                    api_domain: domain.filter(|d| !d.is_empty()),
                    lifetime: lifetime
                        .filter(|ms| *ms >= 0)
                        .and_then(|ms| u64::try_from(ms).ok())
                        .map(Duration::from_millis),
                }),
                _ => None,
            })
        })
    }

    fn save_token<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let redis_key = self.token_key("token", key);
            redis::pipe()
                .atomic()
                .del(&redis_key)
                .ignore()
                .hset_multiple(
                    &redis_key,
                    &[
                        ("access", token.access_token.expose().to_owned()),
                        ("expires_ms", to_millis(token.expires_at).to_string()),
                        ("api_domain", token.api_domain.clone().unwrap_or_default()),
                        ("lifetime_ms", token.lifetime.map_or(-1, dur_ms).to_string()),
                    ],
                )
                .ignore()
                .pexpire(&redis_key, dur_ms(IDLE_TTL))
                .ignore()
                .query_async::<()>(&mut conn)
                .await
                .map_err(|e| store_error("save token", &e))
        })
    }

    fn try_lock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
        now: SystemTime,
        lease: Duration,
    ) -> BoxFuture<'a, StoreResult<bool>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let now = to_millis(now);
            let taken: i64 = self
                .scripts
                .lock
                .key(self.token_key("token-lock", key))
                .arg(self.fencing_token(holder))
                .arg(now)
                .arg(now.saturating_add(dur_ms(lease)))
                .arg(dur_ms(lease).max(1))
                .invoke_async(&mut conn)
                .await
                .map_err(|e| store_error("refresh lock", &e))?;
            Ok(taken == 1)
        })
    }

    fn unlock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            self.scripts
                .unlock
                .key(self.token_key("token-lock", key))
                .arg(self.fencing_token(holder))
                .invoke_async::<i64>(&mut conn)
                .await
                .map(drop)
                .map_err(|e| store_error("refresh unlock", &e))
        })
    }

    fn admit_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
        now: SystemTime,
        policy: TokenRequestPolicy,
    ) -> BoxFuture<'a, StoreResult<TokenAdmission>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let nonce = self.nonce.fetch_add(1, Ordering::Relaxed);
            let window = dur_ms(policy.window);
            let (granted, until): (i64, String) = self
                .scripts
                .admit_token
                .key(self.token_key("token-requests", key))
                .key(self.token_key("token-state", key))
                .arg(to_millis(now))
                .arg(window)
                .arg(policy.max)
                .arg(format!("{}-{nonce:x}", self.fence))
                .arg(window.max(1))
                .invoke_async(&mut conn)
                .await
                .map_err(|e| store_error("token request", &e))?;
            Ok(if granted == 1 {
                TokenAdmission::Granted
            } else {
                TokenAdmission::Denied {
                    until: from_millis(parse_i64(&until)?),
                }
            })
        })
    }

    fn cool_down<'a>(
        &'a self,
        key: &'a TokenKey,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            self.scripts
                .raise
                .key(self.token_key("token-state", key))
                .arg("cooldown_ms")
                .arg(to_millis(until))
                .arg(dur_ms(IDLE_TTL))
                .invoke_async::<i64>(&mut conn)
                .await
                .map(drop)
                .map_err(|e| store_error("token cool-down", &e))
        })
    }
}

impl LimitStore for RedisStore {
    fn admit<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
        pacing: Option<PacingPolicy>,
        daily: Option<DailyPolicy>,
    ) -> BoxFuture<'a, StoreResult<Admission>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let name = self.participant.as_deref().unwrap_or("");
            let mut script = self.scripts.admit.key(self.org_key(organization_id));
            script
                .key(self.who_key(organization_id))
                .key(self.participant_key(organization_id, name))
                .key(self.participant_calls_key(organization_id, name));
            script.arg(to_millis(now)).arg(to_micros(now));
            match pacing {
                Some(p) => script.arg(1).arg(lua_us(p.interval)).arg(p.burst),
                None => script.arg(0).arg(0).arg(0),
            };
            match daily {
                Some(d) => script.arg(1).arg(d.limit).arg(lua_us(d.day) / 1000),
                None => script.arg(0).arg(0).arg(0),
            };
            let nonce = self.nonce.fetch_add(1, Ordering::Relaxed);
            let floor = self.seen_tat(organization_id);
            script
                .arg(dur_ms(IDLE_TTL))
                .arg(name)
                .arg(&self.fence)
                .arg(format!("{}-{nonce:x}", self.fence))
                .arg(floor);
            let reply: Vec<String> = script
                .invoke_async(&mut conn)
                .await
                .map_err(|e| store_error("admit", &e))?;
            match reply.as_slice() {
                [flag, resets] if flag == "0" => Ok(Admission::QuotaExhausted {
                    resets_at: from_millis(parse_i64(resets)?),
                }),
                [flag, at_us, paused, tat] if flag == "1" => {
                    self.saw_tat(organization_id, parse_i64(tat)?);
                    Ok(Admission::Send {
                        at: from_micros(parse_i64(at_us)?),
                        paused: paused == "1",
                    })
                }
                _ => Err(StoreError::new("redis: unexpected reply to admit")),
            }
        })
    }

    fn pause<'a>(
        &'a self,
        organization_id: &'a str,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            self.scripts
                .raise
                .key(self.org_key(organization_id))
                .arg("paused_ms")
                .arg(to_millis(until))
                .arg(dur_ms(IDLE_TTL))
                .invoke_async::<i64>(&mut conn)
                .await
                .map(drop)
                .map_err(|e| store_error("pause", &e))
        })
    }

    fn record_server_quota<'a>(
        &'a self,
        organization_id: &'a str,
        quota: ServerQuota,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let key = self.org_key(organization_id);
            redis::pipe()
                .atomic()
                .hset_multiple(
                    &key,
                    &[
                        (
                            "used",
                            i64::from(quota.limit.saturating_sub(quota.remaining)),
                        ),
                        ("limit", i64::from(quota.limit)),
                        ("resets_ms", to_millis(quota.resets_at)),
                    ],
                )
                .ignore()
                .pexpire(&key, dur_ms(IDLE_TTL))
                .ignore()
                .query_async::<()>(&mut conn)
                .await
                .map_err(|e| store_error("record quota", &e))
        })
    }

    fn exhaust_daily<'a>(
        &'a self,
        organization_id: &'a str,
        resets_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            self.scripts
                .exhaust
                .key(self.org_key(organization_id))
                .arg(to_millis(resets_at))
                .arg(dur_ms(IDLE_TTL))
                .invoke_async::<i64>(&mut conn)
                .await
                .map(drop)
                .map_err(|e| store_error("exhaust quota", &e))
        })
    }

    fn snapshot<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let (tat_us, paused_ms, used, limit, resets_ms): OrgFields = redis::cmd("HMGET")
                .arg(self.org_key(organization_id))
                .arg(&["tat_us", "paused_ms", "used", "limit", "resets_ms"])
                .query_async(&mut conn)
                .await
                .map_err(|e| store_error("snapshot", &e))?;
            let now_ms = to_millis(now);
            let (tat_us, paused_ms) = (tat_us.unwrap_or(0), paused_ms.unwrap_or(0));
            Ok(LimitsSnapshot {
                daily: match (used, limit, resets_ms) {
                    (Some(used), Some(limit), Some(resets)) if resets > now_ms => {
                        Some(DailyUsage {
                            used,
                            limit,
                            resets_at: from_millis(resets),
                        })
                    }
                    _ => None,
                },
                paused_until: (paused_ms > now_ms).then(|| from_millis(paused_ms)),
                next_slot: (tat_us > now_ms.saturating_mul(1000)).then(|| from_micros(tat_us)),
            })
        })
    }

    fn load_plan<'a>(
        &'a self,
        organization_id: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(Plan, SystemTime)>>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let (plan, checked): (Option<String>, Option<i64>) = redis::cmd("HMGET")
                .arg(format!("{}plan:{organization_id}", self.prefix))
                .arg(&["plan", "checked_ms"])
                .query_async(&mut conn)
                .await
                .map_err(|e| store_error("load plan", &e))?;
            // A plan name a newer build wrote and this one does not know is read again.
            Ok(plan
                .zip(checked)
                .and_then(|(plan, checked)| Some((plan.parse().ok()?, from_millis(checked)))))
        })
    }

    fn acquire_in_flight<'a>(
        &'a self,
        organization_id: &'a str,
        holder: &'a str,
        cap: u32,
        now: SystemTime,
        lease: Duration,
    ) -> BoxFuture<'a, StoreResult<LeaseAdmission>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let now = to_millis(now);
            let taken: i64 = self
                .scripts
                .acquire_lease
                .key(self.lease_key(organization_id))
                .arg(now)
                .arg(cap)
                .arg(self.fencing_token(holder))
                .arg(now.saturating_add(dur_ms(lease)))
                .arg(dur_ms(lease).max(1))
                .invoke_async(&mut conn)
                .await
                .map_err(|e| store_error("in-flight lease", &e))?;
            Ok(if taken == 1 {
                LeaseAdmission::Granted
            } else {
                LeaseAdmission::Busy
            })
        })
    }

    fn release_in_flight<'a>(
        &'a self,
        organization_id: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            conn.zrem::<_, _, ()>(self.lease_key(organization_id), self.fencing_token(holder))
                .await
                .map_err(|e| store_error("in-flight release", &e))
        })
    }

    fn server_time(&self) -> BoxFuture<'_, StoreResult<Option<SystemTime>>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let (secs, micros): (i64, i64) = redis::cmd("TIME")
                .query_async(&mut conn)
                .await
                .map_err(|e| store_error("time", &e))?;
            Ok(Some(from_micros(
                secs.saturating_mul(1_000_000).saturating_add(micros),
            )))
        })
    }

    fn participants<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<Vec<Participant>>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let now_ms = to_millis(now);
            let names: Vec<String> = conn
                .zrange(self.who_key(organization_id), 0, -1)
                .await
                .map_err(|e| store_error("participants", &e))?;
            let leases: Vec<String> = conn
                .zrangebyscore(
                    self.lease_key(organization_id),
                    format!("({now_ms}"),
                    "+inf",
                )
                .await
                .map_err(|e| store_error("participants", &e))?;
            let mut found = Vec::new();
            for name in names {
                let (today, resets_ms, last_ms, fence): (
                    Option<u32>,
                    Option<i64>,
                    Option<i64>,
                    Option<String>,
                ) = redis::cmd("HMGET")
                    .arg(self.participant_key(organization_id, &name))
                    .arg(&["today", "resets_ms", "last_ms", "fence"])
                    .query_async(&mut conn)
                    .await
                    .map_err(|e| store_error("participants", &e))?;
                let Some(last_ms) = last_ms else {
                    continue;
                };
                let minute: u64 = conn
                    .zcount(
                        self.participant_calls_key(organization_id, &name),
                        format!("({}", now_ms - 60_000),
                        "+inf",
                    )
                    .await
                    .map_err(|e| store_error("participants", &e))?;
                let in_flight = fence.map_or(0, |fence| {
                    let mine = format!("{fence}/");
                    leases.iter().filter(|l| l.starts_with(&mine)).count()
                });
                found.push(Participant {
                    name,
                    calls_last_minute: u32::try_from(minute).unwrap_or(u32::MAX),
                    calls_today: if resets_ms.is_some_and(|r| r > now_ms) {
                        today.unwrap_or(0)
                    } else {
                        0
                    },
                    last_call: from_millis(last_ms),
                    in_flight: u32::try_from(in_flight).unwrap_or(u32::MAX),
                });
            }
            // By name, and only those with something to count, as every store lists them (the
            // conformance suite holds it).
            found.retain(|p| p.calls_last_minute + p.calls_today + p.in_flight > 0);
            found.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(found)
        })
    }

    fn save_plan<'a>(
        &'a self,
        organization_id: &'a str,
        plan: Plan,
        checked_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let key = format!("{}plan:{organization_id}", self.prefix);
            redis::pipe()
                .atomic()
                .hset_multiple(
                    &key,
                    &[
                        ("plan", plan.name().to_owned()),
                        ("checked_ms", to_millis(checked_at).to_string()),
                    ],
                )
                .ignore()
                .pexpire(&key, dur_ms(IDLE_TTL))
                .ignore()
                .query_async::<()>(&mut conn)
                .await
                .map_err(|e| store_error("save plan", &e))
        })
    }
}
