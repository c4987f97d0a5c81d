//! `zbooks quota`: per organization, the calls of the last minute, of today, what is left and
//! when the day is expected to reset — read from the shared store, so it counts every zbooks
//! process on this machine (and only those: other integrations calling the same organization
//! spend the same quota unseen).

use std::fmt::Write as _;
use std::time::Duration;

use clap::Args;
use serde_json::json;
use zbooks_client::store::LimitStore as _;
use zbooks_client::time::rfc3339;
use zbooks_types::explain::thousands;
use zbooks_types::plan::CALLS_PER_MINUTE;
use zbooks_types::{Clock as _, SystemClock};

use crate::commands::auth::human;
use crate::context;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, Settings, Source};
use crate::{CommandResult, exit, render};

/// `zbooks quota`.
#[derive(Debug, Args)]
#[command(after_help = "\
Counts are what zbooks processes on this machine recorded in the shared store; Zoho's own
count also includes other integrations calling the same organization. Zoho does not publish
when the day resets: the time shown is an estimate (a day after the first counted call, or
Zoho's X-Rate-Limit-Reset header when it sends one).

Examples:
  zbooks quota
  zbooks quota --org 60000000001 --format json")]
pub struct QuotaArgs {}

/// Runs `zbooks quota`.
pub fn run(
    _args: &QuotaArgs,
    settings: &Settings,
    _global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    let path = context::store_path(settings);
    // Only an organization named on the command line narrows the list.
    let only = settings
        .organization_id
        .as_ref()
        .filter(|o| matches!(o.source, Source::Flag { .. }))
        .map(|o| o.value.clone());
    let mut rows = Vec::new();
    if path.exists() {
        let store = context::open_store(settings)?;
        let now = SystemClock.now();
        rows = context::runtime()?.block_on(async {
            let mut orgs = store
                .organizations()
                .await
                .map_err(|e| render::store_error("cannot read the store", &e))?;
            if let Some(only) = &only {
                orgs.retain(|o| o == only);
            }
            let mut rows = Vec::new();
            for org in orgs {
                let snapshot = store
                    .snapshot(&org, now)
                    .await
                    .map_err(|e| render::store_error("cannot read the store", &e))?;
                let minute = store
                    .calls_since(&org, now - Duration::from_mins(1))
                    .await
                    .map_err(|e| render::store_error("cannot read the store", &e))?;
                rows.push((org, minute, snapshot));
            }
            Ok::<_, crate::error::CliError>(rows)
        })?;
    }
    let now = SystemClock.now();
    if p.format == OutputFormat::Json {
        let orgs: Vec<_> = rows
            .iter()
            .map(|(org, minute, snap)| {
                let daily = snap.daily;
                json!({
                    "organization_id": org,
                    "calls_this_minute": minute,
                    "per_minute_limit": CALLS_PER_MINUTE,
                    "calls_today": daily.map_or(0, |d| d.used),
                    "daily_limit": daily.map(|d| d.limit),
                    "left_today": daily.map(|d| d.limit.saturating_sub(d.used)),
                    "resets_at": daily.map(|d| rfc3339(d.resets_at)),
                    "resets_at_is_estimate": true,
                    "paused_until": snap.paused_until.map(rfc3339),
                })
            })
            .collect();
        p.json(&json!({
            "store": path,
            "organizations": orgs,
        }));
        return Ok(exit::OK);
    }
    let mut out = String::new();
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "no calls recorded yet{} in {}",
            only.as_deref()
                .map(|o| format!(" for organization {o}"))
                .unwrap_or_default(),
            path.display()
        );
        p.out(&out);
        return Ok(exit::OK);
    }
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "{:<14} {:>11} {:>7} {:>11} {:>7}  {}",
            "organization", "this minute", "today", "daily limit", "left", "day resets (estimated)"
        ))
    );
    for (org, minute, snap) in &rows {
        let (today, limit, left, resets) = match snap.daily {
            Some(d) => (
                thousands(d.used),
                thousands(d.limit),
                thousands(d.limit.saturating_sub(d.used)),
                format!(
                    "{} (in {})",
                    rfc3339(d.resets_at),
                    human(d.resets_at.duration_since(now).unwrap_or_default())
                ),
            ),
            None => (
                "0".to_owned(),
                "-".to_owned(),
                "-".to_owned(),
                "-".to_owned(),
            ),
        };
        let _ = writeln!(
            out,
            "{org:<14} {:>11} {today:>7} {limit:>11} {left:>7}  {resets}",
            format!("{minute}/{CALLS_PER_MINUTE}")
        );
        if let Some(until) = snap.paused_until {
            let _ = writeln!(
                out,
                "{:14} paused after Zoho's per-minute limit (429/44) until {}",
                "",
                rfc3339(until)
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        p.dim("counted by zbooks on this machine; other integrations on the same organization spend the same quota")
    );
    p.out(&out);
    Ok(exit::OK)
}
