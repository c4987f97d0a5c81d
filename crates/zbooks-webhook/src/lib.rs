//! Receives the webhooks Zoho Books' workflow rules send: checks each signature as Zoho
//! documents it ([`verify`]: `X-Zoho-Webhook-Signature`, HMAC-SHA256 over the sorted query and
//! form pairs and the raw body), refuses unsigned deliveries, answers duplicates and replays
//! without forwarding them again, writes every delivery to a SQLite log ([`Store`]) and
//! forwards accepted events to a URL or a command ([`server::serve`]). The evidence behind the
//! scheme, with its sources and gaps: docs/zoho-webhooks.md.
#![warn(missing_docs)]

pub mod event;
pub mod server;
pub mod store;
pub mod verify;

pub use server::{Forward, Receiver, serve};
pub use store::{Event, Store, Verdict};

/// A failure of the log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The SQLite log could not be read or written.
    #[error("the webhook log {path}: {source}")]
    Store {
        /// Its file.
        path: String,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The log was written by a newer zbooks.
    #[error("the webhook log {0} was written by a newer zbooks; use that version or move it away")]
    Newer(String),
}
