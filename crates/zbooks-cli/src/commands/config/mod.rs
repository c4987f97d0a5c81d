//! `zbooks config`: `show` prints every resolved setting and where it came from, secrets
//! masked; `set KEY VALUE` and `unset KEY` edit the profile in the config file, checking the key
//! and the value; `init` asks for the data center (from the sign-in address) and the
//! organization (from Zoho's list when logged in) and saves them.

use std::fmt::Write as _;

use clap::{Args, Subcommand};
use serde_json::json;

use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, Settings, Source};
use crate::{CommandResult, exit};

pub mod file;
pub mod init;

/// What `zbooks config --help` says about the file: where it is, its format with an example,
/// and the order in which sources win.
pub const FILE_HELP: &str = "\
The config file is TOML at the platform's config path ($XDG_CONFIG_HOME/zbooks/config.toml,
~/.config/zbooks/config.toml on Linux; `zbooks config show` prints it), or --config FILE,
or ZBOOKS_CONFIG. It holds named profiles:

  default_profile = \"acme\"          # used without --profile or ZBOOKS_PROFILE

  [profiles.acme]
  dc = \"in\"                         # us, eu, in, au, jp, ca, cn, sa
  organization_id = \"60012345678\"   # digits; `zbooks auth status` lists yours
  plan = \"professional\"             # optional: unset, zbooks reads it from Zoho
  client_id = \"1000.XXXXXXXXXXXX\"   # optional: the self client's id

  [profiles.sandbox]
  dc = \"in\"
  organization_id = \"60087654321\"

A flag wins over an environment variable (ZBOOKS_DC, ZBOOKS_ORG_ID, ZBOOKS_PLAN, ...), which
wins over the file, which wins over the login `zbooks auth login` kept. Secrets (the client
secret, the refresh token) belong in the private store that `auth login` writes, or in the
environment for CI; `config set` does not write them.

Examples:
  zbooks config init                      # asks for the sign-in address and the organization
  zbooks config init --org 60012345678    # no questions about the organization
  zbooks config set dc accounts.zoho.eu   # saved as dc = \"eu\"
  zbooks config set organization_id 60012345678
  zbooks --profile sandbox config set plan standard
  zbooks config unset plan
  zbooks config show";

/// `zbooks config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print every resolved setting with its source (flag, environment, config file or
    /// default); secrets are masked.
    Show,
    /// Save the data center and the organization in the profile, asking for what no flag
    /// gives: the data center from the address you sign in to Zoho at, the organization from
    /// the ones your login can use.
    Init(init::InitArgs),
    /// Write one setting into the profile in the config file (comments and other keys kept).
    Set(SetArgs),
    /// Remove one setting from the profile in the config file.
    Unset(UnsetArgs),
}

/// `zbooks config set`.
#[derive(Debug, Args)]
#[command(after_help = "\
Keys: dc, organization_id, plan, client_id, accounts_url, api_url.

Examples:
  zbooks config set dc accounts.zoho.in
  zbooks config set organization_id 60012345678
  zbooks config set plan professional")]
pub struct SetArgs {
    /// The setting: dc, organization_id, plan, client_id, accounts_url or api_url.
    pub key: String,
    /// Its value: a data center (in, or accounts.zoho.in), digits for organization_id, a plan
    /// name (free, standard, professional, premium, elite, ultimate), a URL.
    pub value: String,
}

/// `zbooks config unset`.
#[derive(Debug, Args)]
pub struct UnsetArgs {
    /// The setting: dc, organization_id, plan, client_id, accounts_url or api_url.
    pub key: String,
}

/// Runs `zbooks config`.
pub fn run(
    cmd: &ConfigCommand,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    match cmd {
        ConfigCommand::Show => show(settings, p),
        ConfigCommand::Set(args) => set(settings, &args.key, &args.value, p),
        ConfigCommand::Unset(args) => unset(settings, &args.key, p),
        ConfigCommand::Init(args) => init::run(args, settings, global, p),
    }
}

/// Where a key's value comes from now, when that source outranks the config file: the
/// warning that an edit of the file will not show until it is removed.
fn overridden(settings: &Settings, key: &str) -> Option<String> {
    let source = match key {
        "dc" => settings.dc.as_ref().map(|r| &r.source),
        "organization_id" => settings.organization_id.as_ref().map(|r| &r.source),
        "plan" => settings.plan.as_ref().map(|r| &r.source),
        "client_id" => settings.client_id.as_ref().map(|r| &r.source),
        "accounts_url" => settings.accounts_url.as_ref().map(|r| &r.source),
        "api_url" => settings.api_url.as_ref().map(|r| &r.source),
        "state" => settings.state.as_ref().map(|r| &r.source),
        _ => None,
    }?;
    matches!(source, Source::Flag { .. } | Source::Env { .. }).then(|| {
        format!("warning: {source} outranks the config file: unset it to use what the file says")
    })
}

/// Writes `key = value` into the profile in use; the value it replaced.
pub(crate) fn write_key(
    settings: &Settings,
    key: &str,
    value: &str,
) -> Result<(String, Option<String>), CliError> {
    let key = file::key(key)?;
    let value = key.check(value)?;
    let path = &settings.config_path.value;
    let mut doc = file::load(path)?;
    let previous = file::set(&mut doc, &settings.profile.value, key.name, &value)?;
    file::save(&doc, path)?;
    Ok((value, previous))
}

fn set(settings: &Settings, key: &str, value: &str, p: Printer) -> CommandResult {
    let (value, previous) = write_key(settings, key, value)?;
    let path = &settings.config_path.value;
    let profile = &settings.profile.value;
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "file": path,
            "profile": profile,
            "key": key,
            "value": value,
            "previous": previous,
        }));
    } else {
        p.out(&format!(
            "set {key} = {value:?} in [profiles.{profile}] of {}{}\n",
            path.display(),
            previous
                .filter(|old| *old != value)
                .map(|old| format!(" (was {old:?})"))
                .unwrap_or_default()
        ));
    }
    if let Some(warning) = overridden(settings, key) {
        p.note(&warning);
    }
    Ok(exit::OK)
}

fn unset(settings: &Settings, key: &str, p: Printer) -> CommandResult {
    let key = file::key(key)?.name;
    let path = &settings.config_path.value;
    let profile = &settings.profile.value;
    let mut doc = file::load(path)?;
    let previous = file::unset(&mut doc, profile, key);
    if previous.is_some() {
        file::save(&doc, path)?;
    }
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "file": path,
            "profile": profile,
            "key": key,
            "previous": previous,
        }));
    } else if let Some(old) = &previous {
        p.out(&format!(
            "unset {key} (was {old:?}) in [profiles.{profile}] of {}\n",
            path.display()
        ));
    } else {
        p.out(&format!(
            "{key} was not set in [profiles.{profile}] of {}: nothing to do\n",
            path.display()
        ));
    }
    if let Some(warning) = overridden(settings, key) {
        p.note(&warning);
    }
    Ok(exit::OK)
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
