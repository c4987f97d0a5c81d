//! The fast reader of one zbooks event line: a scanner of the flat object the zbooks client
//! writes (`serde_json::to_string` of a `CallEvent`), reading each field in place instead of
//! running a deserializer.
//!
//! It accepts only the compact form, and never more than serde would: a line it is not sure
//! of (whitespace between tokens, a `\u` escape, a float, an unknown enum value, a duplicate
//! field, a control character, ...) gives `None`, and the reader then
//! deserializes that line with serde exactly as before, so errors, the newer-schema rule and
//! every edge case keep their one definition. Whenever it gives a value, that value is the one
//! serde gives for the line (a property test holds the two together).

use zbooks_types::event::{EventKind, Purpose};
use zbooks_types::{FailureClass, Sent};

use crate::util::{bytes_below, splat, word_at};

/// A string of the line: where it is, or its text when escapes had to be undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Text {
    /// `line[start..end]`, valid UTF-8 without escapes.
    Span(u32, u32),
    /// The unescaped text.
    Owned(String),
}

impl Text {
    /// The text, given the line it was scanned from.
    pub(crate) fn get<'a>(&'a self, line: &'a str) -> &'a str {
        match self {
            Text::Span(start, end) => line.get(*start as usize..*end as usize).unwrap_or(""),
            Text::Owned(s) => s,
        }
    }
}

/// The fields of one event line, as serde would read them into the reader's struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scanned {
    pub(crate) schema: u32,
    pub(crate) ts: Text,
    /// `ts` read as a time.
    pub(crate) ts_ms: Option<crate::time::Millis>,
    pub(crate) kind: EventKind,
    pub(crate) organization_id: Option<Text>,
    pub(crate) method: Text,
    pub(crate) path: Text,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<i64>,
    pub(crate) message: Option<Text>,
    pub(crate) class: Option<FailureClass>,
    pub(crate) sent: Sent,
    pub(crate) attempt: Option<u32>,
    pub(crate) duration_ms: Option<u64>,
    pub(crate) natural_key: Option<Text>,
    pub(crate) purpose: Option<Purpose>,
}

/// The wire names of the failure classes, from their own serde form.
static CLASSES: std::sync::LazyLock<Vec<(String, FailureClass)>> = std::sync::LazyLock::new(|| {
    FailureClass::ALL
        .iter()
        .filter_map(|c| {
            let name = serde_json::to_value(c).ok()?;
            Some((name.as_str()?.to_owned(), *c))
        })
        .collect()
});

/// How deep an ignored value may nest before the line is left to serde.
const MAX_DEPTH: u32 = 16;

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

#[expect(
    clippy::inline_always,
    reason = "measured: a literal compared where its length is known is a few word compares, not a call to memcmp"
)]
impl<'a> Cursor<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.bump()? == c).then_some(())
    }

    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// `null`, consumed, when it is next.
    #[inline(always)]
    fn null(&mut self) -> bool {
        if self.b.get(self.i..self.i + 4) == Some(b"null") {
            self.i += 4;
            true
        } else {
            false
        }
    }

    /// A string without escapes (keys, enum values, ignored strings): its bytes.
    #[inline(always)]
    fn plain(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let len = quote_or_escape(&self.b[start..])?;
        let end = start + len;
        if self.b[end] != b'"' {
            return None;
        }
        self.i = end + 1;
        let b: &'a [u8] = self.b;
        Some(&b[start..end])
    }

    /// A string value into its slot: its span, or its unescaped text. Inlined, and each
    /// stored in a branch of its own, so that a span (nearly every string) goes from
    /// registers to its slot: made on two paths and stored after, it went through memory
    /// and stalled there (measured).
    #[inline(always)]
    fn string_into(&mut self, slot: &mut Option<Text>) -> Option<()> {
        self.eat(b'"')?;
        let start = self.i;
        let len = quote_or_escape(&self.b[start..])?;
        let end = start + len;
        if self.b[end] == b'"' {
            self.i = end + 1;
            *slot = Some(Text::Span(
                u32::try_from(start).ok()?,
                u32::try_from(end).ok()?,
            ));
        } else {
            *slot = Some(self.escaped(start)?);
        }
        Some(())
    }

    /// A nullable string into its slot.
    #[inline(always)]
    fn string_or_null_into(&mut self, slot: &mut Option<Text>) -> Option<()> {
        if self.null() {
            *slot = None;
            return Some(());
        }
        self.string_into(slot)
    }

    /// The rest of a string with escapes, from its first byte at `start`: its text with the
    /// escapes undone, except `\u`, which is left to serde.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> Option<Text> {
        let mut out = Vec::with_capacity(32);
        let mut at = start;
        loop {
            let len = quote_or_escape(&self.b[at..])?;
            out.extend_from_slice(&self.b[at..at + len]);
            at += len;
            match self.b[at] {
                b'"' => {
                    self.i = at + 1;
                    return String::from_utf8(out).ok().map(Text::Owned);
                }
                b'\\' => {}
                // A control character.
                _ => return None,
            }
            let unescaped = match self.b.get(at + 1)? {
                b'"' => b'"',
                b'\\' => b'\\',
                b'/' => b'/',
                b'b' => 0x08,
                b'f' => 0x0c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                _ => return None,
            };
            out.push(unescaped);
            at += 2;
        }
    }

    /// A non-negative integer of at most `max`, in JSON's grammar, followed by `,` or `}`.
    #[inline(always)]
    fn uint(&mut self, max: u64) -> Option<u64> {
        let start = self.i;
        let mut v: u64 = 0;
        // No number of 19 digits or fewer overflows a `u64`, so the digits are added up
        // unchecked and a longer number (which may not fit) is left to serde.
        while let Some(&c) = self.b.get(self.i) {
            let digit = c.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            v = v.wrapping_mul(10).wrapping_add(u64::from(digit));
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 || n > 19 || (n > 1 && self.b[start] == b'0') || v > max {
            return None;
        }
        matches!(self.peek(), Some(b',' | b'}')).then_some(v)
    }

    /// A signed integer (`code`).
    fn int(&mut self) -> Option<i64> {
        if self.peek() == Some(b'-') {
            self.i += 1;
            let v = self.uint(i64::MAX as u64)?;
            // `-0` is left to serde.
            if v == 0 {
                return None;
            }
            return i64::try_from(v).ok().map(|v| -v);
        }
        i64::try_from(self.uint(i64::MAX as u64)?).ok()
    }

    /// Skips any value of the kinds this scanner is sure of.
    fn skip(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.plain().map(|_| ()),
            b'{' => {
                self.i += 1;
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.plain()?;
                    self.eat(b':')?;
                    self.skip(depth + 1)?;
                    match self.bump()? {
                        b',' => {}
                        b'}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.skip(depth + 1)?;
                    match self.bump()? {
                        b',' => {}
                        b']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => {
                if self.peek()? == b'-' {
                    self.i += 1;
                }
                let start = self.i;
                while let Some(b'0'..=b'9') = self.peek() {
                    self.i += 1;
                }
                let n = self.i - start;
                if n == 0 || (n > 1 && self.b[start] == b'0') {
                    return None;
                }
                matches!(self.peek(), Some(b',' | b'}' | b']')).then_some(())
            }
            _ => None,
        }
    }
}

/// Where the first `"`, `\` or control character of `b` is: where a string without escapes
/// ends, or must be looked at closer (an escape), or is not one serde takes (a control
/// character, which JSON allows in no string).
///
/// This is also what keeps control characters out of every line the scanner reads: outside
/// strings it takes only the bytes of JSON's tokens (never whitespace), so with this a line
/// holding one anywhere is left to serde, and no separate pass over the line is needed.
fn quote_or_escape(b: &[u8]) -> Option<usize> {
    // Most strings of an event line (keys, enum values, ids, times, paths) are short: eight
    // bytes at a time in a word finds their end sooner than a vector search is set up.
    const QUOTES: u64 = splat(b'"');
    const ESCAPES: u64 = splat(b'\\');
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let w = word_at(word, 0);
        let found = bytes_below(w ^ QUOTES, 1) | bytes_below(w ^ ESCAPES, 1) | bytes_below(w, 0x20);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|c| *c == b'"' || *c == b'\\' || *c < 0x20)
        .map(|i| at + i)
}

fn kind_of(name: &[u8]) -> Option<EventKind> {
    match name {
        b"attempt" => Some(EventKind::Attempt),
        b"token" => Some(EventKind::Token),
        _ => None,
    }
}

fn sent_of(name: &[u8]) -> Option<Sent> {
    match name {
        b"answered" => Some(Sent::Answered),
        b"maybe_sent" => Some(Sent::MaybeSent),
        b"not_sent" => Some(Sent::NotSent),
        _ => None,
    }
}

fn class_of(name: &[u8]) -> Option<FailureClass> {
    CLASSES
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map(|(_, c)| *c)
}

fn purpose_of(name: &[u8]) -> Option<Purpose> {
    match name {
        b"lookup" => Some(Purpose::Lookup),
        b"probe" => Some(Purpose::Probe),
        // Other names read as `Other` through serde's rule; left to it.
        _ => None,
    }
}

/// The fields of an event line in the order the zbooks client writes them
/// (`zbooks_types::event::CallEvent`'s order; `waited` is one nothing here reads), each with
/// its place and whether serde requires it: the one list [`FIELDS`], [`known_key`] and
/// [`in_order`] are made from, handed to the macro named.
macro_rules! writer_fields {
    ($then:ident) => {
        $then!(
            0 "schema" true,
            1 "ts" true,
            2 "kind" true,
            3 "organization_id" false,
            4 "method" true,
            5 "path" true,
            6 "status" false,
            7 "code" false,
            8 "message" false,
            9 "class" false,
            10 "sent" true,
            11 "attempt" false,
            12 "waited" false,
            13 "duration_ms" false,
            14 "natural_key" false,
            15 "purpose" false,
        )
    };
}

macro_rules! names {
    ($($n:literal $name:literal $required:literal),* $(,)?) => {
        [$($name.as_bytes()),*]
    };
}

/// The fields' names, by their place.
const FIELDS: [&[u8]; 16] = writer_fields!(names);

/// Whether `rest` starts with a field of [`FIELDS`] from `from` on, quoted and followed by
/// its colon (`"path":`): its place in [`FIELDS`] and the bytes it takes. Each name is
/// compared as a constant, so this is a few word compares where finding the end of an
/// unknown key would be a search. `None` leaves the key to the general reading.
fn known_key(rest: &[u8], from: usize) -> Option<(usize, usize)> {
    macro_rules! try_fields {
        ($($n:literal $name:literal $required:literal),* $(,)?) => {
            $(
                let quoted = concat!("\"", $name, "\":").as_bytes();
                if from <= $n && rest.starts_with(quoted) {
                    return Some(($n, quoted.len()));
                }
            )*
        };
    }
    writer_fields!(try_fields);
    None
}

/// The fields read so far, each `None` until its key is met (or while its value is `null`).
#[derive(Default)]
struct Fields {
    schema: Option<u32>,
    ts: Option<Text>,
    kind: Option<EventKind>,
    org: Option<Text>,
    method: Option<Text>,
    path: Option<Text>,
    status: Option<u16>,
    code: Option<i64>,
    message: Option<Text>,
    class: Option<FailureClass>,
    sent: Option<Sent>,
    attempt: Option<u32>,
    duration: Option<u64>,
    natural_key: Option<Text>,
    purpose: Option<Purpose>,
}

#[expect(
    clippy::inline_always,
    reason = "measured: inlined where the field is a constant, the dispatch on it is gone"
)]
impl Cursor<'_> {
    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.uint(u64::from(u32::MAX))?).ok()
    }

    /// A method into its slot: the common ones compared whole (a constant compare, where
    /// finding the string's end is a search), any other read as a string.
    #[inline(always)]
    fn method_into(&mut self, slot: &mut Option<Text>) -> Option<()> {
        let start = u32::try_from(self.i).ok()?;
        for (quoted, len) in [(&b"\"GET\""[..], 3), (b"\"POST\"", 4)] {
            if self.literal(quoted).is_some() {
                *slot = Some(Text::Span(start + 1, start + 1 + len));
                return Some(());
            }
        }
        self.string_into(slot)
    }

    /// `waited`, which nothing here reads, skipped: read as the writer writes it
    /// (`[{"reason":"pacing","ms":120},...]`) in one go, or else as any value.
    fn waited(&mut self) -> Option<()> {
        let start = self.i;
        if self.waits().is_some() {
            return Some(());
        }
        self.i = start;
        self.skip(0)
    }

    fn waits(&mut self) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            if self.literal(b"{\"reason\":\"pacing\",\"ms\":").is_none() {
                self.literal(b"{\"reason\":")?;
                self.plain()?;
                self.literal(b",\"ms\":")?;
            }
            self.uint(u64::MAX)?;
            self.eat(b'}')?;
            match self.bump()? {
                b',' => {}
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// The value of field `field` of [`FIELDS`] into its slot (an unknown field's skipped).
    /// Inlined with a constant `field` where the writer's order is read, so that each place
    /// reads its one field without a dispatch.
    #[inline(always)]
    fn field(&mut self, field: Option<usize>, f: &mut Fields) -> Option<()> {
        // Each nullable field checks for `null` in place: a value read through a closure or
        // a function passed on came back through memory, not in registers (measured).
        macro_rules! or_null {
            ($read:expr) => {
                if self.null() { None } else { Some($read) }
            };
        }
        match field {
            Some(0) => f.schema = Some(self.u32()?),
            Some(1) => self.string_into(&mut f.ts)?,
            Some(2) => {
                f.kind = Some(if self.literal(b"\"attempt\"").is_some() {
                    EventKind::Attempt
                } else {
                    kind_of(self.plain()?)?
                });
            }
            Some(3) => self.string_or_null_into(&mut f.org)?,
            Some(4) => self.method_into(&mut f.method)?,
            Some(5) => self.string_into(&mut f.path)?,
            Some(6) => f.status = or_null!(u16::try_from(self.uint(u64::from(u16::MAX))?).ok()?),
            Some(7) => f.code = or_null!(self.int()?),
            Some(8) => self.string_or_null_into(&mut f.message)?,
            Some(9) => f.class = or_null!(class_of(self.plain()?)?),
            Some(10) => {
                f.sent = Some(if self.literal(b"\"answered\"").is_some() {
                    Sent::Answered
                } else {
                    sent_of(self.plain()?)?
                });
            }
            Some(11) => f.attempt = or_null!(self.u32()?),
            Some(12) => self.waited()?,
            Some(13) => f.duration = or_null!(self.uint(u64::MAX)?),
            Some(14) => self.string_or_null_into(&mut f.natural_key)?,
            Some(15) => f.purpose = or_null!(purpose_of(self.plain()?)?),
            _ => self.skip(0)?,
        }
        Some(())
    }
}

/// Reads one event line (without its line ending, known to be UTF-8); `None` when the line
/// must go to serde.
///
/// The line's text is checked as UTF-8 once, by the caller, and not string by string: UTF-8
/// split at ASCII quotes and backslashes stays UTF-8, and no string read here holds a
/// control character ([`quote_or_escape`]), so every string of it is one serde takes as it is.
#[expect(
    clippy::inline_always,
    reason = "measured: inlined, the fields are made where they are read, not moved there"
)]
#[inline(always)]
pub(crate) fn scan(text: &str) -> Option<Scanned> {
    read_with(in_order, text).or_else(|| read_with(in_any_order, text))
}

/// The line read by one of the two readers.
#[expect(clippy::inline_always, reason = "as `scan`")]
#[inline(always)]
fn read_with(reader: fn(Cursor<'_>, &mut Fields) -> Option<()>, text: &str) -> Option<Scanned> {
    let mut f = Fields::default();
    reader(
        Cursor {
            b: text.as_bytes(),
            i: 0,
        },
        &mut f,
    )?;
    let ts = f.ts?;
    let ts_ms = crate::time::parse_iso(ts.get(text).as_bytes());
    Some(Scanned {
        schema: f.schema?,
        ts,
        ts_ms,
        kind: f.kind?,
        organization_id: f.org,
        method: f.method?,
        path: f.path?,
        status: f.status,
        code: f.code,
        message: f.message,
        class: f.class,
        sent: f.sent?,
        attempt: f.attempt,
        duration_ms: f.duration,
        natural_key: f.natural_key,
        purpose: f.purpose,
    })
}

/// Reads a line whose fields come in the writer's order (each at most once, the required
/// ones present), as the zbooks client writes every line: straight through, each field
/// read where it can only be. `None` for any other line, which [`in_any_order`] then reads.
fn in_order(mut c: Cursor<'_>, f: &mut Fields) -> Option<()> {
    // The cursor is this function's own (not the caller's, behind a reference), so that its
    // place can stay in a register.
    let c = &mut c;
    // A required field missing, or any other key at its place, leaves the line to
    // `in_any_order`. The first key follows the `{`, every other one a `,`.
    macro_rules! fields {
        ($($n:literal $name:literal $required:literal),* $(,)?) => {
            $(
                let key = if $n == 0 {
                    concat!("{\"", $name, "\":")
                } else {
                    concat!(",\"", $name, "\":")
                };
                if c.literal(key.as_bytes()).is_some() {
                    c.field(Some($n), f)?;
                } else if $required {
                    return None;
                }
            )*
        };
    }
    writer_fields!(fields);
    c.eat(b'}')?;
    (c.i == c.b.len()).then_some(())
}

/// Reads a line whose fields come in any order, with fields it does not know: each key
/// recognized by comparing it with the one or two names expected at its place (the writer's
/// order), or else read and looked up; a field met twice (which serde refuses) gives `None`.
fn in_any_order(mut c: Cursor<'_>, f: &mut Fields) -> Option<()> {
    let c = &mut c;
    c.eat(b'{')?;
    let mut seen = 0u32;
    let mut next = 0;
    loop {
        let field = if let Some((field, len)) = known_key(&c.b[c.i..], next) {
            c.i += len;
            next = field + 1;
            Some(field)
        } else {
            let key = c.plain()?;
            c.eat(b':')?;
            FIELDS.iter().position(|name| *name == key)
        };
        if let Some(n) = field {
            let bit = 1u32 << n;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
        }
        c.field(field, f)?;
        match c.bump()? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    (c.i == c.b.len()).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time search finds what a plain search finds, wherever the byte is and
    /// whatever bytes surround it (neighbours of `"` and `\`, high bytes, borrows).
    /// The writer's own lines are read straight through, and whatever that reads is what the
    /// reader of any order reads; lines in another order, with a field twice or unknown, or
    /// without a required one, are left to the reader of any order.
    #[test]
    fn lines_in_the_writers_order_read_straight_and_alike() {
        let written = [
            r#"{"schema":1,"ts":"2026-11-25T00:00:00.050Z","kind":"attempt","organization_id":"10234695","method":"GET","path":"/books/v3/contacts","status":200,"sent":"answered","attempt":1,"duration_ms":359}"#,
            r#"{"schema":1,"ts":"2026-11-25T00:00:00.000Z","kind":"token","method":"POST","path":"/oauth/v2/token","status":200,"sent":"answered","attempt":1,"waited":[{"reason":"pacing","ms":199}],"duration_ms":180}"#,
            r#"{"schema":1,"ts":"2026-11-25T00:00:01.000Z","kind":"attempt","organization_id":null,"method":"POST","path":"/books/v3/invoices","status":400,"code":3062,"message":"The invoice \"INV-1\" exists","class":"duplicate","sent":"answered","attempt":2,"waited":[],"duration_ms":12,"natural_key":"invoice_number=INV-1","purpose":"lookup"}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","sent":"answered","waited":[{"reason":"pacing","ms":0},{"reason":"backoff","ms":1200}]}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","sent":"answered","waited":[{"ms":3,"reason":"pacing"},{"reason":"x","ms":-1}]}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","sent":"answered","waited":[{"reason":"pacing","ms":1,"more":[true]}],"duration_ms":2}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","sent":"answered","waited":{"reason":null}}"#,
            r#"{"schema":1,"ts":"x","kind":"attempt","method":"GET","path":"/","status":null,"code":-44,"message":null,"class":null,"sent":"maybe_sent","attempt":null,"duration_ms":null,"natural_key":null,"purpose":null}"#,
        ];
        for line in written {
            let straight = read_with(in_order, line);
            assert!(straight.is_some(), "{line}");
            assert_eq!(straight, read_with(in_any_order, line), "{line}");
            assert_eq!(straight, scan(line), "{line}");
        }
        let other = [
            r#"{"ts":"2026-11-25T00:00:00.050Z","schema":1,"kind":"attempt","method":"GET","path":"/","sent":"answered"}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","status":200,"status":201,"sent":"answered"}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","sent":"answered","future":1}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","sent":"answered","attempt":1,"attempt":2}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","sent":"answered"}"#,
            r#"{"schema":1,"ts":"t","kind":"attempt","method":"GET","path":"/","sent":"answered"} "#,
        ];
        for line in other {
            assert_eq!(read_with(in_order, line), None, "{line}");
        }
        // Out of order, or with an unknown field: read all the same.
        assert!(scan(other[0]).is_some());
        assert!(scan(other[2]).is_some());
        // Twice, or a required field missing: left to serde.
        for line in [other[1], other[3], other[4], other[5]] {
            assert_eq!(scan(line), None, "{line}");
        }
    }

    #[test]
    fn finds_the_first_quote_or_escape_anywhere() {
        let plain = |b: &[u8]| {
            b.iter()
                .position(|c| *c == b'"' || *c == b'\\' || *c < 0x20)
        };
        let fillers = [
            b'a',
            0x21,
            0x23,
            0x5b,
            0x5d,
            0x5c ^ 0x80,
            0xa2,
            0xff,
            0x00,
            0x01,
            0x1f,
            0x20,
            0x9f,
            0x7f,
        ];
        for len in 0..140 {
            for filler in fillers {
                let mut b = vec![filler; len];
                assert_eq!(quote_or_escape(&b), plain(&b), "len {len}");
                for at in 0..len {
                    for hit in [b'"', b'\\', 0x00, b'\n', 0x1f] {
                        b[at] = hit;
                        // A second one after the first, and a byte one below it before.
                        if at + 3 < len {
                            b[at + 3] = b'"';
                        }
                        if at > 0 {
                            b[at - 1] = hit.wrapping_sub(1);
                        }
                        assert_eq!(quote_or_escape(&b), plain(&b), "len {len} at {at}");
                        b.fill(filler);
                    }
                }
            }
        }
    }
}
