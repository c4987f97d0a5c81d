//! Limits kept by the client (docs/design.md promise 3): pacing, the pause after a 44, the daily
//! ledger and 45, the in-flight cap and 1070.

use std::time::Duration;

use zbooks_client::{Client, ErrorKind, LimitsConfig, Method};
use zbooks_sim::{FaultAction, FaultRule};
use zbooks_types::{FailureClass, Plan, Retry};

use zbooks_testkit::{Recorder, demo_client, fast_limits, fast_sim, start, start_with_faults};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_44_pauses_the_organization_and_no_further_429_is_served() {
    let (sim, demo) = start(fast_sim()).await;
    // Another integration, pacing nothing, spends the organization's minute.
    let rogue = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .limits(LimitsConfig::disabled())
        .build()
        .unwrap();
    for _ in 0..100 {
        rogue
            .request(Method::GET, "/contacts")
            .send()
            .await
            .unwrap();
    }
    let recorder = Recorder::new();
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .limits(LimitsConfig {
            // Slots 50 ms apart, so the 44 is back before the next call goes; the pause is
            // the simulator's minute.
            window: Duration::from_secs(5),
            burst: 0,
            pause: Some(Duration::from_secs(1)),
            ..LimitsConfig::default()
        })
        .event_sink(recorder.clone())
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.request(Method::GET, "/contacts").send().await
        }));
    }
    for task in tasks {
        task.await
            .unwrap()
            .expect("every call succeeds after the pause");
    }
    let counters = sim.counters();
    assert_eq!(
        counters.throttled.get(&44),
        Some(&1),
        "{:?}",
        counters.throttled
    );
    let events = recorder.events();
    let paused = events
        .iter()
        .filter(|e| {
            e.waited
                .iter()
                .any(|w| w.reason == zbooks_types::event::WaitReason::Paused)
        })
        .count();
    assert!(paused >= 1, "calls waited for the pause: {events:?}");
    assert_eq!(
        events
            .iter()
            .filter(|e| e.class == Some(FailureClass::RateLimitedMinute))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_45_stops_without_retries_with_the_estimated_reset() {
    let (sim, demo) = start_with_faults(vec![FaultRule::on("GET", "/books/v3/contacts", FaultAction::Status {
                    status: 429,
                    body: None,
                    code: Some(45),
                    message: Some("The API call for this organization has exceeded the maximum call rate limit of 5,000.".into()),
                })])
    .await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::QuotaExhausted {
            resets_at: Some(_),
            local: false,
        } => {}
        other => panic!("expected the quota error, got {other:?}"),
    }
    assert_eq!(err.retry(), Retry::NextDay);
    assert_eq!(err.code(), Some(45));
    assert_eq!(sim.counters().by_status.get(&429), Some(&1), "no retry");
    // The next call is refused here, before Zoho would.
    let err = client
        .request(Method::GET, "/items")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::QuotaExhausted { local: true, .. }),
        "{err}"
    );
    assert_eq!(err.sent(), zbooks_types::Sent::NotSent);
    assert_eq!(sim.counters().requests, 2, "token request and the one 45");
}

#[tokio::test]
async fn the_daily_ledger_refuses_locally_before_zoho_does() {
    let (sim, demo) = start(fast_sim()).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .limits(LimitsConfig {
            per_day: Some(3),
            ..fast_limits()
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        client
            .request(Method::GET, "/contacts")
            .send()
            .await
            .unwrap();
    }
    let err = client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::QuotaExhausted {
                local: true,
                resets_at: Some(_)
            }
        ),
        "{err}"
    );
    let snapshot = client.limits_snapshot(&demo.organization_id).await.unwrap();
    let daily = snapshot.daily.unwrap();
    assert_eq!(
        (daily.used, daily.limit),
        (3, 3),
        "headers corrected within the budget"
    );
    let gets = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(gets, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_1070_lowers_the_in_flight_cap_and_retries() {
    let (sim, demo) = start_with_faults(vec![FaultRule::on(
        "GET",
        "/books/v3/contacts",
        FaultAction::Delay { ms: 150 },
    )])
    .await;
    // The client believes 15 may be in flight; the simulator allows the plan's 10.
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .limits(LimitsConfig {
            in_flight: Some(15),
            burst: 20,
            ..fast_limits()
        })
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..15 {
        let client: Client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.request(Method::GET, "/contacts").send().await
        }));
    }
    for task in tasks {
        task.await.unwrap().expect("every call succeeds");
    }
    let counters = sim.counters();
    assert!(
        counters.throttled.get(&1070).copied().unwrap_or(0) >= 1,
        "{counters:?}"
    );
    let cap = client.in_flight_cap(&demo.organization_id).unwrap();
    assert!(cap < 15, "cap {cap}");
}

#[tokio::test]
async fn reads_the_plan_from_organizations_when_not_given() {
    let (sim, demo) = start(fast_sim()).await;
    let client = demo_client(&sim, &demo).build().unwrap();
    client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    // The demo organization is on Professional: 10 in flight.
    assert_eq!(client.in_flight_cap(&demo.organization_id), Some(10));
    let log = sim.request_log();
    assert!(log.iter().any(|r| r.path == "/books/v3/organizations"));
}
