//! Integration tests of the client against the simulator: one binary, one module per area.
//! Every test starts its own simulator on `127.0.0.1:0`, with short windows so nothing waits on
//! a real minute, and asserts on the simulator's own request log and counters.

#![expect(clippy::unwrap_used, reason = "tests stop at the first failure")]

mod auth;
mod creates;
mod limits;
mod multiprocess;
mod redirects;
mod resources;
mod retries;
mod secrets;
