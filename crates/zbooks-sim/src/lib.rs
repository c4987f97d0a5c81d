//! A Zoho Books simulator that behaves like the real one, limits and faults included, so every
//! zbooks promise can be tested without a Zoho account.
//!
//! It must never depend on `zbooks-client`: a client bug mirrored here would pass its tests.
#![warn(missing_docs)]
