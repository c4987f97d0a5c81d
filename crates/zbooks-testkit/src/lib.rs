//! Helpers shared by the test suites (and benches) of the zbooks crates: a simulator per test,
//! on the test's runtime or on one of its own; a client of the simulator's demo organization
//! with every wait scaled down; the environment under which the `zbooks` binary talks to the
//! simulator as its demo user; an event sink that keeps what it is given; and the conformance
//! suite every store of `zbooks-client`'s traits passes ([`mod@store_conformance`]).
//!
//! A dev-dependency only; nothing shipped depends on it.
#![warn(missing_docs)]

pub mod store_conformance;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use zbooks_client::events::EventSink;
use zbooks_client::{Client, ClientBuilder, Credentials, LimitsConfig, RetryConfig, TokenConfig};
use zbooks_sim::{DemoCredentials, FaultRule, RunningSim, Scenario, Sim, SimConfig};
use zbooks_types::event::CallEvent;

/// A simulator whose minute lasts one second (the limit stays 100 a minute).
pub fn fast_sim() -> SimConfig {
    SimConfig {
        minute: Duration::from_secs(1),
        ..SimConfig::default()
    }
}

/// Starts a simulator on the current runtime, with its demo organization's credentials.
///
/// # Panics
///
/// When the simulator cannot start (no loopback port).
pub async fn start(config: SimConfig) -> (RunningSim, DemoCredentials) {
    let sim = Sim::start(config).await.expect("simulator starts");
    let demo = sim.demo();
    (sim, demo)
}

/// [`start`] of a [`fast_sim`] with these scripted faults.
pub async fn start_with_faults(faults: Vec<FaultRule>) -> (RunningSim, DemoCredentials) {
    start(SimConfig {
        scenario: Some(Scenario {
            faults,
            ..Scenario::default()
        }),
        ..fast_sim()
    })
    .await
}

/// A simulator on a runtime of its own, for tests that are not async (the CLI's, which run
/// the binary) and for load that must not share the test's scheduler. It derefs to the
/// [`RunningSim`] and shuts it down when dropped.
#[derive(Debug)]
pub struct SimThread {
    sim: Option<RunningSim>,
    runtime: tokio::runtime::Runtime,
}

impl SimThread {
    /// Starts `config` on a runtime of `workers` threads.
    ///
    /// # Panics
    ///
    /// When the runtime or the simulator cannot start.
    pub fn start(config: SimConfig, workers: usize) -> SimThread {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .expect("a runtime for the simulator");
        let sim = runtime
            .block_on(Sim::start(config))
            .expect("simulator starts");
        SimThread {
            sim: Some(sim),
            runtime,
        }
    }

    /// Runs `future` on the simulator's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

impl std::ops::Deref for SimThread {
    type Target = RunningSim;

    fn deref(&self) -> &RunningSim {
        self.sim.as_ref().expect("the simulator runs until dropped")
    }
}

impl Drop for SimThread {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.runtime.block_on(sim.shutdown());
        }
    }
}

/// Retries that wait milliseconds, not seconds.
pub fn fast_retry() -> RetryConfig {
    RetryConfig {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        concurrency_backoff: Duration::from_millis(5),
        deadline: Duration::from_secs(20),
        ..RetryConfig::default()
    }
}

/// Limits for a simulator whose minute lasts one second.
pub fn fast_limits() -> LimitsConfig {
    LimitsConfig {
        window: Duration::from_secs(1),
        ..LimitsConfig::default()
    }
}

/// Token handling scaled to a simulator minute of one second (Zoho's 10-minute windows
/// become 10 s).
pub fn fast_tokens() -> TokenConfig {
    TokenConfig {
        refresh_before: Duration::from_secs(1),
        request_window: Duration::from_secs(10),
        cooldown: Duration::from_secs(10),
        lock_poll: Duration::from_millis(10),
        ..TokenConfig::default()
    }
}

/// A client of the demo organization as a user would configure it, with every wait scaled
/// to a simulator whose minute lasts one second ([`fast_sim`]) and a fixed jitter seed.
pub fn demo_client(sim: &RunningSim, demo: &DemoCredentials) -> ClientBuilder {
    Client::builder()
        .accounts_url(sim.accounts_url())
        .api_domain(sim.api_domain())
        .organization_id(&demo.organization_id)
        .credentials(Credentials::refresh_token(
            demo.client_id.clone(),
            demo.client_secret.clone(),
            demo.refresh_token.clone(),
        ))
        .retry(fast_retry())
        .limits(fast_limits())
        .tokens(fast_tokens())
        .jitter_seed(7)
}

/// The environment of a user about to log in to the simulator with the demo client:
/// `ZBOOKS_*` for the simulator's URLs and the client's id and secret, the data directory,
/// the lock directory and an empty config file in `dir`.
///
/// # Panics
///
/// When the config file cannot be written.
pub fn cli_login_env(sim: &RunningSim, dir: &Path) -> Vec<(&'static str, String)> {
    let demo = sim.demo();
    let config = dir.join("config.toml");
    std::fs::write(&config, "").expect("an empty config file");
    vec![
        ("ZBOOKS_DATA_DIR", dir.join("data").display().to_string()),
        // The machine-wide import locks live outside the data directory (they must be shared
        // by every store); each test gets its own, never the source tree or the user's.
        ("XDG_RUNTIME_DIR", dir.join("run").display().to_string()),
        ("ZBOOKS_CONFIG", config.display().to_string()),
        ("ZBOOKS_ACCOUNTS_URL", sim.accounts_url()),
        ("ZBOOKS_API_URL", sim.api_url()),
        ("ZBOOKS_CLIENT_ID", demo.client_id),
        ("ZBOOKS_CLIENT_SECRET", demo.client_secret),
    ]
}

/// [`cli_login_env`] of a user already logged in: with the demo refresh token and
/// organization.
pub fn cli_env(sim: &RunningSim, dir: &Path) -> Vec<(&'static str, String)> {
    let demo = sim.demo();
    let mut env = cli_login_env(sim, dir);
    env.push(("ZBOOKS_REFRESH_TOKEN", demo.refresh_token));
    env.push(("ZBOOKS_ORG_ID", demo.organization_id));
    env
}

/// An event sink that keeps every event.
#[derive(Debug, Default)]
pub struct Recorder(Mutex<Vec<CallEvent>>);

impl EventSink for Recorder {
    fn record(&self, event: &CallEvent) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event.clone());
    }
}

impl Recorder {
    /// A new, empty recorder, to give to [`ClientBuilder::event_sink`].
    pub fn new() -> Arc<Self> {
        Arc::new(Recorder::default())
    }

    /// The events so far.
    pub fn events(&self) -> Vec<CallEvent> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The requests the simulator saw, as `METHOD path status code`.
pub fn log_lines(sim: &RunningSim) -> Vec<String> {
    sim.request_log()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.method,
                r.path,
                r.status,
                r.code.map_or_else(|| "-".to_owned(), |c| c.to_string())
            )
        })
        .collect()
}

/// Fails when any request went to a route the simulator does not know.
///
/// # Panics
///
/// When one did.
pub fn assert_no_unmatched(sim: &RunningSim) {
    let counters = sim.counters();
    assert_eq!(counters.unmatched_routes, 0, "{:?}", counters.unmatched);
}
