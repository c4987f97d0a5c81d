//! `zbooks logs analyze` end to end: files in, findings out, HTML written.

use crate::zbooks;

const LOG: &str = r#"2026-11-25T10:00:02Z ERROR POST /books/v3/invoices?organization_id=60000000001 -> HTTP 429 {"code":45,"message":"The API call for this organization has exceeded the maximum call rate limit of 1,000."}
2026-11-25T10:00:03Z ERROR GET /books/v3/contacts?organization_id=123 -> HTTP 400 {"code":6041,"message":"This user is not associated with the CompanyID/CompanyName:123."}
2026-11-25T10:00:04Z ERROR GET /books/v3/contacts?organization_id=123 -> HTTP 400 {"code":6041,"message":"This user is not associated with the CompanyID/CompanyName:123."}
not a log line at all
"#;

#[test]
fn finds_problems_in_a_free_text_log_and_writes_html() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(&log, LOG).unwrap();
    let html = dir.path().join("report.html");
    let run = zbooks(
        &[
            "logs",
            "analyze",
            log.to_str().unwrap(),
            "--format",
            "json",
            "--html",
            html.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = crate::data(&run.stdout);
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"wrong_organization"), "{kinds:?}");
    assert!(kinds.contains(&"quota_exhausted"), "{kinds:?}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg"), "charts are inline");
    assert!(
        !page.contains("http://") && !page.contains("https://cdn"),
        "no network loads"
    );
}

#[test]
fn reads_standard_input_and_reports_missing_files_without_stopping() {
    let run = zbooks(
        &["logs", "analyze", "-", "/nonexistent/zbooks.log"],
        Some(LOG.as_bytes()),
    );
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(
        run.stderr.contains("/nonexistent/zbooks.log"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("wrong_organization"), "{}", run.stdout);
    let run = zbooks(&["logs", "analyze", "/nonexistent/zbooks.log"], None);
    assert_eq!(run.code, 2);
}

#[test]
fn reports_a_line_too_long_to_hold_in_text_json_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    // Two MiB of one line between the lines of LOG (gzip is covered by zbooks-logs's tests).
    let mut lines: Vec<String> = LOG.lines().map(str::to_owned).collect();
    lines.insert(1, "x".repeat(2 << 20));
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let html = dir.path().join("report.html");
    let path = log.to_str().unwrap();
    let shown = format!("{path}:2: {} bytes", 2 << 20);

    let run = zbooks(
        &["logs", "analyze", path, "--html", html.to_str().unwrap()],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("long_lines"), "{}", run.stdout);
    assert!(run.stdout.contains(&shown), "{}", run.stdout);
    assert!(std::fs::read_to_string(&html).unwrap().contains(&shown));

    let run = zbooks(&["logs", "analyze", path, "--format", "json"], None);
    let v = crate::data(&run.stdout);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "long_lines")
        .expect("a long_lines finding");
    assert_eq!(f["samples"][0]["location"], format!("{path}:2"));
    // The lines after it are still read.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "wrong_organization"),
        "{v:#}"
    );
}
