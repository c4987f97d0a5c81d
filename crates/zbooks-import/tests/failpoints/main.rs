//! Crash safety proven point by point (issue 14 §4): for every name in
//! [`zbooks_import::failpoints::FAILPOINTS`], an import is killed there — against the real
//! simulator on `127.0.0.1:0` and the real SQLite journal in a temporary directory — then a new
//! run resumes it, and the test shows nothing lost and nothing doubled: every input record is in
//! Zoho exactly once (by natural key), the journal ends with every record done and naming the
//! record Zoho holds (or failed, where Zoho refused it for good before the kill, and then absent
//! from Zoho), and Zoho's totals agree with the input's.
//!
//! A kill is a failpoint callback marking the run dead: from that instant, no call of the run
//! reaches the simulator or the journal (each call of [`Dying`] checks before and after, so an
//! answer that arrives after the kill is never heard either) and the run's future is dropped,
//! as a SIGKILL leaves a process. One create at a time (`in_flight: 1`), so no other request is
//! on the wire at the kill and none can land after the resumed run listed Zoho.
//!
//! Its own test binary: the failpoint registry is global to the process, so no other test may
//! run the executor while a point is armed; [`FailScenario`] serializes the tests here.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use fail::FailScenario;
use serde_json::Value;
use tokio::sync::Notify;
use zbooks_client::store::StoreResult;
use zbooks_client::{Client, TokenConfig};
use zbooks_import::failpoints::{self as fp, FAILPOINTS};
use zbooks_import::totals::Scope;
use zbooks_import::{
    Body, Books, Entity, Event, ExecuteOptions, ExistingRecords, Import, Prepared, Record,
    RunJournal, Settings, Source, Stop,
};
use zbooks_sim::{FaultAction, FaultRule, RunningSim};
use zbooks_store::{Journal, JournalEntry, NewEntry, RecordState, SqliteStore, Transition};

/// Two accounts (Zoho would take a second one of each: only the executor keeps them single),
/// a contact, an item and an invoice of them (Zoho refuses a second one of each), created in
/// this order, one at a time.
const INPUT: &str = r#"{"entity": "account", "payload": {"account_name": "FP Sales", "account_type": "income"}}
{"entity": "account", "payload": {"account_name": "FP Cash", "account_type": "cash"}}
{"entity": "contact", "payload": {"contact_name": "FP Buyer", "contact_type": "customer"}}
{"entity": "item", "payload": {"name": "FP Bolt", "rate": 5}}
{"entity": "invoice", "payload": {"customer_name": "FP Buyer", "invoice_number": "FP-1", "date": "2026-01-15", "line_items": [{"item_id": {"$ref": "item:name=FP Bolt"}, "quantity": 3, "rate": 5}]}}
"#;

/// A run killed at a failpoint: the name, and which time the run passes it (from 1).
type Kill = (&'static str, u32);

/// How one failpoint is proven.
struct Case {
    /// The runs killed before the one that finishes, in order: each kill's point and hit.
    /// The case's own point is the last (earlier kills leave the journal it needs).
    kills: &'static [Kill],
    /// Faults the simulator scripts for the killed runs (cleared for the last run).
    faults: fn() -> Vec<FaultRule>,
    /// A point at which the first killed run is asked to stop (a Ctrl-C), so that it ends
    /// `interrupted` rather than `finished`.
    stop_on: Option<Kill>,
    /// Natural key values of the records that end failed (Zoho refused them for good
    /// before the kill): absent from Zoho, `failed` in the journal.
    failed: &'static [&'static str],
}

/// Where accounts are created, listed and looked up.
const ACCOUNTS: &str = "/books/v3/chartofaccounts";

fn no_faults() -> Vec<FaultRule> {
    Vec::new()
}

/// The second account's create lands but its answer is lost (a reset after the handler ran).
/// Zoho would take a second one: only the executor's lookup keeps it single.
fn lost_answer() -> Vec<FaultRule> {
    vec![FaultRule::on("POST", ACCOUNTS, FaultAction::ResetAfter).nth(2)]
}

/// The second account's create does not land and its caller cannot know (a reset before the
/// handler ran).
fn cut_before() -> Vec<FaultRule> {
    vec![FaultRule::on("POST", ACCOUNTS, FaultAction::ResetBefore).nth(2)]
}

/// The second account's answer is lost, and the lookup that would settle it is refused (the
/// second GET of accounts; the first is the run's listing): it is deferred, to be looked up
/// again before anything is sent.
fn lost_answer_then_failed_lookup() -> Vec<FaultRule> {
    vec![
        FaultRule::on("POST", ACCOUNTS, FaultAction::ResetAfter).nth(2),
        FaultRule::on(
            "GET",
            ACCOUNTS,
            FaultAction::zoho(400, 2, "Invalid value passed for account_name"),
        )
        .nth(2),
    ]
}

/// Zoho fails on its side on the second account's create.
fn server_error() -> Vec<FaultRule> {
    vec![
        FaultRule::on(
            "POST",
            ACCOUNTS,
            FaultAction::zoho(500, 1000, "Internal error"),
        )
        .nth(2),
    ]
}

/// Zoho refuses the first account for good.
fn refused() -> Vec<FaultRule> {
    vec![
        FaultRule::on(
            "POST",
            ACCOUNTS,
            FaultAction::zoho(400, 2, "Invalid value passed for account_type"),
        )
        .nth(1),
    ]
}

/// Zoho refuses the contact for good: the invoice to it is never sent.
fn refused_contact() -> Vec<FaultRule> {
    vec![
        FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::zoho(400, 2, "Invalid value passed for contact_type"),
        )
        .nth(1),
    ]
}

/// Zoho answers the second account's create with no id (and does not make it).
fn no_id() -> Vec<FaultRule> {
    vec![
        FaultRule::on(
            "POST",
            ACCOUNTS,
            FaultAction::Status {
                status: 201,
                body: Some(
                    serde_json::json!({"code": 0, "message": "The account has been created."}),
                ),
                code: None,
                message: None,
            },
        )
        .nth(2),
    ]
}

/// The second account's create finds its token expired, and the accounts server refuses the
/// new one ("Access Denied" with HTTP 200: another tool spent the window). The first token
/// request is the run's first; the refresh is the second.
fn token_refused() -> Vec<FaultRule> {
    vec![
        FaultRule::on("POST", ACCOUNTS, FaultAction::ExpireToken).nth(2),
        FaultRule::on(
            "POST",
            "/oauth/v2/token",
            FaultAction::Status {
                status: 200,
                body: Some(serde_json::json!({
                    "error_description": "You have made too many requests continuously. Please try again after some time.",
                    "error": "Access Denied",
                    "status": "failure",
                })),
                code: None,
                message: None,
            },
        )
        .nth(2),
    ]
}

/// Every failpoint's case. The hit is chosen so that records are done before the kill and
/// pending after it; a point reached only on a resumed run is armed on the second run, after
/// a first kill that leaves the rows it settles.
fn case(name: &str) -> Option<Case> {
    let plain = |kills| Case {
        kills,
        faults: no_faults,
        stop_on: None,
        failed: &[],
    };
    Some(match name {
        // The second account landed, its answer lost: the next run lists it and adopts it.
        fp::LISTING_BEFORE_PLAN => {
            plain(&[(fp::CREATE_AFTER_SEND, 2), (fp::LISTING_BEFORE_PLAN, 1)])
        }
        fp::BEGIN_AFTER_WRITE => plain(&[(fp::CREATE_AFTER_SEND, 2), (fp::BEGIN_AFTER_WRITE, 1)]),
        fp::RESUME_AFTER_LISTING => {
            plain(&[(fp::CREATE_AFTER_SEND, 2), (fp::RESUME_AFTER_LISTING, 1)])
        }
        fp::RESUME_BEFORE_ADOPT => {
            plain(&[(fp::CREATE_AFTER_SEND, 2), (fp::RESUME_BEFORE_ADOPT, 1)])
        }
        fp::RESUME_AFTER_ADOPT => plain(&[(fp::CREATE_AFTER_SEND, 2), (fp::RESUME_AFTER_ADOPT, 1)]),
        // The second account's intent written, its create never sent: the next run finds it
        // absent.
        fp::RESUME_BEFORE_INTERRUPTED => plain(&[
            (fp::INTENT_AFTER_WRITE, 2),
            (fp::RESUME_BEFORE_INTERRUPTED, 1),
        ]),
        fp::RESUME_AFTER_INTERRUPTED => plain(&[
            (fp::INTENT_AFTER_WRITE, 2),
            (fp::RESUME_AFTER_INTERRUPTED, 1),
        ]),
        // The second account in doubt and not in Zoho: the next run sends it again.
        fp::RESUME_BEFORE_PENDING => Case {
            kills: &[
                (fp::IN_DOUBT_AFTER_WRITE, 1),
                (fp::RESUME_BEFORE_PENDING, 1),
            ],
            faults: cut_before,
            stop_on: None,
            failed: &[],
        },
        fp::RESUME_AFTER_PENDING => Case {
            kills: &[(fp::IN_DOUBT_AFTER_WRITE, 1), (fp::RESUME_AFTER_PENDING, 1)],
            faults: cut_before,
            stop_on: None,
            failed: &[],
        },
        // The second account's lookup before it is sent again.
        fp::LOOKUP_BEFORE_CALL => Case {
            kills: &[(fp::LOOKUP_BEFORE_CALL, 1)],
            faults: lost_answer_then_failed_lookup,
            stop_on: None,
            failed: &[],
        },
        fp::LOOKUP_FOUND_BEFORE_WRITE => Case {
            kills: &[(fp::LOOKUP_FOUND_BEFORE_WRITE, 1)],
            faults: lost_answer_then_failed_lookup,
            stop_on: None,
            failed: &[],
        },
        fp::LOOKUP_FAILED_BEFORE_WRITE => Case {
            kills: &[(fp::LOOKUP_FAILED_BEFORE_WRITE, 1)],
            faults: lost_answer_then_failed_lookup,
            stop_on: None,
            failed: &[],
        },
        fp::LOOKUP_FAILED_AFTER_WRITE => Case {
            kills: &[(fp::LOOKUP_FAILED_AFTER_WRITE, 1)],
            faults: lost_answer_then_failed_lookup,
            stop_on: None,
            failed: &[],
        },
        // The second account's create, at each step.
        fp::INTENT_BEFORE_WRITE => plain(&[(fp::INTENT_BEFORE_WRITE, 2)]),
        fp::INTENT_AFTER_WRITE => plain(&[(fp::INTENT_AFTER_WRITE, 2)]),
        fp::CREATE_BEFORE_SEND => plain(&[(fp::CREATE_BEFORE_SEND, 2)]),
        fp::CREATE_AFTER_SEND => plain(&[(fp::CREATE_AFTER_SEND, 2)]),
        fp::CREATE_ANSWERED => plain(&[(fp::CREATE_ANSWERED, 2)]),
        fp::DONE_AFTER_WRITE => plain(&[(fp::DONE_AFTER_WRITE, 2)]),
        fp::NO_ID_BEFORE_WRITE => Case {
            kills: &[(fp::NO_ID_BEFORE_WRITE, 1)],
            faults: no_id,
            stop_on: None,
            failed: &[],
        },
        fp::NO_ID_AFTER_WRITE => Case {
            kills: &[(fp::NO_ID_AFTER_WRITE, 1)],
            faults: no_id,
            stop_on: None,
            failed: &[],
        },
        fp::COOLDOWN_BEFORE_WRITE => Case {
            kills: &[(fp::COOLDOWN_BEFORE_WRITE, 1)],
            faults: token_refused,
            stop_on: None,
            failed: &[],
        },
        fp::COOLDOWN_AFTER_WRITE => Case {
            kills: &[(fp::COOLDOWN_AFTER_WRITE, 1)],
            faults: token_refused,
            stop_on: None,
            failed: &[],
        },
        fp::IN_DOUBT_BEFORE_WRITE => Case {
            kills: &[(fp::IN_DOUBT_BEFORE_WRITE, 1)],
            faults: lost_answer,
            stop_on: None,
            failed: &[],
        },
        fp::IN_DOUBT_AFTER_WRITE => Case {
            kills: &[(fp::IN_DOUBT_AFTER_WRITE, 1)],
            faults: lost_answer,
            stop_on: None,
            failed: &[],
        },
        fp::IN_DOUBT_FOUND_BEFORE_WRITE => Case {
            kills: &[(fp::IN_DOUBT_FOUND_BEFORE_WRITE, 1)],
            faults: lost_answer,
            stop_on: None,
            failed: &[],
        },
        fp::PENDING_BEFORE_WRITE => Case {
            kills: &[(fp::PENDING_BEFORE_WRITE, 1)],
            faults: cut_before,
            stop_on: None,
            failed: &[],
        },
        fp::PENDING_AFTER_WRITE => Case {
            kills: &[(fp::PENDING_AFTER_WRITE, 1)],
            faults: cut_before,
            stop_on: None,
            failed: &[],
        },
        fp::DEFER_BEFORE_WRITE => Case {
            kills: &[(fp::DEFER_BEFORE_WRITE, 1)],
            faults: server_error,
            stop_on: None,
            failed: &[],
        },
        fp::DEFER_AFTER_WRITE => Case {
            kills: &[(fp::DEFER_AFTER_WRITE, 1)],
            faults: server_error,
            stop_on: None,
            failed: &[],
        },
        // Killed before the refusal is journaled, the account is sent again and made.
        fp::FAILED_BEFORE_WRITE => Case {
            kills: &[(fp::FAILED_BEFORE_WRITE, 1)],
            faults: refused,
            stop_on: None,
            failed: &[],
        },
        // Killed after: the refusal stands, and the account is never sent again.
        fp::FAILED_AFTER_WRITE => Case {
            kills: &[(fp::FAILED_AFTER_WRITE, 1)],
            faults: refused,
            stop_on: None,
            failed: &["FP Sales"],
        },
        // The invoice fails with the contact it is to.
        fp::DEPENDENCY_FAILED_BEFORE_WRITE => Case {
            kills: &[(fp::DEPENDENCY_FAILED_BEFORE_WRITE, 1)],
            faults: refused_contact,
            stop_on: None,
            failed: &["FP Buyer", "FP-1"],
        },
        fp::DEPENDENCY_FAILED_AFTER_WRITE => Case {
            kills: &[(fp::DEPENDENCY_FAILED_AFTER_WRITE, 1)],
            faults: refused_contact,
            stop_on: None,
            failed: &["FP Buyer", "FP-1"],
        },
        // Twice: a run asked to stop after two records (its status `interrupted`), then the
        // run resuming it (`finished`).
        fp::STATUS_BEFORE_WRITE => Case {
            kills: &[(fp::STATUS_BEFORE_WRITE, 1), (fp::STATUS_BEFORE_WRITE, 1)],
            faults: no_faults,
            stop_on: Some((fp::DONE_AFTER_WRITE, 2)),
            failed: &[],
        },
        fp::STATUS_AFTER_WRITE => Case {
            kills: &[(fp::STATUS_AFTER_WRITE, 1), (fp::STATUS_AFTER_WRITE, 1)],
            faults: no_faults,
            stop_on: Some((fp::DONE_AFTER_WRITE, 2)),
            failed: &[],
        },
        fp::PLAN_BEFORE_SAVE => plain(&[(fp::PLAN_BEFORE_SAVE, 1)]),
        _ => return None,
    })
}

/// Whether the run was killed: once it is, every call waits forever.
#[derive(Clone, Debug, Default)]
struct Crash {
    inner: Arc<(AtomicBool, Notify)>,
}

impl Crash {
    fn kill(&self) {
        self.inner.0.store(true, Ordering::SeqCst);
        self.inner.1.notify_waiters();
    }

    fn is_dead(&self) -> bool {
        self.inner.0.load(Ordering::SeqCst)
    }

    /// Returns once the run is killed.
    async fn dead(&self) {
        loop {
            let notified = self.inner.1.notified();
            if self.is_dead() {
                return;
            }
            notified.await;
        }
    }

    /// Returns while the run lives; never once it is killed (a dead process neither calls
    /// nor hears an answer).
    async fn alive(&self) {
        if self.is_dead() {
            std::future::pending::<()>().await;
        }
    }
}

/// A Books side or a journal that stops dead when the run is killed.
#[derive(Clone, Debug)]
struct Dying<T> {
    inner: T,
    crash: Crash,
}

impl Books for Dying<Client> {
    type Error = zbooks_client::Error;

    fn organization_id(&self) -> String {
        Books::organization_id(&self.inner)
    }

    async fn create(&self, record: &Record, body: &Body) -> Result<Option<String>, Self::Error> {
        self.crash.alive().await;
        let answer = Books::create(&self.inner, record, body).await;
        self.crash.alive().await;
        answer
    }

    async fn lookup(&self, record: &Record) -> Result<Option<String>, Self::Error> {
        self.crash.alive().await;
        let answer = Books::lookup(&self.inner, record).await;
        self.crash.alive().await;
        answer
    }

    async fn list(
        &self,
        entities: &BTreeSet<Entity>,
        on_listed: &mut (dyn FnMut(Entity, u64) + Send),
    ) -> Result<ExistingRecords, Self::Error> {
        self.crash.alive().await;
        let answer = Books::list(&self.inner, entities, on_listed).await;
        self.crash.alive().await;
        answer
    }

    async fn read_back(&self, records: &[Record]) -> Result<Vec<(Entity, Value)>, Self::Error> {
        self.crash.alive().await;
        let answer = Books::read_back(&self.inner, records).await;
        self.crash.alive().await;
        answer
    }

    async fn post_drafts(&self, ids: &[String]) -> Result<usize, Self::Error> {
        self.crash.alive().await;
        let answer = Books::post_drafts(&self.inner, ids).await;
        self.crash.alive().await;
        answer
    }
}

impl RunJournal for Dying<Journal> {
    async fn begin(
        &self,
        file: &str,
        organization_id: &str,
        total: u64,
        entries: Vec<NewEntry>,
    ) -> StoreResult<()> {
        self.crash.alive().await;
        RunJournal::begin(&self.inner, file, organization_id, total, entries).await
    }

    async fn set(&self, index: u64, transition: Transition) -> StoreResult<()> {
        self.crash.alive().await;
        RunJournal::set(&self.inner, index, transition).await
    }

    async fn entries(&self) -> StoreResult<Vec<JournalEntry>> {
        self.crash.alive().await;
        RunJournal::entries(&self.inner).await
    }

    async fn set_status(&self, status: &str, detail: Option<String>) -> StoreResult<()> {
        self.crash.alive().await;
        RunJournal::set_status(&self.inner, status, detail).await
    }

    async fn save_plan(&self, plan: String) -> StoreResult<()> {
        self.crash.alive().await;
        RunJournal::save_plan(&self.inner, plan).await
    }
}

fn settings() -> Settings {
    Settings {
        execute: ExecuteOptions {
            in_flight: 1,
            // Short, not zero: a run resuming rows left in flight or in doubt waits, then
            // lists Zoho again, as the CLI's does (its default is 10 s).
            settle: Duration::from_millis(20),
            defer: Duration::from_millis(150),
            server_retry: Duration::from_millis(10),
            burst_window: Duration::from_millis(150),
            // As the CLI runs: it holds the organization's import lease, so the listing is
            // every record's lookup (nothing but this run creates meanwhile).
            exclusive: true,
            ..ExecuteOptions::default()
        },
        ..Settings::default()
    }
}

/// A new process: a store handle on the journal file, a client of the demo organization on
/// it, the input prepared again and its journal opened.
async fn start(sim: &RunningSim, path: &Path) -> (Client, Journal, Prepared) {
    let store = Arc::new(SqliteStore::open(path).unwrap());
    let demo = sim.demo();
    let client = zbooks_testkit::demo_client(sim, &demo)
        .tokens(TokenConfig {
            // A refused token request is waited out in a blink.
            cooldown: Duration::from_millis(200),
            ..zbooks_testkit::fast_tokens()
        })
        .store(store.clone())
        .build()
        .unwrap();
    let prepared = Import::prepare(Source::bytes("failpoints.jsonl", INPUT), settings()).unwrap();
    let org = client.organization_id().unwrap().to_owned();
    let journal = store.journal(&prepared.fingerprint(&org)).await.unwrap();
    (client, journal, prepared)
}

/// Runs the import with `point` armed to kill it on its `hit`-th pass (and asked to stop at
/// `stop_on`); panics unless it was killed there.
async fn killed_run(sim: &RunningSim, path: &Path, (point, hit): Kill, stop_on: Option<Kill>) {
    let (client, journal, prepared) = start(sim, path).await;
    if let Some((at, on)) = stop_on {
        let stop = prepared.stop_handle();
        let passes = AtomicU32::new(0);
        fail::cfg_callback(at, move || {
            if passes.fetch_add(1, Ordering::SeqCst) + 1 == on {
                stop.stop();
            }
        })
        .unwrap();
    }
    let crash = Crash::default();
    let passes = Arc::new(AtomicU32::new(0));
    {
        let (crash, passes) = (crash.clone(), passes.clone());
        fail::cfg_callback(point, move || {
            if passes.fetch_add(1, Ordering::SeqCst) + 1 == hit {
                crash.kill();
            }
        })
        .unwrap();
    }
    let books = Dying {
        inner: client,
        crash: crash.clone(),
    };
    let journal = Dying {
        inner: journal,
        crash: crash.clone(),
    };
    let mut observer = |_: Event<'_>| {};
    let run = prepared.run(&books, &journal, &mut observer);
    let ended = tokio::select! {
        biased;
        () = crash.dead() => None,
        ended = run => Some(ended),
    };
    fail::remove(point);
    if let Some((at, _)) = stop_on {
        fail::remove(at);
    }
    if stop_on.is_some() && point == fp::STATUS_AFTER_WRITE {
        // Killed just after it wrote that it was interrupted.
        let runs = SqliteStore::open(path)
            .unwrap()
            .journal_runs()
            .await
            .unwrap();
        assert_eq!(runs[0].status, "interrupted", "{runs:#?}");
    }
    assert!(
        ended.is_none(),
        "{point} (pass {hit}) never killed the run; passed {} times; it ended {ended:?}",
        passes.load(Ordering::SeqCst)
    );
}

/// Kills the import at each of the case's points in turn, resumes it with a new run, and
/// shows nothing lost and nothing doubled.
async fn prove(name: &str) {
    let case = case(name).unwrap_or_else(|| panic!("failpoint {name} has no case"));
    assert_eq!(case.kills.last().map(|k| k.0), Some(name), "{name}");
    let sim = zbooks_testkit::start(zbooks_testkit::fast_sim()).await.0;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zbooks.db");
    sim.set_faults((case.faults)());
    for (n, kill) in case.kills.iter().enumerate() {
        killed_run(&sim, &path, *kill, case.stop_on.filter(|_| n == 0)).await;
    }
    sim.set_faults(Vec::new());

    // The resumed run: a new process on the same journal file and the same Zoho.
    let (client, journal, prepared) = start(&sim, &path).await;
    let outcome = prepared
        .run(&client, &journal, &mut |_: Event<'_>| {})
        .await
        .unwrap_or_else(|e| panic!("{name}: the resumed run failed: {e}"));
    let entries = journal.entries().await.unwrap();
    assert!(
        matches!(outcome.run.stop, Stop::Finished),
        "{name}: {:?}\n{entries:#?}",
        outcome.run.stop
    );

    // Every record in Zoho exactly once (none missing, none doubled), or failed as refused.
    let records = &prepared.parsed().records;
    let counters = sim.counters();
    let org = client.organization_id().unwrap().to_owned();
    for (record, entry) in records.iter().zip(&entries) {
        let suffix = format!(":{}={}", record.key.field, record.key.value);
        let in_zoho: u64 = counters
            .records_per_natural_key
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("{org}:")) && k.ends_with(&suffix))
            .map(|(_, n)| *n)
            .sum();
        let refused = case.failed.contains(&record.key.value.as_str());
        let (expected, state) = if refused {
            (0, RecordState::Failed)
        } else {
            (1, RecordState::Done)
        };
        assert_eq!(in_zoho, expected, "{name}: {} in zoho", record.key);
        assert_eq!(entry.state, state, "{name}: {entry:#?}");
        // The journal names the record Zoho holds.
        let found = Books::lookup(&client, record).await.unwrap();
        assert_eq!(entry.zoho_id, found, "{name}: {}", record.key);
    }
    assert_eq!(counters.unmatched_routes, 0, "{:?}", counters.unmatched);

    // The journal's totals and Zoho's agree with the input's.
    let s = &outcome.run.summary;
    let failed = case.failed.len() as u64;
    assert_eq!(s.total, records.len() as u64, "{name}: {s:?}");
    assert_eq!(s.left, 0, "{name}: {s:?}");
    assert_eq!(s.failed, failed, "{name}: {s:?}");
    assert_eq!(
        s.created + s.adopted + s.present,
        s.total - failed,
        "{name}: {s:?}"
    );
    let recon = outcome.run.reconciliation.as_ref().unwrap();
    let invoice = records.iter().find(|r| r.amounts.is_some()).unwrap();
    let line = recon
        .lines
        .iter()
        .find(|l| matches!(&l.scope, Scope::Record { key } if *key == invoice.key))
        .unwrap_or_else(|| panic!("{name}: the invoice is not ticked off: {recon:#?}"));
    if case.failed.contains(&invoice.key.value.as_str()) {
        // Refused with its contact: missing in Zoho, and the report says so.
        assert_eq!(line.zoho.count, 0, "{name}: {line:#?}");
    } else {
        let bad: Vec<_> = recon.disagreements().collect();
        assert!(bad.is_empty(), "{name}: {bad:#?}");
    }
    sim.shutdown().await;
}

/// Runs one failpoint's proof on a runtime of its own, the failpoint registry held.
fn run_case(name: &str) {
    let _scenario = FailScenario::setup();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(prove(name));
}

/// One test per failpoint, named after it.
macro_rules! failpoint_tests {
    ($($test:ident => $point:ident,)*) => {
        $(
            #[test]
            fn $test() {
                run_case(fp::$point);
            }
        )*

        /// The failpoints that have a test above.
        const TESTED: &[&str] = &[$(fp::$point),*];
    };
}

failpoint_tests! {
    listing_before_plan => LISTING_BEFORE_PLAN,
    begin_after_write => BEGIN_AFTER_WRITE,
    resume_after_listing => RESUME_AFTER_LISTING,
    resume_before_adopt => RESUME_BEFORE_ADOPT,
    resume_after_adopt => RESUME_AFTER_ADOPT,
    resume_before_interrupted => RESUME_BEFORE_INTERRUPTED,
    resume_after_interrupted => RESUME_AFTER_INTERRUPTED,
    resume_before_pending => RESUME_BEFORE_PENDING,
    resume_after_pending => RESUME_AFTER_PENDING,
    lookup_before_call => LOOKUP_BEFORE_CALL,
    lookup_found_before_write => LOOKUP_FOUND_BEFORE_WRITE,
    lookup_failed_before_write => LOOKUP_FAILED_BEFORE_WRITE,
    lookup_failed_after_write => LOOKUP_FAILED_AFTER_WRITE,
    intent_before_write => INTENT_BEFORE_WRITE,
    intent_after_write => INTENT_AFTER_WRITE,
    create_before_send => CREATE_BEFORE_SEND,
    create_after_send => CREATE_AFTER_SEND,
    create_answered => CREATE_ANSWERED,
    done_after_write => DONE_AFTER_WRITE,
    no_id_before_write => NO_ID_BEFORE_WRITE,
    no_id_after_write => NO_ID_AFTER_WRITE,
    cooldown_before_write => COOLDOWN_BEFORE_WRITE,
    cooldown_after_write => COOLDOWN_AFTER_WRITE,
    in_doubt_before_write => IN_DOUBT_BEFORE_WRITE,
    in_doubt_after_write => IN_DOUBT_AFTER_WRITE,
    in_doubt_found_before_write => IN_DOUBT_FOUND_BEFORE_WRITE,
    pending_before_write => PENDING_BEFORE_WRITE,
    pending_after_write => PENDING_AFTER_WRITE,
    defer_before_write => DEFER_BEFORE_WRITE,
    defer_after_write => DEFER_AFTER_WRITE,
    failed_before_write => FAILED_BEFORE_WRITE,
    failed_after_write => FAILED_AFTER_WRITE,
    dependency_failed_before_write => DEPENDENCY_FAILED_BEFORE_WRITE,
    dependency_failed_after_write => DEPENDENCY_FAILED_AFTER_WRITE,
    status_before_write => STATUS_BEFORE_WRITE,
    status_after_write => STATUS_AFTER_WRITE,
    plan_before_save => PLAN_BEFORE_SAVE,
}

/// Every failpoint has a case and a test of its own; a point added to the list without one
/// fails here.
#[test]
fn every_failpoint_has_a_case_and_a_test() {
    let untested: Vec<_> = FAILPOINTS
        .iter()
        .filter(|name| case(name).is_none() || !TESTED.contains(name))
        .collect();
    assert!(
        untested.is_empty(),
        "failpoints without a test: {untested:?}"
    );
    let unknown: Vec<_> = TESTED.iter().filter(|t| !FAILPOINTS.contains(t)).collect();
    assert!(unknown.is_empty(), "tests of no failpoint: {unknown:?}");
}
