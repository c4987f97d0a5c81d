//! The client's shared state on PostgreSQL ([`PgState`]): `zbooks-client`'s [`LimitStore`] and
//! [`TokenStore`] with exactly the semantics of the in-memory, SQLite and Redis stores, plus
//! in-flight leases that lapse when their holder dies, the participants calling each
//! organization, and the server's clock, so that one database may hold everything a fleet of
//! machines shares (issue 16 §1).
//!
//! Every decision is one statement (one round trip): an admission is the `zbooks_admit`
//! function the migration installs (the daily ledger, the pacing slot after any pause, and the
//! participant's counts, under the organization's row lock); a token request and an in-flight
//! lease are functions too; the refresh lock is one `INSERT … ON CONFLICT DO UPDATE … WHERE`
//! that takes the lock only when it is free, ours, or its lease ran out. Times are the
//! caller's (the injected clock), as in the other stores; [`PgState::server_time`] lets a
//! client correct its clock to the server's.
//!
//! The refresh lock and the in-flight leases are held under a fencing token: a random part
//! per store (per process) and the holder's name, since holder names are only unique on one
//! machine. A dead holder frees both when its lease runs out.

use std::fmt;
use std::hash::{BuildHasher as _, Hasher as _};
use std::time::{Duration, SystemTime};

use zbooks_client::store::{
    Admission, DailyPolicy, DailyUsage, LeaseAdmission, LimitStore, LimitsSnapshot, PacingPolicy,
    Participant, ServerQuota, StoreError, StoreResult, StoredToken, TokenAdmission, TokenKey,
    TokenRequestPolicy, TokenStore,
};
use zbooks_client::time::{BoxFuture, from_micros, from_millis, to_micros, to_millis};
use zbooks_types::{Plan, Secret};

use crate::{PgStore, db_error};

/// How far back a participant's calls count as "the last minute".
pub const PARTICIPANT_MINUTE: Duration = Duration::from_mins(1);

/// A participant that has not called for this long is forgotten.
const PARTICIPANT_KEPT: Duration = Duration::from_hours(48);

/// Budget, daily ledger, pause, in-flight leases, participants and token cache in one
/// PostgreSQL database, shared by every process (on every machine) pointed at it.
#[derive(Clone)]
pub struct PgState {
    store: PgStore,
    participant: String,
    /// This store's part of every fencing token.
    fence: String,
}

impl fmt::Debug for PgState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgState")
            .field("store", &self.store)
            .field("participant", &self.participant)
            .finish_non_exhaustive()
    }
}

/// A random 64-bit number from the standard library's per-process hash keys (it only has to
/// differ between processes and machines, not be unpredictable).
fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}

fn dur_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// A duration in microseconds, kept well inside `BIGINT` so sums of them cannot overflow.
fn dur_us(d: Duration) -> i64 {
    i64::try_from(d.as_micros())
        .unwrap_or(i64::MAX)
        .min(1 << 52)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl PgState {
    /// The state store on `store`'s database, as the participant `pid <this process>` (name
    /// it with [`PgState::participant`]).
    pub fn new(store: PgStore) -> PgState {
        PgState {
            store,
            participant: format!("pid {}", std::process::id()),
            fence: format!("{:016x}", random_u64()),
        }
    }

    /// The same store, counting this process's calls under `name` (program, host and process,
    /// as `zbooks quota` shows it).
    #[must_use]
    pub fn participant(mut self, name: impl Into<String>) -> PgState {
        self.participant = name.into();
        self
    }

    /// The name this store counts its calls under.
    pub fn participant_name(&self) -> &str {
        &self.participant
    }

    /// The database.
    pub fn store(&self) -> &PgStore {
        &self.store
    }

    fn fencing_token(&self, holder: &str) -> String {
        format!("{}/{holder}", self.fence)
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        self.store.client().await
    }

    /// Runs one statement that changes rows, as a store call.
    async fn execute(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> StoreResult<()> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(|e| db_error(&e))?;
        client
            .execute(&statement, params)
            .await
            .map(drop)
            .map_err(|e| db_error(&e))
    }

    /// Runs one query expecting at most one row.
    async fn query_opt(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> StoreResult<Option<tokio_postgres::Row>> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(|e| db_error(&e))?;
        client
            .query_opt(&statement, params)
            .await
            .map_err(|e| db_error(&e))
    }

    /// Runs one query returning rows.
    async fn query(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> StoreResult<Vec<tokio_postgres::Row>> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(|e| db_error(&e))?;
        client
            .query(&statement, params)
            .await
            .map_err(|e| db_error(&e))
    }

    /// Runs one query expecting exactly one row.
    async fn query_one(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> StoreResult<tokio_postgres::Row> {
        self.query_opt(sql, params)
            .await?
            .ok_or_else(|| StoreError::new("postgresql: a query returned no row"))
    }
}

impl PgStore {
    /// The client's shared state (budget, leases, token cache) on this database.
    pub fn state(&self) -> PgState {
        PgState::new(self.clone())
    }
}

impl TokenStore for PgState {
    fn load_token<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, StoreResult<Option<StoredToken>>> {
        Box::pin(async move {
            let row = self
                .query_opt(
                    "SELECT access_token, expires_at_ms, api_domain, lifetime_ms \
                     FROM state_tokens WHERE key = $1",
                    &[&key.as_str()],
                )
                .await?;
            Ok(row.map(|row| StoredToken {
                access_token: Secret::new(row.get::<_, String>(0)),
                expires_at: from_millis(row.get(1)),
                api_domain: row.get(2),
                lifetime: row
                    .get::<_, Option<i64>>(3)
                    .and_then(|ms| u64::try_from(ms).ok())
                    .map(Duration::from_millis),
            }))
        })
    }

    fn save_token<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let lifetime = token.lifetime.map(dur_ms);
            self.execute(
                "INSERT INTO state_tokens (key, access_token, expires_at_ms, api_domain, \
                 lifetime_ms) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (key) DO UPDATE SET access_token = $2, expires_at_ms = $3, \
                 api_domain = $4, lifetime_ms = $5",
                &[
                    &key.as_str(),
                    &token.access_token.expose(),
                    &to_millis(token.expires_at),
                    &token.api_domain,
                    &lifetime,
                ],
            )
            .await
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
            let now = to_millis(now);
            let until = now.saturating_add(dur_ms(lease));
            // Taken when there is no row, or the row's lock is free, ours, or ran out.
            let row = self
                .query_opt(
                    "INSERT INTO state_token_state AS s (key, lock_holder, lock_until_ms) \
                     VALUES ($1, $2, $3) \
                     ON CONFLICT (key) DO UPDATE SET lock_holder = $2, lock_until_ms = $3 \
                     WHERE s.lock_holder IS NULL OR s.lock_holder = $2 OR s.lock_until_ms <= $4 \
                     RETURNING 1",
                    &[&key.as_str(), &self.fencing_token(holder), &until, &now],
                )
                .await?;
            Ok(row.is_some())
        })
    }

    fn unlock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.execute(
                "UPDATE state_token_state SET lock_holder = NULL, lock_until_ms = 0 \
                 WHERE key = $1 AND lock_holder = $2",
                &[&key.as_str(), &self.fencing_token(holder)],
            )
            .await
        })
    }

    fn admit_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
        now: SystemTime,
        policy: TokenRequestPolicy,
    ) -> BoxFuture<'a, StoreResult<TokenAdmission>> {
        Box::pin(async move {
            let row = self
                .query_one(
                    "SELECT granted, until_ms FROM zbooks_admit_token_request($1, $2, $3, $4)",
                    &[
                        &key.as_str(),
                        &to_millis(now),
                        &dur_ms(policy.window),
                        &i64::from(policy.max),
                    ],
                )
                .await?;
            Ok(if row.get(0) {
                TokenAdmission::Granted
            } else {
                TokenAdmission::Denied {
                    until: from_millis(row.get(1)),
                }
            })
        })
    }

    fn cool_down<'a>(
        &'a self,
        key: &'a TokenKey,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.execute(
                "INSERT INTO state_token_state AS s (key, cooldown_until_ms) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET \
                 cooldown_until_ms = GREATEST(s.cooldown_until_ms, $2)",
                &[&key.as_str(), &to_millis(until)],
            )
            .await
        })
    }
}

impl LimitStore for PgState {
    fn admit<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
        pacing: Option<PacingPolicy>,
        daily: Option<DailyPolicy>,
    ) -> BoxFuture<'a, StoreResult<Admission>> {
        Box::pin(async move {
            let interval = pacing.map(|p| dur_us(p.interval));
            let burst = pacing.map_or(0, |p| i64::from(p.burst));
            let day_limit = daily.map(|d| i64::from(d.limit));
            let day = daily.map_or(0, |d| dur_us(d.day) / 1000);
            let row = self
                .query_one(
                    "SELECT admitted, send_at_us, paused, resets_at_ms \
                     FROM zbooks_admit($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &[
                        &organization_id,
                        &self.participant,
                        &to_micros(now),
                        &to_millis(now),
                        &interval,
                        &burst,
                        &day_limit,
                        &day,
                        &dur_us(PARTICIPANT_MINUTE),
                    ],
                )
                .await?;
            if row.get(0) {
                Ok(Admission::Send {
                    at: from_micros(row.get(1)),
                    paused: row.get(2),
                })
            } else {
                Ok(Admission::QuotaExhausted {
                    resets_at: from_millis(row.get(3)),
                })
            }
        })
    }

    fn pause<'a>(
        &'a self,
        organization_id: &'a str,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.execute(
                "INSERT INTO state_org_limits AS o (organization_id, paused_until_ms) \
                 VALUES ($1, $2) ON CONFLICT (organization_id) DO UPDATE SET \
                 paused_until_ms = GREATEST(o.paused_until_ms, $2)",
                &[&organization_id, &to_millis(until)],
            )
            .await
        })
    }

    fn record_server_quota<'a>(
        &'a self,
        organization_id: &'a str,
        quota: ServerQuota,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.execute(
                "INSERT INTO state_org_limits (organization_id, day_used, day_limit, \
                 day_resets_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (organization_id) \
                 DO UPDATE SET day_used = $2, day_limit = $3, day_resets_at_ms = $4",
                &[
                    &organization_id,
                    &i64::from(quota.limit.saturating_sub(quota.remaining)),
                    &i64::from(quota.limit),
                    &to_millis(quota.resets_at),
                ],
            )
            .await
        })
    }

    fn exhaust_daily<'a>(
        &'a self,
        organization_id: &'a str,
        resets_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            // used = limit (the limit kept, 0 when there is no ledger), until the reset.
            self.execute(
                "INSERT INTO state_org_limits AS o (organization_id, day_used, day_limit, \
                 day_resets_at_ms) VALUES ($1, 0, 0, $2) ON CONFLICT (organization_id) \
                 DO UPDATE SET day_used = COALESCE(o.day_limit, 0), \
                 day_limit = COALESCE(o.day_limit, 0), day_resets_at_ms = $2",
                &[&organization_id, &to_millis(resets_at)],
            )
            .await
        })
    }

    fn snapshot<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>> {
        Box::pin(async move {
            let row = self
                .query_opt(
                    "SELECT tat_us, paused_until_ms, day_used, day_limit, day_resets_at_ms \
                     FROM state_org_limits WHERE organization_id = $1",
                    &[&organization_id],
                )
                .await?;
            let now_ms = to_millis(now);
            let Some(row) = row else {
                return Ok(LimitsSnapshot {
                    daily: None,
                    paused_until: None,
                    next_slot: None,
                });
            };
            let (tat_us, paused_ms): (i64, i64) = (row.get(0), row.get(1));
            let ledger: (Option<i64>, Option<i64>, Option<i64>) =
                (row.get(2), row.get(3), row.get(4));
            Ok(LimitsSnapshot {
                daily: match ledger {
                    (Some(used), Some(limit), Some(resets)) if resets > now_ms => {
                        Some(DailyUsage {
                            used: count(used),
                            limit: count(limit),
                            resets_at: from_millis(resets),
                        })
                    }
                    _ => None,
                },
                paused_until: (paused_ms > now_ms).then(|| from_millis(paused_ms)),
                next_slot: (tat_us > now_ms.saturating_mul(1000)).then(|| from_micros(tat_us)),
            })
        })
    }

    fn load_plan<'a>(
        &'a self,
        organization_id: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(Plan, SystemTime)>>> {
        Box::pin(async move {
            let row = self
                .query_opt(
                    "SELECT plan, checked_at_ms FROM state_org_plans WHERE organization_id = $1",
                    &[&organization_id],
                )
                .await?;
            // A plan name a newer build wrote and this one does not know is read again.
            Ok(row.and_then(|row| {
                let plan: String = row.get(0);
                Some((plan.parse().ok()?, from_millis(row.get(1))))
            }))
        })
    }

    fn save_plan<'a>(
        &'a self,
        organization_id: &'a str,
        plan: Plan,
        checked_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.execute(
                "INSERT INTO state_org_plans (organization_id, plan, checked_at_ms) \
                 VALUES ($1, $2, $3) ON CONFLICT (organization_id) \
                 DO UPDATE SET plan = $2, checked_at_ms = $3",
                &[&organization_id, &plan.name(), &to_millis(checked_at)],
            )
            .await
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
            let now = to_micros(now);
            let row = self
                .query_one(
                    "SELECT zbooks_acquire_in_flight($1, $2, $3, $4, $5, $6)",
                    &[
                        &organization_id,
                        &self.fencing_token(holder),
                        &self.participant,
                        &i64::from(cap),
                        &now,
                        &now.saturating_add(dur_us(lease)),
                    ],
                )
                .await?;
            Ok(if row.get(0) {
                LeaseAdmission::Granted
            } else {
                LeaseAdmission::Busy
            })
        })
    }

    fn release_in_flight<'a>(
        &'a self,
        organization_id: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            self.execute(
                "DELETE FROM state_in_flight WHERE organization_id = $1 AND holder = $2",
                &[&organization_id, &self.fencing_token(holder)],
            )
            .await
        })
    }

    fn server_time(&self) -> BoxFuture<'_, StoreResult<Option<SystemTime>>> {
        Box::pin(async move {
            let row = self
                .query_one(
                    "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT",
                    &[],
                )
                .await?;
            Ok(Some(from_micros(row.get(0))))
        })
    }

    fn participants<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<Vec<Participant>>> {
        Box::pin(async move {
            let now_us = to_micros(now);
            // Forget processes long gone (their calls of the last minute went with their
            // last admission's clean-up, or go now).
            let forget = now_us.saturating_sub(dur_us(PARTICIPANT_KEPT));
            self.execute(
                "WITH gone AS (DELETE FROM state_participants \
                 WHERE organization_id = $1 AND last_call_us < $2 RETURNING participant) \
                 DELETE FROM state_participant_calls c USING gone \
                 WHERE c.organization_id = $1 AND c.participant = gone.participant",
                &[&organization_id, &forget],
            )
            .await?;
            let rows = self
                .query(
                    "WITH names AS ( \
                       SELECT participant FROM state_participants WHERE organization_id = $1 \
                       UNION \
                       SELECT participant FROM state_in_flight \
                       WHERE organization_id = $1 AND until_us > $2) \
                     SELECT n.participant, \
                       (SELECT COUNT(*) FROM state_participant_calls c \
                        WHERE c.organization_id = $1 AND c.participant = n.participant \
                          AND c.at_us > $2::BIGINT - $4::BIGINT), \
                       COALESCE(CASE WHEN p.day_resets_at_ms IS NULL OR p.day_resets_at_ms > $3::BIGINT \
                                     THEN p.day_calls ELSE 0 END, 0), \
                       COALESCE(p.last_call_us, 0), \
                       (SELECT COUNT(*) FROM state_in_flight f \
                        WHERE f.organization_id = $1 AND f.participant = n.participant \
                          AND f.until_us > $2) \
                     FROM names n LEFT JOIN state_participants p \
                       ON p.organization_id = $1 AND p.participant = n.participant \
                     ORDER BY n.participant",
                    &[
                        &organization_id,
                        &now_us,
                        &to_millis(now),
                        &dur_us(PARTICIPANT_MINUTE),
                    ],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|row| Participant {
                    name: row.get(0),
                    calls_last_minute: count(row.get(1)),
                    calls_today: count(row.get(2)),
                    last_call: from_micros(row.get(3)),
                    in_flight: count(row.get(4)),
                })
                // A process with nothing counted any more has stopped calling.
                .filter(|p| p.calls_last_minute > 0 || p.calls_today > 0 || p.in_flight > 0)
                .collect())
        })
    }
}
