//! The HTML report opened in headless Chromium: it renders without console errors, its
//! check script verified the charts, and the charts carry the data.

use std::process::Command;

use zbooks_logs::{AnalyzeOptions, Analyzer};

use crate::scenario::*;
use crate::temp_dir;

const CHROMIUM: &str = "/usr/bin/chromium";

#[test]
fn html_report_is_self_contained() {
    let s = bunching();
    let r = crate::analyze_str("bunching.jsonl", &to_jsonl(&s.events));
    let html = r.to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(
            !html.contains(external),
            "the page must not load {external}"
        );
    }
    assert!(html.contains("default-src 'none'"));
    assert!(html.contains(r#"data-chart="calls-per-minute""#));
}

#[test]
fn html_report_renders_in_headless_chromium() {
    if !std::path::Path::new(CHROMIUM).exists() {
        println!("SKIPPED: {CHROMIUM} is missing (apt-get install -y chromium)");
        return;
    }
    let dir = temp_dir("html");
    let mut a = Analyzer::new(AnalyzeOptions::default());
    for s in all() {
        let path = dir.join(format!("{}.jsonl", s.name));
        std::fs::write(&path, to_jsonl(&s.events)).unwrap();
        a.feed_path(&path).unwrap();
    }
    let report = a.finish();
    let page = dir.join("report.html");
    std::fs::write(&page, report.to_html()).unwrap();
    let profile = dir.join("profile");
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {stderr}");
    for bad in ["CONSOLE", "Uncaught", "Refused to"] {
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(bad)).collect();
        assert!(lines.is_empty(), "console errors: {lines:#?}");
    }
    // The page's script ran and found every chart consistent with its data.
    let charts = dom.matches("class=\"chart\"").count();
    assert!(charts >= 8, "charts: {charts}");
    assert!(
        dom.contains(&format!(
            r#"id="zb-check" data-ok="true" data-charts="{charts}""#
        )),
        "check marker missing: {}",
        dom.lines().find(|l| l.contains("zb-check")).unwrap_or("")
    );
    // The charts carry the data.
    assert!(dom.contains(&format!(
        r#"data-chart="calls-per-minute" data-org="{ORG_BUNCH}""#
    )));
    let bunch = dom
        .split("<svg")
        .find(|s| s.contains(&format!(r#"data-org="{ORG_BUNCH}""#)))
        .unwrap();
    assert!(bunch.contains(r#"data-peak="150""#), "{}", &bunch[..300]);
    assert!(bunch.contains(r#"data-over="3""#));
    assert!(bunch.contains(r#"data-limit="100""#));
    assert!(dom.contains(r#"data-chart="errors-by-class""#));
    assert!(dom.contains(r#"data-key="44""#));
    assert!(dom.contains(r#"data-chart="endpoints""#));
    assert!(dom.contains(r#"data-kind="possible_duplicate_create""#));
    assert!(dom.contains(r#"data-44="150""#));
}
