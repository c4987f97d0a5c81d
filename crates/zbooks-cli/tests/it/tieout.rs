//! The tie-out end to end: `zbooks import` of a Tally export into the simulator ends with
//! Tally's reports beside Zoho's, and `zbooks tieout` reads Tally's side from a company
//! export, exported report XML or a running Tally (here the Tally simulator serving the same
//! company).
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use zbooks_sim::{FaultAction, FaultRule};
use zbooks_tally::Company;
use zbooks_tally::reports::{self, ReportKind};
use zbooks_tally::sim::{Book, SimConfig, TallySim};

use crate::Run;
use crate::import::{FAST, Zoho, write};

const SAMPLE_COMPANY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../zbooks-import/fixtures/tally/sample-company.xml"
);

fn import(zoho: &Zoho, dir: &std::path::Path) -> Run {
    let mut args = vec!["import", SAMPLE_COMPANY];
    args.extend(FAST);
    let out = zoho.command_with_tieout(dir, &args).output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The lines of the trial balance's section of a text tie-out.
fn trial_balance(stdout: &str) -> &str {
    let start = stdout.find("Trial balance").unwrap();
    let end = stdout[start..].find("\n\n").unwrap();
    &stdout[start..start + end]
}

#[test]
fn importing_the_sample_company_ties_out_to_zero() {
    let zoho = Zoho::start(21);
    let dir = tempfile::tempdir().unwrap();
    let run = import(&zoho, dir.path());
    // Every record is in Zoho, the opening balances with them, every invoice posted (not a
    // draft): the books agree group by group, to the paisa.
    assert!(run.stdout.contains("failed 0"), "{}", run.stdout);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Ties out"), "{}", run.stdout);
    assert!(!run.stdout.contains("UNEXPLAINED"), "{}", run.stdout);
    assert!(!run.stdout.contains("drafts"), "{}", run.stdout);
    let tb = trial_balance(&run.stdout);
    // What differs per group is only Tally's round-off ledger, reclassified.
    for line in tb
        .lines()
        .filter(|l| l.trim_start().starts_with("explained"))
    {
        assert!(line.contains("reclassified"), "{line}\n{tb}");
    }
    assert!(tb.contains("Difference in opening balances"), "{tb}");
    // Tally's trial balance balances; Zoho's too, and they are the same.
    let total = tb
        .lines()
        .find(|l| l.trim_start().starts_with("Total"))
        .unwrap();
    let figures: Vec<&str> = total.split_whitespace().skip(1).collect();
    assert_eq!(figures[0], figures[1], "{total}");
    assert_eq!(figures[2], figures[3], "{total}");
    assert_eq!(figures[0], figures[2], "{total}");

    // The same tie-out on its own; and with a tolerance of nothing at all, Tally's round-off
    // ledger stays a reclassification (Zoho's Other Charges), never a difference.
    let alone = zoho.run(dir.path(), &["tieout", "--tally-export", SAMPLE_COMPANY]);
    assert_eq!(alone.code, 0, "{}\n{}", alone.stdout, alone.stderr);
    assert_eq!(trial_balance(&alone.stdout), tb);
    assert!(alone.stdout.contains("reclassified"), "{}", alone.stdout);

    // JSON and HTML.
    let html = dir.path().join("tieout.html");
    let json = zoho.run(
        dir.path(),
        &[
            "--format",
            "json",
            "tieout",
            "--tally-export",
            SAMPLE_COMPANY,
            "--html",
            html.to_str().unwrap(),
        ],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::Deserializer::from_str(&json.stdout)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    let v = &v["data"];
    assert_eq!(v["ties"], serde_json::json!(true));
    let sections = v["tieout"]["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 3);
    assert_eq!(sections[0]["kind"], "trial_balance");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.contains("<table"),
        "{page}"
    );
    assert!(!page.contains("<script"), "self-contained, no script");
}

#[test]
fn the_tolerance_decides_what_ties_out() {
    let zoho = Zoho::start(22);
    let dir = tempfile::tempdir().unwrap();
    // Nothing imported: Zoho's books are empty, Tally's largest group is 326165.00.
    let wide = zoho.run(
        dir.path(),
        &[
            "tieout",
            "--tally-export",
            SAMPLE_COMPANY,
            "--tolerance",
            "326165.00",
        ],
    );
    assert_eq!(wide.code, 0, "{}\n{}", wide.stdout, wide.stderr);
    let narrow = zoho.run(
        dir.path(),
        &[
            "tieout",
            "--tally-export",
            SAMPLE_COMPANY,
            "--tolerance",
            "326164.99",
        ],
    );
    assert_eq!(narrow.code, 1, "{}\n{}", narrow.stdout, narrow.stderr);
    let bad = zoho.run(
        dir.path(),
        &[
            "tieout",
            "--tally-export",
            SAMPLE_COMPANY,
            "--tolerance",
            "lots",
        ],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let none = zoho.run(dir.path(), &["tieout"]);
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(none.stderr.contains("no Tally side"), "{}", none.stderr);
}

#[test]
fn a_failed_record_is_explained_and_fails_the_tie_out() {
    let zoho = Zoho::start(23);
    // Zoho refuses the fifth invoice create for good (one a receipt settles).
    zoho.sim().set_faults(vec![
        FaultRule::on(
            "POST",
            "/books/v3/invoices",
            FaultAction::zoho(400, 1001, "Invoice refused by the test"),
        )
        .nth(5),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let run = import(&zoho, dir.path());
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    // The invoice (a sales invoice or an opening bill's: the creates run in parallel), and
    // any receipt applied to it, held back with it.
    assert!(
        run.stdout.contains("failed 1") || run.stdout.contains("failed 2"),
        "{}",
        run.stdout
    );
    let tb = trial_balance(&run.stdout);
    assert!(tb.contains("failed record: "), "{tb}");
    assert!(tb.contains("Invoice refused by the test"), "{tb}");
    assert!(!run.stdout.contains("UNEXPLAINED"), "{}", run.stdout);
    // `zbooks tieout` on its own finds the same failure in the import's journal.
    let again = zoho.run(dir.path(), &["tieout", "--tally-export", SAMPLE_COMPANY]);
    assert_eq!(again.code, 1, "{}\n{}", again.stdout, again.stderr);
    assert_eq!(trial_balance(&again.stdout), tb);
}

#[test]
fn tally_report_xml_and_a_running_tally_give_the_same_tally_side() {
    let zoho = Zoho::start(24);
    let dir = tempfile::tempdir().unwrap();
    let (company, _) = Company::read(
        "Sample",
        std::fs::File::open(SAMPLE_COMPANY).unwrap(),
        "sample-company.xml",
    );
    // Exported report XML: the trial balance alone, in UTF-16 as Tally writes it.
    let tb = reports::render(&reports::compute(
        &company,
        ReportKind::TrialBalance,
        None,
        Some("20240510"),
    ));
    let utf16: Vec<u8> = tb.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let file = write(dir.path(), "tb.xml", &utf16);
    let from_file = zoho.run(
        dir.path(),
        &[
            "tieout",
            "--tally-report",
            file.to_str().unwrap(),
            "--to",
            "2024-05-10",
        ],
    );
    // No company export: no explanation, so the differences are listed as unexplained.
    assert_eq!(
        from_file.code, 1,
        "{}\n{}",
        from_file.stdout, from_file.stderr
    );
    assert!(
        from_file.stdout.contains("UNEXPLAINED"),
        "{}",
        from_file.stdout
    );
    assert!(
        from_file.stdout.contains("351165.00"),
        "{}",
        from_file.stdout
    );

    // The Tally simulator serving the same company (in UTF-16, as Tally may answer).
    let book = Book::read(std::path::Path::new(SAMPLE_COMPANY)).unwrap();
    let name = book.name().to_owned();
    let config = SimConfig {
        utf16: true,
        ..SimConfig::default()
    };
    let tally = TallySim::start(vec![book], config, 0).unwrap();
    let url = tally.url();
    let live = zoho.run(
        dir.path(),
        &[
            "tieout",
            "--tally",
            &url,
            "--company",
            &name,
            "--to",
            "2024-05-10",
        ],
    );
    let ids: Vec<String> = tally
        .requests()
        .into_iter()
        .filter(|r| r.contains("report"))
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(live.code, 1, "{}\n{}", live.stdout, live.stderr);
    // The same figures; the live side explains more (the company is asked of Tally too).
    let figures = |tb: &str| -> Vec<String> {
        tb.lines()
            .filter(|l| !l.starts_with("      "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        figures(trial_balance(&live.stdout)),
        figures(trial_balance(&from_file.stdout)),
        "the live trial balance is the exported one"
    );
    assert!(
        trial_balance(&live.stdout).contains("opening balances not brought over: Deccan"),
        "{}",
        live.stdout
    );
}
