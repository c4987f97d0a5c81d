//! `zbooks doctor`: a checklist of everything that goes wrong in the first hour with the Zoho
//! Books API, each line passed, warned or failed, each failure with its fix.
//!
//! In order: a profile exists; the credentials are there; the data center is consistent
//! (accounts host, `api_domain`, API host); the refresh works (and on `invalid_client`, which
//! data center's accounts server does know the client); the `Authorization` header is the one
//! Zoho wants; the organization id is set and belongs to the user; plan and calls left today;
//! the token's scopes cover what the profile will do (a cheap GET per scope family with a fresh
//! token: a 401/57 then means the scope is missing); clock skew against the server's `Date`;
//! each host reachable. The exit code is the first failure's (docs/design.md's table), 0 when
//! nothing failed.
//!
//! This file is the command: its arguments, the order of the checks and what a check needs
//! from the ones before it, and the output. Each check is one function in the module named
//! for it; none of them depends on this file.

mod check;
mod clock;
mod data_center;
mod header;
mod organization;
mod plan;
mod reachable;
mod refresh;
mod scopes;
mod setup;

use std::fmt::Write as _;
use std::io::Read as _;

use clap::Args;
use zbooks_client::oauth::ProbeAnswer;

use crate::commands::auth::Use;
use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer, wrap};
use crate::settings::{GlobalArgs, Settings};
use crate::{CommandResult, exit};

use check::{Check, Status, skipped};

/// `zbooks doctor`.
#[derive(Debug, Args)]
#[command(after_help = "\
Each line is ok, warn, FAIL or skip; every FAIL says how to fix it. The exit code is the first
failure's (see `zbooks --help`), 0 when nothing failed. The checks make a few calls: token
requests within Zoho's limits, GET /organizations (free) and one GET per scope family.

Examples:
  zbooks doctor
  zbooks doctor --for import --format json
  zbooks doctor --header 'Authorization: Bearer 1000.xxxx'   # the header your own code sends")]
pub struct DoctorArgs {
    /// What the profile will do, for the scopes to check (default: what `auth login` asked for,
    /// else everything).
    #[arg(long = "for", value_enum, value_name = "USE")]
    pub use_: Option<Use>,
    /// Also check an `Authorization` header your own code sends (`-` reads it from standard
    /// input, so the token stays out of the shell's history).
    #[arg(long, value_name = "HEADER")]
    pub header: Option<String>,
}

/// Runs `zbooks doctor`.
pub fn run(
    args: &DoctorArgs,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    let header = match args.header.as_deref() {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .lock()
                .take(64 * 1024)
                .read_to_string(&mut text)
                .map_err(|e| CliError::io("cannot read the header from standard input", &e))?;
            Some(text.trim().to_owned())
        }
        other => other.map(str::to_owned),
    };
    let checks = context::runtime()?.block_on(async {
        let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
        Ok::<_, CliError>(checklist(&ctx, args, header.as_deref()).await)
    })?;
    let code = checks
        .iter()
        .find(|c| c.status == Status::Fail)
        .map_or(exit::OK, |c| c.exit);
    if p.format == OutputFormat::Json {
        p.json(&serde_json::json!({
            "profile": settings.profile.value,
            "ok": code == exit::OK,
            "checks": checks,
        }));
    } else {
        p.out(&render(&checks, settings, p));
    }
    Ok(code)
}

fn render(checks: &[Check], settings: &Settings, p: Printer) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "zbooks doctor: profile {:?}",
            settings.profile.value
        ))
    );
    for check in checks {
        let mark = match check.status {
            Status::Pass => p.colored("green", "ok  "),
            Status::Warn => p.colored("yellow", "warn"),
            Status::Fail => p.colored("red", "FAIL"),
            Status::Skip => p.dim("skip"),
        };
        let _ = writeln!(
            out,
            "  {mark}  {:<13} {}",
            check.name,
            wrap(&check.summary, p.width, 21)
        );
        if let Some(fix) = &check.fix {
            let _ = writeln!(
                out,
                "{:21}{} {}",
                "",
                p.bold("fix:"),
                wrap(fix, p.width, 26)
            );
        }
    }
    let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
    let _ = writeln!(
        out,
        "{} ok, {} warning(s), {} failed, {} skipped",
        count(Status::Pass),
        count(Status::Warn),
        count(Status::Fail),
        count(Status::Skip)
    );
    out
}

async fn checklist(ctx: &Context, args: &DoctorArgs, user_header: Option<&str>) -> Vec<Check> {
    let s = &ctx.settings;
    let mut checks = Vec::new();

    // 1. A profile; 2. credentials.
    checks.push(setup::profile(s));
    let credentials = setup::credentials(ctx);
    let creds_ok = credentials.status == Status::Pass;
    checks.push(credentials);

    // 3. Data center: accounts host and API host agree.
    let accounts_url = ctx.accounts_url();
    let api_base = ctx.api_base();
    let dc_check = data_center::data_center(ctx, &accounts_url, api_base.as_deref());
    let dc_ok = dc_check.status == Status::Pass;
    checks.push(dc_check);

    if !(creds_ok && dc_ok) {
        checks.extend(skipped(
            &[
                "refresh",
                "api domain",
                "organization",
                "header",
                "plan",
                "scopes",
                "clock",
                "reachable",
            ],
            "needs the checks above",
        ));
        checks.extend(user_header.map(header::check_user_header));
        return checks;
    }
    let accounts_url = accounts_url.unwrap_or_default();
    let client = match ctx.client() {
        Ok(client) => client,
        Err(err) => {
            checks.push(Check::fail(
                "refresh",
                err.exit_code,
                err.headline.clone(),
                err.hint.unwrap_or_default(),
            ));
            return checks;
        }
    };

    // 4. The refresh.
    let (refresh_check, refreshed, accounts_ms) =
        refresh::refresh(ctx, &client, &accounts_url).await;
    checks.push(refresh_check);
    let token = match refreshed {
        Ok(token) => token,
        Err(err) => {
            checks.extend(skipped(
                &[
                    "api domain",
                    "organization",
                    "header",
                    "plan",
                    "scopes",
                    "clock",
                ],
                "needs a working refresh",
            ));
            checks.push(reachable::accounts_server(&err, &accounts_url, accounts_ms));
            checks.extend(user_header.map(header::check_user_header));
            return checks;
        }
    };

    // 5. api_domain against the API host in use.
    let api = api_base.unwrap_or_default();
    checks.push(data_center::api_domain(s, &token, &api));

    // 6. Organizations (and, from the same answer, reachability and the server's clock).
    let orgs = organization::list(&client).await;
    let org_id = s.organization_id.as_ref().map(|o| o.value.as_str());
    let (org_check, org) = organization::organization(&orgs, org_id);
    checks.push(org_check);

    // 7. The Authorization header.
    checks.push(header::zbooks_header(&client, orgs.orgs.is_some()).await);
    checks.extend(user_header.map(header::check_user_header));

    // 8. Plan and calls left today.
    checks.push(plan::plan(&client, s, org_id, org).await);

    // 9. Scopes.
    let (scopes_check, scopes_date) = scopes::scopes(ctx, &client, args.use_, org.is_some()).await;
    checks.push(scopes_check);

    // 10. Clock skew, against the first answer that carried a `Date`.
    let server_date = orgs
        .answer
        .as_ref()
        .ok()
        .and_then(ProbeAnswer::server_date)
        .or(scopes_date);
    checks.push(clock::clock(server_date));

    // 11. Reachability.
    checks.push(reachable::both(
        &orgs.answer,
        &accounts_url,
        accounts_ms,
        &api,
    ));
    checks
}
