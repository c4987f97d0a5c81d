//! `zbooks config init|set|unset` end to end against a simulator started in each test: init
//! asks for the sign-in address and the organization (several listed and one chosen, the only
//! one confirmed, `--org` asking nothing) and writes the config file; set and unset round-trip
//! through the file that `config show` reads back; bad keys and values are refused by name.

#![expect(
    clippy::unwrap_used,
    reason = "the helpers below are part of the tests: a failure there is the test's failure"
)]

use std::path::PathBuf;

use serde_json::Value;
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_login_env};

use crate::{Run, zbooks_with};

/// A simulator, a data directory and a config file, for one test.
struct World {
    sim: SimThread,
    dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
}

impl World {
    fn new() -> World {
        let sim = SimThread::start(SimConfig::default(), 1);
        let dir = tempfile::tempdir().unwrap();
        // Made once: it writes an empty config file.
        let env = cli_login_env(&sim, dir.path());
        World { sim, dir, env }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    fn config_text(&self) -> String {
        std::fs::read_to_string(self.config()).unwrap()
    }

    /// Runs zbooks as the demo user pointed at the simulator, `extra` variables winning,
    /// `stdin` piped in when given.
    fn run(&self, args: &[&str], stdin: Option<&str>, extra: &[(&'static str, String)]) -> Run {
        let mut env = self.env.clone();
        for (k, v) in extra {
            env.retain(|(name, _)| name != k);
            env.push((k, v.clone()));
        }
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        zbooks_with(args, stdin.map(str::as_bytes), &pairs)
    }

    /// Asserts that no secret the simulator handed out appears in `run`'s output.
    fn assert_no_secret(&self, run: &Run) {
        let demo = self.sim.demo();
        let shown = format!("{}{}", run.stdout, run.stderr);
        for secret in [
            demo.client_secret.as_str(),
            demo.refresh_token.as_str(),
            "1000.simrefresh",
            "1000.simaccess",
        ] {
            assert!(!shown.contains(secret), "{secret} leaked:\n{shown}");
        }
    }
}

fn json(run: &Run) -> Value {
    crate::data(&run.stdout)
}

/// The value and source `config show --format json` gives for `key`.
fn shown(world: &World, key: &str) -> (Value, String) {
    let run = world.run(&["config", "show", "--format", "json"], None, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = json(&run);
    let row = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap()
        .clone();
    (
        row["value"].clone(),
        row["source"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn config_init_for_a_user_of_several_organizations_asks_and_saves_the_chosen_one() {
    let world = World::new();
    let d = world.sim.demo();
    // From a pipe with no --org, the login is kept but no organization is chosen (exit 2).
    let code = world.sim.mint_grant_code(&[]);
    let login = world.run(&["auth", "login", "--code", &code], None, &[]);
    assert_eq!(login.code, 2, "{}\n{}", login.stdout, login.stderr);
    assert!(
        login.stderr.contains("zbooks config init"),
        "{}",
        login.stderr
    );

    let run = world.run(&["config", "init"], Some("accounts.zoho.in\n2\n"), &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let flat = run.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Which address do you sign in to Zoho at?",
        "data center: in (India)",
        "this user belongs to 2 organizations",
        &format!("1. {} Demo Books Pvt Ltd", d.organization_id),
        &format!(
            "2. {} Expired Trial Traders",
            d.trial_expired_organization_id
        ),
        "which one (number or id)?",
        "plan: Standard (from Zoho)",
    ] {
        assert!(flat.contains(needle), "{needle}:\n{}", run.stderr);
    }
    assert!(run.stdout.contains("Next: zbooks doctor"), "{}", run.stdout);
    world.assert_no_secret(&run);
    let text = world.config_text();
    assert!(text.contains("[profiles.default]"), "{text}");
    assert!(text.contains("dc = \"in\""), "{text}");
    assert!(
        text.contains(&format!(
            "organization_id = \"{}\"",
            d.trial_expired_organization_id
        )),
        "{text}"
    );
    // zbooks reads back what it wrote, and the file now outranks the login.
    let (org, source) = shown(&world, "organization_id");
    assert_eq!(org, d.trial_expired_organization_id.as_str());
    assert!(source.starts_with("config "), "{source}");
}

#[test]
fn config_init_never_chooses_for_the_user_when_no_answer_comes() {
    let world = World::new();
    let code = world.sim.mint_grant_code(&[]);
    assert_eq!(
        world
            .run(&["auth", "login", "--code", &code], None, &[])
            .code,
        2
    );
    // The sign-in address given, the organization question unanswered: an error, nothing saved.
    let run = world.run(
        &["config", "init", "--sign-in", "accounts.zoho.in"],
        None,
        &[],
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("standard input ended"),
        "{}",
        run.stderr
    );
    assert!(
        !world.config_text().contains("organization_id"),
        "{}",
        world.config_text()
    );
}

#[test]
fn config_init_confirms_the_only_organization() {
    let world = World::new();
    let other = world.sim.demo().other_user;
    let env = [
        ("ZBOOKS_CLIENT_ID", other.client_id.clone()),
        ("ZBOOKS_CLIENT_SECRET", other.client_secret.clone()),
    ];
    let code = world
        .sim
        .mint_grant_code_for(&other.client_id, &[])
        .unwrap();
    assert_eq!(
        world
            .run(&["auth", "login", "--code", &code], None, &env)
            .code,
        0
    );
    let run = world.run(&["config", "init", "--sign-in", "in"], Some("y\n"), &env);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("use it? [Y/n]"), "{}", run.stderr);
    assert!(
        world
            .config_text()
            .contains(&format!("organization_id = \"{}\"", other.organization_id)),
        "{}",
        world.config_text()
    );
    // Declined: nothing saved for the organization.
    let run = world.run(&["config", "init", "--sign-in", "in"], Some("n\n"), &env);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no organization"), "{}", run.stdout);
}

#[test]
fn config_init_with_org_asks_nothing_and_checks_it_against_zoho() {
    let world = World::new();
    let d = world.sim.demo();
    let code = world.sim.mint_grant_code(&[]);
    world.run(&["auth", "login", "--code", &code], None, &[]);
    let run = world.run(
        &[
            "config",
            "init",
            "--dc",
            "in",
            "--org",
            &d.organization_id,
            "--format",
            "json",
        ],
        None,
        &[],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let v = json(&run);
    assert_eq!(v["organization_id"], d.organization_id.as_str());
    assert_eq!(v["dc"], "in");
    assert_eq!(v["plan"]["source"], "zoho");
    assert_eq!(v["plan"]["name"], "professional");
    // Someone else's organization is refused, with the ones this login can use.
    let run = world.run(
        &[
            "config",
            "init",
            "--dc",
            "in",
            "--org",
            &d.other_user.organization_id,
        ],
        None,
        &[],
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("Demo Books Pvt Ltd"), "{}", run.stderr);
}

#[test]
fn config_set_and_unset_round_trip_through_the_file() {
    let world = World::new();
    std::fs::write(
        world.config(),
        "# kept\n[profiles.default]\nclient_id = \"1000.SIMCLIENTDEMO\" # the demo client\n",
    )
    .unwrap();
    for (key, value, written) in [
        ("dc", "accounts.zoho.com.au", "dc = \"au\""),
        (
            "organization_id",
            "60012345678",
            "organization_id = \"60012345678\"",
        ),
        ("plan", "Professional", "plan = \"professional\""),
    ] {
        let run = world.run(&["config", "set", key, value], None, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            world.config_text().contains(written),
            "{}",
            world.config_text()
        );
    }
    let text = world.config_text();
    assert!(text.starts_with("# kept\n"), "{text}");
    assert!(text.contains("# the demo client"), "{text}");
    assert_eq!(shown(&world, "plan").0, "professional");
    assert_eq!(shown(&world, "dc").0, "au (Australia)");

    let run = world.run(&["config", "unset", "plan", "--format", "json"], None, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run)["previous"], "professional");
    assert!(
        !world.config_text().contains("plan"),
        "{}",
        world.config_text()
    );
    assert_eq!(shown(&world, "plan").0, "(not set)");
    // Unsetting again is no error.
    let run = world.run(&["config", "unset", "plan"], None, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("was not set"), "{}", run.stdout);
}

#[test]
fn config_set_refuses_unknown_keys_bad_values_and_secrets_by_name() {
    let world = World::new();
    for (args, needle) in [
        (
            &["config", "set", "colour", "blue"][..],
            "valid keys: dc, organization_id, plan",
        ),
        (&["config", "set", "dc", "mars"], "unknown data center"),
        (&["config", "set", "plan", "gold"], "valid plans are free"),
        (
            &["config", "set", "organization_id", "60012a"],
            "digits only",
        ),
        (&["config", "set", "client_secret", "x"], "secret"),
        (&["config", "unset", "colour"], "valid keys"),
    ] {
        let run = world.run(args, None, &[]);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(needle),
            "{args:?}: {needle}:\n{}",
            run.stderr
        );
    }
    assert_eq!(world.config_text(), "", "nothing was written");
}

#[test]
fn config_help_shows_the_file_format() {
    let run = zbooks_with(&["config", "--help"], None, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("config_help", run.stdout);
}
