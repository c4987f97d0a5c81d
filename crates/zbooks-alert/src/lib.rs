//! Tells a person about every permanent failure. An [`Alert`] (records refused, the daily quota
//! spent, authentication broken, an organization blocked, a 5xx that outlived every retry) is
//! put in the [`Outbox`], a SQLite queue that survives a crash; [`deliver`] sends what is due to
//! every configured [`Channel`]: a JSON webhook signed with HMAC-SHA256 over a timestamp and the
//! body ([`sign`]), a Slack-compatible incoming webhook, and email over SMTP with STARTTLS.
//!
//! Alerts are grouped: the first of a cause and organization within a window is sent at once;
//! the others of that window become one digest, sent when the window ends. Every text is
//! scrubbed of secrets when it is raised ([`zbooks_types::secret::scrub`]), so no channel and
//! no row of the queue ever holds one; a channel's own secrets (the webhook's signing key, the
//! Slack URL, the SMTP password) are never shown, only named.
//!
//! This crate never reads the clock (callers pass "now" as Unix milliseconds), the environment
//! (callers pass the secrets they resolved) or prints.
#![warn(missing_docs)]

pub mod config;
mod outbox;
mod send;
pub mod sign;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use config::{AlertsConfig, Channel, ChannelKind};
pub use outbox::{Outbox, Queued, Raised, State, utc};
pub use send::{Delivery, deliver};

/// Why an alert is raised: the permanent failures a person must hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Cause {
    /// Zoho refused records for good (validation, duplicates): they need a person.
    RecordsRefused,
    /// The organization's daily quota is spent (429, code 45).
    QuotaSpent,
    /// Authentication is broken: a revoked refresh token, a wrong client, a missing scope.
    AuthBroken,
    /// The organization cannot be used (a trial ended, access removed: 6041, 103001, 9017).
    OrganizationBlocked,
    /// Zoho failed (5xx, code 1000) after every retry allowed.
    ServerErrors,
    /// `zbooks alert test`: a check of the channels.
    Test,
}

impl Cause {
    /// Every cause.
    pub const ALL: [Cause; 6] = [
        Cause::RecordsRefused,
        Cause::QuotaSpent,
        Cause::AuthBroken,
        Cause::OrganizationBlocked,
        Cause::ServerErrors,
        Cause::Test,
    ];

    /// The name stored and sent: `quota_spent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::RecordsRefused => "records_refused",
            Cause::QuotaSpent => "quota_spent",
            Cause::AuthBroken => "auth_broken",
            Cause::OrganizationBlocked => "organization_blocked",
            Cause::ServerErrors => "server_errors",
            Cause::Test => "test",
        }
    }

    /// The cause a stored name stands for.
    pub fn parse(name: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A permanent failure to tell a person about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Why.
    pub cause: Cause,
    /// The organization it concerns, if one.
    pub organization_id: Option<String>,
    /// One line: what failed.
    pub title: String,
    /// What is known: the command, Zoho's code and message, what to do.
    pub detail: String,
}

/// A failure of the queue or of a channel.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The SQLite queue could not be read or written.
    #[error("the alert queue {path}: {source}")]
    Queue {
        /// The queue's file.
        path: String,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The alerts configuration is wrong.
    #[error("the alerts configuration: {0}")]
    Config(String),
    /// A channel did not take the alert.
    #[error("{channel}: {message}")]
    Channel {
        /// The channel's name.
        channel: String,
        /// What went wrong (never a secret).
        message: String,
    },
}
