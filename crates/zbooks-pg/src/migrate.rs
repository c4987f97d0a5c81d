//! The schema's migrations: SQL files kept in the repository, applied in order, each in one
//! transaction that also records it in `zbooks_migrations`. An advisory lock (one per schema)
//! makes two machines opening one database at once apply each migration once.

use zbooks_client::store::{StoreError, StoreResult};

use crate::db_error;

/// One migration: its version (its place in the order) and its SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migration {
    /// 1, 2, ...: applied in this order, each once.
    pub version: i64,
    /// The file's name, recorded with it.
    pub name: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// Every migration this build knows, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_journal.sql",
        sql: include_str!("../migrations/0001_journal.sql"),
    },
    Migration {
        version: 2,
        name: "0002_import_queue.sql",
        sql: include_str!("../migrations/0002_import_queue.sql"),
    },
    Migration {
        version: 3,
        name: "0003_queue_workers.sql",
        sql: include_str!("../migrations/0003_queue_workers.sql"),
    },
    Migration {
        version: 4,
        name: "0004_client_state.sql",
        sql: include_str!("../migrations/0004_client_state.sql"),
    },
    Migration {
        version: 5,
        name: "0005_audit_log.sql",
        sql: include_str!("../migrations/0005_audit_log.sql"),
    },
    Migration {
        version: 6,
        name: "0006_gateway_answers.sql",
        sql: include_str!("../migrations/0006_gateway_answers.sql"),
    },
];

/// The last migration the database records (0: none, or no zbooks tables), without changing
/// anything; a newer one than this build knows is refused.
pub(crate) async fn applied(client: &tokio_postgres::Client) -> StoreResult<i64> {
    let row = client
        .query_one("SELECT to_regclass('zbooks_migrations') IS NOT NULL", &[])
        .await
        .map_err(|e| db_error(&e))?;
    if !row.get::<_, bool>(0) {
        return Ok(0);
    }
    let row = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM zbooks_migrations",
            &[],
        )
        .await
        .map_err(|e| db_error(&e))?;
    let found: i64 = row.get(0);
    refuse_newer(found)?;
    Ok(found)
}

/// An error when the database records a migration this build does not know.
fn refuse_newer(found: i64) -> StoreResult<()> {
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if found > known {
        return Err(StoreError::new(format_args!(
            "the database's schema is newer (migration {found}) than this build knows \
             ({known}): upgrade zbooks"
        )));
    }
    Ok(())
}

/// Applies the migrations the database lacks; refuses a database that records a newer one.
pub(crate) async fn migrate(client: &mut tokio_postgres::Client) -> StoreResult<()> {
    let tx = client.transaction().await.map_err(|e| db_error(&e))?;
    // One lock per schema: tests in schemas of their own do not wait for each other.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('zbooks_migrations:' || current_schema()))",
        &[],
    )
    .await
    .map_err(|e| db_error(&e))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS zbooks_migrations (version BIGINT PRIMARY KEY, \
         name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await
    .map_err(|e| db_error(&e))?;
    let row = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM zbooks_migrations",
            &[],
        )
        .await
        .map_err(|e| db_error(&e))?;
    let found: i64 = row.get(0);
    refuse_newer(found)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        tx.batch_execute(m.sql).await.map_err(|e| db_error(&e))?;
        tx.execute(
            "INSERT INTO zbooks_migrations (version, name) VALUES ($1, $2)",
            &[&m.version, &m.name],
        )
        .await
        .map_err(|e| db_error(&e))?;
    }
    tx.commit().await.map_err(|e| db_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i64::try_from(i).unwrap() + 1);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }
}
