//! Two machines, one organization: two `zbooks import` processes with separate homes (so
//! separate SQLite stores and lock folders, as on two hosts) pointed at one Redis by
//! `ZBOOKS_STATE` share one budget and one token (issue 16). Alone, each would pace itself at
//! the whole per-minute limit and together draw 429s; sharing, the simulator answers no 429,
//! one token request serves both, and Redis counted every call either of them made. The same
//! with the state on PostgreSQL (each test in a schema of its own), which also holds the audit
//! log then, and the import queue beside it for workers on two machines.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::fmt::Write as _;
use std::hash::{BuildHasher as _, Hasher as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use zbooks_client::store::{LimitStore as _, StoredToken, TokenKey, TokenStore as _};
use zbooks_pg::PgStore;
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
    let zoho = half_second_zoho();
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let prefix = format!("zbooks-test:{:016x}:", hasher.finish());
    let state = format!("redis://127.0.0.1:6379/0?prefix={prefix}");
    // The connection manager lives on a runtime: the simulator's.
    let options = RedisOptions::new("redis://127.0.0.1:6379/0").prefix(&prefix);
    let redis = zoho.block_on(async { RedisStore::open(&options) }).unwrap();
    zoho.block_on(redis.ping()).unwrap_or_else(|e| {
        panic!("Redis does not answer on 127.0.0.1:6379 ({e}); see README, Running across machines")
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

/// A simulator whose minute lasts half a second, without rate-limit headers (so only the
/// shared ledger counts calls).
fn half_second_zoho() -> SimThread {
    SimThread::start(
        SimConfig {
            minute: Duration::from_millis(500),
            seed: 16,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    )
}

#[test]
fn two_machines_on_one_postgres_share_the_budget_and_the_token() {
    crate::journal_pg::in_schema(|schema| {
        let zoho = half_second_zoho();
        let state = format!(
            "{}?options=-c%20search_path%3D{schema}",
            crate::journal_pg::URL
        );
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
        for run in &runs {
            assert!(
                run.status.success(),
                "{}\n{}",
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            );
        }
        let org = zoho.demo().organization_id;
        let (snapshot, participants) = zoho.block_on(async {
            let pg = PgStore::connect(&state).await.unwrap().state();
            (
                pg.snapshot(&org, SystemTime::UNIX_EPOCH).await.unwrap(),
                pg.participants(&org, zbooks_types::Clock::now(&zbooks_types::SystemClock))
                    .await
                    .unwrap(),
            )
        });
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
        // Every API call of both processes went through the shared ledger, each counted
        // under its own name.
        let used = snapshot.daily.unwrap().used;
        assert_eq!(
            u64::from(used),
            counters.requests - counters.token_requests,
            "{counters:?}"
        );
        assert_eq!(participants.len(), 2, "{participants:?}");
        assert!(
            participants
                .iter()
                .all(|p| p.name.starts_with("import on ")),
            "{participants:?}"
        );
        let counted: u32 = participants.iter().map(|p| p.calls_today).sum();
        assert_eq!(counted, used, "{participants:?}");
    });
}

#[test]
fn with_the_state_on_postgres_the_audit_log_is_there_for_every_machine() {
    audit_log_on_postgres("ZBOOKS_STATE");
}

#[test]
fn with_the_journal_on_postgres_the_audit_log_is_there_for_every_machine() {
    audit_log_on_postgres("ZBOOKS_JOURNAL");
}

/// Two machines' failed calls land in the audit log on the PostgreSQL database `var` names,
/// none in their own stores, and `logs analyze --audit` on either reads them all.
fn audit_log_on_postgres(var: &'static str) {
    crate::journal_pg::in_schema(|schema| {
        let zoho = SimThread::start(SimConfig::default(), 1);
        let demo = zoho.demo();
        let state = format!(
            "{}?options=-c%20search_path%3D{schema}",
            crate::journal_pg::URL
        );
        let homes = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        // A wrong organization id from each machine: Zoho answers 6041, not retried.
        for home in &homes {
            let env = cli_env(&zoho, home.path());
            let mut pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            pairs.push((var, &state));
            let other = demo.other_user.organization_id.as_str();
            let run =
                crate::zbooks_with(&["call", "GET", "/contacts", "--org", other], None, &pairs);
            assert_eq!(run.code, 4, "{}", run.stderr);
        }
        let rows = zoho.block_on(async {
            let pg = PgStore::connect(&state).await.unwrap();
            pg.audit_log(10).await.unwrap()
        });
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows.iter().all(|e| e.code == Some(6041)), "{rows:?}");
        // Nothing went to either machine's own store; `logs analyze --audit` on one machine
        // reads both.
        let env = cli_env(&zoho, homes[0].path());
        let mut pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.push((var, &state));
        let run = crate::zbooks_with(
            &["logs", "analyze", "--audit", "--format", "json"],
            None,
            &pairs,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let report = crate::data(&run.stdout);
        let wrong = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == "wrong_organization")
            .cloned()
            .unwrap_or_else(|| panic!("{report:#}"));
        assert_eq!(wrong["counts"]["code_6041"], 2, "{wrong:#}");
        for home in &homes {
            let local = zbooks_store::SqliteStore::open(
                home.path()
                    .join("data")
                    .join(zbooks_store::SqliteStore::FILE_NAME),
            )
            .unwrap();
            assert_eq!(zoho.block_on(local.audit_log(10)).unwrap(), []);
        }
    });
}

#[test]
fn a_state_url_that_is_neither_redis_nor_postgres_is_a_usage_error_naming_it_without_its_password()
{
    let home = tempfile::tempdir().unwrap();
    let run = crate::zbooks_with(
        &["call", "GET", "/contacts", "--dc", "in", "--org", "600"],
        None,
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("ZBOOKS_CLIENT_ID", "1000.X"),
            ("ZBOOKS_CLIENT_SECRET", "s"),
            ("ZBOOKS_REFRESH_TOKEN", "1000.r"),
            ("ZBOOKS_STATE", "mysql://app:hunter2@db/zbooks"),
        ],
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("shared state mysql://app:***@db/zbooks"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("redis://") && run.stderr.contains("postgres://"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}

#[test]
fn an_unreachable_postgres_state_is_an_error_that_keeps_the_password_out() {
    let home = tempfile::tempdir().unwrap();
    let run = crate::zbooks_with(
        &["call", "GET", "/contacts", "--dc", "in", "--org", "600"],
        None,
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("ZBOOKS_CLIENT_ID", "1000.X"),
            ("ZBOOKS_CLIENT_SECRET", "s"),
            ("ZBOOKS_REFRESH_TOKEN", "1000.r"),
            ("ZBOOKS_STATE", "postgres://app:hunter2@127.0.0.1:1/zbooks"),
        ],
    );
    assert_ne!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("shared state postgres://app:***@127.0.0.1:1/zbooks"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}

#[test]
fn one_postgres_holds_everything_for_workers_on_two_machines() {
    crate::journal_pg::in_schema(|schema| {
        let zoho = crate::import::Zoho::start(17);
        // The queue and the shared state in one database.
        let url = format!(
            "{}?options=-c%20search_path%3D{schema}",
            crate::journal_pg::URL
        );
        let homes = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let n = 60;
        let file = homes[0].path().join("contacts.csv");
        std::fs::write(&file, contacts("Queue", n)).unwrap();
        // Enqueueing lists Zoho first (what is there already is enqueued done), through the
        // same shared state, so its token serves the workers too.
        let enqueued = zoho
            .command(
                homes[0].path(),
                &["import", file.to_str().unwrap(), "--queue", &url],
            )
            .env("ZBOOKS_STATE", &url)
            .output()
            .unwrap();
        assert_eq!(
            enqueued.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&enqueued.stderr)
        );
        let workers: Vec<_> = homes
            .iter()
            .map(|home| {
                zoho.command(
                    home.path(),
                    &[
                        "worker", "--queue", &url, "--state", &url, "--batch", "3", "--minute",
                        "1s", "--defer", "200ms", "--poll", "50ms", "--lease", "1s",
                    ],
                )
                .spawn()
                .unwrap()
            })
            .collect();
        for worker in workers {
            let out = worker.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let sim = zoho.sim();
        let org = sim.demo().organization_id;
        let counters = sim.counters();
        assert!(counters.throttled.is_empty(), "{:?}", counters.throttled);
        // The enqueuer and the two workers shared one token.
        assert_eq!(counters.token_requests, 1, "{counters:?}");
        for i in 0..n {
            let key = format!("{org}:contacts:contact_name=Queue Customer {i:03}");
            assert_eq!(
                counters.records_per_natural_key.get(&key),
                Some(&1),
                "{key}"
            );
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let participants = rt.block_on(async {
            let pg = PgStore::connect(&url).await.unwrap().state();
            let now = zbooks_types::Clock::now(&zbooks_types::SystemClock);
            pg.participants(&org, now).await.unwrap()
        });
        // The enqueuer (its listing) and both workers called through the shared budget, each
        // under its own name.
        assert_eq!(participants.len(), 3, "{participants:?}");
        assert!(
            participants.iter().all(|p| p.calls_today > 0),
            "{participants:?}"
        );
    });
}
