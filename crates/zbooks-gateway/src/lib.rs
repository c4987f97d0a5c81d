//! A local Zoho Books gateway: any program, in any language, gets zbooks's care by changing
//! one URL. Point its base URL at `http://127.0.0.1:8788/books/v3` and drop its token
//! handling; the gateway forwards every `/books/v3/…` request to the organization's data
//! center through a [`zbooks_client::Client`]:
//!
//! - **the token**: zbooks's, from its token store, refreshed once and in time across
//!   processes; an `Authorization` header the program sends is dropped (or, with a gateway
//!   token, checked and then dropped). The Zoho token never appears in an answer, a log or an
//!   error.
//! - **pacing**: each organization's requests wait in a first-come-first-served queue and go
//!   out inside the per-minute limit, the daily quota and the in-flight cap, sharing the
//!   budget with every zbooks process on the same store (Redis across machines). A request
//!   that would wait longer than its maximum (the configured default, or `X-Zbooks-Max-Wait`
//!   seconds) is answered 429 at once, in Zoho's shape, with `Retry-After`.
//! - **safe retries**: GET, PUT and DELETE are retried on transient failures with jittered
//!   backoff inside the client's retry budget; a POST is never sent again blind: a lost answer
//!   is settled by looking the record up by its natural key ([`zbooks_types::resource`]'s
//!   table), and an `Idempotency-Key` header replays the first answer for 24 hours, kept in an
//!   [`AnswerStore`] that follows the state backend (SQLite, or Redis and PostgreSQL through
//!   `zbooks-redis` and `zbooks-pg`): gateways sharing the state share their keys, and a
//!   retry reaching another gateway while the first is in flight waits for its answer.
//! - **seen and heard**: every attempt is an event of the `--log-file` schema (for `zbooks
//!   logs analyze`) and failures go to the audit log, through the client's sinks;
//!   `GET /__zbooks/status` answers JSON and `GET /__zbooks/metrics` Prometheus text
//!   ([`Observer`]); permanent failures go to an [`AlertSink`] (`zbooks gateway` puts the
//!   alert channels of `zbooks-alert` there).
//! - **safe by default**: loopback only unless `allow_remote`, which requires a gateway
//!   token; a body size limit, a read timeout, and a graceful shutdown that drains requests
//!   in flight.
//!
//! Requests the gateway answers itself carry a body in Zoho's shape with its own codes
//! ([`Refusal`]).
//!
//! # Example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use zbooks_client::{Client, Credentials};
//! use zbooks_gateway::{Gateway, GatewayConfig};
//!
//! let sim = zbooks_sim::Sim::start(zbooks_sim::SimConfig::default()).await?;
//! let demo = sim.demo();
//! let client = Client::builder()
//!     .accounts_url(sim.accounts_url())
//!     .api_domain(sim.api_domain())
//!     .organization_id(&demo.organization_id)
//!     .credentials(Credentials::refresh_token(
//!         demo.client_id,
//!         demo.client_secret,
//!         demo.refresh_token,
//!     ))
//!     .build()?;
//! let config = GatewayConfig {
//!     listen: "127.0.0.1:0".parse()?,
//!     ..GatewayConfig::default()
//! };
//! let gateway = Gateway::new(config).organization(client).start().await?;
//!
//! // Any HTTP client, no token: the gateway adds zbooks's.
//! let answer = reqwest::get(format!("{}/contacts", gateway.base_url())).await?;
//! assert_eq!(answer.status(), 200);
//!
//! gateway.shutdown().await;
//! # sim.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

// Layers, one way: answer, config, error, queue, idempotency and observe (values), then
// forward (one request) and status (the two reports), then route (who may call, and where a
// request goes), then server (connections), then this file (the builder and the running
// gateway).
mod answer;
mod config;
pub mod conformance;
mod error;
mod forward;
mod idempotency;
mod observe;
mod queue;
mod route;
mod server;
mod status;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize};

use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use zbooks_client::Client;

pub use answer::Refusal;
pub use config::{DEFAULT_LISTEN, GatewayConfig};
pub use error::GatewayError;
pub use forward::{ADOPTED_HEADER, IDEMPOTENCY_HEADER, MAX_WAIT_HEADER, REPLAY_HEADER};
pub use idempotency::{AnswerStore, Claim, MemoryAnswers, SqliteAnswers, StoredAnswer};
pub use observe::{Alert, AlertSink, Observer};

/// A gateway being set up: its configuration, the organizations it serves (one client each)
/// and where it keeps answers, counts events and raises alerts.
#[derive(Debug)]
#[must_use]
pub struct Gateway {
    config: GatewayConfig,
    clients: Vec<Client>,
    answers: Option<Arc<dyn AnswerStore>>,
    observer: Option<Arc<Observer>>,
    alerts: Option<Arc<dyn AlertSink>>,
}

impl Gateway {
    /// A gateway with this configuration and no organization yet.
    pub fn new(config: GatewayConfig) -> Self {
        Gateway {
            config,
            clients: Vec::new(),
            answers: None,
            observer: None,
            alerts: None,
        }
    }

    /// Serves the organization `client` is for (its `organization_id`). The first one is the
    /// default, for requests that name none.
    pub fn organization(mut self, client: Client) -> Self {
        self.clients.push(client);
        self
    }

    /// Keeps idempotency keys' answers here (default: in memory): give gateways that share
    /// a state backend the same store (Redis or PostgreSQL) and they share their keys.
    pub fn answers(mut self, store: Arc<dyn AnswerStore>) -> Self {
        self.answers = Some(store);
        self
    }

    /// The observer the clients' events go through (give the same one to each client's
    /// `event_sink`), for the status and the metrics. Without one, attempts and tokens are
    /// not counted: only the gateway's own answers are.
    pub fn observer(mut self, observer: Arc<Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Raises permanent failures here (the alerting channels of issue 18, once they exist).
    pub fn alerts(mut self, alerts: Arc<dyn AlertSink>) -> Self {
        self.alerts = Some(alerts);
        self
    }

    /// Checks the configuration, listens, and serves until [`RunningGateway::shutdown`].
    ///
    /// # Errors
    ///
    /// [`GatewayError::Config`] when a rule is broken (no organization, a client without
    /// one, a remote address without `allow_remote`, `allow_remote` without a token);
    /// [`GatewayError::Bind`] when the address cannot be listened on.
    pub async fn start(self) -> Result<RunningGateway, GatewayError> {
        self.config.check()?;
        let mut clients = HashMap::new();
        let mut default_org = None;
        for client in self.clients {
            let Some(org) = client.organization_id().map(str::to_owned) else {
                return Err(GatewayError::Config(
                    "a client of the gateway has no organization id: set organization_id in \
                     the profile (or --org)"
                        .to_owned(),
                ));
            };
            default_org.get_or_insert_with(|| org.clone());
            clients.insert(org, client);
        }
        let Some(default_org) = default_org else {
            return Err(GatewayError::Config(
                "the gateway serves no organization: give it a client for one".to_owned(),
            ));
        };
        let listener = TcpListener::bind(self.config.listen)
            .await
            .map_err(|source| GatewayError::Bind {
                addr: self.config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| GatewayError::Bind {
            addr: self.config.listen,
            source,
        })?;
        let observer = self
            .observer
            .unwrap_or_else(|| Observer::new(self.config.limits.window, None));
        let shared = Arc::new(forward::Shared {
            queues: queue::Queues::new(self.config.queue_slots),
            config: self.config,
            clients,
            default_org,
            answers: self
                .answers
                .unwrap_or_else(|| Arc::new(MemoryAnswers::new())),
            key_locks: idempotency::KeyLocks::default(),
            holder: forward::holder_name(addr),
            observer,
            alerts: self.alerts,
            closing: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            idle: Notify::new(),
            listen: addr,
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared, stopped));
        Ok(RunningGateway { addr, stop, task })
    }
}

/// A gateway serving; [`RunningGateway::shutdown`] stops it.
#[derive(Debug)]
pub struct RunningGateway {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunningGateway {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL programs use: `http://ADDR/books/v3`.
    pub fn base_url(&self) -> String {
        format!("http://{}/books/v3", self.addr)
    }

    /// Stops accepting, lets requests in flight finish (up to the drain time), then returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Serves until `signal` completes, then shuts down as [`RunningGateway::shutdown`].
    pub async fn serve_until(self, signal: impl Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }
}
