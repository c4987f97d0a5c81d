//! One request, from the client's bytes to Zoho's answer: who is calling (loopback, gateway
//! token), which organization (one the gateway serves, or a refusal naming the fix), the body
//! (bounded, read in time, JSON kept byte for byte), an `Idempotency-Key`'s kept answer, the
//! organization's queue and its longest wait, then the organization's [`Client`] — its token,
//! pacing, retries and events — and Zoho's answer handed back, or the gateway's own in
//! Zoho's shape.
//!
//! A create whose answer was lost is never sent again blind: the record is looked up by its
//! natural key (the resource table's name field, read from the request's body) and the
//! record found is the answer; where no key applies, or nothing is found, the answer is a
//! 502 that says the create may have landed and how to look it up.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};
use hyper::{Method, Request, Response};
use serde_json::Value;
use serde_json::value::RawValue;
use tokio::sync::Notify;
use zbooks_client::{Client, ErrorKind, Idempotency};
use zbooks_types::resource::{self, Resource};
use zbooks_types::{Clock as _, FailureClass, SystemClock};

use crate::answer::{Body, Refusal, bytes_response, json_response, refuse, refuse_after};
use crate::config::GatewayConfig;
use crate::idempotency::{AnswerStore, Claim, KeyLocks, StoredAnswer};
use crate::observe::{Alert, AlertSink, Observer};
use crate::queue::Queues;

/// The header that names a request's longest wait in the queue, in seconds.
pub const MAX_WAIT_HEADER: &str = "x-zbooks-max-wait";
/// The header that makes a create safe to repeat.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// The header a replayed answer carries (`true`).
pub const REPLAY_HEADER: &str = "x-zbooks-idempotent-replay";
/// The header of an answer found by a lookup after a create's answer was lost (the key).
pub const ADOPTED_HEADER: &str = "x-zbooks-adopted";
/// Zoho's headers a client may send that go on to Zoho (the collection upsert).
const FORWARDED_HEADERS: [&str; 3] = [
    "x-unique-identifier-key",
    "x-unique-identifier-value",
    "x-upsert",
];

/// What every request shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: GatewayConfig,
    pub(crate) clients: HashMap<String, Client>,
    /// The organization a request without `organization_id` goes to.
    pub(crate) default_org: String,
    pub(crate) queues: Queues,
    pub(crate) answers: Arc<dyn AnswerStore>,
    pub(crate) key_locks: KeyLocks,
    /// This gateway's name on the keys it claims (unique per run and machine).
    pub(crate) holder: String,
    pub(crate) observer: Arc<Observer>,
    pub(crate) alerts: Option<Arc<dyn AlertSink>>,
    pub(crate) closing: AtomicBool,
    pub(crate) in_flight: AtomicUsize,
    pub(crate) idle: Notify,
    pub(crate) listen: SocketAddr,
}

/// Counts a request in flight until dropped (shutdown waits for the count to reach zero).
pub(crate) struct InFlight(Arc<Shared>);

impl InFlight {
    pub(crate) fn new(shared: &Arc<Shared>) -> Self {
        shared.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(shared.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// What was asked, once read.
#[derive(Debug)]
struct Asked {
    method: Method,
    path: String,
    org: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Box<RawValue>>,
    max_wait: Duration,
    idempotency_key: Option<String>,
}

/// Forwards a request for `path` (below `/books/v3`) and answers it.
pub(crate) async fn forward(
    shared: &Arc<Shared>,
    request: Request<hyper::body::Incoming>,
    path: String,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let mut org = None;
    let mut query = Vec::new();
    for (k, v) in form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()) {
        if k == "organization_id" {
            org = Some(v.into_owned());
        } else {
            query.push((k.into_owned(), v.into_owned()));
        }
    }
    let org = org.unwrap_or_else(|| shared.default_org.clone());
    if !shared.clients.contains_key(&org) {
        // Counted under the default organization: an unknown one gets no row of its own.
        shared
            .observer
            .refused(&shared.default_org, Refusal::UnknownOrganization.label());
        let mut served: Vec<&str> = shared.clients.keys().map(String::as_str).collect();
        served.sort_unstable();
        return refuse(
            Refusal::UnknownOrganization,
            &format!(
                "organization {org} is not served by this gateway (it serves {})",
                served.join(", ")
            ),
            "send organization_id of a served organization (or none, for the default), or \
             start a gateway with a profile for this organization (`zbooks --profile NAME \
             gateway`, after `zbooks auth login` and `zbooks config set organization_id`)",
        );
    }
    let max_wait = match parts.headers.get(MAX_WAIT_HEADER).map(|v| v.to_str()) {
        None | Some(Err(_)) => shared.config.max_wait,
        Some(Ok(text)) => match parse_seconds(text) {
            Some(wait) => wait,
            None => {
                return refuse(
                    Refusal::UnsupportedBody,
                    &format!("X-Zbooks-Max-Wait {text:?} is not a number of seconds"),
                    "send seconds, like `X-Zbooks-Max-Wait: 5` or `0.5`",
                );
            }
        },
    };
    let idempotency_key = parts
        .headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty());
    let headers = FORWARDED_HEADERS
        .iter()
        .filter_map(|name| {
            let value = parts.headers.get(*name)?.to_str().ok()?;
            Some(((*name).to_owned(), value.to_owned()))
        })
        .collect();
    let body = match read_body(shared, &parts.headers, body).await {
        Ok(body) => body,
        Err(response) => {
            shared.observer.refused(&org, refusal_label(&response));
            return response;
        }
    };
    let asked = Asked {
        method: parts.method,
        path,
        org,
        query,
        headers,
        body,
        max_wait,
        idempotency_key,
    };
    // The rest runs on its own task: a client that hangs up does not cut a call half-sent,
    // and its answer is still kept for its idempotency key.
    let shared = shared.clone();
    let org = asked.org.clone();
    let task = tokio::spawn(async move {
        let response = answer(&shared, &asked).await;
        shared
            .observer
            .answered(&asked.org, response.status().as_u16());
        response
    });
    match task.await {
        Ok(response) => response,
        Err(err) => {
            tracing::error!(target: "zbooks::gateway", organization_id = %org, error = %err, "a request's task failed");
            refuse(
                Refusal::Internal,
                "the gateway failed while answering this request",
                "send it again; if it was a create, look it up first",
            )
        }
    }
}

fn refusal_label(response: &Response<Body>) -> &'static str {
    match response.status().as_u16() {
        408 => Refusal::SlowBody.label(),
        413 => Refusal::BodyTooLarge.label(),
        _ => Refusal::UnsupportedBody.label(),
    }
}

/// Seconds, as `5`, `0.5` or `5s`/`500ms`.
fn parse_seconds(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 0.001)
    } else {
        (text.strip_suffix('s').unwrap_or(text), 1.0)
    };
    let value: f64 = number.trim().parse().ok()?;
    // `try_`: a number too large for a duration is refused, not a panic.
    Duration::try_from_secs_f64(value * scale).ok()
}

/// Reads the body within the size limit and the read timeout; JSON is kept byte for byte, a
/// form's `JSONString` (how many Zoho examples send it) is taken out of the form.
async fn read_body(
    shared: &Shared,
    headers: &HeaderMap,
    body: hyper::body::Incoming,
) -> Result<Option<Box<RawValue>>, Response<Body>> {
    let limit = shared.config.max_body;
    let too_large = || {
        refuse(
            Refusal::BodyTooLarge,
            &format!("the request body is larger than the gateway's limit of {limit} bytes"),
            "send a smaller body, or start the gateway with a larger --max-body",
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let read = tokio::time::timeout(
        shared.config.read_timeout,
        Limited::new(body, limit).collect(),
    )
    .await;
    let bytes: Bytes = match read {
        Err(_) => {
            return Err(refuse(
                Refusal::SlowBody,
                "the request body did not arrive in time",
                "send the whole body at once",
            ));
        }
        Ok(Err(err)) => {
            if err
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return Err(too_large());
            }
            return Err(refuse(
                Refusal::SlowBody,
                &format!("the request body could not be read: {err}"),
                "send it again",
            ));
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let json = if content_type.starts_with("application/x-www-form-urlencoded") {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "JSONString")
            .map(|(_, v)| v.into_owned())
    } else if content_type.is_empty() || content_type.contains("json") {
        String::from_utf8(bytes.to_vec()).ok()
    } else {
        None
    };
    let unsupported = |why: &str| {
        refuse(
            Refusal::UnsupportedBody,
            &format!("the request body is {why}"),
            "send JSON (`Content-Type: application/json`) or a form with a JSONString field; \
             attachments (multipart) go to Zoho directly for now",
        )
    };
    let Some(json) = json else {
        return Err(unsupported(&format!(
            "neither JSON nor a form with JSONString ({})",
            if content_type.is_empty() {
                "no content type"
            } else {
                &content_type
            }
        )));
    };
    RawValue::from_string(json)
        .map(Some)
        .map_err(|e| unsupported(&format!("not valid JSON: {e}")))
}

/// The answer to a request that was read: kept, refused, or Zoho's.
async fn answer(shared: &Arc<Shared>, asked: &Asked) -> Response<Body> {
    let Some(key) = &asked.idempotency_key else {
        return send(shared, asked).await.0;
    };
    let scoped = format!("{}:{}:{}:{key}", asked.org, asked.method, asked.path);
    let _held = shared.key_locks.hold(&scoped).await;
    let holder = shared.holder.as_str();
    let waiting_since = tokio::time::Instant::now();
    // The marker outlasts the request's own wait in the queue (a client may ask for a long
    // one), so no other gateway takes the key while this request still waits to be sent.
    let pending_for = shared
        .config
        .idempotency_pending
        .saturating_add(asked.max_wait);
    let mut poll = Duration::from_millis(10);
    let now = loop {
        let now = SystemClock.now();
        let claim = shared
            .answers
            .claim(
                &scoped,
                holder,
                now,
                now.checked_add(pending_for)
                    .or_else(|| now.checked_add(shared.config.idempotency_pending))
                    .unwrap_or(now),
            )
            .await;
        match claim {
            Ok(Claim::Kept(kept)) => {
                shared.observer.replayed(&asked.org);
                let mut response = bytes_response(
                    kept.status,
                    kept.content_type.as_deref(),
                    Bytes::from(kept.body),
                );
                response.headers_mut().insert(
                    REPLAY_HEADER,
                    hyper::header::HeaderValue::from_static("true"),
                );
                return response;
            }
            Ok(Claim::Mine) => break now,
            Ok(Claim::Pending) => {
                // Another gateway sharing the state sends this key now: its answer is ours.
                let waited = waiting_since.elapsed();
                if waited >= shared.config.idempotency_wait {
                    return refuse_after(
                        Refusal::KeyInFlight,
                        &format!(
                            "a request with this Idempotency-Key is still in flight (on this \
                             gateway or another sharing its state) after {} s",
                            waited.as_secs()
                        ),
                        "send it again with the same Idempotency-Key after Retry-After: you \
                         get the first request's answer, never a second record",
                        poll.max(Duration::from_secs(1)),
                    );
                }
                tokio::time::sleep(poll.min(shared.config.idempotency_wait.saturating_sub(waited)))
                    .await;
                poll = (poll * 2).min(Duration::from_millis(250));
            }
            Err(err) => {
                tracing::warn!(target: "zbooks::gateway", error = %err, "cannot read an idempotency key's answer");
                return refuse(
                    Refusal::Internal,
                    &format!("the gateway cannot read the answers it keeps: {err}"),
                    "send it again; the request was not sent to Zoho",
                );
            }
        }
    };
    let (response, final_answer) = send(shared, asked).await;
    if final_answer {
        let kept = StoredAnswer {
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: body_bytes(&response).to_vec(),
        };
        let expires = now + shared.config.idempotency_ttl;
        if let Err(err) = shared
            .answers
            .save(&scoped, &kept, SystemClock.now(), expires)
            .await
        {
            tracing::warn!(target: "zbooks::gateway", error = %err, "cannot keep an idempotency key's answer");
        }
    } else if let Err(err) = shared.answers.release(&scoped, holder).await {
        // The marker lapses by itself (`idempotency_pending` after the request's wait).
        tracing::warn!(target: "zbooks::gateway", error = %err, "cannot free an idempotency key");
    }
    response
}

/// A name for this gateway's claims on keys: its process, address and a random part, so two
/// gateways (or two runs of one) never share one.
pub(crate) fn holder_name(addr: SocketAddr) -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemClock
            .now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{}@{addr}#{:016x}", std::process::id(), hasher.finish())
}

/// The bytes of an answer the gateway built (always one whole frame).
fn body_bytes(response: &Response<Body>) -> Bytes {
    // `Full` holds its one frame until polled: cloning the response body is cheap.
    let mut body = response.body().clone();
    let mut out = Bytes::new();
    if let Some(Ok(frame)) = futures_now(&mut body)
        && let Ok(data) = frame.into_data()
    {
        out = data;
    }
    out
}

/// Polls a `Full` body once: it is always ready.
fn futures_now(
    body: &mut Body,
) -> Option<Result<hyper::body::Frame<Bytes>, std::convert::Infallible>> {
    use hyper::body::Body as _;
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    match std::pin::Pin::new(body).poll_frame(&mut cx) {
        std::task::Poll::Ready(frame) => frame,
        std::task::Poll::Pending => None,
    }
}

/// Waits in the organization's queue, sends through its client, and says whether the answer
/// is final (kept for an idempotency key): Zoho's answer below 500 but a 429, or a create in
/// doubt (sending it again under the same key must not create it twice).
async fn send(shared: &Arc<Shared>, asked: &Asked) -> (Response<Body>, bool) {
    let Some(client) = shared.clients.get(&asked.org) else {
        // Checked before the body was read.
        return (
            refuse(
                Refusal::Internal,
                "no client for the organization",
                "report it",
            ),
            false,
        );
    };
    let queue = shared.queues.of(&asked.org);
    let interval = shared.config.limits.interval();
    let until_next_slot = match client.limits_snapshot(&asked.org).await {
        Ok(snapshot) => {
            let now = SystemClock.now();
            [snapshot.next_slot, snapshot.paused_until]
                .into_iter()
                .flatten()
                .filter_map(|at| at.duration_since(now).ok())
                .max()
                .unwrap_or_default()
        }
        Err(_) => Duration::ZERO,
    };
    let estimate = if shared.config.limits.enabled {
        queue.estimate(until_next_slot, interval)
    } else {
        Duration::ZERO
    };
    let too_long = |estimate: Duration| {
        shared
            .observer
            .refused(&asked.org, Refusal::WaitTooLong.label());
        refuse_after(
            Refusal::WaitTooLong,
            &format!(
                "organization {} is busy: this request would wait about {:.1} s, longer than \
                 its maximum of {:.1} s",
                asked.org,
                estimate.as_secs_f64(),
                asked.max_wait.as_secs_f64()
            ),
            "send it again after Retry-After, or allow a longer wait with X-Zbooks-Max-Wait \
             (seconds)",
            estimate,
        )
    };
    if estimate > asked.max_wait {
        return (too_long(estimate), false);
    }
    let Some(place) = queue.enter(asked.max_wait).await else {
        return (too_long(queue.estimate(until_next_slot, interval)), false);
    };
    let upsert = upsert_of(shared, asked);
    let method = if upsert.is_some() {
        Method::PUT
    } else {
        asked.method.clone()
    };
    let mut request = client.request(method, &asked.path);
    if let Some((field, value)) = &upsert {
        // Zoho's own idempotency: the record is found by the unique value, or created with
        // it; repeating the call cannot make a second one.
        request = request
            .header("X-Unique-Identifier-Key", field)
            .header("X-Unique-Identifier-Value", value)
            .header("X-Upsert", "true")
            .idempotency(Idempotency::Idempotent)
            .natural_key(format!("{field}={value}"));
    }
    if asked.path == resource::ORGANIZATIONS.path {
        request = request.without_organization();
    }
    for (k, v) in &asked.query {
        request = request.query(k, v);
    }
    for (k, v) in &asked.headers {
        request = request.header(k, v);
    }
    if let Some(body) = &asked.body {
        request = request.json(body);
    }
    let create = creates(asked);
    if let (Some((row, key)), None) = (&create, &upsert) {
        request = request.natural_key(format!("{}={key}", row.name_field));
    }
    let result = request.send().await;
    drop(place);
    match result {
        Ok(answer) => {
            let content_type = answer
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let mut response = bytes_response(
                answer.status,
                content_type.as_deref(),
                Bytes::copy_from_slice(answer.bytes()),
            );
            if let Some(value) = answer.headers.get(CONTENT_DISPOSITION) {
                response
                    .headers_mut()
                    .insert(CONTENT_DISPOSITION, value.clone());
            }
            (response, true)
        }
        Err(err) if asked.method == Method::POST && upsert.is_none() && err.may_have_landed() => {
            (settle(shared, client, asked, create, &err).await, true)
        }
        Err(err) => {
            let response = failed(shared, asked, &err);
            let status = response.status().as_u16();
            (response, status < 500 && status != 429)
        }
    }
}

/// The unique custom field and value a create goes to Zoho's upsert with: a `POST` to a
/// resource that has the upsert, carrying an `Idempotency-Key`, with a unique field
/// configured.
fn upsert_of(shared: &Shared, asked: &Asked) -> Option<(String, String)> {
    let field = shared.config.unique_field.as_ref()?;
    let key = asked.idempotency_key.as_ref()?;
    if asked.method != Method::POST {
        return None;
    }
    resource::by_path(&asked.path).filter(|r| r.path == asked.path && r.upsert)?;
    Some((field.clone(), key.clone()))
}

/// The resource row and natural key of a create (`POST /contacts` whose body names
/// `contact_name`), if the request is one.
fn creates(asked: &Asked) -> Option<(&'static Resource, String)> {
    if asked.method != Method::POST {
        return None;
    }
    let row =
        resource::by_path(&asked.path).filter(|r| r.path == asked.path && r.entity.is_some())?;
    let body: Value = serde_json::from_str(asked.body.as_ref()?.get()).ok()?;
    let key = body.get(row.name_field)?;
    let key = match key {
        Value::String(s) if !s.trim().is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Some((row, key))
}

/// A create's answer was lost (or Zoho failed after it may have acted): look the record up by
/// its natural key and answer with it; else say it may have landed and how to look it up.
async fn settle(
    shared: &Shared,
    client: &Client,
    asked: &Asked,
    create: Option<(&'static Resource, String)>,
    err: &zbooks_client::Error,
) -> Response<Body> {
    let lost = zbooks_types::scrub(&err.to_string());
    let Some((row, key)) = create else {
        let response = refuse(
            Refusal::CreateInDoubt,
            &format!(
                "POST {} may have created the record: {lost}; the gateway did not send it again \
                 and has no natural key to look it up by",
                asked.path
            ),
            &format!(
                "list {} (newest first) and look for it before sending it again, or send \
                 creates with an Idempotency-Key header",
                asked.path
            ),
        );
        alert(shared, asked, &response, &lost);
        return response;
    };
    let found = client
        .resource::<Value>(row)
        .find_by(row.name_filter, &key)
        .await;
    match found {
        Ok(Some(record)) => {
            shared.observer.adopted(&asked.org);
            tracing::info!(target: "zbooks::gateway", organization_id = %asked.org, path = %asked.path, key = %key, "a create's answer was lost; found it by its natural key");
            let body = serde_json::json!({
                "code": 0,
                "message": format!(
                    "The {} was created; its answer was lost on the way and zbooks found it by \
                     its {}.",
                    row.singular.replace('_', " "),
                    row.name_field
                ),
                row.singular: record,
            });
            let mut response = json_response(201, &body);
            if let Ok(value) =
                hyper::header::HeaderValue::from_str(&format!("{}={key}", row.name_field))
            {
                response.headers_mut().insert(ADOPTED_HEADER, value);
            }
            response
        }
        Ok(None) => {
            let (status, answered) = (err.status(), err.failure().is_some());
            if answered && status.is_some_and(|s| s >= 500) {
                // Zoho failed and the record is not there: Zoho's own answer stands.
                return failed(shared, asked, err);
            }
            refuse(
                Refusal::CreateInDoubt,
                &format!(
                    "POST {} got no answer ({lost}); the gateway looked it up by {}={key} and \
                     found nothing, so it did not land",
                    asked.path, row.name_field
                ),
                "send it again (with an Idempotency-Key header, repeating it is always safe)",
            )
        }
        Err(lookup) => {
            let response = refuse(
                Refusal::CreateInDoubt,
                &format!(
                    "POST {} may have created the record ({lost}) and the lookup by {}={key} \
                     failed: {}",
                    asked.path,
                    row.name_field,
                    zbooks_types::scrub(&lookup.to_string())
                ),
                &format!(
                    "look it up before sending it again: GET /books/v3{}?{}={key}",
                    row.listing().path,
                    row.name_filter
                ),
            );
            alert(shared, asked, &response, &lost);
            response
        }
    }
}

/// The answer to a call the client gave up on: Zoho's own failure where it answered, else the
/// gateway's, in Zoho's shape.
fn failed(shared: &Shared, asked: &Asked, err: &zbooks_client::Error) -> Response<Body> {
    let text = zbooks_types::scrub(&err.to_string());
    let now = SystemClock.now();
    let response = match err.kind() {
        ErrorKind::QuotaExhausted { resets_at, .. } => {
            let after = resets_at
                .and_then(|at| at.duration_since(now).ok())
                .unwrap_or(Duration::from_hours(1));
            let mut response = zoho_shaped(
                429,
                Some(45),
                &format!(
                    "The organization's daily API quota is spent ({text}); zbooks refuses calls \
                     until it resets."
                ),
            );
            crate::answer::set_retry_after(&mut response, after);
            response
        }
        ErrorKind::TokenThrottled { retry_at } => refuse_after(
            Refusal::Upstream,
            &format!("Zoho's accounts server refuses new tokens for now: {text}"),
            "wait for Retry-After; check that no other program refreshes tokens in a loop",
            retry_at.duration_since(now).unwrap_or_default(),
        ),
        ErrorKind::AuthMisconfigured { .. }
        | ErrorKind::Scope { .. }
        | ErrorKind::WrongDataCenter { .. } => refuse(
            Refusal::Upstream,
            &format!("the gateway's own Zoho login is refused: {text}"),
            "on the gateway's machine run `zbooks doctor`, then `zbooks auth login` if it says \
             so; the programs calling the gateway need no change",
        ),
        _ => match err.failure() {
            Some(failure) => {
                let mut response = zoho_shaped(
                    failure.status,
                    failure.code,
                    failure.message.as_deref().unwrap_or(&text),
                );
                if failure.status == 429 {
                    crate::answer::set_retry_after(&mut response, shared.config.limits.window);
                }
                response
            }
            None => refuse(
                Refusal::Upstream,
                &format!("Zoho could not be reached: {text}"),
                "send it again later; `zbooks doctor` checks the way to Zoho",
            ),
        },
    };
    if !err.is_retryable() || matches!(err.class(), FailureClass::QuotaExhaustedDay) {
        alert(shared, asked, &response, &text);
    }
    response
}

/// Zoho's failure, in Zoho's shape.
fn zoho_shaped(status: u16, code: Option<i64>, message: &str) -> Response<Body> {
    let mut body = serde_json::Map::new();
    if let Some(code) = code {
        body.insert("code".to_owned(), code.into());
    }
    body.insert("message".to_owned(), zbooks_types::scrub(message).into());
    json_response(status, &Value::Object(body))
}

/// Raises a permanent failure (counted as a refusal too when it is the gateway's).
fn alert(shared: &Shared, asked: &Asked, response: &Response<Body>, message: &str) {
    tracing::warn!(target: "zbooks::gateway", organization_id = %asked.org, method = %asked.method, path = %asked.path, status = response.status().as_u16(), "{message}");
    if let Some(alerts) = &shared.alerts {
        let code = serde_json::from_slice::<Value>(&body_bytes(response))
            .ok()
            .and_then(|b| b.get("code").and_then(Value::as_i64));
        alerts.raise(&Alert {
            organization_id: asked.org.clone(),
            method: asked.method.to_string(),
            path: format!("/books/v3{}", asked.path),
            status: response.status().as_u16(),
            code,
            message: zbooks_types::scrub(message),
        });
    }
}

/// Seconds from now to `at`, for the status.
pub(crate) fn seconds_until(at: SystemTime) -> f64 {
    at.duration_since(SystemClock.now())
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_read_in_seconds() {
        assert_eq!(parse_seconds("5"), Some(Duration::from_secs(5)));
        assert_eq!(parse_seconds("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_seconds("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_seconds("-1"), None);
        assert_eq!(parse_seconds("soon"), None);
        // Too large for a duration, or not a number: refused, never a panic.
        assert_eq!(parse_seconds("1e300"), None);
        assert_eq!(parse_seconds("inf"), None);
        assert_eq!(parse_seconds("NaN"), None);
    }
}
