//! What only a store shared across machines does, on Redis: participants counted by the admit
//! script itself, in-flight leases per participant, the store's own clock, and the fallback's
//! local share of the in-flight cap while Redis is down (issue 16). Each test uses its own
//! random key prefix and deletes its keys at the end, even when it fails.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::future::Future;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zbooks_client::store::{DailyPolicy, LeaseAdmission, LimitStore, PacingPolicy};
use zbooks_redis::{FallbackStore, RedisOptions, RedisStore};

const REDIS_URL: &str = "redis://127.0.0.1:6379/0";

fn t0() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_900_000_000)
}

fn prefix() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!("zbooks-test:{:016x}:", hasher.finish())
}

/// Runs `body` with the options of a fresh prefix, then deletes the prefix's keys.
async fn with_prefix<F, Fut>(body: F)
where
    F: FnOnce(RedisOptions) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let options = RedisOptions::new(REDIS_URL).prefix(prefix());
    let cleaner = RedisStore::open(&options).unwrap();
    cleaner.ping().await.unwrap_or_else(|e| {
        panic!("Redis does not answer on 127.0.0.1:6379 ({e}); see README, Running across machines")
    });
    let outcome = tokio::spawn(body(options)).await;
    cleaner.delete_all().await.unwrap();
    if let Err(err) = outcome {
        std::panic::resume_unwind(err.into_panic());
    }
}

const PACING: Option<PacingPolicy> = Some(PacingPolicy {
    interval: Duration::from_millis(600),
    burst: 0,
});

const DAILY: Option<DailyPolicy> = Some(DailyPolicy {
    limit: 1000,
    day: Duration::from_hours(24),
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admit_script_counts_each_participant_and_its_leases() {
    with_prefix(|options| async move {
        let east = Arc::new(
            RedisStore::open(&options.clone().participant("import on east pid 1")).unwrap(),
        );
        let west = Arc::new(
            RedisStore::open(&options.clone().participant("worker on west pid 2")).unwrap(),
        );
        let unnamed = RedisStore::open(&options).unwrap();
        for _ in 0..3 {
            east.admit("1", t0(), PACING, DAILY).await.unwrap();
        }
        // A slot asked again after a pause counts no second call.
        east.admit("1", t0(), PACING, None).await.unwrap();
        for _ in 0..2 {
            west.admit("1", t0() + Duration::from_secs(1), PACING, DAILY)
                .await
                .unwrap();
        }
        unnamed.admit("1", t0(), PACING, DAILY).await.unwrap();
        let lease = Duration::from_secs(30);
        assert_eq!(
            east.acquire_in_flight("1", "call-1", 10, t0(), lease)
                .await
                .unwrap(),
            LeaseAdmission::Granted
        );
        assert_eq!(
            east.acquire_in_flight("1", "call-2", 10, t0(), lease)
                .await
                .unwrap(),
            LeaseAdmission::Granted
        );
        east.release_in_flight("1", "call-2").await.unwrap();

        let now = t0() + Duration::from_secs(2);
        let who = unnamed.participants("1", now).await.unwrap();
        assert_eq!(who.len(), 2, "{who:?}");
        // By name.
        assert_eq!(who[1].name, "worker on west pid 2");
        assert_eq!(
            (
                who[1].calls_last_minute,
                who[1].calls_today,
                who[1].in_flight
            ),
            (2, 2, 0)
        );
        assert_eq!(who[1].last_call, t0() + Duration::from_secs(1));
        assert_eq!(who[0].name, "import on east pid 1");
        assert_eq!(
            (
                who[0].calls_last_minute,
                who[0].calls_today,
                who[0].in_flight
            ),
            (3, 3, 1)
        );
        // The shared ledger counted every call, named or not.
        let daily = unnamed.snapshot("1", now).await.unwrap().daily.unwrap();
        assert_eq!(daily.used, 6);

        // A minute later the minute's count is gone, the day's stays; after the day, both.
        let later = unnamed
            .participants("1", t0() + Duration::from_secs(61))
            .await
            .unwrap();
        assert_eq!((later[0].calls_last_minute, later[0].calls_today), (0, 3));
        let tomorrow = unnamed
            .participants("1", t0() + Duration::from_hours(25))
            .await
            .unwrap();
        // Nobody has anything to count the next day: nobody is listed.
        assert!(tomorrow.is_empty(), "{tomorrow:?}");
        // Another organization has its own participants.
        assert!(unnamed.participants("2", now).await.unwrap().is_empty());
        assert_eq!(unnamed.organizations().await.unwrap(), ["1"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_tells_its_own_clock() {
    with_prefix(|options| async move {
        let store = RedisStore::open(&options).unwrap();
        let server = store.server_time().await.unwrap().unwrap();
        // Redis runs on this machine: its clock is this one's, give or take a scheduling.
        let mine = zbooks_types::Clock::now(&zbooks_types::SystemClock);
        let apart = server
            .duration_since(mine)
            .or_else(|_| mine.duration_since(server))
            .unwrap();
        assert!(apart < Duration::from_mins(1), "{apart:?}");
    })
    .await;
}

#[tokio::test]
async fn while_redis_is_down_a_process_keeps_to_a_quarter_of_the_in_flight_cap() {
    let options = RedisOptions::new("redis://127.0.0.1:1/0").prefix("zbooks-test:down:");
    let store = FallbackStore::new(RedisStore::open(&options).unwrap());
    let lease = Duration::from_secs(30);
    let mut answers = Vec::new();
    for holder in ["a", "b", "c"] {
        answers.push(
            store
                .acquire_in_flight("1", holder, 10, t0(), lease)
                .await
                .unwrap(),
        );
    }
    assert!(store.is_down());
    assert_eq!(
        answers,
        [
            LeaseAdmission::Granted,
            LeaseAdmission::Granted,
            LeaseAdmission::Busy
        ]
    );
    store.release_in_flight("1", "a").await.unwrap();
    assert_eq!(
        store
            .acquire_in_flight("1", "c", 10, t0(), lease)
            .await
            .unwrap(),
        LeaseAdmission::Granted
    );
    // No clock to measure, nobody to list.
    assert!(store.server_time().await.is_err());
    assert!(store.participants("1", t0()).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_redis_lost_starts_after_the_slots_this_store_saw_with_no_burst() {
    with_prefix(|options| async move {
        let east = RedisStore::open(&options).unwrap();
        let west = RedisStore::open(&options).unwrap();
        let pacing = Some(PacingPolicy {
            interval: Duration::from_millis(600),
            burst: 3,
        });
        let slot = |admission| match admission {
            zbooks_client::store::Admission::Send { at, .. } => at.duration_since(t0()).unwrap(),
            other @ zbooks_client::store::Admission::QuotaExhausted { .. } => {
                panic!("{other:?}")
            }
        };
        // East takes the burst and two slots, West one more after them.
        for _ in 0..6 {
            slot(east.admit("1", t0(), pacing, DAILY).await.unwrap());
        }
        assert_eq!(
            slot(west.admit("1", t0(), pacing, DAILY).await.unwrap()),
            Duration::from_millis(1800)
        );
        // Redis loses the organization's state (a restart without persistence).
        let client = ::redis::Client::open(REDIS_URL).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let _: () = ::redis::cmd("DEL")
            .arg(format!("{}org:1", options.prefix))
            .query_async(&mut conn)
            .await
            .unwrap();
        // West saw the schedule reserved up to 4.2 s: the fresh one starts there, with no
        // burst (a fresh schedule would otherwise send four calls at once, now, into a window
        // Zoho already counted).
        let after = slot(west.admit("1", t0(), pacing, DAILY).await.unwrap());
        assert_eq!(after, Duration::from_millis(4200));
        // East saw less (3.6 s): the schedule West restarted stands, burst and all.
        let next = slot(east.admit("1", t0(), pacing, DAILY).await.unwrap());
        assert_eq!(next, Duration::from_secs(3));
    })
    .await;
}
