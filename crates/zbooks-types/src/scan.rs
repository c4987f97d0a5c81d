//! Finds Zoho failures in text: a bare code (`57`), a status (`429`), an accounts error
//! (`invalid_client`), a Zoho JSON body, or any of these inside a log line — among timestamps
//! and prefixes, or escaped inside another JSON record.
//!
//! This is `zbooks explain`'s input parser, and `zbooks logs analyze` reads free text with the
//! same functions. It reads outside input, so it must never panic and must stay close to
//! linear in the input's length: each JSON attempt is bounded in length, the number of
//! failed attempts is bounded, and nesting is bounded.

use serde::Serialize;
use serde_json::Value;

use crate::catalog;

/// Input larger than this is refused by [`scan`]; whole logs belong to `zbooks logs analyze`.
pub const MAX_INPUT: usize = 4 * 1024 * 1024;

/// The longest stretch of text one JSON attempt reads.
const MAX_JSON_SPAN: usize = 32 * 1024;
/// How many failed JSON attempts one input may cost before embedded JSON is no longer tried.
const MAX_FAILED_ATTEMPTS: usize = 4_096;
/// How deep escaped JSON inside JSON strings is followed.
const MAX_DEPTH: u8 = 4;

/// One thing found.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// A Books body: `{"code": N, "message": "..."}`.
    Body {
        /// Zoho's code.
        code: i64,
        /// Zoho's message.
        message: Option<String>,
        /// The HTTP status seen with it, if the text shows one.
        status: Option<u16>,
    },
    /// An accounts-server error: `{"error": "invalid_client"}` or its name in text.
    Accounts {
        /// The `error` value.
        error: String,
        /// The `error_description`, if any.
        description: Option<String>,
        /// The HTTP status seen with it, if the text shows one.
        status: Option<u16>,
    },
    /// A code without a body (`57`, `code 57`).
    Code {
        /// The code.
        code: i64,
        /// The HTTP status seen with it, if the text shows one.
        status: Option<u16>,
    },
    /// An HTTP status alone.
    Status {
        /// The status.
        status: u16,
    },
}

impl Finding {
    /// The status the finding carries, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            Finding::Body { status, .. }
            | Finding::Accounts { status, .. }
            | Finding::Code { status, .. } => *status,
            Finding::Status { status } => Some(*status),
        }
    }

    fn set_status_if_none(&mut self, new: u16) {
        match self {
            Finding::Body { status, .. }
            | Finding::Accounts { status, .. }
            | Finding::Code { status, .. } => {
                if status.is_none() {
                    *status = Some(new);
                }
            }
            Finding::Status { .. } => {}
        }
    }

    fn code(&self) -> Option<i64> {
        match self {
            Finding::Body { code, .. } | Finding::Code { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// A finding and the lines (from 1) where it occurs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    /// What was found.
    pub finding: Finding,
    /// The lines it was found on, in order, each once.
    pub lines: Vec<usize>,
}

/// Why [`scan`] found nothing to explain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// The input is empty or only whitespace.
    #[error(
        "the input is empty: give a code (57), a status (429), an accounts error (invalid_client), a Zoho error body or a log line"
    )]
    Empty,
    /// The input is larger than [`MAX_INPUT`].
    #[error(
        "the input is {size} bytes, more than the {limit} bytes explain reads; analyze whole logs with `zbooks logs analyze`"
    )]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Nothing in the input looks like a Zoho code, status or error.
    #[error("found no Zoho code, HTTP status, error body or accounts error in the input")]
    NothingFound,
}

/// Finds every Zoho failure in `input`, grouping identical findings with the lines they occur
/// on, in order of first appearance.
pub fn scan(input: &str) -> Result<Vec<Found>, ScanError> {
    if input.len() > MAX_INPUT {
        return Err(ScanError::TooLarge {
            size: input.len(),
            limit: MAX_INPUT,
        });
    }
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ScanError::Empty);
    }
    if let Some(finding) = parse_bare(trimmed) {
        return Ok(vec![Found {
            finding,
            lines: vec![1],
        }]);
    }
    let mut budget = Budget::default();
    let mut out: Vec<Found> = Vec::new();
    // A whole JSON document (a pretty-printed body over several lines) first.
    if trimmed.starts_with(['{', '['])
        && trimmed.contains('\n')
        && let Ok(value) = serde_json::from_str::<Value>(trimmed)
    {
        {
            let mut found = Vec::new();
            walk(&value, None, 0, &mut budget, &mut found);
            let found = pair_statuses(found);
            if !found.is_empty() {
                for f in found {
                    push_found(&mut out, f, 1);
                }
                return Ok(out);
            }
        }
    }
    for (index, line) in input.lines().enumerate() {
        for finding in scan_line(line, &mut budget) {
            push_found(&mut out, finding, index + 1);
        }
    }
    if out.is_empty() {
        Err(ScanError::NothingFound)
    } else {
        Ok(out)
    }
}

fn push_found(out: &mut Vec<Found>, finding: Finding, line: usize) {
    if let Some(existing) = out.iter_mut().find(|f| f.finding == finding) {
        if existing.lines.last() != Some(&line) {
            existing.lines.push(line);
        }
    } else {
        out.push(Found {
            finding,
            lines: vec![line],
        });
    }
}

/// Bounds the work spent on JSON attempts for one input.
#[derive(Debug, Default)]
pub struct Budget {
    failed_attempts: usize,
}

impl Budget {
    fn exhausted(&self) -> bool {
        self.failed_attempts >= MAX_FAILED_ATTEMPTS
    }
}

/// Input that is one token: `57`, `429`, `HTTP 429`, `code 57`, `invalid_client`,
/// `Access Denied`.
fn parse_bare(input: &str) -> Option<Finding> {
    if input.len() > 64 {
        return None;
    }
    let lower = input.to_ascii_lowercase();
    if let Some(n) = parse_int(&lower) {
        return Some(number_finding(n));
    }
    for prefix in [
        "http status",
        "http",
        "status",
        "zoho code",
        "error code",
        "code",
    ] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let rest = rest.trim_start_matches([' ', ':', '=', '#']);
            if let Some(n) = parse_int(rest) {
                return Some(if prefix.contains("code") {
                    Finding::Code {
                        code: n,
                        status: None,
                    }
                } else {
                    u16::try_from(n)
                        .ok()
                        .filter(|s| (100..=599).contains(s))
                        .map_or(
                            Finding::Code {
                                code: n,
                                status: None,
                            },
                            |status| Finding::Status { status },
                        )
                });
            }
        }
    }
    let unquoted = input.trim_matches(['"', '\'']);
    if catalog::by_accounts_error(unquoted).is_some() {
        return Some(Finding::Accounts {
            error: canonical_accounts_error(unquoted),
            description: None,
            status: None,
        });
    }
    None
}

fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A bare number is a status when it is one (100–599) and no catalogued code; else a code.
fn number_finding(n: i64) -> Finding {
    if catalog::by_code(n).is_none()
        && let Ok(status) = u16::try_from(n)
        && (100..=599).contains(&status)
    {
        return Finding::Status { status };
    }
    Finding::Code {
        code: n,
        status: None,
    }
}

fn canonical_accounts_error(error: &str) -> String {
    match catalog::by_accounts_error(error).map(|e| e.key) {
        Some(catalog::ErrorKey::Accounts(name)) => name.to_owned(),
        _ => error.trim().to_owned(),
    }
}

/// Finds every Zoho failure in one line of text.
pub fn scan_line(line: &str, budget: &mut Budget) -> Vec<Finding> {
    let mut found = Vec::new();
    let trimmed = line.trim();
    // A JSON log record: walk it, following escaped JSON inside its strings.
    if trimmed.starts_with('{')
        && trimmed.ends_with('}')
        && let Ok(value) = serde_json::from_str::<Value>(trimmed)
    {
        {
            walk(&value, None, 0, budget, &mut found);
            if !found.is_empty() {
                return pair_statuses(found);
            }
        }
    }
    scan_text(line, 0, budget, &mut found);
    pair_statuses(found)
}

/// Attaches a lone status on the line to the bodies that lack one, and drops lone codes that a
/// body on the same line already carries.
fn pair_statuses(found: Vec<Finding>) -> Vec<Finding> {
    let statuses: Vec<u16> = found
        .iter()
        .filter_map(|f| match f {
            Finding::Status { status } => Some(*status),
            _ => None,
        })
        .collect();
    let has_other = found.iter().any(|f| !matches!(f, Finding::Status { .. }));
    if !has_other {
        let mut out: Vec<Finding> = Vec::new();
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        return out;
    }
    let mut out: Vec<Finding> = Vec::new();
    for mut f in found {
        if matches!(f, Finding::Status { .. }) {
            continue;
        }
        if let Some(&status) = statuses.first() {
            f.set_status_if_none(status);
        }
        out.push(f);
    }
    // A lone `code 57` beside a body with code 57 says nothing more.
    let body_codes: Vec<i64> = out
        .iter()
        .filter(|f| matches!(f, Finding::Body { .. }))
        .filter_map(Finding::code)
        .collect();
    out.retain(|f| !matches!(f, Finding::Code { code, .. } if body_codes.contains(code)));
    let mut unique: Vec<Finding> = Vec::new();
    for f in out {
        if !unique.contains(&f) {
            unique.push(f);
        }
    }
    unique
}

/// Walks a JSON value for Zoho bodies, accounts errors and statuses.
fn walk(
    value: &Value,
    status: Option<u16>,
    depth: u8,
    budget: &mut Budget,
    out: &mut Vec<Finding>,
) {
    match value {
        Value::Object(map) => {
            let status = STATUS_KEYS
                .iter()
                .find_map(|k| map.get(*k).and_then(json_status))
                .or(status);
            if let Some(code) = map.get("code").and_then(json_int)
                && let Some(message) = map.get("message").and_then(Value::as_str)
            {
                out.push(Finding::Body {
                    code,
                    message: Some(message.to_owned()),
                    status,
                });
                return;
            }
            if let Some(error) = map.get("error").and_then(Value::as_str) {
                let description = map
                    .get("error_description")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if description.is_some() || catalog::by_accounts_error(error).is_some() {
                    out.push(Finding::Accounts {
                        error: canonical_accounts_error(error),
                        description,
                        status,
                    });
                    return;
                }
            }
            let before = out.len();
            for v in map.values() {
                walk(v, status, depth, budget, out);
            }
            // A log record with a status and no body still tells something.
            if out.len() == before
                && depth == 0
                && let Some(status) = status
                && status >= 400
            {
                out.push(Finding::Status { status });
            }
        }
        Value::Array(items) => {
            for v in items {
                walk(v, status, depth, budget, out);
            }
        }
        Value::String(s) if depth < MAX_DEPTH && looks_interesting(s) => {
            let mut inner = Vec::new();
            scan_text(s, depth + 1, budget, &mut inner);
            for mut f in pair_statuses(inner) {
                if let Some(status) = status {
                    f.set_status_if_none(status);
                }
                out.push(f);
            }
        }
        _ => {}
    }
}

const STATUS_KEYS: [&str; 7] = [
    "status",
    "status_code",
    "statusCode",
    "http_status",
    "httpStatus",
    "response_status",
    "responseStatus",
];

fn json_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => parse_int(s),
        _ => None,
    }
}

fn json_status(v: &Value) -> Option<u16> {
    json_int(v)
        .and_then(|n| u16::try_from(n).ok())
        .filter(|s| (100..=599).contains(s))
}

fn looks_interesting(s: &str) -> bool {
    s.contains('{')
        || s.contains("invalid_c")
        || s.contains("Access Denied")
        || s.contains("HTTP")
        || s.contains("code")
        || s.contains("status")
}

/// Scans free text: embedded JSON objects (also escaped), accounts errors, statuses and codes.
fn scan_text(text: &str, depth: u8, budget: &mut Budget, out: &mut Vec<Finding>) {
    let before = out.len();
    let rest = embedded_json(text, depth, budget, out);
    // Escaped JSON (`{\"code\":57,...}`) inside a string that was not itself parsed as JSON.
    if out.len() == before && depth < MAX_DEPTH && text.contains("\\\"") {
        let unescaped = unescape(text);
        embedded_json(&unescaped, depth + 1, budget, out);
    }
    let found_json = out.len() > before;
    text_patterns(&rest, found_json, out);
}

/// Parses the JSON objects embedded in `text` and returns the text with them blanked out.
fn embedded_json(text: &str, depth: u8, budget: &mut Budget, out: &mut Vec<Finding>) -> String {
    let bytes = text.as_bytes();
    let mut remaining = String::with_capacity(text.len());
    let mut copied_to = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'{' || budget.exhausted() || !is_candidate(&bytes[i..]) {
            i += 1;
            continue;
        }
        let end = floor_char_boundary(text, (i + MAX_JSON_SPAN).min(text.len()));
        let span = &text[i..end];
        let mut stream = serde_json::Deserializer::from_str(span).into_iter::<Value>();
        if let Some(Ok(value @ Value::Object(_))) = stream.next() {
            {
                let consumed = stream.byte_offset();
                let mut found = Vec::new();
                walk(&value, None, depth, budget, &mut found);
                out.extend(found);
                remaining.push_str(&text[copied_to..i]);
                remaining.push(' ');
                copied_to = i + consumed;
                i += consumed.max(1);
            }
        } else {
            budget.failed_attempts += 1;
            i += 1;
        }
    }
    remaining.push_str(&text[copied_to.min(text.len())..]);
    remaining
}

/// A `{` worth a JSON attempt: a key we care about appears within the next few bytes.
fn is_candidate(from: &[u8]) -> bool {
    let window = &from[..from.len().min(40)];
    contains(window, b"\"code\"") || contains(window, b"\"error\"") || contains(window, b"\"status")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn floor_char_boundary(s: &str, mut index: usize) -> usize {
    while index > 0 && !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('"') => out.push('"'),
                Some('n') => out.push('\n'),
                Some('/') => out.push('/'),
                Some('\\') | None => out.push('\\'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Statuses, codes and accounts errors written as words.
fn text_patterns(text: &str, found_json: bool, out: &mut Vec<Finding>) {
    let lower = text.to_ascii_lowercase();
    if !found_json {
        for (needle, name) in [
            ("invalid_code", "invalid_code"),
            ("invalid_client", "invalid_client"),
            ("access denied", "Access Denied"),
        ] {
            if lower.contains(needle) {
                out.push(Finding::Accounts {
                    error: name.to_owned(),
                    description: None,
                    status: None,
                });
            }
        }
    }
    let mut statuses = statuses_in(&lower);
    // On a line that carries a Zoho body, a lone error status (`-> 400`, `POST /x 429 12ms`)
    // is the answer's status even without a keyword.
    if statuses.is_empty() && found_json {
        statuses.extend(loose_status(&lower));
    }
    for status in statuses {
        out.push(Finding::Status { status });
    }
    for code in codes_in(&lower) {
        out.push(Finding::Code { code, status: None });
    }
}

/// `HTTP/1.1 429`, `HTTP 429`, `status=429`, `status: 429`, `statusCode 429`, `429 Too Many
/// Requests`.
fn statuses_in(lower: &str) -> Vec<u16> {
    let mut found = Vec::new();
    // Most lines have neither keyword: skip the keyword passes for them.
    let has_http = lower.contains("http");
    let has_status = lower.contains("status");
    let has_response = lower.contains("response code");
    for key in [
        "http/1.1",
        "http/1.0",
        "http/2.0",
        "http/2",
        "http/3",
        "http status",
        "http",
        "status_code",
        "statuscode",
        "status code",
        "status",
        "response code",
    ] {
        let present = if key.starts_with("http") {
            has_http
        } else if key.starts_with("status") {
            has_status
        } else {
            has_response
        };
        if !present {
            continue;
        }
        let mut from = 0;
        while let Some(pos) = lower[from..].find(key) {
            let start = from + pos;
            from = start + key.len();
            if start > 0 && is_word_byte(lower.as_bytes()[start - 1]) {
                continue;
            }
            if let Some(n) = number_after(&lower[from..], 3)
                && let Ok(status) = u16::try_from(n)
                && (100..=599).contains(&status)
                && !found.contains(&status)
            {
                found.push(status);
            }
        }
        if !found.is_empty() {
            return found;
        }
    }
    if !lower.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    for (needle, status) in REASON_PHRASES {
        if lower.contains(needle) && !found.contains(&status) {
            found.push(status);
        }
    }
    found
}

/// The first whitespace-delimited three-digit number from 400 to 599.
fn loose_status(lower: &str) -> Option<u16> {
    lower
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | ';' | '>' | '=')
        })
        .filter(|word| word.len() == 3 && word.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|word| word.parse::<u16>().ok())
        .find(|status| (400..=599).contains(status))
}

/// A status followed by its reason phrase, lower-cased as the line is.
const REASON_PHRASES: [(&str, u16); 10] = [
    ("400 bad request", 400),
    ("401 unauthorized", 401),
    ("403 forbidden", 403),
    ("404 not found", 404),
    ("405 method not allowed", 405),
    ("429 too many requests", 429),
    ("500 internal server error", 500),
    ("502 bad gateway", 502),
    ("503 service unavailable", 503),
    ("504 gateway timeout", 504),
];

/// `code 57`, `code=57`, `zoho code: 44`, `error code 1002`: catalogued codes only, so that a
/// zip code or an exit code in a log line is not taken for a Zoho code.
fn codes_in(lower: &str) -> Vec<i64> {
    let mut found = Vec::new();
    if !lower.contains("code") {
        return found;
    }
    let mut from = 0;
    while let Some(pos) = lower[from..].find("code") {
        let start = from + pos;
        from = start + 4;
        if start > 0 && is_word_byte(lower.as_bytes()[start - 1]) {
            continue;
        }
        if let Some(n) = number_after(&lower[from..], 0)
            && catalog::by_code(n).is_some()
            && !found.contains(&n)
        {
            found.push(n);
        }
    }
    found
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The number right after a keyword and its separators (` `, `:`, `=`, `"`, `'`), with exactly
/// `digits` digits when `digits` is not zero.
fn number_after(rest: &str, digits: usize) -> Option<i64> {
    let rest = rest.trim_start_matches([' ', ':', '=', '"', '\'', '\t', '#']);
    let len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 9 || (digits != 0 && len != digits) {
        return None;
    }
    rest[..len].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(input: &str) -> Finding {
        let found = scan(input).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap().finding
    }

    #[test]
    fn bare_numbers_are_codes_or_statuses() {
        assert_eq!(
            one("57"),
            Finding::Code {
                code: 57,
                status: None
            }
        );
        assert_eq!(one(" 429 \n"), Finding::Status { status: 429 });
        assert_eq!(
            one("1000"),
            Finding::Code {
                code: 1000,
                status: None
            }
        );
        assert_eq!(one("500"), Finding::Status { status: 500 });
        assert_eq!(
            one("0"),
            Finding::Code {
                code: 0,
                status: None
            }
        );
        assert_eq!(one("HTTP 503"), Finding::Status { status: 503 });
        assert_eq!(
            one("code 429"),
            Finding::Code {
                code: 429,
                status: None
            }
        );
        assert_eq!(
            one("99999"),
            Finding::Code {
                code: 99999,
                status: None
            }
        );
    }

    #[test]
    fn accounts_errors_by_name() {
        for input in [
            "invalid_client",
            "\"invalid_code\"",
            "Access Denied",
            "access_denied",
        ] {
            assert!(matches!(one(input), Finding::Accounts { .. }), "{input}");
        }
    }

    #[test]
    fn finds_a_body_buried_in_a_log_line() {
        let line = r#"2026-11-25T10:01:02Z ERROR sync::push POST /books/v3/invoices?organization_id=1 -> HTTP 429 body={"code":44,"message":"For security reasons your organization has been blocked"} attempt=3"#;
        assert_eq!(
            one(line),
            Finding::Body {
                code: 44,
                message: Some("For security reasons your organization has been blocked".to_owned()),
                status: Some(429),
            }
        );
    }

    #[test]
    fn finds_escaped_json_inside_a_json_record() {
        let line = r#"{"ts":"2026-11-25T10:00:00Z","level":"error","status":401,"msg":"zoho said {\"code\":57,\"message\":\"You are not authorized to perform this operation\"}"}"#;
        assert_eq!(
            one(line),
            Finding::Body {
                code: 57,
                message: Some("You are not authorized to perform this operation".to_owned()),
                status: Some(401),
            }
        );
    }

    #[test]
    fn finds_escaped_json_in_plain_text() {
        let line =
            r#"[warn] response: "{\"code\":1002,\"message\":\"Invoice does not exist.\"}" (404)"#;
        assert!(matches!(one(line), Finding::Body { code: 1002, .. }));
    }

    #[test]
    fn finds_accounts_throttle_body() {
        let body = r#"{"error_description":"You have made too many requests continuously. Please try again after some time.","error":"Access Denied","status":"failure"}"#;
        assert!(
            matches!(one(body), Finding::Accounts { ref error, .. } if error == "Access Denied")
        );
    }

    #[test]
    fn reads_a_pretty_printed_body() {
        let body = "{\n  \"code\": 45,\n  \"message\": \"The API call for this organization has exceeded the maximum call rate limit of 1,000.\"\n}\n";
        assert!(matches!(one(body), Finding::Body { code: 45, .. }));
    }

    #[test]
    fn groups_repeated_findings_by_line() {
        let input = "a HTTP 429 {\"code\":44,\"message\":\"m\"}\nb\nc HTTP 429 {\"code\":44,\"message\":\"m\"}\nd status=503\n";
        let found = scan(input).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].lines, vec![1, 3]);
        assert_eq!(found[1].finding, Finding::Status { status: 503 });
    }

    #[test]
    fn refuses_empty_garbage_and_huge_input() {
        assert_eq!(scan("  \n"), Err(ScanError::Empty));
        assert_eq!(scan("hello world"), Err(ScanError::NothingFound));
        assert_eq!(scan("zip code 94107"), Err(ScanError::NothingFound));
        let huge = "x".repeat(MAX_INPUT + 1);
        assert!(matches!(scan(&huge), Err(ScanError::TooLarge { .. })));
    }

    #[test]
    fn pathological_json_prefixes_stay_fast() {
        let nasty = "{\"code\":\"".repeat(400_000);
        assert!(nasty.len() < MAX_INPUT);
        let _ = scan(&nasty);
        let nested = "{\"code\":[".repeat(400_000);
        let _ = scan(&nested);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let _ = scan(&s);
        }

        #[test]
        fn never_panics_on_json_like(s in "[{}\\[\\]\":,\\\\ a-z0-9]{0,200}") {
            let _ = scan(&s);
        }
    }
}
