//! The log-event schema: one JSON object per line, written by every zbooks command with
//! `--log-file` and read back by `zbooks logs analyze`.
//!
//! Version 1. Readers accept unknown fields (a newer writer may add some) and treat missing
//! optional fields as absent; a change that renames or retypes a field bumps
//! [`EVENT_SCHEMA_VERSION`], and readers of an older version skip lines of a newer one with a
//! counted warning rather than misreading them. No event ever carries a secret: only paths
//! (without query strings that could hold one), ids, statuses, codes and durations.
//!
//! Additions within version 1, each optional, so old and new readers and writers mix:
//!
//! - `purpose` (zbooks 0.1, issue 15): why zbooks sent the attempt, when that is not the
//!   caller's own traffic: `lookup` (a read by natural key that settles whether a create in
//!   doubt landed, before it is sent again; `natural_key` names the record) or `probe` (a
//!   diagnostic attempt of `zbooks doctor`, which may be refused on purpose). A reader that
//!   predates it ignores the field, and so takes a lookup for a plain read and a probe's
//!   refusal for a real one, as it always did; a new reader of an old line sees no purpose and
//!   judges the attempt as before. A purpose this build does not know reads as
//!   [`Purpose::Other`] and is judged as an ordinary attempt.

use serde::{Deserialize, Serialize};

use crate::class::{FailureClass, Sent};

/// The version of [`CallEvent`] written by this build.
pub const EVENT_SCHEMA_VERSION: u32 = 1;

/// What an attempt waited for before it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// Even pacing within the per-minute limit.
    Pacing,
    /// A permit for a call in flight.
    Concurrency,
    /// The organization paused after a 429/44.
    Paused,
    /// The daily quota.
    Quota,
    /// Backoff before a retry.
    Backoff,
    /// An access-token refresh.
    Refresh,
}

/// One wait and its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wait {
    /// What was waited for.
    pub reason: WaitReason,
    /// For how long, in milliseconds.
    pub ms: u64,
}

/// What kind of event a line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// One attempt of a Books API call.
    Attempt,
    /// One request to the accounts server (token grant or refresh).
    Token,
}

/// Why zbooks sent an attempt, when it is not the caller's own traffic (the `purpose` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Purpose {
    /// A read of one record by its natural key (`natural_key` names it): how zbooks settles
    /// whether a create in doubt (no answer, a 5xx) landed before anything is sent again
    /// (docs/design.md promise 5).
    Lookup,
    /// A diagnostic attempt (`zbooks doctor`): sent once, never retried, and sometimes meant
    /// to be refused (the `Bearer` header check). Not the integration's traffic.
    Probe,
    /// A purpose written by a newer zbooks: judged as an ordinary attempt.
    #[serde(other)]
    Other,
}

/// One attempt of one call, as written to the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallEvent {
    /// Schema version ([`EVENT_SCHEMA_VERSION`]).
    pub schema: u32,
    /// When the attempt ended, RFC 3339 in UTC with milliseconds.
    pub ts: String,
    /// Attempt or token request.
    pub kind: EventKind,
    /// The organization, when the call names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// HTTP method.
    pub method: String,
    /// Request path without the query string (`/books/v3/invoices`).
    pub path: String,
    /// HTTP status, when an answer came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Zoho's `code`, when the body had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// Zoho's `message` or the accounts server's `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The failure class; absent on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<FailureClass>,
    /// Whether the request reached Zoho.
    pub sent: Sent,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// What the attempt waited for before it was sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waited: Vec<Wait>,
    /// Time from send to answer (or failure), in milliseconds.
    pub duration_ms: u64,
    /// The natural key of the record a create carries, or a lookup looks for, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub natural_key: Option<String>,
    /// Why zbooks sent it, when not as the caller's own traffic (see the module's additions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_unknown_fields() {
        let line = r#"{"schema":1,"ts":"2026-11-25T10:00:00.000Z","kind":"attempt","organization_id":"10234695","method":"POST","path":"/books/v3/invoices","status":429,"code":44,"class":"rate_limited_minute","sent":"answered","attempt":1,"waited":[{"reason":"pacing","ms":600}],"duration_ms":41,"future_field":true}"#;
        let event: CallEvent = serde_json::from_str(line).unwrap();
        assert_eq!(event.code, Some(44));
        assert_eq!(event.class, Some(FailureClass::RateLimitedMinute));
        let again: CallEvent =
            serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
        assert_eq!(again, event);
        assert_eq!(event.purpose, None);
    }

    #[test]
    fn reads_purposes_old_and_new() {
        let line = r#"{"schema":1,"ts":"2026-11-25T10:00:00.000Z","kind":"attempt","method":"GET","path":"/books/v3/contacts","status":200,"sent":"answered","attempt":1,"duration_ms":4,"natural_key":"contact_name=Acme","purpose":"lookup"}"#;
        let event: CallEvent = serde_json::from_str(line).unwrap();
        assert_eq!(event.purpose, Some(Purpose::Lookup));
        assert!(
            serde_json::to_string(&event)
                .unwrap()
                .contains(r#""purpose":"lookup""#)
        );
        let newer = line.replace(r#""lookup""#, r#""warm_up""#);
        let event: CallEvent = serde_json::from_str(&newer).unwrap();
        assert_eq!(event.purpose, Some(Purpose::Other));
        let probe = line.replace(r#""lookup""#, r#""probe""#);
        let event: CallEvent = serde_json::from_str(&probe).unwrap();
        assert_eq!(event.purpose, Some(Purpose::Probe));
    }
}
