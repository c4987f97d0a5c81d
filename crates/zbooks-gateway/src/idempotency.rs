//! `Idempotency-Key`: the first final answer to a request carrying a key is kept (24 hours by
//! default) and replayed to every later request with the same key, organization, method and
//! path, so a client that retries a create after a timeout gets the first answer instead of a
//! second record.
//!
//! Answers are kept in an [`AnswerStore`], which follows the state backend: [`MemoryAnswers`]
//! for tests and one-off runs, [`SqliteAnswers`] (the default of `zbooks gateway`: `gateway.db`
//! in the data directory, readable by the user only, as the answers hold business data), and
//! the Redis and PostgreSQL stores of `zbooks-redis` and `zbooks-pg` when `ZBOOKS_STATE` names
//! one, so gateways on several machines share their keys. A request first *claims* its key:
//! it finds the kept answer, or a pending marker (another request with the key is in flight,
//! here or on another gateway: it waits for that answer instead of sending a second create),
//! or it puts its own marker and goes to Zoho. Requests with the same key inside one gateway
//! are also serialized in memory, so they never poll the store for each other.
//! [`conformance`] is the behaviour every store must have.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zbooks_client::time::BoxFuture;

use crate::error::GatewayError;

/// One kept answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if the answer had one.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// What a request finds when it claims its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The first answer, still kept: replay it.
    Kept(StoredAnswer),
    /// The key is this request's now (a pending marker until the time it gave): send it, then
    /// [`AnswerStore::save`] the answer or [`AnswerStore::release`] the key.
    Mine,
    /// Another holder's request with the key is in flight: wait, then claim again.
    Pending,
}

/// Keeps answers, and markers of requests in flight, by key until they expire.
pub trait AnswerStore: Send + Sync + std::fmt::Debug {
    /// In one step: the answer kept under `key` (unless it expired before `now`); else
    /// [`Claim::Pending`] when another holder's marker lasts past `now`; else puts `holder`'s
    /// marker, lasting until `pending_until`, and answers [`Claim::Mine`]. A holder's own
    /// live marker is [`Claim::Pending`] too: one holder claims a key once at a time.
    fn claim<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
        now: SystemTime,
        pending_until: SystemTime,
    ) -> BoxFuture<'a, Result<Claim, GatewayError>>;

    /// Keeps `answer` under `key` until `expires_at`, replacing a pending marker (the first
    /// answer wins: an answer already kept and not expired is not overwritten); forgets
    /// expired entries on the way.
    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>>;

    /// Removes `holder`'s pending marker under `key` (its request got no final answer, so a
    /// retry may go to Zoho); an answer, or another holder's marker, stays.
    fn release<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, Result<(), GatewayError>>;
}

/// One entry of [`MemoryAnswers`].
#[derive(Debug)]
enum Entry {
    Pending {
        holder: String,
        until: SystemTime,
    },
    Answer {
        answer: StoredAnswer,
        until: SystemTime,
    },
}

impl Entry {
    fn until(&self) -> SystemTime {
        match self {
            Entry::Pending { until, .. } | Entry::Answer { until, .. } => *until,
        }
    }
}

/// Answers kept in memory (lost when the process ends).
#[derive(Debug, Default)]
pub struct MemoryAnswers {
    answers: Mutex<HashMap<String, Entry>>,
}

impl MemoryAnswers {
    /// An empty store.
    pub fn new() -> Self {
        MemoryAnswers::default()
    }
}

impl AnswerStore for MemoryAnswers {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
        now: SystemTime,
        pending_until: SystemTime,
    ) -> BoxFuture<'a, Result<Claim, GatewayError>> {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        let claim = match answers.get(key).filter(|e| e.until() > now) {
            Some(Entry::Answer { answer, .. }) => Claim::Kept(answer.clone()),
            Some(Entry::Pending { .. }) => Claim::Pending,
            None => {
                answers.insert(
                    key.to_owned(),
                    Entry::Pending {
                        holder: holder.to_owned(),
                        until: pending_until,
                    },
                );
                Claim::Mine
            }
        };
        Box::pin(std::future::ready(Ok(claim)))
    }

    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        answers.retain(|_, e| e.until() > now);
        if !matches!(answers.get(key), Some(Entry::Answer { .. })) {
            answers.insert(
                key.to_owned(),
                Entry::Answer {
                    answer: answer.clone(),
                    until: expires_at,
                },
            );
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        if matches!(answers.get(key), Some(Entry::Pending { holder: h, .. }) if h == holder) {
            answers.remove(key);
        }
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Answers kept in a SQLite file, across restarts (and shared by gateways on one machine).
#[derive(Debug, Clone)]
pub struct SqliteAnswers {
    conn: Arc<Mutex<rusqlite::Connection>>,
}

impl SqliteAnswers {
    /// The file name `zbooks gateway` uses in the data directory.
    pub const FILE_NAME: &'static str = "gateway.db";

    /// Opens (creating, readable by the user only) the file at `path`.
    ///
    /// # Errors
    ///
    /// [`GatewayError::Store`] when the file cannot be opened or set up.
    pub fn open(path: &Path) -> Result<Self, GatewayError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| store_error(&format!("cannot create {}", dir.display()), &e))?;
        }
        let conn = rusqlite::Connection::open(path)
            .map_err(|e| store_error(&format!("cannot open {}", path.display()), &e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| store_error(&format!("cannot make {} private", path.display()), &e))?;
        }
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| store_error("cannot set the busy timeout", &e))?;
        // `holder` is set while a request is in flight (status and body then NULL). The table
        // of earlier versions (answers only) is carried over, then dropped.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS idempotent_keys (
                 key TEXT PRIMARY KEY,
                 holder TEXT,
                 status INTEGER,
                 content_type TEXT,
                 body BLOB,
                 expires_ms INTEGER NOT NULL
             );",
        )
        .map_err(|e| store_error("cannot set up the answers table", &e))?;
        let old: bool = conn
            .query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_master
                 WHERE type = 'table' AND name = 'idempotent_answers'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| store_error("cannot read the answers table", &e))?;
        if old {
            conn.execute_batch(
                "BEGIN IMMEDIATE;
                 INSERT OR IGNORE INTO idempotent_keys
                     (key, holder, status, content_type, body, expires_ms)
                     SELECT key, NULL, status, content_type, body, expires_ms
                     FROM idempotent_answers;
                 DROP TABLE idempotent_answers;
                 COMMIT;",
            )
            .map_err(|e| store_error("cannot carry over the kept answers", &e))?;
        }
        Ok(SqliteAnswers {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut rusqlite::Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, GatewayError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut conn)
        })
        .await
        .map_err(|e| GatewayError::Store(format!("the store's task failed: {e}")))?
        .map_err(|e| store_error("the answers table", &e))
    }
}

fn store_error(what: &str, err: &dyn std::fmt::Display) -> GatewayError {
    GatewayError::Store(format!("{what}: {err}"))
}

/// Milliseconds since the Unix epoch (0 before it), as the file keeps times.
fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl AnswerStore for SqliteAnswers {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
        now: SystemTime,
        pending_until: SystemTime,
    ) -> BoxFuture<'a, Result<Claim, GatewayError>> {
        let (key, holder) = (key.to_owned(), holder.to_owned());
        let (now, until) = (millis(now), millis(pending_until));
        Box::pin(self.blocking(move |conn| {
            // IMMEDIATE: the read and the marker are one step for every process on the file.
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let found = {
                let mut stmt = tx.prepare(
                    "SELECT status, content_type, body FROM idempotent_keys
                     WHERE key = ?1 AND expires_ms > ?2",
                )?;
                let mut rows = stmt.query(rusqlite::params![key, now])?;
                match rows.next()? {
                    Some(row) => Some(match row.get::<_, Option<u16>>(0)? {
                        Some(status) => Claim::Kept(StoredAnswer {
                            status,
                            content_type: row.get(1)?,
                            body: row.get::<_, Option<Vec<u8>>>(2)?.unwrap_or_default(),
                        }),
                        None => Claim::Pending,
                    }),
                    None => None,
                }
            };
            let claim = if let Some(claim) = found {
                claim
            } else {
                tx.execute(
                    "INSERT OR REPLACE INTO idempotent_keys
                         (key, holder, status, content_type, body, expires_ms)
                     VALUES (?1, ?2, NULL, NULL, NULL, ?3)",
                    rusqlite::params![key, holder, until],
                )?;
                Claim::Mine
            };
            tx.commit()?;
            Ok(claim)
        }))
    }

    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        let key = key.to_owned();
        let answer = answer.clone();
        let (now, expires) = (millis(now), millis(expires_at));
        Box::pin(self.blocking(move |conn| {
            conn.execute("DELETE FROM idempotent_keys WHERE expires_ms <= ?1", [now])?;
            conn.execute(
                "INSERT INTO idempotent_keys (key, holder, status, content_type, body, expires_ms)
                 VALUES (?1, NULL, ?2, ?3, ?4, ?5)
                 ON CONFLICT (key) DO UPDATE SET holder = NULL, status = excluded.status,
                     content_type = excluded.content_type, body = excluded.body,
                     expires_ms = excluded.expires_ms
                 WHERE idempotent_keys.status IS NULL",
                rusqlite::params![
                    key,
                    answer.status,
                    answer.content_type,
                    answer.body,
                    expires
                ],
            )?;
            Ok(())
        }))
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        let (key, holder) = (key.to_owned(), holder.to_owned());
        Box::pin(self.blocking(move |conn| {
            conn.execute(
                "DELETE FROM idempotent_keys WHERE key = ?1 AND holder = ?2 AND status IS NULL",
                rusqlite::params![key, holder],
            )?;
            Ok(())
        }))
    }
}

/// One lock per key in use, so requests with the same key run one after the other.
#[derive(Debug, Default)]
pub(crate) struct KeyLocks {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl KeyLocks {
    /// Waits until no other request with `key` runs, and holds the key until dropped.
    pub(crate) async fn hold(&self, key: &str) -> KeyGuard<'_> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
            locks.entry(key.to_owned()).or_default().clone()
        };
        let guard = lock.clone().lock_owned().await;
        KeyGuard {
            locks: self,
            key: key.to_owned(),
            lock,
            guard: Some(guard),
        }
    }
}

/// A key held by one request.
#[derive(Debug)]
pub(crate) struct KeyGuard<'a> {
    locks: &'a KeyLocks,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for KeyGuard<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut locks = self
            .locks
            .locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Only this guard and the map hold the lock: nobody waits for the key any more.
        if Arc::strong_count(&self.lock) == 2 {
            locks.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zbooks_types::{Clock as _, SystemClock};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn memory_passes_the_conformance_tests() {
        let store: Arc<dyn AnswerStore> = Arc::new(MemoryAnswers::new());
        crate::conformance::run(store.clone()).await;
        crate::conformance::run_concurrent(store).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_passes_the_conformance_tests_and_keeps_answers_across_a_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(SqliteAnswers::FILE_NAME);
        let store: Arc<dyn AnswerStore> = Arc::new(SqliteAnswers::open(&path).expect("open"));
        crate::conformance::run(store.clone()).await;
        crate::conformance::run_concurrent(store).await;
        let now = SystemClock.now();
        let store = SqliteAnswers::open(&path).expect("reopen");
        assert_eq!(
            store
                .claim("again", "g1", now, now + Duration::from_mins(1))
                .await
                .expect("claim"),
            Claim::Mine
        );
        let kept = StoredAnswer {
            status: 201,
            content_type: None,
            body: b"kept".to_vec(),
        };
        store
            .save("again", &kept, now, now + Duration::from_hours(1))
            .await
            .expect("save");
        let reopened = SqliteAnswers::open(&path).expect("reopen");
        assert_eq!(
            reopened
                .claim("again", "g2", now, now + Duration::from_mins(1))
                .await
                .expect("claim"),
            Claim::Kept(kept)
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn sqlite_carries_over_the_answers_of_the_earlier_table() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(SqliteAnswers::FILE_NAME);
        let now = SystemClock.now();
        {
            let conn = rusqlite::Connection::open(&path).expect("open");
            conn.execute_batch(
                "CREATE TABLE idempotent_answers (key TEXT PRIMARY KEY, status INTEGER NOT NULL,
                     content_type TEXT, body BLOB NOT NULL, expires_ms INTEGER NOT NULL);",
            )
            .expect("old table");
            conn.execute(
                "INSERT INTO idempotent_answers VALUES ('old', 201, NULL, x'6f6b', ?1)",
                [millis(now + Duration::from_hours(1))],
            )
            .expect("old answer");
        }
        let store = SqliteAnswers::open(&path).expect("open");
        assert_eq!(
            store
                .claim("old", "g", now, now + Duration::from_mins(1))
                .await
                .expect("claim"),
            Claim::Kept(StoredAnswer {
                status: 201,
                content_type: None,
                body: b"ok".to_vec(),
            })
        );
    }
}
