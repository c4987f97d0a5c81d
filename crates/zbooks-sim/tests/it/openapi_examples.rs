//! Every implemented operation, called with the example request of Zoho's OpenAPI file, answers
//! what the file's response schema documents (with the errata of reference §9 applied).

use serde_json::{Value, json};

use crate::openapi::{Spec, example, validate};
use crate::support::{T, read, start};

/// The ids the examples' references are replaced with.
struct Refs {
    customer: String,
    vendor: String,
    item: String,
    tax: String,
    account: String,
    invoice: String,
    bill: String,
}

fn fix_refs(value: &mut Value, refs: &Refs) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let id = match k.as_str() {
                    "customer_id" | "contact_id" => Some(&refs.customer),
                    "vendor_id" => Some(&refs.vendor),
                    "item_id" => Some(&refs.item),
                    "tax_id" => Some(&refs.tax),
                    // Every account field must name a real account (the simulator checks).
                    a if a == "account_id" || a.ends_with("_account_id") => Some(&refs.account),
                    "invoice_id" => Some(&refs.invoice),
                    "bill_id" => Some(&refs.bill),
                    _ => None,
                };
                match id {
                    Some(id) if !v.is_object() && !v.is_array() => *v = Value::String(id.clone()),
                    _ => fix_refs(v, refs),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fix_refs(v, refs)),
        _ => {}
    }
}

fn check(spec: &Spec, op: &str, status: u16, body: &Value) {
    assert_eq!(body["code"], 0, "{op}: {body}");
    let expected = spec.response_status(op);
    assert_eq!(status, expected, "{op}: {body}");
    let errors = validate(&spec.response_schema(op), body);
    assert!(
        errors.is_empty(),
        "{op} breaks its schema:\n{}",
        errors.join("\n")
    );
}

fn example_body(spec: &Spec, op: &str, refs: &Refs) -> Value {
    let mut body = spec
        .request_schema(op)
        .and_then(|s| example(&s))
        .unwrap_or_else(|| json!({}));
    fix_refs(&mut body, refs);
    body
}

async fn prerequisites(t: &T) -> Refs {
    let customer = t.contact("Example Customer", "customer").await;
    let vendor = t.contact("Example Vendor", "vendor").await;
    let item = t
        .post("/items", &json!({"name": "Example Item", "rate": 10}))
        .await
        .body["item"]["item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tax = t
        .post(
            "/settings/taxes",
            &json!({"tax_name": "Example Tax", "tax_percentage": 5}),
        )
        .await
        .body["tax"]["tax_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let account = t.get("/chartofaccounts").await.body["chartofaccounts"][0]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let invoice = t.invoice(&customer, 1_000_000.0, 1.0).await["invoice_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t.post("/bills", &json!({"vendor_id": vendor, "bill_number": "EX-B", "line_items": [{"name": "x", "rate": 1_000_000}]})).await;
    let bill = res.body["bill"]["bill_id"].as_str().unwrap().to_owned();
    Refs {
        customer,
        vendor,
        item,
        tax,
        account,
        invoice,
        bill,
    }
}

/// (file, path, singular key, id field, create, get, update, list, delete, upsert)
const OPS: &[(
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    Option<&str>,
)] = &[
    (
        "contacts.yml",
        "/contacts",
        "contact",
        "contact_id",
        "create_contact",
        "get_contact",
        "update_contact",
        "list_contacts",
        "delete_contact",
        Some("update_contact_using_custom_field"),
    ),
    (
        "items.yml",
        "/items",
        "item",
        "item_id",
        "create_item",
        "get_item",
        "update_item",
        "list_items",
        "delete_item",
        Some("update_item_using_custom_field"),
    ),
    (
        "invoices.yml",
        "/invoices",
        "invoice",
        "invoice_id",
        "create_invoice",
        "get_invoice",
        "update_invoice",
        "list_invoices",
        "delete_invoice",
        Some("update_invoice_using_custom_field"),
    ),
    (
        "customer-payments.yml",
        "/customerpayments",
        "payment",
        "payment_id",
        "create_customer_payment",
        "get_customer_payment",
        "update_customer_payment",
        "list_customer_payments",
        "delete_customer_payment",
        Some("update_customer_payment_using_custom_field"),
    ),
    (
        "bills.yml",
        "/bills",
        "bill",
        "bill_id",
        "create_bill",
        "get_bill",
        "update_bill",
        "list_bills",
        "delete_bill",
        Some("update_bill_using_custom_field"),
    ),
    (
        "vendor-payments.yml",
        "/vendorpayments",
        "vendorpayment",
        "payment_id",
        "create_vendor_payment",
        "get_vendor_payment",
        "update_vendor_payment",
        "list_vendor_payments",
        "delete_vendor_payment",
        Some("update_vendor_payment_using_custom_field"),
    ),
    (
        "journals.yml",
        "/journals",
        "journal",
        "journal_id",
        "create_journal",
        "get_journal",
        "update_journal",
        "list_journals",
        "delete_journal",
        None,
    ),
    (
        "chart-of-accounts.yml",
        "/chartofaccounts",
        "chart_of_account",
        "account_id",
        "create_chart_of_account",
        "get_chart_of_account",
        "update_chart_of_account",
        "list_chart_of_accounts",
        "delete_chart_of_account",
        None,
    ),
    (
        "taxes.yml",
        "/settings/taxes",
        "tax",
        "tax_id",
        "create_tax",
        "get_tax",
        "update_tax",
        "list_taxes",
        "delete_tax",
        None,
    ),
];

#[tokio::test]
async fn every_operation_answers_its_openapi_example_as_documented() {
    let t = start().await;
    t.sim.advance_minute();
    let refs = prerequisites(&t).await;
    for (file, path, singular, id_field, create, get, update, list, delete, upsert) in OPS {
        t.sim.advance_minute();
        let spec = Spec::load(file);
        let body = example_body(&spec, create, &refs);
        let res = t
            .post_q(path, &[("ignore_auto_number_generation", "false")], &body)
            .await;
        check(&spec, create, res.status, &res.body);
        let id = res.body[*singular][*id_field]
            .as_str()
            .unwrap_or_else(|| panic!("{create}: {}", res.body))
            .to_owned();
        let res = t.get(&format!("{path}/{id}")).await;
        check(&spec, get, res.status, &res.body);
        let body = example_body(&spec, update, &refs);
        let res = t.put(&format!("{path}/{id}"), &body).await;
        check(&spec, update, res.status, &res.body);
        let res = t.get(path).await;
        check(&spec, list, res.status, &res.body);
        let res = t.delete(&format!("{path}/{id}")).await;
        check(&spec, delete, res.status, &res.body);
        if let Some(upsert) = upsert {
            let (method, _, op) = spec.operation(upsert);
            assert_eq!(method, "PUT");
            let header = |name: &str| -> String {
                op["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["name"] == name)
                    .map(|p| {
                        let ex = &p["schema"]["example"];
                        ex.as_str().map_or_else(|| ex.to_string(), str::to_owned)
                    })
                    .unwrap()
            };
            let body = example_body(&spec, upsert, &refs);
            let send = || {
                t.http
                    .put(format!("{}?organization_id={}", t.url(path), t.org))
                    .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
                    .header("X-Unique-Identifier-Key", header("X-Unique-Identifier-Key"))
                    .header(
                        "X-Unique-Identifier-Value",
                        header("X-Unique-Identifier-Value"),
                    )
                    .header("X-Upsert", "true")
                    .json(&body)
                    .send()
            };
            let created = read(send().await.unwrap()).await;
            assert_eq!(created.status, 201, "{upsert} (creating): {}", created.body);
            let updated = read(send().await.unwrap()).await;
            check(&spec, upsert, updated.status, &updated.body);
            let id = updated.body[*singular][*id_field]
                .as_str()
                .unwrap()
                .to_owned();
            t.delete(&format!("{path}/{id}")).await;
        }
    }
    let spec = Spec::load("organizations.yml");
    let res = t.get("/organizations").await;
    check(&spec, "list_organizations", res.status, &res.body);
    let res = t.get(&format!("/organizations/{}", t.org)).await;
    check(&spec, "get_organization", res.status, &res.body);
    t.assert_all_matched();
}

/// The names of every field `schema` (resolved) types as a number, at any depth.
pub(crate) fn number_fields(schema: &Value, out: &mut std::collections::BTreeSet<String>) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            if sub.get("type").and_then(Value::as_str) == Some("number") {
                out.insert(name.clone());
            }
            number_fields(sub, out);
        }
    }
    if let Some(items) = schema.get("items") {
        number_fields(items, out);
    }
}

/// Every field of `value` named in `money` that holds something other than a JSON number.
pub(crate) fn money_not_numbers(
    value: &Value,
    money: &std::collections::BTreeSet<String>,
    path: &str,
    out: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{path}.{k}");
                if money.contains(k) && !v.is_number() && !v.is_null() {
                    out.push(format!("{here} = {v}"));
                }
                money_not_numbers(v, money, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                money_not_numbers(v, money, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn money_is_a_json_number_in_every_list_and_get_answer() {
    let t = start().await;
    t.sim.advance_minute();
    let refs = prerequisites(&t).await;
    let mut broken = Vec::new();
    for (file, path, singular, id_field, create, get, _, list, _, _) in OPS {
        t.sim.advance_minute();
        let spec = Spec::load(file);
        // A money field is one the resource's get answer types as a number; the list answer's
        // schema documents fewer fields, so its other keys are held to the same types.
        let mut money = std::collections::BTreeSet::new();
        number_fields(&spec.response_schema(get), &mut money);
        number_fields(&spec.response_schema(list), &mut money);
        let mut body = example_body(&spec, create, &refs);
        // The importer's habit (issue 13): amounts sent as decimal strings.
        for key in [
            "adjustment",
            "rate",
            "amount",
            "tax_percentage",
            "exchange_rate",
        ] {
            if let Some(v) = body.get_mut(key).filter(|v| v.is_number()) {
                *v = Value::String(format!("{v}"));
            }
        }
        let res = t
            .post_q(path, &[("ignore_auto_number_generation", "false")], &body)
            .await;
        let Some(id) = res.body[*singular][*id_field].as_str().map(str::to_owned) else {
            // A simulator that refuses strings for numbers: send the example as it is.
            let body = example_body(&spec, create, &refs);
            let res = t
                .post_q(path, &[("ignore_auto_number_generation", "false")], &body)
                .await;
            let id = res.body[*singular][*id_field]
                .as_str()
                .unwrap_or_else(|| panic!("{create}: {}", res.body))
                .to_owned();
            let res = t.get(&format!("{path}/{id}")).await;
            money_not_numbers(&res.body, &money, get, &mut broken);
            let res = t.get(path).await;
            money_not_numbers(&res.body, &money, list, &mut broken);
            continue;
        };
        let res = t.get(&format!("{path}/{id}")).await;
        money_not_numbers(&res.body, &money, get, &mut broken);
        let res = t.get(path).await;
        money_not_numbers(&res.body, &money, list, &mut broken);
    }
    assert!(
        broken.is_empty(),
        "money written as something other than a number:\n{}",
        broken.join("\n")
    );
}
