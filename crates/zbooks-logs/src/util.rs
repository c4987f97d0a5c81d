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
}
