//! Per-organization limits (reference §2): 100 a minute, the plan's daily quota, the plan's
//! in-flight cap; the rate-limit headers; limits off.

use std::time::Duration;

use serde_json::json;
use zbooks_sim::{FaultAction, FaultRule, SimConfig};

use crate::support::{read, start, start_with};

#[tokio::test]
async fn exactly_100_calls_a_minute_then_429_44_until_the_window_ends() {
    let t = start().await;
    let mut codes = Vec::new();
    for _ in 0..150 {
        let res = t.get("/contacts").await;
        codes.push((res.status, res.code()));
    }
    assert_eq!(codes.iter().filter(|c| **c == (200, 0)).count(), 100);
    assert_eq!(codes.iter().filter(|c| **c == (429, 44)).count(), 50);
    assert!(codes[..100].iter().all(|c| c.0 == 200));
    let res = t.get("/contacts").await;
    assert_eq!(res.status, 429);
    assert!(
        res.body["message"]
            .as_str()
            .unwrap()
            .contains("exceeded the maximum number of requests per minute")
    );
    assert!(res.headers.get("retry-after").is_none());
    // The whole organization is blocked, writes included; other organizations are not.
    assert_eq!(
        t.post("/contacts", &json!({"contact_name": "x"}))
            .await
            .code(),
        44
    );
    t.sim.advance_minute();
    assert_eq!(t.get("/contacts").await.status, 200);
    assert_eq!(t.sim.counters().throttled.get(&44), Some(&52));
}

#[tokio::test]
async fn a_short_minute_really_ends() {
    let t = start_with(SimConfig {
        minute: Duration::from_millis(1500),
        ..SimConfig::default()
    })
    .await;
    let mut ok = 0;
    let mut limited = 0;
    for _ in 0..110 {
        match t.get("/contacts").await.status {
            200 => ok += 1,
            429 => limited += 1,
            s => panic!("{s}"),
        }
    }
    // The window started at the first call; a slow machine may cross into the next one.
    assert!(ok >= 100 && limited <= 10, "{ok} {limited}");
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(t.get("/contacts").await.status, 200);
}

#[tokio::test]
async fn daily_quota_is_429_45_with_the_plans_number() {
    let mut t = start().await;
    // The other user's organization is on the Free plan: 1,000 calls a day.
    let d = t.sim.demo();
    t.token = crate::support::refresh(
        &t.http,
        &t.sim.accounts_url(),
        &d.other_user.client_id,
        &d.other_user.client_secret,
        &d.other_user.refresh_token,
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    t.org = d.other_user.organization_id.clone();
    for i in 0..1000 {
        if i % 100 == 0 {
            t.sim.advance_minute();
        }
        let res = t.get("/items").await;
        assert_eq!(res.status, 200, "call {i}: {}", res.body);
        if i == 0 {
            assert_eq!(res.headers["x-rate-limit-limit"], "1000");
            assert_eq!(res.headers["x-rate-limit-remaining"], "999");
            assert!(
                res.headers["x-rate-limit-reset"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
                    <= 86_400
            );
        }
    }
    t.sim.advance_minute();
    let res = t.get("/items").await;
    assert_eq!((res.status, res.code()), (429, 45));
    assert_eq!(
        res.body["message"],
        "The API call for this organization has exceeded the maximum call rate limit of 1,000."
    );
    assert_eq!(res.headers["x-rate-limit-remaining"], "0");
    t.sim.advance_day();
    assert_eq!(t.get("/items").await.status, 200);
}

#[tokio::test]
async fn more_calls_in_flight_than_the_plan_allows_get_429_1070() {
    let t = start().await;
    t.sim.set_faults(vec![FaultRule::on(
        "GET",
        "/books/v3/contacts",
        FaultAction::Delay { ms: 600 },
    )]);
    let url = format!("{}?organization_id={}", t.url("/contacts"), t.org);
    let mut calls = Vec::new();
    for _ in 0..12 {
        let req = t
            .http
            .get(&url)
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token));
        calls.push(tokio::spawn(async move {
            read(req.send().await.unwrap()).await
        }));
    }
    let mut results = Vec::new();
    for c in calls {
        let res = c.await.unwrap();
        results.push((res.status, res.code()));
    }
    // Professional: 10 in flight.
    assert_eq!(
        results.iter().filter(|r| **r == (200, 0)).count(),
        10,
        "{results:?}"
    );
    assert_eq!(
        results.iter().filter(|r| **r == (429, 1070)).count(),
        2,
        "{results:?}"
    );
    t.sim.set_faults(Vec::new());
    assert_eq!(t.get("/contacts").await.status, 200);
}

#[tokio::test]
async fn limits_and_headers_can_be_switched_off() {
    let t = start_with(SimConfig {
        limits_enabled: false,
        ..SimConfig::default()
    })
    .await;
    for _ in 0..130 {
        assert_eq!(t.get("/contacts").await.status, 200);
    }
    assert!(
        t.get("/contacts")
            .await
            .headers
            .get("x-rate-limit-limit")
            .is_none()
    );
    let t = start_with(SimConfig {
        rate_limit_headers: false,
        ..SimConfig::default()
    })
    .await;
    assert!(
        t.get("/contacts")
            .await
            .headers
            .get("x-rate-limit-remaining")
            .is_none()
    );
}

/// The three headers of an answer, or `None` when any is missing.
fn rate(res: &crate::support::Res) -> Option<(u64, u64, u64)> {
    let get = |name: &str| -> Option<u64> { res.headers.get(name)?.to_str().ok()?.parse().ok() };
    Some((
        get("x-rate-limit-limit")?,
        get("x-rate-limit-remaining")?,
        get("x-rate-limit-reset")?,
    ))
}

#[tokio::test]
async fn every_authenticated_route_answers_the_rate_limit_headers_with_consistent_values() {
    let t = start().await;
    let day = SimConfig::default().day.as_secs();
    let kinds = [
        "contacts",
        "items",
        "invoices",
        "customerpayments",
        "bills",
        "vendorpayments",
        "journals",
        "chartofaccounts",
        "settings/taxes",
    ];
    // (what, answer, whether it counts toward the daily quota)
    let mut answers = Vec::new();
    answers.push((
        "GET /organizations".to_owned(),
        t.get("/organizations").await,
        false,
    ));
    let org = format!("/organizations/{}", t.org);
    answers.push((format!("GET {org}"), t.get(&org).await, false));
    for kind in kinds {
        let one = format!("/{kind}/460000000099999");
        answers.push((
            format!("GET /{kind}"),
            t.get(&format!("/{kind}")).await,
            true,
        ));
        answers.push((
            format!("POST /{kind}"),
            t.post(&format!("/{kind}"), &json!({})).await,
            true,
        ));
        answers.push((format!("GET {one}"), t.get(&one).await, true));
        answers.push((format!("PUT {one}"), t.put(&one, &json!({})).await, true));
        answers.push((format!("DELETE {one}"), t.delete(&one).await, true));
    }
    for status in [
        "/invoices/460000000099999/status/sent",
        "/bills/460000000099999/status/void",
    ] {
        answers.push((
            format!("POST {status}"),
            t.post(status, &json!({})).await,
            true,
        ));
    }
    answers.push((
        "GET /contacts?page=x".to_owned(),
        t.get_q("/contacts", &[("page", "x")]).await,
        true,
    ));
    answers.push((
        "GET /organizations (again)".to_owned(),
        t.get("/organizations").await,
        false,
    ));

    // The demo organization's plan: Professional, 5,000 calls a day (reference §2).
    let mut before: Option<(u64, u64, u64)> = None;
    let mut errors = 0;
    for (what, res, counted) in &answers {
        let Some((limit, remaining, reset)) = rate(res) else {
            panic!(
                "{what} ({}) has no X-Rate-Limit-* headers: {:?}",
                res.status, res.headers
            );
        };
        if res.status >= 400 {
            errors += 1;
        }
        assert_eq!(limit, 5_000, "{what}");
        assert!(reset <= day, "{what}: reset {reset}");
        if let Some((_, last_remaining, last_reset)) = before {
            // Seconds until the daily reset only go down within a day.
            assert!(
                reset <= last_reset,
                "{what}: reset {reset} after {last_reset}"
            );
            let expected = if *counted {
                last_remaining - 1
            } else {
                last_remaining
            };
            assert_eq!(remaining, expected, "{what}");
        } else {
            assert_eq!(remaining, 5_000, "{what}: nothing counted yet");
        }
        before = Some((limit, remaining, reset));
    }
    assert!(errors >= 30, "error answers carry them too: {errors}");

    // Without a usable token nothing is known: no headers (reference §2, the 2026 probe).
    let res = read(
        t.http
            .get(t.url("/organizations"))
            .header("Authorization", "Zoho-oauthtoken nope")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 401);
    assert!(rate(&res).is_none());
}
