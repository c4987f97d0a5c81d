//! `zbooks config init`: the first settings of a profile, asked for rather than looked up.
//!
//! The data center comes from the address the user signs in to Zoho at (`accounts.zoho.in`
//! → `in`), since that is what people know; a login that already names one is not asked about.
//! The organization comes from Zoho's own list when the profile is logged in: the only one is
//! confirmed, several are listed and one is chosen, and none is ever picked silently (Zoho
//! itself answers 6024 rather than guess). `--dc` and `--org` answer the questions ahead, for
//! scripts; the end of input is an error, never a default. Both are written to the profile in
//! the config file with `config set`'s checks. The plan is shown (from Zoho) but not saved:
//! left unset, it follows the organization's.

use std::fmt::Write as _;

use clap::Args;
use serde_json::json;
use zbooks_types::DataCenter;

use super::{file, overridden};
use crate::commands::auth::{ask_org, list_organizations, render_orgs};
use crate::context::{self, Context};
use crate::error::CliError;
use crate::plan::{self, KnownPlan};
use crate::printer::{OutputFormat, Printer};
use crate::prompt::{self, Console};
use crate::settings::{GlobalArgs, Resolved, Settings, Source};
use crate::{CommandResult, exit};

/// `zbooks config init`.
#[derive(Debug, Args)]
#[command(after_help = "\
Asks for what no flag gives, on standard input (a pipe works too; its end is an error, never
a default): the address you sign in to Zoho at, unless --dc, --sign-in or the login names the
data center; and the organization, chosen from the ones your login can use, unless --org
names it. Writes `dc` and `organization_id` to the profile in the config file.

Examples:
  zbooks config init
  zbooks config init --sign-in accounts.zoho.eu --org 20012345678
  zbooks --profile sandbox config init")]
pub struct InitArgs {
    /// The address you sign in to Zoho at (accounts.zoho.in, zoho.eu, accounts.zohocloud.ca):
    /// its data center is saved, and not asked for.
    #[arg(long, value_name = "ADDRESS")]
    pub sign_in: Option<String>,
}

/// The sign-in addresses, one a line, for the question.
fn sign_in_addresses() -> String {
    let mut out = String::new();
    for dc in DataCenter::ALL {
        let host = dc.accounts_url().replace("https://", "");
        let _ = write!(out, "\n  {host:<24} {} ({})", dc.name(), dc.info().label);
    }
    out
}

/// Runs `zbooks config init`.
pub fn run(args: &InitArgs, settings: &Settings, global: &GlobalArgs, p: Printer) -> CommandResult {
    let mut console = prompt::Terminal::new(p);
    context::runtime()?.block_on(init(args, settings, global, p, &mut console))
}

async fn init(
    args: &InitArgs,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
    console: &mut dyn Console,
) -> CommandResult {
    // A login is looked at only where there is one: `init` before `auth login` creates no store.
    let logged_in = settings.refresh_token.is_some() || context::store_path(settings).exists();
    let mut ctx = if logged_in {
        Some(Context::new(settings, global.log_file.as_deref(), p).await?)
    } else {
        None
    };
    let known = ctx.as_ref().map_or(settings, |c| &c.settings);
    let dc = choose_dc(args, known, console)?;
    // A store without a login for this profile is no login; with one, the data center just
    // chosen is where to ask for the organizations (unless the login names its API domain).
    let ctx = ctx
        .take()
        .filter(|c| c.settings.refresh_token.is_some())
        .map(|mut c| {
            if c.settings.dc.is_none() {
                c.settings.dc = Some(Resolved {
                    value: dc,
                    source: Source::Flag { flag: "--dc" },
                });
            }
            c
        });
    let org = choose_org(settings, ctx.as_ref(), console).await?;
    // The plan is not saved: unset, zbooks reads it from Zoho, which knows it best.
    let plan = match (&ctx, &org) {
        (Some(ctx), Some(org)) => Some(plan::read(ctx, org).await),
        _ => None,
    };
    if let Some(plan) = &plan {
        console.tell(&format!("plan: {}", plan.summary()));
        if let Some(warning) = plan.warning() {
            console.tell(&warning);
        }
    }

    let path = &settings.config_path.value;
    let profile = &settings.profile.value;
    let mut doc = file::load(path)?;
    file::set(&mut doc, profile, "dc", dc.name())?;
    if let Some(org) = &org {
        file::set(&mut doc, profile, "organization_id", org)?;
    }
    file::save(&doc, path)?;

    if p.format == OutputFormat::Json {
        p.json(&json!({
            "file": path,
            "profile": profile,
            "dc": dc.name(),
            "organization_id": org,
            "plan": plan.as_ref().map(KnownPlan::to_json),
        }));
    } else {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} in [profiles.{profile}] of {}:",
            p.bold("saved"),
            path.display()
        );
        let _ = writeln!(out, "  dc = {:?}", dc.name());
        match &org {
            Some(org) => {
                let _ = writeln!(out, "  organization_id = {org:?}");
            }
            None => {
                let _ = writeln!(
                    out,
                    "  (no organization: `zbooks config set organization_id ID` once you know it)"
                );
            }
        }
        let _ = writeln!(
            out,
            "\nNext: {}",
            if ctx.is_some() {
                "zbooks doctor         check the setup end to end"
            } else {
                "zbooks auth login     then `zbooks config init` again to choose the organization"
            }
        );
        p.out(&out);
    }
    for key in ["dc", "organization_id"] {
        if let Some(warning) = overridden(settings, key) {
            p.note(&warning);
        }
    }
    Ok(exit::OK)
}

/// The data center: `--dc`, `--sign-in` or the login's, else asked for by sign-in address
/// (Enter keeps the one in effect, or takes zoho.com's).
fn choose_dc(
    args: &InitArgs,
    settings: &Settings,
    console: &mut dyn Console,
) -> Result<DataCenter, CliError> {
    let parse = |text: &str| {
        text.parse::<DataCenter>().map_err(|e| {
            CliError::usage(format!("{text:?} names no Zoho data center")).with_hint(format!(
                "{e}; or the address you sign in at: {}",
                {
                    let hosts: Vec<String> = DataCenter::ALL
                        .iter()
                        .map(|dc| dc.accounts_url().replace("https://", ""))
                        .collect();
                    hosts.join(", ")
                }
            ))
        })
    };
    if let Some(dc) = settings
        .dc
        .as_ref()
        .filter(|d| matches!(d.source, Source::Flag { .. }))
    {
        console.tell(&format!(
            "data center: {} ({}), from --dc",
            dc.value,
            dc.value.info().label
        ));
        return Ok(dc.value);
    }
    if let Some(address) = &args.sign_in {
        let dc = parse(address)?;
        console.tell(&format!(
            "data center: {dc} ({}), from --sign-in",
            dc.info().label
        ));
        return Ok(dc);
    }
    if let Some(dc) = settings
        .dc
        .as_ref()
        .filter(|d| matches!(d.source, Source::Store { .. }))
    {
        console.tell(&format!(
            "data center: {} ({}), from your login",
            dc.value,
            dc.value.info().label
        ));
        return Ok(dc.value);
    }
    let current = settings.dc.as_ref().map_or(DataCenter::Us, |d| d.value);
    let default_host = current.accounts_url().replace("https://", "");
    let answer = prompt::optional(
        console,
        &format!(
            "Which address do you sign in to Zoho at?{}\naddress [Enter: {default_host}]:",
            sign_in_addresses()
        ),
        "sign-in address",
    )?;
    let dc = match answer {
        Some(text) => parse(&text)?,
        None => current,
    };
    console.tell(&format!("data center: {dc} ({})", dc.info().label));
    Ok(dc)
}

/// The organization: `--org` (checked against Zoho's list when logged in), else chosen from
/// that list, else (not logged in) typed or left unset.
async fn choose_org(
    settings: &Settings,
    ctx: Option<&Context>,
    console: &mut dyn Console,
) -> Result<Option<String>, CliError> {
    let flag = settings
        .organization_id
        .as_ref()
        .filter(|o| matches!(o.source, Source::Flag { .. }))
        .map(|o| o.value.clone());
    let Some(ctx) = ctx else {
        if flag.is_some() {
            console.tell("organization: from --org (not checked: not logged in)");
            return Ok(flag);
        }
        console.tell(
            "not logged in: the organizations your login can use are listed after `zbooks auth \
             login`",
        );
        let typed = prompt::optional(
            console,
            "organization id [Enter: leave it unset]:",
            "organization id",
        )?;
        return typed
            .map(|t| file::key("organization_id")?.check(&t))
            .transpose();
    };
    let orgs = list_organizations(ctx).await?;
    if let Some(id) = flag {
        if orgs.iter().any(|o| o.organization_id == id) {
            console.tell(&format!("organization: {id}, from --org"));
            return Ok(Some(id));
        }
        let mut list = String::new();
        render_orgs(&mut list, &orgs, None);
        return Err(CliError::usage(format!(
            "organization {id} (from --org) is not one this login can use"
        ))
        .with_hint(format!("choose one of them:\n{}", list.trim_end())));
    }
    if orgs.is_empty() {
        console.tell("this user belongs to no Zoho Books organization: none is saved");
    }
    ask_org(console, &orgs)
}
