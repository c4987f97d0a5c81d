//! `zbooks deluge check`: the corpus of zbooks-deluge's tests through the binary: text with
//! file:line:column, rule and fix; JSON; exit codes; no secret from a script in the output.

use std::path::PathBuf;

use serde_json::Value;

use crate::zbooks;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../zbooks-deluge/tests/corpus")
}

fn path(name: &str) -> String {
    corpus().join(name).to_string_lossy().into_owned()
}

#[test]
fn check_prints_file_line_column_rule_and_fix_and_exits_1_on_errors() {
    let run = zbooks(
        &["deluge", "check", &path("invoice_to_salesorder.dg")],
        None,
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let file = path("invoice_to_salesorder.dg");
    for line in [
        format!("{file}:6:10: warning[hardcoded-organization-id]"),
        format!("{file}:16:23: error[unchecked-response]"),
        format!("{file}:19:13: error[unchecked-response]"),
        format!("{file}:21:9: error[unchecked-response]"),
        format!("{file}:23:84: error[organisation-id-misspelt]"),
    ] {
        assert!(
            run.stdout.contains(&line),
            "{line} missing:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("    fix: write `organization_id` (with a z)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("1 script checked: 4 errors, 1 warning\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_clean_script_and_warnings_alone_exit_0() {
    let run = zbooks(
        &["deluge", "check", &path("clean_invoice_approval.dg")],
        None,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "1 script checked: 0 errors, 0 warnings\n");
    let run = zbooks(&["deluge", "check", &path("paged_export.dg")], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("warning[unpaced-api-loop]"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_directory_is_searched_and_a_parse_error_is_a_finding_with_its_place() {
    let dir = corpus().to_string_lossy().into_owned();
    let run = zbooks(&["deluge", "check", &dir, "--format", "json"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let data = &v["data"];
    assert_eq!(data["files"], 11, "{data:#}");
    assert_eq!(
        (data["errors"].clone(), data["warnings"].clone()),
        (9.into(), 13.into())
    );
    let findings = data["findings"].as_array().unwrap();
    let parse = findings
        .iter()
        .find(|f| f["rule"] == "parse-error")
        .expect("the broken script is reported");
    assert!(
        parse["file"]
            .as_str()
            .unwrap()
            .ends_with("broken_syntax.dg")
    );
    assert_eq!(
        (parse["line"].clone(), parse["column"].clone()),
        (5.into(), 2.into())
    );
    assert_eq!(parse["level"], "error");
    // Every rule of the corpus is there, and the clean scripts gave nothing.
    for rule in [
        "unchecked-response",
        "response-used-before-check",
        "organisation-id-misspelt",
        "missing-organization-id",
        "hardcoded-organization-id",
        "unpaced-api-loop",
        "calls-grow-with-data",
        "secret-in-script",
        "raw-authorization-header",
        "books-task-without-connection",
        "failure-without-data",
    ] {
        assert!(findings.iter().any(|f| f["rule"] == rule), "{rule}");
    }
    assert!(
        !findings
            .iter()
            .any(|f| f["file"].as_str().unwrap().contains("clean_"))
    );
}

#[test]
fn secrets_found_in_a_script_never_reach_the_output() {
    for format in ["text", "json"] {
        let run = zbooks(
            &[
                "deluge",
                "check",
                &path("contact_to_crm.dg"),
                "--format",
                format,
            ],
            None,
        );
        assert_eq!(run.code, 1);
        assert!(run.stdout.contains("secret-in-script"), "{}", run.stdout);
        for secret in ["3c1b2a9988776655", "9f8e7d6c5b4a3928", "ABCDEF123456"] {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "{format}"
            );
        }
    }
}

#[test]
fn no_script_or_an_unreadable_file_is_a_usage_or_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().to_string_lossy().into_owned();
    let run = zbooks(&["deluge", "check", &empty], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no Deluge script in"), "{}", run.stderr);
    let missing = dir.path().join("nope.dg").to_string_lossy().into_owned();
    let run = zbooks(&["deluge", "check", &missing], None);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}
