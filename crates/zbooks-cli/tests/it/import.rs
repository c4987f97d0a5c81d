//! `zbooks import` and `zbooks demo` end to end: the built binary against a simulator this
//! test process runs (so it stays up while the import is killed), with the settings in the
//! environment as a user would set them.
//!
//! The crash test kills the import with SIGKILL at seeded random moments, resumes it each
//! time, and asserts with the simulator's counters that every input record exists exactly
//! once: the real binary's end-to-end check, beside the proof point by point (zbooks-import's
//! `tests/failpoints/` stops the engine at each of its named failpoints and resumes it). The quota test runs out of the day's quota (exit 7) and finishes after a simulated
//! day.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use zbooks_sim::{FaultAction, FaultRule, RunningSim, SimConfig};
use zbooks_testkit::{SimThread, cli_env};

use crate::Run;

pub(crate) const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../zbooks-import/fixtures/demo-company.xml"
);

/// A simulator on its own runtime, alive for the whole test.
pub(crate) struct Zoho {
    sim: SimThread,
}

impl Zoho {
    pub(crate) fn start(seed: u64) -> Zoho {
        Zoho::start_with(SimConfig {
            minute: Duration::from_secs(1),
            seed,
            rate_limit_headers: false,
            ..SimConfig::default()
        })
    }

    pub(crate) fn start_with(config: SimConfig) -> Zoho {
        Zoho {
            sim: SimThread::start(config, 2),
        }
    }

    pub(crate) fn sim(&self) -> &RunningSim {
        &self.sim
    }

    /// `zbooks` with the simulator's settings in the environment and `dir` as its home.
    pub(crate) fn command(&self, dir: &Path, args: &[&str]) -> Command {
        self.command_with_tieout(dir, &crate::without_tieout(args))
    }

    /// [`Zoho::command`] with an import's tie-out left on.
    pub(crate) fn command_with_tieout(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zbooks"));
        cmd.args(args)
            .env_clear()
            .envs(cli_env(self.sim(), dir))
            .env("NO_COLOR", "1")
            .env("HOME", dir)
            .env("ZBOOKS_PLAN", "professional")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    pub(crate) fn run(&self, dir: &Path, args: &[&str]) -> Run {
        let out = self.command(dir, args).output().unwrap();
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// Asserts that every record of the input exists exactly once in the simulator: no
    /// natural key is counted twice, and every contact, item, invoice and payment of the
    /// input is counted.
    fn assert_exactly_once(&self, expected: &[String]) {
        let counters = self.sim().counters();
        let doubled: Vec<_> = counters
            .records_per_natural_key
            .iter()
            .filter(|(_, n)| **n > 1)
            .collect();
        assert!(doubled.is_empty(), "duplicates: {doubled:?}");
        let missing: Vec<_> = expected
            .iter()
            .filter(|k| !counters.records_per_natural_key.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "missing: {missing:?}");
        assert_eq!(counters.unmatched_routes, 0, "{:?}", counters.unmatched);
    }
}

/// The simulator's counter names of the demo company's records (contacts, items, invoices,
/// payments), read with the importer itself.
fn expected_keys(org: &str) -> Vec<String> {
    let parsed = zbooks_import::Parsed::collect(
        zbooks_import::open(Path::new(SAMPLE), &zbooks_import::ReadOptions::default()).unwrap(),
    );
    let mut out = Vec::new();
    for r in &parsed.records {
        let kind = match r.entity {
            zbooks_import::Entity::Contact => "contacts",
            zbooks_import::Entity::Item => "items",
            zbooks_import::Entity::Invoice => "invoices",
            zbooks_import::Entity::CustomerPayment => "customerpayments",
            zbooks_import::Entity::Tax => "taxes",
            zbooks_import::Entity::Account => "chartofaccounts",
            _ => continue,
        };
        out.push(format!("{org}:{kind}:{}={}", r.key.field, r.key.value));
    }
    assert!(out.len() > 80);
    out
}

fn fault(path: &str, probability: f64, action: FaultAction) -> FaultRule {
    FaultRule::on("POST", path, action).probability(probability)
}

pub(crate) const FAST: [&str; 6] = ["--minute", "1s", "--defer", "200ms", "--settle", "0s"];

/// A tiny seeded generator (xorshift), so the kill moments are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn kill_after(mut child: Child, after: Duration) -> Option<i32> {
    let deadline = std::time::Instant::now() + after;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status.code().unwrap_or(-1));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL: no destructor, no flush, no goodbye.
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

#[test]
fn an_import_killed_at_twenty_random_moments_resumes_to_exactly_one_record_each() {
    let zoho = Zoho::start(11);
    zoho.sim().set_faults(vec![
        fault("/books/v3/*", 0.08, FaultAction::ResetAfter),
        fault("/books/v3/*", 0.05, FaultAction::ResetBefore),
        fault(
            "/books/v3/*",
            0.05,
            FaultAction::Status {
                status: 500,
                body: None,
                code: Some(1000),
                message: Some("Internal error".into()),
            },
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["import", SAMPLE];
    args.extend(FAST);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut finished_early = 0;
    for _ in 0..20 {
        let child = zoho.command(dir.path(), &args).spawn().unwrap();
        let after = Duration::from_millis(30 + rng.next() % 600);
        if kill_after(child, after).is_some() {
            finished_early += 1;
        }
        // Nothing the killed runs did may have doubled a record.
        let counters = zoho.sim().counters();
        assert!(
            counters.records_per_natural_key.values().all(|n| *n <= 1),
            "a duplicate after a kill"
        );
    }
    zoho.sim().set_faults(Vec::new());
    let last = zoho.run(dir.path(), &args);
    assert_eq!(last.code, 0, "{}\n{}", last.stdout, last.stderr);
    assert!(
        last.stdout.contains("records: 44 of 44 agree"),
        "read back: {}",
        last.stdout
    );
    let org = zoho.sim().demo().organization_id;
    zoho.assert_exactly_once(&expected_keys(&org));
    assert!(
        finished_early < 20,
        "the kills came too late to test anything"
    );
    let status = zoho.run(dir.path(), &["import", "status"]);
    assert!(status.stdout.contains("finished"), "{}", status.stdout);
}

#[test]
fn a_run_larger_than_the_day_stops_with_exit_7_and_finishes_the_next_day() {
    let zoho = Zoho::start(12);
    let org = zoho.sim().demo().organization_id;
    // Professional: 5,000 a day; the demo company needs about 100 calls.
    assert!(zoho.sim().set_calls_today(&org, 4_950));
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["import", SAMPLE, "--day", "1ms"];
    args.extend(FAST);
    let first = zoho.run(dir.path(), &args);
    assert_eq!(first.code, 7, "{}\n{}", first.stdout, first.stderr);
    assert!(
        first.stderr.contains("run the same command again after"),
        "{}",
        first.stderr
    );
    zoho.sim().advance_day();
    let second = zoho.run(dir.path(), &args);
    assert_eq!(second.code, 0, "{}\n{}", second.stdout, second.stderr);
    assert!(
        second.stdout.contains("records: 44 of 44 agree"),
        "{}",
        second.stdout
    );
    zoho.assert_exactly_once(&expected_keys(&org));
}

#[test]
fn with_wait_a_run_larger_than_the_day_sleeps_to_the_reset_and_finishes() {
    // A simulated day of four seconds, which the import is told of (`--day`), as a real one
    // would be of Zoho's day.
    let zoho = Zoho::start_with(SimConfig {
        minute: Duration::from_secs(1),
        day: Duration::from_secs(4),
        seed: 14,
        rate_limit_headers: false,
        ..SimConfig::default()
    });
    let org = zoho.sim().demo().organization_id;
    assert!(zoho.sim().set_calls_today(&org, 4_950));
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["import", SAMPLE, "--day", "4s", "--wait"];
    args.extend(FAST);
    let run = zoho.run(dir.path(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("records: 44 of 44 agree"),
        "{}",
        run.stdout
    );
    // One wait; the 45s are the creates already in flight when the first came back (at most
    // the import's 10), none sent after it.
    assert_eq!(
        run.stderr.matches("for the daily quota to reset").count(),
        1,
        "{}",
        run.stderr
    );
    let served_45 = zoho
        .sim()
        .counters()
        .throttled
        .get(&45)
        .copied()
        .unwrap_or(0);
    assert!(
        (1..=10).contains(&served_45),
        "{served_45} × 45\n{}",
        run.stderr
    );
    zoho.assert_exactly_once(&expected_keys(&org));
}

pub(crate) fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn bad_input_names_its_place_and_the_valid_records_still_import_unless_strict() {
    let zoho = Zoho::start(13);
    let dir = tempfile::tempdir().unwrap();
    // A Tally export cut in the middle of its 4th voucher.
    let xml = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../zbooks-import/fixtures/tally/sample-company.xml"
    ))
    .unwrap();
    let cut = xml.windows(12).position(|w| w == b"SI/24-25/004").unwrap();
    let truncated = write(dir.path(), "truncated.xml", &xml[..cut + 200]);
    let strict = zoho.run(
        dir.path(),
        &[
            "import",
            truncated.to_str().unwrap(),
            "--strict",
            "--minute",
            "1s",
        ],
    );
    assert_eq!(strict.code, 2, "{}\n{}", strict.stdout, strict.stderr);
    assert!(
        strict.stderr.contains("truncated.xml:"),
        "{}",
        strict.stderr
    );
    assert!(
        strict.stderr.contains("nothing imported"),
        "{}",
        strict.stderr
    );
    let run = zoho.run(
        dir.path(),
        &[
            "import",
            truncated.to_str().unwrap(),
            "--minute",
            "1s",
            "--settle",
            "0s",
        ],
    );
    assert!(
        run.code == 0 || run.code == 1,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stderr.contains("truncated.xml:"), "{}", run.stderr);
    assert!(run.stdout.contains("created"), "{}", run.stdout);
    let org = zoho.sim().demo().organization_id;
    let counters = zoho.sim().counters();
    assert!(
        counters
            .records_per_natural_key
            .contains_key(&format!("{org}:invoices:invoice_number=SI/24-25/002"))
    );

    // A CSV of contacts with a broken row, in Windows-1252 (an unexpected encoding).
    let mut csv = b"Display Name,Contact Type,GST Treatment\r\n".to_vec();
    csv.extend_from_slice(b"Caf\xe9 Nouveau,customer,consumer\r\n");
    csv.extend_from_slice(b"Broken \"Row,customer,consumer,extra\r\n");
    csv.extend_from_slice(b"Plain Traders,customer,consumer\r\n");
    let csv = write(dir.path(), "contacts.csv", &csv);
    let run = zoho.run(
        dir.path(),
        &[
            "import",
            csv.to_str().unwrap(),
            "--minute",
            "1s",
            "--settle",
            "0s",
        ],
    );
    assert!(run.stderr.contains("contacts.csv:"), "{}", run.stderr);
    let counters = zoho.sim().counters();
    assert!(
        counters
            .records_per_natural_key
            .contains_key(&format!("{org}:contacts:contact_name=Plain Traders")),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let failed = zoho.run(dir.path(), &["import", "failed", "--format", "json"]);
    assert_eq!(failed.code, 0, "{}", failed.stderr);
}
