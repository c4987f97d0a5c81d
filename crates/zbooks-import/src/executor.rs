//! The journaled executor: it creates the records of an input in Zoho, in dependency order,
//! up to the organization's in-flight cap, writing each record's intent to the journal before
//! the request leaves (docs/design.md, "One import, end to end"; promises 5 and 6).
//!
//! A run starts by finding the journal of its input (by [`fingerprint`]) and the records Zoho
//! already holds (one listing per entity). Records left `in_flight` or `in_doubt` by an
//! earlier run — killed between sending and hearing — are settled against that listing before
//! anything is sent: found, they are adopted; not found, they are sent again. Then, for each
//! record whose references resolve (ids from the journal or the listing, substituted with
//! [`Record::resolve`]): `in_flight` → create → `done(id)`. A failure where the create may
//! have landed (a lost answer, a 5xx, a duplicate refusal) is looked up by natural key before
//! anything is re-sent; a server failure defers the record for a while and the run goes on;
//! a permanent refusal is recorded with Zoho's code, its explanation and the fix. A spent
//! daily quota stops the run (or waits for the reset), a stop request lets the calls in flight
//! finish: either way the same call resumes.
//!
//! Every create is lookup-or-adopt by natural key. Zoho itself refuses a second contact, item
//! or own-numbered invoice, and the refusal is followed by a lookup and an adoption. For every
//! other entity (taxes, tax groups, accounts, bills, notes, payments, journals) the lookup
//! comes before the create: the listing at the start when the caller holds the organization's
//! import lease from before it ([`ExecuteOptions::exclusive`]: no other zbooks run creates
//! meanwhile), else a lookup of the record just before its create.
//!
//! Only attempts whose end this run saw count against [`ExecuteOptions::max_attempts`]: a
//! create found `in_flight` at the start was cut off by a crash of the run that sent it, and
//! once the listing shows it did not land it goes back to pending as *interrupted*, without
//! spending an attempt (issue 12 §4). A record killed ten times is still imported.
//!
//! The executor works over two traits ([`crate::ports`]): the Books side ([`Books`]: create,
//! look up, list, read back; `zbooks_client::Client` in a real run) and the journal side
//! ([`RunJournal`]; `zbooks_store::Journal`). [`execute_with`] takes any pair, so its logic is
//! unit-tested over in-memory fakes (`executor_fakes.rs`); [`execute`] is the real pair.
//!
//! The executor never prints: it reports [`Progress`] to a callback.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use rust_decimal::Decimal;
use serde::Serialize;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use zbooks_client::{Client, Error, FailureClass, Sent};
use zbooks_store::{
    Failure, JournalEntry, NewEntry, Outcome, RecordState, SqliteStore, Transition,
};
use zbooks_types::{Clock, SystemClock};

use crate::body::Body;
use crate::existing::ExistingRecords;
use crate::failpoints::failpoint;
pub use crate::ports::token_cooldown;
use crate::ports::{Books, CallError, Disposition, RunJournal};
use crate::record::{Entity, NaturalKey, Record, key_hash};
use crate::totals::{InputTotals, Reconciliation, compare};
use crate::validate::Validation;

/// A fingerprint of an input: its bytes, the options that change what is read from it, and
/// the organization it goes to. Two runs with the same fingerprint share a journal (the
/// second resumes the first); any change to the file or the options starts a new one.
pub fn fingerprint(content: &[u8], options: &str, organization_id: &str) -> String {
    // Two FNV-1a 64 passes with different offsets: 128 bits, no dependency, stable across
    // builds and platforms (the journal outlives the binary).
    fn fnv(seed: u64, parts: &[&[u8]]) -> u64 {
        let mut h = seed;
        for part in parts {
            for b in *part {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }
    let parts: [&[u8]; 3] = [content, options.as_bytes(), organization_id.as_bytes()];
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325, &parts),
        fnv(0x6c62_272e_07bb_0142, &parts)
    )
}

/// Options of a run.
#[derive(Clone, Debug)]
pub struct ExecuteOptions {
    /// Creates in flight at once (the plan's cap; the client keeps it too).
    pub in_flight: usize,
    /// How long a record waits after Zoho failed on it again and again (a 5xx after
    /// [`ExecuteOptions::server_retries`] short retries), or after the
    /// limits kept refusing it, before it is sent again; also how long the whole run pauses
    /// when Zoho fails across records ([`ExecuteOptions::burst`]). Zoho advises minutes, not
    /// seconds (default 5 minutes; [`ExecuteOptions::scaled_to`] scales it with the limits'
    /// minute; tests shorten it).
    pub defer: Duration,
    /// How long a record waits after its first server failure (a 5xx) before it is sent
    /// again, jittered between half of it and all of it, while the rest of the run goes on
    /// (default 2 s; four times as long after each further one, up to
    /// [`ExecuteOptions::server_retries`]). One 5xx is usually one bad request on one server,
    /// not Zoho in trouble.
    pub server_retry: Duration,
    /// Server failures on one record answered with a short retry before the record is
    /// deferred for [`ExecuteOptions::defer`] (default 2).
    pub server_retries: u32,
    /// Server failures (5xx) across records within [`ExecuteOptions::burst_window`] that
    /// mean Zoho itself is in trouble: nothing new is sent for [`ExecuteOptions::defer`]
    /// (default 5).
    pub burst: usize,
    /// The window [`ExecuteOptions::burst`] is counted over (default a Zoho minute, 60 s).
    pub burst_window: Duration,
    /// Creates sent for one record before it is given up as failed (default 5).
    pub max_attempts: u32,
    /// On a spent daily quota, sleep until the reset and go on (default: stop, resumable).
    pub wait_for_quota: bool,
    /// When an earlier run left records in flight (killed between sending and hearing), wait
    /// this long before looking them up, so that a request still travelling has landed
    /// (default 10 s; 0 in tests).
    pub settle: Duration,
    /// How far a Zoho total may be from the input's and still agree (Zoho recomputes tax per
    /// line; default 0.05).
    pub tolerance: Decimal,
    /// Read Zoho back after the run and compare it with the input (default on).
    pub read_back: bool,
    /// The wall clock.
    pub clock: Arc<dyn Clock>,
    /// What Zoho holds, when the caller listed it already (to validate against it): the
    /// run then makes no listing of its own.
    pub existing: Option<ExistingRecords>,
    /// The caller holds the organization's import lease (`zbooks_store::lease`) and took
    /// it before the listing: no other zbooks run creates in the organization meanwhile, so
    /// the listing is the lookup by natural key of every record. Otherwise (default) each
    /// record Zoho does not refuse twice ([`Record::is_refused_twice_by_zoho`]: taxes,
    /// accounts, payments, journals...) is looked up just before its create, because
    /// another run may have created it since the listing.
    pub exclusive: bool,
    /// The length of the limits' minute (60 s at Zoho; what [`ExecuteOptions::scaled_to`]
    /// scaled to): a caller measures the plan's per-minute pace, and so its time left, in it.
    pub minute: Duration,
}

impl ExecuteOptions {
    /// The waits after server failures measured in `minute`, the limits' minute (60 s at
    /// Zoho; shorter against a simulator whose minute is scaled): the deferral five minutes,
    /// the first retry 1/30 of a minute, the burst window one minute.
    #[must_use]
    pub fn scaled_to(self, minute: Duration) -> Self {
        ExecuteOptions {
            defer: minute * 5,
            server_retry: minute / 30,
            burst_window: minute,
            minute,
            ..self
        }
    }
}

/// `base` jittered between half of it and all of it, by the record and its attempt (so the
/// records a failure hit together do not come back together).
fn jittered(base: Duration, index: usize, attempt: u32) -> Duration {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in (index as u64)
        .to_le_bytes()
        .into_iter()
        .chain(attempt.to_le_bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // A fraction in [0.5, 1.0] in thousandths.
    let thousandths = 500 + u32::try_from(h % 501).unwrap_or(500);
    base * thousandths / 1000
}

impl Default for ExecuteOptions {
    fn default() -> Self {
        ExecuteOptions {
            in_flight: 10,
            defer: Duration::from_mins(5),
            server_retry: Duration::from_secs(2),
            server_retries: 2,
            burst: 5,
            burst_window: Duration::from_mins(1),
            max_attempts: 5,
            wait_for_quota: false,
            settle: Duration::from_secs(10),
            tolerance: Decimal::new(5, 2),
            read_back: true,
            clock: Arc::new(SystemClock),
            existing: None,
            exclusive: false,
            minute: Duration::from_mins(1),
        }
    }
}

/// Asks a run to stop: no new create is sent, the ones in flight finish.
#[derive(Clone, Debug, Default)]
pub struct StopHandle {
    inner: Arc<(AtomicBool, Notify)>,
}

impl StopHandle {
    /// A handle that has not been asked to stop.
    pub fn new() -> Self {
        StopHandle::default()
    }

    /// Asks the run to stop.
    pub fn stop(&self) {
        self.inner.0.store(true, Ordering::SeqCst);
        self.inner.1.notify_waiters();
    }

    /// Whether a stop was asked for.
    pub fn is_stopped(&self) -> bool {
        self.inner.0.load(Ordering::SeqCst)
    }

    pub(crate) async fn stopped(&self) {
        loop {
            let notified = self.inner.1.notified();
            if self.is_stopped() {
                return;
            }
            notified.await;
        }
    }
}

/// What the run is doing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Phase {
    /// Listing what Zoho holds of an entity (the existence check).
    Listed {
        /// The entity.
        entity: Entity,
        /// Records listed.
        records: u64,
    },
    /// Creating records.
    Creating,
    /// Waiting: for deferred records, or for the daily quota to reset.
    Waiting {
        /// Why.
        reason: String,
        /// Until when.
        until: SystemTime,
    },
    /// Reading Zoho back for the reconciliation report.
    ReadingBack,
}

/// What a run reports as it goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// What it is doing.
    pub phase: Phase,
    /// Records settled (done or failed) out of `total`.
    pub settled: u64,
    /// Records in the input.
    pub total: u64,
    /// Records settled before this run started (resumed from the journal).
    pub settled_before: u64,
    /// Created by this import.
    pub created: u64,
    /// Adopted after a create that may have landed.
    pub adopted: u64,
    /// Already in Zoho.
    pub present: u64,
    /// Failed (or held back).
    pub failed: u64,
    /// Waiting after a server failure.
    pub deferred: u64,
}

/// Why a run ended.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Stop<E = Error> {
    /// Every record is done or failed.
    Finished,
    /// A stop was asked for; the calls in flight finished. Resumable.
    Interrupted,
    /// The daily quota is spent. Resumable after the reset.
    Quota {
        /// When the quota is expected to reset.
        resets_at: Option<SystemTime>,
    },
    /// Something every record needs failed (authentication, the organization, the store).
    /// Resumable once fixed.
    Fatal(Arc<E>),
}

/// The result of a run.
#[derive(Clone, Debug)]
pub struct RunResult<E = Error> {
    /// Why it ended.
    pub stop: Stop<E>,
    /// The journal's counts at the end: every run of this input so far.
    pub summary: crate::results::Summary,
    /// What this run did alone ([`crate::Summary::between`] the journal before and after
    /// it): a re-run of a finished import created nothing and says so.
    pub this_run: crate::results::Summary,
    /// The comparison of the input with Zoho, when read back.
    pub reconciliation: Option<Reconciliation>,
}

/// A failure of the run itself (not of a record).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExecuteError<E: std::error::Error + 'static = Error> {
    /// The journal could not be read or written.
    #[error("import journal: {0}")]
    Journal(#[from] zbooks_client::store::StoreError),
    /// Zoho could not be listed before the run.
    #[error("cannot list what zoho holds: {0}")]
    Listing(#[source] E),
}

/// One input to run: its records (in input order), their validation, where they came from.
#[derive(Debug)]
pub struct RunInput<'a> {
    /// The records.
    pub records: &'a [Record],
    /// Their validation (held-back records are journaled as failed).
    pub validation: &'a Validation,
    /// What the readers could not read ([`crate::Parsed::unread`]): journaled as failed
    /// after the records, so the run's end and `import failed` name them.
    pub unread: &'a [crate::problem::Problem],
    /// The input file, for the journal.
    pub file: &'a str,
    /// The input's [`fingerprint`].
    pub fingerprint: &'a str,
}

#[derive(Clone, Debug)]
struct Slot {
    state: RecordState,
    outcome: Option<Outcome>,
    /// Creates sent whose end was seen (an answer, a failed connection): what counts
    /// against `max_attempts`. A create cut off by a crash is not among them (issue 12 §4).
    attempts: u32,
    /// Whether any create was ever sent (a record found in Zoho then was adopted, not present).
    sent: bool,
    lookup_first: bool,
    deferred_until: Option<SystemTime>,
    /// Server failures (5xx) on this record in this run: the first gets a short retry.
    server_failures: u32,
}

enum TaskOutcome<E> {
    Done {
        id: String,
        outcome: Outcome,
    },
    Failed,
    Deferred {
        until: SystemTime,
        lookup_first: bool,
        /// Zoho failed on its side (a 5xx): counted towards a burst.
        server: bool,
    },
    Retry,
    Quota {
        resets_at: Option<SystemTime>,
    },
    Cooldown {
        until: SystemTime,
    },
    Fatal(E),
    Store(zbooks_client::store::StoreError),
}

struct Task<B, J> {
    books: B,
    journal: J,
    index: usize,
    record: Record,
    body: Body,
    /// The record may exist after an earlier create: look before sending; found, adopted.
    lookup_first: bool,
    /// Nobody refuses a second one and another run may have made it since the listing:
    /// look before sending; found, present.
    look_before_create: bool,
    attempts: u32,
    /// Server failures on this record earlier in this run.
    server_failures: u32,
    options: ExecuteOptions,
}

fn failure_of<E: CallError>(error: &E, record: Option<&Record>) -> Failure {
    Failure {
        record: record.and_then(|r| serde_json::to_string(r).ok()),
        ..error.journal_failure()
    }
}

/// What a run waiting out a token cool-down reports, naming when it asks again.
pub fn token_cooldown_reason(until: SystemTime) -> String {
    format!(
        "the accounts server to issue tokens again (it refused token requests: Zoho allows 10 \
         per refresh token per 10 minutes, and another process or tool on this refresh token \
         may have used them); asking again at {}",
        zbooks_client::time::rfc3339(until)
    )
}

impl<B: Books, J: RunJournal> Task<B, J> {
    fn at_after(&self, d: Duration) -> SystemTime {
        self.options.clock.now() + d
    }

    async fn defer(&self, error: &B::Error, lookup_first: bool) -> TaskOutcome<B::Error> {
        if self.attempts >= self.options.max_attempts {
            let mut f = failure_of(error, Some(&self.record));
            f.message = format!(
                "gave up after {} attempts; the last: {}",
                self.attempts, f.message
            );
            return self.fail(f).await;
        }
        // A first 5xx on a record: a short jittered retry while the run goes on; one repeated
        // past `server_retries` waits minutes (a burst across records pauses the whole run:
        // `create_all`).
        let server = error.status().is_some_and(|s| s >= 500);
        let wait = if server && self.server_failures < self.options.server_retries {
            let base = self.options.server_retry * 4u32.saturating_pow(self.server_failures);
            jittered(base, self.index, self.attempts)
        } else {
            self.options.defer
        };
        let until = self.at_after(wait);
        let until_ms = ms(until);
        failpoint!(DEFER_BEFORE_WRITE);
        let written = self
            .journal
            .set(
                self.index as u64,
                Transition::Deferred {
                    until_ms,
                    failure: failure_of(error, None),
                },
            )
            .await;
        failpoint!(DEFER_AFTER_WRITE);
        match written {
            Ok(()) => TaskOutcome::Deferred {
                until,
                lookup_first,
                server,
            },
            Err(e) => TaskOutcome::Store(e),
        }
    }

    async fn fail(&self, failure: Failure) -> TaskOutcome<B::Error> {
        failpoint!(FAILED_BEFORE_WRITE);
        let written = self
            .journal
            .set(self.index as u64, Transition::Failed(failure))
            .await;
        failpoint!(FAILED_AFTER_WRITE);
        match written {
            Ok(()) => TaskOutcome::Failed,
            Err(e) => TaskOutcome::Store(e),
        }
    }

    async fn done(&self, id: String, outcome: Outcome) -> TaskOutcome<B::Error> {
        let written = self
            .journal
            .set(
                self.index as u64,
                Transition::Done {
                    zoho_id: id.clone(),
                    outcome,
                },
            )
            .await;
        failpoint!(DONE_AFTER_WRITE);
        match written {
            Ok(()) => TaskOutcome::Done { id, outcome },
            Err(e) => TaskOutcome::Store(e),
        }
    }

    async fn pending(&self) -> Option<zbooks_client::store::StoreError> {
        failpoint!(PENDING_BEFORE_WRITE);
        let written = self
            .journal
            .set(self.index as u64, Transition::Pending)
            .await;
        failpoint!(PENDING_AFTER_WRITE);
        written.err()
    }

    /// After an error that did not land: fail, defer, stop for the quota, or stop the run.
    async fn not_landed(&self, error: B::Error) -> TaskOutcome<B::Error> {
        match error.disposition() {
            Disposition::Fail => self.fail(failure_of(&error, Some(&self.record))).await,
            Disposition::Defer => self.defer(&error, false).await,
            Disposition::Quota(resets_at) => match self.pending().await {
                None => TaskOutcome::Quota { resets_at },
                Some(e) => TaskOutcome::Store(e),
            },
            // No token, so nothing was sent: the attempt is not charged (issue 12 §4).
            Disposition::Cooldown(until) => {
                failpoint!(COOLDOWN_BEFORE_WRITE);
                let written = self
                    .journal
                    .set(self.index as u64, Transition::Interrupted)
                    .await;
                failpoint!(COOLDOWN_AFTER_WRITE);
                match written {
                    Ok(()) => TaskOutcome::Cooldown { until },
                    Err(e) => TaskOutcome::Store(e),
                }
            }
            Disposition::Fatal => match self.pending().await {
                None => TaskOutcome::Fatal(error),
                Some(e) => TaskOutcome::Store(e),
            },
        }
    }

    /// An error from a lookup: the record stays in doubt (looked up again before any send).
    async fn lookup_failed(&self, error: B::Error) -> TaskOutcome<B::Error> {
        match error.disposition() {
            Disposition::Quota(resets_at) => TaskOutcome::Quota { resets_at },
            Disposition::Cooldown(until) => TaskOutcome::Cooldown { until },
            Disposition::Fatal => TaskOutcome::Fatal(error),
            Disposition::Fail | Disposition::Defer => {
                let until = self.at_after(self.options.defer);
                failpoint!(LOOKUP_FAILED_BEFORE_WRITE);
                let written = self
                    .journal
                    .set(
                        self.index as u64,
                        Transition::Deferred {
                            until_ms: ms(until),
                            failure: failure_of(&error, None),
                        },
                    )
                    .await;
                failpoint!(LOOKUP_FAILED_AFTER_WRITE);
                match written {
                    Ok(()) => TaskOutcome::Deferred {
                        until,
                        lookup_first: true,
                        server: false,
                    },
                    Err(e) => TaskOutcome::Store(e),
                }
            }
        }
    }

    async fn run(mut self) -> (usize, TaskOutcome<B::Error>) {
        let outcome = self.run_inner().await;
        (self.index, outcome)
    }

    async fn run_inner(&mut self) -> TaskOutcome<B::Error> {
        if self.lookup_first || self.look_before_create {
            failpoint!(LOOKUP_BEFORE_CALL);
            match self.books.lookup(&self.record).await {
                Ok(Some(id)) => {
                    failpoint!(LOOKUP_FOUND_BEFORE_WRITE);
                    let outcome = if self.lookup_first {
                        Outcome::Adopted
                    } else {
                        Outcome::Present
                    };
                    return self.done(id, outcome).await;
                }
                Ok(None) => {}
                Err(e) => return self.lookup_failed(e).await,
            }
        }
        // Intent first: from here on, a crash leaves the record in flight, and the next run
        // looks it up before sending it again.
        failpoint!(INTENT_BEFORE_WRITE);
        if let Err(e) = self
            .journal
            .set(self.index as u64, Transition::InFlight)
            .await
        {
            return TaskOutcome::Store(e);
        }
        failpoint!(INTENT_AFTER_WRITE);
        self.attempts += 1;
        let error = match self.books.create(&self.record, &self.body).await {
            Ok(created) => {
                if let Some(id) = created {
                    failpoint!(CREATE_ANSWERED);
                    return self.done(id, Outcome::Created).await;
                }
                // Created, but the answer names no id: find it by its key.
                if let Ok(Some(id)) = self.books.lookup(&self.record).await {
                    return self.done(id, Outcome::Created).await;
                }
                let f = Failure {
                    message: "zoho answered the create without an id and the record cannot be \
                              found by its key"
                        .to_owned(),
                    ..Failure::default()
                };
                failpoint!(NO_ID_BEFORE_WRITE);
                if let Err(e) = self
                    .journal
                    .set(self.index as u64, Transition::InDoubt(f))
                    .await
                {
                    return TaskOutcome::Store(e);
                }
                failpoint!(NO_ID_AFTER_WRITE);
                return TaskOutcome::Deferred {
                    until: self.at_after(self.options.defer),
                    lookup_first: true,
                    server: false,
                };
            }
            Err(error) => error,
        };
        // 3062 is Zoho's documented duplicate; a duplicate invoice number or item name comes
        // back under a code nothing documents as one (a validation refusal), so for a key Zoho
        // keeps unique the lookup below settles it, never the message's words.
        let duplicate = error.class() == FailureClass::Duplicate
            || (error.class() == FailureClass::Validation
                && self.record.is_refused_twice_by_zoho());
        if !duplicate && !error.may_have_landed() {
            return self.not_landed(error).await;
        }
        // It may exist: never send it again before looking (docs/design.md promise 5).
        failpoint!(IN_DOUBT_BEFORE_WRITE);
        if let Err(e) = self
            .journal
            .set(
                self.index as u64,
                Transition::InDoubt(failure_of(&error, None)),
            )
            .await
        {
            return TaskOutcome::Store(e);
        }
        failpoint!(IN_DOUBT_AFTER_WRITE);
        match self.books.lookup(&self.record).await {
            Ok(Some(id)) => {
                failpoint!(IN_DOUBT_FOUND_BEFORE_WRITE);
                self.done(id, Outcome::Adopted).await
            }
            Ok(None) if duplicate => self.fail(failure_of(&error, Some(&self.record))).await,
            Ok(None) => {
                // Not there: it did not land. A lost answer is sent again now; a server
                // failure waits (Zoho advises minutes).
                if error.sent() == Sent::MaybeSent
                    && error.status().is_none()
                    && self.attempts < self.options.max_attempts
                {
                    match self.pending().await {
                        None => TaskOutcome::Retry,
                        Some(e) => TaskOutcome::Store(e),
                    }
                } else {
                    self.defer(&error, false).await
                }
            }
            Err(e) => self.lookup_failed(e).await,
        }
    }
}

fn ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn from_ms(ms: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// Why each held-back record is held back, from the validation report.
fn held_back_failures(input: &RunInput<'_>) -> HashMap<usize, Failure> {
    let mut by_key: HashMap<u64, Vec<String>> = HashMap::new();
    for p in &input.validation.report.problems {
        if !p.is_error() {
            continue;
        }
        if let Some(k) = &p.record {
            let text = match &p.field {
                Some(f) => format!("{}: field {f}: {}", p.location, p.message),
                None => format!("{}: {}", p.location, p.message),
            };
            by_key.entry(key_hash(k)).or_default().push(text);
        }
    }
    let mut out = HashMap::new();
    for (i, r) in input.records.iter().enumerate() {
        if input.validation.is_valid(i) {
            continue;
        }
        let messages = by_key.get(&key_hash(&r.key)).cloned().unwrap_or_default();
        let message = if messages.is_empty() {
            "held back: the input has errors and --strict holds every record back".to_owned()
        } else {
            messages.join("; ")
        };
        out.insert(
            i,
            Failure {
                code: None,
                class: Some("validation".to_owned()),
                message,
                fix: Some("correct the record in the input (or in the failed-records export) and import it again".to_owned()),
                record: serde_json::to_string(r).ok(),
            },
        );
    }
    out
}

/// Journal rows of what the readers could not read, numbered after the records (the
/// executor's slots never reach them), in the failed state with the reader's reason.
fn unread_entries(input: &RunInput<'_>) -> Vec<NewEntry> {
    input
        .unread
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (entity, key_field, key_value) = match &p.record {
                Some(key) => (key.entity.as_str().to_owned(), key.field.clone(), key.value.clone()),
                None => (
                    UNREAD.to_owned(),
                    p.location.element.as_deref().unwrap_or_default().to_owned(),
                    p.location.label.as_deref().unwrap_or_default().to_owned(),
                ),
            };
            NewEntry {
                index: (input.records.len() + k) as u64,
                entity,
                key_field,
                key_value,
                location: p.location.to_string(),
                state: RecordState::Failed,
                failure: Some(Failure {
                    code: None,
                    class: Some(UNREAD.to_owned()),
                    message: p.message.clone(),
                    fix: Some(
                        "correct the input at this place (or export it again) and import it again: records already in Zoho are found by their keys, not created twice"
                            .to_owned(),
                    ),
                    record: None,
                }),
            }
        })
        .collect()
}

/// The entity and class of a journal row the readers could not read.
pub const UNREAD: &str = "unread";

struct Run<'a, B, J> {
    books: &'a B,
    journal: J,
    records: &'a [Record],
    options: ExecuteOptions,
    slots: Vec<Slot>,
    ids: HashMap<u64, String>,
    owner: HashMap<u64, usize>,
    existing: ExistingRecords,
    settled_before: u64,
}

enum Readiness {
    Ready(Body),
    Wait,
    Fail(Failure),
}

impl<B: Books, J: RunJournal> Run<'_, B, J> {
    fn progress(&self, phase: Phase) -> Progress {
        let mut p = Progress {
            phase,
            settled: 0,
            total: self.records.len() as u64,
            settled_before: self.settled_before,
            created: 0,
            adopted: 0,
            present: 0,
            failed: 0,
            deferred: 0,
        };
        for s in &self.slots {
            match (s.state, s.outcome) {
                (RecordState::Done, Some(Outcome::Created)) => p.created += 1,
                (RecordState::Done, Some(Outcome::Adopted)) => p.adopted += 1,
                (RecordState::Done, _) => p.present += 1,
                (RecordState::Failed, _) => p.failed += 1,
                (RecordState::Deferred, _) => p.deferred += 1,
                _ => {}
            }
        }
        p.settled = p.created + p.adopted + p.present + p.failed;
        p
    }

    fn mark_done(&mut self, index: usize, id: &str, outcome: Outcome) {
        let slot = &mut self.slots[index];
        slot.state = RecordState::Done;
        slot.outcome = Some(outcome);
        slot.deferred_until = None;
        for k in self.records[index].keys() {
            self.ids.insert(key_hash(k), id.to_owned());
        }
    }

    fn id_of(&self, key: &NaturalKey) -> Option<String> {
        self.ids
            .get(&key_hash(key))
            .cloned()
            .or_else(|| self.existing.id_of(key).map(str::to_owned))
    }

    fn readiness(&self, index: usize) -> Readiness {
        let record = &self.records[index];
        for target in record.depends_on() {
            if self.id_of(target).is_some() {
                continue;
            }
            match self.owner.get(&key_hash(target)) {
                Some(&dep) if self.slots[dep].state == RecordState::Failed => {
                    return Readiness::Fail(Failure {
                        code: None,
                        class: Some("dependency".to_owned()),
                        message: format!(
                            "depends on {target}, which failed (see its row); not sent"
                        ),
                        fix: Some(
                            "fix the record it depends on; then import both again".to_owned(),
                        ),
                        record: serde_json::to_string(record).ok(),
                    });
                }
                Some(_) => return Readiness::Wait,
                None => {
                    return Readiness::Fail(Failure {
                        code: None,
                        class: Some("dependency".to_owned()),
                        message: format!("{target} is neither in the input nor in zoho"),
                        fix: Some("import it first or correct the name".to_owned()),
                        record: serde_json::to_string(record).ok(),
                    });
                }
            }
        }
        match record.body(|k| self.id_of(k)) {
            Ok(body) => Readiness::Ready(body),
            Err(u) => Readiness::Fail(Failure {
                code: None,
                class: Some("dependency".to_owned()),
                message: u.to_string(),
                fix: None,
                record: serde_json::to_string(record).ok(),
            }),
        }
    }
}

/// Runs an import: journal, existence check, reconciliation of earlier runs' in-doubt
/// records, creates in dependency order, and (when asked) the read-back and comparison.
///
/// `progress` hears every change; `stop` asks the run to stop (the calls in flight finish).
///
/// # Errors
///
/// [`ExecuteError`] when the journal cannot be used or Zoho cannot be listed before the run
/// (nothing was created then). Failures of records are in the journal; failures that stop
/// the run midway are [`Stop`]s.
pub async fn execute(
    client: &Client,
    store: &SqliteStore,
    input: &RunInput<'_>,
    options: ExecuteOptions,
    stop: &StopHandle,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<RunResult, ExecuteError> {
    let journal = store.journal(input.fingerprint).await?;
    execute_with(client, &journal, input, options, stop, progress).await
}

/// [`execute`] over any [`Books`] side and any [`RunJournal`] (the input's journal, opened by
/// the caller): the executor itself, which unit tests drive with in-memory fakes.
///
/// # Errors
///
/// As [`execute`].
pub async fn execute_with<B: Books, J: RunJournal>(
    books: &B,
    journal: &J,
    input: &RunInput<'_>,
    mut options: ExecuteOptions,
    stop: &StopHandle,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<RunResult<B::Error>, ExecuteError<B::Error>> {
    let organization_id = books.organization_id();
    let listed = options.existing.take();
    let held = held_back_failures(input);
    let mut entries: Vec<NewEntry> = input
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let failure = held.get(&i).cloned();
            NewEntry {
                index: i as u64,
                entity: r.entity.as_str().to_owned(),
                key_field: r.key.field.clone(),
                key_value: r.key.value.clone(),
                location: r.location.to_string(),
                state: if failure.is_some() {
                    RecordState::Failed
                } else {
                    RecordState::Pending
                },
                failure,
            }
        })
        .collect();
    entries.extend(unread_entries(input));
    // The journal as this run finds it (empty for a first run): what it did is the change.
    let before: Vec<JournalEntry> = journal.entries().await?;
    journal
        .begin(input.file, &organization_id, entries.len() as u64, entries)
        .await?;
    failpoint!(BEGIN_AFTER_WRITE);
    let rows: Vec<JournalEntry> = journal.entries().await?;
    let mut slots: Vec<Slot> = input
        .records
        .iter()
        .map(|_| Slot {
            state: RecordState::Pending,
            outcome: None,
            attempts: 0,
            sent: false,
            lookup_first: false,
            deferred_until: None,
            server_failures: 0,
        })
        .collect();
    for row in &rows {
        let Ok(i) = usize::try_from(row.index) else {
            continue;
        };
        if let Some(slot) = slots.get_mut(i) {
            slot.state = row.state;
            slot.outcome = row.outcome;
            slot.attempts = row.attempts.saturating_sub(row.interrupted);
            slot.sent = row.attempts > 0;
            slot.deferred_until = row.deferred_until_ms.map(from_ms);
        }
    }
    let settled_before = slots
        .iter()
        .filter(|s| matches!(s.state, RecordState::Done | RecordState::Failed))
        .count() as u64;

    // Entities to list: those of unsettled records and those they refer to.
    let mut entities: BTreeSet<Entity> = BTreeSet::new();
    for (r, s) in input.records.iter().zip(&slots) {
        if matches!(s.state, RecordState::Done | RecordState::Failed) {
            continue;
        }
        entities.insert(r.entity);
        for d in r.depends_on() {
            entities.insert(d.entity);
        }
    }
    // A request a killed run sent may still be on its way: let it land before looking, and
    // look after the wait (a listing the caller made before it is too old then).
    let unsure = slots
        .iter()
        .any(|s| matches!(s.state, RecordState::InFlight | RecordState::InDoubt));
    let listed = if unsure && !options.settle.is_zero() {
        tokio::time::sleep(options.settle).await;
        None
    } else {
        listed
    };

    let mut run = Run {
        books,
        journal: journal.clone(),
        records: input.records,
        options: options.clone(),
        slots,
        ids: HashMap::new(),
        owner: HashMap::new(),
        existing: ExistingRecords::new(),
        settled_before,
    };
    for (i, r) in input.records.iter().enumerate() {
        if !input.validation.is_valid(i) {
            continue;
        }
        for k in r.keys() {
            run.owner.entry(key_hash(k)).or_insert(i);
        }
    }
    for row in &rows {
        if let (RecordState::Done, Some(id)) = (row.state, &row.zoho_id)
            && let Some(r) = usize::try_from(row.index)
                .ok()
                .and_then(|i| input.records.get(i))
        {
            for k in r.keys() {
                run.ids.insert(key_hash(k), id.clone());
            }
        }
    }
    run.existing = match listed {
        Some(existing) => existing,
        None => loop {
            let mut on_listed = |entity, records| {
                let p = run.progress(Phase::Listed { entity, records });
                progress(&p);
            };
            let listing = books.list(&entities, &mut on_listed).await;
            let error = match listing {
                Ok(existing) => {
                    failpoint!(RESUME_AFTER_LISTING);
                    break existing;
                }
                Err(error) => error,
            };
            let Disposition::Cooldown(until) = error.disposition() else {
                return Err(ExecuteError::Listing(error));
            };
            if !run.wait_out_cooldown(until, stop, progress).await {
                journal.set_status("interrupted", None).await?;
                let after = journal.entries().await?;
                return Ok(RunResult {
                    stop: Stop::Interrupted,
                    summary: crate::results::Summary::of(&after),
                    this_run: crate::results::Summary::between(&before, &after),
                    reconciliation: None,
                });
            }
        },
    };

    // Settle what an earlier run left unsure, and what Zoho holds already, against the
    // listing: nothing is sent for a record Zoho has.
    for i in 0..input.records.len() {
        let state = run.slots[i].state;
        if matches!(state, RecordState::Done | RecordState::Failed) {
            continue;
        }
        let found = input.records[i]
            .keys()
            .find_map(|k| run.existing.id_of(k).map(str::to_owned));
        match found {
            Some(id) => {
                let outcome = if run.slots[i].sent {
                    Outcome::Adopted
                } else {
                    Outcome::Present
                };
                failpoint!(RESUME_BEFORE_ADOPT);
                journal
                    .set(
                        i as u64,
                        Transition::Done {
                            zoho_id: id.clone(),
                            outcome,
                        },
                    )
                    .await?;
                failpoint!(RESUME_AFTER_ADOPT);
                run.mark_done(i, &id, outcome);
            }
            None if state == RecordState::InFlight => {
                // The listing is authoritative: it did not land. A run that dies between
                // sending and hearing never learns how its create ended: that is a crash,
                // not an answer, and it is not charged against the attempt budget.
                failpoint!(RESUME_BEFORE_INTERRUPTED);
                journal.set(i as u64, Transition::Interrupted).await?;
                failpoint!(RESUME_AFTER_INTERRUPTED);
                run.slots[i].state = RecordState::Pending;
                run.slots[i].attempts = run.slots[i].attempts.saturating_sub(1);
            }
            None if state == RecordState::InDoubt => {
                failpoint!(RESUME_BEFORE_PENDING);
                journal.set(i as u64, Transition::Pending).await?;
                failpoint!(RESUME_AFTER_PENDING);
                run.slots[i].state = RecordState::Pending;
            }
            None => {}
        }
    }

    let stop_reason = run.create_all(stop, progress).await?;
    let after = journal.entries().await?;
    if matches!(stop_reason, Stop::Finished) {
        // Invoices in their source's books are posted in Zoho's (Record::posted). A failure
        // here leaves them drafts, which the tie-out names; the records themselves are in.
        let ids: Vec<String> = after
            .iter()
            .filter(|e| e.state == RecordState::Done)
            .filter(|e| {
                usize::try_from(e.index)
                    .ok()
                    .and_then(|i| input.records.get(i))
                    .is_some_and(|r| r.posted && r.entity == Entity::Invoice)
            })
            .filter_map(|e| e.zoho_id.clone())
            .collect();
        if !ids.is_empty() {
            // Not fatal: the records are in Zoho; the tie-out that ends a Tally import names
            // every invoice left a draft and fails, and the next run marks what is left.
            let _marked = books.post_drafts(&ids).await;
        }
    }
    let summary = crate::results::Summary::of(&after);
    let this_run = crate::results::Summary::between(&before, &after);
    let (status, detail) = match &stop_reason {
        Stop::Finished => ("finished", None),
        Stop::Interrupted => ("interrupted", None),
        Stop::Quota { resets_at } => (
            "quota",
            resets_at.map(|t| format!("resets at {}", zbooks_client::time::rfc3339(t))),
        ),
        Stop::Fatal(e) => ("stopped", Some(e.to_string())),
    };
    failpoint!(STATUS_BEFORE_WRITE);
    journal.set_status(status, detail).await?;
    failpoint!(STATUS_AFTER_WRITE);
    let mut reconciliation = None;
    if options.read_back && matches!(stop_reason, Stop::Finished) {
        progress(&run.progress(Phase::ReadingBack));
        let zoho = books.read_back(input.records).await;
        if let Ok(zoho) = zoho {
            let valid: Vec<&Record> = input
                .records
                .iter()
                .enumerate()
                .filter(|(i, _)| input.validation.is_valid(*i))
                .map(|(_, r)| r)
                .collect();
            let totals = InputTotals::of(valid);
            reconciliation = Some(compare(&totals, &zoho, options.tolerance));
        }
    }
    Ok(RunResult {
        stop: stop_reason,
        summary,
        this_run,
        reconciliation,
    })
}

impl<B: Books, J: RunJournal> Run<'_, B, J> {
    async fn create_all(
        &mut self,
        stop: &StopHandle,
        progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<Stop<B::Error>, ExecuteError<B::Error>> {
        let mut queue: Vec<usize> = (0..self.records.len())
            .filter(|i| {
                !matches!(
                    self.slots[*i].state,
                    RecordState::Done | RecordState::Failed
                )
            })
            .collect();
        queue.sort_by_key(|i| (self.records[*i].entity.rank(), *i));
        let cap = self.options.in_flight.max(1);
        // When the last server failures (5xx) came, across records; and until when the run
        // sends nothing because they came in a burst (Zoho in trouble).
        let mut recent_5xx: VecDeque<SystemTime> = VecDeque::new();
        let mut paused_until: Option<SystemTime> = None;
        progress(&self.progress(Phase::Creating));
        loop {
            let mut running: JoinSet<(usize, TaskOutcome<B::Error>)> = JoinSet::new();
            let mut halt: Option<Stop<B::Error>> = None;
            // While the accounts server refuses tokens nothing new is sent; the calls in
            // flight finish (or meet the same refusal) first.
            let mut cooldown: Option<SystemTime> = None;
            loop {
                let paused = paused_until.is_some_and(|p| p > self.options.clock.now());
                if halt.is_none() && cooldown.is_none() && !paused && !stop.is_stopped() {
                    let now = self.options.clock.now();
                    let mut at = 0;
                    while running.len() < cap && at < queue.len() {
                        let i = queue[at];
                        if self.slots[i].deferred_until.is_some_and(|t| t > now) {
                            at += 1;
                            continue;
                        }
                        match self.readiness(i) {
                            Readiness::Wait => at += 1,
                            Readiness::Fail(f) => {
                                queue.remove(at);
                                failpoint!(DEPENDENCY_FAILED_BEFORE_WRITE);
                                self.journal.set(i as u64, Transition::Failed(f)).await?;
                                failpoint!(DEPENDENCY_FAILED_AFTER_WRITE);
                                self.slots[i].state = RecordState::Failed;
                                progress(&self.progress(Phase::Creating));
                            }
                            Readiness::Ready(body) => {
                                queue.remove(at);
                                let slot = &mut self.slots[i];
                                slot.state = RecordState::InFlight;
                                let task = Task {
                                    books: self.books.clone(),
                                    journal: self.journal.clone(),
                                    index: i,
                                    record: self.records[i].clone(),
                                    body,
                                    lookup_first: slot.lookup_first,
                                    look_before_create: !self.options.exclusive
                                        && !self.records[i].is_refused_twice_by_zoho(),
                                    attempts: slot.attempts,
                                    server_failures: slot.server_failures,
                                    options: self.options.clone(),
                                };
                                running.spawn(task.run());
                            }
                        }
                    }
                }
                if running.is_empty() {
                    if halt.is_some() || stop.is_stopped() || queue.is_empty() {
                        break;
                    }
                    if let Some(until) = cooldown.take() {
                        if !self.wait_out_cooldown(until, stop, progress).await {
                            break;
                        }
                        continue;
                    }
                    // Nothing can go now: wait out a pause, or for the first deferred record.
                    let pause = paused_until.filter(|p| *p > self.options.clock.now());
                    let next = pause.or_else(|| {
                        queue
                            .iter()
                            .filter_map(|i| self.slots[*i].deferred_until)
                            .min()
                    });
                    let Some(until) = next else {
                        // Waiting on records that will never settle: cannot happen with a
                        // dependency order, but never spin.
                        for i in std::mem::take(&mut queue) {
                            let f = Failure {
                                class: Some("dependency".to_owned()),
                                message: "its dependencies never settled".to_owned(),
                                record: serde_json::to_string(&self.records[i]).ok(),
                                ..Failure::default()
                            };
                            self.journal.set(i as u64, Transition::Failed(f)).await?;
                            self.slots[i].state = RecordState::Failed;
                        }
                        break;
                    };
                    let now = self.options.clock.now();
                    let wait = until.duration_since(now).unwrap_or(Duration::ZERO);
                    let reason = if pause.is_some() {
                        "Zoho failing on its side across records (a burst of server errors)"
                    } else {
                        "deferred records after a server failure"
                    };
                    progress(&self.progress(Phase::Waiting {
                        reason: reason.to_owned(),
                        until,
                    }));
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = stop.stopped() => {}
                    }
                    continue;
                }
                let joined = tokio::select! {
                    joined = running.join_next() => joined,
                    () = stop.stopped(), if halt.is_none() && !stop.is_stopped() => continue,
                };
                let Some(joined) = joined else { continue };
                let Ok((i, outcome)) = joined else {
                    // A task panicked: its record stays in flight in the journal and is
                    // looked up on the next run.
                    continue;
                };
                match outcome {
                    TaskOutcome::Done { id, outcome } => self.mark_done(i, &id, outcome),
                    TaskOutcome::Failed => self.slots[i].state = RecordState::Failed,
                    TaskOutcome::Deferred {
                        until,
                        lookup_first,
                        server,
                    } => {
                        let slot = &mut self.slots[i];
                        slot.state = RecordState::Deferred;
                        slot.attempts += 1;
                        slot.deferred_until = Some(until);
                        slot.lookup_first = lookup_first;
                        if server {
                            slot.server_failures += 1;
                            let now = self.options.clock.now();
                            recent_5xx.push_back(now);
                            while recent_5xx.front().is_some_and(|t| {
                                now.duration_since(*t).unwrap_or(Duration::ZERO)
                                    > self.options.burst_window
                            }) {
                                recent_5xx.pop_front();
                            }
                            if recent_5xx.len() >= self.options.burst.max(1) {
                                paused_until = Some(now + self.options.defer);
                                recent_5xx.clear();
                            }
                        }
                        queue.push(i);
                    }
                    TaskOutcome::Retry => {
                        let slot = &mut self.slots[i];
                        slot.state = RecordState::Pending;
                        slot.attempts += 1;
                        slot.lookup_first = false;
                        queue.insert(0, i);
                    }
                    TaskOutcome::Quota { resets_at } => {
                        self.requeue(&mut queue, i);
                        halt.get_or_insert(Stop::Quota { resets_at });
                    }
                    TaskOutcome::Cooldown { until } => {
                        self.requeue(&mut queue, i);
                        cooldown = Some(cooldown.map_or(until, |c| c.max(until)));
                    }
                    TaskOutcome::Fatal(e) => {
                        self.requeue(&mut queue, i);
                        halt.get_or_insert(Stop::Fatal(Arc::new(e)));
                    }
                    TaskOutcome::Store(e) => {
                        // Drain what is in flight first, so their outcomes are journaled.
                        while running.join_next().await.is_some() {}
                        return Err(ExecuteError::Journal(e));
                    }
                }
                queue.sort_by_key(|i| (self.records[*i].entity.rank(), *i));
                progress(&self.progress(Phase::Creating));
            }
            match halt {
                Some(Stop::Quota { resets_at }) if self.options.wait_for_quota => {
                    let until = resets_at
                        .unwrap_or_else(|| self.options.clock.now() + Duration::from_hours(1));
                    progress(&self.progress(Phase::Waiting {
                        reason: "the daily quota to reset".to_owned(),
                        until,
                    }));
                    let wait = until
                        .duration_since(self.options.clock.now())
                        .unwrap_or(Duration::ZERO)
                        + Duration::from_secs(1);
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = stop.stopped() => return Ok(Stop::Interrupted),
                    }
                }
                Some(reason) => return Ok(reason),
                None if stop.is_stopped() => return Ok(Stop::Interrupted),
                None => return Ok(Stop::Finished),
            }
        }
    }

    /// Reports the wait and sleeps until `until`; false when a stop came first.
    async fn wait_out_cooldown(
        &self,
        until: SystemTime,
        stop: &StopHandle,
        progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> bool {
        progress(&self.progress(Phase::Waiting {
            reason: token_cooldown_reason(until),
            until,
        }));
        let wait = until
            .duration_since(self.options.clock.now())
            .unwrap_or(Duration::ZERO);
        tokio::select! {
            () = tokio::time::sleep(wait) => !stop.is_stopped(),
            () = stop.stopped() => false,
        }
    }

    fn requeue(&mut self, queue: &mut Vec<usize>, i: usize) {
        let slot = &mut self.slots[i];
        if slot.state == RecordState::InFlight {
            slot.state = RecordState::Pending;
        }
        queue.push(i);
    }
}

#[cfg(test)]
#[path = "executor_fakes.rs"]
pub(crate) mod fakes;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_content_options_and_organization() {
        let a = fingerprint(b"abc", "strict=false", "1");
        assert_eq!(a.len(), 32);
        assert_eq!(a, fingerprint(b"abc", "strict=false", "1"));
        assert_ne!(a, fingerprint(b"abd", "strict=false", "1"));
        assert_ne!(a, fingerprint(b"abc", "strict=true", "1"));
        assert_ne!(a, fingerprint(b"abc", "strict=false", "2"));
    }
}
