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
    let v = crate::data(&json.stdout);
    assert_eq!(v["this_run"]["created"], 0, "{v}");
    assert_eq!(v["summary"]["created"], 15, "{v}");
}

#[test]
fn a_dry_run_with_a_login_lists_zoho_and_says_what_it_would_adopt_and_create() {
    let zoho = Zoho::start(32);
    let dir = tempfile::tempdir().unwrap();
    // Zoho holds 5 of the 15 already: a first import of those five.
    let mut five = fifteen_contacts()
        .lines()
        .take(5)
        .collect::<Vec<_>>()
        .join("\n");
    five.push('\n');
    let seed = write(dir.path(), "first-five.jsonl", five.as_bytes());
    let seeded = zoho.run(
        dir.path(),
        &["import", seed.to_str().unwrap(), "--settle", "0s"],
    );
    assert_eq!(seeded.code, 0, "{}\n{}", seeded.stdout, seeded.stderr);
    let file = write(dir.path(), "contacts.jsonl", fifteen_contacts().as_bytes());
    let before = zoho.sim().request_log().len();

    let dry = zoho.run(dir.path(), &["import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry.code, 0, "{}\n{}", dry.stdout, dry.stderr);
    let org = zoho.sim().demo().organization_id;
    insta::assert_snapshot!(
        "dry_run_against_zoho",
        dry.stdout
            .replace(&org, "[org]")
            .replace(&*file.to_string_lossy(), "[file]")
    );
    let json = zoho.run(
        dir.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--dry-run",
            "--format",
            "json",
        ],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v = crate::data(&json.stdout);
    assert_eq!(v["zoho"], "listed");
    assert_eq!(v["counts"]["contact"]["adopt"], 5, "{v}");
    assert_eq!(v["counts"]["contact"]["create"], 10, "{v}");
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 15);
    assert_eq!(records[0]["action"], "adopt");
    assert!(records[0]["zoho_id"].is_string());
    assert_eq!(records[14]["action"], "create");

    // Listings only: no create, no lookup per record.
    let log = zoho.sim().request_log();
    let sent: Vec<_> = log[before..]
        .iter()
        .filter(|r| r.path.starts_with("/books/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(sent.iter().all(|r| r.starts_with("GET ")), "{sent:?}");
    assert_eq!(sent.len(), 2, "one listing per dry run: {sent:?}");

    // An invoice for a customer Zoho holds: offline its reference is unknown (exit 2), read
    // against Zoho it resolves.
    let invoice = write(
        dir.path(),
        "invoice.jsonl",
        br#"{"entity": "item", "payload": {"name": "Bolt", "rate": 5}}
{"entity": "invoice", "payload": {"customer_name": "Trader 01", "invoice_number": "INV-7", "date": "2026-01-15", "line_items": [{"item_id": {"$ref": "item:name=Bolt"}, "quantity": 2, "rate": 5}]}}
"#,
    );
    let resolved = zoho.run(
        dir.path(),
        &["import", invoice.to_str().unwrap(), "--dry-run"],
    );
    assert_eq!(resolved.code, 0, "{}\n{}", resolved.stdout, resolved.stderr);
    assert!(
        resolved.stdout.contains("create 2, skip 0"),
        "{}",
        resolved.stdout
    );

    // The real run then does what the dry run said.
    let mut run_args = vec!["import", file.to_str().unwrap()];
    run_args.extend(FAST);
    let run = zoho.run(dir.path(), &run_args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        line(&run.stdout, "this run:"),
        "this run: created 10 · adopted 0 · already there 5 · failed 0 · deferred 0"
    );
}

#[test]
fn a_dry_run_without_a_login_stays_offline_and_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "contacts.jsonl", fifteen_contacts().as_bytes());
    let data = dir.path().join("data");
    let config = write(dir.path(), "config.toml", b"");
    let run = crate::zbooks_with(
        &["import", file.to_str().unwrap(), "--dry-run"],
        None,
        &[
            ("HOME", dir.path().to_str().unwrap()),
            ("ZBOOKS_DATA_DIR", data.to_str().unwrap()),
            ("ZBOOKS_CONFIG", config.to_str().unwrap()),
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let offline: Vec<_> = run
        .stderr
        .lines()
        .filter(|l| l.contains("offline"))
        .collect();
    assert_eq!(offline.len(), 1, "{}", run.stderr);
    assert!(offline[0].contains("auth login"), "{}", offline[0]);
    assert!(
        run.stdout.contains("offline, nothing sent"),
        "{}",
        run.stdout
    );
    assert!(!data.exists(), "a dry run leaves no store behind");
}

/// `text` with what changes from run to run replaced: durations (`12s`, `1m 02s`, `350ms`)
/// by `[t]`, rates (`4.2/s`) by `[rate]`, the temporary folder by `[dir]`.
fn scrub(text: &str, dir: &str) -> String {
    fn is_duration(word: &str) -> bool {
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let unit = &word[digits.len()..];
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && matches!(unit, "ms" | "s" | "m" | "h")
    }
    text.replace(dir, "[dir]")
        .lines()
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    let bare = word.trim_end_matches([',', ';', ')']);
                    let tail = &word[bare.len()..];
                    let number = bare.strip_suffix("/s").unwrap_or_default();
                    if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.')
                    {
                        format!("[rate]{tail}")
                    } else if is_duration(bare) {
                        format!("[t]{tail}")
                    } else {
                        word.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
                .replace("[t] [t]", "[t]")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn progress_off_a_terminal_is_plain_lines_that_tell_a_lost_answer_and_a_server_error() {
    use zbooks_sim::{FaultAction, FaultRule};
    let zoho = Zoho::start(33);
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "contacts.jsonl", fifteen_contacts().as_bytes());
    // One at a time, so the lines come in the same order every run: the 3rd create lands
    // but its answer is lost; the 15th (the last) meets a 500.
    zoho.sim().set_faults(vec![
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter).nth(3),
        FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::zoho(500, 1, "internal error"),
        )
        .nth(15),
    ]);
    let mut args = vec!["import", file.to_str().unwrap(), "--in-flight", "1"];
    args.extend(FAST);
    let run = zoho.run(dir.path(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        !run.stderr.contains(['\r', '\x1b']),
        "no control characters off a terminal: {:?}",
        run.stderr
    );
    insta::assert_snapshot!(
        "progress_lines_lost_answer_and_500",
        scrub(&run.stderr, &dir.path().to_string_lossy())
    );
    assert_eq!(
        line(&run.stdout, "this run:"),
        "this run: created 14 · adopted 1 · already there 0 · failed 0 · deferred 0"
    );
}
