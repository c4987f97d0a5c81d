//! Faults of a shared state, with processes (issue 16 §5): a machine whose clock is off by
//! more than a minute, and a Redis restarted mid-run. Each test runs `zbooks import`
//! processes with separate homes (standing for machines) against one simulator whose minute
//! is shortened, and the simulator judges: no 429, every record created once.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::fmt::Write as _;
use std::hash::{BuildHasher as _, Hasher as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use zbooks_client::store::LimitStore as _;
use zbooks_redis::{RedisOptions, RedisStore};
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env};

fn contacts(machine: &str, n: usize) -> String {
    let mut csv = String::from("Display Name,Contact Type\n");
    for i in 0..n {
        let _ = writeln!(csv, "{machine} Customer {i:03},customer");
    }
    csv
}

fn random_prefix() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    format!("zbooks-test:{:016x}:", hasher.finish())
}

/// A simulator whose minute is `minute`, sending no rate-limit headers.
fn zoho(minute: Duration) -> SimThread {
    SimThread::start(
        SimConfig {
            minute,
            seed: 16,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    )
}

/// `zbooks import` of `n` contacts of `machine` in its own home, sharing `state`, with the
/// simulator's minute.
fn import(
    zoho: &SimThread,
    home: &Path,
    state: &str,
    (machine, n): (&str, usize),
    minute: Duration,
) -> Command {
    let minute = format!("{}ms", minute.as_millis());
    let csv = home.join("contacts.csv");
    std::fs::write(&csv, contacts(machine, n)).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zbooks"));
    cmd.args([
        "import",
        csv.to_str().unwrap(),
        "--minute",
        &minute,
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

fn finish(child: Child) -> Output {
    let run = child.wait_with_output().unwrap();
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

/// No 429 of any kind, and every record of every machine created exactly once.
fn judge(zoho: &SimThread, machines: &[(&str, usize)]) {
    let counters = zoho.counters();
    assert!(counters.throttled.is_empty(), "{:?}", counters.throttled);
    let org = zoho.demo().organization_id;
    for (machine, n) in machines {
        for i in 0..*n {
            let key = format!("{org}:contacts:contact_name={machine} Customer {i:03}");
            assert_eq!(
                counters.records_per_natural_key.get(&key),
                Some(&1),
                "{key}"
            );
        }
    }
}

#[test]
fn a_machine_whose_clock_is_off_by_minutes_still_paces_with_the_others() {
    // A minute of a second: its 1.5 % pacing margin absorbs 15 ms of a call's lateness on a
    // busy machine.
    let minute = Duration::from_secs(1);
    let zoho = zoho(minute);
    let prefix = random_prefix();
    let state = format!("redis://127.0.0.1:6379/0?prefix={prefix}");
    let options = RedisOptions::new("redis://127.0.0.1:6379/0").prefix(&prefix);
    let redis = zoho.block_on(async { RedisStore::open(&options) }).unwrap();
    zoho.block_on(redis.ping()).unwrap_or_else(|e| {
        panic!("Redis does not answer on 127.0.0.1:6379 ({e}); see README, Running across machines")
    });
    // West's clock runs two of the simulator's minutes ahead. On two clocks, West's slots
    // would lie two seconds after East's now, and East would wait that long for each (or
    // West's calls reach Zoho early, in a minute East already spent).
    let homes = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let machines = [("East", 80), ("West", 160)];
    let logs = homes.each_ref().map(|h| h.path().join("events.jsonl"));
    let east = import(&zoho, homes[0].path(), &state, machines[0], minute)
        .arg("--log-file")
        .arg(&logs[0])
        .spawn()
        .unwrap();
    let west = import(&zoho, homes[1].path(), &state, machines[1], minute)
        .arg("--log-file")
        .arg(&logs[1])
        .env("ZBOOKS_CLOCK_SKEW", "+2s")
        .spawn()
        .unwrap();
    let runs = [finish(east), finish(west)];
    zoho.block_on(redis.delete_all()).unwrap();
    drop(runs);
    judge(&zoho, &machines);
    // Both paced on one clock: no call was given a slot further off than the few calls in
    // flight ahead of it (ten at most, 10 ms apart). On two clocks, East's slots would lie two
    // seconds (West's skew) after East's now, and East's calls would wait that long.
    for (log, machine) in logs.iter().zip(["East", "West"]) {
        let text = std::fs::read_to_string(log).unwrap();
        let longest = text
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .flat_map(|event| event["waited"].as_array().cloned().unwrap_or_default())
            .filter(|wait| wait["reason"] == "pacing")
            .filter_map(|wait| wait["ms"].as_u64())
            .max()
            .unwrap_or(0);
        assert!(
            longest < 500,
            "{machine} waited {longest} ms for a pacing slot"
        );
    }
}

/// A Redis of this test's own, on a free port, with no persistence: killing it loses
/// everything, as a restart of a cache would.
struct OwnRedis {
    port: u16,
    child: Child,
}

impl OwnRedis {
    fn start(port: u16) -> OwnRedis {
        let child = Command::new("/usr/bin/redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (/usr/bin/redis-server)");
        OwnRedis { port, child }
    }

    fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn redis_restarted_mid_run_brings_no_429_and_loses_or_doubles_nothing() {
    let minute = Duration::from_millis(500);
    let zoho = zoho(minute);
    let port = OwnRedis::free_port();
    let first = OwnRedis::start(port);
    let options = RedisOptions::new(first.url());
    let redis = zoho.block_on(async { RedisStore::open(&options) }).unwrap();
    // Up when it answers (it was just started).
    let mut tries = 0;
    while zoho.block_on(redis.ping()).is_err() {
        tries += 1;
        assert!(
            tries < 500,
            "our redis-server on port {port} never answered"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let homes = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let machines = [("East", 200), ("West", 200)];
    let children: Vec<_> = homes
        .iter()
        .zip(machines)
        .map(|(home, machine)| {
            import(&zoho, home.path(), &first.url(), machine, minute)
                .spawn()
                .unwrap()
        })
        .collect();
    // Mid-run: once the shared ledger counted a good part of the calls, kill Redis (all its
    // state goes), and start an empty one on the same port a moment later.
    let org = zoho.demo().organization_id;
    let mut tries = 0;
    loop {
        let used = zoho
            .block_on(redis.snapshot(&org, std::time::SystemTime::UNIX_EPOCH))
            .ok()
            .and_then(|s| s.daily)
            .map_or(0, |d| d.used);
        if used >= 80 {
            break;
        }
        tries += 1;
        assert!(tries < 6000, "the imports never got going");
        std::thread::sleep(Duration::from_millis(5));
    }
    first.kill();
    std::thread::sleep(Duration::from_millis(300));
    let second = OwnRedis::start(port);
    let runs: Vec<_> = children.into_iter().map(finish).collect();
    drop(second);

    judge(&zoho, &machines);
    for run in &runs {
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains("the shared state store does not answer"),
            "{stderr}"
        );
        assert!(stderr.contains("answers again"), "{stderr}");
    }
}
