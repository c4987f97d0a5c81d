//! The resilient Zoho Books client (being written); for now, [`classify`]: the one pure
//! function that turns an HTTP status and a body into success or a classified failure.
#![warn(missing_docs)]

pub mod classify;
