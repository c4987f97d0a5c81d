//! Integration tests of the simulator: one binary, one module per area. Each test starts its
//! own simulator on `127.0.0.1:0`; nothing touches the network beyond loopback.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test, with its location"
)]
#![expect(
    clippy::type_complexity,
    reason = "tables of Zoho operation names read best as plain tuples"
)]
mod accounts;
mod balances;
mod books;
mod connections;
mod errors;
mod faults;
mod generated;
mod limits;
mod lists;
mod objects;
mod openapi;
mod openapi_examples;
mod opening;
mod readme;
mod reports;
mod rules;
mod state;
mod support;
mod third_party;
mod validation;
