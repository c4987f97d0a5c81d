//! One structured event per attempt, in the schema `zbooks logs analyze` reads
//! ([`zbooks_types::event::CallEvent`]), to `tracing` and to optional sinks.
//!
//! Events carry only what the schema allows: the organization, method, path (never a query
//! string), status, Zoho's code and message (scrubbed), the class, whether it was sent, the
//! attempt number, what it waited for and for how long. No token, header or body ever reaches
//! an event (docs/design.md promise 8).

use std::fmt;
use std::fmt::Write as _;
use std::sync::Arc;

use std::time::SystemTime;

use zbooks_types::Sent;
use zbooks_types::event::{CallEvent, EVENT_SCHEMA_VERSION, EventKind, Wait};

use crate::classify::Failure;
use crate::error::Error;
use crate::store::StoreResult;
use crate::time::{BoxFuture, rfc3339};

/// Receives every event (for example the CLI's `--log-file` writer).
pub trait EventSink: Send + Sync + fmt::Debug {
    /// Records one event. Must not block for long: it runs on the call's task.
    fn record(&self, event: &CallEvent);
}

/// Receives the events of failed attempts and keeps them (for example the SQLite audit log).
pub trait AuditSink: Send + Sync + fmt::Debug {
    /// Records one failed attempt.
    fn record_failure<'a>(&'a self, event: &'a CallEvent) -> BoxFuture<'a, StoreResult<()>>;
}

/// Where events go.
#[derive(Clone, Debug, Default)]
pub(crate) struct Events {
    pub(crate) sink: Option<Arc<dyn EventSink>>,
    pub(crate) audit: Option<Arc<dyn AuditSink>>,
}

impl Events {
    /// Whether anyone reads an attempt's event (a sink, the audit sink for a failure, or a
    /// tracing subscriber at the event's level).
    pub(crate) fn wants(&self, failure: bool) -> bool {
        if self.sink.is_some() || (failure && self.audit.is_some()) {
            return true;
        }
        if failure {
            tracing::enabled!(target: "zbooks::call", tracing::Level::WARN)
        } else {
            tracing::enabled!(target: "zbooks::call", tracing::Level::DEBUG)
        }
    }

    /// Sends an event to tracing, the sink and (for a failure) the audit sink.
    pub(crate) async fn emit(&self, event: CallEvent) {
        trace(&event);
        if let Some(sink) = &self.sink {
            sink.record(&event);
        }
        if event.class.is_some()
            && let Some(audit) = &self.audit
            && let Err(err) = audit.record_failure(&event).await
        {
            tracing::warn!(target: "zbooks::audit", error = %err, "could not record a failure in the audit log");
        }
    }
}

/// An event of one exchange, before its outcome is known: answered, no status, no failure.
/// Every event the client emits starts here, and its failure is written by
/// [`note_error`] or [`note_failure`], so every path reports a failure the same way.
#[expect(
    clippy::too_many_arguments,
    reason = "the schema's own fields, named at each call site"
)]
pub(crate) fn event(
    kind: EventKind,
    at: SystemTime,
    organization_id: Option<&str>,
    method: String,
    path: String,
    attempt: u32,
    waited: Vec<Wait>,
    duration_ms: u64,
) -> CallEvent {
    CallEvent {
        schema: EVENT_SCHEMA_VERSION,
        ts: rfc3339(at),
        kind,
        organization_id: organization_id.map(str::to_owned),
        method,
        path,
        status: None,
        code: None,
        message: None,
        class: None,
        sent: Sent::Answered,
        attempt,
        waited,
        duration_ms,
        natural_key: None,
        purpose: None,
    }
}

/// Writes an error into its event: whether it was sent, its class, and Zoho's answer when it
/// is one.
pub(crate) fn note_error(event: &mut CallEvent, error: &Error) {
    event.sent = error.sent();
    event.class = Some(error.class());
    if let Some(failure) = error.failure() {
        note_failure(event, failure);
    }
}

/// Writes Zoho's failing answer into its event: status, class, code and message (scrubbed;
/// for a token event the accounts server's `error` first, as that is what it answers with).
pub(crate) fn note_failure(event: &mut CallEvent, failure: &Failure) {
    event.status = Some(failure.status);
    event.class = Some(failure.class);
    event.code = failure.code;
    let message = match event.kind {
        EventKind::Token => failure
            .accounts_error
            .as_deref()
            .or(failure.message.as_deref()),
        EventKind::Attempt => failure.message.as_deref(),
    };
    event.message = message.map(zbooks_types::scrub);
}

/// `pacing:600,backoff:120` (milliseconds), for a flat tracing field.
fn waits_text(waits: &[Wait]) -> String {
    let mut out = String::new();
    for (i, wait) in waits.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let reason = serde_json::to_value(wait.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = write!(out, "{reason}:{}", wait.ms);
    }
    out
}

fn trace(event: &CallEvent) {
    let kind = match event.kind {
        EventKind::Attempt => "attempt",
        EventKind::Token => "token",
    };
    let class = event.class.map(zbooks_types::FailureClass::as_str);
    let sent = match event.sent {
        zbooks_types::Sent::NotSent => "not_sent",
        zbooks_types::Sent::MaybeSent => "maybe_sent",
        zbooks_types::Sent::Answered => "answered",
    };
    let waited = waits_text(&event.waited);
    let purpose = event.purpose.map(|p| match p {
        zbooks_types::event::Purpose::Lookup => "lookup",
        zbooks_types::event::Purpose::Probe => "probe",
        _ => "other",
    });
    macro_rules! emit {
        ($level:expr) => {
            tracing::event!(
                target: "zbooks::call",
                $level,
                kind,
                organization_id = event.organization_id.as_deref(),
                method = %event.method,
                path = %event.path,
                status = event.status,
                code = event.code,
                message = event.message.as_deref(),
                class,
                sent,
                attempt = event.attempt,
                waited = %waited,
                duration_ms = event.duration_ms,
                natural_key = event.natural_key.as_deref(),
                purpose,
                "zbooks {kind}"
            )
        };
    }
    if event.class.is_some() {
        emit!(tracing::Level::WARN);
    } else {
        emit!(tracing::Level::DEBUG);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zbooks_types::event::WaitReason;

    #[test]
    fn waits_are_flattened_for_tracing() {
        let waits = [
            Wait {
                reason: WaitReason::Pacing,
                ms: 600,
            },
            Wait {
                reason: WaitReason::Backoff,
                ms: 12,
            },
        ];
        assert_eq!(waits_text(&waits), "pacing:600,backoff:12");
    }
}
