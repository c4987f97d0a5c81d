//! What `zbooks import` tells a person (issue 15 §1–3): a re-run's summary counts what that
//! run did beside what the journal holds, a dry run with a login reads Zoho's listings and
//! says what it would adopt and create without sending a create, and the progress a
//! non-terminal stderr gets is plain lines.

use std::fmt::Write as _;

use crate::import::{Zoho, write};

/// Fifteen contacts as JSON Lines.
fn fifteen_contacts() -> String {
    let mut out = String::new();
    for i in 1..=15 {
        let _ = writeln!(
            out,
            r#"{{"entity": "contact", "payload": {{"contact_name": "Trader {i:02}", "contact_type": "customer"}}}}"#
        );
    }
    out
}

const FAST: [&str; 6] = ["--minute", "1s", "--defer", "200ms", "--settle", "0s"];

fn line<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .map(str::trim_start)
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in:\n{text}"))
}

#[test]
fn a_re_run_says_it_created_nothing_and_the_journal_holds_all_fifteen() {
    let zoho = Zoho::start(31);
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "contacts.jsonl", fifteen_contacts().as_bytes());
    let args = |extra: &[&'static str]| {
        let mut a = vec!["import", file.to_str().unwrap()];
        a.extend(FAST);
        a.extend(extra);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let first_args = args(&[]);
    let first_args: Vec<&str> = first_args.iter().map(String::as_str).collect();
    let first = zoho.run(dir.path(), &first_args);
    assert_eq!(first.code, 0, "{}\n{}", first.stdout, first.stderr);
    assert_eq!(
        line(&first.stdout, "this run:"),
        "this run: created 15 · adopted 0 · already there 0 · failed 0 · deferred 0"
    );
    let again = zoho.run(dir.path(), &first_args);
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    assert_eq!(
        line(&again.stdout, "this run:"),
        "this run: created 0 · adopted 0 · already there 0 · failed 0 · deferred 0 \
         (nothing to do: earlier runs settled every record)"
    );
    assert_eq!(
        line(&again.stdout, "overall:"),
        "overall:  15 of 15 in Zoho (created 15 · adopted 0 · already there 0) · failed 0 · left 0"
    );
    let json_args = args(&["--format", "json"]);
    let json_args: Vec<&str> = json_args.iter().map(String::as_str).collect();
    let json = zoho.run(dir.path(), &json_args);
    let v: serde_json::Value = serde_json::from_str(json.stdout.trim()).unwrap();
    assert_eq!(v["this_run"]["created"], 0, "{v}");
    assert_eq!(v["summary"]["created"], 15, "{v}");
}
