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
use std::sync::{Mutex, mpsc};

use serde::Deserialize;
use zbooks_types::event::{CallEvent, EVENT_SCHEMA_VERSION, EventKind, Purpose};
use zbooks_types::{FailureClass, Sent};

use crate::analyze::{Raw, Source, State};
use crate::call::{self, Call};
use crate::read::fast::{self, Scanned};
use crate::read::line::{Line, MAX_LINE};
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
        event_call(
            self.kind,
            Call {
                ts: time::parse_iso(self.ts.as_bytes()),
                token: false,
                org: self.organization_id.as_deref(),
                method: Some(&self.method),
                path: Some(&self.path),
                host: None,
                status: self.status,
                code: self.code,
                message: self.message.as_deref(),
                accounts_error: None,
                class: self.class,
                sent: Some(self.sent),
                attempt: self.attempt,
                duration_ms: self.duration_ms,
                natural_key: self.natural_key.as_deref(),
                body_hash: None,
                purpose: self.purpose,
            },
        )
    }
}

/// The call of a line the fast scanner read, as serde would have read it: made from the
/// scanned fields directly, with nothing in between to build and drop.
fn scanned_call<'a>(s: &'a Scanned, line: &'a str) -> Call<'a> {
    let text = |t: &'a fast::Text| t.get(line);
    event_call(
        s.kind,
        Call {
            ts: s.ts_ms,
            token: false,
            org: s.organization_id.as_ref().map(text),
            method: Some(text(&s.method)),
            path: Some(text(&s.path)),
            host: None,
            status: s.status,
            code: s.code,
            message: s.message.as_ref().map(text),
            accounts_error: None,
            class: s.class,
            sent: Some(s.sent),
            attempt: s.attempt,
            duration_ms: s.duration_ms,
            natural_key: s.natural_key.as_ref().map(text),
            body_hash: None,
            purpose: s.purpose,
        },
    )
}

/// What an event line's call is beyond its fields: whether it went to the accounts server,
/// the `error` of a failed token request (in `message`), and no organization for an empty id.
fn event_call(kind: EventKind, mut call: Call<'_>) -> Call<'_> {
    call.token = kind == EventKind::Token || call.path.is_some_and(call::is_token_path);
    if call.token && call.class.is_some() {
        call.accounts_error = call.message;
    }
    call.org = call.org.filter(|o| !o.is_empty());
    call
}

/// Reads a whole event log one line at a time with serde: the reference reader, the
/// definition [`read`] is tested against (`Analyzer::reference_reader`).
pub(crate) fn read_serial(
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
        observe_serde(state, line, loc);
    }
    state.source_mut(source).lines = line_no;
    Ok(())
}

/// One line read with serde: a call, a line of a newer schema, or an unreadable line.
fn observe_serde(state: &mut State, line: &[u8], loc: Loc) {
    match serde_json::from_slice::<EventLine<'_>>(line) {
        Ok(ev) if ev.schema <= EVENT_SCHEMA_VERSION => {
            state.observe(&ev.call(), loc, Raw::Bytes(line));
        }
        Ok(_) => state.source_mut(loc.source).newer_schema += 1,
        Err(e) => {
            if serde_json::from_slice::<SchemaOnly>(line)
                .is_ok_and(|s| s.schema > EVENT_SCHEMA_VERSION)
            {
                state.source_mut(loc.source).newer_schema += 1;
            } else {
                let text = String::from_utf8_lossy(line);
                state.note_unreadable(loc, format!("not a zbooks event: {e}"), &text);
            }
        }
    }
}

/// One line of a block, by its place in the block.
#[derive(Clone, Copy)]
enum Item {
    /// Blank once its line ending is removed.
    Empty,
    /// Longer than the readers hold: `start` is where its content starts, `bytes` its length.
    TooLong { start: usize, bytes: u64 },
    /// A line to read: `buf[start..end]`, without its line ending.
    Line { start: usize, end: usize },
}

/// What the reading stage hands on.
enum Chunk {
    /// Whole lines (the last without a line ending only at the end of the input).
    Block(Vec<u8>, usize),
    /// A line longer than a block: its length and its first bytes.
    Long { bytes: u64, head: Vec<u8> },
}

/// The size of the blocks the input is read in: more than the longest line held, so a block
/// without a line ending holds part of a line too long to hold.
const BLOCK: usize = MAX_LINE + MAX_LINE / 4;

/// Reads a whole event log on every core: this thread reads blocks of whole lines (and
/// inflates them); each worker scans the lines of a block in place ([`fast::scan`], serde
/// for the lines it leaves) and folds them into a state of that block alone; one thread
/// merges the blocks' states in input order ([`State::merge_chunk`]), exactly: the report is
/// the one [`read_serial`] gives, which the tests hold it to. A block that could reach a
/// cap is folded line by line into the whole instead. At most a few blocks are held at once.
pub(crate) fn read(
    state: &mut State,
    source: u32,
    reader: &mut dyn BufRead,
) -> std::io::Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let (to_work, work_in) = mpsc::sync_channel::<Numbered>(workers);
    let work_in = Mutex::new(work_in);
    let (to_merge, merge_in) = mpsc::sync_channel::<Done>(workers);
    let (to_reuse, reused) = mpsc::channel::<Vec<u8>>();
    let sources = state.sources.clone();
    let folding: &mut State = &mut *state;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (work_in, sources, to_merge) = (&work_in, &sources, to_merge.clone());
            scope.spawn(move || work_stage(work_in, &to_merge, sources, source));
        }
        drop(to_merge);
        let merger = scope.spawn(move || merge_stage(folding, source, &merge_in, &to_reuse));
        let mut blocks = Blocks {
            reused: &reused,
            made: 0,
            most: workers + 3,
        };
        let result = read_stage(reader, &to_work, &mut blocks);
        drop(to_work);
        let lines = merger
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        result.map(|()| lines)
    })
    .map(|lines| state.source_mut(source).lines = lines)
}

/// A chunk with its place: its number from 0 and the number of its first line, and (for a
/// block) its lines.
struct Numbered {
    seq: u64,
    first_line: u64,
    chunk: Chunk,
    items: Vec<Item>,
}

/// A chunk analysed: the state of its lines alone.
struct Done {
    numbered: Numbered,
    state: Option<State>,
}

/// Hands out chunks with their numbers and lines, counting lines. A block is cut into its
/// lines here, as they are counted: one search for line endings, not one to count them and
/// another on a worker to cut them.
struct Numberer<'s> {
    out: &'s mpsc::SyncSender<Numbered>,
    seq: u64,
    lines: u64,
}

impl Numberer<'_> {
    /// Sends a chunk on; `false` when nobody listens any more.
    fn send(&mut self, chunk: Chunk) -> bool {
        let (items, lines) = match &chunk {
            Chunk::Block(buf, len) => {
                let items = split_block(&buf[..*len]);
                let lines = items.len() as u64;
                (items, lines)
            }
            Chunk::Long { .. } => (Vec::new(), 1),
        };
        let numbered = Numbered {
            seq: self.seq,
            first_line: self.lines + 1,
            chunk,
            items,
        };
        self.seq += 1;
        self.lines += lines;
        self.out.send(numbered).is_ok()
    }
}

/// The block buffers: no more than `most` are ever made, and one that came back is reused,
/// so memory stays flat however far one stage runs ahead of another.
struct Blocks<'r> {
    reused: &'r mpsc::Receiver<Vec<u8>>,
    made: usize,
    most: usize,
}

impl Blocks<'_> {
    /// A block buffer; waits for one to come back when `most` are out. `None` when none
    /// can come back any more (the merging stage is gone).
    fn get(&mut self) -> Option<Vec<u8>> {
        if let Ok(b) = self.reused.try_recv() {
            return Some(b);
        }
        if self.made < self.most {
            self.made += 1;
            return Some(vec![0; BLOCK]);
        }
        self.reused.recv().ok()
    }
}

/// Fills `buf[from..]` from the reader: the bytes now in it, and whether the input ended or
/// failed.
fn fill(
    reader: &mut dyn BufRead,
    buf: &mut [u8],
    from: usize,
) -> (usize, Result<bool, std::io::Error>) {
    let mut filled = from;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => return (filled, Ok(true)),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (filled, Err(e)),
        }
    }
    (filled, Ok(false))
}

/// The reading stage: blocks of whole lines; a line longer than a block is skipped as it
/// streams past and handed on as its length and first bytes.
fn read_stage(
    reader: &mut dyn BufRead,
    out: &mpsc::SyncSender<Numbered>,
    blocks: &mut Blocks<'_>,
) -> std::io::Result<()> {
    let mut out = Numberer {
        out,
        seq: 0,
        lines: 0,
    };
    let Some(mut buf) = blocks.get() else {
        return Ok(());
    };
    let mut carry = 0usize;
    loop {
        let (filled, ended) = fill(reader, &mut buf, carry);
        let ended = match ended {
            Ok(ended) => ended,
            Err(e) => {
                // The whole lines read before the error still count.
                let upto = memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |nl| nl + 1);
                if upto > 0 {
                    out.send(Chunk::Block(buf, upto));
                }
                return Err(e);
            }
        };
        if ended {
            if filled > 0 {
                out.send(Chunk::Block(buf, filled));
            }
            return Ok(());
        }
        if let Some(nl) = memchr::memrchr(b'\n', &buf[..filled]) {
            let Some(mut next) = blocks.get() else {
                return Ok(());
            };
            carry = filled - (nl + 1);
            next[..carry].copy_from_slice(&buf[nl + 1..filled]);
            if !out.send(Chunk::Block(buf, nl + 1)) {
                return Ok(());
            }
            buf = next;
            continue;
        }
        // No line ending in a whole block: a line too long to hold. Skip to its end.
        let head = buf[..HEAD.min(filled)].to_vec();
        let mut bytes = filled as u64;
        loop {
            let (filled, ended) = fill(reader, &mut buf, 0);
            let ended = ended?;
            if let Some(nl) = memchr::memchr(b'\n', &buf[..filled]) {
                bytes += nl as u64;
                carry = filled - (nl + 1);
                buf.copy_within(nl + 1..filled, 0);
                if !out.send(Chunk::Long { bytes, head }) {
                    return Ok(());
                }
                if ended && carry == 0 {
                    return Ok(());
                }
                break;
            }
            bytes += filled as u64;
            if ended {
                out.send(Chunk::Long { bytes, head });
                return Ok(());
            }
        }
    }
}

/// How much of a long line's start is kept to show (the state shows less).
const HEAD: usize = 1024;

/// A worker: scans the lines of each block it takes and folds them into a state of that
/// block alone.
fn work_stage(
    input: &Mutex<mpsc::Receiver<Numbered>>,
    out: &mpsc::SyncSender<Done>,
    sources: &[Source],
    source: u32,
) {
    loop {
        let next = input
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let Ok(numbered) = next else { return };
        let state = match &numbered.chunk {
            Chunk::Block(buf, len) => {
                let mut state = State::chunk(sources);
                fold_items(
                    &mut state,
                    source,
                    &buf[..*len],
                    &numbered.items,
                    numbered.first_line,
                );
                Some(state)
            }
            Chunk::Long { .. } => None,
        };
        let done = Done { numbered, state };
        if out.send(done).is_err() {
            return;
        }
    }
}

/// Splits a block into its lines.
fn split_block(block: &[u8]) -> Vec<Item> {
    let mut items = Vec::with_capacity(block.len() / 200 + 1);
    let mut start = 0;
    // One search over the whole block: a search per line would be set up once per line.
    let mut ends = memchr::memchr_iter(b'\n', block);
    while start < block.len() {
        let end = ends.next().unwrap_or(block.len());
        let content = &block[start..end];
        items.push(if content.len() > MAX_LINE {
            Item::TooLong {
                start,
                bytes: content.len() as u64,
            }
        } else {
            let line = trim_line(content);
            if line.is_empty() {
                Item::Empty
            } else {
                Item::Line {
                    start,
                    end: start + line.len(),
                }
            }
        });
        start = end + 1;
    }
    items
}

/// One line, read by the fast scanner ([`fast::scan`]) or, when it is not sure of the line,
/// by serde, and folded into a state; `text` is the line as text when it is known to be.
fn observe_line(state: &mut State, line: &[u8], text: Option<&str>, loc: Loc) {
    // The scanned fields are read where they are made: no tuple or option holds them on the
    // way (a few hundred bytes, moved for every line).
    if let Some(text) = text.or_else(|| std::str::from_utf8(line).ok())
        && let Some(scanned) = fast::scan(text)
    {
        if scanned.schema <= EVENT_SCHEMA_VERSION {
            state.observe(&scanned_call(&scanned, text), loc, Raw::Bytes(line));
        } else {
            state.source_mut(loc.source).newer_schema += 1;
        }
        return;
    }
    observe_serde(state, line, loc);
}

/// Folds the lines of a block into a state, the first numbered `first_line`.
fn fold_items(state: &mut State, source: u32, buf: &[u8], items: &[Item], first_line: u64) {
    // A block is almost always text as a whole: checked once, then each line is a slice of
    // it (cut at line endings, which are character boundaries).
    let whole = simdutf8::basic::from_utf8(buf).ok();
    for (line_no, item) in (first_line..).zip(items) {
        let loc = Loc {
            source,
            line: line_no,
        };
        match *item {
            Item::Empty => {}
            Item::TooLong { start, bytes } => {
                let head = &buf[start..(start + HEAD).min(buf.len())];
                state.note_long_line(loc, bytes, head);
            }
            Item::Line { start, end } => {
                let text = whole.and_then(|w| w.get(start..end));
                observe_line(state, &buf[start..end], text, loc);
            }
        }
    }
}

/// The line of a block at a location.
fn line_at<'b>(buf: &'b [u8], items: &[Item], first_line: u64, loc: Loc) -> &'b [u8] {
    let at = usize::try_from(loc.line.saturating_sub(first_line)).unwrap_or(usize::MAX);
    match items.get(at) {
        Some(Item::Line { start, end }) => &buf[*start..*end],
        _ => &[],
    }
}

/// The merging stage: each block's state into the whole, in input order; gives the number of
/// lines.
fn merge_stage(
    state: &mut State,
    source: u32,
    input: &mpsc::Receiver<Done>,
    reuse: &mpsc::Sender<Vec<u8>>,
) -> u64 {
    let mut waiting = std::collections::BTreeMap::new();
    let mut next = 0u64;
    let mut lines = 0u64;
    for done in input {
        waiting.insert(done.numbered.seq, done);
        while let Some(done) = waiting.remove(&next) {
            next += 1;
            let Done {
                numbered,
                state: chunk,
            } = done;
            let (first_line, items) = (numbered.first_line, numbered.items);
            match numbered.chunk {
                Chunk::Long { bytes, head } => {
                    let loc = Loc {
                        source,
                        line: first_line,
                    };
                    state.note_long_line(loc, bytes, &head);
                    lines = first_line;
                }
                Chunk::Block(buf, len) => {
                    let merged = chunk.is_some_and(|c| {
                        state.merge_chunk(c, |loc| line_at(&buf, &items, first_line, loc))
                    });
                    if !merged {
                        fold_items(state, source, &buf[..len], &items, first_line);
                    }
                    lines = first_line + items.len() as u64 - 1;
                    let _ = reuse.send(buf);
                }
            }
        }
    }
    lines
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
