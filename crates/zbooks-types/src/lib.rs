//! The shared vocabulary of zbooks: Zoho's data centers and plans, the resource table (every
//! Books entity's path, keys, order and scope), the error catalog (every code Zoho Books and
//! its accounts server answer with, what it means, whether a retry helps and how to fix it),
//! failure classes, the clock, secret types and the log-event schema.
//!
//! Everything here is plain data and pure functions: no I/O and no async runtime, so every
//! other crate (the simulator included) can depend on it without depending on each other.
#![warn(missing_docs)]

pub mod catalog;
pub mod class;
pub mod clock;
pub mod csv;
pub mod dc;
pub mod event;
pub mod explain;
pub mod plan;
pub mod reports;
pub mod resource;
pub mod scan;
pub mod secret;

pub use class::{FailureClass, Retry, Sent};
pub use clock::{Clock, ManualClock, SystemClock};
pub use dc::{DataCenter, ParseDataCenterError};
pub use plan::{Limits, Plan};
pub use resource::Entity;
pub use secret::{Secret, scrub};
