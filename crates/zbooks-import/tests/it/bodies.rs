//! Every create body the importer sends, checked against the request schema of its operation
//! in Zoho's OpenAPI files (`spec/zoho-openapi/`): JSON types, enums, required fields and fields
//! the schema does not define. The bodies are the exact bytes the executor would send
//! ([`Record::body`] with made-up ids), read back as JSON, so a money field written as a string
//! or a field Zoho does not know fails here, whatever the simulator lets through.

use std::path::{Path, PathBuf};

use serde_json::Value;
use zbooks_import::{Entity, Parsed, ReadOptions, Record, open};

use crate::fixture;

#[path = "../../../zbooks-sim/tests/it/openapi.rs"]
#[expect(
    dead_code,
    reason = "the simulator's OpenAPI reader also holds its generator, unused here"
)]
mod openapi;

/// The OpenAPI file and create operation of an entity; `None` where Zoho's files are not
/// vendored (credit notes, vendor credits).
fn operation(entity: Entity) -> Option<(&'static str, &'static str)> {
    Some(match entity {
        Entity::Tax => ("taxes.yml", "create_tax"),
        Entity::TaxGroup => ("taxes.yml", "create_tax_group"),
        Entity::Account => ("chart-of-accounts.yml", "create_chart_of_account"),
        Entity::Contact => ("contacts.yml", "create_contact"),
        Entity::Item => ("items.yml", "create_item"),
        Entity::Invoice => ("invoices.yml", "create_invoice"),
        Entity::Bill => ("bills.yml", "create_bill"),
        Entity::CustomerPayment => ("customer-payments.yml", "create_customer_payment"),
        Entity::VendorPayment => ("vendor-payments.yml", "create_vendor_payment"),
        Entity::Journal => ("journals.yml", "create_journal"),
        _ => return None,
    })
}

/// The request-schema slips of zoho-books-reference.md §5.1 ("Notes on the table"): the
/// customer payment's `invoice_id` and `amount_applied` are listed as required at the top
/// level, flattened from `invoices[]`, where they belong.
fn request_errata(op: &str, schema: &mut Value) {
    if op == "create_customer_payment"
        && let Some(Value::Array(required)) = schema.get_mut("required")
    {
        let nested = ["invoice_id", "amount_applied"];
        required.retain(|r| !nested.iter().any(|n| r == n));
        schema["properties"]["invoices"]["items"]["required"] = serde_json::json!(nested);
    }
}

/// What the check of one input found.
#[derive(Debug, Default)]
struct Checked {
    validated: usize,
    without_schema: usize,
    invalid: Vec<String>,
}

fn check(records: &[Record]) -> Checked {
    let mut out = Checked::default();
    let mut specs: Vec<(&str, openapi::Spec)> = Vec::new();
    for (n, record) in records.iter().enumerate() {
        let Some((file, op)) = operation(record.entity) else {
            out.without_schema += 1;
            continue;
        };
        if !specs.iter().any(|(f, _)| *f == file) {
            specs.push((file, openapi::Spec::load(file)));
        }
        let spec = &specs.iter().find(|(f, _)| *f == file).expect("loaded").1;
        let mut schema = spec.request_schema(op).expect("a create has a body");
        request_errata(op, &mut schema);
        // Ids are long digit strings; any will do for the shape of the body.
        let body = record
            .body(|_| Some(format!("{}", 460_000_000_000_000_u64 + n as u64)))
            .expect("every reference gets an id");
        let wire = serde_json::to_vec(&body).expect("a body serializes");
        let sent: Value = serde_json::from_slice(&wire).expect("a body is JSON");
        let errors = openapi::validate_request(&schema, &sent);
        out.validated += 1;
        if !errors.is_empty() {
            out.invalid.push(format!(
                "{} {}: {}",
                record.entity,
                record.key,
                errors.join("; ")
            ));
        }
    }
    out
}

fn records_of(path: &Path) -> Vec<Record> {
    let parsed = Parsed::collect(open(path, &ReadOptions::default()).expect("input opens"));
    assert!(
        parsed.unread().is_empty(),
        "{}: not read: {:?}",
        path.display(),
        parsed.unread()
    );
    assert!(!parsed.records.is_empty(), "{}: no records", path.display());
    parsed.records
}

/// Checks every body of `paths` and returns how many were validated and how many had no
/// vendored schema (the counts the tests print).
fn assert_all_valid(name: &str, paths: &[PathBuf]) -> (usize, usize) {
    let records: Vec<Record> = paths.iter().flat_map(|p| records_of(p)).collect();
    let checked = check(&records);
    assert!(checked.validated > 0, "{name}: nothing validated");
    assert!(
        checked.invalid.is_empty(),
        "{name}: {} of {} bodies break Zoho's request schema ({} without a vendored schema):\n{}",
        checked.invalid.len(),
        checked.validated,
        checked.without_schema,
        checked.invalid.join("\n")
    );
    (checked.validated, checked.without_schema)
}

fn crate_fixture(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/")).join(rel)
}

#[test]
fn demo_company_bodies_match_zohos_request_schemas() {
    let (validated, unschemed) =
        assert_all_valid("demo company", &[crate_fixture("demo-company.xml")]);
    eprintln!(
        "demo company: {validated} bodies validated against Zoho's request schemas ({unschemed} without a vendored schema)"
    );
}

#[test]
fn tally_fixture_bodies_match_zohos_request_schemas() {
    let (validated, unschemed) = assert_all_valid(
        "tally fixtures",
        &[
            fixture("sample-company.xml"),
            fixture("real-daybook-tallyprime.xml"),
        ],
    );
    eprintln!(
        "tally fixtures: {validated} bodies validated against Zoho's request schemas ({unschemed} without a vendored schema)"
    );
}

#[test]
fn csv_bodies_match_zohos_request_schemas() {
    let (validated, unschemed) = assert_all_valid(
        "csv",
        &[
            crate_fixture("csv/items.csv"),
            crate_fixture("csv/invoices.csv"),
            crate_fixture("csv/customer-payments.csv"),
        ],
    );
    eprintln!(
        "csv: {validated} bodies validated against Zoho's request schemas ({unschemed} without a vendored schema)"
    );
}

#[test]
fn jsonl_bodies_match_zohos_request_schemas() {
    let (validated, unschemed) = assert_all_valid("jsonl", &[crate_fixture("jsonl/company.jsonl")]);
    eprintln!(
        "jsonl: {validated} bodies validated against Zoho's request schemas ({unschemed} without a vendored schema)"
    );
}

/// The body bytes of each record of JSON Lines text, each checked against Zoho's schema.
fn jsonl_bodies(text: &str) -> Vec<String> {
    let records: Vec<Record> = zbooks_import::JsonlReader::new(
        text.as_bytes(),
        "exact.jsonl",
        zbooks_import::JsonlOptions::default(),
    )
    .map(|r| r.expect("the line reads"))
    .collect();
    let checked = check(&records);
    assert_eq!(checked.validated, records.len());
    assert!(checked.invalid.is_empty(), "{:?}", checked.invalid);
    records
        .iter()
        .map(|r| {
            let body = r
                .body(|_| Some("460000000000001".to_owned()))
                .expect("resolves");
            serde_json::to_string(&body).expect("a body serializes")
        })
        .collect()
}

#[test]
fn jsonl_money_written_as_numbers_reaches_the_body_digit_for_digit() {
    let text = concat!(
        r#"{"entity":"invoice","payload":{"customer_id":"1","invoice_number":"INV-X","#,
        r#""line_items":[{"item_id":"2","quantity":0.1,"rate":12345678901234567.89}],"#,
        r#""adjustment":-0.10,"exchange_rate":1E2}}"#,
        "\n",
        r#"{"entity":"customer_payment","payload":{"customer_id":"1","reference_number":"P-1","#,
        r#""amount":98765432109876543.21,"date":"2025-04-01","payment_mode":"cash","#,
        r#""invoices":[{"invoice_id":"3","amount_applied":98765432109876543.21}]}}"#,
        "\n",
    );
    let bodies = jsonl_bodies(text);
    assert!(
        bodies[0].contains(r#""rate":12345678901234567.89"#)
            && bodies[0].contains(r#""quantity":0.1,"#)
            && bodies[0].contains(r#""adjustment":-0.10"#)
            && bodies[0].contains(r#""exchange_rate":100"#),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[1].contains(r#""amount":98765432109876543.21"#)
            && bodies[1].contains(r#""amount_applied":98765432109876543.21"#),
        "{}",
        bodies[1]
    );
}
