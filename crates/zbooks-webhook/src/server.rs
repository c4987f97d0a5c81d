//! The receiver: an HTTP/1.1 server (hyper, as the simulator) that takes Zoho's deliveries,
//! checks each signature, writes each to the log, answers at once, and forwards accepted
//! events from a queue in the background (a forward that fails is retried; the answer to Zoho
//! never waits on it, so Zoho's own retries are not spent on our forwarding target).

use std::convert::Infallible;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::event::identify;
use crate::store::{Delivery, Store, Verdict};
use crate::verify::{SIGNATURE_HEADER, signed_input, verify};

/// The largest body taken: Zoho's raw body is at most 100,000 characters, the default payload
/// one record with its line items.
const MAX_BODY: usize = 5 * 1024 * 1024;

/// Where accepted events go.
#[derive(Debug, Clone)]
pub enum Forward {
    /// Kept only.
    None,
    /// POSTed to this URL, body and content type as Zoho sent them.
    Url(String),
    /// Run with `sh -c`, the body on stdin, `ZBOOKS_WEBHOOK_EVENT_ID`, `_MODULE`, `_ENTITY_ID`
    /// in its environment; exit 0 means done.
    Command(String),
}

/// The receiver's settings.
#[derive(Clone)]
pub struct Receiver {
    /// The log.
    pub store: Arc<Store>,
    /// The webhook's secret, as set in Zoho.
    pub secret: Vec<u8>,
    /// Where accepted events go.
    pub forward: Forward,
    /// How long to wait before forwarding again after a failure.
    pub retry_every: Duration,
    /// After this many failed forwards an event is left as failed.
    pub max_attempts: i64,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("forward", &self.forward)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> i64 {
    #[expect(
        clippy::disallowed_methods,
        reason = "the receiver stamps when a delivery arrived: real time, not a scaled clock"
    )]
    let now = SystemTime::now();
    now.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    r
}

async fn handle(rx: &Receiver, wake: &Notify, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    // Zoho's webhooks send POST (the default), PUT or DELETE.
    if !matches!(parts.method, Method::POST | Method::PUT | Method::DELETE) {
        return json(
            StatusCode::METHOD_NOT_ALLOWED,
            &serde_json::json!({"message": "POST, PUT or DELETE"}),
        );
    }
    let Ok(collected) = Limited::new(body, MAX_BODY).collect().await else {
        return json(
            StatusCode::PAYLOAD_TOO_LARGE,
            &serde_json::json!({"message": "body too large"}),
        );
    };
    let body = collected.to_bytes();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let content_type = header("content-type");
    let is_form = content_type.is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let form: Vec<(String, String)> = if is_form {
        form_urlencoded::parse(&body).into_owned().collect()
    } else {
        Vec::new()
    };
    let mut pairs = query.clone();
    pairs.extend(form.iter().cloned());
    let input = signed_input(&pairs, if is_form { &[] } else { &body });
    let verdict = verify(&rx.secret, &input, header(SIGNATURE_HEADER));
    let delivery = Delivery {
        received_at: now_ms(),
        method: parts.method.as_str(),
        path: parts.uri.path(),
        content_type,
        body: &body,
    };
    if !verdict.is_valid() {
        let reason = match verdict {
            crate::verify::Verdict::Missing => "no X-Zoho-Webhook-Signature header",
            _ => "X-Zoho-Webhook-Signature does not match the body and the secret",
        };
        let _ = rx.store.refused(&delivery, reason);
        return json(
            StatusCode::UNAUTHORIZED,
            &serde_json::json!({"message": reason}),
        );
    }
    let query_org = query
        .iter()
        .find(|(k, _)| k == "organization_id")
        .map(|(_, v)| v.as_str());
    let key = identify(&body, &form, query_org);
    let forward = !matches!(rx.forward, Forward::None);
    match rx.store.signed(&delivery, &key, forward) {
        Ok((verdict, id)) => {
            if verdict == Verdict::Accepted && forward {
                wake.notify_one();
            }
            // A duplicate or a replay is answered 200 too: Zoho stops retrying it.
            json(
                StatusCode::OK,
                &serde_json::json!({"status": verdict, "event": id}),
            )
        }
        // Not written down: 503 makes Zoho deliver it again later.
        Err(e) => json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({"message": e.to_string()}),
        ),
    }
}

/// Serves on `listener` until `stop` resolves: the receiver and its forwarder.
pub async fn serve(
    listener: TcpListener,
    rx: Receiver,
    stop: impl std::future::Future<Output = ()> + Send,
) {
    let rx = Arc::new(rx);
    let wake = Arc::new(Notify::new());
    let forwarder = tokio::spawn(forward_loop(rx.clone(), wake.clone()));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let rx = rx.clone();
                let wake = wake.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let rx = rx.clone();
                        let wake = wake.clone();
                        async move { Ok::<_, Infallible>(handle(&rx, &wake, req).await) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
    forwarder.abort();
}

async fn forward_loop(rx: Arc<Receiver>, wake: Arc<Notify>) {
    let http = reqwest::Client::new();
    loop {
        let mut failed = false;
        if let Ok(pending) = rx.store.pending() {
            for event in pending {
                let result = forward_one(&rx.forward, &http, &event).await;
                failed |= result.is_err();
                let _ = rx
                    .store
                    .forwarded(event.id, result.err().as_deref(), rx.max_attempts);
            }
        }
        if failed {
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(rx.retry_every) => {}
            }
        } else {
            wake.notified().await;
        }
    }
}

async fn forward_one(
    forward: &Forward,
    http: &reqwest::Client,
    event: &crate::store::Pending,
) -> Result<(), String> {
    match forward {
        Forward::None => Ok(()),
        Forward::Url(url) => {
            let response = http
                .post(url)
                .timeout(Duration::from_secs(30))
                .header(
                    "Content-Type",
                    event.content_type.as_deref().unwrap_or("application/json"),
                )
                .header("X-Zbooks-Webhook-Event", event.id.to_string())
                .header("X-Zbooks-Webhook-Module", event.module.as_str())
                .body(event.body.clone())
                .send()
                .await
                .map_err(|e| {
                    let e = e.without_url();
                    if e.is_connect() {
                        "could not connect".to_owned()
                    } else {
                        e.to_string()
                    }
                })?;
            if response.status().is_success() {
                Ok(())
            } else {
                Err(format!("answered HTTP {}", response.status().as_u16()))
            }
        }
        Forward::Command(command) => {
            let mut child = tokio::process::Command::new("sh")
                .arg("-c")
                .arg(command)
                .env("ZBOOKS_WEBHOOK_EVENT_ID", event.id.to_string())
                .env("ZBOOKS_WEBHOOK_MODULE", &event.module)
                .env(
                    "ZBOOKS_WEBHOOK_ENTITY_ID",
                    event.entity_id.as_deref().unwrap_or(""),
                )
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("could not start the command: {e}"))?;
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(&event.body).await;
            }
            let status = child
                .wait()
                .await
                .map_err(|e| format!("the command: {e}"))?;
            if status.success() {
                Ok(())
            } else {
                Err(format!("the command exited with {status}"))
            }
        }
    }
}
