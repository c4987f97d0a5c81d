//! The accounting reports (`/reports/trialbalance`, `/profitandloss`, `/balancesheet`): each
//! document created posts to the general ledger, and the reports show exactly that.

use serde_json::{Value, json};

use crate::support::{T, start};

/// The account rows of a report answer, at any depth: (name, type, row).
fn accounts(body: &Value, key: &str) -> Vec<(String, String, Value)> {
    fn walk(v: &Value, out: &mut Vec<(String, String, Value)>) {
        for row in v["rows"].as_array().into_iter().flatten() {
            if row.get("account_type").is_some() {
                out.push((
                    row["account_name"].as_str().unwrap_or("").to_owned(),
                    row["account_type"].as_str().unwrap_or("").to_owned(),
                    row.clone(),
                ));
            }
            walk(row, out);
        }
    }
    let mut out = Vec::new();
    walk(&body[key], &mut out);
    out
}

fn row<'a>(rows: &'a [(String, String, Value)], name: &str) -> &'a Value {
    &rows
        .iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("no row {name}: {rows:?}"))
        .2
}

async fn account_id(t: &T, name: &str) -> String {
    let res = t.get("/chartofaccounts").await;
    res.body["chartofaccounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account_name"] == json!(name))
        .and_then(|a| a["account_id"].as_str())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_trial_balance_shows_what_the_documents_posted() {
    let t = start().await;
    let customer = t.contact("Ledger Customer", "customer").await;
    let vendor = t.contact("Ledger Vendor", "vendor").await;
    // A draft posts nothing; once sent it does.
    let draft = t.invoice(&customer, 1000.0, 2.0).await;
    let sent = t.invoice(&customer, 250.0, 1.0).await;
    let id = sent["invoice_id"].as_str().unwrap();
    let res = t
        .post(&format!("/invoices/{id}/status/sent"), &json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(draft["status"] == json!("draft"));
    // A payment of 100 into Petty Cash, a bill of 400 and a vendor payment of 150.
    let petty = account_id(&t, "Petty Cash").await;
    let office = account_id(&t, "Office Supplies").await;
    let res = t
        .post(
            "/customerpayments",
            &json!({"customer_id": customer, "payment_mode": "cash", "amount": 100,
                    "date": "2024-04-02", "account_id": petty,
                    "invoices": [{"invoice_id": id, "amount_applied": 100}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let res = t
        .post(
            "/bills",
            &json!({"vendor_id": vendor, "bill_number": "B-1", "date": "2024-04-03",
                    "line_items": [{"account_id": office, "rate": 400, "quantity": 1}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let res = t
        .post(
            "/vendorpayments",
            &json!({"vendor_id": vendor, "amount": 150, "date": "2024-04-04",
                    "paid_through_account_id": petty, "bills": []}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);

    let tb = t.get("/reports/trialbalance").await;
    assert_eq!(tb.status, 200, "{}", tb.body);
    let rows = accounts(&tb.body, "trialbalance");
    let dr = |name: &str| row(&rows, name)["net_debit_total"].as_f64().unwrap();
    let cr = |name: &str| row(&rows, name)["net_credit_total"].as_f64().unwrap();
    // Receivable: 250 invoiced − 100 received (the draft's 2000 is not there).
    assert!((dr("Accounts Receivable") - 150.0).abs() < 1e-9, "{rows:?}");
    assert!((cr("Sales") - 250.0).abs() < 1e-9);
    assert!((dr("Office Supplies") - 400.0).abs() < 1e-9);
    assert!((cr("Accounts Payable") - 250.0).abs() < 1e-9);
    // Petty Cash: +100 − 150.
    assert!((cr("Petty Cash") - 50.0).abs() < 1e-9);
    let total_dr = tb.body["trialbalance"]["net_debit_total"].as_f64().unwrap();
    let total_cr = tb.body["trialbalance"]["net_credit_total"]
        .as_f64()
        .unwrap();
    assert!((total_dr - total_cr).abs() < 1e-9, "{}", tb.body);
    assert!((total_dr - 550.0).abs() < 1e-9);

    // Profit and loss: 250 income, 400 expense; the balance sheet carries the loss.
    let pl = t.get("/reports/profitandloss").await;
    assert_eq!(pl.status, 200, "{}", pl.body);
    assert_eq!(pl.body["profitandloss"]["net_profit"], json!(-150));
    let bs = t.get("/reports/balancesheet").await;
    let rows = accounts(&bs.body, "balancesheet");
    assert_eq!(row(&rows, "Current Year Earnings")["total"], json!(-150));
    assert!(rows.iter().all(|(_, kind, _)| kind != "income"));

    // A period before every document shows nothing; a malformed date is Zoho's error.
    let early = t
        .get_q("/reports/trialbalance", &[("to_date", "2000-01-01")])
        .await;
    assert_eq!(
        accounts(&early.body, "trialbalance").len(),
        0,
        "{}",
        early.body
    );
    let bad = t
        .get_q("/reports/trialbalance", &[("to_date", "01/01/2024")])
        .await;
    assert_eq!(bad.status, 400);
    t.assert_all_matched();
    // Reports are read only.
    let res = t.post("/reports/trialbalance", &json!({})).await;
    assert_eq!(res.status, 405);
}
