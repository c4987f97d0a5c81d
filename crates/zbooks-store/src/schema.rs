//! The schema and its migrations, versioned with SQLite's `user_version`.
//!
//! Each migration moves the file one version forward inside one immediate transaction, so a
//! crash mid-migration leaves the old version intact. A file newer than this build is refused,
//! never rewritten.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, ErrorKind};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 4;

/// Migration `i` takes the file from version `i` to `i + 1`.
const MIGRATIONS: [&str; 4] = [
    "
    CREATE TABLE tokens (
        key TEXT PRIMARY KEY,
        access_token TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        api_domain TEXT
    );
    CREATE TABLE token_state (
        key TEXT PRIMARY KEY,
        cooldown_until_ms INTEGER NOT NULL DEFAULT 0,
        lock_holder TEXT,
        lock_until_ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE token_requests (
        key TEXT NOT NULL,
        at_ms INTEGER NOT NULL
    );
    CREATE INDEX token_requests_by_key ON token_requests (key, at_ms);
    CREATE TABLE org_limits (
        organization_id TEXT PRIMARY KEY,
        tat_us INTEGER NOT NULL DEFAULT 0,
        paused_until_ms INTEGER NOT NULL DEFAULT 0,
        day_used INTEGER,
        day_limit INTEGER,
        day_resets_at_ms INTEGER
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts TEXT NOT NULL,
        organization_id TEXT,
        event TEXT NOT NULL
    );
",
    // 2: `zbooks auth login`'s credentials per profile, and call times for `zbooks quota`
    // (credentials.rs). An old binary refuses a version-2 file (NewerSchema); a new binary
    // migrates a version-1 file forward, keeping its tokens and ledger.
    "
    CREATE TABLE credentials (
        profile TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        client_secret TEXT NOT NULL,
        refresh_token TEXT NOT NULL,
        data_center TEXT,
        accounts_url TEXT NOT NULL,
        api_domain TEXT,
        organization_id TEXT,
        scopes TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    );
    CREATE TABLE org_calls (
        organization_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL
    );
    CREATE INDEX org_calls_by_org ON org_calls (organization_id, at_ms);
",
    // 3: each organization's plan as `GET /organizations` gave it, and when, so that every
    // `zbooks call` does not ask again (LimitStore::load_plan). An old binary refuses a
    // version-3 file (NewerSchema); a new binary migrates a version-2 file forward, and reads
    // the plan again on the first call.
    "
    CREATE TABLE org_plans (
        organization_id TEXT PRIMARY KEY,
        plan TEXT NOT NULL,
        checked_at_ms INTEGER NOT NULL
    );
",
    // 4: how long each cached access token was issued for, so every process caps its refresh
    // margin to the token's lifetime (zbooks-client's auth.rs). A version-3 row reads as
    // "lifetime unknown" (the full margin); an old binary refuses the file (NewerSchema).
    "
    ALTER TABLE tokens ADD COLUMN lifetime_ms INTEGER;
",
];

/// Brings the file to [`SCHEMA_VERSION`]. The outer error is SQLite's (a busy answer is worth
/// retrying: nothing was changed); the inner one is a file this build must not touch.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<(), Error>> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Ok(Err(newer(version)));
        }
        if version == SCHEMA_VERSION {
            return Ok(Ok(()));
        }
        let index = usize::try_from(version).unwrap_or(0);
        tx.execute_batch(MIGRATIONS[index])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// Reads the version, which also proves the file can be read.
pub(crate) fn check_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Refuses a file of a newer version; an older one is read as it is (a read-only open never
/// migrates: its readers ask only for what every version holds).
pub(crate) fn refuse_newer(conn: &Connection) -> Result<(), Error> {
    let version = check_version(conn)?;
    if version > SCHEMA_VERSION {
        return Err(newer(version));
    }
    Ok(())
}

fn newer(found: i64) -> Error {
    Error {
        kind: ErrorKind::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        },
    }
}
