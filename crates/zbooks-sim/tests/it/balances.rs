//! The money Zoho computes across records (issue 13, point 3): a contact's outstanding and
//! unused-credit amounts, an invoice's last payment date, a payment's documents as they are
//! now, and advance payments applied to nothing. choices.rs has the rows.

use serde_json::{Value, json};

use crate::support::{T, start};

async fn contact_field(t: &T, id: &str, field: &str) -> Value {
    let res = t.get(&format!("/contacts/{id}")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    res.body["contact"][field].clone()
}

async fn sent_invoice(t: &T, customer: &str, rate: f64) -> String {
    let inv = t.invoice(customer, rate, 1.0).await;
    let id = inv["invoice_id"].as_str().unwrap().to_owned();
    let res = t
        .post(&format!("/invoices/{id}/status/sent"), &json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    id
}

#[tokio::test]
async fn an_advance_payment_applied_to_nothing_is_kept_as_unused_credit() {
    let t = start().await;
    let customer = t.contact("Advance Customer", "customer").await;
    let res = t
        .post(
            "/customerpayments",
            &json!({"customer_id": customer, "payment_mode": "cash", "amount": 750.5,
                    "date": "2024-04-01", "invoices": []}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let payment = &res.body["payment"];
    assert_eq!(payment["unused_amount"], json!(750.5), "{payment}");
    assert_eq!(payment["invoices"], json!([]));
    assert_eq!(
        contact_field(&t, &customer, "unused_credits_receivable_amount").await,
        json!(750.5)
    );
    assert_eq!(
        contact_field(&t, &customer, "unused_credits_receivable_amount_bcy").await,
        json!(750.5)
    );
    // Later applied in part to an invoice: what is left stays a credit.
    let invoice = sent_invoice(&t, &customer, 500.0).await;
    let id = payment["payment_id"].as_str().unwrap();
    let res = t
        .put(
            &format!("/customerpayments/{id}"),
            &json!({"customer_id": customer, "payment_mode": "cash", "amount": 750.5,
                    "date": "2024-04-01",
                    "invoices": [{"invoice_id": invoice, "amount_applied": 500}]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["payment"]["unused_amount"], json!(250.5));
    assert_eq!(
        contact_field(&t, &customer, "unused_credits_receivable_amount").await,
        json!(250.5)
    );
    // A vendor advance alike: its unapplied `balance`, the vendor's payable credits.
    let vendor = t.contact("Advance Vendor", "vendor").await;
    let res = t
        .post(
            "/vendorpayments",
            &json!({"vendor_id": vendor, "amount": 300, "date": "2024-04-01", "bills": []}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["vendorpayment"]["balance"], json!(300));
    assert_eq!(
        contact_field(&t, &vendor, "unused_credits_payable_amount").await,
        json!(300)
    );
    // An absent list is still missing (code 4), as Zoho's required field is.
    let res = t
        .post(
            "/customerpayments",
            &json!({"customer_id": customer, "payment_mode": "cash", "amount": 1,
                    "date": "2024-04-01"}),
        )
        .await;
    assert_eq!((res.status, res.code()), (400, 4), "{}", res.body);
}

#[tokio::test]
async fn a_contact_shows_what_it_is_owed_on_its_open_documents() {
    let t = start().await;
    let customer = t.contact("Owing Customer", "customer").await;
    // A draft is not owed yet.
    let draft = t.invoice(&customer, 99.0, 1.0).await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(
        contact_field(&t, &customer, "outstanding_receivable_amount").await,
        json!(0)
    );
    let a = sent_invoice(&t, &customer, 100.25).await;
    let b = sent_invoice(&t, &customer, 50.0).await;
    assert_eq!(
        contact_field(&t, &customer, "outstanding_receivable_amount").await,
        json!(150.25)
    );
    // A payment takes off what it applies; its excess is a credit.
    let res = t
        .post(
            "/customerpayments",
            &json!({"customer_id": customer, "payment_mode": "cash", "amount": 60,
                    "date": "2024-04-01",
                    "invoices": [{"invoice_id": b, "amount_applied": 50}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let payment = res.body["payment"]["payment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t.get(&format!("/contacts/{customer}")).await;
    let c = &res.body["contact"];
    assert_eq!(c["outstanding_receivable_amount"], json!(100.25), "{c}");
    assert_eq!(c["outstanding_receivable_amount_bcy"], json!(100.25), "{c}");
    assert_eq!(c["unused_credits_receivable_amount"], json!(10), "{c}");
    // The list says the same.
    let res = t.get("/contacts").await;
    let listed = res.body["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["contact_id"] == customer.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["outstanding_receivable_amount"], json!(100.25));
    // A void invoice is owed no more; a deleted payment gives the balance back.
    let res = t
        .post(&format!("/invoices/{a}/status/void"), &json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        contact_field(&t, &customer, "outstanding_receivable_amount").await,
        json!(0)
    );
    let res = t.delete(&format!("/customerpayments/{payment}")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        contact_field(&t, &customer, "outstanding_receivable_amount").await,
        json!(50)
    );
    assert_eq!(
        contact_field(&t, &customer, "unused_credits_receivable_amount").await,
        json!(0)
    );
    // A vendor's bills are what it is owed by the organization.
    let vendor = t.contact("Owed Vendor", "vendor").await;
    let res = t
        .post(
            "/bills",
            &json!({"vendor_id": vendor, "bill_number": "OW-1",
                    "line_items": [{"name": "x", "rate": 80.5}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(
        contact_field(&t, &vendor, "outstanding_payable_amount").await,
        json!(80.5)
    );
    assert_eq!(
        contact_field(&t, &vendor, "outstanding_payable_amount_bcy").await,
        json!(80.5)
    );
    // A caller cannot set them.
    let res = t
        .put(
            &format!("/contacts/{customer}"),
            &json!({"contact_name": "Owing Customer", "outstanding_receivable_amount": 999}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        res.body["contact"]["outstanding_receivable_amount"],
        json!(50)
    );
}

#[tokio::test]
async fn an_invoice_shows_its_last_payment_date_and_a_payment_its_invoices_as_they_are() {
    let t = start().await;
    let customer = t.contact("Dated Customer", "customer").await;
    let invoice = sent_invoice(&t, &customer, 300.0).await;
    let pay = |date: &str, amount: u32| {
        json!({"customer_id": customer, "payment_mode": "cash", "amount": amount, "date": date,
               "invoices": [{"invoice_id": invoice, "amount_applied": amount}]})
    };
    let res = t.get(&format!("/invoices/{invoice}")).await;
    assert_eq!(res.body["invoice"]["last_payment_date"], "", "{}", res.body);
    let first = t.post("/customerpayments", &pay("2024-05-10", 100)).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = t.post("/customerpayments", &pay("2024-06-02", 50)).await;
    assert_eq!(second.status, 201, "{}", second.body);
    // Recorded later, dated earlier: the last date stays the latest.
    let third = t.post("/customerpayments", &pay("2024-04-01", 25)).await;
    assert_eq!(third.status, 201, "{}", third.body);
    let res = t.get(&format!("/invoices/{invoice}")).await;
    let inv = &res.body["invoice"];
    assert_eq!(inv["last_payment_date"], "2024-06-02", "{inv}");
    assert_eq!(inv["payment_made"], json!(175));
    assert_eq!(inv["balance"], json!(125));
    // The first payment lists the invoice as it is now, not as it was when paid.
    let id = first.body["payment"]["payment_id"].as_str().unwrap();
    let res = t.get(&format!("/customerpayments/{id}")).await;
    let entry = &res.body["payment"]["invoices"][0];
    assert_eq!(entry["invoice_id"], invoice.as_str(), "{entry}");
    assert_eq!(entry["invoice_number"], inv["invoice_number"], "{entry}");
    assert_eq!(entry["date"], inv["date"], "{entry}");
    assert_eq!(entry["invoice_amount"], json!(300), "{entry}");
    assert_eq!(entry["amount_applied"], json!(100), "{entry}");
    assert_eq!(entry["balance_amount"], json!(125), "{entry}");
    assert_eq!(entry["balance"], json!(125), "{entry}");
    // The latest payment removed: the one before it gives the date.
    let id = second.body["payment"]["payment_id"].as_str().unwrap();
    let res = t.delete(&format!("/customerpayments/{id}")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = t.get(&format!("/invoices/{invoice}")).await;
    assert_eq!(res.body["invoice"]["last_payment_date"], "2024-05-10");
    // Moved to a later date by an update.
    let id = third.body["payment"]["payment_id"].as_str().unwrap();
    let res = t
        .put(&format!("/customerpayments/{id}"), &pay("2024-07-01", 25))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = t.get(&format!("/invoices/{invoice}")).await;
    assert_eq!(res.body["invoice"]["last_payment_date"], "2024-07-01");
    // No payment left: no date.
    for p in [&first, &third] {
        let id = p.body["payment"]["payment_id"].as_str().unwrap();
        assert_eq!(
            t.delete(&format!("/customerpayments/{id}")).await.status,
            200
        );
    }
    let res = t.get(&format!("/invoices/{invoice}")).await;
    assert_eq!(res.body["invoice"]["last_payment_date"], "");
    assert_eq!(res.body["invoice"]["payment_made"], json!(0));
    // A vendor payment's bills alike.
    let vendor = t.contact("Dated Vendor", "vendor").await;
    let bill = t
        .post(
            "/bills",
            &json!({"vendor_id": vendor, "bill_number": "DV-1", "date": "2024-03-01",
                    "line_items": [{"name": "x", "rate": 200}]}),
        )
        .await;
    let bill_id = bill.body["bill"]["bill_id"].as_str().unwrap();
    let res = t
        .post(
            "/vendorpayments",
            &json!({"vendor_id": vendor, "amount": 80, "date": "2024-03-05",
                    "bills": [{"bill_id": bill_id, "amount_applied": 80}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let entry = &res.body["vendorpayment"]["bills"][0];
    assert_eq!(entry["bill_number"], "DV-1", "{entry}");
    assert_eq!(entry["date"], "2024-03-01", "{entry}");
    assert_eq!(entry["total"], json!(200), "{entry}");
    assert_eq!(entry["balance"], json!(120), "{entry}");
    let res = t.get(&format!("/bills/{bill_id}")).await;
    assert_eq!(res.body["bill"]["payment_made"], json!(80));
}
