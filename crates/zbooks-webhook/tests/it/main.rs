//! The receiver end to end: deliveries signed as Zoho signs them (and unsigned, wrongly signed,
//! repeated, replayed), forwarded to a URL and to a command; and the simulator firing its
//! webhooks at the receiver on creates and updates, retrying while the receiver is down.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure fails the test loudly"
)]

#[path = "../../../zbooks-alert/tests/it/receivers.rs"]
#[expect(
    dead_code,
    reason = "shared with zbooks-alert's tests; only the HTTP receiver is used here"
)]
mod receivers;

use std::sync::Arc;
use std::time::Duration;

use receivers::HttpReceiver;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use zbooks_sim::{Sim, SimConfig, WebhookEvent, WebhookRule};
use zbooks_webhook::verify::{SIGNATURE_HEADER, sign_hex, signed_input};
use zbooks_webhook::{Event, Forward, Receiver, Store, serve};

const SECRET: &str = "Sh4redSecretFromZoho";

struct Running {
    url: String,
    store: Arc<Store>,
    _stop: oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

async fn start(forward: Forward, listener: Option<TcpListener>) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("webhooks.sqlite")).unwrap());
    let listener = match listener {
        Some(l) => l,
        None => TcpListener::bind("127.0.0.1:0").await.unwrap(),
    };
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let rx = Receiver {
        store: store.clone(),
        secret: SECRET.as_bytes().to_vec(),
        forward,
        retry_every: Duration::from_millis(50),
        max_attempts: 5,
    };
    tokio::spawn(serve(listener, rx, async {
        let _ = stopped.await;
    }));
    Running {
        url,
        store,
        _stop: stop,
        _dir: dir,
    }
}

fn invoice(id: &str, modified: &str) -> Vec<u8> {
    format!(
        r#"{{"invoice":{{"invoice_id":"{id}","invoice_number":"INV-0001","status":"sent","total":1180.0,"last_modified_time":"{modified}"}}}}"#
    )
    .into_bytes()
}

async fn post(url: &str, body: &[u8], signature: Option<&str>) -> (u16, serde_json::Value) {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/json")
        .body(body.to_vec());
    if let Some(s) = signature {
        req = req.header(SIGNATURE_HEADER, s);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

fn signed(body: &[u8]) -> String {
    sign_hex(SECRET.as_bytes(), &signed_input(&[], body))
}

/// Waits until `check` holds on the log (the forwarder works in the background).
async fn until(store: &Store, check: impl Fn(&[Event]) -> bool) -> Vec<Event> {
    for _ in 0..400 {
        let events = store.list(100).unwrap();
        if check(&events) {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("never: {:#?}", store.list(100).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_delivery_is_stored_and_forwarded_once_and_its_repeat_is_a_duplicate() {
    let target = HttpReceiver::start().await;
    let rx = start(Forward::Url(format!("{}/books-events", target.url())), None).await;
    let body = invoice("4600000012345", "2026-12-07T10:00:00+0530");
    let (status, answer) = post(&format!("{}/zoho", rx.url), &body, Some(&signed(&body))).await;
    assert_eq!((status, answer["status"].as_str()), (200, Some("accepted")));
    // Zoho retries (its answer lost): the same delivery again.
    let (status, answer) = post(&format!("{}/zoho", rx.url), &body, Some(&signed(&body))).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("duplicate"))
    );
    let events = until(&rx.store, |e| e.iter().any(|e| e.forward == "done")).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].verdict, "accepted");
    assert_eq!(events[1].module.as_deref(), Some("invoice"));
    assert_eq!(events[1].entity_id.as_deref(), Some("4600000012345"));
    assert_eq!(events[0].verdict, "duplicate");
    assert_eq!(events[0].forward, "none");
    let forwarded = target.requests();
    assert_eq!(forwarded.len(), 1, "forwarded once");
    assert_eq!(forwarded[0].body, body);
    assert_eq!(
        forwarded[0].header("x-zbooks-webhook-module"),
        Some("invoice")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_and_wrongly_signed_deliveries_are_refused_and_kept_out() {
    let target = HttpReceiver::start().await;
    let rx = start(Forward::Url(target.url()), None).await;
    let body = invoice("1", "2026-12-07T10:00:00+0530");
    let (status, _) = post(&rx.url, &body, None).await;
    assert_eq!(status, 401);
    let wrong = sign_hex(b"not-the-secret", &body);
    let (status, answer) = post(&rx.url, &body, Some(&wrong)).await;
    assert_eq!(status, 401);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("does not match"),
        "{answer}"
    );
    // The secret itself as the header (a receiver pattern seen in the wild) is no signature.
    let (status, _) = post(&rx.url, &body, Some(SECRET)).await;
    assert_eq!(status, 401);
    let events = rx.store.list(10).unwrap();
    assert_eq!(events.len(), 3);
    assert!(
        events
            .iter()
            .all(|e| e.verdict == "refused" && e.forward == "none")
    );
    assert_eq!(
        events[2].reason.as_deref(),
        Some("no X-Zoho-Webhook-Signature header")
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(target.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_change_replayed_after_a_newer_one_is_refused() {
    let rx = start(Forward::None, None).await;
    let newer = invoice("77", "2026-12-07T11:00:00+0530");
    let older = invoice("77", "2026-12-07T10:00:00+0530");
    assert_eq!(
        post(&rx.url, &newer, Some(&signed(&newer))).await.1["status"],
        "accepted"
    );
    let (status, answer) = post(&rx.url, &older, Some(&signed(&older))).await;
    assert_eq!((status, answer["status"].as_str()), (200, Some("replay")));
    let events = rx.store.list(10).unwrap();
    assert!(
        events[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("newer change"),
        "{events:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_and_form_pairs_are_signed_sorted_and_base64_is_accepted() {
    let rx = start(Forward::None, None).await;
    // A form body, and an organization id in the URL.
    let form = "module=contact&contact_id=9001&last_modified_time=2026-12-07T09%3A00%3A00%2B0530";
    let pairs: Vec<(String, String)> = [
        ("organization_id", "60012345678"),
        ("module", "contact"),
        ("contact_id", "9001"),
        ("last_modified_time", "2026-12-07T09:00:00+0530"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let hex = sign_hex(SECRET.as_bytes(), &signed_input(&pairs, b""));
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).unwrap())
        .collect();
    let b64 = base64_encode(&bytes);
    let r = reqwest::Client::new()
        .post(format!("{}/hook?organization_id=60012345678", rx.url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(SIGNATURE_HEADER, b64)
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let e = &rx.store.list(1).unwrap()[0];
    assert_eq!(e.verdict, "accepted");
    assert_eq!(e.module.as_deref(), Some("contact"));
    assert_eq!(e.entity_id.as_deref(), Some("9001"));
    assert_eq!(e.organization_id.as_deref(), Some("60012345678"));
}

fn base64_encode(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_gets_the_event_on_stdin_and_a_failing_target_is_retried() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("event.json");
    let rx = start(
        Forward::Command(format!(
            "cat > '{}' && echo $ZBOOKS_WEBHOOK_MODULE $ZBOOKS_WEBHOOK_ENTITY_ID >> '{}'",
            out.display(),
            out.display()
        )),
        None,
    )
    .await;
    let body = invoice("31", "2026-12-07T10:00:00+0530");
    post(&rx.url, &body, Some(&signed(&body))).await;
    until(&rx.store, |e| {
        e.first().is_some_and(|e| e.forward == "done")
    })
    .await;
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with(std::str::from_utf8(&body).unwrap()));
    assert!(written.ends_with("invoice 31\n"), "{written}");
    // A command that fails is tried again, then left failed.
    let failing = start(Forward::Command("exit 3".to_owned()), None).await;
    post(&failing.url, &body, Some(&signed(&body))).await;
    let events = until(&failing.store, |e| {
        e.first().is_some_and(|e| e.forward == "failed")
    })
    .await;
    assert_eq!(events[0].forward_attempts, 5);
    assert!(
        events[0]
            .forward_error
            .as_deref()
            .unwrap()
            .contains("exited"),
        "{events:#?}"
    );
}

/// Waits until the simulator's delivery attempts satisfy `check`.
async fn attempts_until(
    sim: &zbooks_sim::RunningSim,
    check: impl Fn(&[zbooks_sim::WebhookAttempt]) -> bool,
) -> Vec<zbooks_sim::WebhookAttempt> {
    for _ in 0..400 {
        let attempts = sim.webhook_attempts();
        if check(&attempts) {
            return attempts;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("never: {:#?}", sim.webhook_attempts());
}

/// An access token for the simulator's demo user.
async fn token(sim: &zbooks_sim::RunningSim) -> String {
    let demo = sim.demo();
    let r: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/oauth/v2/token", sim.accounts_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", demo.client_id.as_str()),
            ("client_secret", demo.client_secret.as_str()),
            ("refresh_token", demo.refresh_token.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_fires_on_create_and_update_and_retries_until_the_receiver_is_up() {
    let sim = Sim::start(SimConfig {
        minute: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let org = sim.demo().organization_id;
    // The receiver's port, not listening yet: the first deliveries fail.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    sim.set_webhooks(vec![WebhookRule {
        module: "contact".to_owned(),
        events: vec![WebhookEvent::Created, WebhookEvent::Updated],
        url: format!("http://127.0.0.1:{port}/zoho/contacts"),
        secret: SECRET.to_owned(),
    }]);
    let access = token(&sim).await;
    let http = reqwest::Client::new();
    let created: serde_json::Value = http
        .post(format!("{}/contacts?organization_id={org}", sim.api_url()))
        .header("Authorization", format!("Zoho-oauthtoken {access}"))
        .json(&serde_json::json!({"contact_name": "Webhook Customer"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["contact"]["contact_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Two attempts fail while nobody listens, then the receiver comes up.
    for _ in 0..200 {
        if sim.webhook_attempts().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let rx = start(Forward::None, Some(listener)).await;
    let events = until(&rx.store, |e| e.iter().any(|e| e.verdict == "accepted")).await;
    assert_eq!(events[0].module.as_deref(), Some("contact"));
    assert_eq!(events[0].entity_id.as_deref(), Some(id.as_str()));
    // The simulator writes an attempt down once the answer is in: wait for it.
    let attempts = attempts_until(&sim, |a| a.last().is_some_and(|a| a.status.is_some())).await;
    assert!(attempts.len() >= 3, "{attempts:#?}");
    assert!(
        attempts[0]
            .error
            .as_deref()
            .unwrap()
            .starts_with("could not connect")
    );
    assert_eq!(attempts.last().unwrap().status, Some(200));
    assert!(attempts.iter().all(|a| a.event == WebhookEvent::Created));
    // An update fires the rule again: a new change of the record, accepted.
    http.put(format!(
        "{}/contacts/{id}?organization_id={org}",
        sim.api_url()
    ))
    .header("Authorization", format!("Zoho-oauthtoken {access}"))
    .json(&serde_json::json!({"contact_name": "Webhook Customer Renamed"}))
    .send()
    .await
    .unwrap();
    let events = until(&rx.store, |e| {
        e.iter().filter(|e| e.verdict == "accepted").count() == 2
    })
    .await;
    assert!(
        events.iter().all(|e| e.verdict == "accepted"),
        "{events:#?}"
    );
    let last = attempts_until(&sim, |a| {
        a.last().is_some_and(|a| a.event == WebhookEvent::Updated)
    })
    .await;
    assert_eq!(last.last().unwrap().status, Some(200));
    assert_eq!(last.last().unwrap().attempt, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_simulator_is_told_through_its_control_api() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let rx = start(Forward::None, None).await;
    let http = reqwest::Client::new();
    let control = sim.control_url();
    let rules = serde_json::json!({"webhooks": [{
        "module": "contact", "events": ["created"],
        "url": format!("{}/hook", rx.url), "secret": SECRET,
    }]});
    let put = http
        .put(format!("{control}/webhooks"))
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status().as_u16(), 200);
    let wrong = http
        .put(format!("{control}/webhooks"))
        .json(&serde_json::json!({"webhooks": [], "extra": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 400, "unknown fields are refused");
    let org = sim.demo().organization_id;
    let access = token(&sim).await;
    http.post(format!("{}/contacts?organization_id={org}", sim.api_url()))
        .header("Authorization", format!("Zoho-oauthtoken {access}"))
        .json(&serde_json::json!({"contact_name": "Told By Control"}))
        .send()
        .await
        .unwrap();
    until(&rx.store, |e| e.iter().any(|e| e.verdict == "accepted")).await;
    // The simulator writes the attempt down once it has read the answer.
    let mut listed = serde_json::Value::Null;
    for _ in 0..400 {
        listed = http
            .get(format!("{control}/webhooks"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if listed["attempts"][0]["status"].is_number() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(listed["webhooks"][0]["module"], "contact");
    assert_eq!(listed["attempts"][0]["status"], 200);
}
