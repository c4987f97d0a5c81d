//! Reads free text: an application's log, a Deluge `info` trace, a proxy's access log (nginx
//! combined format), JSON log records with Zoho's answer escaped inside — any text that
//! shows HTTP statuses, Zoho bodies, accounts-server errors, timestamps and method/path.
//!
//! The Zoho part of each line is read by `zbooks_types::scan::scan_line`, the same parser
//! `zbooks explain` uses; this module adds what a log line has around it: the time, the
//! request (method, URL, organization), a natural key, a duration, and the words of a
//! timeout. Cheap byte checks decide first whether a line can concern Zoho at all, so the
//! scanner only runs on the few lines that might.
//!
//! A request logged on one line and its answer on a later one are paired: a request without
//! an answer is held (one per file) until a line with an answer and no request of its own
//! comes. A line that looks like a Zoho body but cannot be read is reported as unreadable.

use std::io::BufRead;

use memchr::memmem;
use zbooks_types::Sent;
use zbooks_types::event::Purpose;
use zbooks_types::scan::{Budget, Finding, scan_line};

use crate::analyze::{Raw, State};
use crate::call::{self, Call};
use crate::read::events::trim_line;
use crate::read::line::Line;
use crate::time::{self, Millis};
use crate::util::Loc;

/// How many lines a request waits for its answer.
const PAIR_WINDOW: u64 = 20;

/// The request part of a line.
#[derive(Clone, Debug, Default)]
struct Request {
    method: Option<String>,
    host: Option<String>,
    path: String,
    org: Option<String>,
    natural_key: Option<String>,
    line: u64,
    /// Where the URL or path is on its line.
    span: (usize, usize),
}

/// Byte patterns searched once per line.
struct Finders {
    scheme: memmem::Finder<'static>,
    books: memmem::Finder<'static>,
    legacy: memmem::Finder<'static>,
    oauth: memmem::Finder<'static>,
    code: memmem::Finder<'static>,
    http: memmem::Finder<'static>,
    invalid: memmem::Finder<'static>,
    denied: memmem::Finder<'static>,
    status: memmem::Finder<'static>,
}

impl Finders {
    fn new() -> Self {
        Finders {
            scheme: memmem::Finder::new("://"),
            books: memmem::Finder::new("/books/v"),
            legacy: memmem::Finder::new("/api/v3/"),
            oauth: memmem::Finder::new("/oauth/v2/"),
            code: memmem::Finder::new("code"),
            http: memmem::Finder::new("HTTP"),
            invalid: memmem::Finder::new("nvalid_c"),
            denied: memmem::Finder::new("ccess Denied"),
            status: memmem::Finder::new("status"),
        }
    }
}

/// Reads a whole text log.
pub(crate) fn read(
    state: &mut State,
    source: u32,
    reader: &mut dyn BufRead,
) -> std::io::Result<()> {
    let finders = Finders::new();
    let mut buf = Vec::with_capacity(8192);
    let mut line_no = 0u64;
    let mut pending: Option<Request> = None;
    loop {
        let read = crate::read::line::read_line(reader, &mut buf)?;
        if read == Line::End {
            break;
        }
        line_no += 1;
        let loc = Loc {
            source,
            line: line_no,
        };
        if let Line::TooLong { bytes } = read {
            state.note_long_line(loc, bytes, &buf);
            continue;
        }
        let bytes = trim_line(&buf);
        if bytes.is_empty() {
            continue;
        }
        read_line(state, &finders, bytes, loc, &mut pending);
    }
    state.source_mut(source).lines = line_no;
    Ok(())
}

/// Whether a line can concern Zoho: a Zoho path or URL, a JSON object, a code, a status
/// word or an accounts error.
fn may_concern_zoho(bytes: &[u8], f: &Finders) -> bool {
    memchr::memchr(b'{', bytes).is_some()
        || f.books.find(bytes).is_some()
        || f.legacy.find(bytes).is_some()
        || f.oauth.find(bytes).is_some()
        || f.code.find(bytes).is_some()
        || f.http.find(bytes).is_some()
        || f.invalid.find(bytes).is_some()
        || f.denied.find(bytes).is_some()
        || f.status.find(bytes).is_some()
}

fn read_line(
    state: &mut State,
    f: &Finders,
    bytes: &[u8],
    loc: Loc,
    pending: &mut Option<Request>,
) {
    if pending
        .as_ref()
        .is_some_and(|p| loc.line.saturating_sub(p.line) > PAIR_WINDOW)
    {
        *pending = None;
    }
    if pending.is_none() && !may_concern_zoho(bytes, f) {
        return;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let text: &str = &text;
    let request = find_request(text, bytes, f);
    let mut budget = Budget::default();
    // The answer follows the request on nearly every log line (`POST <url> -> HTTP 429
    // {...}`): scan what follows the URL first, and what precedes it only when that shows
    // nothing. A JSON record is scanned whole.
    let found = match request.as_ref().map(|r| r.span) {
        Some((start, end)) if bytes.first() != Some(&b'{') => {
            let tail = scan_line(&text[end..], &mut budget);
            if tail.is_empty() {
                scan_line(&text[..start], &mut budget)
            } else {
                tail
            }
        }
        _ => scan_line(text, &mut budget),
    };
    let mut answer = pick_answer(&found);
    // The answer line of a two-line request (`<-- 200 {...}`) may show its status bare.
    if answer.is_none()
        && request.is_none()
        && pending
            .as_ref()
            .is_some_and(|p| loc.line.saturating_sub(p.line) <= PAIR_WINDOW)
    {
        answer = bare_status(text).map(Answer::Status);
    }
    let unanswered = answer.is_none()
        && (request.is_some()
            || pending
                .as_ref()
                .is_some_and(|p| loc.line.saturating_sub(p.line) <= PAIR_WINDOW))
        && mentions_timeout(text);

    if answer.is_none() && !unanswered {
        if let Some(req) = request {
            // A request whose answer comes on a later line.
            *pending = Some(Request {
                line: loc.line,
                ..req
            });
        } else if looks_like_broken_body(bytes, f) {
            state.note_unreadable(loc, "looks like a Zoho body but is not readable JSON", text);
        }
        return;
    }
    // The request this answer belongs to: on the line, or held from an earlier line.
    let request = match request {
        Some(r) => Some(r),
        None => pending
            .take()
            .filter(|p| loc.line.saturating_sub(p.line) <= PAIR_WINDOW),
    };
    let Some(answer) = answer.or(if unanswered { Some(Answer::None) } else { None }) else {
        return;
    };
    // A lone status or code with no request around it is too weak to count as a Zoho call.
    if request.is_none() && matches!(answer, Answer::Status(_) | Answer::Code { .. }) {
        if looks_like_broken_body(bytes, f) {
            state.note_unreadable(loc, "looks like a Zoho body but is not readable JSON", text);
        }
        return;
    }
    let ts = line_time(text, bytes);
    // zbooks's own tracing lines say why it sent an attempt (`purpose=lookup`, with the key
    // in `natural_key=`), as its event log does.
    let purpose = purpose_in(text);
    let natural_key = request
        .as_ref()
        .and_then(|r| r.natural_key.clone())
        .or_else(|| {
            (purpose == Some(Purpose::Lookup)
                || request
                    .as_ref()
                    .is_some_and(|r| r.method.as_deref() == Some("POST")))
            .then(|| call::natural_key_in(text))
            .flatten()
        });
    let org = request
        .as_ref()
        .and_then(|r| r.org.clone())
        .or_else(|| org_in(text));
    let mut call = Call {
        ts,
        org: org.as_deref(),
        method: request.as_ref().and_then(|r| r.method.as_deref()),
        path: request.as_ref().map(|r| r.path.as_str()),
        host: request.as_ref().and_then(|r| r.host.as_deref()),
        natural_key: natural_key.as_deref(),
        duration_ms: duration_in(text),
        purpose,
        ..Call::default()
    };
    call.token = request.as_ref().is_some_and(|r| {
        call::is_token_path(&r.path)
            || r.host
                .as_deref()
                .is_some_and(|h| h.starts_with("accounts."))
    });
    match &answer {
        Answer::Body {
            code,
            message,
            status,
        } => {
            call.code = Some(*code);
            call.message = message.as_deref();
            call.status = *status;
            call.sent = Some(Sent::Answered);
        }
        Answer::Accounts { error, status } => {
            call.token = true;
            call.accounts_error = Some(error);
            call.status = *status;
            call.sent = Some(Sent::Answered);
        }
        Answer::Code { code, status } => {
            call.code = Some(*code);
            call.status = *status;
            call.sent = Some(Sent::Answered);
        }
        Answer::Status(s) => {
            call.status = Some(*s);
            call.sent = Some(Sent::Answered);
        }
        Answer::None => call.sent = Some(Sent::MaybeSent),
    }
    // An accounts-server request is a token request even when its answer is a success body.
    if call.token && call.code == Some(0) {
        call.code = None;
    }
    state.observe(&call, loc, Raw::Text(text));
}

/// The answer a line shows.
#[derive(Clone, Debug)]
enum Answer {
    Body {
        code: i64,
        message: Option<String>,
        status: Option<u16>,
    },
    Accounts {
        error: String,
        status: Option<u16>,
    },
    Code {
        code: i64,
        status: Option<u16>,
    },
    Status(u16),
    /// Sent, and no answer came (a timeout or a reset).
    None,
}

/// The most specific answer among the scanner's findings: a body (a failing one first), then
/// an accounts error, a code, a status.
fn pick_answer(found: &[Finding]) -> Option<Answer> {
    let body = found
        .iter()
        .filter_map(|f| match f {
            Finding::Body {
                code,
                message,
                status,
            } => Some((*code, message, *status)),
            _ => None,
        })
        .max_by_key(|(code, _, _)| *code != 0);
    if let Some((code, message, status)) = body {
        return Some(Answer::Body {
            code,
            message: message.clone(),
            status,
        });
    }
    for f in found {
        if let Finding::Accounts { error, status, .. } = f {
            return Some(Answer::Accounts {
                error: error.clone(),
                status: *status,
            });
        }
    }
    for f in found {
        if let Finding::Code { code, status } = f {
            return Some(Answer::Code {
                code: *code,
                status: *status,
            });
        }
    }
    found.iter().find_map(|f| match f {
        Finding::Status { status } => Some(Answer::Status(*status)),
        _ => None,
    })
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// Whether a path is a Books or accounts-server path.
fn is_zoho_path(path: &str) -> bool {
    path.contains("/books/v") || path.contains("/api/v3/") || path.contains("/oauth/v2/")
}

/// The Zoho request a line names: the first URL or path on it that is a Books or
/// accounts-server path, with the method written before it (`POST /books/v3/invoices`) or as
/// a field (`"method":"POST"`). Other URLs on the line (an `api_domain` in a token answer, a
/// health check) are not requests to Zoho.
fn find_request(text: &str, bytes: &[u8], f: &Finders) -> Option<Request> {
    let mut from = 0;
    let mut found = None;
    while let Some(start) = find_url_start(&bytes[from..], f).map(|s| s + from) {
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | ','))
            .map_or(text.len(), |e| start + e);
        if is_zoho_path(call::split_url(&text[start..end]).1) {
            found = Some((start, end));
            break;
        }
        from = end.max(start + 1);
        if from >= bytes.len() {
            break;
        }
    }
    let (start, end) = found?;
    let (host, path, query) = call::split_url(&text[start..end]);
    let method = method_before(&text[..start]).or_else(|| method_field(text));
    // A natural key matters to a create (anywhere on the line) and to a lookup (in its query).
    let natural_key = match method {
        Some("POST") => call::natural_key_in(text),
        Some("GET") => query.and_then(call::natural_key_in),
        _ => None,
    };
    let org = query
        .and_then(|q| call::query_param(q, "organization_id"))
        .map(str::to_owned)
        .or_else(|| org_in(text));
    Some(Request {
        method: method.map(str::to_owned),
        host: host.map(str::to_owned),
        path: path.to_owned(),
        org,
        natural_key,
        line: 0,
        span: (start, end),
    })
}

/// The `purpose` a zbooks line names (`purpose=lookup`, `"purpose":"probe"`), if any.
fn purpose_in(text: &str) -> Option<Purpose> {
    let at = text.find("purpose")?;
    let rest = text[at + "purpose".len()..].trim_start_matches(['"', '\\']);
    let rest = rest.strip_prefix([':', '='])?;
    let rest = rest.trim_start_matches(['"', ' ', '\\']);
    if rest.starts_with("lookup") {
        Some(Purpose::Lookup)
    } else if rest.starts_with("probe") {
        Some(Purpose::Probe)
    } else {
        None
    }
}

/// The start of the next URL (`https://...`) or, with none, of a Books or accounts path.
fn find_url_start(bytes: &[u8], f: &Finders) -> Option<usize> {
    if let Some(pos) = f.scheme.find(bytes) {
        let before = &bytes[..pos];
        if before.ends_with(b"https") {
            return Some(pos - 5);
        }
        if before.ends_with(b"http") {
            return Some(pos - 4);
        }
    }
    let pos = f
        .books
        .find(bytes)
        .or_else(|| f.legacy.find(bytes))
        .or_else(|| f.oauth.find(bytes))?;
    // Back up to the start of the path token.
    let mut start = pos;
    while start > 0 && !matches!(bytes[start - 1], b' ' | b'"' | b'\'' | b'=' | b'\t' | b'(') {
        start -= 1;
    }
    Some(start)
}

/// `POST ` right before the URL (after quotes and spaces).
fn method_before(before: &str) -> Option<&'static str> {
    let trimmed = before.trim_end_matches([' ', '"', '\'', '\t', ':', '=']);
    let word_start = trimmed
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let word = &trimmed[word_start..];
    METHODS.into_iter().find(|m| m.eq_ignore_ascii_case(word))
}

/// `"method":"POST"` or `method=POST`.
fn method_field(text: &str) -> Option<&'static str> {
    let pos = text.find("method")?;
    let rest = text[pos + "method".len()..].trim_start_matches(['"', ' ', ':', '=', '\'']);
    METHODS
        .into_iter()
        .find(|m| rest.len() >= m.len() && rest[..m.len()].eq_ignore_ascii_case(m))
}

/// `organization_id=123`, `"organization_id":"123"`, `organization_id: 123`.
fn org_in(text: &str) -> Option<String> {
    let pos = text.find("organization_id")?;
    let rest =
        text[pos + "organization_id".len()..].trim_start_matches(['"', ' ', ':', '=', '\'', '\\']);
    let len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    (len > 0).then(|| rest[..len].to_owned())
}

/// `duration_ms=123`, `"duration_ms":123`, `took 123ms`, `(123 ms)`.
fn duration_in(text: &str) -> Option<u64> {
    if let Some(pos) = text.find("duration_ms") {
        let rest = text[pos + "duration_ms".len()..].trim_start_matches(['"', ' ', ':', '=']);
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if len > 0 {
            return rest[..len].parse().ok();
        }
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find("ms") {
        let at = from + pos;
        from = at + 2;
        if bytes.get(at + 2).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let mut end = at;
        if end > 0 && bytes[end - 1] == b' ' {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && bytes[start - 1].is_ascii_digit() {
            start -= 1;
        }
        if start < end && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric()) {
            return text[start..end].parse().ok();
        }
    }
    None
}

/// The first whitespace-separated word that is a three-digit HTTP status (`<-- 200 {...}`).
fn bare_status(text: &str) -> Option<u16> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']'))
        .filter(|w| w.len() == 3 && w.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|w| w.parse::<u16>().ok())
        .find(|s| (100..=599).contains(s))
}

/// Words of a call that was sent and got no answer.
fn mentions_timeout(text: &str) -> bool {
    const WORDS: [&str; 10] = [
        "timed out",
        "timeout",
        "etimedout",
        "econnreset",
        "connection reset",
        "socket hang up",
        "deadline exceeded",
        "broken pipe",
        "connection closed",
        "no response",
    ];
    let lower = text.to_ascii_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

/// A line that has Zoho's `"code"` key in a JSON object the scanner could not read
/// (truncated, or broken by the logger).
fn looks_like_broken_body(bytes: &[u8], f: &Finders) -> bool {
    memchr::memchr(b'{', bytes).is_some()
        && f.code.find(bytes).is_some()
        && (memmem::find(bytes, b"\"code\"").is_some()
            || memmem::find(bytes, b"\\\"code\\\"").is_some())
        && memmem::find(bytes, b"message").is_some()
}

/// The line's time: a formatted timestamp, or an epoch number in a JSON field.
fn line_time(text: &str, bytes: &[u8]) -> Option<Millis> {
    if let Some(t) = time::find_timestamp(bytes, 512) {
        return Some(t);
    }
    for key in ["\"time\":", "\"ts\":", "\"timestamp\":", "\"@timestamp\":"] {
        if let Some(pos) = text.find(key) {
            let rest = text[pos + key.len()..].trim_start();
            let len = rest
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            if len > 0
                && let Ok(n) = rest[..len].parse::<f64>()
                && let Some(t) = time::from_epoch_number(n)
            {
                return Some(t);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(line: &str) -> Option<Request> {
        find_request(line, line.as_bytes(), &Finders::new())
    }

    #[test]
    fn reads_requests_in_common_shapes() {
        let r = req(r#"10.0.0.1 - - [25/Nov/2026:10:00:01 +0000] "POST /books/v3/invoices?organization_id=10234695 HTTP/1.1" 429 120"#).unwrap();
        assert_eq!(r.method.as_deref(), Some("POST"));
        assert_eq!(r.path, "/books/v3/invoices");
        assert_eq!(r.org.as_deref(), Some("10234695"));
        let r = req(r#"{"level":"error","method":"GET","url":"https://www.zohoapis.eu/books/v3/items/1234567?organization_id=5","status":401}"#).unwrap();
        assert_eq!(r.method.as_deref(), Some("GET"));
        assert_eq!(r.host.as_deref(), Some("www.zohoapis.eu"));
        assert_eq!(r.path, "/books/v3/items/1234567");
        assert!(req("GET https://example.com/health 200").is_none());
        let r = req("POST https://accounts.zoho.com/oauth/v2/token?refresh_token=x").unwrap();
        assert!(call::is_token_path(&r.path));
    }

    #[test]
    fn reads_durations_and_timeouts() {
        assert_eq!(duration_in("took 250ms status=200"), Some(250));
        assert_eq!(duration_in("(1200 ms)"), Some(1200));
        assert_eq!(duration_in("\"duration_ms\":42"), Some(42));
        assert_eq!(duration_in("params items"), None);
        assert!(mentions_timeout(
            "POST /books/v3/invoices failed: operation timed out"
        ));
        assert_eq!(org_in("x organization_id=77 y").as_deref(), Some("77"));
    }
}
