//! Sending the due rows of the queue to every channel: the signed JSON webhook, the
//! Slack-compatible webhook (`{"text": …}`) and email. A channel that fails is written down and
//! tried again on the next run; the others are not held up by it.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use serde::Serialize;

use crate::config::{Channel, Target};
use crate::outbox::{Outbox, Queued, utc};
use crate::sign::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};

/// How long a channel may take to answer.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The outcome of one row sent to one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The row.
    pub id: i64,
    /// The channel.
    pub channel: String,
    /// The row's subject.
    pub subject: String,
    /// `None` when the channel took it, else why not (never a secret).
    pub error: Option<String>,
}

/// The JSON webhook's body (schema 1): what a receiver reads.
#[derive(Serialize)]
struct WebhookBody<'a> {
    schema: u32,
    id: i64,
    kind: &'a str,
    cause: &'a str,
    organization_id: Option<&'a str>,
    subject: String,
    title: &'a str,
    detail: &'a str,
    count: i64,
    raised_at: String,
    last_at: String,
}

/// The text of a row for people (Slack, email).
fn text(row: &Queued) -> String {
    let org = row
        .organization_id
        .as_deref()
        .map_or_else(String::new, |o| format!(" · organization {o}"));
    if row.kind == "digest" {
        format!(
            "{}\ncause: {}{org} · {} from {} to {}\nlatest: {}",
            row.subject(),
            row.cause,
            row.count,
            utc(row.raised_at),
            utc(row.last_at),
            row.detail
        )
    } else {
        format!(
            "{}\ncause: {}{org} · {}\n{}",
            row.title,
            row.cause,
            utc(row.raised_at),
            row.detail
        )
    }
}

/// Sends every row due at `now` (Unix milliseconds) to each channel that has not taken it, and
/// writes each outcome to the queue.
pub async fn deliver(
    outbox: &Outbox,
    channels: &[Channel],
    http: &reqwest::Client,
    now: i64,
) -> Result<Vec<Delivery>, crate::Error> {
    let names: Vec<String> = channels.iter().map(|c| c.name.clone()).collect();
    let mut out = Vec::new();
    if channels.is_empty() {
        return Ok(out);
    }
    for row in outbox.due(now)? {
        for channel in channels {
            if row.delivered.contains(&channel.name) {
                continue;
            }
            let result = send(channel, &row, http, now).await;
            match &result {
                Ok(()) => outbox.delivered(row.id, &channel.name, &names, now)?,
                Err(e) => outbox.failed(row.id, &format!("{}: {e}", channel.name))?,
            }
            out.push(Delivery {
                id: row.id,
                channel: channel.name.clone(),
                subject: row.subject(),
                error: result.err(),
            });
        }
    }
    Ok(out)
}

/// Sends one row to one channel; the error says what failed without any secret.
async fn send(
    channel: &Channel,
    row: &Queued,
    http: &reqwest::Client,
    now: i64,
) -> Result<(), String> {
    match &channel.target {
        Target::Webhook { url, secret } => {
            let body = serde_json::to_vec(&WebhookBody {
                schema: 1,
                id: row.id,
                kind: &row.kind,
                cause: row.cause.as_str(),
                organization_id: row.organization_id.as_deref(),
                subject: row.subject(),
                title: &row.title,
                detail: &row.detail,
                count: row.count,
                raised_at: utc(row.raised_at),
                last_at: utc(row.last_at),
            })
            .map_err(|e| e.to_string())?;
            let timestamp = now.div_euclid(1000);
            let response = http
                .post(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header(TIMESTAMP_HEADER, timestamp.to_string())
                .header(SIGNATURE_HEADER, sign(secret, timestamp, &body))
                .body(body)
                .send()
                .await
                .map_err(http_error)?;
            status(response.status())
        }
        Target::Slack { url } => {
            let body = serde_json::json!({ "text": format!("zbooks alert: {}", text(row)) });
            let response = http
                .post(url)
                .timeout(TIMEOUT)
                .json(&body)
                .send()
                .await
                .map_err(http_error)?;
            status(response.status())
        }
        Target::Email {
            host,
            port,
            starttls,
            from,
            to,
            credentials,
        } => {
            let mut message = Message::builder()
                .from(from.parse().map_err(|e| format!("from {from:?}: {e}"))?)
                .subject(format!("zbooks alert: {}", row.subject()))
                .header(ContentType::TEXT_PLAIN);
            for r in to {
                message = message.to(r.parse().map_err(|e| format!("to {r:?}: {e}"))?);
            }
            let message = message
                .body(text(row))
                .map_err(|e| format!("the message: {e}"))?;
            let mut transport = if *starttls {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                    .map_err(|e| format!("{host}: {e}"))?
            } else {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            }
            .port(*port)
            .timeout(Some(TIMEOUT));
            if let Some((user, password)) = credentials {
                transport = transport.credentials(Credentials::new(user.clone(), password.clone()));
            }
            transport
                .build()
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("SMTP {host}:{port}: {e}"))
        }
    }
}

/// A transport failure, without the URL (a Slack URL is a secret).
fn http_error(e: reqwest::Error) -> String {
    let e = e.without_url();
    if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        e.to_string()
    }
}

fn status(status: reqwest::StatusCode) -> Result<(), String> {
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("answered HTTP {}", status.as_u16()))
    }
}
