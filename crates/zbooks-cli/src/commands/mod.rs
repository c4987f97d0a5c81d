//! One module per command.

pub mod explain;
