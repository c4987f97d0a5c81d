//! Reads zbooks's own event log: JSON Lines in the `zbooks_types::event` schema (version 1),
//! as written by any zbooks command with `--log-file`, and [`CallEvent`] records a caller
//! feeds directly (the audit log of the store).
//!
//! This is the fastest path of the crate: each line is deserialized into a borrowed struct
//! (strings point into the line buffer, unknown fields such as `waited` are skipped without
//! being built), never into a `serde_json::Value`. A line of a newer schema is counted and
//! skipped, not misread (the schema's compatibility rule).

use std::borrow::Cow;
use std::io::BufRead;

use serde::Deserialize;
use zbooks_types::event::{CallEvent, EVENT_SCHEMA_VERSION, EventKind, Purpose};
use zbooks_types::{FailureClass, Sent};

use crate::analyze::{Raw, State};
use crate::call::{self, Call};
use crate::read::line::Line;
use crate::time;
use crate::util::Loc;

/// One event line, borrowing from the line.
#[derive(Deserialize)]
struct EventLine<'a> {
    schema: u32,
    #[serde(borrow)]
    ts: Cow<'a, str>,
    kind: EventKind,
    #[serde(borrow, default)]
    organization_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    method: Cow<'a, str>,
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    code: Option<i64>,
    #[serde(borrow, default)]
    message: Option<Cow<'a, str>>,
    #[serde(default)]
    class: Option<FailureClass>,
    sent: Sent,
    #[serde(default)]
    attempt: Option<u32>,
    #[serde(default)]
    duration_ms: Option<u64>,
    #[serde(borrow, default)]
    natural_key: Option<Cow<'a, str>>,
    /// Absent in lines written before it existed; an unknown value reads as `Other`.
    #[serde(default)]
    purpose: Option<Purpose>,
}

/// Only the version, to tell a newer schema from a broken line.
#[derive(Deserialize)]
struct SchemaOnly {
    schema: u32,
}

/// Whether a line looks like a zbooks event (used to detect the format).
pub(crate) fn is_event_line(line: &[u8]) -> bool {
    serde_json::from_slice::<EventLine<'_>>(line).is_ok()
        || serde_json::from_slice::<SchemaOnly>(line).is_ok_and(|s| s.schema > EVENT_SCHEMA_VERSION)
}

impl<'a> EventLine<'a> {
    fn of(event: &'a CallEvent) -> Self {
        EventLine {
            schema: event.schema,
            ts: Cow::Borrowed(&event.ts),
            kind: event.kind,
            organization_id: event.organization_id.as_deref().map(Cow::Borrowed),
            method: Cow::Borrowed(&event.method),
            path: Cow::Borrowed(&event.path),
            status: event.status,
            code: event.code,
            message: event.message.as_deref().map(Cow::Borrowed),
            class: event.class,
            sent: event.sent,
            attempt: Some(event.attempt),
            duration_ms: Some(event.duration_ms),
            natural_key: event.natural_key.as_deref().map(Cow::Borrowed),
            purpose: event.purpose,
        }
    }

    fn call(&self) -> Call<'_> {
        let token = self.kind == EventKind::Token || call::is_token_path(&self.path);
        Call {
            ts: time::parse_iso(self.ts.as_bytes()),
            token,
            org: self.organization_id.as_deref().filter(|o| !o.is_empty()),
            method: Some(&self.method),
            path: Some(&self.path),
            host: None,
            status: self.status,
            code: self.code,
            message: self.message.as_deref(),
            // A failed token request carries the accounts server's `error` in `message`.
            accounts_error: if token && self.class.is_some() {
                self.message.as_deref()
            } else {
                None
            },
            class: self.class,
            sent: Some(self.sent),
            attempt: self.attempt,
            duration_ms: self.duration_ms,
            natural_key: self.natural_key.as_deref(),
            body_hash: None,
            purpose: self.purpose,
        }
    }
}

/// Reads a whole event log.
pub(crate) fn read(
    state: &mut State,
    source: u32,
    reader: &mut dyn BufRead,
) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    loop {
        let read = crate::read::line::read_line(reader, &mut buf)?;
        if read == Line::End {
            break;
        }
        line_no += 1;
        let loc = Loc {
            source,
            line: line_no,
        };
        if let Line::TooLong { bytes } = read {
            state.note_long_line(loc, bytes, &buf);
            continue;
        }
        let line = trim_line(&buf);
        if line.is_empty() {
            continue;
        }
        match serde_json::from_slice::<EventLine<'_>>(line) {
            Ok(ev) if ev.schema <= EVENT_SCHEMA_VERSION => {
                state.observe(&ev.call(), loc, Raw::Bytes(line));
            }
            Ok(_) => state.source_mut(source).newer_schema += 1,
            Err(e) => {
                if serde_json::from_slice::<SchemaOnly>(line)
                    .is_ok_and(|s| s.schema > EVENT_SCHEMA_VERSION)
                {
                    state.source_mut(source).newer_schema += 1;
                } else {
                    let text = String::from_utf8_lossy(line);
                    state.note_unreadable(loc, format!("not a zbooks event: {e}"), &text);
                }
            }
        }
    }
    state.source_mut(source).lines = line_no;
    Ok(())
}

/// Folds records the caller already holds (the audit log).
pub(crate) fn feed(state: &mut State, source: u32, event: &CallEvent, index: u64) {
    let loc = Loc {
        source,
        line: index,
    };
    if event.schema > EVENT_SCHEMA_VERSION {
        state.source_mut(source).newer_schema += 1;
        return;
    }
    let line = EventLine::of(event);
    state.observe(&line.call(), loc, Raw::Event(event));
}

/// A line without its line ending.
pub(crate) fn trim_line(buf: &[u8]) -> &[u8] {
    let mut end = buf.len();
    while end > 0 && matches!(buf[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &buf[..end]
}
