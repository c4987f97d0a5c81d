//! The simulator as HTTP: the accept loop (`server`), one request read once (`request`), and
//! the three roots it answers: Zoho's accounts server (`accounts`), the Books API (`books`) and
//! the control API under `/__sim/` (`control`).
//!
//! It is the top layer: it reads the shared state (`state`), asks `rules` whether a write is
//! allowed and sends their answers (`rules::reply`) as responses. Nothing below imports it, so
//! a rule or the books can be exercised without a socket. The control API's routes live here,
//! not in `control`, because the server routes to them and they answer with the accounts
//! server's URLs; what they set and read (the scenario, the request log) is in `control`.

pub(crate) mod accounts;
pub(crate) mod books;
pub(crate) mod control;
pub(crate) mod reports;
pub(crate) mod request;
pub(crate) mod server;
