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

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.bump()? == c).then_some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// `null`, consumed, when it is next.
    fn null(&mut self) -> bool {
        if self.b.get(self.i..self.i + 4) == Some(b"null") {
            self.i += 4;
            true
        } else {
            false
        }
    }

    /// A string without escapes (keys, enum values, ignored strings): its bytes.
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

    /// A string value: its span, or its unescaped text.
    fn string(&mut self) -> Option<Text> {
        self.eat(b'"')?;
        let start = self.i;
        let len = quote_or_escape(&self.b[start..])?;
        let end = start + len;
        if self.b[end] == b'"' {
            self.i = end + 1;
            return Some(Text::Span(
                u32::try_from(start).ok()?,
                u32::try_from(end).ok()?,
            ));
        }
        // Escapes: undone here, except `\u`, which is left to serde.
        let mut out = Vec::with_capacity(len + 16);
        let mut at = start;
        loop {
            let len = quote_or_escape(&self.b[at..])?;
            out.extend_from_slice(&self.b[at..at + len]);
            at += len;
            if self.b[at] == b'"' {
                self.i = at + 1;
                return String::from_utf8(out).ok().map(Text::Owned);
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
    fn uint(&mut self, max: u64) -> Option<u64> {
        let start = self.i;
        let mut v: u64 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 || (n > 1 && self.b[start] == b'0') || v > max {
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

/// Where the first `"` or `\` of `b` is.
fn quote_or_escape(b: &[u8]) -> Option<usize> {
    // Most strings of an event line (keys, enum values, ids, times, paths) are short: eight
    // bytes at a time in a word finds their end sooner than a vector search is set up.
    const SHORT: usize = 64;
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const ESCAPES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    // The high bit of each zero byte of `x`; the lowest one set marks the first zero byte
    // exactly (a borrow only ever flags bytes above a zero one).
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let head = &b[..b.len().min(SHORT)];
    let mut words = head.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let w = u64::from_le_bytes(bytes);
        let found = zeros(w ^ QUOTES) | zeros(w ^ ESCAPES);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    if let Some(i) = words
        .remainder()
        .iter()
        .position(|c| *c == b'"' || *c == b'\\')
    {
        return Some(at + i);
    }
    memchr::memchr2(b'"', b'\\', &b[head.len()..]).map(|i| head.len() + i)
}

/// Whether a line holds a control character: never in a compact line serde reads (inside a
/// string serde refuses one; outside, only whitespace could be one, which the scanner does not
/// take). Checked once per line as its least byte, which runs many bytes at a time.
fn has_control(line: &[u8]) -> bool {
    line.iter().copied().min().is_some_and(|least| least < 0x20)
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

/// Sets a field once; a second occurrence (which serde refuses) gives `None`.
fn once<T>(slot: &mut Option<T>, seen: &mut u32, bit: u32, value: T) -> Option<()> {
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    *slot = Some(value);
    Some(())
}

/// The fields of an event line in the order the zbooks client writes them
/// (`zbooks_types::event::CallEvent`'s order; `waited` is one nothing here reads).
const FIELDS: [&[u8]; 16] = [
    b"schema",
    b"ts",
    b"kind",
    b"organization_id",
    b"method",
    b"path",
    b"status",
    b"code",
    b"message",
    b"class",
    b"sent",
    b"attempt",
    b"waited",
    b"duration_ms",
    b"natural_key",
    b"purpose",
];

/// Whether `rest` starts with a field of [`FIELDS`] from `from` on, quoted and followed by
/// its colon (`"path":`): its place in [`FIELDS`] and the bytes it takes. Each name is
/// compared as a constant, so this is a few word compares where finding the end of an
/// unknown key would be a search. `None` leaves the key to the general reading.
fn known_key(rest: &[u8], from: usize) -> Option<(usize, usize)> {
    macro_rules! try_fields {
        ($($n:literal => $quoted:literal),* $(,)?) => {
            $(
                if from <= $n && rest.starts_with($quoted) {
                    return Some(($n, $quoted.len()));
                }
            )*
        };
    }
    try_fields!(
        0 => b"\"schema\":",
        1 => b"\"ts\":",
        2 => b"\"kind\":",
        3 => b"\"organization_id\":",
        4 => b"\"method\":",
        5 => b"\"path\":",
        6 => b"\"status\":",
        7 => b"\"code\":",
        8 => b"\"message\":",
        9 => b"\"class\":",
        10 => b"\"sent\":",
        11 => b"\"attempt\":",
        12 => b"\"waited\":",
        13 => b"\"duration_ms\":",
        14 => b"\"natural_key\":",
        15 => b"\"purpose\":",
    );
    None
}

/// Reads one event line (without its line ending, known to be UTF-8); `None` when the line
/// must go to serde.
///
/// The line's text is checked once, here and by the caller, and not string by string: UTF-8
/// split at ASCII quotes and backslashes stays UTF-8, and no byte of a line read here is a
/// control character, so every string of it is one serde takes as it is.
pub(crate) fn scan(text: &str) -> Option<Scanned> {
    let line = text.as_bytes();
    if has_control(line) {
        return None;
    }
    let mut c = Cursor { b: line, i: 0 };
    c.eat(b'{')?;
    let mut seen = 0u32;
    let mut schema = None;
    let mut ts = None;
    let mut kind = None;
    let mut org = None;
    let mut method = None;
    let mut path = None;
    let mut status = None;
    let mut code = None;
    let mut message = None;
    let mut class = None;
    let mut sent = None;
    let mut attempt = None;
    let mut duration = None;
    let mut natural_key = None;
    let mut purpose = None;
    // The field expected next: the writer's order, so a key is usually recognized by
    // comparing it with the one or two names expected at its place.
    let mut next = 0;
    loop {
        let key = if let Some((field, len)) = known_key(&line[c.i..], next) {
            c.i += len;
            next = field + 1;
            FIELDS[field]
        } else {
            let key = c.plain()?;
            c.eat(b':')?;
            key
        };
        match key {
            b"schema" => {
                let v = u32::try_from(c.uint(u64::from(u32::MAX))?).ok()?;
                once(&mut schema, &mut seen, 1, v)?;
            }
            b"ts" => {
                let v = c.string()?;
                once(&mut ts, &mut seen, 1 << 1, v)?;
            }
            b"kind" => {
                let v = kind_of(c.plain()?)?;
                once(&mut kind, &mut seen, 1 << 2, v)?;
            }
            b"organization_id" => {
                let v = if c.null() { None } else { Some(c.string()?) };
                once(&mut org, &mut seen, 1 << 3, v)?;
            }
            b"method" => {
                let v = c.string()?;
                once(&mut method, &mut seen, 1 << 4, v)?;
            }
            b"path" => {
                let v = c.string()?;
                once(&mut path, &mut seen, 1 << 5, v)?;
            }
            b"status" => {
                let v = if c.null() {
                    None
                } else {
                    Some(u16::try_from(c.uint(u64::from(u16::MAX))?).ok()?)
                };
                once(&mut status, &mut seen, 1 << 6, v)?;
            }
            b"code" => {
                let v = if c.null() { None } else { Some(c.int()?) };
                once(&mut code, &mut seen, 1 << 7, v)?;
            }
            b"message" => {
                let v = if c.null() { None } else { Some(c.string()?) };
                once(&mut message, &mut seen, 1 << 8, v)?;
            }
            b"class" => {
                let v = if c.null() {
                    None
                } else {
                    Some(class_of(c.plain()?)?)
                };
                once(&mut class, &mut seen, 1 << 9, v)?;
            }
            b"sent" => {
                let v = sent_of(c.plain()?)?;
                once(&mut sent, &mut seen, 1 << 10, v)?;
            }
            b"attempt" => {
                let v = if c.null() {
                    None
                } else {
                    Some(u32::try_from(c.uint(u64::from(u32::MAX))?).ok()?)
                };
                once(&mut attempt, &mut seen, 1 << 11, v)?;
            }
            b"duration_ms" => {
                let v = if c.null() {
                    None
                } else {
                    Some(c.uint(u64::MAX)?)
                };
                once(&mut duration, &mut seen, 1 << 12, v)?;
            }
            b"natural_key" => {
                let v = if c.null() { None } else { Some(c.string()?) };
                once(&mut natural_key, &mut seen, 1 << 13, v)?;
            }
            b"purpose" => {
                let v = if c.null() {
                    None
                } else {
                    Some(purpose_of(c.plain()?)?)
                };
                once(&mut purpose, &mut seen, 1 << 14, v)?;
            }
            _ => c.skip(0)?,
        }
        match c.bump()? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    if c.i != line.len() {
        return None;
    }
    let ts = ts?;
    let ts_ms = crate::time::parse_iso(ts.get(text).as_bytes());
    Some(Scanned {
        schema: schema?,
        ts,
        ts_ms,
        kind: kind?,
        organization_id: org.flatten(),
        method: method?,
        path: path?,
        status: status.flatten(),
        code: code.flatten(),
        message: message.flatten(),
        class: class.flatten(),
        sent: sent?,
        attempt: attempt.flatten(),
        duration_ms: duration.flatten(),
        natural_key: natural_key.flatten(),
        purpose: purpose.flatten(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time search finds what a plain search finds, wherever the byte is and
    /// whatever bytes surround it (neighbours of `"` and `\`, high bytes, borrows).
    #[test]
    fn finds_the_first_quote_or_escape_anywhere() {
        let plain = |b: &[u8]| b.iter().position(|c| *c == b'"' || *c == b'\\');
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
        ];
        for len in 0..140 {
            for filler in fillers {
                let mut b = vec![filler; len];
                assert_eq!(quote_or_escape(&b), plain(&b), "len {len}");
                for at in 0..len {
                    for hit in [b'"', b'\\'] {
                        b[at] = hit;
                        // A second one after the first, and a byte one below it before.
                        if at + 3 < len {
                            b[at + 3] = b'"';
                        }
                        if at > 0 {
                            b[at - 1] = hit - 1;
                        }
                        assert_eq!(quote_or_escape(&b), plain(&b), "len {len} at {at}");
                        b.fill(filler);
                    }
                }
            }
        }
    }
}
