//! Retries (docs/design.md promises 1, 2 and 5): server failures retried within the budget, the
//! answers that are never retried, and a 200 that carries an error.

use zbooks_client::{ErrorKind, Method, RetryBudgetConfig, RetryConfig};
use zbooks_sim::{FaultAction, FaultRule};
use zbooks_types::{FailureClass, Plan, Sent};

use zbooks_testkit::{Recorder, demo_client, fast_retry, fast_sim, start, start_with_faults};

#[tokio::test]
async fn retries_a_500_and_an_html_502_then_succeeds() {
    let (sim, demo) = start_with_faults(vec![
        FaultRule::on(
            "GET",
            "/books/v3/contacts",
            FaultAction::zoho(500, 1000, "Internal error"),
        )
        .nth(1),
        FaultRule::on(
            "GET",
            "/books/v3/contacts",
            FaultAction::GatewayHtml { status: 502 },
        )
        .nth(2),
    ])
    .await;
    let recorder = Recorder::new();
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .event_sink(recorder.clone())
        .build()
        .unwrap();
    let before = client.retry_budget_available();
    client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    let statuses: Vec<u16> = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 502, 200]);
    assert_eq!(
        client.retry_budget_available(),
        before,
        "success refunds the retries"
    );
    let events = recorder.events();
    let events: Vec<_> = events
        .into_iter()
        .filter(|e| e.kind == zbooks_types::event::EventKind::Attempt)
        .collect();
    let attempts: Vec<(u32, Option<FailureClass>)> =
        events.iter().map(|e| (e.attempt, e.class)).collect();
    assert_eq!(
        attempts,
        [
            (1, Some(FailureClass::TransientServer)),
            (2, Some(FailureClass::TransientServer)),
            (3, None)
        ]
    );
    assert!(
        events[1]
            .waited
            .iter()
            .any(|w| w.reason == zbooks_types::event::WaitReason::Backoff)
    );
}

#[tokio::test]
async fn an_empty_retry_budget_stops_retries() {
    // A 503 without Zoho's code, as a gateway answers.
    let every = FaultRule::on(
        "GET",
        "/books/v3/contacts",
        FaultAction::Status {
            status: 503,
            body: None,
            code: None,
            message: Some("Service Unavailable".into()),
        },
    );
    let (sim, demo) = start_with_faults(vec![every]).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .retry(RetryConfig {
            max_attempts: 10,
            budget: RetryBudgetConfig {
                capacity: 10,
                retry_cost: 5,
                timeout_cost: 10,
                success_refund: 1,
            },
            ..fast_retry()
        })
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::RetryBudgetExhausted, "{err}");
    assert_eq!(err.status(), Some(503));
    let gets = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(
        gets, 3,
        "two retries of 5 tokens each, then the bucket is empty"
    );
}

#[tokio::test]
async fn a_200_with_a_nonzero_code_is_an_error_and_not_retried() {
    let (sim, demo) = start_with_faults(vec![
        FaultRule::on(
            "GET",
            "/books/v3/contacts",
            FaultAction::zoho(200, 2, "Invalid value passed for filter_by"),
        )
        .nth(1),
    ])
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
    assert_eq!(err.class(), FailureClass::Validation);
    assert_eq!((err.status(), err.code()), (Some(200), Some(2)));
    assert!(!err.is_retryable());
    assert_eq!(
        sim.request_log()
            .iter()
            .filter(|r| r.method == "GET")
            .count(),
        1
    );
}

#[tokio::test]
async fn wrong_organization_and_missing_records_are_not_retried() {
    let (sim, demo) = start(fast_sim()).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    let stranger = client.for_organization(demo.other_user.organization_id.clone());
    let err = stranger
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(6041), "{err}");
    assert_eq!(err.class(), FailureClass::BlockedOrg);
    assert!(
        err.to_string().contains(&demo.other_user.organization_id),
        "{err}"
    );
    let err = client.contacts().get("460000000999999").await.unwrap_err();
    assert_eq!(err.code(), Some(1002), "{err}");
    assert_eq!(err.class(), FailureClass::NotFound);
    let gets = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(gets, 2, "one attempt each");
}

#[tokio::test]
async fn a_create_answered_with_a_5xx_is_not_sent_again() {
    let (sim, demo) = start_with_faults(vec![
        FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::GatewayHtml { status: 502 },
        )
        .nth(1),
    ])
    .await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    let contact = zbooks_client::models::Contact {
        contact_name: Some("Five Hundred Ltd".into()),
        ..zbooks_client::models::Contact::default()
    };
    let err = client.contacts().create(&contact).await.unwrap_err();
    assert!(err.may_have_landed(), "{err}");
    assert_eq!(err.sent(), Sent::Answered);
    assert_eq!(err.status(), Some(502));
    assert!(
        err.failure()
            .unwrap()
            .snippet
            .as_deref()
            .unwrap()
            .contains("Bad Gateway")
    );
    assert_eq!(
        sim.request_log()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/contacts"))
            .count(),
        1
    );
}

/// A stalled answer: the attempt is cut at its timeout (`tokio::time::timeout`, never early)
/// and a GET is sent again; a create is not.
#[tokio::test]
async fn a_stalled_answer_times_out_then_a_get_is_retried_and_a_create_is_not() {
    let (sim, demo) = start_with_faults(vec![
        FaultRule::on("GET", "/books/v3/contacts", FaultAction::Stall).nth(1),
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::Stall).nth(1),
    ])
    .await;
    let recorder = Recorder::new();
    let attempt = std::time::Duration::from_millis(300);
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .timeouts(zbooks_client::Timeouts {
            attempt,
            ..zbooks_client::Timeouts::default()
        })
        .event_sink(recorder.clone())
        .build()
        .unwrap();

    // A guard, so that a timeout that never fires fails the test instead of hanging it.
    let guard = std::time::Duration::from_secs(20);
    tokio::time::timeout(guard, client.request(Method::GET, "/contacts").send())
        .await
        .expect("the stalled attempt was never cut")
        .unwrap();
    let attempts: Vec<_> = recorder
        .events()
        .into_iter()
        .filter(|e| e.kind == zbooks_types::event::EventKind::Attempt)
        .collect();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0].class, Some(FailureClass::TransientServer));
    assert_eq!(attempts[0].status, None);
    assert_eq!(attempts[0].sent, Sent::MaybeSent);
    // Cut at the timeout, not before, and soon after.
    let cut = std::time::Duration::from_millis(attempts[0].duration_ms);
    assert!(cut >= attempt && cut < attempt * 2, "{cut:?}");
    assert_eq!(attempts[1].status, Some(200));

    let create = client
        .request(Method::POST, "/contacts")
        .json(&serde_json::json!({ "contact_name": "Stalled Traders" }))
        .send();
    let err = tokio::time::timeout(guard, create)
        .await
        .expect("the stalled create was never cut")
        .unwrap_err();
    assert_eq!(err.sent(), Sent::MaybeSent, "{err}");
    assert!(
        matches!(err.kind(), ErrorKind::Transport { timeout: true, .. }),
        "{err}"
    );
    let posts = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(
        posts, 1,
        "a create that may have been sent is not sent again"
    );
}
