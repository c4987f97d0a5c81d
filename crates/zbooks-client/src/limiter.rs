//! Zoho's limits, kept by the client instead of discovered by hitting them (docs/design.md
//! promise 3): per organization, a permit for a call in flight (at the plan's cap, lowered
//! after a 1070), then one store transaction that counts a unit of daily quota and reserves
//! the next even pacing slot (GCRA), then a wait until that slot.
//!
//! The permit comes first on purpose: a call that reserved a slot and then queued for a
//! permit would be sent late, bunched with later slots, and could overfill a window.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use zbooks_types::event::{Wait, WaitReason};
use zbooks_types::{Clock, Limits, Sent};

use crate::config::LimitsConfig;
use crate::error::{Error, ErrorKind};
use crate::store::{Admission, DailyPolicy, LimitStore, PacingPolicy, ServerQuota};
use crate::time::{SharedSleep, millis, to_millis};

/// Successes in a row after which a lowered in-flight cap rises by one again.
const RAISE_AFTER_SUCCESSES: u32 = 50;

/// The limits of every organization this client calls.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub(crate) config: LimitsConfig,
    pub(crate) store: Arc<dyn LimitStore>,
    clock: Arc<dyn Clock>,
    sleep: SharedSleep,
    orgs: Mutex<HashMap<String, Arc<InFlight>>>,
    /// The latest pause this process set per organization, in Unix milliseconds.
    pauses: Mutex<HashMap<String, i64>>,
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
    permit: Option<OwnedSemaphorePermit>,
    owner: Arc<InFlight>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let paid = self
            .owner
            .debt
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |d| d.checked_sub(1))
            .is_ok();
        if let Some(permit) = self.permit.take()
            && paid
        {
            permit.forget();
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
    ) -> Self {
        Limiter {
            config,
            store,
            clock,
            sleep,
            orgs: Mutex::new(HashMap::new()),
            pauses: Mutex::new(HashMap::new()),
        }
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
        let permit = Permit {
            permit: Some(permit),
            owner: in_flight,
        };
        push_wait(waits, WaitReason::Concurrency, started.elapsed());

        let pacing = PacingPolicy {
            interval: self.config.interval(),
            burst: self.config.burst,
        };
        let mut daily = Some(DailyPolicy {
            limit: self.config.per_day.unwrap_or(limits.per_day),
            day: self.config.day,
        });
        loop {
            let now = self.clock.now();
            let admission = self
                .store
                .admit(org, now, Some(pacing), daily)
                .await
                .map_err(Error::store)?;
            let (at, paused) = match admission {
                Admission::QuotaExhausted { resets_at } => {
                    return Err(Error::new(
                        ErrorKind::QuotaExhausted {
                            resets_at: Some(resets_at),
                            local: true,
                        },
                        Sent::NotSent,
                    ));
                }
                Admission::Send { at, paused } => (at, paused),
            };
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
            if self.paused_until(org) > to_millis(self.clock.now()) {
                daily = None;
                continue;
            }
            return Ok(Some(permit));
        }
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
        let until = self.clock.now() + self.config.pause.unwrap_or(self.config.window);
        {
            let mut pauses = self.pauses.lock().unwrap_or_else(PoisonError::into_inner);
            let entry = pauses.entry(org.to_owned()).or_default();
            *entry = (*entry).max(to_millis(until));
        }
        self.store.pause(org, until).await.map_err(Error::store)?;
        Ok(until)
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
            self.store
                .exhaust_daily(org, resets_at)
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
        if let Err(err) = self.store.record_server_quota(org, quota).await {
            tracing::warn!(target: "zbooks::limits", error = %err, "could not correct the daily ledger");
        }
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

    #[test]
    fn in_flight_cap_lowers_while_permits_are_out_and_recovers() {
        let in_flight = Arc::new(InFlight::new(3));
        let owner = in_flight.clone();
        let take = || Permit {
            permit: Some(owner.semaphore.clone().try_acquire_owned().unwrap()),
            owner: owner.clone(),
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
