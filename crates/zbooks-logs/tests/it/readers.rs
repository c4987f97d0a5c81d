//! The readers' edge cases: unreadable lines, gzip from any reader, newer schemas, proxy
//! logs, Deluge traces, empty input.

use std::fmt::Write as _;
use std::io::Write as _;

use zbooks_logs::{AnalyzeOptions, Analyzer, FindingKind};

use crate::scenario::*;
use crate::{analyze_str, count, one};

#[test]
fn counts_unreadable_lines_with_file_and_line() {
    let s = wrong_org();
    let mut lines: Vec<String> = to_jsonl(&s.events).lines().map(str::to_owned).collect();
    lines.insert(2, r#"{"schema":1,"ts":"2026-11-25T09:00:0"#.to_owned());
    lines.insert(5, "not json at all".to_owned());
    lines.insert(
        7,
        r#"{"schema":2,"ts":"2026-11-25T09:00:00.000Z","kind":"attempt","new":true}"#.to_owned(),
    );
    let r = analyze_str("broken.jsonl", &(lines.join("\n") + "\n"));
    assert_eq!(r.unreadable.total, 2);
    assert_eq!(r.unreadable.lines[0].location, "broken.jsonl:3");
    assert_eq!(r.unreadable.lines[1].location, "broken.jsonl:6");
    assert_eq!(r.sources[0].newer_schema, 1);
    assert!(r.notes.iter().any(|n| n.contains("newer event schema")));
    let f = one(&r, FindingKind::UnreadableLines, None);
    assert_eq!(f.count, 2);
    // The rest of the file is still read.
    crate::check("wrong_org", &r, true);

    let text = "2026-11-25 09:00:00 ERROR zoho said {\"code\":57,\"message\":\"You are not auth\n";
    let r = analyze_str("app.log", text);
    assert_eq!(r.unreadable.total, 1);
    assert_eq!(r.unreadable.lines[0].location, "app.log:1");
}

#[test]
fn reads_gzip_from_any_reader_and_stops_cleanly_on_truncation() {
    let s = quota();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(to_text(&s.events).as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    let mut a = Analyzer::new(AnalyzeOptions::default());
    a.feed_reader("-", &bytes[..]).unwrap();
    let r = a.finish();
    assert!(r.sources[0].gzip);
    assert_eq!(r.sources[0].format, "text");
    crate::check("quota", &r, true);

    let mut a = Analyzer::new(AnalyzeOptions::default());
    let err = a
        .feed_reader("cut.gz", &bytes[..bytes.len() / 2])
        .unwrap_err();
    assert!(err.to_string().contains("cut.gz"), "{err}");
    let r = a.finish();
    assert!(r.sources[0].error.is_some());
    assert!(r.totals.api_calls > 0, "what was read before still counts");
}

#[test]
fn a_missing_file_is_an_error_and_empty_input_is_no_finding() {
    let mut a = Analyzer::new(AnalyzeOptions::default());
    assert!(
        a.feed_path(std::path::Path::new("/nonexistent/zbooks.log"))
            .is_err()
    );
    a.feed_reader("empty", &b""[..]).unwrap();
    let r = a.finish();
    assert!(r.findings.is_empty());
    assert!(r.to_text(false).contains("Nothing wrong found"));
    assert!(r.to_html().contains("zb-check"));
}

#[test]
fn reads_a_proxy_access_log() {
    // nginx combined format: statuses only; the 429s cannot be split without bodies.
    let mut log = String::new();
    for i in 0..130 {
        let status = if i < 100 { 200 } else { 429 };
        let _ = writeln!(
            log,
            "10.1.2.3 - - [25/Nov/2026:09:05:{:02} +0000] \"GET /books/v3/items?organization_id={ORG_BUNCH}&page={i} HTTP/1.1\" {status} 512 \"-\" \"python-requests/2.31\"",
            i * 20 / 130
        );
    }
    log.push_str("10.1.2.3 - - [25/Nov/2026:09:06:00 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe\"\n");
    let r = analyze_str("access.log", &log);
    assert_eq!(
        r.totals.api_calls, 130,
        "the health check is not a Zoho call"
    );
    let f = one(&r, FindingKind::BunchedCalls, Some(ORG_BUNCH));
    assert_eq!(count(f, "peak_per_minute"), 130);
    assert_eq!(r.rate_limits.http_429, 30);
    assert_eq!(r.rate_limits.other, 30);
}

#[test]
fn reads_a_deluge_info_trace() {
    let trace = "\
25-Nov-2026 09:00:01 info {\"code\":0,\"message\":\"success\",\"invoices\":[]}
25-Nov-2026 09:00:02 info {\"code\":57,\"message\":\"You are not authorized to perform this operation\"}
25-Nov-2026 09:00:03 info {\"code\":1002,\"message\":\"Invoice does not exist.\"}
25-Nov-2026 09:00:04 info {\"code\":1002,\"message\":\"Invoice does not exist.\"}
25-Nov-2026 09:00:05 info done
";
    let r = analyze_str("deluge.txt", trace);
    assert_eq!(r.totals.api_calls, 4);
    assert_eq!(r.totals.failed, 3);
    let codes: Vec<(Option<i64>, u64)> = r.codes.iter().map(|c| (c.code, c.count)).collect();
    assert_eq!(codes, vec![(Some(1002), 2), (Some(57), 1)]);
    assert_eq!(r.totals.first.as_deref(), Some("2026-11-25T09:00:01Z"));
}

#[test]
fn finds_a_data_center_mismatch_in_urls() {
    let log = "\
2026-11-25T09:00:00Z INFO POST https://accounts.zoho.com/oauth/v2/token -> HTTP 200 {\"access_token\":\"x\",\"expires_in\":3600}
2026-11-25T09:00:01Z ERROR GET https://www.zohoapis.eu/books/v3/invoices?organization_id=1 -> HTTP 401 {\"code\":57,\"message\":\"You are not authorized to perform this operation\"}
2026-11-25T09:00:02Z ERROR GET https://www.zohoapis.eu/books/v3/items?organization_id=1 -> HTTP 401 {\"code\":57,\"message\":\"You are not authorized to perform this operation\"}
";
    let r = analyze_str("dc.log", log);
    let f = one(&r, FindingKind::DcMismatch, None);
    assert!(f.title.contains("different Zoho data centers"), "{f:#?}");
    assert!(
        f.evidence.iter().any(|e| e.contains("www.zohoapis.eu (eu")),
        "{f:#?}"
    );
    assert_eq!(count(f, "code_57_fresh_token"), 2);
}

#[test]
fn finds_a_missing_scope_by_endpoint() {
    let mut log = String::from(
        "2026-11-25T09:00:00Z INFO POST https://accounts.zoho.com/oauth/v2/token -> HTTP 200\n",
    );
    for i in 0..5 {
        let _ = writeln!(
            log,
            "2026-11-25T09:0{i}:01Z INFO GET https://www.zohoapis.com/books/v3/invoices?organization_id=1 -> HTTP 200 {{\"code\":0,\"message\":\"success\"}}"
        );
        let _ = writeln!(
            log,
            "2026-11-25T09:0{i}:02Z ERROR GET https://www.zohoapis.com/books/v3/items?organization_id=1 -> HTTP 401 {{\"code\":57,\"message\":\"You are not authorized to perform this operation\"}}"
        );
    }
    let r = analyze_str("scope.log", &log);
    let f = one(&r, FindingKind::MissingScope, None);
    assert_eq!(f.count, 5);
    assert!(f.fix.contains("ZohoBooks.settings.READ"), "{}", f.fix);
    assert!(r.findings_of(FindingKind::DcMismatch).next().is_none());
}

#[test]
fn projects_the_quota_burn() {
    // 600 calls in the last hour on a Free plan (1,000 a day) by 10:00 UTC: runs out before
    // the day ends.
    let mut events = Vec::new();
    for i in 0..600 {
        events.push(ok(T0 + i * 6 * SEC, ORG_OK, "GET", "/books/v3/items"));
    }
    let mut a = Analyzer::new(AnalyzeOptions {
        plan: Some(zbooks_types::Plan::Free),
        ..AnalyzeOptions::default()
    });
    a.feed_events("events", &events);
    let r = a.finish();
    let f = one(&r, FindingKind::QuotaBurn, Some(ORG_OK));
    assert_eq!(count(f, "used_today"), 600);
    assert_eq!(count(f, "daily_limit"), 1000);
    assert!(f.title.contains("runs out at 10:3"), "{}", f.title);
}

proptest::proptest! {
    #[test]
    fn text_reader_never_panics(s in "\\PC{0,400}") {
        let _ = analyze_str("fuzz.log", &s);
    }

    #[test]
    fn text_reader_never_panics_on_log_like_lines(s in "[{}\\[\\]\":,\\\\ a-z0-9/=.?&_-]{0,200}") {
        let line = format!("2026-11-25T09:00:00Z POST /books/v3/invoices {s} HTTP/1.1 429 {s}\n");
        let _ = analyze_str("fuzz.log", &line);
    }
}

#[test]
fn a_malformed_har_entry_is_counted_by_entry_number() {
    let s = wrong_org();
    let har = to_har(&s.events[..3]);
    let broken = har.replacen("\"entries\": [", "\"entries\": [\"not an entry\", ", 1);
    let r = analyze_str("calls.har", &broken);
    assert_eq!(r.unreadable.total, 1);
    assert_eq!(r.unreadable.lines[0].location, "calls.har#1");
    assert_eq!(r.totals.api_calls + r.totals.token_requests, 3);
}

/// `lines` with a line of `long` bytes (a Zoho body padded with spaces, so it would count as a
/// call if it were read) put in as line 3.
fn with_long_line(lines: &str, long: usize) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = lines.lines().map(|l| l.as_bytes().to_vec()).collect();
    let mut huge = br#"2026-11-25T09:00:00Z POST /books/v3/invoices?organization_id=1 -> HTTP 400 {"code":1001,"message":"x"}"#.to_vec();
    huge.resize(long, b' ');
    lines.insert(2, huge);
    let mut out = lines.join(&b'\n');
    out.push(b'\n');
    out
}

/// The long-line finding, checked in the JSON, text and HTML forms of `r`.
fn long_line_reported(r: &zbooks_logs::Report, at: &str, long: usize) {
    let json = r.to_json();
    let found: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .expect("findings are a list")
        .iter()
        .filter(|f| f["kind"] == "long_lines")
        .collect();
    assert_eq!(found.len(), 1, "{:#}", json["findings"]);
    let f = found[0];
    assert_eq!(f["count"], 1, "{f:#}");
    assert_eq!(f["counts"]["longest_bytes"], long, "{f:#}");
    assert_eq!(f["samples"][0]["location"], at, "{f:#}");
    let shown = format!("{at}: {long} bytes");
    let evidence = f["evidence"][0].as_str().expect("evidence is text");
    assert!(evidence.contains(&shown), "{f:#}");
    assert!(r.to_text(false).contains(&shown), "{}", r.to_text(false));
    assert!(r.to_html().contains(&shown));
    assert_eq!(json["sources"][0]["long_lines"], 1);
}

#[test]
fn skips_and_reports_a_line_too_long_to_hold_and_reads_the_rest() {
    // Three times the longest line the analysis holds (`report::MAX_LINE_BYTES`, 1 MiB).
    let long = (3 << 20) + 17;
    let s = quota();

    // Free text, plain and gzip.
    let text = with_long_line(&to_text(&s.events), long);
    let r = analyze_str_bytes("quota.log", &text);
    assert_eq!(r.sources[0].format, "text");
    long_line_reported(&r, "quota.log:3", long);
    crate::check("quota", &r, true);
    assert_eq!(
        r.totals.api_calls + r.totals.token_requests,
        s.events.len() as u64,
        "the long line is not read as a call; every other line is"
    );

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&text).unwrap();
    let packed = gz.finish().unwrap();
    assert!(
        packed.len() < long / 100,
        "a small file that inflates to a long line"
    );
    let r = analyze_str_bytes("quota.log.gz", &packed);
    assert!(r.sources[0].gzip);
    long_line_reported(&r, "quota.log.gz:3", long);
    crate::check("quota", &r, true);

    // A zbooks event log.
    let jsonl = with_long_line(&to_jsonl(&s.events), long);
    let r = analyze_str_bytes("quota.jsonl", &jsonl);
    assert_eq!(r.sources[0].format, "zbooks_events");
    long_line_reported(&r, "quota.jsonl:3", long);
    crate::check("quota", &r, true);
    assert_eq!(r.unreadable.total, 0, "the long line is reported once");
}

fn analyze_str_bytes(name: &str, content: &[u8]) -> zbooks_logs::Report {
    let mut a = Analyzer::new(AnalyzeOptions::default());
    a.feed_reader(name, content)
        .expect("an in-memory input reads");
    a.finish()
}

#[test]
fn stops_at_a_har_entry_too_long_to_hold_and_names_it() {
    let s = wrong_org();
    let har = to_har(&s.events[..3]);
    // A second entry whose body is 20 MiB: more than the 16 MiB an entry may hold.
    let mut doc: serde_json::Value = serde_json::from_str(&har).unwrap();
    let entries = doc["log"]["entries"].as_array_mut().unwrap();
    let mut huge = entries[0].clone();
    huge["response"]["content"]["text"] = "A".repeat(20 << 20).into();
    entries.insert(1, huge);
    let broken = doc.to_string();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(broken.as_bytes()).unwrap();
    let packed = gz.finish().unwrap();
    let mut a = Analyzer::new(AnalyzeOptions::default());
    let err = a.feed_reader("calls.har.gz", &packed[..]).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("calls.har.gz"), "{shown}");
    assert!(shown.contains("entry 2"), "{shown}");
    assert!(shown.contains("longer than 16 MiB"), "{shown}");
    let r = a.finish();
    assert_eq!(r.sources[0].format, "har");
    assert_eq!(
        r.totals.api_calls + r.totals.token_requests,
        1,
        "the entry before still counts"
    );

    // A value outside the entries is skipped unheld however long; a key that long is not read.
    let body = serde_json::from_str::<serde_json::Value>(&har)
        .unwrap()
        .to_string();
    let pages = format!(
        r#"{{"log":{{"pages":[{{"title":"{}"}}],"#,
        "A".repeat(20 << 20)
    );
    let with_pages = body.replacen(r#"{"log":{"#, &pages, 1);
    assert!(with_pages.len() > 20 << 20);
    let r = analyze_str("pages.har", &with_pages);
    assert_eq!(r.sources[0].format, "har");
    assert_eq!(r.sources[0].error, None);
    assert_eq!(r.totals.api_calls + r.totals.token_requests, 3);
    let key = format!(
        r#"{{"log": {{"{}": 1, "entries": []}}}}"#,
        "k".repeat(20 << 20)
    );
    let mut a = Analyzer::new(AnalyzeOptions::default());
    let err = a.feed_reader("key.har", key.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("longer than 16 MiB"), "{err}");
}
