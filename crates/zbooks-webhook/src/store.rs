//! The webhook log in SQLite: every delivery is a row (what Zoho sent, when, and what the
//! receiver made of it), so `zbooks logs analyze` can show it; an accepted event is unique by
//! its key, so a retry or a replay of it is a duplicate and is never forwarded twice; a
//! forward not yet done is still there after a crash.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;

use crate::Error;
use crate::event::EventKey;

/// The schema's version (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS webhook_events (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    module TEXT,
    entity_id TEXT,
    modified TEXT,
    organization_id TEXT,
    event_key TEXT,
    content_type TEXT,
    body BLOB,
    forward TEXT NOT NULL,
    forward_attempts INTEGER NOT NULL DEFAULT 0,
    forward_error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS webhook_events_key ON webhook_events (event_key)
    WHERE verdict = 'accepted';
CREATE INDEX IF NOT EXISTS webhook_events_entity ON webhook_events (module, entity_id);
";

/// What the receiver made of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Signed, new: stored and forwarded.
    Accepted,
    /// Signed, but an event with the same key was accepted before (Zoho's retry, a replay).
    Duplicate,
    /// Signed, but the record has a newer accepted event: an old delivery replayed.
    Replay,
    /// Not signed, or signed wrong: nothing kept but the fact.
    Refused,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Duplicate => "duplicate",
            Verdict::Replay => "replay",
            Verdict::Refused => "refused",
        }
    }
}

/// One delivery as received.
#[derive(Debug, Clone)]
pub struct Delivery<'a> {
    /// Unix milliseconds.
    pub received_at: i64,
    /// `POST`, `PUT`, `DELETE`.
    pub method: &'a str,
    /// The path (never the query: it may hold a token).
    pub path: &'a str,
    /// The content type sent.
    pub content_type: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Its id.
    pub id: i64,
    /// Unix milliseconds.
    pub received_at: i64,
    /// What the receiver made of it.
    pub verdict: String,
    /// Why it was refused or not forwarded.
    pub reason: Option<String>,
    /// The module (`invoice`).
    pub module: Option<String>,
    /// The record's id.
    pub entity_id: Option<String>,
    /// The organization.
    pub organization_id: Option<String>,
    /// `none`, `pending`, `done` or `failed`.
    pub forward: String,
    /// Forward attempts so far.
    pub forward_attempts: i64,
    /// The last forward's failure.
    pub forward_error: Option<String>,
}

/// A stored event waiting to be forwarded.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Its id.
    pub id: i64,
    /// The module.
    pub module: String,
    /// The record's id.
    pub entity_id: Option<String>,
    /// The content type Zoho sent.
    pub content_type: Option<String>,
    /// The body, as received.
    pub body: Vec<u8>,
}

/// The SQLite log.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating, private to the user) the log at `path`.
    pub fn open(path: &Path) -> Result<Self, Error> {
        let err = |source| Error::Store {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(Error::Newer(path.display().to_string()));
        }
        conn.execute_batch(SCHEMA).map_err(err)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    fn err(&self, source: rusqlite::Error) -> Error {
        Error::Store {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Writes down a refused delivery (its body is not kept: nobody vouched for it).
    pub fn refused(&self, d: &Delivery<'_>, reason: &str) -> Result<i64, Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        conn.execute(
            "INSERT INTO webhook_events (received_at, verdict, reason, method, path, content_type, forward) \
             VALUES (?1, 'refused', ?2, ?3, ?4, ?5, 'none')",
            params![d.received_at, reason, d.method, d.path, d.content_type],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    /// Writes down a signed delivery: accepted (with `forward` pending or not), or a
    /// duplicate or replay of one accepted before.
    pub fn signed(
        &self,
        d: &Delivery<'_>,
        key: &EventKey,
        forward: bool,
    ) -> Result<(Verdict, i64), Error> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let earlier: Option<i64> = tx
            .query_row(
                "SELECT id FROM webhook_events WHERE verdict = 'accepted' AND event_key = ?1",
                params![key.key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let newer: Option<i64> = match (&key.entity_id, &key.modified) {
            (Some(id), Some(modified)) if earlier.is_none() => tx
                .query_row(
                    "SELECT id FROM webhook_events WHERE verdict = 'accepted' AND module = ?1 \
                     AND entity_id = ?2 AND modified > ?3 ORDER BY id DESC LIMIT 1",
                    params![key.module, id, modified],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.err(e))?,
            _ => None,
        };
        let (verdict, reason) = match (earlier, newer) {
            (Some(id), _) => (
                Verdict::Duplicate,
                Some(format!("event #{id} has the same key")),
            ),
            (None, Some(id)) => (
                Verdict::Replay,
                Some(format!("event #{id} is a newer change of the same record")),
            ),
            (None, None) => (Verdict::Accepted, None),
        };
        let forward = if verdict == Verdict::Accepted && forward {
            "pending"
        } else {
            "none"
        };
        tx.execute(
            "INSERT INTO webhook_events (received_at, verdict, reason, method, path, module, \
             entity_id, modified, organization_id, event_key, content_type, body, forward) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                d.received_at,
                verdict.as_str(),
                reason,
                d.method,
                d.path,
                key.module,
                key.entity_id,
                key.modified,
                key.organization_id,
                key.key,
                d.content_type,
                (verdict == Verdict::Accepted).then_some(d.body),
                forward
            ],
        )
        .map_err(|e| self.err(e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| self.err(e))?;
        Ok((verdict, earlier.or(newer).unwrap_or(id)))
    }

    /// The events waiting to be forwarded, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>, Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut stmt = conn
            .prepare(
                "SELECT id, module, entity_id, content_type, body FROM webhook_events \
                 WHERE forward = 'pending' ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Pending {
                    id: r.get(0)?,
                    module: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    entity_id: r.get(2)?,
                    content_type: r.get(3)?,
                    body: r.get::<_, Option<Vec<u8>>>(4)?.unwrap_or_default(),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Writes down a forward's outcome: done, or an error (failed for good after
    /// `max_attempts`).
    pub fn forwarded(&self, id: i64, error: Option<&str>, max_attempts: i64) -> Result<(), Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        match error {
            None => conn.execute(
                "UPDATE webhook_events SET forward = 'done', forward_attempts = forward_attempts + 1, \
                 forward_error = NULL WHERE id = ?1",
                params![id],
            ),
            Some(e) => conn.execute(
                "UPDATE webhook_events SET forward_attempts = forward_attempts + 1, forward_error = ?1, \
                 forward = CASE WHEN forward_attempts + 1 >= ?2 THEN 'failed' ELSE 'pending' END \
                 WHERE id = ?3",
                params![e, max_attempts, id],
            ),
        }
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The last `limit` rows, newest first.
    pub fn list(&self, limit: usize) -> Result<Vec<Event>, Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut stmt = conn
            .prepare(
                "SELECT id, received_at, verdict, reason, module, entity_id, organization_id, \
                 forward, forward_attempts, forward_error FROM webhook_events ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                Ok(Event {
                    id: r.get(0)?,
                    received_at: r.get(1)?,
                    verdict: r.get(2)?,
                    reason: r.get(3)?,
                    module: r.get(4)?,
                    entity_id: r.get(5)?,
                    organization_id: r.get(6)?,
                    forward: r.get(7)?,
                    forward_attempts: r.get(8)?,
                    forward_error: r.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}
