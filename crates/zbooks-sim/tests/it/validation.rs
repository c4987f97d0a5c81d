//! Request validation against Zoho's OpenAPI request schemas (issue 13, points 1 and 9): one
//! test per rule family, the lenient scenario switch, and the counts of what is enforced.

use serde_json::{Value, json};
use zbooks_sim::{Check, Scenario, SimConfig};

use crate::openapi;
use crate::support::{T, start, start_with};

/// Asserts Zoho's refusal: status 400, `code`, `message`.
fn refused(res: &crate::support::Res, code: i64, message: &str) {
    assert_eq!(
        (
            res.status,
            res.body["code"].as_i64(),
            res.body["message"].as_str()
        ),
        (400, Some(code), Some(message)),
        "{}",
        res.body
    );
}

async fn customer(t: &T) -> String {
    t.contact("Acme Traders", "customer").await
}

fn invoice_body(customer_id: &str, line: &Value) -> Value {
    json!({"customer_id": customer_id, "date": "2025-02-28", "line_items": [line]})
}

#[tokio::test]
async fn a_value_of_the_wrong_json_type_is_code_2() {
    let t = start().await;
    // A boolean where the schema documents a number, an object where it documents a number.
    let res = t
        .post("/items", &json!({"name": "Desk", "rate": true}))
        .await;
    refused(&res, 2, "Invalid value passed for rate");
    let res = t
        .post("/items", &json!({"name": "Desk", "rate": {"value": 1}}))
        .await;
    refused(&res, 2, "Invalid value passed for rate");
    // A string where a boolean is documented.
    let c = customer(&t).await;
    let mut body = invoice_body(&c, &json!({"name": "Work", "rate": 1, "quantity": 1}));
    body["is_inclusive_tax"] = json!("yes");
    refused(
        &t.post("/invoices", &body).await,
        2,
        "Invalid value passed for is_inclusive_tax",
    );
    // A label where the integer payment_terms belongs: Zoho names the field by its label
    // (evidence 2a).
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Terms Co", "payment_terms": "Net 15"}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for Payment Terms");
    // A string where an object or array is documented is the length guard's (evidence 2c).
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Addr Co", "billing_address": "4900 Hopyard Rd"}),
        )
        .await;
    refused(
        &res,
        15,
        "Please ensure that the billing_address has less than 100 characters.",
    );
    t.assert_all_matched();
}

#[tokio::test]
async fn numeric_strings_pass_for_numbers_and_other_strings_do_not() {
    let t = start().await;
    let c = customer(&t).await;
    // Evidence row 1: `"85.00"` is accepted where a number is documented.
    let res = t
        .post(
            "/invoices",
            &invoice_body(
                &c,
                &json!({"name": "Work", "rate": "85.00", "quantity": "2"}),
            ),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["invoice"]["total"].as_f64(), Some(170.0));
    // `exchange_rate: "abc"` was taken as 0; it is code 2.
    let mut body = invoice_body(&c, &json!({"name": "Work", "rate": 1, "quantity": 1}));
    body["exchange_rate"] = json!("abc");
    refused(
        &t.post("/invoices", &body).await,
        2,
        "Invalid value passed for exchange_rate",
    );
    let res = t
        .post("/items", &json!({"name": "Chair", "rate": "12,50"}))
        .await;
    refused(&res, 2, "Invalid value passed for rate");
    // An integer field takes an integer (or its digits), not a fraction.
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Half Co", "payment_terms": 15.5}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for Payment Terms");
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Whole Co", "payment_terms": "30"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
}

#[tokio::test]
async fn values_outside_a_documented_list_are_code_2() {
    let t = start().await;
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Enum Co", "gst_treatment": "business_registered"}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for gst_treatment");
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Enum Co", "contact_type": "supplier"}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for contact_type");
    // Case-sensitive, as Zoho's `filter_by` is (evidence 12b).
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Enum Co", "contact_type": "Customer"}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for contact_type");
    // Nested: a journal line's debit_or_credit.
    let res = t
        .post(
            "/journals",
            &json!({"journal_date": "2025-01-31", "line_items": [
                {"account_id": "1", "amount": 10, "debit_or_credit": "debet"}
            ]}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for debit_or_credit");
    let res = t
        .post(
            "/chartofaccounts",
            &json!({"account_name": "Petty", "account_type": "petty_cash"}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for account_type");
    // The documented values pass.
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Enum Co", "contact_type": "vendor", "gst_treatment": "business_gst", "gst_no": "29AAACB1234C1Z5"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
}

#[tokio::test]
async fn strings_longer_than_documented_are_code_15() {
    let t = start().await;
    let c = customer(&t).await;
    let mut body = invoice_body(&c, &json!({"name": "Work", "rate": 1, "quantity": 1}));
    body["invoice_number"] = json!("I".repeat(101));
    let res = t
        .post_q(
            "/invoices",
            &[("ignore_auto_number_generation", "true")],
            &body,
        )
        .await;
    refused(
        &res,
        15,
        "Please ensure that the invoice_number has less than 100 characters.",
    );
    // contact_name's limit is the one its list parameter documents (Max-length [100]).
    let res = t
        .post("/contacts", &json!({"contact_name": "N".repeat(101)}))
        .await;
    refused(
        &res,
        15,
        "Please ensure that the contact_name has less than 100 characters.",
    );
    // Exactly the limit passes; characters, not bytes, are counted.
    let res = t
        .post("/contacts", &json!({"contact_name": "é".repeat(100)}))
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    // Nested: an address line.
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Zip Co", "billing_address": {"zip": "9".repeat(51)}}),
        )
        .await;
    refused(
        &res,
        15,
        "Please ensure that the zip has less than 50 characters.",
    );
}

#[tokio::test]
async fn impossible_and_malformed_dates_are_code_2() {
    let t = start().await;
    let c = customer(&t).await;
    let line = json!({"name": "Work", "rate": 1, "quantity": 1});
    for date in ["2025-02-30", "30-02-2025", "2025-2-3", "2025-13-01"] {
        let mut body = invoice_body(&c, &line);
        body["date"] = json!(date);
        refused(
            &t.post("/invoices", &body).await,
            2,
            "Invalid value passed for date",
        );
    }
    let mut body = invoice_body(&c, &line);
    body["due_date"] = json!("2025-04-31");
    refused(
        &t.post("/invoices", &body).await,
        2,
        "Invalid value passed for due_date",
    );
    let mut body = invoice_body(&c, &line);
    body["date"] = json!("2024-02-29");
    assert_eq!(t.post("/invoices", &body).await.status, 201);
}

#[tokio::test]
async fn malformed_gstins_and_email_addresses_are_code_2() {
    let t = start().await;
    for gstin in ["22AAAAA0000A1Z", "AAAAAAA0000A1Z5", "22aaaaa0000a1z5"] {
        let res = t
            .post(
                "/contacts",
                &json!({"contact_name": "Gst Co", "gst_no": gstin}),
            )
            .await;
        refused(&res, 2, "Invalid value passed for gst_no");
    }
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Mail Co", "contact_persons": [{"first_name": "A", "email": "a.example.com"}]}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for email");
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Mail Co", "contact_persons": [{"first_name": "A", "email": "a@example.com"}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
}

#[tokio::test]
async fn unknown_scalar_fields_are_dropped_and_unknown_arrays_refused() {
    let t = start().await;
    // Evidence 9a: an unknown scalar is ignored.
    let res = t
        .post(
            "/items",
            &json!({"name": "Lamp", "rate": 5, "unit_of_nowhere": "pcs"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert!(res.body["item"].get("unit_of_nowhere").is_none());
    // Evidence 9b: an unknown key holding an array is code 15.
    let c = customer(&t).await;
    let mut body = invoice_body(&c, &json!({"name": "Work", "rate": 1, "quantity": 1}));
    body["line_items2"] = json!([{"name": "x"}]);
    refused(
        &t.post("/invoices", &body).await,
        15,
        "Please ensure that the line_items2 has less than 100 characters.",
    );
    // Inside a line too.
    let body = invoice_body(
        &c,
        &json!({"name": "Work", "rate": 1, "quantity": 1, "extras": {"a": 1}}),
    );
    refused(
        &t.post("/invoices", &body).await,
        15,
        "Please ensure that the extras has less than 100 characters.",
    );
}

#[tokio::test]
async fn a_line_item_field_of_the_wrong_type_is_refused() {
    let t = start().await;
    let c = customer(&t).await;
    let body = invoice_body(&c, &json!({"name": "Work", "rate": 1, "quantity": "two"}));
    refused(
        &t.post("/invoices", &body).await,
        2,
        "Invalid value passed for quantity",
    );
    let body = invoice_body(&c, &json!({"name": ["Work"], "rate": 1, "quantity": 1}));
    refused(
        &t.post("/invoices", &body).await,
        15,
        "Please ensure that the name has less than 100 characters.",
    );
    // And in an update.
    let created = t
        .post(
            "/invoices",
            &invoice_body(&c, &json!({"name": "Work", "rate": 1, "quantity": 1})),
        )
        .await;
    let id = created.body["invoice"]["invoice_id"].as_str().unwrap();
    let res = t
        .put(
            &format!("/invoices/{id}"),
            &json!({"line_items": [{"name": "Work", "rate": "one", "quantity": 1}]}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for rate");
}

#[tokio::test]
async fn a_required_field_missing_is_code_4() {
    let t = start().await;
    refused(
        &t.post("/items", &json!({"name": "Desk"})).await,
        4,
        "Invalid value passed for rate",
    );
    refused(
        &t.post("/contacts", &json!({"contact_name": "  "})).await,
        4,
        "Invalid value passed for contact_name",
    );
    let c = customer(&t).await;
    refused(
        &t.post(
            "/customerpayments",
            &json!({"customer_id": c, "payment_mode": "cash", "amount": 1, "date": "2025-01-01"}),
        )
        .await,
        4,
        "Invalid value passed for invoices",
    );
    // Nested: each journal line needs its amount.
    let res = t
        .post(
            "/journals",
            &json!({"journal_date": "2025-01-31", "line_items": [
                {"account_id": "1", "debit_or_credit": "debit"}
            ]}),
        )
        .await;
    refused(&res, 4, "Invalid value passed for amount");
    // An update merges over the stored record: what it leaves out is not missing.
    let id = t
        .post("/items", &json!({"name": "Desk", "rate": 3}))
        .await
        .body["item"]["item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        t.put(&format!("/items/{id}"), &json!({"description": "oak"}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_lenient_scenario_lets_each_category_through() {
    let lenient = |checks: Vec<Check>| SimConfig {
        scenario: Some(Scenario {
            lenient: checks,
            ..Scenario::default()
        }),
        ..SimConfig::default()
    };
    // Types lenient: a non-numeric rate reaches the entity rules, which refuse it there.
    let t = start_with(lenient(vec![Check::Enums, Check::Lengths])).await;
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "N".repeat(150), "gst_treatment": "business_sez"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    // The other categories stay strict.
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Gst Co", "gst_no": "nope"}),
        )
        .await;
    refused(&res, 2, "Invalid value passed for gst_no");
    let t = start_with(lenient(vec![Check::Formats, Check::UnknownFields])).await;
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Gst Co", "gst_no": "nope", "extra": [1]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let t = start_with(lenient(vec![Check::Types])).await;
    // Past validation, the entity rules still answer as before.
    let res = t
        .post("/items", &json!({"name": "Desk", "rate": "abc"}))
        .await;
    refused(&res, 2, "Invalid value passed for rate");
    let res = t
        .post(
            "/contacts",
            &json!({"contact_name": "Bool Co", "is_taxable": "yes"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
}

#[test]
fn a_scenario_file_names_its_lenient_checks() {
    let dir = std::env::temp_dir().join(format!("zbooks-sim-lenient-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lenient.toml");
    std::fs::write(&path, "lenient = [\"types\", \"unknown_fields\"]\n").unwrap();
    let config = SimConfig::from_file(&path).unwrap();
    assert_eq!(
        config.scenario.unwrap().lenient,
        [Check::Types, Check::UnknownFields]
    );
    std::fs::write(&path, "lenient = [\"everything\"]\n").unwrap();
    assert!(SimConfig::from_file(&path).is_err());
    // Strict by default.
    assert!(SimConfig::default().scenario.is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn counts_what_request_validation_enforces() {
    let c = openapi::request_counts();
    println!(
        "request validation: {} operations, {} documented fields ({} typed), {} required, \
         {} length limits, {} value lists ({} values), {} date fields, {} GSTIN fields, \
         {} e-mail fields",
        c.operations,
        c.fields,
        c.typed,
        c.required,
        c.lengths,
        c.enums,
        c.enum_values,
        c.dates,
        c.gstins,
        c.emails
    );
    // 9 creates, 9 updates, 6 upserts.
    assert_eq!(c.operations, 24);
    assert!(c.fields >= 1000, "{}", c.fields);
    assert!(c.lengths >= 100, "{}", c.lengths);
    assert!(c.enums >= 40, "{}", c.enums);
    assert!(c.dates >= 20 && c.gstins >= 9 && c.emails >= 3);
    assert!(c.required >= 20, "{}", c.required);
}

#[test]
fn description_lists_are_read_only_where_clean() {
    assert_eq!(
        openapi::description_enum(
            "Allowed values are <code> business_gst </code> , <code> overseas </code>."
        ),
        Some(vec!["business_gst".to_owned(), "overseas".to_owned()])
    );
    assert_eq!(
        openapi::description_enum(
            "Allowed values: <code>sales</code> and <code>inventory</code>. Default value will be <code>sales</code>."
        ),
        Some(vec!["sales".to_owned(), "inventory".to_owned()])
    );
    // Edition-specific, explained in parentheses, or inside one code span: not read.
    assert_eq!(
        openapi::description_enum(
            "Allowed values: <code>goods</code>. <b>For SouthAfrica Edition:</b> <code>x</code>"
        ),
        None
    );
    assert_eq!(
        openapi::description_enum(
            "Allowed Values: <code>uk</code> (in the UK) and <code>overseas</code>"
        ),
        None
    );
    assert_eq!(
        openapi::description_enum("<code>Allowed Values: tax and compound_tax</code>"),
        None
    );
    assert_eq!(
        openapi::description_enum("Allowed values: <code>true</code>, <code>false</code>."),
        None
    );
    assert_eq!(
        openapi::description_max_len("Name. Max-length [100]"),
        Some(100)
    );
    assert_eq!(
        openapi::description_max_len("Maximum length is 2000 characters."),
        Some(2000)
    );
}

#[tokio::test]
async fn a_scenario_posted_to_the_control_api_switches_leniency() {
    let mut t = start().await;
    let body = json!({"contact_name": "Len Co", "gst_treatment": "business_sez"});
    refused(
        &t.post("/contacts", &body).await,
        2,
        "Invalid value passed for gst_treatment",
    );
    let res = t
        .http
        .post(format!("{}/scenario", t.sim.control_url()))
        .json(&json!({"lenient": ["enums"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    // The scenario reset the sandbox: a fresh token for the seeded demo user.
    let demo = t.sim.demo();
    t.token = crate::support::refresh(
        &t.http,
        &t.sim.accounts_url(),
        &demo.client_id,
        &demo.client_secret,
        &demo.refresh_token,
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(t.post("/contacts", &body).await.status, 201);
    // Back to strict with an empty scenario.
    t.sim.load_scenario(Scenario::default());
    let demo = t.sim.demo();
    t.token = crate::support::refresh(
        &t.http,
        &t.sim.accounts_url(),
        &demo.client_id,
        &demo.client_secret,
        &demo.refresh_token,
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    refused(
        &t.post("/contacts", &body).await,
        2,
        "Invalid value passed for gst_treatment",
    );
}
