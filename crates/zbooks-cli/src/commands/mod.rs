//! One module per command.

pub mod alert;
pub mod auth;
pub mod call;
pub mod completions;
pub mod config;
pub mod deluge;
pub mod demo;
pub mod doctor;
pub mod explain;
pub mod gateway;
pub mod import;
pub mod logs;
pub mod quota;
pub mod sim;
pub mod tally_sim;
pub mod tieout;
pub mod webhooks;
pub mod worker;
