//! One conformance suite over `zbooks-client`'s store traits, run against every backend: the
//! in-memory store, SQLite and Redis (issue 16 §1: each backend passes the same tests). Times
//! come from the test, as the client's injected clock passes them; nothing waits on a real
//! clock. Each Redis test uses its own random key prefix and deletes its keys at the end, even
//! when it fails. Redis must answer on 127.0.0.1:6379 (`.ci/run` checks it first).

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::future::Future;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zbooks_client::store::{
    Admission, DailyPolicy, DailyUsage, LeaseAdmission, LimitStore, PacingPolicy, ServerQuota,
    StoredToken, TokenAdmission, TokenKey, TokenRequestPolicy, TokenStore,
};
use zbooks_redis::{FallbackStore, RedisOptions, RedisStore};
use zbooks_store::SqliteStore;
use zbooks_types::Secret;

const REDIS_URL: &str = "redis://127.0.0.1:6379/0";

/// A store every suite runs against.
trait Shared: LimitStore + TokenStore + 'static {}
impl<S: LimitStore + TokenStore + 'static> Shared for S {}

fn t0() -> SystemTime {
    // A fixed instant, far from the real clock: stores must use the caller's time.
    UNIX_EPOCH + Duration::from_secs(1_900_000_000)
}

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

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(std::sync::Arc::new(zbooks_client::MemoryStore::new())).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let store = zbooks_store::SqliteStore::open_in_memory().unwrap();
                    super::$name(std::sync::Arc::new(store)).await;
                }
            )*
        }
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::with_redis(super::$name).await;
                }
            )*
        }
    };
}

conformance!(
    admit_spaces_calls_evenly_after_the_burst,
    admit_waits_out_a_pause_after_a_44,
    daily_counter_stops_at_the_limit_and_resets_with_the_day,
    server_headers_correct_the_ledger_and_45_exhausts_it,
    many_tasks_admitting_at_once_never_exceed_the_budget,
    token_cache_round_trips,
    two_racers_for_the_refresh_lock_make_one_winner,
    a_dead_lock_holder_is_taken_over_after_its_lease,
    token_requests_are_capped_per_window_and_cool_down_holds,
);

fn pacing(ms: u64, burst: u32) -> PacingPolicy {
    PacingPolicy {
        interval: Duration::from_millis(ms),
        burst,
    }
}

fn send_at(admission: Admission) -> SystemTime {
    match admission {
        Admission::Send { at, .. } => at,
        Admission::QuotaExhausted { .. } => panic!("unexpected {admission:?}"),
    }
}

async fn admit_spaces_calls_evenly_after_the_burst<S: Shared>(store: Arc<S>) {
    let mut slots = Vec::new();
    for _ in 0..5 {
        let admission = store
            .admit("1", t0(), Some(pacing(100, 1)), None)
            .await
            .unwrap();
        slots.push(send_at(admission).duration_since(t0()).unwrap().as_millis());
    }
    assert_eq!(slots, [0, 0, 100, 200, 300]);
    let snapshot = store.snapshot("1", t0()).await.unwrap();
    assert_eq!(snapshot.next_slot, Some(t0() + Duration::from_millis(500)));
    assert_eq!(snapshot.paused_until, None);
    // Another organization has its own budget.
    let other = store
        .admit("2", t0(), Some(pacing(100, 1)), None)
        .await
        .unwrap();
    assert_eq!(send_at(other), t0());
}

async fn admit_waits_out_a_pause_after_a_44<S: Shared>(store: Arc<S>) {
    let until = t0() + Duration::from_secs(5);
    store.pause("1", until).await.unwrap();
    // A shorter pause never shortens the one in force.
    store
        .pause("1", t0() + Duration::from_secs(1))
        .await
        .unwrap();
    let admission = store
        .admit("1", t0(), Some(pacing(10, 3)), None)
        .await
        .unwrap();
    assert_eq!(
        admission,
        Admission::Send {
            at: until,
            paused: true
        }
    );
    let unpaced = store.admit("1", t0(), None, None).await.unwrap();
    assert_eq!(send_at(unpaced), until);
    let snapshot = store.snapshot("1", t0()).await.unwrap();
    assert_eq!(snapshot.paused_until, Some(until));
    assert_eq!(store.snapshot("1", until).await.unwrap().paused_until, None);
    let after = store
        .admit(
            "1",
            until + Duration::from_secs(1),
            Some(pacing(10, 3)),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        after,
        Admission::Send {
            at: until + Duration::from_secs(1),
            paused: false
        }
    );
}

async fn daily_counter_stops_at_the_limit_and_resets_with_the_day<S: Shared>(store: Arc<S>) {
    let daily = DailyPolicy {
        limit: 3,
        day: Duration::from_secs(10),
    };
    for _ in 0..3 {
        send_at(store.admit("1", t0(), None, Some(daily)).await.unwrap());
    }
    let resets_at = t0() + Duration::from_secs(10);
    for _ in 0..2 {
        let refused = store.admit("1", t0(), None, Some(daily)).await.unwrap();
        assert_eq!(refused, Admission::QuotaExhausted { resets_at });
    }
    let snapshot = store.snapshot("1", t0()).await.unwrap();
    assert_eq!(
        snapshot.daily,
        Some(DailyUsage {
            used: 3,
            limit: 3,
            resets_at
        })
    );
    // The next day starts with the next call.
    send_at(
        store
            .admit("1", resets_at, None, Some(daily))
            .await
            .unwrap(),
    );
    let snapshot = store.snapshot("1", resets_at).await.unwrap();
    assert_eq!(
        snapshot.daily,
        Some(DailyUsage {
            used: 1,
            limit: 3,
            resets_at: resets_at + Duration::from_secs(10)
        })
    );
}

async fn server_headers_correct_the_ledger_and_45_exhausts_it<S: Shared>(store: Arc<S>) {
    let daily = DailyPolicy {
        limit: 1000,
        day: Duration::from_hours(24),
    };
    let resets_at = t0() + Duration::from_mins(30);
    let quota = ServerQuota {
        limit: 2000,
        remaining: 2,
        resets_at,
    };
    store.record_server_quota("1", quota).await.unwrap();
    let snap = store.snapshot("1", t0()).await.unwrap();
    assert_eq!(
        snap.daily,
        Some(DailyUsage {
            used: 1998,
            limit: 2000,
            resets_at
        })
    );
    // The server's limit and reset win over the policy's until the reset.
    for _ in 0..2 {
        send_at(store.admit("1", t0(), None, Some(daily)).await.unwrap());
    }
    let refused = store.admit("1", t0(), None, Some(daily)).await.unwrap();
    assert_eq!(refused, Admission::QuotaExhausted { resets_at });

    let later = t0() + Duration::from_hours(2);
    store.exhaust_daily("2", later).await.unwrap();
    let refused = store.admit("2", t0(), None, Some(daily)).await.unwrap();
    assert_eq!(refused, Admission::QuotaExhausted { resets_at: later });
    send_at(store.admit("2", later, None, Some(daily)).await.unwrap());
}

async fn many_tasks_admitting_at_once_never_exceed_the_budget<S: Shared>(store: Arc<S>) {
    // 100 calls a minute (one every 600 ms, no burst), 150 a day, 200 callers at once.
    let daily = DailyPolicy {
        limit: 150,
        day: Duration::from_hours(24),
    };
    let mut tasks = Vec::new();
    for i in 0..200_u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            // Callers arrive within one second, out of order.
            let now = t0() + Duration::from_millis((i * 37) % 1000);
            store
                .admit("1", now, Some(pacing(600, 0)), Some(daily))
                .await
                .unwrap()
        }));
    }
    let mut slots = Vec::new();
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            Admission::Send { at, .. } => slots.push(at),
            Admission::QuotaExhausted { .. } => refused += 1,
        }
    }
    assert_eq!((slots.len(), refused), (150, 50));
    slots.sort();
    for (i, start) in slots.iter().enumerate() {
        let in_minute = slots[i..]
            .iter()
            .take_while(|s| **s < *start + Duration::from_mins(1))
            .count();
        assert!(
            in_minute <= 100,
            "{in_minute} calls in the minute from slot {i}"
        );
    }
    let snapshot = store.snapshot("1", t0()).await.unwrap();
    assert_eq!(snapshot.daily.map(|d| d.used), Some(150));
}

fn token(secret: &str, expires_in: Duration) -> StoredToken {
    StoredToken {
        access_token: Secret::new(secret),
        expires_at: t0() + expires_in,
        api_domain: Some("https://www.zohoapis.in".to_owned()),
        lifetime: Some(Duration::from_hours(1)),
    }
}

async fn token_cache_round_trips<S: Shared>(store: Arc<S>) {
    let key = TokenKey::from_stored("https://accounts.zoho.in|1000.C|00ff");
    assert_eq!(store.load_token(&key).await.unwrap(), None);
    let first = token("1000.first", Duration::from_hours(1));
    store.save_token(&key, &first).await.unwrap();
    assert_eq!(store.load_token(&key).await.unwrap(), Some(first));
    let second = StoredToken {
        api_domain: None,
        lifetime: None,
        ..token("1000.second", Duration::from_mins(30))
    };
    store.save_token(&key, &second).await.unwrap();
    assert_eq!(store.load_token(&key).await.unwrap(), Some(second));
    let other = TokenKey::from_stored("https://accounts.zoho.in|1000.C|11ee");
    assert_eq!(store.load_token(&other).await.unwrap(), None);
}

async fn two_racers_for_the_refresh_lock_make_one_winner<S: Shared>(store: Arc<S>) {
    let key = TokenKey::from_stored("k");
    let lease = Duration::from_secs(30);
    let mut racers = Vec::new();
    for holder in ["a", "b"] {
        let store = store.clone();
        let key = key.clone();
        racers.push(tokio::spawn(async move {
            store
                .try_lock_refresh(&key, holder, t0(), lease)
                .await
                .unwrap()
        }));
    }
    let mut won = Vec::new();
    for racer in racers {
        won.push(racer.await.unwrap());
    }
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
    let (winner, loser) = if won[0] { ("a", "b") } else { ("b", "a") };
    // The loser cannot release the winner's lock.
    store.unlock_refresh(&key, loser).await.unwrap();
    assert!(
        !store
            .try_lock_refresh(&key, loser, t0(), lease)
            .await
            .unwrap()
    );
    // The winner may take it again (it holds it), then lets go: the loser gets it.
    assert!(
        store
            .try_lock_refresh(&key, winner, t0(), lease)
            .await
            .unwrap()
    );
    store.unlock_refresh(&key, winner).await.unwrap();
    assert!(
        store
            .try_lock_refresh(&key, loser, t0(), lease)
            .await
            .unwrap()
    );
}

async fn a_dead_lock_holder_is_taken_over_after_its_lease<S: Shared>(store: Arc<S>) {
    let key = TokenKey::from_stored("k");
    let lease = Duration::from_secs(30);
    assert!(
        store
            .try_lock_refresh(&key, "dead", t0(), lease)
            .await
            .unwrap()
    );
    let almost = t0() + lease - Duration::from_millis(1);
    assert!(
        !store
            .try_lock_refresh(&key, "b", almost, lease)
            .await
            .unwrap()
    );
    assert!(
        store
            .try_lock_refresh(&key, "b", t0() + lease, lease)
            .await
            .unwrap()
    );
    // The dead holder, come back, releases nothing of b's.
    store.unlock_refresh(&key, "dead").await.unwrap();
    assert!(
        !store
            .try_lock_refresh(&key, "c", t0() + lease, lease)
            .await
            .unwrap()
    );
}

async fn token_requests_are_capped_per_window_and_cool_down_holds<S: Shared>(store: Arc<S>) {
    let key = TokenKey::from_stored("k");
    let policy = TokenRequestPolicy {
        max: 10,
        window: Duration::from_mins(10),
    };
    for i in 0..10 {
        let now = t0() + Duration::from_secs(i);
        let admission = store.admit_token_request(&key, now, policy).await.unwrap();
        assert_eq!(admission, TokenAdmission::Granted);
    }
    let denied = store
        .admit_token_request(&key, t0() + Duration::from_secs(30), policy)
        .await
        .unwrap();
    assert_eq!(
        denied,
        TokenAdmission::Denied {
            until: t0() + Duration::from_mins(10)
        }
    );
    let later = t0() + Duration::from_mins(10);
    let admission = store
        .admit_token_request(&key, later, policy)
        .await
        .unwrap();
    assert_eq!(admission, TokenAdmission::Granted);
    let until = later + Duration::from_mins(10);
    store.cool_down(&key, until).await.unwrap();
    store.cool_down(&key, later).await.unwrap();
    let denied = store
        .admit_token_request(&key, later + Duration::from_mins(9), policy)
        .await
        .unwrap();
    assert_eq!(denied, TokenAdmission::Denied { until });
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
