//! Integration tests of zbooks-import: the Tally fixtures end to end (read, map,
//! validate, plan, totals), encodings, damaged files, and the readers' properties.

mod bodies;
mod concurrency;
mod encodings;
mod executor;
mod fixtures;
mod loud;
mod opening;
mod properties;
mod token_cooldown;

use std::path::PathBuf;
use std::time::Duration;

use zbooks_client::{Client, ClientBuilder, Credentials, LimitsConfig, RetryConfig};
use zbooks_sim::{RunningSim, Sim, SimConfig};

/// A file of the vendored Tally fixtures (`crates/zbooks-import/fixtures/tally/`).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tally/")).join(name)
}

/// The bytes of a fixture.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("read fixture {name}: {e}"))
}

/// A simulator whose minute lasts `minute` (the limit stays 100 a minute).
pub async fn sim(minute: Duration, seed: u64) -> RunningSim {
    Sim::start(SimConfig {
        minute,
        seed,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts")
}

/// A client of the demo organization, paced to a simulator whose minute lasts `minute`, with
/// backoffs of milliseconds; the caller adds its store (and any token settings) and builds.
pub fn demo_client(sim: &RunningSim, minute: Duration) -> ClientBuilder {
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
        .retry(RetryConfig {
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(200),
            concurrency_backoff: Duration::from_millis(20),
            ..RetryConfig::default()
        })
}
