//! The shape of each Zoho entity as Zoho's OpenAPI files document it, and the one function that
//! turns a stored (sparse) record into a response carrying that full key set.
//!
//! Records are kept sparse (only what a caller sent or the simulator computed) so that 100,000
//! invoices fit in memory; every answer is then widened to the documented keys, with empty values
//! of the documented type, so a client reading any documented field finds it. The shapes
//! themselves are generated from the OpenAPI files into `generated.rs`; nothing here knows a
//! field name.

use serde_json::{Map, Value};

/// The documented type of one field.
#[derive(Debug)]
pub(crate) enum Shape {
    /// No type documented: any value passes, an empty string stands in for a missing one.
    Any,
    /// A JSON string.
    Str,
    /// A JSON number (decimals allowed).
    Num,
    /// A JSON integer.
    Int,
    /// A JSON boolean.
    Bool,
    /// An array whose elements have the inner shape.
    Arr(&'static Shape),
    /// An object with these documented fields (sorted by name).
    Obj(&'static [(&'static str, Shape)]),
}

/// What the OpenAPI files say about one resource: the entity's shape in each answer and the
/// fields its create and update requests require.
#[derive(Debug)]
pub(crate) struct EntitySpec {
    /// The entity in the create answer.
    pub(crate) create: Shape,
    /// The entity in the get answer.
    pub(crate) get: Shape,
    /// The entity in the update answer.
    pub(crate) update: Shape,
    /// One element of the list answer.
    pub(crate) list: Shape,
    /// Required fields of the create request.
    pub(crate) create_required: &'static [&'static str],
    /// Required fields of the update request.
    pub(crate) update_required: &'static [&'static str],
}

impl Shape {
    /// The empty value of this shape: `""`, `0`, `false`, `[]`, or an object of empty values.
    pub(crate) fn empty(&self) -> Value {
        match self {
            Shape::Any | Shape::Str => Value::String(String::new()),
            Shape::Num | Shape::Int => Value::from(0),
            Shape::Bool => Value::Bool(false),
            Shape::Arr(_) => Value::Array(Vec::new()),
            Shape::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(name, shape)| ((*name).to_owned(), shape.empty()))
                    .collect(),
            ),
        }
    }

    /// `value` made to fit this shape: missing documented keys filled with empty values, numbers
    /// written as strings where a string is documented (Zoho's ids are strings) and numeric
    /// strings as numbers where a number is documented. Keys the shape does not document are
    /// kept as they are.
    pub(crate) fn fit(&self, value: &Value) -> Value {
        match (self, value) {
            (Shape::Any, v) => v.clone(),
            (Shape::Str, Value::String(_))
            | (Shape::Num, Value::Number(_))
            | (Shape::Bool, Value::Bool(_)) => value.clone(),
            (Shape::Str, Value::Number(n)) => Value::String(n.to_string()),
            (Shape::Str, Value::Bool(b)) => Value::String(b.to_string()),
            (Shape::Num, Value::String(s)) => number_from_str(s).unwrap_or_else(|| Value::from(0)),
            (Shape::Int, Value::Number(n)) if n.is_i64() || n.is_u64() => value.clone(),
            (Shape::Int, Value::Number(n)) => {
                // A whole number written with a fraction (`2.0`) is still that integer.
                let int = n.as_f64().map_or(0, |f| {
                    #[expect(
                        clippy::cast_possible_truncation,
                        reason = "Zoho's integer fields (counts, numbers) are far below 2^53"
                    )]
                    let i = f as i64;
                    i
                });
                Value::from(int)
            }
            (Shape::Int, Value::String(s)) => {
                s.trim().parse::<i64>().map_or(Value::from(0), Value::from)
            }
            (Shape::Bool, Value::String(s)) => Value::Bool(s.eq_ignore_ascii_case("true")),
            (Shape::Arr(inner), Value::Array(items)) => {
                Value::Array(items.iter().map(|item| inner.fit(item)).collect())
            }
            (Shape::Obj(fields), Value::Object(map)) => Value::Object(fit_object(fields, map)),
            (shape, _) => shape.empty(),
        }
    }

    /// A stored record widened to this (object) shape.
    pub(crate) fn fit_record(&self, record: &Map<String, Value>) -> Value {
        match self {
            Shape::Obj(fields) => Value::Object(fit_object(fields, record)),
            _ => Value::Object(record.clone()),
        }
    }
}

fn fit_object(fields: &[(&str, Shape)], map: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, shape) in fields {
        let value = match map.get(*name) {
            Some(Value::Null) | None => shape.empty(),
            Some(v) => shape.fit(v),
        };
        out.insert((*name).to_owned(), value);
    }
    for (key, value) in map {
        if !out.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

/// A JSON number from decimal text, keeping integers integral.
pub(crate) fn number_from_str(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::from(i));
    }
    let f = text.parse::<f64>().ok()?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static ADDRESS: Shape = Shape::Obj(&[("city", Shape::Str), ("zip", Shape::Str)]);
    static CONTACT: Shape = Shape::Obj(&[
        (
            "billing_address",
            Shape::Obj(&[("city", Shape::Str), ("zip", Shape::Str)]),
        ),
        ("contact_id", Shape::Str),
        ("credit_limit", Shape::Num),
        ("is_taxable", Shape::Bool),
        ("payment_terms", Shape::Int),
        ("tags", Shape::Arr(&Shape::Str)),
    ]);

    #[test]
    fn widens_a_sparse_record_to_the_documented_keys() {
        let record =
            json!({"contact_id": 460_000_000_026_049_u64, "credit_limit": "12.50", "extra": 1});
        let out = CONTACT.fit(&record);
        assert_eq!(
            out,
            json!({
                "billing_address": {"city": "", "zip": ""},
                "contact_id": "460000000026049",
                "credit_limit": 12.5,
                "is_taxable": false,
                "payment_terms": 0,
                "tags": [],
                "extra": 1
            })
        );
        assert_eq!(ADDRESS.empty(), json!({"city": "", "zip": ""}));
    }
}
