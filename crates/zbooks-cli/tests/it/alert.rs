//! `zbooks alert` and the alerts `import` raises, end to end: the binary against the simulator,
//! with an HTTP receiver (the signed webhook and the Slack-compatible one) and an SMTP server
//! started by the test on 127.0.0.1 (the receivers of zbooks-alert's own tests).

#[path = "../../../zbooks-alert/tests/it/receivers.rs"]
mod receivers;

use serde_json::Value;
use zbooks_alert::sign::verify;
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env};

use crate::{Run, zbooks_with};
use receivers::{HttpReceiver, SmtpReceiver};

const WEBHOOK_SECRET: &str = "whsec-canary-31f9d2a7";
const SLACK_PATH: &str = "/services/TCANARY/BCANARY/slack-canary-4e1b";

struct Setup {
    dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
}

impl Setup {
    #[expect(clippy::unwrap_used, reason = "test setup: fails loudly")]
    fn new(sim: &SimThread, config: &str, extra: &[(&'static str, String)]) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let mut env = cli_env(sim, dir.path());
        let path = dir.path().join("config.toml");
        std::fs::write(&path, config).unwrap();
        env.extend(extra.iter().cloned());
        let contacts = dir.path().join("contacts.jsonl");
        std::fs::write(
            &contacts,
            "{\"entity\": \"contact\", \"payload\": {\"contact_name\": \"Alert Test One\"}}\n",
        )
        .unwrap();
        Setup { dir, env }
    }

    fn run(&self, args: &[&str]) -> Run {
        let pairs: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        zbooks_with(args, None, &pairs)
    }

    fn contacts(&self) -> String {
        self.dir
            .path()
            .join("contacts.jsonl")
            .to_string_lossy()
            .into_owned()
    }
}

fn channels_config(webhook_url: &str, smtp_port: u16) -> String {
    format!(
        "[alerts]\nwindow_seconds = 600\n\n\
         [[alerts.webhook]]\nname = \"ops\"\nurl = \"{webhook_url}\"\nsecret_env = \"ZBOOKS_ALERT_SECRET\"\n\n\
         [[alerts.slack]]\nurl_env = \"ZBOOKS_ALERT_SLACK_URL\"\n\n\
         [[alerts.email]]\nhost = \"127.0.0.1\"\nport = {smtp_port}\ntls = \"none\"\n\
         from = \"zbooks@example.com\"\nto = [\"books-admin@example.com\"]\n"
    )
}

#[test]
fn alert_test_reaches_every_channel_and_list_shows_who_was_told() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = rt.block_on(HttpReceiver::start());
    let smtp = rt.block_on(SmtpReceiver::start());
    let sim = SimThread::start(SimConfig::default(), 1);
    let setup = Setup::new(
        &sim,
        &channels_config(&format!("{}/hook", http.url()), smtp.port()),
        &[
            ("ZBOOKS_ALERT_SECRET", WEBHOOK_SECRET.to_owned()),
            (
                "ZBOOKS_ALERT_SLACK_URL",
                format!("{}{SLACK_PATH}", http.url()),
            ),
        ],
    );
    let run = setup.run(&["alert", "test"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for line in [
        "sent ops (signed JSON webhook http://127.0.0.1:",
        "sent slack (Slack-compatible webhook at 127.0.0.1:",
        "sent email (email to books-admin@example.com via 127.0.0.1:",
    ] {
        assert!(run.stdout.contains(line), "{line}:\n{}", run.stdout);
    }
    let requests = http.requests();
    let hook = requests.iter().find(|r| r.path == "/hook").unwrap();
    let ts: i64 = hook.header("x-zbooks-timestamp").unwrap().parse().unwrap();
    assert!(verify(
        WEBHOOK_SECRET.as_bytes(),
        ts,
        &hook.body,
        hook.header("x-zbooks-signature").unwrap(),
        ts,
        300
    ));
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["cause"], "test");
    assert_eq!(body["organization_id"], sim.demo().organization_id);
    assert!(requests.iter().any(|r| r.path == SLACK_PATH));
    assert_eq!(smtp.messages().len(), 1);
    assert!(
        smtp.messages()[0]
            .data
            .contains("Subject: zbooks alert: Test alert")
    );

    let list = setup.run(&["alert", "list", "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let v: Value = serde_json::from_str(&list.stdout).unwrap();
    let alert = &v["data"]["alerts"][0];
    assert_eq!(alert["state"], "sent");
    assert_eq!(
        alert["delivered"],
        serde_json::json!(["ops", "slack", "email"])
    );
    let text = setup.run(&["alert", "list"]);
    assert!(
        text.stdout.contains("told: ops, slack, email"),
        "{}",
        text.stdout
    );
    // The channels' secrets are named, never shown.
    for out in [&run.stdout, &run.stderr, &list.stdout, &text.stdout] {
        assert!(!out.contains("canary"), "{out}");
    }
}

#[test]
fn a_spent_quota_during_import_alerts_and_a_receiver_down_gets_it_on_the_next_run() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let org = sim.demo().organization_id;
    assert!(sim.set_calls_today(&org, 5_000));
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = format!(
        "[alerts]\n[[alerts.webhook]]\nname = \"ops\"\nurl = \"http://127.0.0.1:{port}/hook\"\n\
         secret_env = \"ZBOOKS_ALERT_SECRET\"\n"
    );
    let setup = Setup::new(
        &sim,
        &config,
        &[("ZBOOKS_ALERT_SECRET", WEBHOOK_SECRET.to_owned())],
    );
    let contacts = setup.contacts();
    let import = setup.run(&["import", &contacts]);
    assert_eq!(import.code, 7, "{}{}", import.stdout, import.stderr);
    assert!(
        import
            .stderr
            .contains("not sent to ops: could not connect; kept for the next run"),
        "{}",
        import.stderr
    );
    // The receiver is up again: the next run sends what was kept.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = rt.block_on(HttpReceiver::start_on(port));
    let send = setup.run(&["alert", "send"]);
    assert_eq!(send.code, 0, "{}{}", send.stdout, send.stderr);
    assert!(send.stdout.contains("sent ops"), "{}", send.stdout);
    let requests = http.requests();
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["cause"], "quota_spent");
    assert_eq!(body["organization_id"], org.as_str());
    assert!(
        body["title"]
            .as_str()
            .unwrap()
            .starts_with("zbooks import: the daily quota is spent (exit 7)"),
        "{body}"
    );
    // A second failure in the window is held for the digest, not sent again at once.
    let again = setup.run(&["import", &contacts]);
    assert_eq!(again.code, 7);
    assert_eq!(http.requests().len(), 1, "{}", again.stderr);
    let list = setup.run(&["alert", "list", "--format", "json"]);
    let v: Value = serde_json::from_str(&list.stdout).unwrap();
    let newest = &v["data"]["alerts"][0];
    assert_eq!(
        (newest["kind"].clone(), newest["state"].clone()),
        ("digest".into(), "queued".into())
    );
}

#[test]
fn without_a_channel_alert_test_says_how_to_set_one() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let setup = Setup::new(&sim, "", &[]);
    let run = setup.run(&["alert", "test"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no alert channel is set"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("[[alerts.webhook]]"), "{}", run.stderr);
    let bad = Setup::new(&sim, "[alerts]\nwindow = 5\n", &[]);
    let run = bad.run(&["alert", "list"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown field `window`"),
        "{}",
        run.stderr
    );
}

#[test]
fn logs_analyze_shows_what_failed_who_was_told_and_what_zoho_sent() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = rt.block_on(HttpReceiver::start());
    let sim = SimThread::start(SimConfig::default(), 1);
    let org = sim.demo().organization_id;
    assert!(sim.set_calls_today(&org, 5_000));
    let config = format!(
        "[alerts]\n[[alerts.webhook]]\nname = \"ops\"\nurl = \"{}/hook\"\n\
         secret_env = \"ZBOOKS_ALERT_SECRET\"\n",
        http.url()
    );
    let setup = Setup::new(
        &sim,
        &config,
        &[("ZBOOKS_ALERT_SECRET", WEBHOOK_SECRET.to_owned())],
    );
    let contacts = setup.contacts();
    assert_eq!(setup.run(&["import", &contacts]).code, 7);
    // Two deliveries in the webhook log: one accepted, one refused.
    let data = setup
        .env
        .iter()
        .find(|(k, _)| *k == "ZBOOKS_DATA_DIR")
        .map(|(_, v)| std::path::PathBuf::from(v))
        .unwrap();
    let log = zbooks_webhook::Store::open(&data.join("webhooks.sqlite")).unwrap();
    let body =
        br#"{"invoice":{"invoice_id":"46001","last_modified_time":"2026-12-07T10:00:00+0530"}}"#;
    let delivery = zbooks_webhook::store::Delivery {
        received_at: 1_796_620_000_000,
        method: "POST",
        path: "/zoho",
        content_type: Some("application/json"),
        body,
    };
    log.signed(
        &delivery,
        &zbooks_webhook::event::identify(body, &[], None),
        false,
    )
    .unwrap();
    log.refused(&delivery, "no X-Zoho-Webhook-Signature header")
        .unwrap();

    let text = setup.run(&["logs", "analyze", "--audit", "--alerts", "--webhooks"]);
    assert_eq!(text.code, 0, "{}{}", text.stdout, text.stderr);
    for line in [
        "Alerts: what failed for good and who was told: 1 failure(s) told of (quota_spent 1) · 1 alert(s) sent, 0 queued",
        "zbooks import: the daily quota is spent (exit 7)",
        "told: ops",
        "Webhooks: what Zoho sent: 2 deliveries (accepted 1, refused 1)",
        "accepted invoice 46001",
        "refused - (no X-Zoho-Webhook-Signature header)",
        "quota_exhausted",
    ] {
        assert!(text.stdout.contains(line), "{line}:\n{}", text.stdout);
    }
    let json = setup.run(&[
        "logs",
        "analyze",
        "--alerts",
        "--webhooks",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["data"]["alerts"]["by_cause"]["quota_spent"], 1);
    assert_eq!(v["data"]["webhooks"]["verdicts"]["refused"], 1);
    // The HTML report has both, as tables after the analysis.
    let html_path = setup.dir.path().join("report.html");
    let html_arg = html_path.to_string_lossy().into_owned();
    let html = setup.run(&[
        "logs",
        "analyze",
        "--audit",
        "--alerts",
        "--webhooks",
        "--html",
        &html_arg,
    ]);
    assert_eq!(html.code, 0, "{}{}", html.stdout, html.stderr);
    let page = std::fs::read_to_string(&html_path).unwrap();
    for part in [
        "<h2>Alerts: what failed for good and who was told</h2>",
        r#"<table class="rows" id="alerts">"#,
        "quota_<wbr>spent",
        "<h2>Webhooks: what Zoho sent</h2>",
        r#"<table class="rows" id="webhooks">"#,
        "no X-Zoho-Webhook-Signature header",
    ] {
        assert!(page.contains(part), "{part} not in the page");
    }
}

#[test]
fn the_gateway_alerts_a_spent_quota_within_a_moment_and_signs_it() {
    use std::io::{BufRead as _, Read as _, Write as _};
    let sim = SimThread::start(SimConfig::default(), 1);
    let org = sim.demo().organization_id;
    assert!(sim.set_calls_today(&org, 5_000));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = rt.block_on(HttpReceiver::start());
    let config = format!(
        "[alerts]\n[[alerts.webhook]]\nname = \"ops\"\nurl = \"{}/hook\"\n\
         secret_env = \"ZBOOKS_ALERT_SECRET\"\n",
        http.url()
    );
    let setup = Setup::new(
        &sim,
        &config,
        &[("ZBOOKS_ALERT_SECRET", WEBHOOK_SECRET.to_owned())],
    );
    let mut gateway = std::process::Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args(["gateway", "--listen", "127.0.0.1:0", "--format", "json"])
        .env_clear()
        .env("NO_COLOR", "1")
        .envs(setup.env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(gateway.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let line: Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    let addr = line["data"]["listen"].as_str().unwrap().to_owned();
    // A program asks; Zoho says the day's quota is spent (429, code 45).
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /books/v3/contacts HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    // The alert goes out while the gateway keeps serving: no restart, no `alert send`.
    let mut hook = None;
    for _ in 0..200 {
        hook = http.requests().into_iter().find(|r| r.path == "/hook");
        if hook.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &gateway.id().to_string()])
        .status();
    let out = gateway.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let hook = hook.unwrap_or_else(|| panic!("no alert reached the receiver: {stderr}"));
    let ts: i64 = hook.header("x-zbooks-timestamp").unwrap().parse().unwrap();
    assert!(verify(
        WEBHOOK_SECRET.as_bytes(),
        ts,
        &hook.body,
        hook.header("x-zbooks-signature").unwrap(),
        ts,
        300
    ));
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["cause"], "quota_spent", "{body}");
    assert_eq!(body["organization_id"], org.as_str());
    assert!(
        body["title"]
            .as_str()
            .unwrap()
            .starts_with("zbooks gateway: GET /books/v3/contacts answered 429, code 45"),
        "{body}"
    );
    let text = String::from_utf8_lossy(&hook.body);
    assert!(!text.contains(&sim.demo().refresh_token), "{text}");
    assert!(!text.contains("canary"), "{text}");
    // The failed call is in the audit log too, where `logs analyze --audit` reads it.
    let audit = setup.run(&["logs", "analyze", "--audit"]);
    assert_eq!(audit.code, 0, "{}{}", audit.stdout, audit.stderr);
    assert!(audit.stdout.contains("quota_exhausted"), "{}", audit.stdout);
}
