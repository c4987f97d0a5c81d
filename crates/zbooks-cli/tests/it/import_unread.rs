//! `zbooks import` on input it cannot wholly read, against a simulator: a record the reader
//! could not read fails the run (exit 1) and is listed by `import failed` in every format with
//! its file, place and reason; a stray byte it could recover loses nothing after it; and
//! `--strict` sends nothing at all.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use zbooks_sim::{RunningSim, SimConfig};
use zbooks_testkit::{SimThread, cli_env};

use crate::Run;

fn demo() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../zbooks-import/fixtures/demo-company.xml"
    ))
    .unwrap()
}

fn sim() -> SimThread {
    SimThread::start(
        SimConfig {
            minute: Duration::from_secs(1),
            seed: 12,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    )
}

fn zbooks(sim: &RunningSim, dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args(crate::without_tieout(args))
        .env_clear()
        .envs(cli_env(sim, dir))
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("ZBOOKS_PLAN", "professional")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn import(sim: &RunningSim, dir: &Path, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--minute",
        "1s",
        "--defer",
        "200ms",
        "--settle",
        "0s",
    ];
    args.extend_from_slice(extra);
    zbooks(sim, dir, &args)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn find(bytes: &[u8], after: &str, needle: &str) -> usize {
    let from = bytes
        .windows(after.len())
        .position(|w| w == after.as_bytes())
        .unwrap();
    from + bytes[from..]
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap()
}

fn has_invoice(sim: &RunningSim, number: &str) -> bool {
    let org = sim.demo().organization_id;
    sim.counters()
        .records_per_natural_key
        .get(&format!("{org}:invoices:invoice_number={number}"))
        == Some(&1)
}

/// The voucher the tests damage, and its anchor in the demo export.
const VOUCHER_108: &str = "-00003108\" VCHKEY";

#[test]
fn a_stray_byte_in_a_value_is_imported_with_a_warning_and_nothing_after_it_is_lost() {
    let zoho = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = demo();
    let at = find(&bytes, VOUCHER_108, "VRL Logistics") + 3;
    bytes.insert(at, 0xE9);
    let file = write(dir.path(), "daybook.xml", &bytes);
    let run = import(&zoho, dir.path(), &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let warning = format!("daybook.xml:4846 (byte {at}) <VOUCHER> \"SI/24-25/108\": warning");
    assert!(run.stderr.contains(&warning), "{}", run.stderr);
    assert!(run.stderr.contains("0xE9"), "{}", run.stderr);
    assert!(!run.stderr.contains("truncated"), "{}", run.stderr);
    // The voucher itself and the last one of the file are in Zoho.
    assert!(has_invoice(&zoho, "SI/24-25/108"));
    assert!(has_invoice(&zoho, "SI/24-25/124"), "{}", run.stdout);
}

#[test]
fn records_a_reader_could_not_read_fail_the_run_and_import_failed_lists_them() {
    let zoho = sim();
    let dir = tempfile::tempdir().unwrap();
    // A stray byte in an attribute name of one voucher, and the file cut in the last one.
    let mut bytes = demo();
    let stray = find(&bytes, VOUCHER_108, "TAXTYPE=") + 3;
    bytes.insert(stray, 0xE9);
    let cut = find(&bytes, "<VOUCHERNUMBER>R/24<", "</VOUCHERNUMBER>") + 20;
    bytes.truncate(cut);
    let file = write(dir.path(), "daybook.xml", &bytes);
    let run = import(&zoho, dir.path(), &file, &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    // The two it could not read, and the payment of the voucher it lost, held back.
    assert!(run.stdout.contains("failed 3"), "{}", run.stdout);
    assert!(
        run.stderr.contains("not readable in the input"),
        "{}",
        run.stderr
    );
    assert!(!has_invoice(&zoho, "SI/24-25/108"));
    assert!(
        has_invoice(&zoho, "SI/24-25/109"),
        "the vouchers after it go in"
    );
    assert!(has_invoice(&zoho, "SI/24-25/124"));

    let text = zbooks(&zoho, dir.path(), &["import", "failed"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let csv = zbooks(&zoho, dir.path(), &["import", "failed", "--format", "csv"]);
    assert_eq!(csv.stdout, text.stdout);
    let all: Vec<&str> = text.stdout.lines().skip(1).collect();
    assert_eq!(all.len(), 3, "{}", text.stdout);
    assert!(
        all[0].starts_with("customer_payment,") && all[0].contains("SI/24-25/108"),
        "{}",
        all[0]
    );
    let rows = &all[1..];
    assert!(
        rows[0].starts_with("unread,VOUCHER,SI/24-25/108,")
            && rows[0].contains(&format!(
                "daybook.xml:4846 (byte {stray}) <VOUCHER> \"\"SI/24-25/108\"\"\",,unread,"
            )),
        "{}",
        rows[0]
    );
    assert!(rows[0].contains("0xE9"), "{}", rows[0]);
    assert!(
        rows[1].contains(&format!("(byte {cut}) <VOUCHER> \"\"R/24\"\"")),
        "{}",
        rows[1]
    );
    assert!(rows[1].contains("truncated"), "{}", rows[1]);
    assert!(
        rows[1].contains("the last record read whole is <VOUCHER> \"\"SI/24-25/124\"\""),
        "{}",
        rows[1]
    );

    let json = zbooks(&zoho, dir.path(), &["import", "failed", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let lines: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", json.stdout);
    assert_eq!(lines[1]["entity"], "unread");
    assert_eq!(lines[1]["error"]["class"], "unread");
    assert!(
        lines[2]["error"]["location"]
            .as_str()
            .unwrap()
            .contains(&format!("(byte {cut})")),
        "{}",
        json.stdout
    );
}

#[test]
fn files_a_reader_cannot_read_at_all_fail_the_run_and_are_listed() {
    let zoho = sim();
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "contacts.csv",
            b"Display Name,Contact Type\r\nAcme,customer\r\n\"Broken Row,customer\r\nPlain,customer\r\n",
            "contacts.csv:3",
        ),
        ("page.xml", b"<html>\n<body>Session expired</body></html>\n", "not a Tally export"),
        ("garbage.xml", b"\x00\x01\x02PK\x03\x04 binary", "garbage.xml"),
        (
            "entity.xml",
            b"<ENVELOPE>\n<LEDGER NAME=\"Cash\"><PARENT>Cash-in-Hand&nbsp;</PARENT></LEDGER>\n</ENVELOPE>\n",
            "&nbsp;",
        ),
    ];
    for (name, bytes, reason) in cases {
        let file = write(dir.path(), name, bytes);
        let run = import(&zoho, dir.path(), &file, &[]);
        assert_eq!(run.code, 1, "{name}\n{}\n{}", run.stdout, run.stderr);
        let failed = zbooks(
            &zoho,
            dir.path(),
            &["import", "failed", file.to_str().unwrap()],
        );
        assert_eq!(failed.code, 0, "{name}: {}", failed.stderr);
        assert!(
            failed.stdout.contains(reason) && failed.stdout.contains(",unread,"),
            "{name}: {}",
            failed.stdout
        );
    }
}

#[test]
fn strict_sends_nothing_when_anything_cannot_be_read() {
    let zoho = sim();
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = demo();
    let stray = find(&bytes, VOUCHER_108, "<NARRATION>") + 5;
    bytes.insert(stray, 0xE9);
    let file = write(dir.path(), "daybook.xml", &bytes);
    let run = import(&zoho, dir.path(), &file, &["--strict"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("SI/24-25/108"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing sent"), "{}", run.stderr);
    assert_eq!(zoho.counters().requests, 0, "not even a token request");
}
