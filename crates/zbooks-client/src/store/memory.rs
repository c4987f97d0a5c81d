//! The in-memory store: one process, every client in it sharing one budget and one token
//! cache. The same semantics as the SQLite store, without its durability.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use super::{
    Admission, DailyPolicy, LimitStore, LimitsSnapshot, PacingPolicy, ServerQuota, StoreResult,
    StoredToken, TokenAdmission, TokenKey, TokenRequestPolicy, TokenStore, gcra_reserve,
    ledger_admit,
};
use crate::store::DailyUsage;
use crate::time::{BoxFuture, from_micros, from_millis, to_millis};

/// A store held in memory, shared by the clients of one process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    tokens: HashMap<TokenKey, StoredToken>,
    token_meta: HashMap<TokenKey, TokenMeta>,
    orgs: HashMap<String, OrgRow>,
}

#[derive(Debug, Default)]
struct TokenMeta {
    requests: VecDeque<SystemTime>,
    cooldown_until: Option<SystemTime>,
    lock: Option<(String, SystemTime)>,
}

#[derive(Debug, Default, Clone, Copy)]
struct OrgRow {
    /// The theoretical arrival time, in microseconds.
    tat_us: i64,
    paused_until_ms: i64,
    /// (used, limit, resets_at_ms)
    ledger: Option<(u32, u32, i64)>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Applies the token-request policy to a list of request times: `Granted` (and the request
/// counted) or the time the oldest request leaves the window.
pub(crate) fn admit_in_window(
    requests: &mut VecDeque<SystemTime>,
    cooldown_until: Option<SystemTime>,
    now: SystemTime,
    policy: TokenRequestPolicy,
) -> TokenAdmission {
    if let Some(until) = cooldown_until.filter(|until| *until > now) {
        return TokenAdmission::Denied { until };
    }
    while requests
        .front()
        .is_some_and(|t| now.duration_since(*t).unwrap_or(Duration::ZERO) >= policy.window)
    {
        requests.pop_front();
    }
    if requests.len() >= usize::try_from(policy.max).unwrap_or(usize::MAX) {
        let oldest = requests.front().copied().unwrap_or(now);
        return TokenAdmission::Denied {
            until: oldest + policy.window,
        };
    }
    requests.push_back(now);
    TokenAdmission::Granted
}

impl TokenStore for MemoryStore {
    fn load_token<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, StoreResult<Option<StoredToken>>> {
        let token = self.state().tokens.get(key).cloned();
        Box::pin(async move { Ok(token) })
    }

    fn save_token<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, StoreResult<()>> {
        self.state().tokens.insert(key.clone(), token.clone());
        Box::pin(async { Ok(()) })
    }

    fn try_lock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
        now: SystemTime,
        lease: Duration,
    ) -> BoxFuture<'a, StoreResult<bool>> {
        let mut state = self.state();
        let meta = state.token_meta.entry(key.clone()).or_default();
        let free = match &meta.lock {
            None => true,
            Some((current, until)) => current == holder || *until <= now,
        };
        if free {
            meta.lock = Some((holder.to_owned(), now + lease));
        }
        Box::pin(async move { Ok(free) })
    }

    fn unlock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let mut state = self.state();
        if let Some(meta) = state.token_meta.get_mut(key)
            && meta.lock.as_ref().is_some_and(|(h, _)| h == holder)
        {
            meta.lock = None;
        }
        Box::pin(async { Ok(()) })
    }

    fn admit_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
        now: SystemTime,
        policy: TokenRequestPolicy,
    ) -> BoxFuture<'a, StoreResult<TokenAdmission>> {
        let mut state = self.state();
        let meta = state.token_meta.entry(key.clone()).or_default();
        let admission = admit_in_window(&mut meta.requests, meta.cooldown_until, now, policy);
        Box::pin(async move { Ok(admission) })
    }

    fn cool_down<'a>(
        &'a self,
        key: &'a TokenKey,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let mut state = self.state();
        let meta = state.token_meta.entry(key.clone()).or_default();
        meta.cooldown_until = Some(meta.cooldown_until.map_or(until, |u| u.max(until)));
        Box::pin(async { Ok(()) })
    }
}

impl LimitStore for MemoryStore {
    fn admit<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
        pacing: Option<PacingPolicy>,
        daily: Option<DailyPolicy>,
    ) -> BoxFuture<'a, StoreResult<Admission>> {
        let mut state = self.state();
        let row = state.orgs.entry(organization_id.to_owned()).or_default();
        let now_ms = to_millis(now);
        let admission = admit_row(row, now_ms, pacing, daily);
        Box::pin(async move { Ok(admission) })
    }

    fn pause<'a>(
        &'a self,
        organization_id: &'a str,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let mut state = self.state();
        let row = state.orgs.entry(organization_id.to_owned()).or_default();
        row.paused_until_ms = row.paused_until_ms.max(to_millis(until));
        Box::pin(async { Ok(()) })
    }

    fn record_server_quota<'a>(
        &'a self,
        organization_id: &'a str,
        quota: ServerQuota,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let mut state = self.state();
        let row = state.orgs.entry(organization_id.to_owned()).or_default();
        row.ledger = Some((
            quota.limit.saturating_sub(quota.remaining),
            quota.limit,
            to_millis(quota.resets_at),
        ));
        Box::pin(async { Ok(()) })
    }

    fn exhaust_daily<'a>(
        &'a self,
        organization_id: &'a str,
        resets_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let mut state = self.state();
        let row = state.orgs.entry(organization_id.to_owned()).or_default();
        let limit = row.ledger.map_or(0, |(_, limit, _)| limit);
        row.ledger = Some((limit, limit, to_millis(resets_at)));
        Box::pin(async { Ok(()) })
    }

    fn snapshot<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>> {
        let row = self
            .state()
            .orgs
            .get(organization_id)
            .copied()
            .unwrap_or_default();
        Box::pin(async move { Ok(snapshot_of(&row, to_millis(now))) })
    }
}

fn admit_row(
    row: &mut OrgRow,
    now_ms: i64,
    pacing: Option<PacingPolicy>,
    daily: Option<DailyPolicy>,
) -> Admission {
    if let Some(policy) = daily {
        match ledger_admit(now_ms, row.ledger, policy) {
            Ok(ledger) => row.ledger = Some(ledger),
            Err(resets_at) => {
                return Admission::QuotaExhausted {
                    resets_at: from_millis(resets_at),
                };
            }
        }
    }
    let paused = row.paused_until_ms > now_ms;
    let at_ms = match pacing {
        Some(policy) => {
            let (at, tat) = gcra_reserve(
                now_ms.saturating_mul(1000),
                row.tat_us,
                row.paused_until_ms.saturating_mul(1000),
                policy,
            );
            row.tat_us = tat;
            from_micros(at)
        }
        None => from_millis(now_ms.max(row.paused_until_ms)),
    };
    Admission::Send { at: at_ms, paused }
}

fn snapshot_of(row: &OrgRow, now_ms: i64) -> LimitsSnapshot {
    LimitsSnapshot {
        daily: row
            .ledger
            .filter(|(_, _, resets_at)| *resets_at > now_ms)
            .map(|(used, limit, resets_at)| DailyUsage {
                used,
                limit,
                resets_at: from_millis(resets_at),
            }),
        paused_until: (row.paused_until_ms > now_ms).then(|| from_millis(row.paused_until_ms)),
        next_slot: (row.tat_us > now_ms.saturating_mul(1000)).then(|| from_micros(row.tat_us)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[tokio::test]
    async fn token_requests_are_capped_per_window_and_cool_down_holds() {
        let store = MemoryStore::new();
        let key = TokenKey::from_stored("k");
        let policy = TokenRequestPolicy {
            max: 10,
            window: Duration::from_mins(10),
        };
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        for i in 0..10 {
            let now = t0 + Duration::from_secs(i);
            assert_eq!(
                store.admit_token_request(&key, now, policy).await.unwrap(),
                TokenAdmission::Granted
            );
        }
        let denied = store.admit_token_request(&key, t0 + Duration::from_secs(30), policy);
        assert_eq!(
            denied.await.unwrap(),
            TokenAdmission::Denied {
                until: t0 + Duration::from_mins(10)
            }
        );
        let later = t0 + Duration::from_mins(10);
        assert_eq!(
            store
                .admit_token_request(&key, later, policy)
                .await
                .unwrap(),
            TokenAdmission::Granted
        );
        let until = later + Duration::from_mins(10);
        store.cool_down(&key, until).await.unwrap();
        assert_eq!(
            store
                .admit_token_request(&key, later + Duration::from_mins(9), policy)
                .await
                .unwrap(),
            TokenAdmission::Denied { until }
        );
    }

    #[tokio::test]
    async fn refresh_lock_has_one_holder_until_its_lease_ends() {
        let store = MemoryStore::new();
        let key = TokenKey::from_stored("k");
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000);
        let lease = Duration::from_secs(30);
        assert!(store.try_lock_refresh(&key, "a", t0, lease).await.unwrap());
        assert!(!store.try_lock_refresh(&key, "b", t0, lease).await.unwrap());
        assert!(
            store
                .try_lock_refresh(&key, "b", t0 + lease, lease)
                .await
                .unwrap()
        );
        store.unlock_refresh(&key, "a").await.unwrap();
        assert!(
            !store
                .try_lock_refresh(&key, "a", t0 + lease, lease)
                .await
                .unwrap()
        );
        store.unlock_refresh(&key, "b").await.unwrap();
        assert!(
            store
                .try_lock_refresh(&key, "a", t0 + lease, lease)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn quota_refuses_locally_and_follows_server_headers() {
        let store = MemoryStore::new();
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000);
        let daily = DailyPolicy {
            limit: 3,
            day: Duration::from_hours(24),
        };
        for _ in 0..3 {
            let admission = store.admit("1", t0, None, Some(daily)).await.unwrap();
            assert!(matches!(admission, Admission::Send { .. }));
        }
        let refused = store.admit("1", t0, None, Some(daily)).await.unwrap();
        assert_eq!(
            refused,
            Admission::QuotaExhausted {
                resets_at: t0 + Duration::from_hours(24)
            }
        );
        let resets_at = t0 + Duration::from_mins(1);
        store
            .record_server_quota(
                "1",
                ServerQuota {
                    limit: 1000,
                    remaining: 10,
                    resets_at,
                },
            )
            .await
            .unwrap();
        let snap = store.snapshot("1", t0).await.unwrap();
        assert_eq!(
            snap.daily,
            Some(DailyUsage {
                used: 990,
                limit: 1000,
                resets_at
            })
        );
    }
}
