//! The HTTP server: our own accept loop over hyper, so a fault can break a connection the way
//! networks do: reset before the handler runs, reset after it committed (the lost response),
//! cut a body short or stall.
//!
//! A reset is a real TCP RST: the connection's socket gets `SO_LINGER 0` and is closed while
//! the request is unanswered, so the client sees "connection reset", not a clean end.
//!
//! Connections are bounded, so idle clients cannot starve the process of file descriptors:
//! a keep-alive connection with no request in flight for [`Limits::idle_timeout`] is closed,
//! at [`Limits::max_connections`] open the loop stops accepting (the kernel queues newcomers)
//! until one ends, and a failing `accept` (EMFILE, ENFILE) backs off instead of spinning.

use std::convert::Infallible;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Frame, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::choices;
use crate::control::log::LogLine;
use crate::faults::FaultAction;
use crate::http::request::{Area, Incoming};
use crate::http::{accounts, books, control};
use crate::rules::reply::Reply;
use crate::state::Shared;
use crate::store::lock;

/// A response body: whole, or cut short (the first part, a pause so it reaches the wire,
/// then an error, which makes hyper drop the connection mid-body).
#[derive(Debug)]
pub(crate) enum SimBody {
    Whole(Option<Bytes>),
    Truncated(Option<Bytes>, Pin<Box<tokio::time::Sleep>>),
}

impl SimBody {
    fn truncated(part: Bytes) -> SimBody {
        SimBody::Truncated(
            Some(part),
            Box::pin(tokio::time::sleep(Duration::from_millis(50))),
        )
    }
}

/// The error a truncated body ends with.
#[derive(Debug)]
pub(crate) struct Cut;

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("body cut short by a scripted fault")
    }
}

impl std::error::Error for Cut {}

impl Body for SimBody {
    type Data = Bytes;
    type Error = Cut;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Cut>>> {
        match self.get_mut() {
            SimBody::Whole(data) => Poll::Ready(data.take().map(|d| Ok(Frame::data(d)))),
            SimBody::Truncated(data, pause) => match data.take() {
                Some(d) => Poll::Ready(Some(Ok(Frame::data(d)))),
                None => pause.as_mut().poll(cx).map(|()| Some(Err(Cut))),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, SimBody::Whole(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            SimBody::Whole(Some(d)) => SizeHint::with_exact(d.len() as u64),
            _ => SizeHint::default(),
        }
    }
}

/// One connection's kill switch.
#[derive(Debug, Default)]
struct ConnCtl {
    kill: Notify,
}

/// How many connections the server keeps and for how long.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// A connection with no request in flight for this long is closed.
    pub(crate) idle_timeout: Duration,
    /// The most connections open at once; more wait in the kernel's accept queue.
    pub(crate) max_connections: usize,
}

/// Connection figures, shared by the accept loop and [`crate::RunningSim::connections`].
#[derive(Debug, Default)]
pub(crate) struct ConnStats {
    open: AtomicUsize,
    peak: AtomicUsize,
    closed_idle: AtomicU64,
    accept_errors: AtomicU64,
}

impl ConnStats {
    pub(crate) fn snapshot(&self) -> crate::Connections {
        crate::Connections {
            open: self.open.load(Ordering::SeqCst),
            peak: self.peak.load(Ordering::SeqCst),
            closed_idle: self.closed_idle.load(Ordering::SeqCst),
            accept_errors: self.accept_errors.load(Ordering::SeqCst),
        }
    }

    fn opened(self: &Arc<Self>) -> Open {
        let now = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Open(self.clone())
    }
}

/// One open connection, counted until dropped.
struct Open(Arc<ConnStats>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The first pause after a failed `accept`; it doubles up to [`ACCEPT_BACKOFF_MAX`].
const ACCEPT_BACKOFF: Duration = Duration::from_millis(5);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);

/// Accepts connections until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    config_seed: u64,
    limits: Limits,
    stats: Arc<ConnStats>,
) {
    let mut connections = JoinSet::new();
    let mut backoff = ACCEPT_BACKOFF;
    let max = limits.max_connections.max(1);
    loop {
        tokio::select! {
            // At the cap, `accept` is not polled at all: nothing is taken off the queue, so
            // nothing is spun on, until a connection ends below.
            accepted = listener.accept(), if connections.len() < max => {
                if let Ok((stream, _)) = accepted {
                    backoff = ACCEPT_BACKOFF;
                    let open = stats.opened();
                    connections.spawn(connection(
                        stream,
                        shared.clone(),
                        shutdown.clone(),
                        config_seed,
                        limits.idle_timeout,
                        open,
                    ));
                } else {
                    stats.accept_errors.fetch_add(1, Ordering::SeqCst);
                    // Out of file descriptors (or any other failure that would repeat at
                    // once): the listener stays readable, so retrying now would spin.
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {}
                        _ = shutdown.changed() => break,
                    }
                    backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// Whether a connection has a request in flight, and when it last finished one.
#[derive(Debug)]
struct Activity {
    in_flight: AtomicUsize,
    last: Mutex<Instant>,
}

impl Activity {
    fn new() -> Self {
        Activity {
            in_flight: AtomicUsize::new(0),
            last: Mutex::new(Instant::now()),
        }
    }

    fn begin(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        Busy(self.clone())
    }

    fn is_busy(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) > 0
    }

    fn last(&self) -> Instant {
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A request in flight; dropping it (the handler ended or was cancelled) restarts the idle
/// clock.
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        *self
            .0
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    config_seed: u64,
    idle_timeout: Duration,
    open: Open,
) {
    let _ = stream.set_nodelay(true);
    let stream = Resettable {
        inner: stream,
        reset: Arc::new(AtomicBool::new(false)),
    };
    let reset_on_close = stream.reset.clone();
    let ctl = Arc::new(ConnCtl::default());
    let activity = Arc::new(Activity::new());
    let service = {
        let ctl = ctl.clone();
        let activity = activity.clone();
        service_fn(move |req| {
            let shared = shared.clone();
            let ctl = ctl.clone();
            let busy = activity.begin();
            async move {
                let response = handle(&shared, &ctl, req, config_seed).await;
                drop(busy);
                Ok::<_, Infallible>(response)
            }
        })
    };
    {
        let conn = http1::Builder::new()
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), service);
        tokio::pin!(conn);
        // When the idle close was asked for; hyper closes a connection between requests at
        // once, but one that never sent a request only when dropped.
        let mut closing: Option<Instant> = None;
        loop {
            let wake = match closing {
                _ if activity.is_busy() => Instant::now() + idle_timeout,
                Some(at) => at + idle_timeout.min(CLOSE_GRACE),
                None => activity.last() + idle_timeout,
            };
            tokio::select! {
                _ = conn.as_mut() => break,
                () = ctl.kill.notified() => {
                    reset_on_close.store(true, Ordering::SeqCst);
                    break;
                }
                _ = shutdown.changed() => break,
                () = tokio::time::sleep_until(wake) => {
                    if closing.is_some() {
                        if activity.is_busy() {
                            continue;
                        }
                        break;
                    }
                    // A request may have come and gone while asleep.
                    if activity.is_busy() || activity.last() + idle_timeout > Instant::now() {
                        continue;
                    }
                    conn.as_mut().graceful_shutdown();
                    closing = Some(Instant::now());
                    open.0.closed_idle.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    }
    drop(open);
}

/// A connection's socket that can be told to close with a reset. It replaces a second handle
/// on the socket (`dup`), which cost every connection two file descriptors.
struct Resettable {
    inner: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Resettable {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            // Closing with `SO_LINGER 0` sends RST instead of FIN.
            let _ = socket2::SockRef::from(&self.inner).set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for Resettable {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Resettable {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// How long an idle connection asked to close may take to go before it is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Closes the connection with a reset and never answers.
async fn reset(ctl: &ConnCtl) -> Response<SimBody> {
    ctl.kill.notify_one();
    std::future::pending::<()>().await;
    unreachable!("the connection is dropped before this future is polled again")
}

fn gateway_page(status: u16) -> Reply {
    let title = match status {
        502 => "502 Bad Gateway",
        503 => "503 Service Temporarily Unavailable",
        504 => "504 Gateway Time-out",
        _ => "Error",
    };
    Reply::raw(
        status,
        "text/html",
        format!(
            "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>ZGS</center>\r\n</body>\r\n</html>\r\n"
        ),
    )
}

fn fault_status(
    status: u16,
    body: Option<&serde_json::Value>,
    code: Option<i64>,
    message: Option<&str>,
) -> Reply {
    match body {
        Some(body) => Reply::json(status, body),
        None => Reply::json(
            status,
            &json!({"code": code.unwrap_or(1000), "message": message.unwrap_or("Internal error")}),
        ),
    }
}

async fn handle(
    shared: &Shared,
    ctl: &ConnCtl,
    req: Request<hyper::body::Incoming>,
    config_seed: u64,
) -> Response<SimBody> {
    let (parts, body) = req.into_parts();
    let (bytes, too_big) = match Limited::new(body, choices::MAX_BODY_BYTES).collect().await {
        Ok(collected) => (collected.to_bytes(), false),
        Err(_) => (Bytes::new(), true),
    };
    let inc = Incoming::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        parts.headers,
        bytes,
        shared.settings.default_dc,
    );
    let mut response = match process(shared, &inc, too_big, config_seed).await {
        Outcome::Reset => return reset(ctl).await,
        Outcome::Answer(mut reply, action) => {
            let full = reply.body.len();
            match action {
                Some(FaultAction::Truncate) => {
                    let cut = reply.body.slice(..full / 2);
                    let mut response = respond(reply, Some(SimBody::truncated(cut)));
                    response
                        .headers_mut()
                        .insert(hyper::header::CONTENT_LENGTH, full.into());
                    response
                }
                Some(FaultAction::InvalidJson) => {
                    reply.body = reply.body.slice(..full / 2);
                    respond(reply, None)
                }
                _ => respond(reply, None),
            }
        }
    };
    // Zoho's `Date` is Zoho's clock. hyper writes the machine's; a simulator whose clock was
    // moved (`advance_clock`, a manual clock) writes its own, so that clients see the skew.
    let now = shared.clock.now();
    // The machine's clock, which hyper's `Date` would give.
    let real = zbooks_types::Clock::now(&zbooks_types::SystemClock);
    let skew = now.duration_since(real).unwrap_or_else(|e| e.duration());
    if skew >= Duration::from_secs(1)
        && let Ok(date) = hyper::header::HeaderValue::from_str(&crate::time::http_date(now))
    {
        response.headers_mut().insert(hyper::header::DATE, date);
    }
    response
}

/// What becomes of one request.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one per request, moved once; boxing the answer would allocate on every request"
)]
pub(crate) enum Outcome {
    /// This answer, cut short afterwards when the fault says so (`truncate`, `invalid_json`).
    Answer(Reply, Option<FaultAction>),
    /// No answer: the connection is reset.
    Reset,
}

/// Answers one request, faults, limits and logging included: everything but the connection.
pub(crate) async fn process(
    shared: &Shared,
    inc: &Incoming,
    too_big: bool,
    config_seed: u64,
) -> Outcome {
    if inc.area == Area::Control {
        return Outcome::Answer(control::handle(shared, inc, config_seed), None);
    }
    let org = inc.param("organization_id");
    let decision = if inc.area == Area::Unknown {
        None
    } else {
        lock(&shared.faults).decide(&inc.method, &inc.norm, org)
    };
    let (action, fault_name) = match decision {
        Some((a, n)) => (Some(a), Some(n)),
        None => (None, None),
    };
    let mut entry = LogLine {
        method: &inc.method,
        path: &inc.path,
        organization_id: org,
        fault: fault_name.as_deref(),
        ..LogLine::default()
    };
    // Faults answered before Zoho sees the call.
    let early = match &action {
        Some(FaultAction::Status {
            status,
            body,
            code,
            message,
        }) => Some(fault_status(
            *status,
            body.as_ref(),
            *code,
            message.as_deref(),
        )),
        Some(FaultAction::GatewayHtml { status }) => Some(gateway_page(*status)),
        Some(FaultAction::ResetBefore) => {
            record(shared, &entry);
            return Outcome::Reset;
        }
        Some(FaultAction::ExpireToken) => {
            if let Some((_, token)) = inc
                .header("authorization")
                .and_then(|h| h.trim().split_once(' '))
            {
                lock(&shared.auth).expire(Some(token.trim()), shared.clock.now());
            }
            None
        }
        _ => None,
    };
    let mut reply = match early {
        Some(reply) => reply,
        None if too_big => Reply::invalid("JSONString"),
        None => match inc.area {
            Area::Books => books::handle(shared, inc, action.as_ref()).await,
            Area::Accounts => {
                match &action {
                    Some(FaultAction::Delay { ms }) => {
                        tokio::time::sleep(Duration::from_millis(*ms)).await;
                    }
                    Some(FaultAction::Stall) => {
                        tokio::time::sleep(shared.settings.stall).await;
                        record(shared, &entry);
                        return Outcome::Reset;
                    }
                    _ => {}
                }
                accounts::handle(shared, inc)
            }
            Area::Control | Area::Unknown => Reply::unmatched(),
        },
    };
    entry.code = reply.code;
    entry.created = std::mem::take(&mut reply.created);
    entry.unmatched = reply.unmatched;
    if reply.duplicate {
        lock(&shared.journal).counters.duplicates_refused += 1;
    }
    if reply.drop_connection || matches!(action, Some(FaultAction::ResetAfter)) {
        record(shared, &entry);
        return Outcome::Reset;
    }
    entry.status = reply.status;
    record(shared, &entry);
    Outcome::Answer(reply, action)
}

fn record(shared: &Shared, entry: &LogLine<'_>) {
    let capacity = shared.settings.log_capacity;
    lock(&shared.journal).record(entry, capacity);
}

fn respond(reply: Reply, body: Option<SimBody>) -> Response<SimBody> {
    let status = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(body.unwrap_or(SimBody::Whole(Some(reply.body))));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(reply.content_type),
    );
    for (name, value) in reply.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}
