//! What a test sets and reads back: how a simulator is set up, its scenario included
//! (`config`), and the request log and counters (`log`).
//!
//! Both sit low: the shared state holds them, the seeded world and the rules read the settings,
//! so nothing here reaches up to `state`, `rules`, `store` or `http`. The control API that
//! changes and reads them over HTTP (`/__sim/`) is `http::control`, beside the other routes.

pub(crate) mod config;
pub(crate) mod log;
