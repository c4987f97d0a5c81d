//! Integration tests of zbooks-logs: scenarios with known problems, generated
//! deterministically (`scenario.rs`) and written as zbooks event logs, free-text application
//! logs and HAR files, must each be found with the right counts; plus the readers' edge
//! cases and the HTML report in a headless browser.

mod fast;
mod html;
mod purpose;
mod readers;
mod scenario;

use std::path::PathBuf;

use zbooks_logs::{AnalyzeOptions, Analyzer, Finding, FindingKind, Report};

use scenario::*;

/// A fresh directory for one test's files.
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("zbooks-logs-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub(crate) fn analyze_str(name: &str, content: &str) -> Report {
    let mut a = Analyzer::new(AnalyzeOptions::default());
    a.feed_reader(name, content.as_bytes())
        .expect("an in-memory input reads");
    a.finish()
}

pub(crate) fn one<'r>(r: &'r Report, kind: FindingKind, org: Option<&str>) -> &'r Finding {
    let found: Vec<&Finding> = r
        .findings_of(kind)
        .filter(|f| org.is_none() || f.organization.as_deref() == org)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {kind:?} for {org:?}; findings: {:#?}",
        r.findings
            .iter()
            .map(|f| (f.kind, f.organization.clone(), f.title.clone()))
            .collect::<Vec<_>>()
    );
    found[0]
}

pub(crate) fn count(f: &Finding, name: &str) -> u64 {
    *f.counts
        .get(name)
        .unwrap_or_else(|| panic!("{:?} has no count {name}: {:?}", f.kind, f.counts))
}

/// The checks every rendering of a scenario must pass.
pub(crate) fn check(name: &str, r: &Report, durations: bool) {
    match name {
        "bunching" => {
            let f = one(r, FindingKind::BunchedCalls, Some(ORG_BUNCH));
            assert_eq!(f.count, bunching::MINUTES_OVER, "{f:#?}");
            assert_eq!(count(f, "minutes_over_limit"), bunching::MINUTES_OVER);
            assert_eq!(count(f, "peak_per_minute"), bunching::PEAK_PER_MINUTE);
            assert_eq!(count(f, "code_44"), bunching::CODE_44);
            assert!(r.findings_of(FindingKind::MinuteLimit).next().is_none());
            assert_eq!(r.rate_limits.code_44, bunching::CODE_44);
        }
        "never_refreshed" => {
            let f = one(r, FindingKind::TokenNeverRefreshed, None);
            assert_eq!(f.count, never_refreshed::CODE_57, "{f:#?}");
            assert_eq!(count(f, "tokens"), never_refreshed::TOKENS);
            assert_eq!(
                count(f, "median_minutes_to_first_57"),
                never_refreshed::MEDIAN_MINUTES
            );
            assert!(r.findings_of(FindingKind::DcMismatch).next().is_none());
            assert!(r.findings_of(FindingKind::MissingScope).next().is_none());
        }
        "lost_response" => {
            let f = one(r, FindingKind::PossibleDuplicateCreate, None);
            assert_eq!(f.count, lost_response::KEYS_AT_RISK, "{f:#?}");
            assert_eq!(
                count(f, "retried_after_no_answer"),
                lost_response::AFTER_NO_ANSWER
            );
            assert_eq!(
                count(f, "retried_after_server_error"),
                lost_response::AFTER_SERVER_ERROR
            );
            assert_eq!(
                count(f, "retried_and_created"),
                lost_response::RETRIED_AND_CREATED
            );
            assert_eq!(count(f, "created_twice"), lost_response::CREATED_TWICE);
            assert_eq!(
                count(f, "refused_as_duplicate"),
                lost_response::REFUSED_AS_DUPLICATE
            );
            assert_eq!(count(f, "reconciled_first"), lost_response::RECONCILED);
            assert!(f.evidence.iter().any(|e| e.contains("INV-0101")), "{f:#?}");
        }
        "wrong_org" => {
            let f = one(r, FindingKind::WrongOrganization, Some(ORG_WRONG));
            assert_eq!(f.count, wrong_org::CODE_6041);
            assert_eq!(count(f, "code_6041"), wrong_org::CODE_6041);
            let f = one(r, FindingKind::WrongOrganization, Some(ORG_PLACEHOLDER));
            assert_eq!(count(f, "invalid_organization_id"), wrong_org::PLACEHOLDER);
            // The placeholder's code 2 is not reported again as a validation error.
            assert!(
                r.findings_of(FindingKind::ValidationErrors)
                    .all(|f| f.evidence.iter().all(|e| !e.contains("organization_id")))
            );
        }
        "quota" => {
            let f = one(r, FindingKind::QuotaExhausted, Some(ORG_QUOTA));
            assert_eq!(f.count, quota::CODE_45);
            assert_eq!(count(f, "calls_before_first_45"), quota::BEFORE);
            assert_eq!(count(f, "daily_limit"), quota::LIMIT);
            assert!(
                r.findings_of(FindingKind::BunchedCalls)
                    .all(|f| f.organization.as_deref() != Some(ORG_QUOTA))
            );
            let org = r
                .organizations
                .iter()
                .find(|o| o.organization == ORG_QUOTA)
                .expect("the quota organization has a row");
            let q = org.quota.as_ref().expect("and a quota row");
            assert!(q.exhausted);
            assert_eq!(q.used, quota::BEFORE + quota::CODE_45);
        }
        "misc" => {
            let f = one(r, FindingKind::RefreshStorm, None);
            assert_eq!(count(f, "token_requests"), misc::TOKEN_REQUESTS);
            assert_eq!(count(f, "access_denied"), misc::ACCESS_DENIED);
            assert_eq!(count(f, "peak_10min"), misc::TOKEN_REQUESTS);
            let f = one(r, FindingKind::ConcurrencyLimit, Some(ORG_CONC));
            assert_eq!(count(f, "code_1070"), misc::CODE_1070);
            if durations {
                assert_eq!(count(f, "peak_in_flight"), misc::PEAK_IN_FLIGHT);
            }
            let f = one(r, FindingKind::RepeatedNotFound, None);
            assert_eq!(f.count, misc::CODE_1002);
            assert_eq!(count(f, "records"), 1);
            let f = one(r, FindingKind::ValidationErrors, None);
            assert_eq!(f.count, misc::INVALID_DATE);
            assert!(f.evidence.iter().any(|e| e.contains("on date")), "{f:#?}");
            assert_eq!(r.rate_limits.code_1070, misc::CODE_1070);
        }
        other => panic!("no checks for {other}"),
    }
}

fn no_secret(r: &Report) {
    for out in [r.to_text(false), r.to_json().to_string(), r.to_html()] {
        assert!(!out.contains("canarycanary"), "the canary token leaked");
        assert!(
            !out.contains("0123456789abcdef0123456789abcdef"),
            "the client secret leaked"
        );
        assert!(!out.contains("accessaccess"), "an access token leaked");
    }
}

#[test]
fn finds_each_problem_in_zbooks_event_logs() {
    let dir = temp_dir("events");
    for s in all() {
        let path = dir.join(format!("{}.jsonl", s.name));
        std::fs::write(&path, to_jsonl(&s.events)).unwrap();
        let mut a = Analyzer::new(AnalyzeOptions::default());
        a.feed_path(&path).unwrap();
        let r = a.finish();
        assert_eq!(r.sources[0].format, "zbooks_events");
        assert_eq!(r.unreadable.total, 0);
        check(s.name, &r, true);
        no_secret(&r);
    }
}

#[test]
fn finds_each_problem_in_free_text_logs() {
    for s in all() {
        let text = to_text(&s.events);
        let r = analyze_str(&format!("{}.log", s.name), &text);
        assert_eq!(r.sources[0].format, "text");
        assert_eq!(
            r.totals.api_calls + r.totals.token_requests,
            s.events.len() as u64,
            "{}: every call is found once",
            s.name
        );
        check(s.name, &r, true);
        no_secret(&r);
    }
}

#[test]
fn finds_each_problem_in_har_files() {
    for s in all() {
        let har = to_har(&s.events);
        let r = analyze_str(&format!("{}.har", s.name), &har);
        assert_eq!(r.sources[0].format, "har");
        assert_eq!(
            r.totals.api_calls + r.totals.token_requests,
            s.events.len() as u64
        );
        check(s.name, &r, true);
        no_secret(&r);
    }
}

#[test]
fn finds_every_problem_when_all_logs_are_read_at_once() {
    let dir = temp_dir("all-at-once");
    let mut a = Analyzer::new(AnalyzeOptions::default());
    for (i, s) in all().into_iter().enumerate() {
        let jsonl = to_jsonl(&s.events);
        let path = if i % 2 == 0 {
            let path = dir.join(format!("{}.jsonl.gz", s.name));
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, jsonl.as_bytes()).unwrap();
            std::fs::write(&path, gz.finish().unwrap()).unwrap();
            path
        } else {
            let path = dir.join(format!("{}.jsonl", s.name));
            std::fs::write(&path, jsonl).unwrap();
            path
        };
        a.feed_path(&path).unwrap();
    }
    let r = a.finish();
    assert_eq!(r.sources.len(), 6);
    assert!(r.sources.iter().filter(|s| s.gzip).count() == 3);
    for s in all() {
        if s.name == "misc" {
            // Other files' token requests share the 10-minute windows here; checked alone.
            continue;
        }
        check(s.name, &r, true);
    }
    // The most serious first: duplicates, quota, wrong organizations.
    assert_eq!(r.findings[0].severity, zbooks_logs::Severity::Critical);
    let json = r.to_json();
    assert_eq!(json["schema"], 1);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "possible_duplicate_create")
    );
}

#[test]
fn feeds_records_the_caller_holds() {
    let s = misc();
    let mut a = Analyzer::new(AnalyzeOptions::default());
    a.feed_events("audit log", &s.events);
    let r = a.finish();
    assert_eq!(r.sources[0].format, "events");
    check("misc", &r, true);
    let f = one(&r, FindingKind::RepeatedNotFound, None);
    assert!(f.samples[0].location.starts_with("audit log:"), "{f:#?}");
}

#[test]
fn the_terminal_report_shows_findings_tables_and_timeline() {
    let s = bunching();
    let r = analyze_str("bunching.jsonl", &to_jsonl(&s.events));
    let text = r.to_text(false);
    assert!(text.contains("FINDINGS"), "{text}");
    assert!(text.contains("bunched_calls"), "{text}");
    assert!(text.contains("fix:"), "{text}");
    assert!(
        text.contains("429s: 150 — per-minute limit (44) 150"),
        "{text}"
    );
    assert!(text.contains("TIMELINE"), "{text}");
    assert!(text.contains(ORG_BUNCH), "{text}");
    assert!(!text.contains('\x1b'));
    assert!(r.to_text(true).contains("\x1b[1m"));
    // Samples carry file and line.
    let f = one(&r, FindingKind::BunchedCalls, Some(ORG_BUNCH));
    assert!(
        f.samples[0].location.starts_with("bunching.jsonl:"),
        "{f:#?}"
    );
}
