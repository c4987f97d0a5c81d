//! Setup the import benchmarks share: a client paced to the simulator's scaled minute,
//! contacts to import, and one measured run of the executor over them.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use zbooks_client::{Client, Credentials, LimitsConfig};
use zbooks_import::problem::Report;
use zbooks_import::{
    Entity, ExecuteOptions, ExistingRecords, Location, NaturalKey, Record, RunInput, RunResult,
    StopHandle, ValidateOptions, execute, fingerprint, validate,
};
use zbooks_sim::RunningSim;
use zbooks_store::SqliteStore;

/// One measured run: what the executor said, how long it took, and the calls and 429s the
/// simulator saw meanwhile.
pub(crate) struct Measured {
    pub(crate) result: RunResult,
    pub(crate) elapsed: f64,
    pub(crate) calls: u64,
    pub(crate) served_429: u64,
}

/// Validates `records` (offline, nothing in Zoho yet) and imports them into the simulator's
/// demo organization with `options`, through a client paced to `minute` on a SQLite store in
/// `dir`, measuring the run.
pub(crate) async fn measured_import(
    sim: &RunningSim,
    dir: &Path,
    minute: Duration,
    records: &[Record],
    options: ExecuteOptions,
) -> Measured {
    let store = Arc::new(SqliteStore::open(dir.join("bench.sqlite3")).unwrap());
    let client = paced_client(sim, store.clone(), minute);
    let validation = validate(
        records,
        &Report::default(),
        &ExistingRecords::new(),
        ValidateOptions::default(),
    );
    let fp = fingerprint(b"bench", "", &sim.demo().organization_id);
    let input = RunInput {
        records,
        validation: &validation,
        unread: &[],
        file: "bench",
        fingerprint: &fp,
    };
    let before = sim.counters().requests;
    let started = Instant::now();
    let result = execute(
        &client,
        &store,
        &input,
        options,
        &StopHandle::new(),
        &mut |_| {},
    )
    .await
    .unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let counters = sim.counters();
    Measured {
        result,
        elapsed,
        calls: counters.requests - before,
        served_429: counters.throttled.values().sum(),
    }
}

/// A client of the simulator's demo organization, pacing itself to `minute`.
pub(crate) fn paced_client(sim: &RunningSim, store: Arc<SqliteStore>, minute: Duration) -> Client {
    let demo = sim.demo();
    Client::builder()
        .accounts_url(sim.accounts_url())
        .api_url(sim.api_url())
        .organization_id(&demo.organization_id)
        .plan(zbooks_types::Plan::Professional)
        .credentials(Credentials::refresh_token(
            demo.client_id,
            demo.client_secret,
            demo.refresh_token,
        ))
        .limits(LimitsConfig {
            window: minute,
            ..LimitsConfig::default()
        })
        .store(store)
        .build()
        .unwrap()
}

/// `n` customers named `<prefix> 00000`, `<prefix> 00001`, …
pub(crate) fn contacts(prefix: &str, n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let name = format!("{prefix} {i:05}");
            Record::new(
                Entity::Contact,
                NaturalKey::named(Entity::Contact, &name),
                json!({"contact_name": name, "contact_type": "customer"}),
                Location::new("bench", i as u64 + 1),
            )
        })
        .collect()
}
