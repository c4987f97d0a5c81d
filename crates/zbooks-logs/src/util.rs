//! Small helpers shared by the readers and the analysis: a fast non-cryptographic hasher for
//! the aggregation maps, sample capture (scrubbed and shortened), and bounded collections.
//!
//! Every line an analysis shows passes through [`sample_text`], which removes secrets with
//! `zbooks_types::scrub` before anything else sees the text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

/// The Fx hash (rustc's): fast on short keys; the maps it serves hold our own aggregation
/// keys, where hash flooding is not a concern worth SipHash's cost.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with the Fx hasher.
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The Fx hash of whole words, a string's last word read where it ends (overlapping the one
/// before) rather than copied out byte by byte: for the lookup-only maps of strings met on
/// every line. Its values differ from [`FxHasher`]'s, so it serves only maps that are never
/// iterated, whose order could otherwise show in a report.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHasher(FxHasher);

#[expect(
    clippy::inline_always,
    reason = "measured: left to itself, `str`'s hashing called this rather than inlining it"
)]
impl Hasher for WordHasher {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        if n >= 8 {
            let mut at = 0;
            while at + 8 <= n {
                self.0.add(word_at(bytes, at));
                at += 8;
            }
            if at < n {
                self.0.add(word_at(bytes, n - 8));
            }
        } else if n > 0 {
            let (lo, hi) = covering_words(bytes);
            self.0.add(lo | hi << 32);
        }
    }

    #[inline(always)]
    fn write_u8(&mut self, i: u8) {
        // `str`'s end mark; the lengths the words above were read at tell strings apart.
        self.0.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0.write_usize(i);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// A `HashMap` with the [`WordHasher`], for lookups only.
pub(crate) type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A string of at most 16 bytes held in two words (its first eight and its last eight, which
/// overlap when it is shorter), with its length: equal exactly when the strings are, and
/// compared without a call. For the few organization ids a log names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ShortId {
    lo: u64,
    hi: u64,
    len: usize,
}

impl ShortId {
    /// `None` for a string longer than 16 bytes.
    #[inline]
    pub(crate) fn of(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let n = b.len();
        if n > 16 {
            return None;
        }
        let (lo, hi) = covering_words(b);
        Some(ShortId { lo, hi, len: n })
    }
}

/// The eight bytes of `b` from `at`, as a little-endian word.
#[inline]
pub(crate) fn word_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// A word with `byte` in each of its bytes.
pub(crate) const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The high bit of each byte of `x` below `n`. The lowest one set marks the first such byte
/// exactly (a borrow only ever flags bytes above one that is below `n`, and a byte with its
/// high bit set is never flagged); those above it may be flagged too many. `n` is 1 for the
/// zero bytes, so `bytes_below(x ^ splat(c), 1)` finds the bytes `c`.
#[inline]
pub(crate) fn bytes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & splat(0x80)
}

/// At most 16 bytes as two words that between them cover every byte: the first and last
/// eight (overlapping when fewer than 16), four, or the first, middle and last byte below
/// four. With the length, equal words are equal bytes.
#[inline]
fn covering_words(b: &[u8]) -> (u64, u64) {
    let n = b.len();
    let half = |at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&b[at..at + 4]);
        u64::from(u32::from_le_bytes(w))
    };
    let byte = |at: usize| u64::from(b[at]);
    match n {
        8.. => (word_at(b, 0), word_at(b, n - 8)),
        4.. => (half(0), half(n - 4)),
        1.. => (byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16, 0),
        0 => (0, 0),
    }
}

/// A 64-bit hash of some bytes (for keys kept only as hashes).
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// Where a line or record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    /// Index into the analyzer's sources.
    pub(crate) source: u32,
    /// Line number from 1 (for a HAR file, the entry number from 1).
    pub(crate) line: u64,
}

/// One line shown as evidence: where it is and its text with secrets removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sample {
    /// `file:line` (`app.log:1204`), or `file#entry` for a HAR entry (`calls.har#17`).
    pub location: String,
    /// The line, scrubbed of secrets and shortened to 400 characters.
    pub text: String,
}

/// How many samples each piece of evidence keeps.
pub(crate) const SAMPLES: usize = 3;

/// The longest sample text kept, in characters.
const SAMPLE_CHARS: usize = 400;

/// Scrubs and shortens a line for display.
pub(crate) fn sample_text(raw: &str) -> String {
    let trimmed = raw.trim_end_matches(['\n', '\r']);
    let scrubbed = zbooks_types::scrub(trimmed);
    shorten(&scrubbed, SAMPLE_CHARS)
}

/// At most `max` characters of `s`, with an ellipsis when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// Pushes a sample when there is room; `make` runs only then.
pub(crate) fn push_sample(samples: &mut Vec<Sample>, make: impl FnOnce() -> Sample) {
    if samples.len() < SAMPLES {
        samples.push(make());
    }
}

#[cfg(test)]
mod tests {
    use std::hash::Hash;

    use super::*;

    #[test]
    fn samples_are_scrubbed_and_short() {
        let s =
            sample_text("Authorization: Zoho-oauthtoken simaccess.abcdef0123456789abcdef.xyz\n");
        assert!(!s.contains("abcdef0123"), "{s}");
        assert_eq!(shorten("héllo", 2), "hé…");
        assert_eq!(shorten("hé", 2), "hé");
        assert_ne!(hash_bytes(b"a"), hash_bytes(b"b"));
    }

    /// Two short ids are equal exactly when their strings are, at every length; the word
    /// hash tells apart what it should and agrees with itself.
    #[test]
    fn short_ids_are_equal_exactly_when_their_strings_are() {
        let words = |s: &str| {
            let mut h = WordHasher::default();
            s.hash(&mut h);
            h.finish()
        };
        let mut seen: Vec<(String, ShortId)> = Vec::new();
        for len in 0..=18usize {
            for variant in 0..len.max(1) {
                // The same bytes but one, changed at each place in turn.
                let mut s: Vec<u8> = (0..len)
                    .map(|i| b'0' + u8::try_from(i % 10).unwrap_or(0))
                    .collect();
                if let Some(b) = s.get_mut(variant) {
                    *b = b'x';
                }
                let s = String::from_utf8(s).unwrap_or_default();
                assert_eq!(ShortId::of(&s).is_some(), len <= 16, "{s}");
                assert_eq!(words(&s), words(&s.clone()));
                if let Some(id) = ShortId::of(&s) {
                    for (other, other_id) in &seen {
                        assert_eq!(id == *other_id, s == *other, "{s} {other}");
                    }
                    seen.push((s, id));
                }
            }
        }
        assert_ne!(words("/books/v3/invoices"), words("/books/v3/invoicez"));
        assert_ne!(words("GET"), words("GEt"));
    }
}
