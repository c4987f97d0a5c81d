//! `zbooks logs`.

use clap::Subcommand;

pub mod analyze;

use analyze::LogsAnalyzeArgs;

/// `zbooks logs`.
#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// Find what is wrong in logs: zbooks event logs (--log-file), HAR files, or any
    /// application, proxy or Deluge log with Zoho errors in it (plain or gzip).
    Analyze(LogsAnalyzeArgs),
}
