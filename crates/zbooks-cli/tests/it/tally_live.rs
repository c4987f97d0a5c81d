//! `zbooks import tally://...` end to end: the built binary pulls from the Tally simulator
//! (zbooks_tally::sim, in this test process) into the Zoho simulator, both on 127.0.0.1:0.
//! A live pull through every fault the Tally simulator scripts creates in Zoho exactly what
//! the file import of the same export creates; a re-run pulls and creates nothing; Tally's
//! error answers end the command with the explanation and a non-zero exit.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use zbooks_tally::sim::{Book, Schedule, SimConfig, TallySim};

use crate::import::{FAST, Zoho};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../zbooks-import/fixtures/tally/"
    ))
    .join(name)
}

const SAMPLE: &str = "sample-company.xml";

fn tally(config: SimConfig) -> (TallySim, String) {
    let book = Book::read(&fixture(SAMPLE)).unwrap();
    let name = book.name().to_owned();
    (TallySim::start(vec![book], config, 0).unwrap(), name)
}

/// The natural keys Zoho holds, without the organization. The opening balance's key is its
/// date, which differs on purpose (a file: the day before its first voucher; a live pull:
/// the day before `--from`): it is counted, not named.
fn keys(zoho: &Zoho) -> BTreeSet<String> {
    let org = zoho.sim().demo().organization_id;
    zoho.sim()
        .counters()
        .records_per_natural_key
        .keys()
        .map(|k| k.trim_start_matches(&format!("{org}:")).to_owned())
        .map(|k| {
            if k.starts_with("opening_balance") || k.contains("openingbalance") {
                "opening balance".to_owned()
            } else {
                k
            }
        })
        .collect()
}

fn live_args<'a>(url: &'a str, company: &'a str) -> Vec<&'a str> {
    let mut args = vec![
        "import",
        url,
        "--company",
        company,
        "--from",
        "2024-04-01",
        "--to",
        "2025-03-31",
        "--tally-backoff",
        "50ms",
    ];
    args.extend(FAST);
    args
}

#[test]
fn a_live_pull_through_every_fault_imports_what_the_file_import_does_and_a_rerun_pulls_nothing() {
    // The file import, into one organization.
    let by_file = Zoho::start(21);
    let dir = tempfile::tempdir().unwrap();
    let path = fixture(SAMPLE);
    let mut args = vec!["import", path.to_str().unwrap()];
    args.extend(FAST);
    let file_run = by_file.run(dir.path(), &args);
    assert_eq!(file_run.code, 0, "{}\n{}", file_run.stdout, file_run.stderr);

    // The live pull, into another, through UTF-16 with a BOM, extra &#4; marks, a slow
    // answer beyond the timeout and a dropped connection every fifth request.
    let (sim, company) = tally(SimConfig {
        utf16: true,
        control_marks: true,
        delay: Duration::from_millis(900),
        slow: Schedule::Nth(4),
        drop: Schedule::Every(5),
        closed: false,
    });
    let url = sim.url();
    let live = Zoho::start(22);
    let dir = tempfile::tempdir().unwrap();
    let mut args = live_args(&url, &company);
    args.extend(["--tally-timeout", "400ms"]);
    let out = live
        .command_with_tieout(dir.path(), &args)
        .output()
        .unwrap();
    let live_run = crate::Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    };
    assert_eq!(
        live_run.code, file_run.code,
        "{}\n{}",
        live_run.stdout, live_run.stderr
    );
    // The live import ends with its tie-out, Tally's side asked of the running Tally
    // (through the same faults): the books agree to the paisa.
    assert!(live_run.stdout.contains("Ties out"), "{}", live_run.stdout);
    assert!(
        !live_run.stdout.contains("UNEXPLAINED"),
        "{}",
        live_run.stdout
    );
    let requests = sim.requests();
    assert!(
        requests.iter().any(|r| r.ends_with(" slow")),
        "{requests:?}"
    );
    assert!(
        requests.iter().any(|r| r.ends_with(" dropped")),
        "{requests:?}"
    );
    let created = keys(&live);
    assert!(created.len() > 10, "{created:?}");
    assert_eq!(created, keys(&by_file));
    assert_eq!(live.sim().counters().unmatched_routes, 0);

    // Problems name the request each record came from, and the line in its answer.
    assert!(
        live_run
            .stderr
            .contains(&format!("{url} vouchers 2024-04:")),
        "{}",
        live_run.stderr
    );
    assert!(
        live_run.stderr.contains(&format!("{url} masters")),
        "{}",
        live_run.stderr
    );
    assert!(
        live_run.stdout.contains("records: 13 of 13 agree"),
        "{}",
        live_run.stdout
    );

    // A re-run after a complete import: every month was imported whole, so nothing is
    // pulled but the company list, and nothing is created.
    let before = live.sim().counters().records_per_natural_key.clone();
    let asked = sim.requests().len();
    let again = live.run(dir.path(), &args);
    assert_eq!(
        again.code, live_run.code,
        "{}\n{}",
        again.stdout, again.stderr
    );
    assert_eq!(live.sim().counters().records_per_natural_key, before);
    assert!(again.stderr.contains("nothing to pull"), "{}", again.stderr);
    let new: Vec<String> = sim.requests()[asked..].to_vec();
    assert!(new.iter().all(|r| r.starts_with("companies")), "{new:?}");
}

#[test]
fn tally_s_error_answers_end_the_import_with_the_fix() {
    let zoho = Zoho::start(23);
    let dir = tempfile::tempdir().unwrap();
    let seeded = zoho.sim().counters().records_per_natural_key.clone();

    // No company open: exit 2, what to open.
    let (closed, company) = tally(SimConfig {
        closed: true,
        ..SimConfig::default()
    });
    let url = closed.url();
    let run = zoho.run(dir.path(), &live_args(&url, &company));
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("has no company open"), "{}", run.stderr);
    assert!(run.stderr.contains("F3: Select Company"), "{}", run.stderr);

    // A wrong name: exit 2, the open companies listed.
    let (open, company) = tally(SimConfig::default());
    let url = open.url();
    let run = zoho.run(dir.path(), &live_args(&url, "Shree Ganesh"));
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("the open ones are"), "{}", run.stderr);
    assert!(run.stderr.contains(&company), "{}", run.stderr);

    // Nothing listening: exit 5, how to switch Tally's server on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("tally://127.0.0.1:{port}");
    let run = zoho.run(dir.path(), &live_args(&url, &company));
    assert_eq!(run.code, 5, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("F1 (Help) > Settings > Connectivity"),
        "{}",
        run.stderr
    );

    // Tally answering too slowly every time: exit 5 after the bounded retries.
    let (slow, company) = tally(SimConfig {
        delay: Duration::from_millis(400),
        slow: Schedule::Every(1),
        ..SimConfig::default()
    });
    let url = slow.url();
    let mut args = live_args(&url, &company);
    args.extend(["--tally-timeout", "100ms", "--tally-retries", "1"]);
    let run = zoho.run(dir.path(), &args);
    assert_eq!(run.code, 5, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("gave no answer"), "{}", run.stderr);

    // A date for a file, a format for Tally: usage errors.
    let run = zoho.run(dir.path(), &["import", "x.xml", "--from", "2024-04-01"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = zoho.run(
        dir.path(),
        &["import", &url, "--company", &company, "--from", "tally"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--from YYYY-MM-DD"), "{}", run.stderr);
    // Nothing reached Zoho.
    assert_eq!(zoho.sim().counters().records_per_natural_key, seeded);
}

#[test]
fn a_rerun_pulls_only_the_months_not_yet_imported() {
    let (sim, company) = tally(SimConfig::default());
    let url = sim.url();
    let zoho = Zoho::start(24);
    let dir = tempfile::tempdir().unwrap();
    // April first.
    let mut april = live_args(&url, &company);
    april[7] = "2024-04-30";
    let first = zoho.run(dir.path(), &april);
    assert_eq!(first.code, 0, "{}\n{}", first.stdout, first.stderr);
    let asked = sim.requests().len();
    // Then the year: April is not asked again.
    let year = zoho.run(dir.path(), &live_args(&url, &company));
    assert_eq!(year.code, 0, "{}\n{}", year.stdout, year.stderr);
    assert!(
        year.stderr.contains("pulling 2024-05-01 to 2025-03-31"),
        "{}",
        year.stderr
    );
    let new: Vec<String> = sim.requests()[asked..].to_vec();
    assert_eq!(new.len(), 13, "{new:?}"); // the company list, the masters, May to March
    assert!(new.iter().all(|r| !r.contains("20240401")), "{new:?}");
    assert!(new[2].ends_with("20240501..20240531"), "{new:?}");
    // Everything of the year is in Zoho once.
    let doubled: Vec<_> = zoho
        .sim()
        .counters()
        .records_per_natural_key
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .collect();
    assert!(doubled.is_empty(), "{doubled:?}");
    // April's three invoices and two receipts, May's invoice and receipt, and the opening
    // bill's invoice.
    let held = keys(&zoho);
    assert_eq!(
        held.iter()
            .filter(|k| k.starts_with("invoices:invoice_number="))
            .count(),
        5,
        "{held:?}"
    );
    assert_eq!(
        held.iter()
            .filter(|k| k.starts_with("customerpayments:reference_number="))
            .count(),
        3,
        "{held:?}"
    );
}

#[test]
fn zbooks_tally_sim_serves_a_company_file_until_stopped() {
    use std::io::{BufRead, BufReader, Read, Write};
    let path = fixture(SAMPLE);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args([
            "--format",
            "json",
            "tally-sim",
            "--port",
            "0",
            "--company-file",
        ])
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let line: serde_json::Value = serde_json::from_str(&first).unwrap();
    let url = line["data"]["url"].as_str().unwrap().to_owned();
    assert_eq!(
        line["data"]["companies"][0],
        "Shree Ganesh Electricals Pvt Ltd (FY 2024-25)"
    );
    let addr = url.trim_start_matches("tally://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        answer.ends_with("<RESPONSE>TallyPrime Server is Running</RESPONSE>"),
        "{answer}"
    );
}

#[test]
fn a_month_with_a_failed_record_is_pulled_again_and_finished() {
    use zbooks_sim::{FaultAction, FaultRule};
    let (sim, company) = tally(SimConfig::default());
    let url = sim.url();
    let zoho = Zoho::start(25);
    let dir = tempfile::tempdir().unwrap();
    // Zoho refuses the fourth invoice (May's, in date order) for good.
    zoho.sim().set_faults(vec![
        FaultRule::on(
            "POST",
            "/books/v3/invoices",
            FaultAction::zoho(400, 4, "Invalid value passed for place_of_supply"),
        )
        .nth(4),
    ]);
    let mut args = live_args(&url, &company);
    args.extend(["--in-flight", "1"]);
    let first = zoho.run(dir.path(), &args);
    assert_eq!(first.code, 1, "{}\n{}", first.stdout, first.stderr);
    let failed = zoho.run(dir.path(), &["import", "failed"]);
    assert!(
        failed.stdout.contains(&format!("{url} vouchers 2024-05:")),
        "{}",
        failed.stdout
    );
    // The cause fixed, the same command: only May is pulled again (April and the months
    // without vouchers were imported whole).
    zoho.sim().set_faults(Vec::new());
    let asked = sim.requests().len();
    let again = zoho.run(dir.path(), &args);
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    assert!(
        again.stderr.contains("pulling 2024-05-01 to 2024-05-31"),
        "{}",
        again.stderr
    );
    let new: Vec<String> = sim.requests()[asked..].to_vec();
    assert_eq!(new.len(), 3, "{new:?}"); // the company list, the masters, May
    assert!(new[2].ends_with("20240501..20240531"), "{new:?}");
    let held = keys(&zoho);
    assert_eq!(
        held.iter()
            .filter(|k| k.starts_with("invoices:invoice_number="))
            .count(),
        5,
        "{held:?}"
    );
}
