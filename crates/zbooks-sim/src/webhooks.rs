//! Zoho Books' workflow webhooks, as the simulator fires them: a rule names a module, the
//! events it fires on (a record created, a record edited) and a URL; each matching create or
//! update sends the record in Zoho's default payload shape, `{"<module>": {…record…}}` (the
//! record as the API shows it), POSTed as `application/json` with `X-Zoho-Webhook-Signature`:
//! the lowercase hex HMAC-SHA256, keyed with the rule's secret, of the URL's query pairs sorted
//! by key (key then value) and the raw body (docs/zoho-webhooks.md has the evidence and its
//! gaps). A delivery that gets no 2xx is tried again at growing intervals: 1, 2, 4, 8 and 16
//! simulated minutes, five retries (Zoho documents retries "at increasing intervals" without
//! numbers; five is what an integrator reports, unverified). Connect within 5 s and answer
//! within 10 s, or the attempt failed (the same report). Only `http://` receivers: the
//! simulator serves tests and local development, never a remote host.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::store::lock;

/// What a rule fires on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookEvent {
    /// A record was created (workflow rule "when a record is created").
    Created,
    /// A record was edited.
    Updated,
}

/// A workflow rule with a webhook action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRule {
    /// The module, by its singular name as in the payload: `invoice`, `contact`, `item`.
    pub module: String,
    /// The events it fires on.
    pub events: Vec<WebhookEvent>,
    /// Where to POST (`http://` only).
    pub url: String,
    /// The webhook's secret (Zoho: 12–50 alphanumeric characters).
    pub secret: String,
}

/// One attempt to deliver a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookAttempt {
    /// The rule's URL.
    pub url: String,
    /// The module.
    pub module: String,
    /// The event.
    pub event: WebhookEvent,
    /// The record's id.
    pub entity_id: String,
    /// 1 for the first try, then each retry.
    pub attempt: u32,
    /// The receiver's status, when it answered.
    pub status: Option<u16>,
    /// Why the attempt failed, when it did.
    pub error: Option<String>,
}

/// The retries after the first attempt, in simulated minutes.
const RETRY_MINUTES: [u32; 5] = [1, 2, 4, 8, 16];
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The rules in force and every attempt made.
#[derive(Debug, Default)]
pub(crate) struct Webhooks {
    rules: Mutex<Vec<WebhookRule>>,
    attempts: Arc<Mutex<Vec<WebhookAttempt>>>,
}

impl Webhooks {
    pub(crate) fn set(&self, rules: Vec<WebhookRule>) {
        *lock(&self.rules) = rules;
    }

    pub(crate) fn rules(&self) -> Vec<WebhookRule> {
        lock(&self.rules).clone()
    }

    pub(crate) fn attempts(&self) -> Vec<WebhookAttempt> {
        lock(&self.attempts).clone()
    }

    /// Fires the rules matching `module` and `event` for `reply_body` (an answer carrying the
    /// record under `module`), in the background; `minute` is the simulated minute.
    pub(crate) fn fire(
        &self,
        module: &str,
        event: WebhookEvent,
        reply_body: &[u8],
        minute: Duration,
    ) {
        let rules: Vec<WebhookRule> = lock(&self.rules)
            .iter()
            .filter(|r| r.module == module && r.events.contains(&event))
            .cloned()
            .collect();
        if rules.is_empty() {
            return;
        }
        let Ok(serde_json::Value::Object(mut answer)) = serde_json::from_slice(reply_body) else {
            return;
        };
        let Some(record) = answer.remove(module) else {
            return;
        };
        let entity_id = record
            .get(format!("{module}_id"))
            .and_then(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .or_else(|| Some(v.to_string()))
            })
            .unwrap_or_default();
        let mut payload = serde_json::Map::new();
        payload.insert(module.to_owned(), record);
        let Ok(body) = serde_json::to_vec(&payload) else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        for rule in rules {
            let attempts = self.attempts.clone();
            let body = body.clone();
            let entity_id = entity_id.clone();
            let module = module.to_owned();
            runtime.spawn(async move {
                deliver(rule, module, event, entity_id, body, minute, attempts).await;
            });
        }
    }
}

async fn deliver(
    rule: WebhookRule,
    module: String,
    event: WebhookEvent,
    entity_id: String,
    body: Vec<u8>,
    minute: Duration,
    attempts: Arc<Mutex<Vec<WebhookAttempt>>>,
) {
    let signature = signature(&rule.secret, &rule.url, &body);
    for attempt in 1..=u32::try_from(RETRY_MINUTES.len() + 1).unwrap_or(u32::MAX) {
        let result = post(&rule.url, &body, &signature).await;
        let ok = matches!(result, Ok(status) if (200..300).contains(&status));
        lock(&attempts).push(WebhookAttempt {
            url: rule.url.clone(),
            module: module.clone(),
            event,
            entity_id: entity_id.clone(),
            attempt,
            status: result.as_ref().ok().copied(),
            error: result.err(),
        });
        if ok {
            return;
        }
        let Some(wait) = usize::try_from(attempt - 1)
            .ok()
            .and_then(|i| RETRY_MINUTES.get(i))
        else {
            return;
        };
        tokio::time::sleep(minute * *wait).await;
    }
}

/// `X-Zoho-Webhook-Signature` for `body` sent to `url`.
pub(crate) fn signature(secret: &str, url: &str, body: &[u8]) -> String {
    let mut pairs: Vec<(String, String)> = url
        .split_once('?')
        .map(|(_, q)| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    pairs.sort();
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    for (k, v) in &pairs {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .fold(String::new(), |mut s, b| {
            s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
            s
        })
}

/// One HTTP/1.1 POST; the status, or why there was none.
async fn post(url: &str, body: &[u8], signature: &str) -> Result<u16, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| "the simulator sends webhooks to http:// receivers only".to_owned())?;
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let connect = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(authority)).await;
    let mut stream = match connect {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("could not connect: {e}")),
        Err(_) => return Err("could not connect in 5 s".to_owned()),
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nX-Zoho-Webhook-Signature: {signature}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let exchange = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut answer = Vec::new();
        let mut buf = [0u8; 1024];
        // The status line is all that matters; read until it is complete.
        while !answer.windows(2).any(|w| w == b"\r\n") {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        Ok::<_, std::io::Error>(answer)
    };
    let answer = match tokio::time::timeout(READ_TIMEOUT, exchange).await {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => return Err(format!("the exchange failed: {e}")),
        Err(_) => return Err("no answer in 10 s".to_owned()),
    };
    let line = String::from_utf8_lossy(&answer);
    line.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| "no HTTP status line in the answer".to_owned())
}
