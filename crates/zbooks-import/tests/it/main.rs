//! Integration tests of zbooks-import: the Tally fixtures end to end (read, map,
//! validate, plan, totals), encodings, damaged files, and the readers' properties.

mod concurrency;
mod encodings;
mod executor;
mod fixtures;
mod properties;
mod token_cooldown;

use std::path::PathBuf;

/// A file of the vendored Tally fixtures (`crates/zbooks-import/fixtures/tally/`).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tally/")).join(name)
}

/// The bytes of a fixture.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("read fixture {name}: {e}"))
}
mod loud;
