//! The resilient Zoho Books client: the library an integration adds to call Zoho Books without
//! writing retries, token refresh, pacing and error parsing again, and the engine under every
//! `zbooks` command.
//!
//! Every call goes through one attempt loop ([`send`](crate::Client::request)): the
//! organization's limits (even pacing at the per-minute limit, a permit at the plan's
//! in-flight cap, a unit of the daily quota — all shared through a [`store`] by every process
//! on the machine), a cached token refreshed by one caller only, the request with a timeout,
//! [`classify()`] (the one pure function that reads status and body together), one structured
//! event, and a decision: succeed, refresh once and replay, pause the organization, back off
//! within a shared retry budget, or stop with an [`Error`] that says whether the request was
//! sent and whether a retry can help. A create is never blindly sent twice:
//! [`Resource::create_or_adopt`] looks it up by its natural key first.
//!
//! This crate never prints and never reads environment variables: the CLI does both.
//!
//! # Example
//!
//! Against the simulator, started in-process:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use zbooks_client::{Client, Credentials, Outcome};
//! use zbooks_client::models::Contact;
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
//!
//! let mut contact = Contact::default();
//! contact.contact_name = Some("Acme Traders".to_owned());
//! match client.contacts().create_or_adopt(&contact, "Acme Traders").await {
//!     Outcome::Created(id) | Outcome::Adopted(id) => println!("contact {id}"),
//!     Outcome::MaybeSent(err) | Outcome::Failed(err) => return Err(err.into()),
//!     _ => unreachable!(),
//! }
//! let found = client.contacts().find_by_key("Acme Traders").await?;
//! assert!(found.is_some());
//! # sim.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Against a real organization (the README's example): the data center's hosts, the plan read
//! from `GET /organizations`, and the tokens and limits in a SQLite store that every process
//! on the machine shares.
//!
//! ```no_run
//! # async fn run(client_id: String, client_secret: String, refresh_token: String)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use zbooks_client::{Client, Credentials, Method, Outcome};
//! use zbooks_client::models::Contact;
//! use zbooks_types::DataCenter;
//!
//! let client = Client::builder()
//!     .data_center(DataCenter::In)               // or .api_domain(the token's api_domain)
//!     .organization_id("60000000001")            // plan read from GET /organizations
//!     .credentials(Credentials::refresh_token(client_id, client_secret, refresh_token))
//!     .store(Arc::new(zbooks_store::SqliteStore::open("zbooks.db")?)) // shared by processes
//!     .build()?;
//!
//! let mut contact = Contact::default();
//! contact.contact_name = Some("Acme Traders".to_owned());
//! match client.contacts().create_or_adopt(&contact, "Acme Traders").await {
//!     Outcome::Created(id) | Outcome::Adopted(id) => println!("contact {id}"),
//!     Outcome::MaybeSent(err) | Outcome::Failed(err) => eprintln!("{err}"),
//!     _ => {}
//! }
//! let body = client.request(Method::GET, "/settings/currencies").send_json().await?;
//! # drop(body);
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

// The modules are layered one way (`cargo xtask modules` fails on a cycle): the values and
// their errors (config, error, classify, endpoint, time, retry, store), then events and
// transport, then auth and limiter, then shared (what clones of a client share), then send
// (admission and the attempt loop), then client (the builder), then request, resources and
// oauth on top.
mod auth;
pub mod classify;
mod client;
mod config;
pub mod endpoint;
mod error;
pub mod events;
mod limiter;
pub mod oauth;
mod reports;
mod request;
pub mod resources;
mod retry;
mod send;
mod shared;
pub mod store;
pub mod time;
mod transport;

pub use classify::{BodyKind, Failure, Success, SuccessKind, classify};
pub use client::{Client, ClientBuilder};
pub use config::{Credentials, LimitsConfig, Timeouts, TokenConfig};
pub use endpoint::Idempotency;
pub use error::{CallContext, Error, ErrorKind};
pub use request::{ApiResponse, RequestBuilder};
pub use reqwest::Method;
pub use resources::models;
pub use resources::{ListQuery, Outcome, Page, Resource, ResourceDef};
pub use retry::{RetryBudgetConfig, RetryConfig};
pub use rust_decimal::Decimal;
pub use store::MemoryStore;
pub use zbooks_types::{FailureClass, Retry, Sent};
