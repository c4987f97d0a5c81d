//! Scripted faults, seen from the wire: statuses, gateway pages, resets before and after the
//! handler, truncated and invalid bodies, stalls, token expiry; and determinism.

use std::io::{Read, Write};
use std::time::Duration;

use serde_json::{Value, json};
use zbooks_sim::{FaultAction, FaultRule, Scenario, SimConfig};

use crate::support::{start, start_with};

fn rule(method: &str, path: &str, action: FaultAction) -> FaultRule {
    FaultRule::on(method, path, action)
}

#[tokio::test]
async fn status_and_gateway_faults_answer_instead_of_zoho() {
    let t = start().await;
    let mut r = rule(
        "POST",
        "/books/v3/contacts",
        FaultAction::Status {
            status: 500,
            body: None,
            code: None,
            message: None,
        },
    );
    r.nth = Some(2);
    let mut html = rule(
        "GET",
        "/books/v3/contacts*",
        FaultAction::GatewayHtml { status: 502 },
    );
    html.every = Some(2);
    t.sim.set_faults(vec![r, html]);
    assert_eq!(
        t.post("/contacts", &json!({"contact_name": "A"}))
            .await
            .status,
        201
    );
    let res = t.post("/contacts", &json!({"contact_name": "B"})).await;
    assert_eq!((res.status, res.code()), (500, 1000));
    assert_eq!(
        t.post("/contacts", &json!({"contact_name": "B"}))
            .await
            .status,
        201
    );
    assert_eq!(t.get("/contacts").await.status, 200);
    let res = t
        .http
        .get(format!("{}?organization_id={}", t.url("/contacts"), t.org))
        .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 502);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("<title>502 Bad Gateway</title>")
    );
    let log = t.sim.request_log();
    assert_eq!(log.iter().filter(|r| r.fault.is_some()).count(), 2);
    assert_eq!(log.iter().filter(|r| !r.created.is_empty()).count(), 2);
}

/// A raw HTTP/1.1 request; answers what came back before the connection ended, and how.
fn raw(addr: std::net::SocketAddr, request: &str) -> (Vec<u8>, std::io::Result<()>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (out, Ok(())),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return (out, Err(e)),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_after_commit_loses_the_answer_but_keeps_the_record() {
    let t = start().await;
    t.sim.set_faults(vec![rule(
        "POST",
        "/books/v3/contacts",
        FaultAction::ResetAfter,
    )]);
    // reqwest sees a transport error, not an answer.
    let err = t
        .http
        .post(format!("{}?organization_id={}", t.url("/contacts"), t.org))
        .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
        .json(&json!({"contact_name": "Lost Response Ltd"}))
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_status(), "{err:?}");
    // A raw socket sees a reset (or at least an end) with no bytes of an answer.
    let body = r#"{"contact_name":"Raw Ltd"}"#;
    let request = format!(
        "POST /books/v3/contacts?organization_id={} HTTP/1.1\r\nHost: x\r\nAuthorization: Zoho-oauthtoken {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        t.org,
        t.token,
        body.len()
    );
    let addr = t.sim.addr();
    let (bytes, end) = tokio::task::spawn_blocking(move || raw(addr, &request))
        .await
        .unwrap();
    assert!(bytes.is_empty(), "{}", String::from_utf8_lossy(&bytes));
    let kind = end
        .expect_err("the connection is reset, not closed cleanly")
        .kind();
    assert_eq!(kind, std::io::ErrorKind::ConnectionReset);
    t.sim.set_faults(Vec::new());
    // Both records exist: the caller never heard.
    for name in ["Lost Response Ltd", "Raw Ltd"] {
        let res = t.get_q("/contacts", &[("contact_name", name)]).await;
        assert_eq!(res.body["contacts"].as_array().unwrap().len(), 1, "{name}");
    }
    let log = t.sim.request_log();
    let lost: Vec<_> = log
        .iter()
        .filter(|r| r.fault.as_deref() == Some("reset_after"))
        .collect();
    assert_eq!(lost.len(), 2);
    assert_eq!(lost[0].status, 0);
    assert_eq!(lost[0].created, ["contacts:contact_name=Lost Response Ltd"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_before_the_handler_creates_nothing() {
    let t = start().await;
    t.sim.set_faults(vec![rule(
        "POST",
        "/books/v3/contacts",
        FaultAction::ResetBefore,
    )]);
    let res = t
        .http
        .post(format!("{}?organization_id={}", t.url("/contacts"), t.org))
        .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
        .json(&json!({"contact_name": "Never Ltd"}))
        .send()
        .await;
    assert!(res.is_err());
    t.sim.set_faults(Vec::new());
    let res = t.get_q("/contacts", &[("contact_name", "Never Ltd")]).await;
    assert_eq!(res.body["contacts"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_and_invalid_bodies() {
    let t = start().await;
    t.sim.set_faults(vec![rule(
        "GET",
        "/books/v3/organizations",
        FaultAction::Truncate,
    )]);
    let sent = t
        .http
        .get(t.url("/organizations"))
        .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
        .send()
        .await;
    // The head may reach the client before the cut (then reading the body fails) or not.
    if let Ok(res) = sent {
        assert_eq!(res.status().as_u16(), 200);
        assert!(
            res.bytes().await.is_err(),
            "a cut body is an error, not a short success"
        );
    }
    // On the wire: a head announcing the full length, then less than that, then the end.
    let request = format!(
        "GET /books/v3/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: Zoho-oauthtoken {}\r\n\r\n",
        t.token
    );
    let addr = t.sim.addr();
    let (bytes, _) = tokio::task::spawn_blocking(move || raw(addr, &request))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").expect("a head was sent");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .expect("content-length")
        .parse()
        .unwrap();
    assert!(!body.is_empty() && body.len() < length, "{head}\n{body}");
    t.sim.set_faults(vec![rule(
        "POST",
        "/books/v3/contacts",
        FaultAction::InvalidJson,
    )]);
    let res = t
        .http
        .post(format!("{}?organization_id={}", t.url("/contacts"), t.org))
        .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
        .json(&json!({"contact_name": "Half"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let text = res.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    t.sim.set_faults(Vec::new());
    assert_eq!(
        t.get_q("/contacts", &[("contact_name", "Half")]).await.body["contacts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_stall_outlasts_the_client_timeout() {
    let t = start_with(SimConfig {
        stall: Duration::from_secs(30),
        ..SimConfig::default()
    })
    .await;
    t.sim
        .set_faults(vec![rule("GET", "/books/v3/items", FaultAction::Stall)]);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = http
        .get(format!("{}?organization_id={}", t.url("/items"), t.org))
        .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(t.get("/contacts").await.status, 200);
}

#[tokio::test]
async fn expire_token_fault_makes_the_call_401_57() {
    let t = start().await;
    let mut r = rule("GET", "*", FaultAction::ExpireToken);
    r.nth = Some(2);
    t.sim.set_faults(vec![r]);
    assert_eq!(t.get("/contacts").await.status, 200);
    let res = t.get("/contacts").await;
    assert_eq!((res.status, res.code()), (401, 57));
    assert_eq!(
        t.get("/contacts").await.code(),
        57,
        "the token stays expired"
    );
}

#[tokio::test]
async fn faults_load_from_a_toml_config_file() {
    let dir = std::env::temp_dir().join(format!("zbooks-sim-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sim.toml");
    std::fs::write(
        &path,
        r#"
seed = 7
minute = "2s"
limits = true

[[faults]]
method = "GET"
path = "/books/v3/contacts"
nth = 1
action = { kind = "status", status = 503, code = 1000, message = "Internal error" }
"#,
    )
    .unwrap();
    let config = SimConfig::from_file(&path).unwrap();
    assert_eq!(config.minute, Duration::from_secs(2));
    let t = start_with(config).await;
    assert_eq!(t.get("/contacts").await.status, 503);
    assert_eq!(t.get("/contacts").await.status, 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn scripted_run(seed: u64) -> Vec<zbooks_sim::LoggedRequest> {
    let t = start_with(SimConfig {
        seed,
        ..SimConfig::default()
    })
    .await;
    let mut flaky = rule(
        "POST",
        "/books/v3/*",
        FaultAction::Status {
            status: 500,
            body: None,
            code: None,
            message: None,
        },
    );
    flaky.probability = Some(0.4);
    t.sim.load_scenario(Scenario {
        faults: vec![flaky],
        ..Scenario::default()
    });
    let t = crate::support::T {
        token: crate::support::refresh(
            &t.http,
            &t.sim.accounts_url(),
            &t.sim.demo().client_id,
            &t.sim.demo().client_secret,
            &t.sim.demo().refresh_token,
        )
        .await["access_token"]
            .as_str()
            .unwrap()
            .to_owned(),
        ..t
    };
    let customer = loop {
        let res = t.post("/contacts", &json!({"contact_name": "Same"})).await;
        if res.status == 201 {
            break res.body["contact"]["contact_id"]
                .as_str()
                .unwrap()
                .to_owned();
        }
    };
    for i in 0..20 {
        t.post(
            "/invoices",
            &json!({"customer_id": customer, "line_items": [{"name": "x", "rate": i}]}),
        )
        .await;
        t.get("/invoices").await;
    }
    t.sim.request_log()
}

#[tokio::test]
async fn the_same_scenario_and_seed_give_the_same_log() {
    let first = scripted_run(42).await;
    let second = scripted_run(42).await;
    assert_eq!(first, second);
    assert!(first.iter().any(|r| r.status == 500) && first.iter().any(|r| r.status == 201));
    let other = scripted_run(43).await;
    assert_ne!(first, other);
}
