//! The resilient Zoho Books client. For now it holds [`classify`]: the one pure function that
//! turns an HTTP status and a body into success or a classified failure, from which retries,
//! journal states, exit codes and `zbooks explain` all derive.
//!
//! This crate never prints and never reads environment variables: the CLI does both.
#![warn(missing_docs)]

pub mod classify;

pub use classify::{BodyKind, Failure, Success, SuccessKind, classify};
