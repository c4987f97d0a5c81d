//! `zbooks webhooks serve` end to end: the binary receives the webhooks the simulator fires
//! when `zbooks call` creates a contact, checks their signature, refuses an unsigned delivery,
//! and `zbooks webhooks list` shows both.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use zbooks_sim::{SimConfig, WebhookEvent, WebhookRule};
use zbooks_testkit::{SimThread, cli_env};

use crate::zbooks_with;

const SECRET: &str = "WebhookSecret4Tests";

#[test]
fn serve_checks_what_the_simulator_fires_and_list_shows_every_delivery() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let mut env = cli_env(&sim, dir.path());
    env.push(("ZBOOKS_WEBHOOK_SECRET", SECRET.to_owned()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args([
            "webhooks",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--format",
            "json",
        ])
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let started: Value = serde_json::from_str(&first).unwrap();
    let url = started["data"]["url"].as_str().unwrap().to_owned();
    sim.set_webhooks(vec![WebhookRule {
        module: "contact".to_owned(),
        events: vec![WebhookEvent::Created],
        url: format!("{url}/zoho/contacts"),
        secret: SECRET.to_owned(),
    }]);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = zbooks_with(
        &[
            "call",
            "POST",
            "/contacts",
            "--data",
            r#"{"contact_name":"Hooked Customer"}"#,
        ],
        None,
        &pairs,
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    // An unsigned delivery, as anyone could send one.
    let addr = url.trim_start_matches("http://");
    let mut raw = std::net::TcpStream::connect(addr).unwrap();
    let body = r#"{"contact":{"contact_id":"1","last_modified_time":"x"}}"#;
    write!(
        raw,
        "POST /zoho/contacts HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    raw.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    let mut events = Vec::new();
    for _ in 0..200 {
        let list = zbooks_with(&["webhooks", "list", "--format", "json"], None, &pairs);
        let v: Value = serde_json::from_str(&list.stdout).unwrap();
        events = v["data"]["events"].as_array().cloned().unwrap_or_default();
        if events.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let _ = child.kill();
    let _ = child.wait();
    let verdicts: Vec<&str> = events
        .iter()
        .filter_map(|e| e["verdict"].as_str())
        .collect();
    assert!(
        verdicts.contains(&"accepted") && verdicts.contains(&"refused"),
        "{events:#?}"
    );
    let accepted = events.iter().find(|e| e["verdict"] == "accepted").unwrap();
    assert_eq!(accepted["module"], "contact");
    let text = zbooks_with(&["webhooks", "list"], None, &pairs);
    assert!(
        text.stdout
            .contains("refused - (no X-Zoho-Webhook-Signature header)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(" accepted contact "),
        "{}",
        text.stdout
    );
}

#[test]
fn serve_without_a_secret_accepts_nothing_and_says_so() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let env = cli_env(&sim, dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = zbooks_with(
        &["webhooks", "serve", "--listen", "127.0.0.1:0"],
        None,
        &pairs,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("ZBOOKS_WEBHOOK_SECRET is not set"),
        "{}",
        run.stderr
    );
}
