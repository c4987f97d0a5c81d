//! The import journal: one run per input (named by a fingerprint of the file's content, the
//! options and the organization), one row per input record holding its state, its Zoho id,
//! its attempts and its last error — written before every side effect, so that a crash, a
//! Ctrl-C or a spent daily quota at any moment resumes to the same end state (docs/design.md
//! promise 6).
//!
//! A record moves `pending → in_flight → done | failed | in_doubt | deferred`; `in_doubt`
//! (the create may have landed) is settled by a lookup by natural key before anything is sent
//! again, `deferred` goes back to `pending` when its time comes. The executor in
//! `zbooks-import` decides; this module only persists, each change in one `BEGIN IMMEDIATE`
//! transaction (WAL mode; a committed change survives the process being killed — with
//! `synchronous = NORMAL` only a power loss can take back the last commits).
//!
//! # Versions
//!
//! The journal's tables carry their own version ([`JOURNAL_VERSION`], in `journal_meta`),
//! apart from the store's `user_version`, so the journal can change without touching the
//! token and pacing tables that other processes use at the same time. A build meeting a
//! journal of a newer version refuses to read or write it ([`crate::ErrorKind::NewerSchema`]),
//! and says to upgrade; an older journal is migrated forward in one transaction. Version 1
//! readers ignore columns a later version adds; a later version must keep the meaning of
//! every version-1 column and state name.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zbooks_client::store::{StoreError, StoreResult};

use crate::{Error, ErrorKind, SqliteStore, ms};

/// The version of the journal's tables this build writes.
pub const JOURNAL_VERSION: i64 = 2;

/// Migration `i` takes the journal from version `i` to `i + 1`.
const MIGRATIONS: [&str; 2] = [
    "
    CREATE TABLE IF NOT EXISTS journal_runs (
        fingerprint TEXT PRIMARY KEY,
        file TEXT NOT NULL,
        organization_id TEXT NOT NULL,
        total INTEGER NOT NULL,
        status TEXT NOT NULL,
        detail TEXT,
        plan TEXT,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS journal_records (
        fingerprint TEXT NOT NULL,
        idx INTEGER NOT NULL,
        entity TEXT NOT NULL,
        key_field TEXT NOT NULL,
        key_value TEXT NOT NULL,
        location TEXT NOT NULL,
        state TEXT NOT NULL,
        outcome TEXT,
        zoho_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        code INTEGER,
        class TEXT,
        message TEXT,
        fix TEXT,
        deferred_until_ms INTEGER,
        record TEXT,
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (fingerprint, idx)
    );
    CREATE INDEX IF NOT EXISTS journal_records_by_state ON journal_records (fingerprint, state);
",
    // 2: creates cut off by a crash are counted apart (`interrupted`), so that only attempts
    // whose end the sending run saw count against the attempt budget; and the organization's
    // import lease (lease.rs). `attempts` keeps its version-1 meaning (creates sent). A
    // version-1 build refuses a version-2 journal (NewerSchema); a version-1 journal gains
    // the column (0: its records keep the budget they had) and the empty lease table.
    "
    ALTER TABLE journal_records ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE IF NOT EXISTS import_leases (
        lease_key TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        file TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        lock_path TEXT
    );
",
];

/// Where a record stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordState {
    /// Not sent yet.
    Pending,
    /// About to be sent, or sent without an answer yet: after a crash, it may exist in Zoho.
    InFlight,
    /// In Zoho, with its id.
    Done,
    /// Refused for good (or held back by validation); the row says why and how to fix it.
    Failed,
    /// The create may have landed: look it up by natural key before sending it again.
    InDoubt,
    /// Zoho failed on its side; retried after `deferred_until`.
    Deferred,
}

impl RecordState {
    /// Every state.
    pub const ALL: [RecordState; 6] = [
        RecordState::Pending,
        RecordState::InFlight,
        RecordState::Done,
        RecordState::Failed,
        RecordState::InDoubt,
        RecordState::Deferred,
    ];

    /// The name stored in the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Pending => "pending",
            RecordState::InFlight => "in_flight",
            RecordState::Done => "done",
            RecordState::Failed => "failed",
            RecordState::InDoubt => "in_doubt",
            RecordState::Deferred => "deferred",
        }
    }

    /// Reads a stored name; an unknown name (from a newer writer) reads as `InDoubt`, the
    /// state that makes a reader look before it sends.
    pub fn parse(name: &str) -> RecordState {
        RecordState::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .unwrap_or(RecordState::InDoubt)
    }
}

/// How a record came to be done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Created by this import.
    Created,
    /// Found in Zoho after a create that may have landed (reconciled), or after a duplicate
    /// refusal: adopted, not created again.
    Adopted,
    /// In Zoho before the import reached it.
    Present,
}

impl Outcome {
    /// The name stored in the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Adopted => "adopted",
            Outcome::Present => "present",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<Outcome> {
        match name {
            "created" => Some(Outcome::Created),
            "adopted" => Some(Outcome::Adopted),
            "present" => Some(Outcome::Present),
            _ => None,
        }
    }
}

/// One record as the journal holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    /// The record's position in the input (0-based, records only).
    pub index: u64,
    /// The entity (`invoice`).
    pub entity: String,
    /// The natural key's field.
    pub key_field: String,
    /// The natural key's value.
    pub key_value: String,
    /// Where in the input it came from.
    pub location: String,
    /// Where it stands.
    pub state: RecordState,
    /// How it came to be done.
    pub outcome: Option<Outcome>,
    /// Its Zoho id, once known.
    pub zoho_id: Option<String>,
    /// Creates sent for it.
    pub attempts: u32,
    /// Of those, creates cut off by a crash of the run that sent them (no answer heard, the
    /// record found absent afterwards): they do not count against the attempt budget.
    pub interrupted: u32,
    /// Zoho's code of the last failure.
    pub code: Option<i64>,
    /// The failure class of the last failure.
    pub class: Option<String>,
    /// What went wrong last.
    pub message: Option<String>,
    /// How to fix it.
    pub fix: Option<String>,
    /// When a deferred record may be sent again (milliseconds since the Unix epoch).
    pub deferred_until_ms: Option<i64>,
    /// The record itself (JSON), kept for failed records so they can be exported.
    pub record: Option<String>,
}

/// A record to add to a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// Its position in the input.
    pub index: u64,
    /// The entity.
    pub entity: String,
    /// The natural key's field.
    pub key_field: String,
    /// The natural key's value.
    pub key_value: String,
    /// Where it came from.
    pub location: String,
    /// `Pending`, or `Failed` for a record validation held back.
    pub state: RecordState,
    /// For a held-back record: why, and the record.
    pub failure: Option<Failure>,
}

/// Why a record failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// Zoho's code, when Zoho refused it.
    pub code: Option<i64>,
    /// The failure class (`validation`).
    pub class: Option<String>,
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub fix: Option<String>,
    /// The record (JSON), for the failed-records export.
    pub record: Option<String>,
}

/// A change of one record's state.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transition {
    /// Back to pending (a lookup found nothing: safe to send).
    Pending,
    /// Back to pending after a crash cut the last create off (found `in_flight` by a later
    /// run, and not in Zoho): the create is counted as interrupted, not as an attempt Zoho
    /// answered.
    Interrupted,
    /// About to send: written before the request leaves; counts an attempt.
    InFlight,
    /// In Zoho.
    Done {
        /// Its id.
        zoho_id: String,
        /// How.
        outcome: Outcome,
    },
    /// Refused for good.
    Failed(Failure),
    /// May have landed.
    InDoubt(Failure),
    /// Retry after a while.
    Deferred {
        /// When (milliseconds since the Unix epoch).
        until_ms: i64,
        /// Why.
        failure: Failure,
    },
}

/// One run (one input into one organization).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunInfo {
    /// The fingerprint naming it.
    pub fingerprint: String,
    /// The input file.
    pub file: String,
    /// The organization.
    pub organization_id: String,
    /// Records in the input.
    pub total: u64,
    /// `running`, `finished`, `quota`, `interrupted`, `stopped`.
    pub status: String,
    /// More about the status (when the quota resets, what stopped it).
    pub detail: Option<String>,
    /// The plan (JSON), as the executor saved it.
    pub plan: Option<String>,
    /// When the run started (ms since the Unix epoch).
    pub created_ms: i64,
    /// When it last changed.
    pub updated_ms: i64,
    /// Records per state.
    pub counts: Vec<(RecordState, u64)>,
}

impl RunInfo {
    /// Records in a state.
    pub fn count(&self, state: RecordState) -> u64 {
        self.counts
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(0, |(_, n)| *n)
    }
}

/// The journal of one run in a [`SqliteStore`].
#[derive(Clone, Debug)]
pub struct Journal {
    store: SqliteStore,
    fingerprint: String,
}

pub(crate) fn migrate_journal(conn: &mut Connection) -> rusqlite::Result<Result<(), Error>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS journal_meta (id INTEGER PRIMARY KEY CHECK (id = 1), \
         version INTEGER NOT NULL)",
    )?;
    let version: i64 = tx
        .query_row("SELECT version FROM journal_meta WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0);
    if version > JOURNAL_VERSION {
        return Ok(Err(Error {
            kind: ErrorKind::NewerSchema {
                found: version,
                supported: JOURNAL_VERSION,
            },
        }));
    }
    let start = usize::try_from(version).unwrap_or(0);
    for migration in MIGRATIONS.iter().skip(start) {
        tx.execute_batch(migration)?;
    }
    tx.execute(
        "INSERT INTO journal_meta (id, version) VALUES (1, ?1) \
         ON CONFLICT(id) DO UPDATE SET version = ?1",
        params![JOURNAL_VERSION],
    )?;
    tx.commit()?;
    Ok(Ok(()))
}

/// On a read-only store: whether the journal's tables exist, refusing a newer journal. An
/// older one is read as it is (version 1's columns keep their meaning in every version).
fn check_journal(conn: &mut Connection) -> rusqlite::Result<Result<bool, Error>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal_meta')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(Ok(false));
    }
    let version: i64 = conn
        .query_row("SELECT version FROM journal_meta WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0);
    if version > JOURNAL_VERSION {
        return Ok(Err(Error {
            kind: ErrorKind::NewerSchema {
                found: version,
                supported: JOURNAL_VERSION,
            },
        }));
    }
    Ok(Ok(version > 0))
}

fn now_ms() -> i64 {
    // The journal's timestamps are for people (`import status`); decisions use the
    // executor's clock, passed in explicitly where they matter (`deferred_until_ms`).
    ms(zbooks_types::Clock::now(&zbooks_types::SystemClock))
}

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        index: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
        entity: r.get(1)?,
        key_field: r.get(2)?,
        key_value: r.get(3)?,
        location: r.get(4)?,
        state: RecordState::parse(&r.get::<_, String>(5)?),
        outcome: r
            .get::<_, Option<String>>(6)?
            .as_deref()
            .and_then(Outcome::parse),
        zoho_id: r.get(7)?,
        attempts: u32::try_from(r.get::<_, i64>(8)?).unwrap_or(0),
        code: r.get(9)?,
        class: r.get(10)?,
        message: r.get(11)?,
        fix: r.get(12)?,
        deferred_until_ms: r.get(13)?,
        record: r.get(14)?,
        interrupted: u32::try_from(r.get::<_, i64>(15)?).unwrap_or(0),
    })
}

const ENTRY_COLUMNS: &str = "idx, entity, key_field, key_value, location, state, outcome, \
     zoho_id, attempts, code, class, message, fix, deferred_until_ms, record, interrupted";

impl SqliteStore {
    /// The journal of the run named `fingerprint` (its tables are created or migrated on the
    /// way).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read, or holds a journal of a newer
    /// version than this build knows.
    pub async fn journal(&self, fingerprint: &str) -> StoreResult<Journal> {
        self.prepare_journal().await?;
        Ok(Journal {
            store: self.clone(),
            fingerprint: fingerprint.to_owned(),
        })
    }

    /// Every run in the journal, newest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn journal_runs(&self) -> StoreResult<Vec<RunInfo>> {
        if !self.prepare_journal().await? {
            return Ok(Vec::new());
        }
        self.run(|conn| {
            let mut stmt = conn.prepare(
                "SELECT fingerprint FROM journal_runs ORDER BY updated_ms DESC, created_ms DESC",
            )?;
            let fingerprints = stmt
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut runs = Vec::new();
            for fp in fingerprints {
                if let Some(run) = read_run(conn, &fp)? {
                    runs.push(run);
                }
            }
            Ok(runs)
        })
        .await
    }
}

impl SqliteStore {
    /// Creates or migrates the journal's tables; on a read-only store only checks them.
    /// Whether they exist.
    async fn prepare_journal(&self) -> StoreResult<bool> {
        if self.is_read_only() {
            return self.run(check_journal).await?.map_err(StoreError::new);
        }
        self.run(migrate_journal).await?.map_err(StoreError::new)?;
        Ok(true)
    }
}

fn has_interrupted_column(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('journal_records') \
         WHERE name = 'interrupted')",
        [],
        |r| r.get(0),
    )
}

fn read_run(conn: &Connection, fingerprint: &str) -> rusqlite::Result<Option<RunInfo>> {
    let run = conn
        .query_row(
            "SELECT fingerprint, file, organization_id, total, status, detail, plan, created_ms, \
             updated_ms FROM journal_runs WHERE fingerprint = ?1",
            params![fingerprint],
            |r| {
                Ok(RunInfo {
                    fingerprint: r.get(0)?,
                    file: r.get(1)?,
                    organization_id: r.get(2)?,
                    total: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                    status: r.get(4)?,
                    detail: r.get(5)?,
                    plan: r.get(6)?,
                    created_ms: r.get(7)?,
                    updated_ms: r.get(8)?,
                    counts: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut run) = run else { return Ok(None) };
    let mut stmt = conn.prepare(
        "SELECT state, COUNT(*) FROM journal_records WHERE fingerprint = ?1 GROUP BY state",
    )?;
    let rows = stmt.query_map(params![fingerprint], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (state, n) = row?;
        run.counts
            .push((RecordState::parse(&state), u64::try_from(n).unwrap_or(0)));
    }
    Ok(Some(run))
}

impl Journal {
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
        let fp = self.fingerprint.clone();
        let file = file.to_owned();
        let org = organization_id.to_owned();
        let now = now_ms();
        let total = i64::try_from(total).unwrap_or(i64::MAX);
        self.store
            .run(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute(
                    "INSERT INTO journal_runs (fingerprint, file, organization_id, total, status, \
                     created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, 'running', ?5, ?5) \
                     ON CONFLICT(fingerprint) DO UPDATE SET status = 'running', detail = NULL, \
                     updated_ms = ?5",
                    params![fp, file, org, total, now],
                )?;
                {
                    let mut insert = tx.prepare(
                        "INSERT OR IGNORE INTO journal_records (fingerprint, idx, entity, \
                         key_field, key_value, location, state, code, class, message, fix, \
                         record, updated_ms) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    )?;
                    for e in entries {
                        let f = e.failure.unwrap_or_default();
                        insert.execute(params![
                            fp,
                            i64::try_from(e.index).unwrap_or(i64::MAX),
                            e.entity,
                            e.key_field,
                            e.key_value,
                            e.location,
                            e.state.as_str(),
                            f.code,
                            f.class,
                            (!f.message.is_empty()).then_some(f.message),
                            f.fix,
                            f.record,
                            now,
                        ])?;
                    }
                }
                tx.commit()
            })
            .await
    }

    /// Saves the plan (JSON) with the run, for `import status`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written.
    pub async fn save_plan(&self, plan: String) -> StoreResult<()> {
        let fp = self.fingerprint.clone();
        self.store
            .run(move |conn| {
                conn.execute(
                    "UPDATE journal_runs SET plan = ?2 WHERE fingerprint = ?1",
                    params![fp, plan],
                )
                .map(drop)
            })
            .await
    }

    /// Sets the run's status (`finished`, `quota`, `interrupted`, `stopped`) and its detail.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written.
    pub async fn set_status(&self, status: &str, detail: Option<String>) -> StoreResult<()> {
        let fp = self.fingerprint.clone();
        let status = status.to_owned();
        let now = now_ms();
        self.store
            .run(move |conn| {
                conn.execute(
                    "UPDATE journal_runs SET status = ?2, detail = ?3, updated_ms = ?4 \
                     WHERE fingerprint = ?1",
                    params![fp, status, detail, now],
                )
                .map(drop)
            })
            .await
    }

    /// The run, with its counts per state.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn info(&self) -> StoreResult<Option<RunInfo>> {
        let fp = self.fingerprint.clone();
        self.store.run(move |conn| read_run(conn, &fp)).await
    }

    /// Every entry, in input order.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn entries(&self) -> StoreResult<Vec<JournalEntry>> {
        self.select(None).await
    }

    /// The entries in one state, in input order.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn entries_in(&self, state: RecordState) -> StoreResult<Vec<JournalEntry>> {
        self.select(Some(state)).await
    }

    async fn select(&self, state: Option<RecordState>) -> StoreResult<Vec<JournalEntry>> {
        let fp = self.fingerprint.clone();
        let read_only = self.store.is_read_only();
        self.store
            .run(move |conn| {
                // A read-only store is not migrated: a version-1 journal has no count of
                // interrupted creates, which reads as none.
                let columns = if read_only && !has_interrupted_column(conn)? {
                    ENTRY_COLUMNS.replace(", interrupted", ", 0 AS interrupted")
                } else {
                    ENTRY_COLUMNS.to_owned()
                };
                let sql = match state {
                    Some(_) => format!(
                        "SELECT {columns} FROM journal_records WHERE fingerprint = ?1 \
                         AND state = ?2 ORDER BY idx"
                    ),
                    None => format!(
                        "SELECT {columns} FROM journal_records WHERE fingerprint = ?1 \
                         ORDER BY idx"
                    ),
                };
                let mut stmt = conn.prepare(&sql)?;
                let rows = match state {
                    Some(s) => stmt.query_map(params![fp, s.as_str()], entry_from_row)?,
                    None => stmt.query_map(params![fp], entry_from_row)?,
                };
                rows.collect()
            })
            .await
    }

    /// Moves one record, in one immediate transaction.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written. The caller must not go on with
    /// the side effect the transition announces when this fails.
    pub async fn set(&self, index: u64, transition: Transition) -> StoreResult<()> {
        let fp = self.fingerprint.clone();
        let idx = i64::try_from(index).unwrap_or(i64::MAX);
        let now = now_ms();
        self.store
            .run(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                match transition {
                    Transition::Pending => tx.execute(
                        "UPDATE journal_records SET state = 'pending', deferred_until_ms = NULL, \
                         updated_ms = ?3 WHERE fingerprint = ?1 AND idx = ?2",
                        params![fp, idx, now],
                    )?,
                    Transition::Interrupted => tx.execute(
                        "UPDATE journal_records SET state = 'pending', deferred_until_ms = NULL, \
                         interrupted = MIN(interrupted + 1, attempts), updated_ms = ?3 \
                         WHERE fingerprint = ?1 AND idx = ?2 AND state = 'in_flight'",
                        params![fp, idx, now],
                    )?,
                    Transition::InFlight => tx.execute(
                        "UPDATE journal_records SET state = 'in_flight', attempts = attempts + 1, \
                         deferred_until_ms = NULL, updated_ms = ?3 \
                         WHERE fingerprint = ?1 AND idx = ?2",
                        params![fp, idx, now],
                    )?,
                    Transition::Done { zoho_id, outcome } => tx.execute(
                        "UPDATE journal_records SET state = 'done', zoho_id = ?3, outcome = ?4, \
                         deferred_until_ms = NULL, updated_ms = ?5 \
                         WHERE fingerprint = ?1 AND idx = ?2",
                        params![fp, idx, zoho_id, outcome.as_str(), now],
                    )?,
                    Transition::Failed(f) => tx.execute(
                        "UPDATE journal_records SET state = 'failed', code = ?3, class = ?4, \
                         message = ?5, fix = ?6, record = ?7, deferred_until_ms = NULL, \
                         updated_ms = ?8 WHERE fingerprint = ?1 AND idx = ?2",
                        params![fp, idx, f.code, f.class, f.message, f.fix, f.record, now],
                    )?,
                    Transition::InDoubt(f) => tx.execute(
                        "UPDATE journal_records SET state = 'in_doubt', code = ?3, class = ?4, \
                         message = ?5, updated_ms = ?6 WHERE fingerprint = ?1 AND idx = ?2",
                        params![fp, idx, f.code, f.class, f.message, now],
                    )?,
                    Transition::Deferred { until_ms, failure } => tx.execute(
                        "UPDATE journal_records SET state = 'deferred', deferred_until_ms = ?3, \
                         code = ?4, class = ?5, message = ?6, updated_ms = ?7 \
                         WHERE fingerprint = ?1 AND idx = ?2",
                        params![
                            fp,
                            idx,
                            until_ms,
                            failure.code,
                            failure.class,
                            failure.message,
                            now
                        ],
                    )?,
                };
                tx.commit()
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(index: u64, state: RecordState) -> NewEntry {
        NewEntry {
            index,
            entity: "contact".into(),
            key_field: "contact_name".into(),
            key_value: format!("C{index}"),
            location: format!("c.jsonl:{}", index + 1),
            state,
            failure: None,
        }
    }

    #[tokio::test]
    async fn a_second_begin_keeps_the_states_of_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("s.db")).unwrap();
        let j = store.journal("fp1").await.unwrap();
        j.begin(
            "c.jsonl",
            "1",
            3,
            (0..3).map(|i| entry(i, RecordState::Pending)).collect(),
        )
        .await
        .unwrap();
        j.set(0, Transition::InFlight).await.unwrap();
        j.set(
            0,
            Transition::Done {
                zoho_id: "900".into(),
                outcome: Outcome::Created,
            },
        )
        .await
        .unwrap();
        j.set(1, Transition::InFlight).await.unwrap();
        // Another process (a resumed run) opens the same file.
        let again = SqliteStore::open(dir.path().join("s.db")).unwrap();
        let j2 = again.journal("fp1").await.unwrap();
        j2.begin(
            "c.jsonl",
            "1",
            3,
            (0..3).map(|i| entry(i, RecordState::Pending)).collect(),
        )
        .await
        .unwrap();
        let e = j2.entries().await.unwrap();
        assert_eq!(e[0].state, RecordState::Done);
        assert_eq!(e[0].zoho_id.as_deref(), Some("900"));
        assert_eq!(e[0].outcome, Some(Outcome::Created));
        assert_eq!(e[1].state, RecordState::InFlight);
        assert_eq!(e[1].attempts, 1);
        assert_eq!(e[2].state, RecordState::Pending);
        let runs = again.journal_runs().await.unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].count(RecordState::Done), 1);
        assert_eq!(runs[0].status, "running");
    }

    #[tokio::test]
    async fn failures_keep_code_fix_and_record() {
        let store = SqliteStore::open_in_memory().unwrap();
        let j = store.journal("fp").await.unwrap();
        j.begin("a", "1", 1, vec![entry(0, RecordState::Pending)])
            .await
            .unwrap();
        j.set(
            0,
            Transition::Failed(Failure {
                code: Some(2),
                class: Some("validation".into()),
                message: "bad".into(),
                fix: Some("fix it".into()),
                record: Some("{}".into()),
            }),
        )
        .await
        .unwrap();
        let f = j.entries_in(RecordState::Failed).await.unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, Some(2));
        assert_eq!(f[0].fix.as_deref(), Some("fix it"));
        assert_eq!(f[0].record.as_deref(), Some("{}"));
    }

    #[tokio::test]
    async fn a_newer_journal_is_refused() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.journal("x").await.unwrap();
        store
            .run(|conn| {
                conn.execute("UPDATE journal_meta SET version = 99", [])
                    .map(drop)
            })
            .await
            .unwrap();
        let err = store.journal("x").await.unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }

    #[test]
    fn unknown_states_read_as_in_doubt() {
        assert_eq!(RecordState::parse("reconciling"), RecordState::InDoubt);
        for s in RecordState::ALL {
            assert_eq!(RecordState::parse(s.as_str()), s);
        }
    }
}
