//! The one pure function that decides what an answer means (docs/design.md promise 2).
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
    let trimmed = trim_start(body);
    if (200..300).contains(&status) && is_books_success(trimmed) {
        return Ok(Success {
            status,
            kind: SuccessKind::Books,
        });
    }
    classify_parsed(status, trimmed)
}

/// [`classify`] for a caller that wants the body as JSON: one parse gives both the verdict
/// and the value, where [`classify`] then a parse would read the body twice.
///
/// A 2xx answer that opens with Zoho's success head (`{"code":0` then `,` or `}`) and parses
/// as one JSON object with neither an `error` key nor a non-string `error_description` is a
/// success, as [`classify`]'s scan or parse says of it; the value comes back with it. Every
/// other answer goes to [`classify`] itself, so its failures are the same; a success found
/// there comes back without a value (`None`), for the caller to parse as before.
///
/// # Errors
///
/// As [`classify`].
pub fn classify_json(status: u16, body: &[u8]) -> Result<(Success, Option<Value>), Failure> {
    let trimmed = trim_start(body);
    if (200..300).contains(&status)
        && has_success_head(trimmed)
        && let Ok(value) = serde_json::from_slice::<Value>(trimmed)
        && value.as_object().is_some_and(|object| {
            !object.contains_key("error")
                && object
                    .get("error_description")
                    .is_none_or(|d| d.is_string() || d.is_null())
        })
    {
        let success = Success {
            status,
            kind: SuccessKind::Books,
        };
        return Ok((success, Some(value)));
    }
    Ok((classify(status, body)?, None))
}

/// [`classify`] without the scan of Zoho's success envelope: always the full parse. For the
/// fuzzer, which checks that both give the same verdict on every input.
#[doc(hidden)]
pub fn classify_by_parse(status: u16, body: &[u8]) -> Result<Success, Failure> {
    classify_parsed(status, trim_start(body))
}

/// The body from its first non-whitespace byte.
fn trim_start(body: &[u8]) -> &[u8] {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    &body[start..]
}

/// [`classify`] by a full parse of the body (without leading whitespace).
fn classify_parsed(status: u16, trimmed: &[u8]) -> Result<Success, Failure> {
    if trimmed.is_empty() {
        return Err(unreadable(status, BodyKind::Empty, None));
    }
    let is_2xx = (200..300).contains(&status);
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
            // An uncatalogued code is read by its status alone, never by its message's words:
            // a duplicate is known by a documented code (3062), and any other refusal of a
            // create whose key Zoho keeps unique is settled by looking the record up
            // (docs/design.md promise 5), not by guessing from "already exists".
            let (class, retry) = catalogued.unwrap_or_else(|| {
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

/// Zoho's success envelope, read without building anything: the body opens with `{"code":0`
/// (Zoho writes `code` first in every Books answer, reference §1.3) and is, as a whole, one
/// valid JSON object.
///
/// Every call's answer goes through here and the caller then parses the body into what it
/// wants, so the common case costs a validating scan rather than a second parse. The scan is
/// stricter than the parse: whatever it is unsure of (another key first, whitespace inside the
/// head, invalid UTF-8, an exponent, a `\u` surrogate escape, nesting deeper than
/// [`SCAN_DEPTH`]) it leaves to the full parse in [`classify`], so the verdict is the same
/// either way (property-tested against the parse in `classify/tests.rs`).
fn is_books_success(body: &[u8]) -> bool {
    if !has_success_head(body) || std::str::from_utf8(body).is_err() {
        return false;
    }
    let mut scan = Scan { body, at: 0 };
    scan.value(0) && {
        scan.whitespace();
        scan.at == body.len()
    }
}

/// Whether the body opens with Zoho's success head: `{"code":0` with `0` the whole number
/// (`{"code":05` or `{"code":0.5` are not Zoho's success).
fn has_success_head(body: &[u8]) -> bool {
    let Some(rest) = body.strip_prefix(br#"{"code":0"#) else {
        return false;
    };
    let next = rest.iter().find(|b| !b.is_ascii_whitespace());
    matches!(next, Some(b',' | b'}'))
}

/// Where the run of plain string bytes from `at` ends: the index of the next `"`, `\\` or
/// control character, or the end of `body`. Eight bytes at a time (the SWAR test serde_json's
/// reader uses too), as strings are most of every answer.
fn plain_run_end(body: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_le_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_le_bytes([b'\\'; 8]);
    const SPACES: u64 = u64::from_le_bytes([0x20; 8]);
    // The high bit of every byte below `n` (exact for the lowest such byte, which is all
    // that is read: a borrow can only mark bytes above a true one).
    let below = |x: u64, n: u64| x.wrapping_sub(n) & !x & HIGHS;
    while let Some(chunk) = body.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let special = below(x ^ QUOTES, ONES) | below(x ^ BACKSLASHES, ONES) | below(x, SPACES);
        if special != 0 {
            // Little-endian: the lowest marked byte is the first in the body.
            return at + (special.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = body.get(at) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            break;
        }
        at += 1;
    }
    at
}

/// The deepest nesting the scan follows.
const SCAN_DEPTH: u32 = 64;

/// A JSON validator over bytes (RFC 8259's grammar), building nothing.
struct Scan<'a> {
    body: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.body.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: u32) -> bool {
        self.whitespace();
        match self.peek() {
            Some(b'{') if depth < SCAN_DEPTH => self.members(depth + 1, b'}', true),
            Some(b'[') if depth < SCAN_DEPTH => self.members(depth + 1, b']', false),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => false,
        }
    }

    /// An object's members or an array's elements, from the opening bracket to `close`.
    fn members(&mut self, depth: u32, close: u8, keyed: bool) -> bool {
        self.at += 1;
        self.whitespace();
        if self.eat(close) {
            return true;
        }
        loop {
            if keyed {
                self.whitespace();
                if !self.string() {
                    return false;
                }
                self.whitespace();
                if !self.eat(b':') {
                    return false;
                }
            }
            if !self.value(depth) {
                return false;
            }
            self.whitespace();
            if !self.eat(b',') {
                return self.eat(close);
            }
        }
    }

    fn string(&mut self) -> bool {
        if !self.eat(b'"') {
            return false;
        }
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return true;
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.at += 1;
                        }
                        Some(b'u') => {
                            // Four hex digits (`from_str_radix` alone would take a sign).
                            let Some(code) = self
                                .body
                                .get(self.at + 1..self.at + 5)
                                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u16::from_str_radix(h, 16).ok())
                            else {
                                return false;
                            };
                            // Surrogate pairs are left to the parse.
                            if (0xD800..0xE000).contains(&code) {
                                return false;
                            }
                            self.at += 5;
                        }
                        _ => return false,
                    }
                }
                Some(0x20..) => self.at = plain_run_end(self.body, self.at + 1),
                // A control character, or the end of the body inside a string.
                _ => return false,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        let found = self.body[self.at..].starts_with(word);
        self.at += if found { word.len() } else { 0 };
        found
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)?`; an exponent is left to the parse (it decides
    /// what is out of range).
    fn number(&mut self) -> bool {
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return false,
        }
        if self.eat(b'.') {
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return false;
            }
            self.digits();
        }
        !matches!(self.peek(), Some(b'e' | b'E' | b'0'..=b'9'))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
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
