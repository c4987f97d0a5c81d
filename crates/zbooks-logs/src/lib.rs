//! Reads an integration's logs (zbooks event logs, the audit log, HAR files, free text with
//! Zoho bodies in it), aggregates them and diagnoses what is wrong, with terminal, JSON and
//! HTML renderings.
//!
//! This crate never touches the network.
#![warn(missing_docs)]
