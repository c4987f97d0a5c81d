//! Ten programs calling one organization at once through the gateway: every call answered,
//! none refused by Zoho, the token refreshed once when it expires mid-run.

use std::collections::BTreeMap;

use std::sync::Arc;

use serde_json::json;
use zbooks_client::{MemoryStore, Method};
use zbooks_sim::{FaultAction, FaultRule};
use zbooks_types::event::EventKind;

use crate::support::{self, Setup};

/// `clients` programs making `calls` calls each (one create in six, the rest reads); every
/// answer's status.
async fn run(t: &Setup, clients: usize, calls: usize) -> BTreeMap<u16, usize> {
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (http, demo) = (t.http.clone(), t.demo.clone());
        let (list, create) = (t.url("/contacts"), t.url("/contacts"));
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..calls {
                let request = if i % 6 == 0 {
                    http.post(&create)
                        .json(&json!({"contact_name": format!("Load {c}-{i}")}))
                } else {
                    http.get(&list).query(&[("per_page", "10")])
                };
                // What a program written for Zoho sends: its own token, which the gateway drops.
                let request = request.header("Authorization", "Zoho-oauthtoken not-a-real-token");
                statuses.push(support::send(&demo, request).await.status);
            }
            statuses
        }));
    }
    let mut by_status = BTreeMap::new();
    for task in tasks {
        for status in task.await.expect("a client") {
            *by_status.entry(status).or_default() += 1;
        }
    }
    by_status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_clients_600_calls_every_one_answered_and_no_429_from_zoho() {
    let t = support::start(Vec::new(), |_| {}).await;
    let by_status = run(&t, 10, 60).await;
    assert_eq!(by_status.values().sum::<usize>(), 600);
    assert_eq!(
        by_status,
        BTreeMap::from([(200, 500), (201, 100)]),
        "every call answered with success"
    );
    let counters = t.sim.counters();
    assert!(
        counters.throttled.is_empty(),
        "Zoho refused: {:?}",
        counters.throttled
    );
    assert!(
        !counters.by_status.contains_key(&429),
        "{:?}",
        counters.by_status
    );
    assert_eq!(counters.token_requests, 1, "one token for the whole run");
    assert_eq!(counters.duplicates_refused, 0);
    assert!(counters.records_per_natural_key.values().all(|n| *n == 1));
    // Every call reached Zoho once (plus the plan read) and is an event of the log's schema.
    let attempts: Vec<_> = t
        .events
        .events()
        .into_iter()
        .filter(|e| e.kind == EventKind::Attempt && e.path.starts_with("/books/v3/contacts"))
        .collect();
    assert_eq!(attempts.len(), 600);
    assert!(
        attempts
            .iter()
            .all(|e| e.organization_id.as_deref() == Some(t.demo.organization_id.as_str()))
    );
    // No event carries a secret.
    for event in t.events.events() {
        support::assert_no_secret(&t.demo, &serde_json::to_string(&event).expect("JSON"));
    }
    zbooks_testkit::assert_no_unmatched(&t.sim);
    assert!(t.alerts.all().is_empty(), "{:?}", t.alerts.all());
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_is_shared_with_other_zbooks_clients_on_the_same_store() {
    // The gateway's client and another zbooks client (an import, say) share one store: their
    // calls together stay inside the organization's limit.
    let store = Arc::new(MemoryStore::new());
    let shared = store.clone();
    let t = support::start_with(Vec::new(), |_| {}, move |b| b.store(shared)).await;
    let other = zbooks_testkit::demo_client(&t.sim, &t.demo)
        .limits(t.limits)
        .store(store)
        .build()
        .expect("another client");
    let beside = tokio::spawn(async move {
        let mut ok = 0;
        for _ in 0..150 {
            if other.request(Method::GET, "/items").send().await.is_ok() {
                ok += 1;
            }
        }
        ok
    });
    let by_status = run(&t, 10, 15).await;
    assert_eq!(by_status, BTreeMap::from([(200, 120), (201, 30)]));
    assert_eq!(beside.await.expect("the other client"), 150);
    let counters = t.sim.counters();
    assert!(
        counters.throttled.is_empty(),
        "Zoho refused: {:?}",
        counters.throttled
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expiring_mid_run_is_refreshed_once() {
    // The 100th read expires the token it carries: every call holding it then fails with 57.
    let expire = FaultRule::on("GET", "/books/v3/contacts", FaultAction::ExpireToken).nth(100);
    let t = support::start(vec![expire], |_| {}).await;
    let by_status = run(&t, 10, 24).await;
    assert_eq!(by_status, BTreeMap::from([(200, 200), (201, 40)]));
    let counters = t.sim.counters();
    assert_eq!(counters.faults_fired, 1);
    assert_eq!(
        counters.token_requests, 2,
        "the first token and one refresh"
    );
    assert_eq!(t.client.token_requests(), 2);
    assert!(counters.throttled.is_empty(), "{:?}", counters.throttled);
    t.stop().await;
}
