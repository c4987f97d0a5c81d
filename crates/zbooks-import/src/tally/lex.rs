//! The XML tokenizer under [`XmlObjects`](super::xml::XmlObjects) (issue 20): the events
//! quick-xml 0.42's buffered reader gives with the configuration the Tally reader uses
//! (`check_end_names` and `check_comments` off, `allow_dangling_amp`, `allow_unmatched_ends`),
//! event for event and error for error, with the decoded stream consumed to the same place
//! after each — but read in place from the decoded chunks, which were checked as UTF-8 once,
//! when they were decoded. An event that crosses the end of a chunk is gathered in a side
//! buffer chunk by chunk: elements and processing instructions through quick-xml's own public
//! parsers, comments, CDATA and DOCTYPE by small state machines of XML's grammar written
//! here; every other event borrows the chunk.
//!
//! Comments, declarations, processing instructions and DOCTYPE come out as an empty
//! [`Event::Comment`]: the reader above ignores all four alike.

use std::io::Read;

use quick_xml::errors::{Error, IllFormedError, SyntaxError};
use quick_xml::events::{BytesCData, BytesEnd, BytesRef, BytesStart, BytesText, Event};
use quick_xml::parser::{ElementParser, Parser, PiParser};

use crate::decode::Decoded;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text events borrow: the chunk being read and, for an event that crosses the end of
/// a chunk, the event gathered. Kept apart from the [`Lexer`] so that an event can be
/// handled while the lexer's place in the file is asked for.
#[derive(Debug, Default)]
pub(crate) struct Bytes {
    chunk: String,
    at: usize,
    side: String,
}

impl Bytes {
    /// Puts `chunk` in place of the chunk held (for a reader handed its chunks), and
    /// returns the one held.
    pub(crate) fn hold(&mut self, chunk: String) -> String {
        self.at = 0;
        self.side.clear();
        std::mem::replace(&mut self.chunk, chunk)
    }

    /// The chunk held.
    pub(crate) fn chunk(&self) -> &str {
        &self.chunk
    }

    /// The bytes of the chunk held not read yet.
    pub(crate) fn rest(&self) -> usize {
        self.chunk.len() - self.at
    }
}

/// What the tokenizer expects next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Init,
    Text,
    Ref,
    Markup,
    Done,
}

/// Where an event's text lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum In {
    Chunk,
    Side,
}

/// An event found, as places in [`Bytes`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Tok {
    Eof,
    Text(In, usize, usize),
    Ref(In, usize, usize),
    CData(In, usize, usize),
    Start(In, usize, usize),
    Empty(In, usize, usize),
    End(In, usize, usize),
    Ignored,
}

/// The tokenizer: the decoded stream and the state between events.
pub(crate) struct Lexer<R> {
    src: Decoded<R>,
    state: State,
    /// Bytes the last event consumed that quick-xml's reader leaves out of its position: the
    /// `<!` of an unknown markup, the `<` at the end of the text (it reports those errors
    /// before counting them).
    held: u64,
}

impl<R> std::fmt::Debug for Lexer<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexer")
            .field("src", &self.src)
            .field("state", &self.state)
            .field("held", &self.held)
            .finish()
    }
}

fn slice(b: &Bytes, within: In, from: usize, to: usize) -> &str {
    match within {
        In::Chunk => &b.chunk[from..to],
        In::Side => &b.side[from..to],
    }
}

/// An end tag's name as quick-xml reports it: trailing whitespace trimmed (all of it kept if
/// it is all whitespace).
fn end_name(content: &str) -> &str {
    match content
        .as_bytes()
        .iter()
        .rposition(|&b| !quick_xml::utils::is_whitespace(b))
    {
        Some(last) => &content[..=last],
        None => content,
    }
}

/// The length of a tag's name as quick-xml counts it: up to the first XML whitespace
/// (space, tab, CR, LF). Looks for any byte up to a space first, one comparison a byte.
#[inline]
fn name_len(content: &[u8]) -> usize {
    let mut from = 0;
    while let Some(i) = content[from..].iter().position(|&b| b <= b' ') {
        if quick_xml::utils::is_whitespace(content[from + i]) {
            return from + i;
        }
        from += i + 1;
    }
    content.len()
}

impl<R> Lexer<R> {
    /// Reads from a decoded stream, from its start.
    pub(crate) fn new(src: Decoded<R>) -> Self {
        Lexer {
            src,
            state: State::Init,
            held: 0,
        }
    }

    /// The decoded stream, consumed to the end of the last event.
    pub(crate) fn source(&self) -> &Decoded<R> {
        &self.src
    }

    /// Where the reader stands after the last event, as quick-xml's reader counts it (its
    /// buffer position): the decoded stream's position, less what an error left uncounted.
    /// The same place after two errors in a row means the reader cannot go on.
    pub(crate) fn position(&self) -> u64 {
        self.src.position() - self.held
    }

    /// The decoded stream, for its replacements.
    pub(crate) fn source_mut(&mut self) -> &mut Decoded<R> {
        &mut self.src
    }

    #[inline]
    fn consume(&mut self, b: &mut Bytes, amount: usize) {
        self.src.consume_in(b.chunk.as_bytes(), amount);
        b.at += amount;
    }

    /// Moves the rest of the chunk to the end of the side buffer, consumed.
    fn gather_rest(&mut self, b: &mut Bytes) {
        let rest = b.chunk.len() - b.at;
        b.side.push_str(&b.chunk[b.at..]);
        self.consume(b, rest);
    }

    /// Moves `amount` bytes of the chunk to the end of the side buffer, consumed.
    fn gather(&mut self, b: &mut Bytes, amount: usize) {
        b.side.push_str(&b.chunk[b.at..b.at + amount]);
        self.consume(b, amount);
    }
}

impl<R: Read> Lexer<R> {
    /// Makes sure the chunk has bytes left, loading the next one when it is consumed (as
    /// `fill_buf` does); false at the end of the text.
    #[inline]
    fn fill(&mut self, b: &mut Bytes) -> Result<bool, Error> {
        if b.at < b.chunk.len() {
            return Ok(true);
        }
        if self.src.finished() {
            return Ok(false);
        }
        self.src.load(&mut b.chunk).map_err(Error::from)?;
        b.at = 0;
        Ok(!b.chunk.is_empty())
    }

    /// The next event as a token, to be made an event by [`event`].
    #[inline]
    pub(crate) fn token(&mut self, b: &mut Bytes) -> Result<Tok, Error> {
        let tok = self.next_tok(b);
        self.held = match &tok {
            Err(Error::Syntax(SyntaxError::InvalidBangMarkup)) => 2,
            Err(Error::Syntax(SyntaxError::UnclosedTag)) => 1,
            _ => 0,
        };
        match &tok {
            Err(Error::IllFormed(_)) | Ok(_) => {}
            Err(_) => self.state = State::Done,
        }
        if let Ok(Tok::Eof) = tok {
            self.state = State::Done;
        }
        tok
    }
}

impl<R> Lexer<R> {
    /// Whether the next event starts with the `<` at the reader's place in the chunk.
    #[inline]
    pub(crate) fn at_markup(&self, b: &Bytes) -> bool {
        match self.state {
            State::Markup => true,
            State::Text => b.chunk.as_bytes().get(b.at) == Some(&b'<'),
            _ => false,
        }
    }

    /// At a `<` ([`Lexer::at_markup`]): consumes `amount` bytes of the chunk, which end with
    /// a `>` ending an element (read by another reader in the same state), and reads on as
    /// after that element's last event.
    pub(crate) fn skip(&mut self, b: &mut Bytes, amount: usize) {
        self.consume(b, amount);
        self.state = State::Text;
        self.held = 0;
    }

    /// For a reader handed its chunks: reads on from byte `at` of the chunk, which is a `<`,
    /// as after an element's last event.
    pub(crate) fn aim(&mut self, b: &mut Bytes, at: usize) {
        b.at = at;
        b.side.clear();
        self.src.aim(at);
        self.state = State::Text;
        self.held = 0;
    }

    /// Just after the start tag of the element `name`: if the chunk holds its text with
    /// no reference in it (and, if `plain`, no CR) and then its end tag spelt `</name>`,
    /// consumes both and returns the text; otherwise consumes nothing. What is left to read
    /// is what the two events, text and end, would have left.
    pub(crate) fn leaf_rest<'b>(
        &mut self,
        b: &'b mut Bytes,
        name: &str,
        plain: bool,
    ) -> Option<&'b str> {
        if self.state != State::Text {
            return None;
        }
        let s = &b.chunk.as_bytes()[b.at..];
        let i = memchr::memchr2(b'<', b'&', s)?;
        let end = s.get(i..i + name.len() + 3)?;
        if end[..2] != *b"</"
            || end[2..2 + name.len()] != *name.as_bytes()
            || end[end.len() - 1] != b'>'
            || (plain && memchr::memchr(b'\r', &s[..i]).is_some())
        {
            return None;
        }
        let from = b.at;
        self.consume(b, i + end.len());
        Some(&b.chunk[from..from + i])
    }
}

/// Whether a token is text of ASCII whitespace only (which the reader above ignores).
#[inline]
pub(crate) fn is_blank(b: &Bytes, tok: &Tok) -> bool {
    match *tok {
        Tok::Text(w, from, to) => slice(b, w, from, to)
            .bytes()
            .all(|c| c.is_ascii_whitespace()),
        _ => false,
    }
}

/// The event a token stands for, borrowing its text from `b`.
#[inline]
pub(crate) fn event(b: &Bytes, tok: Tok) -> Event<'_> {
    {
        match tok {
            Tok::Eof => Event::Eof,
            Tok::Text(w, from, to) => Event::Text(BytesText::from_escaped(slice(b, w, from, to))),
            Tok::Ref(w, from, to) => Event::GeneralRef(BytesRef::new(slice(b, w, from, to))),
            Tok::CData(w, from, to) => Event::CData(BytesCData::new(slice(b, w, from, to))),
            Tok::Start(w, from, to) => {
                let content = slice(b, w, from, to);
                Event::Start(BytesStart::from_content(
                    content,
                    name_len(content.as_bytes()),
                ))
            }
            Tok::Empty(w, from, to) => {
                let content = slice(b, w, from, to);
                Event::Empty(BytesStart::from_content(
                    content,
                    name_len(content.as_bytes()),
                ))
            }
            Tok::End(w, from, to) => Event::End(BytesEnd::new(end_name(slice(b, w, from, to)))),
            Tok::Ignored => Event::Comment(BytesText::from_escaped("")),
        }
    }
}

impl<R: Read> Lexer<R> {
    fn next_tok(&mut self, b: &mut Bytes) -> Result<Tok, Error> {
        loop {
            match self.state {
                State::Done => return Ok(Tok::Eof),
                State::Init => {
                    if self.fill(b)? && b.chunk.as_bytes()[b.at..].starts_with(UTF8_BOM) {
                        self.consume(b, UTF8_BOM.len());
                    }
                    self.state = State::Text;
                }
                State::Text => {
                    if !self.fill(b)? {
                        return Ok(Tok::Eof);
                    }
                    let s = &b.chunk.as_bytes()[b.at..];
                    match memchr::memchr2(b'<', b'&', s) {
                        Some(0) => {
                            self.state = if s[0] == b'<' {
                                State::Markup
                            } else {
                                State::Ref
                            };
                        }
                        Some(i) => {
                            self.state = if s[i] == b'<' {
                                State::Markup
                            } else {
                                State::Ref
                            };
                            let from = b.at;
                            self.consume(b, i);
                            return Ok(Tok::Text(In::Chunk, from, from + i));
                        }
                        None => return self.long_text(b),
                    }
                }
                State::Ref => return self.reference(b),
                State::Markup => {
                    self.state = State::Text;
                    return self.markup(b);
                }
            }
        }
    }

    /// Text that runs past the end of the chunk.
    #[cold]
    fn long_text(&mut self, b: &mut Bytes) -> Result<Tok, Error> {
        b.side.clear();
        self.gather_rest(b);
        loop {
            if !self.fill(b)? {
                self.state = State::Done;
                return Ok(Tok::Text(In::Side, 0, b.side.len()));
            }
            let s = &b.chunk.as_bytes()[b.at..];
            if let Some(i) = memchr::memchr2(b'<', b'&', s) {
                self.state = if s[i] == b'<' {
                    State::Markup
                } else {
                    State::Ref
                };
                self.gather(b, i);
                return Ok(Tok::Text(In::Side, 0, b.side.len()));
            }
            self.gather_rest(b);
        }
    }

    /// At a `&`: a reference, or a lone `&` read as text.
    fn reference(&mut self, b: &mut Bytes) -> Result<Tok, Error> {
        if !self.fill(b)? {
            self.state = State::Done;
            return Ok(Tok::Text(In::Chunk, b.at, b.at));
        }
        let s = &b.chunk.as_bytes()[b.at..];
        if let Some(k) = memchr::memchr3(b';', b'&', b'<', &s[1..]) {
            let i = k + 1;
            let from = b.at;
            if s[i] == b';' {
                self.state = State::Text;
                self.consume(b, i + 1);
                return Ok(Tok::Ref(In::Chunk, from + 1, from + i));
            }
            self.state = if s[i] == b'&' {
                State::Ref
            } else {
                State::Markup
            };
            self.consume(b, i);
            return Ok(Tok::Text(In::Chunk, from, from + i));
        }
        b.side.clear();
        self.gather_rest(b);
        loop {
            if !self.fill(b)? {
                self.state = State::Done;
                return Ok(Tok::Text(In::Side, 0, b.side.len()));
            }
            let s = &b.chunk.as_bytes()[b.at..];
            match memchr::memchr3(b';', b'&', b'<', s) {
                Some(i) if s[i] == b';' => {
                    self.state = State::Text;
                    self.gather(b, i + 1);
                    return Ok(Tok::Ref(In::Side, 1, b.side.len() - 1));
                }
                Some(i) => {
                    self.state = if s[i] == b'&' {
                        State::Ref
                    } else {
                        State::Markup
                    };
                    self.gather(b, i);
                    return Ok(Tok::Text(In::Side, 0, b.side.len()));
                }
                None => self.gather_rest(b),
            }
        }
    }

    /// At a `<`.
    fn markup(&mut self, b: &mut Bytes) -> Result<Tok, Error> {
        let start = b.at;
        self.consume(b, 1);
        let gathered = b.at == b.chunk.len();
        if gathered {
            b.side.clear();
            b.side.push('<');
        }
        if !self.fill(b)? {
            return Err(Error::Syntax(SyntaxError::UnclosedTag));
        }
        match b.chunk.as_bytes()[b.at] {
            b'!' => self.bang(b, start, gathered),
            b'?' => {
                let mut parser = PiParser(false);
                let (within, from, to) = self.until(b, start, gathered, &mut parser)?;
                if to - from > 3 {
                    Ok(Tok::Ignored)
                } else {
                    let token = slice(b, within, from, to).as_bytes();
                    Err(Error::Syntax(PiParser(false).eof_error(token)))
                }
            }
            next => {
                let mut parser = ElementParser::Outside;
                let (within, from, to) = self.until(b, start, gathered, &mut parser)?;
                let token = slice(b, within, from, to).as_bytes();
                if next == b'/' {
                    Ok(Tok::End(within, from + 2, to - 1))
                } else if token[1..].ends_with(b"/>") {
                    Ok(Tok::Empty(within, from + 1, to - 2))
                } else {
                    Ok(Tok::Start(within, from + 1, to - 1))
                }
            }
        }
    }

    /// Reads to the end `parser` finds, from the byte after the `<` at `start` (or in the
    /// side buffer if `gathered`): the token, `<` to `>`.
    fn until(
        &mut self,
        b: &mut Bytes,
        start: usize,
        gathered: bool,
        parser: &mut (impl Parser + Copy),
    ) -> Result<(In, usize, usize), Error> {
        if !gathered {
            if let Some(i) = parser.feed(&b.chunk.as_bytes()[b.at..]) {
                self.consume(b, i + 1);
                return Ok((In::Chunk, start, b.at));
            }
            b.side.clear();
            b.side.push('<');
            self.gather_rest(b);
            if !self.fill(b)? {
                return Err(Error::Syntax((*parser).eof_error(b.side.as_bytes())));
            }
        }
        loop {
            if let Some(i) = parser.feed(&b.chunk.as_bytes()[b.at..]) {
                self.gather(b, i + 1);
                return Ok((In::Side, 0, b.side.len()));
            }
            self.gather_rest(b);
            if !self.fill(b)? {
                return Err(Error::Syntax((*parser).eof_error(b.side.as_bytes())));
            }
        }
    }

    /// At `<!`: a comment, CDATA or DOCTYPE.
    fn bang(&mut self, b: &mut Bytes, start: usize, gathered: bool) -> Result<Tok, Error> {
        self.consume(b, 1);
        let mut side = gathered;
        if gathered {
            b.side.push('!');
        } else if b.at == b.chunk.len() {
            b.side.clear();
            b.side.push_str("<!");
            side = true;
        }
        if !self.fill(b)? {
            return Err(Error::Syntax(SyntaxError::InvalidBangMarkup));
        }
        let mut kind = match b.chunk.as_bytes()[b.at] {
            b'[' => Bang::CData { brackets: 0 },
            b'-' => Bang::Comment { read: 0, dashes: 0 },
            b'D' | b'd' => Bang::DocType(Dtd::Head(0)),
            _ => return Err(Error::Syntax(SyntaxError::InvalidBangMarkup)),
        };
        if !side {
            if let Some(i) = kind.feed(b"<!", &b.chunk.as_bytes()[b.at..]) {
                self.consume(b, i + 1);
                return emit_bang(kind, In::Chunk, start, b.at, &b.chunk[start..b.at]);
            }
            b.side.clear();
            b.side.push_str("<!");
            self.gather_rest(b);
            if !self.fill(b)? {
                return Err(Error::Syntax(kind.to_err()));
            }
        }
        loop {
            if let Some(i) = kind.feed(b.side.as_bytes(), &b.chunk.as_bytes()[b.at..]) {
                self.gather(b, i + 1);
                return emit_bang(kind, In::Side, 0, b.side.len(), &b.side);
            }
            self.gather_rest(b);
            if !self.fill(b)? {
                return Err(Error::Syntax(kind.to_err()));
            }
        }
    }
}

/// The event of a token `<!` to `>`, and the errors quick-xml gives for a malformed one.
fn emit_bang(kind: Bang, within: In, from: usize, to: usize, token: &str) -> Result<Tok, Error> {
    let bytes = token.as_bytes();
    match kind {
        Bang::Comment { .. } if bytes.starts_with(b"<!--") => Ok(Tok::Ignored),
        Bang::CData { .. } if bytes.starts_with(b"<![CDATA[") => {
            Ok(Tok::CData(within, from + 9, to - 3))
        }
        Bang::DocType(Dtd::Finished)
            if bytes.len() >= 9 && bytes[..9].eq_ignore_ascii_case(b"<!DOCTYPE") =>
        {
            if bytes[9..bytes.len() - 1]
                .iter()
                .all(|&b| quick_xml::utils::is_whitespace(b))
            {
                Err(Error::IllFormed(IllFormedError::MissingDoctypeName))
            } else {
                Ok(Tok::Ignored)
            }
        }
        _ => Err(Error::Syntax(kind.to_err())),
    }
}

/// What follows `<!`, and where it ends. Each kind reads the bytes after `<!` one at a
/// time, remembering what it needs of the ones before, so a token split over chunks ends at
/// the same `>` as a whole one.
#[derive(Clone, Copy, Debug)]
enum Bang {
    /// `<![CDATA[ ... ]]>`: the closing brackets seen just before (up to 2).
    CData {
        brackets: u8,
    },
    /// `<!-- ... -->`: the bytes read after `<!`, and the dashes just before (up to 2).
    Comment {
        read: usize,
        dashes: u8,
    },
    DocType(Dtd),
}

impl Bang {
    /// Reads the next bytes after `<!` (`_gathered` holds those read before, from `<!`):
    /// where the `>` ending the markup is in `chunk`, if it is there.
    fn feed(&mut self, _gathered: &[u8], chunk: &[u8]) -> Option<usize> {
        for (i, &c) in chunk.iter().enumerate() {
            match self {
                Self::CData { brackets } => {
                    if c == b'>' && *brackets == 2 {
                        return Some(i);
                    }
                    *brackets = if c == b']' { (*brackets + 1).min(2) } else { 0 };
                }
                Self::Comment { read, dashes } => {
                    // `<!--`, then `-->` after it: the dashes of the two may not overlap, so
                    // the `>` comes four bytes after `<!` at the soonest (`<!---->`).
                    if c == b'>' && *dashes == 2 && *read >= 4 {
                        return Some(i);
                    }
                    *read += 1;
                    *dashes = if c == b'-' { (*dashes + 1).min(2) } else { 0 };
                }
                Self::DocType(dtd) => {
                    if dtd.step(c) {
                        return Some(i);
                    }
                }
            }
        }
        None
    }

    const fn to_err(self) -> SyntaxError {
        match self {
            Self::CData { .. } => SyntaxError::UnclosedCData,
            Self::Comment { .. } => SyntaxError::UnclosedComment,
            Self::DocType(_) => SyntaxError::UnclosedDoctype,
        }
    }
}

/// Where a document type declaration ends (XML 1.0 §2.8): at the first `>` that is not in
/// a quoted literal of its head, nor inside its internal subset `[...]`. In the subset,
/// comments and processing instructions may hold `>` and `]`, and so may the quoted literals
/// of the declarations that have them (`ENTITY`, `ATTLIST`, `NOTATION`); any other markup
/// (`ELEMENT`, or what is not a declaration) ends at its first `>`. Nothing of it is kept:
/// Tally never writes one, and the reader skips it whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dtd {
    /// Before the internal subset; the quote of the literal it is in, or 0.
    Head(u8),
    /// In the internal subset, between declarations.
    Subset,
    /// After `<` in the subset.
    Lt,
    /// After `<!`.
    LtBang,
    /// After `<!-`.
    LtBangDash,
    /// After `<!` and the first `len` bytes of a declaration's keyword.
    Keyword { len: u8, bytes: [u8; 8] },
    /// In a comment: the dashes just read (up to 2).
    Comment(u8),
    /// In a processing instruction: whether a `?` was just read.
    Pi(bool),
    /// In a declaration with quoted literals: the quote of the literal it is in, or 0.
    Quoted(u8),
    /// In any other markup.
    Plain,
    /// After the subset's `]`.
    Tail,
    /// The `>` was read.
    Finished,
}

/// The declarations whose quoted literals may hold `>`.
const QUOTED: [&[u8]; 3] = [b"ENTITY", b"ATTLIST", b"NOTATION"];
/// The declaration without literals.
const PLAIN: &[u8] = b"ELEMENT";

impl Dtd {
    /// Reads one byte; `true` when it is the `>` that ends the declaration.
    fn step(&mut self, c: u8) -> bool {
        *self = match (*self, c) {
            (Self::Head(0) | Self::Tail, b'>') => {
                *self = Self::Finished;
                return true;
            }
            (Self::Head(0), b'"' | b'\'') => Self::Head(c),
            (Self::Head(0), b'[') => Self::Subset,
            (Self::Head(q), _) if q != 0 && c == q => Self::Head(0),
            (Self::Subset, b']') => Self::Tail,
            (Self::Subset, b'<') => Self::Lt,
            (Self::Lt, b'?') => Self::Pi(false),
            (Self::Lt, b'!') => Self::LtBang,
            (Self::LtBang, b'-') => Self::LtBangDash,
            (Self::LtBangDash, b'-') => Self::Comment(0),
            (Self::LtBang, _) => {
                *self = Self::Keyword {
                    len: 0,
                    bytes: [0; 8],
                };
                return self.step(c);
            }
            (Self::Keyword { len, mut bytes }, _) => {
                let len = usize::from(len);
                bytes[len] = c;
                let read = &bytes[..=len];
                if QUOTED.contains(&read) {
                    Self::Quoted(0)
                } else if read == PLAIN {
                    Self::Plain
                } else if QUOTED.iter().chain([&PLAIN]).any(|k| k.starts_with(read)) {
                    // At most 7 bytes: no keyword is longer than 8, and 8 would have matched.
                    Self::Keyword {
                        len: u8::try_from(len + 1).unwrap_or(7),
                        bytes,
                    }
                } else {
                    *self = Self::Plain;
                    return self.step(c);
                }
            }
            // Markup that is no declaration, from this byte on.
            (Self::Lt | Self::LtBangDash, _) => {
                *self = Self::Plain;
                return self.step(c);
            }
            (Self::Comment(2) | Self::Pi(true) | Self::Quoted(0) | Self::Plain, b'>') => {
                Self::Subset
            }
            (Self::Comment(n), b'-') => Self::Comment((n + 1).min(2)),
            (Self::Comment(_), _) => Self::Comment(0),
            (Self::Pi(_), _) => Self::Pi(c == b'?'),
            (Self::Quoted(0), b'"' | b'\'') => Self::Quoted(c),
            (Self::Quoted(q), _) if q != 0 && c == q => Self::Quoted(0),
            (state, _) => state,
        };
        false
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn name_len_is_quick_xmls() {
        for content in [
            "",
            "A",
            "ABC",
            "A B",
            "A\tB",
            "A\rB",
            "A\nB",
            "\u{4}A B",
            "A\u{4}\u{1f} B",
            " A",
            "A\u{0}",
            "LEDGER NAME=\"x\"",
            "\u{fffd}X\u{c}Y\tZ",
        ] {
            assert_eq!(
                super::name_len(content.as_bytes()),
                quick_xml::utils::name_len(content.as_bytes()),
                "{content:?}"
            );
        }
    }
}
