//! The migration engine: readers for Tally XML, CSV and JSON Lines, mapping to Zoho Books
//! payloads, offline validation, the plan, the journaled executor, reconciliation of in-doubt
//! creates, the failed-records export and the reconciliation report.
//!
//! This crate never prints: the CLI renders what it returns.
#![warn(missing_docs)]
