//! `Idempotency-Key`: the first final answer to a request carrying a key is kept (24 hours by
//! default) and replayed to every later request with the same key, organization, method and
//! path, so a client that retries a create after a timeout gets the first answer instead of a
//! second record.
//!
//! Answers are kept in an [`AnswerStore`]: [`MemoryAnswers`] for tests and one-off runs,
//! [`SqliteAnswers`] (the default of `zbooks gateway`: `gateway.db` in the data directory,
//! readable by the user only, as the answers hold business data) across restarts. Requests
//! with the same key inside one gateway are serialized, so the second waits for the first's
//! answer instead of racing it to Zoho.

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

/// Keeps answers by key until they expire.
pub trait AnswerStore: Send + Sync + std::fmt::Debug {
    /// The answer kept under `key`, unless it expired before `now`.
    fn load<'a>(
        &'a self,
        key: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, Result<Option<StoredAnswer>, GatewayError>>;

    /// Keeps `answer` under `key` until `expires_at` (the first answer wins: a key already
    /// kept is not overwritten); forgets expired answers on the way.
    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>>;
}

/// Answers kept in memory (lost when the process ends).
#[derive(Debug, Default)]
pub struct MemoryAnswers {
    answers: Mutex<HashMap<String, (StoredAnswer, SystemTime)>>,
}

impl MemoryAnswers {
    /// An empty store.
    pub fn new() -> Self {
        MemoryAnswers::default()
    }
}

impl AnswerStore for MemoryAnswers {
    fn load<'a>(
        &'a self,
        key: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, Result<Option<StoredAnswer>, GatewayError>> {
        let answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        let found = answers
            .get(key)
            .filter(|(_, expires)| *expires > now)
            .map(|(a, _)| a.clone());
        Box::pin(std::future::ready(Ok(found)))
    }

    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        answers.retain(|_, (_, expires)| *expires > now);
        answers
            .entry(key.to_owned())
            .or_insert_with(|| (answer.clone(), expires_at));
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Answers kept in a SQLite file, across restarts.
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
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS idempotent_answers (
                 key TEXT PRIMARY KEY,
                 status INTEGER NOT NULL,
                 content_type TEXT,
                 body BLOB NOT NULL,
                 expires_ms INTEGER NOT NULL
             );",
        )
        .map_err(|e| store_error("cannot set up the answers table", &e))?;
        Ok(SqliteAnswers {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, GatewayError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&conn)
        })
        .await
        .map_err(|e| GatewayError::Store(format!("the store's task failed: {e}")))?
        .map_err(|e| store_error("the answers table", &e))
    }
}

fn store_error(what: &str, err: &dyn std::fmt::Display) -> GatewayError {
    GatewayError::Store(format!("{what}: {err}"))
}

fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl AnswerStore for SqliteAnswers {
    fn load<'a>(
        &'a self,
        key: &'a str,
        now: SystemTime,
    ) -> BoxFuture<'a, Result<Option<StoredAnswer>, GatewayError>> {
        let key = key.to_owned();
        let now = millis(now);
        Box::pin(self.blocking(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT status, content_type, body FROM idempotent_answers
                 WHERE key = ?1 AND expires_ms > ?2",
            )?;
            let mut rows = stmt.query(rusqlite::params![key, now])?;
            match rows.next()? {
                Some(row) => Ok(Some(StoredAnswer {
                    status: row.get(0)?,
                    content_type: row.get(1)?,
                    body: row.get(2)?,
                })),
                None => Ok(None),
            }
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
            conn.execute(
                "DELETE FROM idempotent_answers WHERE expires_ms <= ?1",
                [now],
            )?;
            conn.execute(
                "INSERT INTO idempotent_answers (key, status, content_type, body, expires_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (key) DO NOTHING",
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

    fn answer(body: &str) -> StoredAnswer {
        StoredAnswer {
            status: 201,
            content_type: Some("application/json".to_owned()),
            body: body.as_bytes().to_vec(),
        }
    }

    async fn keeps_first_answer_until_expiry(store: &dyn AnswerStore) {
        let now = SystemClock.now();
        let day = Duration::from_hours(24);
        assert_eq!(store.load("k", now).await.expect("load"), None);
        store
            .save("k", &answer("first"), now, now + day)
            .await
            .expect("save");
        store
            .save("k", &answer("second"), now, now + day)
            .await
            .expect("save");
        assert_eq!(
            store.load("k", now).await.expect("load"),
            Some(answer("first"))
        );
        assert_eq!(store.load("k", now + day).await.expect("load"), None);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn memory_keeps_the_first_answer_for_its_lifetime() {
        keeps_first_answer_until_expiry(&MemoryAnswers::new()).await;
    }

    #[tokio::test(flavor = "current_thread")]
    async fn sqlite_keeps_the_first_answer_for_its_lifetime() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(SqliteAnswers::FILE_NAME);
        keeps_first_answer_until_expiry(&SqliteAnswers::open(&path).expect("open")).await;
        // Kept across a reopen.
        let now = SystemClock.now();
        let store = SqliteAnswers::open(&path).expect("reopen");
        store
            .save("again", &answer("kept"), now, now + Duration::from_hours(1))
            .await
            .expect("save");
        let reopened = SqliteAnswers::open(&path).expect("reopen");
        assert_eq!(
            reopened.load("again", now).await.expect("load"),
            Some(answer("kept"))
        );
    }
}
