//! Typed resources: CRUD, lists as streams over every page, natural keys, upsert.

use std::collections::BTreeSet;

use futures_util::StreamExt;
use zbooks_client::models::Contact;
use zbooks_client::{LimitsConfig, ListQuery, Method};
use zbooks_sim::SimConfig;
use zbooks_types::Plan;

use zbooks_testkit::{assert_no_unmatched, demo_client, fast_sim, start};

fn contact(name: &str) -> Contact {
    Contact {
        contact_name: Some(name.into()),
        ..Contact::default()
    }
}

#[tokio::test]
async fn contacts_round_trip_through_create_get_update_find_and_delete() {
    let (sim, demo) = start(fast_sim()).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    let contacts = client.contacts();
    let created = contacts.create(&contact("Round Trip Ltd")).await.unwrap();
    let id = created.contact_id.clone().unwrap();
    assert!(id.chars().all(|c| c.is_ascii_digit()), "{id}");
    let mut changed = contacts.get(&id).await.unwrap();
    changed.company_name = Some("Round Trip Holdings".into());
    let updated = contacts.update(&id, &changed).await.unwrap();
    assert_eq!(updated.company_name.as_deref(), Some("Round Trip Holdings"));
    let found = contacts
        .find_by_key("Round Trip Ltd")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.contact_id.as_deref(), Some(id.as_str()));
    assert!(contacts.find_by_key("Nobody Ltd").await.unwrap().is_none());
    contacts.delete(&id).await.unwrap();
    let err = contacts.get(&id).await.unwrap_err();
    assert_eq!(err.code(), Some(1002));
    assert_no_unmatched(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_all_streams_every_page() {
    let (sim, demo) = start(SimConfig {
        limits_enabled: false,
        ..fast_sim()
    })
    .await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .limits(LimitsConfig::disabled())
        .build()
        .unwrap();
    let before = client.contacts().list(&ListQuery::new()).await.unwrap();
    assert!(!before.has_more_page);
    let existing = before.items.len();
    let mut tasks = Vec::new();
    for i in 0..450 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client
                .contacts()
                .create(&contact(&format!("Stream {i:03}")))
                .await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let ids: Vec<String> = client
        .contacts()
        .list_all(ListQuery::new())
        .map(|c| c.unwrap().contact_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids.len(), existing + 450);
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "no id twice"
    );
    let gets = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/books/v3/contacts")
        .count();
    assert_eq!(gets, 1 + (existing + 450).div_ceil(200));
}

#[tokio::test]
async fn upsert_by_a_unique_custom_field_creates_then_updates() {
    let (sim, demo) = start(fast_sim()).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    let mut record = contact("Upserted Ltd");
    record.extra.insert(
        "custom_fields".into(),
        serde_json::json!([{"api_name": "cf_source_id", "value": "SRC-1"}]),
    );
    let first = client
        .contacts()
        .upsert_by_custom_field("cf_source_id", "SRC-1", &record)
        .await
        .unwrap();
    record.company_name = Some("Upserted Group".into());
    let second = client
        .contacts()
        .upsert_by_custom_field("cf_source_id", "SRC-1", &record)
        .await
        .unwrap();
    assert_eq!(first.contact_id, second.contact_id);
    assert_eq!(second.company_name.as_deref(), Some("Upserted Group"));
    let puts = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "PUT")
        .count();
    assert_eq!(puts, 2);
}

#[tokio::test]
async fn raw_calls_reach_any_endpoint() {
    let (sim, demo) = start(fast_sim()).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    let orgs = client
        .organizations()
        .list(&ListQuery::new())
        .await
        .unwrap();
    assert!(
        orgs.items
            .iter()
            .any(|o| o.organization_id.as_deref() == Some(demo.organization_id.as_str()))
    );
    let body = client
        .request(Method::GET, "/settings/taxes")
        .send_json()
        .await
        .unwrap();
    assert_eq!(body["code"], 0);
    let err = client
        .request(Method::GET, "/no-such-thing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(!err.is_retryable());
}
