//! Where the plan an import plans for comes from, against a simulator started in each test:
//! the user's setting ("from config"), else Zoho's `plan_name` for the organization ("from
//! Zoho", one `GET /organizations/{id}`), else the Free plan's 1,000 calls a day with a warning
//! ("assumed: Zoho did not say"). `doctor` says the same.

#![expect(
    clippy::unwrap_used,
    reason = "the helpers below are part of the tests: a failure there is the test's failure"
)]

use std::path::{Path, PathBuf};

use serde_json::json;
use zbooks_sim::{FaultAction, FaultRule, Scenario, SimConfig};
use zbooks_testkit::{SimThread, cli_env, log_lines};

use crate::{Run, zbooks_with};

fn sim(faults: Vec<FaultRule>) -> SimThread {
    SimThread::start(
        SimConfig {
            scenario: Some(Scenario {
                faults,
                ..Scenario::default()
            }),
            ..SimConfig::default()
        },
        1,
    )
}

fn contacts(dir: &Path) -> PathBuf {
    let path = dir.join("contacts.csv");
    std::fs::write(
        &path,
        "Display Name,Contact Type,GST Treatment\r\nPlain Traders,customer,consumer\r\n",
    )
    .unwrap();
    path
}

/// `zbooks ARGS` as the demo user, logged in, with `extra` variables.
fn run(sim: &SimThread, dir: &Path, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let env = cli_env(sim, dir);
    let mut pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.extend_from_slice(extra);
    zbooks_with(args, None, &pairs)
}

/// The daily quota a dry run planned for, and its stderr.
fn planned(sim: &SimThread, dir: &Path, extra: &[(&str, &str)]) -> (u64, String) {
    let file = contacts(dir);
    let run = run(
        sim,
        dir,
        &[
            "import",
            file.to_str().unwrap(),
            "--dry-run",
            "--format",
            "json",
        ],
        extra,
    );
    let v = crate::data(&run.stdout);
    (v["plan"]["per_day"].as_u64().unwrap(), run.stderr)
}

fn org_reads(sim: &SimThread) -> usize {
    log_lines(sim)
        .iter()
        .filter(|l| l.starts_with("GET /books/v3/organizations/"))
        .count()
}

#[test]
fn an_unset_plan_is_read_from_zoho_and_said_so() {
    let sim = sim(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let (per_day, stderr) = planned(&sim, dir.path(), &[]);
    assert!(
        stderr.contains("plan: Professional (from Zoho)"),
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_eq!(per_day, 5_000);
    assert_eq!(org_reads(&sim), 1, "{:#?}", log_lines(&sim));

    // doctor says where it came from too, from the listing it already reads.
    let doctor = run(&sim, dir.path(), &["doctor"], &[]);
    assert!(
        doctor
            .stdout
            .contains("Professional (from Zoho): 5,000 calls a day"),
        "{}",
        doctor.stdout
    );
}

#[test]
fn a_plan_in_the_config_wins_and_zoho_is_not_asked() {
    let sim = sim(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    // cli_env's config file is written when the environment is made: set the plan after.
    let env = cli_env(&sim, dir.path());
    let config = env
        .iter()
        .find(|(k, _)| *k == "ZBOOKS_CONFIG")
        .unwrap()
        .1
        .clone();
    std::fs::write(&config, "[profiles.default]\nplan = \"standard\"\n").unwrap();
    let file = contacts(dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = zbooks_with(
        &[
            "import",
            file.to_str().unwrap(),
            "--dry-run",
            "--format",
            "json",
        ],
        None,
        &pairs,
    );
    assert!(
        run.stderr.contains("plan: Standard (from config)"),
        "{}",
        run.stderr
    );
    let v = crate::data(&run.stdout);
    assert_eq!(v["plan"]["per_day"], 2_000);
    assert_eq!(org_reads(&sim), 0, "{:#?}", log_lines(&sim));

    // The environment is a setting too, and says so.
    let (per_day, stderr) = planned(&sim, dir.path(), &[("ZBOOKS_PLAN", "premium")]);
    assert!(
        stderr.contains("plan: Premium (from env ZBOOKS_PLAN)"),
        "{stderr}"
    );
    assert_eq!(per_day, 10_000);
}

#[test]
fn a_plan_zoho_does_not_name_is_assumed_free_with_a_warning() {
    // Zoho's answer for the organization without `plan_name` or `plan_type`.
    let sim = sim(vec![FaultRule {
        name: Some("no plan".to_owned()),
        method: Some("GET".to_owned()),
        path: Some("/books/v3/organizations/*".to_owned()),
        organization_id: None,
        nth: None,
        every: None,
        probability: None,
        times: None,
        action: FaultAction::Status {
            status: 200,
            body: Some(json!({
                "code": 0,
                "message": "success",
                "organization": {"organization_id": "60000000001", "name": "Demo Books Pvt Ltd"},
            })),
            code: None,
            message: None,
        },
    }]);
    let dir = tempfile::tempdir().unwrap();
    let (per_day, stderr) = planned(&sim, dir.path(), &[]);
    assert!(
        stderr.contains(
            "plan: Free (assumed: Zoho did not say; set it with zbooks config set plan …)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: planning for the Free plan's 1,000 calls a day"),
        "{stderr}"
    );
    assert_eq!(per_day, 1_000);
}

#[test]
fn without_a_login_the_plan_is_assumed_and_zoho_is_not_asked() {
    let sim = sim(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let file = contacts(dir.path());
    let env = zbooks_testkit::cli_login_env(&sim, dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = zbooks_with(
        &[
            "import",
            file.to_str().unwrap(),
            "--dry-run",
            "--format",
            "json",
        ],
        None,
        &pairs,
    );
    assert!(
        run.stderr.contains("plan: Free (assumed: not logged in"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: planning for the Free plan"),
        "{}",
        run.stderr
    );
    assert!(log_lines(&sim).is_empty(), "{:#?}", log_lines(&sim));
}
