//! Zoho's OpenAPI files, read for two jobs: generating `src/generated.rs` (the documented key set
//! of every entity the simulator serves) and validating the simulator's answers against the
//! response schemas, both with exactly the errata of zoho-books-reference.md §9 applied.
//!
//! The files are vendored in the repository at `spec/zoho-openapi/` (Zoho's "OpenAPI document"
//! download, unchanged). `cargo xtask regen` compiles this same file into the xtask, so the
//! generator the drift test checks is the one that writes `src/generated.rs`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// Where Zoho's OpenAPI files are: `spec/zoho-openapi` at the workspace root, found from the
/// package that compiles this file (the simulator's tests or the xtask).
pub(crate) fn openapi_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("spec/zoho-openapi"))
        .find(|dir| dir.is_dir())
        .expect("spec/zoho-openapi in the workspace")
}

/// One OpenAPI file, as JSON.
pub(crate) struct Spec {
    pub(crate) file: String,
    root: Value,
}

fn yaml_to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    _ => continue,
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

impl Spec {
    pub(crate) fn load(file: &str) -> Spec {
        let path = openapi_dir().join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let docs = YamlLoader::load_from_str(&text).expect("Zoho's OpenAPI file is YAML");
        Spec {
            file: file.to_owned(),
            root: yaml_to_json(&docs[0]),
        }
    }

    /// The operation with this `operationId`: (method, path, operation object).
    pub(crate) fn operation(&self, id: &str) -> (String, String, &Value) {
        for (path, ops) in self.root["paths"].as_object().expect("paths") {
            for (method, op) in ops.as_object().expect("path item") {
                if op.get("operationId").and_then(Value::as_str) == Some(id) {
                    return (method.to_uppercase(), path.clone(), op);
                }
            }
        }
        panic!("{}: no operation {id}", self.file)
    }

    /// A schema with every `$ref` replaced by its target, recursively.
    pub(crate) fn resolve(&self, schema: &Value) -> Value {
        self.resolve_depth(schema, 0)
    }

    fn resolve_depth(&self, schema: &Value, depth: usize) -> Value {
        if depth > 24 {
            return Value::Object(Map::new());
        }
        match schema {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let name = r.rsplit('/').next().expect("a $ref names a schema");
                    let target = &self.root["components"]["schemas"][name];
                    return self.resolve_depth(target, depth + 1);
                }
                let mut out = Map::new();
                for (k, v) in map {
                    let v = match k.as_str() {
                        "properties" => Value::Object(
                            v.as_object()
                                .map(|props| {
                                    props
                                        .iter()
                                        .map(|(pk, pv)| {
                                            (pk.clone(), self.resolve_depth(pv, depth + 1))
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                        ),
                        "items" => self.resolve_depth(v, depth + 1),
                        _ => v.clone(),
                    };
                    out.insert(k.clone(), v);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// The resolved success-response schema of an operation, errata applied.
    pub(crate) fn response_schema(&self, id: &str) -> Value {
        let (_, _, op) = self.operation(id);
        let responses = op["responses"].as_object().expect("responses");
        let (_, first) = responses.iter().next().expect("a documented response");
        let mut schema = self.resolve(&first["content"]["application/json"]["schema"]);
        apply_errata(&self.file, id, &mut schema);
        schema
    }

    /// The documented success status of an operation.
    pub(crate) fn response_status(&self, id: &str) -> u16 {
        let (_, _, op) = self.operation(id);
        let responses = op["responses"].as_object().expect("responses");
        responses
            .keys()
            .next()
            .expect("a status")
            .parse()
            .expect("numeric status")
    }

    /// The resolved request-body schema of an operation.
    pub(crate) fn request_schema(&self, id: &str) -> Option<Value> {
        let (_, _, op) = self.operation(id);
        let schema = op
            .get("requestBody")?
            .get("content")?
            .get("application/json")?
            .get("schema")?;
        Some(self.resolve(schema))
    }
}

/// Exactly the corrections of zoho-books-reference.md §9, applied to a resolved response schema.
pub(crate) fn apply_errata(file: &str, op: &str, schema: &mut Value) {
    let props = |s: &mut Value| -> Map<String, Value> {
        s.get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    match op {
        // "list customer payments: list key customer_payments → customerpayments".
        "list_customer_payments" => {
            let mut p = props(schema);
            if let Some(v) = p.remove("customer_payments") {
                p.insert("customerpayments".into(), v);
            }
            schema["properties"] = Value::Object(p);
        }
        // "create vendor payment: entity fields flat → nested under vendorpayment";
        // "get chart of account: flat → nested under chart_of_account".
        "create_vendor_payment" | "get_chart_of_account" => {
            let key = if op == "create_vendor_payment" {
                "vendorpayment"
            } else {
                "chart_of_account"
            };
            let p = props(schema);
            let mut outer = Map::new();
            let mut inner = Map::new();
            for (k, v) in p {
                if k == "code" || k == "message" {
                    outer.insert(k, v);
                } else {
                    inner.insert(k, v);
                }
            }
            outer.insert(
                key.into(),
                serde_json::json!({"type": "object", "properties": inner}),
            );
            schema["properties"] = Value::Object(outer);
        }
        // "create/get/update tax: tax is an array → one object";
        // "update vendor payment: vendorpayment is an array → one object";
        // "list invoices: page_context is an array → one object".
        "create_tax" | "get_tax" | "update_tax" => unwrap_array(schema, "tax"),
        "update_vendor_payment" | "update_vendor_payment_using_custom_field" => {
            unwrap_array(schema, "vendorpayment");
        }
        "list_invoices" => unwrap_array(schema, "page_context"),
        _ => {}
    }
    amount_errata(file, schema);
}

/// The erratum of §9 that holds for requests as well as answers: "invoice total, balance,
/// shipping_charge; bill amounts: typed string or integer → JSON numbers with decimals"; and a
/// contact's outstanding and unused-credit amounts, typed integer with a fractional example.
pub(crate) fn amount_errata(file: &str, schema: &mut Value) {
    let amounts: &[&str] = match file {
        "invoices.yml" => &["total", "balance", "shipping_charge"],
        "bills.yml" => &[
            "total",
            "balance",
            "sub_total",
            "tax_total",
            "item_total",
            "tax_amount",
            "payment_made",
        ],
        // Typed integer, yet the files' own example of the credits is 1369.66: amounts.
        "contacts.yml" => &[
            "outstanding_receivable_amount",
            "outstanding_receivable_amount_bcy",
            "unused_credits_receivable_amount",
            "unused_credits_receivable_amount_bcy",
        ],
        _ => &[],
    };
    if !amounts.is_empty() {
        retype_amounts(schema, amounts);
    }
}

fn unwrap_array(schema: &mut Value, key: &str) {
    if let Some(prop) = schema.get_mut("properties").and_then(|p| p.get_mut(key))
        && prop.get("type").and_then(Value::as_str) == Some("array")
    {
        let items = prop
            .get("items")
            .cloned()
            .unwrap_or_else(|| serde_json::json!({}));
        let mut obj = items;
        if obj.get("type").is_none() {
            obj["type"] = Value::String("object".into());
        }
        *prop = obj;
    }
}

fn retype_amounts(schema: &mut Value, names: &[&str]) {
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            if names.contains(&name.as_str()) {
                let ty = prop.get("type").and_then(Value::as_str).unwrap_or("");
                if ty == "string" || ty == "integer" {
                    prop["type"] = Value::String("number".into());
                }
            }
            retype_amounts(prop, names);
        }
    }
    if let Some(items) = schema.get_mut("items") {
        retype_amounts(items, names);
    }
}

// ---------------------------------------------------------------------------------------------
// The validator: the JSON-schema subset the files use (type, properties, items, required).

/// Every way `value` breaks `schema`, as `path: problem` lines.
pub(crate) fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate_at(schema, value, "$", &mut errors);
    errors
}

fn validate_at(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        let ok = match ty {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {ty}, got {value}"));
            return;
        }
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (k, sub) in props {
            if let Some(v) = obj.get(k) {
                validate_at(sub, v, &format!("{path}.{k}"), errors);
            }
        }
    }
    if let (Some(required), Some(obj)) = (
        schema.get("required").and_then(Value::as_array),
        value.as_object(),
    ) {
        for r in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                errors.push(format!("{path}: missing required {r}"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate_at(items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

/// Every way a request body breaks its operation's schema: what [`validate`] finds, plus values
/// outside an `enum` and fields the schema does not define (Zoho drops or refuses them; a
/// request zbooks sends must carry none).
pub(crate) fn validate_request(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = validate(schema, value);
    strict_at(schema, value, "$", &mut errors);
    errors
}

fn strict_at(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        errors.push(format!(
            "{path}: {value} is not one of {}",
            Value::Array(allowed.clone())
        ));
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (k, v) in obj {
            match props.get(k) {
                Some(sub) => {
                    if let Some(text) = v.as_str() {
                        string_rules(k, sub, text, &format!("{path}.{k}"), errors);
                    }
                    strict_at(sub, v, &format!("{path}.{k}"), errors);
                }
                None => errors.push(format!("{path}: unknown field {k}")),
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            strict_at(items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

/// The rules the simulator's validate.rs enforces on a string, read from the field's schema as
/// the generator reads them: documented maximum length, a clean "Allowed values" list, and the
/// date, GSTIN and e-mail formats. A blank string is "not given".
fn string_rules(key: &str, schema: &Value, text: &str, path: &str, errors: &mut Vec<String>) {
    if schema.get("type").and_then(Value::as_str) != Some("string") || text.trim().is_empty() {
        return;
    }
    let desc = schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    if let Some(max) = description_max_len(desc)
        && text.chars().count() > max as usize
    {
        errors.push(format!("{path}: longer than {max} characters"));
    }
    if schema.get("enum").is_none()
        && let Some(values) = description_enum(desc)
        && schema
            .get("example")
            .and_then(Value::as_str)
            .is_none_or(|ex| ex.trim().is_empty() || values.iter().any(|v| v == ex))
        && !values.iter().any(|v| v == text)
    {
        errors.push(format!("{path}: {text:?} is not one of {values:?}"));
    }
    let ok = match field_format(key, Some("string"), desc) {
        "Date" => is_calendar_date(text),
        "Gstin" => {
            let b = text.as_bytes();
            b.len() == 15
                && b[..2].iter().all(u8::is_ascii_digit)
                && b[2..7].iter().all(u8::is_ascii_uppercase)
                && b[7..11].iter().all(u8::is_ascii_digit)
                && b[11].is_ascii_uppercase()
                && b[12..]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
        "Email" => text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && domain.split('.').all(|l| !l.is_empty())
                && !text.contains(char::is_whitespace)
        }),
        _ => true,
    };
    if !ok {
        errors.push(format!("{path}: {text:?} is not a valid {key}"));
    }
}

/// `yyyy-mm-dd`, a day that exists.
fn is_calendar_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

// Compiled wherever this file is (the simulator's tests, the importer's, the xtask's), so the
// request check every user of it relies on is pinned once, here.
#[test]
fn validate_request_names_wrong_types_unknown_fields_and_values_outside_an_enum() {
    let schema = serde_json::json!({
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "mode": {"type": "string", "enum": ["cash", "check"]},
            "lines": {"type": "array", "items": {"type": "object", "properties": {
                "rate": {"type": "number"}
            }}}
        }
    });
    let good = serde_json::json!({"name": "a", "mode": "cash", "lines": [{"rate": 1.5}]});
    assert!(validate_request(&schema, &good).is_empty());
    let bad =
        serde_json::json!({"mode": "card", "unit": "pcs", "lines": [{"rate": "1.50", "x": 1}]});
    assert_eq!(
        validate_request(&schema, &bad),
        [
            "$.lines[0].rate: expected number, got \"1.50\"",
            "$: missing required name",
            "$.lines[0]: unknown field x",
            "$.mode: \"card\" is not one of [\"cash\",\"check\"]",
            "$: unknown field unit",
        ]
    );
}

#[test]
fn validate_request_applies_lengths_value_lists_and_formats_from_descriptions() {
    let schema = serde_json::json!({
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "Name. Max-length [5]"},
            "kind": {"type": "string", "description": "Allowed values: <code>a</code> and <code>b</code>."},
            "date": {"type": "string", "description": "Use the format yyyy-mm-dd."},
            "gst_no": {"type": "string"},
            "email": {"type": "string"}
        }
    });
    let good = serde_json::json!({"name": "abcde", "kind": "b", "date": "2024-02-29",
        "gst_no": "22AAAAA0000A1Z5", "email": "a@b.in"});
    assert!(validate_request(&schema, &good).is_empty());
    let bad = serde_json::json!({"name": "abcdef", "kind": "c", "date": "2025-02-30",
        "gst_no": "22AAAAA0000A1Z", "email": "a.b.in"});
    assert_eq!(validate_request(&schema, &bad).len(), 5);
}

/// The example request an operation's schema documents: every property with its `example`,
/// nested objects and one-element arrays built the same way.
pub(crate) fn example(schema: &Value) -> Option<Value> {
    if let Some(ex) = schema.get("example")
        && !schema.get("properties").is_some_and(Value::is_object)
    {
        return Some(ex.clone());
    }
    let ty = schema.get("type").and_then(Value::as_str);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let mut out = Map::new();
        for (k, v) in props {
            if let Some(ex) = example(v) {
                out.insert(k.clone(), ex);
            }
        }
        // An object none of whose fields has an example is not part of the example.
        return (!out.is_empty()).then_some(Value::Object(out));
    }
    if ty == Some("array") {
        let item = schema.get("items").and_then(example)?;
        return Some(Value::Array(vec![item]));
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The generator of src/generated.rs.

/// (constant, file, create, get, update, list, singular key, plural key)
type EntityRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

pub(crate) const ENTITIES: &[EntityRow] = &[
    (
        "CONTACT",
        "contacts.yml",
        "create_contact",
        "get_contact",
        "update_contact",
        "list_contacts",
        "contact",
        "contacts",
    ),
    (
        "ITEM",
        "items.yml",
        "create_item",
        "get_item",
        "update_item",
        "list_items",
        "item",
        "items",
    ),
    (
        "INVOICE",
        "invoices.yml",
        "create_invoice",
        "get_invoice",
        "update_invoice",
        "list_invoices",
        "invoice",
        "invoices",
    ),
    (
        "CUSTOMER_PAYMENT",
        "customer-payments.yml",
        "create_customer_payment",
        "get_customer_payment",
        "update_customer_payment",
        "list_customer_payments",
        "payment",
        "customerpayments",
    ),
    (
        "BILL",
        "bills.yml",
        "create_bill",
        "get_bill",
        "update_bill",
        "list_bills",
        "bill",
        "bills",
    ),
    (
        "VENDOR_PAYMENT",
        "vendor-payments.yml",
        "create_vendor_payment",
        "get_vendor_payment",
        "update_vendor_payment",
        "list_vendor_payments",
        "vendorpayment",
        "vendorpayments",
    ),
    (
        "JOURNAL",
        "journals.yml",
        "create_journal",
        "get_journal",
        "update_journal",
        "list_journals",
        "journal",
        "journals",
    ),
    (
        "CHART_OF_ACCOUNT",
        "chart-of-accounts.yml",
        "create_chart_of_account",
        "get_chart_of_account",
        "update_chart_of_account",
        "list_chart_of_accounts",
        "chart_of_account",
        "chartofaccounts",
    ),
    (
        "TAX",
        "taxes.yml",
        "create_tax",
        "get_tax",
        "update_tax",
        "list_taxes",
        "tax",
        "taxes",
    ),
    (
        "ORGANIZATION",
        "organizations.yml",
        "create_organization",
        "get_organization",
        "update_organization",
        "list_organizations",
        "organization",
        "organizations",
    ),
];

fn shape_text(schema: &Value, indent: usize, out: &mut String) {
    let ty = schema.get("type").and_then(Value::as_str);
    let props = schema.get("properties").and_then(Value::as_object);
    match (ty, props) {
        (Some("object") | None, Some(props)) => {
            let sorted: BTreeMap<&String, &Value> = props.iter().collect();
            if sorted.is_empty() {
                out.push_str("Shape::Obj(&[])");
                return;
            }
            out.push_str("Shape::Obj(&[\n");
            for (k, v) in sorted {
                let _ = write!(out, "{}(\"{}\", ", " ".repeat(indent + 4), k);
                shape_text(v, indent + 4, out);
                out.push_str("),\n");
            }
            let _ = write!(out, "{}])", " ".repeat(indent));
        }
        (Some("object"), None) => out.push_str("Shape::Obj(&[])"),
        (Some("string"), _) => out.push_str("Shape::Str"),
        (Some("number"), _) => out.push_str("Shape::Num"),
        (Some("integer"), _) => out.push_str("Shape::Int"),
        (Some("boolean"), _) => out.push_str("Shape::Bool"),
        (Some("array"), _) => {
            out.push_str("Shape::Arr(&");
            match schema.get("items") {
                Some(items) if items.is_object() => shape_text(items, indent, out),
                _ => out.push_str("Shape::Any"),
            }
            out.push(')');
        }
        _ => out.push_str("Shape::Any"),
    }
}

fn required_text(spec: &Spec, op: &str) -> String {
    let mut names: Vec<String> = spec
        .request_schema(op)
        .and_then(|s| s.get("required").cloned())
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    names.sort();
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    format!("&[{}]", quoted.join(", "))
}

/// The text `src/generated.rs` must hold.
pub(crate) fn generate() -> String {
    let mut out = String::from(
        "//! The documented key set of every entity the simulator serves, generated from Zoho's\n\
         //! OpenAPI files (`spec/zoho-openapi`) with the errata of the Zoho reference (§9 of\n\
         //! docs/zoho-books-reference.md) applied. Do not edit: `tests/it/generated.rs` fails when\n\
         //! this file drifts from the files, and `cargo xtask regen` rewrites it.\n\n\
         use crate::shape::{EntitySpec, Shape};\n",
    );
    for (name, file, create, get, update, list, singular, plural) in ENTITIES {
        let spec = Spec::load(file);
        let entity =
            |op: &str, key: &str| -> Value { spec.response_schema(op)["properties"][key].clone() };
        let _ = write!(
            out,
            "\n/// `{file}`: `{create}`, `{get}`, `{update}`, `{list}`.\n"
        );
        let _ = writeln!(out, "pub(crate) static {name}: EntitySpec = EntitySpec {{");
        for (field, op, key, is_list) in [
            ("create", create, singular, false),
            ("get", get, singular, false),
            ("update", update, singular, false),
            ("list", list, plural, true),
        ] {
            let mut schema = entity(op, key);
            if is_list {
                schema = schema.get("items").cloned().unwrap_or(Value::Null);
            }
            let _ = write!(out, "    {field}: ");
            shape_text(&schema, 4, &mut out);
            out.push_str(",\n");
        }
        let _ = writeln!(
            out,
            "    create_required: {},",
            required_text(&spec, create)
        );
        let _ = writeln!(
            out,
            "    update_required: {},",
            required_text(&spec, update)
        );
        out.push_str("};\n");
    }
    generate_requests(&mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// The request schemas of src/generated.rs: what the simulator's validate.rs checks a create or
// update body against, read from the same files with the same errata.

/// (constant, file, create, update, upsert by a unique custom field — empty where none, list)
type RequestRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

pub(crate) const REQUESTS: &[RequestRow] = &[
    (
        "CONTACT",
        "contacts.yml",
        "create_contact",
        "update_contact",
        "update_contact_using_custom_field",
        "list_contacts",
    ),
    (
        "ITEM",
        "items.yml",
        "create_item",
        "update_item",
        "update_item_using_custom_field",
        "list_items",
    ),
    (
        "INVOICE",
        "invoices.yml",
        "create_invoice",
        "update_invoice",
        "update_invoice_using_custom_field",
        "list_invoices",
    ),
    (
        "CUSTOMER_PAYMENT",
        "customer-payments.yml",
        "create_customer_payment",
        "update_customer_payment",
        "update_customer_payment_using_custom_field",
        "list_customer_payments",
    ),
    (
        "BILL",
        "bills.yml",
        "create_bill",
        "update_bill",
        "update_bill_using_custom_field",
        "list_bills",
    ),
    (
        "VENDOR_PAYMENT",
        "vendor-payments.yml",
        "create_vendor_payment",
        "update_vendor_payment",
        "update_vendor_payment_using_custom_field",
        "list_vendor_payments",
    ),
    (
        "JOURNAL",
        "journals.yml",
        "create_journal",
        "update_journal",
        "",
        "list_journals",
    ),
    (
        "CHART_OF_ACCOUNT",
        "chart-of-accounts.yml",
        "create_chart_of_account",
        "update_chart_of_account",
        "",
        "list_chart_of_accounts",
    ),
    (
        "TAX",
        "taxes.yml",
        "create_tax",
        "update_tax",
        "",
        "list_taxes",
    ),
];

/// One rule-bearing field of a request, as the generator reads it (for the counts).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct RequestCounts {
    pub(crate) operations: usize,
    pub(crate) fields: usize,
    pub(crate) typed: usize,
    pub(crate) enums: usize,
    pub(crate) enum_values: usize,
    pub(crate) lengths: usize,
    pub(crate) dates: usize,
    pub(crate) emails: usize,
    pub(crate) gstins: usize,
    pub(crate) required: usize,
}

/// The request schema of `op`, with the §9 amount erratum and the corrections of reference
/// §5.1 applied (the customer-payment files list `invoices[]`'s `invoice_id` and
/// `amount_applied` at the top level too, and mark them required there: they belong to each
/// element of `invoices`; invoice lines need no `item_id`).
pub(crate) fn request_body_schema(spec: &Spec, op: &str) -> Value {
    let mut schema = spec
        .request_schema(op)
        .unwrap_or_else(|| panic!("{}: {op} documents a request body", spec.file));
    amount_errata(&spec.file, &mut schema);
    if spec.file == "customer-payments.yml" {
        let nested = ["invoice_id", "amount_applied"];
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            for name in nested {
                props.remove(name);
            }
            if let Some(item) = props.get_mut("invoices").and_then(|i| i.get_mut("items")) {
                item["required"] = serde_json::json!(nested);
            }
        }
        if let Some(req) = schema.get_mut("required").and_then(Value::as_array_mut) {
            req.retain(|r| !nested.iter().any(|n| r.as_str() == Some(n)));
        }
    }
    // Reference §5.1: the invoice file marks each line's `item_id` required, but Zoho accepts
    // free-text lines (a name and a rate); the simulator does not refuse them.
    if spec.file == "invoices.yml"
        && let Some(req) = schema
            .get_mut("properties")
            .and_then(|p| p.get_mut("line_items"))
            .and_then(|l| l.get_mut("items"))
            .and_then(|i| i.get_mut("required"))
            .and_then(Value::as_array_mut)
    {
        req.retain(|r| r.as_str() != Some("item_id"));
    }
    schema
}

/// The maximum length a description states: `Max-length [100]` or "Maximum length is 100
/// characters".
pub(crate) fn description_max_len(desc: &str) -> Option<u32> {
    for marker in ["Max-length [", "Maximum length is "] {
        if let Some(at) = desc.find(marker) {
            let digits: String = desc[at + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = digits.parse() {
                return Some(n);
            }
        }
    }
    None
}

/// The values an "Allowed values" sentence of a description lists, where the list is clean:
/// only `<code>` values joined by commas, "and", "or" and line breaks, the sentence ending
/// there, and no other value named anywhere else in the description. Lists that depend on the
/// organization's edition ("For ... Edition", "supported only for", "additional values"), that
/// explain each value in parentheses, or that are written inside one `<code>` with their
/// heading, are incomplete or ambiguous for the simulator, and are not read.
pub(crate) fn description_enum(desc: &str) -> Option<Vec<String>> {
    let lower = desc.to_lowercase();
    if lower.matches("allowed value").count() != 1
        || lower.contains("edition")
        || lower.contains("supported only")
        || lower.contains("additional value")
    {
        return None;
    }
    let at = lower.find("allowed value")?;
    let mut rest = &desc[at + "allowed value".len()..];
    rest = rest.strip_prefix('s').unwrap_or(rest);
    rest = rest.trim_start();
    rest = rest.strip_prefix("are").unwrap_or(rest).trim_start();
    rest = rest.strip_prefix(':').unwrap_or(rest);
    let mut values: Vec<String> = Vec::new();
    loop {
        // Separators between values.
        let before = rest;
        rest = rest.trim_start();
        for sep in ["<br/>", "</br>", "<br>", ",", "and ", "or "] {
            if let Some(r) = rest.strip_prefix(sep) {
                rest = r;
            }
        }
        if let Some(r) = rest.strip_prefix("<code>") {
            let end = r.find("</code>")?;
            for v in r[..end].split(',') {
                let v = v.trim();
                if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return None;
                }
                values.push(v.to_owned());
            }
            rest = &r[end + "</code>".len()..];
            continue;
        }
        if rest == before {
            break;
        }
    }
    let tail = rest.trim_start();
    if values.is_empty() || !(tail.is_empty() || tail.starts_with('.')) {
        return None;
    }
    // Any other value named elsewhere must be one of the list (a stated default).
    let mut others = Vec::new();
    for part in [&desc[..at], tail] {
        let mut p = part;
        while let Some(i) = p.find("<code>") {
            let r = &p[i + 6..];
            let Some(end) = r.find("</code>") else { break };
            others.push(r[..end].trim().to_owned());
            p = &r[end..];
        }
    }
    if others.iter().any(|o| !values.contains(o)) {
        return None;
    }
    if values.iter().all(|v| v == "true" || v == "false") {
        return None;
    }
    Some(values)
}

/// The `in: query` parameters of `op` with the maximum length their description states.
fn query_lengths(spec: &Spec, op: &str) -> BTreeMap<String, u32> {
    let (_, _, op) = spec.operation(op);
    let mut out = BTreeMap::new();
    for p in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let p = match p.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                spec.root["components"]["parameters"][r.rsplit('/').next().unwrap_or("")].clone()
            }
            None => p.clone(),
        };
        if p.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        if let (Some(name), Some(n)) = (
            p.get("name").and_then(Value::as_str),
            p.get("description")
                .and_then(Value::as_str)
                .and_then(description_max_len),
        ) {
            out.insert(name.to_owned(), n);
        }
    }
    out
}

/// What a request field's format is, from its name and description.
fn field_format(name: &str, ty: Option<&str>, desc: &str) -> &'static str {
    if ty != Some("string") {
        return "";
    }
    if name == "gst_no" {
        "Gstin"
    } else if name == "email" {
        "Email"
    } else if name == "date"
        || name.ends_with("_date")
        || desc.to_lowercase().contains("yyyy-mm-dd")
    {
        "Date"
    } else {
        ""
    }
}

fn request_ty_text(
    schema: &Value,
    ctx: &ReqCtx<'_>,
    indent: usize,
    out: &mut String,
    counts: &mut RequestCounts,
) {
    let ty = schema.get("type").and_then(Value::as_str);
    let props = schema.get("properties").and_then(Value::as_object);
    match (ty, props) {
        (Some("object") | None, Some(_)) => {
            out.push_str("Ty::Obj(");
            request_fields_text(schema, ctx, false, indent, out, counts);
            out.push(')');
        }
        (Some("object"), None) => out.push_str("Ty::Obj(&[])"),
        (Some("string"), _) => out.push_str("Ty::Str"),
        (Some("number"), _) => out.push_str("Ty::Num"),
        (Some("integer"), _) => out.push_str("Ty::Int"),
        (Some("boolean"), _) => out.push_str("Ty::Bool"),
        (Some("array"), _) => {
            out.push_str("Ty::Arr(&");
            match schema.get("items") {
                Some(items) if items.is_object() => {
                    request_ty_text(items, ctx, indent, out, counts);
                }
                _ => out.push_str("Ty::Any"),
            }
            out.push(')');
        }
        _ => out.push_str("Ty::Any"),
    }
}

/// What the field text needs besides the schema.
struct ReqCtx<'a> {
    /// Lengths the list operation's query parameters state, for top-level fields whose body
    /// schema states none.
    query_lengths: &'a BTreeMap<String, u32>,
}

fn request_fields_text(
    schema: &Value,
    ctx: &ReqCtx<'_>,
    top: bool,
    indent: usize,
    out: &mut String,
    counts: &mut RequestCounts,
) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        out.push_str("&[]");
        return;
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let sorted: BTreeMap<&String, &Value> = props.iter().collect();
    if sorted.is_empty() {
        out.push_str("&[]");
        return;
    }
    let pad = " ".repeat(indent + 4);
    out.push_str("&[\n");
    for (name, prop) in sorted {
        counts.fields += 1;
        let ty = prop.get("type").and_then(Value::as_str);
        if ty.is_some() {
            counts.typed += 1;
        }
        let desc = prop
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("");
        let _ = write!(
            out,
            "{pad}Field {{\n{pad}    name: \"{name}\",\n{pad}    ty: "
        );
        request_ty_text(prop, ctx, indent + 4, out, counts);
        out.push_str(",\n");
        if required.contains(&name.as_str()) {
            counts.required += 1;
            let _ = writeln!(out, "{pad}    required: true,");
        }
        if ty == Some("string") {
            let len = description_max_len(desc)
                .or_else(|| top.then(|| ctx.query_lengths.get(name.as_str()).copied())?);
            if let Some(n) = len {
                counts.lengths += 1;
                let _ = writeln!(out, "{pad}    max_len: {n},");
            }
            let values = prop
                .get("enum")
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .or_else(|| description_enum(desc))
                // A list the field's own example contradicts (journals' `journal_type`: "Cash"
                // and "Both", example `both`) is ambiguous: not enforced.
                .filter(|values: &Vec<String>| {
                    prop.get("example")
                        .and_then(Value::as_str)
                        .is_none_or(|ex| ex.trim().is_empty() || values.iter().any(|v| v == ex))
                });
            if let Some(values) = values {
                counts.enums += 1;
                counts.enum_values += values.len();
                let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                let _ = writeln!(out, "{pad}    one_of: &[{}],", quoted.join(", "));
            }
        }
        match field_format(name, ty, desc) {
            "" => {}
            format => {
                match format {
                    "Date" => counts.dates += 1,
                    "Email" => counts.emails += 1,
                    _ => counts.gstins += 1,
                }
                let _ = writeln!(out, "{pad}    format: Format::{format},");
            }
        }
        let _ = writeln!(out, "{pad}    ..Field::NONE\n{pad}}},");
    }
    let _ = write!(out, "{}]", " ".repeat(indent));
}

/// Writes the request tables and answers what they enforce.
fn request_tables(out: &mut String) -> RequestCounts {
    let mut counts = RequestCounts::default();
    for (name, file, create, update, upsert, list) in REQUESTS {
        let spec = Spec::load(file);
        let lengths = query_lengths(&spec, list);
        let ctx = ReqCtx {
            query_lengths: &lengths,
        };
        let _ = write!(
            out,
            "\n    /// `{file}`: `{create}`, `{update}`{}.\n",
            if upsert.is_empty() {
                String::new()
            } else {
                format!(", `{upsert}`")
            }
        );
        let _ = writeln!(out, "    pub(crate) static {name}: Request = Request {{");
        for (field, op) in [("create", create), ("update", update), ("upsert", upsert)] {
            let _ = write!(out, "        {field}: ");
            if op.is_empty() {
                out.push_str("&[]");
            } else {
                counts.operations += 1;
                let schema = request_body_schema(&spec, op);
                request_fields_text(&schema, &ctx, true, 8, out, &mut counts);
            }
            out.push_str(",\n");
        }
        out.push_str("    };\n");
    }
    counts
}

/// What the request tables enforce, counted the way they are generated.
pub(crate) fn request_counts() -> RequestCounts {
    request_tables(&mut String::new())
}

fn generate_requests(out: &mut String) {
    out.push_str(
        "\n/// The documented request body of every create and update the simulator serves (and of\n\
         /// the upsert by a unique custom field), for validate.rs: types, required fields,\n\
         /// maximum lengths and allowed values read from the descriptions, and formats.\n\
         pub(crate) mod requests {\n\
         \x20   use crate::schema::{Field, Format, Request, Ty};\n",
    );
    request_tables(out);
    out.push_str("}\n");
}
