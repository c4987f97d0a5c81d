//! Two runs on one organization and runs cut off by a crash (issue 12, §3 and §4): a create
//! of any entity — taxes and accounts included, which Zoho does not refuse as duplicates —
//! adopts what another run created after this one listed Zoho; a create cut off by a crash
//! is not charged against the attempt budget.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::sync::Arc;
use std::time::Duration;

use zbooks_client::Client;
use zbooks_import::{
    ExecuteOptions, ExistingRecords, JsonlOptions, JsonlReader, Parsed, RunInput, RunResult, Stop,
    StopHandle, ValidateOptions, execute, fingerprint, validate,
};
use zbooks_sim::{FaultAction, FaultRule, RunningSim};
use zbooks_store::{RecordState, SqliteStore};

/// A simulator whose minute lasts a second (the limit stays 100 a minute).
async fn sim() -> RunningSim {
    crate::sim(Duration::from_secs(1), 12).await
}

/// A client of the demo organization, paced to the simulator's short minute.
fn client(sim: &RunningSim, store: Arc<SqliteStore>) -> Client {
    crate::demo_client(sim, Duration::from_secs(1))
        .store(store)
        .build()
        .expect("client builds")
}

/// Taxes, an account, a contact and a journal against the account: entities Zoho refuses
/// duplicates of and entities it does not.
const INPUT: &str = r#"{"entity": "tax", "payload": {"tax_name": "IGST18", "tax_percentage": 18, "tax_type": "tax"}}
{"entity": "tax", "payload": {"tax_name": "IGST12", "tax_percentage": 12, "tax_type": "tax"}}
{"entity": "account", "payload": {"account_name": "Tally Sales", "account_type": "income"}}
{"entity": "account", "payload": {"account_name": "Tally Cash", "account_type": "cash"}}
{"entity": "contact", "payload": {"contact_name": "Acme Traders", "contact_type": "customer"}}
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
        defer: Duration::from_millis(200),
        settle: Duration::ZERO,
        read_back: false,
        ..ExecuteOptions::default()
    }
}

async fn run(
    client: &Client,
    store: &SqliteStore,
    name: &str,
    parsed: &Parsed,
    options: ExecuteOptions,
    stop: &StopHandle,
) -> RunResult {
    let validation = validate(
        &parsed.records,
        &parsed.report,
        &ExistingRecords::new(),
        ValidateOptions::default(),
    );
    assert!(validation.report.is_clean(), "{:?}", validation.report);
    let fp = fingerprint(name.as_bytes(), "", client.organization_id().unwrap());
    let input = RunInput {
        records: &parsed.records,
        validation: &validation,
        unread: &[],
        file: name,
        fingerprint: &fp,
    };
    execute(client, store, &input, options, stop, &mut |_| {})
        .await
        .expect("the run starts")
}

/// Two runs of `input` on one organization: this one lists Zoho, then another run creates
/// everything, then this one goes on with its now stale listing. Returns the other run, the
/// simulator's count of refused duplicates between the two, and this run.
async fn race_with_a_stale_listing(
    sim: &RunningSim,
    client: &Client,
    store: &SqliteStore,
    input: &Parsed,
) -> (RunResult, u64, RunResult) {
    let stale = zbooks_import::reconcile::list_existing(
        client,
        &input.records.iter().map(|r| r.entity).collect(),
        |_, _| {},
    )
    .await
    .unwrap();
    let other = run(
        client,
        store,
        "other.jsonl",
        input,
        options(),
        &StopHandle::new(),
    )
    .await;
    let refused = sim.counters().duplicates_refused;
    let late = ExecuteOptions {
        existing: Some(stale),
        ..options()
    };
    let this = run(client, store, "this.jsonl", input, late, &StopHandle::new()).await;
    (other, refused, this)
}

fn doubled(sim: &RunningSim) -> Vec<(String, u64)> {
    sim.counters()
        .records_per_natural_key
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taxes_and_accounts_another_run_created_after_the_listing_are_adopted_not_created_twice() {
    let sim = sim().await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = client(&sim, store.clone());
    let input = parsed(INPUT);
    let seeded = sim.counters().records_per_natural_key.len();
    let (other, _, result) = race_with_a_stale_listing(&sim, &client, &store, &input).await;
    assert!(matches!(other.stop, Stop::Finished), "{:?}", other.stop);
    assert_eq!(other.summary.created, 5, "{:?}", other.summary);
    assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    assert_eq!(result.summary.created, 0, "{:?}", result.summary);
    assert_eq!(doubled(&sim), Vec::<(String, u64)>::new());
    assert_eq!(sim.counters().records_per_natural_key.len(), seeded + 5);
    sim.shutdown().await;
}

/// Records whose key Zoho keeps unique but refuses under no documented duplicate code: an
/// item's name and an invoice number of one's own (the simulator answers code 4, choices.rs).
const UNIQUE_INPUT: &str = r#"{"entity": "contact", "payload": {"contact_name": "Race Buyer", "contact_type": "customer"}}
{"entity": "item", "payload": {"name": "Race Bolt", "rate": 5}}
{"entity": "invoice", "payload": {"customer_name": "Race Buyer", "invoice_number": "RACE-1", "date": "2026-01-15", "line_items": [{"item_id": {"$ref": "item:name=Race Bolt"}, "quantity": 2, "rate": 5}]}}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_and_own_invoice_numbers_refused_without_a_duplicate_code_are_looked_up_and_adopted()
{
    let sim = sim().await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = client(&sim, store.clone());
    let input = parsed(UNIQUE_INPUT);
    let (other, refused, result) = race_with_a_stale_listing(&sim, &client, &store, &input).await;
    assert!(matches!(other.stop, Stop::Finished), "{:?}", other.stop);
    assert_eq!(other.summary.created, 3, "{:?}", other.summary);
    assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    assert_eq!(result.summary.created, 0, "{:?}", result.summary);
    assert_eq!(result.summary.adopted, 3, "{:?}", result.summary);
    // Zoho refused all three creates; each was settled by looking the record up.
    assert_eq!(sim.counters().duplicates_refused, refused + 3);
    assert_eq!(doubled(&sim), Vec::<(String, u64)>::new());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_cut_off_by_crashes_are_not_charged_against_the_attempt_budget() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path().join("s.db")).unwrap());
    let client = client(&sim, store.clone());
    let input = parsed(INPUT);
    // Seven runs, each killed once its creates are on the wire (Zoho never answers them):
    // the task is dropped, as a SIGKILL drops everything but the journal.
    sim.set_faults(vec![
        FaultRule::on("POST", "/books/v3/settings/taxes", FaultAction::Stall).every(1),
        FaultRule::on("POST", "/books/v3/chartofaccounts", FaultAction::Stall).every(1),
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::Stall).every(1),
    ]);
    let fp = fingerprint(b"crashy.jsonl", "", client.organization_id().unwrap());
    let journal = store.journal(&fp).await.unwrap();
    for round in 1..=7 {
        let killed = {
            let (client, store, input) = (client.clone(), store.clone(), parsed(INPUT));
            tokio::spawn(async move {
                run(
                    &client,
                    &store,
                    "crashy.jsonl",
                    &input,
                    options(),
                    &StopHandle::new(),
                )
                .await;
            })
        };
        let mut waited = 0;
        loop {
            let entries = journal.entries().await.unwrap_or_default();
            if entries.len() == input.records.len()
                && entries
                    .iter()
                    .all(|e| e.state == RecordState::InFlight && e.attempts == round)
            {
                break;
            }
            waited += 1;
            assert!(waited < 1000, "the creates never went out: {entries:#?}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        killed.abort();
        let _ = killed.await;
    }
    assert!(
        journal
            .entries()
            .await
            .unwrap()
            .iter()
            .all(|e| e.attempts == 7)
    );
    // Zoho now fails once on its side for the first tax: one answered attempt of five.
    sim.set_faults(vec![
        FaultRule::on(
            "POST",
            "/books/v3/settings/taxes",
            FaultAction::zoho(500, 1000, "Internal error"),
        )
        .nth(1),
    ]);
    let result = run(
        &client,
        &store,
        "crashy.jsonl",
        &input,
        options(),
        &StopHandle::new(),
    )
    .await;
    assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
    let entries = journal.entries().await.unwrap();
    let not_done: Vec<_> = entries
        .iter()
        .filter(|e| e.state != RecordState::Done)
        .collect();
    assert!(not_done.is_empty(), "{not_done:#?}");
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    assert_eq!(sim.counters().faults_fired, 1);
    assert_eq!(doubled(&sim), Vec::<(String, u64)>::new());
    sim.shutdown().await;
}
