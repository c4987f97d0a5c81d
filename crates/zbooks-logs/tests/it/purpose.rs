//! What zbooks's events say about why an attempt was sent (`purpose`): a create looked up by
//! its natural key between the doubt and the re-send is zbooks's own safe retry, not a
//! possible duplicate, while a create sent again blind still is; a doctor's probe (its
//! `Bearer` check is refused on purpose) is counted and judged by no rule. Logs written before
//! `purpose` existed are still read.

use zbooks_logs::FindingKind;
use zbooks_types::FailureClass;
use zbooks_types::event::{CallEvent, Purpose};

use crate::scenario::*;
use crate::{analyze_str, count, one};

const CONTACTS: &str = "/books/v3/contacts";

fn lookup(t: i64, key: &str) -> CallEvent {
    let mut e = ok(t, ORG_OK, "GET", CONTACTS);
    e.natural_key = Some(key.to_owned());
    e.purpose = Some(Purpose::Lookup);
    e
}

fn server_error(t: i64, key: &str) -> CallEvent {
    keyed(
        fail(
            t,
            ORG_OK,
            "POST",
            CONTACTS,
            500,
            Some(1000),
            Some("Internal error"),
            FailureClass::TransientServer,
        ),
        key,
        1,
    )
}

/// Four creates in doubt: two settled by a lookup before the re-send (as zbooks does), two
/// sent again blind (one of them looked up only after the re-send, too late).
fn retries() -> Vec<CallEvent> {
    let safe_lost = "contact_name=Safe Lost";
    let safe_500 = "contact_name=Safe Five Hundred";
    let blind = "contact_name=Blind Resend";
    let late = "contact_name=Looked Up Too Late";
    vec![
        lost(T0, ORG_OK, CONTACTS, safe_lost),
        lookup(T0 + SEC, safe_lost),
        keyed(ok(T0 + 2 * SEC, ORG_OK, "POST", CONTACTS), safe_lost, 1),
        server_error(T0 + 3 * SEC, safe_500),
        lookup(T0 + 4 * SEC, safe_500),
        keyed(ok(T0 + 5 * SEC, ORG_OK, "POST", CONTACTS), safe_500, 1),
        server_error(T0 + 6 * SEC, blind),
        keyed(ok(T0 + 7 * SEC, ORG_OK, "POST", CONTACTS), blind, 2),
        lost(T0 + 8 * SEC, ORG_OK, CONTACTS, late),
        keyed(ok(T0 + 9 * SEC, ORG_OK, "POST", CONTACTS), late, 2),
        lookup(T0 + 10 * SEC, late),
    ]
}

#[test]
fn a_create_looked_up_before_it_is_sent_again_is_not_a_possible_duplicate() {
    let r = analyze_str("retries.jsonl", &to_jsonl(&retries()));
    let f = one(&r, FindingKind::PossibleDuplicateCreate, None);
    assert_eq!(f.count, 2, "{f:#?}");
    assert_eq!(count(f, "reconciled_first"), 2);
    assert_eq!(count(f, "retried_after_server_error"), 1);
    assert_eq!(count(f, "retried_after_no_answer"), 1);
    let evidence = f.evidence.join("\n");
    assert!(evidence.contains("Blind Resend"), "{evidence}");
    assert!(evidence.contains("Looked Up Too Late"), "{evidence}");
    assert!(!evidence.contains("Safe"), "{evidence}");
}

#[test]
fn only_safe_retries_raise_no_duplicate_finding() {
    let safe: Vec<CallEvent> = retries().into_iter().take(6).collect();
    let r = analyze_str("safe.jsonl", &to_jsonl(&safe));
    assert!(
        r.findings_of(FindingKind::PossibleDuplicateCreate)
            .next()
            .is_none(),
        "{:#?}",
        r.findings
    );
}

#[test]
fn a_lookup_that_failed_settles_nothing() {
    let key = "contact_name=Lookup Failed";
    let mut failed_lookup = lookup(T0 + SEC, key);
    failed_lookup.status = Some(500);
    failed_lookup.code = Some(1000);
    failed_lookup.class = Some(FailureClass::TransientServer);
    let events = vec![
        server_error(T0, key),
        failed_lookup,
        keyed(ok(T0 + 2 * SEC, ORG_OK, "POST", CONTACTS), key, 1),
    ];
    let r = analyze_str("failed-lookup.jsonl", &to_jsonl(&events));
    let f = one(&r, FindingKind::PossibleDuplicateCreate, None);
    assert_eq!(f.count, 1, "{f:#?}");
}

#[test]
fn logs_written_before_purpose_existed_are_still_read() {
    // The same lines without `purpose`: a GET of the collection carrying the natural key
    // (what an older writer, or another tool, logs) still counts as the lookup.
    let old: Vec<CallEvent> = retries()
        .into_iter()
        .map(|mut e| {
            e.purpose = None;
            e
        })
        .collect();
    let jsonl = to_jsonl(&old);
    assert!(!jsonl.contains("purpose"));
    let r = analyze_str("old.jsonl", &jsonl);
    assert_eq!(r.unreadable.total, 0);
    assert_eq!(r.totals.api_calls, 11);
    let f = one(&r, FindingKind::PossibleDuplicateCreate, None);
    assert_eq!(f.count, 2, "{f:#?}");
    // A purpose a newer zbooks writes is read as an ordinary attempt, not an unreadable line.
    let newer = to_jsonl(&retries()).replace(r#""purpose":"lookup""#, r#""purpose":"warm_up""#);
    let r = analyze_str("newer.jsonl", &newer);
    assert_eq!(r.unreadable.total, 0);
    assert_eq!(r.totals.api_calls, 11);
}

/// What doctor's `Bearer` check gets back: 401, code 14.
fn bearer_refused(t: i64) -> CallEvent {
    let mut e = fail(
        t,
        "",
        "GET",
        "/books/v3/organizations",
        401,
        Some(14),
        Some("Invalid OAuth token."),
        FailureClass::AuthMisconfigured,
    );
    e.organization_id = None;
    e
}

#[test]
fn doctors_probes_are_counted_and_raise_no_finding() {
    let mut events = vec![token(T0 - SEC, None)];
    for i in 0..3 {
        let mut probe = ok(T0 + i * SEC, "", "GET", "/books/v3/organizations");
        probe.organization_id = None;
        probe.purpose = Some(Purpose::Probe);
        events.push(probe);
        let mut bearer = bearer_refused(T0 + i * SEC + 500);
        bearer.purpose = Some(Purpose::Probe);
        events.push(bearer);
    }
    let r = analyze_str("doctor.jsonl", &to_jsonl(&events));
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.totals.probes, 6);
    assert_eq!(r.totals.api_calls, 0);
    assert_eq!(r.totals.failed, 0);
    assert!(r.codes.is_empty(), "{:#?}", r.codes);
    assert!(
        r.to_text(false)
            .contains("6 diagnostic probe(s) of zbooks doctor, left out of the findings")
    );
    assert_eq!(r.to_json()["totals"]["probes"], 6);

    // The same refusals without the mark are a real error 14, and are reported.
    let unmarked: Vec<CallEvent> = events
        .into_iter()
        .map(|mut e| {
            e.purpose = None;
            e
        })
        .collect();
    let r = analyze_str("unmarked.jsonl", &to_jsonl(&unmarked));
    assert!(
        r.findings.iter().any(|f| f.codes.contains(&14)),
        "{:#?}",
        r.findings
    );
}

/// zbooks's own tracing lines (what `RUST_LOG=zbooks::call=debug` prints) name the purpose too.
const TRACING: &str = r#"2026-11-25T09:00:00.000Z  WARN zbooks::call: zbooks attempt kind="attempt" organization_id="10234695" method=POST path=/books/v3/contacts status=500 code=1000 message="Internal error" class="transient_server" sent="answered" attempt=1 duration_ms=3 natural_key="contact_name=Acme Traders"
2026-11-25T09:00:01.000Z DEBUG zbooks::call: zbooks attempt kind="attempt" organization_id="10234695" method=GET path=/books/v3/contacts status=200 sent="answered" attempt=1 duration_ms=2 natural_key="contact_name=Acme Traders" purpose="lookup"
2026-11-25T09:00:02.000Z DEBUG zbooks::call: zbooks attempt kind="attempt" organization_id="10234695" method=POST path=/books/v3/contacts status=201 sent="answered" attempt=1 duration_ms=2 natural_key="contact_name=Acme Traders"
"#;

#[test]
fn zbooks_tracing_lines_tell_the_lookup_too() {
    let r = analyze_str("zbooks.log", TRACING);
    assert_eq!(r.totals.api_calls, 3, "{:#?}", r.totals);
    assert!(
        r.findings_of(FindingKind::PossibleDuplicateCreate)
            .next()
            .is_none(),
        "{:#?}",
        r.findings
    );
    // Without the lookup line, the same create was sent again blind.
    let blind = TRACING
        .lines()
        .filter(|l| !l.contains("purpose"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = analyze_str("zbooks.log", &blind);
    let f = one(&r, FindingKind::PossibleDuplicateCreate, None);
    assert_eq!(f.count, 1, "{f:#?}");
}
