//! `zbooks explain`: a correct, specific answer for every input a user brings.

use serde_json::Value;

use crate::zbooks;

fn explain_json(input: &str) -> Value {
    let run = zbooks(&["explain", "--format", "json", input], None);
    assert_eq!(run.code, 0, "{input}: {}", run.stderr);
    let v = crate::data(&run.stdout);
    v["findings"][0].clone()
}

fn explain_text(input: &str) -> String {
    let run = zbooks(&["explain", input], None);
    assert_eq!(run.code, 0, "{input}: {}", run.stderr);
    run.stdout
}

/// (input, expected class, words the explanation must contain).
const CASES: &[(&str, &str, &[&str])] = &[
    ("0", "null", &["success", "code 0 together with a 2xx"]),
    (
        "2",
        "validation",
        &["Invalid value passed for", "Invalid ID", "1002"],
    ),
    ("5", "unknown", &["Zoho documents no code 5", "1000", "404"]),
    ("14", "auth_misconfigured", &["Zoho-oauthtoken", "Bearer"]),
    (
        "44",
        "rate_limited_minute",
        &["100 calls within a minute", "whole organization"],
    ),
    (
        "45",
        "quota_exhausted_day",
        &["daily", "per-minute limit is code 44", "resets"],
    ),
    (
        "57",
        "auth_expired",
        &[
            "Refresh the access token once",
            "scope",
            "Invalid Access Token",
        ],
    ),
    ("1000", "transient_server", &["backoff", "natural key"]),
    (
        "1002",
        "not_found",
        &["does not exist", "transaction error", "natural key"],
    ),
    ("1038", "validation", &["JSONString", "trailing comma"]),
    ("1070", "concurrency_limited", &["in flight", "Free 5"]),
    (
        "3062",
        "duplicate",
        &["contact_name", "Look the contact up by name"],
    ),
    (
        "6024",
        "blocked_org",
        &[
            "belongs to several organizations",
            "error_info",
            "never the first",
            "Invalid Organization ID",
            "6041",
        ],
    ),
    (
        r#"{"code":6024,"message":"This user belongs to multiple organizations, hence the parameter CompanyID/CompanyName is required for associating this user to a specific organization.","error_info":[{"organization_id":"1","name":"A","is_default_org":true}]}"#,
        "blocked_org",
        &["belongs to multiple organizations", "--org"],
    ),
    (
        "6041",
        "blocked_org",
        &["GET /organizations", "not one the token's user belongs to"],
    ),
    ("103001", "blocked_org", &["trial", "paid plan"]),
    (
        "invalid_code",
        "auth_misconfigured",
        &["single-use", "revoked", "HTTP 200"],
    ),
    (
        "invalid_client",
        "auth_misconfigured",
        &["wrong data center", "accounts.zoho.eu"],
    ),
    (
        r#"{"error_description":"You have made too many requests continuously. Please try again after some time.","error":"Access Denied","status":"failure"}"#,
        "token_throttled",
        &[
            "10 token requests within 10 minutes",
            "Cache the access token",
        ],
    ),
    ("400", "validation", &["Bad request", "1038"]),
    ("401", "auth_expired", &["57", "14", "not 403"]),
    ("404", "not_found", &["1002", "data center host"]),
    ("405", "validation", &["Method Not Allowed"]),
    (
        "429",
        "rate_limited_minute",
        &["44", "45", "1070", "no Retry-After"],
    ),
    ("500", "transient_server", &["1000", "backoff"]),
    ("502", "transient_server", &["HTML", "natural key"]),
    ("503", "transient_server", &["overloaded", "backoff"]),
];

#[test]
fn explains_every_code_status_and_accounts_error_that_catches_people() {
    for (input, class, words) in CASES {
        let json = explain_json(input);
        let class_seen = json["class"].to_string().replace('"', "");
        assert_eq!(&class_seen, class, "{input}: {json}");
        let text = explain_text(input);
        for word in *words {
            assert!(
                text.replace('\n', " ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(word),
                "{input}: expected {word:?} in\n{text}"
            );
        }
    }
}

#[test]
fn explains_a_body_buried_in_a_log_line() {
    let line = r#"2026-11-25T09:14:03.120Z WARN  [sync-worker-2] zoho POST https://www.zohoapis.in/books/v3/invoices?organization_id=60012345678 failed: HTTP 429 Too Many Requests; body={"code":45,"message":"The API call for this organization has exceeded the maximum call rate limit of 5,000."} retry=3"#;
    let json = explain_json(line);
    assert_eq!(json["code"], 45);
    assert_eq!(json["status"], 429);
    assert_eq!(json["class"], "quota_exhausted_day");
    assert_eq!(json["details"]["daily_limit"], 5000);
    let text = explain_text(line);
    assert!(
        text.contains("5,000 calls, which is the professional plan"),
        "{text}"
    );
}

#[test]
fn explains_escaped_json_in_a_json_log_record() {
    let record = r#"{"timestamp":"2026-11-25T09:14:03Z","level":"error","logger":"books","http_status":401,"message":"request failed: {\"code\":57,\"message\":\"You are not authorized to perform this operation\"}"}"#;
    let json = explain_json(record);
    assert_eq!(json["code"], 57);
    assert_eq!(json["status"], 401);
    assert_eq!(json["class"], "auth_expired");
}

#[test]
fn reads_standard_input_and_reports_each_finding_once() {
    let log = "\
10:00:01 POST /books/v3/contacts -> 400 {\"code\":3062,\"message\":\"The customer \\\"Acme\\\" already exists. Please specify a different name.\"}
10:00:02 GET /books/v3/invoices/99 -> 404 {\"code\":1002,\"message\":\"Invoice does not exist.\"}
10:00:03 POST /books/v3/contacts -> 400 {\"code\":3062,\"message\":\"The customer \\\"Acme\\\" already exists. Please specify a different name.\"}
10:00:04 token refresh -> {\"error\":\"invalid_client\"}
";
    let run = zbooks(&["explain", "--format", "json", "-"], Some(log.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = crate::data(&run.stdout);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3, "{v}");
    assert_eq!(findings[0]["code"], 3062);
    assert_eq!(findings[0]["lines"], serde_json::json!([1, 3]));
    assert_eq!(findings[0]["details"]["name"], "Acme");
    assert_eq!(findings[1]["code"], 1002);
    assert_eq!(findings[1]["status"], 404);
    assert_eq!(findings[2]["accounts_error"], "invalid_client");
}

#[test]
fn unknown_code_is_reported_as_unknown_with_what_its_status_implies() {
    let json = explain_json(r#"HTTP 400 {"code":424242,"message":"Something new"}"#);
    assert_eq!(json["known"], false);
    assert_eq!(json["class"], "validation");
    assert!(json["meaning"].as_str().unwrap().contains("400"));
    let json = explain_json("424242");
    assert_eq!(json["known"], false);
    assert_eq!(json["title"], "unknown code 424242");
}

#[test]
fn unreadable_input_is_a_usage_error() {
    for input in ["hello there", "   "] {
        let run = zbooks(&["explain", input], None);
        assert_eq!(run.code, 2, "{input}");
        assert!(
            run.stderr.starts_with("error: cannot explain this input"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    let run = zbooks(&["explain"], None);
    assert_eq!(run.code, 2);
}

#[test]
fn ten_megabytes_of_garbage_on_stdin_is_an_error_not_a_panic() {
    // Deterministic pseudo-random bytes (xorshift), 10 MB.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..10 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect();
    let run = zbooks(&["explain", "-"], Some(&garbage));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("larger than"), "{}", run.stderr);
    // Just under the limit, the scanner reads it all and finds nothing.
    let run = zbooks(&["explain", "-"], Some(&garbage[..4 * 1024 * 1024 - 1]));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn list_prints_the_whole_catalog() {
    let run = zbooks(&["explain", "--list"], None);
    assert_eq!(run.code, 0);
    for key in [
        "44",
        "45",
        "1070",
        "\"invalid_client\"",
        "\"Access Denied\"",
        "103001",
        "504",
    ] {
        assert!(run.stdout.contains(key), "{key}");
    }
    let run = zbooks(&["explain", "--list", "--format", "json"], None);
    let v = crate::data(&run.stdout);
    assert!(v["codes"].as_array().unwrap().len() >= 20);
    assert_eq!(v["statuses"].as_array().unwrap().len(), 17);
}

#[test]
fn text_output_snapshots() {
    for code in ["44", "45", "57", "6041"] {
        insta::assert_snapshot!(format!("explain_{code}"), explain_text(code));
    }
    insta::assert_snapshot!(
        "explain_log_line",
        explain_text(
            r#"ERROR 2026-11-25 10:00:00 HTTP/1.1 404 {"code":1002,"message":"Invoice does not exist."}"#
        )
    );
    insta::assert_snapshot!("explain_list", zbooks(&["explain", "--list"], None).stdout);
}

/// Users have Zoho's pages, not our reference: `explain` cites the former, with no evidence
/// tag and no section number of ours, for every entry of the catalog.
#[test]
fn cites_zoho_pages_not_the_reference() {
    let list = zbooks(&["explain", "--list"], None).stdout;
    let mut inputs: Vec<String> = zbooks_types::catalog::ENTRIES
        .iter()
        .map(|e| match e.key {
            zbooks_types::catalog::ErrorKey::Code(c) => c.to_string(),
            zbooks_types::catalog::ErrorKey::Accounts(a) => a.to_owned(),
        })
        .collect();
    inputs.extend(
        zbooks_types::catalog::STATUSES
            .iter()
            .map(|s| s.status.to_string()),
    );
    for input in &inputs {
        let text = explain_text(input);
        let json = explain_json(input);
        let pages = json["pages"].as_array().expect("pages");
        assert!(!pages.is_empty(), "{input}: no Zoho page");
        for page in pages {
            let page = page.as_str().unwrap();
            assert!(page.starts_with("https://"), "{page}");
            assert!(text.contains(page), "{input}: {page} not shown:\n{text}");
        }
        for out in [&text, &list, &json.to_string()] {
            for private in [
                "§",
                "zoho-books-reference",
                ".md",
                "[C]",
                "[O]",
                "[I]",
                "[X]",
                "[3P]",
                "[C-inv]",
            ] {
                assert!(!out.contains(private), "{input}: {private:?} in\n{out}");
            }
        }
    }
}

#[test]
fn json_output_snapshot() {
    let run = zbooks(&["explain", "--format", "json", "45"], None);
    insta::assert_snapshot!("explain_45_json", run.stdout);
}

#[test]
fn help_snapshots() {
    insta::assert_snapshot!("help", zbooks(&["--help"], None).stdout);
    insta::assert_snapshot!("explain_help", zbooks(&["explain", "--help"], None).stdout);
}
