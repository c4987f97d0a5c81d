//! JSON Lines of Zoho payloads, one record a line.
//!
//! The format: each line is an envelope
//!
//! ```json
//! {"entity": "invoice", "payload": {"customer_name": "Acme", "invoice_number": "INV-1", ...}}
//! ```
//!
//! with optional `"key": {"field": "reference_number", "value": "..."}` (the natural key;
//! by default the entity's name field: `contact_name`, `name`, `invoice_number`,
//! `bill_number`, `reference_number`...) and `"query": {"ignore_auto_number_generation":
//! "true"}`. When the entity is given by [`JsonlOptions::entity`] a line may be the bare
//! payload. A payload names what it depends on with `{"$ref": "contact:contact_name=Acme"}`
//! (or `{"$ref": {"entity": "contact", "field": "contact_name", "value": "Acme"}}`) where the
//! id goes; `customer_name` and `vendor_name` without `customer_id`/`vendor_id` are taken as
//! such references. Blank lines are skipped; a line ends at LF, CRLF or a lone CR.
//!
//! Numbers are read from their text, never through `f64`: one in a field Zoho types as money
//! or a quantity (`rate`, `amount`...) is kept as that exact decimal text, as the other readers
//! keep money, so `12345678901234567.89` reaches Zoho digit for digit; any other number is kept
//! only if it is exact as a JSON number, else the line is refused naming the field.
//!
//! A byte that is not UTF-8 inside a string value is read as U+FFFD, and the record goes in
//! with a warning naming the line and byte offset; anywhere else the line is named as not
//! imported. Either way the lines after it are read.

use std::collections::{BTreeMap, VecDeque};
use std::io::BufRead;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::body::NUMBER_FIELDS;

use crate::location::Location;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Amounts, Entity, NaturalKey, Record};
use crate::validate::number;

/// Options of the JSON Lines reader.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonlOptions {
    /// The entity of bare-payload lines.
    pub entity: Option<Entity>,
}

/// Reads JSON Lines of Zoho payloads.
#[derive(Debug)]
pub struct JsonlReader<R> {
    input: R,
    file: Arc<str>,
    options: JsonlOptions,
    line: u64,
    buf: Vec<u8>,
    /// The file offset of the next byte.
    offset: u64,
    /// The last line ended with CR: a LF right after it belongs to it.
    after_cr: bool,
    done: bool,
    queue: VecDeque<Result<Record, Problem>>,
}

impl<R: BufRead> JsonlReader<R> {
    /// Reads from a buffered stream; `file` names it in locations.
    pub fn new(input: R, file: &str, options: JsonlOptions) -> Self {
        JsonlReader {
            input,
            file: Arc::from(file),
            options,
            line: 0,
            buf: Vec::new(),
            offset: 0,
            after_cr: false,
            done: false,
            queue: VecDeque::new(),
        }
    }
}

impl<R: BufRead> JsonlReader<R> {
    /// Reads the next line's bytes into `buf`; false at the end of the input.
    fn read_line(&mut self) -> std::io::Result<bool> {
        self.buf.clear();
        if std::mem::take(&mut self.after_cr) && self.input.fill_buf()?.first() == Some(&b'\n') {
            self.input.consume(1);
            self.offset += 1;
        }
        let mut any = false;
        loop {
            let available = self.input.fill_buf()?;
            if available.is_empty() {
                return Ok(any);
            }
            any = true;
            if let Some(i) = available.iter().position(|b| matches!(b, b'\n' | b'\r')) {
                self.after_cr = available[i] == b'\r';
                self.buf.extend_from_slice(&available[..i]);
                self.input.consume(i + 1);
                self.offset += i as u64 + 1;
                return Ok(true);
            }
            let n = available.len();
            self.buf.extend_from_slice(available);
            self.input.consume(n);
            self.offset += n as u64;
        }
    }

    /// A line that is not UTF-8: read with U+FFFD where that is certain to lose nothing
    /// but the bad bytes (in a string value), else named as not imported.
    fn lossy(
        &mut self,
        at: Location,
        start: u64,
        e: std::str::Utf8Error,
    ) -> Option<Result<Record, Problem>> {
        let bad = start + e.valid_up_to() as u64;
        let len = e.error_len().unwrap_or(self.buf.len() - e.valid_up_to());
        let shown: Vec<String> = self.buf[e.valid_up_to()..e.valid_up_to() + len]
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect();
        let stray = format!("{} at byte {bad} is not valid UTF-8", shown.join(" "));
        let text = String::from_utf8_lossy(&self.buf).into_owned();
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            return None;
        }
        let at = at.with_offset(bad);
        let in_names = serde_json::from_str::<Value>(text).is_ok_and(|v| has_fffd_in_names(&v));
        if in_names {
            return Some(Err(Problem::error(
                ProblemKind::Encoding,
                at,
                format!("{stray} and falls in a field name: the line is not imported"),
            )));
        }
        Some(match parse_line(text, at.clone(), &self.options) {
            Ok(record) => {
                let warning = Problem::warning(
                    ProblemKind::Encoding,
                    at.with_label(record.key.value.clone()),
                    format!(
                        "{stray}: read as U+FFFD (\u{fffd}); the record is imported with it, \
                         check that text in Zoho"
                    ),
                )
                .record(&record.key);
                self.queue.push_back(Ok(record));
                Err(warning)
            }
            Err(mut p) => {
                p.message = format!("{}; {stray}", p.message);
                Err(p)
            }
        })
    }
}

/// Whether an object key anywhere in `v` holds U+FFFD.
fn has_fffd_in_names(v: &Value) -> bool {
    match v {
        Value::Object(o) => o
            .iter()
            .any(|(k, v)| k.contains('\u{fffd}') || has_fffd_in_names(v)),
        Value::Array(a) => a.iter().any(has_fffd_in_names),
        _ => false,
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Record, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            self.line += 1;
            let at = Location::new(self.file.clone(), self.line);
            let start = self.offset;
            match self.read_line() {
                Ok(false) => {
                    self.done = true;
                }
                Ok(true) => match std::str::from_utf8(&self.buf) {
                    Ok(text) => {
                        let text = text.trim_start_matches('\u{feff}').trim();
                        if text.is_empty() {
                            continue;
                        }
                        return Some(parse_line(text, at, &self.options));
                    }
                    Err(e) => {
                        if let Some(item) = self.lossy(at, start, e) {
                            return Some(item);
                        }
                    }
                },
                Err(e) => {
                    self.done = true;
                    let offset = self.offset;
                    return Some(Err(Problem::error(
                        ProblemKind::Syntax,
                        at.with_offset(offset),
                        format!(
                            "cannot read the file at byte {offset}: {e}; the rest of the file is not read"
                        ),
                    )));
                }
            }
        }
    }
}

/// Parses one line of JSON Lines.
pub fn parse_line(text: &str, at: Location, options: &JsonlOptions) -> Result<Record, Problem> {
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| {
        Problem::error(
            ProblemKind::Syntax,
            at.clone(),
            format!("not valid JSON at column {}: {e}", e.column()),
        )
    })?;
    let value = exact(raw, "", &mut String::new()).map_err(|(field, message)| {
        Problem::error(ProblemKind::BadValue, at.clone(), message).field(field)
    })?;
    let Value::Object(mut obj) = value else {
        return Err(Problem::error(
            ProblemKind::WrongType,
            at,
            "a line must be a JSON object",
        ));
    };
    let enveloped =
        obj.contains_key("payload") && (obj.contains_key("entity") || options.entity.is_some());
    let (entity, payload, key, query) = if enveloped {
        let entity = match obj.get("entity") {
            Some(Value::String(name)) => Entity::parse(name).ok_or_else(|| {
                Problem::error(
                    ProblemKind::BadValue,
                    at.clone(),
                    format!("{name:?} is not an entity (contact, item, invoice, bill, customer_payment, vendor_payment, journal, tax, tax_group, account, credit_note, vendor_credit)"),
                )
                .field("entity")
            })?,
            Some(_) => {
                return Err(Problem::error(ProblemKind::WrongType, at, "must be a string").field("entity"));
            }
            None => options.entity.ok_or_else(|| {
                Problem::error(ProblemKind::MissingField, at.clone(), "missing").field("entity")
            })?,
        };
        let payload = obj.remove("payload").unwrap_or(Value::Null);
        (entity, payload, obj.remove("key"), obj.remove("query"))
    } else {
        let Some(entity) = options.entity else {
            return Err(Problem::error(
                ProblemKind::MissingField,
                at,
                "the line names no entity: write it as {\"entity\": \"contact\", \"payload\": {...}} (contact, item, invoice, bill, customer_payment, vendor_payment, journal, tax, tax_group, account, credit_note, vendor_credit)",
            )
            .field("entity"));
        };
        (entity, Value::Object(obj), None, None)
    };
    let Value::Object(payload) = payload else {
        return Err(
            Problem::error(ProblemKind::WrongType, at, "must be a JSON object").field("payload"),
        );
    };
    build(entity, payload, key.as_ref(), query.as_ref(), at)
}

/// A JSON value read with its numbers exact (see the module's doc); `key` is the name of the
/// member it is the value of, `path` where it is (`payload.line_items[0].rate`). The error
/// names the field and says why.
fn exact(raw: &RawValue, key: &str, path: &mut String) -> Result<Value, (String, String)> {
    let text = raw.get();
    // `raw` was checked as JSON by serde_json already: re-reading a part of it cannot fail.
    let broken = |e: serde_json::Error| (path.clone(), format!("not valid JSON: {e}"));
    match text.as_bytes().first() {
        Some(b'{') => {
            let members: BTreeMap<String, &RawValue> =
                serde_json::from_str(text).map_err(broken)?;
            let len = path.len();
            let mut out = Map::new();
            for (name, v) in members {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&name);
                let value = exact(v, &name, path)?;
                path.truncate(len);
                out.insert(name, value);
            }
            Ok(Value::Object(out))
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(broken)?;
            let len = path.len();
            let mut out = Vec::with_capacity(items.len());
            for (i, v) in items.into_iter().enumerate() {
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
                out.push(exact(v, key, path)?);
                path.truncate(len);
            }
            Ok(Value::Array(out))
        }
        Some(b'-' | b'0'..=b'9') => exact_number(text, key).map_err(|m| (path.clone(), m)),
        _ => serde_json::from_str(text).map_err(broken),
    }
}

/// A JSON number from its text: the decimal text itself in a money or quantity field (the
/// [`Body`](crate::Body) writes it back as a number, digit for digit), else the number if
/// serde_json holds it exactly.
fn exact_number(text: &str, key: &str) -> Result<Value, String> {
    let scientific = text.contains(['e', 'E']);
    let decimal = if scientific {
        Decimal::from_scientific(text).ok()
    } else {
        text.parse::<Decimal>().ok()
    };
    if NUMBER_FIELDS.contains(&key) {
        return match decimal {
            Some(_) if !scientific => Ok(Value::String(text.to_owned())),
            Some(d) => Ok(Value::String(d.to_string())),
            None => Err(format!(
                "{text} is not an amount Zoho can take (at most 28 significant digits)"
            )),
        };
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("{text} is not a number: {e}"))?;
    let kept = match &value {
        Value::Number(n) if n.is_f64() => {
            decimal.is_some() && n.to_string().parse::<Decimal>().ok() == decimal
        }
        Value::Number(_) => !scientific,
        _ => false,
    };
    if kept {
        Ok(value)
    } else {
        Err(format!(
            "{text} cannot be sent exactly as a JSON number here (it would reach Zoho as {value}); write it with fewer digits"
        ))
    }
}

fn parse_ref(v: &Value) -> Option<NaturalKey> {
    let r = v.as_object()?.get("$ref")?;
    match r {
        Value::String(s) => {
            let (entity, rest) = s.split_once(':')?;
            let entity = Entity::parse(entity)?;
            match rest.split_once('=') {
                Some((field, value)) => Some(NaturalKey::new(entity, field.trim(), value)),
                None => Some(NaturalKey::named(entity, rest)),
            }
        }
        Value::Object(o) => {
            let entity = Entity::parse(o.get("entity")?.as_str()?)?;
            let value = o.get("value")?.as_str()?;
            match o.get("field").and_then(Value::as_str) {
                Some(f) => Some(NaturalKey::new(entity, f, value)),
                None => Some(NaturalKey::named(entity, value)),
            }
        }
        _ => None,
    }
}

fn collect_refs(v: &Value, path: &mut String, out: &mut Vec<(String, NaturalKey)>) {
    if let Some(k) = parse_ref(v) {
        out.push((path.clone(), k));
        return;
    }
    let len = path.len();
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                collect_refs(child, path, out);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push('/');
                path.push_str(&i.to_string());
                collect_refs(child, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn build(
    entity: Entity,
    mut payload: Map<String, Value>,
    key: Option<&Value>,
    query: Option<&Value>,
    at: Location,
) -> Result<Record, Problem> {
    let mut refs = Vec::new();
    collect_refs(
        &Value::Object(payload.clone()),
        &mut String::new(),
        &mut refs,
    );
    let party_ref = match entity {
        Entity::Invoice | Entity::CreditNote | Entity::CustomerPayment => {
            Some(("customer_name", "customer_id"))
        }
        Entity::Bill | Entity::VendorCredit | Entity::VendorPayment => {
            Some(("vendor_name", "vendor_id"))
        }
        _ => None,
    };
    let mut party = None;
    if let Some((name_field, id_field)) = party_ref
        && let Some(name) = text(payload.get(name_field))
    {
        party = Some(name.clone());
        if payload.get(id_field).is_none_or(Value::is_null) {
            payload.remove(name_field);
            refs.push((
                format!("/{id_field}"),
                NaturalKey::named(Entity::Contact, name),
            ));
        }
    }
    let key = match key {
        Some(k) => {
            let field = k
                .get("field")
                .and_then(Value::as_str)
                .unwrap_or(entity.name_field());
            let value = text(k.get("value")).ok_or_else(|| {
                Problem::error(ProblemKind::MissingField, at.clone(), "missing").field("key.value")
            })?;
            NaturalKey::new(entity, field, value)
        }
        None => entity
            .key_fields()
            .iter()
            .find_map(|f| text(payload.get(*f)).map(|v| NaturalKey::new(entity, *f, v)))
            .ok_or_else(|| {
                Problem::error(
                    ProblemKind::MissingField,
                    at.clone(),
                    format!(
                        "the record has no natural key: give it a {} or add \"key\" to the line",
                        entity.name_field()
                    ),
                )
                .field(entity.name_field())
            })?,
    };
    if party.is_none() {
        party = refs
            .iter()
            .find(|(p, _)| p == "/customer_id" || p == "/vendor_id")
            .map(|(_, k)| k.value.clone());
    }
    let amounts = amounts_of(entity, &payload, party);
    let label = key.value.clone();
    let mut record = Record::new(entity, key, Value::Object(payload), at.with_label(label));
    for (path, k) in refs {
        record.refer(path, k);
    }
    if let Some(q) = query.and_then(Value::as_object) {
        for (k, v) in q {
            let v = text(Some(v)).unwrap_or_else(|| v.to_string());
            record.query.push((k.clone(), v));
        }
    } else {
        let number = entity.resource().manual_number;
        if number.is_some_and(|n| record.payload.get(n).is_some()) {
            record.query.push((
                "ignore_auto_number_generation".to_owned(),
                "true".to_owned(),
            ));
        }
    }
    record.amounts = amounts;
    Ok(record)
}

/// The amounts of a payload, for reconciliation: a document's stated `total`, else the sum
/// of its lines (Zoho's `sub_total`, or its `total` when the rates include tax); a payment's
/// `amount`; a journal's debits.
pub(crate) fn amounts_of(
    entity: Entity,
    payload: &Map<String, Value>,
    party: Option<String>,
) -> Option<Amounts> {
    let (total, field) = match entity {
        Entity::Invoice | Entity::Bill | Entity::CreditNote | Entity::VendorCredit => {
            if let Some(t) = payload.get("total").and_then(number) {
                (t, "total")
            } else {
                let lines = payload.get("line_items").and_then(Value::as_array)?;
                let sum = lines
                    .iter()
                    .map(|l| {
                        let q = l.get("quantity").and_then(number).unwrap_or(Decimal::ONE);
                        let r = l.get("rate").and_then(number).unwrap_or_default();
                        q * r
                    })
                    .sum();
                // Inclusive rates hold their tax, which Zoho carves out of `sub_total` and
                // keeps in `total`; only `total` can still agree with the lines' sum.
                if payload.get("is_inclusive_tax") == Some(&Value::Bool(true)) {
                    let extra = |f: &str| payload.get(f).and_then(number).unwrap_or_default();
                    (
                        sum + extra("shipping_charge") + extra("adjustment"),
                        "total",
                    )
                } else {
                    (sum, "sub_total")
                }
            }
        }
        Entity::CustomerPayment | Entity::VendorPayment => {
            (payload.get("amount").and_then(number)?, "amount")
        }
        Entity::Journal => {
            let lines = payload.get("line_items").and_then(Value::as_array)?;
            let sum = lines
                .iter()
                .filter(|l| l.get("debit_or_credit").and_then(Value::as_str) == Some("debit"))
                .filter_map(|l| l.get("amount").and_then(number))
                .sum();
            (sum, "total")
        }
        _ => return None,
    };
    Some(Amounts {
        total,
        zoho_field: field.to_owned(),
        party,
        postings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, entity: Option<Entity>) -> Vec<Result<Record, Problem>> {
        JsonlReader::new(text.as_bytes(), "in.jsonl", JsonlOptions { entity }).collect()
    }

    #[test]
    fn reads_envelopes_refs_and_bare_payloads() {
        let text = r#"{"entity":"contact","payload":{"contact_name":"Acme","contact_type":"customer"}}

{"entity":"invoice","payload":{"customer_name":"Acme","invoice_number":"INV-1","line_items":[{"item_id":{"$ref":"item:name=Bolt"},"quantity":2,"rate":"5.00"}]}}
not json
{"entity":"invoice","payload":{"line_items":[]}}
"#;
        let out = read(text, None);
        assert_eq!(out.len(), 4);
        let inv = out[1].as_ref().unwrap();
        assert_eq!(inv.location.line, 3);
        assert_eq!(inv.key, NaturalKey::named(Entity::Invoice, "INV-1"));
        let targets: Vec<String> = inv.depends_on().iter().map(ToString::to_string).collect();
        assert_eq!(
            targets,
            vec!["item[name=\"Bolt\"]", "contact[contact_name=\"Acme\"]"]
        );
        assert_eq!(inv.amounts.as_ref().unwrap().total, Decimal::from(10));
        assert_eq!(
            inv.query,
            vec![("ignore_auto_number_generation".into(), "true".into())]
        );
        let bad = out[2].as_ref().unwrap_err();
        assert_eq!(bad.location.line, 4);
        assert!(
            out[3]
                .as_ref()
                .unwrap_err()
                .message
                .contains("no natural key")
        );
        let bare = read("{\"name\":\"Bolt\",\"rate\":\"1\"}\n", Some(Entity::Item));
        assert_eq!(
            bare[0].as_ref().unwrap().key,
            NaturalKey::named(Entity::Item, "Bolt")
        );
    }

    #[test]
    fn inclusive_lines_compare_with_zoho_total_not_the_tax_free_sub_total() {
        let payload = |inclusive: bool| {
            serde_json::json!({
                "is_inclusive_tax": inclusive,
                "line_items": [{"rate": "118", "quantity": 1, "tax_id": "1"}],
                "adjustment": "0.5",
            })
            .as_object()
            .unwrap()
            .clone()
        };
        // Inclusive rates already hold the tax: Zoho's sub_total carves it out, its total
        // keeps it, so the lines' sum ticks off against `total` (with the adjustment).
        let a = amounts_of(Entity::Invoice, &payload(true), None).unwrap();
        assert_eq!(
            (a.total, a.zoho_field.as_str()),
            (Decimal::new(1185, 1), "total")
        );
        let a = amounts_of(Entity::Invoice, &payload(false), None).unwrap();
        assert_eq!(
            (a.total, a.zoho_field.as_str()),
            (Decimal::from(118), "sub_total")
        );
    }

    #[test]
    fn numbers_are_kept_exact_or_refused_naming_the_field() {
        let line = r#"{"entity":"item","payload":{"name":"Bolt","rate":0.10,"item_order":3,"weight":0.1}}"#;
        let item = read(line, None).remove(0).unwrap();
        assert_eq!(item.payload["rate"], Value::String("0.10".into()));
        assert_eq!(item.payload["item_order"], serde_json::json!(3));
        assert_eq!(item.payload["weight"], serde_json::json!(0.1));
        let long = r#"{"entity":"item","payload":{"name":"Bolt","custom_fields":[{"value":12345678901234567.89}]}}"#;
        let refused = read(long, None).remove(0).unwrap_err();
        assert_eq!(refused.kind, ProblemKind::BadValue);
        assert_eq!(
            refused.field.as_deref(),
            Some("payload.custom_fields[0].value")
        );
        assert!(
            refused.message.contains("cannot be sent exactly"),
            "{}",
            refused.message
        );
    }
}
