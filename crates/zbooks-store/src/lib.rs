//! SQLite implementations of the stores that `zbooks-client` defines as traits: the token
//! cache (with its refresh lock and token-request guard), per-organization pacing state, pause
//! and daily call ledger, and the audit log of failed attempts — shared safely by every zbooks
//! process on one machine.
//!
//! Every decision is one `BEGIN IMMEDIATE` transaction, so two processes never both take the
//! same pacing slot, the last unit of daily quota, the 10th token request of a window or the
//! refresh lock. The database runs in WAL mode with a busy timeout; rusqlite is synchronous, so
//! each call runs on tokio's blocking pool. The file (and SQLite's `-wal`/`-shm` files, which
//! take its mode) is readable only by its owner: it holds access tokens. Any number of
//! processes may open one store at the same instant: the busy timeout is set before the first
//! statement, and the switch to WAL and the migrations are retried while another opener holds
//! the lock. A store opened with [`SqliteStore::open_read_only`] is only read: nothing is
//! created, made private, migrated or switched, so readers work on a store they cannot write.
//!
//! This crate never performs HTTP: it only persists what the client decides.
//!
//! # Schema versions
//!
//! The schema's version is SQLite's `user_version` ([`SCHEMA_VERSION`]). Opening a file of an
//! older version migrates it forward in one transaction; opening a file of a newer version
//! fails with [`ErrorKind::NewerSchema`] rather than misreading or rewriting it, so an old
//! binary never damages a new binary's state.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let store = std::sync::Arc::new(zbooks_store::SqliteStore::open(dir.path().join("state.db"))?);
//! let client = zbooks_client::Client::builder()
//!     .data_center(zbooks_types::DataCenter::In)
//!     .organization_id("10234695")
//!     .credentials(zbooks_client::Credentials::access_token("1000.example.token"))
//!     .store(store)
//!     .build()?;
//! # drop(client);
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod credentials;
mod journal;
mod lease;
mod schema;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zbooks_client::events::AuditSink;
use zbooks_client::store::{
    Admission, DailyPolicy, DailyUsage, LimitStore, LimitsSnapshot, PacingPolicy, ServerQuota,
    StoreError, StoreResult, StoredToken, TokenAdmission, TokenKey, TokenRequestPolicy, TokenStore,
    gcra_reserve, ledger_admit,
};
use zbooks_client::time::{BoxFuture, from_micros, to_micros};
use zbooks_types::event::CallEvent;
use zbooks_types::{Plan, Secret};

pub use credentials::StoredCredentials;
pub use journal::{
    Failure, JOURNAL_VERSION, Journal, JournalEntry, NewEntry, Outcome, RecordState, RunInfo,
    Transition,
};
pub use lease::{ImportLease, LeaseAttempt, LeaseHolder, LeaseOptions, host_name};
pub use schema::SCHEMA_VERSION;

/// How long a transaction waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What went wrong opening or using a store.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be created, opened or given private permissions.
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file was written by a newer zbooks: its schema is newer than this build knows.
    NewerSchema {
        /// The file's version.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// SQLite failed.
    Sqlite {
        /// What SQLite said.
        reason: String,
    },
}

/// An error of the SQLite store. Retrying helps only for a busy database
/// ([`ErrorKind::Sqlite`] with "database is locked"); the others need a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Open { path, reason } => {
                write!(f, "cannot open store {}: {reason}", path.display())
            }
            ErrorKind::NewerSchema { found, supported } => write!(
                f,
                "store schema version {found} is newer than this build supports ({supported}); \
                 upgrade zbooks"
            ),
            ErrorKind::Sqlite { reason } => write!(f, "sqlite: {reason}"),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        Error {
            kind: ErrorKind::Sqlite {
                reason: err.to_string(),
            },
        }
    }
}

/// The store in one SQLite file, shared by every process that opens it.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    path: Option<PathBuf>,
    read_only: bool,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// The file name zbooks uses inside its state directory.
    pub const FILE_NAME: &'static str = "zbooks-state.sqlite3";

    /// Opens (creating it, and its directory, if needed) the store at `path`, private to the
    /// user (mode 0600), in WAL mode, migrated to [`SCHEMA_VERSION`].
    ///
    /// Many processes may open one store at the same instant (a script starting several
    /// commands): each waits for the others' locks, up to the busy timeout, and none fails
    /// because another was first.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Open`], [`ErrorKind::NewerSchema`] or [`ErrorKind::Sqlite`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref().to_path_buf();
        let open_err = |reason: String| Error {
            kind: ErrorKind::Open {
                path: path.clone(),
                reason,
            },
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| open_err(e.to_string()))?;
        }
        create_private_file(&path).map_err(|e| open_err(e.to_string()))?;
        let conn = Connection::open(&path).map_err(|e| open_err(e.to_string()))?;
        Self::init(conn, Some(path))
    }

    /// Opens an existing store only to read it (`zbooks import status`, `import failed`):
    /// nothing is created, made private, migrated or switched to WAL, so it works on a store
    /// whose file and directory the user may not write (a copy sent for support, a backup,
    /// another user's store shared read-only). Writes through it fail.
    ///
    /// When SQLite cannot make the shared-memory file it needs to read a WAL database (the
    /// directory is read-only) and no write-ahead log is waiting to be checkpointed, the file
    /// is read as immutable: it is then complete, and nobody can be writing it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Open`] when the file is missing or unreadable,
    /// [`ErrorKind::NewerSchema`], or [`ErrorKind::Sqlite`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, Error> {
        use rusqlite::OpenFlags;
        let path = path.as_ref().to_path_buf();
        let open_err = |reason: String| Error {
            kind: ErrorKind::Open {
                path: path.clone(),
                reason,
            },
        };
        std::fs::File::open(&path).map_err(|e| open_err(e.to_string()))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(&path, flags).map_err(|e| open_err(e.to_string()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let conn = match schema::check_version(&conn) {
            Ok(_) => conn,
            Err(err) if is_cannot_open(&err) && !sibling(&path, "-wal").exists() => {
                drop(conn);
                let conn = Connection::open_with_flags(immutable_uri(&path), flags)
                    .map_err(|e| open_err(e.to_string()))?;
                schema::check_version(&conn)?;
                conn
            }
            Err(err) => return Err(Error::from(err)),
        };
        schema::refuse_newer(&conn)?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            path: Some(path),
            read_only: true,
        })
    }

    /// A store in memory (tests; one process only).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Sqlite`].
    pub fn open_in_memory() -> Result<Self, Error> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Self, Error> {
        // Before any statement: every lock below waits for other openers instead of failing.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if path.is_some() {
            // The switch takes an exclusive lock, and SQLite answers SQLITE_BUSY at once,
            // without calling the busy handler, where waiting could deadlock (another opener
            // holds a shared lock and wants the same upgrade): so wait here, outside any lock.
            let mode: String =
                retry_busy(|| conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error {
                    kind: ErrorKind::Sqlite {
                        reason: format!("cannot switch to WAL mode (got {mode})"),
                    },
                });
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Each migration is one immediate transaction that reads the version under the write
        // lock, so concurrent openers migrate once; a busy answer is retried whole.
        retry_busy(|| schema::migrate(&mut conn))??;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            path,
            read_only: false,
        })
    }

    /// Whether this store was opened with [`SqliteStore::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The file, when not in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` on the connection on tokio's blocking pool.
    fn run<T, F>(&self, f: F) -> BoxFuture<'static, StoreResult<T>>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
                f(&mut conn).map_err(StoreError::new)
            })
            .await
            .map_err(StoreError::new)?
        })
    }

    /// The newest `limit` entries of the audit log, newest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn audit_log(&self, limit: u32) -> StoreResult<Vec<CallEvent>> {
        self.run(move |conn| {
            let mut stmt = conn.prepare("SELECT event FROM audit ORDER BY id DESC LIMIT ?1")?;
            let rows = stmt.query_map(params![limit], |r| r.get::<_, String>(0))?;
            let mut events = Vec::new();
            for row in rows {
                // A row a newer writer wrote in another shape is skipped, not misread.
                if let Ok(event) = serde_json::from_str::<CallEvent>(&row?) {
                    events.push(event);
                }
            }
            Ok(events)
        })
        .await
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.exists() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Creates the file readable only by its owner, or makes an existing one so.
///
/// SQLite creates the `-wal` and `-shm` files with the database file's mode, so they are born
/// private. Ones left by an older build with a wider mode are narrowed through an open handle
/// (`fchmod`): another process closing the store may delete them at any moment, and a file
/// gone meanwhile needs nothing.
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let private = std::fs::Permissions::from_mode(0o600);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    if file.metadata()?.permissions().mode() & 0o077 != 0 {
        file.set_permissions(private.clone())?;
    }
    for suffix in ["-wal", "-shm"] {
        match std::fs::File::open(sibling(path, suffix)) {
            Ok(file) => {
                if file.metadata()?.permissions().mode() & 0o077 != 0 {
                    file.set_permissions(private.clone())?;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
}

/// `path` with `suffix` appended (`state.db-wal`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether SQLite could not open a file it needs (for a read-only WAL database: the `-shm`
/// file in a directory the user cannot write).
fn is_cannot_open(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

/// A URI opening `path` as immutable (no locks, no `-shm`): SQLite then trusts that nobody
/// changes the file.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3F"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Runs `f` again while SQLite answers "busy" or "locked", up to [`BUSY_TIMEOUT`], with a
/// short growing pause that differs between processes (so openers started together spread
/// out).
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    let spread = u64::from(std::process::id() % 7);
    let mut attempt: u64 = 0;
    loop {
        match f() {
            Err(err) if is_busy(&err) && started.elapsed() < BUSY_TIMEOUT => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis((attempt * 3 + spread).min(50)));
            }
            other => return other,
        }
    }
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn at(ms: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

fn window_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl TokenStore for SqliteStore {
    fn load_token<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, StoreResult<Option<StoredToken>>> {
        let key = key.as_str().to_owned();
        self.run(move |conn| {
            conn.query_row(
                "SELECT access_token, expires_at_ms, api_domain, lifetime_ms FROM tokens \
                 WHERE key = ?1",
                params![key],
                |r| {
                    Ok(StoredToken {
                        access_token: Secret::new(r.get::<_, String>(0)?),
                        expires_at: at(r.get(1)?),
                        api_domain: r.get(2)?,
                        lifetime: r
                            .get::<_, Option<i64>>(3)?
                            .and_then(|ms| u64::try_from(ms).ok())
                            .map(Duration::from_millis),
                    })
                },
            )
            .optional()
        })
    }

    fn save_token<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let key = key.as_str().to_owned();
        // The one place a token leaves memory: into the owner-only file.
        let access = token.access_token.expose().to_owned();
        let expires = ms(token.expires_at);
        let domain = token.api_domain.clone();
        let lifetime = token.lifetime.map(window_ms);
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO tokens (key, access_token, expires_at_ms, api_domain, lifetime_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT(key) DO UPDATE SET access_token = ?2, expires_at_ms = ?3, \
                 api_domain = ?4, lifetime_ms = ?5",
                params![key, access, expires, domain, lifetime],
            )
            .map(drop)
        })
    }

    fn try_lock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
        now: SystemTime,
        lease: Duration,
    ) -> BoxFuture<'a, StoreResult<bool>> {
        let key = key.as_str().to_owned();
        let holder = holder.to_owned();
        let now = ms(now);
        let until = now.saturating_add(window_ms(lease));
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: Option<(Option<String>, i64)> = tx
                .query_row(
                    "SELECT lock_holder, lock_until_ms FROM token_state WHERE key = ?1",
                    params![key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let free = match &current {
                None | Some((None, _)) => true,
                Some((Some(h), until)) => *h == holder || *until <= now,
            };
            if free {
                tx.execute(
                    "INSERT INTO token_state (key, lock_holder, lock_until_ms) VALUES (?1, ?2, ?3) \
                     ON CONFLICT(key) DO UPDATE SET lock_holder = ?2, lock_until_ms = ?3",
                    params![key, holder, until],
                )?;
            }
            tx.commit()?;
            Ok(free)
        })
    }

    fn unlock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        holder: &'a str,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let key = key.as_str().to_owned();
        let holder = holder.to_owned();
        self.run(move |conn| {
            conn.execute(
                "UPDATE token_state SET lock_holder = NULL, lock_until_ms = 0 \
                 WHERE key = ?1 AND lock_holder = ?2",
                params![key, holder],
            )
            .map(drop)
        })
    }

    fn admit_token_request<'a>(
        &'a self,
        key: &'a TokenKey,
        now: SystemTime,
        policy: TokenRequestPolicy,
    ) -> BoxFuture<'a, StoreResult<TokenAdmission>> {
        let key = key.as_str().to_owned();
        let now = ms(now);
        let window = window_ms(policy.window);
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let cooldown: i64 = tx
                .query_row(
                    "SELECT cooldown_until_ms FROM token_state WHERE key = ?1",
                    params![key],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            if cooldown > now {
                tx.commit()?;
                return Ok(TokenAdmission::Denied {
                    until: at(cooldown),
                });
            }
            tx.execute(
                "DELETE FROM token_requests WHERE key = ?1 AND at_ms <= ?2",
                params![key, now.saturating_sub(window)],
            )?;
            let (count, oldest): (i64, Option<i64>) = tx.query_row(
                "SELECT COUNT(*), MIN(at_ms) FROM token_requests WHERE key = ?1",
                params![key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let admission = if count >= i64::from(policy.max) {
                TokenAdmission::Denied {
                    until: at(oldest.unwrap_or(now).saturating_add(window)),
                }
            } else {
                tx.execute(
                    "INSERT INTO token_requests (key, at_ms) VALUES (?1, ?2)",
                    params![key, now],
                )?;
                TokenAdmission::Granted
            };
            tx.commit()?;
            Ok(admission)
        })
    }

    fn cool_down<'a>(
        &'a self,
        key: &'a TokenKey,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let key = key.as_str().to_owned();
        let until = ms(until);
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO token_state (key, cooldown_until_ms) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET cooldown_until_ms = MAX(cooldown_until_ms, ?2)",
                params![key, until],
            )
            .map(drop)
        })
    }
}

/// One organization's row.
#[derive(Debug, Default, Clone, Copy)]
struct OrgRow {
    /// The theoretical arrival time, in microseconds.
    tat_us: i64,
    paused_until_ms: i64,
    ledger: Option<(u32, u32, i64)>,
}

fn read_org(conn: &Connection, org: &str) -> rusqlite::Result<OrgRow> {
    let row = conn
        .query_row(
            "SELECT tat_us, paused_until_ms, day_used, day_limit, day_resets_at_ms \
             FROM org_limits WHERE organization_id = ?1",
            params![org],
            |r| {
                let used: Option<u32> = r.get(2)?;
                let limit: Option<u32> = r.get(3)?;
                let resets: Option<i64> = r.get(4)?;
                Ok(OrgRow {
                    tat_us: r.get(0)?,
                    paused_until_ms: r.get(1)?,
                    ledger: match (used, limit, resets) {
                        (Some(u), Some(l), Some(t)) => Some((u, l, t)),
                        _ => None,
                    },
                })
            },
        )
        .optional()?;
    Ok(row.unwrap_or_default())
}

fn write_org(conn: &Connection, org: &str, row: &OrgRow) -> rusqlite::Result<()> {
    let (used, limit, resets) = match row.ledger {
        Some((u, l, t)) => (Some(u), Some(l), Some(t)),
        None => (None, None, None),
    };
    conn.execute(
        "INSERT INTO org_limits (organization_id, tat_us, paused_until_ms, day_used, day_limit, \
         day_resets_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT(organization_id) DO UPDATE SET tat_us = ?2, paused_until_ms = ?3, \
         day_used = ?4, day_limit = ?5, day_resets_at_ms = ?6",
        params![org, row.tat_us, row.paused_until_ms, used, limit, resets],
    )
    .map(drop)
}

/// Reads, changes and writes one organization's row in one immediate transaction.
fn with_org<T>(
    conn: &mut Connection,
    org: &str,
    f: impl FnOnce(&mut OrgRow) -> T,
) -> rusqlite::Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut row = read_org(&tx, org)?;
    let out = f(&mut row);
    write_org(&tx, org, &row)?;
    tx.commit()?;
    Ok(out)
}

impl LimitStore for SqliteStore {
    fn admit<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
        pacing: Option<PacingPolicy>,
        daily: Option<DailyPolicy>,
    ) -> BoxFuture<'a, StoreResult<Admission>> {
        let org = organization_id.to_owned();
        let now_us = to_micros(now);
        let now = ms(now);
        self.run(move |conn| {
            let admission = with_org(conn, &org, |row| {
                if let Some(policy) = daily {
                    match ledger_admit(now, row.ledger, policy) {
                        Ok(ledger) => row.ledger = Some(ledger),
                        Err(resets_at) => {
                            return Admission::QuotaExhausted {
                                resets_at: at(resets_at),
                            };
                        }
                    }
                }
                let paused = row.paused_until_ms > now;
                let send_at = match pacing {
                    Some(policy) => {
                        let (send_at, tat) = gcra_reserve(
                            now_us,
                            row.tat_us,
                            row.paused_until_ms.saturating_mul(1000),
                            policy,
                        );
                        row.tat_us = tat;
                        from_micros(send_at)
                    }
                    None => at(now.max(row.paused_until_ms)),
                };
                Admission::Send {
                    at: send_at,
                    paused,
                }
            })?;
            // For `zbooks quota`'s "calls this minute" (credentials.rs).
            if let Admission::Send { at: send_at, .. } = admission {
                credentials::record_call(conn, &org, ms(send_at))?;
            }
            Ok(admission)
        })
    }

    fn pause<'a>(
        &'a self,
        organization_id: &'a str,
        until: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let org = organization_id.to_owned();
        let until = ms(until);
        self.run(move |conn| {
            with_org(conn, &org, |row| {
                row.paused_until_ms = row.paused_until_ms.max(until);
            })
        })
    }

    fn record_server_quota<'a>(
        &'a self,
        organization_id: &'a str,
        quota: ServerQuota,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let org = organization_id.to_owned();
        self.run(move |conn| {
            with_org(conn, &org, |row| {
                row.ledger = Some((
                    quota.limit.saturating_sub(quota.remaining),
                    quota.limit,
                    ms(quota.resets_at),
                ));
            })
        })
    }

    fn exhaust_daily<'a>(
        &'a self,
        organization_id: &'a str,
        resets_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let org = organization_id.to_owned();
        let resets_at = ms(resets_at);
        self.run(move |conn| {
            with_org(conn, &org, |row| {
                let limit = row.ledger.map_or(0, |(_, limit, _)| limit);
                row.ledger = Some((limit, limit, resets_at));
            })
        })
    }

    fn snapshot<'a>(
        &'a self,
        organization_id: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, StoreResult<LimitsSnapshot>> {
        let org = organization_id.to_owned();
        let now = ms(now);
        self.run(move |conn| {
            let row = read_org(conn, &org)?;
            Ok(LimitsSnapshot {
                daily: row.ledger.filter(|(_, _, resets_at)| *resets_at > now).map(
                    |(used, limit, resets_at)| DailyUsage {
                        used,
                        limit,
                        resets_at: at(resets_at),
                    },
                ),
                paused_until: (row.paused_until_ms > now).then(|| at(row.paused_until_ms)),
                next_slot: (row.tat_us > now.saturating_mul(1000)).then(|| from_micros(row.tat_us)),
            })
        })
    }

    fn load_plan<'a>(
        &'a self,
        organization_id: &'a str,
    ) -> BoxFuture<'a, StoreResult<Option<(Plan, SystemTime)>>> {
        let org = organization_id.to_owned();
        self.run(move |conn| {
            let row: Option<(String, i64)> = conn
                .query_row(
                    "SELECT plan, checked_at_ms FROM org_plans WHERE organization_id = ?1",
                    params![org],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            // A plan name a newer build wrote and this one does not know is read again.
            Ok(row.and_then(|(plan, checked)| Some((plan.parse().ok()?, at(checked)))))
        })
    }

    fn save_plan<'a>(
        &'a self,
        organization_id: &'a str,
        plan: Plan,
        checked_at: SystemTime,
    ) -> BoxFuture<'a, StoreResult<()>> {
        let org = organization_id.to_owned();
        let checked = ms(checked_at);
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO org_plans (organization_id, plan, checked_at_ms) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(organization_id) DO UPDATE SET plan = ?2, checked_at_ms = ?3",
                params![org, plan.name(), checked],
            )?;
            Ok(())
        })
    }
}

impl AuditSink for SqliteStore {
    fn record_failure<'a>(&'a self, event: &'a CallEvent) -> BoxFuture<'a, StoreResult<()>> {
        // Events carry no secret by construction (zbooks_types::event); scrub anyway, so a
        // message that quoted one cannot land in the file.
        let line = serde_json::to_string(event)
            .map(|text| zbooks_types::scrub(&text))
            .map_err(StoreError::new);
        let ts = event.ts.clone();
        let org = event.organization_id.clone();
        Box::pin(async move {
            let line = line?;
            self.run(move |conn| {
                conn.execute(
                    "INSERT INTO audit (ts, organization_id, event) VALUES (?1, ?2, ?3)",
                    params![ts, org, line],
                )
                .map(drop)
            })
            .await
        })
    }
}

#[cfg(test)]
mod tests;
