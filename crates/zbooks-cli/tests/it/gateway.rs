//! `zbooks gateway` as a user runs it: the usual settings (here the simulator's demo login),
//! one JSON line saying where it listens, calls from a program that knows no token, every call
//! in the `--log-file` that `zbooks logs analyze` reads, and a SIGTERM that stops it cleanly.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use serde_json::Value;
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env};

/// One HTTP/1.1 request over a fresh connection: (status, body).
fn http(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("the gateway accepts");
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Authorization: Zoho-oauthtoken the-programs-old-token\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("the request is written");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn the_gateway_serves_a_program_logs_every_call_and_stops_on_sigterm() {
    let sim = SimThread::start(
        SimConfig {
            minute: std::time::Duration::from_secs(1),
            ..SimConfig::default()
        },
        1,
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let env = cli_env(&sim, dir.path());
    let log = dir.path().join("calls.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args([
            "gateway",
            "--listen",
            "127.0.0.1:0",
            "--minute",
            "1s",
            "--format",
            "json",
        ])
        .args(["--also-org", &sim.demo().trial_expired_organization_id])
        .arg("--log-file")
        .arg(&log)
        .env_clear()
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zbooks gateway starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("one line");
    let line: Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    assert_eq!(line["ok"], true, "{line}");
    let data = &line["data"];
    let demo = sim.demo();
    assert_eq!(data["organization_id"], demo.organization_id.as_str());
    assert_eq!(
        data["also_organizations"][0],
        demo.trial_expired_organization_id.as_str()
    );
    let addr = data["listen"].as_str().expect("an address").to_owned();
    assert_eq!(data["base_url"], format!("http://{addr}/books/v3").as_str());

    let (status, body) = http(
        &addr,
        "POST",
        "/books/v3/contacts",
        Some(r#"{"contact_name":"Gateway CLI Customer"}"#),
    );
    assert_eq!(status, 201, "{body}");
    for _ in 0..5 {
        let (status, body) = http(&addr, "GET", "/books/v3/contacts?per_page=5", None);
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains(&demo.refresh_token));
    }
    // The other organization, named; one no profile covers is refused with the fix.
    let other = format!(
        "/books/v3/contacts?organization_id={}",
        demo.trial_expired_organization_id
    );
    let (status, body) = http(&addr, "GET", &other, None);
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(&addr, "GET", "/books/v3/contacts?organization_id=123", None);
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("90001") && body.contains("--profile"),
        "{body}"
    );
    let (status, body) = http(&addr, "GET", "/__zbooks/status", None);
    assert_eq!(status, 200, "{body}");
    let status_json: Value = serde_json::from_str(&body).expect("status JSON");
    let attempts = |org: &str| {
        status_json["organizations"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["organization_id"] == org))
            .map(|r| r["attempts"].clone())
    };
    assert_eq!(
        attempts(&demo.organization_id),
        Some(6.into()),
        "{status_json}"
    );
    assert_eq!(
        attempts(&demo.trial_expired_organization_id),
        Some(1.into()),
        "{status_json}"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = child.wait_with_output().expect("it stops");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("gateway stopped"), "{stderr}");
    assert!(!stderr.contains(&demo.refresh_token));

    // Every call is an event of the log's schema, and `logs analyze` reads them.
    let text = std::fs::read_to_string(&log).expect("the log file");
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let calls = events
        .iter()
        .filter(|e| {
            e["kind"] == "attempt" && e["path"].as_str().is_some_and(|p| p.contains("/contacts"))
        })
        .count();
    assert_eq!(calls, 7, "{text}");
    let analyzed = crate::zbooks_with(
        &[
            "logs",
            "analyze",
            log.to_str().expect("a path"),
            "--format",
            "json",
        ],
        None,
        &[],
    );
    assert_eq!(analyzed.code, 0, "{}", analyzed.stderr);
    let report: Value = serde_json::from_str(&analyzed.stdout).expect("the report");
    assert!(
        report["data"]["endpoints"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "{report:#}"
    );
}

#[test]
fn remote_clients_need_a_gateway_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").expect("config");
    let env = [
        ("ZBOOKS_CONFIG", config.to_str().expect("a path")),
        ("ZBOOKS_DATA_DIR", dir.path().to_str().expect("a path")),
    ];
    let run = crate::zbooks_with(
        &["gateway", "--listen", "0.0.0.0:0", "--allow-remote"],
        None,
        &env,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("ZBOOKS_GATEWAY_TOKEN"),
        "{}",
        run.stderr
    );
    let run = crate::zbooks_with(&["gateway", "--listen", "0.0.0.0:0"], None, &env);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--allow-remote"), "{}", run.stderr);
}

/// Starts `zbooks gateway` with `env` (plus `ZBOOKS_STATE=state`) and reads its JSON line.
fn start_gateway(env: &[(&'static str, String)], state: &str) -> (std::process::Child, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args([
            "gateway",
            "--listen",
            "127.0.0.1:0",
            "--minute",
            "1s",
            "--format",
            "json",
        ])
        .env_clear()
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("ZBOOKS_STATE", state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zbooks gateway starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("one line");
    let line: Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    assert_eq!(line["ok"], true, "{line}");
    (child, line["data"].clone())
}

/// Gateways killed when dropped (also when an assertion fails).
struct Stopped(Vec<(std::process::Child, Value)>);

impl Drop for Stopped {
    fn drop(&mut self) {
        for (child, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A keyed create over a fresh connection: the whole answer, head and body.
fn keyed_create(addr: &str, key: &str) -> String {
    let body = r#"{"contact_name":"Two Machines Customer"}"#;
    let mut stream = TcpStream::connect(addr).expect("the gateway accepts");
    write!(
        stream,
        "POST /books/v3/contacts HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Idempotency-Key: {key}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("the request is written");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    answer
}

#[test]
fn gateways_on_two_machines_sharing_redis_share_idempotency_keys() {
    use std::hash::{BuildHasher as _, Hasher as _};
    let sim = SimThread::start(
        SimConfig {
            minute: std::time::Duration::from_secs(1),
            ..SimConfig::default()
        },
        1,
    );
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let prefix = format!("zbooks-test:gw-cli:{:016x}:", hasher.finish());
    let state = format!("redis://127.0.0.1:6379/0?prefix={prefix}");
    let options = zbooks_redis::RedisOptions::new("redis://127.0.0.1:6379/0").prefix(&prefix);
    let redis = sim
        .block_on(async { zbooks_redis::RedisStore::open(&options) })
        .expect("redis");
    // The keys go at the end, also when an assertion fails.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Two machines: two data directories, one Redis.
        let homes = [
            tempfile::tempdir().expect("tempdir"),
            tempfile::tempdir().expect("tempdir"),
        ];
        let gateways = Stopped(
            homes
                .iter()
                .map(|home| start_gateway(&cli_env(&sim, home.path()), &state))
                .collect(),
        );
        for (_, data) in &gateways.0 {
            let at = data["idempotency_keys"]
                .as_str()
                .expect("where keys are kept");
            assert!(at.starts_with("redis://"), "{data}");
        }
        let addr = |n: usize| {
            gateways.0[n].1["listen"]
                .as_str()
                .expect("an address")
                .to_owned()
        };
        let first = keyed_create(&addr(0), "crm-4711");
        let second = keyed_create(&addr(1), "crm-4711");
        let body = |a: &str| a.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
        assert!(first.starts_with("HTTP/1.1 201"), "{first}");
        assert!(second.starts_with("HTTP/1.1 201"), "{second}");
        assert!(
            !first
                .to_ascii_lowercase()
                .contains("x-zbooks-idempotent-replay"),
            "{first}"
        );
        assert!(
            second
                .to_ascii_lowercase()
                .contains("x-zbooks-idempotent-replay: true"),
            "the other machine's gateway replays the first answer: {second}"
        );
        assert_eq!(body(&first), body(&second));
        let creates = zbooks_testkit::log_lines(&sim)
            .iter()
            .filter(|l| l.starts_with("POST /books/v3/contacts "))
            .count();
        assert_eq!(creates, 1, "Zoho saw the create once");
    }));
    sim.block_on(redis.delete_all())
        .expect("delete the test's keys");
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
