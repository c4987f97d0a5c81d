//! A Zoho Books simulator that behaves like the real one, limits and faults included, so every
//! zbooks promise can be tested without a Zoho account.
//!
//! It plays Zoho's accounts server (`/oauth/v2/token`), the Books API (`/books/v3`, also the
//! legacy `/api/v3`) for several organizations on several data centers, the per-organization
//! limits, and scripted faults down to a connection reset after a create committed; a control
//! API (`/__sim/`) and [`RunningSim`]'s methods reset it, script it and read what it saw.
//! Start one per test on `127.0.0.1:0`:
//!
//! ```no_run
//! # async fn demo() -> Result<(), zbooks_sim::SimError> {
//! let sim = zbooks_sim::Sim::start(zbooks_sim::SimConfig::default()).await?;
//! let demo = sim.demo();
//! println!("{} {} {}", sim.accounts_url(), sim.api_url(), demo.organization_id);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Where Zoho's behaviour is unknown, the simulator's choice is documented in [`choices`].
//!
//! It must never depend on `zbooks-client`: a client bug mirrored here would pass its tests.
#![warn(missing_docs)]
#![expect(
    clippy::result_large_err,
    reason = "a refusal is an answer like any other (reply.rs): boxing it would allocate on every refused request for nothing"
)]

pub mod choices;
mod control;
mod faults;
#[doc(hidden)]
pub mod fuzzing;
#[rustfmt::skip]
mod generated;
mod http;
mod money;
mod resources;
mod rules;
mod schema;
mod shape;
mod state;
mod store;
mod time;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use zbooks_types::DataCenter;

pub use control::config::{Check, OrgSpec, Scenario, SimConfig, UserSpec, parse_duration};
pub use control::log::{Counters, LoggedRequest};
pub use faults::{FaultAction, FaultRule};
pub use resources::counter_kind;
pub use webhooks::{WebhookAttempt, WebhookEvent, WebhookRule};

use http::server;
use state::Shared;

/// What can go wrong starting or running a simulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file or a value in it is wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// The state file could not be read or written.
    #[error("state file: {0}")]
    State(String),
}

/// One user's credentials and where to use them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The user.
    pub user_id: String,
    /// The self-client's id.
    pub client_id: String,
    /// The self-client's secret (a fake simulator value).
    pub client_secret: String,
    /// A refresh token (a fake simulator value).
    pub refresh_token: String,
    /// The user's organization.
    pub organization_id: String,
    /// The user's data center.
    pub data_center: DataCenter,
    /// The user's accounts server (token endpoint at `/oauth/v2/token`).
    pub accounts_url: String,
    /// The user's Books API base (`.../books/v3`).
    pub api_url: String,
}

/// The seeded demo credentials, plus the other seeded users for negative tests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCredentials {
    /// The demo user's client id.
    pub client_id: String,
    /// The demo user's client secret.
    pub client_secret: String,
    /// The demo user's refresh token.
    pub refresh_token: String,
    /// The demo organization (Professional plan, data center `in`).
    pub organization_id: String,
    /// The demo user.
    pub user_id: String,
    /// The demo user's data center.
    pub data_center: DataCenter,
    /// An organization of the demo user whose trial has expired (writes fail with 103001).
    pub trial_expired_organization_id: String,
    /// Another user with an organization the demo user does not belong to (6041).
    pub other_user: Credentials,
    /// A user in another data center (EU), with its own organization.
    pub other_dc_user: Credentials,
}

/// Starts simulators.
#[derive(Debug)]
pub struct Sim;

impl Sim {
    /// Starts a simulator on `config.bind` and serves until [`RunningSim::shutdown`] (or
    /// until the `RunningSim` is dropped).
    pub async fn start(config: SimConfig) -> Result<RunningSim, SimError> {
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.bind,
                source,
            })?;
        let mut addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: config.bind,
            source,
        })?;
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        let shared = Arc::new(Shared::new(&config, format!("http://{addr}"))?);
        let (stop, stopped) = watch::channel(false);
        let connections = Arc::new(server::ConnStats::default());
        let server = tokio::spawn(server::serve(
            listener,
            shared.clone(),
            stopped.clone(),
            config.seed,
            server::Limits {
                idle_timeout: config.idle_timeout,
                max_connections: config.max_connections,
            },
            connections.clone(),
        ));
        let saver = shared.state_file.is_some().then(|| {
            let shared = shared.clone();
            let mut stopped = stopped;
            tokio::spawn(async move {
                loop {
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_millis(200)) => {}
                        _ = stopped.changed() => break,
                    }
                    if shared.dirty.load(Ordering::Relaxed) {
                        // A failed write is retried on the next change and at shutdown.
                        let _ = shared.save();
                    }
                }
            })
        });
        Ok(RunningSim {
            shared,
            addr,
            stop,
            server: Some(server),
            saver,
            config_seed: config.seed,
            connections,
        })
    }
}

/// A simulator serving in the background.
#[derive(Debug)]
pub struct RunningSim {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    saver: Option<JoinHandle<()>>,
    config_seed: u64,
    connections: Arc<server::ConnStats>,
}

/// The simulator's connections (transport figures, not Zoho's: a reset does not clear them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Connections {
    /// Open now.
    pub open: usize,
    /// The most open at once since the start.
    pub peak: usize,
    /// Closed because they stayed idle for [`SimConfig::idle_timeout`].
    pub closed_idle: u64,
    /// `accept` failures (such as running out of file descriptors), each followed by a pause.
    pub accept_errors: u64,
}

impl RunningSim {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The accounts server of the default data center (`http://127.0.0.1:PORT`; the token
    /// endpoint is at `/oauth/v2/token`).
    pub fn accounts_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The Books API base of the default data center (`http://127.0.0.1:PORT/books/v3`).
    pub fn api_url(&self) -> String {
        format!("{}/books/v3", self.shared.base_url)
    }

    /// What token responses give as `api_domain` for the default data center.
    pub fn api_domain(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The control API (`http://127.0.0.1:PORT/__sim`).
    pub fn control_url(&self) -> String {
        format!("{}/__sim", self.shared.base_url)
    }

    /// The seeded credentials.
    pub fn demo(&self) -> DemoCredentials {
        http::control::demo(&self.shared)
    }

    /// The requests seen since the last reset (control calls excluded).
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        http::control::log(&self.shared)
    }

    /// The counters since the last reset.
    pub fn counters(&self) -> Counters {
        http::control::counters(&self.shared)
    }

    /// The connections open now, their peak, and how many were closed for being idle.
    pub fn connections(&self) -> Connections {
        self.connections.snapshot()
    }

    /// Mints a single-use grant code for the demo client with these scopes
    /// (`ZohoBooks.fullaccess.all` when empty).
    pub fn mint_grant_code(&self, scopes: &[&str]) -> String {
        let scopes = (!scopes.is_empty()).then(|| scopes.iter().map(|s| (*s).to_owned()).collect());
        http::control::mint_code(&self.shared, None, scopes)
            .expect("the demo client is always seeded")
    }

    /// Mints a grant code for any client; `None` when the client is unknown.
    pub fn mint_grant_code_for(&self, client_id: &str, scopes: &[&str]) -> Option<String> {
        let scopes = (!scopes.is_empty()).then(|| scopes.iter().map(|s| (*s).to_owned()).collect());
        http::control::mint_code(&self.shared, Some(client_id), scopes)
    }

    /// Expires every access token now.
    pub fn expire_tokens(&self) {
        store::lock(&self.shared.auth).expire(None, self.shared.clock.now());
    }

    /// Ends every organization's current minute window (the 100-a-minute limit starts
    /// again).
    pub fn advance_minute(&self) {
        self.shared.end_minute();
    }

    /// Ends every organization's current day window (the daily quota starts again).
    pub fn advance_day(&self) {
        self.shared.end_day();
    }

    /// Sets how many calls an organization has made today, to reach its daily quota without
    /// making them; `false` when the organization is unknown.
    pub fn set_calls_today(&self, organization_id: &str, calls: u32) -> bool {
        self.shared.set_calls_today(organization_id, calls)
    }

    /// Moves the simulator's clock forward (token expiry, grant codes, windows).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Resets the sandbox to the seeded world with `scenario` applied.
    pub fn load_scenario(&self, scenario: Scenario) {
        self.shared.reset(Some(scenario), self.config_seed);
    }

    /// Resets the sandbox to the seeded world with the current scenario.
    pub fn reset(&self) {
        self.shared.reset(None, self.config_seed);
    }

    /// Replaces the workflow rules with webhook actions: each create or update of a record of
    /// a rule's module fires it, in Zoho's payload shape, signed, with Zoho's retries
    /// (`webhooks.rs`).
    pub fn set_webhooks(&self, rules: Vec<WebhookRule>) {
        self.shared.webhooks.set(rules);
    }

    /// Every webhook delivery attempt so far, in the order made.
    pub fn webhook_attempts(&self) -> Vec<WebhookAttempt> {
        self.shared.webhooks.attempts()
    }

    /// Replaces the scripted faults without touching the books.
    pub fn set_faults(&self, faults: Vec<FaultRule>) {
        http::control::set_faults(&self.shared, faults);
    }

    /// Creates a record of `kind` (`invoices`, `contacts`...) straight in an organization's
    /// books, as `POST /books/v3/{kind}` would (the same checks and computed fields), but
    /// without HTTP, a token, limits or the request log: for benchmarks that need large books
    /// quickly. Answers the new record's id, or the body of Zoho's refusal.
    #[doc(hidden)]
    pub fn create_direct(
        &self,
        organization_id: &str,
        kind: &str,
        body: serde_json::Value,
    ) -> Result<String, String> {
        http::books::create_direct(&self.shared, organization_id, kind, body)
    }

    /// Writes the state file now (no-op without one).
    pub fn save_state(&self) -> Result<(), SimError> {
        self.shared.save()
    }

    /// Stops serving, closes every connection and writes the state file.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some(saver) = self.saver.take() {
            let _ = saver.await;
        }
        let _ = self.shared.save();
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
