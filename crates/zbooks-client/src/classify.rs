//! The one pure function that decides what an answer means (DESIGN.md promise 2).
//!
//! From an HTTP status and the raw body bytes to success or a classified [`Failure`]. The
//! status and the body's `code` decide together: a 2xx with a non-zero `code` is an error; a
//! body that is not JSON (a gateway's HTML page) keeps its status and a short scrubbed snippet;
//! empty and truncated bodies are failures of their own; and the accounts server, which
//! answers its errors with HTTP 200, is read by its `error` key (reference §1.3, §1.5).
//!
//! No I/O, no clock, no allocation beyond what the failure carries: the retry loop, the import
//! journal, exit codes and `zbooks explain` all derive from what this returns.

use serde::Deserialize;
use serde_json::Value;
use zbooks_types::catalog::{self, MessageDetails};
use zbooks_types::{FailureClass, Retry, scrub};

/// The longest snippet of an unreadable body a failure keeps.
const SNIPPET_CHARS: usize = 160;

/// What kind of successful answer it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuccessKind {
    /// A Books envelope with `code` 0.
    Books,
    /// An accounts-server token response (`access_token`).
    Token,
    /// An accounts-server acknowledgement (`"status":"success"`, as on revoke).
    Acknowledged,
}

/// A successful answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Success {
    /// The HTTP status.
    pub status: u16,
    /// What kind of answer.
    pub kind: SuccessKind,
}

/// What the body of a failed answer looked like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// Zoho's `{code, message}` envelope.
    Books,
    /// The accounts server's `{error, error_description}`.
    Accounts,
    /// JSON without a `code` or an `error`.
    NoCode,
    /// No body at all.
    Empty,
    /// JSON cut off before its end.
    Truncated,
    /// Starts like JSON but is not valid JSON.
    Malformed,
    /// Not JSON: an HTML page from a gateway, plain text.
    NotJson,
}

/// A classified failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The HTTP status.
    pub status: u16,
    /// Zoho's `code`, when the body had a non-zero one.
    pub code: Option<i64>,
    /// Zoho's `message`, or the accounts server's `error_description`.
    pub message: Option<String>,
    /// The accounts server's `error`.
    pub accounts_error: Option<String>,
    /// What kind of failure.
    pub class: FailureClass,
    /// Whether and when a retry helps.
    pub retry: Retry,
    /// What the body looked like.
    pub body: BodyKind,
    /// A short scrubbed snippet of a body that could not be read as Zoho's JSON.
    pub snippet: Option<String>,
    /// The variable parts of the message (the daily limit of a 45, ...).
    pub details: Box<MessageDetails>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    access_token: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    status: Option<Value>,
}

/// Decides what an answer means.
///
/// # Errors
///
/// Returns the classified [`Failure`] for every answer that is not a success: a non-2xx
/// status, a non-zero `code` (whatever the status), an accounts-server `error`, and any body
/// that cannot be read.
pub fn classify(status: u16, body: &[u8]) -> Result<Success, Failure> {
    let is_2xx = (200..300).contains(&status);
    let text_start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let trimmed = &body[text_start..];
    if trimmed.is_empty() {
        return Err(unreadable(status, BodyKind::Empty, None));
    }
    let envelope: Envelope = match serde_json::from_slice(trimmed) {
        Ok(envelope) => envelope,
        Err(err) => {
            let kind = if err.is_eof() {
                BodyKind::Truncated
            } else if matches!(trimmed.first(), Some(b'{' | b'[')) {
                BodyKind::Malformed
            } else {
                BodyKind::NotJson
            };
            return Err(unreadable(status, kind, Some(snippet(trimmed))));
        }
    };
    let message = envelope.message.as_ref().and_then(|m| match m {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    });

    // The accounts server: an `error` key means failure, whatever the status.
    if let Some(error) = envelope.error.as_ref() {
        let error = match error {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let entry = catalog::by_accounts_error(&error);
        let class = entry
            .and_then(|e| e.class)
            .unwrap_or(FailureClass::AuthMisconfigured);
        return Err(Failure {
            status,
            code: envelope.code.as_ref().and_then(code_of),
            message: envelope.error_description.or(message),
            accounts_error: Some(error),
            class,
            retry: entry.map_or(Retry::Never, |e| e.retry),
            body: BodyKind::Accounts,
            snippet: None,
            details: Box::default(),
        });
    }

    match envelope.code.as_ref().map(code_of) {
        Some(Some(0)) => {
            if is_2xx {
                Ok(Success {
                    status,
                    kind: SuccessKind::Books,
                })
            } else {
                Err(by_status(status, Some(0), message, BodyKind::Books))
            }
        }
        Some(Some(code)) => {
            let details = message
                .as_deref()
                .map(|m| catalog::refine(code, m))
                .unwrap_or_default();
            let catalogued = catalog::by_code(code)
                .filter(|e| e.is_real())
                .and_then(|e| e.class.map(|class| (class, e.retry)));
            let (class, retry) = catalogued.unwrap_or_else(|| {
                // An undocumented code that says "already exists" (1001 in third-party
                // reports, reference §1.4) is a duplicate whatever its number.
                if message
                    .as_deref()
                    .is_some_and(|m| m.contains("already exists"))
                {
                    return (FailureClass::Duplicate, Retry::Never);
                }
                let (class, retry, _) = catalog::status_implies(status);
                (class.unwrap_or(FailureClass::Unknown), retry)
            });
            Err(Failure {
                status,
                code: Some(code),
                message,
                accounts_error: None,
                class,
                retry,
                body: BodyKind::Books,
                snippet: None,
                details: Box::new(details),
            })
        }
        // A `code` that is not an integer: the envelope cannot be trusted.
        Some(None) => Err(unreadable(status, BodyKind::NoCode, Some(snippet(trimmed)))),
        None => {
            if envelope.access_token.is_some() && is_2xx {
                return Ok(Success {
                    status,
                    kind: SuccessKind::Token,
                });
            }
            if is_2xx && envelope.status.as_ref().and_then(Value::as_str) == Some("success") {
                return Ok(Success {
                    status,
                    kind: SuccessKind::Acknowledged,
                });
            }
            Err(unreadable(status, BodyKind::NoCode, Some(snippet(trimmed))))
        }
    }
}

fn code_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A failure decided by the status alone.
fn by_status(status: u16, code: Option<i64>, message: Option<String>, body: BodyKind) -> Failure {
    let (class, retry, _) = catalog::status_implies(status);
    Failure {
        status,
        code,
        message,
        accounts_error: None,
        class: class.unwrap_or(FailureClass::BadResponse),
        retry: if class.is_some() {
            retry
        } else {
            Retry::IfIdempotent
        },
        body,
        snippet: None,
        details: Box::default(),
    }
}

/// A body that could not be read: on a 2xx the answer is unusable (the call may have been
/// carried out); otherwise the status decides the class.
fn unreadable(status: u16, body: BodyKind, snippet: Option<String>) -> Failure {
    let mut failure = by_status(status, None, None, body);
    failure.snippet = snippet.filter(|s| !s.is_empty());
    failure
}

/// A short, scrubbed, one-line excerpt of a body: tags dropped, whitespace collapsed, secrets
/// redacted, at most [`SNIPPET_CHARS`] characters.
fn snippet(body: &[u8]) -> String {
    let head = &body[..body.len().min(SNIPPET_CHARS * 16)];
    let text = String::from_utf8_lossy(head);
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    let mut in_script = false;
    let lower = text.to_ascii_lowercase();
    for (i, c) in text.char_indices() {
        match c {
            '<' => {
                in_tag = true;
                if lower[i..].starts_with("<script") || lower[i..].starts_with("<style") {
                    in_script = true;
                } else if lower[i..].starts_with("</script") || lower[i..].starts_with("</style") {
                    in_script = false;
                }
                plain.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag || in_script => {}
            c if c.is_control() => plain.push(' '),
            c => plain.push(c),
        }
    }
    let collapsed = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let scrubbed = scrub(&collapsed);
    if scrubbed.chars().count() > SNIPPET_CHARS {
        let cut: String = scrubbed.chars().take(SNIPPET_CHARS).collect();
        format!("{cut}…")
    } else {
        scrubbed
    }
}

#[cfg(test)]
mod tests;
