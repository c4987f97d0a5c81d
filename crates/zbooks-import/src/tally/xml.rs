//! The tolerant streaming layer under the Tally reader: sniffs the encoding (BOM, BOM-less
//! UTF-16 by its zero bytes, UTF-8, else Windows-1252), transcodes to UTF-8 as it goes,
//! counts lines, and hands out one small element tree per Tally object (`LEDGER`,
//! `VOUCHER`...) found at any depth, so a file export and an HTTP response envelope read alike.
//!
//! It never holds the file: only the object being read, and a few chunks read ahead. Tally's
//! XML is not XML 1.0 (`&#4;` references, raw U+0005), so references are resolved by hand and
//! kept — U+0004 marks a Tally system name (tally-reference.md §7) and must not be deleted.
//!
//! Speed (issue 20; `cargo bench -p zbooks-import --bench tally` against a bare quick-xml
//! pass): reading and transcoding run in a thread of their own, a bounded number of chunks
//! ahead of the parser (each checked as UTF-8 there, once); the tokenizer (`lex.rs`)
//! reads the events in place from those chunks, exactly as quick-xml's buffered reader did
//! (which the tests keep as the reference) without copying each; text of blanks is read past
//! without a round trip; an element's name, text and children are gathered in stacks shared by
//! the whole object, so an empty element costs no allocation and a kept one one per part (its
//! tag is shared with every node of that tag); line breaks are found once per decoded chunk.
//! The decoding thread also reads objects ahead (`run_ahead`): once it has decoded a chunk, a
//! reader of the same kind reads the objects that start past a split of the chunk and end in
//! it, from the state this reader is in between objects; this reader reads the part before
//! the split itself (and moves the split so that neither thread waits for the other) and,
//! when it stands at the `<` of an object read ahead in that state, takes the object as read
//! and skips its bytes. Whatever would make it say more than the object (a stray byte, a
//! syntax error, an end tag that could close an element around the object) sends the object
//! back to be read in order, so what comes out is the same event for event (the tests read
//! every document both ways). Handing objects to another thread did not pay alone (every node
//! is freed by another thread than the one that made it, which glibc's allocator serializes);
//! with the binary's allocator (mimalloc) and half the parse on each core, it does. So did not
//! tokenizing in the reading thread and handing the events over in batches, one per chunk
//! (tried for issue 20: more CPU, no faster).
//!
//! Nothing is lost in silence: a byte that is not valid in the file's encoding is read as
//! U+FFFD; the object it fell in is handed out with a warning naming the byte offset when the
//! byte sat in free text or in a field nothing reads, and named as not imported when it sat in
//! a field read for its meaning (a name, a reference, an amount, a flag) or in the markup.
//! Damage, an undefined entity, a truncated file or a file that is not a Tally export is an
//! error naming the file, the place and the last record read whole.

use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::sync::Arc;

use quick_xml::events::Event;

use super::lex::{self, Bytes, Lexer};
use crate::decode::{Ahead, Chunk, Decoded, Replacement, SPLITS, Speculator};
pub use crate::decode::{Sniffed, sniff};
use crate::location::Location;
use crate::problem::{Problem, ProblemKind};

/// Tally objects the reader hands out, wherever they sit in the file ([`is_object`] is the
/// test the reader makes; a unit test holds the two together).
#[cfg_attr(not(test), expect(dead_code, reason = "the list is_object compiles"))]
const OBJECTS: &[&str] = &[
    "LEDGER",
    "GROUP",
    "STOCKITEM",
    "STOCKGROUP",
    "VOUCHERTYPE",
    "VOUCHER",
    "UNIT",
];

/// Whether a tag is one of [`OBJECTS`] (compiled to a switch on the length).
fn is_object(tag: &str) -> bool {
    matches!(
        tag,
        "LEDGER" | "GROUP" | "STOCKITEM" | "STOCKGROUP" | "VOUCHERTYPE" | "VOUCHER" | "UNIT"
    )
}

/// Whether a tag starts with one of [`SKIPPED`]: its first byte is looked at first.
fn is_skipped(tag: &str) -> bool {
    let first = tag.as_bytes().first();
    SKIPPED
        .iter()
        .any(|s| s.as_bytes().first() == first && tag.starts_with(s))
}

/// Elements inside objects that nothing reads and that make up much of an export's bulk.
const SKIPPED: &[&str] = &["OLDAUDITENTRYIDS.LIST", "UDF:", "IRNQRCODE"];

/// Fields the import reads for their meaning (names, references, keys, amounts, dates,
/// flags): a U+FFFD there changes what the record is, so the record is not imported.
#[cfg_attr(
    not(test),
    expect(dead_code, reason = "the list is_meaningful compiles")
)]
const MEANINGFUL: &[&str] = &[
    "ACTUALQTY",
    "AMOUNT",
    "APPLICABLEFROM",
    "BASEUNITS",
    "BASICDUEDATEOFPYMT",
    "BILLCREDITPERIOD",
    "BILLDATE",
    "BILLEDQTY",
    "BILLTYPE",
    "CGST",
    "CMPGSTSTATE",
    "COUNTRY",
    "COUNTRYNAME",
    "COUNTRYOFRESIDENCE",
    "DATE",
    "DISCOUNT",
    "GSTDUTYHEAD",
    "GSTHSNNAME",
    "GSTIN",
    "GSTRATE",
    "GSTRATEDUTYHEAD",
    "GSTREGISTRATIONTYPE",
    "GSTTYPEOFSUPPLY",
    "GUID",
    "HSNCODE",
    "IGST",
    "INCOMETAXNUMBER",
    "INSTRUMENTNUMBER",
    "ISADVANCE",
    "ISCANCELLED",
    "ISDEEMEDPOSITIVE",
    "ISDELETED",
    "ISOPTIONAL",
    "ISPARTYLEDGER",
    "LEDGERNAME",
    "LEDSTATENAME",
    "NAME",
    "OPENINGBALANCE",
    "PARENT",
    "PARTYGSTIN",
    "PARTYLEDGERNAME",
    "PARTYNAME",
    "PINCODE",
    "PLACEOFSUPPLY",
    "PRIORSTATENAME",
    "RATE",
    "REFERENCE",
    "REMOTEID",
    "RESERVEDNAME",
    "ROUNDINGMETHOD",
    "ROUNDTYPE",
    "SGST",
    "STARTINGFROM",
    "STATE",
    "STATENAME",
    "STOCKITEMNAME",
    "TAXTYPE",
    "TRANSACTIONTYPE",
    "UNIQUEREFERENCENUMBER",
    "UTGST",
    "VCHTYPE",
    "VOUCHERNUMBER",
    "VOUCHERTYPENAME",
];

/// Free-text fields the import reads: with [`MEANINGFUL`] and the list containers, every
/// field the mapper looks at (a unit test reads the mapper's source to hold them together;
/// [`is_read`] compiles the list).
#[cfg_attr(not(test), expect(dead_code, reason = "the list is_read compiles"))]
const FREE_TEXT: &[&str] = &[
    "ADDRESS",
    "BASICUSERDESCRIPTION",
    "DESCRIPTION",
    "EMAIL",
    "LEDGERMOBILE",
    "LEDGERPHONE",
    "MAILINGNAME",
    "NARRATION",
];

/// Whether the import reads this field: a field it does not read is left out of the objects
/// an importing reader builds (see [`XmlObjects::fields_read_only`]).
fn is_read(tag: &str) -> bool {
    is_container(tag)
        || is_meaningful(tag)
        || matches!(
            tag,
            "ADDRESS"
                | "BASICUSERDESCRIPTION"
                | "DESCRIPTION"
                | "EMAIL"
                | "LEDGERMOBILE"
                | "LEDGERPHONE"
                | "MAILINGNAME"
                | "NARRATION"
        )
}

/// Whether a tag is one of [`MEANINGFUL`] (compiled to a switch on the length; a unit test
/// holds the two together).
fn is_meaningful(tag: &str) -> bool {
    matches!(
        tag,
        "ACTUALQTY"
            | "AMOUNT"
            | "APPLICABLEFROM"
            | "BASEUNITS"
            | "BASICDUEDATEOFPYMT"
            | "BILLCREDITPERIOD"
            | "BILLDATE"
            | "BILLEDQTY"
            | "BILLTYPE"
            | "CGST"
            | "CMPGSTSTATE"
            | "COUNTRY"
            | "COUNTRYNAME"
            | "COUNTRYOFRESIDENCE"
            | "DATE"
            | "DISCOUNT"
            | "GSTDUTYHEAD"
            | "GSTHSNNAME"
            | "GSTIN"
            | "GSTRATE"
            | "GSTRATEDUTYHEAD"
            | "GSTREGISTRATIONTYPE"
            | "GSTTYPEOFSUPPLY"
            | "GUID"
            | "HSNCODE"
            | "IGST"
            | "INCOMETAXNUMBER"
            | "INSTRUMENTNUMBER"
            | "ISADVANCE"
            | "ISCANCELLED"
            | "ISDEEMEDPOSITIVE"
            | "ISDELETED"
            | "ISOPTIONAL"
            | "ISPARTYLEDGER"
            | "LEDGERNAME"
            | "LEDSTATENAME"
            | "NAME"
            | "OPENINGBALANCE"
            | "PARENT"
            | "PARTYGSTIN"
            | "PARTYLEDGERNAME"
            | "PARTYNAME"
            | "PINCODE"
            | "PLACEOFSUPPLY"
            | "PRIORSTATENAME"
            | "RATE"
            | "REFERENCE"
            | "REMOTEID"
            | "RESERVEDNAME"
            | "ROUNDINGMETHOD"
            | "ROUNDTYPE"
            | "SGST"
            | "STARTINGFROM"
            | "STATE"
            | "STATENAME"
            | "STOCKITEMNAME"
            | "TAXTYPE"
            | "TRANSACTIONTYPE"
            | "UNIQUEREFERENCENUMBER"
            | "UTGST"
            | "VCHTYPE"
            | "VOUCHERNUMBER"
            | "VOUCHERTYPENAME"
    )
}

/// Whether a tag is a list container (`LEDGERENTRIES.LIST`), whose own text nothing reads.
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "a Tally tag (upper case), not a file name"
)]
fn is_container(tag: &str) -> bool {
    tag.ends_with(".LIST")
}

/// Whether a U+FFFD in this field (element or attribute) leaves the record's meaning whole:
/// free text, or a field nothing reads.
fn is_harmless(field: &str) -> bool {
    is_container(field) || !is_meaningful(field)
}

/// Deeper nesting than this inside one object is treated as broken input.
const MAX_DEPTH: usize = 200;

type Source = Decoded<Box<dyn Read + Send>>;

#[cfg(test)]
thread_local! {
    /// Whether readers made on this thread use quick-xml's reader (the reference the
    /// tokenizer is compared with) rather than the tokenizer.
    static QUICK_XML: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Whether readers made on this thread keep every field even when asked for the fields
    /// the import reads only (the reference that mode is compared with).
    pub(crate) static ALL_FIELDS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Whether readers made on this thread read objects ahead in a second thread (the
    /// reference that is compared with reads them all in order).
    pub(crate) static READ_AHEAD: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    /// Whether objects are read ahead from the start of each chunk rather than from
    /// the split the reader sets (see `SPLITS`): every object of a small document can be.
    pub(crate) static AHEAD_FROM_START: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What the second thread makes of an object it reads ahead (the [`Ahead`] it hands over
/// holds it), from a `<` in a chunk, in the state the reader is in between objects; the
/// reader takes it if it reaches that `<` in that state.
struct ReadAhead {
    node: Node,
    /// End tags met in it that the reader must not hold open around the object (the one
    /// check that hangs on what lies outside it: see [`XmlObjects::close`]).
    ends: Vec<Box<str>>,
}

/// One element of a Tally object: name, attributes, text and children. Whitespace-only
/// text and empty leaves are dropped as they are read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// The tag (shared by the nodes of one reader with the same tag).
    pub name: Arc<str>,
    /// Attributes, decoded.
    pub attrs: Vec<(Box<str>, String)>,
    /// The text, references resolved (`&#4;` becomes U+0004).
    pub text: String,
    /// Child elements, in order.
    pub children: Vec<Node>,
    /// The line of the start tag.
    pub line: u64,
}

impl Node {
    /// The first child with this tag.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| &*c.name == name)
    }

    /// Every child with this tag.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| &*c.name == name)
    }

    /// The trimmed text of the first child with this tag, if not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// The trimmed text of the first child with this tag that is not a Tally system value
    /// (`&#4; Not Applicable`, `&#4; Primary`).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|t| !t.starts_with('\u{4}'))
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// What the object stream yields.
#[derive(Debug)]
pub enum XmlItem {
    /// A complete object.
    Object(Node),
    /// A problem; the stream goes on unless it was the last item.
    Problem(Problem),
}

/// An element open inside the object being built. Its name, text and closed children sit
/// in the reader's shared stacks (`names`, `texts`, `kids`) from the places noted here, so
/// that an element that turns out empty costs no allocation and a kept one exactly one per
/// part.
struct Frame {
    /// The tag: `names[name.0..name.1]`.
    name: (usize, usize),
    attrs: Vec<(Box<str>, String)>,
    /// Where its text starts in `texts` (it runs to the next open frame's start).
    text_start: usize,
    /// Where its closed children start in `kids`.
    children_start: usize,
    line: u64,
    /// Whether its text and, if it holds no element, itself are kept (false for a field
    /// the import does not read, when only those are wanted).
    keep: bool,
}

/// Where the events come from.
enum Reader {
    /// The tokenizer reading the decoded chunks in place ([`super::lex`]).
    Lexer(Lexer<Box<dyn Read + Send>>),
    /// quick-xml's buffered reader, which the tokenizer stands for: the reference the tests
    /// compare it with.
    #[cfg(test)]
    QuickXml(quick_xml::Reader<Source>),
}

/// The streaming reader of Tally objects.
pub struct XmlObjects {
    reader: Reader,
    /// The text the tokenizer's events borrow.
    bytes: Bytes,
    /// The buffer quick-xml's events borrow.
    #[cfg(test)]
    buf: Vec<u8>,
    file: Arc<str>,
    /// Elements open outside any object (the envelope), for truncation messages.
    outer: Vec<(Box<str>, u64)>,
    outer_overflow: u64,
    /// The object being built, root first.
    frames: Vec<Frame>,
    /// The tags of the open elements, end to end.
    names: String,
    /// The text of the open elements, each after its parent's.
    texts: String,
    /// The closed children of the open elements, each element's after its parent's.
    kids: Vec<Node>,
    /// Depth of a skipped subtree inside the current object.
    skipping: usize,
    /// Why the current object cannot be used, if it cannot.
    poisoned: Option<Problem>,
    pending: VecDeque<XmlItem>,
    errors: u32,
    last_error_at: Option<u64>,
    done: bool,
    started: bool,
    encoding: &'static str,
    /// Where the event being handled starts: decoded position, file offset, line.
    event_start: (u64, u64, u64),
    /// Where the object being built starts: decoded position, file offset.
    object_start: (u64, u64),
    /// U+FFFD met where they change nothing but the text (free text, skipped parts, fields
    /// nothing reads) in the object being built, the first field holding one, and the first
    /// field the import reads for its meaning that holds one.
    fffd_harmless: usize,
    fffd_field: Option<Box<str>>,
    fffd_meaningful: Option<Box<str>>,
    /// The first element of the file.
    root: Option<(Box<str>, u64)>,
    /// Objects handed out or named as damaged.
    objects: u64,
    /// The last object read to its end tag: element, label, line.
    last_read: Option<(Arc<str>, Option<String>, u64)>,
    /// The tags of the nodes made so far, each allocated once.
    tags: rustc_hash::FxHashSet<Arc<str>>,
    /// The tags met last, in slots picked by [`tag_slot`]: most tags are found here,
    /// with one comparison and no hashing.
    recent: Box<[Option<Arc<str>>; TAG_SLOTS]>,
    /// An envelope without objects is a normal answer (a month without vouchers).
    empty_ok: bool,
    /// Whether fields the import does not read are left out of the objects.
    fields_read_only: bool,
    /// Whether the threads reading ahead were started (at the first object asked for, once
    /// the reader is set up).
    running: bool,
    /// Whether this reader reads objects ahead for another, from chunks it is handed.
    ahead_of_another: bool,
    /// Reading ahead: the end tags met whose check is left to the reader taking the object.
    ends: Vec<Box<str>>,
    /// Reading ahead: from the start of each chunk (tests), not from the split the reader
    /// sets.
    #[cfg(test)]
    ahead_from_start: bool,
    /// Objects taken as read ahead.
    taken_ahead: u64,
}

/// The slots of [`XmlObjects`]'s cache of recent tags.
const TAG_SLOTS: usize = 256;

/// A tag's slot in the cache of recent tags: from its length and three of its bytes, which
/// tell most of a Tally export's tags apart.
fn tag_slot(tag: &str) -> usize {
    let b = tag.as_bytes();
    let (first, mid, last) = match b {
        [] => (0, 0, 0),
        _ => (b[0], b[b.len() / 2], b[b.len() - 1]),
    };
    (b.len()
        .wrapping_mul(31)
        .wrapping_add(usize::from(first))
        .wrapping_add(usize::from(mid).wrapping_mul(7))
        .wrapping_add(usize::from(last).wrapping_mul(13)))
        % TAG_SLOTS
}

/// The name a person knows an object by: its `NAME` attribute or its voucher number.
fn label_of(node: &Node) -> Option<String> {
    node.attr("NAME")
        .or_else(|| node.get("VOUCHERNUMBER"))
        .map(str::to_owned)
}

fn count_fffd(text: &str) -> usize {
    text.matches('\u{fffd}').count()
}

impl std::fmt::Debug for XmlObjects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlObjects")
            .field("file", &self.file)
            .field("line", &self.line())
            .finish_non_exhaustive()
    }
}

impl XmlObjects {
    /// Reads objects from a byte stream in any supported encoding. `file` names it in
    /// messages. Fails only when the encoding is unsupported or the input is not XML.
    pub fn new(mut input: impl Read + Send + 'static, file: Arc<str>) -> Result<Self, Problem> {
        let mut prefix = Vec::with_capacity(4096);
        (&mut input)
            .take(4096)
            .read_to_end(&mut prefix)
            .map_err(|e| {
                Problem::error(
                    ProblemKind::Encoding,
                    Location::new(file.clone(), 0),
                    format!("cannot read the file: {e}"),
                )
            })?;
        let sniffed = sniff(&prefix).map_err(|m| {
            Problem::error(ProblemKind::Encoding, Location::new(file.clone(), 0), m)
        })?;
        let head = &prefix[sniffed.bom..];
        let (decoded, _) = sniffed
            .encoding
            .decode_without_bom_handling(&head[..head.len().min(256)]);
        let start = decoded.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if !start.is_empty() && !start.starts_with('<') {
            let shown: String = start.chars().take(16).collect();
            return Err(Problem::error(
                ProblemKind::Encoding,
                Location::new(file.clone(), 1),
                format!(
                    "not a Tally XML export: read as {} it starts with {shown:?}; export \
                     from Tally as XML (Data Interchange) in UTF-8, UTF-16 or ASCII",
                    sniffed.encoding.name()
                ),
            ));
        }
        let bom = sniffed.bom as u64;
        let mut head = Cursor::new(prefix);
        head.set_position(bom);
        let rest: Box<dyn Read + Send> = Box::new(head.chain(input));
        // The threads start at the first object asked for (see `run_ahead`).
        let decoded = Decoded::new(rest, sniffed.encoding, bom);
        #[cfg(test)]
        let reader = if QUICK_XML.get() {
            let mut reader = quick_xml::Reader::from_reader(decoded);
            let config = reader.config_mut();
            config.check_end_names = false;
            config.allow_dangling_amp = true;
            config.allow_unmatched_ends = true;
            config.check_comments = false;
            Reader::QuickXml(reader)
        } else {
            Reader::Lexer(Lexer::new(decoded))
        };
        #[cfg(not(test))]
        let reader = Reader::Lexer(Lexer::new(decoded));
        let mut me = XmlObjects::with(reader, file, sniffed.encoding.name());
        me.event_start = (0, bom, 1);
        me.object_start = (0, bom);
        if sniffed.encoding == encoding_rs::WINDOWS_1252 {
            me.pending.push_back(XmlItem::Problem(Problem::warning(
                ProblemKind::Encoding,
                Location::new(me.file.clone(), 0),
                "the file is not UTF-8 or UTF-16; it was read as Windows-1252: check names \
                 with non-ASCII letters",
            )));
        }
        Ok(me)
    }

    fn with(reader: Reader, file: Arc<str>, encoding: &'static str) -> Self {
        XmlObjects {
            reader,
            bytes: Bytes::default(),
            #[cfg(test)]
            buf: Vec::new(),
            file,
            outer: Vec::new(),
            outer_overflow: 0,
            frames: Vec::new(),
            names: String::new(),
            texts: String::new(),
            kids: Vec::new(),
            skipping: 0,
            poisoned: None,
            pending: VecDeque::new(),
            errors: 0,
            last_error_at: None,
            done: false,
            started: false,
            encoding,
            event_start: (0, 0, 1),
            object_start: (0, 0),
            fffd_harmless: 0,
            fffd_field: None,
            fffd_meaningful: None,
            root: None,
            objects: 0,
            last_read: None,
            tags: rustc_hash::FxHashSet::default(),
            recent: Box::new([const { None }; TAG_SLOTS]),
            empty_ok: false,
            fields_read_only: false,
            running: false,
            ahead_of_another: false,
            ends: Vec::new(),
            #[cfg(test)]
            ahead_from_start: false,
            taken_ahead: 0,
        }
    }

    /// Starts reading and decoding in a thread of their own and, for the tokenizer, reading
    /// objects ahead in that thread: a reader of the same kind, handed each chunk decoded,
    /// reads the objects that start past the split and end in it, from the state this reader
    /// is in between objects. This reader takes such an object when it stands at its `<` in
    /// that state (`step`), and reads it itself otherwise (an object across two chunks, or
    /// with a stray byte, a syntax error or anything that would make this reader say more
    /// than the object). On 2 cores the parse runs about 1.4 times as fast (issue 20).
    fn run_ahead(&mut self) {
        self.running = true;
        #[cfg(test)]
        let wanted = READ_AHEAD.get();
        #[cfg(not(test))]
        let wanted = true;
        let speculator = wanted.then(|| {
            let mut other = XmlObjects::with(
                Reader::Lexer(Lexer::new(Decoded::handed())),
                self.file.clone(),
                self.encoding,
            );
            other.fields_read_only = self.fields_read_only;
            other.running = true;
            other.ahead_of_another = true;
            #[cfg(test)]
            {
                other.ahead_from_start = AHEAD_FROM_START.get();
            }
            Box::new(move |chunk: &mut Chunk, split| other.read_ahead(chunk, split)) as Speculator
        });
        match &mut self.reader {
            Reader::Lexer(lexer) => lexer.source_mut().run_ahead(speculator),
            #[cfg(test)]
            Reader::QuickXml(reader) => reader.get_mut().run_ahead(None),
        }
    }

    /// The tokenizer, unless quick-xml's reader stands for it (tests).
    #[cfg_attr(
        not(test),
        expect(
            clippy::unnecessary_wraps,
            reason = "quick-xml's reader is a second variant in tests"
        )
    )]
    fn lexer(&mut self) -> Option<&mut Lexer<Box<dyn Read + Send>>> {
        match &mut self.reader {
            Reader::Lexer(lexer) => Some(lexer),
            #[cfg(test)]
            Reader::QuickXml(_) => None,
        }
    }

    /// Reading ahead for another reader: the objects that start and end in the chunk, but
    /// for those that start in its first `split` sixteenths, which the other reader reads
    /// itself (it moves the split so that neither waits for the other: see `SPLITS`).
    fn read_ahead(&mut self, chunk: &mut Chunk, split: usize) {
        if !chunk.replacements.is_empty() {
            // The other reader must judge the stray bytes in them itself.
            return;
        }
        let Some(lexer) = self.lexer() else { return };
        lexer.source_mut().hand(
            std::mem::take(&mut chunk.breaks_at),
            chunk.start,
            chunk.breaks_before,
        );
        self.bytes.hold(std::mem::take(&mut chunk.bytes));
        let mut from = self.bytes.chunk().len() / SPLITS * split;
        #[cfg(test)]
        if self.ahead_from_start {
            from = 0;
        }
        while let Some(i) = memchr::memchr(b'<', &self.bytes.chunk().as_bytes()[from..]) {
            let at = from + i;
            from = at + 1;
            let tag = &self.bytes.chunk().as_bytes()[from..];
            let name = tag
                .iter()
                .position(|&c| c <= b' ' || c == b'>' || c == b'/')
                .map_or(tag, |n| &tag[..n]);
            if !std::str::from_utf8(name).is_ok_and(is_object) {
                continue;
            }
            // An object that does not end in the chunk is not worth reading.
            let mut end = Vec::with_capacity(name.len() + 3);
            end.extend_from_slice(b"</");
            end.extend_from_slice(name);
            end.push(b'>');
            if memchr::memmem::find(&self.bytes.chunk().as_bytes()[from..], &end).is_none() {
                continue;
            }
            if let Some(ahead) = self.read_one(at) {
                from = at + usize::try_from(ahead.end - ahead.start).unwrap_or(usize::MAX);
                chunk.ahead.push(ahead);
            }
        }
        chunk.bytes = self.bytes.hold(String::new());
        if let Some(lexer) = self.lexer() {
            chunk.breaks_at = lexer.source_mut().hand(Vec::new(), 0, 0);
        }
    }

    /// Reading ahead: the object whose start tag's `<` is at `at` in the chunk held, if it
    /// ends in the chunk and reads as nothing but an object.
    fn read_one(&mut self, at: usize) -> Option<Ahead> {
        let mut bytes = std::mem::take(&mut self.bytes);
        let aimed = self.lexer().map(|l| l.aim(&mut bytes, at)).is_some();
        self.bytes = bytes;
        if !aimed {
            return None;
        }
        self.frames.clear();
        self.names.clear();
        self.texts.clear();
        self.kids.clear();
        self.skipping = 0;
        self.poisoned = None;
        self.pending.clear();
        self.errors = 0;
        self.last_error_at = None;
        self.done = false;
        self.ends.clear();
        let start = self.source().position();
        loop {
            self.step();
            if self.done || !self.pending.is_empty() || self.frames.is_empty() {
                break;
            }
        }
        let clean = !self.done && self.errors == 0 && self.pending.len() == 1;
        match self.pending.pop_front() {
            Some(XmlItem::Object(node)) if clean => Some(Ahead {
                start,
                end: self.source().position(),
                found: Box::new(ReadAhead {
                    node,
                    ends: std::mem::take(&mut self.ends),
                }),
            }),
            _ => {
                self.pending.clear();
                None
            }
        }
    }

    /// Objects taken as read ahead by the second thread (see `run_ahead`).
    #[cfg(test)]
    pub(crate) fn taken_ahead(&self) -> u64 {
        self.taken_ahead
    }

    /// Takes an envelope without any object as a normal answer, not worth a warning (a
    /// live pull's month without vouchers).
    #[must_use]
    pub fn allow_empty(mut self) -> Self {
        self.empty_ok = true;
        self
    }

    /// Leaves out of the objects every field the import does not read (most of an export's
    /// bulk: audit marks, flags, sums Tally keeps for itself), so that what it does not
    /// read costs no node. Stray bytes are found and judged in them all the same, and an
    /// element holding others is kept whatever its name.
    #[must_use]
    pub fn fields_read_only(mut self) -> Self {
        #[cfg(test)]
        if ALL_FIELDS.get() {
            return self;
        }
        self.fields_read_only = true;
        self
    }

    /// The current line (1-based; LF, CRLF and a lone CR each end one).
    pub fn line(&self) -> u64 {
        self.source().line()
    }

    /// The byte offset in the file of what has been read so far.
    pub fn offset(&self) -> u64 {
        self.source().offset()
    }

    /// The decoded stream, consumed to the end of the last event.
    #[inline]
    fn source(&self) -> &Source {
        match &self.reader {
            Reader::Lexer(lexer) => lexer.source(),
            #[cfg(test)]
            Reader::QuickXml(reader) => reader.get_ref(),
        }
    }

    fn source_mut(&mut self) -> &mut Source {
        match &mut self.reader {
            Reader::Lexer(lexer) => lexer.source_mut(),
            #[cfg(test)]
            Reader::QuickXml(reader) => reader.get_mut(),
        }
    }

    /// The last object read to its end, for messages about what follows it.
    fn last_read_text(&self) -> String {
        match &self.last_read {
            Some((name, Some(label), line)) => {
                format!("the last record read whole is <{name}> {label:?} at line {line}")
            }
            Some((name, None, line)) => {
                format!("the last record read whole is the <{name}> at line {line}")
            }
            None => "no record was read whole before it".to_owned(),
        }
    }

    /// Says what became of bytes that were not valid in the encoding outside any object.
    fn outside_replacements(&mut self, found: &[Replacement]) {
        let Some(first) = found.first() else { return };
        let more = match found.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let line = self.line();
        self.pending.push_back(XmlItem::Problem(Problem::warning(
            ProblemKind::Encoding,
            self.location(line).with_offset(first.offset),
            format!(
                "{} at byte {} is not valid {}{more}: read as U+FFFD, outside any record, so no \
                 record is concerned",
                first.shown(),
                first.offset,
                self.encoding
            ),
        )));
    }

    fn location(&self, line: u64) -> Location {
        Location::new(self.file.clone(), line)
    }

    fn syntax(&mut self, message: String) {
        let line = self.line();
        let mut p = Problem::error(
            ProblemKind::Syntax,
            self.location(line).with_offset(self.event_start.1),
            message,
        );
        if let Some(root) = self.frames.first() {
            p.location = p
                .location
                .with_element(Box::<str>::from(&self.names[root.name.0..root.name.1]));
            // One problem per object: what follows the first damage is its echo.
            if self.poisoned.is_none() {
                self.poisoned = Some(p);
            }
            return;
        }
        self.pending.push_back(XmlItem::Problem(p));
    }

    fn open(&mut self, e: &quick_xml::events::BytesStart<'_>, empty: bool) {
        let line = self.line();
        let name = e.name().into_inner();
        if self.root.is_none() {
            self.root = Some((name.into(), line));
        }
        if !self.frames.is_empty() && is_object(name) {
            // Tally objects never nest: the one being built lost its end tag (a stray byte
            // in a tag can do that), and must not swallow the objects that follow.
            let root = self.frame_name(0).to_owned();
            self.syntax(format!(
                "a new <{name}> starts at line {line} before this {root} is closed: the file is \
                 damaged here"
            ));
            self.abandon_object();
        }
        if self.frames.is_empty() {
            if !is_object(name) {
                if !name.is_ascii() {
                    // Tally's tags are ASCII: this one holds a stray byte. If it was an
                    // object's start tag, that object is lost unless it is said.
                    let p = Problem::error(
                        ProblemKind::Encoding,
                        self.location(line)
                            .with_offset(self.event_start.1)
                            .with_element(name),
                        format!(
                            "the element's name has a stray byte (read as {}): if it was a \
                             record (a VOUCHER, a LEDGER...), it is not imported; {}",
                            self.encoding,
                            self.last_read_text()
                        ),
                    );
                    self.pending.push_back(XmlItem::Problem(p));
                }
                if !empty {
                    if self.outer.len() < 64 {
                        self.outer.push((name.into(), line));
                    } else {
                        self.outer_overflow += 1;
                    }
                }
                return;
            }
        } else if self.skipping > 0 || is_skipped(name) {
            // Nothing in a skipped part is imported: a stray byte there loses nothing.
            self.fffd_harmless += count_fffd(e.as_ref());
            if !empty {
                self.skipping += 1;
            }
            return;
        } else if self.frames.len() >= MAX_DEPTH {
            self.syntax(format!(
                "elements nested deeper than {MAX_DEPTH} inside one object"
            ));
            if !empty {
                self.skipping += 1;
            }
            return;
        }
        if self.frames.is_empty() {
            self.object_start = (self.event_start.0, self.event_start.1);
            self.fffd_harmless = 0;
            self.fffd_field = None;
            self.fffd_meaningful = None;
        }
        let mut attrs = Vec::new();
        // No attribute: no iterator to make (quick-xml skips XML whitespace alone).
        let bare = e
            .attributes_raw()
            .bytes()
            .all(quick_xml::utils::is_whitespace);
        for attr in e
            .attributes()
            .with_checks(false)
            .take(if bare { 0 } else { usize::MAX })
        {
            match attr {
                Ok(a) => {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_or_else(
                            |_| a.value.clone().into_owned(),
                            std::borrow::Cow::into_owned,
                        );
                    self.note_fffd(Some(a.key.into_inner()), count_fffd(&value));
                    attrs.push((a.key.into_inner().into(), value));
                }
                Err(err) => {
                    self.syntax(format!("bad attribute in <{name}>: {err}"));
                    break;
                }
            }
        }
        let keep = !self.fields_read_only || self.frames.is_empty() || is_read(name);
        let start = self.names.len();
        self.names.push_str(name);
        self.frames.push(Frame {
            name: (start, self.names.len()),
            attrs,
            text_start: self.texts.len(),
            children_start: self.kids.len(),
            line,
            keep,
        });
        if empty {
            self.close(None);
        }
    }

    /// Ends the object being built where it stands (it is named as damaged).
    fn abandon_object(&mut self) {
        self.skipping = 0;
        while !self.frames.is_empty() {
            self.pop_frame();
        }
    }

    /// Closes the innermost element; `name` is the end tag's name (None for `<x/>`).
    fn close(&mut self, name: Option<&str>) {
        if self.ahead_of_another
            && let Some(name) = name
            && !self.frames.is_empty()
            && self.frame_name(self.frames.len() - 1) != name
            && !self.is_open(name)
            && !self.ends.iter().any(|n| **n == *name)
        {
            // Whether the reader holds this element open around the object is its to check.
            self.ends.push(name.into());
        }
        if let Some(name) = name
            && !self.frames.is_empty()
            // The usual end, of the innermost element, is open: no need to look further.
            && self.frame_name(self.frames.len() - 1) != name
            && self.outer.iter().any(|(n, _)| &**n == name)
            && !self.is_open(name)
        {
            // The end of an element around the object: the object lost its end tag.
            let root = self.frame_name(0).to_owned();
            let line = self.line();
            self.syntax(format!(
                "</{name}> at line {line} ends what holds this {root} before the {root} is \
                 closed: the file is damaged here"
            ));
            self.abandon_object();
        }
        if self.frames.is_empty() {
            if let Some(name) = name {
                // A stray byte in the start tag must not leave the element open to the end
                // of the file (and the file taken for truncated): Tally's tags are ASCII.
                let ascii = |n: &str| n.chars().filter(char::is_ascii).collect::<String>();
                let matches = |n: &str| n == name || (!n.is_ascii() && ascii(n) == ascii(name));
                match self.outer.iter().rposition(|(n, _)| matches(n)) {
                    Some(i) => self.outer.truncate(i),
                    None if self.outer_overflow > 0 => self.outer_overflow -= 1,
                    None => {}
                }
            }
            return;
        }
        if self.skipping > 0 {
            if name.is_some() {
                self.skipping -= 1;
            }
            return;
        }
        if let Some(name) = name {
            let last = self.frames.len() - 1;
            if self.frame_name(last) != name {
                let top = self.frame_name(last).to_owned();
                let opened = self.frames[last].line;
                self.syntax(format!(
                    "</{name}> closes <{top}> opened at line {opened}: the file is damaged here"
                ));
                // Close up to the matching element if it is open; a name open nowhere is
                // taken as a misspelt end of the innermost element.
                if self.is_open(name) {
                    while self.frame_name(self.frames.len() - 1) != name {
                        self.pop_frame();
                    }
                }
            }
        }
        self.pop_frame();
    }

    /// The tag `names[name.0..name.1]`, shared with the nodes made before with it.
    fn intern(&mut self, name: (usize, usize)) -> Arc<str> {
        let tag = &self.names[name.0..name.1];
        let slot = &mut self.recent[tag_slot(tag)];
        if let Some(shared) = slot
            && **shared == *tag
        {
            return Arc::clone(shared);
        }
        let shared = if let Some(shared) = self.tags.get(tag) {
            Arc::clone(shared)
        } else {
            if self.tags.len() >= 4096 {
                // Not a Tally export's vocabulary: keep the memory flat all the same.
                self.tags.clear();
            }
            let shared: Arc<str> = Arc::from(tag);
            self.tags.insert(Arc::clone(&shared));
            shared
        };
        *slot = Some(Arc::clone(&shared));
        shared
    }

    /// The tag of the open element at this depth.
    fn frame_name(&self, depth: usize) -> &str {
        let (start, end) = self.frames[depth].name;
        &self.names[start..end]
    }

    /// Whether an element with this tag is open in the object being built.
    fn is_open(&self, name: &str) -> bool {
        self.frames
            .iter()
            .any(|f| &self.names[f.name.0..f.name.1] == name)
    }

    /// Drops the open elements from this depth down, with what they hold.
    fn truncate_frames(&mut self, depth: usize) {
        if let Some(f) = self.frames.get(depth) {
            self.kids.truncate(f.children_start);
            self.texts.truncate(f.text_start);
            self.names.truncate(f.name.0);
            self.frames.truncate(depth);
        }
    }

    /// The open element at this depth as a node, with what it holds so far (for messages).
    fn open_node(&self, depth: usize) -> Node {
        let f = &self.frames[depth];
        let next = self.frames.get(depth + 1);
        Node {
            name: self.frame_name(depth).into(),
            attrs: f.attrs.clone(),
            text: self.texts[f.text_start..next.map_or(self.texts.len(), |n| n.text_start)]
                .to_owned(),
            children: self.kids
                [f.children_start..next.map_or(self.kids.len(), |n| n.children_start)]
                .to_vec(),
            line: f.line,
        }
    }

    /// Closes the innermost open element: an empty one is dropped, a kept one goes to its
    /// parent, the object's root is handed out.
    fn pop_frame(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let has_children = self.kids.len() > frame.children_start;
        if !frame.keep && !has_children {
            // A field the import does not read: its text was never kept.
            self.names.truncate(frame.name.0);
            return;
        }
        let blank = self.texts[frame.text_start..].trim().is_empty();
        let root = self.frames.is_empty();
        if root || has_children || !frame.attrs.is_empty() || !blank {
            let text = if has_children && blank {
                String::new()
            } else {
                self.texts[frame.text_start..].to_owned()
            };
            let node = Node {
                name: self.intern(frame.name),
                attrs: frame.attrs,
                text,
                children: self.kids.split_off(frame.children_start),
                line: frame.line,
            };
            self.texts.truncate(frame.text_start);
            self.names.truncate(frame.name.0);
            if root {
                self.hand_out(node);
            } else {
                self.kids.push(node);
            }
        } else {
            self.texts.truncate(frame.text_start);
            self.names.truncate(frame.name.0);
        }
    }

    /// Hands out a whole object, or names it as not imported, with whatever stray bytes
    /// fell in it.
    fn hand_out(&mut self, node: Node) {
        let end = self.source().position();
        let found = self.source_mut().take_replacements_before(end);
        let (outside, inside): (Vec<Replacement>, Vec<Replacement>) = found
            .into_iter()
            .partition(|r| r.decoded < self.object_start.0);
        self.outside_replacements(&outside);
        let label = label_of(&node);
        let mut at = Location::new(self.file.clone(), node.line).with_element(node.name.clone());
        if let Some(l) = &label {
            at = at.with_label(l.clone());
        }
        self.objects += 1;
        self.last_read = Some((node.name.clone(), label, node.line));
        let stray = inside.first().map(|r| {
            let more = match inside.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            (
                r.offset,
                format!(
                    "{} at byte {} is not valid {}{more}",
                    r.shown(),
                    r.offset,
                    self.encoding
                ),
            )
        });
        if let Some(mut p) = self.poisoned.take() {
            at.set_offset(p.location.offset());
            p.location = at;
            if let Some((_, stray)) = &stray {
                p.message = format!("{}; {stray}", p.message);
            }
            p.message = format!("{}; this {} is not imported", p.message, node.name);
            self.pending.push_back(XmlItem::Problem(p));
            return;
        }
        let Some((offset, stray)) = stray else {
            self.pending.push_back(XmlItem::Object(node));
            return;
        };
        if self.fffd_meaningful.is_none() && self.fffd_harmless >= inside.len() {
            // Every replacement sits in text nothing reads for its meaning: the byte is the
            // only thing lost, in plain sight.
            let mut p = Problem::warning(
                ProblemKind::Encoding,
                at.with_offset(offset),
                format!(
                    "{stray}: read as U+FFFD (\u{fffd}); the {} is imported with it, check \
                     that text in Zoho",
                    node.name
                ),
            );
            p.field.clone_from(&self.fffd_field);
            self.pending.push_back(XmlItem::Problem(p));
            self.pending.push_back(XmlItem::Object(node));
        } else {
            let message = match self.fffd_meaningful.take() {
                Some(field) => format!(
                    "{stray}, in <{field}>, which the import reads for its meaning (a name, a \
                     reference, an amount, a flag): what this {} holds cannot be told for \
                     certain; it is not imported",
                    node.name
                ),
                None => format!(
                    "{stray} and falls in the markup (a tag or an attribute name): what this \
                     {} holds cannot be told for certain; it is not imported",
                    node.name
                ),
            };
            self.pending.push_back(XmlItem::Problem(Problem::error(
                ProblemKind::Encoding,
                at.with_offset(offset),
                message,
            )));
        }
    }

    /// Counts U+FFFD found in a field of the object being built.
    fn note_fffd(&mut self, field: Option<&str>, found: usize) {
        if found == 0 {
            return;
        }
        match field {
            Some(f) if !is_harmless(f) => {
                if self.fffd_meaningful.is_none() {
                    self.fffd_meaningful = Some(f.into());
                }
            }
            _ => {
                self.fffd_harmless += found;
                if self.fffd_field.is_none() {
                    self.fffd_field = field.map(Into::into);
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.frames.is_empty() {
            return;
        }
        if self.skipping > 0 {
            self.fffd_harmless += count_fffd(text);
            return;
        }
        let found = count_fffd(text);
        if found > 0 {
            let field: Box<str> = self.frame_name(self.frames.len() - 1).into();
            self.note_fffd(Some(&field), found);
        }
        if self.frames.last().is_some_and(|f| f.keep) {
            self.texts.push_str(text);
        }
    }

    fn finish(&mut self) {
        self.done = true;
        let end = self.offset();
        let at = self.line();
        if !self.frames.is_empty() {
            let root = self.open_node(0);
            let name = root.name.clone();
            let line = root.line;
            let label = label_of(&root);
            let mut loc = self
                .location(line)
                .with_element(name.clone())
                .with_offset(end);
            if let Some(l) = label {
                loc = loc.with_label(l);
            }
            let message = format!(
                "the file ends at byte {end} (line {at}) inside this {name}: the file looks \
                 truncated; {}; this {name} is not imported, the records before it are",
                self.last_read_text()
            );
            self.truncate_frames(0);
            self.poisoned = None;
            self.objects += 1;
            self.pending.push_back(XmlItem::Problem(Problem::error(
                ProblemKind::Truncated,
                loc,
                message,
            )));
        } else if let Some((name, line)) = self.outer.first().cloned() {
            let message = format!(
                "the file ends at byte {end} (line {at}) before </{name}> (opened at line \
                 {line}): the file looks truncated; {}, and records after it may be missing",
                self.last_read_text()
            );
            self.pending.push_back(XmlItem::Problem(Problem::error(
                ProblemKind::Truncated,
                self.location(at).with_offset(end),
                message,
            )));
        }
        let rest = self.source_mut().take_replacements();
        self.outside_replacements(&rest);
        if let Some((root, line)) = self.root.clone()
            && self.objects == 0
        {
            if &*root == "ENVELOPE" {
                if !self.empty_ok {
                    self.pending.push_back(XmlItem::Problem(Problem::warning(
                    ProblemKind::Skipped,
                    self.location(line).with_element(root),
                    "the export holds no Tally record (no VOUCHER, LEDGER, GROUP, STOCKITEM...)",
                )));
                }
            } else {
                self.pending.push_back(XmlItem::Problem(Problem::error(
                    ProblemKind::Syntax,
                    self.location(line).with_element(root.clone()),
                    format!(
                        "not a Tally export: the document is a <{root}>, not Tally's \
                         <ENVELOPE>, and holds no Tally record; export from Tally as XML (Data \
                         Interchange), or name the format with --from"
                    ),
                )));
            }
        }
    }

    fn step(&mut self) {
        // The event borrows the buffer, not `self`, so handlers may take `&mut self`.
        let source = self.source();
        self.event_start = (source.position(), source.offset(), source.line());
        let mut bytes = std::mem::take(&mut self.bytes);
        #[cfg(test)]
        let mut buf = std::mem::take(&mut self.buf);
        // Between objects, in the state the objects read ahead were read from.
        let between = self.frames.is_empty()
            && self.skipping == 0
            && self.poisoned.is_none()
            && self.root.is_some()
            && self.outer_overflow == 0
            && !self.ahead_of_another;
        let event = match &mut self.reader {
            Reader::Lexer(lexer) => {
                // Text of blanks changes nothing (`handle` ignores it): read on without the
                // round trip, the next event's start where it starts.
                let tok = loop {
                    if between && lexer.at_markup(&bytes) {
                        let source = lexer.source_mut();
                        if let Some(ahead) = source.ahead_at(source.position())
                            && let Ok(length) = usize::try_from(ahead.end - ahead.start)
                            && length <= bytes.rest()
                            && !source.replaced_within(ahead.start, ahead.end)
                            && let Ok(read) = ahead.found.downcast::<ReadAhead>()
                            && !read
                                .ends
                                .iter()
                                .any(|n| self.outer.iter().any(|(o, _)| o == n))
                        {
                            // What this reader would read from here, event for event, to the
                            // object's last: taken as read.
                            lexer.skip(&mut bytes, length);
                            self.bytes = bytes;
                            #[cfg(test)]
                            {
                                self.buf = buf;
                            }
                            self.object_start = (self.event_start.0, self.event_start.1);
                            self.taken_ahead += 1;
                            self.hand_out(read.node);
                            return;
                        }
                    }
                    let tok = lexer.token(&mut bytes);
                    match &tok {
                        Ok(t) if lex::is_blank(&bytes, t) => {
                            let source = lexer.source();
                            self.event_start = (source.position(), source.offset(), source.line());
                        }
                        _ => break tok,
                    }
                };
                tok.map(|t| lex::event(&bytes, t))
            }
            #[cfg(test)]
            Reader::QuickXml(reader) => {
                buf.clear();
                reader.read_event_into(&mut buf)
            }
        };
        let opens = matches!(event, Ok(Event::Start(_)));
        let depth = self.frames.len();
        self.handle(event);
        if opens && self.frames.len() == depth + 1 {
            self.leaf(&mut bytes);
        }
        self.bytes = bytes;
        #[cfg(test)]
        {
            self.buf = buf;
        }
    }

    /// Just after a start tag: when the chunk holds the rest of the element, plain text and
    /// its end tag, takes both at once, as their two events would (the text kept or, in a
    /// field the import does not read, only its stray bytes counted; the element closed),
    /// without making either.
    fn leaf(&mut self, bytes: &mut Bytes) {
        #[cfg_attr(
            not(test),
            expect(
                clippy::infallible_destructuring_match,
                reason = "quick-xml's reader is a second variant in tests"
            )
        )]
        let lexer = match &mut self.reader {
            Reader::Lexer(lexer) => lexer,
            #[cfg(test)]
            Reader::QuickXml(_) => return,
        };
        let Some(frame) = self.frames.last() else {
            return;
        };
        if self.skipping > 0 {
            return;
        }
        let name = &self.names[frame.name.0..frame.name.1];
        // Kept text must be as the text event gives it: with no line end to normalize.
        let Some(text) = lexer.leaf_rest(bytes, name, frame.keep) else {
            return;
        };
        if !text.bytes().all(|b| b.is_ascii_whitespace()) {
            self.text(text);
        }
        self.pop_frame();
    }

    fn handle(&mut self, event: quick_xml::Result<Event<'_>>) {
        match event {
            Ok(Event::Start(e)) => {
                self.started = true;
                self.open(&e, false);
            }
            Ok(Event::Empty(e)) => {
                self.started = true;
                self.open(&e, true);
            }
            Ok(Event::End(e)) => self.close(Some(e.name().into_inner())),
            Ok(Event::Text(t)) => {
                if self.frames.is_empty() || t.bytes().all(|b| b.is_ascii_whitespace()) {
                    return;
                }
                self.text(&t.xml10_content());
            }
            Ok(Event::CData(t)) => self.text(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                if self.frames.is_empty() {
                    return;
                }
                match r.resolve_char_ref() {
                    Ok(Some(c)) => self.text(c.encode_utf8(&mut [0; 4])),
                    Ok(None) => {
                        if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                            self.text(s);
                        } else {
                            let line = self.event_start.2;
                            self.syntax(format!(
                                "&{}; at line {line} is not an entity XML or Tally defines (only \
                                 &amp; &lt; &gt; &apos; &quot; and &#N; are): the file is damaged \
                                 or was not written by Tally",
                                &*r
                            ));
                            self.text(&format!("&{};", &*r));
                        }
                    }
                    Err(_) => self.text("\u{fffd}"),
                }
            }
            Ok(Event::Eof) => self.finish(),
            Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_)) => {}
            Err(err) => {
                // Where the reader stands: the same place twice means it cannot go on.
                let at = match &self.reader {
                    Reader::Lexer(lexer) => lexer.position(),
                    #[cfg(test)]
                    Reader::QuickXml(reader) => reader.buffer_position(),
                };
                self.errors += 1;
                let message = match &err {
                    quick_xml::Error::Io(e) => format!("cannot read the file: {e}"),
                    other => format!("not readable as XML here: {other}"),
                };
                let stuck = self.last_error_at == Some(at);
                self.last_error_at = Some(at);
                self.syntax(message);
                if stuck || self.errors > 100 || matches!(err, quick_xml::Error::Io(_)) {
                    if self.errors > 100 {
                        let line = self.line();
                        self.pending.push_back(XmlItem::Problem(Problem::error(
                            ProblemKind::Syntax,
                            self.location(line),
                            "more than 100 syntax errors: the rest of the file is not read",
                        )));
                    }
                    // Report the object in progress as lost, then stop.
                    if !self.frames.is_empty() {
                        let p = self.poisoned.take();
                        self.truncate_frames(1);
                        self.poisoned = p;
                        self.skipping = 0;
                        self.pop_frame();
                    }
                    let (line, end) = (self.line(), self.offset());
                    let last = self.last_read_text();
                    self.pending.push_back(XmlItem::Problem(Problem::error(
                        ProblemKind::Syntax,
                        self.location(line).with_offset(end),
                        format!(
                            "reading stopped at byte {end} (line {line}); {last}; nothing after \
                             this point is imported"
                        ),
                    )));
                    self.done = true;
                }
            }
        }
    }
}

impl Iterator for XmlObjects {
    type Item = XmlItem;

    fn next(&mut self) -> Option<XmlItem> {
        if !self.running {
            self.run_ahead();
        }
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            self.step();
            if self.done && !self.started && self.pending.is_empty() {
                let p = Problem::error(
                    ProblemKind::Syntax,
                    self.location(0),
                    "the file is empty or holds no XML element",
                );
                return Some(XmlItem::Problem(p));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(xml: &[u8]) -> Vec<XmlItem> {
        match XmlObjects::new(Cursor::new(xml.to_vec()), Arc::from("t.xml")) {
            Ok(r) => r.collect(),
            Err(p) => vec![XmlItem::Problem(p)],
        }
    }

    #[test]
    fn finds_objects_at_any_depth_and_keeps_system_marks() {
        let xml = b"<ENVELOPE><BODY><DATA><COLLECTION>\r\n<LEDGER NAME=\"A &amp; B\">\r\n <PARENT>&#4; Primary</PARENT><X.LIST>  </X.LIST>\r\n</LEDGER></COLLECTION></DATA></BODY></ENVELOPE>";
        let items = objects(xml);
        assert_eq!(items.len(), 1);
        let XmlItem::Object(n) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(n.attr("NAME"), Some("A & B"));
        assert_eq!(n.get("PARENT"), Some("\u{4} Primary"));
        assert_eq!(n.value("PARENT"), None);
        assert!(n.child("X.LIST").is_none());
        assert_eq!(n.line, 2);
    }

    #[test]
    fn reports_truncation_with_the_open_object() {
        let xml =
            b"<ENVELOPE>\n<VOUCHER><DATE>20240401</DATE>\n<VOUCHERNUMBER>7</VOUCHERNUMBER>\n<AMOU";
        let items = objects(xml);
        let problems: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                XmlItem::Problem(p) => Some(p.to_string()),
                XmlItem::Object(_) => None,
            })
            .collect();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("t.xml:2 (byte 80) <VOUCHER> \"7\"")
                    && p.contains("truncated")
                    && p.contains("no record was read whole")),
            "{problems:?}"
        );
    }

    #[test]
    fn sniffs_encodings() {
        assert_eq!(
            sniff(b"\xff\xfe<\0").unwrap().encoding,
            encoding_rs::UTF_16LE
        );
        assert_eq!(
            sniff(b"\xfe\xff\0<").unwrap().encoding,
            encoding_rs::UTF_16BE
        );
        assert_eq!(sniff(b"<\0E\0N\0").unwrap().encoding, encoding_rs::UTF_16LE);
        assert_eq!(sniff(b"\0<\0E\0N").unwrap().encoding, encoding_rs::UTF_16BE);
        assert_eq!(sniff(b"\xef\xbb\xbf<E").unwrap().bom, 3);
        assert_eq!(
            sniff(b"<E>\xe9</E>").unwrap().encoding,
            encoding_rs::WINDOWS_1252
        );
        assert!(sniff(b"\xff\xfe\0\0<\0\0\0").is_err());
        assert_eq!(
            sniff("<E>₹ caf\u{e9}</E>\u{e9}".as_bytes())
                .unwrap()
                .encoding,
            encoding_rs::UTF_8
        );
        let mut stray = "<E>₹</E>".as_bytes().to_vec();
        stray.push(0xE9);
        assert_eq!(sniff(&stray).unwrap().encoding, encoding_rs::UTF_8);
    }

    #[test]
    fn every_field_the_mapper_reads_is_meaningful_or_free_text() {
        // A field read with no entry in MEANINGFUL would let a stray byte change a record
        // with a mere warning: free text is the only field where that is harmless.
        let mut read = 0;
        for source in [
            include_str!("model.rs"),
            include_str!("map/mod.rs"),
            include_str!("map/documents.rs"),
            include_str!("map/payments.rs"),
            include_str!("map/journals.rs"),
            include_str!("map/masters.rs"),
        ] {
            for call in [
                "get(\"",
                "value(\"",
                "attr(\"",
                "child(\"",
                "all(\"",
                "name_of(node, \"",
                "flag(\"",
            ] {
                for (at, _) in source.match_indices(call) {
                    let rest = &source[at + call.len()..];
                    let tag = &rest[..rest.find('"').unwrap()];
                    if is_container(tag) || tag.is_empty() || tag == "X" {
                        continue;
                    }
                    read += 1;
                    assert!(
                        MEANINGFUL.contains(&tag) || FREE_TEXT.contains(&tag),
                        "{tag} is read by the mapper: add it to MEANINGFUL (or FREE_TEXT)"
                    );
                }
            }
        }
        assert!(read > 40, "{read}");
    }

    /// What both readers make of `xml`, its decoded text cut in chunks of `chunk` bytes:
    /// the tokenizer's and quick-xml's (the reference), as text.
    fn both(xml: &[u8], chunk: usize) -> (String, String) {
        let read = |quick: bool| {
            QUICK_XML.set(quick);
            crate::decode::CHUNK.set(chunk);
            let items = objects(xml);
            QUICK_XML.set(false);
            crate::decode::CHUNK.set(crate::decode::OUT);
            format!("{items:#?}")
        };
        (read(false), read(true))
    }

    fn assert_same(xml: &[u8], chunk: usize) {
        let (lexer, quick) = both(xml, chunk);
        assert!(
            lexer == quick,
            "chunks of {chunk}, input {:?}:\n{}",
            String::from_utf8_lossy(xml),
            first_difference(&lexer, &quick)
        );
    }

    fn first_difference(a: &str, b: &str) -> String {
        for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
            if x != y {
                return format!("line {i}: {x:?} where the reference has {y:?}");
            }
        }
        format!("lengths {} and {}", a.len(), b.len())
    }

    /// Every construct the reader meets or must reject, well formed or not.
    const NASTY: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!DOCTYPE env [ <!ENTITY a \"x>\"> <!-- c > --> <?p ]?> ]>\n<ENVELOPE><!-- a -- comment - > -->\n <HEADER a='1>2' b=\"<x\">T&amp;C &lt;&gt;&apos;&quot; &#4;&#x41;&#0;&#xZZ;&bogus; & &; &&a;</HEADER>\r<BODY>\n  <DATA><COLLECTION>\n<VOUCHER REMOTEID=\"r&#4;1\" VCHTYPE = 'Sales' ><DATE>20240401</DATE><REFERENCE> r1 </REFERENCE><GSTCLASS>\t</GSTCLASS><BASICBUYERNAME>b\r</BASICBUYERNAME><PARTYNAME>p\r\nq </PARTYNAME><NARRATION><![CDATA[a <b> ]] c]]></NARRATION>\n<VOUCHERNUMBER>7\r\n</VOUCHERNUMBER ><X.LIST>  </X.LIST><EMPTY/><E2 A=\"1\"/><AMOUNT>-1.00</AMOUNT></VOUCHERX>\n<ALLLEDGERENTRIES.LIST><LEDGERNAME>caf\u{e9} \u{fffd}</LEDGERNAME><OLDAUDITENTRYIDS.LIST><A>1</A></OLDAUDITENTRYIDS.LIST><UDF:X>\u{fffd}</UDF:X></ALLLEDGERENTRIES.LIST></VOUCHER>\n<LEDGER NAME=\"L\"><PARENT>&#4; Primary</PARENT><LEDGER NAME=\"M\"><PARENT>P</PARENT></LEDGER></COLLECTION>\n<GROUP NAME=\"G\"><PARENT>x</PARENT></  >< >text<!x><?a?><? ?><!-y--></GROUP>\n</DATA></BODY></ENVELOPE>\n<!DOCTYPE><!doctypex><![CDAT[ ]]><!-->-->trailing &amp";

    #[test]
    fn the_tokenizer_reads_as_quick_xml_did_cut_anywhere() {
        let nasty = NASTY.as_bytes();
        for chunk in (4..=nasty.len() + 1).chain([1 << 16]) {
            assert_same(nasty, chunk);
        }
        for cut in 0..nasty.len() {
            assert_same(&nasty[..cut], if cut % 2 == 0 { 7 } else { 1 << 16 });
        }
        // Stray bytes in a UTF-8 file, and the same text in UTF-16 and Windows-1252.
        let mut stray = nasty.to_vec();
        stray.splice(400..400, [0xE9, 0xC3]);
        stray.extend_from_slice(b"\xff");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in NASTY.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let plain = NASTY.replace(['\u{feff}', '\u{fffd}'], "?");
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&plain);
        for chunk in [4, 5, 9, 31, 64, 1 << 16] {
            assert_same(&stray, chunk);
            assert_same(&utf16, chunk);
            assert_same(&latin, chunk);
        }
    }

    #[test]
    fn an_error_that_consumes_nothing_quick_xml_counts_stops_the_reader_alike() {
        // Two errors in a row at the place quick-xml's reader stands stop it: an unknown
        // `<!` markup or a `<` ending the text after a DOCTYPE without a name.
        for xml in [
            &b"<ENVELOPE><!DOCTYPE><!x>after</ENVELOPE>"[..],
            b"<ENVELOPE><!DOCTYPE><!",
            b"<ENVELOPE><!DOCTYPE><",
            b"<ENVELOPE><!x><!y>",
        ] {
            for chunk in [4, 7, 1 << 16] {
                assert_same(xml, chunk);
            }
        }
    }

    /// The tests' random numbers (xorshift) from a seed.
    fn xorshift(mut seed: u64) -> impl FnMut() -> usize {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed >> 33).unwrap()
        }
    }

    /// The nasty document with a few random edits, from the bytes markup is made of.
    fn mutated(next: &mut impl FnMut() -> usize) -> Vec<u8> {
        const BYTES: &[u8] = b"<>&;/!?-[]\"'= \r\nDx#4a\xe9";
        let mut xml = NASTY.as_bytes().to_vec();
        for _ in 0..=next() % 6 {
            let at = next() % xml.len();
            let byte = BYTES[next() % BYTES.len()];
            match next() % 3 {
                0 => xml[at] = byte,
                1 => xml.insert(at, byte),
                _ => {
                    xml.remove(at);
                }
            }
        }
        xml
    }

    #[test]
    fn the_tokenizer_reads_mutated_input_as_quick_xml_did() {
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        for i in 0..1500 {
            let xml = mutated(&mut next);
            let chunk = [4, 6, 13, 40, 1 << 16][next() % 5];
            assert_same(&xml, chunk);
            if i % 5 == 0 {
                assert_imports_alike(&xml, chunk);
            }
        }
    }

    #[test]
    fn the_tokenizer_reads_the_fixtures_as_quick_xml_did() {
        for fixture in [
            &include_bytes!("../../fixtures/tally/sample-company.xml")[..],
            &include_bytes!("../../fixtures/tally/real-daybook-tallyprime.xml")[..],
        ] {
            for chunk in [1000, 4093, 1 << 16] {
                assert_same(fixture, chunk);
            }
        }
    }

    #[test]
    fn the_object_and_skipped_tests_follow_their_lists() {
        for tag in OBJECTS
            .iter()
            .chain(SKIPPED)
            .chain(MEANINGFUL)
            .copied()
            .chain([
                "",
                "U",
                "UDF",
                "UDF:X",
                "LEDGERS",
                "VOUCHER.LIST",
                "IRNQRCODES",
                "OLDAUDITENTRYIDS",
            ])
        {
            assert_eq!(is_object(tag), OBJECTS.contains(&tag), "{tag}");
            assert_eq!(
                is_skipped(tag),
                SKIPPED.iter().any(|s| tag.starts_with(s)),
                "{tag}"
            );
        }
    }

    #[test]
    fn the_field_tests_follow_their_lists() {
        for tag in MEANINGFUL
            .iter()
            .chain(FREE_TEXT)
            .chain(SKIPPED)
            .chain(OBJECTS)
            .copied()
            .chain([
                "ALTERID",
                "GUIDX",
                "AMOUNTS",
                "",
                "NAME.LISTX",
                "MASTERID",
                "X.LIST",
            ])
        {
            assert_eq!(is_meaningful(tag), MEANINGFUL.contains(&tag), "{tag}");
            assert_eq!(
                is_read(tag),
                is_container(tag) || MEANINGFUL.contains(&tag) || FREE_TEXT.contains(&tag),
                "{tag}"
            );
        }
    }

    /// What the importing reader makes of `xml`, every record and problem, as text: with the
    /// fields it does not read left out, or (`all`) with every field kept.
    fn imported(xml: &[u8], all: bool, chunk: usize) -> String {
        ALL_FIELDS.set(all);
        crate::decode::CHUNK.set(chunk);
        let parsed = crate::tally::parse_tally_bytes(xml);
        ALL_FIELDS.set(false);
        crate::decode::CHUNK.set(crate::decode::OUT);
        format!("{:#?}\n{}", parsed.records, parsed.report)
    }

    fn assert_imports_alike(xml: &[u8], chunk: usize) {
        let (some, all) = (imported(xml, false, chunk), imported(xml, true, chunk));
        assert!(
            some == all,
            "input {:?}:\n{}",
            String::from_utf8_lossy(&xml[..xml.len().min(2000)]),
            first_difference(&some, &all)
        );
    }

    #[test]
    fn leaving_out_unread_fields_changes_no_record_and_no_problem() {
        for fixture in [
            &include_bytes!("../../fixtures/tally/sample-company.xml")[..],
            &include_bytes!("../../fixtures/tally/real-daybook-tallyprime.xml")[..],
            &include_bytes!("../../fixtures/demo-company.xml")[..],
        ] {
            assert_imports_alike(fixture, 1 << 16);
            // A stray byte in a field nothing reads is still a warning, and one in a field
            // the import reads still loses its record, with the fields left out.
            let text = String::from_utf8_lossy(fixture);
            for field in [
                "<ALTERID>",
                "<NARRATION>",
                "<AMOUNT>",
                "<MASTERID>",
                "<NAME>",
            ] {
                // Six places spread over the file, in objects and around them.
                let places: Vec<usize> = text.match_indices(field).map(|(at, _)| at).collect();
                for at in places.iter().step_by(places.len().div_ceil(6).max(1)) {
                    let mut stray = fixture.to_vec();
                    stray.insert(at + field.len(), 0xE9);
                    assert_imports_alike(&stray, 4093);
                }
            }
        }
        assert_imports_alike(NASTY.as_bytes(), 1 << 16);
        // A U+FFFD written in a field nothing reads (taken whole, text and end tag at once)
        // counts as a stray byte's would: the stray byte after it, in another such field,
        // is a warning naming the first.
        let mut voucher = "<ENVELOPE><BODY><DATA><COLLECTION>\n<VOUCHER VCHTYPE=\"Sales\">\
            <DATE>20240502</DATE><VOUCHERTYPENAME>Sales</VOUCHERTYPENAME>\
            <VOUCHERNUMBER>S-1</VOUCHERNUMBER><PARTYLEDGERNAME>Ramesh</PARTYLEDGERNAME>\
            <ALTERID>\u{fffd}1</ALTERID><MASTERID>2"
            .as_bytes()
            .to_vec();
        voucher.push(0xE9);
        voucher.extend_from_slice(
            b"</MASTERID><ALLLEDGERENTRIES.LIST><LEDGERNAME>Ramesh</LEDGERNAME>\
            <AMOUNT>-100.00</AMOUNT></ALLLEDGERENTRIES.LIST><ALLLEDGERENTRIES.LIST>\
            <LEDGERNAME>Sales</LEDGERNAME><AMOUNT>100.00</AMOUNT></ALLLEDGERENTRIES.LIST>\
            </VOUCHER>\n</COLLECTION></DATA></BODY></ENVELOPE>",
        );
        let imported = imported(&voucher, false, 1 << 16);
        assert!(imported.contains("field ALTERID"), "{imported}");
        assert_imports_alike(&voucher, 1 << 16);
    }

    /// What the reader makes of `xml` cut in chunks of `chunk` bytes, reading objects ahead
    /// (from the start of each chunk) or not, and how many it took as read ahead; with the
    /// fields the import reads only, or every field.
    fn ahead_or_not(xml: &[u8], chunk: usize, ahead: bool, read_only: bool) -> (String, u64) {
        READ_AHEAD.set(ahead);
        AHEAD_FROM_START.set(true);
        crate::decode::CHUNK.set(chunk);
        let (items, taken) = match XmlObjects::new(Cursor::new(xml.to_vec()), Arc::from("t.xml")) {
            Ok(mut objects) => {
                if read_only {
                    objects = objects.fields_read_only();
                }
                let items: Vec<XmlItem> = objects.by_ref().collect();
                (items, objects.taken_ahead())
            }
            Err(p) => (vec![XmlItem::Problem(p)], 0),
        };
        READ_AHEAD.set(true);
        AHEAD_FROM_START.set(false);
        crate::decode::CHUNK.set(crate::decode::OUT);
        (format!("{items:#?}"), taken)
    }

    /// Reads `xml` both ways and holds them to the same items; the objects taken as read ahead.
    fn assert_ahead_alike(xml: &[u8], chunk: usize, read_only: bool) -> u64 {
        let (ahead, taken) = ahead_or_not(xml, chunk, true, read_only);
        let (in_order, none) = ahead_or_not(xml, chunk, false, read_only);
        assert_eq!(none, 0);
        assert!(
            ahead == in_order,
            "chunks of {chunk}, input {:?}:\n{}",
            String::from_utf8_lossy(&xml[..xml.len().min(2000)]),
            first_difference(&ahead, &in_order)
        );
        taken
    }

    #[test]
    fn objects_read_ahead_by_a_second_thread_read_as_in_order() {
        let daybook = &include_bytes!("../../fixtures/tally/real-daybook-tallyprime.xml")[..];
        // The Day Book's vouchers repeated past several chunks.
        let text = String::from_utf8_lossy(daybook);
        let (head, rest) = text.split_at(text.find("<TALLYMESSAGE").unwrap());
        let (body, tail) = rest.split_at(rest.rfind("</REQUESTDATA>").unwrap());
        let long = format!("{head}{}{tail}", body.repeat(6));
        let mut taken = 0;
        for xml in [
            &include_bytes!("../../fixtures/tally/sample-company.xml")[..],
            daybook,
            long.as_bytes(),
            NASTY.as_bytes(),
        ] {
            for chunk in [4093, 1 << 16, crate::decode::OUT] {
                for read_only in [false, true] {
                    taken += assert_ahead_alike(xml, chunk, read_only);
                }
            }
        }
        assert!(taken > 1000, "{taken} objects taken as read ahead");

        // An end tag in a skipped part that closes an element around the voucher: the
        // reader names the voucher as damaged (the second thread cannot know what is open
        // around it, and leaves that check to the reader).
        let closes_outside = b"<ENVELOPE><TALLYMESSAGE><VOUCHER><UDF:X><A></TALLYMESSAGE>\
            </UDF:X><DATE>1</DATE></VOUCHER></TALLYMESSAGE><TALLYMESSAGE><VOUCHER><DATE>2</DATE>\
            </VOUCHER></TALLYMESSAGE></ENVELOPE>";
        assert_eq!(assert_ahead_alike(closes_outside, 1 << 16, false), 1);
        let (items, _) = ahead_or_not(closes_outside, 1 << 16, true, false);
        assert!(items.contains("ends what holds this VOUCHER"), "{items}");

        // Stray bytes past the first 4 KiB (the file is still read as UTF-8): the objects
        // they fall in are read in order.
        // In a voucher's narration (free text: imported with a warning) and its number (read
        // for its meaning: not imported).
        let mut stray = long.clone().into_bytes();
        for field in ["<NARRATION>", "<VOUCHERNUMBER>"] {
            for (at, _) in long.match_indices(field).skip(3).step_by(4) {
                stray[at + field.len() + 1] = 0xE9;
            }
        }
        for read_only in [false, true] {
            let (items, _) = ahead_or_not(&stray, 1 << 16, true, read_only);
            assert!(items.matches("0xE9 at byte").count() >= 10, "{items}");
            assert_ahead_alike(&stray, 1 << 16, read_only);
        }

        // And the mutated documents, whole in one chunk.
        let mut next = xorshift(0x2545_F491_4F6C_DD1D);
        for _ in 0..400 {
            let xml = mutated(&mut next);
            assert_ahead_alike(&xml, 1 << 16, next().is_multiple_of(2));
        }
    }

    #[test]
    fn an_import_reads_alike_with_objects_read_ahead_or_not() {
        let daybook = &include_bytes!("../../fixtures/tally/real-daybook-tallyprime.xml")[..];
        for xml in [
            &include_bytes!("../../fixtures/tally/sample-company.xml")[..],
            daybook,
        ] {
            let import = |ahead: bool| {
                READ_AHEAD.set(ahead);
                AHEAD_FROM_START.set(true);
                let parsed = crate::tally::parse_tally_bytes(xml);
                READ_AHEAD.set(true);
                AHEAD_FROM_START.set(false);
                format!("{:#?}\n{}", parsed.records, parsed.report)
            };
            let (ahead, in_order) = (import(true), import(false));
            assert!(ahead == in_order, "{}", first_difference(&ahead, &in_order));
        }
    }

    #[test]
    fn rejects_what_is_not_xml() {
        let items = objects(b"Date,Amount\n2024-01-01,5\n");
        let XmlItem::Problem(p) = &items[0] else {
            panic!()
        };
        assert!(p.message.contains("not a Tally XML export"), "{p}");
    }
}
