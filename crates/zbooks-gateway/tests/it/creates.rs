//! Creates through the gateway are never doubled: a lost answer is settled by a lookup, an
//! `Idempotency-Key` replays the first answer, and a create with no natural key whose answer
//! was lost gets a 502 saying so, not a second record.

use serde_json::json;
use zbooks_gateway::{ADOPTED_HEADER, REPLAY_HEADER};
use zbooks_sim::{FaultAction, FaultRule};

use crate::support;

fn posts(sim: &zbooks_sim::RunningSim, path: &str) -> usize {
    zbooks_testkit::log_lines(sim)
        .iter()
        .filter(|l| l.starts_with(&format!("POST {path} ")))
        .count()
}

#[tokio::test]
async fn a_lost_create_answer_is_found_by_its_key_not_sent_again() {
    let lost = FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter).nth(1);
    let t = support::start(vec![lost], |_| {}).await;
    let answer = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .json(&json!({"contact_name": "Lost Answer Traders"})),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let body = answer.json();
    assert_eq!(body["code"], 0);
    assert_eq!(body["contact"]["contact_name"], "Lost Answer Traders");
    assert!(
        body["contact"]["contact_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert_eq!(
        answer.headers[ADOPTED_HEADER],
        "contact_name=Lost Answer Traders"
    );
    let counters = t.sim.counters();
    assert_eq!(counters.faults_fired, 1);
    assert_eq!(posts(&t.sim, "/books/v3/contacts"), 1, "sent once");
    let key = format!(
        "{}:contacts:contact_name=Lost Answer Traders",
        t.demo.organization_id
    );
    assert_eq!(
        counters.records_per_natural_key.get(&key),
        Some(&1),
        "{:?}",
        counters.records_per_natural_key
    );
    t.stop().await;
}

#[tokio::test]
async fn a_lost_create_answer_without_a_key_is_a_502_that_says_so() {
    let lost = FaultRule::on("POST", "/books/v3/invoices", FaultAction::ResetAfter).nth(1);
    let t = support::start(vec![lost], |_| {}).await;
    let contact = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .json(&json!({"contact_name": "Invoice Customer"})),
    )
    .await
    .json();
    let customer = contact["contact"]["contact_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    // No invoice_number: Zoho numbers it, so there is nothing to look it up by.
    let answer = support::send(
        &t.demo,
        t.http
            .post(t.url("/invoices"))
            .json(&json!({"customer_id": customer, "line_items": [{"name": "Work", "rate": 100}]})),
    )
    .await;
    assert_eq!(answer.status, 502, "{}", answer.text);
    let body = answer.json();
    assert_eq!(body["code"], 90009);
    let message = body["message"].as_str().expect("a message");
    assert!(message.contains("may have created"), "{message}");
    assert!(
        body["fix"]
            .as_str()
            .expect("a fix")
            .contains("Idempotency-Key")
    );
    assert_eq!(posts(&t.sim, "/books/v3/invoices"), 1, "never sent again");
    // A permanent failure: raised through the alert seam.
    let alerts = t.alerts.all();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(
        (alerts[0].status, alerts[0].code, alerts[0].path.as_str()),
        (502, Some(90009), "/books/v3/invoices")
    );
    support::assert_no_secret(&t.demo, &alerts[0].message);
    t.stop().await;
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    // The first answer is lost on the way: the lookup finds the record, and that answer is
    // the one kept for the key.
    let lost = FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter).nth(1);
    let t = support::start(vec![lost], |_| {}).await;
    let create = || {
        t.http
            .post(t.url("/contacts"))
            .header("Idempotency-Key", "order-1234")
            .json(&json!({"contact_name": "Keyed Customer"}))
    };
    let first = support::send(&t.demo, create()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert!(first.headers.get(REPLAY_HEADER).is_none());
    let second = support::send(&t.demo, create()).await;
    assert_eq!(second.status, 201);
    assert_eq!(second.headers[REPLAY_HEADER], "true");
    assert_eq!(second.text, first.text, "the first answer, as it was");
    // Another key is another create.
    let other = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .header("Idempotency-Key", "order-5678")
            .json(&json!({"contact_name": "Other Customer"})),
    )
    .await;
    assert_eq!(other.status, 201);
    assert!(other.headers.get(REPLAY_HEADER).is_none());
    assert_eq!(posts(&t.sim, "/books/v3/contacts"), 2);
    assert_eq!(t.sim.counters().duplicates_refused, 0);
    t.stop().await;
}

#[tokio::test]
async fn reads_are_retried_on_transient_failures() {
    let flaky = FaultRule::on(
        "GET",
        "/books/v3/contacts",
        FaultAction::Status {
            status: 500,
            body: None,
            code: Some(1000),
            message: Some("Internal error".to_owned()),
        },
    )
    .times(2);
    let reset = FaultRule::on("GET", "/books/v3/items", FaultAction::ResetBefore).nth(1);
    let t = support::start(vec![flaky, reset], |_| {}).await;
    let contacts = support::send(&t.demo, t.http.get(t.url("/contacts"))).await;
    assert_eq!(contacts.status, 200, "{}", contacts.text);
    let items = support::send(&t.demo, t.http.get(t.url("/items"))).await;
    assert_eq!(items.status, 200, "{}", items.text);
    assert_eq!(t.sim.counters().faults_fired, 3);
    t.stop().await;
}

#[tokio::test]
async fn with_a_unique_field_a_keyed_create_is_zohos_upsert_and_survives_a_lost_answer() {
    // The upsert's first answer is lost: the PUT is safe to repeat, and the repeat finds the
    // record by its unique value instead of making a second one.
    let lost = FaultRule::on("PUT", "/books/v3/contacts", FaultAction::ResetAfter).nth(1);
    let t = support::start(vec![lost], |c| {
        c.unique_field = Some("cf_source_id".to_owned());
    })
    .await;
    let answer = support::send(
        &t.demo,
        t.http
            .post(t.url("/contacts"))
            .header("Idempotency-Key", "SRC-77")
            .json(&json!({"contact_name": "Upserted Traders"})),
    )
    .await;
    assert!(
        answer.status == 200 || answer.status == 201,
        "{}",
        answer.text
    );
    let contact = &answer.json()["contact"];
    assert_eq!(contact["contact_name"], "Upserted Traders");
    assert_eq!(contact["custom_fields"][0]["api_name"], "cf_source_id");
    assert_eq!(contact["custom_fields"][0]["value"], "SRC-77");
    let lines = zbooks_testkit::log_lines(&t.sim);
    assert_eq!(posts(&t.sim, "/books/v3/contacts"), 0, "{lines:?}");
    let puts = lines
        .iter()
        .filter(|l| l.starts_with("PUT /books/v3/contacts "))
        .count();
    assert_eq!(puts, 2, "sent again after the lost answer: {lines:?}");
    let counters = t.sim.counters();
    assert_eq!(counters.faults_fired, 1);
    let key = format!(
        "{}:contacts:contact_name=Upserted Traders",
        t.demo.organization_id
    );
    assert_eq!(counters.records_per_natural_key.get(&key), Some(&1));
    t.stop().await;
}
