//! The checker over a corpus of realistic scripts written for these tests (tests/corpus):
//! custom functions for invoices, contacts and payments, an incoming webhook, scheduled
//! functions. Every finding of every file is asserted (line, column, rule), and the clean
//! scripts must give none.

use std::path::Path;

use zbooks_deluge::{Finding, Level, check_source, parse};

fn corpus_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn corpus(name: &str) -> String {
    let path = corpus_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check(text: &str) -> Vec<Finding> {
    check_source(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// `(line, column, rule)` of each finding, in order.
fn found(text: &str) -> Vec<(usize, usize, &'static str)> {
    check(text)
        .iter()
        .map(|f| (f.pos.line, f.pos.column, f.rule))
        .collect()
}

#[test]
fn invoice_function_with_unchecked_answers_a_literal_org_and_organisation_id() {
    assert_eq!(
        found(&corpus("invoice_to_salesorder.dg")),
        [
            (6, 10, "hardcoded-organization-id"),
            (16, 23, "unchecked-response"),
            (19, 13, "unchecked-response"),
            (21, 9, "unchecked-response"),
            (23, 84, "organisation-id-misspelt"),
        ]
    );
    let f = check(&corpus("invoice_to_salesorder.dg"));
    assert!(f[2].message.contains("thrown away"), "{}", f[2].message);
    assert!(f[1].message.contains("never tested"), "{}", f[1].message);
    assert_eq!(f[4].level, Level::Error);
    assert_eq!(f[0].level, Level::Warning);
}

#[test]
fn contact_push_with_secrets_a_raw_header_and_failures_told_in_fixed_text() {
    let text = corpus("contact_to_crm.dg");
    assert_eq!(
        found(&text),
        [
            (5, 18, "secret-in-script"),
            (8, 84, "secret-in-script"),
            (12, 14, "raw-authorization-header"),
            (12, 62, "response-used-before-check"),
            (24, 3, "failure-without-data"),
            (32, 3, "failure-without-data"),
        ]
    );
    // No finding quotes the secret it found.
    for f in check(&text) {
        for secret in ["3c1b2a99", "9f8e7d6c", "0a1b2c3d"] {
            assert!(!f.message.contains(secret), "{}", f.message);
        }
    }
}

#[test]
fn scheduled_reminders_call_zoho_for_each_overdue_invoice() {
    assert_eq!(
        found(&corpus("overdue_reminders.dg")),
        [
            (9, 3, "failure-without-data"),
            (12, 2, "calls-grow-with-data"),
            (26, 5, "failure-without-data"),
        ]
    );
    let f = check(&corpus("overdue_reminders.dg"));
    assert!(
        f[1].message.contains("3 API call(s) for each item"),
        "{}",
        f[1].message
    );
}

#[test]
fn payment_webhook_reads_the_record_before_testing_the_code() {
    assert_eq!(
        found(&corpus("payment_webhook.dg")),
        [
            (8, 23, "response-used-before-check"),
            (24, 3, "failure-without-data"),
        ]
    );
    let f = check(&corpus("payment_webhook.dg"));
    assert!(f[0].message.contains("tested at 9:6"), "{}", f[0].message);
}

#[test]
fn a_fixed_paging_loop_over_the_minutes_budget_is_unpaced() {
    assert_eq!(
        found(&corpus("paged_export.dg")),
        [(6, 2, "unpaced-api-loop")]
    );
    let f = check(&corpus("paged_export.dg"));
    assert!(f[0].message.contains("120 calls"), "{}", f[0].message);
}

#[test]
fn legacy_tasks_without_connection_or_organization() {
    assert_eq!(
        found(&corpus("legacy_tasks.dg")),
        [
            (3, 24, "books-task-without-connection"),
            (3, 73, "missing-organization-id"),
            (6, 21, "books-task-without-connection"),
            (12, 8, "missing-organization-id"),
        ]
    );
}

#[test]
fn clean_scripts_give_no_findings() {
    for name in [
        "clean_invoice_approval.dg",
        "clean_payment_sync.dg",
        "clean_contact_webhook.dg",
        "clean_three_regions.dg",
    ] {
        assert_eq!(check(&corpus(name)), [], "{name}");
    }
}

#[test]
fn a_syntax_error_is_reported_with_line_and_column() {
    let e = check_source(&corpus("broken_syntax.dg")).unwrap_err();
    assert_eq!((e.pos.line, e.pos.column), (5, 2));
    assert!(e.message.contains("expected `;`"), "{e}");
}

#[test]
fn every_prefix_of_every_script_parses_or_fails_inside_the_text() {
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let chars: Vec<char> = text.chars().collect();
        for end in (0..chars.len()).step_by(7) {
            let prefix: String = chars[..end].iter().collect();
            if let Err(e) = parse(&prefix) {
                let lines = prefix.lines().count().max(1);
                assert!(e.pos.line >= 1 && e.pos.line <= lines + 1, "{e}");
            }
        }
    }
}

#[test]
fn words_in_comments_are_not_code() {
    let text = "// organisation_id=123456789, password = \"hunter2hunter2\"\n\
                /* invokeurl [ url: \"https://www.zohoapis.com/books/v3/items\" ] */\n\
                x = 1;";
    assert_eq!(found(text), []);
}

#[test]
fn secrets_in_maps_and_names_are_found_and_placeholders_are_not() {
    let text = "creds = Map();\n\
                creds.put(\"client_secret\", \"0a9b8c7d6e5f4a3b2c1d\");\n\
                body = {\"password\": \"Sup3rS3cret!\", \"user\": \"ops\"};\n\
                apiKey = \"ak_live_51HxYzQ2eZvKYlo2C\";\n\
                auth = \"Bearer eyJhbGciOiJIUzI1NiJ9.e30\";\n\
                placeholder = {\"password\": \"${PASSWORD}\"};\n\
                info creds.size() + body.size() + apiKey.length() + auth.length() + placeholder.size();";
    assert_eq!(
        found(text),
        [
            (2, 28, "secret-in-script"),
            (3, 21, "secret-in-script"),
            (4, 10, "secret-in-script"),
            (5, 8, "secret-in-script"),
        ]
    );
}

#[test]
fn a_literal_organization_id_in_a_url_or_a_map_is_found() {
    let text = "params = {\"organization_id\": \"60012345678\", \"status\": \"sent\"};\n\
                r = invokeurl\n[\n  url: \"https://www.zohoapis.com/books/v3/invoices?organization_id=60012345678\"\n  \
                type: GET\n  parameters: params\n  connection: \"books\"\n];\n\
                if (r.get(\"code\") == 0) { info r.get(\"invoices\").size(); } else { info r; }";
    assert_eq!(
        found(text),
        [
            (1, 30, "hardcoded-organization-id"),
            (4, 8, "hardcoded-organization-id"),
        ]
    );
}

#[test]
fn an_authorization_header_next_to_a_connection_is_still_raw() {
    let text = "h = {\"Authorization\": \"Zoho-oauthtoken \" + token};\n\
                r = invokeurl\n[\n  url: \"https://www.zohoapis.com/books/v3/items?organization_id=\" + org\n  \
                headers: h\n  connection: \"books\"\n];\nreturn r;";
    let f = check(text);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].pos.line, f[0].pos.column, f[0].rule),
        (1, 6, "raw-authorization-header")
    );
    assert!(
        f[0].message.contains("next to `connection`"),
        "{}",
        f[0].message
    );
}

#[test]
fn a_capped_or_paused_loop_is_not_reported() {
    let paused = "for each c in contacts { r = zoho.books.getRecordsByID(\"contacts\", org, c, \"books\"); \
                  if (r.get(\"code\") != 0) { info c + r.get(\"message\"); } standalone.pauseSeconds(1); }";
    assert_eq!(found(paused), []);
    let unpaced = "for each c in contacts { r = zoho.books.getRecordsByID(\"contacts\", org, c, \"books\"); \
                   if (r.get(\"code\") != 0) { info c + r.get(\"message\"); } }";
    assert_eq!(found(unpaced), [(1, 1, "calls-grow-with-data")]);
    let nested = "for each p in {1, 2} { rows = getRows(p); for each row in rows { \
                  r = zoho.books.updateRecord(\"items\", org, row, {}, \"books\"); return r; } }";
    let f = check(nested);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].message.contains("loops over data inside"),
        "{}",
        f[0].message
    );
}

#[test]
fn the_expression_form_of_if_tests_an_answer() {
    let text = "r = zoho.books.getRecordsByID(\"items\", org, id, \"books\");\n\
                name = if(r.get(\"code\") == 0, r.get(\"item\").get(\"name\"), \"?\");\ninfo name;";
    assert_eq!(found(text), []);
}
