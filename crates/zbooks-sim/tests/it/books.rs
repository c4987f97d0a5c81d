//! The Books API: envelopes, CRUD of every resource, pagination, filters, numbering, upsert,
//! body forms, references and money.

use serde_json::{Value, json};

use crate::support::{read, start};

#[tokio::test]
async fn contacts_crud_with_zoho_envelopes() {
    let t = start().await;
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Bowman & Co", "company_name": "Bowman", "unknown_field": 1}),
        )
        .await;
    assert_eq!(res.status, 201);
    assert_eq!(res.body["code"], 0);
    assert_eq!(res.body["message"], "The contact has been created");
    let contact = &res.body["contact"];
    let id = contact["contact_id"].as_str().unwrap().to_owned();
    assert!(
        id.len() >= 15 && id.bytes().all(|b| b.is_ascii_digit()),
        "{id}"
    );
    // The full documented key set, empty values included.
    assert_eq!(contact["billing_address"]["city"], "");
    assert_eq!(contact["contact_type"], "customer");
    assert!(contact.get("unknown_field").is_none());
    let res = t.get(&format!("/contacts/{id}")).await;
    assert_eq!(
        (res.status, res.body["message"].as_str()),
        (200, Some("success"))
    );
    assert_eq!(res.body["contact"]["contact_name"], "Bowman & Co");
    let res = t
        .put(
            &format!("/contacts/{id}"),
            &json!({"company_name": "Bowman Ltd"}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["message"], "Contact has been updated successfully");
    assert_eq!(res.body["contact"]["company_name"], "Bowman Ltd");
    assert_eq!(res.body["contact"]["contact_name"], "Bowman & Co");
    let res = t.delete(&format!("/contacts/{id}/")).await;
    assert_eq!(
        res.body,
        json!({"code": 0, "message": "The contact has been deleted."})
    );
    assert_eq!(t.get(&format!("/contacts/{id}")).await.code(), 1002);
    t.assert_all_matched();
}

#[tokio::test]
async fn duplicate_invoice_numbers_and_item_names_are_refused_without_an_invented_code() {
    // No real Books payload with 1001 exists (reference §1.4, evidence 15a); the answer is
    // Zoho's code 4 for a semantically unacceptable value (choices.rs).
    let t = start().await;
    let item = json!({"name": "Desk", "rate": 10});
    assert_eq!(t.post("/items", &item).await.status, 201);
    let res = t.post("/items", &json!({"name": "Desk", "rate": 12})).await;
    assert_eq!((res.status, res.code()), (400, 4), "{}", res.body);
    assert_eq!(res.body["message"], "Invalid value passed for name");
    let customer = t.contact("Buyer", "customer").await;
    let own = [("ignore_auto_number_generation", "true")];
    let body = json!({"customer_id": customer, "invoice_number": "MY-9", "line_items": [{"name": "x", "rate": 1}]});
    assert_eq!(t.post_q("/invoices", &own, &body).await.status, 201);
    let res = t.post_q("/invoices", &own, &body).await;
    assert_eq!((res.status, res.code()), (400, 4), "{}", res.body);
    assert_eq!(
        res.body["message"],
        "Invalid value passed for invoice_number"
    );
    assert_eq!(t.sim.counters().duplicates_refused, 2);
}

#[tokio::test]
async fn duplicate_contact_name_is_3062() {
    let t = start().await;
    t.contact("Acme", "customer").await;
    let res = t.post("/contacts", &json!({"contact_name": "acme"})).await;
    assert_eq!((res.status, res.code()), (400, 3062));
    assert_eq!(
        res.body["message"],
        "The customer \"acme\" already exists. Please specify a different name."
    );
    let other = t.contact("Other", "vendor").await;
    let res = t
        .put(
            &format!("/contacts/{other}"),
            &json!({"contact_name": "Acme"}),
        )
        .await;
    assert_eq!(res.code(), 3062);
    assert_eq!(t.sim.counters().duplicates_refused, 2);
}

#[tokio::test]
async fn lists_paginate_and_filter() {
    let t = start().await;
    for i in 0..7 {
        t.contact(
            &format!("Customer {i:02}"),
            if i % 2 == 0 { "customer" } else { "vendor" },
        )
        .await;
    }
    let res = t
        .get_q(
            "/contacts",
            &[("per_page", "3"), ("page", "2"), ("unknown_param", "x")],
        )
        .await;
    let names: Vec<&str> = res.body["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact_name"].as_str().unwrap())
        .collect();
    // Newest first (Zoho's default order).
    assert_eq!(names, ["Customer 03", "Customer 02", "Customer 01"]);
    assert_eq!(res.body["page_context"]["has_more_page"], true);
    assert_eq!(res.body["page_context"]["page"], 2);
    assert_eq!(res.body["page_context"]["per_page"], 3);
    let res = t
        .get_q("/contacts", &[("per_page", "3"), ("page", "3")])
        .await;
    assert_eq!(res.body["page_context"]["has_more_page"], false);
    assert_eq!(res.body["contacts"].as_array().unwrap().len(), 1);
    let count = |res: &crate::support::Res| res.body["contacts"].as_array().unwrap().len();
    assert_eq!(
        count(
            &t.get_q("/contacts", &[("contact_name", "customer 03")])
                .await
        ),
        1
    );
    assert_eq!(
        count(&t.get_q("/contacts", &[("contact_name", "Customer")]).await),
        0
    );
    assert_eq!(
        count(
            &t.get_q("/contacts", &[("contact_name_startswith", "Cust")])
                .await
        ),
        7
    );
    assert_eq!(
        count(
            &t.get_q("/contacts", &[("contact_name_contains", "er 0")])
                .await
        ),
        7
    );
    assert_eq!(
        count(&t.get_q("/contacts", &[("contact_type", "vendor")]).await),
        3
    );
    assert_eq!(
        count(&t.get_q("/contacts", &[("search_text", "05")]).await),
        1
    );
    assert_eq!(
        count(
            &t.get_q("/contacts", &[("filter_by", "Status.Active")])
                .await
        ),
        7
    );
    assert_eq!(
        count(
            &t.get_q("/contacts", &[("filter_by", "Status.Inactive")])
                .await
        ),
        0
    );
    let res = t
        .get_q(
            "/contacts",
            &[
                ("sort_column", "contact_name"),
                ("sort_order", "D"),
                ("per_page", "1"),
            ],
        )
        .await;
    assert_eq!(res.body["contacts"][0]["contact_name"], "Customer 06");
    // Legacy root and trailing slash.
    let res = read(
        t.http
            .get(format!(
                "{}/api/v3/contacts/?organization_id={}",
                t.sim.accounts_url(),
                t.org
            ))
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.body["contacts"].as_array().unwrap().len(), 7);
    t.assert_all_matched();
}

#[tokio::test]
async fn invoices_number_themselves_and_sum_in_decimal() {
    let t = start().await;
    let customer = t.contact("Bowman", "customer").await;
    let item = t
        .post("/items", &json!({"name": "Desk", "rate": "0.1"}))
        .await;
    assert_eq!(item.status, 201);
    assert_eq!(item.body["message"], "The item has been added.");
    let item_id = item.body["item"]["item_id"].as_str().unwrap().to_owned();
    let tax = t
        .post(
            "/settings/taxes",
            &json!({"tax_name": "GST", "tax_percentage": 18}),
        )
        .await;
    assert_eq!(tax.status, 201);
    let tax_id = tax.body["tax"]["tax_id"].as_str().unwrap().to_owned();
    let res = t
        .post(
            "/invoices",
            &json!({
                "customer_id": customer,
                "line_items": [
                    {"item_id": item_id, "quantity": 3},
                    {"name": "Fee", "rate": "0.2", "quantity": 1, "tax_id": tax_id},
                    {"name": "Labour", "rate": 19.99, "quantity": 3, "discount": "10%"},
                ],
                "shipping_charge": "5.005",
                "adjustment": -0.01,
            }),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["message"], "The invoice has been created.");
    let inv = &res.body["invoice"];
    assert_eq!(inv["invoice_number"], "INV-000001");
    assert_eq!(inv["customer_name"], "Bowman");
    assert_eq!(inv["line_items"][0]["name"], "Desk");
    assert_eq!(inv["line_items"][0]["item_total"], json!(0.3));
    // 0.3 + 0.2 + round(59.97 - 5.997) = 0.5 + 53.97; tax 18% of 0.2 = 0.036 → 0.04
    assert_eq!(inv["sub_total"], json!(54.47));
    assert_eq!(inv["tax_total"], json!(0.04));
    // 54.47 + 0.04 + 5.005 - 0.01 = 59.505 → 59.51
    assert_eq!(inv["total"], json!(59.51));
    assert_eq!(inv["balance"], json!(59.51));
    assert_eq!(inv["status"], "draft");
    let second = t.invoice(&customer, 10.0, 1.0).await;
    assert_eq!(second["invoice_number"], "INV-000002");
    // A supplied number needs the flag; a duplicate supplied number is refused.
    let own = [("ignore_auto_number_generation", "true")];
    let body = json!({"customer_id": customer, "invoice_number": "MY-1", "line_items": [{"name": "x", "rate": 1}]});
    let res = t.post_q("/invoices", &own, &body).await;
    assert_eq!(res.body["invoice"]["invoice_number"], "MY-1");
    let res = t.post_q("/invoices", &own, &body).await;
    assert_eq!(
        (res.status, res.code()),
        (400, zbooks_sim::choices::DUPLICATE_CODE)
    );
    let res = t.post("/invoices", &body).await;
    assert_eq!(res.body["invoice"]["invoice_number"], "INV-000003");
    let res = t
        .post_q(
            "/invoices",
            &own,
            &json!({"customer_id": customer, "line_items": [{"name": "x", "rate": 1}]}),
        )
        .await;
    assert_eq!(
        res.body["message"],
        "Invalid value passed for invoice_number"
    );
    // References are checked.
    let res = t
        .post(
            "/invoices",
            &json!({"customer_id": "460000000099999", "line_items": [{"name": "x"}]}),
        )
        .await;
    assert_eq!((res.status, res.code()), (400, 1002));
    let res = t
        .post(
            "/invoices",
            &json!({"customer_id": customer, "line_items": [{"item_id": "460000000099999"}]}),
        )
        .await;
    assert_eq!(res.body["message"], "Item does not exist.");
    let res = t.post("/invoices", &json!({"customer_id": customer})).await;
    assert_eq!(res.body["message"], "Invalid value passed for line_items");
    // Existence check by invoice number.
    let res = t.get_q("/invoices", &[("invoice_number", "MY-1")]).await;
    assert_eq!(res.body["invoices"].as_array().unwrap().len(), 1);
    assert!(res.body["invoices"][0]["total"].is_number());
}

#[tokio::test]
async fn payments_settle_invoices_and_bills() {
    let t = start().await;
    let customer = t.contact("Payer", "customer").await;
    let inv = t.invoice(&customer, 100.0, 2.0).await;
    let inv_id = inv["invoice_id"].as_str().unwrap();
    let pay = |amount: f64, applied: f64| {
        json!({"customer_id": customer, "payment_mode": "cash", "amount": amount, "date": "2024-04-01",
               "reference_number": "R-1", "invoices": [{"invoice_id": inv_id, "amount_applied": applied}]})
    };
    let res = t.post("/customerpayments", &pay(250.0, 201.0)).await;
    assert_eq!(
        (res.status, res.code()),
        (400, zbooks_sim::choices::OVER_BALANCE_CODE),
        "{}",
        res.body
    );
    let res = t.post("/customerpayments", &pay(150.0, 150.0)).await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["message"], "The payment has been created.");
    let payment_id = res.body["payment"]["payment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let inv = t.get(&format!("/invoices/{inv_id}")).await.body["invoice"].clone();
    assert_eq!(
        (inv["balance"].clone(), inv["status"].clone()),
        (json!(50), json!("partially_paid"))
    );
    let res = t
        .put(
            &format!("/customerpayments/{payment_id}"),
            &pay(200.0, 200.0),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let inv = t.get(&format!("/invoices/{inv_id}")).await.body["invoice"].clone();
    assert_eq!(
        (inv["balance"].clone(), inv["status"].clone()),
        (json!(0), json!("paid"))
    );
    let list = t.get("/customerpayments").await;
    assert_eq!(list.body["customerpayments"].as_array().unwrap().len(), 1);
    t.delete(&format!("/customerpayments/{payment_id}")).await;
    let inv = t.get(&format!("/invoices/{inv_id}")).await.body["invoice"].clone();
    assert_eq!(inv["balance"], json!(200));

    let vendor = t.contact("Supplier", "vendor").await;
    let res = t.post("/bills", &json!({"vendor_id": vendor, "bill_number": "B-1", "line_items": [{"name": "Paper", "rate": 12.5, "quantity": 4}]})).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let bill = res.body["bill"].clone();
    assert_eq!(bill["total"], json!(50));
    let res = t.post("/vendorpayments", &json!({"vendor_id": vendor, "amount": 50, "bills": [{"bill_id": bill["bill_id"], "amount_applied": 50}]})).await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["vendorpayment"]["amount"], json!(50));
    let bill = t
        .get(&format!("/bills/{}", bill["bill_id"].as_str().unwrap()))
        .await
        .body["bill"]
        .clone();
    assert_eq!(bill["status"], "paid");
}

#[tokio::test]
async fn journals_accounts_and_taxes() {
    let t = start().await;
    let accounts = t.get("/chartofaccounts").await;
    let list = accounts.body["chartofaccounts"].as_array().unwrap();
    assert!(list.len() >= 5);
    let sales = list.iter().find(|a| a["account_name"] == "Sales").unwrap()["account_id"].clone();
    let cash = list
        .iter()
        .find(|a| a["account_name"] == "Petty Cash")
        .unwrap()["account_id"]
        .clone();
    let res = t
        .post(
            "/journals",
            &json!({"journal_date": "2024-04-01", "reference_number": "J-1", "line_items": [
        {"account_id": cash, "amount": 10.5, "debit_or_credit": "debit"},
        {"account_id": sales, "amount": 10.5, "debit_or_credit": "credit"}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["journal"]["total"], json!(10.5));
    let id = res.body["journal"]["journal_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        t.get(&format!("/journals/{id}")).await.body["journal"]["entry_number"],
        "1"
    );
    let res = t
        .post(
            "/chartofaccounts",
            &json!({"account_name": "Travel", "account_type": "expense"}),
        )
        .await;
    assert_eq!(res.status, 201);
    let acc = res.body["chart_of_account"]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t.get(&format!("/chartofaccounts/{acc}")).await;
    assert_eq!(res.body["chart_of_account"]["account_name"], "Travel");
    let res = t
        .get_q("/chartofaccounts", &[("filter_by", "AccountType.Expense")])
        .await;
    assert!(
        res.body["chartofaccounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["account_name"] == "Travel")
    );
    let res = t.put("/settings/taxes/1", &json!({})).await;
    assert_eq!(res.code(), 1002);
    // An India organization starts with its GST tax groups, listed among the taxes.
    let taxes = t.get("/settings/taxes").await;
    let names: Vec<&str> = taxes.body["taxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["tax_type"], "tax_group");
            t["tax_name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(names, ["GST28", "GST18", "GST12", "GST5"], "newest first");
    t.assert_all_matched();
}

#[tokio::test]
async fn upsert_by_unique_custom_field() {
    let t = start().await;
    let url = format!("{}?organization_id={}", t.url("/contacts"), t.org);
    let upsert = |value: &str, upsert: bool, body: Value| {
        let mut req = t
            .http
            .put(&url)
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
            .header("X-Unique-Identifier-Key", "cf_source_id")
            .header("X-Unique-Identifier-Value", value)
            .json(&body);
        if upsert {
            req = req.header("X-Upsert", "true");
        }
        async move { read(req.send().await.unwrap()).await }
    };
    let res = upsert("T-1", false, json!({"contact_name": "Tally One"})).await;
    assert_eq!((res.status, res.code()), (404, 1002));
    let res = upsert("T-1", true, json!({"contact_name": "Tally One"})).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let id = res.body["contact"]["contact_id"].clone();
    let res = upsert(
        "T-1",
        true,
        json!({"contact_name": "Tally One", "company_name": "Renamed"}),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["contact"]["contact_id"], id);
    assert_eq!(res.body["contact"]["company_name"], "Renamed");
    // A create with a value the unique field already holds is refused.
    let res = t.post("/contacts", &json!({"contact_name": "Other", "custom_fields": [{"api_name": "cf_source_id", "value": "T-1"}]})).await;
    assert_eq!(res.code(), zbooks_sim::choices::DUPLICATE_CODE);
    let counters = t.sim.counters();
    let key = format!("{}:contacts:cf_source_id=T-1", t.org);
    assert_eq!(counters.records_per_natural_key.get(&key), Some(&1));
    let log = t.sim.request_log();
    assert!(
        log.iter()
            .any(|r| r.created.contains(&"contacts:cf_source_id=T-1".to_owned()))
    );
}

#[tokio::test]
async fn legacy_json_string_forms_and_bare_json_are_accepted() {
    let t = start().await;
    let res = read(
        t.http
            .post(format!("{}?organization_id={}", t.url("/contacts"), t.org))
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
            .form(&[("JSONString", "{\"contact_name\":\"Form Co\"}")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let res = read(
        t.http
            .post(format!("{}?organization_id={}", t.url("/contacts"), t.org))
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
            .body("{\"contact_name\":\"Bare Co\"}")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.body);
}

/// The invoice numbers of a list answer.
fn numbers(res: &crate::support::Res) -> Vec<String> {
    assert_eq!(res.status, 200, "{}", res.body);
    res.body["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["invoice_number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn amount_and_date_filters() {
    let t = start().await;
    let customer = t.contact("Ranges", "customer").await;
    for (rate, date, due) in [
        (10.0, "2024-01-10", "2024-02-10"),
        (20.0, "2024-01-20", "2024-02-20"),
        (30.5, "2024-01-31", "2024-03-01"),
    ] {
        let res = t
            .post(
                "/invoices",
                &json!({"customer_id": customer, "date": date, "due_date": due,
                    "line_items": [{"name": "Work", "rate": rate, "quantity": 1}]}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
    }
    // Oldest first, so the expected slices read in creation order (the default is newest first).
    let t = &t;
    let list = |query: &'static [(&'static str, &'static str)]| async move {
        let mut query = query.to_vec();
        query.push(("sort_order", "A"));
        t.get_q("/invoices", &query).await
    };
    let all = ["INV-000001", "INV-000002", "INV-000003"];
    for (query, want) in [
        (&[("total_less_than", "20")][..], &all[..1]),
        (&[("total_less_equals", "20.00")], &all[..2]),
        (&[("total_greater_than", "20")], &all[2..]),
        (&[("total_greater_equals", "10")], &all[..]),
        (&[("total", "30.50")], &all[2..]),
        (
            &[("balance_greater_than", "15"), ("balance_less_than", "25")],
            &all[1..2],
        ),
        (&[("date_start", "2024-01-20")], &all[1..]),
        (&[("date_end", "2024-01-20")], &all[..2]),
        (&[("date_before", "2024-01-20")], &all[..1]),
        (&[("date_after", "2024-01-20")], &all[2..]),
        (&[("due_date_after", "2024-02-29")], &all[2..]),
        (
            &[("date_start", "2024-01-11"), ("date_end", "2024-01-30")],
            &all[1..2],
        ),
        (&[("created_date_before", "2000-01-01")], &[]),
        (
            &[("last_modified_time", "2000-01-01T00:00:00+0530")],
            &all[..],
        ),
        (&[("last_modified_time", "9999-01-01")], &[]),
    ] {
        assert_eq!(numbers(&list(query).await), want, "{query:?}");
    }
    for (param, value) in [
        ("total_less_than", "abc"),
        ("balance_greater_equals", ""),
        ("date_start", "20-01-2024"),
        ("due_date_before", "2024-02-30"),
        ("created_date_after", "x"),
        ("last_modified_time", "yesterday"),
    ] {
        let res = t.get_q("/invoices", &[(param, value)]).await;
        assert_eq!((res.status, res.code()), (400, 2), "{param}={value}");
        assert_eq!(
            res.body["message"],
            format!("Invalid value passed for {param}")
        );
    }
    // The other lists: payments by amount and date.
    let third = t
        .get_q("/invoices", &[("invoice_number", "INV-000003")])
        .await;
    let third = third.body["invoices"][0]["invoice_id"].clone();
    let res = t
        .post(
            "/customerpayments",
            &json!({"customer_id": customer, "amount": 12.5, "date": "2024-02-01", "payment_mode": "cash",
                "invoices": [{"invoice_id": third, "amount_applied": 12.5}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    for (query, count) in [
        (&[("amount_greater_than", "12")][..], 1),
        (&[("amount_less_than", "12.5")], 0),
        (&[("date_before", "2024-02-01")], 0),
        (&[("date_start", "2024-02-01")], 1),
    ] {
        let res = t.get_q("/customerpayments", query).await;
        assert_eq!(
            res.body["customerpayments"].as_array().unwrap().len(),
            count,
            "{query:?}"
        );
    }
    t.assert_all_matched();
}

#[tokio::test]
async fn invoice_and_bill_status_actions() {
    let t = start().await;
    let customer = t.contact("Statuses", "customer").await;
    let invoice = t.invoice(&customer, 10.0, 1.0).await;
    let id = invoice["invoice_id"].as_str().unwrap();
    assert_eq!(invoice["status"], "draft");
    let status = |res: crate::support::Res| res.body["invoice"]["status"].clone();
    let res = t
        .post(&format!("/invoices/{id}/status/sent"), &json!({}))
        .await;
    assert_eq!(
        (res.status, res.body.clone()),
        (
            200,
            json!({"code": 0, "message": "Invoice status has been changed to Sent."})
        )
    );
    assert_eq!(status(t.get(&format!("/invoices/{id}")).await), "sent");
    let res = t
        .post(&format!("/invoices/{id}/status/void"), &json!({}))
        .await;
    assert_eq!(
        res.body["message"],
        "Invoice status has been changed to Void."
    );
    assert_eq!(status(t.get(&format!("/invoices/{id}")).await), "void");
    let res = t.get_q("/invoices", &[("filter_by", "Status.Void")]).await;
    assert_eq!(res.body["invoices"].as_array().unwrap().len(), 1);
    let res = t
        .post(&format!("/invoices/{id}/status/draft"), &json!({}))
        .await;
    assert_eq!(
        res.body["message"],
        "Status of invoice changed from void to draft"
    );
    assert_eq!(status(t.get(&format!("/invoices/{id}")).await), "draft");
    // Unknown records and ids, wrong methods, unknown actions.
    assert_eq!(
        t.post("/invoices/460000000099999/status/sent", &json!({}))
            .await
            .code(),
        1002
    );
    assert_eq!(
        t.post("/invoices/x/status/sent", &json!({})).await.code(),
        2
    );
    t.assert_all_matched();
    assert_eq!(
        t.get(&format!("/invoices/{id}/status/sent")).await.status,
        405
    );
    assert_eq!(
        t.post(&format!("/invoices/{id}/status/open"), &json!({}))
            .await
            .status,
        404
    );

    let vendor = t.contact("Supplier", "vendor").await;
    let res = t
        .post(
            "/bills",
            &json!({"vendor_id": vendor, "bill_number": "B-1",
                "line_items": [{"name": "Parts", "rate": 5, "quantity": 2}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let bill = res.body["bill"]["bill_id"].as_str().unwrap().to_owned();
    let res = t
        .post(&format!("/bills/{bill}/status/void"), &json!({}))
        .await;
    assert_eq!(
        res.body,
        json!({"code": 0, "message": "The bill has been marked as void."})
    );
    assert_eq!(
        t.get(&format!("/bills/{bill}")).await.body["bill"]["status"],
        "void"
    );
    let res = t
        .post(&format!("/bills/{bill}/status/open"), &json!({}))
        .await;
    assert_eq!(
        res.body["message"],
        "The status of the bill has been chaged to open."
    );
    assert_eq!(
        t.get(&format!("/bills/{bill}")).await.body["bill"]["status"],
        "open"
    );
}

/// Zoho's inclusive-tax arithmetic (evidence D3, row 14): the tax is carved out of the rate,
/// `item_total` and `sub_total` exclude it, and `total` is what the rates already said.
#[tokio::test]
async fn inclusive_tax_is_carved_out_of_the_rate() {
    let t = start().await;
    let customer = t.contact("Bowman", "customer").await;
    let vendor = t.contact("Ferro", "vendor").await;
    let tax = t
        .post(
            "/settings/taxes",
            &json!({"tax_name": "VAT18", "tax_percentage": 18}),
        )
        .await;
    let tax_id = tax.body["tax"]["tax_id"].as_str().unwrap().to_owned();
    let doc = |party: (&str, &str), rate: f64, inclusive: bool| {
        json!({
            party.0: party.1,
            "is_inclusive_tax": inclusive,
            "line_items": [{"name": "Desk", "rate": rate, "quantity": 1, "tax_id": tax_id}],
        })
    };
    for (path, key, party) in [
        ("/invoices", "invoice", ("customer_id", customer.as_str())),
        ("/bills", "bill", ("vendor_id", vendor.as_str())),
    ] {
        let mut body = doc(party, 118.0, true);
        if key == "bill" {
            body["bill_number"] = json!("B-1");
        }
        let res = t.post(path, &body).await;
        assert_eq!(res.status, 201, "{}", res.body);
        let d = &res.body[key];
        assert_eq!(d["is_inclusive_tax"], json!(true), "{path}");
        assert_eq!(d["line_items"][0]["item_total"], json!(100), "{path}");
        assert_eq!(d["sub_total"], json!(100), "{path}");
        assert_eq!(d["tax_total"], json!(18), "{path}");
        assert_eq!(d["total"], json!(118), "{path}");
        assert_eq!(d["balance"], json!(118), "{path}");
        let mut body = doc(party, 100.0, false);
        if key == "bill" {
            body["bill_number"] = json!("B-2");
        }
        let res = t.post(path, &body).await;
        let d = &res.body[key];
        assert_eq!(d["sub_total"], json!(100), "{path}");
        assert_eq!(d["tax_total"], json!(18), "{path}");
        assert_eq!(d["total"], json!(118), "{path}");
    }
    // Each line's carved tax is rounded to cents, so the parts add up to the inclusive whole:
    // 10 @ 18% → tax 1.525… → 1.53, item_total 8.47; three lines: 25.41 + 4.59 = 30.00.
    let line = json!({"name": "Pen", "rate": 10, "quantity": 1, "tax_id": tax_id});
    let res = t
        .post(
            "/invoices",
            &json!({
                "customer_id": customer,
                "is_inclusive_tax": true,
                "line_items": [line, line, line],
                "adjustment": 0.5,
            }),
        )
        .await;
    let d = &res.body["invoice"];
    assert_eq!(d["line_items"][0]["item_total"], json!(8.47));
    assert_eq!(d["sub_total"], json!(25.41));
    assert_eq!(d["tax_total"], json!(4.59));
    assert_eq!(d["total"], json!(30.5));
    // A value that is not a boolean is refused, not taken as exclusive.
    let mut bad = doc(("customer_id", customer.as_str()), 118.0, true);
    bad["is_inclusive_tax"] = json!("yes");
    let res = t.post("/invoices", &bad).await;
    assert_eq!(
        (res.status, res.body["message"].as_str()),
        (400, Some("Invalid value passed for is_inclusive_tax"))
    );
}
