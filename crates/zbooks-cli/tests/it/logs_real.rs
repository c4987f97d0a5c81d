//! `zbooks logs analyze` on logs that zbooks itself wrote (`--log-file`) and on its audit log,
//! while talking to a simulator with problems injected: a wrong organization id, a spent daily
//! quota, and a create sent again by hand after its answer was lost. Each problem is found with
//! the counts the simulator itself recorded.
//!
//! zbooks paces itself and refreshes its tokens, so the other two problems come from zbooks
//! misused: an import whose pacing is told a minute lasts a second (calls bunched past the
//! limit), and zbooks-client given a fixed access token that is never refreshed.

#![expect(
    clippy::unwrap_used,
    reason = "the helpers below are part of the tests: a failure there is the test's failure"
)]

use serde_json::Value;
use zbooks_sim::{FaultAction, FaultRule, SimConfig};
use zbooks_testkit::{SimThread, cli_env};

use crate::zbooks_with;

/// `zbooks logs analyze --format json` over `inputs`, as JSON.
fn analyze(inputs: &[&str], env: &[(&str, &str)]) -> Value {
    let mut args = vec!["logs", "analyze", "--format", "json"];
    args.extend_from_slice(inputs);
    let run = zbooks_with(&args, None, env);
    assert_eq!(run.code, 0, "{inputs:?}: {}", run.stderr);
    crate::data(&run.stdout)
}

/// The report's finding of `kind`.
fn finding(report: &Value, kind: &str, context: &str) -> Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("{context}: no {kind} finding in {report:#}"))
}

#[test]
fn finds_what_went_wrong_in_zbooks_own_logs_with_the_simulators_counts() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let demo = sim.demo();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.jsonl");
    let env = cli_env(&sim, dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let log_arg = log.display().to_string();
    let call = |args: &[&str]| {
        let mut all = vec!["--log-file", log_arg.as_str(), "call"];
        all.extend_from_slice(args);
        zbooks_with(&all, None, &pairs)
    };

    // 1. A wrong organization id, three times: Zoho answers 6041 and zbooks does not retry.
    let other_org = demo.other_user.organization_id.clone();
    for _ in 0..3 {
        let run = call(&["GET", "/contacts", "--org", &other_org]);
        assert_eq!(run.code, 4, "{}", run.stderr);
    }

    // 2. A create whose answer is lost, sent again by hand: the contact exists once and the
    //    second send is refused as a duplicate.
    sim.set_faults(vec![
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter)
            .named("lost answer")
            .nth(1),
    ]);
    let body = r#"{"contact_name":"Lost Answer Ltd"}"#;
    let first = call(&["POST", "/contacts", "--data", body]);
    assert_ne!(
        first.code, 0,
        "the lost answer is an error: {}",
        first.stderr
    );
    let again = call(&["POST", "/contacts", "--data", body]);
    assert_eq!(again.code, 4, "{}", again.stderr);
    sim.set_faults(Vec::new());

    // 3. The day's quota already spent by others: Zoho answers 45, zbooks stops (exit 7).
    assert!(sim.set_calls_today(&demo.organization_id, 5_000));
    let run = call(&["GET", "/contacts"]);
    assert_eq!(run.code, 7, "{}", run.stderr);

    let counters = sim.counters();
    let served_45 = counters.throttled.get(&45).copied().unwrap_or(0);
    assert!(served_45 >= 1);
    assert_eq!(counters.duplicates_refused, 1);

    // The event log and the audit log both tell the story.
    for source in [log_arg.as_str(), "--audit"] {
        let report = analyze(&[source], &pairs);
        let finding = |kind: &str| finding(&report, kind, source);
        let wrong_org = finding("wrong_organization");
        assert_eq!(wrong_org["counts"]["code_6041"], 3, "{wrong_org:#}");
        let quota = finding("quota_exhausted");
        assert_eq!(quota["counts"]["code_45"], served_45, "{quota:#}");
        let duplicate = finding("possible_duplicate_create");
        assert!(
            duplicate["count"].as_u64().unwrap_or(0) >= 1,
            "{source}: {duplicate:#}"
        );
    }
    drop(sim);
}

/// A client that bunches its calls: an import whose pacing thinks a minute lasts one second,
/// against a simulator whose minute is a real minute. The simulator serves 429/44 once the
/// organization's 100 calls are spent; `logs analyze` finds the bunching and counts the 44s
/// the simulator served.
#[test]
fn finds_calls_bunched_past_the_limit_in_zbooks_own_logs() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.jsonl");
    // 250 contacts as JSON Lines of Zoho payloads: more than the 100 calls of a minute.
    let input = dir.path().join("contacts.jsonl");
    let mut lines = String::new();
    for i in 0..250 {
        lines.push_str(&serde_json::json!({"entity": "contact", "payload": {"contact_name": format!("Bunched {i:03}")}}).to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let fixture = input.to_str().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args([
            "--log-file",
            log.to_str().unwrap(),
            "import",
            fixture,
            "--minute",
            "1s",
        ])
        .env_clear()
        .env("NO_COLOR", "1")
        .envs(cli_env(&sim, dir.path()))
        .env("ZBOOKS_PLAN", "professional")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the simulator has refused a few calls with 44 (or give up after 30 s).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while sim.counters().throttled.get(&44).copied().unwrap_or(0) < 5
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Each event line is flushed as it is written; give the last ones a moment, then stop.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    let served_44 = sim.counters().throttled.get(&44).copied().unwrap_or(0);
    assert!(served_44 >= 5, "the simulator served {served_44} × 44");

    let report = analyze(&[log.to_str().unwrap()], &[("NO_COLOR", "1")]);
    let bunched = finding(&report, "bunched_calls", "event log");
    assert!(
        bunched["counts"]["peak_60s"].as_u64().unwrap_or(0) > 100,
        "{bunched:#}"
    );
    assert_eq!(bunched["counts"]["code_44"], served_44, "{bunched:#}");
    drop(sim);
}

/// An integration that took an access token once and keeps using it: zbooks-client with a
/// fixed access token (the one a refresh-token client minted and logged), writing the same
/// event log `--log-file` writes. The simulator and the client share a manual clock, so an hour
/// passes in an instant: the calls an hour later get 401/57, and `logs analyze` names the token
/// that was never refreshed.
#[test]
fn finds_a_token_never_refreshed_in_zbooks_client_logs() {
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

    use zbooks_client::store::{TokenKey, TokenStore as _};
    use zbooks_client::{Client, Credentials, LimitsConfig, Method};
    use zbooks_types::ManualClock;

    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000));
    let sim = SimThread::start(
        SimConfig {
            clock: Arc::new(clock.clone()),
            ..SimConfig::default()
        },
        1,
    );
    let demo = sim.demo();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.jsonl");
    let printer = zbooks_cli::printer::Printer::new(
        zbooks_cli::args::OutputFormat::Text,
        zbooks_cli::args::ColorChoice::Never,
        true,
        true,
    );
    let sink = Arc::new(zbooks_cli::logfile::LogFile::open(&log, printer).unwrap());
    let store = Arc::new(zbooks_client::store::MemoryStore::new());
    let build = |credentials: Credentials| {
        Client::builder()
            .accounts_url(sim.accounts_url())
            .api_url(sim.api_url())
            .organization_id(&demo.organization_id)
            .plan(zbooks_types::Plan::Professional)
            .credentials(credentials)
            .limits(LimitsConfig::disabled())
            .clock(Arc::new(clock.clone()))
            .store(store.clone())
            .event_sink(sink.clone())
            .build()
            .unwrap()
    };
    sim.block_on(async {
        // The token is minted (and logged) once, by a refresh-token client.
        let refreshing = build(Credentials::refresh_token(
            demo.client_id.clone(),
            demo.client_secret.clone(),
            demo.refresh_token.clone(),
        ));
        refreshing
            .request(Method::GET, "/contacts")
            .send()
            .await
            .unwrap();
        let key = TokenKey::for_refresh_token(
            &sim.accounts_url(),
            &demo.client_id,
            &zbooks_types::Secret::new(demo.refresh_token.clone()),
        );
        let token = store.load_token(&key).await.unwrap().unwrap().access_token;
        // The integration keeps that token and never refreshes it.
        let fixed = build(Credentials::access_token(token));
        for _ in 0..3 {
            fixed
                .request(Method::GET, "/contacts")
                .send()
                .await
                .unwrap();
        }
        clock.advance(Duration::from_mins(61));
        for _ in 0..4 {
            let err = fixed
                .request(Method::GET, "/contacts")
                .send()
                .await
                .unwrap_err();
            assert_eq!(err.code(), Some(57), "{err}");
        }
    });
    drop(sink);

    let report = analyze(&[log.to_str().unwrap()], &[("NO_COLOR", "1")]);
    let finding = finding(&report, "token_never_refreshed", "event log");
    assert_eq!(finding["counts"]["code_57_after_expiry"], 4, "{finding:#}");
    assert_eq!(finding["counts"]["tokens"], 1, "{finding:#}");
    drop(sim);
}

/// zbooks's own safe retry: an import whose creates lose their answer or meet a 500 defers
/// them, looks each up by its natural key, and only then sends it again. `logs analyze` on the
/// import's event log and on the audit log must not call that a possible duplicate.
#[test]
fn an_import_that_looks_up_before_sending_again_is_not_a_possible_duplicate() {
    let sim = SimThread::start(SimConfig::default(), 3);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.jsonl");
    let input = dir.path().join("contacts.jsonl");
    let mut lines = String::new();
    for i in 0..6 {
        lines.push_str(&serde_json::json!({"entity": "contact", "payload": {"contact_name": format!("Safe Retry {i}")}}).to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    sim.set_faults(vec![
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter)
            .named("lost answer")
            .nth(2),
        FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::Status {
                status: 500,
                body: None,
                code: Some(1000),
                message: Some("Internal error".into()),
            },
        )
        .named("server error")
        .nth(4),
    ]);
    let env = cli_env(&sim, dir.path());
    let mut pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("ZBOOKS_PLAN", "professional"));
    let log_arg = log.display().to_string();
    let run = zbooks_with(
        &[
            "--log-file",
            &log_arg,
            "import",
            input.to_str().unwrap(),
            "--defer",
            "200ms",
            "--settle",
            "0s",
        ],
        None,
        &pairs,
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // The 500 was served, the create deferred, looked up, then sent again: its key has a 500,
    // a lookup and a 201, in that order, in the event log.
    let events: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let failed = events
        .iter()
        .find(|e| e["method"] == "POST" && e["status"] == 500)
        .unwrap_or_else(|| panic!("no 500 in {events:#?}"));
    let key = failed["natural_key"].as_str().unwrap();
    let story: Vec<String> = events
        .iter()
        .filter(|e| e["natural_key"] == key)
        .map(|e| {
            format!(
                "{} {} {}",
                e["method"].as_str().unwrap(),
                e["status"],
                e["purpose"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert!(
        story
            .join(", ")
            .contains("POST 500 -, GET 200 lookup, POST 201 -"),
        "{key}: {story:?}"
    );
    let counters = sim.counters();
    assert!(
        counters.records_per_natural_key.values().all(|n| *n == 1),
        "{:?}",
        counters.records_per_natural_key
    );
    for source in [log_arg.as_str(), "--audit"] {
        let report = analyze(&[source], &pairs);
        let kinds: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        assert!(
            !kinds.contains(&"possible_duplicate_create"),
            "{source}: {report:#}"
        );
    }
    drop(sim);
}

/// `zbooks doctor` checks the `Bearer` header on purpose, and Zoho refuses it (401, code 14):
/// the event log and the audit log keep the refusal, marked as a probe, and `logs analyze`
/// counts the probes and reports nothing about them.
#[test]
fn doctors_deliberate_bearer_probe_is_not_a_finding() {
    let sim = SimThread::start(SimConfig::default(), 4);
    // The simulator accepts `Bearer` as Zoho's accounts documentation allows (its choices
    // table); Zoho Books refuses it for some. A fault plays that Zoho: the doctor's second
    // GET /organizations, its `Bearer` check, is answered 401/14.
    sim.set_faults(vec![
        FaultRule::on(
            "GET",
            "/books/v3/organizations",
            FaultAction::zoho(401, 14, "Invalid OAuth token."),
        )
        .named("bearer refused")
        .nth(2),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.jsonl");
    let env = cli_env(&sim, dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let log_arg = log.display().to_string();
    let run = zbooks_with(&["--log-file", &log_arg, "doctor"], None, &pairs);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("with HTTP 401/14"), "{}", run.stdout);
    let text = std::fs::read_to_string(&log).unwrap();
    let bearer: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["code"] == 14)
        .collect();
    assert_eq!(bearer.len(), 1, "{text}");
    assert_eq!(bearer[0]["purpose"], "probe", "{text}");
    for source in [log_arg.as_str(), "--audit"] {
        let report = analyze(&[source], &pairs);
        assert_eq!(
            report["findings"].as_array().unwrap().len(),
            0,
            "{source}: {report:#}"
        );
        assert!(
            report["totals"]["probes"].as_u64().unwrap() >= 1,
            "{source}: {report:#}"
        );
        assert!(
            report["codes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["code"] != 14),
            "{source}: {report:#}"
        );
    }
    drop(sim);
}
