//! The two sides the executor works against, as traits: the Books side ([`Books`]: create,
//! look up, list, read back) and the journal side ([`RunJournal`]: the intent before a call,
//! the answer after it, the in-doubt state between). `zbooks_client::Client` and
//! `zbooks_store::Journal` implement them for real runs; unit tests implement them in memory,
//! so the executor's logic (lost answers, duplicates, deferrals, resumption) is tested at
//! unit speed.

use std::collections::BTreeSet;
use std::time::SystemTime;

use serde_json::Value;
use zbooks_client::store::StoreResult;
use zbooks_client::{Client, Error, ErrorKind, FailureClass, Method, Sent};
use zbooks_store::{Failure, Journal, JournalEntry, NewEntry, Transition};

use crate::body::Body;
use crate::existing::ExistingRecords;
use crate::failpoints::failpoint;
use crate::reconcile;
use crate::record::{Entity, Record};

/// What the executor does with a record after a call failed without landing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Disposition {
    /// Refused for good: the record fails with the reason and the fix.
    Fail,
    /// Zoho (or the way there) failed on its side: the record waits and is sent again.
    Defer,
    /// The daily quota is spent (reset expected then, when known): the run stops or waits.
    Quota(Option<SystemTime>),
    /// The accounts server refuses tokens until then: the whole run waits.
    Cooldown(SystemTime),
    /// Every record would meet it (credentials, organization, store): the run stops.
    Fatal,
}

/// What the executor asks of a failed call on the Books side.
pub trait CallError: std::error::Error + Send + Sync + 'static {
    /// What to do with the record when the call did not land.
    fn disposition(&self) -> Disposition;
    /// The failure class, as the catalog names it.
    fn class(&self) -> FailureClass;
    /// Whether the call may have been carried out without the caller hearing so.
    fn may_have_landed(&self) -> bool;
    /// Whether the request reached Zoho.
    fn sent(&self) -> Sent;
    /// The HTTP status, when an answer came.
    fn status(&self) -> Option<u16>;
    /// The failure as the journal keeps it (code, class, message, fix), without the record.
    fn journal_failure(&self) -> Failure;
}

/// The Books side of a run: what the executor asks of Zoho.
pub trait Books: Clone + Send + Sync + 'static {
    /// A failed call.
    type Error: CallError;

    /// The organization the records go to (journaled with the run).
    fn organization_id(&self) -> String;

    /// Creates `record` with `body` (its references resolved); the new record's id when the
    /// answer names one.
    fn create(
        &self,
        record: &Record,
        body: &Body,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send;

    /// Looks `record` up by its natural key (then its aliases): its id when Zoho has it.
    fn lookup(
        &self,
        record: &Record,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send;

    /// Lists what Zoho holds of `entities`, indexed by natural key; `on_listed` hears each
    /// entity as its listing ends, with how many records it held.
    fn list(
        &self,
        entities: &BTreeSet<Entity>,
        on_listed: &mut (dyn FnMut(Entity, u64) + Send),
    ) -> impl Future<Output = Result<ExistingRecords, Self::Error>> + Send;

    /// Reads back the records of the input's entities that carry amounts, for the
    /// reconciliation report.
    fn read_back(
        &self,
        records: &[Record],
    ) -> impl Future<Output = Result<Vec<(Entity, Value)>, Self::Error>> + Send;

    /// Marks sent the invoices among `ids` that Zoho holds as drafts (their source has them
    /// in its books: [`Record::posted`]); how many it marked. Zoho creates an invoice as a
    /// draft, and a draft posts nothing to its reports.
    fn post_drafts(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<usize, Self::Error>> + Send;
}

/// The journal side of a run: every record's state, written before each side effect.
pub trait RunJournal: Clone + Send + Sync + 'static {
    /// Starts the run or finds it again (entries already there keep their state).
    fn begin(
        &self,
        file: &str,
        organization_id: &str,
        total: u64,
        entries: Vec<NewEntry>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Moves one record (the intent before a create, the answer after it, in doubt...).
    fn set(
        &self,
        index: u64,
        transition: Transition,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Every entry, in input order.
    fn entries(&self) -> impl Future<Output = StoreResult<Vec<JournalEntry>>> + Send;

    /// Sets the run's status and its detail.
    fn set_status(
        &self,
        status: &str,
        detail: Option<String>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Saves the plan (JSON) with the run.
    fn save_plan(&self, plan: String) -> impl Future<Output = StoreResult<()>> + Send;
}

impl RunJournal for Journal {
    async fn begin(
        &self,
        file: &str,
        organization_id: &str,
        total: u64,
        entries: Vec<NewEntry>,
    ) -> StoreResult<()> {
        Journal::begin(self, file, organization_id, total, entries).await
    }

    async fn set(&self, index: u64, transition: Transition) -> StoreResult<()> {
        Journal::set(self, index, transition).await
    }

    async fn entries(&self) -> StoreResult<Vec<JournalEntry>> {
        Journal::entries(self).await
    }

    async fn set_status(&self, status: &str, detail: Option<String>) -> StoreResult<()> {
        Journal::set_status(self, status, detail).await
    }

    async fn save_plan(&self, plan: String) -> StoreResult<()> {
        Journal::save_plan(self, plan).await
    }
}

impl Books for Client {
    type Error = Error;

    fn organization_id(&self) -> String {
        Client::organization_id(self).unwrap_or_default().to_owned()
    }

    async fn create(&self, record: &Record, body: &Body) -> Result<Option<String>, Error> {
        let key = &record.key;
        let mut request = self
            .request(Method::POST, record.entity.path())
            .json(body)
            .natural_key(format!("{}={}", key.field, key.value));
        for (k, v) in &record.query {
            request = request.query(k.clone(), v.clone());
        }
        failpoint!(CREATE_BEFORE_SEND);
        let answer = request.send_json().await;
        failpoint!(CREATE_AFTER_SEND);
        Ok(created_id(record.entity, &answer?))
    }

    async fn lookup(&self, record: &Record) -> Result<Option<String>, Error> {
        reconcile::lookup(self, record).await
    }

    async fn list(
        &self,
        entities: &BTreeSet<Entity>,
        on_listed: &mut (dyn FnMut(Entity, u64) + Send),
    ) -> Result<ExistingRecords, Error> {
        reconcile::list_existing(self, entities, on_listed).await
    }

    async fn read_back(&self, records: &[Record]) -> Result<Vec<(Entity, Value)>, Error> {
        reconcile::read_back(self, records).await
    }

    async fn post_drafts(&self, ids: &[String]) -> Result<usize, Error> {
        reconcile::post_drafts(self, ids).await
    }
}

/// The id of the record a create answered with: the object holding the entity's id field.
pub(crate) fn created_id(entity: Entity, body: &Value) -> Option<String> {
    let id_fields: &[&str] = match entity {
        Entity::TaxGroup => &[Entity::TaxGroup.id_field(), Entity::Tax.id_field()],
        other => &[other.id_field()],
    };
    let obj = body.as_object()?;
    for v in obj.values() {
        for f in id_fields {
            match v.get(*f) {
                Some(Value::String(s)) if !s.is_empty() => return Some(s.clone()),
                Some(Value::Number(n)) => return Some(n.to_string()),
                _ => {}
            }
        }
    }
    None
}

/// Until when the accounts server refuses token requests, when `error` says it does
/// ("Access Denied", which Zoho answers with HTTP 200, or this machine's own count of
/// Zoho's 10 requests per 10 minutes): another process or tool on the same refresh token
/// may have spent the window, and nothing but waiting helps (reference §1.5, §3.3).
pub fn token_cooldown(error: &Error) -> Option<SystemTime> {
    match error.kind() {
        ErrorKind::TokenThrottled { retry_at } => Some(*retry_at),
        _ => None,
    }
}

impl CallError for Error {
    fn disposition(&self) -> Disposition {
        if let ErrorKind::QuotaExhausted { resets_at, .. } = self.kind() {
            return Disposition::Quota(*resets_at);
        }
        if let Some(until) = token_cooldown(self) {
            return Disposition::Cooldown(until);
        }
        match self.kind() {
            ErrorKind::Config { .. }
            | ErrorKind::AuthMisconfigured { .. }
            | ErrorKind::Scope { .. }
            | ErrorKind::WrongDataCenter { .. }
            | ErrorKind::TokenThrottled { .. }
            // A redirect is the host's or the URL's doing, and every call would meet it.
            | ErrorKind::Redirected { .. }
            | ErrorKind::Store { .. } => return Disposition::Fatal,
            ErrorKind::RetryBudgetExhausted
            | ErrorKind::DeadlineExceeded
            | ErrorKind::Transport { .. } => return Disposition::Defer,
            _ => {}
        }
        match Error::class(self) {
            FailureClass::QuotaExhaustedDay => Disposition::Quota(None),
            FailureClass::AuthExpired
            | FailureClass::AuthMisconfigured
            | FailureClass::TokenThrottled
            | FailureClass::BlockedOrg => Disposition::Fatal,
            FailureClass::RateLimitedMinute
            | FailureClass::ConcurrencyLimited
            | FailureClass::TransientServer
            | FailureClass::BadResponse => Disposition::Defer,
            _ => Disposition::Fail,
        }
    }

    fn class(&self) -> FailureClass {
        Error::class(self)
    }

    fn may_have_landed(&self) -> bool {
        Error::may_have_landed(self)
    }

    fn sent(&self) -> Sent {
        Error::sent(self)
    }

    fn status(&self) -> Option<u16> {
        Error::status(self)
    }

    fn journal_failure(&self) -> Failure {
        let message = self.to_string();
        let fix = self.failure().and_then(|f| {
            let code = f.code?;
            let e = zbooks_types::explain::explain(&zbooks_types::scan::Finding::Body {
                code,
                message: f.message.clone(),
                status: Some(f.status),
            });
            Some(e.fix)
        });
        let fix = fix.or_else(|| {
            Some(
                zbooks_types::explain::explain(&zbooks_types::scan::Finding::Status {
                    status: Error::status(self)?,
                })
                .fix,
            )
        });
        Failure {
            code: self.code(),
            class: Some(Error::class(self).as_str().to_owned()),
            message,
            fix,
            record: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_id_in_a_create_answer() {
        let body = json!({"code": 0, "message": "ok", "invoice": {"invoice_id": "9"}});
        assert_eq!(created_id(Entity::Invoice, &body).as_deref(), Some("9"));
        let body = json!({"code": 0, "tax_group": {"tax_group_id": 7}});
        assert_eq!(created_id(Entity::TaxGroup, &body).as_deref(), Some("7"));
        assert_eq!(created_id(Entity::Item, &json!({"code": 0})), None);
    }
}
