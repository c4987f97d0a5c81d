//! The bytes of a create request: a resolved payload written as Zoho's request schemas type
//! it.
//!
//! A [`Record`](crate::Record)'s payload keeps money and quantities as the exact decimal text
//! in a JSON string (`"30975.00"`), so the journal and the failed-records export hold exactly
//! what the source said. Zoho's OpenAPI types those fields as numbers (`rate`, `quantity`,
//! `amount`...), so a [`Body`] writes each of them as a JSON number made of that same text,
//! never through `f64`: `30975.00` goes out as `30975.00`. It must not change any other
//! value, nor a text that is not a plain decimal (a discount of `"10%"` stays text).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// The fields the importer writes whose request schema is `type: number` in every one of
/// Zoho's files that defines them (`spec/zoho-openapi/`). `purchase_rate` is not one: the
/// items file types it as a string. `tests/it/bodies.rs` checks every body against the schema,
/// so a field missing here fails there.
pub(crate) const NUMBER_FIELDS: &[&str] = &[
    "adjustment",
    "amount",
    "amount_applied",
    "bank_charges",
    "discount",
    "exchange_rate",
    "quantity",
    "rate",
    "tax_percentage",
];

/// A resolved payload, ready to send: serialize it (`RequestBuilder::json`) to get the body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body(Value);

impl Body {
    /// The body of a resolved payload.
    pub fn new(payload: Value) -> Self {
        Body(payload)
    }

    /// The payload, money still as text.
    pub fn payload(&self) -> &Value {
        &self.0
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire(&self.0).serialize(serializer)
    }
}

/// A value as it goes on the wire, inside an object key that is not a number field.
struct Wire<'a>(&'a Value);

/// The value of a number field: a plain decimal in a string becomes a JSON number.
struct NumberField<'a>(&'a Value);

impl Serialize for Wire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    if NUMBER_FIELDS.contains(&k.as_str()) {
                        out.serialize_entry(k, &NumberField(v))?;
                    } else {
                        out.serialize_entry(k, &Wire(v))?;
                    }
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for v in items {
                    out.serialize_element(&Wire(v))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

impl Serialize for NumberField<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::String(text) => match number_text(text) {
                Some(number) => RawValue::from_string(number)
                    .map_err(serde::ser::Error::custom)?
                    .serialize(serializer),
                None => serializer.serialize_str(text),
            },
            other => Wire(other).serialize(serializer),
        }
    }
}

/// The JSON number a plain decimal text stands for, digit for digit (`"-0.50"` → `-0.50`);
/// `None` for anything else (`"10%"`, `"1e3"`, `""`).
fn number_text(text: &str) -> Option<String> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1;
    if !plain {
        return None;
    }
    // Decimal's text is a valid JSON number (no leading `.`, no trailing `.`, no `+`) with
    // the scale the source wrote.
    Decimal::from_str(t).ok().map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wire(v: Value) -> String {
        serde_json::to_string(&Body::new(v)).unwrap()
    }

    #[test]
    fn writes_money_as_numbers_digit_for_digit() {
        let body = json!({
            "rate": "30975.00",
            "adjustment": "-0.50",
            "line_items": [{"quantity": "200", "rate": "0.125", "description": "12.50"}],
            "invoices": [{"amount_applied": "12345678901234567.89"}],
            "tax_percentage": 18,
        });
        assert_eq!(
            wire(body),
            r#"{"adjustment":-0.50,"invoices":[{"amount_applied":12345678901234567.89}],"line_items":[{"description":"12.50","quantity":200,"rate":0.125}],"rate":30975.00,"tax_percentage":18}"#
        );
    }

    #[test]
    fn leaves_text_that_is_not_a_plain_decimal() {
        let body =
            json!({"discount": "10%", "amount": "", "rate": "1e3", "reference_number": "42"});
        assert_eq!(
            wire(body),
            r#"{"amount":"","discount":"10%","rate":"1e3","reference_number":"42"}"#
        );
    }

    #[test]
    fn number_text_is_valid_json() {
        assert_eq!(number_text("5.").as_deref(), Some("5"));
        assert_eq!(number_text(".5").as_deref(), Some("0.5"));
        assert_eq!(number_text("-0"), Some("0".to_owned()));
        assert_eq!(number_text("+3"), None);
        assert_eq!(number_text("1.2.3"), None);
    }
}
