//! The newcomer's first hour, end to end against a simulator started in this test: login with a
//! minted grant code, doctor all green, `call` creating a contact, `quota` showing it — and one
//! test per thing that goes wrong, each printing its specific fix. Each test has its own
//! simulator, data directory and config file, and no secret reaches any output or log.

#![expect(
    clippy::unwrap_used,
    reason = "the helpers below are part of the tests: a failure there is the test's failure"
)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;

use serde_json::Value;
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_login_env};

use crate::{Run, zbooks_with};

/// A simulator, a data directory and a config file, for one test.
struct World {
    sim: SimThread,
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        World {
            sim: SimThread::start(SimConfig::default(), 1),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("events.jsonl")
    }

    /// The environment of a user pointed at the simulator with the demo client.
    fn env(&self) -> Vec<(&'static str, String)> {
        cli_login_env(&self.sim, self.dir.path())
    }

    /// Runs zbooks with the world's environment, plus `extra` (which wins).
    fn run(&self, args: &[&str], extra: &[(&'static str, String)]) -> Run {
        let mut env = self.env();
        for (k, v) in extra {
            env.retain(|(name, _)| name != k);
            env.push((k, v.clone()));
        }
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        zbooks_with(args, None, &pairs)
    }

    /// `auth login` with a freshly minted grant code for `scopes` (full access when empty).
    fn login(&self, scopes: &[&str]) -> Run {
        let code = self.sim.mint_grant_code(scopes);
        let org = self.sim.demo().organization_id;
        self.run(&["auth", "login", "--code", &code, "--org", &org], &[])
    }

    /// Replaces what varies between runs: the simulator's address, paths, times, durations.
    fn normalize(&self, text: &str) -> String {
        let text = text
            .replace(&self.sim.accounts_url(), "http://[SIM]")
            .replace(&self.dir.path().display().to_string(), "[DIR]");
        mask_numbers_before(&text, &[" ms", " s", " min"])
    }
}

/// `12 ms` → `[N] ms` for each unit.
fn mask_numbers_before(text: &str, units: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find(|c: char| c.is_ascii_digit()) {
        let end = rest[pos..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(rest.len(), |e| pos + e);
        out.push_str(&rest[..pos]);
        let after = &rest[end..];
        let unit = units.iter().find(|u| {
            after.starts_with(**u)
                && after[u.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        });
        if unit.is_some() && !rest[..pos].ends_with(|c: char| c.is_alphanumeric()) {
            out.push_str("[N]");
        } else {
            out.push_str(&rest[pos..end]);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// One raw HTTP/1.1 POST to the simulator (revoking a token, spending the token window).
fn post(base: &str, path_and_query: &str) -> String {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST {path_and_query} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn json(run: &Run) -> Value {
    crate::data(&run.stdout)
}

/// Asserts that no secret the simulator handed out appears in `text`.
fn assert_no_secret(world: &World, text: &str) {
    let demo = world.sim.demo();
    for secret in [
        demo.client_secret.as_str(),
        demo.refresh_token.as_str(),
        "1000.simrefresh",
        "1000.simaccess",
        "1000.simcode",
    ] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
}

#[test]
fn the_first_hour_login_doctor_call_quota() {
    let world = World::new();
    let log = world.log_file().display().to_string();

    let login = world.login(&[]);
    assert_eq!(login.code, 0, "{}\n{}", login.stdout, login.stderr);
    assert!(login.stdout.contains("logged in:"), "{}", login.stdout);
    assert!(login.stdout.contains("60000000001"), "{}", login.stdout);
    assert!(
        login.stderr.contains("20 refresh tokens"),
        "{}",
        login.stderr
    );

    let doctor = world.run(&["doctor", "--log-file", &log], &[]);
    assert_eq!(doctor.code, 0, "{}\n{}", doctor.stdout, doctor.stderr);
    assert!(!doctor.stdout.contains("FAIL"), "{}", doctor.stdout);
    assert!(doctor.stdout.contains("0 failed"), "{}", doctor.stdout);

    let call = world.run(
        &[
            "call",
            "POST",
            "/contacts",
            "--data",
            r#"{"contact_name": "Bowman & Co"}"#,
            "--log-file",
            &log,
        ],
        &[],
    );
    assert_eq!(call.code, 0, "{}\n{}", call.stdout, call.stderr);
    let created: Value = serde_json::from_str(&call.stdout).unwrap();
    assert_eq!(created["code"], 0);
    assert_eq!(created["contact"]["contact_name"], "Bowman & Co");

    let quota = world.run(&["quota", "--format", "json"], &[]);
    assert_eq!(quota.code, 0, "{}", quota.stderr);
    let q = json(&quota);
    let org = &q["organizations"][0];
    assert_eq!(org["organization_id"], "60000000001");
    assert!(org["calls_today"].as_u64().unwrap() >= 1, "{q}");
    assert!(org["calls_this_minute"].as_u64().unwrap() >= 1, "{q}");
    assert_eq!(org["daily_limit"], 5000);
    let text = world.run(&["quota"], &[]);
    assert!(text.stdout.contains("60000000001"), "{}", text.stdout);
    assert!(
        text.stdout.contains("day resets (estimated)"),
        "{}",
        text.stdout
    );

    let status = world.run(&["auth", "status"], &[]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains("Demo Books"), "{}", status.stdout);
    assert!(status.stdout.contains("calls today"), "{}", status.stdout);

    // config show names the store as the source of the login's values, masked.
    let show = world.run(&["config", "show"], &[]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    let refresh_line = show
        .stdout
        .lines()
        .find(|l| l.starts_with("refresh_token"))
        .unwrap();
    assert!(refresh_line.contains("****"), "{refresh_line}");
    assert!(refresh_line.contains("(auth login)"), "{refresh_line}");

    // The simulator saw exactly one contact create.
    let creates = world
        .sim
        .request_log()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/contacts"))
        .count();
    assert_eq!(creates, 1);

    // The log file holds one JSON event per attempt, in the schema logs analyze reads.
    let events = std::fs::read_to_string(world.log_file()).unwrap();
    assert!(events.lines().count() >= 3, "{events}");
    for line in events.lines() {
        let event: zbooks_types::event::CallEvent = serde_json::from_str(line).unwrap();
        assert_eq!(event.schema, 1);
    }
    let analyzed = world.run(&["logs", "analyze", &log], &[]);
    assert_eq!(analyzed.code, 0, "{}", analyzed.stderr);

    let logout = world.run(&["auth", "logout"], &[]);
    assert_eq!(logout.code, 0, "{}", logout.stderr);
    assert!(logout.stdout.contains("revoked"), "{}", logout.stdout);
    let after = world.run(&["auth", "status"], &[]);
    assert_eq!(after.code, 3, "{}", after.stderr);
    assert!(after.stderr.contains("not logged in"), "{}", after.stderr);

    for run in [
        &login, &doctor, &call, &quota, &text, &status, &show, &logout, &after,
    ] {
        assert_no_secret(&world, &run.stdout);
        assert_no_secret(&world, &run.stderr);
    }
    assert_no_secret(&world, &events);
}

#[test]
fn doctor_finds_the_data_center_the_client_lives_in() {
    let world = World::new();
    let eu = world.sim.demo().other_dc_user;
    // The EU user's client, pointed at the default (India) accounts server.
    let run = world.run(
        &["doctor", "--format", "json"],
        &[
            ("ZBOOKS_CLIENT_ID", eu.client_id.clone()),
            ("ZBOOKS_CLIENT_SECRET", eu.client_secret.clone()),
            ("ZBOOKS_REFRESH_TOKEN", eu.refresh_token.clone()),
            ("ZBOOKS_ORG_ID", eu.organization_id.clone()),
        ],
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let v = json(&run);
    let refresh = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "refresh")
        .unwrap();
    assert_eq!(refresh["status"], "fail");
    assert!(
        refresh["summary"]
            .as_str()
            .unwrap()
            .contains("data center eu"),
        "{refresh}"
    );
    assert!(
        refresh["fix"].as_str().unwrap().contains("--dc eu"),
        "{refresh}"
    );
    insta::assert_snapshot!(
        "doctor_wrong_data_center_json",
        world.normalize(&run.stdout)
    );
    assert_no_secret(&world, &run.stdout);
    assert!(!run.stdout.contains(&eu.client_secret));
}

#[test]
fn doctor_names_the_organizations_of_the_user_when_the_id_is_someone_elses() {
    let world = World::new();
    assert_eq!(world.login(&[]).code, 0);
    let other = world.sim.demo().other_user.organization_id;
    let run = world.run(&["doctor"], &[("ZBOOKS_ORG_ID", other.clone())]);
    assert_eq!(run.code, 4, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "organization {other} is not one this user belongs to"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("60000000001 Demo Books"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("fix: set organization_id"),
        "{}",
        run.stdout
    );
}

#[test]
fn doctor_tells_a_revoked_refresh_token() {
    let world = World::new();
    let demo = world.sim.demo();
    let reply = post(
        &world.sim.accounts_url(),
        &format!("/oauth/v2/token/revoke?token={}", demo.refresh_token),
    );
    assert!(reply.contains("success"), "{reply}");
    let run = world.run(
        &["doctor"],
        &[
            ("ZBOOKS_REFRESH_TOKEN", demo.refresh_token.clone()),
            ("ZBOOKS_ORG_ID", demo.organization_id.clone()),
        ],
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("the refresh token is revoked or wrong (invalid_code)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("fix: run `zbooks auth login`"),
        "{}",
        run.stdout
    );
    assert_no_secret(&world, &run.stdout);
}

#[test]
fn doctor_tells_a_throttled_accounts_server() {
    let world = World::new();
    let demo = world.sim.demo();
    // Another integration spends the refresh token's 10 requests in 10 minutes.
    for _ in 0..10 {
        post(
            &world.sim.accounts_url(),
            &format!(
                "/oauth/v2/token?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
                demo.client_id, demo.client_secret, demo.refresh_token
            ),
        );
    }
    let run = world.run(
        &["doctor"],
        &[
            ("ZBOOKS_REFRESH_TOKEN", demo.refresh_token.clone()),
            ("ZBOOKS_ORG_ID", demo.organization_id.clone()),
        ],
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let flat = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("throttles token requests"), "{}", run.stdout);
    assert!(
        flat.contains("10 token requests per refresh token"),
        "{}",
        run.stdout
    );
    assert_no_secret(&world, &run.stdout);
}

#[test]
fn doctor_names_the_missing_scopes() {
    let world = World::new();
    let login = world.login(&["ZohoBooks.contacts.ALL", "ZohoBooks.settings.ALL"]);
    assert_eq!(login.code, 0, "{}", login.stderr);
    let run = world.run(&["doctor"], &[]);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    let scopes = run
        .stdout
        .lines()
        .skip_while(|l| !l.contains("scopes"))
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(scopes.contains("ZohoBooks.invoices.READ"), "{}", run.stdout);
    assert!(
        !scopes.contains("ZohoBooks.contacts.READ"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("auth login` again"), "{}", run.stdout);
}

#[test]
fn call_refuses_a_malformed_body_and_sends_nothing() {
    let world = World::new();
    assert_eq!(world.login(&[]).code, 0);
    let before = world.sim.request_log().len();
    let run = world.run(
        &[
            "call",
            "POST",
            "/contacts",
            "--data",
            "{\n  \"contact_name\": \"A\",\n}",
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(world.sim.request_log().len(), before, "something was sent");
    insta::assert_snapshot!("call_malformed_body_stderr", run.stderr);
}

#[test]
fn a_wrong_header_scheme_gets_its_fix() {
    let world = World::new();
    assert_eq!(world.login(&[]).code, 0);
    let canary = "1000.canaryheader0123456789abcdef.zz";
    let run = world.run(
        &[
            "doctor",
            "--header",
            &format!("Authorization: Basic {canary}"),
        ],
        &[],
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Basic"), "{}", run.stdout);
    // Bearer is documented by Zoho Accounts: a warning naming Books' own form, not a failure.
    let bearer = world.run(
        &[
            "doctor",
            "--header",
            &format!("Authorization: Bearer {canary}"),
        ],
        &[],
    );
    assert_eq!(bearer.code, 0, "{}\n{}", bearer.stdout, bearer.stderr);
    assert!(
        bearer.stdout.contains("Zoho Accounts documents Bearer"),
        "{}",
        bearer.stdout
    );
    assert!(!bearer.stdout.contains("canaryheader"), "{}", bearer.stdout);
    assert!(
        run.stdout
            .contains("`Authorization: Zoho-oauthtoken <access token>`"),
        "{}",
        run.stdout
    );
    let call = world.run(
        &[
            "call",
            "GET",
            "/contacts",
            "-H",
            &format!("Authorization: Bearer {canary}"),
        ],
        &[],
    );
    assert_eq!(call.code, 2, "{}", call.stderr);
    assert!(call.stderr.contains("Zoho-oauthtoken"), "{}", call.stderr);
    for text in [&run.stdout, &run.stderr, &call.stdout, &call.stderr] {
        assert!(!text.contains("canaryheader"), "{text}");
    }
}

#[test]
fn errors_render_with_cause_hint_and_exit_code() {
    let world = World::new();
    assert_eq!(world.login(&[]).code, 0);
    let body = r#"{"contact_name": "Twice Ltd"}"#;
    assert_eq!(
        world
            .run(&["call", "POST", "/contacts", "-d", body], &[])
            .code,
        0
    );
    let run = world.run(&["call", "POST", "/contacts", "-d", body], &[]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    insta::assert_snapshot!("call_duplicate_stderr", world.normalize(&run.stderr));
    // Without an organization, nothing is sent and the hint says where to set one.
    let before = world.sim.request_log().len();
    let run = world.run(
        &["call", "GET", "/contacts"],
        &[
            ("ZBOOKS_PROFILE", "ci".to_owned()),
            ("ZBOOKS_REFRESH_TOKEN", world.sim.demo().refresh_token),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ZBOOKS_ORG_ID"), "{}", run.stderr);
    assert_eq!(world.sim.request_log().len(), before);
    // Without any login, the hint says how to log in.
    let run = world.run(
        &["call", "GET", "/contacts"],
        &[("ZBOOKS_PROFILE", "ci".to_owned())],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("zbooks auth login"), "{}", run.stderr);
}

#[test]
fn a_canary_secret_appears_in_no_output_or_log() {
    let world = World::new();
    let canary_secret = "canary-secret-0123456789abcdef";
    let canary_refresh = "1000.canaryrefresh.0123456789abcdef";
    let log = world.log_file().display().to_string();
    let extra = [
        ("ZBOOKS_CLIENT_SECRET", canary_secret.to_owned()),
        ("ZBOOKS_REFRESH_TOKEN", canary_refresh.to_owned()),
        ("ZBOOKS_ORG_ID", "60000000001".to_owned()),
    ];
    let mut texts = Vec::new();
    for args in [
        &["config", "show"][..],
        &["config", "show", "--format", "json"],
        &["doctor", "--log-file", &log],
        &["doctor", "--format", "json", "--log-file", &log],
        &["call", "GET", "/contacts", "--log-file", &log],
        &["call", "GET", "/contacts", "-i", "--format", "json"],
        &["auth", "status", "--log-file", &log],
        &["auth", "status", "--format", "json"],
        &["quota"],
        &["config", "set", "plan", "standard"],
        &["config", "init", "--dc", "in", "--org", "60000000001"],
        &["config", "unset", "plan", "--format", "json"],
        &["auth", "logout"],
    ] {
        let run = world.run(args, &extra);
        assert_ne!(run.code, 101, "{args:?} panicked: {}", run.stderr);
        texts.push(run.stdout);
        texts.push(run.stderr);
    }
    texts.push(std::fs::read_to_string(world.log_file()).unwrap_or_default());
    for text in &texts {
        assert!(!text.contains("canary"), "a canary leaked:\n{text}");
        assert_no_secret(&world, text);
    }
}

#[test]
fn help_texts() {
    for (name, args) in [
        ("auth_login_help", &["auth", "login", "--help"][..]),
        ("doctor_help", &["doctor", "--help"]),
        ("call_help", &["call", "--help"]),
        ("quota_help", &["quota", "--help"]),
    ] {
        let run = zbooks_with(args, None, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn doctor_tells_a_clock_minutes_off_the_servers() {
    let world = World::new();
    assert_eq!(world.login(&[]).code, 0);
    // Zoho's clock ten minutes ahead of this machine's: the server's `Date` says so.
    world.sim.advance_clock(std::time::Duration::from_mins(10));
    let run = world.run(&["doctor", "--format", "json"], &[]);
    // The machine's configuration is at fault: exit 2.
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let v = json(&run);
    let clock = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "clock")
        .unwrap();
    assert_eq!(clock["status"], "fail", "{clock}");
    assert!(
        clock["summary"]
            .as_str()
            .unwrap()
            .contains("behind the server's Date"),
        "{clock}"
    );
    assert!(clock["fix"].as_str().unwrap().contains("NTP"), "{clock}");
    // Every other check still passes: the skew is the one problem.
    let failing: Vec<&Value> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .collect();
    assert_eq!(failing.len(), 1, "{failing:?}");
}

#[test]
fn login_of_a_user_of_several_organizations_from_a_pipe_names_the_choices_and_picks_none() {
    let world = World::new();
    let d = world.sim.demo();
    let code = world.sim.mint_grant_code(&[]);
    let run = world.run(&["auth", "login", "--code", &code], &[]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    for needle in [
        d.organization_id.as_str(),
        "Demo Books Pvt Ltd",
        d.trial_expired_organization_id.as_str(),
        "Expired Trial Traders",
        "--org",
    ] {
        assert!(run.stderr.contains(needle), "{needle}:\n{}", run.stderr);
    }
    assert_no_secret(&world, &format!("{}{}", run.stdout, run.stderr));
    // Nothing was chosen for the user: the login has no organization.
    let status = world.run(&["auth", "status", "--format", "json"], &[]);
    assert_eq!(
        json(&status)["organization_id"],
        Value::Null,
        "{}",
        status.stdout
    );
}

#[test]
fn login_of_a_user_of_one_organization_keeps_that_one() {
    let world = World::new();
    let other = world.sim.demo().other_user;
    let code = world
        .sim
        .mint_grant_code_for(&other.client_id, &[])
        .unwrap();
    let env = [
        ("ZBOOKS_CLIENT_ID", other.client_id.clone()),
        ("ZBOOKS_CLIENT_SECRET", other.client_secret.clone()),
    ];
    let run = world.run(&["auth", "login", "--code", &code], &env);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let status = world.run(&["auth", "status", "--format", "json"], &env);
    assert_eq!(
        json(&status)["organization_id"],
        other.organization_id.as_str(),
        "{}",
        status.stdout
    );
}

#[test]
fn doctor_warns_of_zohos_6024_when_no_organization_is_set_and_the_user_has_several() {
    let world = World::new();
    let d = world.sim.demo();
    let code = world.sim.mint_grant_code(&[]);
    assert_eq!(world.run(&["auth", "login", "--code", &code], &[]).code, 2);
    let run = world.run(&["doctor"], &[]);
    let text = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "belongs to 2 organizations",
        "6024",
        &format!("{} Demo Books Pvt Ltd", d.organization_id),
        &format!("{} Expired Trial Traders", d.trial_expired_organization_id),
    ] {
        assert!(text.contains(needle), "{needle}:\n{}", run.stdout);
    }
}
