//! Two machines, one organization: two `zbooks import` processes with separate homes (so
//! separate SQLite stores and lock folders, as on two hosts) pointed at one Redis by
//! `ZBOOKS_STATE` share one budget and one token (issue 16). Alone, each would pace itself at
//! the whole per-minute limit and together draw 429s; sharing, the simulator answers no 429,
//! one token request serves both, and Redis counted every call either of them made.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::fmt::Write as _;
use std::hash::{BuildHasher as _, Hasher as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use zbooks_client::store::{LimitStore as _, StoredToken, TokenKey, TokenStore as _};
use zbooks_redis::{RedisOptions, RedisStore};
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env};
use zbooks_types::Secret;

fn contacts(machine: &str, n: usize) -> String {
    let mut csv = String::from("Display Name,Contact Type\n");
    for i in 0..n {
        let _ = writeln!(csv, "{machine} Customer {i:03},customer");
    }
    csv
}

fn import(zoho: &SimThread, home: &Path, state: &str, csv: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zbooks"));
    cmd.args([
        "import",
        csv.to_str().unwrap(),
        "--minute",
        "500ms",
        "--settle",
        "0s",
    ])
    .env_clear()
    .envs(cli_env(zoho, home))
    .env("NO_COLOR", "1")
    .env("HOME", home)
    .env("ZBOOKS_PLAN", "professional")
    .env("ZBOOKS_STATE", state)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    cmd
}

#[test]
fn two_machines_on_one_redis_share_the_budget_and_the_token() {
    let zoho = SimThread::start(
        SimConfig {
            minute: Duration::from_millis(500),
            seed: 16,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    );
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let prefix = format!("zbooks-test:{:016x}:", hasher.finish());
    let state = format!("redis://127.0.0.1:6379/0?prefix={prefix}");
    // The connection manager lives on a runtime: the simulator's.
    let options = RedisOptions::new("redis://127.0.0.1:6379/0").prefix(&prefix);
    let redis = zoho.block_on(async { RedisStore::open(&options) }).unwrap();
    zoho.block_on(redis.ping()).unwrap_or_else(|e| {
        panic!("Redis does not answer on 127.0.0.1:6379 ({e}); see README, Shared state on Redis")
    });

    let homes = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let n = 70;
    let children: Vec<_> = homes
        .iter()
        .zip(["East", "West"])
        .map(|(home, machine)| {
            let csv = home.path().join("contacts.csv");
            std::fs::write(&csv, contacts(machine, n)).unwrap();
            import(&zoho, home.path(), &state, &csv).spawn().unwrap()
        })
        .collect();
    let runs: Vec<_> = children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    let org = zoho.demo().organization_id;
    let snapshot = zoho.block_on(redis.snapshot(&org, SystemTime::UNIX_EPOCH));
    // `zbooks quota` on a third "machine": the shared budget and who used it.
    let quota = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_zbooks"))
            .args(["quota", "--format", format])
            .env_clear()
            .envs(cli_env(&zoho, homes[0].path()))
            .env("NO_COLOR", "1")
            .env("HOME", homes[0].path())
            .env("ZBOOKS_STATE", &state)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let (json, text) = (quota("json"), quota("text"));
    zoho.block_on(redis.delete_all()).unwrap();

    for run in &runs {
        assert!(
            run.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let counters = zoho.counters();
    assert!(counters.throttled.is_empty(), "{:?}", counters.throttled);
    assert_eq!(counters.token_requests, 1, "{counters:?}");
    for machine in ["East", "West"] {
        for i in 0..n {
            let key = format!("{org}:contacts:contact_name={machine} Customer {i:03}");
            assert_eq!(
                counters.records_per_natural_key.get(&key),
                Some(&1),
                "{key}"
            );
        }
    }
    // Every API call of both processes went through the shared ledger.
    let used = snapshot.unwrap().daily.unwrap().used;
    assert_eq!(
        u64::from(used),
        counters.requests - counters.token_requests,
        "{counters:?}"
    );

    // Who used it: both processes, by name, their calls adding up to the ledger's.
    let quota: serde_json::Value = serde_json::from_str(&json).unwrap();
    let data = &quota["data"];
    assert_eq!(data["shared"], true, "{json}");
    assert!(
        !data["store"].as_str().unwrap().contains("hunter"),
        "{json}"
    );
    let org_row = &data["organizations"][0];
    assert_eq!(org_row["organization_id"], org.as_str(), "{json}");
    assert_eq!(org_row["calls_today"], used, "{json}");
    let who = org_row["participants"].as_array().unwrap();
    assert_eq!(who.len(), 2, "{json}");
    let mut total = 0;
    for (w, child) in who.iter().zip(0..) {
        let name = w["name"].as_str().unwrap();
        assert!(
            name.starts_with("import on ") && name.contains(" pid "),
            "{name} ({child})"
        );
        assert!(text.contains(name), "{text}");
        assert_eq!(w["in_flight"], 0, "{json}");
        total += w["calls_today"].as_u64().unwrap();
    }
    assert_eq!(total, u64::from(used), "{json}");
    assert!(text.contains("shared by every machine"), "{text}");
    assert!(text.contains("last minute"), "{text}");
}

#[test]
fn two_machines_finding_the_shared_token_expired_make_one_token_request() {
    let zoho = SimThread::start(
        SimConfig {
            minute: Duration::from_millis(500),
            seed: 17,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    );
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let prefix = format!("zbooks-test:{:016x}:", hasher.finish());
    let state = format!("redis://127.0.0.1:6379/0?prefix={prefix}");
    let options = RedisOptions::new("redis://127.0.0.1:6379/0").prefix(&prefix);
    let redis = zoho.block_on(async { RedisStore::open(&options) }).unwrap();
    // The shared token expired a minute ago (as after a night without calls).
    let demo = zoho.demo();
    let key = TokenKey::for_refresh_token(
        &zoho.accounts_url(),
        &demo.client_id,
        &Secret::new(demo.refresh_token.clone()),
    );
    // The processes read the real clock; so does this test.
    let now = zbooks_types::Clock::now(&zbooks_types::SystemClock);
    let expired = StoredToken {
        access_token: Secret::new("1000.expired.access"),
        expires_at: now - Duration::from_mins(1),
        api_domain: None,
        lifetime: Some(Duration::from_hours(1)),
    };
    zoho.block_on(redis.save_token(&key, &expired))
        .unwrap_or_else(|e| panic!("Redis does not answer on 127.0.0.1:6379 ({e})"));

    let homes = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    // Started together: both find the token expired at once and race for the refresh.
    let children: Vec<_> = homes
        .iter()
        .zip(["East", "West"])
        .map(|(home, machine)| {
            let csv = home.path().join("contacts.csv");
            std::fs::write(&csv, contacts(machine, 5)).unwrap();
            import(&zoho, home.path(), &state, &csv).spawn().unwrap()
        })
        .collect();
    let runs: Vec<_> = children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    let fresh = zoho.block_on(redis.load_token(&key));
    zoho.block_on(redis.delete_all()).unwrap();

    for run in &runs {
        assert!(
            run.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let counters = zoho.counters();
    assert_eq!(counters.token_requests, 1, "{counters:?}");
    assert!(counters.throttled.is_empty(), "{:?}", counters.throttled);
    // The one refresh replaced the expired token for both.
    let fresh = fresh.unwrap().unwrap();
    assert!(fresh.expires_at > now, "{fresh:?}");
}

#[test]
fn a_state_url_that_is_not_redis_is_a_usage_error_naming_it_without_its_password() {
    let home = tempfile::tempdir().unwrap();
    let run = crate::zbooks_with(
        &["call", "GET", "/contacts", "--dc", "in", "--org", "600"],
        None,
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("ZBOOKS_CLIENT_ID", "1000.X"),
            ("ZBOOKS_CLIENT_SECRET", "s"),
            ("ZBOOKS_REFRESH_TOKEN", "1000.r"),
            ("ZBOOKS_STATE", "postgres://app:hunter2@db/zbooks"),
        ],
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("shared state postgres://app:***@db/zbooks"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("redis://"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}
