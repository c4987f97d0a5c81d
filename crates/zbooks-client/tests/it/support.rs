//! Starting a simulator and a client pointed at it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use zbooks_client::events::EventSink;
use zbooks_client::{Client, ClientBuilder, Credentials, LimitsConfig, RetryConfig, TokenConfig};
use zbooks_sim::{DemoCredentials, RunningSim, Sim, SimConfig};
use zbooks_types::event::CallEvent;

/// A simulator whose minute lasts one second.
pub(crate) fn fast_config() -> SimConfig {
    SimConfig {
        minute: Duration::from_secs(1),
        ..SimConfig::default()
    }
}

pub(crate) async fn start(config: SimConfig) -> (RunningSim, DemoCredentials) {
    let sim = Sim::start(config).await.expect("simulator starts");
    let demo = sim.demo();
    (sim, demo)
}

/// Retries that wait milliseconds, not seconds.
pub(crate) fn fast_retry() -> RetryConfig {
    RetryConfig {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        concurrency_backoff: Duration::from_millis(5),
        deadline: Duration::from_secs(20),
        ..RetryConfig::default()
    }
}

/// Limits for a simulator whose minute lasts one second.
pub(crate) fn fast_limits() -> LimitsConfig {
    LimitsConfig {
        window: Duration::from_secs(1),
        ..LimitsConfig::default()
    }
}

/// Token handling scaled to a simulator minute of one second (Zoho's 10-minute windows
/// become 10 s).
pub(crate) fn fast_tokens() -> TokenConfig {
    TokenConfig {
        refresh_before: Duration::from_secs(1),
        request_window: Duration::from_secs(10),
        cooldown: Duration::from_secs(10),
        lock_poll: Duration::from_millis(10),
        ..TokenConfig::default()
    }
}

/// A client for the demo organization, as a user would configure it.
pub(crate) fn builder(sim: &RunningSim, demo: &DemoCredentials) -> ClientBuilder {
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

/// Keeps every event.
#[derive(Debug, Default)]
pub(crate) struct Recorder(pub(crate) Mutex<Vec<CallEvent>>);

impl EventSink for Recorder {
    fn record(&self, event: &CallEvent) {
        self.0.lock().unwrap().push(event.clone());
    }
}

impl Recorder {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Recorder::default())
    }

    pub(crate) fn events(&self) -> Vec<CallEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// Requests the simulator saw, as `METHOD path status code`.
pub(crate) fn log_lines(sim: &RunningSim) -> Vec<String> {
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
pub(crate) fn assert_no_unmatched(sim: &RunningSim) {
    let counters = sim.counters();
    assert_eq!(counters.unmatched_routes, 0, "{:?}", counters.unmatched);
}
