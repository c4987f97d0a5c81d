//! The simulator's request handling over arbitrary requests — methods, paths, query strings,
//! headers and bodies, with or without a valid token — never a panic, never a hang, and always
//! an answer in Zoho's shape: JSON, with a numeric `code` (and a `message` when it is not 0) from
//! the Books API and unknown routes, an `access_token` or an `error` from the accounts server.
//!
//! Input: byte 0 picks the method, byte 1 the route, byte 2 the switches (token, organization,
//! content type, upsert headers); the rest, split on `0xFF`, is a path suffix, the query string,
//! the body and extra `name: value` header lines.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use zbooks_sim::fuzzing::{DEMO_TOKEN, FuzzSim};

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get",
];

const ROUTES: [&str; 24] = [
    "/books/v3/contacts",
    "/books/v3/contacts/",
    "/books/v3/items",
    "/books/v3/invoices",
    "/books/v3/invoices/",
    "/books/v3/customerpayments",
    "/books/v3/bills",
    "/books/v3/bills/",
    "/books/v3/vendorpayments",
    "/books/v3/journals",
    "/books/v3/chartofaccounts",
    "/books/v3/chartofaccounts/",
    "/books/v3/settings/taxes",
    "/books/v3/organizations",
    "/books/v3/organizations/",
    "/api/v3/invoices",
    "/dc/eu/books/v3/contacts",
    "/oauth/v2/token",
    "/oauth/v2/token/revoke",
    "/__sim/",
    "/books/v3/",
    "/",
    "/dc/",
    "/books/v3/items/",
];

fn sim() -> &'static FuzzSim {
    static SIM: OnceLock<FuzzSim> = OnceLock::new();
    SIM.get_or_init(|| FuzzSim::new().expect("a simulator starts"))
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let method = METHODS[usize::from(data[0]) % METHODS.len()];
    let route = ROUTES[usize::from(data[1]) % ROUTES.len()];
    let switches = data[2];
    let mut parts = data[3..].split(|b| *b == 0xFF);
    let suffix = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let query = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let body = parts.next().unwrap_or_default();
    let extra = parts.next().unwrap_or_default();

    let mut path = format!("{route}{suffix}");
    let mut query = query.into_owned();
    if switches & 2 != 0 {
        query = format!("organization_id=60000000001&{query}");
    }
    if !query.is_empty() {
        path = format!("{path}?{query}");
    }
    let auth = format!("Zoho-oauthtoken {DEMO_TOKEN}");
    let mut headers: Vec<(&str, &[u8])> = Vec::new();
    if switches & 1 != 0 {
        headers.push(("authorization", auth.as_bytes()));
    }
    match (switches >> 2) & 3 {
        1 => headers.push(("content-type", b"application/json")),
        2 => headers.push(("content-type", b"application/x-www-form-urlencoded")),
        3 => headers.push(("content-type", b"multipart/form-data; boundary=x")),
        _ => {}
    }
    if switches & 16 != 0 {
        headers.push(("x-unique-identifier-key", b"cf_source_id"));
        headers.push(("x-unique-identifier-value", b"A-1"));
        headers.push(("x-upsert", b"true"));
    }
    for line in extra.split(|b| *b == b'\n') {
        if let Some(at) = line.iter().position(|b| *b == b':') {
            if let Ok(name) = std::str::from_utf8(&line[..at]) {
                headers.push((name, &line[at + 1..]));
            }
        }
    }

    let Some(answer) = sim().handle(method, &path, &headers, body) else {
        return;
    };
    assert_ne!(
        answer.status, 0,
        "no fault is scripted, so no reset: {path}"
    );
    let json: Value = serde_json::from_slice(&answer.body).unwrap_or_else(|e| {
        panic!(
            "{method} {path}: {} is not JSON ({e}): {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        )
    });
    let Value::Object(map) = &json else {
        if answer.area == "control" {
            return;
        }
        panic!("{method} {path}: not an object: {json}");
    };
    match answer.area {
        "books" | "unknown" => {
            let code = map.get("code").and_then(Value::as_i64);
            assert!(code.is_some(), "{method} {path}: no code: {json}");
            if code != Some(0) {
                assert!(
                    map.get("message").is_some_and(Value::is_string),
                    "{method} {path}: no message: {json}"
                );
                assert!(
                    answer.status >= 400,
                    "{method} {path}: error with {}",
                    answer.status
                );
            } else {
                assert!(
                    (200..300).contains(&answer.status),
                    "{method} {path}: {json}"
                );
            }
        }
        "accounts" => assert!(
            map.contains_key("access_token")
                || map.contains_key("error")
                || map.contains_key("status"),
            "{method} {path}: {json}"
        ),
        _ => {}
    }
});
