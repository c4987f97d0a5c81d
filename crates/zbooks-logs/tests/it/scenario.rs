//! A deterministic generator of logs with known problems: each scenario is a list of
//! `CallEvent`s (what a zbooks client talking to `zbooks sim` with injected faults writes),
//! rendered as zbooks JSON Lines, as a free-text application log (Zoho's bodies embedded in
//! other text, escaped in JSON records, split over request/answer lines) and as a HAR file.
//! The counts each scenario must produce are constants next to it.
#![expect(
    clippy::unwrap_used,
    clippy::format_push_string,
    clippy::too_many_arguments,
    clippy::many_single_char_names,
    reason = "a test data generator: terse, and a panic is a test failure"
)]

use serde_json::json;
use zbooks_types::catalog::MSG_57;
use zbooks_types::event::{CallEvent, EVENT_SCHEMA_VERSION, EventKind};
use zbooks_types::{FailureClass, Sent};

/// 2026-11-25T09:00:00Z.
pub(crate) const T0: i64 = 1_795_597_200_000;
pub(crate) const SEC: i64 = 1_000;
pub(crate) const MIN: i64 = 60 * SEC;

/// A canary refresh token that must never appear in any output.
pub(crate) const CANARY: &str = "1000.canarycanary0123456789.feedfacefeedface";

pub(crate) const ORG_OK: &str = "10234695";
pub(crate) const ORG_BUNCH: &str = "20000001";
pub(crate) const ORG_TOKEN: &str = "30000003";
pub(crate) const ORG_WRONG: &str = "99999999";
pub(crate) const ORG_PLACEHOLDER: &str = "org_id_here";
pub(crate) const ORG_QUOTA: &str = "40000004";
pub(crate) const ORG_CONC: &str = "50000005";

const MSG_44: &str = "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.";
const MSG_45: &str =
    "The API call for this organization has exceeded the maximum call rate limit of 1,000.";
const MSG_1070: &str = "You have reached the maximum number of in process requests allowed. Kindly try again after some time.";

/// RFC 3339 with milliseconds.
pub(crate) fn ts(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        (rem % 3_600_000) / 60_000,
        (rem % 60_000) / 1000,
        rem % 1000
    )
}

fn base(t: i64, org: &str, method: &str, path: &str) -> CallEvent {
    CallEvent {
        schema: EVENT_SCHEMA_VERSION,
        ts: ts(t),
        kind: EventKind::Attempt,
        organization_id: Some(org.to_owned()),
        method: method.to_owned(),
        path: path.to_owned(),
        status: Some(if method == "POST" { 201 } else { 200 }),
        code: Some(0),
        message: Some("success".to_owned()),
        class: None,
        sent: Sent::Answered,
        attempt: 1,
        waited: Vec::new(),
        duration_ms: 120,
        natural_key: None,
        purpose: None,
    }
}

pub(crate) fn ok(t: i64, org: &str, method: &str, path: &str) -> CallEvent {
    base(t, org, method, path)
}

pub(crate) fn fail(
    t: i64,
    org: &str,
    method: &str,
    path: &str,
    status: u16,
    code: Option<i64>,
    message: Option<&str>,
    class: FailureClass,
) -> CallEvent {
    CallEvent {
        status: Some(status),
        code,
        message: message.map(str::to_owned),
        class: Some(class),
        ..base(t, org, method, path)
    }
}

/// A create whose answer never came (timeout after the request was written).
pub(crate) fn lost(t: i64, org: &str, path: &str, key: &str) -> CallEvent {
    CallEvent {
        status: None,
        code: None,
        message: None,
        class: Some(FailureClass::TransientServer),
        sent: Sent::MaybeSent,
        duration_ms: 30_000,
        natural_key: Some(key.to_owned()),
        ..base(t, org, "POST", path)
    }
}

pub(crate) fn keyed(mut e: CallEvent, key: &str, attempt: u32) -> CallEvent {
    e.natural_key = Some(key.to_owned());
    e.attempt = attempt;
    e
}

pub(crate) fn token(t: i64, error: Option<&str>) -> CallEvent {
    CallEvent {
        kind: EventKind::Token,
        organization_id: None,
        path: "/oauth/v2/token".to_owned(),
        status: Some(200),
        code: None,
        message: error.map(str::to_owned),
        class: error.map(|_| FailureClass::TokenThrottled),
        duration_ms: 200,
        ..base(t, "", "POST", "/oauth/v2/token")
    }
}

/// One scenario and its events in time order.
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) events: Vec<CallEvent>,
}

fn sorted(name: &'static str, mut events: Vec<CallEvent>) -> Scenario {
    events.sort_by(|a, b| a.ts.cmp(&b.ts));
    Scenario { name, events }
}

/// A client bunching calls: three minutes of 150 calls in 30 s (the last 50 of each answered
/// 429/44), and 10 calls a minute otherwise.
pub(crate) mod bunching {
    pub(crate) const MINUTES_OVER: u64 = 3;
    pub(crate) const PEAK_PER_MINUTE: u64 = 150;
    pub(crate) const CODE_44: u64 = 150;
}

pub(crate) fn bunching() -> Scenario {
    let mut ev = vec![token(T0 - SEC, None)];
    for minute in 0..20 {
        let start = T0 + minute * MIN;
        if [5, 10, 15].contains(&minute) {
            for i in 0..150 {
                let t = start + i * 200;
                ev.push(if i < 100 {
                    ok(t, ORG_BUNCH, "GET", "/books/v3/items")
                } else {
                    fail(
                        t,
                        ORG_BUNCH,
                        "GET",
                        "/books/v3/items",
                        429,
                        Some(44),
                        Some(MSG_44),
                        FailureClass::RateLimitedMinute,
                    )
                });
            }
        } else {
            for i in 0..10 {
                ev.push(ok(
                    start + 3 * SEC + i * 6 * SEC,
                    ORG_BUNCH,
                    "GET",
                    "/books/v3/items",
                ));
            }
        }
    }
    sorted("bunching", ev)
}

/// A token used until Zoho refuses it: the process takes a token at start, gets 57 for five
/// minutes once it is an hour old, and is restarted (new token); twice.
pub(crate) mod never_refreshed {
    pub(crate) const CODE_57: u64 = 200;
    pub(crate) const TOKENS: u64 = 2;
    pub(crate) const MEDIAN_MINUTES: u64 = 60;
}

pub(crate) fn never_refreshed() -> Scenario {
    let tokens = [T0, T0 + 65 * MIN, T0 + 130 * MIN];
    let mut ev: Vec<CallEvent> = tokens.iter().map(|t| token(*t - 200, None)).collect();
    for k in 0..3600 {
        let t = T0 + k * 3 * SEC;
        let issued = tokens
            .iter()
            .rev()
            .find(|x| **x <= t)
            .copied()
            .unwrap_or(T0);
        ev.push(if t - issued >= 60 * MIN {
            fail(
                t,
                ORG_TOKEN,
                "GET",
                "/books/v3/invoices",
                401,
                Some(57),
                Some(MSG_57),
                FailureClass::AuthExpired,
            )
        } else {
            ok(t, ORG_TOKEN, "GET", "/books/v3/invoices")
        });
    }
    sorted("never_refreshed", ev)
}

/// Creates sent again after a lost answer or a 502, with and without looking them up first.
pub(crate) mod lost_response {
    pub(crate) const KEYS_AT_RISK: u64 = 10;
    pub(crate) const AFTER_NO_ANSWER: u64 = 7;
    pub(crate) const AFTER_SERVER_ERROR: u64 = 2;
    pub(crate) const RETRIED_AND_CREATED: u64 = 8;
    pub(crate) const CREATED_TWICE: u64 = 1;
    pub(crate) const REFUSED_AS_DUPLICATE: u64 = 1;
    pub(crate) const RECONCILED: u64 = 2;
}

pub(crate) fn lost_response() -> Scenario {
    let inv = "/books/v3/invoices";
    let mut ev = vec![token(T0 - SEC, None)];
    for i in 0..60 {
        ev.push(ok(
            T0 + i * 30 * SEC + 7 * SEC,
            ORG_OK,
            "GET",
            "/books/v3/contacts",
        ));
    }
    for i in 0..6 {
        let key = format!("invoice_number=INV-01{:02}", i + 1);
        let t = T0 + i * 2 * MIN;
        ev.push(lost(t + 30 * SEC, ORG_OK, inv, &key));
        ev.push(keyed(ok(t + 35 * SEC, ORG_OK, "POST", inv), &key, 2));
    }
    for i in 0..2 {
        let key = format!("invoice_number=INV-011{}", i + 1);
        let t = T0 + 15 * MIN + i * 2 * MIN;
        ev.push(keyed(
            fail(
                t,
                ORG_OK,
                "POST",
                inv,
                502,
                None,
                None,
                FailureClass::TransientServer,
            ),
            &key,
            1,
        ));
        ev.push(keyed(ok(t + 5 * SEC, ORG_OK, "POST", inv), &key, 2));
    }
    for i in 0..2 {
        let key = format!("invoice_number=INV-012{}", i + 1);
        let t = T0 + 20 * MIN + i * 2 * MIN;
        ev.push(lost(t + 30 * SEC, ORG_OK, inv, &key));
        ev.push(keyed(ok(t + 32 * SEC, ORG_OK, "GET", inv), &key, 1));
        ev.push(keyed(ok(t + 33 * SEC, ORG_OK, "POST", inv), &key, 2));
    }
    let key = "contact_name=Beta Traders";
    ev.push(lost(
        T0 + 25 * MIN + 30 * SEC,
        ORG_OK,
        "/books/v3/contacts",
        key,
    ));
    ev.push(keyed(
        fail(
            T0 + 25 * MIN + 40 * SEC,
            ORG_OK,
            "POST",
            "/books/v3/contacts",
            400,
            Some(3062),
            Some("The customer \"Beta Traders\" already exists. Please specify a different name."),
            FailureClass::Duplicate,
        ),
        key,
        2,
    ));
    let key = "reference_number=PAY-77";
    ev.push(keyed(
        ok(T0 + 3 * MIN, ORG_OK, "POST", "/books/v3/customerpayments"),
        key,
        1,
    ));
    ev.push(keyed(
        ok(T0 + 28 * MIN, ORG_OK, "POST", "/books/v3/customerpayments"),
        key,
        1,
    ));
    sorted("lost_response", ev)
}

/// A wrong organization id (6041) and a placeholder one (code 2 on organization_id).
pub(crate) mod wrong_org {
    pub(crate) const CODE_6041: u64 = 40;
    pub(crate) const PLACEHOLDER: u64 = 5;
}

pub(crate) fn wrong_org() -> Scenario {
    let mut ev = vec![token(T0 - SEC, None)];
    for i in 0..20 {
        ev.push(ok(T0 + i * 10 * SEC, ORG_OK, "GET", "/books/v3/contacts"));
    }
    let msg = format!("This user is not associated with the CompanyID/CompanyName:{ORG_WRONG}.");
    for i in 0..40 {
        ev.push(fail(
            T0 + i * 10 * SEC + 5 * SEC,
            ORG_WRONG,
            "GET",
            "/books/v3/contacts",
            400,
            Some(6041),
            Some(&msg),
            FailureClass::BlockedOrg,
        ));
    }
    for i in 0..5 {
        ev.push(fail(
            T0 + 8 * MIN + i * SEC,
            ORG_PLACEHOLDER,
            "GET",
            "/books/v3/items",
            400,
            Some(2),
            Some("Invalid value passed for organization_id"),
            FailureClass::Validation,
        ));
    }
    sorted("wrong_org", ev)
}

/// A spent daily quota on the Free plan: 1,000 calls, then 120 answered 429/45.
pub(crate) mod quota {
    pub(crate) const CODE_45: u64 = 120;
    pub(crate) const BEFORE: u64 = 1000;
    pub(crate) const LIMIT: u64 = 1000;
}

pub(crate) fn quota() -> Scenario {
    let mut ev = vec![token(T0 - SEC, None)];
    for i in 0..1120 {
        let t = T0 + i * 1200;
        ev.push(if i < 1000 {
            ok(t, ORG_QUOTA, "GET", "/books/v3/items")
        } else {
            fail(
                t,
                ORG_QUOTA,
                "GET",
                "/books/v3/items",
                429,
                Some(45),
                Some(MSG_45),
                FailureClass::QuotaExhaustedDay,
            )
        });
    }
    sorted("quota", ev)
}

/// Token refresh storm, calls in flight beyond the limit, the same missing invoice asked for
/// again and again, and invalid dates.
pub(crate) mod misc {
    pub(crate) const TOKEN_REQUESTS: u64 = 25;
    pub(crate) const ACCESS_DENIED: u64 = 15;
    pub(crate) const CODE_1070: u64 = 18;
    pub(crate) const PEAK_IN_FLIGHT: u64 = 30;
    pub(crate) const CODE_1002: u64 = 12;
    pub(crate) const INVALID_DATE: u64 = 3;
}

pub(crate) fn misc() -> Scenario {
    let mut ev = Vec::new();
    for i in 0..25 {
        ev.push(token(
            T0 + i * 12 * SEC,
            if i < 10 { None } else { Some("Access Denied") },
        ));
    }
    for i in 0..30 {
        let mut e = if i < 12 {
            ok(
                T0 + 10 * MIN + 2000 + i * 10,
                ORG_CONC,
                "GET",
                "/books/v3/items",
            )
        } else {
            fail(
                T0 + 10 * MIN + 2000 + i * 10,
                ORG_CONC,
                "GET",
                "/books/v3/items",
                429,
                Some(1070),
                Some(MSG_1070),
                FailureClass::ConcurrencyLimited,
            )
        };
        e.duration_ms = 2000;
        ev.push(e);
    }
    for i in 0..12 {
        ev.push(fail(
            T0 + 20 * MIN + i * 20 * SEC,
            ORG_OK,
            "GET",
            "/books/v3/invoices/4815000000044031",
            404,
            Some(1002),
            Some("Invoice does not exist."),
            FailureClass::NotFound,
        ));
    }
    for i in 0..3 {
        ev.push(keyed(
            fail(
                T0 + 30 * MIN + i * SEC,
                ORG_OK,
                "POST",
                "/books/v3/invoices",
                400,
                Some(2),
                Some("Invalid value passed for date"),
                FailureClass::Validation,
            ),
            &format!("invoice_number=INV-9{i}"),
            1,
        ));
    }
    sorted("misc", ev)
}

pub(crate) fn all() -> Vec<Scenario> {
    vec![
        bunching(),
        never_refreshed(),
        lost_response(),
        wrong_org(),
        quota(),
        misc(),
    ]
}

// ---------------------------------------------------------------------------------------
// Renderings.

pub(crate) fn to_jsonl(events: &[CallEvent]) -> String {
    let mut out = String::new();
    for e in events {
        out.push_str(&serde_json::to_string(e).unwrap());
        out.push('\n');
    }
    out
}

fn end_ms(e: &CallEvent) -> i64 {
    // Parse our own ts format back.
    let b = e.ts.as_bytes();
    let n = |a: usize, l: usize| -> i64 { e.ts[a..a + l].parse().unwrap() };
    assert_eq!(b[10], b'T');
    let (y, m, d) = (n(0, 4), n(5, 2), n(8, 2));
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400_000 + n(11, 2) * 3_600_000 + n(14, 2) * 60_000 + n(17, 2) * 1000 + n(20, 3)
}

fn url(e: &CallEvent) -> String {
    if e.kind == EventKind::Token {
        return format!(
            "https://accounts.zoho.com/oauth/v2/token?refresh_token={CANARY}&client_id=1000.CLIENTID&client_secret=0123456789abcdef0123456789abcdef&grant_type=refresh_token"
        );
    }
    let mut url = format!("https://www.zohoapis.com{}", e.path);
    if let Some(org) = &e.organization_id {
        url.push_str(&format!("?organization_id={org}"));
        if e.method == "GET"
            && let Some(k) = &e.natural_key
        {
            url.push('&');
            url.push_str(k);
        }
    }
    url
}

fn body(e: &CallEvent) -> Option<String> {
    if e.kind == EventKind::Token {
        return Some(match &e.message {
            Some(err) => json!({"error_description": "You have made too many requests continuously. Please try again after some time.", "error": err, "status": "failure"}).to_string(),
            None => json!({"access_token": "1000.accessaccess0123456789.abcdefabcdef", "api_domain": "https://www.zohoapis.com", "token_type": "Bearer", "expires_in": 3600}).to_string(),
        });
    }
    let code = e.code?;
    Some(json!({"code": code, "message": e.message.clone().unwrap_or_default()}).to_string())
}

fn request_body(e: &CallEvent) -> Option<String> {
    if e.method != "POST" || e.kind == EventKind::Token {
        return None;
    }
    let mut obj = serde_json::Map::new();
    obj.insert("customer_id".to_owned(), json!("460000000017138"));
    if let Some((k, v)) = e.natural_key.as_deref().and_then(|k| k.split_once('=')) {
        obj.insert(k.to_owned(), json!(v));
    }
    Some(serde_json::Value::Object(obj).to_string())
}

fn clf(ms: i64) -> String {
    // 2026-11-25T09:00:01.123Z -> 25/Nov/2026:09:00:01 +0000
    let s = ts(ms);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m: usize = s[5..7].parse().unwrap();
    format!(
        "{}/{}/{}:{} +0000",
        &s[8..10],
        months[m - 1],
        &s[0..4],
        &s[11..19]
    )
}

/// A free-text application log, three styles mixed line by line.
pub(crate) fn to_text(events: &[CallEvent]) -> String {
    let mut out = String::new();
    out.push_str("2026-11-25 08:59:00,000 INFO  [main] sync service starting, version 4.2.1\n");
    for (i, e) in events.iter().enumerate() {
        let t = end_ms(e);
        let key = e.natural_key.clone().unwrap_or_default();
        let lost = e.status.is_none();
        let level = if e.class.is_some() { "ERROR" } else { "INFO" };
        match i % 3 {
            0 => {
                let when = ts(t).replace('T', " ").replace('Z', "").replace('.', ",");
                if lost {
                    out.push_str(&format!(
                        "{when} ERROR [sync] {} {} {key} failed: operation timed out ({} ms)\n",
                        e.method,
                        url(e),
                        e.duration_ms
                    ));
                } else {
                    out.push_str(&format!(
                        "{when} {level} [sync] {} {} {key} -> HTTP {} {} ({} ms)\n",
                        e.method,
                        url(e),
                        e.status.unwrap(),
                        body(e).unwrap_or_default(),
                        e.duration_ms
                    ));
                }
            }
            1 => {
                let mut rec = json!({
                    "time": ts(t),
                    "level": level.to_ascii_lowercase(),
                    "msg": if lost { "zoho call failed: socket hang up" } else { "zoho call" },
                    "method": e.method,
                    "url": url(e),
                    "duration_ms": e.duration_ms,
                });
                if !key.is_empty() {
                    rec["natural_key"] = json!(key);
                }
                if let Some(s) = e.status {
                    rec["status"] = json!(s);
                }
                if let Some(b) = body(e) {
                    rec["response"] = json!(b);
                }
                out.push_str(&rec.to_string());
                out.push('\n');
            }
            _ => {
                let u = url(e);
                let path_q = u.split_once(".com").map_or(u.as_str(), |(_, p)| p);
                out.push_str(&format!(
                    "[{}] DEBUG --> {} {} {key}\n",
                    clf(t - i64::try_from(e.duration_ms).unwrap()),
                    e.method,
                    if e.kind == EventKind::Token {
                        u.as_str()
                    } else {
                        path_q
                    }
                ));
                out.push_str("  (request sent, waiting)\n");
                if lost {
                    out.push_str(&format!("[{}] WARN  <-- no response: ETIMEDOUT\n", clf(t)));
                } else {
                    out.push_str(&format!(
                        "[{}] {level} <-- {} {} {}ms\n",
                        clf(t),
                        e.status.unwrap(),
                        body(e).unwrap_or_default(),
                        e.duration_ms
                    ));
                }
            }
        }
    }
    out
}

/// A HAR 1.2 document.
pub(crate) fn to_har(events: &[CallEvent]) -> String {
    let entries: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            let t = end_ms(e);
            let start = t - i64::try_from(e.duration_ms).unwrap();
            let mut entry = json!({
                "startedDateTime": ts(start),
                "time": e.duration_ms,
                "request": {
                    "method": e.method,
                    "url": url(e),
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": "Authorization", "value": "Zoho-oauthtoken simaccess.accessaccess0123456789.abcdefabcdef"}],
                    "queryString": [],
                    "cookies": [],
                    "headersSize": -1,
                    "bodySize": -1
                },
                "response": {
                    "status": e.status.unwrap_or(0),
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "headers": [],
                    "cookies": [],
                    "content": {"size": 0, "mimeType": "application/json", "text": body(e).unwrap_or_default()},
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": -1
                },
                "cache": {},
                "timings": {"send": 0, "wait": e.duration_ms, "receive": 0}
            });
            if let Some(b) = request_body(e) {
                entry["request"]["postData"] = json!({"mimeType": "application/json", "text": b});
            }
            if e.status.is_none() {
                entry["_error"] = json!("net::ERR_TIMED_OUT");
            }
            entry
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "pages": [],
            "entries": entries
        }
    }))
    .unwrap()
}
