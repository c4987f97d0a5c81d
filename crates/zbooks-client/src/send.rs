//! The one attempt loop every call goes through (smithy-rs's orchestrator `try_op`, as plain
//! code): take a token, wait for the organization's limits, send with a timeout, read the
//! answer with [`classify()`], emit one event, then decide — success, refresh and replay once,
//! pause the organization, back off and retry, or stop — and say why.
//!
//! Admission ([`Inner::admit`]: the organization's limits, its in-flight permit, a unit of its
//! daily quota and its pacing slot) is one function every path that sends goes through, the
//! diagnostic probe included.
//!
//! The decision is [`decide`], a pure function of the failure, the call's idempotency and the
//! attempt so far; the loop only carries it out under the three bounds (attempts, deadline,
//! retry budget).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;
use zbooks_types::event::{EventKind, Purpose, Wait, WaitReason};
use zbooks_types::{FailureClass, Limits, Plan, Sent};

use crate::auth::ActiveToken;
use crate::classify::{Failure, classify, classify_json};
use crate::endpoint::{Idempotency, scope_for};
use crate::error::{CallContext, Error, ErrorKind};
use crate::events::{event, note_error};
use crate::limiter::Permit;
use crate::retry::backoff;
use crate::shared::Inner;
use crate::store::ServerQuota;
use crate::time::millis;
use crate::transport::{exchange, is_redirect, normalize, redirected};

/// How long a plan read from `GET /organizations` and kept in the store is used before it is
/// read again (an upgrade or a downgrade shows within a day; until then Zoho's own 429s
/// correct the pace).
const PLAN_KEPT_FOR: Duration = Duration::from_hours(24);

/// One call, as the loop needs it: everything to rebuild the request for every attempt.
#[derive(Clone, Debug)]
pub(crate) struct Call {
    pub(crate) method: Method,
    /// Path below the Books base (`/invoices/1`).
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Bytes>,
    pub(crate) idempotency: Idempotency,
    pub(crate) organization_id: Option<Arc<str>>,
    pub(crate) natural_key: Option<String>,
    /// Why the call is sent, when it is a lookup before a create is sent again (its events
    /// say so, for `zbooks logs analyze`).
    pub(crate) purpose: Option<Purpose>,
    /// The caller wants the body as JSON: the answer is classified and parsed in one go
    /// ([`classify_json`]).
    pub(crate) want_json: bool,
}

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The body as JSON, when the call wanted it and one parse gave it with the verdict.
    pub(crate) json: Option<serde_json::Value>,
}

/// What an attempt's event needs to know about the exchange.
#[derive(Debug)]
struct Probe {
    sent: Sent,
    status: Option<u16>,
    duration_ms: u64,
}

/// What one attempt ended with.
#[derive(Debug)]
struct AttemptFailure {
    error: Error,
    token: Option<Arc<ActiveToken>>,
    headers: Option<HeaderMap>,
}

/// A call's progress through its attempts.
#[derive(Debug)]
struct Run {
    deadline: tokio::time::Instant,
    attempt: u32,
    /// Whether the call already refreshed and replayed after a 57.
    replayed: bool,
    budget_taken: u32,
    /// The most uncertain "was it sent" of the attempts so far.
    worst_sent: Sent,
    /// What the next attempt waited for before it started.
    waits: Vec<Wait>,
    /// The token a 57 refused, to be replaced before the replay.
    forced_stale: Option<Arc<ActiveToken>>,
    previous_maybe_sent: bool,
}

/// What follows a failed attempt.
#[derive(Debug)]
enum Next {
    Stop(Result<Answer, Error>),
    Retry { sleep: Duration },
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Stop with the error as it is.
    Fail,
    /// Refresh the token (once) and replay.
    RefreshAndReplay,
    /// Pause the organization (429/44), then retry.
    PauseAndRetry,
    /// Mark the daily quota spent (429/45) and stop.
    QuotaExhausted,
    /// Lower the in-flight cap (1070), then retry after a short jittered backoff.
    LowerInFlightAndRetry,
    /// Retry after a backoff; `timeout` when the failure was a lost answer (costs more budget).
    Backoff {
        /// The failure may have reached Zoho without an answer.
        timeout: bool,
    },
}

/// Decides what a failed attempt calls for.
///
/// `replayed` is whether this call already refreshed and replayed after a 57.
pub(crate) fn decide(error: &Error, idempotency: Idempotency, replayed: bool) -> Decision {
    let repeatable = idempotency.may_repeat_after_maybe_sent();
    match error.kind() {
        ErrorKind::Api(failure) => match failure.class {
            FailureClass::AuthExpired if !replayed => Decision::RefreshAndReplay,
            FailureClass::RateLimitedMinute => Decision::PauseAndRetry,
            FailureClass::QuotaExhaustedDay => Decision::QuotaExhausted,
            FailureClass::ConcurrencyLimited => Decision::LowerInFlightAndRetry,
            // A server failure or an unreadable answer may come after Zoho acted: a create is
            // not repeated (reference §7; docs/design.md promise 5).
            FailureClass::TransientServer | FailureClass::BadResponse if repeatable => {
                Decision::Backoff { timeout: false }
            }
            _ => Decision::Fail,
        },
        ErrorKind::Transport { .. } => match error.sent() {
            Sent::NotSent => Decision::Backoff { timeout: false },
            _ if repeatable => Decision::Backoff { timeout: true },
            _ => Decision::Fail,
        },
        _ => Decision::Fail,
    }
}

impl Inner {
    /// Runs a call to success or a final error, inside one `zbooks.call` span.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "zbooks.call",
            method = %call.method,
            path = %call.path,
            organization_id = call.organization_id.as_deref(),
        );
        self.execute_in_span(call).instrument(span).await
    }

    async fn execute_in_span(&self, call: &Call) -> Result<Answer, Error> {
        let mut run = Run {
            deadline: tokio::time::Instant::now() + self.retry.deadline,
            attempt: 0,
            replayed: false,
            budget_taken: 0,
            worst_sent: Sent::NotSent,
            waits: Vec::new(),
            forced_stale: None,
            previous_maybe_sent: false,
        };
        loop {
            run.attempt += 1;
            let result = self
                .attempt(
                    call,
                    run.attempt,
                    std::mem::take(&mut run.waits),
                    run.forced_stale.take(),
                )
                .await;
            let failure = match result {
                Ok(answer) => {
                    self.budget.refund(run.budget_taken);
                    if let (true, Some(org)) = (self.limiter.config.enabled, &call.organization_id)
                    {
                        self.limiter.success(org);
                    }
                    return Ok(answer);
                }
                Err(failure) => failure,
            };
            let sleep = match Box::pin(self.after_failure(call, &mut run, failure)).await {
                Next::Stop(result) => return result,
                Next::Retry { sleep } => sleep,
            };
            if !sleep.is_zero() {
                self.sleep.sleep_for(sleep, WaitReason::Backoff).await;
                run.waits.push(Wait {
                    reason: WaitReason::Backoff,
                    ms: millis(sleep),
                });
            }
        }
    }

    /// What a failed attempt calls for, under the three bounds (attempts, deadline, budget):
    /// stop with a result, or retry after a sleep (which the caller carries out).
    async fn after_failure(&self, call: &Call, run: &mut Run, failure: AttemptFailure) -> Next {
        // A DELETE repeated after a lost answer that now finds nothing did its job.
        if call.method == Method::DELETE
            && run.previous_maybe_sent
            && failure.error.class() == FailureClass::NotFound
        {
            return Next::Stop(Ok(Answer {
                status: 200,
                headers: HeaderMap::new(),
                body: Bytes::from_static(br#"{"code":0,"message":"success"}"#),
                json: None,
            }));
        }
        let error = failure.error;
        run.worst_sent = most_uncertain(run.worst_sent, error.sent());
        run.previous_maybe_sent = error.sent() == Sent::MaybeSent;
        let attempt = run.attempt;
        let worst_sent = run.worst_sent;
        let finish = |e: Error| {
            Next::Stop(Err(e
                .with_context(self.call_context(call))
                .with_attempts(attempt)))
        };
        // (time to sleep here, time the retry will wait at the latest, budget it costs)
        let (sleep, horizon, cost) = match decide(&error, call.idempotency, run.replayed) {
            Decision::Fail => {
                let error =
                    self.explain_failure(error, call, failure.token.as_deref(), run.replayed);
                return finish(error.with_sent(worst_sent));
            }
            Decision::QuotaExhausted => {
                let now = self.clock.now();
                let resets_at = failure
                    .headers
                    .as_ref()
                    .and_then(|h| server_quota(h, now))
                    .map(|q| q.resets_at);
                let org = call.organization_id.as_deref().unwrap_or_default();
                let resets_at = match self.limiter.exhaust(org, resets_at).await {
                    Ok(at) => at,
                    Err(err) => return Next::Stop(Err(err)),
                };
                let quota = Error::new(
                    ErrorKind::QuotaExhausted {
                        resets_at: Some(resets_at),
                        local: false,
                    },
                    Sent::Answered,
                )
                .with_last(error);
                return finish(quota);
            }
            Decision::RefreshAndReplay => {
                if !self.auth.can_refresh() {
                    return finish(Self::fixed_token_refused(error, call));
                }
                run.replayed = true;
                run.forced_stale.clone_from(&failure.token);
                (Duration::ZERO, Duration::ZERO, 0)
            }
            Decision::PauseAndRetry => {
                let pause = self
                    .limiter
                    .config
                    .pause
                    .unwrap_or(self.limiter.config.window);
                match &call.organization_id {
                    // The limiter makes every call to the organization wait out the pause.
                    Some(org) if self.limiter.config.enabled => {
                        if let Err(err) = self.limiter.pause(org).await {
                            return Next::Stop(Err(err));
                        }
                        (Duration::ZERO, pause, 0)
                    }
                    _ => (pause, pause, 0),
                }
            }
            Decision::LowerInFlightAndRetry => {
                if let Some(org) = &call.organization_id {
                    self.limiter.lower_in_flight(org);
                }
                let delay = backoff(
                    &self.jitter,
                    self.retry.concurrency_backoff,
                    self.retry.max_backoff,
                    attempt,
                );
                (delay, delay, self.retry.budget.retry_cost)
            }
            Decision::Backoff { timeout } => {
                let delay = backoff(
                    &self.jitter,
                    self.retry.initial_backoff,
                    self.retry.max_backoff,
                    attempt,
                );
                let cost = if timeout {
                    self.retry.budget.timeout_cost
                } else {
                    self.retry.budget.retry_cost
                };
                (delay, delay, cost)
            }
        };
        // The replay after a refresh does not count against the attempts: it is the one
        // replay promise 4 allows.
        let counted = attempt - u32::from(run.replayed);
        if counted >= self.retry.max_attempts {
            return finish(error.with_sent(worst_sent));
        }
        if tokio::time::Instant::now() + horizon >= run.deadline {
            return finish(Self::gave_up(
                ErrorKind::DeadlineExceeded,
                error,
                worst_sent,
            ));
        }
        if cost > 0 {
            if !self.budget.try_take(cost) {
                return finish(Self::gave_up(
                    ErrorKind::RetryBudgetExhausted,
                    error,
                    worst_sent,
                ));
            }
            run.budget_taken += cost;
        }
        Next::Retry { sleep }
    }

    fn gave_up(kind: ErrorKind, last: Error, worst_sent: Sent) -> Error {
        Error::new(kind, worst_sent).with_last(last)
    }

    /// Turns the last failure into the error the caller should see: a 14 says how the header
    /// must look; a 57 after a fresh token names the scope or the data center.
    fn explain_failure(
        &self,
        error: Error,
        call: &Call,
        token: Option<&ActiveToken>,
        replayed: bool,
    ) -> Error {
        let Some(failure) = error.failure().cloned() else {
            return error;
        };
        let sent = error.sent();
        match (failure.class, failure.code) {
            (FailureClass::AuthMisconfigured, Some(14)) => Error::new(
                ErrorKind::AuthMisconfigured {
                    reason: "zoho found no usable Authorization header (401/14); it must be \
                             `Authorization: Zoho-oauthtoken <access token>`"
                        .to_owned(),
                },
                sent,
            )
            .with_last(error),
            (FailureClass::AuthExpired, _) if replayed => {
                let api_domain = self.api_domain();
                if let Some(token_domain) = token.and_then(|t| t.api_domain.clone())
                    && normalize(&token_domain) != normalize(&api_domain)
                {
                    return Error::new(
                        ErrorKind::WrongDataCenter {
                            token: token_domain.parse().ok(),
                            token_api_domain: token_domain,
                            api_domain,
                        },
                        sent,
                    )
                    .with_last(error);
                }
                Error::new(
                    ErrorKind::Scope {
                        scope: scope_for(&call.method, &call.path),
                    },
                    sent,
                )
                .with_last(error)
            }
            _ => error,
        }
    }

    fn fixed_token_refused(error: Error, call: &Call) -> Error {
        Error::new(
            ErrorKind::AuthMisconfigured {
                reason: format!(
                    "the fixed access token is refused (401/57): it expired, was revoked, lacks \
                     the scope {} or belongs to another data center; configure a refresh token \
                     to let the client refresh it",
                    scope_for(&call.method, &call.path)
                ),
            },
            error.sent(),
        )
        .with_last(error)
    }

    /// The context errors of this call carry.
    fn call_context(&self, call: &Call) -> CallContext {
        CallContext {
            method: call.method.to_string(),
            path: self.event_path(&call.path),
            organization_id: call.organization_id.as_deref().map(str::to_owned),
        }
    }

    /// One attempt: limits, token, send, classify, event.
    async fn attempt(
        &self,
        call: &Call,
        attempt: u32,
        mut waits: Vec<Wait>,
        stale: Option<Arc<ActiveToken>>,
    ) -> Result<Answer, AttemptFailure> {
        let mut probe = Probe {
            sent: Sent::NotSent,
            status: None,
            duration_ms: 0,
        };
        // Scoped so that the result is not held across the (rare) await that records it.
        let recording = {
            let result = self
                .attempt_inner(call, &mut waits, stale, &mut probe)
                .await;
            // The event is built only when someone reads it: the hot path of a client without
            // sinks or subscribers stays free of formatting.
            if !self.events.wants(result.is_err()) {
                return result;
            }
            Box::pin(self.record_attempt(call, attempt, waits, probe, result))
        };
        recording.await
    }

    /// Emits the attempt's event and hands its result back.
    async fn record_attempt(
        &self,
        call: &Call,
        attempt: u32,
        waits: Vec<Wait>,
        probe: Probe,
        result: Result<Answer, AttemptFailure>,
    ) -> Result<Answer, AttemptFailure> {
        let mut event = event(
            EventKind::Attempt,
            self.clock.now(),
            call.organization_id.as_deref(),
            call.method.to_string(),
            self.event_path(&call.path),
            attempt,
            waits,
            probe.duration_ms,
        );
        event.status = probe.status;
        event.sent = probe.sent;
        event.natural_key.clone_from(&call.natural_key);
        event.purpose = call.purpose;
        if let Err(failure) = &result {
            note_error(&mut event, &failure.error);
        }
        self.events.emit(event).await;
        result
    }

    async fn attempt_inner(
        &self,
        call: &Call,
        waits: &mut Vec<Wait>,
        stale: Option<Arc<ActiveToken>>,
        probe: &mut Probe,
    ) -> Result<Answer, AttemptFailure> {
        let fail = |error: Error| AttemptFailure {
            error,
            token: None,
            headers: None,
        };
        // The token first: a refresh after the pacing slot would send the call late, bunched
        // with later slots, and could overfill a window.
        // Whatever happened on the way to a token, the call itself was not sent.
        let token = match stale {
            Some(stale) => self.auth.replace(&stale, waits).await,
            None => self.auth.token(waits).await,
        }
        .map_err(|e| fail(e.with_sent(Sent::NotSent)))?;
        let permit = self
            .admit(call.organization_id.as_deref(), waits)
            .await
            .map_err(fail)?;
        let outcome = self.send_admitted(call, waits, token, probe).await;
        // The organization-wide lease goes back now, not on a task the end of the process
        // may never run (dropping the permit, a cancelled call, does that).
        if let Some(permit) = permit {
            permit.release().await;
        }
        outcome
    }

    /// Sends an admitted call: the part of an attempt after its permit and slot.
    async fn send_admitted(
        &self,
        call: &Call,
        waits: &[Wait],
        token: Arc<ActiveToken>,
        probe: &mut Probe,
    ) -> Result<Answer, AttemptFailure> {
        // Another call may have replaced the token while this one waited for its slot.
        let token = if waits.is_empty() {
            token
        } else {
            self.auth.newer_than(token)
        };
        let mut request = self
            .http
            .request(call.method.clone(), self.url_with_query(&token, call))
            .header(AUTHORIZATION, own_copy(&token.header));
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let started = tokio::time::Instant::now();
        // Scoped so that nothing of the answer is held across the rare await after it: only
        // the box of that await is.
        let recording = {
            // One deadline for the whole exchange, send to the end of the body.
            let answer = exchange(request, self.attempt_timeout).await;
            probe.duration_ms = millis(started.elapsed());
            let (status, headers, body) = match answer {
                Ok(answer) => answer,
                Err(error) => {
                    return Err(AttemptFailure {
                        error,
                        token: Some(token),
                        headers: None,
                    });
                }
            };
            probe.sent = Sent::Answered;
            probe.status = Some(status);
            if is_redirect(status) {
                let from = self.url_for(&token, &call.path, 0);
                return Err(AttemptFailure {
                    error: redirected(status, &from, &headers),
                    token: Some(token),
                    headers: Some(headers),
                });
            }
            let quota = match &call.organization_id {
                Some(org) if self.limiter.config.enabled => {
                    server_quota(&headers, self.clock.now()).map(|quota| (org, quota))
                }
                _ => None,
            };
            let Some((org, quota)) = quota else {
                return answer_of(token, status, headers, body, call.want_json);
            };
            Box::pin(async move {
                self.limiter.record_server_quota(org, quota).await;
                answer_of(token, status, headers, body, call.want_json)
            })
        };
        recording.await
    }
}

/// Admission: the one gate every call path passes before it sends (the attempt loop and the
/// diagnostic probe alike).
impl Inner {
    /// Waits until a call to `org` may be sent: the organization's limits (the plan's), then
    /// a permit at its in-flight cap, a unit of its daily quota and its pacing slot. Nothing to
    /// wait for when limits are off or the call names no organization. What it waited for is
    /// recorded in `waits`.
    pub(crate) async fn admit(
        &self,
        org: Option<&str>,
        waits: &mut Vec<Wait>,
    ) -> Result<Option<Permit>, Error> {
        match org {
            // Boxed: the limiter's wait is long-lived and its future large beside the call's;
            // only a call that waits pays for the box.
            Some(org) if self.limiter.config.enabled => {
                Box::pin(async move {
                    let limits = self.limits_for(org).await;
                    self.limiter.acquire(org, limits, waits).await
                })
                .await
            }
            _ => Ok(None),
        }
    }

    /// The limits of an organization: the configured plan's, else the plan kept in the store
    /// (read within [`PLAN_KEPT_FOR`]), else the plan read once from
    /// `GET /organizations` and kept, else (when that fails) the Free plan's, the most careful.
    pub(crate) async fn limits_for(&self, org: &str) -> Limits {
        if let Some(plan) = self.plan {
            return plan.limits();
        }
        let mut known = self.limits.lock().await;
        if let Some(limits) = known.get(org) {
            return *limits;
        }
        // Another process on the same store (the last `zbooks call`) may have read it already:
        // one `GET /organizations` a day per store, not one per process.
        let now = self.clock.now();
        let kept = match self.limiter.store.load_plan(org).await {
            Ok(kept) => kept,
            Err(err) => {
                tracing::warn!(target: "zbooks::client", organization_id = org, error = %err, "cannot read the kept plan; asking Zoho");
                None
            }
        };
        if let Some((plan, checked_at)) = kept
            && now
                .duration_since(checked_at)
                .is_ok_and(|age| age < PLAN_KEPT_FOR)
        {
            let limits = plan.limits();
            known.insert(org.to_owned(), limits);
            return limits;
        }
        let plan = match self.read_plan(org).await {
            Ok(Some(plan)) => {
                if let Err(err) = self.limiter.store.save_plan(org, plan, now).await {
                    tracing::warn!(target: "zbooks::client", organization_id = org, error = %err, "cannot keep the plan in the store");
                }
                plan
            }
            Ok(None) => {
                tracing::warn!(target: "zbooks::client", organization_id = org, "no plan found for the organization; keeping the Free plan's limits");
                Plan::Free
            }
            Err(err) => {
                tracing::warn!(target: "zbooks::client", organization_id = org, error = %err, "could not read the plan; keeping the Free plan's limits");
                Plan::Free
            }
        };
        let limits = plan.limits();
        known.insert(org.to_owned(), limits);
        limits
    }

    async fn read_plan(&self, org: &str) -> Result<Option<Plan>, Error> {
        let call = Call {
            method: Method::GET,
            path: zbooks_types::resource::ORGANIZATIONS.path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotency: crate::endpoint::Idempotency::Safe,
            organization_id: None,
            natural_key: None,
            purpose: None,
            want_json: false,
        };
        let answer = Box::pin(self.execute(&call)).await?;
        let body: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|e| {
            Error::new(
                ErrorKind::Decode {
                    reason: e.to_string(),
                },
                Sent::Answered,
            )
        })?;
        let orgs = body
            .get(zbooks_types::resource::ORGANIZATIONS.plural)
            .and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(orgs
            .iter()
            .find(|o| {
                o.get("organization_id")
                    .map(|id| id.as_str().map_or_else(|| id.to_string(), str::to_owned))
                    .as_deref()
                    == Some(org)
            })
            .and_then(|o| {
                ["plan_name", "plan_type"]
                    .iter()
                    .filter_map(|k| o.get(*k).and_then(serde_json::Value::as_str))
                    .find_map(Plan::from_zoho_text)
            }))
    }
}

impl Inner {
    /// The call's URL with its query (`organization_id` first), form-encoded as reqwest's
    /// `query` would, written into the one string.
    fn url_with_query(&self, token: &ActiveToken, call: &Call) -> String {
        let pairs = call
            .organization_id
            .iter()
            .map(|org| ("organization_id", &**org));
        let pairs = pairs.chain(call.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let query_len: usize = pairs.clone().map(|(k, v)| k.len() + v.len() + 2).sum();
        let mut url = self.url_for(token, &call.path, query_len);
        if query_len == 0 {
            return url;
        }
        // Below a query the path already has, else a new one.
        let start = if let Some(at) = url.find('?') {
            at + 1
        } else {
            url.push('?');
            url.len()
        };
        let mut query = form_urlencoded::Serializer::for_suffix(url, start);
        query.extend_pairs(pairs);
        query.finish()
    }
}

/// A header value of its own: a clone would share the token's bytes, whose reference count
/// every worker's calls would then write to.
fn own_copy(value: &HeaderValue) -> HeaderValue {
    let mut copy = HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
    copy.set_sensitive(value.is_sensitive());
    copy
}

/// The attempt's result from a complete answer, as [`classify`] reads it.
fn answer_of(
    token: Arc<ActiveToken>,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    want_json: bool,
) -> Result<Answer, AttemptFailure> {
    let verdict = if want_json {
        classify_json(status, &body).map(|(_, json)| json)
    } else {
        classify(status, &body).map(|_| None)
    };
    match verdict {
        Ok(json) => Ok(Answer {
            status,
            headers,
            body,
            json,
        }),
        Err(failure) => Err(AttemptFailure {
            error: api_error(failure),
            token: Some(token),
            headers: Some(headers),
        }),
    }
}

fn api_error(failure: Failure) -> Error {
    Error::api(failure)
}

/// The more uncertain of two "was it sent" states: maybe sent outranks answered, which
/// outranks not sent (an answered failure after a lost one does not make the first certain).
fn most_uncertain(a: Sent, b: Sent) -> Sent {
    let rank = |s: Sent| match s {
        Sent::NotSent => 0,
        Sent::Answered => 1,
        Sent::MaybeSent => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Zoho's `X-Rate-Limit-*` headers, when all three are there (reference §2: observed in 2019,
/// absent in a 2026 probe; optional hints only).
pub(crate) fn server_quota(headers: &HeaderMap, now: SystemTime) -> Option<ServerQuota> {
    let number = |name: &str| -> Option<u64> {
        headers
            .get(name)?
            .to_str()
            .ok()?
            .trim()
            .replace(',', "")
            .parse()
            .ok()
    };
    let limit = u32::try_from(number("x-rate-limit-limit")?).ok()?;
    let remaining = u32::try_from(number("x-rate-limit-remaining")?).ok()?;
    let reset = number("x-rate-limit-reset")?;
    Some(ServerQuota {
        limit,
        remaining,
        resets_at: now + Duration::from_secs(reset),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str) -> Error {
        Error::api(classify(status, body.as_bytes()).unwrap_err())
    }

    #[test]
    fn decisions_follow_class_and_idempotency() {
        use Decision as D;
        use Idempotency as I;
        let e57 = api(
            401,
            r#"{"code":57,"message":"You are not authorized to perform this operation"}"#,
        );
        assert_eq!(decide(&e57, I::NonIdempotent, false), D::RefreshAndReplay);
        assert_eq!(decide(&e57, I::Safe, true), D::Fail);
        let e44 = api(429, r#"{"code":44,"message":"blocked"}"#);
        assert_eq!(decide(&e44, I::NonIdempotent, false), D::PauseAndRetry);
        let e45 = api(
            429,
            r#"{"code":45,"message":"The API call for this organization has exceeded the maximum call rate limit of 1,000."}"#,
        );
        assert_eq!(decide(&e45, I::Safe, false), D::QuotaExhausted);
        let e1070 = api(
            429,
            r#"{"code":1070,"message":"You have reached the maximum number of in process requests allowed. Kindly try again after some time."}"#,
        );
        assert_eq!(
            decide(&e1070, I::NonIdempotent, false),
            D::LowerInFlightAndRetry
        );
        let html = api(502, "<html><body>Bad Gateway</body></html>");
        assert_eq!(decide(&html, I::Safe, false), D::Backoff { timeout: false });
        assert_eq!(decide(&html, I::NonIdempotent, false), D::Fail);
        for body in [
            r#"{"code":6041,"message":"This user is not associated with the CompanyID/CompanyName:1."}"#,
            r#"{"code":1002,"message":"Invoice does not exist."}"#,
            r#"{"code":14,"message":"invalid"}"#,
        ] {
            assert_eq!(decide(&api(400, body), I::Safe, false), D::Fail, "{body}");
        }
        let not_sent = Error::new(
            ErrorKind::Transport {
                timeout: false,
                reason: "connection refused".into(),
            },
            Sent::NotSent,
        );
        assert_eq!(
            decide(&not_sent, I::NonIdempotent, false),
            D::Backoff { timeout: false }
        );
        let lost = not_sent.clone().with_sent(Sent::MaybeSent);
        assert_eq!(decide(&lost, I::NonIdempotent, false), D::Fail);
        assert_eq!(
            decide(&lost, I::Idempotent, false),
            D::Backoff { timeout: true }
        );
    }

    #[test]
    fn the_query_is_encoded_as_reqwest_would() {
        let client = crate::Client::builder()
            .api_url("http://127.0.0.1:9/books/v3")
            .organization_id("60000000001")
            .credentials(crate::Credentials::access_token("sim-token"))
            .build()
            .unwrap();
        let token = ActiveToken::new(zbooks_types::Secret::new("sim-token"), None, None).unwrap();
        let query = vec![
            (
                "search_text".to_owned(),
                "Acme & Sons / 50% + more ü".to_owned(),
            ),
            ("page".to_owned(), "2".to_owned()),
        ];
        for path in ["/contacts", "/contacts?sort_column=name"] {
            let call = Call {
                method: Method::GET,
                path: path.to_owned(),
                query: query.clone(),
                headers: Vec::new(),
                body: None,
                idempotency: crate::endpoint::Idempotency::Safe,
                organization_id: Some("60000000001".into()),
                natural_key: None,
                purpose: None,
                want_json: false,
            };
            let ours = client.inner.url_with_query(&token, &call);
            let mut pairs = vec![("organization_id", "60000000001")];
            pairs.extend(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let theirs = reqwest::Client::new()
                .get(format!("http://127.0.0.1:9/books/v3{path}"))
                .query(&pairs)
                .build()
                .unwrap();
            assert_eq!(ours, theirs.url().as_str(), "{path}");
        }
        let bare = Call {
            method: Method::GET,
            path: "/organizations".to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotency: crate::endpoint::Idempotency::Safe,
            organization_id: None,
            natural_key: None,
            purpose: None,
            want_json: false,
        };
        assert_eq!(
            client.inner.url_with_query(&token, &bare),
            "http://127.0.0.1:9/books/v3/organizations"
        );
    }

    #[test]
    fn reads_rate_limit_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-rate-limit-limit", HeaderValue::from_static("7500"));
        headers.insert("x-rate-limit-remaining", HeaderValue::from_static("6775"));
        headers.insert("x-rate-limit-reset", HeaderValue::from_static("34881"));
        let now = SystemTime::UNIX_EPOCH;
        let quota = server_quota(&headers, now).unwrap();
        assert_eq!(quota.limit, 7500);
        assert_eq!(quota.remaining, 6775);
        assert_eq!(quota.resets_at, now + Duration::from_secs(34_881));
        headers.remove("x-rate-limit-reset");
        assert!(server_quota(&headers, now).is_none());
    }
}
