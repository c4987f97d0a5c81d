//! The byte layer under the readers: decodes an input in a known encoding to UTF-8 as it
//! streams, and keeps the place — the line (LF, CRLF and a lone CR each end one) and the
//! byte offset in the file as it is on disk — of whatever the reader above has consumed.
//!
//! A byte sequence that is not valid in the encoding (a stray Windows-1252 byte in a UTF-8
//! export) is never dropped in silence and never stops the stream: it becomes U+FFFD and is
//! recorded as a [`Replacement`] with its offset in the file, for the reader to decide whether
//! the record it fell in can still be imported (and say so) or must be named as unread. It
//! must not hold more than its buffers (a few 256 KiB chunks when a thread decodes ahead of the
//! parser) and the replacements not yet taken.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::sync::{Arc, Mutex};

use encoding_rs::{Decoder, DecoderResult, Encoding};

const RAW: usize = 1 << 16;
pub(crate) const OUT: usize = 1 << 18;
const FFFD: [u8; 3] = [0xEF, 0xBF, 0xBD];

#[cfg(test)]
thread_local! {
    /// The size of the decoded chunks of the streams made on this thread (at least 4): tests
    /// make it small, to cut the text everywhere.
    pub(crate) static CHUNK: std::cell::Cell<usize> = const { std::cell::Cell::new(OUT) };
}

/// The size of a decoded chunk.
fn chunk_size() -> usize {
    #[cfg(test)]
    return CHUNK.get().max(4);
    #[cfg(not(test))]
    OUT
}

/// A byte sequence that was not valid in the input's encoding, now U+FFFD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Replacement {
    /// Where the U+FFFD sits in the decoded stream.
    pub(crate) decoded: u64,
    /// Where the bad bytes start in the file.
    pub(crate) offset: u64,
    /// The bad bytes (those still at hand when they were met).
    pub(crate) bytes: Vec<u8>,
}

impl Replacement {
    /// The bad bytes as people read them: `0xE9`, `0xC3 0x28`.
    pub(crate) fn shown(&self) -> String {
        if self.bytes.is_empty() {
            return "a byte".to_owned();
        }
        let hex: Vec<String> = self.bytes.iter().map(|b| format!("0x{b:02X}")).collect();
        hex.join(" ")
    }
}

/// How many bytes of the input one UTF-8 sequence stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Width {
    Utf8,
    Utf16,
    Single,
}

impl Width {
    fn of(encoding: &'static Encoding) -> Width {
        if encoding == encoding_rs::UTF_8 {
            Width::Utf8
        } else if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
            Width::Utf16
        } else {
            Width::Single
        }
    }

    /// The bytes a U+FFFD would take in the file.
    fn fffd(self) -> i64 {
        match self {
            Width::Utf8 => 3,
            Width::Utf16 => 2,
            Width::Single => 1,
        }
    }
}

/// A piece of the decoded stream, with what was found in it as it was decoded.
pub(crate) struct Chunk {
    /// The text (checked as UTF-8 once, by whoever decoded it).
    pub(crate) bytes: String,
    /// Where its line breaks sit (a CRLF at its CR).
    pub(crate) breaks_at: Vec<u32>,
    pub(crate) replacements: Vec<Replacement>,
    /// Width corrections of its replacements (see [`Decoded`]'s `corrections`).
    corrections: Vec<(u64, i64)>,
    /// Whether it ends the stream.
    last: bool,
    /// Where its first byte sits in the decoded stream.
    pub(crate) start: u64,
    /// The line breaks of the stream before it.
    pub(crate) breaks_before: u64,
    /// Objects read ahead in it by a thread beside the reader (see [`Speculator`]).
    pub(crate) ahead: Vec<Ahead>,
}

/// Something read ahead in a chunk by a [`Speculator`], from one decoded position to another,
/// for the reader above to take when it reaches it (the Tally reader's objects).
pub(crate) struct Ahead {
    /// Where it starts in the decoded stream.
    pub(crate) start: u64,
    /// Where it ends.
    pub(crate) end: u64,
    /// What the speculator made of it.
    pub(crate) found: Box<dyn std::any::Any + Send>,
}

/// Work done on each chunk, in order, by the decoding thread once it is decoded: the Tally
/// reader's objects read ahead ([`Ahead`]), which the reader takes when it reaches them in
/// the state they were read in, and reads itself otherwise. It is told how much of the chunk
/// to leave to the reader: the part before `chunk.len() * split / SPLITS`.
pub(crate) type Speculator = Box<dyn FnMut(&mut Chunk, usize) + Send>;

/// The unit of the split of a chunk between the reader and the decoding thread's
/// speculator, which the reader moves by one each chunk towards where neither waits for the
/// other: towards the start when the next chunk is ready as it asks for it (the reader is
/// the slower), towards the end when it must wait for it.
pub(crate) const SPLITS: usize = 16;

/// The decoding half: reads the input and turns it into UTF-8 chunks.
struct Producer<R> {
    input: R,
    decoder: Decoder,
    width: Width,
    raw: Box<[u8]>,
    raw_start: usize,
    raw_end: usize,
    eof: bool,
    finished: bool,
    /// Input bytes handed to the decoder, counted from the start of the file.
    fed: u64,
    /// Decoded bytes produced.
    produced: u64,
    /// Whether the last byte decoded is a CR (an LF after it ends no other line).
    after_cr: bool,
    /// Line breaks found so far.
    breaks: u64,
    /// The size of a chunk.
    out_size: usize,
}

impl<R: Read> Producer<R> {
    /// The next chunk: never empty unless it is the last.
    fn next_chunk(&mut self, spare: Option<String>) -> io::Result<Chunk> {
        let mut out = spare.map(String::into_bytes).unwrap_or_default();
        out.clear();
        out.resize(self.out_size + FFFD.len(), 0);
        let mut len = 0;
        let mut replacements = Vec::new();
        let mut corrections = Vec::new();
        let start = self.produced;
        while len == 0 && !self.finished {
            if self.raw_start == self.raw_end && !self.eof {
                let n = loop {
                    match self.input.read(&mut self.raw) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.raw_start = 0;
                self.raw_end = n;
                self.eof = n == 0;
            }
            let last = self.eof;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_start..self.raw_end],
                &mut out[..self.out_size],
                last,
            );
            let chunk_start = self.raw_start;
            self.raw_start += read;
            self.fed += read as u64;
            len = written;
            match result {
                DecoderResult::InputEmpty => self.finished = last,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, extra) => {
                    let (bad, extra) = (usize::from(bad), usize::from(extra));
                    let end = (chunk_start + read).saturating_sub(extra);
                    // The bytes of an earlier read are gone; show what is still here.
                    let begin = end.saturating_sub(bad);
                    let decoded = self.produced + written as u64;
                    replacements.push(Replacement {
                        decoded,
                        offset: self.fed.saturating_sub((extra + bad) as u64),
                        bytes: self.raw[begin..end].to_vec(),
                    });
                    let delta = i64::try_from(bad).unwrap_or(0) - self.width.fffd();
                    if delta != 0 {
                        corrections.push((decoded, delta));
                    }
                    out[written..written + FFFD.len()].copy_from_slice(&FFFD);
                    len += FFFD.len();
                }
            }
            self.produced += len as u64;
        }
        out.truncate(len);
        let mut breaks_at = Vec::new();
        self.after_cr = find_breaks(&out, self.after_cr, &mut breaks_at);
        let breaks_before = self.breaks;
        self.breaks += breaks_at.len() as u64;
        // The decoder writes whole UTF-8 sequences only; checked here, in the decoding
        // thread when there is one, so that the parser can slice the text without checking.
        let bytes =
            String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(Chunk {
            bytes,
            breaks_at,
            replacements,
            corrections,
            last: self.finished,
            start,
            breaks_before,
            ahead: Vec::new(),
        })
    }
}

/// Where the chunks come from.
enum Source<R> {
    /// Decoded on demand, in the reader's thread.
    Inline(Producer<R>),
    /// Decoded ahead by a thread of their own, which takes the chunks back to decode into
    /// them again (rather than one thread allocating what the other frees); with the split
    /// of the chunks between the reader and the speculator, if there is one.
    Thread(
        Receiver<io::Result<Chunk>>,
        SyncSender<String>,
        Option<Arc<AtomicUsize>>,
    ),
    /// The decoding thread failed or stopped: the kind of error and what it said.
    Failed(io::ErrorKind, String),
}

/// Chunks decoded ahead by the decoding thread, at most (256 KiB each): enough for it to run
/// in bursts when the machine is busy rather than wake for every chunk.
const AHEAD: usize = 8;

/// Chunks with their objects read ahead waiting for the reader, at most: their objects take
/// more memory than their text.
const SPECULATED: usize = 8;

/// A decoding [`BufRead`] that knows its place in the file.
pub(crate) struct Decoded<R> {
    source: Source<R>,
    encoding: &'static Encoding,
    width: Width,
    finished: bool,
    /// The chunk being consumed (unless a reader holds it: see [`Decoded::load`]).
    out: String,
    out_start: usize,
    /// Decoded bytes consumed by the reader above.
    consumed: u64,
    /// The file offset matching `consumed`.
    offset: u64,
    /// Line breaks in the decoded chunks before the one in `out`.
    breaks: u64,
    /// Where the line breaks of the chunk in `out` sit (a CRLF at its CR), found once as
    /// it is decoded, so that the reader above may ask for the line at every event.
    breaks_at: Vec<u32>,
    /// How many of `breaks_at` have been consumed.
    breaks_consumed: usize,
    /// Width corrections of replacements not yet consumed: (decoded position, bytes in the
    /// file minus bytes a real U+FFFD takes there).
    corrections: VecDeque<(u64, i64)>,
    replacements: VecDeque<Replacement>,
    /// Objects read ahead in the chunk being consumed, in order.
    ahead: VecDeque<Ahead>,
}

impl<R> std::fmt::Debug for Decoded<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoded")
            .field("encoding", &self.encoding.name())
            .field("offset", &self.offset)
            .field("line", &self.line())
            .finish_non_exhaustive()
    }
}

impl<R: Read> Decoded<R> {
    /// Decodes `input`, whose first byte sits at `start` in the file (after a byte-order
    /// mark already skipped), as the reader above asks for more.
    pub(crate) fn new(input: R, encoding: &'static Encoding, start: u64) -> Self {
        let width = Width::of(encoding);
        let producer = Producer {
            input,
            decoder: encoding.new_decoder_without_bom_handling(),
            width,
            raw: vec![0; RAW].into_boxed_slice(),
            raw_start: 0,
            raw_end: 0,
            eof: false,
            finished: false,
            fed: start,
            produced: 0,
            after_cr: false,
            breaks: 0,
            out_size: chunk_size(),
        };
        Decoded {
            source: Source::Inline(producer),
            encoding,
            width,
            finished: false,
            offset: start,
            ..Decoded::handed()
        }
    }
}

impl<R: Read + Send + 'static> Decoded<R> {
    /// Like [`Decoded::new`], but reading and decoding run ahead in a thread of their own
    /// (a few chunks at most), beside the parser; what the reader above sees is the same.
    /// Decodes in the caller's thread if no thread can be started.
    #[cfg(test)]
    pub(crate) fn threaded(input: R, encoding: &'static Encoding, start: u64) -> Self {
        let mut me = Decoded::new(input, encoding, start);
        me.run_ahead(None);
        me
    }

    /// From here on, reads and decodes in a thread of its own, a few chunks ahead of the
    /// reader, and, given a speculator, runs it in that thread on each chunk decoded (one
    /// thread beside the reader keeps 2 cores busy without a third to schedule). What the
    /// reader above sees is the same, with the objects read ahead besides. Stays as it is if
    /// no thread can be started.
    pub(crate) fn run_ahead(&mut self, speculator: Option<Speculator>) {
        let Source::Inline(producer) = std::mem::replace(
            &mut self.source,
            Source::Failed(io::ErrorKind::Other, String::new()),
        ) else {
            return;
        };
        let slot = Arc::new(Mutex::new(Some(producer)));
        let theirs = Arc::clone(&slot);
        let (tx, rx) = sync_channel(if speculator.is_some() {
            SPECULATED
        } else {
            AHEAD
        });
        let (back, spares) = sync_channel::<String>(AHEAD + 2);
        let mut speculator = speculator;
        let split = speculator
            .is_some()
            .then(|| Arc::new(AtomicUsize::new(SPLITS / 2)));
        let ours = split.clone();
        let spawned = std::thread::Builder::new()
            .name("zbooks-decode".to_owned())
            .spawn(move || {
                let taken = theirs.lock().ok().and_then(|mut p| p.take());
                let Some(mut producer) = taken else { return };
                loop {
                    let mut chunk = producer.next_chunk(spares.try_recv().ok());
                    if let (Ok(c), Some(speculate), Some(split)) =
                        (&mut chunk, speculator.as_mut(), split.as_ref())
                    {
                        speculate(c, split.load(Ordering::Relaxed));
                    }
                    let stop = chunk.as_ref().map_or(true, |c| c.last);
                    // A closed channel: the reader was dropped; nothing more to do.
                    if tx.send(chunk).is_err() || stop {
                        break;
                    }
                }
            })
            .map(|_| rx);
        self.source = match spawned {
            Ok(rx) => Source::Thread(rx, back, ours),
            Err(_) => match slot.lock().ok().and_then(|mut p| p.take()) {
                Some(producer) => Source::Inline(producer),
                None => Source::Failed(io::ErrorKind::Other, "no decoding thread".to_owned()),
            },
        };
    }
}

impl<R> Decoded<R> {
    /// The 1-based line of the next byte to be consumed.
    pub(crate) fn line(&self) -> u64 {
        self.breaks + self.breaks_consumed as u64 + 1
    }

    /// The offset in the file of the next byte to be consumed.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// Decoded bytes consumed so far: the position [`Replacement::decoded`] counts in.
    pub(crate) fn position(&self) -> u64 {
        self.consumed
    }

    /// Takes the replacements decoded before `decoded`.
    pub(crate) fn take_replacements_before(&mut self, decoded: u64) -> Vec<Replacement> {
        let mut out = Vec::new();
        while self
            .replacements
            .front()
            .is_some_and(|r| r.decoded < decoded)
        {
            out.extend(self.replacements.pop_front());
        }
        out
    }

    /// Takes every replacement made so far.
    pub(crate) fn take_replacements(&mut self) -> Vec<Replacement> {
        self.replacements.drain(..).collect()
    }

    /// Whether a replacement was made between these decoded positions.
    pub(crate) fn replaced_within(&self, from: u64, to: u64) -> bool {
        self.replacements
            .iter()
            .any(|r| (from..to).contains(&r.decoded))
    }

    /// The object read ahead from this decoded position, if one was (those read ahead
    /// before it are dropped: the reader did not stand where they were read).
    pub(crate) fn ahead_at(&mut self, position: u64) -> Option<Ahead> {
        while self.ahead.front().is_some_and(|a| a.start < position) {
            self.ahead.pop_front();
        }
        if self.ahead.front()?.start == position {
            return self.ahead.pop_front();
        }
        None
    }

    /// A stream with nothing to decode, for a reader that is handed its chunks (see
    /// [`Decoded::aim`]).
    pub(crate) fn handed() -> Self {
        Decoded {
            source: Source::Failed(io::ErrorKind::Other, String::new()),
            encoding: encoding_rs::UTF_8,
            width: Width::Utf8,
            finished: true,
            out: String::new(),
            out_start: 0,
            consumed: 0,
            offset: 0,
            breaks: 0,
            breaks_at: Vec::new(),
            breaks_consumed: 0,
            corrections: VecDeque::new(),
            replacements: VecDeque::new(),
            ahead: VecDeque::new(),
        }
    }

    /// For a handed stream: the line breaks of the chunk handed to the reader, which start
    /// at `start` in the stream after `breaks_before` breaks; returns those of the chunk
    /// before.
    pub(crate) fn hand(&mut self, breaks_at: Vec<u32>, start: u64, breaks_before: u64) -> Vec<u32> {
        self.breaks = breaks_before;
        self.consumed = start;
        self.out_start = 0;
        self.breaks_consumed = 0;
        std::mem::replace(&mut self.breaks_at, breaks_at)
    }

    /// For a handed stream: places it at byte `at` of the chunk handed. Offsets in the
    /// file are not kept (the chunk is taken as UTF-8 text).
    pub(crate) fn aim(&mut self, at: usize) {
        let start = self.consumed - self.out_start as u64;
        self.consumed = start + at as u64;
        self.offset = self.consumed;
        self.out_start = at;
        self.breaks_consumed = self.breaks_at.partition_point(|&b| (b as usize) < at);
    }

    fn width_of(&self, bytes: &[u8]) -> u64 {
        match self.width {
            Width::Utf8 => bytes.len() as u64,
            Width::Utf16 => bytes
                .iter()
                .map(|b| match b {
                    0x80..=0xBF => 0,
                    0xF0..=0xFF => 4,
                    _ => 2,
                })
                .sum(),
            Width::Single => bytes.iter().filter(|b| !(0x80..=0xBF).contains(*b)).count() as u64,
        }
    }
}

impl<R: Read> Decoded<R> {
    /// Takes the next chunk (the one in `out` is consumed).
    #[inline(never)]
    fn decode_more(&mut self) -> io::Result<()> {
        if let Source::Thread(_, back, _) = &self.source
            && self.out.capacity() > 0
        {
            // Full or gone: the buffer is simply dropped.
            let _ = back.try_send(std::mem::take(&mut self.out));
        }
        let chunk = match &mut self.source {
            Source::Inline(producer) => producer.next_chunk(Some(std::mem::take(&mut self.out)))?,
            Source::Thread(rx, _, split) => match next_of(rx, split.as_deref()) {
                Ok(Ok(chunk)) => chunk,
                Ok(Err(e)) => {
                    self.source = Source::Failed(e.kind(), e.to_string());
                    return Err(e);
                }
                Err(()) => {
                    let message = "the decoding thread stopped".to_owned();
                    self.source = Source::Failed(io::ErrorKind::Other, message.clone());
                    return Err(io::Error::other(message));
                }
            },
            Source::Failed(kind, message) => return Err(io::Error::new(*kind, message.clone())),
        };
        self.breaks += self.breaks_at.len() as u64;
        self.breaks_consumed = 0;
        self.breaks_at = chunk.breaks_at;
        // What was read ahead in the chunk before lies behind the reader now.
        self.ahead.clear();
        self.ahead.extend(chunk.ahead);
        self.replacements.extend(chunk.replacements);
        self.corrections.extend(chunk.corrections);
        self.finished = chunk.last;
        self.out = chunk.bytes;
        self.out_start = 0;
        Ok(())
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Decoded<R> {
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.out_start == self.out.len() && !self.finished {
            self.decode_more()?;
        }
        Ok(&self.out.as_bytes()[self.out_start..])
    }

    #[inline]
    fn consume(&mut self, amount: usize) {
        let out = std::mem::take(&mut self.out);
        self.consume_in(out.as_bytes(), amount);
        self.out = out;
    }
}

impl<R: Read> Decoded<R> {
    /// For a reader that parses the chunks in place: hands it the next chunk in `chunk` (the
    /// one it held must be consumed whole). False, with `chunk` left empty, at the end.
    pub(crate) fn load(&mut self, chunk: &mut String) -> io::Result<bool> {
        chunk.clear();
        if self.finished {
            return Ok(false);
        }
        self.decode_more()?;
        std::mem::swap(chunk, &mut self.out);
        self.out.clear();
        Ok(true)
    }

    /// Whether the last chunk has been handed out.
    pub(crate) fn finished(&self) -> bool {
        self.finished
    }
}

impl<R> Decoded<R> {
    /// Consumes `amount` bytes of `chunk`, the chunk being consumed (held by the reader
    /// above, or `out`), from where the last call left off.
    #[inline]
    pub(crate) fn consume_in(&mut self, chunk: &[u8], amount: usize) {
        let amount = amount.min(chunk.len() - self.out_start);
        let end = self.out_start + amount;
        while self
            .breaks_at
            .get(self.breaks_consumed)
            .is_some_and(|&at| (at as usize) < end)
        {
            self.breaks_consumed += 1;
        }
        self.offset += match self.width {
            Width::Utf8 => amount as u64,
            _ => self.width_of(&chunk[self.out_start..end]),
        };
        self.consumed += amount as u64;
        while let Some(&(at, delta)) = self.corrections.front() {
            if at >= self.consumed {
                break;
            }
            self.offset = self.offset.saturating_add_signed(delta);
            self.corrections.pop_front();
        }
        self.out_start = end;
    }
}

/// The next chunk from the decoding thread, moving the split of the chunks (see [`SPLITS`]).
fn next_of<T>(rx: &Receiver<T>, split: Option<&AtomicUsize>) -> Result<T, ()> {
    let Some(split) = split else {
        return rx.recv().map_err(|_| ());
    };
    let step = |up: bool| {
        let _ = split.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |s| {
            if up {
                (s < SPLITS - 2).then_some(s + 1)
            } else {
                (s > 2).then(|| s - 1)
            }
        });
    };
    match rx.try_recv() {
        Ok(chunk) => {
            step(false);
            Ok(chunk)
        }
        Err(TryRecvError::Empty) => {
            step(true);
            rx.recv().map_err(|_| ())
        }
        Err(TryRecvError::Disconnected) => Err(()),
    }
}

/// Finds where the line breaks in `bytes` sit (LF, CRLF at its CR, a lone CR), given
/// whether the byte before them was a CR; says whether their last byte is a CR.
fn find_breaks(bytes: &[u8], after_cr: bool, at: &mut Vec<u32>) -> bool {
    at.clear();
    let Some(&last) = bytes.last() else {
        return after_cr;
    };
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let follows_cr = if i == 0 {
            after_cr
        } else {
            bytes[i - 1] == b'\r'
        };
        if bytes[i] == b'\r' || !follows_cr {
            at.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }
    last == b'\r'
}

/// How an input was decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Bytes of byte-order mark skipped.
    pub bom: usize,
    /// Whether the encoding was guessed without a BOM.
    pub guessed: bool,
}

/// Finds the encoding of a file from its first bytes (tally-reference.md §7; CSV files are sniffed the same way): a BOM, else
/// zero bytes in the 2nd and 4th places (UTF-16LE) or 1st and 3rd (UTF-16BE), else UTF-8 if
/// the bytes are valid UTF-8, else Windows-1252.
pub fn sniff(prefix: &[u8]) -> Result<Sniffed, String> {
    let found = |encoding, bom, guessed| {
        Ok(Sniffed {
            encoding,
            bom,
            guessed,
        })
    };
    if prefix.starts_with(&[0, 0, 0xFE, 0xFF]) || prefix.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Err(
            "the file is UTF-32, which Tally does not write; export it again as UTF-8 or UTF-16"
                .to_owned(),
        );
    }
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return found(encoding_rs::UTF_16LE, 2, false);
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return found(encoding_rs::UTF_16BE, 2, false);
    }
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return found(encoding_rs::UTF_8, 3, false);
    }
    let sample = &prefix[..prefix.len().min(512)];
    let pairs = sample.len() / 2;
    if pairs >= 2 {
        let odd_zeros = sample
            .chunks_exact(2)
            .filter(|p| p[1] == 0 && p[0] != 0)
            .count();
        let even_zeros = sample
            .chunks_exact(2)
            .filter(|p| p[0] == 0 && p[1] != 0)
            .count();
        if odd_zeros * 2 > pairs {
            return found(encoding_rs::UTF_16LE, 0, true);
        }
        if even_zeros * 2 > pairs {
            return found(encoding_rs::UTF_16BE, 0, true);
        }
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => found(encoding_rs::UTF_8, 0, false),
        Err(e) if e.error_len().is_none() => found(encoding_rs::UTF_8, 0, false),
        // Letters that are valid UTF-8 beside bytes that are not: a UTF-8 file with a stray
        // byte (Windows-1252 text almost never forms a valid multi-byte sequence), read as
        // UTF-8 so the stray byte is named and the rest is not garbled.
        Err(_) if prefix.utf8_chunks().any(|c| !c.valid().is_ascii()) => {
            found(encoding_rs::UTF_8, 0, true)
        }
        Err(_) => found(encoding_rs::WINDOWS_1252, 0, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(d: &mut Decoded<&[u8]>) -> Vec<u8> {
        let mut out = Vec::new();
        d.read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn replaces_a_stray_byte_and_names_its_offset() {
        let input: &[u8] = b"<A>caf\xE9 ok</A>\n<B>\xC3\xA9</B>";
        let mut d = Decoded::new(input, encoding_rs::UTF_8, 0);
        let text = String::from_utf8(drain(&mut d)).unwrap();
        assert_eq!(text, "<A>caf\u{fffd} ok</A>\n<B>é</B>");
        let r = d.take_replacements();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].offset, r[0].shown().as_str()), (6, "0xE9"));
        assert_eq!(r[0].decoded, 6);
        // The offset counts file bytes, not decoded ones: one bad byte stood for 3.
        assert_eq!(d.offset(), input.len() as u64);
    }

    #[test]
    fn counts_lf_crlf_and_cr_alike() {
        for nl in ["\n", "\r\n", "\r"] {
            let text = format!("a{nl}b{nl}{nl}c");
            let mut d = Decoded::new(text.as_bytes(), encoding_rs::UTF_8, 0);
            drain(&mut d);
            assert_eq!(d.line(), 4, "{nl:?}");
        }
    }

    #[test]
    fn counts_breaks_split_anywhere() {
        let text = b"a\r\nb\n\rc\r\r\n\nd\n";
        let mut at = Vec::new();
        for cut in 0..=text.len() {
            let cr = find_breaks(&text[..cut], false, &mut at);
            let first = at.len();
            find_breaks(&text[cut..], cr, &mut at);
            assert_eq!(first + at.len(), 7, "cut at {cut}");
        }
        assert!(!find_breaks(b"\nx\n", true, &mut at));
        assert_eq!(at, [2]);
        assert!(find_breaks(b"", true, &mut at));
        let mut d = Decoded::new(&text[..], encoding_rs::UTF_8, 0);
        let mut lines = Vec::new();
        while !d.fill_buf().unwrap().is_empty() {
            d.consume(1);
            lines.push(d.line());
        }
        assert_eq!(lines, [1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 7, 7, 8]);
    }

    #[test]
    fn decoding_ahead_in_a_thread_reads_alike() {
        let mut text = Vec::new();
        for i in 0..40_000 {
            text.extend_from_slice(format!("<A n=\"{i}\">caf").as_bytes());
            text.push(if i % 997 == 0 { 0xE9 } else { b'e' });
            text.extend_from_slice(if i % 3 == 0 { b"</A>\r\n" } else { b"</A>\r" });
        }
        let mut utf16 = vec![0xFF, 0xFE];
        for u in String::from_utf8_lossy(&text).encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        utf16.extend_from_slice(&[0x00, 0xD8, b'<', 0]);
        for (bytes, encoding, start) in [
            (text, encoding_rs::UTF_8, 0),
            (utf16, encoding_rs::UTF_16LE, 2),
        ] {
            let input = bytes[usize::try_from(start).unwrap()..].to_vec();
            let mut inline = Decoded::new(&input[..], encoding, start);
            let mut ahead = Decoded::threaded(std::io::Cursor::new(input.clone()), encoding, start);
            let mut step = 1;
            loop {
                let a = inline.fill_buf().unwrap().to_vec();
                let b = ahead.fill_buf().unwrap().to_vec();
                assert_eq!(a, b);
                if a.is_empty() {
                    break;
                }
                let n = a.len().min(step % 977 + 1);
                inline.consume(n);
                ahead.consume(n);
                step += 7;
                assert_eq!(
                    (inline.line(), inline.offset(), inline.position()),
                    (ahead.line(), ahead.offset(), ahead.position())
                );
                let at = inline.position();
                assert_eq!(
                    inline.take_replacements_before(at),
                    ahead.take_replacements_before(at)
                );
            }
            assert_eq!(inline.take_replacements(), ahead.take_replacements());
            assert_eq!(ahead.offset(), start + input.len() as u64);
        }
    }

    #[test]
    fn counts_file_offsets_of_utf16() {
        let mut bytes = Vec::new();
        for u in "a€\u{1F600}b".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let mut d = Decoded::new(&bytes[..], encoding_rs::UTF_16LE, 2);
        drain(&mut d);
        assert_eq!(d.offset(), 2 + bytes.len() as u64);
    }
}
