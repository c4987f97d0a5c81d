//! Opening balances and bill-wise detail, end to end against the simulator
//! (docs/opening-balances.md): the sample company's open bills, receipts and payments land so
//! that every invoice's and bill's balance in Zoho is Tally's outstanding for that bill, the
//! opening balances are Tally's, and a lost answer or a second run never doubles them.
//!
//! Tally's side is computed here from the fixture's text with a plain scan of its bill
//! allocations, not with the importer's reader.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::Value;
use zbooks_client::{Client, Method};
use zbooks_import::{
    Entity, ExecuteOptions, ExistingRecords, Parsed, RunInput, RunResult, Stop, StopHandle,
    ValidateOptions, execute, fingerprint, parse_tally_bytes, validate,
};
use zbooks_sim::{FaultAction, FaultRule, RunningSim};
use zbooks_store::SqliteStore;

use crate::fixture_bytes;

fn options() -> ExecuteOptions {
    ExecuteOptions {
        defer: Duration::from_millis(300),
        settle: Duration::ZERO,
        ..ExecuteOptions::default()
    }
}

async fn run(client: &Client, store: &SqliteStore, name: &str, parsed: &Parsed) -> RunResult {
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
        options(),
        &StopHandle::new(),
        &mut |_| {},
    )
    .await
    .expect("the run starts")
}

async fn start() -> (RunningSim, Arc<SqliteStore>, Client) {
    let sim = crate::sim(Duration::from_secs(1), 11).await;
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let client = crate::demo_client(&sim, Duration::from_secs(1))
        .store(store.clone())
        .build()
        .unwrap();
    (sim, store, client)
}

fn finished(result: &RunResult) {
    assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
    assert_eq!(result.summary.failed, 0, "{:?}", result.summary);
    assert_eq!(result.summary.left, 0, "{:?}", result.summary);
}

/// The text between `<tag>` and `</tag>` in `block`, trimmed.
fn tag<'a>(block: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = block.find(&open)? + open.len();
    let end = block[start..].find(&format!("</{tag}>"))? + start;
    Some(block[start..end].trim())
}

fn blocks<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let element = name.split(' ').next().unwrap_or(name);
    let close = format!("</{element}>");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        let Some(j) = rest[i..].find(&close) else {
            break;
        };
        out.push(&rest[i..i + j]);
        rest = &rest[i + j + close.len()..];
    }
    out
}

fn amount(text: &str) -> Decimal {
    Decimal::from_str(text.trim()).unwrap()
}

/// Tally's side of the sample company: each party's outstanding per bill (signed, debit
/// negative: opening bills + `New Ref` + `Agst Ref`, advances left out), each party's opening
/// left over by its bills, and every other ledger's opening.
struct Tally {
    bills: BTreeMap<(String, String), Decimal>,
    on_account: BTreeMap<String, Decimal>,
    others: BTreeMap<String, Decimal>,
    debtors: Vec<String>,
}

fn tally_side() -> Tally {
    let xml = String::from_utf8(fixture_bytes("sample-company.xml")).unwrap();
    let xml = xml.replace("&amp;", "&");
    let mut t = Tally {
        bills: BTreeMap::new(),
        on_account: BTreeMap::new(),
        others: BTreeMap::new(),
        debtors: Vec::new(),
    };
    for ledger in blocks(&xml, "LEDGER NAME=") {
        let name = ledger.split('"').nth(1).unwrap().to_owned();
        let parent = tag(ledger, "PARENT").unwrap_or("");
        let opening = tag(ledger, "OPENINGBALANCE").map_or(Decimal::ZERO, amount);
        let party = parent.contains("Debtors") || parent.contains("Creditors");
        if parent.contains("Debtors") {
            t.debtors.push(name.clone());
        }
        if !party {
            if !opening.is_zero() {
                t.others.insert(name, opening);
            }
            continue;
        }
        let mut billed = Decimal::ZERO;
        for b in blocks(ledger, "BILLALLOCATIONS.LIST") {
            let a = amount(tag(b, "OPENINGBALANCE").unwrap());
            billed += a;
            if tag(b, "ISADVANCE") != Some("Yes") {
                *t.bills
                    .entry((name.clone(), tag(b, "NAME").unwrap().to_owned()))
                    .or_default() += a;
            }
        }
        if opening != billed {
            t.on_account.insert(name, opening - billed);
        }
    }
    for voucher in blocks(&xml, "VOUCHER ") {
        // Each bill allocation belongs to the ledger line it sits in: the last
        // `LEDGERNAME` before it (ledger lines are `LEDGERENTRIES.LIST` or
        // `ALLLEDGERENTRIES.LIST`, by the voucher's view).
        let mut from = 0;
        while let Some(i) = voucher[from..].find("<BILLALLOCATIONS.LIST>") {
            let start = from + i;
            let end = start + voucher[start..].find("</BILLALLOCATIONS.LIST>").unwrap();
            let b = &voucher[start..end];
            let ledger = tag(
                &voucher[voucher[..start].rfind("<LEDGERNAME>").unwrap()..],
                "LEDGERNAME",
            )
            .unwrap()
            .to_owned();
            let kind = tag(b, "BILLTYPE").unwrap();
            if kind == "New Ref" || kind == "Agst Ref" {
                *t.bills
                    .entry((ledger, tag(b, "NAME").unwrap().to_owned()))
                    .or_default() += amount(tag(b, "AMOUNT").unwrap());
            }
            from = end;
        }
    }
    t
}

async fn get(client: &Client, path: &str) -> Value {
    client.request(Method::GET, path).send_json().await.unwrap()
}

fn money(v: &Value) -> Decimal {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap(),
        Value::String(s) => Decimal::from_str(s).unwrap(),
        other => panic!("not an amount: {other}"),
    }
}

/// Number → (party, balance) of every invoice (or bill) in Zoho.
async fn balances(
    client: &Client,
    path: &str,
    list: &str,
    number: &str,
    party: &str,
) -> BTreeMap<String, (String, Decimal)> {
    let body = get(client, path).await;
    body[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d[number].as_str().unwrap().to_owned(),
                (d[party].as_str().unwrap().to_owned(), money(&d["balance"])),
            )
        })
        .collect()
}

/// Zoho's opening balances as (account name → signed amount, debit negative).
async fn zoho_openings(client: &Client) -> (Option<String>, BTreeMap<String, Decimal>) {
    let body = get(client, "/settings/openingbalances").await;
    let ob = &body["opening_balance"];
    let mut out = BTreeMap::new();
    for a in ob["accounts"].as_array().unwrap() {
        let amount = money(&a["amount"]);
        let signed = if a["debit_or_credit"] == "debit" {
            -amount
        } else {
            amount
        };
        *out.entry(a["account_name"].as_str().unwrap().to_owned())
            .or_default() += signed;
    }
    (ob["date"].as_str().map(str::to_owned), out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invoice_and_bill_balance_in_zoho_is_tallys_outstanding_and_openings_are_tallys() {
    let tally = tally_side();
    // The fixture has what this test is about.
    assert!(tally.bills.len() >= 7, "{:?}", tally.bills);
    assert!(!tally.on_account.is_empty());
    let (sim, store, client) = start().await;
    let parsed = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    let result = run(&client, &store, "opening", &parsed).await;
    finished(&result);
    let invoices = balances(
        &client,
        "/invoices",
        "invoices",
        "invoice_number",
        "customer_name",
    )
    .await;
    let bills = balances(&client, "/bills", "bills", "bill_number", "vendor_name").await;
    let mut expected = 0;
    for ((party, bill), signed) in &tally.bills {
        let debtor = tally.debtors.contains(party);
        let (docs, outstanding) = if debtor {
            (&invoices, -*signed)
        } else {
            (&bills, *signed)
        };
        let Some((owner, balance)) = docs.get(bill) else {
            panic!("{party} {bill}: not in Zoho ({docs:?})");
        };
        assert_eq!(owner, party, "{bill}");
        assert_eq!(*balance, outstanding, "{party} {bill}");
        expected += 1;
    }
    for (party, rest) in &tally.on_account {
        let debtor = tally.debtors.contains(party);
        let name = zbooks_import::tally::map::on_account_name(party);
        let (docs, owed) = if debtor {
            (&invoices, -*rest)
        } else {
            (&bills, *rest)
        };
        assert_eq!(docs.get(&name).map(|(_, b)| *b), Some(owed), "{party}");
        expected += 1;
    }
    assert_eq!(
        invoices.len() + bills.len(),
        expected,
        "{invoices:?} {bills:?}"
    );
    // Some were settled, some partly: the test would not see a wrong application otherwise.
    assert!(invoices.values().any(|(_, b)| b.is_zero()));
    let listed = get(&client, "/invoices").await;
    assert!(
        listed["invoices"].as_array().unwrap().iter().any(|d| {
            let (b, t) = (money(&d["balance"]), money(&d["total"]));
            b > Decimal::ZERO && b < t
        }),
        "an invoice partly paid: {listed}"
    );

    // The opening balances: every other ledger's opening, on its side, dated the day before
    // the first voucher (2024-04-05).
    let (date, openings) = zoho_openings(&client).await;
    assert_eq!(date.as_deref(), Some("2024-04-04"));
    assert_eq!(openings, tally.others);
    // The parties' openings are carried by their documents, not counted twice.
    for party in tally
        .on_account
        .keys()
        .chain(tally.bills.keys().map(|k| &k.0))
    {
        assert!(!openings.contains_key(party), "{party}");
    }
    // The advance paid to Ganga before the opening is the vendor's unapplied payment.
    let body = get(&client, "/vendorpayments").await;
    let advance = body["vendorpayments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["reference_number"] == "OPENING GSI-ADV/12")
        .unwrap_or_else(|| panic!("{body}"))
        .clone();
    assert_eq!(money(&advance["amount"]), Decimal::new(1750, 0));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_against_two_invoices_splits_as_in_tally() {
    let (sim, store, client) = start().await;
    let parsed = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    finished(&run(&client, &store, "split", &parsed).await);
    let body = get(&client, "/customerpayments").await;
    let id = body["customerpayments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["reference_number"]
                .as_str()
                .is_some_and(|r| r.ends_with("00000306"))
        })
        .unwrap_or_else(|| panic!("{body}"))["payment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = get(&client, &format!("/customerpayments/{id}")).await["payment"].clone();
    assert_eq!(money(&p["amount"]), Decimal::new(30000, 0), "{p}");
    let applied: BTreeMap<String, Decimal> = p["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["invoice_number"].as_str().unwrap().to_owned(),
                money(&i["amount_applied"]),
            )
        })
        .collect();
    assert_eq!(
        applied,
        BTreeMap::from([
            ("SI/23-24/118".to_owned(), Decimal::new(12500, 0)),
            ("SI/24-25/004".to_owned(), Decimal::new(15000, 0)),
        ]),
        "{p}"
    );
    // The advance part of the receipt stays unapplied.
    assert_eq!(money(&p["unused_amount"]), Decimal::new(2500, 0), "{p}");
    sim.shutdown().await;
}

/// The opening balance is one call: when its answer is lost the executor looks it up before
/// sending it again, and a second run over the same books adopts it; either way Zoho holds
/// it once, with Tally's amounts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_or_a_second_run_does_not_double_the_opening_balance() {
    let (sim, store, client) = start().await;
    sim.set_faults(vec![
        FaultRule::on(
            "POST",
            "/books/v3/settings/openingbalances",
            FaultAction::ResetAfter,
        )
        .nth(1),
    ]);
    let parsed = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    finished(&run(&client, &store, "lost", &parsed).await);
    let (_, first) = zoho_openings(&client).await;
    assert_eq!(first, tally_side().others);
    // A second run with a journal of its own (nothing known from the first): the opening
    // balance is read before it is written, found, and adopted.
    let again = run(&client, &store, "again", &parsed).await;
    finished(&again);
    assert_eq!(again.summary.created, 0, "{:?}", again.summary);
    let (_, second) = zoho_openings(&client).await;
    assert_eq!(second, first);
    let posts = sim
        .request_log()
        .iter()
        .filter(|e| e.method == "POST" && e.path.ends_with("/settings/openingbalances"))
        .count();
    assert_eq!(posts, 1, "one create reached Zoho");
    sim.shutdown().await;
}

/// An `Agst Ref` to a bill the export does not have: the receipt imports in full with the
/// amount unapplied, and a warning names the file, line and bill.
#[test]
fn an_agst_ref_to_an_unknown_bill_is_left_unapplied_with_a_warning() {
    let xml = String::from_utf8(fixture_bytes("sample-company.xml")).unwrap();
    let at = xml
        .find("<NAME>SI/24-25/002</NAME>\r\n        <BILLTYPE>Agst Ref")
        .unwrap();
    let xml = format!(
        "{}<NAME>SI/24-25/999</NAME>{}",
        &xml[..at],
        &xml[at + "<NAME>SI/24-25/002</NAME>".len()..]
    );
    let parsed = parse_tally_bytes(xml.as_bytes());
    let receipt = parsed
        .records
        .iter()
        .find(|r| r.entity == Entity::CustomerPayment && r.key.value.ends_with("00000307"))
        .unwrap();
    assert_eq!(receipt.payload["amount"], "20500.00");
    assert_eq!(receipt.payload["invoices"], serde_json::json!([]));
    let warning = parsed
        .report
        .problems
        .iter()
        .find(|p| p.message.contains("SI/24-25/999"))
        .unwrap_or_else(|| panic!("{:?}", parsed.report));
    assert_eq!(&*warning.location.file, "input.xml");
    assert!(warning.location.line > 0);
    // Every other receipt applies what it names.
    let kaveri_known = parsed
        .records
        .iter()
        .filter(|r| r.entity == Entity::CustomerPayment)
        .any(|r| {
            r.payload["invoices"]
                .as_array()
                .is_some_and(|a| a.len() == 2)
        });
    assert!(kaveri_known);
}
