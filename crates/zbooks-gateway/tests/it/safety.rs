//! Safe by default: an unknown organization refused with the fix, a program's own
//! `Authorization` dropped, remote clients only with a gateway token, bounded bodies and
//! waits, and a shutdown that finishes what is in flight.

use std::time::Duration;

use serde_json::json;
use zbooks_client::LimitsConfig;
use zbooks_gateway::{Gateway, GatewayConfig, GatewayError, MAX_WAIT_HEADER};
use zbooks_sim::{FaultAction, FaultRule};
use zbooks_types::Secret;

use crate::support;

#[tokio::test]
async fn an_unknown_organization_is_refused_in_zohos_shape_with_the_fix() {
    let t = support::start(Vec::new(), |_| {}).await;
    let answer = support::send(
        &t.demo,
        t.http
            .get(t.url("/contacts"))
            .query(&[("organization_id", "99999999")]),
    )
    .await;
    assert_eq!(answer.status, 400);
    let body = answer.json();
    assert_eq!(body["code"], 90001);
    let message = body["message"].as_str().expect("a message");
    assert!(
        message.contains("99999999") && message.contains(&t.demo.organization_id),
        "{message}"
    );
    assert!(body["fix"].as_str().expect("a fix").contains("--profile"));
    // Nothing reached Zoho for it.
    assert!(
        !zbooks_testkit::log_lines(&t.sim)
            .iter()
            .any(|l| l.contains("/contacts"))
    );
    // Named explicitly, the served organization works.
    let ok = support::send(
        &t.demo,
        t.http
            .get(t.url("/contacts"))
            .query(&[("organization_id", t.demo.organization_id.as_str())]),
    )
    .await;
    assert_eq!(ok.status, 200);
    t.stop().await;
}

#[tokio::test]
async fn remote_clients_need_a_gateway_token_and_loopback_is_the_default() {
    let (sim, demo) = zbooks_testkit::start(zbooks_testkit::fast_sim()).await;
    let client = zbooks_testkit::demo_client(&sim, &demo)
        .build()
        .expect("client");
    let remote = GatewayConfig {
        listen: "0.0.0.0:0".parse().expect("an address"),
        ..GatewayConfig::default()
    };
    let refused = Gateway::new(remote.clone())
        .organization(client.clone())
        .start()
        .await
        .expect_err("not loopback");
    assert!(matches!(refused, GatewayError::Config(_)), "{refused}");
    let refused = Gateway::new(GatewayConfig {
        allow_remote: true,
        ..remote
    })
    .organization(client.clone())
    .start()
    .await
    .expect_err("no token");
    assert!(
        refused.to_string().contains("ZBOOKS_GATEWAY_TOKEN"),
        "{refused}"
    );
    sim.shutdown().await;

    let t = support::start(Vec::new(), |c| {
        c.allow_remote = true;
        c.token = Some(Secret::new("gateway-token-for-the-test"));
    })
    .await;
    for wrong in [
        None,
        Some("Bearer nope"),
        Some("Zoho-oauthtoken not-the-gateway-token"),
    ] {
        let mut request = t.http.get(t.url("/contacts"));
        if let Some(wrong) = wrong {
            request = request.header("Authorization", wrong);
        }
        let answer = support::send(&t.demo, request).await;
        assert_eq!(answer.status, 401, "{wrong:?}");
        assert_eq!(answer.json()["code"], 90002);
    }
    let status = support::send(&t.demo, t.http.get(t.root("/__zbooks/status"))).await;
    assert_eq!(status.status, 401, "the status needs the token too");
    for right in [
        ("Authorization", "Bearer gateway-token-for-the-test"),
        (
            "Authorization",
            "Zoho-oauthtoken gateway-token-for-the-test",
        ),
        ("X-Zbooks-Token", "gateway-token-for-the-test"),
    ] {
        let answer = support::send(
            &t.demo,
            t.http.get(t.url("/contacts")).header(right.0, right.1),
        )
        .await;
        assert_eq!(answer.status, 200, "{right:?}: {}", answer.text);
    }
    assert_eq!(t.sim.counters().token_requests, 1);
    t.stop().await;
}

#[tokio::test]
async fn bodies_over_the_limit_and_not_json_are_refused_before_zoho() {
    let t = support::start(Vec::new(), |c| c.max_body = 1024).await;
    let big = "x".repeat(4096);
    let answer = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .json(&json!({"contact_name": "Big", "notes": big})),
    )
    .await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["code"], 90005);
    let answer = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .header("Content-Type", "text/plain")
            .body("contact_name=Plain"),
    )
    .await;
    assert_eq!(answer.status, 415);
    assert_eq!(answer.json()["code"], 90006);
    // Zoho's form with JSONString is taken as its JSON.
    let answer = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("JSONString=%7B%22contact_name%22%3A%22Form%20Customer%22%7D"),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_eq!(answer.json()["contact"]["contact_name"], "Form Customer");
    let posts = zbooks_testkit::log_lines(&t.sim)
        .iter()
        .filter(|l| l.starts_with("POST /books/v3/contacts"))
        .count();
    assert_eq!(posts, 1, "only the form reached Zoho");
    t.stop().await;
}

#[tokio::test]
async fn a_request_that_would_wait_too_long_gets_a_429_with_retry_after() {
    // Two calls per ten-second window: after one call the next slot is five seconds away.
    let slow = LimitsConfig {
        per_window: 2,
        window: Duration::from_secs(10),
        ..LimitsConfig::default()
    };
    let t = support::start(Vec::new(), |c| c.limits = slow).await;
    let first = support::send(&t.demo, t.http.get(t.url("/contacts"))).await;
    assert_eq!(first.status, 200);
    let answer = support::send(
        &t.demo,
        t.http.get(t.url("/contacts")).header(MAX_WAIT_HEADER, "1"),
    )
    .await;
    assert_eq!(answer.status, 429, "{}", answer.text);
    let body = answer.json();
    assert_eq!(body["code"], 90008);
    assert!(body["fix"].as_str().expect("a fix").contains("Retry-After"));
    let after: u64 = answer.headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=10).contains(&after), "{after}");
    let contacts = zbooks_testkit::log_lines(&t.sim)
        .iter()
        .filter(|l| l.starts_with("GET /books/v3/contacts"))
        .count();
    assert_eq!(contacts, 1, "the refused request never reached Zoho");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_the_request_in_flight() {
    let slow = FaultRule::on("GET", "/books/v3/contacts", FaultAction::Delay { ms: 400 }).nth(1);
    let t = support::start(vec![slow], |_| {}).await;
    let (http, url, demo) = (t.http.clone(), t.url("/contacts"), t.demo.clone());
    let call = tokio::spawn(async move { support::send(&demo, http.get(url)).await });
    // Wait until the gateway holds it.
    loop {
        let status = support::send(&t.demo, t.http.get(t.root("/__zbooks/status"))).await;
        if status.json()["gateway"]["in_flight"] == 1 {
            break;
        }
        tokio::task::yield_now().await;
    }
    let addr = t.gateway.local_addr();
    let support::Setup { sim, gateway, .. } = t;
    gateway.shutdown().await;
    let answer = call.await.expect("the call");
    assert_eq!(
        answer.status, 200,
        "answered although the gateway was stopping"
    );
    assert!(
        reqwest::get(format!("http://{addr}/books/v3/contacts"))
            .await
            .is_err(),
        "no longer listening"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn two_organizations_each_with_its_own_queue_and_the_first_the_default() {
    let (sim, demo) = zbooks_testkit::start(zbooks_testkit::fast_sim()).await;
    let client = zbooks_testkit::demo_client(&sim, &demo)
        .build()
        .expect("client");
    // The demo user's second organization (its trial expired: reads work, writes do not).
    let second = demo.trial_expired_organization_id.clone();
    let gateway = Gateway::new(GatewayConfig {
        listen: "127.0.0.1:0".parse().expect("an address"),
        limits: zbooks_testkit::fast_limits(),
        ..GatewayConfig::default()
    })
    .organization(client.clone())
    .organization(client.for_organization(&second))
    .start()
    .await
    .expect("gateway");
    let http = reqwest::Client::new();
    let url = format!("{}/contacts", gateway.base_url());
    let default = support::send(&demo, http.get(&url)).await;
    assert_eq!(default.status, 200);
    let other = support::send(&demo, http.get(&url).query(&[("organization_id", &second)])).await;
    assert_eq!(other.status, 200, "{}", other.text);
    let refused = support::send(
        &demo,
        http.post(&url)
            .query(&[("organization_id", &second)])
            .json(&json!({"contact_name": "Trial Customer"})),
    )
    .await;
    assert_eq!(
        refused.json()["code"],
        103_001,
        "Zoho's own refusal, passed on: {}",
        refused.text
    );
    let orgs: Vec<String> = zbooks_testkit::log_lines(&sim)
        .iter()
        .filter(|l| l.contains("/contacts"))
        .cloned()
        .collect();
    assert_eq!(orgs.len(), 3, "{orgs:?}");
    let status = support::send(
        &demo,
        http.get(format!("http://{}/__zbooks/status", gateway.local_addr())),
    )
    .await
    .json();
    let rows = status["organizations"].as_array().expect("rows");
    assert_eq!(rows.len(), 2, "{status}");
    let defaults: Vec<_> = rows.iter().filter(|r| r["default"] == true).collect();
    assert_eq!(defaults.len(), 1);
    assert_eq!(
        defaults[0]["organization_id"],
        demo.organization_id.as_str()
    );
    gateway.shutdown().await;
    sim.shutdown().await;
}
