//! A run that meets a throttled accounts server — another process or tool on the same refresh
//! token spent Zoho's 10 token requests of the window — stops sending, says when it asks
//! again, waits the cool-down out and finishes, whether the refusal comes at the listing or
//! at a create. Windows are scaled: the simulator's "minute" is 200 ms, so its 10-minute token
//! window lasts 2 s.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use zbooks_client::{Client, MemoryStore, TokenConfig};
use zbooks_import::{
    ExecuteOptions, ExistingRecords, Phase, Progress, RunInput, Stop, StopHandle, ValidateOptions,
    execute, fingerprint, parse_csv_bytes, validate,
};
use zbooks_sim::{RunningSim, Sim, SimConfig};
use zbooks_store::SqliteStore;

const MINUTE: Duration = Duration::from_millis(200);

fn window() -> Duration {
    MINUTE * 10
}

fn client(sim: &RunningSim, store: Arc<dyn zbooks_client::store::TokenStore>) -> Client {
    crate::demo_client(sim, MINUTE)
        .tokens(TokenConfig {
            request_window: window(),
            cooldown: window(),
            lock_poll: Duration::from_millis(10),
            ..TokenConfig::default()
        })
        .token_store(store)
        .build()
        .unwrap()
}

/// Another tool, with its own token cache, asks for tokens until the window is spent.
async fn spend_the_token_window(sim: &RunningSim) {
    let other = client(sim, Arc::new(MemoryStore::new()));
    for _ in 0..10 {
        if other.refresh_now().await.is_err() {
            break;
        }
    }
}

async fn import(
    client: &Client,
    store: &SqliteStore,
    csv: &str,
    existing: Option<ExistingRecords>,
) -> (Stop, Vec<Progress>) {
    let parsed = parse_csv_bytes(csv.as_bytes());
    let validation = validate(
        &parsed.records,
        &parsed.report,
        &ExistingRecords::new(),
        ValidateOptions::default(),
    );
    let fp = fingerprint(csv.as_bytes(), "", client.organization_id().unwrap());
    let input = RunInput {
        records: &parsed.records,
        validation: &validation,
        unread: &[],
        file: "contacts.csv",
        fingerprint: &fp,
    };
    let seen = Mutex::new(Vec::new());
    let options = ExecuteOptions {
        defer: Duration::from_millis(300),
        settle: Duration::ZERO,
        read_back: false,
        existing,
        ..ExecuteOptions::default()
    };
    let result = execute(
        client,
        store,
        &input,
        options,
        &StopHandle::new(),
        &mut |p| {
            seen.lock().unwrap().push(p.clone());
        },
    )
    .await
    .expect("the run starts");
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    (result.stop, seen.into_inner().unwrap())
}

fn waited_for_tokens(progress: &[Progress]) -> bool {
    progress.iter().any(|p| {
        matches!(&p.phase, Phase::Waiting { reason, .. }
            if reason.contains("issue tokens again") && reason.contains("asking again at"))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_token_request_is_waited_out_at_a_create_and_at_the_listing() {
    let sim = Sim::start(SimConfig {
        minute: MINUTE,
        seed: 3,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let org = sim.demo().organization_id;

    // At a create: the run lists nothing (the caller did), so its first token request is
    // the first create's.
    spend_the_token_window(&sim).await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let ours = client(&sim, store.clone());
    let csv = "Display Name,Contact Type\nAsha Traders,customer\nBina Stores,customer\n";
    let (stop, progress) = import(&ours, &store, csv, Some(ExistingRecords::new())).await;
    assert!(matches!(stop, Stop::Finished), "{stop:?}");
    assert!(waited_for_tokens(&progress), "{progress:?}");
    // The creates that met the refusal never left: only Zoho's answers count as attempts.
    let fp = fingerprint(csv.as_bytes(), "", &org);
    for entry in store.journal(&fp).await.unwrap().entries().await.unwrap() {
        assert_eq!(entry.attempts - entry.interrupted, 1, "{entry:?}");
    }
    let throttled = sim.counters().token_throttled;
    assert!(throttled >= 1, "the accounts server never refused");

    // At the listing: a new process (its own cache), the window spent again.
    spend_the_token_window(&sim).await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let ours = client(&sim, store.clone());
    let csv = "Display Name,Contact Type\nChitra Mills,customer\n";
    let (stop, progress) = import(&ours, &store, csv, None).await;
    assert!(matches!(stop, Stop::Finished), "{stop:?}");
    assert!(waited_for_tokens(&progress), "{progress:?}");
    assert!(sim.counters().token_throttled > throttled);

    let counters = sim.counters();
    for name in ["Asha Traders", "Bina Stores", "Chitra Mills"] {
        assert_eq!(
            counters
                .records_per_natural_key
                .get(&format!("{org}:contacts:contact_name={name}")),
            Some(&1),
            "{name}"
        );
    }
    assert_eq!(counters.unmatched_routes, 0, "{:?}", counters.unmatched);
}
