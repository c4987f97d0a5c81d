//! Setup the import benchmarks share: a client paced to the simulator's scaled minute, and
//! contacts to import.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use zbooks_client::{Client, Credentials, LimitsConfig};
use zbooks_import::{Entity, Location, NaturalKey, Record};
use zbooks_sim::RunningSim;
use zbooks_store::SqliteStore;

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
