//! One conformance suite over `zbooks-client`'s store traits, for every backend (issue 16 §1:
//! each backend passes the same tests): the in-memory store, SQLite, Redis and PostgreSQL run
//! these same functions, each crate through [`store_conformance!`](macro@crate::store_conformance)
//! with a [`Backend`] of its own that opens stores on a fresh space (a key prefix, a schema)
//! and cleans it up.
//!
//! Times come from the test, as the client's injected clock passes them; nothing waits on a
//! real clock. The in-flight and participant cases hold for every store: a store shared across
//! machines ([`Backend::SHARED`]) must keep leases and count participants; one that is not
//! answers `Unshared` and counts nobody.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zbooks_client::MemoryStore;
use zbooks_client::store::{
    Admission, DailyPolicy, DailyUsage, LeaseAdmission, LimitStore, PacingPolicy, Participant,
    ServerQuota, StoredToken, TokenAdmission, TokenKey, TokenRequestPolicy, TokenStore,
};
use zbooks_client::time::BoxFuture;
use zbooks_types::Secret;

/// A backend under test: hands out stores on one fresh space, each as a named participant
/// (one process, as the store sees it).
pub trait Backend: Send + Sync + 'static {
    /// The store.
    type Store: LimitStore + TokenStore + 'static;

    /// Whether the store is shared across machines: it keeps in-flight leases and counts
    /// participants (the memory and SQLite stores do neither).
    const SHARED: bool;

    /// A store on the backend's space, counting its calls as `participant`.
    fn open(&self, participant: &str) -> BoxFuture<'_, Arc<Self::Store>>;
}

/// The in-memory store: one process, so every participant gets the same store.
#[derive(Debug, Default)]
pub struct MemoryBackend(Arc<MemoryStore>);

impl Backend for MemoryBackend {
    type Store = MemoryStore;
    const SHARED: bool = false;

    fn open(&self, participant: &str) -> BoxFuture<'_, Arc<MemoryStore>> {
        let _ = participant;
        Box::pin(async { self.0.clone() })
    }
}

/// Runs a suite function on a fresh in-memory store.
pub async fn with_memory<F, Fut>(body: F)
where
    F: FnOnce(MemoryBackend) -> Fut,
    Fut: Future<Output = ()>,
{
    body(MemoryBackend::default()).await;
}

/// Runs the suite (or the named cases of it) as tests, one per case, each through `$harness`:
/// an `async fn` taking a closure from the backend to the case's future, which sets the
/// backend up, runs the case and cleans up (also when it panics). `ignore = "why"` marks the
/// named cases ignored.
#[macro_export]
macro_rules! store_conformance {
    ($harness:path) => {
        $crate::store_conformance!(
            $harness;
            admit_spaces_calls_evenly_after_the_burst,
            admit_waits_out_a_pause_after_a_44,
            daily_counter_stops_at_the_limit_and_resets_with_the_day,
            server_headers_correct_the_ledger_and_45_exhausts_it,
            many_tasks_admitting_at_once_never_exceed_the_budget,
            token_cache_round_trips,
            two_racers_for_the_refresh_lock_make_one_winner,
            a_dead_lock_holder_is_taken_over_after_its_lease,
            token_requests_are_capped_per_window_and_cool_down_holds,
            in_flight_leases_cap_the_organization_and_lapse_with_a_dead_holder,
            participants_are_counted_per_process,
        );
    };
    ($harness:path; ignore = $why:literal; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = $why]
            async fn $name() {
                $harness(|backend| async move {
                    $crate::store_conformance::$name(&backend).await;
                })
                .await;
            }
        )*
    };
    ($harness:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $harness(|backend| async move {
                    $crate::store_conformance::$name(&backend).await;
                })
                .await;
            }
        )*
    };
}

/// A fixed instant, far from the real clock: stores must use the caller's time.
pub fn t0() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_900_000_000)
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

/// After the burst, calls get evenly spaced slots; another organization has its own budget.
pub async fn admit_spaces_calls_evenly_after_the_burst<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// A pause (after a 429/44) holds every call until it ends, and is never shortened.
pub async fn admit_waits_out_a_pause_after_a_44<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// The daily ledger refuses calls past the limit, counting nothing, until the day is over.
pub async fn daily_counter_stops_at_the_limit_and_resets_with_the_day<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// Zoho's headers correct the ledger; a 429/45 marks the day's quota spent until its reset.
pub async fn server_headers_correct_the_ledger_and_45_exhausts_it<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// 200 callers at once (on two handles of a shared store): 150 admitted, no minute over 100.
pub async fn many_tasks_admitting_at_once_never_exceed_the_budget<B: Backend>(backend: &B) {
    // Two handles: two processes, for a store shared by processes.
    let handles = [backend.open("alpha").await, backend.open("beta").await];
    let store = handles[0].clone();
    // 100 calls a minute (one every 600 ms, no burst), 150 a day, 200 callers at once.
    let daily = DailyPolicy {
        limit: 150,
        day: Duration::from_hours(24),
    };
    let mut tasks = Vec::new();
    for i in 0..200_u64 {
        let store = handles[usize::from(i % 2 == 1)].clone();
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

/// A token expiring `expires_in` after [`t0`].
fn token(secret: &str, expires_in: Duration) -> StoredToken {
    StoredToken {
        access_token: Secret::new(secret),
        expires_at: t0() + expires_in,
        api_domain: Some("https://www.zohoapis.in".to_owned()),
        lifetime: Some(Duration::from_hours(1)),
    }
}

/// A cached token reads back as it was saved, per key.
pub async fn token_cache_round_trips<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// Two racers for the refresh lock: one wins; the loser cannot release the lock.
pub async fn two_racers_for_the_refresh_lock_make_one_winner<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// A refresh lock whose holder died is taken over at its lease's end, not before.
pub async fn a_dead_lock_holder_is_taken_over_after_its_lease<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// Token requests stop at the window's cap; a cool-down holds and is never shortened.
pub async fn token_requests_are_capped_per_window_and_cool_down_holds<B: Backend>(backend: &B) {
    let store = backend.open("alpha").await;
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

/// An organization's in-flight leases: at most `cap` held at once across every process, a
/// holder renews its own, a release frees one, and a dead holder's lease lapses at its end. A
/// store that is not shared answers `Unshared`.
pub async fn in_flight_leases_cap_the_organization_and_lapse_with_a_dead_holder<B: Backend>(
    backend: &B,
) {
    let a = backend.open("alpha").await;
    let b = backend.open("beta").await;
    let ttl = Duration::from_secs(30);
    let first = a
        .acquire_in_flight("1", "call-1", 2, t0(), ttl)
        .await
        .unwrap();
    if !B::SHARED {
        // The process's own cap on calls in flight is the only cap.
        assert_eq!(first, LeaseAdmission::Unshared);
        a.release_in_flight("1", "call-1").await.unwrap();
        return;
    }
    assert_eq!(first, LeaseAdmission::Granted);
    // The same holder name in another process is another holder (names carry a pid).
    let lease = |store: &Arc<B::Store>, org: &'static str, holder: &'static str, at| {
        let store = store.clone();
        async move {
            store
                .acquire_in_flight(org, holder, 2, at, ttl)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        lease(&b, "1", "call-1", t0()).await,
        LeaseAdmission::Granted
    );
    assert_eq!(lease(&b, "1", "call-2", t0()).await, LeaseAdmission::Busy);
    assert_eq!(lease(&a, "1", "call-3", t0()).await, LeaseAdmission::Busy);
    // Another organization has its own cap.
    assert_eq!(
        lease(&b, "2", "call-2", t0()).await,
        LeaseAdmission::Granted
    );
    // b releases its own lease, not a's.
    b.release_in_flight("1", "call-1").await.unwrap();
    assert_eq!(
        lease(&b, "1", "call-2", t0()).await,
        LeaseAdmission::Granted
    );
    assert_eq!(lease(&a, "1", "call-3", t0()).await, LeaseAdmission::Busy);
    // a renews its lease before it ends, even with every lease taken; b dies holding call-2.
    let end = t0() + ttl;
    let before = end - Duration::from_secs(1);
    assert_eq!(
        lease(&a, "1", "call-1", before).await,
        LeaseAdmission::Granted
    );
    assert_eq!(lease(&a, "1", "call-3", before).await, LeaseAdmission::Busy);
    // At the end of b's lease, a takes its place.
    assert_eq!(lease(&a, "1", "call-3", end).await, LeaseAdmission::Granted);
    // Releasing what one does not hold frees nothing.
    a.release_in_flight("1", "nobody").await.unwrap();
    assert_eq!(lease(&b, "1", "call-4", end).await, LeaseAdmission::Busy);
}

/// Who is using the organization's budget: each process (participant, sorted by name) with its
/// calls of the last minute and of the ledger's day, its last admission and the in-flight
/// leases it holds; a process with nothing counted any more is not listed. A store that is not
/// shared counts nobody.
pub async fn participants_are_counted_per_process<B: Backend>(backend: &B) {
    let a = backend.open("alpha").await;
    let b = backend.open("beta").await;
    let daily = DailyPolicy {
        limit: 10,
        day: Duration::from_hours(1),
    };
    for _ in 0..2 {
        send_at(
            a.admit("1", t0(), Some(pacing(100, 5)), Some(daily))
                .await
                .unwrap(),
        );
    }
    let second = t0() + Duration::from_secs(1);
    send_at(
        b.admit("1", second, Some(pacing(100, 5)), Some(daily))
            .await
            .unwrap(),
    );
    // Another organization's calls are its own.
    send_at(b.admit("2", t0(), None, None).await.unwrap());
    let leased = a
        .acquire_in_flight("1", "call-1", 5, t0(), Duration::from_secs(30))
        .await
        .unwrap();
    let now = t0() + Duration::from_secs(2);
    let listed = a.participants("1", now).await.unwrap();
    if !B::SHARED {
        assert_eq!(leased, LeaseAdmission::Unshared);
        assert_eq!(listed, []);
        return;
    }
    let participant = |name: &str, minute, today, last_call, in_flight| Participant {
        name: name.to_owned(),
        calls_last_minute: minute,
        calls_today: today,
        last_call,
        in_flight,
    };
    assert_eq!(
        listed,
        [
            participant("alpha", 2, 2, t0(), 1),
            participant("beta", 1, 1, second, 0),
        ]
    );
    // Every process sees the same.
    assert_eq!(b.participants("1", now).await.unwrap(), listed);
    // A refused call counts nothing.
    let next_day = t0() + Duration::from_hours(1);
    b.exhaust_daily("1", next_day).await.unwrap();
    let refused = b.admit("1", now, None, Some(daily)).await.unwrap();
    assert_eq!(
        refused,
        Admission::QuotaExhausted {
            resets_at: next_day
        }
    );
    // A minute on, the calls are of today but not of the last minute; the lease ran out.
    let later = second + Duration::from_mins(1);
    assert_eq!(
        b.participants("1", later).await.unwrap(),
        [
            participant("alpha", 0, 2, t0(), 0),
            participant("beta", 0, 1, second, 0),
        ]
    );
    // The next day nobody has called yet.
    assert_eq!(a.participants("1", next_day).await.unwrap(), []);
}
