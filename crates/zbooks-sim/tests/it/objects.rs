//! Whole Zoho objects (issue 13, point 3): every implemented operation, driven through a small
//! set of books, answers what its OpenAPI response schema documents, with money as JSON numbers,
//! and with real values in the fields Zoho computes or fills in (an item's account, a contact's
//! currency, an invoice's customer name, status, balance and due date, an organization's
//! version …), not empty placeholders.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::openapi::{Spec, validate};
use crate::openapi_examples::{money_not_numbers, number_fields};
use crate::support::{T, read, start};

/// The operations a resource's file documents for its get and list: their number fields are the
/// money every answer of the file must write as numbers.
const MONEY_OPS: &[(&str, &str, &str)] = &[
    ("contacts.yml", "get_contact", "list_contacts"),
    ("items.yml", "get_item", "list_items"),
    ("invoices.yml", "get_invoice", "list_invoices"),
    (
        "customer-payments.yml",
        "get_customer_payment",
        "list_customer_payments",
    ),
    ("bills.yml", "get_bill", "list_bills"),
    (
        "vendor-payments.yml",
        "get_vendor_payment",
        "list_vendor_payments",
    ),
    ("journals.yml", "get_journal", "list_journals"),
    (
        "chart-of-accounts.yml",
        "get_chart_of_account",
        "list_chart_of_accounts",
    ),
    ("taxes.yml", "get_tax", "list_taxes"),
    (
        "organizations.yml",
        "get_organization",
        "list_organizations",
    ),
];

/// One call of the run: where it goes and what it carries.
struct Call<'a> {
    file: &'static str,
    op: &'static str,
    method: &'static str,
    path: String,
    query: Vec<(&'a str, &'a str)>,
    body: Option<Value>,
    headers: Vec<(&'a str, String)>,
}

fn call<'a>(file: &'static str, op: &'static str, method: &'static str, path: &str) -> Call<'a> {
    Call {
        file,
        op,
        method,
        path: path.to_owned(),
        query: Vec::new(),
        body: None,
        headers: Vec::new(),
    }
}

impl<'a> Call<'a> {
    fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    fn query(mut self, query: &[(&'a str, &'a str)]) -> Self {
        self.query.extend_from_slice(query);
        self
    }

    fn header(mut self, name: &'a str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// The run: the simulator, the files, and what was checked.
struct Run {
    t: T,
    specs: BTreeMap<&'static str, Spec>,
    money: BTreeMap<&'static str, BTreeSet<String>>,
    operations: BTreeSet<String>,
    validated: usize,
    filled_checks: usize,
    calls: usize,
    problems: Vec<String>,
}

impl Run {
    async fn new() -> Run {
        let t = start().await;
        t.sim.advance_minute();
        let mut specs = BTreeMap::new();
        let mut money = BTreeMap::new();
        for (file, get, list) in MONEY_OPS {
            let spec = Spec::load(file);
            let mut fields = BTreeSet::new();
            number_fields(&spec.response_schema(get), &mut fields);
            number_fields(&spec.response_schema(list), &mut fields);
            money.insert(*file, fields);
            specs.insert(*file, spec);
        }
        Run {
            t,
            specs,
            money,
            operations: BTreeSet::new(),
            validated: 0,
            filled_checks: 0,
            calls: 0,
            problems: Vec::new(),
        }
    }

    /// Sends a call; checks its status, code, schema and money; answers the body.
    async fn send(&mut self, c: Call<'_>) -> Value {
        self.calls += 1;
        if self.calls.is_multiple_of(40) {
            self.t.sim.advance_minute();
        }
        let t = &self.t;
        let url = t.url(&c.path);
        let mut req = match c.method {
            "GET" => t.http.get(url),
            "POST" => t.http.post(url),
            "PUT" => t.http.put(url),
            "DELETE" => t.http.delete(url),
            other => panic!("method {other}"),
        };
        if c.path != "/organizations" {
            req = req.query(&[("organization_id", t.org.as_str())]);
        }
        req = req
            .query(&c.query)
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token));
        for (name, value) in &c.headers {
            req = req.header(*name, value);
        }
        if let Some(body) = &c.body {
            req = req.json(body);
        }
        let res = read(req.send().await.unwrap()).await;
        let spec = &self.specs[c.file];
        let what = format!("{} {} ({})", c.method, c.path, c.op);
        assert_eq!(res.body["code"], 0, "{what}: {}", res.body);
        assert_eq!(
            res.status,
            spec.response_status(c.op),
            "{what}: {}",
            res.body
        );
        let errors = validate(&spec.response_schema(c.op), &res.body);
        assert!(
            errors.is_empty(),
            "{what} breaks its schema:\n{}",
            errors.join("\n")
        );
        money_not_numbers(&res.body, &self.money[c.file], &what, &mut self.problems);
        self.operations.insert(c.op.to_owned());
        self.validated += 1;
        res.body
    }

    /// Each of `fields` of `object` holds a value: not absent, null or an empty string.
    fn filled(&mut self, what: &str, object: &Value, fields: &[&str]) {
        assert!(object.is_object(), "{what}: not an object: {object}");
        for field in fields {
            self.filled_checks += 1;
            match object.get(*field) {
                None | Some(Value::Null) => self.problems.push(format!("{what}: no {field}")),
                Some(Value::String(s)) if s.is_empty() => {
                    self.problems.push(format!("{what}: {field} is empty"));
                }
                _ => {}
            }
        }
    }
}

/// `yyyy-mm-ddThh:mm:ss+hhmm`, Zoho's `created_time`.
fn is_zoho_timestamp(value: &Value) -> bool {
    let Some(s) = value.as_str() else {
        return false;
    };
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'+' || *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn id(body: &Value, key: &str, field: &str) -> String {
    body[key][field]
        .as_str()
        .unwrap_or_else(|| panic!("no {key}.{field}: {body}"))
        .to_owned()
}

/// The elements of a list answer with `field` equal to `value`.
fn find<'v>(list: &'v Value, field: &str, value: &str) -> Option<&'v Value> {
    list.as_array()?.iter().find(|e| e[field] == value)
}

/// Upserts by `cf_source_id` twice (creating, answered as the create is, then updating) and
/// answers the id.
async fn upsert(
    run: &mut Run,
    file: &'static str,
    (create, op): (&'static str, &'static str),
    path: &str,
    key: &str,
    id_field: &str,
    body: Value,
) -> String {
    let value = format!("UP-{}", path.trim_start_matches('/'));
    let mut last = Value::Null;
    for op in [create, op] {
        last = run
            .send(
                call(file, op, "PUT", path)
                    .body(body.clone())
                    .header("X-Unique-Identifier-Key", "cf_source_id")
                    .header("X-Unique-Identifier-Value", &value)
                    .header("X-Upsert", "true"),
            )
            .await;
    }
    id(&last, key, id_field)
}

#[tokio::test]
async fn every_operation_answers_whole_zoho_objects() {
    let mut run = Run::new().await;
    let today = run.t.get("/organizations").await.body["organizations"][0]["account_created_date"]
        .as_str()
        .unwrap()
        .to_owned();

    // Organizations.
    let body = run
        .send(call(
            "organizations.yml",
            "list_organizations",
            "GET",
            "/organizations",
        ))
        .await;
    let org = body["organizations"][0].clone();
    run.filled(
        "organization in the list",
        &org,
        &[
            "organization_id",
            "name",
            "version",
            "currency_id",
            "currency_code",
            "currency_symbol",
            "currency_format",
            "time_zone",
            "language_code",
            "plan_name",
            "plan_period",
            "account_created_date",
            "account_created_date_formatted",
        ],
    );
    assert_eq!(org["fiscal_year_start_month"], 3, "India's April: {org}");
    let path = format!("/organizations/{}", run.t.org);
    let body = run
        .send(call("organizations.yml", "get_organization", "GET", &path))
        .await;
    let got = &body["organization"];
    run.filled(
        "organization",
        got,
        &[
            "organization_id",
            "name",
            "version",
            "user_role",
            "currency_id",
            "currency_code",
            "time_zone",
            "date_format",
            "tax_id_label",
        ],
    );
    assert_eq!(got["currency_id"], org["currency_id"]);
    let currency_id = org["currency_id"].as_str().unwrap().to_owned();

    // Contacts.
    let cf = "contacts.yml";
    let body = run
        .send(call(cf, "create_contact", "POST", "/contacts").body(json!({
            "contact_name": "Acme Traders",
            "payment_terms": 15,
            "contact_persons": [{"salutation": "Mr.", "first_name": "Ravi", "last_name": "Kumar",
                "email": "ravi@example.com", "is_primary_contact": true}]
        })))
        .await;
    let customer = id(&body, "contact", "contact_id");
    let c = body["contact"].clone();
    run.filled(
        "created contact",
        &c,
        &[
            "contact_id",
            "contact_type",
            "status",
            "currency_id",
            "currency_code",
            "payment_terms_label",
            "primary_contact_id",
            "customer_sub_type",
            "created_time",
            "last_modified_time",
        ],
    );
    assert_eq!(c["contact_type"], "customer");
    assert_eq!(c["status"], "active");
    assert_eq!(c["contact_salutation"], "Mr.");
    assert_eq!(c["payment_terms_label"], "Net 15");
    assert_eq!(c["currency_id"], currency_id.as_str());
    assert!(is_zoho_timestamp(&c["created_time"]), "{c}");
    let body = run
        .send(
            call(cf, "create_contact", "POST", "/contacts")
                .body(json!({"contact_name": "Steel Supply", "contact_type": "vendor"})),
        )
        .await;
    let vendor = id(&body, "contact", "contact_id");
    assert_eq!(body["contact"]["contact_salutation"], "", "{body}");
    assert_eq!(body["contact"]["payment_terms_label"], "Due on Receipt");
    let body = run
        .send(
            call(cf, "create_contact", "POST", "/contacts")
                .body(json!({"contact_name": "Dormant Ltd"})),
        )
        .await;
    let dormant = id(&body, "contact", "contact_id");
    let body = run
        .send(call(
            cf,
            "get_contact",
            "GET",
            &format!("/contacts/{customer}"),
        ))
        .await;
    run.filled(
        "contact",
        &body["contact"],
        &["contact_name", "currency_code", "primary_contact_id"],
    );
    run.send(
        call(
            cf,
            "update_contact",
            "PUT",
            &format!("/contacts/{customer}"),
        )
        .body(json!({"contact_name": "Acme Traders", "notes": "Pays on time"})),
    )
    .await;
    run.send(call(
        cf,
        "mark_contact_inactive",
        "POST",
        &format!("/contacts/{dormant}/inactive"),
    ))
    .await;
    // The default contacts list hides inactive contacts (evidence 13b, X5); Status.All shows them.
    let body = run
        .send(call(cf, "list_contacts", "GET", "/contacts"))
        .await;
    assert!(
        find(&body["contacts"], "contact_id", &dormant).is_none(),
        "{body}"
    );
    assert_eq!(body["page_context"]["applied_filter"], "Status.Active");
    let listed = find(&body["contacts"], "contact_id", &customer)
        .unwrap()
        .clone();
    run.filled(
        "contact in the list",
        &listed,
        &[
            "contact_type",
            "status",
            "currency_id",
            "payment_terms_label",
            "email",
        ],
    );
    let body = run
        .send(call(cf, "list_contacts", "GET", "/contacts").query(&[("filter_by", "Status.All")]))
        .await;
    assert_eq!(
        find(&body["contacts"], "contact_id", &dormant).unwrap()["status"],
        "inactive"
    );
    run.send(call(
        cf,
        "mark_contact_active",
        "POST",
        &format!("/contacts/{dormant}/active"),
    ))
    .await;
    let body = run
        .send(call(cf, "list_contacts", "GET", "/contacts"))
        .await;
    assert!(find(&body["contacts"], "contact_id", &dormant).is_some());

    // Chart of accounts.
    let af = "chart-of-accounts.yml";
    let body = run
        .send(call(
            af,
            "list_chart_of_accounts",
            "GET",
            "/chartofaccounts",
        ))
        .await;
    let sales = find(&body["chartofaccounts"], "account_name", "Sales").unwrap()["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cogs = find(
        &body["chartofaccounts"],
        "account_name",
        "Cost of Goods Sold",
    )
    .unwrap()["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = run
        .send(
            call(af, "create_chart_of_account", "POST", "/chartofaccounts").body(json!({
                "account_name": "Consulting Income", "account_type": "income"
            })),
        )
        .await;
    let account = id(&body, "chart_of_account", "account_id");
    run.filled(
        "account",
        &body["chart_of_account"],
        &[
            "account_id",
            "account_type",
            "currency_id",
            "currency_code",
            "created_time",
        ],
    );
    run.send(call(
        af,
        "get_chart_of_account",
        "GET",
        &format!("/chartofaccounts/{account}"),
    ))
    .await;
    run.send(
        call(
            af,
            "update_chart_of_account",
            "PUT",
            &format!("/chartofaccounts/{account}"),
        )
        .body(
            json!({"account_name": "Consulting Income", "account_type": "income",
            "description": "Advisory work"}),
        ),
    )
    .await;
    run.send(call(
        af,
        "mark_chart_of_account_inactive",
        "POST",
        &format!("/chartofaccounts/{account}/inactive"),
    ))
    .await;
    run.send(call(
        af,
        "mark_chart_of_account_active",
        "POST",
        &format!("/chartofaccounts/{account}/active"),
    ))
    .await;
    let body = run
        .send(call(
            af,
            "list_chart_of_accounts",
            "GET",
            "/chartofaccounts",
        ))
        .await;
    let mine = find(&body["chartofaccounts"], "account_id", &account).unwrap();
    assert_eq!(mine["is_user_created"], true, "{mine}");
    assert_eq!(mine["is_active"], true, "{mine}");

    // Taxes.
    let tf = "taxes.yml";
    let body = run
        .send(
            call(tf, "create_tax", "POST", "/settings/taxes")
                .body(json!({"tax_name": "IGST5", "tax_percentage": 5})),
        )
        .await;
    let tax = id(&body, "tax", "tax_id");
    run.filled(
        "tax",
        &body["tax"],
        &["tax_id", "tax_name", "tax_type", "country_code"],
    );
    run.send(call(
        tf,
        "get_tax",
        "GET",
        &format!("/settings/taxes/{tax}"),
    ))
    .await;
    run.send(
        call(tf, "update_tax", "PUT", &format!("/settings/taxes/{tax}"))
            .body(json!({"tax_name": "IGST5", "tax_percentage": 5})),
    )
    .await;
    run.send(call(tf, "list_taxes", "GET", "/settings/taxes"))
        .await;

    // Items.
    let itf = "items.yml";
    let body = run
        .send(
            call(itf, "create_item", "POST", "/items")
                .body(json!({"name": "Widget", "rate": 250, "description": "A widget"})),
        )
        .await;
    let item = id(&body, "item", "item_id");
    let it = body["item"].clone();
    run.filled(
        "item",
        &it,
        &[
            "item_id",
            "status",
            "item_type",
            "product_type",
            "account_id",
            "account_name",
        ],
    );
    assert_eq!(it["account_id"], sales.as_str(), "the Sales account: {it}");
    assert_eq!(it["account_name"], "Sales");
    assert_eq!(it["item_type"], "sales");
    run.send(call(itf, "get_item", "GET", &format!("/items/{item}")))
        .await;
    let body = run
        .send(
            call(itf, "update_item", "PUT", &format!("/items/{item}"))
                .body(json!({"name": "Widget", "rate": 250, "description": "A blue widget"})),
        )
        .await;
    assert_eq!(body["item"]["account_id"], sales.as_str());
    run.send(call(
        itf,
        "mark_item_inactive",
        "POST",
        &format!("/items/{item}/inactive"),
    ))
    .await;
    run.send(call(
        itf,
        "mark_item_active",
        "POST",
        &format!("/items/{item}/active"),
    ))
    .await;
    let body = run.send(call(itf, "list_items", "GET", "/items")).await;
    let listed = find(&body["items"], "item_id", &item).unwrap().clone();
    run.filled(
        "item in the list",
        &listed,
        &["status", "product_type", "name"],
    );

    // Invoices: terms from the customer, lines from the item, status and balance by payments.
    let inf = "invoices.yml";
    let lines = json!([{"item_id": item, "quantity": 2}]);
    let body = run
        .send(
            call(inf, "create_invoice", "POST", "/invoices").body(json!({
                "customer_id": customer, "date": today, "line_items": lines
            })),
        )
        .await;
    let invoice = id(&body, "invoice", "invoice_id");
    let inv = body["invoice"].clone();
    run.filled(
        "invoice",
        &inv,
        &[
            "invoice_number",
            "customer_name",
            "status",
            "date",
            "due_date",
            "currency_id",
            "currency_code",
            "payment_terms_label",
            "created_time",
            "last_modified_time",
        ],
    );
    assert_eq!(inv["customer_name"], "Acme Traders");
    assert_eq!(inv["status"], "draft");
    assert_eq!(inv["total"], 500, "{inv}");
    assert_eq!(inv["balance"], 500);
    assert_eq!(inv["exchange_rate"], 1);
    assert_eq!(inv["payment_terms"], 15);
    assert_eq!(inv["payment_terms_label"], "Net 15");
    assert_eq!(inv["line_items"][0]["name"], "Widget");
    assert_eq!(inv["line_items"][0]["item_total"], 500);
    assert_eq!(inv["line_items"][0]["rate"], 250);
    assert_ne!(inv["due_date"], inv["date"], "due 15 days on: {inv}");
    assert!(is_zoho_timestamp(&inv["created_time"]), "{inv}");
    assert!(is_zoho_timestamp(&inv["last_modified_time"]), "{inv}");
    run.send(call(
        inf,
        "get_invoice",
        "GET",
        &format!("/invoices/{invoice}"),
    ))
    .await;
    run.send(
        call(
            inf,
            "update_invoice",
            "PUT",
            &format!("/invoices/{invoice}"),
        )
        .body(json!({
            "customer_id": customer, "line_items": lines, "notes": "Thank you"
        })),
    )
    .await;
    run.send(call(
        inf,
        "mark_invoice_sent",
        "POST",
        &format!("/invoices/{invoice}/status/sent"),
    ))
    .await;
    let body = run
        .send(call(
            inf,
            "get_invoice",
            "GET",
            &format!("/invoices/{invoice}"),
        ))
        .await;
    assert_eq!(body["invoice"]["status"], "sent");

    // An invoice long past its due date is overdue, in its answer and to the list's filter.
    let body = run
        .send(
            call(inf, "create_invoice", "POST", "/invoices").body(json!({
                "customer_id": customer, "date": "2020-01-01", "line_items": lines
            })),
        )
        .await;
    let late = id(&body, "invoice", "invoice_id");
    assert_eq!(body["invoice"]["due_date"], "2020-01-16", "{body}");
    run.send(call(
        inf,
        "mark_invoice_sent",
        "POST",
        &format!("/invoices/{late}/status/sent"),
    ))
    .await;
    let body = run
        .send(call(
            inf,
            "get_invoice",
            "GET",
            &format!("/invoices/{late}"),
        ))
        .await;
    assert_eq!(body["invoice"]["status"], "overdue", "{body}");
    let body = run
        .send(
            call(inf, "list_invoices", "GET", "/invoices")
                .query(&[("filter_by", "Status.OverDue")]),
        )
        .await;
    let listed = find(&body["invoices"], "invoice_id", &late)
        .unwrap()
        .clone();
    assert_eq!(listed["status"], "overdue");
    assert!(
        listed["due_days"]
            .as_str()
            .unwrap()
            .starts_with("Overdue by"),
        "{listed}"
    );
    assert!(find(&body["invoices"], "invoice_id", &invoice).is_none());
    run.send(call(
        inf,
        "mark_invoice_void",
        "POST",
        &format!("/invoices/{late}/status/void"),
    ))
    .await;
    run.send(call(
        inf,
        "mark_invoice_draft",
        "POST",
        &format!("/invoices/{late}/status/draft"),
    ))
    .await;
    let body = run
        .send(call(
            inf,
            "get_invoice",
            "GET",
            &format!("/invoices/{late}"),
        ))
        .await;
    assert_eq!(body["invoice"]["status"], "draft");

    // Customer payments.
    let pf = "customer-payments.yml";
    let body = run
        .send(
            call(pf, "create_customer_payment", "POST", "/customerpayments").body(json!({
                "customer_id": customer, "amount": 200, "date": today, "payment_mode": "cash",
                "invoices": [{"invoice_id": invoice, "amount_applied": 200}]
            })),
        )
        .await;
    let payment = id(&body, "payment", "payment_id");
    run.filled(
        "payment",
        &body["payment"],
        &[
            "payment_id",
            "customer_name",
            "currency_code",
            "date",
            "payment_mode",
        ],
    );
    let body = run
        .send(call(
            inf,
            "get_invoice",
            "GET",
            &format!("/invoices/{invoice}"),
        ))
        .await;
    assert_eq!(body["invoice"]["status"], "partially_paid");
    assert_eq!(body["invoice"]["balance"], 300);
    assert_eq!(body["invoice"]["payment_made"], 200);
    run.send(call(
        pf,
        "get_customer_payment",
        "GET",
        &format!("/customerpayments/{payment}"),
    ))
    .await;
    run.send(
        call(
            pf,
            "update_customer_payment",
            "PUT",
            &format!("/customerpayments/{payment}"),
        )
        .body(json!({
            "customer_id": customer, "amount": 500, "date": today, "payment_mode": "cash",
            "invoices": [{"invoice_id": invoice, "amount_applied": 500}]
        })),
    )
    .await;
    let body = run
        .send(call(
            inf,
            "get_invoice",
            "GET",
            &format!("/invoices/{invoice}"),
        ))
        .await;
    assert_eq!(body["invoice"]["status"], "paid");
    assert_eq!(body["invoice"]["balance"], 0);
    assert_eq!(body["invoice"]["payment_made"], 500);
    assert_eq!(body["invoice"]["last_payment_date"], today, "{body}");
    let invoice_number = body["invoice"]["invoice_number"].clone();
    // The payment lists its invoice as it is now (customer-payments.yml's `invoices[]`).
    let body = run
        .send(call(
            pf,
            "get_customer_payment",
            "GET",
            &format!("/customerpayments/{payment}"),
        ))
        .await;
    let entry = body["payment"]["invoices"][0].clone();
    run.filled(
        "payment's invoice",
        &entry,
        &["invoice_id", "invoice_number", "date"],
    );
    assert_eq!(entry["invoice_number"], invoice_number, "{entry}");
    assert_eq!(entry["invoice_amount"], 500, "{entry}");
    assert_eq!(entry["amount_applied"], 500, "{entry}");
    assert_eq!(entry["balance_amount"], 0, "{entry}");
    assert_eq!(body["payment"]["unused_amount"], 0, "{body}");
    // The customer owes the other (overdue, then drafted) invoice nothing: drafts are not
    // receivables; an advance payment is its unused credit.
    let body = run
        .send(
            call(pf, "create_customer_payment", "POST", "/customerpayments").body(json!({
                "customer_id": customer, "amount": 75.5, "date": today, "payment_mode": "cash",
                "invoices": []
            })),
        )
        .await;
    assert_eq!(body["payment"]["unused_amount"], 75.5, "{body}");
    let body = run
        .send(call(
            "contacts.yml",
            "get_contact",
            "GET",
            &format!("/contacts/{customer}"),
        ))
        .await;
    let c = &body["contact"];
    assert_eq!(c["outstanding_receivable_amount"], 0, "{c}");
    assert_eq!(c["unused_credits_receivable_amount"], 75.5, "{c}");
    assert_eq!(c["unused_credits_receivable_amount_bcy"], 75.5, "{c}");
    let body = run
        .send(call(
            pf,
            "list_customer_payments",
            "GET",
            "/customerpayments",
        ))
        .await;
    let listed = find(&body["customerpayments"], "payment_id", &payment)
        .unwrap()
        .clone();
    run.filled(
        "payment in the list",
        &listed,
        &["payment_number", "invoice_number", "bcy_amount", "date"],
    );
    let body = run
        .send(call(inf, "list_invoices", "GET", "/invoices"))
        .await;
    let listed = find(&body["invoices"], "invoice_id", &invoice)
        .unwrap()
        .clone();
    run.filled(
        "invoice in the list",
        &listed,
        &["customer_name", "status", "currency_code", "invoice_number"],
    );

    // Bills and vendor payments.
    let bf = "bills.yml";
    let bill_lines = json!([{"name": "Steel", "account_id": cogs, "rate": 1000, "quantity": 1}]);
    let body = run
        .send(call(bf, "create_bill", "POST", "/bills").body(json!({
            "vendor_id": vendor, "bill_number": "B-1", "date": today, "line_items": bill_lines
        })))
        .await;
    let bill = id(&body, "bill", "bill_id");
    let b = body["bill"].clone();
    run.filled(
        "bill",
        &b,
        &[
            "bill_number",
            "vendor_name",
            "status",
            "due_date",
            "currency_id",
            "currency_code",
        ],
    );
    assert_eq!(b["vendor_name"], "Steel Supply");
    assert_eq!(b["status"], "open");
    assert_eq!(b["balance"], 1000);
    run.send(call(bf, "get_bill", "GET", &format!("/bills/{bill}")))
        .await;
    run.send(
        call(bf, "update_bill", "PUT", &format!("/bills/{bill}")).body(json!({
            "vendor_id": vendor, "bill_number": "B-1", "line_items": bill_lines, "notes": "Steel"
        })),
    )
    .await;
    let vf = "vendor-payments.yml";
    let body = run
        .send(
            call(vf, "create_vendor_payment", "POST", "/vendorpayments").body(json!({
                "vendor_id": vendor, "amount": 400, "date": today,
                "bills": [{"bill_id": bill, "amount_applied": 400}]
            })),
        )
        .await;
    let vpay = id(&body, "vendorpayment", "payment_id");
    run.filled(
        "vendor payment",
        &body["vendorpayment"],
        &["payment_id", "vendor_name", "currency_id", "date"],
    );
    let body = run
        .send(call(bf, "get_bill", "GET", &format!("/bills/{bill}")))
        .await;
    assert_eq!(body["bill"]["status"], "partially_paid");
    assert_eq!(body["bill"]["balance"], 600);
    assert_eq!(body["bill"]["payment_made"], 400);
    let body = run
        .send(call(
            "contacts.yml",
            "get_contact",
            "GET",
            &format!("/contacts/{vendor}"),
        ))
        .await;
    assert_eq!(body["contact"]["outstanding_payable_amount"], 600, "{body}");
    run.send(call(
        vf,
        "get_vendor_payment",
        "GET",
        &format!("/vendorpayments/{vpay}"),
    ))
    .await;
    run.send(
        call(
            vf,
            "update_vendor_payment",
            "PUT",
            &format!("/vendorpayments/{vpay}"),
        )
        .body(json!({
            "vendor_id": vendor, "amount": 1000, "date": today,
            "bills": [{"bill_id": bill, "amount_applied": 1000}]
        })),
    )
    .await;
    let body = run
        .send(call(bf, "get_bill", "GET", &format!("/bills/{bill}")))
        .await;
    assert_eq!(body["bill"]["status"], "paid");
    let body = run
        .send(call(vf, "list_vendor_payments", "GET", "/vendorpayments"))
        .await;
    let listed = find(&body["vendorpayments"], "payment_id", &vpay)
        .unwrap()
        .clone();
    run.filled(
        "vendor payment in the list",
        &listed,
        &["vendor_name", "bill_numbers", "payment_number", "date"],
    );
    assert_eq!(listed["bill_numbers"], "B-1");
    let body = run
        .send(call(
            vf,
            "get_vendor_payment",
            "GET",
            &format!("/vendorpayments/{vpay}"),
        ))
        .await;
    let entry = body["vendorpayment"]["bills"][0].clone();
    run.filled("vendor payment's bill", &entry, &["bill_number", "date"]);
    assert_eq!(entry["total"], 1000, "{entry}");
    assert_eq!(entry["balance"], 0, "{entry}");
    let body = run
        .send(call(bf, "create_bill", "POST", "/bills").body(json!({
            "vendor_id": vendor, "bill_number": "B-OLD", "date": "2020-01-01",
            "due_date": "2020-01-31", "line_items": bill_lines
        })))
        .await;
    let old_bill = id(&body, "bill", "bill_id");
    assert_eq!(body["bill"]["status"], "overdue", "{body}");
    let body = run.send(call(bf, "list_bills", "GET", "/bills")).await;
    let listed = find(&body["bills"], "bill_id", &old_bill).unwrap().clone();
    assert_eq!(listed["status"], "overdue");
    run.filled(
        "bill in the list",
        &listed,
        &["vendor_name", "due_days", "currency_code"],
    );
    run.send(call(
        bf,
        "mark_bill_void",
        "POST",
        &format!("/bills/{old_bill}/status/void"),
    ))
    .await;
    run.send(call(
        bf,
        "mark_bill_open",
        "POST",
        &format!("/bills/{old_bill}/status/open"),
    ))
    .await;

    // Journals.
    let jf = "journals.yml";
    let journal_lines = json!([
        {"account_id": cogs, "debit_or_credit": "debit", "amount": 100},
        {"account_id": sales, "debit_or_credit": "credit", "amount": 100}
    ]);
    let body = run
        .send(call(jf, "create_journal", "POST", "/journals").body(json!({
            "journal_date": today, "reference_number": "J-1", "line_items": journal_lines
        })))
        .await;
    let journal = id(&body, "journal", "journal_id");
    run.filled(
        "journal",
        &body["journal"],
        &[
            "entry_number",
            "journal_type",
            "status",
            "currency_id",
            "currency_code",
        ],
    );
    assert_eq!(body["journal"]["total"], 100);
    run.send(call(
        jf,
        "get_journal",
        "GET",
        &format!("/journals/{journal}"),
    ))
    .await;
    run.send(
        call(jf, "update_journal", "PUT", &format!("/journals/{journal}")).body(json!({
            "journal_date": today, "reference_number": "J-1", "notes": "Stock",
            "line_items": journal_lines
        })),
    )
    .await;
    let body = run
        .send(call(jf, "list_journals", "GET", "/journals"))
        .await;
    let listed = find(&body["journals"], "journal_id", &journal)
        .unwrap()
        .clone();
    run.filled(
        "journal in the list",
        &listed,
        &["entry_number", "journal_type", "entity_type", "currency_id"],
    );

    // Upserts by a unique custom field.
    let up_contact = upsert(
        &mut run,
        cf,
        ("create_contact", "update_contact_using_custom_field"),
        "/contacts",
        "contact",
        "contact_id",
        json!({"contact_name": "Upserted Co"}),
    )
    .await;
    let up_item = upsert(
        &mut run,
        itf,
        ("create_item", "update_item_using_custom_field"),
        "/items",
        "item",
        "item_id",
        json!({"name": "Upserted Item", "rate": 5}),
    )
    .await;
    let up_invoice = upsert(
        &mut run,
        inf,
        ("create_invoice", "update_invoice_using_custom_field"),
        "/invoices",
        "invoice",
        "invoice_id",
        json!({"customer_id": customer, "line_items": lines}),
    )
    .await;
    let up_bill = upsert(
        &mut run,
        bf,
        ("create_bill", "update_bill_using_custom_field"),
        "/bills",
        "bill",
        "bill_id",
        json!({"vendor_id": vendor, "bill_number": "UP-B", "line_items": bill_lines}),
    )
    .await;
    run.send(call(
        inf,
        "mark_invoice_sent",
        "POST",
        &format!("/invoices/{up_invoice}/status/sent"),
    ))
    .await;
    let up_payment = upsert(
        &mut run,
        pf,
        (
            "create_customer_payment",
            "update_customer_payment_using_custom_field",
        ),
        "/customerpayments",
        "payment",
        "payment_id",
        json!({"customer_id": customer, "amount": 10, "date": today, "payment_mode": "cash",
            "invoices": [{"invoice_id": up_invoice, "amount_applied": 10}]}),
    )
    .await;
    let up_vpay = upsert(
        &mut run,
        vf,
        (
            "create_vendor_payment",
            "update_vendor_payment_using_custom_field",
        ),
        "/vendorpayments",
        "vendorpayment",
        "payment_id",
        json!({"vendor_id": vendor, "amount": 10, "date": today,
            "bills": [{"bill_id": up_bill, "amount_applied": 10}]}),
    )
    .await;

    // Deletes, payments before what they pay.
    for (file, op, path) in [
        (
            pf,
            "delete_customer_payment",
            format!("/customerpayments/{payment}"),
        ),
        (
            pf,
            "delete_customer_payment",
            format!("/customerpayments/{up_payment}"),
        ),
        (
            vf,
            "delete_vendor_payment",
            format!("/vendorpayments/{vpay}"),
        ),
        (
            vf,
            "delete_vendor_payment",
            format!("/vendorpayments/{up_vpay}"),
        ),
        (inf, "delete_invoice", format!("/invoices/{invoice}")),
        (inf, "delete_invoice", format!("/invoices/{late}")),
        (inf, "delete_invoice", format!("/invoices/{up_invoice}")),
        (bf, "delete_bill", format!("/bills/{bill}")),
        (bf, "delete_bill", format!("/bills/{old_bill}")),
        (bf, "delete_bill", format!("/bills/{up_bill}")),
        (jf, "delete_journal", format!("/journals/{journal}")),
        (itf, "delete_item", format!("/items/{item}")),
        (itf, "delete_item", format!("/items/{up_item}")),
        (tf, "delete_tax", format!("/settings/taxes/{tax}")),
        (
            af,
            "delete_chart_of_account",
            format!("/chartofaccounts/{account}"),
        ),
        (cf, "delete_contact", format!("/contacts/{dormant}")),
        (cf, "delete_contact", format!("/contacts/{up_contact}")),
    ] {
        run.send(call(file, op, "DELETE", &path)).await;
    }

    run.t.assert_all_matched();
    assert!(
        run.problems.is_empty(),
        "answers that are not whole Zoho objects:\n{}",
        run.problems.join("\n")
    );
    println!(
        "whole objects: {} operations covered, {} responses validated against their schema \
         (money as numbers), {} computed or default fields checked filled",
        run.operations.len(),
        run.validated,
        run.filled_checks
    );
}
