//! Tokens: one refresh for many callers, the token-request guard, the accounts server's
//! "Access Denied", 57 and 14, and tokens of another data center (docs/design.md promise 4).

use std::sync::Arc;
use std::time::Duration;

use zbooks_client::{Client, Credentials, ErrorKind, LimitsConfig, MemoryStore, Method};
use zbooks_sim::{FaultAction, FaultRule, OrgSpec, Scenario, SimConfig, UserSpec};
use zbooks_types::{DataCenter, FailureClass, ManualClock, Plan};

use zbooks_testkit::{
    assert_no_unmatched, demo_client, fast_limits, fast_retry, fast_sim, fast_tokens, log_lines,
    start, start_with_faults,
};

fn token_requests(sim: &zbooks_sim::RunningSim) -> usize {
    sim.request_log()
        .iter()
        .filter(|r| r.path.ends_with("/oauth/v2/token"))
        .count()
}

async fn hundred_calls(client: &Client) {
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.request(Method::GET, "/contacts").send().await
        }));
    }
    for task in tasks {
        task.await.unwrap().expect("every call succeeds");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_calls_across_an_expiry_make_one_token_request() {
    let (sim, demo) = start(SimConfig {
        limits_enabled: false,
        ..fast_sim()
    })
    .await;
    let clock = ManualClock::new(zbooks_types::Clock::now(&zbooks_types::SystemClock));
    let client = demo_client(&sim, &demo)
        .clock(Arc::new(clock.clone()))
        .limits(LimitsConfig::disabled())
        .build()
        .unwrap();
    client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    assert_eq!(token_requests(&sim), 1);
    // The hour passes: every caller finds the token about to expire at once.
    clock.advance(Duration::from_hours(1));
    hundred_calls(&client).await;
    assert_eq!(token_requests(&sim), 2, "{:?}", log_lines(&sim));
    assert_eq!(sim.counters().token_requests, 2);
    assert_no_unmatched(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_calls_refused_with_57_share_one_refresh_and_replay() {
    let (sim, demo) = start(fast_sim()).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    // Zoho expires the token early (revoked, or the 15-token cap): calls get 401/57.
    sim.expire_tokens();
    hundred_calls(&client).await;
    let counters = sim.counters();
    assert_eq!(counters.token_requests, 2, "{:?}", log_lines(&sim));
    let refused = counters.by_status.get(&401).copied().unwrap_or(0);
    assert!((1..=10).contains(&refused), "{refused} calls refused");
    assert_eq!(
        counters.throttled.len(),
        0,
        "no 429: {:?}",
        counters.throttled
    );
}

#[tokio::test]
async fn a_fresh_token_refused_with_57_names_the_missing_scope() {
    let scenario = Scenario {
        users: vec![UserSpec {
            user_id: "reader".into(),
            dc: DataCenter::In,
            client_id: "1000.SIMREADER".into(),
            client_secret: "sim-secret-reader".into(),
            refresh_token: Some("1000.simrefresh.reader".into()),
            scopes: vec!["ZohoBooks.contacts.READ".into()],
        }],
        organizations: vec![OrgSpec {
            organization_id: "60000000010".into(),
            name: "Reader Ltd".into(),
            plan: Plan::Professional,
            dc: DataCenter::In,
            trial_expired: false,
            members: vec!["reader".into()],
            currency_code: "INR".into(),
            unique_custom_fields: vec![],
        }],
        ..Scenario::default()
    };
    let (sim, _) = start(SimConfig {
        scenario: Some(scenario),
        ..fast_sim()
    })
    .await;
    let client = Client::builder()
        .accounts_url(sim.accounts_url())
        .api_domain(sim.api_domain())
        .organization_id("60000000010")
        .plan(Plan::Professional)
        .credentials(Credentials::refresh_token(
            "1000.SIMREADER",
            "sim-secret-reader",
            "1000.simrefresh.reader",
        ))
        .retry(fast_retry())
        .limits(fast_limits())
        .tokens(fast_tokens())
        .build()
        .unwrap();
    client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    let err = client
        .request(Method::POST, "/invoices")
        .json(&serde_json::json!({"customer_id": "1"}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Scope {
            scope: "ZohoBooks.invoices.CREATE".into()
        }
    );
    assert!(
        err.to_string().contains("ZohoBooks.invoices.CREATE"),
        "{err}"
    );
    assert!(!err.is_retryable());
    let posts = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/books/v3/invoices")
        .count();
    assert_eq!(posts, 2, "one refusal, one replay with a fresh token");
    assert_eq!(token_requests(&sim), 2);
}

#[tokio::test]
async fn a_14_says_the_header_is_misconfigured() {
    let (sim, demo) = start_with_faults(vec![FaultRule::on(
                "GET",
                "/books/v3/contacts",
                FaultAction::zoho(401, 14, "The request could not be authenticated as the authentication value you entered is invalid. Enter a valid authentication value and try again."),
            )])
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
    assert!(
        matches!(err.kind(), ErrorKind::AuthMisconfigured { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("Zoho-oauthtoken"), "{err}");
    assert_eq!(err.code(), Some(14));
    assert_eq!(sim.counters().by_status.get(&401), Some(&1), "not retried");
}

fn access_denied() -> FaultRule {
    FaultRule::on(
        "POST",
        "/oauth/v2/token",
        FaultAction::Status {
            status: 200,
            body: Some(serde_json::json!({
                "error_description": "You have made too many requests continuously. Please try again after some time.",
                "error": "Access Denied",
                "status": "failure"
            })),
            code: None,
            message: None,
        },
    )
    .any_method()
}

#[tokio::test]
async fn access_denied_starts_a_cool_down_not_a_loop() {
    let (sim, demo) = start_with_faults(vec![access_denied()]).await;
    let store = Arc::new(MemoryStore::new());
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .store(store.clone())
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TokenThrottled { .. }),
        "{err}"
    );
    assert_eq!(err.class(), FailureClass::TokenThrottled);
    assert!(err.is_retryable() && err.retry() == zbooks_types::Retry::AfterCooldown);
    // Another client on the same store does not ask either.
    let other = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .store(store)
        .build()
        .unwrap();
    for client in [&client, &other] {
        let err = client
            .request(Method::GET, "/contacts")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::TokenThrottled { .. }),
            "{err}"
        );
    }
    assert_eq!(token_requests(&sim), 1, "{:?}", log_lines(&sim));
    assert_eq!(
        sim.counters().requests,
        1,
        "no API call was sent without a token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_storm_across_20_clients_stays_within_10_token_requests() {
    let (sim, demo) = start(fast_sim()).await;
    let store = Arc::new(MemoryStore::new());
    let clients: Vec<Client> = (0..20)
        .map(|_| {
            demo_client(&sim, &demo)
                .plan(Plan::Professional)
                .store(store.clone())
                .build()
                .unwrap()
        })
        .collect();
    let mut throttled = 0;
    // Fifteen early expiries within Zoho's window (10 s here): every client refreshes after
    // each, all at once.
    for _ in 0..15 {
        sim.expire_tokens();
        let mut tasks = Vec::new();
        for client in &clients {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                client.request(Method::GET, "/contacts").send().await
            }));
        }
        for task in tasks {
            if let Err(err) = task.await.unwrap() {
                assert!(
                    matches!(err.kind(), ErrorKind::TokenThrottled { .. }),
                    "{err}"
                );
                throttled += 1;
            }
        }
    }
    let counters = sim.counters();
    assert!(counters.token_requests <= 10, "{}", counters.token_requests);
    assert_eq!(
        counters.token_throttled, 0,
        "zoho never had to say Access Denied"
    );
    assert!(throttled > 0, "the guard refused some refreshes");
}

#[tokio::test]
async fn credentials_of_another_data_center_are_a_clear_error() {
    let (sim, demo) = start(fast_sim()).await;
    let eu = demo.other_dc_user.clone();
    // EU credentials sent to the default (India) accounts server.
    let client = Client::builder()
        .accounts_url(sim.accounts_url())
        .api_domain(sim.api_domain())
        .organization_id(&eu.organization_id)
        .plan(Plan::Standard)
        .credentials(Credentials::refresh_token(
            eu.client_id.clone(),
            eu.client_secret.clone(),
            eu.refresh_token.clone(),
        ))
        .retry(fast_retry())
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::AuthMisconfigured { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("data center"), "{err}");

    // EU credentials at the EU accounts server, but calls pinned to India's API.
    let pinned = Client::builder()
        .accounts_url(eu.accounts_url.clone())
        .api_url(sim.api_url())
        .organization_id(&eu.organization_id)
        .plan(Plan::Standard)
        .credentials(Credentials::refresh_token(
            eu.client_id.clone(),
            eu.client_secret.clone(),
            eu.refresh_token.clone(),
        ))
        .retry(fast_retry())
        .tokens(fast_tokens())
        .build()
        .unwrap();
    let err = pinned
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::WrongDataCenter {
            token_api_domain, ..
        } => assert_eq!(token_api_domain, &eu.accounts_url),
        other => panic!("expected a data-center error, got {other:?}: {err}"),
    }
    assert!(!err.is_retryable());

    // Configured for India, but following the token's api_domain reaches the EU data center.
    let following = Client::builder()
        .accounts_url(eu.accounts_url.clone())
        .api_domain(sim.api_domain())
        .organization_id(&eu.organization_id)
        .plan(Plan::Standard)
        .credentials(Credentials::refresh_token(
            eu.client_id,
            eu.client_secret,
            eu.refresh_token,
        ))
        .build()
        .unwrap();
    following
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    assert_eq!(following.api_domain(), eu.accounts_url);
    assert_no_unmatched(&sim);
}

/// Zoho's tokens live an hour and the client refreshes 5 minutes early; a server (or a
/// simulator) whose tokens live less than that margin must not cost a refresh per call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_shorter_lived_than_the_refresh_margin_serves_many_calls() {
    let (sim, demo) = start(SimConfig {
        token_lifetime: Duration::from_mins(1),
        ..fast_sim()
    })
    .await;
    let tokens = zbooks_client::TokenConfig {
        refresh_before: Duration::from_mins(5),
        ..fast_tokens()
    };
    let client = demo_client(&sim, &demo).tokens(tokens).build().unwrap();
    for _ in 0..30 {
        client
            .request(Method::GET, "/contacts")
            .send()
            .await
            .expect("every call succeeds");
    }
    assert_eq!(token_requests(&sim), 1, "{:?}", log_lines(&sim));

    // Another process sharing the store uses the same short-lived token, not one of its own.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = Arc::new(zbooks_store::SqliteStore::open(&path).unwrap());
    let first = demo_client(&sim, &demo)
        .tokens(tokens)
        .store(store)
        .build()
        .unwrap();
    first
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    let other = Arc::new(zbooks_store::SqliteStore::open(&path).unwrap());
    let second = demo_client(&sim, &demo)
        .tokens(tokens)
        .store(other)
        .build()
        .unwrap();
    for _ in 0..5 {
        second
            .request(Method::GET, "/contacts")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(token_requests(&sim), 2, "{:?}", log_lines(&sim));
    assert_no_unmatched(&sim);
}
