//! What clients written by others (in other languages) need from the simulator, found by
//! `scripts/third-party-clients.sh` (docs/third-party-clients.md); each test is one thing a
//! published client did that the simulator refused or answered unlike Zoho.

use serde_json::json;

use crate::support::{read, start};

/// `zoho-books-js` (npm) sends `Authorization: Bearer <token>`. Zoho Accounts documents
/// `Bearer` beside `Zoho-oauthtoken` for calling any Zoho REST API (choices.rs), so the
/// simulator takes it for the same token, and refuses a bad one the same way (401/57).
#[tokio::test]
async fn a_bearer_token_is_taken_like_a_zoho_oauthtoken() {
    let t = start().await;
    let bearer = format!("Bearer {}", t.token);

    let orgs = read(
        t.http
            .get(t.url("/organizations"))
            .header("Authorization", &bearer)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((orgs.status, orgs.code()), (200, 0));
    assert!(orgs.headers.contains_key("x-rate-limit-remaining"));

    let made = read(
        t.http
            .post(t.url("/contacts"))
            .query(&[("organization_id", t.org.as_str())])
            .header("Authorization", &bearer)
            .json(&json!({"contact_name": "Bearer & Co", "contact_type": "customer"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((made.status, made.code()), (201, 0), "{}", made.body);
    let id = made.body["contact"]["contact_id"].as_str().unwrap();
    assert_eq!(
        t.get(&format!("/contacts/{id}")).await.body["contact"]["contact_name"],
        "Bearer & Co"
    );

    let wrong = read(
        t.http
            .get(t.url("/contacts"))
            .query(&[("organization_id", t.org.as_str())])
            .header("Authorization", "bearer 1000.simaccess.garbage")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((wrong.status, wrong.code()), (401, 57));
}

/// Whether `value` has every key of `path` (`a.b`, `list[].key`: every element of `list`).
fn has_path(value: &serde_json::Value, path: &str) -> bool {
    let Some((head, rest)) = path.split_once('.') else {
        return value.get(path).is_some();
    };
    match head.strip_suffix("[]") {
        Some(list) => value[list]
            .as_array()
            .is_some_and(|items| !items.is_empty() && items.iter().all(|i| has_path(i, rest))),
        None => value.get(head).is_some_and(|inner| has_path(inner, rest)),
    }
}

/// `zohobooks-api` (PyPI, Zoho's own Python client library) reads these keys unconditionally
/// from Zoho's answers, beyond the keys Zoho's OpenAPI files document; each one missing was a
/// `KeyError` before (observed.rs). The flow is the library's: organizations, a contact, an item,
/// an invoice with the item, marked sent, paid.
#[tokio::test]
async fn answers_carry_the_keys_zohos_own_python_client_reads() {
    let t = start().await;
    let orgs = t.get("/organizations").await;
    let org = t.get(&format!("/organizations/{}", t.org)).await;
    let customer = t.contact("Python Client & Co", "customer").await;
    let contact = t.get(&format!("/contacts/{customer}")).await;
    let contacts = t.get("/contacts").await;
    let item = t
        .post("/items", &json!({"name": "Widget", "rate": 250}))
        .await;
    assert_eq!(item.status, 201, "{}", item.body);
    let item_id = item.body["item"]["item_id"].as_str().unwrap().to_owned();
    let items = t.get("/items").await;
    let invoice = t
        .post(
            "/invoices",
            &json!({"customer_id": customer, "line_items": [{"item_id": item_id, "quantity": 2, "rate": 250}]}),
        )
        .await;
    assert_eq!(invoice.status, 201, "{}", invoice.body);
    let invoice_id = invoice.body["invoice"]["invoice_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sent = t
        .post(&format!("/invoices/{invoice_id}/status/sent"), &json!({}))
        .await;
    assert_eq!(sent.code(), 0, "{}", sent.body);
    let payment = t
        .post(
            "/customerpayments",
            &json!({"customer_id": customer, "payment_mode": "cash", "amount": 500,
                "date": "2026-01-15", "invoices": [{"invoice_id": invoice_id, "amount_applied": 500}]}),
        )
        .await;
    assert_eq!(payment.status, 201, "{}", payment.body);

    let expected: &[(&str, &serde_json::Value, &[&str])] = &[
        (
            "GET /organizations",
            &orgs.body,
            &["organizations[].version"],
        ),
        (
            "GET /organizations/{id}",
            &org.body,
            &[
                "organization.user_role",
                "organization.tax_basis",
                "organization.is_portal_enabled",
                "organization.portal_name",
                "organization.is_new_customer_custom_fields",
            ],
        ),
        (
            "GET /contacts/{id}",
            &contact.body,
            &[
                "contact.contact_salutation",
                "contact.is_crm_customer",
                "contact.price_precision",
                "contact.outstanding_payable_amount",
                "contact.outstanding_payable_amount_bcy",
                "contact.unused_credits_payable_amount",
                "contact.unused_credits_payable_amount_bcy",
                "contact.default_templates.invoice_template_name",
                "contact.default_templates.invoice_email_template_name",
                "contact.default_templates.estimate_template_name",
                "contact.default_templates.estimate_email_template_name",
                "contact.default_templates.creditnote_template_name",
                "contact.default_templates.creditnote_email_template_name",
            ],
        ),
        (
            "GET /contacts",
            &contacts.body,
            &[
                "contacts[].gst_no",
                "contacts[].gst_treatment",
                "contacts[].place_of_contact",
                "contacts[].outstanding_payable_amount",
                "contacts[].unused_credits_payable_amount",
            ],
        ),
        (
            "POST /items",
            &item.body,
            &["item.account_id", "item.account_name"],
        ),
        ("GET /items", &items.body, &["items[].item_tax_preferences"]),
        (
            "POST /invoices",
            &invoice.body,
            &[
                "invoice.contact_persons_details",
                "invoice.line_items[].hsn_or_sac",
            ],
        ),
        (
            "POST /customerpayments",
            &payment.body,
            &[
                "payment.account_id",
                "payment.account_name",
                "payment.exchange_rate",
                "payment.tax_account_id",
                "payment.tax_account_name",
                "payment.tax_amount_withheld",
                "payment.invoices[].balance",
                "payment.invoices[].due_date",
                "payment.invoices[].invoice_payment_id",
                "payment.invoices[].tax_amount_withheld",
            ],
        ),
    ];
    let missing: Vec<String> = expected
        .iter()
        .flat_map(|(op, body, paths)| {
            paths
                .iter()
                .filter(|p| !has_path(body, p))
                .map(move |p| format!("{op}: {p}"))
        })
        .collect();
    assert!(missing.is_empty(), "missing: {missing:#?}");
    // A value the simulator knows is never replaced by a placeholder.
    assert_eq!(payment.body["payment"]["amount"], json!(500));
    assert_eq!(payment.body["payment"]["exchange_rate"], json!(1));
    t.assert_all_matched();
}
