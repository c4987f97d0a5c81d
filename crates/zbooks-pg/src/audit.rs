//! The audit log on PostgreSQL: every failed call attempt's event, as the SQLite store keeps
//! it, so that the failures of every machine sharing one database are read in one place
//! (`zbooks logs analyze --audit`). Events carry no secret by construction
//! (`zbooks_types::event`); each is scrubbed again before it is written.

use zbooks_client::events::AuditSink;
use zbooks_client::store::{StoreError, StoreResult};
use zbooks_client::time::BoxFuture;
use zbooks_types::event::CallEvent;

use crate::{PgStore, db_error};

impl AuditSink for PgStore {
    fn record_failure<'a>(&'a self, event: &'a CallEvent) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move {
            let line = serde_json::to_string(event)
                .map(|text| zbooks_types::scrub(&text))
                .map_err(StoreError::new)?;
            let client = self.client().await?;
            let statement = client
                .prepare_cached(
                    "INSERT INTO audit_log (ts, organization_id, event) VALUES ($1, $2, $3)",
                )
                .await
                .map_err(|e| db_error(&e))?;
            client
                .execute(&statement, &[&event.ts, &event.organization_id, &line])
                .await
                .map(drop)
                .map_err(|e| db_error(&e))
        })
    }
}

impl PgStore {
    /// The newest `limit` entries of the audit log, newest first.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub async fn audit_log(&self, limit: u32) -> StoreResult<Vec<CallEvent>> {
        let client = self.client().await?;
        // A database an older build migrated has no audit log yet: nothing to read.
        let exists: bool = client
            .query_one("SELECT to_regclass('audit_log') IS NOT NULL", &[])
            .await
            .map_err(|e| db_error(&e))?
            .get(0);
        if !exists {
            return Ok(Vec::new());
        }
        let rows = client
            .query(
                "SELECT event FROM audit_log ORDER BY id DESC LIMIT $1",
                &[&i64::from(limit)],
            )
            .await
            .map_err(|e| db_error(&e))?;
        // A row a newer writer wrote in another shape is skipped, not misread.
        Ok(rows
            .iter()
            .filter_map(|row| serde_json::from_str(row.get::<_, &str>(0)).ok())
            .collect())
    }
}
