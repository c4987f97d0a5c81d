//! What a process does while the shared store does not answer: it keeps going on a
//! conservative local share of the organization's limits instead of failing every call, and
//! says so (issue 16 §2: "callers never exceed the limit").
//!
//! The choice, documented in the README: while the primary store errs, each process paces
//! itself on its own in-memory budget at [`LOCAL_SHARE`] of the configured rate (its pacing
//! interval multiplied by 1 / share, no burst) and of the daily quota, and asks for at most
//! that share of Zoho's token requests. With up to 1 / share processes calling one
//! organization the sum stays within the limit; with more it may not, which is why the share
//! is small and the outage is announced (a `tracing` warning, once per outage, and again when
//! the primary answers). A 429/44 or a quota answer seen during the outage is kept locally and
//! written to the primary when it can be. The token cache falls back to the local copy, and
//! the refresh lock to a local one: during an outage two machines may each refresh once.
//!
//! Calls in flight: while the primary is down, a process holds at most the same share of the
//! organization's in-flight cap (at least one call), counted in its own memory, so that the
//! processes together stay under Zoho's cap as they do under its rate. The store's clock is
//! the primary's; while it is down the client keeps the offset it measured last. Nobody is
//! listed as a participant while the primary is down.
//!
//! Coming back: the other processes find the primary again only at their next probe (at most
//! [`PROBE_EVERY`] after their last failure), and until then keep to their local share. So
//! that one process back on the whole shared budget and another still on its share never
//! together pass the limit, a process keeps to its local share for [`RECOVERY_GRACE`] after
//! the primary answers again, while its calls are counted in the shared schedule too (the
//! shared slot is asked for no earlier than the local one).
//!
//! When the primary comes back empty (a Redis restarted without persistence), the client's
//! floor (`zbooks-client`'s limiter asks for no slot before the latest one it was granted,
//! local ones included) starts the fresh shared schedule after this process's own calls.
//!
//! It wraps any store of the traits: the CLI puts it in front of Redis and of PostgreSQL.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use zbooks_client::MemoryStore;
use zbooks_client::store::{
    Admission, DailyPolicy, LeaseAdmission, LimitStore, LimitsSnapshot, PacingPolicy, Participant,
    ServerQuota, StoreError, StoreResult, StoredToken, TokenAdmission, TokenKey,
    TokenRequestPolicy, TokenStore,
};
use zbooks_client::time::BoxFuture;
use zbooks_types::Plan;

/// While the primary is down, it is asked again at most this often, so that an unreachable
/// server (each attempt waiting out its connection timeout) does not slow every call.
pub const PROBE_EVERY: Duration = Duration::from_secs(1);

/// After the primary answers again, a process keeps to its local share this long (see the
/// module docs): every other process has probed by then.
pub const RECOVERY_GRACE: Duration = Duration::from_secs(2);

/// The fraction of the organization's limits one process allows itself while the shared
/// store is down: a quarter, so four processes together stay inside the limit.
pub const LOCAL_SHARE: f64 = 0.25;

/// A shared store with a local, conservative stand-in for when it does not answer.
pub struct FallbackStore<S> {
    primary: S,
    local: MemoryStore,
    share: f64,
    down: AtomicBool,
    last_failure: Mutex<Option<tokio::time::Instant>>,
    /// When the primary last answered again after an outage.
    recovered_at: Mutex<Option<tokio::time::Instant>>,
    notice: Option<Notice>,
    /// The in-flight leases granted locally while the primary was down, by org and holder.
    local_leases: Mutex<HashSet<(String, String)>>,
}

/// Told, in words, when the shared store stops or starts answering (beside the `tracing`
/// warning, for a CLI whose log shows errors only).
pub type Notice = Arc<dyn Fn(&str) + Send + Sync>;

impl<S: fmt::Debug> fmt::Debug for FallbackStore<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FallbackStore")
            .field("primary", &self.primary)
            .field("share", &self.share)
            .field("down", &self.down.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<S> FallbackStore<S> {
    /// `primary`, falling back to [`LOCAL_SHARE`] of the limits while it errs.
    pub fn new(primary: S) -> Self {
        FallbackStore::with_share(primary, LOCAL_SHARE)
    }

    /// `primary`, falling back to `share` (0 < share ≤ 1) of the limits while it errs.
    pub fn with_share(primary: S, share: f64) -> Self {
        FallbackStore {
            primary,
            local: MemoryStore::new(),
            share: share.clamp(0.01, 1.0),
            down: AtomicBool::new(false),
            last_failure: Mutex::new(None),
            recovered_at: Mutex::new(None),
            notice: None,
            local_leases: Mutex::new(HashSet::new()),
        }
    }

    /// The same store, also telling `notice` when the shared store stops or starts answering.
    #[must_use]
    pub fn with_notice(mut self, notice: Notice) -> Self {
        self.notice = Some(notice);
        self
    }

    /// The wrapped store.
    pub fn primary(&self) -> &S {
        &self.primary
    }

    /// Whether the last call to the primary failed.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Relaxed)
    }

    /// The primary's answer to `call`, or `None` when it erred or is down and was asked less
    /// than [`PROBE_EVERY`] ago (then `call` is not made).
    async fn try_primary<T, F>(&self, what: &str, call: impl FnOnce() -> F) -> Option<T>
    where
        F: Future<Output = StoreResult<T>>,
    {
        if self.is_down() {
            let last = *self
                .last_failure
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|at| at.elapsed() < PROBE_EVERY) {
                return None;
            }
        }
        let result = call().await;
        if result.is_err() {
            *self
                .last_failure
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(tokio::time::Instant::now());
        }
        self.primary_ok(what, result)
    }

    /// The primary's answer, or `None` (announcing the outage once) when it erred.
    fn primary_ok<T>(&self, what: &str, result: StoreResult<T>) -> Option<T> {
        match result {
            Ok(value) => {
                if self.down.swap(false, Ordering::Relaxed) {
                    *self
                        .recovered_at
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) =
                        Some(tokio::time::Instant::now());
                    let message = "the shared state store answers again: back on the \
                                   organization's shared budget";
                    tracing::warn!(target: "zbooks::state", "{message}");
                    if let Some(notice) = &self.notice {
                        notice(message);
                    }
                }
                Some(value)
            }
            Err(err) => {
                if !self.down.swap(true, Ordering::Relaxed) {
                    let message = format!(
                        "the shared state store does not answer ({what}: {err}): this process \
                         keeps to {:.0}% of the organization's limits until it answers again",
                        self.share * 100.0
                    );
                    tracing::warn!(target: "zbooks::state", "{message}");
                    if let Some(notice) = &self.notice {
                        notice(&message);
                    }
                }
                None
            }
        }
    }

    /// Whether the primary answered again less than [`RECOVERY_GRACE`] ago.
    fn recovering(&self) -> bool {
        self.recovered_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|at| at.elapsed() < RECOVERY_GRACE)
    }

    fn local_pacing(&self, pacing: Option<PacingPolicy>) -> Option<PacingPolicy> {
        pacing.map(|p| PacingPolicy {
            interval: p.interval.div_f64(self.share),
            burst: 0,
        })
    }

    fn local_daily(&self, daily: Option<DailyPolicy>) -> Option<DailyPolicy> {
        daily.map(|d| DailyPolicy {
            limit: scale(d.limit, self.share),
            day: d.day,
        })
    }
}

/// `n * share`, rounded down, at least 1 when `n` is.
fn scale(n: u32, share: f64) -> u32 {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "share is in (0, 1], so the product is in [0, n]"
    )]
    let scaled = (f64::from(n) * share).floor() as u32;
    scaled.max(u32::from(n > 0))
}

impl<S: LimitStore> LimitStore for FallbackStore<S> {
    fn admit<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
        pacing: Option<PacingPolicy>,
        daily: Option<DailyPolicy>,
    ) -> BoxFuture<'a, StoreResult<Admission>> {
        Box::pin(async move {
            if self.recovering() {
                // Still the local share, and counted in the shared schedule no earlier.
                let local = self
                    .local
                    .admit(
                        organization_id,
                        now,
                        self.local_pacing(pacing),
                        self.local_daily(daily),
                    )
                    .await?;
                let Admission::Send { at, .. } = local else {
                    return Ok(local);
                };
                let shared = self
                    .try_primary("admit", || {
                        self.primary
                            .admit(organization_id, at.max(now), pacing, daily)
                    })
                    .await;
                return Ok(shared.unwrap_or(local));
            }
            let shared = self
                .try_primary("admit", || {
                    self.primary.admit(organization_id, now, pacing, daily)
                })
                .await;
            if let Some(admission) = shared {
                return Ok(admission);
            }
            self.local
                .admit(
                    organization_id,
                    now,
                    self.local_pacing(pacing),
                    self.local_daily(daily),
                )
                .await
        })
    }

    fn pause<'a>(
        &'a self,
        organization_id: &'a str,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.local.pause(organization_id, until).await?;
            self.try_primary("pause", || self.primary.pause(organization_id, until))
                .await;
            Ok(())
        })
    }

    fn record_server_quota<'a>(
        &'a self,
        organization_id: &'a str,
        quota: ServerQuota,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let local = ServerQuota {
                limit: scale(quota.limit, self.share),
                remaining: scale(quota.remaining, self.share),
                resets_at: quota.resets_at,
            };
            self.local
                .record_server_quota(organization_id, local)
                .await?;
            self.try_primary("record quota", || {
                self.primary.record_server_quota(organization_id, quota)
            })
            .await;
            Ok(())
        })
    }

    fn exhaust_daily<'a>(
        &'a self,
        organization_id: &'a str,
        resets_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.local.exhaust_daily(organization_id, resets_at).await?;
            self.try_primary("exhaust quota", || {
                self.primary.exhaust_daily(organization_id, resets_at)
            })
            .await;
            Ok(())
        })
    }

    fn snapshot<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>> {
        Box::pin(async move {
            let shared = self
                .try_primary("snapshot", || self.primary.snapshot(organization_id, now))
                .await;
            match shared {
                Some(snapshot) => Ok(snapshot),
                None => self.local.snapshot(organization_id, now).await,
            }
        })
    }

    fn load_plan<'a>(
        &'a self,
        organization_id: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(Plan, SystemTime)>>> {
        Box::pin(async move {
            let shared = self
                .try_primary("load plan", || self.primary.load_plan(organization_id))
                .await;
            Ok(shared.flatten())
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
            let shared = self
                .try_primary("in-flight lease", || {
                    self.primary
                        .acquire_in_flight(organization_id, holder, cap, now, lease)
                })
                .await;
            if let Some(answer) = shared {
                return Ok(answer);
            }
            // The local share of the cap, counted here (a dead process takes its count along).
            let mut leases = self
                .local_leases
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let key = (organization_id.to_owned(), holder.to_owned());
            let held = leases.iter().filter(|(o, _)| o == organization_id).count();
            if leases.contains(&key) || held < scale(cap, self.share) as usize {
                leases.insert(key);
                Ok(LeaseAdmission::Granted)
            } else {
                Ok(LeaseAdmission::Busy)
            }
        })
    }

    fn release_in_flight<'a>(
        &'a self,
        organization_id: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let local = self
                .local_leases
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&(organization_id.to_owned(), holder.to_owned()));
            if !local {
                self.try_primary("in-flight release", || {
                    self.primary.release_in_flight(organization_id, holder)
                })
                .await;
            }
            Ok(())
        })
    }

    fn server_time(&self) -> BoxFuture<'_, StoreResult<Option<SystemTime>>> {
        Box::pin(async move {
            self.try_primary("time", || self.primary.server_time())
                .await
                .ok_or_else(|| StoreError::new("the shared state store does not answer"))
        })
    }

    fn participants<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<Vec<Participant>>> {
        Box::pin(async move {
            let shared = self
                .try_primary("participants", || {
                    self.primary.participants(organization_id, now)
                })
                .await;
            Ok(shared.unwrap_or_default())
        })
    }

    fn save_plan<'a>(
        &'a self,
        organization_id: &'a str,
        plan: Plan,
        checked_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.try_primary("save plan", || {
                self.primary.save_plan(organization_id, plan, checked_at)
            })
            .await;
            Ok(())
        })
    }
}

impl<S: TokenStore> TokenStore for FallbackStore<S> {
    fn load_token<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, StoreResult<Option<StoredToken>>> {
        Box::pin(async move {
            let shared = self
                .try_primary("load token", || self.primary.load_token(key))
                .await;
            match shared {
                Some(token) => Ok(token),
                None => self.local.load_token(key).await,
            }
        })
    }

    fn save_token<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.local.save_token(key, token).await?;
            self.try_primary("save token", || self.primary.save_token(key, token))
                .await;
            Ok(())
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
            let shared = self
                .try_primary("refresh lock", || {
                    self.primary.try_lock_refresh(key, holder, now, lease)
                })
                .await;
            match shared {
                Some(taken) => Ok(taken),
                None => self.local.try_lock_refresh(key, holder, now, lease).await,
            }
        })
    }

    fn unlock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.local.unlock_refresh(key, holder).await?;
            self.try_primary("refresh unlock", || {
                self.primary.unlock_refresh(key, holder)
            })
            .await;
            Ok(())
        })
    }

    fn admit_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
        now: SystemTime,
        policy: TokenRequestPolicy,
    ) -> BoxFuture<'a, StoreResult<TokenAdmission>> {
        Box::pin(async move {
            let shared = self
                .try_primary("token request", || {
                    self.primary.admit_token_request(key, now, policy)
                })
                .await;
            if let Some(admission) = shared {
                return Ok(admission);
            }
            let local = TokenRequestPolicy {
                max: scale(policy.max, self.share),
                window: policy.window,
            };
            self.local.admit_token_request(key, now, local).await
        })
    }

    fn cool_down<'a>(
        &'a self,
        key: &'a TokenKey,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.local.cool_down(key, until).await?;
            self.try_primary("token cool-down", || self.primary.cool_down(key, until))
                .await;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;
    use zbooks_client::store::StoreError;

    /// A memory store that errs while `down` is set.
    #[derive(Debug, Default)]
    struct Flaky {
        store: MemoryStore,
        down: AtomicBool,
    }

    impl LimitStore for Flaky {
        fn admit<'a>(
            &'a self,
            organization_id: &'a str,
            now: SystemTime,
            pacing: Option<PacingPolicy>,
            daily: Option<DailyPolicy>,
        ) -> BoxFuture<'a, StoreResult<Admission>> {
            if self.down.load(Ordering::Relaxed) {
                return Box::pin(async { Err(StoreError::new("connection refused")) });
            }
            self.store.admit(organization_id, now, pacing, daily)
        }
        fn pause<'a>(&'a self, o: &'a str, u: SystemTime) -> BoxFuture<'a, StoreResult<()>> {
            self.store.pause(o, u)
        }
        fn record_server_quota<'a>(
            &'a self,
            o: &'a str,
            q: ServerQuota,
        ) -> BoxFuture<'a, StoreResult<()>> {
            self.store.record_server_quota(o, q)
        }
        fn exhaust_daily<'a>(
            &'a self,
            o: &'a str,
            r: SystemTime,
        ) -> BoxFuture<'a, StoreResult<()>> {
            self.store.exhaust_daily(o, r)
        }
        fn snapshot<'a>(
            &'a self,
            o: &'a str,
            n: SystemTime,
        ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>> {
            self.store.snapshot(o, n)
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_outage_is_announced_kept_local_and_left_when_the_store_answers() {
        let notes = Arc::new(Mutex::new(Vec::<String>::new()));
        let seen = notes.clone();
        let store = FallbackStore::new(Flaky::default()).with_notice(Arc::new(move |m: &str| {
            seen.lock().unwrap().push(m.to_owned());
        }));
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000);
        let pacing = Some(PacingPolicy {
            interval: Duration::from_millis(600),
            burst: 0,
        });
        store.primary().down.store(true, Ordering::Relaxed);
        for _ in 0..3 {
            store.admit("1", t0, pacing, None).await.unwrap();
        }
        assert!(store.is_down());
        // The local share paces at a quarter of the rate; the primary counted nothing.
        let local = store.local.snapshot("1", t0).await.unwrap();
        assert_eq!(local.next_slot, Some(t0 + Duration::from_millis(3 * 2400)));
        let shared = store.primary().store.snapshot("1", t0).await.unwrap();
        assert_eq!(shared.next_slot, None);

        // Back up: asked again only once PROBE_EVERY has passed since the last failure.
        store.primary().down.store(false, Ordering::Relaxed);
        store.admit("1", t0, pacing, None).await.unwrap();
        assert!(store.is_down());
        tokio::time::advance(PROBE_EVERY).await;
        store.admit("1", t0, pacing, None).await.unwrap();
        assert!(!store.is_down());
        let shared = store.primary().store.snapshot("1", t0).await.unwrap();
        assert_eq!(shared.next_slot, Some(t0 + Duration::from_millis(600)));
        // Recovering: still the local share (its fifth slot, 4 × 2.4 s), counted in the
        // shared schedule no earlier.
        let at = |a: Admission| match a {
            Admission::Send { at, .. } => at.duration_since(t0).unwrap(),
            Admission::QuotaExhausted { .. } => panic!("{a:?}"),
        };
        let recovering = store.admit("1", t0, pacing, None).await.unwrap();
        assert_eq!(at(recovering), Duration::from_millis(9600));
        // After the grace, the shared schedule alone.
        tokio::time::advance(RECOVERY_GRACE).await;
        let shared = store.admit("1", t0, pacing, None).await.unwrap();
        assert_eq!(at(shared), Duration::from_millis(10_200));

        let notes = notes.lock().unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("does not answer") && notes[0].contains("25%"));
        assert!(notes[1].contains("answers again"));
    }
}
