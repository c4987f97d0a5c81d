//! The conformance suite over `zbooks-client`'s store traits (`zbooks_testkit::store_conformance`,
//! shared with PostgreSQL's tests in `zbooks-pg`) run against the in-memory store, SQLite and
//! Redis (issue 16 §1: each backend passes the same tests), and what only the Redis store does.
//! Times come from the test, as the client's injected clock passes them; nothing waits on a
//! real clock. Each Redis test uses its own random key prefix and deletes its keys at the end,
//! even when it fails. Redis must answer on 127.0.0.1:6379 (`.ci/run` checks it first).

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::future::Future;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use zbooks_client::store::{
    Admission, DailyPolicy, LeaseAdmission, LimitStore, PacingPolicy, StoredToken, TokenKey,
    TokenStore,
};
use zbooks_client::time::BoxFuture;
use zbooks_redis::{FallbackStore, RedisOptions, RedisStore};
use zbooks_store::SqliteStore;
use zbooks_testkit::store_conformance::{Backend, t0};
use zbooks_types::Secret;

const REDIS_URL: &str = "redis://127.0.0.1:6379/0";

fn random_hex() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

/// Runs `body` on a Redis store with its own prefix, then deletes the prefix's keys, then
/// passes on the body's panic if it had one.
async fn with_redis<F, Fut>(body: F)
where
    F: FnOnce(Arc<RedisStore>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let options = RedisOptions::new(REDIS_URL).prefix(format!("zbooks-test:{}:", random_hex()));
    let store = Arc::new(RedisStore::open(&options).unwrap());
    store.ping().await.unwrap_or_else(|e| {
        panic!(
            "Redis does not answer on 127.0.0.1:6379 ({e}); start it with \
             `redis-server --bind 127.0.0.1 --port 6379 --save '' --daemonize yes`"
        )
    });
    let outcome = tokio::spawn(body(store.clone())).await;
    store.delete_all().await.unwrap();
    if let Err(err) = outcome {
        std::panic::resume_unwind(err.into_panic());
    }
}

/// An SQLite store in memory: one file's worth, so every participant gets the same store.
struct SqliteBackend(Arc<SqliteStore>);

impl Backend for SqliteBackend {
    type Store = SqliteStore;
    const SHARED: bool = false;

    fn open(&self, participant: &str) -> BoxFuture<'_, Arc<SqliteStore>> {
        let _ = participant;
        Box::pin(async { self.0.clone() })
    }
}

async fn with_sqlite<F, Fut>(body: F)
where
    F: FnOnce(SqliteBackend) -> Fut,
    Fut: Future<Output = ()>,
{
    body(SqliteBackend(Arc::new(
        SqliteStore::open_in_memory().unwrap(),
    )))
    .await;
}

/// Redis under one test's key prefix: every store opened is another process on it.
struct RedisBackend {
    options: RedisOptions,
}

impl Backend for RedisBackend {
    type Store = RedisStore;
    const SHARED: bool = true;

    fn open(&self, participant: &str) -> BoxFuture<'_, Arc<RedisStore>> {
        let options = self.options.clone().participant(participant);
        Box::pin(async move { Arc::new(RedisStore::open(&options).unwrap()) })
    }
}

/// Runs `body` on Redis under a prefix of its own through [`with_redis`].
async fn with_redis_backend<F, Fut>(body: F)
where
    F: FnOnce(RedisBackend) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    with_redis(|store| async move {
        let options = RedisOptions::new(REDIS_URL).prefix(store.prefix());
        body(RedisBackend { options }).await;
    })
    .await;
}

mod memory {
    zbooks_testkit::store_conformance!(zbooks_testkit::store_conformance::with_memory);
}

mod sqlite {
    zbooks_testkit::store_conformance!(super::with_sqlite);
}

mod redis {
    zbooks_testkit::store_conformance!(super::with_redis_backend);
}

/// Pacing of one call every `ms` milliseconds, `burst` early.
fn pacing(ms: u64, burst: u32) -> PacingPolicy {
    PacingPolicy {
        interval: Duration::from_millis(ms),
        burst,
    }
}

/// The slot of an admitted call.
fn send_at(admission: Admission) -> SystemTime {
    match admission {
        Admission::Send { at, .. } => at,
        Admission::QuotaExhausted { .. } => panic!("unexpected {admission:?}"),
    }
}

/// A token expiring `expires_in` after [`t0`].
fn token(secret: &str, expires_in: Duration) -> StoredToken {
    StoredToken {
        access_token: Secret::new(secret),
        expires_at: t0() + expires_in,
        api_domain: Some("https://www.zohoapis.in".to_owned()),
        lifetime: Some(Duration::from_hours(1)),
    }
}

// Beyond the traits: what only the shared stores keep.

#[tokio::test]
async fn sqlite_and_redis_keep_the_plan_for_the_next_process() {
    use zbooks_types::Plan;
    let sqlite = SqliteStore::open_in_memory().unwrap();
    sqlite.save_plan("1", Plan::Premium, t0()).await.unwrap();
    assert_eq!(
        sqlite.load_plan("1").await.unwrap(),
        Some((Plan::Premium, t0()))
    );
    with_redis(|store| async move {
        assert_eq!(store.load_plan("1").await.unwrap(), None);
        store.save_plan("1", Plan::Premium, t0()).await.unwrap();
        assert_eq!(
            store.load_plan("1").await.unwrap(),
            Some((Plan::Premium, t0()))
        );
    })
    .await;
}

#[tokio::test]
async fn redis_in_flight_leases_cap_holders_and_expire_with_a_dead_one() {
    with_redis(|store| async move {
        let ttl = Duration::from_secs(30);
        assert!(
            store
                .acquire_in_flight("1", "a", 2, t0(), ttl)
                .await
                .unwrap()
                == LeaseAdmission::Granted
        );
        assert!(
            store
                .acquire_in_flight("1", "b", 2, t0(), ttl)
                .await
                .unwrap()
                == LeaseAdmission::Granted
        );
        assert!(
            store
                .acquire_in_flight("1", "c", 2, t0(), ttl)
                .await
                .unwrap()
                == LeaseAdmission::Busy
        );
        assert_eq!(store.in_flight("1", t0()).await.unwrap(), 2);
        store.release_in_flight("1", "b").await.unwrap();
        assert!(
            store
                .acquire_in_flight("1", "c", 2, t0(), ttl)
                .await
                .unwrap()
                == LeaseAdmission::Granted
        );
        // a dies and stops renewing; c renews; at a's lease end, d gets a's place.
        let later = t0() + ttl;
        assert!(
            store
                .acquire_in_flight("1", "c", 2, later - Duration::from_secs(1), ttl)
                .await
                .unwrap()
                == LeaseAdmission::Granted
        );
        assert!(
            store
                .acquire_in_flight("1", "d", 2, later, ttl)
                .await
                .unwrap()
                == LeaseAdmission::Granted
        );
        assert_eq!(store.in_flight("1", later).await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn redis_unreachable_is_a_store_error() {
    let options = RedisOptions::new("redis://127.0.0.1:1/0").prefix("zbooks-test:down:");
    let store = RedisStore::open(&options).unwrap();
    let result = store.admit("1", t0(), Some(pacing(600, 0)), None).await;
    assert!(result.is_err(), "{result:?}");
}

#[tokio::test]
async fn an_unreachable_shared_store_falls_back_to_a_quarter_of_the_budget() {
    let options = RedisOptions::new("redis://127.0.0.1:1/0").prefix("zbooks-test:down:");
    let store = FallbackStore::new(RedisStore::open(&options).unwrap());
    let daily = DailyPolicy {
        limit: 8,
        day: Duration::from_hours(24),
    };
    let mut slots = Vec::new();
    while let Admission::Send { at, .. } = store
        .admit("1", t0(), Some(pacing(600, 5)), Some(daily))
        .await
        .unwrap()
    {
        slots.push(at.duration_since(t0()).unwrap());
    }
    assert!(store.is_down());
    // A quarter of the rate (2.4 s apart, no burst) and of the daily quota (2 of 8).
    assert_eq!(slots, [Duration::ZERO, Duration::from_millis(2400)]);
    // Tokens and the refresh lock keep working locally.
    let key = TokenKey::from_stored("k");
    let lease = Duration::from_secs(30);
    assert!(
        store
            .try_lock_refresh(&key, "a", t0(), lease)
            .await
            .unwrap()
    );
    assert!(
        !store
            .try_lock_refresh(&key, "b", t0(), lease)
            .await
            .unwrap()
    );
    let cached = token("1000.local", Duration::from_hours(1));
    store.save_token(&key, &cached).await.unwrap();
    assert_eq!(store.load_token(&key).await.unwrap(), Some(cached));
}

#[tokio::test]
async fn a_fallback_over_a_live_store_is_the_live_store() {
    with_redis(|redis| async move {
        let options = RedisOptions::new(REDIS_URL).prefix(redis.prefix());
        let store = FallbackStore::new(RedisStore::open(&options).unwrap());
        send_at(
            store
                .admit("1", t0(), Some(pacing(600, 0)), None)
                .await
                .unwrap(),
        );
        assert!(!store.is_down());
        let next = redis.snapshot("1", t0()).await.unwrap().next_slot;
        assert_eq!(next, Some(t0() + Duration::from_millis(600)));
    })
    .await;
}

#[tokio::test]
async fn redis_locks_and_leases_carry_a_time_to_live_so_a_dead_holder_frees_them() {
    with_redis(|store| async move {
        let key = TokenKey::from_stored("k");
        let lease = Duration::from_secs(30);
        assert!(
            store
                .try_lock_refresh(&key, "a", t0(), lease)
                .await
                .unwrap()
        );
        assert!(
            store
                .acquire_in_flight("1", "a", 5, t0(), lease)
                .await
                .unwrap()
                == LeaseAdmission::Granted
        );
        let client = ::redis::Client::open(REDIS_URL).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        for suffix in ["token-lock:k", "inflight:1"] {
            let ttl: i64 = ::redis::cmd("PTTL")
                .arg(format!("{}{suffix}", store.prefix()))
                .query_async(&mut conn)
                .await
                .unwrap();
            assert!(ttl > 0 && ttl <= 30_000, "{suffix}: {ttl}");
        }
        // The lock's value is a fencing token of this store, never the bare holder name.
        let value: String = ::redis::cmd("GET")
            .arg(format!("{}token-lock:k", store.prefix()))
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!(value.contains("/a ") && !value.starts_with("a "), "{value}");
    })
    .await;
}

#[tokio::test]
async fn an_unreachable_shared_store_leases_locally_and_knows_no_participants() {
    use zbooks_client::store::LeaseAdmission;
    let options = RedisOptions::new("redis://127.0.0.1:1/0").prefix("zbooks-test:down:");
    let store = FallbackStore::new(RedisStore::open(&options).unwrap());
    send_at(store.admit("1", t0(), None, None).await.unwrap());
    assert!(store.is_down());
    // A quarter of the cap (at least one call) is held in the process's own memory.
    let lease = |holder| store.acquire_in_flight("1", holder, 1, t0(), Duration::from_secs(30));
    assert_eq!(lease("call-1").await.unwrap(), LeaseAdmission::Granted);
    assert_eq!(lease("call-2").await.unwrap(), LeaseAdmission::Busy);
    store.release_in_flight("1", "call-1").await.unwrap();
    assert_eq!(lease("call-2").await.unwrap(), LeaseAdmission::Granted);
    assert_eq!(store.participants("1", t0()).await.unwrap(), []);
    // The store's clock is not known: the client keeps the offset it measured last.
    assert!(store.server_time().await.is_err());
}

/// The gateway's `Idempotency-Key` answers on Redis pass the gateway's conformance suite (the
/// one the memory and SQLite stores pass), claims racing included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_answers_pass_the_gateway_conformance_tests() {
    with_redis(|store| async move {
        let answers: Arc<dyn zbooks_gateway::AnswerStore> = Arc::new(store.answers());
        zbooks_gateway::conformance::run(answers.clone()).await;
        zbooks_gateway::conformance::run_concurrent(answers).await;
    })
    .await;
}
