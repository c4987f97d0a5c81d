//! The shape of each Zoho entity as Zoho's OpenAPI files document it, and the functions that
//! turn a stored (sparse) record into a response carrying that full key set.
//!
//! Records are kept sparse (only what a caller sent or the simulator computed) and packed
//! (packed.rs) so that 100,000 invoices fit in memory; every answer is then widened to the
//! documented keys, with empty values of the documented type, so a client reading any documented
//! field finds it. Answers are written straight to bytes ([`Shape::write_record`]) rather than
//! built as a `serde_json::Value` first: the same bytes, a fraction of the allocations. The
//! shapes themselves are generated from the OpenAPI files into `generated.rs`; nothing here
//! knows a field name.

use std::borrow::Cow;

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

    /// A stored record widened to this (object) shape ([`Shape::write_record`] writes the same
    /// without building it).
    #[cfg(test)]
    pub(crate) fn fit_record(&self, record: &Map<String, Value>) -> Value {
        match self {
            Shape::Obj(fields) => Value::Object(fit_object(fields, record)),
            _ => Value::Object(record.clone()),
        }
    }
}

impl Shape {
    /// Writes `fit(value)` as compact JSON straight into `out`, without building it: the same
    /// bytes `serde_json::to_vec(&self.fit(value))` gives (keys in order), at a fraction of the
    /// allocations. Every answer that carries records goes through here.
    pub(crate) fn write_fit(&self, value: &Value, out: &mut Vec<u8>) {
        match (self, value) {
            (Shape::Any, v)
            | (Shape::Str, v @ Value::String(_))
            | (Shape::Num, v @ Value::Number(_))
            | (Shape::Bool, v @ Value::Bool(_)) => write_value(v, out),
            (Shape::Int, Value::Number(n)) if n.is_i64() || n.is_u64() => write_value(value, out),
            (Shape::Str | Shape::Num | Shape::Int | Shape::Bool, _) => {
                write_value(&self.fit(value), out);
            }
            (Shape::Arr(inner), Value::Array(items)) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    inner.write_fit(item, out);
                }
                out.push(b']');
            }
            (Shape::Obj(fields), Value::Object(map)) => write_object(fields, &[], map, out),
            (shape, _) => shape.write_empty(out),
        }
    }

    /// Writes `empty()` as compact JSON.
    fn write_empty(&self, out: &mut Vec<u8>) {
        match self {
            Shape::Any | Shape::Str => out.extend_from_slice(b"\"\""),
            Shape::Num | Shape::Int => out.push(b'0'),
            Shape::Bool => out.extend_from_slice(b"false"),
            Shape::Arr(_) => out.extend_from_slice(b"[]"),
            Shape::Obj(fields) => {
                out.push(b'{');
                out.extend_from_slice(&written(fields).all);
                out.push(b'}');
            }
        }
    }

    /// Writes a stored record widened to this (object) shape.
    pub(crate) fn write_record(&self, record: &Map<String, Value>, out: &mut Vec<u8>) {
        match self {
            Shape::Obj(fields) => write_object(fields, &[], record, out),
            _ => write_value(&Value::Object(record.clone()), out),
        }
    }

    /// Writes a stored record widened to this (object) shape, its other keys fitted to
    /// `wider`'s types: a list documents fewer fields than a get, and money the list leaves
    /// undocumented must still be a JSON number (issue 13: `adjustment` in the bills list).
    pub(crate) fn write_record_within(
        &self,
        wider: &Shape,
        record: &Map<String, Value>,
        out: &mut Vec<u8>,
    ) {
        match (self, wider) {
            (Shape::Obj(fields), Shape::Obj(wider)) => write_object(fields, wider, record, out),
            _ => self.write_record(record, out),
        }
    }
}

pub(crate) fn write_value(value: &Value, out: &mut Vec<u8>) {
    // Writing JSON values into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// `"key":`
pub(crate) fn write_key(key: &str, out: &mut Vec<u8>) {
    if key
        .bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b < 0x7f)
    {
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
    } else {
        let _ = serde_json::to_writer(&mut *out, key);
        out.push(b':');
    }
}

/// The documented fields of an object shape, written ahead of time with their empty values
/// (what an answer carries where the record has nothing): `"a":"","b":0,...`, joined with
/// commas, so that a run of fields the record lacks is copied in one piece.
#[derive(Debug)]
struct Written {
    /// Every field, `"name":` then its empty value, joined with commas.
    all: Box<[u8]>,
    /// Where each field starts in `all`.
    starts: Box<[usize]>,
    /// Where each field ends in `all`.
    ends: Box<[usize]>,
    /// The length of each field's `"name":`.
    keys: Box<[usize]>,
    /// For each name of the packed records' dictionary ([`set_dictionary`]): where it goes
    /// among the fields, times two, plus one when it is one of them (the answer of the
    /// bisection in [`write_members`], looked up instead). Made once the dictionary is set.
    places: std::sync::OnceLock<Box<[u32]>>,
}

impl Written {
    /// Fields `from..to` (at least one), joined.
    fn run(&self, from: usize, to: usize) -> &[u8] {
        &self.all[self.starts[from]..self.ends[to - 1]]
    }

    /// `"name":` of field `i`.
    fn key(&self, i: usize) -> &[u8] {
        &self.all[self.starts[i]..self.starts[i] + self.keys[i]]
    }

    /// [`Written::places`] of these `fields`, once the dictionary is set.
    fn places(&self, fields: &[(&str, Shape)]) -> Option<&[u32]> {
        let names = DICTIONARY.get()?;
        let places = self.places.get_or_init(|| {
            names
                .iter()
                .map(|name| {
                    let (at, documented) =
                        match fields.binary_search_by(|(field, _)| order(field, name)) {
                            Ok(at) => (at, 1),
                            Err(at) => (at, 0),
                        };
                    u32::try_from(at * 2 + documented).unwrap_or(u32::MAX)
                })
                .collect()
        });
        Some(places)
    }
}

/// The written fields of an object shape (static: one per shape, made on first use).
fn written(fields: &'static [(&'static str, Shape)]) -> &'static Written {
    type Cache = std::collections::HashMap<usize, &'static Written, rustc_hash::FxBuildHasher>;
    static CACHE: std::sync::OnceLock<std::sync::RwLock<Cache>> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    // Shapes are statics: the address names one for the life of the process.
    let at = fields.as_ptr() as usize;
    if let Some(found) = cache
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&at)
    {
        return found;
    }
    let mut all = Vec::new();
    let (mut starts, mut ends, mut keys) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (name, shape)) in fields.iter().enumerate() {
        if i > 0 {
            all.push(b',');
        }
        starts.push(all.len());
        write_key(name, &mut all);
        keys.push(all.len() - starts[i]);
        shape.write_empty(&mut all);
        ends.push(all.len());
    }
    let made = Written {
        places: std::sync::OnceLock::new(),
        all: all.into_boxed_slice(),
        starts: starts.into_boxed_slice(),
        ends: ends.into_boxed_slice(),
        keys: keys.into_boxed_slice(),
    };
    let mut cache = cache
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // The shapes are few and live as long as the process: so do their written fields.
    cache.entry(at).or_insert_with(|| Box::leak(Box::new(made)))
}

/// How two keys order (as `str`'s `Ord` does): byte by byte, shorter first on a tie. Field
/// names are short and mostly differ early, where a loop beats a call to `memcmp`.
fn order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// A comma before every member but the first.
fn comma(first: &mut bool, out: &mut Vec<u8>) {
    if !*first {
        out.push(b',');
    }
    *first = false;
}

/// A key of an object being written: its text, and its place in the packed records'
/// dictionary ([`set_dictionary`]) when it has one.
#[derive(Clone, Debug)]
pub(crate) struct Key<'a> {
    /// The key.
    pub(crate) name: Cow<'a, str>,
    /// Its place among the dictionary's names, when it is a documented name.
    pub(crate) place: Option<usize>,
}

/// A member's value as [`write_members`] writes it: a built value, or one the store reads in
/// place (`store::packed::Member`), which this module does not know.
pub(crate) trait Fit {
    /// Whether it is null (a documented field then shows its empty value).
    fn is_null(&self) -> bool;
    /// Writes it fitted to a documented type, as [`Shape::write_fit`] writes a value.
    fn write_fit(&self, shape: &Shape, out: &mut Vec<u8>);
    /// Writes it as it is.
    fn write_plain(&self, out: &mut Vec<u8>);
}

impl Fit for &Value {
    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    fn write_fit(&self, shape: &Shape, out: &mut Vec<u8>) {
        shape.write_fit(self, out);
    }

    fn write_plain(&self, out: &mut Vec<u8>) {
        write_value(self, out);
    }
}

impl Shape {
    /// Writes a record given as its members in key order, widened to this (object) shape, as
    /// [`Shape::write_record`] writes the record they make up; `None` for another shape.
    pub(crate) fn write_members<'a, M: Fit>(
        &self,
        members: impl Iterator<Item = (Key<'a>, M)>,
        out: &mut Vec<u8>,
    ) -> Option<()> {
        match self {
            Shape::Obj(fields) => {
                write_members(fields, &[], members, out);
                Some(())
            }
            _ => None,
        }
    }
}

/// The packed records' dictionary of names (`store::packed`), handed over by it when it is
/// made: a key's place in it stands for a bisection among an object shape's fields. Handed
/// over rather than read, because the dictionary is made from the shapes of every kind, which
/// sit above this module. Until it is set, keys are found by bisection.
static DICTIONARY: std::sync::OnceLock<&'static [&'static str]> = std::sync::OnceLock::new();

/// Sets the dictionary [`Key::place`] refers to (once; later calls change nothing).
pub(crate) fn set_dictionary(names: &'static [&'static str]) {
    let _ = DICTIONARY.set(names);
}

/// The documented fields and the record's other keys, merged in key order (as a
/// `serde_json::Map` orders them); an other key documented in `wider` is fitted to its type.
fn write_object(
    fields: &'static [(&'static str, Shape)],
    wider: &[(&str, Shape)],
    map: &Map<String, Value>,
    out: &mut Vec<u8>,
) {
    write_members(
        fields,
        wider,
        map.iter().map(|(key, value)| {
            (
                Key {
                    name: Cow::Borrowed(key.as_str()),
                    place: None,
                },
                value,
            )
        }),
        out,
    );
}

/// [`write_object`] of an object given as its members, in key order.
///
/// Both lists are sorted (the shapes by name, the members by key), so one pass over the
/// members merges them, each key found among the fields by bisection; each run of documented
/// fields the record lacks is copied from the shape's [`written`] bytes in one piece.
pub(crate) fn write_members<'a, M: Fit>(
    fields: &'static [(&'static str, Shape)],
    wider: &[(&str, Shape)],
    members: impl Iterator<Item = (Key<'a>, M)>,
    out: &mut Vec<u8>,
) {
    let write_extra = |key: &str, value: &M, out: &mut Vec<u8>| match wider
        .binary_search_by(|(name, _)| (*name).cmp(key))
    {
        Ok(i) if !value.is_null() => value.write_fit(&wider[i].1, out),
        _ => value.write_plain(out),
    };
    let written = written(fields);
    out.push(b'{');
    let mut first = true;
    // The first documented field not written yet: the fields before the record's next key
    // that the record lacks are copied in one run.
    let mut next = 0;
    for (key, value) in members {
        let place = key
            .place
            .and_then(|p| written.places(fields).and_then(|places| places.get(p)));
        let key = &*key.name;
        let (at, documented) = match place {
            // Where the bisection of the fields from `next` on would end: a name sorting
            // before them goes at `next`, undocumented.
            Some(&code) => match ((code >> 1) as usize, code & 1 == 1) {
                (at, _) if at < next => (next, false),
                found => found,
            },
            None => match fields[next..].binary_search_by(|(name, _)| order(name, key)) {
                Ok(j) => (next + j, true),
                Err(j) => (next + j, false),
            },
        };
        if at > next {
            comma(&mut first, out);
            out.extend_from_slice(written.run(next, at));
        }
        comma(&mut first, out);
        if documented {
            if value.is_null() {
                out.extend_from_slice(written.run(at, at + 1));
            } else {
                out.extend_from_slice(written.key(at));
                value.write_fit(&fields[at].1, out);
            }
            next = at + 1;
        } else {
            write_key(key, out);
            write_extra(key, &value, out);
            next = at;
        }
    }
    if next < fields.len() {
        comma(&mut first, out);
        out.extend_from_slice(written.run(next, fields.len()));
    }
    out.push(b'}');
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

    /// The dictionary places (`Written::places`) stand for a bisection of the fields, which
    /// needs every object shape's names strictly in order.
    #[test]
    fn every_object_shape_is_strictly_sorted() {
        fn walk(shape: &Shape) {
            match shape {
                Shape::Arr(inner) => walk(inner),
                Shape::Obj(fields) => {
                    for pair in fields.windows(2) {
                        assert_eq!(
                            order(pair[0].0, pair[1].0),
                            std::cmp::Ordering::Less,
                            "{} then {}",
                            pair[0].0,
                            pair[1].0
                        );
                    }
                    for (_, inner) in *fields {
                        walk(inner);
                    }
                }
                _ => {}
            }
        }
        for kind in crate::resources::Kind::ALL {
            let spec = kind.def().spec;
            for shape in [&spec.create, &spec.get, &spec.update, &spec.list] {
                walk(shape);
            }
        }
        walk(&CONTACT);
    }

    #[test]
    fn writes_the_same_bytes_as_fit_then_serialize() {
        let records = [
            json!({"contact_id": 460_000_000_026_049_u64, "credit_limit": "12.50", "extra": 1,
                "a": [1, {"b": null}], "zz": "\"q\"", "billing_address": {"city": 3, "x\n": true},
                "tags": ["a", 2, null], "payment_terms": "7", "is_taxable": "TRUE"}),
            json!({}),
            json!({"billing_address": "not an object", "tags": {"a": 1}, "payment_terms": 2.0}),
        ];
        for record in &records {
            let Value::Object(map) = record else {
                unreachable!()
            };
            let mut out = Vec::new();
            CONTACT.write_record(map, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&CONTACT.fit_record(map)).unwrap()
            );
        }
        for spec in [
            &crate::generated::INVOICE,
            &crate::generated::CONTACT,
            &crate::generated::BILL,
        ] {
            for shape in [&spec.get, &spec.create, &spec.list] {
                let Value::Object(map) = json!({"invoice_id": "1", "line_items": [{"rate": 1.5, "name": "W"}],
                    "custom_fields": [{"api_name": "cf_x", "value": "v"}], "total": 25, "zzz": 1})
                else {
                    unreachable!()
                };
                let mut out = Vec::new();
                shape.write_record(&map, &mut out);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    serde_json::to_string(&shape.fit_record(&map)).unwrap()
                );
            }
        }
    }
}
