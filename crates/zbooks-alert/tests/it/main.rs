//! Alerts end to end, against receivers these tests start on 127.0.0.1: an HTTP server that
//! keeps every request (the JSON webhook and the Slack-compatible one) and a small SMTP server
//! written here, which keeps every message. Nothing leaves the machine.

mod receivers;

use std::collections::HashMap;

use zbooks_alert::config::{AlertsConfig, EmailConfig, SlackConfig, WebhookConfig};
use zbooks_alert::sign::verify;
use zbooks_alert::{Alert, Cause, Outbox, Raised, State, deliver};

use receivers::{HttpReceiver, SmtpReceiver};

const SECRET: &str = "whsec-canary-7f3a9c";
const SLACK_PATH: &str = "/services/T000/B000/slack-canary-token";

fn alert(cause: Cause, title: &str, detail: &str) -> Alert {
    Alert {
        cause,
        organization_id: Some("60012345678".to_owned()),
        title: title.to_owned(),
        detail: detail.to_owned(),
    }
}

fn config(http: &HttpReceiver, smtp: Option<&SmtpReceiver>) -> AlertsConfig {
    AlertsConfig {
        window_seconds: Some(600),
        webhook: vec![WebhookConfig {
            name: None,
            url: format!("{}/zbooks-alerts", http.url()),
            secret_env: "ALERT_SECRET".to_owned(),
        }],
        slack: vec![SlackConfig {
            name: None,
            url_env: "SLACK_URL".to_owned(),
        }],
        email: smtp
            .map(|s| EmailConfig {
                name: None,
                host: "127.0.0.1".to_owned(),
                port: Some(s.port()),
                tls: Some("none".to_owned()),
                from: "zbooks@example.com".to_owned(),
                to: vec!["books-admin@example.com".to_owned()],
                username: None,
                password_env: None,
            })
            .into_iter()
            .collect(),
    }
}

fn env_for(http: &HttpReceiver) -> impl Fn(&str) -> Option<String> {
    let vars: HashMap<&str, String> = HashMap::from([
        ("ALERT_SECRET", SECRET.to_owned()),
        ("SLACK_URL", format!("{}{SLACK_PATH}", http.url())),
    ]);
    move |k| vars.get(k).cloned()
}

const NOW: i64 = 1_796_620_245_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_channel_receives_the_alert_signed_and_without_secrets() {
    let http = HttpReceiver::start().await;
    let smtp = SmtpReceiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&http, Some(&smtp));
    let channels = cfg.channels(&env_for(&http)).unwrap();
    let outbox = Outbox::open(&dir.path().join("alerts.sqlite"), cfg.window_ms()).unwrap();
    let token = format!(
        "1000.{}.{}",
        "0123456789abcdef".repeat(2),
        "fedcba9876543210".repeat(2)
    );
    outbox
        .raise(
            &alert(
                Cause::AuthBroken,
                "authentication broken: the refresh token was refused",
                &format!("zbooks import books.xml: POST /oauth/v2/token refresh_token={token} -> invalid_code"),
            ),
            NOW,
        )
        .unwrap();
    let client = reqwest::Client::new();
    let sent = deliver(&outbox, &channels, &client, NOW).await.unwrap();
    assert_eq!(sent.len(), 3, "{sent:#?}");
    assert!(sent.iter().all(|d| d.error.is_none()), "{sent:#?}");
    assert_eq!(outbox.list(1).unwrap()[0].state, State::Sent);

    let requests = http.requests();
    let webhook = requests
        .iter()
        .find(|r| r.path == "/zbooks-alerts")
        .unwrap();
    let ts: i64 = webhook
        .header("x-zbooks-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let sig = webhook.header("x-zbooks-signature").unwrap();
    assert_eq!(ts, NOW / 1000);
    assert!(verify(
        SECRET.as_bytes(),
        ts,
        &webhook.body,
        sig,
        ts + 10,
        300
    ));
    assert!(!verify(b"wrong", ts, &webhook.body, sig, ts + 10, 300));
    let body: serde_json::Value = serde_json::from_slice(&webhook.body).unwrap();
    assert_eq!(body["cause"], "auth_broken");
    assert_eq!(body["organization_id"], "60012345678");
    assert_eq!(body["kind"], "alert");
    assert_eq!(body["raised_at"], "2026-12-07 05:10:45 UTC");

    let slack = requests.iter().find(|r| r.path == SLACK_PATH).unwrap();
    let text: serde_json::Value = serde_json::from_slice(&slack.body).unwrap();
    assert!(
        text["text"]
            .as_str()
            .unwrap()
            .starts_with("zbooks alert: authentication broken"),
        "{text}"
    );

    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].from, "<zbooks@example.com>");
    assert_eq!(mails[0].to, ["<books-admin@example.com>"]);
    assert!(
        mails[0]
            .data
            .contains("Subject: zbooks alert: authentication broken"),
        "{}",
        mails[0].data
    );

    // The token in the failure's detail reached no channel, nor the queue.
    for r in &requests {
        let body = String::from_utf8_lossy(&r.body);
        assert!(
            !body.contains("0123456789abcdef") && !body.contains(SECRET),
            "{body}"
        );
    }
    assert!(!mails[0].data.contains("0123456789abcdef"));
    assert!(
        !outbox.list(1).unwrap()[0]
            .detail
            .contains("0123456789abcdef")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_of_one_cause_and_organization_are_grouped_into_a_digest() {
    let http = HttpReceiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&http, None);
    cfg.slack.clear();
    let channels = cfg.channels(&env_for(&http)).unwrap();
    let outbox = Outbox::open(&dir.path().join("alerts.sqlite"), cfg.window_ms()).unwrap();
    let client = reqwest::Client::new();
    for i in 0..5 {
        let raised = outbox
            .raise(
                &alert(
                    Cause::RecordsRefused,
                    "records refused",
                    &format!("invoice INV-{i}: 1001"),
                ),
                NOW + i * 1000,
            )
            .unwrap();
        assert_eq!(matches!(raised, Raised::New(_)), i == 0);
    }
    let first = deliver(&outbox, &channels, &client, NOW + 5000)
        .await
        .unwrap();
    assert_eq!(first.len(), 1, "one alert, the rest wait for the window");
    // The window ends: the digest of the four others.
    let window_end = NOW + 600_000;
    assert!(
        deliver(&outbox, &channels, &client, window_end - 1)
            .await
            .unwrap()
            .is_empty()
    );
    let digest = deliver(&outbox, &channels, &client, window_end)
        .await
        .unwrap();
    assert_eq!(digest.len(), 1);
    assert_eq!(
        digest[0].subject,
        "4 more like this within the window: records refused"
    );
    let requests = http.requests();
    assert_eq!(requests.len(), 2);
    let body: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(
        (body["kind"].clone(), body["count"].clone()),
        ("digest".into(), 4.into())
    );
    assert_eq!(body["detail"], "invoice INV-4: 1001");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_is_down_gets_the_alert_on_the_next_run_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.sqlite");
    // A port nobody listens on, then a receiver on it.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let cfg = AlertsConfig {
        webhook: vec![WebhookConfig {
            name: Some("ops".to_owned()),
            url: format!("http://127.0.0.1:{port}/hook"),
            secret_env: "S".to_owned(),
        }],
        ..AlertsConfig::default()
    };
    let channels = cfg.channels(&|_| Some("k".repeat(16))).unwrap();
    let client = reqwest::Client::new();
    {
        let outbox = Outbox::open(&path, cfg.window_ms()).unwrap();
        outbox
            .raise(&alert(Cause::QuotaSpent, "daily quota spent", "45"), NOW)
            .unwrap();
        let failed = deliver(&outbox, &channels, &client, NOW).await.unwrap();
        assert_eq!(failed.len(), 1);
        let error = failed[0].error.as_deref().unwrap();
        assert_eq!(error, "could not connect");
    }
    // The next run (a new process would open the same file).
    let http = HttpReceiver::start_on(port).await;
    let outbox = Outbox::open(&path, cfg.window_ms()).unwrap();
    let row = &outbox.list(1).unwrap()[0];
    assert_eq!((row.state, row.attempts), (State::Queued, 1));
    let sent = deliver(&outbox, &channels, &client, NOW + 60_000)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].error.is_none(), "{sent:#?}");
    assert!(
        deliver(&outbox, &channels, &client, NOW + 120_000)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(http.requests().len(), 1, "sent once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_insists_on_starttls_unless_the_server_is_on_this_machine() {
    // The tiny server offers no STARTTLS: a channel that requires it refuses to send in clear.
    let smtp = SmtpReceiver::start().await;
    let http = HttpReceiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&http, Some(&smtp));
    cfg.webhook.clear();
    cfg.slack.clear();
    cfg.email[0].tls = None;
    let channels = cfg.channels(&env_for(&http)).unwrap();
    let outbox = Outbox::open(&dir.path().join("a.sqlite"), cfg.window_ms()).unwrap();
    outbox
        .raise(
            &alert(Cause::ServerErrors, "5xx after every retry", "500"),
            NOW,
        )
        .unwrap();
    let sent = deliver(&outbox, &channels, &reqwest::Client::new(), NOW)
        .await
        .unwrap();
    assert!(sent[0].error.is_some(), "{sent:#?}");
    assert!(smtp.messages().is_empty());
    // And clear text is refused for a server elsewhere.
    cfg.email[0].tls = Some("none".to_owned());
    cfg.email[0].host = "smtp.example.com".to_owned();
    let err = cfg.channels(&env_for(&http)).unwrap_err().to_string();
    assert!(err.contains("only a server on this machine"), "{err}");
}

#[test]
fn a_missing_secret_is_named_and_a_channel_never_shows_its_secret() {
    let cfg = AlertsConfig {
        slack: vec![SlackConfig {
            name: None,
            url_env: "ZB_SLACK".to_owned(),
        }],
        ..AlertsConfig::default()
    };
    let err = cfg.channels(&|_| None).unwrap_err().to_string();
    assert!(err.contains("ZB_SLACK is not set"), "{err}");
    let channels = cfg
        .channels(&|_| Some("https://hooks.slack.com/services/T1/B2/sekrit".to_owned()))
        .unwrap();
    let shown = format!("{} {:?}", channels[0].describe(), channels[0]);
    assert!(
        shown.contains("hooks.slack.com") && !shown.contains("sekrit"),
        "{shown}"
    );
}
