//! `zbooks config show`: every resolved setting and where it came from, secrets masked.

use std::fmt::Write as _;

use clap::Subcommand;
use serde_json::json;

use crate::printer::{OutputFormat, Printer};
use crate::settings::Settings;
use crate::{CommandResult, exit};

/// The version of `config show --format json`.
const SCHEMA: u32 = 1;

/// `zbooks config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print every resolved setting with its source (flag, environment, config file or
    /// default); secrets are masked.
    Show,
}

/// Runs `zbooks config show`.
pub fn show(settings: &Settings, p: Printer) -> CommandResult {
    // The login `auth login` kept is a source too (below flags, environment and file).
    let with_login = crate::context::settings_with_login(settings)?;
    let settings = &with_login;
    let rows = settings.rows();
    if p.format == OutputFormat::Json {
        let values: Vec<_> = rows
            .iter()
            .map(|(k, v, s)| json!({ "key": k, "value": v, "source": s }))
            .collect();
        p.json(&json!({
            "schema": SCHEMA,
            "profile": settings.profile.value,
            "profile_exists": settings.profile_exists,
            "values": values,
            "warnings": settings.warnings,
        }));
        return Ok(exit::OK);
    }
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let value_width = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    let mut out = String::new();
    for (key, value, source) in &rows {
        let _ = writeln!(
            out,
            "{key:<width$}  {value:<value_width$}  {}",
            p.dim(source)
        );
    }
    p.out(&out);
    Ok(exit::OK)
}
