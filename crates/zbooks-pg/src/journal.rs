//! The import journal on PostgreSQL: the same runs, rows, states and transitions as
//! `zbooks_store::Journal` on SQLite (read its module documentation for the state machine),
//! each change one statement or one transaction, committed before the executor goes on with
//! the side effect it announces.

use tokio_postgres::types::ToSql;
use zbooks_client::store::{StoreError, StoreResult};
use zbooks_import::RunJournal;
use zbooks_store::{JournalEntry, NewEntry, Outcome, RecordState, RunInfo, Transition};

use crate::{PgStore, db_error, now_ms};

/// The journal of one run in a [`PgStore`].
#[derive(Clone, Debug)]
pub struct PgJournal {
    store: PgStore,
    fingerprint: String,
}

const ENTRY_COLUMNS: &str = "idx, entity, key_field, key_value, location, state, outcome, \
     zoho_id, attempts, code, class, message, fix, deferred_until_ms, record, interrupted";

fn entry_from_row(r: &tokio_postgres::Row) -> JournalEntry {
    JournalEntry {
        index: u64::try_from(r.get::<_, i64>(0)).unwrap_or(0),
        entity: r.get(1),
        key_field: r.get(2),
        key_value: r.get(3),
        location: r.get(4),
        state: RecordState::parse(r.get(5)),
        outcome: r.get::<_, Option<&str>>(6).and_then(Outcome::parse),
        zoho_id: r.get(7),
        attempts: u32::try_from(r.get::<_, i64>(8)).unwrap_or(u32::MAX),
        code: r.get(9),
        class: r.get(10),
        message: r.get(11),
        fix: r.get(12),
        deferred_until_ms: r.get(13),
        record: r.get(14),
        interrupted: u32::try_from(r.get::<_, i64>(15)).unwrap_or(u32::MAX),
    }
}

fn index(i: u64) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

impl PgJournal {
    pub(crate) fn new(store: PgStore, fingerprint: &str) -> PgJournal {
        PgJournal {
            store,
            fingerprint: fingerprint.to_owned(),
        }
    }

    /// The fingerprint naming the run.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Starts the run, or finds it again: the run's row is created if missing (its status set
    /// to `running` either way), and every entry not yet in the journal is added. Entries
    /// already there keep their state: this is how a second run resumes the first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written.
    pub async fn begin(
        &self,
        file: &str,
        organization_id: &str,
        total: u64,
        entries: Vec<NewEntry>,
    ) -> StoreResult<()> {
        let now = now_ms();
        let total = index(total);
        let mut idx = Vec::with_capacity(entries.len());
        let mut entity = Vec::with_capacity(entries.len());
        let mut key_field = Vec::with_capacity(entries.len());
        let mut key_value = Vec::with_capacity(entries.len());
        let mut location = Vec::with_capacity(entries.len());
        let mut state = Vec::with_capacity(entries.len());
        let mut code = Vec::with_capacity(entries.len());
        let mut class = Vec::with_capacity(entries.len());
        let mut message = Vec::with_capacity(entries.len());
        let mut fix = Vec::with_capacity(entries.len());
        let mut record = Vec::with_capacity(entries.len());
        for e in entries {
            let f = e.failure.unwrap_or_default();
            idx.push(index(e.index));
            entity.push(e.entity);
            key_field.push(e.key_field);
            key_value.push(e.key_value);
            location.push(e.location);
            state.push(e.state.as_str().to_owned());
            code.push(f.code);
            class.push(f.class);
            message.push((!f.message.is_empty()).then_some(f.message));
            fix.push(f.fix);
            record.push(f.record);
        }
        let mut client = self.store.client().await?;
        let tx = client.transaction().await.map_err(|e| db_error(&e))?;
        tx.execute(
            "INSERT INTO journal_runs (fingerprint, file, organization_id, total, status, \
             created_ms, updated_ms) VALUES ($1, $2, $3, $4, 'running', $5, $5) \
             ON CONFLICT (fingerprint) DO UPDATE SET status = 'running', detail = NULL, \
             updated_ms = $5",
            &[&self.fingerprint, &file, &organization_id, &total, &now],
        )
        .await
        .map_err(|e| db_error(&e))?;
        // One statement for every entry: a run of thousands of records begins in one round trip.
        let params: [&(dyn ToSql + Sync); 13] = [
            &self.fingerprint,
            &now,
            &idx,
            &entity,
            &key_field,
            &key_value,
            &location,
            &state,
            &code,
            &class,
            &message,
            &fix,
            &record,
        ];
        tx.execute(
            "INSERT INTO journal_records (fingerprint, updated_ms, idx, entity, key_field, \
             key_value, location, state, code, class, message, fix, record) \
             SELECT $1, $2, * FROM UNNEST($3::bigint[], $4::text[], $5::text[], $6::text[], \
             $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[], \
             $13::text[]) \
             ON CONFLICT (fingerprint, idx) DO NOTHING",
            &params,
        )
        .await
        .map_err(|e| db_error(&e))?;
        tx.commit().await.map_err(|e| db_error(&e))
    }

    /// Saves the plan (JSON) with the run, for `import status`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written.
    pub async fn save_plan(&self, plan: String) -> StoreResult<()> {
        self.execute(
            "UPDATE journal_runs SET plan = $2 WHERE fingerprint = $1",
            &[&self.fingerprint, &plan],
        )
        .await
    }

    /// Sets the run's status (`finished`, `quota`, `interrupted`, `stopped`) and its detail.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written.
    pub async fn set_status(&self, status: &str, detail: Option<String>) -> StoreResult<()> {
        self.execute(
            "UPDATE journal_runs SET status = $2, detail = $3, updated_ms = $4 \
             WHERE fingerprint = $1",
            &[&self.fingerprint, &status, &detail, &now_ms()],
        )
        .await
    }

    /// The run, with its counts per state.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn info(&self) -> StoreResult<Option<RunInfo>> {
        let client = self.store.client().await?;
        let Some(r) = client
            .query_opt(
                "SELECT fingerprint, file, organization_id, total, status, detail, plan, \
                 created_ms, updated_ms FROM journal_runs WHERE fingerprint = $1",
                &[&self.fingerprint],
            )
            .await
            .map_err(|e| db_error(&e))?
        else {
            return Ok(None);
        };
        let mut run = RunInfo {
            fingerprint: r.get(0),
            file: r.get(1),
            organization_id: r.get(2),
            total: u64::try_from(r.get::<_, i64>(3)).unwrap_or(0),
            status: r.get(4),
            detail: r.get(5),
            plan: r.get(6),
            created_ms: r.get(7),
            updated_ms: r.get(8),
            counts: Vec::new(),
        };
        let rows = client
            .query(
                "SELECT state, COUNT(*) FROM journal_records WHERE fingerprint = $1 \
                 GROUP BY state ORDER BY state",
                &[&self.fingerprint],
            )
            .await
            .map_err(|e| db_error(&e))?;
        for row in rows {
            run.counts.push((
                RecordState::parse(row.get(0)),
                u64::try_from(row.get::<_, i64>(1)).unwrap_or(0),
            ));
        }
        Ok(Some(run))
    }

    /// Every entry, in input order.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn entries(&self) -> StoreResult<Vec<JournalEntry>> {
        let client = self.store.client().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM journal_records WHERE fingerprint = $1 \
                     ORDER BY idx"
                ),
                &[&self.fingerprint],
            )
            .await
            .map_err(|e| db_error(&e))?;
        Ok(rows.iter().map(entry_from_row).collect())
    }

    /// The entries in one state, in input order.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn entries_in(&self, state: RecordState) -> StoreResult<Vec<JournalEntry>> {
        let client = self.store.client().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM journal_records WHERE fingerprint = $1 \
                     AND state = $2 ORDER BY idx"
                ),
                &[&self.fingerprint, &state.as_str()],
            )
            .await
            .map_err(|e| db_error(&e))?;
        Ok(rows.iter().map(entry_from_row).collect())
    }

    /// Moves one record, in one statement (committed when this returns).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written, or the transition is one this
    /// build does not know. The caller must not go on with the side effect the transition
    /// announces when this fails.
    pub async fn set(&self, index: u64, transition: Transition) -> StoreResult<()> {
        let fp = &self.fingerprint;
        let idx = self::index(index);
        let now = now_ms();
        match transition {
            Transition::Pending => {
                self.execute(
                    "UPDATE journal_records SET state = 'pending', deferred_until_ms = NULL, \
                     updated_ms = $3 WHERE fingerprint = $1 AND idx = $2",
                    &[fp, &idx, &now],
                )
                .await
            }
            Transition::Interrupted => {
                self.execute(
                    "UPDATE journal_records SET state = 'pending', deferred_until_ms = NULL, \
                     interrupted = LEAST(interrupted + 1, attempts), updated_ms = $3 \
                     WHERE fingerprint = $1 AND idx = $2 AND state = 'in_flight'",
                    &[fp, &idx, &now],
                )
                .await
            }
            Transition::InFlight => {
                self.execute(
                    "UPDATE journal_records SET state = 'in_flight', attempts = attempts + 1, \
                     deferred_until_ms = NULL, updated_ms = $3 \
                     WHERE fingerprint = $1 AND idx = $2",
                    &[fp, &idx, &now],
                )
                .await
            }
            Transition::Done { zoho_id, outcome } => {
                self.execute(
                    "UPDATE journal_records SET state = 'done', zoho_id = $3, outcome = $4, \
                     deferred_until_ms = NULL, updated_ms = $5 \
                     WHERE fingerprint = $1 AND idx = $2",
                    &[fp, &idx, &zoho_id, &outcome.as_str(), &now],
                )
                .await
            }
            Transition::Failed(f) => {
                self.execute(
                    "UPDATE journal_records SET state = 'failed', code = $3, class = $4, \
                     message = $5, fix = $6, record = $7, deferred_until_ms = NULL, \
                     updated_ms = $8 WHERE fingerprint = $1 AND idx = $2",
                    &[
                        fp, &idx, &f.code, &f.class, &f.message, &f.fix, &f.record, &now,
                    ],
                )
                .await
            }
            Transition::InDoubt(f) => {
                self.execute(
                    "UPDATE journal_records SET state = 'in_doubt', code = $3, class = $4, \
                     message = $5, updated_ms = $6 WHERE fingerprint = $1 AND idx = $2",
                    &[fp, &idx, &f.code, &f.class, &f.message, &now],
                )
                .await
            }
            Transition::Deferred { until_ms, failure } => {
                self.execute(
                    "UPDATE journal_records SET state = 'deferred', deferred_until_ms = $3, \
                     code = $4, class = $5, message = $6, updated_ms = $7 \
                     WHERE fingerprint = $1 AND idx = $2",
                    &[
                        fp,
                        &idx,
                        &until_ms,
                        &failure.code,
                        &failure.class,
                        &failure.message,
                        &now,
                    ],
                )
                .await
            }
            // A transition a newer zbooks-store added: refused, so nothing is sent on a state
            // this journal could not record.
            other => Err(StoreError::new(format_args!(
                "a journal transition this build cannot store: {other:?}"
            ))),
        }
    }

    async fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<()> {
        let client = self.store.client().await?;
        client
            .execute(sql, params)
            .await
            .map(drop)
            .map_err(|e| db_error(&e))
    }
}

impl RunJournal for PgJournal {
    async fn begin(
        &self,
        file: &str,
        organization_id: &str,
        total: u64,
        entries: Vec<NewEntry>,
    ) -> StoreResult<()> {
        PgJournal::begin(self, file, organization_id, total, entries).await
    }

    async fn set(&self, index: u64, transition: Transition) -> StoreResult<()> {
        PgJournal::set(self, index, transition).await
    }

    async fn entries(&self) -> StoreResult<Vec<JournalEntry>> {
        PgJournal::entries(self).await
    }

    async fn set_status(&self, status: &str, detail: Option<String>) -> StoreResult<()> {
        PgJournal::set_status(self, status, detail).await
    }

    async fn save_plan(&self, plan: String) -> StoreResult<()> {
        PgJournal::save_plan(self, plan).await
    }
}
