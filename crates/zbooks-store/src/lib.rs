//! SQLite implementations of the stores that `zbooks-client` defines as traits: the token
//! cache, per-organization pacing state and the daily call ledger, shared safely by every
//! zbooks process on one machine; also the import journal and the audit log.
//!
//! This crate never performs HTTP: it only persists what the client and importer decide.
#![warn(missing_docs)]
