//! The PostgreSQL backend of zbooks: the import journal ([`PgJournal`], the same states and
//! transitions as `zbooks_store::Journal` on SQLite), the import queue ([`PgQueue`]: jobs
//! unique on organization, entity and natural key, with dependencies, claimed under a lease
//! with `FOR UPDATE SKIP LOCKED`), so that several machines share one import, the client's
//! shared state ([`PgState`]: budget, daily ledger, in-flight leases and token cache, the
//! traits of `zbooks_client::store`) and the audit log of failed calls ([`PgStore`] is an
//! `AuditSink`), and `zbooks gateway`'s `Idempotency-Key` answers ([`PgAnswers`]): one database
//! may hold everything machines share.
//!
//! It exists apart from `zbooks-store` to keep the PostgreSQL client and its pool out of every
//! build that does not use them. It only persists: it never calls Zoho and decides nothing an
//! executor decides.
//!
//! # Schema versions
//!
//! The tables come from the SQL files under `crates/zbooks-pg/migrations/`, applied in order,
//! each in one transaction with the row recording it in `zbooks_migrations` (under an advisory
//! lock, so two machines opening one database at once migrate it once). A database recording
//! a migration this build does not know is refused, not read or written: an old binary never
//! damages a new binary's data. A migration only adds; a column keeps its meaning.
//!
//! Every table lives in the connection's `search_path` (the `public` schema by default), so one
//! database can hold several installations, and each test one schema of its own.
#![warn(missing_docs)]

mod answers;
mod audit;
mod journal;
mod migrate;
mod queue;
mod state;

use std::fmt;
use std::time::{Duration, UNIX_EPOCH};

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use zbooks_client::store::{StoreError, StoreResult};

pub use answers::PgAnswers;
pub use journal::PgJournal;
pub use migrate::{MIGRATIONS, Migration};
pub use queue::{
    ClaimedJob, FailedJob, JobCounts, JobOutcome, NewJob, PgQueue, QueueStatus, StateCounts,
    WorkerShare,
};
pub use state::{PARTICIPANT_MINUTE, PgState};

/// How long a connection attempt may take unless the URL says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections a store keeps open at most.
const POOL_SIZE: usize = 8;

/// A pool of connections to one PostgreSQL database, migrated.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The configuration may hold a password: only the pool's size is shown.
        f.debug_struct("PgStore")
            .field("pool_size", &self.pool.status().max_size)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database a URL names (`postgres://user@host:5432/db`) and migrates it.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the URL does not parse, the server cannot be reached, or the
    /// database holds a newer schema than this build knows.
    pub async fn connect(url: &str) -> StoreResult<PgStore> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::new(format_args!("a PostgreSQL URL: {e}")))?;
        PgStore::connect_with(config).await
    }

    /// Checks that a URL names a PostgreSQL database as [`PgStore::connect`] reads it, without
    /// connecting (for `zbooks config set`).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] saying what does not parse.
    pub fn check_url(url: &str) -> StoreResult<()> {
        url.parse::<tokio_postgres::Config>()
            .map(drop)
            .map_err(|e| StoreError::new(format_args!("a PostgreSQL URL: {e}")))
    }

    /// Connects with a ready configuration (for instance one whose `options` set a
    /// `search_path`) and migrates the database.
    ///
    /// # Errors
    ///
    /// As [`PgStore::connect`].
    pub async fn connect_with(config: tokio_postgres::Config) -> StoreResult<PgStore> {
        let store = PgStore::pool(config)?;
        let mut client = store.client().await?;
        migrate::migrate(&mut client).await?;
        Ok(store)
    }

    /// Connects to read only (`import status`, `import failed`): nothing is created or
    /// migrated. `None` when the database holds no zbooks tables yet.
    ///
    /// # Errors
    ///
    /// As [`PgStore::connect`].
    pub async fn open_existing(url: &str) -> StoreResult<Option<PgStore>> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::new(format_args!("a PostgreSQL URL: {e}")))?;
        PgStore::open_existing_with(config).await
    }

    /// [`PgStore::open_existing`] with a ready configuration.
    ///
    /// # Errors
    ///
    /// As [`PgStore::connect`].
    pub async fn open_existing_with(
        config: tokio_postgres::Config,
    ) -> StoreResult<Option<PgStore>> {
        let store = PgStore::pool(config)?;
        let client = store.client().await?;
        let found = migrate::applied(&client).await?;
        Ok((found > 0).then_some(store))
    }

    fn pool(mut config: tokio_postgres::Config) -> StoreResult<PgStore> {
        // A server that does not answer (a dropped packet, not a refused port) is an error
        // after a while, not a hang; a URL's `connect_timeout` wins.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| StoreError::new(format_args!("a PostgreSQL pool: {e}")))?;
        Ok(PgStore { pool })
    }

    /// Every run in the journal, newest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn journal_runs(&self) -> StoreResult<Vec<zbooks_store::RunInfo>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT fingerprint FROM journal_runs ORDER BY updated_ms DESC, created_ms DESC",
                &[],
            )
            .await
            .map_err(|e| db_error(&e))?;
        drop(client);
        let mut runs = Vec::with_capacity(rows.len());
        for row in rows {
            let fingerprint: &str = row.get(0);
            if let Some(run) = self.journal(fingerprint).info().await? {
                runs.push(run);
            }
        }
        Ok(runs)
    }

    /// The journal of the run named `fingerprint`.
    pub fn journal(&self, fingerprint: &str) -> PgJournal {
        PgJournal::new(self.clone(), fingerprint)
    }

    /// The import queue of one organization.
    pub fn queue(&self, organization_id: &str) -> PgQueue {
        PgQueue::new(self.clone(), organization_id)
    }

    /// The organizations with jobs in the import queue, in the order of their first job
    /// (none when the database holds no queue).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn queue_organizations(&self) -> StoreResult<Vec<String>> {
        let client = self.client().await?;
        let row = client
            .query_one("SELECT to_regclass('import_jobs') IS NOT NULL", &[])
            .await
            .map_err(|e| db_error(&e))?;
        if !row.get::<_, bool>(0) {
            return Ok(Vec::new());
        }
        let rows = client
            .query(
                "SELECT organization_id FROM import_jobs GROUP BY organization_id \
                 ORDER BY MIN(id)",
                &[],
            )
            .await
            .map_err(|e| db_error(&e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Whether the database answers now, on a fresh connection or a pooled one the pool
    /// still trusts: how a worker that lost PostgreSQL knows when to resume.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when it does not.
    pub async fn ping(&self) -> StoreResult<()> {
        let client = self.client().await?;
        client
            .simple_query("SELECT 1")
            .await
            .map_err(|e| db_error(&e))?;
        Ok(())
    }

    /// The last migration the database records: a database opened with
    /// [`PgStore::open_existing`] may be older than this build.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let client = self.client().await?;
        migrate::applied(&client).await
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .map_err(|e| StoreError::new(format_args!("a PostgreSQL connection: {e}")))
    }
}

/// A PostgreSQL error as a store error: the server's message when it sent one.
fn db_error(e: &tokio_postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) => StoreError::new(format_args!("postgresql: {}", db.message())),
        None => StoreError::new(format_args!("postgresql: {e}")),
    }
}

/// Milliseconds since the Unix epoch, for the journal's timestamps (for people; decisions use
/// the executor's clock, passed in where they matter).
fn now_ms() -> i64 {
    let now = zbooks_types::Clock::now(&zbooks_types::SystemClock);
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_after_2020() {
        assert!(now_ms() > 1_577_836_800_000);
    }
}
