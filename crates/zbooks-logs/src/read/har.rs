//! Reads HAR files (HTTP Archive 1.2), as browsers' developer tools, Postman and Insomnia
//! export them.
//!
//! A HAR file is one JSON document, and it can be large; it is streamed: `log.entries` is
//! visited element by element, and each entry is folded and dropped before the next is read.
//! An entry's response body is read with the same scanner as free text (it may be JSON,
//! base64, or an HTML error page); a request body gives the natural key of a create, or a
//! hash of it when it names none. Entries that are not objects of the HAR shape are counted
//! as unreadable with their entry number.
//!
//! No entry (nor key) may be longer than [`MAX_ENTRY`] bytes: a longer one (a huge body, or a
//! small `.gz` that inflates to one) stops the reading with an error naming the entry, before
//! it is held. Unlike a line, a JSON document cannot be picked up again after the part skipped.
//! Values outside `entries` are skipped without being held, whatever their length.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read};
use std::rc::Rc;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use zbooks_types::Sent;
use zbooks_types::scan::{Budget, Finding, scan_line};

use crate::analyze::{Raw, State};
use crate::call::{self, Call};
use crate::time;
use crate::util::{Loc, hash_bytes};

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Entry {
    started_date_time: String,
    time: f64,
    request: Request,
    response: Response,
    #[serde(rename = "_error")]
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Request {
    method: String,
    url: String,
    post_data: Option<PostData>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PostData {
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Response {
    status: i64,
    content: Content,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Content {
    text: Option<String>,
    encoding: Option<String>,
}

/// The most bytes of one HAR entry read (16 times the longest line read elsewhere, since an
/// entry holds whole bodies); the entry is held a few times over while it is decoded.
pub(crate) const MAX_ENTRY: u64 = 16 * crate::read::line::MAX_LINE as u64;

/// Bytes read since the current entry (or key) began; not counted while `armed` is off.
#[derive(Default)]
struct EntryBudget {
    used: Cell<u64>,
    armed: Cell<bool>,
}

/// The input, failing once an entry passes [`MAX_ENTRY`] bytes.
struct Budgeted<'r> {
    inner: &'r mut dyn Read,
    budget: Rc<EntryBudget>,
}

impl Read for Budgeted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let b = &self.budget;
        if !b.armed.get() {
            return self.inner.read(buf);
        }
        let left = MAX_ENTRY.saturating_sub(b.used.get());
        if left == 0 {
            return Err(io::Error::other(format!(
                "a HAR entry longer than {} MiB, not read (split the export, or leave bodies \
                 out of it)",
                MAX_ENTRY >> 20
            )));
        }
        let cap = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..cap])?;
        b.used.set(b.used.get() + n as u64);
        Ok(n)
    }
}

/// Receives the entries as they are read.
struct Sink<'s> {
    state: &'s mut State,
    source: u32,
    entries: u64,
    budget: Rc<EntryBudget>,
}

impl Sink<'_> {
    fn entry(&mut self, value: Result<Entry, String>) {
        self.budget.used.set(0);
        self.entries += 1;
        let loc = Loc {
            source: self.source,
            line: self.entries,
        };
        match value {
            Ok(entry) => fold(self.state, &entry, loc),
            Err(reason) => {
                self.state
                    .note_unreadable(loc, format!("not a HAR entry: {reason}"), "");
            }
        }
    }
}

/// Reads a whole HAR file.
pub(crate) fn read(state: &mut State, source: u32, reader: &mut dyn Read) -> Result<(), String> {
    let budget = Rc::new(EntryBudget::default());
    // Armed from the first byte, so a huge key is bounded too; only values skipped unread
    // (`IgnoredAny` holds nothing) are let through whatever their length.
    budget.armed.set(true);
    let mut sink = Sink {
        state,
        source,
        entries: 0,
        budget: budget.clone(),
    };
    let reader = Budgeted {
        inner: reader,
        budget,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = Root(&mut sink).deserialize(&mut de);
    let entries = sink.entries;
    state.source_mut(source).lines = entries;
    result.map_err(|e| e.to_string())
}

fn fold(state: &mut State, entry: &Entry, loc: Loc) {
    let (host, path, query) = call::split_url(&entry.request.url);
    let org = query.and_then(|q| call::query_param(q, "organization_id"));
    let body = entry
        .response
        .content
        .text
        .as_deref()
        .map(|t| decode_body(t, entry.response.content.encoding.as_deref()));
    let status = u16::try_from(entry.response.status)
        .ok()
        .filter(|s| (100..=599).contains(s));
    let mut budget = Budget::default();
    let found = body
        .as_deref()
        .map(|b| scan_line(&b.replace(['\n', '\r'], " "), &mut budget))
        .unwrap_or_default();
    let post = entry
        .request
        .post_data
        .as_ref()
        .and_then(|p| p.text.as_deref());
    let natural_key = post
        .and_then(call::natural_key_in)
        .or_else(|| query.and_then(call::natural_key_in));
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "HAR times are milliseconds as a float; negative means unknown"
    )]
    let duration = (entry.time.is_finite() && entry.time >= 0.0).then_some(entry.time as u64);
    let started = time::parse_iso(entry.started_date_time.as_bytes());
    let mut call = Call {
        ts: started.map(|s| s + i64::try_from(duration.unwrap_or(0)).unwrap_or(0)),
        token: call::is_token_path(path),
        org,
        method: Some(&entry.request.method),
        path: Some(path),
        host,
        status,
        duration_ms: duration,
        natural_key: natural_key.as_deref(),
        body_hash: post.map(|p| hash_bytes(p.as_bytes())),
        sent: Some(if status.is_some() {
            Sent::Answered
        } else {
            Sent::MaybeSent
        }),
        ..Call::default()
    };
    for f in &found {
        match f {
            Finding::Body { code, message, .. } if call.code.is_none_or(|c| c == 0) => {
                call.code = Some(*code);
                call.message = message.as_deref();
            }
            Finding::Accounts { error, .. } if call.accounts_error.is_none() => {
                call.accounts_error = Some(error);
            }
            _ => {}
        }
    }
    if call.token && call.code == Some(0) {
        call.code = None;
    }
    let line = summary(entry, body.as_deref());
    state.observe(&call, loc, Raw::Text(&line));
}

/// One line standing for an entry in samples: `POST <url> -> 429 <body>`.
fn summary(entry: &Entry, body: Option<&str>) -> String {
    let status = if entry.response.status > 0 {
        entry.response.status.to_string()
    } else {
        format!(
            "no response ({})",
            entry.error.as_deref().unwrap_or("failed")
        )
    };
    let body: String = body
        .unwrap_or("")
        .chars()
        .filter(|c| *c != '\n' && *c != '\r')
        .take(300)
        .collect();
    format!(
        "{} {} {} -> {} {}",
        entry.started_date_time, entry.request.method, entry.request.url, status, body
    )
}

fn decode_body(text: &str, encoding: Option<&str>) -> String {
    if encoding == Some("base64")
        && let Some(bytes) = base64_decode(text)
    {
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    text.to_owned()
}

/// Standard base64 (HAR's `content.encoding`); `None` on anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in text.bytes() {
        if c == b'=' || c.is_ascii_whitespace() {
            continue;
        }
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap_or(0));
        }
    }
    Some(out)
}

/// The document: `{"log": {...}}`, other keys ignored.
struct Root<'a, 's>(&'a mut Sink<'s>);

impl<'de> DeserializeSeed<'de> for Root<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.budget.used.set(0);
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                map.next_value_seed(Log(&mut *self.0))?;
            } else {
                self.0.budget.armed.set(false);
                map.next_value::<IgnoredAny>()?;
                self.0.budget.armed.set(true);
            }
            self.0.budget.used.set(0);
        }
        Ok(())
    }
}

/// `log`: `{"entries": [...]}`, other keys ignored.
struct Log<'a, 's>(&'a mut Sink<'s>);

impl<'de> DeserializeSeed<'de> for Log<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR log object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.budget.used.set(0);
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                map.next_value_seed(Entries(&mut *self.0))?;
            } else {
                self.0.budget.armed.set(false);
                map.next_value::<IgnoredAny>()?;
                self.0.budget.armed.set(true);
            }
            self.0.budget.used.set(0);
        }
        Ok(())
    }
}

/// `entries`: each element folded as soon as it is read.
struct Entries<'a, 's>(&'a mut Sink<'s>);

impl<'de> DeserializeSeed<'de> for Entries<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of HAR entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Each element is read as a JSON value first, so one malformed entry is reported and
        // skipped instead of ending the file.
        self.0.budget.used.set(0);
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            let entry = Entry::deserialize(value).map_err(|e| e.to_string());
            self.0.entry(entry);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        assert_eq!(
            base64_decode("eyJjb2RlIjo1N30=").as_deref(),
            Some(&b"{\"code\":57}"[..])
        );
        assert_eq!(base64_decode("*"), None);
    }
}
