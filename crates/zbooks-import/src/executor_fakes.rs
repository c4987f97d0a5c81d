//! The executor's logic at unit speed: [`execute_with`] over an in-memory Books side (which
//! can lose an answer, refuse a duplicate, fail with a 5xx) and an in-memory journal that
//! moves records the way `zbooks_store::Journal` does and remembers every transition.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use zbooks_client::store::StoreResult;
use zbooks_client::{FailureClass, Sent};
use zbooks_store::{Failure, JournalEntry, NewEntry, Outcome, RecordState, Transition};

use super::{ExecuteOptions, Phase, Progress, RunInput, RunResult, Stop, StopHandle, execute_with};
use crate::body::Body;
use crate::existing::ExistingRecords;
use crate::ports::{Books, CallError, Disposition, RunJournal};
use crate::read::Parsed;
use crate::record::{Entity, Record};
use crate::validate::{ValidateOptions, validate};
use crate::{JsonlOptions, JsonlReader};

/// What the fake Zoho does to one create.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// The record is made, the answer is lost on the way back.
    LoseAnswer,
    /// The request is lost on the way: nothing is made, no answer comes.
    LoseRequest,
    /// Zoho answers 500 without making the record.
    ServerError,
}

#[derive(Debug)]
pub(crate) struct FakeError {
    class: FailureClass,
    disposition: Disposition,
    sent: Sent,
    status: Option<u16>,
    code: Option<i64>,
    message: &'static str,
}

impl fmt::Display for FakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for FakeError {}

impl CallError for FakeError {
    fn disposition(&self) -> Disposition {
        self.disposition
    }
    fn class(&self) -> FailureClass {
        self.class
    }
    fn may_have_landed(&self) -> bool {
        self.sent == Sent::MaybeSent
            || (matches!(self.class, FailureClass::TransientServer) && self.sent != Sent::NotSent)
    }
    fn sent(&self) -> Sent {
        self.sent
    }
    fn status(&self) -> Option<u16> {
        self.status
    }
    fn journal_failure(&self) -> Failure {
        Failure {
            code: self.code,
            class: Some(self.class.as_str().to_owned()),
            message: self.message.to_owned(),
            ..Failure::default()
        }
    }
}

fn lost() -> FakeError {
    FakeError {
        class: FailureClass::TransientServer,
        disposition: Disposition::Defer,
        sent: Sent::MaybeSent,
        status: None,
        code: None,
        message: "connection reset after the request was sent",
    }
}

fn server_error() -> FakeError {
    FakeError {
        class: FailureClass::TransientServer,
        disposition: Disposition::Defer,
        sent: Sent::Answered,
        status: Some(500),
        code: Some(1000),
        message: "Internal error",
    }
}

fn duplicate() -> FakeError {
    FakeError {
        class: FailureClass::Duplicate,
        disposition: Disposition::Fail,
        sent: Sent::Answered,
        status: Some(400),
        code: Some(3062),
        message: "The contact name already exists",
    }
}

#[derive(Default)]
pub(crate) struct Zoho {
    /// (entity, key field, lower-cased key value) → id.
    held: HashMap<(Entity, String, String), String>,
    next_id: u64,
    /// Create calls per key value (whatever their end).
    sent: HashMap<String, u32>,
    /// Records made per key value.
    made: HashMap<String, u32>,
    faults: HashMap<String, VecDeque<Fault>>,
    /// Ask this handle to stop after this many create calls.
    stop_after: Option<(u32, StopHandle)>,
    creates: u32,
}

#[derive(Clone, Default)]
pub(crate) struct FakeBooks(Arc<Mutex<Zoho>>);

impl FakeBooks {
    fn zoho(&self) -> std::sync::MutexGuard<'_, Zoho> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn hold(&self, entity: Entity, field: &str, value: &str) -> String {
        let mut z = self.zoho();
        z.next_id += 1;
        let id = format!("{}", 460_000 + z.next_id);
        z.held
            .insert((entity, field.to_owned(), value.to_lowercase()), id.clone());
        *z.made.entry(value.to_owned()).or_default() += 1;
        id
    }

    fn fault(&self, value: &str, faults: &[Fault]) {
        self.zoho()
            .faults
            .entry(value.to_owned())
            .or_default()
            .extend(faults);
    }

    pub(crate) fn made(&self, value: &str) -> u32 {
        self.zoho().made.get(value).copied().unwrap_or(0)
    }

    pub(crate) fn sent(&self, value: &str) -> u32 {
        self.zoho().sent.get(value).copied().unwrap_or(0)
    }

    fn find(&self, record: &Record) -> Option<String> {
        let z = self.zoho();
        record.keys().find_map(|k| {
            z.held
                .get(&(k.entity, k.field.clone(), k.value.to_lowercase()))
                .cloned()
        })
    }
}

impl Books for FakeBooks {
    type Error = FakeError;

    fn organization_id(&self) -> String {
        "60000000001".to_owned()
    }

    async fn create(&self, record: &Record, _body: &Body) -> Result<Option<String>, FakeError> {
        let value = record.key.value.clone();
        let fault = {
            let mut z = self.zoho();
            *z.sent.entry(value.clone()).or_default() += 1;
            z.creates += 1;
            if let Some((n, stop)) = &z.stop_after
                && z.creates >= *n
            {
                stop.stop();
            }
            z.faults.get_mut(&value).and_then(VecDeque::pop_front)
        };
        match fault {
            Some(Fault::LoseRequest) => return Err(lost()),
            Some(Fault::ServerError) => return Err(server_error()),
            Some(Fault::LoseAnswer) | None => {}
        }
        if self.find(record).is_some() {
            return Err(duplicate());
        }
        let id = self.hold(record.entity, &record.key.field, &value);
        match fault {
            Some(Fault::LoseAnswer) => Err(lost()),
            _ => Ok(Some(id)),
        }
    }

    async fn lookup(&self, record: &Record) -> Result<Option<String>, FakeError> {
        Ok(self.find(record))
    }

    async fn list(
        &self,
        entities: &BTreeSet<Entity>,
        on_listed: &mut (dyn FnMut(Entity, u64) + Send),
    ) -> Result<ExistingRecords, FakeError> {
        let mut existing = ExistingRecords::new();
        let held: Vec<_> = self
            .zoho()
            .held
            .iter()
            .map(|(k, id)| (k.clone(), id.clone()))
            .collect();
        for entity in entities {
            let mut n = 0;
            for ((e, field, value), id) in &held {
                if e == entity {
                    existing.add(*e, &json!({ e.id_field(): id, field.as_str(): value }));
                    n += 1;
                }
            }
            on_listed(*entity, n);
        }
        Ok(existing)
    }

    async fn read_back(&self, _records: &[Record]) -> Result<Vec<(Entity, Value)>, FakeError> {
        Ok(Vec::new())
    }

    async fn post_drafts(&self, ids: &[String]) -> Result<usize, FakeError> {
        // The fake holds no statuses: every invoice it created counts as a draft once.
        Ok(ids.len())
    }
}

/// A journal in memory, moving records the way the SQLite journal does, and keeping every
/// transition it was asked for.
#[derive(Clone, Default)]
pub(crate) struct FakeJournal(Arc<Mutex<Book>>);

#[derive(Default)]
pub(crate) struct Book {
    entries: Vec<JournalEntry>,
    pub(crate) status: String,
    pub(crate) plan: Option<String>,
    log: Vec<(u64, &'static str)>,
}

impl FakeJournal {
    pub(crate) fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn entry(&self, index: u64) -> JournalEntry {
        self.book().entries[usize::try_from(index).unwrap_or(usize::MAX)].clone()
    }

    fn log_of(&self, index: u64) -> Vec<&'static str> {
        self.book()
            .log
            .iter()
            .filter(|(i, _)| *i == index)
            .map(|(_, t)| *t)
            .collect()
    }
}

impl RunJournal for FakeJournal {
    async fn begin(
        &self,
        _file: &str,
        _organization_id: &str,
        _total: u64,
        entries: Vec<NewEntry>,
    ) -> StoreResult<()> {
        let mut b = self.book();
        b.status = "running".to_owned();
        for e in entries {
            if b.entries.iter().any(|x| x.index == e.index) {
                continue;
            }
            let f = e.failure.unwrap_or_default();
            b.entries.push(JournalEntry {
                index: e.index,
                entity: e.entity,
                key_field: e.key_field,
                key_value: e.key_value,
                location: e.location,
                state: e.state,
                outcome: None,
                zoho_id: None,
                attempts: 0,
                interrupted: 0,
                code: f.code,
                class: f.class,
                message: (!f.message.is_empty()).then_some(f.message),
                fix: f.fix,
                deferred_until_ms: None,
                record: f.record,
            });
        }
        b.entries.sort_by_key(|e| e.index);
        Ok(())
    }

    async fn set(&self, index: u64, transition: Transition) -> StoreResult<()> {
        let mut b = self.book();
        let name = match &transition {
            Transition::Pending => "pending",
            Transition::Interrupted => "interrupted",
            Transition::InFlight => "in_flight",
            Transition::Done { .. } => "done",
            Transition::Failed(_) => "failed",
            Transition::InDoubt(_) => "in_doubt",
            Transition::Deferred { .. } => "deferred",
            _ => "other",
        };
        b.log.push((index, name));
        let Some(e) = b.entries.iter_mut().find(|e| e.index == index) else {
            return Ok(());
        };
        match transition {
            Transition::Pending => {
                e.state = RecordState::Pending;
                e.deferred_until_ms = None;
            }
            Transition::Interrupted if e.state == RecordState::InFlight => {
                e.state = RecordState::Pending;
                e.deferred_until_ms = None;
                e.interrupted = (e.interrupted + 1).min(e.attempts);
            }
            Transition::InFlight => {
                e.state = RecordState::InFlight;
                e.attempts += 1;
                e.deferred_until_ms = None;
            }
            Transition::Done { zoho_id, outcome } => {
                e.state = RecordState::Done;
                e.zoho_id = Some(zoho_id);
                e.outcome = Some(outcome);
                e.deferred_until_ms = None;
            }
            Transition::Failed(f) => {
                e.state = RecordState::Failed;
                e.code = f.code;
                e.class = f.class;
                e.message = Some(f.message);
                e.fix = f.fix;
                e.record = f.record;
                e.deferred_until_ms = None;
            }
            Transition::InDoubt(f) => {
                e.state = RecordState::InDoubt;
                e.code = f.code;
                e.class = f.class;
                e.message = Some(f.message);
            }
            Transition::Deferred { until_ms, failure } => {
                e.state = RecordState::Deferred;
                e.deferred_until_ms = Some(until_ms);
                e.code = failure.code;
                e.class = failure.class;
                e.message = Some(failure.message);
            }
            _ => {}
        }
        Ok(())
    }

    async fn entries(&self) -> StoreResult<Vec<JournalEntry>> {
        Ok(self.book().entries.clone())
    }

    async fn set_status(&self, status: &str, _detail: Option<String>) -> StoreResult<()> {
        status.clone_into(&mut self.book().status);
        Ok(())
    }

    async fn save_plan(&self, plan: String) -> StoreResult<()> {
        self.book().plan = Some(plan);
        Ok(())
    }
}

pub(crate) const CONTACTS: &str = r#"{"entity": "contact", "payload": {"contact_name": "Acme Traders", "contact_type": "customer"}}
{"entity": "contact", "payload": {"contact_name": "Bharat Stores", "contact_type": "customer"}}
{"entity": "contact", "payload": {"contact_name": "Chola Mills", "contact_type": "vendor"}}
"#;

fn parsed(text: &str) -> Parsed {
    Parsed::collect(JsonlReader::new(
        text.as_bytes(),
        "input.jsonl",
        JsonlOptions::default(),
    ))
}

fn options() -> ExecuteOptions {
    ExecuteOptions {
        defer: Duration::from_millis(2),
        server_retry: Duration::from_millis(1),
        settle: Duration::ZERO,
        read_back: false,
        exclusive: true,
        ..ExecuteOptions::default()
    }
}

async fn run_with(
    books: &FakeBooks,
    journal: &FakeJournal,
    parsed: &Parsed,
    options: ExecuteOptions,
    stop: &StopHandle,
) -> (RunResult<FakeError>, Vec<Progress>) {
    let validation = validate(
        &parsed.records,
        &parsed.report,
        &ExistingRecords::new(),
        ValidateOptions::default(),
    );
    let input = RunInput {
        records: &parsed.records,
        validation: &validation,
        unread: &[],
        file: "input.jsonl",
        fingerprint: "fp",
    };
    let mut seen = Vec::new();
    let result = execute_with(books, journal, &input, options, stop, &mut |p| {
        seen.push(p.clone());
    })
    .await
    .expect("the run starts");
    (result, seen)
}

async fn run(books: &FakeBooks, journal: &FakeJournal, parsed: &Parsed) -> RunResult<FakeError> {
    run_with(books, journal, parsed, options(), &StopHandle::new())
        .await
        .0
}

fn assert_each_made_once(books: &FakeBooks, parsed: &Parsed) {
    for r in &parsed.records {
        assert_eq!(books.made(&r.key.value), 1, "{} made once", r.key.value);
    }
}

#[tokio::test]
async fn a_clean_run_creates_each_record_once() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    let result = run(&books, &journal, &input).await;
    assert!(matches!(result.stop, Stop::Finished));
    assert_eq!(result.summary.created, 3);
    assert_each_made_once(&books, &input);
    assert_eq!(journal.book().status, "finished");
    assert_eq!(journal.log_of(0), ["in_flight", "done"]);
}

#[tokio::test]
async fn a_lost_answer_goes_in_doubt_and_is_adopted_by_lookup_not_sent_again() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    books.fault("Bharat Stores", &[Fault::LoseAnswer]);
    let result = run(&books, &journal, &input).await;
    assert!(matches!(result.stop, Stop::Finished));
    assert_eq!(journal.log_of(1), ["in_flight", "in_doubt", "done"]);
    let e = journal.entry(1);
    assert_eq!(e.outcome, Some(Outcome::Adopted));
    assert_eq!(e.attempts, 1);
    assert_eq!(books.sent("Bharat Stores"), 1, "never sent twice");
    assert_eq!((result.summary.created, result.summary.adopted), (2, 1));
    assert_each_made_once(&books, &input);
}

#[tokio::test]
async fn a_lost_request_is_looked_up_then_sent_again_once() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    books.fault("Acme Traders", &[Fault::LoseRequest]);
    let result = run(&books, &journal, &input).await;
    assert!(matches!(result.stop, Stop::Finished));
    assert_eq!(
        journal.log_of(0),
        ["in_flight", "in_doubt", "pending", "in_flight", "done"]
    );
    assert_eq!(journal.entry(0).outcome, Some(Outcome::Created));
    assert_eq!(books.sent("Acme Traders"), 2);
    assert_each_made_once(&books, &input);
}

#[tokio::test]
async fn a_duplicate_refusal_is_looked_up_and_adopted() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    // Made after the caller's listing (by another tool): the listing does not show it.
    let id = books.hold(Entity::Contact, "contact_name", "Chola Mills");
    let result = run_with(
        &books,
        &journal,
        &input,
        ExecuteOptions {
            existing: Some(ExistingRecords::new()),
            ..options()
        },
        &StopHandle::new(),
    )
    .await
    .0;
    assert!(matches!(result.stop, Stop::Finished));
    assert_eq!(journal.log_of(2), ["in_flight", "in_doubt", "done"]);
    let e = journal.entry(2);
    assert_eq!(e.outcome, Some(Outcome::Adopted));
    assert_eq!(e.zoho_id.as_deref(), Some(id.as_str()));
    assert_eq!(e.code, Some(3062), "the refusal is kept with the row");
    assert_each_made_once(&books, &input);
}

#[tokio::test]
async fn a_server_error_defers_the_record_and_the_retry_creates_it() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    books.fault("Acme Traders", &[Fault::ServerError]);
    let (result, progress) =
        run_with(&books, &journal, &input, options(), &StopHandle::new()).await;
    assert!(matches!(result.stop, Stop::Finished));
    assert_eq!(
        journal.log_of(0),
        ["in_flight", "in_doubt", "deferred", "in_flight", "done"]
    );
    assert_eq!(journal.entry(0).attempts, 2);
    assert!(
        progress.iter().any(|p| p.deferred == 1),
        "the deferral is reported"
    );
    // The others did not wait for the deferred one.
    assert_eq!(journal.log_of(1), ["in_flight", "done"]);
    assert_each_made_once(&books, &input);
}

#[tokio::test]
async fn repeated_server_errors_give_up_after_the_attempt_budget() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    books.fault("Acme Traders", &[Fault::ServerError; 3]);
    let result = run_with(
        &books,
        &journal,
        &input,
        ExecuteOptions {
            max_attempts: 3,
            ..options()
        },
        &StopHandle::new(),
    )
    .await
    .0;
    assert!(matches!(result.stop, Stop::Finished));
    let e = journal.entry(0);
    assert_eq!(e.state, RecordState::Failed);
    assert!(
        e.message
            .unwrap_or_default()
            .starts_with("gave up after 3 attempts")
    );
    assert_eq!(books.sent("Acme Traders"), 3);
    assert_eq!(books.made("Acme Traders"), 0);
    assert_eq!(result.summary.failed, 1);
}

#[tokio::test]
async fn an_interrupted_run_resumes_where_it_stopped() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    let stop = StopHandle::new();
    books.zoho().stop_after = Some((1, stop.clone()));
    let once = ExecuteOptions {
        in_flight: 1,
        ..options()
    };
    let (first, _) = run_with(&books, &journal, &input, once.clone(), &stop).await;
    assert!(matches!(first.stop, Stop::Interrupted));
    assert_eq!(journal.book().status, "interrupted");
    assert_eq!(first.summary.created, 1);
    books.zoho().stop_after = None;
    let (second, progress) = run_with(&books, &journal, &input, once, &StopHandle::new()).await;
    assert!(matches!(second.stop, Stop::Finished));
    assert_eq!(second.summary.created, 3);
    assert_eq!(progress.last().map(|p| p.settled_before), Some(1));
    for r in &input.records {
        assert_eq!(books.sent(&r.key.value), 1, "{} sent once", r.key.value);
    }
    assert_each_made_once(&books, &input);
}

#[tokio::test]
async fn a_crash_in_flight_is_adopted_when_it_landed_and_resent_uncharged_when_not() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    // A first run made its journal, then died with two creates in flight: Acme's landed,
    // Bharat's did not.
    let _ = run_with(&FakeBooks::default(), &journal, &input, options(), &{
        let s = StopHandle::new();
        s.stop();
        s
    })
    .await;
    journal.set(0, Transition::InFlight).await.expect("set");
    journal.set(1, Transition::InFlight).await.expect("set");
    books.hold(Entity::Contact, "contact_name", "Acme Traders");
    let result = run(&books, &journal, &input).await;
    assert!(matches!(result.stop, Stop::Finished));
    let acme = journal.entry(0);
    assert_eq!(acme.outcome, Some(Outcome::Adopted));
    assert_eq!(
        books.sent("Acme Traders"),
        0,
        "found by the listing, never re-sent"
    );
    let bharat = journal.entry(1);
    assert_eq!(bharat.outcome, Some(Outcome::Created));
    assert_eq!((bharat.attempts, bharat.interrupted), (2, 1));
    assert_eq!(books.sent("Bharat Stores"), 1);
    assert_each_made_once(&books, &input);
}

/// The wall clock as tokio's (paused) clock moves: the executor's deadlines and its sleeps
/// agree, and no test waits for real.
#[derive(Debug)]
struct TokioClock {
    base: std::time::SystemTime,
    start: tokio::time::Instant,
}

impl zbooks_types::Clock for TokioClock {
    fn now(&self) -> std::time::SystemTime {
        self.base + self.start.elapsed()
    }
}

/// Zoho's own waits (a 5-minute deferral, a 2 s first retry), on tokio's paused clock.
fn zoho_timed(burst: usize) -> ExecuteOptions {
    ExecuteOptions {
        clock: Arc::new(TokioClock {
            base: std::time::SystemTime::UNIX_EPOCH + Duration::from_hours(500_000),
            start: tokio::time::Instant::now(),
        }),
        defer: Duration::from_mins(5),
        server_retry: Duration::from_secs(2),
        burst,
        ..options()
    }
}

#[tokio::test(start_paused = true)]
async fn a_first_server_error_is_retried_shortly_while_the_run_goes_on() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    books.fault("Acme Traders", &[Fault::ServerError]);
    let started = tokio::time::Instant::now();
    let (result, _) = run_with(&books, &journal, &input, zoho_timed(5), &StopHandle::new()).await;
    let took = started.elapsed();
    assert!(matches!(result.stop, Stop::Finished));
    assert!(
        took >= Duration::from_secs(1) && took <= Duration::from_secs(2),
        "a jittered short retry (1–2 s), not the 5-minute deferral: {took:?}"
    );
    assert_eq!(
        journal.log_of(0),
        ["in_flight", "in_doubt", "deferred", "in_flight", "done"]
    );
    // The others went on meanwhile.
    assert_eq!(journal.log_of(1), ["in_flight", "done"]);
    assert_eq!(journal.log_of(2), ["in_flight", "done"]);
    assert_eq!(books.sent("Acme Traders"), 2);
    assert_each_made_once(&books, &input);
}

#[tokio::test(start_paused = true)]
async fn a_server_error_repeated_on_a_record_defers_it_for_minutes() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    // Two short retries (2 s, then 8 s, jittered), then the third 5xx defers for 5 minutes.
    books.fault("Acme Traders", &[Fault::ServerError; 3]);
    let started = tokio::time::Instant::now();
    let (result, progress) =
        run_with(&books, &journal, &input, zoho_timed(5), &StopHandle::new()).await;
    let took = started.elapsed();
    assert!(matches!(result.stop, Stop::Finished));
    assert!(
        took >= Duration::from_mins(5) && took <= Duration::from_mins(5) + Duration::from_secs(10),
        "the deferral after the short retries: {took:?}"
    );
    assert!(progress.iter().any(|p| matches!(
        &p.phase,
        Phase::Waiting { reason, .. } if reason.starts_with("deferred records")
    )));
    assert_eq!(books.sent("Acme Traders"), 4);
    assert_eq!(journal.entry(0).attempts, 4);
    assert_eq!(journal.log_of(1), ["in_flight", "done"]);
    assert_each_made_once(&books, &input);
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_server_errors_across_records_pauses_the_whole_run() {
    let (books, journal, input) = (
        FakeBooks::default(),
        FakeJournal::default(),
        parsed(CONTACTS),
    );
    books.fault("Acme Traders", &[Fault::ServerError]);
    books.fault("Bharat Stores", &[Fault::ServerError]);
    // One at a time: the two failures come first, Chola Mills has not gone yet.
    let burst = |burst| ExecuteOptions {
        in_flight: 1,
        ..zoho_timed(burst)
    };
    let started = tokio::time::Instant::now();
    let (result, progress) = run_with(&books, &journal, &input, burst(2), &StopHandle::new()).await;
    let took = started.elapsed();
    assert!(matches!(result.stop, Stop::Finished));
    assert!(
        took >= Duration::from_mins(5),
        "two 5xx on two records within a minute pause everything: {took:?}"
    );
    assert!(progress.iter().any(|p| matches!(
        &p.phase,
        Phase::Waiting { reason, .. } if reason.contains("burst")
    )));
    // Nothing was sent twice beyond the one retry each failure earns.
    assert_eq!(books.sent("Acme Traders"), 2);
    assert_eq!(books.sent("Bharat Stores"), 2);
    assert_eq!(books.sent("Chola Mills"), 1);
    assert_each_made_once(&books, &input);

    // The same two failures under a higher threshold: short retries only.
    let (books, journal) = (FakeBooks::default(), FakeJournal::default());
    books.fault("Acme Traders", &[Fault::ServerError]);
    books.fault("Bharat Stores", &[Fault::ServerError]);
    let started = tokio::time::Instant::now();
    let (result, _) = run_with(&books, &journal, &input, burst(3), &StopHandle::new()).await;
    assert!(matches!(result.stop, Stop::Finished));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_each_made_once(&books, &input);
}

#[test]
fn jitter_stays_between_half_and_all_of_the_base() {
    let base = Duration::from_secs(2);
    let waits: BTreeSet<Duration> = (0..50)
        .map(|i| super::jittered(base, i, 1))
        .inspect(|w| assert!(*w >= base / 2 && *w <= base, "{w:?}"))
        .collect();
    assert!(
        waits.len() > 10,
        "the records do not all come back together"
    );
    let scaled = ExecuteOptions::default().scaled_to(Duration::from_secs(3));
    assert_eq!(scaled.defer, Duration::from_secs(15));
    assert_eq!(scaled.server_retry, Duration::from_millis(100));
    assert_eq!(scaled.burst_window, Duration::from_secs(3));
}
