//! The organization's import lease: one `zbooks import` at a time creates records in one
//! organization, so that no two runs both find a tax, an account or a payment missing and
//! both create it (issue 12 §3; Zoho refuses a second contact, item or own-numbered invoice,
//! but nothing else).
//!
//! The lease is two locks, taken in this order and both held for the whole run:
//!
//! 1. **A machine-wide OS advisory lock** (`File::try_lock`) on a file named after the lease
//!    key — the data center's API base and the organization id — in a fixed directory that
//!    does not depend on the store (the caller passes the user's runtime directory). Runs with
//!    different stores on one machine exclude each other through it. The kernel drops it when
//!    its holder dies, SIGKILL included, so a killed run's lock never outlives it. The file
//!    holds the holder's description (pid, host, file, start) for the waiting run's notice;
//!    the holder empties it when it lets go, so a non-empty file found unlocked means the
//!    last holder died holding it.
//! 2. **A lease row in the store** (`import_leases`, journal version 2) with the same holder
//!    description and an expiry that a heartbeat pushes forward (every third of the lease's
//!    time to live). It excludes runs that share the store but not the lock directory (another
//!    machine on a shared disk, another lock directory). A row whose holder stopped beating
//!    expires and is taken over in one immediate transaction, so two takers never both win.
//!    When the row's holder used the same lock file on the same host, holding that OS lock
//!    proves it dead, and the row is taken over at once instead of after the expiry.
//!
//! A lease taken over from a holder that died holding it says so ([`ImportLease::taken_over`]):
//! a create the dead run sent may still be travelling, so the new holder lets it land before it
//! lists Zoho. A heartbeat that finds the row taken by another (this holder stopped beating
//! past the expiry) marks the lease lost; the holder must stop creating.
//!
//! This module never waits for a busy lease: it answers who holds it, and the caller decides
//! whether to wait (with a notice) or refuse. It never sends anything to Zoho.

use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde_json::json;
use tokio::sync::Notify;
use zbooks_client::store::{StoreError, StoreResult};
use zbooks_types::{Clock, SystemClock};

use crate::{SqliteStore, create_private_dir, ms};

/// Who holds (or held) a lease: what a waiting run's notice names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseHolder {
    /// The holder's process id.
    pub pid: u32,
    /// The holder's host name.
    pub host: String,
    /// The file it imports.
    pub file: String,
    /// When it took the lease (ms since the Unix epoch).
    pub started_ms: i64,
}

impl LeaseHolder {
    /// This process importing `file`, starting now.
    pub fn this_process(file: &str, clock: &dyn Clock) -> Self {
        LeaseHolder {
            pid: std::process::id(),
            host: host_name(),
            file: file.to_owned(),
            started_ms: ms(clock.now()),
        }
    }

    fn to_json(&self, token: &str, lock_path: &Path) -> String {
        json!({
            "pid": self.pid,
            "host": self.host,
            "file": self.file,
            "started_ms": self.started_ms,
            "token": token,
            "lock": lock_path.display().to_string(),
        })
        .to_string()
    }

    fn from_json(text: &str) -> Option<LeaseHolder> {
        let v: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
        Some(LeaseHolder {
            pid: u32::try_from(v.get("pid")?.as_u64()?).ok()?,
            host: v.get("host")?.as_str()?.to_owned(),
            file: v.get("file")?.as_str()?.to_owned(),
            started_ms: v.get("started_ms")?.as_i64()?,
        })
    }
}

/// This machine's name (for the lease notice, the queue's worker names and the shared
/// state's participants): the kernel's (Linux), else `/etc/hostname`, else what the
/// `hostname` command says (macOS, Windows), else `localhost`.
pub fn host_name() -> String {
    let from_files = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok());
    let from_command = std::iter::once_with(|| {
        std::process::Command::new("hostname")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
    })
    .flatten();
    from_files
        .chain(from_command)
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// How a lease is taken.
#[derive(Clone, Debug)]
pub struct LeaseOptions {
    /// The directory of the machine-wide lock files: fixed per user, independent of the
    /// store (so that two stores on one machine meet there).
    pub lock_dir: PathBuf,
    /// How long the row lives without a heartbeat (default 60 s; tests shorten it). A run
    /// killed on another machine blocks the organization this long at most.
    pub ttl: Duration,
    /// The wall clock (expiries are compared across processes).
    pub clock: Arc<dyn Clock>,
}

impl LeaseOptions {
    /// Locks in `lock_dir`, a minute to live, the system clock.
    pub fn new(lock_dir: impl Into<PathBuf>) -> Self {
        LeaseOptions {
            lock_dir: lock_dir.into(),
            ttl: Duration::from_mins(1),
            clock: Arc::new(SystemClock),
        }
    }
}

/// The answer to a request for the lease.
#[derive(Debug)]
pub enum LeaseAttempt {
    /// Taken.
    Held(ImportLease),
    /// Another run holds it.
    Busy {
        /// Who, when it could be told (a lock file being written right now reads as
        /// unknown).
        holder: Option<LeaseHolder>,
        /// When its row expires unless it beats again (ms since the Unix epoch); `None` when
        /// only the machine-wide lock is held (it never expires while its holder lives).
        expires_ms: Option<i64>,
    },
}

/// A held lease. Let go of it with [`ImportLease::release`]; dropped without, the OS lock
/// goes at once and the row expires.
#[derive(Debug)]
pub struct ImportLease {
    store: SqliteStore,
    key: String,
    token: String,
    file: Option<File>,
    taken_over: Option<LeaseHolder>,
    lost: Arc<(AtomicBool, Notify)>,
    heartbeat: Option<tokio::task::JoinHandle<()>>,
}

static TOKENS: AtomicU64 = AtomicU64::new(0);

fn file_name(key: &str) -> String {
    // FNV-1a 64 of the key: a fixed, portable file name for any URL and organization id.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("import-{h:016x}.lock")
}

fn io_err(what: &str, path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::new(crate::Error {
        kind: crate::ErrorKind::Open {
            path: path.to_path_buf(),
            reason: format!("{what}: {e}"),
        },
    })
}

fn open_lock_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)
}

fn read_all(file: &mut File) -> String {
    let mut text = String::new();
    if file.seek(SeekFrom::Start(0)).is_ok() {
        let _ = file.read_to_string(&mut text);
    }
    text
}

fn write_all(file: &mut File, text: &str) -> std::io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

/// What the row's transaction decided.
enum RowDecision {
    Taken {
        previous: Option<LeaseHolder>,
    },
    Busy {
        holder: LeaseHolder,
        expires_ms: i64,
    },
}

impl SqliteStore {
    /// Tries to take the import lease of `key` (the API base and the organization id, e.g.
    /// `https://www.zohoapis.in/books/v3|10234695`) for `me`: the machine-wide lock first,
    /// then the row. Never waits.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the lock directory or file cannot be made or locked for a reason
    /// other than another holder, or the database cannot be written.
    pub async fn try_import_lease(
        &self,
        key: &str,
        me: &LeaseHolder,
        options: &LeaseOptions,
    ) -> StoreResult<LeaseAttempt> {
        self.run(crate::journal::migrate_journal)
            .await?
            .map_err(StoreError::new)?;
        create_private_dir(&options.lock_dir)
            .map_err(|e| io_err("cannot make the lock directory", &options.lock_dir, &e))?;
        let path = options.lock_dir.join(file_name(key));
        let mut file =
            open_lock_file(&path).map_err(|e| io_err("cannot open the lock file", &path, &e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Ok(LeaseAttempt::Busy {
                    holder: LeaseHolder::from_json(&read_all(&mut file)),
                    expires_ms: None,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(io_err("cannot lock the lock file", &path, &e));
            }
        }
        // Ours on this machine. Whoever wrote what the file holds died holding it.
        let left = read_all(&mut file);
        let dead = LeaseHolder::from_json(&left);
        let token = format!(
            "{}-{}-{}-{}",
            me.host,
            me.pid,
            ms(options.clock.now()),
            TOKENS.fetch_add(1, Ordering::Relaxed)
        );
        let now = ms(options.clock.now());
        let ttl = i64::try_from(options.ttl.as_millis()).unwrap_or(i64::MAX);
        let row = {
            let (key, token, me) = (key.to_owned(), token.clone(), me.clone());
            let lock = path.display().to_string();
            self.run(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let current = tx
                    .query_row(
                        "SELECT holder, pid, host, file, started_ms, expires_ms, lock_path \
                         FROM import_leases WHERE lease_key = ?1",
                        params![key],
                        |r| {
                            Ok((
                                LeaseHolder {
                                    pid: u32::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                                    host: r.get(2)?,
                                    file: r.get(3)?,
                                    started_ms: r.get(4)?,
                                },
                                r.get::<_, i64>(5)?,
                                r.get::<_, Option<String>>(6)?,
                            ))
                        },
                    )
                    .optional()?;
                let decision = match current {
                    // Alive by its heartbeat, and not proven dead by the lock we hold.
                    Some((holder, expires_ms, lock_path))
                        if expires_ms > now
                            && !(holder.host == me.host
                                && lock_path.as_deref() == Some(lock.as_str())) =>
                    {
                        return Ok(RowDecision::Busy { holder, expires_ms });
                    }
                    Some((holder, _, _)) => RowDecision::Taken {
                        previous: Some(holder),
                    },
                    None => RowDecision::Taken { previous: None },
                };
                tx.execute(
                    "INSERT INTO import_leases (lease_key, holder, pid, host, file, started_ms, \
                     expires_ms, lock_path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                     ON CONFLICT(lease_key) DO UPDATE SET holder = ?2, pid = ?3, host = ?4, \
                     file = ?5, started_ms = ?6, expires_ms = ?7, lock_path = ?8",
                    params![
                        key,
                        token,
                        i64::from(me.pid),
                        me.host,
                        me.file,
                        me.started_ms,
                        now.saturating_add(ttl),
                        lock
                    ],
                )?;
                tx.commit()?;
                Ok(decision)
            })
            .await?
        };
        let previous = match row {
            RowDecision::Busy { holder, expires_ms } => {
                // Not ours after all: the file keeps what it held, the lock goes with it.
                drop(file);
                return Ok(LeaseAttempt::Busy {
                    holder: Some(holder),
                    expires_ms: Some(expires_ms),
                });
            }
            RowDecision::Taken { previous } => previous,
        };
        write_all(&mut file, &me.to_json(&token, &path))
            .map_err(|e| io_err("cannot write the lock file", &path, &e))?;
        let lost = Arc::new((AtomicBool::new(false), Notify::new()));
        let heartbeat = tokio::spawn(beat(
            self.clone(),
            key.to_owned(),
            token.clone(),
            options.clone(),
            lost.clone(),
        ));
        Ok(LeaseAttempt::Held(ImportLease {
            store: self.clone(),
            key: key.to_owned(),
            token,
            file: Some(file),
            taken_over: dead.or(previous),
            lost,
            heartbeat: Some(heartbeat),
        }))
    }
}

/// Pushes the row's expiry forward every third of the time to live; marks the lease lost
/// when the row is no longer this holder's.
async fn beat(
    store: SqliteStore,
    key: String,
    token: String,
    options: LeaseOptions,
    lost: Arc<(AtomicBool, Notify)>,
) {
    let ttl = i64::try_from(options.ttl.as_millis()).unwrap_or(i64::MAX);
    loop {
        tokio::time::sleep(options.ttl / 3).await;
        let now = ms(options.clock.now());
        let (key, token) = (key.clone(), token.clone());
        let kept = store
            .run(move |conn| {
                conn.execute(
                    "UPDATE import_leases SET expires_ms = ?3 WHERE lease_key = ?1 AND holder = ?2",
                    params![key, token, now.saturating_add(ttl)],
                )
            })
            .await;
        // A busy database is tried again at the next beat; a row gone to another is final.
        if matches!(kept, Ok(0)) {
            lost.0.store(true, Ordering::SeqCst);
            lost.1.notify_waiters();
            return;
        }
    }
}

impl ImportLease {
    /// The holder that died holding the lease before this one took it, if any: a create it
    /// sent may still land, so wait a little before listing Zoho.
    pub fn taken_over(&self) -> Option<&LeaseHolder> {
        self.taken_over.as_ref()
    }

    /// Whether another run took the lease (this one stopped beating past the expiry).
    pub fn is_lost(&self) -> bool {
        self.lost.0.load(Ordering::SeqCst)
    }

    /// Resolves when the lease is lost.
    pub fn lost(&self) -> impl Future<Output = ()> + Send + 'static {
        let lost = self.lost.clone();
        async move {
            loop {
                let notified = lost.1.notified();
                if lost.0.load(Ordering::SeqCst) {
                    return;
                }
                notified.await;
            }
        }
    }

    /// Lets go: the row is deleted (if still this holder's), the lock file emptied and
    /// unlocked.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be written (the OS lock goes anyway and the
    /// row expires).
    pub async fn release(mut self) -> StoreResult<()> {
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
        let (key, token) = (self.key.clone(), self.token.clone());
        let deleted = self
            .store
            .run(move |conn| {
                conn.execute(
                    "DELETE FROM import_leases WHERE lease_key = ?1 AND holder = ?2",
                    params![key, token],
                )
            })
            .await;
        if let Some(file) = self.file.take() {
            // Emptied before unlocking: an empty file found unlocked is a clean hand-over.
            let _ = file.set_len(0);
            let _ = file.sync_data();
            drop(file);
        }
        deleted.map(drop)
    }
}

impl Drop for ImportLease {
    fn drop(&mut self) {
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zbooks_types::ManualClock;

    fn me(file: &str) -> LeaseHolder {
        LeaseHolder {
            pid: 4242,
            host: "here".into(),
            file: file.into(),
            started_ms: 1_000,
        }
    }

    fn held(a: LeaseAttempt) -> ImportLease {
        match a {
            LeaseAttempt::Held(l) => l,
            LeaseAttempt::Busy { holder, .. } => panic!("busy: {holder:?}"),
        }
    }

    fn busy(a: &LeaseAttempt) -> Option<LeaseHolder> {
        match a {
            LeaseAttempt::Held(_) => panic!("taken twice"),
            LeaseAttempt::Busy { holder, .. } => holder.clone(),
        }
    }

    #[tokio::test]
    async fn one_holder_per_organization_across_stores_and_within_one() {
        let dir = tempfile::tempdir().unwrap();
        let locks = LeaseOptions::new(dir.path().join("locks"));
        let a = SqliteStore::open(dir.path().join("a.db")).unwrap();
        let b = SqliteStore::open(dir.path().join("b.db")).unwrap();
        let key = "https://books.example/books/v3|1";
        let first = held(
            a.try_import_lease(key, &me("one.xml"), &locks)
                .await
                .unwrap(),
        );
        assert!(first.taken_over().is_none());
        // Another store on this machine: the lock file says who holds it.
        let other = b
            .try_import_lease(key, &me("two.xml"), &locks)
            .await
            .unwrap();
        assert_eq!(busy(&other).map(|h| h.file).as_deref(), Some("one.xml"));
        // The same store, another run.
        let again = a
            .try_import_lease(key, &me("three.xml"), &locks)
            .await
            .unwrap();
        assert_eq!(busy(&again).map(|h| h.file).as_deref(), Some("one.xml"));
        // Another organization is free.
        held(
            b.try_import_lease("https://books.example/books/v3|2", &me("x"), &locks)
                .await
                .unwrap(),
        );
        first.release().await.unwrap();
        let next = held(
            b.try_import_lease(key, &me("two.xml"), &locks)
                .await
                .unwrap(),
        );
        assert!(
            next.taken_over().is_none(),
            "a clean release is no takeover"
        );
    }

    #[tokio::test]
    async fn a_dead_holders_row_is_taken_over_only_after_it_expires_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(
            std::time::UNIX_EPOCH + Duration::from_hours(1),
        ));
        let options = |d: &str| LeaseOptions {
            lock_dir: dir.path().join(d),
            ttl: Duration::from_hours(1),
            clock: clock.clone(),
        };
        let store = SqliteStore::open(dir.path().join("s.db")).unwrap();
        let key = "k|1";
        let dead = held(
            store
                .try_import_lease(key, &me("dead.xml"), &options("machine-a"))
                .await
                .unwrap(),
        );
        // The holder dies: its OS lock goes with it, its row stays.
        std::mem::forget(dead);
        // A run on another machine (another lock directory) sharing the store: the row is
        // alive until it expires.
        let there = LeaseHolder {
            host: "there".into(),
            ..me("late.xml")
        };
        let attempt = store
            .try_import_lease(key, &there, &options("machine-b"))
            .await
            .unwrap();
        assert_eq!(busy(&attempt).map(|h| h.file).as_deref(), Some("dead.xml"));
        clock.advance(Duration::from_secs(3601));
        let taken = held(
            store
                .try_import_lease(key, &there, &options("machine-b"))
                .await
                .unwrap(),
        );
        assert_eq!(
            taken.taken_over().map(|h| h.file.as_str()),
            Some("dead.xml")
        );
    }

    #[tokio::test]
    async fn a_lock_file_left_by_a_dead_holder_names_it_and_is_taken_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let options = LeaseOptions {
            ttl: Duration::from_hours(1),
            ..LeaseOptions::new(dir.path().join("locks"))
        };
        let store = SqliteStore::open(dir.path().join("s.db")).unwrap();
        let key = "k|1";
        // The holder dies: its file (and so its OS lock) closes without a release, as the
        // kernel closes a killed process's files; its row stays, unexpired.
        let mut dead = held(
            store
                .try_import_lease(key, &me("dead.xml"), &options)
                .await
                .unwrap(),
        );
        if let Some(h) = dead.heartbeat.take() {
            h.abort();
        }
        drop(dead.file.take());
        std::mem::forget(dead);
        let next = held(
            store
                .try_import_lease(key, &me("next.xml"), &options)
                .await
                .unwrap(),
        );
        assert_eq!(
            next.taken_over().map(|h| h.file.as_str()),
            Some("dead.xml"),
            "same host, same lock file: the row's holder is proven dead"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn never_two_holders_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let holders = Arc::new(AtomicU64::new(0));
        let most = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for n in 0..6 {
            // Half share one store, half have their own; all share the lock directory.
            let store = SqliteStore::open(dir.path().join(format!("s{}.db", n % 2 * n))).unwrap();
            let options = LeaseOptions::new(dir.path().join("locks"));
            let (holders, most) = (holders.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                let mut held_times = 0;
                for _ in 0..200 {
                    if let LeaseAttempt::Held(lease) = store
                        .try_import_lease("k|1", &me(&format!("run{n}")), &options)
                        .await
                        .unwrap()
                    {
                        let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        holders.fetch_sub(1, Ordering::SeqCst);
                        lease.release().await.unwrap();
                        held_times += 1;
                    }
                }
                held_times
            }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        assert!(total > 0);
        assert_eq!(most.load(Ordering::SeqCst), 1);
    }
}
