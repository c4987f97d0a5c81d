//! What the gateway has seen: every attempt the clients made (through [`Observer`], an
//! [`EventSink`] put in front of the `--log-file` writer, so the log and the audit log keep
//! their schema), and every answer the gateway gave. `GET /__zbooks/status` shows it as JSON
//! and `GET /__zbooks/metrics` in Prometheus's text format.
//!
//! Permanent failures (ones no retry fixes: a refused login, a missing scope, the day's quota
//! spent, a create in doubt) also go to an [`AlertSink`]: `zbooks gateway` puts the config
//! file's alert channels there (`zbooks-alert`); without one they are only counted and logged.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use zbooks_client::events::EventSink;
use zbooks_client::time::rfc3339;
use zbooks_types::event::{CallEvent, EventKind};
use zbooks_types::{Clock as _, FailureClass, Sent, SystemClock};

/// How many recent failures the status keeps per organization.
const RECENT_FAILURES: usize = 20;

/// A failure no retry fixes, for the alerting channels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// The organization.
    pub organization_id: String,
    /// The request's method.
    pub method: String,
    /// The request's path (no query).
    pub path: String,
    /// The status the gateway answered with.
    pub status: u16,
    /// Zoho's code, or the gateway's.
    pub code: Option<i64>,
    /// What happened (scrubbed).
    pub message: String,
}

/// Where permanent failures are raised: the seam of the alerting channels (`zbooks-alert`).
pub trait AlertSink: Send + Sync + std::fmt::Debug {
    /// Raises one alert. Must not wait on the network: it runs on the request's task.
    fn raise(&self, alert: &Alert);
}

/// One failure, as the status shows it.
#[derive(Clone, Debug)]
struct FailureNote {
    at: SystemTime,
    method: String,
    path: String,
    status: Option<u16>,
    code: Option<i64>,
    class: Option<FailureClass>,
}

/// What one organization's traffic looked like.
#[derive(Debug, Default)]
struct OrgStats {
    /// When the attempts sent within the last window went out.
    sent: VecDeque<Instant>,
    /// Attempts sent, ever.
    attempts: u64,
    /// Answers the gateway gave, by status.
    answers: BTreeMap<u16, u64>,
    /// Requests the gateway answered itself, by reason.
    refusals: BTreeMap<&'static str, u64>,
    /// Creates whose lost answer a lookup settled.
    adopted: u64,
    /// Answers replayed for an `Idempotency-Key`.
    replayed: u64,
    /// Zoho's 429s seen by attempts.
    throttled: u64,
    failures: VecDeque<FailureNote>,
}

#[derive(Debug, Default)]
struct State {
    orgs: HashMap<String, OrgStats>,
    token_requests: u64,
    token_failures: u64,
    last_token: Option<(Instant, SystemTime)>,
}

/// Watches the clients' events and the gateway's answers; hands every event on to `next`
/// (the `--log-file` writer, say).
#[derive(Debug)]
pub struct Observer {
    next: Option<Arc<dyn EventSink>>,
    window: Duration,
    started: Instant,
    state: Mutex<State>,
}

impl Observer {
    /// An observer counting calls per `window` (the limits' minute), passing every event on
    /// to `next`. Give it to the clients with `ClientBuilder::event_sink`.
    pub fn new(window: Duration, next: Option<Arc<dyn EventSink>>) -> Arc<Self> {
        Arc::new(Observer {
            next,
            window,
            started: Instant::now(),
            state: Mutex::new(State::default()),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut state)
    }

    /// The gateway answered a request of `org` with `status`.
    pub(crate) fn answered(&self, org: &str, status: u16) {
        self.with(|s| {
            *s.orgs
                .entry(org.to_owned())
                .or_default()
                .answers
                .entry(status)
                .or_default() += 1;
        });
    }

    /// The gateway refused a request of `org` itself.
    pub(crate) fn refused(&self, org: &str, reason: &'static str) {
        self.with(|s| {
            *s.orgs
                .entry(org.to_owned())
                .or_default()
                .refusals
                .entry(reason)
                .or_default() += 1;
        });
    }

    /// A lookup settled a create whose answer was lost.
    pub(crate) fn adopted(&self, org: &str) {
        self.with(|s| s.orgs.entry(org.to_owned()).or_default().adopted += 1);
    }

    /// An idempotency key's first answer was replayed.
    pub(crate) fn replayed(&self, org: &str) {
        self.with(|s| s.orgs.entry(org.to_owned()).or_default().replayed += 1);
    }

    /// Attempts sent to `org` within the last window.
    pub fn calls_this_window(&self, org: &str) -> usize {
        let now = Instant::now();
        self.with(|s| {
            s.orgs.get_mut(org).map_or(0, |o| {
                prune(&mut o.sent, now, self.window);
                o.sent.len()
            })
        })
    }

    /// Token requests seen, and how long ago the last one succeeded.
    pub fn token(&self) -> (u64, Option<Duration>) {
        self.with(|s| (s.token_requests, s.last_token.map(|(at, _)| at.elapsed())))
    }

    /// A snapshot per organization (for the status and the metrics).
    pub(crate) fn snapshot(&self) -> Vec<OrgView> {
        let now = Instant::now();
        self.with(|s| {
            s.orgs
                .iter_mut()
                .map(|(org, o)| {
                    prune(&mut o.sent, now, self.window);
                    OrgView {
                        organization_id: org.clone(),
                        calls_this_window: o.sent.len(),
                        attempts: o.attempts,
                        answers: o.answers.clone(),
                        refusals: o.refusals.clone(),
                        adopted: o.adopted,
                        replayed: o.replayed,
                        throttled: o.throttled,
                        failures: o
                            .failures
                            .iter()
                            .map(|f| {
                                serde_json::json!({
                                    "at": rfc3339(f.at),
                                    "method": f.method,
                                    "path": f.path,
                                    "status": f.status,
                                    "code": f.code,
                                    "class": f.class,
                                })
                            })
                            .collect(),
                    }
                })
                .collect()
        })
    }

    /// Seconds since the observer started.
    pub(crate) fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// The window calls are counted in.
    pub(crate) fn window(&self) -> Duration {
        self.window
    }

    pub(crate) fn token_failures(&self) -> u64 {
        self.with(|s| s.token_failures)
    }

    pub(crate) fn last_token_at(&self) -> Option<SystemTime> {
        self.with(|s| s.last_token.map(|(_, at)| at))
    }
}

/// One organization, as the status shows it.
#[derive(Debug)]
pub(crate) struct OrgView {
    pub(crate) organization_id: String,
    pub(crate) calls_this_window: usize,
    pub(crate) attempts: u64,
    pub(crate) answers: BTreeMap<u16, u64>,
    pub(crate) refusals: BTreeMap<&'static str, u64>,
    pub(crate) adopted: u64,
    pub(crate) replayed: u64,
    pub(crate) throttled: u64,
    pub(crate) failures: Vec<serde_json::Value>,
}

fn prune(sent: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while sent
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        sent.pop_front();
    }
}

impl EventSink for Observer {
    fn record(&self, event: &CallEvent) {
        self.with(|s| match event.kind {
            EventKind::Token => {
                s.token_requests += 1;
                if event.class.is_none() {
                    s.last_token = Some((Instant::now(), SystemClock.now()));
                } else {
                    s.token_failures += 1;
                }
            }
            EventKind::Attempt => {
                let Some(org) = &event.organization_id else {
                    return;
                };
                let o = s.orgs.entry(org.clone()).or_default();
                if event.sent != Sent::NotSent {
                    o.attempts += 1;
                    o.sent.push_back(Instant::now());
                    prune(&mut o.sent, Instant::now(), self.window);
                }
                if event.status == Some(429) {
                    o.throttled += 1;
                }
                if event.class.is_some() {
                    if o.failures.len() == RECENT_FAILURES {
                        o.failures.pop_front();
                    }
                    o.failures.push_back(FailureNote {
                        at: SystemClock.now(),
                        method: event.method.clone(),
                        path: event.path.clone(),
                        status: event.status,
                        code: event.code,
                        class: event.class,
                    });
                }
            }
        });
        if let Some(next) = &self.next {
            next.record(event);
        }
    }
}

/// A Prometheus label value, escaped.
pub(crate) fn label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Writes one metric's HELP and TYPE lines.
pub(crate) fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use zbooks_types::event::EVENT_SCHEMA_VERSION;

    fn attempt(org: &str, status: u16, class: Option<FailureClass>) -> CallEvent {
        CallEvent {
            schema: EVENT_SCHEMA_VERSION,
            ts: "2026-12-07T00:00:00.000Z".to_owned(),
            kind: EventKind::Attempt,
            organization_id: Some(org.to_owned()),
            method: "GET".to_owned(),
            path: "/books/v3/contacts".to_owned(),
            status: Some(status),
            code: None,
            message: None,
            class,
            sent: Sent::Answered,
            attempt: 1,
            waited: Vec::new(),
            duration_ms: 1,
            natural_key: None,
            purpose: None,
        }
    }

    #[test]
    fn counts_attempts_in_the_window_and_keeps_failures() {
        let obs = Observer::new(Duration::from_hours(1), None);
        obs.record(&attempt("1", 200, None));
        obs.record(&attempt("1", 429, Some(FailureClass::RateLimitedMinute)));
        assert_eq!(obs.calls_this_window("1"), 2);
        let view = obs.snapshot();
        assert_eq!(view[0].throttled, 1);
        assert_eq!(view[0].failures.len(), 1);
        assert_eq!(label("a\"b\\c"), "a\\\"b\\\\c");
    }
}
