//! One timer for all the attempts of a client, instead of one timer each.
//!
//! An attempt may take at most `Timeouts::attempt` (a minute by default), and almost every
//! attempt ends long before. A tokio timer per attempt registers with the runtime's timer
//! driver and deregisters from it on every call, through the runtime handle every worker
//! shares; at tens of thousands of calls a second the overhead benchmark
//! (`benches/throughput.rs`) measured that at several percent of throughput.
//!
//! Here an attempt files its deadline and its task's waker in a table of the client's (in one
//! of a few shards, so that workers seldom meet on a lock), and one ticking task per client
//! wakes, every tick (a twentieth of the timeout), the attempts whose deadline passed. The
//! attempt reads the clock itself when polled, so a timeout fires at most one tick late — a
//! few seconds on a minute — and never early.
//!
//! A ticker lives on the runtime of the attempt that started it. When that runtime goes, the
//! ticker wakes every filed attempt on its way out, and the first to be polled starts a new
//! one on its own runtime; an attempt that finds the ticker silent for two ticks does too. A
//! runtime kept alive but never driven again (a current-thread runtime outside `block_on`)
//! keeps its ticker: an attempt stalled on another runtime is then cut when the next attempt
//! is filed, not before.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::time::Instant;

/// Shards of the deadline table. Each thread files in its own shard (threads beyond this
/// share), so a worker's lock stays in its own core's cache.
const SHARDS: usize = 8;

/// The shard of the current thread.
fn own_shard() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    SHARD.with(|s| *s)
}

/// The attempt did not finish within its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Elapsed;

/// The deadline table of one client.
#[derive(Debug, Default)]
pub(crate) struct Watchdog {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    shards: [Mutex<Shard>; SHARDS],
    /// When a ticking task last ticked (or was started), in milliseconds after `base`. An
    /// attempt that finds it older than two ticks starts a ticker on its own runtime: the
    /// first ticker's runtime may be gone, or alive but no longer driven (a current-thread
    /// runtime outside `block_on`).
    last_tick: AtomicU64,
    base: Instant,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            shards: Default::default(),
            last_tick: AtomicU64::new(NEVER),
            base: Instant::now(),
        }
    }
}

/// `last_tick` before any ticker started.
const NEVER: u64 = u64::MAX;

/// Deadlines and wakers, in reusable slots.
#[derive(Debug, Default)]
struct Shard {
    slots: Vec<Option<(Instant, Waker)>>,
    free: Vec<usize>,
}

impl Shard {
    fn insert(&mut self, entry: (Instant, Waker)) -> usize {
        if let Some(index) = self.free.pop() {
            self.slots[index] = Some(entry);
            index
        } else {
            self.slots.push(Some(entry));
            self.slots.len() - 1
        }
    }

    fn remove(&mut self, index: usize) {
        self.slots[index] = None;
        self.free.push(index);
    }

    #[cfg(test)]
    fn filed(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Watchdog {
    /// Runs `fut` for at most `limit` (and at most one tick more).
    pub(crate) fn within<F: Future>(&self, limit: Duration, fut: F) -> Within<'_, F> {
        Within {
            fut,
            shared: &self.shared,
            limit,
            deadline: None,
            filed: None,
        }
    }

    /// Deadlines filed now (for tests).
    #[cfg(test)]
    fn filed(&self) -> usize {
        self.shared.shards.iter().map(|s| lock(s).filed()).sum()
    }
}

impl Shared {
    fn millis_now(&self) -> u64 {
        u64::try_from(self.base.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }

    /// Starts a ticking task on the current runtime unless one ticked lately.
    fn ensure_ticking(self: &Arc<Self>, limit: Duration) {
        let tick = (limit / 20).clamp(Duration::from_millis(5), Duration::from_secs(3));
        let now = self.millis_now();
        let last = self.last_tick.load(Ordering::Acquire);
        let stale_after = u64::try_from(tick.as_millis()).unwrap_or(u64::MAX / 4) * 2;
        if last != NEVER && now.saturating_sub(last) <= stale_after {
            return;
        }
        // One attempt starts it; the others see the fresh mark.
        if self
            .last_tick
            .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            tokio::spawn(tick_until_dropped(Arc::downgrade(self), tick));
        }
    }
}

/// When a ticker ends with its runtime, every filed attempt is woken: polled on its own
/// runtime, it finds no live ticker and starts one there.
struct Handover(Weak<Shared>);

impl Drop for Handover {
    fn drop(&mut self) {
        let Some(shared) = self.0.upgrade() else {
            return;
        };
        shared.last_tick.store(NEVER, Ordering::Release);
        let mut filed = Vec::new();
        for shard in &shared.shards {
            filed.extend(lock(shard).slots.iter().flatten().map(|(_, w)| w.clone()));
        }
        for waker in filed {
            waker.wake();
        }
    }
}

async fn tick_until_dropped(shared: Weak<Shared>, tick: Duration) {
    let _handover = Handover(shared.clone());
    let mut due = Vec::new();
    loop {
        tokio::time::sleep(tick).await;
        // The client is gone, and its table with it.
        let Some(shared) = shared.upgrade() else {
            return;
        };
        shared
            .last_tick
            .store(shared.millis_now(), Ordering::Release);
        let now = Instant::now();
        for shard in &shared.shards {
            let shard = lock(shard);
            due.extend(
                shard
                    .slots
                    .iter()
                    .flatten()
                    .filter(|(deadline, _)| *deadline <= now)
                    .map(|(_, waker)| waker.clone()),
            );
        }
        // Woken outside the locks; each attempt sees its own deadline passed and ends.
        for waker in due.drain(..) {
            waker.wake();
        }
    }
}

pin_project_lite::pin_project! {
    /// An attempt with its deadline; see [`Watchdog::within`].
    #[derive(Debug)]
    pub(crate) struct Within<'a, F> {
        #[pin]
        fut: F,
        shared: &'a Arc<Shared>,
        limit: Duration,
        deadline: Option<Instant>,
        // The shard and slot of the filed deadline, and the waker filed with it.
        filed: Option<(usize, usize, Waker)>,
    }

    impl<F> PinnedDrop for Within<'_, F> {
        fn drop(this: Pin<&mut Self>) {
            // However the attempt ends, cancellation included, its deadline goes.
            let this = this.project();
            if let Some((shard, slot, _)) = this.filed.take() {
                lock(&this.shared.shards[shard]).remove(slot);
            }
        }
    }
}

impl<F: Future> Future for Within<'_, F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let now = Instant::now();
        let deadline = *this.deadline.get_or_insert(now + *this.limit);
        if let Poll::Ready(out) = this.fut.poll(cx) {
            return Poll::Ready(Ok(out));
        }
        if now >= deadline {
            return Poll::Ready(Err(Elapsed));
        }
        if this.filed.is_some() {
            // Woken by a ticker that ended, or by the inner future: keep a ticker alive.
            this.shared.ensure_ticking(*this.limit);
        }
        match this.filed {
            Some((_, _, waker)) if waker.will_wake(cx.waker()) => {}
            Some((shard, slot, waker)) => {
                // Polled by another task than before: the tick must wake this one.
                waker.clone_from(cx.waker());
                lock(&this.shared.shards[*shard]).slots[*slot] = Some((deadline, waker.clone()));
            }
            None => {
                this.shared.ensure_ticking(*this.limit);
                let shard = own_shard();
                let slot = lock(&this.shared.shards[shard]).insert((deadline, cx.waker().clone()));
                *this.filed = Some((shard, slot, cx.waker().clone()));
            }
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_stalled_attempt_times_out_within_a_tick_and_a_quick_one_passes() {
        let dog = Watchdog::default();
        assert_eq!(
            dog.within(Duration::from_secs(20), async { 7 }).await,
            Ok(7)
        );
        let started = Instant::now();
        let stalled = dog
            .within(Duration::from_secs(20), std::future::pending::<()>())
            .await;
        assert_eq!(stalled, Err(Elapsed));
        let waited = started.elapsed();
        // Never early; at most one tick (a twentieth of the limit) late.
        assert!(waited >= Duration::from_secs(20), "{waited:?}");
        assert!(waited <= Duration::from_secs(21), "{waited:?}");
        assert_eq!(dog.filed(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_attempt_that_ends_in_time_is_not_cut() {
        let dog = Watchdog::default();
        let slow = dog.within(Duration::from_secs(20), async {
            tokio::time::sleep(Duration::from_secs(19)).await;
            "done"
        });
        assert_eq!(slow.await, Ok("done"));
        assert_eq!(dog.filed(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_attempt_leaves_no_deadline_behind() {
        let dog = Watchdog::default();
        let attempt = dog.within(Duration::from_secs(5), std::future::pending::<()>());
        let cut = tokio::time::timeout(Duration::from_millis(10), attempt).await;
        assert!(cut.is_err());
        assert_eq!(dog.filed(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn many_attempts_each_time_out_and_free_their_slots() {
        let dog = Arc::new(Watchdog::default());
        let mut tasks = Vec::new();
        for i in 0..50u64 {
            let dog = dog.clone();
            tasks.push(tokio::spawn(async move {
                // Half end in time, half stall.
                dog.within(Duration::from_secs(10), async move {
                    if i % 2 == 0 {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    } else {
                        std::future::pending::<()>().await;
                    }
                })
                .await
            }));
        }
        let mut timed_out = 0;
        for task in tasks {
            if task.await.unwrap().is_err() {
                timed_out += 1;
            }
        }
        assert_eq!(timed_out, 25);
        assert_eq!(dog.filed(), 0);
    }

    /// A stalled attempt on a second runtime is cut when the first runtime, whose task
    /// ticked, goes away mid-attempt.
    #[test]
    fn a_filed_attempt_outlives_the_runtime_that_ticked_for_it() {
        let dog = Arc::new(Watchdog::default());
        let first = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .unwrap();
        // The ticker starts on the first runtime.
        first
            .block_on(dog.within(Duration::from_millis(200), async {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }))
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let stalled = {
            let dog = dog.clone();
            std::thread::spawn(move || {
                let second = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .unwrap();
                let out = second
                    .block_on(dog.within(Duration::from_millis(200), std::future::pending::<()>()));
                tx.send(out).unwrap();
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        drop(first);
        let out = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the attempt was cut");
        assert_eq!(out, Err(Elapsed));
        stalled.join().unwrap();
    }

    #[test]
    fn the_ticker_restarts_on_a_new_runtime_after_the_first_is_gone() {
        let dog = Watchdog::default();
        for _ in 0..2 {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let stalled =
                runtime.block_on(dog.within(Duration::from_secs(1), std::future::pending::<()>()));
            assert_eq!(stalled, Err(Elapsed));
        }
    }
}
