//! `GET /__zbooks/status` and `GET /__zbooks/metrics` after some traffic.

use serde_json::json;

use crate::support;

#[tokio::test]
async fn status_and_metrics_count_calls_answers_and_the_token() {
    let t = support::start(Vec::new(), |_| {}).await;
    for _ in 0..3 {
        let answer = support::send(&t.demo, t.http.get(t.url("/contacts"))).await;
        assert_eq!(answer.status, 200);
    }
    let created = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .json(&json!({"contact_name": "Status Customer"})),
    )
    .await;
    assert_eq!(created.status, 201);
    let unknown = support::send(
        &t.demo,
        t.http
            .get(t.url("/contacts"))
            .query(&[("organization_id", "1")]),
    )
    .await;
    assert_eq!(unknown.status, 400);

    let status = support::send(&t.demo, t.http.get(t.root("/__zbooks/status"))).await;
    assert_eq!(status.status, 200);
    let body = status.json();
    let orgs = body["organizations"].as_array().expect("organizations");
    let org = orgs
        .iter()
        .find(|o| o["organization_id"] == t.demo.organization_id.as_str())
        .expect("the served organization");
    assert_eq!(org["default"], true);
    assert_eq!(org["answers"]["200"], 3);
    assert_eq!(org["answers"]["201"], 1);
    assert_eq!(org["attempts"], 4);
    assert!(org["calls_today"].as_u64().is_some_and(|n| n >= 4), "{org}");
    assert!(
        org["daily_limit"].as_u64().is_some_and(|n| n >= 1000),
        "{org}"
    );
    assert_eq!(org["queue"], json!({"waiting": 0, "sending": 0}));
    assert_eq!(org["zoho_429s"], 0);
    assert_eq!(body["token"]["requests"], 1);
    assert!(body["token"]["age_seconds"].as_f64().is_some());
    // The unknown organization is counted under the served one, with no row of its own.
    assert_eq!(orgs.len(), 1, "{body}");
    assert_eq!(org["refused"]["unknown_organization"], 1);

    let metrics = support::send(&t.demo, t.http.get(t.root("/__zbooks/metrics"))).await;
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.headers["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/plain")
    );
    let org_id = &t.demo.organization_id;
    for line in [
        format!("zbooks_gateway_answers_total{{organization_id=\"{org_id}\",status=\"200\"}} 3"),
        format!("zbooks_gateway_attempts_total{{organization_id=\"{org_id}\"}} 4"),
        format!("zbooks_gateway_queue_waiting{{organization_id=\"{org_id}\"}} 0"),
        "zbooks_gateway_token_requests_total 1".to_owned(),
        "# TYPE zbooks_gateway_calls_today gauge".to_owned(),
    ] {
        assert!(
            metrics.text.lines().any(|l| l == line),
            "{line} not in\n{}",
            metrics.text
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn the_status_reports_the_token_in_use_from_the_store_not_only_its_own() {
    // Another zbooks process on the same store fetches the token; the gateway fetches none.
    let store = std::sync::Arc::new(zbooks_client::MemoryStore::default());
    let t = support::start_with(Vec::new(), |_| {}, |b| b.token_store(store.clone())).await;
    let other = zbooks_testkit::demo_client(&t.sim, &t.demo)
        .token_store(store)
        .build()
        .expect("client");
    let fetched = other.refresh_now().await.expect("a token");
    let expires_at = fetched.expires_at.expect("an expiry");

    let status = support::send(&t.demo, t.http.get(t.root("/__zbooks/status"))).await;
    assert_eq!(status.status, 200);
    let token = &status.json()["token"];
    assert_eq!(token["requests"], 0, "{token}");
    assert_eq!(token["last_obtained_at"], serde_json::Value::Null);
    assert_eq!(token["cached"], true);
    assert_eq!(
        token["expires_at"],
        zbooks_client::time::rfc3339(expires_at).as_str()
    );
    let age = token["age_seconds"]
        .as_f64()
        .expect("an age from the store");
    let left = token["expires_in_seconds"]
        .as_f64()
        .expect("the time left from the store");
    let lifetime = fetched.lifetime.expect("a lifetime").as_secs_f64();
    assert!(age >= 0.0 && left > 0.0, "{token}");
    assert!(
        (age + left - lifetime).abs() < 1.0,
        "age and time left add up to the lifetime: {token}"
    );

    let metrics = support::send(&t.demo, t.http.get(t.root("/__zbooks/metrics"))).await;
    assert!(
        metrics
            .text
            .lines()
            .any(|l| l.starts_with("zbooks_gateway_token_age_seconds ")),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .lines()
            .any(|l| l.starts_with("zbooks_gateway_token_expires_in_seconds ")),
        "{}",
        metrics.text
    );
    t.stop().await;
}
