//! The gateway's `Idempotency-Key` answers in PostgreSQL ([`PgAnswers`], table
//! `gateway_answers` of migration 0006), so gateways on several machines sharing the database
//! share their keys. A claim is one `INSERT … ON CONFLICT DO UPDATE … WHERE` the row expired:
//! exactly one of several gateways claiming a free key at once gets it; the others find the
//! marker (pending) or the answer.

use std::time::SystemTime;

use zbooks_client::time::BoxFuture;
use zbooks_gateway::{AnswerStore, Claim, GatewayError, StoredAnswer};

use crate::PgStore;

/// `Idempotency-Key` answers in a [`PgStore`]'s database (see the module docs).
#[derive(Clone, Debug)]
pub struct PgAnswers {
    store: PgStore,
}

impl PgStore {
    /// The gateway's idempotency answers in this database.
    pub fn answers(&self) -> PgAnswers {
        PgAnswers {
            store: self.clone(),
        }
    }
}

fn millis(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn gateway_error(what: &str, err: &dyn std::fmt::Display) -> GatewayError {
    GatewayError::Store(format!("{what}: {err}"))
}

impl PgAnswers {
    async fn client(&self) -> Result<deadpool_postgres::Object, GatewayError> {
        self.store
            .client()
            .await
            .map_err(|e| gateway_error("the idempotency answers", &e))
    }
}

impl AnswerStore for PgAnswers {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
        now: SystemTime,
        pending_until: SystemTime,
    ) -> BoxFuture<'a, Result<Claim, GatewayError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let (now, until) = (millis(now), millis(pending_until));
            let claimed = client
                .query_opt(
                    "INSERT INTO gateway_answers
                         (key, holder, status, content_type, body, expires_ms)
                     VALUES ($1, $2, NULL, NULL, NULL, $3)
                     ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, status = NULL,
                         content_type = NULL, body = NULL, expires_ms = EXCLUDED.expires_ms
                     WHERE gateway_answers.expires_ms <= $4
                     RETURNING key",
                    &[&key, &holder, &until, &now],
                )
                .await
                .map_err(|e| gateway_error("claim an idempotency key", &crate::db_error(&e)))?;
            if claimed.is_some() {
                return Ok(Claim::Mine);
            }
            let row = client
                .query_opt(
                    "SELECT status, content_type, body FROM gateway_answers
                     WHERE key = $1 AND expires_ms > $2",
                    &[&key, &now],
                )
                .await
                .map_err(|e| gateway_error("read an idempotency key", &crate::db_error(&e)))?;
            // Gone between the two statements (expired and deleted): claim again later.
            let Some(row) = row else {
                return Ok(Claim::Pending);
            };
            let Some(status) = row.get::<_, Option<i32>>(0) else {
                return Ok(Claim::Pending);
            };
            let status = u16::try_from(status).map_err(|_| {
                GatewayError::Store(format!("an idempotency answer with status {status}"))
            })?;
            Ok(Claim::Kept(StoredAnswer {
                status,
                content_type: row.get(1),
                body: row.get::<_, Option<Vec<u8>>>(2).unwrap_or_default(),
            }))
        })
    }

    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let (now, expires) = (millis(now), millis(expires_at));
            client
                .execute(
                    "DELETE FROM gateway_answers WHERE expires_ms <= $1 AND key <> $2",
                    &[&now, &key],
                )
                .await
                .map_err(|e| gateway_error("forget expired answers", &crate::db_error(&e)))?;
            client
                .execute(
                    "INSERT INTO gateway_answers
                         (key, holder, status, content_type, body, expires_ms)
                     VALUES ($1, NULL, $2, $3, $4, $5)
                     ON CONFLICT (key) DO UPDATE SET holder = NULL, status = EXCLUDED.status,
                         content_type = EXCLUDED.content_type, body = EXCLUDED.body,
                         expires_ms = EXCLUDED.expires_ms
                     WHERE gateway_answers.status IS NULL OR gateway_answers.expires_ms <= $6",
                    &[
                        &key,
                        &i32::from(answer.status),
                        &answer.content_type,
                        &answer.body,
                        &expires,
                        &now,
                    ],
                )
                .await
                .map_err(|e| gateway_error("keep an idempotency answer", &crate::db_error(&e)))?;
            Ok(())
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute(
                    "DELETE FROM gateway_answers
                     WHERE key = $1 AND holder = $2 AND status IS NULL",
                    &[&key, &holder],
                )
                .await
                .map_err(|e| gateway_error("free an idempotency key", &crate::db_error(&e)))?;
            Ok(())
        })
    }
}
