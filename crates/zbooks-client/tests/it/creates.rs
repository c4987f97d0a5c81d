//! A create is never blindly re-sent (docs/design.md promise 5): after a lost answer, a plain create
//! stops with "maybe sent", and `create_or_adopt` looks the record up by its natural key.

use zbooks_client::models::{Contact, Invoice, Item, LineItem};
use zbooks_client::{Client, Outcome};
use zbooks_sim::{FaultAction, FaultRule};
use zbooks_types::{FailureClass, Plan, Sent};

use zbooks_testkit::{assert_no_unmatched, demo_client, start_with_faults};

async fn setup(faults: Vec<FaultRule>) -> (zbooks_sim::RunningSim, Client, String) {
    let (sim, demo) = start_with_faults(faults).await;
    let client = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .build()
        .unwrap();
    (sim, client, demo.organization_id)
}

fn contact(name: &str) -> Contact {
    Contact {
        contact_name: Some(name.into()),
        contact_type: Some("customer".into()),
        ..Contact::default()
    }
}

fn posts(sim: &zbooks_sim::RunningSim, path: &str) -> usize {
    sim.request_log()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .count()
}

fn records(sim: &zbooks_sim::RunningSim, key: &str) -> u64 {
    sim.counters()
        .records_per_natural_key
        .get(key)
        .copied()
        .unwrap_or(0)
}

#[tokio::test]
async fn does_not_resend_create_after_lost_response() {
    let (sim, client, org) = setup(vec![
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter).nth(1),
    ])
    .await;
    let err = client
        .contacts()
        .create(&contact("Lost Answer Ltd"))
        .await
        .unwrap_err();
    assert_eq!(err.sent(), Sent::MaybeSent, "{err}");
    assert!(err.may_have_landed());
    assert_eq!(err.retry(), zbooks_types::Retry::IfIdempotent);
    assert_eq!(posts(&sim, "/books/v3/contacts"), 1, "not re-sent");
    assert_eq!(
        records(
            &sim,
            &format!("{org}:contacts:contact_name=Lost Answer Ltd")
        ),
        1
    );
}

#[tokio::test]
async fn create_or_adopt_adopts_the_record_a_lost_answer_created() {
    let (sim, client, org) = setup(vec![
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter).nth(1),
    ])
    .await;
    let outcome = client
        .contacts()
        .create_or_adopt(&contact("Adopted Traders"), "Adopted Traders")
        .await;
    let Outcome::Adopted(id) = outcome else {
        panic!("expected adoption, got {outcome:?}");
    };
    let found = client.contacts().get(&id).await.unwrap();
    assert_eq!(found.contact_name.as_deref(), Some("Adopted Traders"));
    assert_eq!(posts(&sim, "/books/v3/contacts"), 1);
    assert_eq!(
        records(
            &sim,
            &format!("{org}:contacts:contact_name=Adopted Traders")
        ),
        1
    );
    assert_no_unmatched(&sim);
}

#[tokio::test]
async fn create_or_adopt_sends_again_when_nothing_landed() {
    let (sim, client, org) = setup(vec![
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetBefore).nth(1),
    ])
    .await;
    let outcome = client
        .contacts()
        .create_or_adopt(&contact("Second Try Ltd"), "Second Try Ltd")
        .await;
    assert!(matches!(outcome, Outcome::Created(_)), "{outcome:?}");
    assert_eq!(posts(&sim, "/books/v3/contacts"), 2);
    assert_eq!(
        records(&sim, &format!("{org}:contacts:contact_name=Second Try Ltd")),
        1
    );
}

#[tokio::test]
async fn create_or_adopt_adopts_an_existing_duplicate() {
    let (sim, client, _) = setup(vec![]).await;
    let created = client
        .contacts()
        .create(&contact("Already Here"))
        .await
        .unwrap();
    let outcome = client
        .contacts()
        .create_or_adopt(&contact("Already Here"), "Already Here")
        .await;
    assert_eq!(outcome.id(), created.contact_id.as_deref(), "{outcome:?}");
    assert!(matches!(outcome, Outcome::Adopted(_)));
    assert_eq!(sim.counters().duplicates_refused, 1);
}

#[tokio::test]
async fn an_invoice_whose_answer_was_lost_exists_once() {
    let (sim, client, org) = setup(vec![
        FaultRule::on("POST", "/books/v3/invoices", FaultAction::ResetAfter).nth(1),
    ])
    .await;
    let customer = client
        .contacts()
        .create(&contact("Invoice Customer"))
        .await
        .unwrap();
    let item = Item {
        name: Some("Widget".into()),
        rate: Some("12.50".parse().unwrap()),
        ..Item::default()
    };
    let item = client.items().create(&item).await.unwrap();
    let line = LineItem {
        item_id: item.item_id.clone(),
        quantity: Some("3".parse().unwrap()),
        rate: Some("12.50".parse().unwrap()),
        ..LineItem::default()
    };
    let invoice = Invoice {
        customer_id: customer.contact_id,
        invoice_number: Some("INV-LOST-1".into()),
        line_items: Some(vec![line]),
        ..Invoice::default()
    };
    let outcome = client
        .invoices()
        .create_or_adopt(&invoice, "INV-LOST-1")
        .await;
    let Outcome::Adopted(id) = outcome else {
        panic!("expected adoption, got {outcome:?}");
    };
    let stored = client.invoices().get(&id).await.unwrap();
    assert_eq!(stored.invoice_number.as_deref(), Some("INV-LOST-1"));
    assert_eq!(stored.total, Some("37.5".parse().unwrap()));
    assert_eq!(posts(&sim, "/books/v3/invoices"), 1);
    assert_eq!(
        records(&sim, &format!("{org}:invoices:invoice_number=INV-LOST-1")),
        1
    );
    // A plain create of the same number is refused, not doubled; Zoho's code for it is not
    // a documented duplicate code, so the refusal is a validation failure...
    let err = client.invoices().create(&invoice).await.unwrap_err();
    assert_eq!(err.class(), FailureClass::Validation, "{err}");
    assert_eq!(err.code(), Some(4), "{err}");
    // ... and create_or_adopt settles it by looking the number up.
    let again = client
        .invoices()
        .create_or_adopt(&invoice, "INV-LOST-1")
        .await;
    assert_eq!(again.id(), Some(id.as_str()), "{again:?}");
    assert!(matches!(again, Outcome::Adopted(_)), "{again:?}");
    assert_eq!(
        records(&sim, &format!("{org}:invoices:invoice_number=INV-LOST-1")),
        1
    );
}

#[tokio::test]
async fn create_or_adopt_adopts_an_item_whose_name_zoho_refuses_without_a_duplicate_code() {
    let (sim, client, org) = setup(vec![]).await;
    let item = Item {
        name: Some("Gadget".into()),
        rate: Some("4".parse().unwrap()),
        ..Item::default()
    };
    let created = client.items().create(&item).await.unwrap();
    let outcome = client.items().create_or_adopt(&item, "Gadget").await;
    assert_eq!(outcome.id(), created.item_id.as_deref(), "{outcome:?}");
    assert!(matches!(outcome, Outcome::Adopted(_)), "{outcome:?}");
    assert_eq!(sim.counters().duplicates_refused, 1);
    assert_eq!(records(&sim, &format!("{org}:items:name=Gadget")), 1);
    // A refusal that is not a duplicate stays a failure: nothing by that name exists.
    let nameless_rate = Item {
        name: Some("Nothing Like It".into()),
        ..Item::default()
    };
    let outcome = client
        .items()
        .create_or_adopt(&nameless_rate, "Nothing Like It")
        .await;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
}
