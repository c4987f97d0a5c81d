//! The queue of alerts in SQLite: an alert is a row before anything is sent, so a crash between
//! raising and sending loses nothing and the next run sends it; a channel that took a row is
//! written down at once, so a crash mid-way never sends a row twice to the same channel.
//!
//! Grouping happens here, inside one transaction (several processes may raise at once): the
//! first alert of a cause and organization within the window is due at once; the next ones of
//! that window are counted into one digest row, due when the window ends.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;
use zbooks_types::secret::scrub;

use crate::{Alert, Cause, Error};

/// The schema's version (`PRAGMA user_version`): 1 is the table below. A newer zbooks that
/// changes it migrates forward; an older one refuses a newer file rather than misread it.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS alert_queue (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    cause TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL,
    count INTEGER NOT NULL,
    raised_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    group_of INTEGER,
    state TEXT NOT NULL,
    delivered TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at INTEGER
);
CREATE INDEX IF NOT EXISTS alert_queue_group ON alert_queue (cause, organization_id, raised_at);
CREATE INDEX IF NOT EXISTS alert_queue_due ON alert_queue (state, due_at);
";

/// Where a row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Waiting: due now or at the end of its window, or a channel has not taken it yet.
    Queued,
    /// Every channel took it.
    Sent,
}

/// What [`Outbox::raise`] did with an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raised {
    /// A new alert row, due at once.
    New(i64),
    /// Counted into the window's digest row (its id), due when the window ends.
    Grouped(i64),
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Queued {
    /// Its id.
    pub id: i64,
    /// `alert` or `digest`.
    pub kind: String,
    /// The cause.
    pub cause: Cause,
    /// The organization, if one.
    pub organization_id: Option<String>,
    /// The first alert's title.
    pub title: String,
    /// The latest alert's detail.
    pub detail: String,
    /// How many failures the row tells of.
    pub count: i64,
    /// When the first was raised (Unix milliseconds).
    pub raised_at: i64,
    /// When the last was raised.
    pub last_at: i64,
    /// When it may be sent.
    pub due_at: i64,
    /// Where it stands.
    pub state: State,
    /// The channels that took it.
    pub delivered: Vec<String>,
    /// Failed sends so far.
    pub attempts: i64,
    /// The last send's failure (never a secret).
    pub last_error: Option<String>,
    /// When the last channel took it.
    pub sent_at: Option<i64>,
}

impl Queued {
    /// The subject line: the alert's title, or for a digest how many more there were.
    pub fn subject(&self) -> String {
        if self.kind == "digest" {
            format!(
                "{} more like this within the window: {}",
                self.count, self.title
            )
        } else {
            self.title.clone()
        }
    }
}

/// The SQLite queue.
#[derive(Debug)]
pub struct Outbox {
    path: PathBuf,
    conn: Mutex<Connection>,
    window_ms: i64,
}

impl Outbox {
    /// Opens (creating, private to the user) the queue at `path`, grouping over `window_ms`.
    pub fn open(path: &Path, window_ms: i64) -> Result<Self, Error> {
        let err = |source| Error::Queue {
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
            return Err(Error::Config(format!(
                "the alert queue {} was written by a newer zbooks (schema {version}); \
                 use that version or move the file away",
                path.display()
            )));
        }
        conn.execute_batch(SCHEMA).map_err(err)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(Outbox {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            window_ms,
        })
    }

    fn err(&self, source: rusqlite::Error) -> Error {
        Error::Queue {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Queues `alert` raised at `now` (Unix milliseconds), grouped with the alerts of its cause
    /// and organization in the window. Its texts are scrubbed of secrets before they are kept.
    pub fn raise(&self, alert: &Alert, now: i64) -> Result<Raised, Error> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let org = alert.organization_id.clone().unwrap_or_default();
        let title = scrub(&alert.title);
        let detail = scrub(&alert.detail);
        let cause = alert.cause.as_str();
        let first: Option<(i64, i64)> = if alert.cause == Cause::Test {
            None
        } else {
            tx.query_row(
                "SELECT id, raised_at FROM alert_queue WHERE kind = 'alert' AND cause = ?1 \
                 AND organization_id = ?2 AND raised_at > ?3 ORDER BY raised_at DESC LIMIT 1",
                params![cause, org, now - self.window_ms],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?
        };
        let raised =
            if let Some((alert_id, at)) = first {
                let updated = tx
                    .execute(
                        "UPDATE alert_queue SET count = count + 1, last_at = ?1, detail = ?2 \
                     WHERE kind = 'digest' AND group_of = ?3",
                        params![now, detail, alert_id],
                    )
                    .map_err(|e| self.err(e))?;
                if updated == 0 {
                    tx.execute(
                    "INSERT INTO alert_queue (kind, cause, organization_id, title, detail, count, \
                     raised_at, last_at, due_at, group_of, state) \
                     VALUES ('digest', ?1, ?2, ?3, ?4, 1, ?5, ?5, ?6, ?7, 'queued')",
                    params![cause, org, title, detail, now, at + self.window_ms, alert_id],
                )
                .map_err(|e| self.err(e))?;
                }
                let id = tx
                    .query_row(
                        "SELECT id FROM alert_queue WHERE kind = 'digest' AND group_of = ?1",
                        params![alert_id],
                        |r| r.get(0),
                    )
                    .map_err(|e| self.err(e))?;
                Raised::Grouped(id)
            } else {
                tx.execute(
                    "INSERT INTO alert_queue (kind, cause, organization_id, title, detail, count, \
                 raised_at, last_at, due_at, state) \
                 VALUES ('alert', ?1, ?2, ?3, ?4, 1, ?5, ?5, ?5, 'queued')",
                    params![cause, org, title, detail, now],
                )
                .map_err(|e| self.err(e))?;
                Raised::New(tx.last_insert_rowid())
            };
        tx.commit().map_err(|e| self.err(e))?;
        Ok(raised)
    }

    /// The rows due at `now` that some channel has not taken yet, oldest first.
    pub fn due(&self, now: i64) -> Result<Vec<Queued>, Error> {
        self.select(
            "WHERE state = 'queued' AND due_at <= ?1 ORDER BY id",
            params![now],
        )
    }

    /// The last `limit` rows, newest first.
    pub fn list(&self, limit: usize) -> Result<Vec<Queued>, Error> {
        self.select(
            "ORDER BY id DESC LIMIT ?1",
            params![i64::try_from(limit).unwrap_or(i64::MAX)],
        )
    }

    fn select(&self, tail: &str, args: impl rusqlite::Params) -> Result<Vec<Queued>, Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let sql = format!(
            "SELECT id, kind, cause, organization_id, title, detail, count, raised_at, last_at, \
             due_at, state, delivered, attempts, last_error, sent_at FROM alert_queue {tail}"
        );
        let mut stmt = conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(args, |r| {
                let org: String = r.get(3)?;
                let cause: String = r.get(2)?;
                let state: String = r.get(10)?;
                let delivered: String = r.get(11)?;
                Ok(Queued {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    cause: Cause::parse(&cause).unwrap_or(Cause::ServerErrors),
                    organization_id: (!org.is_empty()).then_some(org),
                    title: r.get(4)?,
                    detail: r.get(5)?,
                    count: r.get(6)?,
                    raised_at: r.get(7)?,
                    last_at: r.get(8)?,
                    due_at: r.get(9)?,
                    state: if state == "sent" {
                        State::Sent
                    } else {
                        State::Queued
                    },
                    delivered: delivered
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    attempts: r.get(12)?,
                    last_error: r.get(13)?,
                    sent_at: r.get(14)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Writes down that `channel` took row `id`; once every one of `channels` has, the row is
    /// sent.
    pub fn delivered(
        &self,
        id: i64,
        channel: &str,
        channels: &[String],
        now: i64,
    ) -> Result<(), Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let delivered: String = conn
            .query_row(
                "SELECT delivered FROM alert_queue WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        let mut names: Vec<&str> = delivered.split(',').filter(|s| !s.is_empty()).collect();
        if !names.contains(&channel) {
            names.push(channel);
        }
        let done = channels.iter().all(|c| names.contains(&c.as_str()));
        conn.execute(
            "UPDATE alert_queue SET delivered = ?1, state = ?2, sent_at = ?3 WHERE id = ?4",
            params![
                names.join(","),
                if done { "sent" } else { "queued" },
                done.then_some(now),
                id
            ],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Writes down that a send of row `id` failed (`error` never holds a secret).
    pub fn failed(&self, id: i64, error: &str) -> Result<(), Error> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        conn.execute(
            "UPDATE alert_queue SET attempts = attempts + 1, last_error = ?1 WHERE id = ?2",
            params![scrub(error), id],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }
}

/// Unix milliseconds as `2026-12-07 05:30:00 UTC`.
pub fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(cause: Cause, org: &str, title: &str) -> Alert {
        Alert {
            cause,
            organization_id: Some(org.to_owned()),
            title: title.to_owned(),
            detail: format!("detail of {title}"),
        }
    }

    #[test]
    #[expect(
        clippy::many_single_char_names,
        reason = "a, b, c, d: the alerts in order"
    )]
    fn one_alert_per_cause_and_organization_per_window_then_a_digest() {
        let dir = tempfile::tempdir().unwrap();
        let o = Outbox::open(&dir.path().join("alerts.sqlite"), 60_000).unwrap();
        let a = o
            .raise(&alert(Cause::QuotaSpent, "1", "q1"), 1_000)
            .unwrap();
        let b = o
            .raise(&alert(Cause::QuotaSpent, "1", "q2"), 2_000)
            .unwrap();
        let c = o
            .raise(&alert(Cause::QuotaSpent, "1", "q3"), 3_000)
            .unwrap();
        let other_org = o.raise(&alert(Cause::QuotaSpent, "2", "q"), 3_000).unwrap();
        let other_cause = o.raise(&alert(Cause::AuthBroken, "1", "a"), 3_000).unwrap();
        assert!(matches!(a, Raised::New(_)));
        assert!(matches!(b, Raised::Grouped(_)));
        assert_eq!(b, c, "one digest for the window");
        assert!(matches!(other_org, Raised::New(_)));
        assert!(matches!(other_cause, Raised::New(_)));
        // The digest waits for the window's end.
        let due: Vec<String> = o
            .due(3_000)
            .unwrap()
            .iter()
            .map(|q| q.kind.clone())
            .collect();
        assert_eq!(due, ["alert", "alert", "alert"]);
        let due = o.due(61_000).unwrap();
        let digest = due.iter().find(|q| q.kind == "digest").unwrap();
        assert_eq!((digest.count, digest.detail.as_str()), (2, "detail of q3"));
        assert_eq!(digest.subject(), "2 more like this within the window: q2");
        // After the window, a new alert again.
        let d = o
            .raise(&alert(Cause::QuotaSpent, "1", "q4"), 70_000)
            .unwrap();
        assert!(matches!(d, Raised::New(_)));
    }

    #[test]
    fn a_row_is_sent_once_every_channel_took_it_and_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.sqlite");
        let channels = ["webhook".to_owned(), "email".to_owned()];
        let id = {
            let o = Outbox::open(&path, 60_000).unwrap();
            let Raised::New(id) = o.raise(&alert(Cause::AuthBroken, "1", "t"), 5).unwrap() else {
                panic!()
            };
            o.delivered(id, "webhook", &channels, 6).unwrap();
            o.failed(id, "email: connection refused").unwrap();
            id
        };
        // As after a crash: the row is still due, for the channel that did not take it.
        let o = Outbox::open(&path, 60_000).unwrap();
        let due = o.due(10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].delivered, ["webhook"]);
        assert_eq!(due[0].attempts, 1);
        o.delivered(id, "email", &channels, 11).unwrap();
        assert!(o.due(12).unwrap().is_empty());
        assert_eq!(o.list(10).unwrap()[0].state, State::Sent);
    }

    #[test]
    fn secrets_are_scrubbed_before_they_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let o = Outbox::open(&dir.path().join("a.sqlite"), 1).unwrap();
        let token = format!("1000.{0}.{0}", "0123456789abcdef".repeat(2));
        let mut a = alert(Cause::AuthBroken, "1", "refresh failed");
        a.detail = format!("refresh_token={token} was refused");
        o.raise(&a, 1).unwrap();
        let row = &o.list(1).unwrap()[0];
        assert!(!row.detail.contains("0123456789abcdef"), "{}", row.detail);
    }

    #[test]
    fn utc_is_the_civil_date() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_796_620_245_000), "2026-12-07 05:10:45 UTC");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }
}
