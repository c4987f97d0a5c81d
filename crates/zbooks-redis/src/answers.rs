//! The gateway's `Idempotency-Key` answers on Redis ([`RedisAnswers`]), so gateways on several
//! machines sharing one state share their keys: a create retried on another gateway gets the
//! first answer, and one retried while the first is still in flight waits for it.
//!
//! One key per idempotency key, `<prefix>gateway:idem:<key>`, holding either a pending marker
//! `p:<until_ms>:<holder>` (set by the claim, `SET … PX`, only when the key is free) or the
//! answer `a:<expires_ms>:<status>\n<content type>\n<body>`. Claim, save and release are each
//! one Lua script, so two gateways never both find a key free. Times are the caller's, as in
//! the other stores; the `PX` time to live (Redis's clock, relative) only makes expired
//! entries disappear.

use std::time::{Duration, SystemTime};

use redis::Script;
use redis::aio::ConnectionManager;
use zbooks_client::time::BoxFuture;
use zbooks_gateway::{AnswerStore, Claim, GatewayError, StoredAnswer};

use crate::RedisStore;

/// Claims a key: `{0, nil}` when set for the caller, `{1, value}` with a live answer, `{2, nil}` with a
/// live marker. KEYS[1] the key; ARGV: now (ms), the marker, its time to live (ms).
const CLAIM: &str = r"
local v = redis.call('GET', KEYS[1])
if v then
  local kind, until_ms = string.match(v, '^(%a):(%d+):')
  if until_ms and tonumber(until_ms) > tonumber(ARGV[1]) then
    if kind == 'a' then return {1, v} end
    return {2, false}
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return {0, false}
";

/// Keeps an answer unless a live one is kept. ARGV: now (ms), the answer, its time to live.
const SAVE: &str = r"
local v = redis.call('GET', KEYS[1])
if v then
  local kind, until_ms = string.match(v, '^(%a):(%d+):')
  if kind == 'a' and until_ms and tonumber(until_ms) > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
";

/// Deletes a marker whose holder is ARGV[1] (the value ends with `:<holder>`).
const RELEASE: &str = r"
local v = redis.call('GET', KEYS[1])
local tail = ':' .. ARGV[1]
if v and string.sub(v, 1, 2) == 'p:' and string.sub(v, -#tail) == tail then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// `Idempotency-Key` answers under a [`RedisStore`]'s prefix (see the module docs).
pub struct RedisAnswers {
    conn: ConnectionManager,
    prefix: String,
    claim: Script,
    save: Script,
    release: Script,
}

impl std::fmt::Debug for RedisAnswers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisAnswers")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// The gateway's idempotency answers on this store's server, under its prefix.
    pub fn answers(&self) -> RedisAnswers {
        RedisAnswers {
            conn: self.conn.clone(),
            prefix: format!("{}gateway:idem:", self.prefix),
            claim: Script::new(CLAIM),
            save: Script::new(SAVE),
            release: Script::new(RELEASE),
        }
    }
}

fn gateway_error(what: &str, err: &redis::RedisError) -> GatewayError {
    GatewayError::Store(format!("redis: {what}: {err}"))
}

fn millis(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The time to live of an entry lasting until `until`, seen at `now` (at least 1 ms).
fn ttl_ms(now: SystemTime, until: SystemTime) -> i64 {
    let left = until.duration_since(now).unwrap_or(Duration::ZERO);
    i64::try_from(left.as_millis()).unwrap_or(i64::MAX).max(1)
}

/// `a:<expires_ms>:<status>\n<content type>\n<body>`.
fn encode(answer: &StoredAnswer, expires_at: SystemTime) -> Vec<u8> {
    let mut out = format!(
        "a:{}:{}\n{}\n",
        millis(expires_at),
        answer.status,
        answer.content_type.as_deref().unwrap_or("")
    )
    .into_bytes();
    out.extend_from_slice(&answer.body);
    out
}

fn decode(value: &[u8]) -> Result<StoredAnswer, GatewayError> {
    let bad = || GatewayError::Store("redis: an idempotency answer in an unknown shape".into());
    let mut parts = value.splitn(3, |b| *b == b'\n');
    let head = std::str::from_utf8(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
    let content_type = std::str::from_utf8(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
    let body = parts.next().ok_or_else(bad)?;
    let status = head
        .rsplit(':')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    Ok(StoredAnswer {
        status,
        content_type: (!content_type.is_empty()).then(|| content_type.to_owned()),
        body: body.to_vec(),
    })
}

impl AnswerStore for RedisAnswers {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
        now: SystemTime,
        pending_until: SystemTime,
    ) -> BoxFuture<'a, Result<Claim, GatewayError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let marker = format!("p:{}:{holder}", millis(pending_until));
            let (found, value): (i64, Option<Vec<u8>>) = self
                .claim
                .key(format!("{}{key}", self.prefix))
                .arg(millis(now))
                .arg(marker)
                .arg(ttl_ms(now, pending_until))
                .invoke_async::<(i64, Option<Vec<u8>>)>(&mut conn)
                .await
                .map_err(|e| gateway_error("claim an idempotency key", &e))?;
            match (found, value) {
                (0, _) => Ok(Claim::Mine),
                (1, Some(value)) => decode(&value).map(Claim::Kept),
                _ => Ok(Claim::Pending),
            }
        })
    }

    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            self.save
                .key(format!("{}{key}", self.prefix))
                .arg(millis(now))
                .arg(encode(answer, expires_at))
                .arg(ttl_ms(now, expires_at))
                .invoke_async::<i64>(&mut conn)
                .await
                .map(drop)
                .map_err(|e| gateway_error("keep an idempotency answer", &e))
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            self.release
                .key(format!("{}{key}", self.prefix))
                .arg(holder)
                .invoke_async::<i64>(&mut conn)
                .await
                .map(drop)
                .map_err(|e| gateway_error("free an idempotency key", &e))
        })
    }
}
