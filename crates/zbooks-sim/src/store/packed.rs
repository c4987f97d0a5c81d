//! How a record is held: one shared allocation with the text of its indexed fields (those the
//! list filters, searches, sorts and counters read), then the sparse record in a compact binary
//! form of its JSON.
//!
//! A `serde_json` map costs about 3.7 KB per invoice (a node per key, a heap string per key and
//! value); as compact JSON text an invoice took about 600 bytes, most of them its keys. Here a
//! key Zoho documents is one byte (its place in a dictionary of every documented field name),
//! so an invoice takes about 400 bytes with its index, and 1,000,000 invoices fit in well
//! under a gigabyte. Lists filter on the indexed text without decoding the record; only the
//! records a page answers, and the records a rule reads, are decoded, which reads lengths
//! instead of scanning JSON text.
//!
//! Layout: `varint(index length)`, then one entry per indexed field of the kind (in
//! [`indexed_fields`] order): a tag byte (`0` absent or blank, `1` text, `2` true, `3` false),
//! and for text a varint length and the UTF-8 bytes; then the record as a value (see
//! [`put_value`]): a tag byte, then for a number its `u64` (varint), `i64` or `f64` (8 bytes,
//! little-endian), for a string a varint length and the UTF-8 bytes, for an array a varint
//! count and the values, for an object a varint count and its entries in key order, each a key
//! (a varint: `k > 0` is the dictionary's name `k - 1`, `0` a varint length and the UTF-8
//! bytes that follow) and a value. The dictionary lives only in memory (the state file is
//! JSON), so it may change between versions.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::resources::{KIND_COUNT, Kind};
use crate::shape::{Fit, Shape, write_members, write_value};
use crate::store::Record;

const ABSENT: u8 = 0;
const TEXT: u8 = 1;
const TRUE: u8 = 2;
const FALSE: u8 = 3;

/// A stored record (cheap to clone: the bytes are shared).
#[derive(Clone, Debug)]
pub(crate) struct Stored(Arc<[u8]>);

/// One indexed field of a stored record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field<'a> {
    /// Absent, null, blank, an array or an object.
    Absent,
    /// A string (trimmed) or a number (as JSON writes it).
    Text(&'a str),
    /// A boolean.
    Bool(bool),
}

impl<'a> Field<'a> {
    /// The text, as [`crate::store::text`] reads it.
    pub(crate) fn text(self) -> Option<&'a str> {
        match self {
            Field::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// The fields of a kind that are kept as text beside the JSON, in a fixed order.
pub(crate) fn indexed_fields(kind: Kind) -> &'static [&'static str] {
    static FIELDS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    let all = FIELDS.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|kind| {
                let def = kind.def();
                let mut fields: Vec<&'static str> = Vec::new();
                let extra = [
                    "status",
                    "is_active",
                    "account_type",
                    "created_time",
                    "last_modified_time",
                ];
                for f in def
                    .filters
                    .iter()
                    .chain(def.search)
                    .chain(def.key_fields)
                    .chain(def.numbers.iter().map(|(_, f)| f))
                    .chain(def.dates.iter().map(|(_, f)| f))
                    .chain(extra.iter())
                {
                    if !fields.contains(f) {
                        fields.push(f);
                    }
                }
                fields
            })
            .collect()
    });
    debug_assert_eq!(all.len(), KIND_COUNT);
    all.get(kind as usize).map_or(&[], Vec::as_slice)
}

/// The position of `field` among the kind's indexed fields.
pub(crate) fn position(kind: Kind, field: &str) -> Option<usize> {
    indexed_fields(kind).iter().position(|f| *f == field)
}

fn put_varint(out: &mut Vec<u8>, n: usize) {
    put_varint64(out, u64::try_from(n).unwrap_or(u64::MAX));
}

fn put_varint64(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A varint at `*at`, moving `*at` past it.
fn get_varint(bytes: &[u8], at: &mut usize) -> usize {
    usize::try_from(get_varint64(bytes, at)).unwrap_or(usize::MAX)
}

/// A 64-bit varint at `*at`, moving `*at` past it.
fn get_varint64(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        if shift < u64::BITS {
            n |= u64::from(b & 0x7f) << shift;
        }
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    n
}

fn put_field(out: &mut Vec<u8>, value: Option<&Value>) {
    let text: Cow<'_, str> = match value {
        Some(Value::String(s)) if !s.trim().is_empty() => Cow::Borrowed(s.trim()),
        Some(Value::Number(n)) => Cow::Owned(n.to_string()),
        Some(Value::Bool(true)) => return out.push(TRUE),
        Some(Value::Bool(false)) => return out.push(FALSE),
        _ => return out.push(ABSENT),
    };
    out.push(TEXT);
    put_varint(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

impl Stored {
    /// Packs a record of `kind`.
    pub(crate) fn encode(kind: Kind, record: &Record) -> Stored {
        let mut index = Vec::with_capacity(160);
        for field in indexed_fields(kind) {
            put_field(&mut index, record.get(*field));
        }
        let mut out = Vec::with_capacity(index.len() + 400);
        put_varint(&mut out, index.len());
        out.extend_from_slice(&index);
        put_object(&mut out, record);
        Stored(out.into())
    }

    fn split(&self) -> (&[u8], &[u8]) {
        let mut at = 0;
        let len = get_varint(&self.0, &mut at);
        let end = at.saturating_add(len).min(self.0.len());
        (&self.0[at..end], &self.0[end..])
    }

    /// The record, decoded.
    pub(crate) fn decode(&self) -> Record {
        let bytes = self.split().1;
        let mut at = 0;
        match get_value(bytes, &mut at) {
            Value::Object(record) => record,
            _ => Record::new(),
        }
    }

    /// The indexed field at `pos` (see [`position`]).
    pub(crate) fn field(&self, pos: usize) -> Field<'_> {
        let (index, _) = self.split();
        let mut at = 0;
        let mut i = 0;
        while at < index.len() {
            let tag = index[at];
            at += 1;
            let value = match tag {
                TEXT => {
                    let len = get_varint(index, &mut at);
                    let end = at.saturating_add(len).min(index.len());
                    let text = std::str::from_utf8(&index[at..end]).unwrap_or("");
                    at = end;
                    Field::Text(text)
                }
                TRUE => Field::Bool(true),
                FALSE => Field::Bool(false),
                _ => Field::Absent,
            };
            if i == pos {
                return value;
            }
            i += 1;
        }
        Field::Absent
    }

    /// The text of any field: from the index when it is indexed, else from the JSON.
    pub(crate) fn text(&self, kind: Kind, field: &str) -> Option<Cow<'_, str>> {
        match position(kind, field) {
            Some(pos) => self.field(pos).text().map(Cow::Borrowed),
            None => crate::store::text(&self.decode(), field).map(Cow::Owned),
        }
    }

    /// The record's top-level entries read in place, in key order (`None` when the stored
    /// value is not an object): what [`Stored::decode`] builds, without building it.
    pub(crate) fn entries(&self) -> Option<Entries<'_>> {
        let bytes = self.split().1;
        if bytes.first() != Some(&V_OBJECT) {
            return None;
        }
        let mut at = 1;
        let count = get_varint(bytes, &mut at).min(bytes.len());
        Some(Entries {
            bytes,
            at,
            left: count,
        })
    }

    /// Whether two handles share one allocation (the record did not change in between).
    pub(crate) fn same(&self, other: &Stored) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Bytes held, for tests.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

const V_NULL: u8 = 0;
const V_FALSE: u8 = 1;
const V_TRUE: u8 = 2;
const V_UINT: u8 = 3;
const V_INT: u8 = 4;
const V_FLOAT: u8 = 5;
const V_STR: u8 = 6;
const V_ARRAY: u8 = 7;
const V_OBJECT: u8 = 8;

/// Each dictionary name's place (looked up for every key of every record written).
type Places = HashMap<&'static str, usize, rustc_hash::FxBuildHasher>;

/// Every field name the simulator documents (its shapes' keys, nested ones included, and the
/// indexed fields), each once, in a fixed order; and each name's place in it.
fn dictionary() -> &'static (&'static [&'static str], Places) {
    static DICTIONARY: OnceLock<(&'static [&'static str], Places)> = OnceLock::new();
    DICTIONARY.get_or_init(|| {
        fn walk(shape: &'static Shape, names: &mut Vec<&'static str>) {
            match shape {
                Shape::Arr(inner) => walk(inner, names),
                Shape::Obj(fields) => {
                    for (name, inner) in *fields {
                        names.push(*name);
                        walk(inner, names);
                    }
                }
                _ => {}
            }
        }
        let mut names = Vec::new();
        for kind in Kind::ALL {
            let spec = kind.def().spec;
            for shape in [&spec.create, &spec.get, &spec.update, &spec.list] {
                walk(shape, &mut names);
            }
            names.extend_from_slice(indexed_fields(kind));
        }
        names.sort_unstable();
        names.dedup();
        let places = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        // Made once and kept for the life of the process, like the shapes it is made of.
        let names: &'static [&'static str] = Box::leak(names.into_boxed_slice());
        crate::shape::set_dictionary(names);
        (names, places)
    })
}

/// Writes a value (see the module's documentation for the layout).
fn put_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(V_NULL),
        Value::Bool(false) => out.push(V_FALSE),
        Value::Bool(true) => out.push(V_TRUE),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(V_UINT);
                put_varint64(out, u);
            } else if let Some(i) = n.as_i64() {
                out.push(V_INT);
                out.extend_from_slice(&i.to_le_bytes());
            } else {
                out.push(V_FLOAT);
                out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(V_STR);
            put_varint(out, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            out.push(V_ARRAY);
            put_varint(out, items.len());
            for item in items {
                put_value(out, item);
            }
        }
        Value::Object(map) => put_object(out, map),
    }
}

fn put_object(out: &mut Vec<u8>, map: &Record) {
    let places = &dictionary().1;
    out.push(V_OBJECT);
    put_varint(out, map.len());
    for (key, value) in map {
        if let Some(place) = places.get(key.as_str()) {
            put_varint(out, place + 1);
        } else {
            put_varint(out, 0);
            put_varint(out, key.len());
            out.extend_from_slice(key.as_bytes());
        }
        put_value(out, value);
    }
}

/// UTF-8 text of `len` bytes at `*at` (written from a `str`, so valid), moving past it.
fn get_text(bytes: &[u8], at: &mut usize) -> String {
    let len = get_varint(bytes, at);
    let end = at.saturating_add(len).min(bytes.len());
    let part = &bytes[(*at).min(end)..end];
    let text = match std::str::from_utf8(part) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(part).into_owned(),
    };
    *at = end;
    text
}

fn get_8(bytes: &[u8], at: &mut usize) -> [u8; 8] {
    let mut eight = [0u8; 8];
    if let Some(b) = bytes.get(*at..at.saturating_add(8)) {
        eight.copy_from_slice(b);
    }
    *at = at.saturating_add(8);
    eight
}

/// Reads the value at `*at` (see [`put_value`]), moving past it.
fn get_value(bytes: &[u8], at: &mut usize) -> Value {
    let Some(&tag) = bytes.get(*at) else {
        return Value::Null;
    };
    *at += 1;
    match tag {
        V_FALSE => Value::Bool(false),
        V_TRUE => Value::Bool(true),
        V_UINT => Value::from(get_varint64(bytes, at)),
        V_INT => Value::from(i64::from_le_bytes(get_8(bytes, at))),
        V_FLOAT => serde_json::Number::from_f64(f64::from_le_bytes(get_8(bytes, at)))
            .map_or(Value::Null, Value::Number),
        V_STR => Value::String(get_text(bytes, at)),
        V_ARRAY => {
            let count = get_varint(bytes, at).min(bytes.len());
            let mut items = Vec::with_capacity(count);
            for _ in 0..count {
                items.push(get_value(bytes, at));
            }
            Value::Array(items)
        }
        V_OBJECT => {
            let names = &dictionary().0;
            let count = get_varint(bytes, at).min(bytes.len());
            let mut entries = Vec::with_capacity(count);
            for _ in 0..count {
                let key = match get_varint(bytes, at) {
                    0 => get_text(bytes, at),
                    k => names
                        .get(k - 1)
                        .map_or_else(String::new, |n| (*n).to_owned()),
                };
                entries.push((key, get_value(bytes, at)));
            }
            // Written in key order: the map is built from a sorted run.
            Value::Object(entries.into_iter().collect())
        }
        _ => Value::Null,
    }
}

/// A value of a stored record read in place: strings and containers borrow the stored bytes.
#[derive(Clone, Debug)]
pub(crate) enum RawItem<'a> {
    /// Null, a boolean or a number (or, never in practice, text that is not UTF-8), built as
    /// [`Stored::decode`] builds it (without allocating, but for that text).
    Built(Value),
    /// A string.
    Str(&'a str),
    /// An array: its elements.
    Array(Items<'a>),
    /// An object: its entries in key order.
    Object(Entries<'a>),
}

impl RawItem<'_> {
    /// The value as [`Stored::decode`] builds it.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            RawItem::Built(v) => v.clone(),
            RawItem::Str(s) => Value::String((*s).to_owned()),
            RawItem::Array(items) => {
                Value::Array(items.clone().map(|item| item.to_value()).collect())
            }
            RawItem::Object(entries) => Value::Object(
                entries
                    .clone()
                    .map(|(key, item)| (key.name.into_owned(), item.to_value()))
                    .collect(),
            ),
        }
    }

    /// Whether the value is JSON `null`.
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, RawItem::Built(Value::Null))
    }
}

/// Moves `*at` past the value there, as [`get_value`] would read it.
fn skip_value(bytes: &[u8], at: &mut usize) {
    let Some(&tag) = bytes.get(*at) else {
        return;
    };
    *at += 1;
    match tag {
        V_UINT => {
            get_varint64(bytes, at);
        }
        V_INT | V_FLOAT => *at = at.saturating_add(8),
        V_STR => {
            let len = get_varint(bytes, at);
            *at = at.saturating_add(len).min(bytes.len());
        }
        V_ARRAY => {
            let count = get_varint(bytes, at).min(bytes.len());
            for _ in 0..count {
                skip_value(bytes, at);
            }
        }
        V_OBJECT => {
            let count = get_varint(bytes, at).min(bytes.len());
            for _ in 0..count {
                if get_varint(bytes, at) == 0 {
                    let len = get_varint(bytes, at);
                    *at = at.saturating_add(len).min(bytes.len());
                }
                skip_value(bytes, at);
            }
        }
        _ => {}
    }
}

/// Reads the value at `*at` in place (see [`get_value`]), moving past it.
fn get_raw<'a>(bytes: &'a [u8], at: &mut usize) -> RawItem<'a> {
    let start = *at;
    match bytes.get(start) {
        Some(&V_STR) => {
            let mut after = start + 1;
            let len = get_varint(bytes, &mut after);
            let end = after.saturating_add(len).min(bytes.len());
            let part = &bytes[after.min(end)..end];
            if let Ok(text) = std::str::from_utf8(part) {
                *at = end;
                return RawItem::Str(text);
            }
        }
        Some(&tag @ (V_ARRAY | V_OBJECT)) => {
            let mut after = start + 1;
            let count = get_varint(bytes, &mut after).min(bytes.len());
            *at = start;
            skip_value(bytes, at);
            return if tag == V_ARRAY {
                RawItem::Array(Items {
                    bytes,
                    at: after,
                    left: count,
                })
            } else {
                RawItem::Object(Entries {
                    bytes,
                    at: after,
                    left: count,
                })
            };
        }
        _ => {}
    }
    RawItem::Built(get_value(bytes, at))
}

pub(crate) use crate::shape::Key;

/// Every name the packed records write as a place (see the module's documentation), sorted.
pub(crate) fn dictionary_names() -> &'static [&'static str] {
    dictionary().0
}

/// The place of `name` among [`dictionary_names`].
pub(crate) fn place_of(name: &str) -> Option<usize> {
    dictionary().1.get(name).copied()
}

/// A key at `*at` (see [`put_object`]), moving past it.
fn get_key<'a>(bytes: &'a [u8], at: &mut usize) -> Key<'a> {
    match get_varint(bytes, at) {
        0 => {
            let len = get_varint(bytes, at);
            let end = at.saturating_add(len).min(bytes.len());
            let part = &bytes[(*at).min(end)..end];
            *at = end;
            let name = match std::str::from_utf8(part) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => Cow::Owned(String::from_utf8_lossy(part).into_owned()),
            };
            Key { name, place: None }
        }
        k => match dictionary().0.get(k - 1) {
            Some(name) => Key {
                name: Cow::Borrowed(name),
                place: Some(k - 1),
            },
            None => Key {
                name: Cow::Borrowed(""),
                place: None,
            },
        },
    }
}

/// The elements of a stored array, read in place.
#[derive(Clone, Debug)]
pub(crate) struct Items<'a> {
    bytes: &'a [u8],
    at: usize,
    left: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = RawItem<'a>;

    fn next(&mut self) -> Option<RawItem<'a>> {
        self.left = self.left.checked_sub(1)?;
        Some(get_raw(self.bytes, &mut self.at))
    }
}

/// The entries of a stored object, read in place, in key order.
#[derive(Clone, Debug)]
pub(crate) struct Entries<'a> {
    bytes: &'a [u8],
    at: usize,
    left: usize,
}

impl<'a> Entries<'a> {
    /// Where the next entry starts.
    pub(crate) fn offset(&self) -> usize {
        self.at
    }

    /// The bytes of the entries read since `from` (an earlier [`Entries::offset`]).
    pub(crate) fn since(&self, from: usize) -> &'a [u8] {
        self.bytes.get(from..self.at).unwrap_or(&[])
    }

    /// The value under `name`, read in place (the other values are skipped, not read).
    pub(crate) fn get(&self, name: &str) -> Option<RawItem<'a>> {
        let place = place_of(name);
        let bytes = self.bytes;
        let mut at = self.at;
        for _ in 0..self.left {
            let hit = match get_varint(bytes, &mut at) {
                0 => {
                    let len = get_varint(bytes, &mut at);
                    let end = at.saturating_add(len).min(bytes.len());
                    let part = &bytes[at.min(end)..end];
                    at = end;
                    place.is_none() && part == name.as_bytes()
                }
                k => place == Some(k - 1),
            };
            if hit {
                return Some(get_raw(bytes, &mut at));
            }
            skip_value(bytes, &mut at);
        }
        None
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (Key<'a>, RawItem<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.left = self.left.checked_sub(1)?;
        let key = get_key(self.bytes, &mut self.at);
        Some((key, get_raw(self.bytes, &mut self.at)))
    }
}

/// The members an answer sets in element `index` of an array of objects, given the element's
/// stored entries: (key, value) pairs in key order, each replacing the element's own.
pub(crate) type Changes<'a> = &'a dyn Fn(usize, Entries<'_>) -> Vec<(&'static str, Value)>;

/// One member of an object being written: a built value, or one read in place from a stored
/// record (written as its decoded value would be).
pub(crate) enum Member<'a> {
    /// A built value.
    Value(&'a Value),
    /// A value read in place from a stored record.
    Raw(RawItem<'a>),
    /// An array read in place whose object elements get the members `Changes` gives them.
    Changed(Items<'a>, Changes<'a>),
}

impl Fit for Member<'_> {
    fn is_null(&self) -> bool {
        match self {
            Member::Value(v) => v.is_null(),
            Member::Raw(item) => item.is_null(),
            Member::Changed(..) => false,
        }
    }

    fn write_fit(&self, shape: &Shape, out: &mut Vec<u8>) {
        match (self, shape) {
            (Member::Value(v), _) => shape.write_fit(v, out),
            (Member::Raw(item), _) => write_fit_raw(shape, item, out),
            (Member::Changed(items, changes), Shape::Arr(inner)) => {
                out.push(b'[');
                for (i, item) in items.clone().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    match (&**inner, item) {
                        (Shape::Obj(fields), RawItem::Object(entries)) => {
                            let set = changes(i, entries.clone());
                            write_members(fields, &[], changed(entries, &set), out);
                        }
                        (inner, item) => write_fit_raw(inner, &item, out),
                    }
                }
                out.push(b']');
            }
            (Member::Changed(..), _) => shape.write_fit(&self.to_value(), out),
        }
    }

    fn write_plain(&self, out: &mut Vec<u8>) {
        match self {
            Member::Value(v) => write_value(v, out),
            Member::Raw(item) => write_raw(item, out),
            Member::Changed(..) => write_value(&self.to_value(), out),
        }
    }
}

impl Member<'_> {
    /// The value this member writes, built.
    fn to_value(&self) -> Value {
        match self {
            Member::Value(v) => (*v).clone(),
            Member::Raw(item) => item.to_value(),
            Member::Changed(items, changes) => Value::Array(
                items
                    .clone()
                    .enumerate()
                    .map(|(i, item)| match item {
                        RawItem::Object(entries) => {
                            let mut map: serde_json::Map<String, Value> = entries
                                .clone()
                                .map(|(key, item)| (key.name.into_owned(), item.to_value()))
                                .collect();
                            for (key, value) in changes(i, entries) {
                                map.insert(key.to_owned(), value);
                            }
                            Value::Object(map)
                        }
                        item => item.to_value(),
                    })
                    .collect(),
            ),
        }
    }
}

/// The entries of a stored object with `set` (sorted by key) replacing or joining them, in key
/// order.
fn changed<'a>(
    entries: Entries<'a>,
    set: &'a [(&'static str, Value)],
) -> impl Iterator<Item = (Key<'a>, Member<'a>)> {
    let mut rest = entries
        .filter(|(key, _)| !set.iter().any(|(name, _)| *name == &*key.name))
        .peekable();
    let mut made = set.iter().peekable();
    std::iter::from_fn(move || {
        let take_made = match (rest.peek(), made.peek()) {
            (Some((a, _)), Some((b, _))) => *b < &*a.name,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        if take_made {
            made.next().map(|(name, value)| {
                let key = Key {
                    name: Cow::Borrowed(*name),
                    place: place_of(name),
                };
                (key, Member::Value(value))
            })
        } else {
            rest.next().map(|(key, item)| (key, Member::Raw(item)))
        }
    })
}

/// Writes a value read in place as compact JSON: the bytes its decoded value serializes to.
fn write_raw(item: &RawItem<'_>, out: &mut Vec<u8>) {
    match item {
        RawItem::Built(v) => write_value(v, out),
        RawItem::Str(s) => write_str(s, out),
        RawItem::Array(items) => {
            out.push(b'[');
            for (i, item) in items.clone().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_raw(&item, out);
            }
            out.push(b']');
        }
        RawItem::Object(entries) => {
            out.push(b'{');
            for (i, (key, item)) in entries.clone().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(&key.name, out);
                out.push(b':');
                write_raw(&item, out);
            }
            out.push(b'}');
        }
    }
}

/// A JSON string, escaped as `serde_json` escapes it.
fn write_str(s: &str, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(&mut *out, s);
}

/// [`Shape::write_fit`] of a value read in place from a stored record: the same bytes as
/// `write_fit` of its decoded value.
pub(crate) fn write_fit_raw(shape: &Shape, item: &RawItem<'_>, out: &mut Vec<u8>) {
    match (shape, item) {
        (_, RawItem::Built(v)) => shape.write_fit(v, out),
        (Shape::Any | Shape::Str, RawItem::Str(s)) => write_str(s, out),
        (Shape::Any, item) => write_raw(item, out),
        (Shape::Arr(inner), RawItem::Array(items)) => {
            out.push(b'[');
            for (i, item) in items.clone().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_fit_raw(inner, &item, out);
            }
            out.push(b']');
        }
        (Shape::Obj(fields), RawItem::Object(entries)) => write_members(
            fields,
            &[],
            entries.clone().map(|(key, item)| (key, Member::Raw(item))),
            out,
        ),
        // A value of another type than documented: fitted as `write_fit` fits it.
        (shape, item) => shape.write_fit(&item.to_value(), out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn packs_and_reads_back() {
        let Value::Object(record) = json!({
            "invoice_number": "  INV-000001 ",
            "customer_id": 460_000_000_000_028_u64,
            "total": 25.5,
            "status": "",
            "line_items": [{"name": "Widget", "rate": 12.5}],
            "notes": "x\u{e9}\"y",
        }) else {
            unreachable!()
        };
        let stored = Stored::encode(Kind::Invoices, &record);
        assert_eq!(stored.decode(), record);
        let at = |f| position(Kind::Invoices, f).unwrap();
        assert_eq!(
            stored.field(at("invoice_number")),
            Field::Text("INV-000001")
        );
        assert_eq!(
            stored.field(at("customer_id")),
            Field::Text("460000000000028")
        );
        assert_eq!(stored.field(at("total")), Field::Text("25.5"));
        assert_eq!(stored.field(at("status")), Field::Absent);
        assert_eq!(stored.field(at("reference_number")), Field::Absent);
        assert_eq!(
            stored.text(Kind::Invoices, "notes").as_deref(),
            Some("x\u{e9}\"y")
        );
        assert!(stored.len() < 400);
        let Value::Object(account) = json!({"is_active": false}) else {
            unreachable!()
        };
        let stored = Stored::encode(Kind::ChartOfAccounts, &account);
        let pos = position(Kind::ChartOfAccounts, "is_active").unwrap();
        assert_eq!(stored.field(pos), Field::Bool(false));
    }

    #[test]
    fn every_kind_of_value_round_trips() {
        let Value::Object(record) = json!({
            "invoice_id": "460000000000001",
            "not_a_documented_key_\u{e9}": [null, true, false, 0, 1, u64::MAX, -1, i64::MIN,
                0.5, -2.25, 1e300, "", "x\"y\\z\n", {"nested": {"deeper": [[], {}]}}],
            "line_items": [{"rate": 12.5, "quantity": 2, "name": "W"}],
            "total": 25.0,
            "": "empty key",
        }) else {
            unreachable!()
        };
        let stored = Stored::encode(Kind::Invoices, &record);
        assert_eq!(stored.decode(), record);
        assert_eq!(
            serde_json::to_string(&stored.decode()).unwrap(),
            serde_json::to_string(&record).unwrap()
        );
    }

    #[test]
    fn entries_read_in_place_are_the_decoded_record() {
        let Value::Object(record) = json!({
            "invoice_id": "460000000000001",
            "not_documented_\u{e9}": [null, true, 1, -1, 0.5, "x\"y", {"b": [], "a": {}}],
            "line_items": [{"rate": 12.5, "quantity": 2, "name": "W"}, 3],
            "total": 25.0,
            "": "empty key",
        }) else {
            unreachable!()
        };
        let stored = Stored::encode(Kind::Invoices, &record);
        let entries = stored.entries().unwrap();
        let read: Record = entries
            .clone()
            .map(|(key, item)| (key.name.into_owned(), item.to_value()))
            .collect();
        assert_eq!(read, record);
        for (key, value) in &record {
            assert_eq!(
                entries.get(key).map(|item| item.to_value()).as_ref(),
                Some(value)
            );
            let place = entries
                .clone()
                .find(|(k, _)| k.name == key.as_str())
                .and_then(|(k, _)| k.place);
            assert_eq!(place, place_of(key));
        }
        assert!(entries.get("absent").is_none());
        let lines = entries.get("line_items").unwrap();
        assert!(matches!(lines, RawItem::Array(_)));
        assert!(!lines.is_null());
    }

    #[test]
    fn varints_round_trip() {
        for n in [0, 1, 127, 128, 300, 65_535, 4 * 1024 * 1024] {
            let mut out = Vec::new();
            put_varint(&mut out, n);
            let mut at = 0;
            assert_eq!(get_varint(&out, &mut at), n);
            assert_eq!(at, out.len());
        }
    }
}
