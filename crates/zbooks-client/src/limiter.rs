//! Zoho's limits, kept by the client instead of discovered by hitting them (docs/design.md
//! promise 3): per organization, a permit for a call in flight (at the plan's cap, lowered
//! after a 1070), then one store transaction that counts a unit of daily quota and reserves
//! the next even pacing slot (GCRA), then a wait until that slot.
//!
//! The permit comes first on purpose: a call that reserved a slot and then queued for a
//! permit would be sent late, bunched with later slots, and could overfill a window.
//!
//! With a store shared across machines (issue 16) three more things hold:
//!
//! - **Organization-wide in-flight leases.** After the local permit, the call takes one of
//!   the organization's leases ([`LimitStore::acquire_in_flight`]) under a holder name unique
//!   to the call, for longer than an attempt may take (plus two windows for its pacing wait);
//!   while every lease is held it waits a pacing interval (a Concurrency wait, never a spin)
//!   and asks again. The cap is the local one, lowered by a 1070 alike. The lease goes back
//!   when the call ends (awaited), or when the permit drops (a cancelled call: on a task); a
//!   lease whose holder died, or whose process ended first, lapses. A
//!   store that is not shared answers `Unshared`: the local semaphore alone is the cap.
//! - **One clock.** Every time passed to the store is on the store's clock: the offset
//!   between this process's clock and [`LimitStore::server_time`] is measured on first use
//!   (the round trip's midpoint) and again every [`REMEASURE_CLOCK_EVERY`], so a machine whose
//!   clock is off by seconds paces on the same slots as the others.
//! - **A floor under the schedule.** The limiter asks for no slot before the latest slot it
//!   was granted itself: if the shared state is lost (a Redis restarted without persistence)
//!   the fresh schedule starts after the calls this process already reserved, never over them,
//!   and grants no burst before them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use zbooks_types::event::{Wait, WaitReason};
use zbooks_types::{Clock, Limits, Sent};

use crate::config::LimitsConfig;
use crate::error::{Error, ErrorKind};
use crate::store::{Admission, DailyPolicy, LeaseAdmission, LimitStore, PacingPolicy, ServerQuota};
use crate::time::{SharedSleep, from_micros, millis, to_micros};

/// Successes in a row after which a lowered in-flight cap rises by one again.
const RAISE_AFTER_SUCCESSES: u32 = 50;

/// How often the offset between this process's clock and the store's is measured again.
pub(crate) const REMEASURE_CLOCK_EVERY: Duration = Duration::from_mins(5);

/// Readings of the store's clock per measurement (the quickest round trip is kept).
const CLOCK_SAMPLES: u32 = 3;

/// After a failed measurement (the store down), how soon it is tried again.
const REMEASURE_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// The limits of every organization this client calls.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub(crate) config: LimitsConfig,
    pub(crate) store: Arc<dyn LimitStore>,
    clock: Arc<dyn Clock>,
    sleep: SharedSleep,
    orgs: Mutex<HashMap<String, Arc<InFlight>>>,
    /// The latest pause this process set per organization, in microseconds on the store's
    /// clock.
    pauses: Mutex<HashMap<String, i64>>,
    /// The latest pacing slot this process was granted per organization, in microseconds on
    /// the store's clock: the floor of its next request.
    slots: Mutex<HashMap<String, i64>>,
    /// How long an in-flight lease is taken for.
    lease: Duration,
    /// This process's part of every lease holder's name.
    holder: String,
    /// Numbers the leases of this process.
    leases: AtomicU64,
    /// The store's clock as this process sees it.
    store_clock: tokio::sync::Mutex<StoreClock>,
}

/// The offset between the store's clock and this process's, and when to measure it again.
#[derive(Debug, Default)]
struct StoreClock {
    /// Store minus local, in microseconds.
    offset_us: i64,
    next_measure: Option<tokio::time::Instant>,
}

/// An organization-wide in-flight lease, given back when dropped.
#[derive(Debug)]
struct Lease {
    store: Arc<dyn LimitStore>,
    org: String,
    holder: String,
    /// Whether dropping it gives it back (not when a renewal under the same holder took
    /// its place).
    armed: bool,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        // Drop cannot wait: the release runs on the runtime. Without one (the process is
        // ending) the lease lapses at its end instead.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (store, org, holder) = (
            self.store.clone(),
            std::mem::take(&mut self.org),
            std::mem::take(&mut self.holder),
        );
        runtime.spawn(async move {
            if let Err(err) = store.release_in_flight(&org, &holder).await {
                tracing::warn!(target: "zbooks::limits", error = %err, "could not give back an in-flight lease; it lapses by itself");
            }
        });
    }
}

/// An in-flight cap that can be lowered while permits are out: a lowered cap is a debt paid by
/// forgetting permits as they come back.
#[derive(Debug)]
pub(crate) struct InFlight {
    semaphore: Arc<Semaphore>,
    max: u32,
    cap: AtomicU32,
    debt: AtomicU32,
    successes: AtomicU32,
}

/// A call's permit to be in flight; returned on drop.
#[derive(Debug)]
pub(crate) struct Permit {
    local: Option<OwnedSemaphorePermit>,
    owner: Arc<InFlight>,
    /// The organization-wide lease, when the store keeps them.
    lease: Option<Lease>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let paid = self
            .owner
            .debt
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |d| d.checked_sub(1))
            .is_ok();
        if let Some(permit) = self.local.take()
            && paid
        {
            permit.forget();
        }
    }
}

impl Permit {
    /// Gives the organization-wide lease back and waits for the store to take it (the local
    /// permit goes back when this returns).
    pub(crate) async fn release(mut self) {
        if let Some(mut lease) = self.lease.take() {
            lease.armed = false;
            if let Err(err) = lease
                .store
                .release_in_flight(&lease.org, &lease.holder)
                .await
            {
                tracing::warn!(target: "zbooks::limits", error = %err, "could not give back an in-flight lease; it lapses by itself");
            }
        }
    }
}

impl InFlight {
    fn new(max: u32) -> Self {
        let max = max.max(1);
        InFlight {
            semaphore: Arc::new(Semaphore::new(usize::try_from(max).unwrap_or(1))),
            max,
            cap: AtomicU32::new(max),
            debt: AtomicU32::new(0),
            successes: AtomicU32::new(0),
        }
    }

    /// Lowers the cap by one (never below one).
    fn lower(&self) {
        if self
            .cap
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| {
                (c > 1).then(|| c - 1)
            })
            .is_err()
        {
            return;
        }
        self.successes.store(0, Ordering::Relaxed);
        match self.semaphore.try_acquire() {
            Ok(idle) => idle.forget(),
            Err(_) => {
                self.debt.fetch_add(1, Ordering::AcqRel);
            }
        }
    }

    /// Counts a success; after enough in a row, raises a lowered cap by one.
    fn success(&self) {
        if self.cap.load(Ordering::Acquire) >= self.max {
            return;
        }
        if self.successes.fetch_add(1, Ordering::AcqRel) + 1 < RAISE_AFTER_SUCCESSES {
            return;
        }
        self.successes.store(0, Ordering::Relaxed);
        if self
            .cap
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| {
                (c < self.max).then_some(c + 1)
            })
            .is_ok()
            && self
                .debt
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |d| d.checked_sub(1))
                .is_err()
        {
            self.semaphore.add_permits(1);
        }
    }
}

impl Limiter {
    pub(crate) fn new(
        config: LimitsConfig,
        store: Arc<dyn LimitStore>,
        clock: Arc<dyn Clock>,
        sleep: SharedSleep,
        attempt_timeout: Duration,
        holder: String,
    ) -> Self {
        // The lease covers the attempt, plus the pacing wait before it (a call waits at most
        // a window for its slot, or a pause): two windows.
        let wait = config.window.max(config.pause.unwrap_or(config.window));
        Limiter {
            config,
            store,
            clock,
            sleep,
            orgs: Mutex::new(HashMap::new()),
            pauses: Mutex::new(HashMap::new()),
            slots: Mutex::new(HashMap::new()),
            lease: attempt_timeout.saturating_add(wait.saturating_mul(2)),
            holder,
            leases: AtomicU64::new(0),
            store_clock: tokio::sync::Mutex::new(StoreClock::default()),
        }
    }

    /// Now, on the store's clock: this process's clock plus the measured offset (measured
    /// first, or again when due).
    pub(crate) async fn store_now(&self) -> SystemTime {
        let mut state = self.store_clock.lock().await;
        let due = state
            .next_measure
            .is_none_or(|at| tokio::time::Instant::now() >= at);
        if due {
            let next = match self.measure_offset().await {
                Ok(offset) => {
                    state.offset_us = offset;
                    REMEASURE_CLOCK_EVERY
                }
                Err(err) => {
                    tracing::debug!(target: "zbooks::limits", error = %err, "cannot read the store's clock; keeping the last offset");
                    REMEASURE_AFTER_FAILURE
                }
            };
            state.next_measure = Some(tokio::time::Instant::now() + next);
        }
        shift(self.clock.now(), state.offset_us)
    }

    /// The store's clock minus this process's, in microseconds: of [`CLOCK_SAMPLES`] readings,
    /// the one with the shortest round trip (the server read its clock somewhere in it: its
    /// middle is off by at most half of it). An offset within that uncertainty is no offset:
    /// the clocks agree as far as can be told.
    async fn measure_offset(&self) -> Result<i64, crate::store::StoreError> {
        let mut best: Option<(i64, i64)> = None;
        for _ in 0..CLOCK_SAMPLES {
            let before = to_micros(self.clock.now());
            let server = self.store.server_time().await?;
            let after = to_micros(self.clock.now());
            let Some(server) = server else {
                return Ok(0);
            };
            let rtt = (after - before).max(0);
            let offset = to_micros(server) - (before + rtt / 2);
            if best.is_none_or(|(best_rtt, _)| rtt < best_rtt) {
                best = Some((rtt, offset));
            }
        }
        Ok(best.map_or(0, |(rtt, offset)| {
            if offset.abs() <= rtt / 2 + 1_000 {
                0
            } else {
                offset
            }
        }))
    }

    /// The store's clock minus this process's, in microseconds, as last measured.
    pub(crate) async fn clock_offset_us(&self) -> i64 {
        self.store_clock.lock().await.offset_us
    }

    /// Takes an organization-wide in-flight lease for one call (waiting while all are held),
    /// or `None` when the store keeps none.
    async fn take_lease(
        &self,
        org: &str,
        in_flight: &InFlight,
        holder: Option<String>,
        waits: &mut Vec<Wait>,
    ) -> Result<Option<Lease>, Error> {
        let holder = holder.unwrap_or_else(|| {
            format!(
                "{}-{:x}",
                self.holder,
                self.leases.fetch_add(1, Ordering::Relaxed)
            )
        });
        let mut waited = Duration::ZERO;
        let answer = loop {
            let cap = in_flight.cap.load(Ordering::Acquire);
            let now = self.store_now().await;
            let answer = self
                .store
                .acquire_in_flight(org, &holder, cap, now, self.lease)
                .await
                .map_err(Error::store)?;
            if answer != LeaseAdmission::Busy {
                break answer;
            }
            // Every lease is out: a call ends about every pacing interval, so ask again then.
            let wait = self.config.interval().max(Duration::from_millis(1));
            self.sleep.sleep_for(wait, WaitReason::Concurrency).await;
            waited += wait;
        };
        push_wait(waits, WaitReason::Concurrency, waited);
        Ok((answer == LeaseAdmission::Granted).then(|| Lease {
            store: self.store.clone(),
            org: org.to_owned(),
            holder,
            armed: true,
        }))
    }

    fn in_flight(&self, org: &str, limits: Limits) -> Arc<InFlight> {
        let mut orgs = self.orgs.lock().unwrap_or_else(PoisonError::into_inner);
        orgs.entry(org.to_owned())
            .or_insert_with(|| {
                Arc::new(InFlight::new(
                    self.config.in_flight.unwrap_or(limits.in_flight),
                ))
            })
            .clone()
    }

    /// The current in-flight cap of an organization (the plan's until a 1070 lowers it).
    pub(crate) fn in_flight_cap(&self, org: &str) -> Option<u32> {
        let orgs = self.orgs.lock().unwrap_or_else(PoisonError::into_inner);
        orgs.get(org).map(|f| f.cap.load(Ordering::Acquire))
    }

    /// Waits until the call may be sent: a permit, a unit of daily quota and a pacing slot.
    /// Records what it waited for in `waits`.
    pub(crate) async fn acquire(
        &self,
        org: &str,
        limits: Limits,
        waits: &mut Vec<Wait>,
    ) -> Result<Option<Permit>, Error> {
        if !self.config.enabled {
            return Ok(None);
        }
        let in_flight = self.in_flight(org, limits);
        let started = tokio::time::Instant::now();
        let permit = in_flight
            .semaphore
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::store("the in-flight semaphore closed"))?;
        push_wait(waits, WaitReason::Concurrency, started.elapsed());
        let lease = self.take_lease(org, &in_flight, None, waits).await?;
        let leased_at = tokio::time::Instant::now();
        let mut permit = Permit {
            local: Some(permit),
            owner: in_flight,
            lease,
        };

        let pacing = PacingPolicy {
            interval: self.config.interval(),
            burst: self.config.burst,
        };
        let mut daily = Some(DailyPolicy {
            limit: self.config.per_day.unwrap_or(limits.per_day),
            day: self.config.day,
        });
        loop {
            let now = self.store_now().await;
            // Never a slot before the latest this process was granted (see the module docs).
            let floor = self.latest_slot(org);
            let asked = now.max(floor);
            let admission = self
                .store
                .admit(org, asked, Some(pacing), daily)
                .await
                .map_err(Error::store)?;
            let (at, paused) = match admission {
                Admission::QuotaExhausted { resets_at } => {
                    let offset = self.clock_offset_us().await;
                    return Err(Error::new(
                        ErrorKind::QuotaExhausted {
                            resets_at: Some(shift(resets_at, -offset)),
                            local: true,
                        },
                        Sent::NotSent,
                    ));
                }
                Admission::Send { at, paused } => (at, paused),
            };
            self.note_slot(org, at);
            let wait = at.duration_since(now).unwrap_or(Duration::ZERO);
            if !wait.is_zero() {
                let reason = if paused {
                    WaitReason::Paused
                } else {
                    WaitReason::Pacing
                };
                self.sleep.sleep_for(wait, reason).await;
                push_wait(waits, reason, wait);
            }
            // A 429/44 that arrived while this call slept for its slot: the slot lies inside
            // the pause, so take a new one after it (the quota unit is already counted).
            if self.paused_until(org) > to_micros(self.store_now().await) {
                daily = None;
                continue;
            }
            // A long wait (a pause) may have outlived the lease's slack: renew it.
            if let Some(lease) = &permit.lease
                && leased_at.elapsed() >= self.config.window
            {
                let holder = lease.holder.clone();
                let renewed = self
                    .take_lease(org, &permit.owner, Some(holder), waits)
                    .await?;
                // The old lease is the renewed one (same holder): dropped without a release.
                if let Some(mut old) = permit.lease.take() {
                    old.armed = false;
                }
                permit.lease = renewed;
            }
            return Ok(Some(permit));
        }
    }

    /// The latest slot this process was granted for the organization (the epoch if none).
    fn latest_slot(&self, org: &str) -> SystemTime {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        from_micros(slots.get(org).copied().unwrap_or(0))
    }

    fn note_slot(&self, org: &str, at: SystemTime) {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = slots.entry(org.to_owned()).or_default();
        *entry = (*entry).max(to_micros(at));
    }

    fn paused_until(&self, org: &str) -> i64 {
        self.pauses
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(org)
            .copied()
            .unwrap_or(0)
    }

    /// A 429/44: pause every call to the organization, in every process sharing the store,
    /// until the window ends. Returns the end of the pause.
    pub(crate) async fn pause(&self, org: &str) -> Result<SystemTime, Error> {
        let now = self.store_now().await;
        let until = now + self.config.pause.unwrap_or(self.config.window);
        {
            let mut pauses = self.pauses.lock().unwrap_or_else(PoisonError::into_inner);
            let entry = pauses.entry(org.to_owned()).or_default();
            *entry = (*entry).max(to_micros(until));
        }
        self.store.pause(org, until).await.map_err(Error::store)?;
        Ok(shift(until, -self.clock_offset_us().await))
    }

    /// A 1070: one call fewer in flight from now on.
    pub(crate) fn lower_in_flight(&self, org: &str) {
        let orgs = self.orgs.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(in_flight) = orgs.get(org) {
            in_flight.lower();
        }
    }

    /// A call succeeded.
    pub(crate) fn success(&self, org: &str) {
        let orgs = self.orgs.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(in_flight) = orgs.get(org) {
            in_flight.success();
        }
    }

    /// A 429/45: the daily quota is spent until `resets_at` (Zoho's header, or a day from now).
    pub(crate) async fn exhaust(
        &self,
        org: &str,
        resets_at: Option<SystemTime>,
    ) -> Result<SystemTime, Error> {
        let resets_at = resets_at.unwrap_or_else(|| self.clock.now() + self.config.day);
        if self.config.enabled {
            // On the store's clock.
            self.store_now().await;
            let offset = self.clock_offset_us().await;
            self.store
                .exhaust_daily(org, shift(resets_at, offset))
                .await
                .map_err(Error::store)?;
        }
        Ok(resets_at)
    }

    /// Corrects the ledger from Zoho's `X-Rate-Limit-*` headers.
    pub(crate) async fn record_server_quota(&self, org: &str, mut quota: ServerQuota) {
        if !self.config.enabled {
            return;
        }
        // A configured daily budget stays a cap below Zoho's quota.
        if let Some(cap) = self.config.per_day.filter(|cap| *cap < quota.limit) {
            let used = quota.limit.saturating_sub(quota.remaining);
            quota.limit = cap;
            quota.remaining = cap.saturating_sub(used);
        }
        // The reset was computed on this process's clock; the store keeps its own.
        quota.resets_at = shift(quota.resets_at, self.clock_offset_us().await);
        if let Err(err) = self.store.record_server_quota(org, quota).await {
            tracing::warn!(target: "zbooks::limits", error = %err, "could not correct the daily ledger");
        }
    }
}

/// `t` moved by `offset_us` microseconds (either way).
fn shift(t: SystemTime, offset_us: i64) -> SystemTime {
    let magnitude = Duration::from_micros(offset_us.unsigned_abs());
    if offset_us >= 0 {
        t + magnitude
    } else {
        t.checked_sub(magnitude).unwrap_or(t)
    }
}

fn push_wait(waits: &mut Vec<Wait>, reason: WaitReason, waited: Duration) {
    let ms = millis(waited);
    if ms > 0 {
        waits.push(Wait { reason, ms });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryStore;
    use crate::store::{LimitsSnapshot, StoreResult};
    use crate::time::{BoxFuture, TokioSleep};
    use std::time::UNIX_EPOCH;
    use zbooks_types::Plan;

    /// A clock that moves with Tokio's (paused) time, so sleeps move it.
    #[derive(Debug)]
    struct TokioClock {
        start: tokio::time::Instant,
        base: SystemTime,
    }

    impl Clock for TokioClock {
        fn now(&self) -> SystemTime {
            self.base + self.start.elapsed()
        }
    }

    fn clock(base_secs: u64) -> Arc<dyn Clock> {
        Arc::new(TokioClock {
            start: tokio::time::Instant::now(),
            base: UNIX_EPOCH + Duration::from_secs(base_secs),
        })
    }

    /// A store shared by "processes": a memory store for pacing, plus in-flight leases and a
    /// clock of its own `ahead` of the test's, recording what it was asked.
    #[derive(Debug, Default)]
    struct SharedFake {
        memory: Mutex<Arc<MemoryStore>>,
        leases: Mutex<HashMap<String, SystemTime>>,
        caps: Mutex<Vec<u32>>,
        admitted_at: Mutex<Vec<SystemTime>>,
        ahead: Duration,
        clock_base: Mutex<Option<Arc<dyn Clock>>>,
    }

    impl SharedFake {
        fn held(&self) -> usize {
            self.leases.lock().unwrap().len()
        }

        fn memory(&self) -> Arc<MemoryStore> {
            self.memory.lock().unwrap().clone()
        }

        /// Loses every pacing state, as a Redis restarted without persistence.
        fn restart(&self) {
            *self.memory.lock().unwrap() = Arc::default();
            self.admitted_at.lock().unwrap().clear();
        }
    }

    impl LimitStore for SharedFake {
        fn admit<'a>(
            &'a self,
            organization_id: &'a str,
            now: SystemTime,
            pacing: Option<PacingPolicy>,
            daily: Option<DailyPolicy>,
        ) -> BoxFuture<'a, StoreResult<Admission>> {
            self.admitted_at.lock().unwrap().push(now);
            let memory = self.memory();
            Box::pin(async move { memory.admit(organization_id, now, pacing, daily).await })
        }
        fn pause<'a>(&'a self, o: &'a str, u: SystemTime) -> BoxFuture<'a, StoreResult<()>> {
            let memory = self.memory();
            Box::pin(async move { memory.pause(o, u).await })
        }
        fn record_server_quota<'a>(
            &'a self,
            o: &'a str,
            q: ServerQuota,
        ) -> BoxFuture<'a, StoreResult<()>> {
            let memory = self.memory();
            Box::pin(async move { memory.record_server_quota(o, q).await })
        }
        fn exhaust_daily<'a>(
            &'a self,
            o: &'a str,
            r: SystemTime,
        ) -> BoxFuture<'a, StoreResult<()>> {
            let memory = self.memory();
            Box::pin(async move { memory.exhaust_daily(o, r).await })
        }
        fn snapshot<'a>(
            &'a self,
            o: &'a str,
            n: SystemTime,
        ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>> {
            let memory = self.memory();
            Box::pin(async move { memory.snapshot(o, n).await })
        }
        fn acquire_in_flight<'a>(
            &'a self,
            _org: &'a str,
            holder: &'a str,
            cap: u32,
            now: SystemTime,
            lease: Duration,
        ) -> BoxFuture<'a, StoreResult<LeaseAdmission>> {
            self.caps.lock().unwrap().push(cap);
            let mut leases = self.leases.lock().unwrap();
            leases.retain(|_, until| *until > now);
            let answer = if leases.contains_key(holder) || leases.len() < cap as usize {
                leases.insert(holder.to_owned(), now + lease);
                LeaseAdmission::Granted
            } else {
                LeaseAdmission::Busy
            };
            Box::pin(async move { Ok(answer) })
        }
        fn release_in_flight<'a>(
            &'a self,
            _org: &'a str,
            holder: &'a str,
        ) -> BoxFuture<'a, StoreResult<()>> {
            self.leases.lock().unwrap().remove(holder);
            Box::pin(async { Ok(()) })
        }
        fn server_time(&self) -> BoxFuture<'_, StoreResult<Option<SystemTime>>> {
            let now = self
                .clock_base
                .lock()
                .unwrap()
                .as_ref()
                .map(|c| c.now() + self.ahead);
            Box::pin(async move { Ok(now) })
        }
    }

    fn config() -> LimitsConfig {
        LimitsConfig {
            window: Duration::from_secs(1),
            margin_permille: 0,
            in_flight: Some(2),
            ..LimitsConfig::default()
        }
    }

    fn limiter(store: Arc<dyn LimitStore>, clock: Arc<dyn Clock>, name: &str) -> Limiter {
        Limiter::new(
            config(),
            store,
            clock,
            Arc::new(TokioSleep),
            Duration::from_secs(5),
            name.to_owned(),
        )
    }

    /// Lets spawned releases run.
    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn two_processes_share_the_organizations_in_flight_leases() {
        let store = Arc::new(SharedFake::default());
        let (a, b) = (
            limiter(store.clone(), clock(1_000), "a"),
            limiter(store.clone(), clock(1_000), "b"),
        );
        let limits = Plan::Professional.limits();
        let mut waits = Vec::new();
        let first = a.acquire("1", limits, &mut waits).await.unwrap();
        let second = a.acquire("1", limits, &mut waits).await.unwrap();
        assert_eq!(store.held(), 2);
        // b's own semaphore is free, but the organization's two leases are out: it waits.
        let waiting = tokio::spawn(async move {
            let mut waits = Vec::new();
            let permit = b.acquire("1", limits, &mut waits).await.unwrap();
            (permit, waits)
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!waiting.is_finished());
        drop(first);
        let (permit, waits) = waiting.await.unwrap();
        assert!(permit.is_some());
        assert!(
            waits
                .iter()
                .any(|w| w.reason == WaitReason::Concurrency && w.ms >= 200),
            "{waits:?}"
        );
        // Asked every pacing interval (10 ms of a 1 s window), not in a spin.
        let asked = store.caps.lock().unwrap().len();
        assert!((15..=40).contains(&asked), "{asked} requests for a lease");
        drop((second, permit));
        settle().await;
        assert_eq!(store.held(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_call_gives_its_lease_back() {
        let store = Arc::new(SharedFake::default());
        let a = Arc::new(limiter(store.clone(), clock(1_000), "a"));
        // A pause makes the next call wait for its slot while it holds a lease.
        a.pause("1").await.unwrap();
        let waiting = {
            let a = a.clone();
            tokio::spawn(async move {
                let mut waits = Vec::new();
                a.acquire("1", Plan::Professional.limits(), &mut waits)
                    .await
                    .map(drop)
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(store.held(), 1);
        waiting.abort();
        let _ = waiting.await;
        settle().await;
        assert_eq!(store.held(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_that_ends_gives_its_lease_back_before_it_returns() {
        let store = Arc::new(SharedFake::default());
        let a = limiter(store.clone(), clock(1_000), "a");
        let permit = a
            .acquire("1", Plan::Professional.limits(), &mut Vec::new())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(store.held(), 1);
        // Awaited, not left to a task the end of the process may never run.
        permit.release().await;
        assert_eq!(store.held(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_1070_lowers_the_cap_asked_of_the_store_too() {
        let store = Arc::new(SharedFake::default());
        let a = limiter(store.clone(), clock(1_000), "a");
        let limits = Plan::Professional.limits();
        drop(a.acquire("1", limits, &mut Vec::new()).await.unwrap());
        settle().await;
        a.lower_in_flight("1");
        drop(a.acquire("1", limits, &mut Vec::new()).await.unwrap());
        assert_eq!(*store.caps.lock().unwrap(), [2, 1]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_unshared_store_leaves_the_local_semaphore_alone() {
        let store = Arc::new(MemoryStore::new());
        let a = limiter(store, clock(1_000), "a");
        let permit = a
            .acquire("1", Plan::Professional.limits(), &mut Vec::new())
            .await
            .unwrap()
            .unwrap();
        assert!(permit.lease.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_skewed_clock_paces_on_the_stores_clock() {
        // This process's clock is 30 s behind the store's (a window is 1 s).
        let local = clock(1_000);
        let store = Arc::new(SharedFake {
            ahead: Duration::from_secs(30),
            ..SharedFake::default()
        });
        *store.clock_base.lock().unwrap() = Some(local.clone());
        let a = limiter(store.clone(), local.clone(), "a");
        let limits = Plan::Professional.limits();
        let mut waits = Vec::new();
        for _ in 0..3 {
            drop(a.acquire("1", limits, &mut waits).await.unwrap());
        }
        let asked = store.admitted_at.lock().unwrap().clone();
        let store_now = local.now() + Duration::from_secs(30);
        for at in &asked {
            let off = store_now.duration_since(*at).unwrap_or_default();
            assert!(off < Duration::from_secs(1), "{at:?} vs {store_now:?}");
        }
        // Paced by the store's slots, not made to wait 30 s for them.
        assert!(waits.iter().all(|w| w.ms < 1_000), "{waits:?}");
        assert_eq!(a.clock_offset_us().await, 30_000_000);
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_schedule_restarts_after_the_latest_slot_this_process_holds() {
        let clock = clock(1_000);
        let store = Arc::new(SharedFake::default());
        let a = Arc::new(limiter(store.clone(), clock.clone(), "a"));
        let pacing = Some(PacingPolicy {
            interval: Duration::from_millis(10),
            burst: 0,
        });
        // Another process reserved the next half second of slots.
        for _ in 0..50 {
            store.admit("1", clock.now(), pacing, None).await.unwrap();
        }
        let waiting = {
            let a = a.clone();
            tokio::spawn(async move {
                a.acquire("1", Plan::Professional.limits(), &mut Vec::new())
                    .await
                    .map(drop)
            })
        };
        tokio::time::sleep(Duration::from_millis(1)).await;
        let reserved = a.latest_slot("1");
        assert!(reserved >= clock.now() + Duration::from_millis(400));
        // The shared state is lost (a restarted Redis): the next call asks for no slot
        // before the one this process already holds.
        store.restart();
        drop(
            a.acquire("1", Plan::Professional.limits(), &mut Vec::new())
                .await
                .unwrap(),
        );
        let asked = store.admitted_at.lock().unwrap()[0];
        assert!(asked >= reserved, "{asked:?} before {reserved:?}");
        waiting.await.unwrap().unwrap();
    }

    #[test]
    fn in_flight_cap_lowers_while_permits_are_out_and_recovers() {
        let in_flight = Arc::new(InFlight::new(3));
        let owner = in_flight.clone();
        let take = || Permit {
            local: Some(owner.semaphore.clone().try_acquire_owned().unwrap()),
            owner: owner.clone(),
            lease: None,
        };
        let (a, b, c) = (take(), take(), take());
        in_flight.lower();
        assert_eq!(in_flight.cap.load(Ordering::Acquire), 2);
        drop(a); // pays the debt
        assert_eq!(in_flight.semaphore.available_permits(), 0);
        drop(b);
        assert_eq!(in_flight.semaphore.available_permits(), 1);
        in_flight.lower(); // an idle permit is taken at once
        assert_eq!(in_flight.semaphore.available_permits(), 0);
        in_flight.lower(); // never below one
        assert_eq!(in_flight.cap.load(Ordering::Acquire), 1);
        drop(c);
        assert_eq!(in_flight.semaphore.available_permits(), 1);
        for _ in 0..RAISE_AFTER_SUCCESSES {
            in_flight.success();
        }
        assert_eq!(in_flight.cap.load(Ordering::Acquire), 2);
        assert_eq!(in_flight.semaphore.available_permits(), 2);
    }
}
