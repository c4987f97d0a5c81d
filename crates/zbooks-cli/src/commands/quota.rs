//! `zbooks quota`: per organization, the calls of the last minute, of today, what is left and
//! when the day is expected to reset — read from the shared store, so it counts every zbooks
//! process on this machine (and only those: other integrations calling the same organization
//! spend the same quota unseen).
//!
//! With a shared state (`ZBOOKS_STATE=redis://…`) it reads the organization's budget shared by
//! every machine instead, and who is using it: each process that called, named `<command> on
//! <host> pid <pid>`, with its calls of the last minute and of today, its calls in flight and
//! its last call (issue 16).

use std::fmt::Write as _;
use std::time::Duration;

use clap::Args;
use serde_json::json;
use zbooks_client::store::{LimitStore as _, LimitsSnapshot, Participant};
use zbooks_client::time::rfc3339;
use zbooks_redis::{RedisOptions, RedisStore};
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
count also includes other integrations calling the same organization. With a shared state
(ZBOOKS_STATE=redis://…) the counts are every machine's, and a table shows who is using the
budget. Zoho does not publish when the day resets: the time shown is an estimate (a day after
the first counted call, or Zoho's X-Rate-Limit-Reset header when it sends one).

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
    if let Some(state) = &settings.state {
        return shared(&state.value, only.as_deref(), p);
    }
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
                    "in_flight": null,
                    "participants": null,
                })
            })
            .collect();
        p.json(&json!({
            "store": path,
            "shared": false,
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

/// One organization's shared budget: its snapshot, calls in flight and participants.
struct SharedOrg {
    org: String,
    snapshot: LimitsSnapshot,
    in_flight: u32,
    participants: Vec<Participant>,
}

/// `zbooks quota` over a shared state: the organization's budget as every machine spends it,
/// and who spends it.
fn shared(url: &str, only: Option<&str>, p: Printer) -> CommandResult {
    let shown = crate::settings::redact_url(url);
    let cannot = |e: &dyn std::fmt::Display| {
        let mut err =
            crate::error::CliError::usage(format!("cannot read the shared state {shown}"));
        err.causes.push(e.to_string());
        err.with_hint(
            "check that Redis answers there (redis-cli -u URL ping), or unset ZBOOKS_STATE",
        )
    };
    let (now, rows) = context::runtime()?.block_on(async {
        let options = RedisOptions::from_url(url.trim()).map_err(|e| cannot(&e))?;
        let store = RedisStore::open(&options).map_err(|e| cannot(&e))?;
        // The store's clock: the one every machine's calls were counted on.
        let now = store
            .server_time()
            .await
            .map_err(|e| cannot(&e))?
            .unwrap_or_else(|| SystemClock.now());
        let mut orgs = store.organizations().await.map_err(|e| cannot(&e))?;
        if let Some(only) = only {
            orgs.retain(|o| o == only);
        }
        let mut rows = Vec::new();
        for org in orgs {
            rows.push(SharedOrg {
                snapshot: store.snapshot(&org, now).await.map_err(|e| cannot(&e))?,
                in_flight: store.in_flight(&org, now).await.map_err(|e| cannot(&e))?,
                participants: store
                    .participants(&org, now)
                    .await
                    .map_err(|e| cannot(&e))?,
                org,
            });
        }
        Ok::<_, crate::error::CliError>((now, rows))
    })?;
    let minute =
        |row: &SharedOrg| -> u32 { row.participants.iter().map(|w| w.calls_last_minute).sum() };
    if p.format == OutputFormat::Json {
        let orgs: Vec<_> = rows
            .iter()
            .map(|row| {
                let daily = row.snapshot.daily;
                let who: Vec<_> = row
                    .participants
                    .iter()
                    .map(|w| {
                        json!({
                            "name": w.name,
                            "calls_last_minute": w.calls_last_minute,
                            "calls_today": w.calls_today,
                            "in_flight": w.in_flight,
                            "last_call": rfc3339(w.last_call),
                        })
                    })
                    .collect();
                json!({
                    "organization_id": row.org,
                    "calls_this_minute": minute(row),
                    "per_minute_limit": CALLS_PER_MINUTE,
                    "calls_today": daily.map_or(0, |d| d.used),
                    "daily_limit": daily.map(|d| d.limit),
                    "left_today": daily.map(|d| d.limit.saturating_sub(d.used)),
                    "resets_at": daily.map(|d| rfc3339(d.resets_at)),
                    "resets_at_is_estimate": true,
                    "paused_until": row.snapshot.paused_until.map(rfc3339),
                    "in_flight": row.in_flight,
                    "participants": who,
                })
            })
            .collect();
        p.json(&json!({
            "store": shown,
            "shared": true,
            "organizations": orgs,
        }));
        return Ok(exit::OK);
    }
    let mut out = String::new();
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "no calls recorded yet{} in the shared state {shown}",
            only.map(|o| format!(" for organization {o}"))
                .unwrap_or_default(),
        );
        p.out(&out);
        return Ok(exit::OK);
    }
    for row in &rows {
        let _ = writeln!(
            out,
            "{}",
            p.bold(&format!(
                "organization {} (shared by every machine on {shown})",
                row.org
            ))
        );
        match row.snapshot.daily {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "  today      {} of {} ({} left; the day resets at {}, in {}, estimated)",
                    thousands(d.used),
                    thousands(d.limit),
                    thousands(d.limit.saturating_sub(d.used)),
                    rfc3339(d.resets_at),
                    human(d.resets_at.duration_since(now).unwrap_or_default())
                );
            }
            None => {
                let _ = writeln!(out, "  today      0");
            }
        }
        let _ = writeln!(out, "  this minute {}/{CALLS_PER_MINUTE}", minute(row));
        let _ = writeln!(out, "  in flight  {}", row.in_flight);
        match row.snapshot.paused_until {
            Some(until) => {
                let _ = writeln!(
                    out,
                    "  paused     after Zoho's per-minute limit (429/44) until {}",
                    rfc3339(until)
                );
            }
            None => {
                let _ = writeln!(out, "  paused     no");
            }
        }
        if row.participants.is_empty() {
            let _ = writeln!(out, "  nobody is counted by name yet");
            continue;
        }
        let width = row
            .participants
            .iter()
            .map(|w| w.name.chars().count())
            .max()
            .unwrap_or(0)
            .max("who".len());
        let _ = writeln!(
            out,
            "  {}",
            p.bold(&format!(
                "{:<width$}  {:>11}  {:>7}  {:>9}  {}",
                "who", "last minute", "today", "in flight", "last call"
            ))
        );
        for w in &row.participants {
            let _ = writeln!(
                out,
                "  {:<width$}  {:>11}  {:>7}  {:>9}  {} ({} ago)",
                w.name,
                w.calls_last_minute,
                thousands(w.calls_today),
                w.in_flight,
                rfc3339(w.last_call),
                human(now.duration_since(w.last_call).unwrap_or_default())
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        p.dim("counted by every zbooks process sharing this state; other integrations on the same organization spend the same quota")
    );
    p.out(&out);
    Ok(exit::OK)
}
