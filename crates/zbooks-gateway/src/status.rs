//! `GET /__zbooks/status` (JSON) and `GET /__zbooks/metrics` (Prometheus text): per
//! organization, the queue (waiting, being sent), calls this minute and today, the daily
//! limit, a pause, the answers given and refused, lookups and replays, recent failures; and
//! the token's requests, and the token in use as the token store knows it (its age and
//! expiry, whichever process sharing the store fetched it). Both carry no secret: no token,
//! header or body.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use hyper::Response;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime};

use zbooks_client::time::rfc3339;
use zbooks_types::{Clock as _, SystemClock};

use crate::answer::{Body, bytes_response, json_response};
use crate::forward::{Shared, seconds_until};
use crate::observe::{OrgView, header, label};

/// One organization's figures, the observer's and the store's.
struct Row {
    view: OrgView,
    waiting: usize,
    active: usize,
    calls_today: Option<u32>,
    daily_limit: Option<u32>,
    paused_for: Option<f64>,
    in_flight_cap: Option<u32>,
}

async fn rows(shared: &Shared) -> Vec<Row> {
    let mut views = shared.observer.snapshot();
    for org in shared.clients.keys() {
        if !views.iter().any(|v| &v.organization_id == org) {
            views.push(OrgView {
                organization_id: org.clone(),
                calls_this_window: 0,
                attempts: 0,
                answers: std::collections::BTreeMap::new(),
                refusals: std::collections::BTreeMap::new(),
                adopted: 0,
                replayed: 0,
                throttled: 0,
                failures: Vec::new(),
            });
        }
    }
    views.sort_by(|a, b| a.organization_id.cmp(&b.organization_id));
    let depths = shared.queues.depths();
    let mut rows = Vec::with_capacity(views.len());
    for view in views {
        let (waiting, active) = depths
            .iter()
            .find(|(org, _, _)| *org == view.organization_id)
            .map_or((0, 0), |(_, w, a)| (*w, *a));
        let client = shared.clients.get(&view.organization_id);
        let snapshot = match client {
            Some(client) => client.limits_snapshot(&view.organization_id).await.ok(),
            None => None,
        };
        let daily = snapshot.as_ref().and_then(|s| s.daily);
        rows.push(Row {
            waiting,
            active,
            calls_today: daily.map(|d| d.used),
            daily_limit: daily.map(|d| d.limit),
            paused_for: snapshot
                .and_then(|s| s.paused_until)
                .map(seconds_until)
                .filter(|s| *s > 0.0),
            in_flight_cap: client.and_then(|c| c.in_flight_cap(&view.organization_id)),
            view,
        });
    }
    rows
}

/// The access token the gateway uses, as the token store knows it (never the token itself).
struct TokenView {
    /// The store answered with a cached token.
    cached: bool,
    /// When it expires.
    expires_at: Option<SystemTime>,
    /// Seconds until then (0 once past).
    expires_in: Option<f64>,
    /// How long ago it was obtained: from the store (its lifetime and expiry), else since this
    /// gateway fetched it.
    age: Option<Duration>,
}

async fn token_view(shared: &Shared) -> TokenView {
    let now = SystemClock.now();
    let info = match shared.clients.get(&shared.default_org) {
        Some(client) => match client.token_info().await {
            Ok(info) => info,
            Err(err) => {
                tracing::warn!(target: "zbooks::gateway", error = %err, "cannot read the token store");
                None
            }
        },
        None => None,
    };
    let own_age = shared.observer.token().1;
    let expires_at = info.as_ref().and_then(|i| i.expires_at);
    TokenView {
        cached: info.is_some(),
        expires_at,
        expires_in: expires_at.map(|at| {
            at.duration_since(now)
                .unwrap_or(Duration::ZERO)
                .as_secs_f64()
        }),
        age: info.as_ref().and_then(|i| i.age(now)).or(own_age),
    }
}

/// The status as JSON.
pub(crate) async fn json(shared: &Arc<Shared>) -> Response<Body> {
    let rows = rows(shared).await;
    let token_requests = shared.observer.token().0;
    let token = token_view(shared).await;
    let limits = shared.config.limits;
    let orgs: Vec<Value> = rows
        .iter()
        .map(|r| {
            let v = &r.view;
            json!({
                "organization_id": v.organization_id,
                "default": v.organization_id == shared.default_org,
                "queue": { "waiting": r.waiting, "sending": r.active },
                "in_flight_cap": r.in_flight_cap,
                "calls_this_minute": v.calls_this_window,
                "per_minute_limit": limits.per_window,
                "calls_today": r.calls_today,
                "daily_limit": r.daily_limit,
                "paused_for_seconds": r.paused_for,
                "attempts": v.attempts,
                "answers": v.answers.iter().map(|(s, n)| (s.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
                "refused": v.refusals,
                "creates_found_after_lost_answer": v.adopted,
                "idempotent_replays": v.replayed,
                "zoho_429s": v.throttled,
                "recent_failures": v.failures,
            })
        })
        .collect();
    let body = json!({
        "gateway": {
            "listen": shared.listen.to_string(),
            "allow_remote": shared.config.allow_remote,
            "uptime_seconds": shared.observer.uptime().as_secs_f64(),
            "in_flight": shared.in_flight.load(Ordering::Acquire),
            "minute_seconds": shared.observer.window().as_secs_f64(),
            "max_wait_seconds": shared.config.max_wait.as_secs_f64(),
        },
        "token": {
            "requests": token_requests,
            "failures": shared.observer.token_failures(),
            "last_obtained_at": shared.observer.last_token_at().map(rfc3339),
            "cached": token.cached,
            "age_seconds": token.age.map(|a| a.as_secs_f64()),
            "expires_at": token.expires_at.map(rfc3339),
            "expires_in_seconds": token.expires_in,
        },
        "organizations": orgs,
    });
    json_response(200, &body)
}

/// The status in Prometheus's text format.
pub(crate) async fn prometheus(shared: &Arc<Shared>) -> Response<Body> {
    let rows = rows(shared).await;
    let mut out = String::new();
    let per_org = |out: &mut String,
                   name: &str,
                   kind: &str,
                   help: &str,
                   value: &dyn Fn(&Row) -> Option<f64>| {
        header(out, name, kind, help);
        for row in &rows {
            if let Some(v) = value(row) {
                let _ = writeln!(
                    out,
                    "{name}{{organization_id=\"{}\"}} {v}",
                    label(&row.view.organization_id)
                );
            }
        }
    };
    #[expect(clippy::cast_precision_loss, reason = "counters far below 2^52")]
    let f = |n: u64| n as f64;
    per_org(
        &mut out,
        "zbooks_gateway_queue_waiting",
        "gauge",
        "Requests waiting in the organization's queue.",
        &|r| Some(f(r.waiting as u64)),
    );
    per_org(
        &mut out,
        "zbooks_gateway_queue_sending",
        "gauge",
        "Requests handed to the client (pacing or in flight).",
        &|r| Some(f(r.active as u64)),
    );
    per_org(
        &mut out,
        "zbooks_gateway_calls_this_minute",
        "gauge",
        "Attempts sent to Zoho within the last minute.",
        &|r| Some(f(r.view.calls_this_window as u64)),
    );
    per_org(
        &mut out,
        "zbooks_gateway_calls_today",
        "gauge",
        "Calls counted today in the shared ledger (every zbooks process).",
        &|r| r.calls_today.map(f64::from),
    );
    per_org(
        &mut out,
        "zbooks_gateway_daily_limit",
        "gauge",
        "The organization's daily quota.",
        &|r| r.daily_limit.map(f64::from),
    );
    per_org(
        &mut out,
        "zbooks_gateway_paused_seconds",
        "gauge",
        "Seconds left of a pause after Zoho's per-minute limit (44).",
        &|r| Some(r.paused_for.unwrap_or(0.0)),
    );
    per_org(
        &mut out,
        "zbooks_gateway_attempts_total",
        "counter",
        "Attempts sent to Zoho.",
        &|r| Some(f(r.view.attempts)),
    );
    per_org(
        &mut out,
        "zbooks_gateway_zoho_429_total",
        "counter",
        "429 answers from Zoho.",
        &|r| Some(f(r.view.throttled)),
    );
    per_org(
        &mut out,
        "zbooks_gateway_creates_found_total",
        "counter",
        "Creates whose lost answer a natural-key lookup settled.",
        &|r| Some(f(r.view.adopted)),
    );
    per_org(
        &mut out,
        "zbooks_gateway_idempotent_replays_total",
        "counter",
        "Answers replayed for an Idempotency-Key.",
        &|r| Some(f(r.view.replayed)),
    );
    header(
        &mut out,
        "zbooks_gateway_answers_total",
        "counter",
        "Answers given, by HTTP status.",
    );
    for row in &rows {
        for (status, n) in &row.view.answers {
            let _ = writeln!(
                out,
                "zbooks_gateway_answers_total{{organization_id=\"{}\",status=\"{status}\"}} {n}",
                label(&row.view.organization_id)
            );
        }
    }
    header(
        &mut out,
        "zbooks_gateway_refusals_total",
        "counter",
        "Requests the gateway answered itself, by reason.",
    );
    for row in &rows {
        for (reason, n) in &row.view.refusals {
            let _ = writeln!(
                out,
                "zbooks_gateway_refusals_total{{organization_id=\"{}\",reason=\"{reason}\"}} {n}",
                label(&row.view.organization_id)
            );
        }
    }
    let token_requests = shared.observer.token().0;
    let token = token_view(shared).await;
    header(
        &mut out,
        "zbooks_gateway_token_requests_total",
        "counter",
        "Token requests to Zoho's accounts server.",
    );
    let _ = writeln!(out, "zbooks_gateway_token_requests_total {token_requests}");
    if let Some(age) = token.age {
        header(
            &mut out,
            "zbooks_gateway_token_age_seconds",
            "gauge",
            "Seconds since the access token in use was obtained.",
        );
        let _ = writeln!(
            out,
            "zbooks_gateway_token_age_seconds {}",
            age.as_secs_f64()
        );
    }
    if let Some(left) = token.expires_in {
        header(
            &mut out,
            "zbooks_gateway_token_expires_in_seconds",
            "gauge",
            "Seconds until the access token in use expires, as the token store knows it.",
        );
        let _ = writeln!(out, "zbooks_gateway_token_expires_in_seconds {left}");
    }
    header(
        &mut out,
        "zbooks_gateway_in_flight",
        "gauge",
        "Requests being answered.",
    );
    let _ = writeln!(
        out,
        "zbooks_gateway_in_flight {}",
        shared.in_flight.load(Ordering::Acquire)
    );
    header(
        &mut out,
        "zbooks_gateway_uptime_seconds",
        "gauge",
        "Seconds since the gateway started.",
    );
    let _ = writeln!(
        out,
        "zbooks_gateway_uptime_seconds {}",
        shared.observer.uptime().as_secs_f64()
    );
    bytes_response(
        200,
        Some("text/plain; version=0.0.4; charset=utf-8"),
        Bytes::from(out),
    )
}
