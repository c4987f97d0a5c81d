//! The executor against the simulator: the vendored Tally fixtures import and reconcile voucher
//! by voucher, faults are survived without a duplicate, a killed run resumes, the daily quota
//! stops a run that the next day finishes.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use zbooks_client::Client;
use zbooks_import::{
    ExecuteOptions, ExistingRecords, Parsed, RunInput, RunResult, Stop, StopHandle,
    ValidateOptions, execute, fingerprint, parse_tally_bytes, validate,
};
use zbooks_sim::{FaultAction, FaultRule, RunningSim};
use zbooks_store::SqliteStore;

use crate::fixture_bytes;

/// A simulator whose minute lasts a second (the limit stays 100 a minute).
async fn sim() -> RunningSim {
    crate::sim(Duration::from_secs(1), 7).await
}

/// A client of the demo organization, paced to the simulator's short minute.
fn client(sim: &RunningSim, store: Arc<SqliteStore>) -> Client {
    crate::demo_client(sim, Duration::from_secs(1))
        .store(store)
        .build()
        .expect("client builds")
}

fn options() -> ExecuteOptions {
    ExecuteOptions {
        defer: Duration::from_millis(300),
        settle: Duration::ZERO,
        ..ExecuteOptions::default()
    }
}

async fn run(
    client: &Client,
    store: &SqliteStore,
    name: &str,
    parsed: &Parsed,
    options: ExecuteOptions,
) -> RunResult {
    let validation = validate(
        &parsed.records,
        &parsed.report,
        &ExistingRecords::new(),
        ValidateOptions::default(),
    );
    let fp = fingerprint(name.as_bytes(), "", client.organization_id().unwrap());
    let input = RunInput {
        records: &parsed.records,
        validation: &validation,
        unread: &[],
        file: name,
        fingerprint: &fp,
    };
    execute(
        client,
        store,
        &input,
        options,
        &StopHandle::new(),
        &mut |_| {},
    )
    .await
    .expect("the run starts")
}

fn assert_no_duplicates(sim: &RunningSim) {
    let counters = sim.counters();
    let doubled: Vec<_> = counters
        .records_per_natural_key
        .iter()
        .filter(|(_, n)| **n > 1)
        .collect();
    assert!(doubled.is_empty(), "duplicates: {doubled:?}");
    assert_eq!(counters.unmatched_routes, 0, "{:?}", counters.unmatched);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_both_fixtures_and_reconciles_voucher_by_voucher() {
    for file in ["sample-company.xml", "real-daybook-tallyprime.xml"] {
        let sim = sim().await;
        let store = Arc::new(SqliteStore::open_in_memory().unwrap());
        let client = client(&sim, store.clone());
        let parsed = parse_tally_bytes(&fixture_bytes(file));
        let result = run(&client, &store, file, &parsed, options()).await;
        assert!(
            matches!(result.stop, Stop::Finished),
            "{file}: {:?}",
            result.stop
        );
        let s = result.summary;
        assert_eq!(
            s.failed,
            0,
            "{file}: {s:?}\n{:?}",
            store
                .journal(&fingerprint(
                    file.as_bytes(),
                    "",
                    client.organization_id().unwrap()
                ))
                .await
                .unwrap()
                .entries()
                .await
                .unwrap()
                .iter()
                .filter(|e| e.message.is_some())
                .collect::<Vec<_>>()
        );
        assert_eq!(s.left, 0, "{file}: {s:?}");
        assert_eq!(s.total, parsed.records.len() as u64);
        let recon = result.reconciliation.expect("read back");
        let bad: Vec<_> = recon.disagreements().collect();
        assert!(bad.is_empty(), "{file}: {bad:#?}");
        let vouchers = parsed
            .records
            .iter()
            .filter(|r| r.amounts.is_some())
            .count();
        let ticked = recon
            .lines
            .iter()
            .filter(|l| matches!(l.scope, zbooks_import::totals::Scope::Record { .. }))
            .count();
        assert_eq!(ticked, vouchers, "{file}");
        assert_no_duplicates(&sim);
        // A second run finds everything done: nothing is sent again.
        let before = sim.counters().by_status.get(&201).copied().unwrap_or(0);
        let again = run(&client, &store, file, &parsed, options()).await;
        assert!(matches!(again.stop, Stop::Finished));
        assert_eq!(
            sim.counters().by_status.get(&201).copied().unwrap_or(0),
            before
        );
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_lost_answers_server_errors_token_expiry_and_throttling_without_duplicates() {
    let sim = sim().await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = client(&sim, store.clone());
    let post = |path: &str, action: FaultAction| FaultRule::on("POST", path, action);
    sim.set_faults(vec![
        post("/books/v3/invoices", FaultAction::ResetAfter).nth(1),
        post(
            "/books/v3/invoices",
            FaultAction::zoho(500, 1000, "Internal error"),
        )
        .nth(3),
        post("/books/v3/contacts", FaultAction::ExpireToken).nth(2),
        post("/books/v3/items", FaultAction::ResetBefore).nth(1),
        post(
            "/books/v3/customerpayments",
            FaultAction::GatewayHtml { status: 502 },
        )
        .nth(1),
        post(
            "/books/v3/contacts",
            FaultAction::zoho(
                429,
                1070,
                "You have reached the maximum number of in process requests allowed. Kindly try again after some time.",
            ),
        )
        .every(1)
        .times(3),
    ]);
    let parsed = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    let result = run(&client, &store, "faulty", &parsed, options()).await;
    assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    assert_eq!(result.summary.left, 0);
    assert!(
        result.summary.adopted >= 1,
        "the lost answer was adopted: {:?}",
        result.summary
    );
    let recon = result.reconciliation.unwrap();
    assert_eq!(recon.disagreements().count(), 0);
    assert!(sim.counters().faults_fired >= 5);
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_zoho_refuses_is_failed_with_code_and_fix_and_its_dependents_wait_for_it() {
    let sim = sim().await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = client(&sim, store.clone());
    sim.set_faults(vec![
        FaultRule::on(
            "POST",
            "/books/v3/invoices",
            FaultAction::zoho(400, 2, "Invalid value passed for place_of_supply"),
        )
        .nth(1),
    ]);
    let parsed = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    // One at a time, so the first invoice sent is SI/24-25/001.
    let one = ExecuteOptions {
        in_flight: 1,
        ..options()
    };
    let result = run(&client, &store, "refused", &parsed, one).await;
    assert!(matches!(result.stop, Stop::Finished));
    // SI/001 refused; the receipt against it fails as a dependent.
    assert_eq!(result.summary.failed, 2, "{:?}", result.summary);
    let fp = fingerprint(b"refused", "", client.organization_id().unwrap());
    let entries = store.journal(&fp).await.unwrap().entries().await.unwrap();
    let failed = zbooks_import::failed_records(&entries);
    assert_eq!(failed[0].code, Some(2));
    assert!(failed[0].fix.as_deref().is_some_and(|f| !f.is_empty()));
    assert_eq!(failed[1].class.as_deref(), Some("dependency"));
    // Only what was imported is read back; the failed invoice shows as missing.
    let recon = result.reconciliation.unwrap();
    assert!(
        recon
            .disagreements()
            .any(|l| l.zoho.count == 0 && l.input.amount > Decimal::ZERO)
    );
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}

/// A redirect mid-run is the setup's fault, not the record's (the client never follows one):
/// the run stops and the record stays to be sent again, not failed for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_stops_the_run_and_fails_no_record() {
    let sim = sim().await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = client(&sim, store.clone());
    sim.set_faults(vec![
        FaultRule::on(
            "POST",
            "/books/v3/invoices",
            FaultAction::Status {
                status: 307,
                body: None,
                code: None,
                message: None,
            },
        )
        .nth(1),
    ]);
    let parsed = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    let one = ExecuteOptions {
        in_flight: 1,
        ..options()
    };
    let result = run(&client, &store, "redirected", &parsed, one).await;
    let Stop::Fatal(error) = &result.stop else {
        panic!("{:?} {:?}", result.stop, result.summary);
    };
    assert!(
        matches!(
            error.kind(),
            zbooks_client::ErrorKind::Redirected { status: 307, .. }
        ),
        "{error}"
    );
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}

/// The reconciliation ticks Zoho's totals off against the voucher's own amount (the party
/// ledger's), not against a total recomputed from the lines: when the tax Zoho applies differs
/// from what Tally booked, the voucher shows as a mismatch by the difference.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tax_zoho_computes_differently_from_the_voucher_is_a_mismatch() {
    let sim = sim().await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = client(&sim, store.clone());
    // SI/24-25/003: 840.00 of bulbs, IGST booked at 12% (100.80), round off −0.80, party 940.00.
    // The item now claims 18%: Tally's ledgers (and the voucher's 940.00) stay as booked, Zoho
    // computes 840 × 1.18 − 0.80 = 990.40.
    let xml = String::from_utf8(fixture_bytes("sample-company.xml")).unwrap();
    let voucher = xml.find("<VOUCHERNUMBER>SI/24-25/003").unwrap();
    let igst = voucher + xml[voucher..].find("<GSTRATE> 12</GSTRATE>").unwrap();
    let xml = format!(
        "{}<GSTRATE> 18</GSTRATE>{}",
        &xml[..igst],
        &xml[igst + "<GSTRATE> 12</GSTRATE>".len()..]
    );
    let parsed = parse_tally_bytes(xml.as_bytes());
    let result = run(&client, &store, "wrong-tax", &parsed, options()).await;
    assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    let recon = result.reconciliation.unwrap();
    let bad: Vec<_> = recon
        .disagreements()
        .filter(|l| matches!(l.scope, zbooks_import::totals::Scope::Record { .. }))
        .collect();
    assert_eq!(bad.len(), 1, "{bad:#?}");
    assert_eq!(bad[0].input.amount, Decimal::new(94000, 2));
    assert_eq!(bad[0].zoho.amount, Decimal::new(99040, 2));
    assert_eq!(bad[0].difference(), Decimal::new(5040, 2));
    sim.shutdown().await;
}

/// A Tally receipt allocated to no bill ("Advance", or no "Agst Ref") is an advance payment:
/// it becomes a customer payment applied to no invoice (`"invoices": []`), which Zoho keeps as
/// the customer's unused credit; it imports, and the reconciliation ticks its amount off
/// against the voucher's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_against_no_bill_imports_as_an_advance_payment() {
    let sim = sim().await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = client(&sim, store.clone());
    let xml = String::from_utf8(fixture_bytes("sample-company.xml")).unwrap();
    let receipt = xml
        .find("<VOUCHERTYPENAME>Receipt</VOUCHERTYPENAME>")
        .unwrap();
    let agst = receipt
        + xml[receipt..]
            .find("<BILLTYPE>Agst Ref</BILLTYPE>")
            .unwrap();
    let xml = format!(
        "{}<BILLTYPE>Advance</BILLTYPE>{}",
        &xml[..agst],
        &xml[agst + "<BILLTYPE>Agst Ref</BILLTYPE>".len()..]
    );
    let parsed = parse_tally_bytes(xml.as_bytes());
    let payment = parsed
        .records
        .iter()
        .find(|r| r.entity == zbooks_import::Entity::CustomerPayment)
        .unwrap();
    assert_eq!(payment.payload["invoices"], serde_json::json!([]));
    let result = run(&client, &store, "advance", &parsed, options()).await;
    assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    assert_eq!(result.summary.left, 0, "{:?}", result.summary);
    let recon = result.reconciliation.unwrap();
    let bad: Vec<_> = recon.disagreements().collect();
    assert!(bad.is_empty(), "{bad:#?}");
    let body = client
        .request(zbooks_client::Method::GET, "/customerpayments")
        .send_json()
        .await
        .unwrap();
    let payments = body["customerpayments"].as_array().unwrap();
    // The fixture's other receipts are imported too; this is the one turned into an advance.
    let advance: Vec<_> = payments
        .iter()
        .filter(|p| p["reference_number"] == "5f1c2d3e-7a8b-4c9d-8e0f-1a2b3c4d5e6f-00000305")
        .collect();
    assert_eq!(advance.len(), 1, "{body}");
    let id = advance[0]["payment_id"].as_str().unwrap();
    let body = client
        .request(
            zbooks_client::Method::GET,
            &format!("/customerpayments/{id}"),
        )
        .send_json()
        .await
        .unwrap();
    let p = &body["payment"];
    assert_eq!(p["amount"], serde_json::json!(30975), "{p}");
    assert_eq!(p["unused_amount"], serde_json::json!(30975), "{p}");
    assert_no_duplicates(&sim);
    sim.shutdown().await;
}
