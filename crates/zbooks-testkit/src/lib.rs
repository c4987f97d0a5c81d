//! Helpers shared by the test suites of the zbooks crates: starting a simulator per test and
//! the snapshot filters (temporary paths, ports, durations, timestamps) in one place.
//!
//! A dev-dependency only; nothing shipped depends on it.
#![warn(missing_docs)]
