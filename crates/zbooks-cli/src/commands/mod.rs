//! One module per command.

pub mod config;
pub mod explain;
pub mod logs;
pub mod sim;
