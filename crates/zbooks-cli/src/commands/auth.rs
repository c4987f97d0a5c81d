//! `zbooks auth login|status|logout`: the self-client flow, made short.
//!
//! `login` says where in Zoho's developer console to create a self client for the data center
//! and which scopes to ask for the planned use, takes the grant code (flag, or standard input: unseen on a terminal),
//! exchanges it through `zbooks_client::oauth`, and keeps the refresh token, client id and
//! secret, data center and `api_domain` in the private store, keyed by profile. It warns first
//! that Zoho keeps only 20 refresh tokens per user and client (reference §3.3), and revokes
//! the profile's previous one once the new one works. `status` shows what the login is good
//! for; `logout` revokes the refresh token and forgets the login.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};
use zbooks_client::Method;
use zbooks_client::store::{StoredToken, TokenKey, TokenStore as _};
use zbooks_store::StoredCredentials;
use zbooks_types::explain::thousands;
use zbooks_types::{Clock as _, DataCenter, Secret, SystemClock};

use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::prompt::{self, Console};
use crate::settings::{GlobalArgs, Settings, Source};
use crate::{CommandResult, exit, render};
use zbooks_types::resource::ORGANIZATIONS;

/// `zbooks auth`.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Log in with a self client's grant code: prints where to make one and which scopes to
    /// ask for, exchanges it and keeps the refresh token in the private store.
    #[command(after_help = "\
Zoho keeps at most 20 refresh tokens per user and client: each login makes one, and the 21st
silently revokes the oldest. zbooks revokes the profile's previous token after a new login.

Examples:
  zbooks auth login --dc in --client-id 1000.XXXX --for import
  zbooks auth login --code 1000.abcd...   (ZBOOKS_CLIENT_ID and ZBOOKS_CLIENT_SECRET set)")]
    Login(LoginArgs),
    /// Show the login: data center, token age and expiry, organizations, calls left today.
    Status,
    /// Revoke the refresh token at Zoho and forget the login.
    Logout,
}

/// `zbooks auth login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The grant code from the console's Self Client ("Generate Code"); asked on standard
    /// input when not given. It works once, within minutes.
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    /// What the profile will do: decides the scopes to ask for.
    #[arg(long = "for", value_enum, default_value_t = Use::Full, value_name = "USE")]
    pub use_: Use,
    /// The self client's id [env: ZBOOKS_CLIENT_ID]; the secret comes from
    /// ZBOOKS_CLIENT_SECRET, the profile, or standard input.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
}

/// What a profile will do with Zoho Books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Use {
    /// Read only: lists and lookups.
    Read,
    /// Read, create and update records (no deletes).
    Write,
    /// What `zbooks import` needs: create and look up.
    Import,
    /// Everything: ZohoBooks.fullaccess.all, the simplest.
    Full,
}

/// The scope families zbooks uses, each with a cheap GET that needs its READ scope: the
/// resource table's (`zbooks_types::resource`; reference §3.5: items live under `settings`,
/// journals and accounts under `accountants`).
pub const FAMILIES: [(&str, &str); 7] = {
    use zbooks_types::resource::{
        BILLS, CHART_OF_ACCOUNTS, CONTACTS, CUSTOMER_PAYMENTS, INVOICES, ITEMS, VENDOR_PAYMENTS,
    };
    [
        (CONTACTS.scope, CONTACTS.path),
        (ITEMS.scope, ITEMS.path),
        (INVOICES.scope, INVOICES.path),
        (CUSTOMER_PAYMENTS.scope, CUSTOMER_PAYMENTS.path),
        (BILLS.scope, BILLS.path),
        (VENDOR_PAYMENTS.scope, VENDOR_PAYMENTS.path),
        (CHART_OF_ACCOUNTS.scope, CHART_OF_ACCOUNTS.path),
    ]
};

impl Use {
    /// The scopes to ask for.
    pub fn scopes(self) -> Vec<String> {
        let ops: &[&str] = match self {
            Use::Full => return vec!["ZohoBooks.fullaccess.all".to_owned()],
            Use::Read => &["READ"],
            Use::Write => &["CREATE", "READ", "UPDATE"],
            Use::Import => &["CREATE", "READ"],
        };
        FAMILIES
            .iter()
            .flat_map(|(family, _)| ops.iter().map(move |op| format!("ZohoBooks.{family}.{op}")))
            .collect()
    }
}

/// The families a scope list covers (all of them for full access).
pub fn families_of(scopes: &str) -> Vec<&'static str> {
    let scopes: Vec<String> = scopes
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if scopes.iter().any(|s| s == "zohobooks.fullaccess.all") {
        return FAMILIES.iter().map(|(f, _)| *f).collect();
    }
    FAMILIES
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| {
            scopes
                .iter()
                .any(|s| s.starts_with(&format!("zohobooks.{f}.")))
        })
        .collect()
}

/// Where a data center's developer console is (CA's lives under zohocloud.ca).
pub fn console_url(dc: DataCenter) -> String {
    if dc == DataCenter::Ca {
        "https://api-console.zohocloud.ca".to_owned()
    } else {
        format!("https://api-console.zoho.{}", dc.info().tld)
    }
}

/// Runs `zbooks auth`.
pub fn run(
    cmd: &AuthCommand,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    context::runtime()?.block_on(async {
        let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
        match cmd {
            AuthCommand::Login(args) => login(ctx, settings, global, args).await,
            AuthCommand::Status => status(&ctx).await,
            AuthCommand::Logout => logout(&ctx).await,
        }
    })
}

async fn login(
    ctx: Context,
    settings: &Settings,
    global: &GlobalArgs,
    args: &LoginArgs,
) -> CommandResult {
    let p = ctx.printer;
    let accounts_url = ctx.accounts_url()?;
    let host = accounts_url
        .split("://")
        .nth(1)
        .unwrap_or(&accounts_url)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_owned();
    let zoho_dc = DataCenter::from_host(&host);
    let scopes = args.use_.scopes().join(",");

    // The instructions go to stderr: stdout is for the result.
    let mut steps = String::new();
    let _ = writeln!(
        steps,
        "warning: Zoho keeps at most 20 refresh tokens per user and client; each login makes \
         one, and the 21st silently revokes the oldest, which another integration may still use."
    );
    if let Some(old) = &ctx.login {
        let _ = writeln!(
            steps,
            "  profile {:?} already has a login (refresh token {}); zbooks revokes it once the new \
             one works.",
            ctx.settings.profile.value,
            old.refresh_token.masked()
        );
    }
    match zoho_dc {
        Some(dc) => {
            let _ = writeln!(
                steps,
                "\n1. Open {} (data center {}, {}). First time: ADD CLIENT → Self Client → \
                 CREATE, and keep its Client ID and Client Secret (ZBOOKS_CLIENT_ID, \
                 ZBOOKS_CLIENT_SECRET).\n2. Self Client → Generate Code, with\n     scope:       \
                 {scopes}\n     time:        10 minutes\n     description: zbooks\n3. Paste the \
                 code here (it works once; a whole redirect URL with `code=` in it works too).",
                console_url(dc),
                dc.name(),
                dc.info().label
            );
        }
        None => {
            let _ = writeln!(
                steps,
                "\n{accounts_url} is not a Zoho accounts server (a simulator or a proxy): get a \
                 grant code from it. From `zbooks sim`:\n  curl -s -X POST \
                 {accounts_url}/__sim/grant-codes -H 'Content-Type: application/json' -d \
                 '{{\"scope\":\"{scopes}\"}}'"
            );
        }
    }
    p.note(steps.trim_end());

    let mut console = prompt::Terminal::new(p);
    let client_id = match (&args.client_id, &ctx.settings.client_id) {
        (Some(id), _) => id.clone(),
        (None, Some(id)) => id.value.clone(),
        (None, None) => prompt::line(&mut console, "client id:", "client id")?,
    };
    let client_secret = match &ctx.settings.client_secret {
        Some(secret)
            if args.client_id.as_ref().is_none_or(|id| {
                ctx.settings
                    .client_id
                    .as_ref()
                    .is_some_and(|c| &c.value == id)
            }) =>
        {
            secret.value.clone()
        }
        _ => prompt::secret(&mut console, "client secret:", "client secret")?,
    };
    let code = match &args.code {
        // A flag's value gets the paste's treatment too: a whole redirect URL gives its code.
        Some(code) => Secret::new(prompt::grant_code_of(code)?.0),
        None => prompt::grant_code(&mut console, "grant code:")?,
    };

    let server = ctx.accounts_server(&accounts_url)?;
    let granted = server
        .exchange_grant_code(&client_id, &client_secret, &code)
        .await
        .map_err(|e| render::client_error("the grant code exchange failed", &e))?;
    let Some(refresh_token) = granted.refresh_token.clone() else {
        return Err(CliError {
            headline: "the accounts server returned no refresh token".to_owned(),
            causes: Vec::new(),
            hint: Some(
                "generate the code in the console's Self Client (Generate Code): its codes come \
                 with a refresh token"
                    .to_owned(),
            ),
            exit_code: exit::AUTH,
            code: None,
            class: None,
        });
    };
    let token_dc = granted
        .api_domain
        .as_deref()
        .and_then(|d| d.parse::<DataCenter>().ok());
    if let (Some(accounts), Some(api)) = (zoho_dc, token_dc)
        && accounts != api
    {
        p.note(&format!(
            "warning: the accounts server is data center {accounts} but the token's api_domain \
             is {api}: zbooks follows the api_domain"
        ));
    }
    let data_center = token_dc
        .or(zoho_dc)
        .or_else(|| ctx.settings.dc.as_ref().map(|d| d.value))
        .map(|d| d.name().to_owned());
    // An organization given for this login (not one a previous login remembered).
    let organization_id = ctx
        .settings
        .organization_id
        .as_ref()
        .filter(|o| !matches!(o.source, Source::Store { .. }))
        .map(|o| o.value.clone());
    let now = SystemClock.now();
    let login = StoredCredentials {
        profile: ctx.settings.profile.value.clone(),
        client_id: client_id.clone(),
        client_secret,
        refresh_token: refresh_token.clone(),
        data_center,
        accounts_url: accounts_url.clone(),
        api_domain: granted.api_domain.clone(),
        organization_id,
        scopes: scopes.clone(),
        created_at: now,
    };
    ctx.store
        .save_credentials(&login)
        .await
        .map_err(|e| render::store_error("cannot keep the login", &e))?;
    // The first access token is cached, so the next command does not ask for another.
    let key = TokenKey::for_refresh_token(&accounts_url, &client_id, &refresh_token);
    let cached = StoredToken {
        access_token: granted.access_token.clone(),
        expires_at: granted.expires_at,
        api_domain: granted.api_domain.clone(),
        lifetime: granted.expires_at.duration_since(now).ok(),
    };
    if let Err(err) = ctx.store.save_token(&key, &cached).await {
        p.note(&format!("warning: cannot cache the access token: {err}"));
    }
    if let Some(old) = &ctx.login
        && old.refresh_token != refresh_token
    {
        let revoked = match ctx.accounts_server(&old.accounts_url) {
            Ok(server) => server.revoke(&old.refresh_token).await.is_ok(),
            Err(_) => false,
        };
        let old_key =
            TokenKey::for_refresh_token(&old.accounts_url, &old.client_id, &old.refresh_token);
        let _ = ctx.store.forget_token(&old_key).await;
        p.note(&if revoked {
            format!(
                "revoked the previous refresh token {}",
                old.refresh_token.masked()
            )
        } else {
            format!(
                "warning: could not revoke the previous refresh token {}; revoke it in the \
                 console if nothing else uses it",
                old.refresh_token.masked()
            )
        });
    }

    // With the new login in place: which organizations can it use?
    let fresh = Context::new(settings, global.log_file.as_deref(), p).await?;
    let orgs = list_organizations(&fresh).await;
    let store_path = context::store_path(&fresh.settings);
    let mut current = fresh
        .settings
        .organization_id
        .as_ref()
        .map(|o| o.value.clone());
    if current.is_none()
        && let Ok(orgs) = &orgs
        && let Some(chosen) = choose_org(p, orgs)?
    {
        let login = StoredCredentials {
            organization_id: Some(chosen.clone()),
            ..login.clone()
        };
        ctx.store
            .save_credentials(&login)
            .await
            .map_err(|e| render::store_error("cannot keep the chosen organization", &e))?;
        current = Some(chosen);
    }
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "profile": login.profile,
            "client_id": login.client_id,
            "data_center": login.data_center,
            "api_domain": login.api_domain,
            "scopes": login.scopes,
            "store": store_path,
            "organization_id": current,
            "organizations": orgs.as_ref().ok(),
        }));
        return Ok(exit::OK);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} profile {:?}, data center {}, client {}",
        p.bold("logged in:"),
        login.profile,
        login
            .data_center
            .as_deref()
            .unwrap_or("unknown (the api_domain names none)"),
        login.client_id
    );
    let _ = writeln!(
        out,
        "  refresh token {} kept in {} (private to you)",
        refresh_token.masked(),
        store_path.display()
    );
    if let Some(domain) = &login.api_domain {
        let _ = writeln!(out, "  api_domain {domain}");
    }
    let _ = writeln!(out, "  scopes {}", login.scopes);
    match &orgs {
        Ok(orgs) => {
            render_orgs(&mut out, orgs, current.as_deref());
        }
        Err(err) => {
            let _ = writeln!(out, "  organizations: cannot list them: {}", err.headline);
        }
    }
    out.push_str(&next_steps(current.is_some()));
    p.out(&out);
    Ok(exit::OK)
}

/// What to run after a login: `doctor` to check it end to end, and `config init` first when no
/// organization is saved (every Books call needs one).
fn next_steps(has_org: bool) -> String {
    let mut out = String::from("\nNext: zbooks doctor         # check the login end to end\n");
    if !has_org {
        out.push_str(
            "      zbooks config init    # choose the organization and save it in the config file\n",
        );
    }
    out
}

/// The organization a login without one should keep: the user's only one, or the one a person
/// picks on a terminal. Never the first of several (Zoho answers 6024 rather than pick one, and
/// so does zbooks): from a pipe or a script the choices come back as an error to choose from.
fn choose_org(p: Printer, orgs: &[Org]) -> Result<Option<String>, CliError> {
    match orgs {
        [] => Ok(None),
        [only] => Ok(Some(only.organization_id.clone())),
        several if !prompt::Terminal::is_interactive() => Err(CliError {
            headline: format!(
                "this user belongs to {} organizations: choose one with --org",
                several.len()
            ),
            causes: several
                .iter()
                .map(|o| format!("{} {}", o.organization_id, o.name))
                .collect(),
            hint: Some(
                "the login is kept (its grant code works only once): run `zbooks config init` \
                 to choose one and save it, or pass --org <id> to each command (ZBOOKS_ORG_ID). \
                 Without one, every Books call fails with Zoho's 6024."
                    .to_owned(),
            ),
            exit_code: exit::USAGE,
            code: None,
            class: None,
        }),
        several => ask_org(&mut prompt::Terminal::new(p), several),
    }
}

/// Asks which organization to use: the only one is confirmed, several are listed and one is
/// chosen by its number or id. Never the first of several, and never a default at the end of
/// input: `None` only when there is none, or the person declines the only one.
///
/// # Errors
///
/// The input ended, or the answer names none of them.
pub fn ask_org(console: &mut dyn Console, orgs: &[Org]) -> Result<Option<String>, CliError> {
    let describe = |org: &Org| {
        let mut notes = Vec::new();
        if let Some(plan) = &org.plan {
            notes.push(format!("plan {plan}"));
        }
        if org.is_default_org {
            notes.push("default".to_owned());
        }
        if !org.is_org_active {
            notes.push("inactive: trial over".to_owned());
        }
        format!(
            "{}  {}{}",
            org.organization_id,
            org.name,
            if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            }
        )
    };
    match orgs {
        [] => Ok(None),
        [only] => {
            let yes = prompt::confirm(
                console,
                &format!(
                    "this user belongs to one organization: {}\nuse it?",
                    describe(only)
                ),
                true,
            )?;
            Ok(yes.then(|| only.organization_id.clone()))
        }
        several => {
            let mut list = String::new();
            for (i, org) in several.iter().enumerate() {
                let _ = write!(list, "\n  {}. {}", i + 1, describe(org));
            }
            let answer = prompt::line(
                console,
                &format!(
                    "this user belongs to {} organizations:{list}\nwhich one (number or id)?",
                    several.len()
                ),
                "organization",
            )?;
            let picked = answer
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| several.get(i))
                .or_else(|| several.iter().find(|o| o.organization_id == answer));
            match picked {
                Some(org) => Ok(Some(org.organization_id.clone())),
                None => Err(CliError::usage(format!(
                    "{answer:?} is none of the {} organizations listed",
                    several.len()
                ))
                .with_hint("answer with the number in front of it, or its id")),
            }
        }
    }
}

/// One organization as `GET /organizations` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Org {
    /// Its id.
    pub organization_id: String,
    /// Its name.
    pub name: String,
    /// Whether it is the user's default.
    pub is_default_org: bool,
    /// Its plan, as Zoho names it.
    pub plan: Option<String>,
    /// Whether it is active (a finished trial is not).
    pub is_org_active: bool,
}

/// The organizations the login can use.
pub async fn list_organizations(ctx: &Context) -> Result<Vec<Org>, CliError> {
    let client = ctx.client()?;
    let body = client
        .request(Method::GET, ORGANIZATIONS.path)
        .send_json()
        .await
        .map_err(|e| render::client_error("cannot list the organizations", &e))?;
    Ok(orgs_of(&body))
}

/// The organizations in a `GET /organizations` body.
pub fn orgs_of(body: &Value) -> Vec<Org> {
    body.get(ORGANIZATIONS.plural)
        .and_then(Value::as_array)
        .map(|orgs| {
            orgs.iter()
                .map(|o| Org {
                    organization_id: o
                        .get("organization_id")
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .unwrap_or_default(),
                    name: o
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    is_default_org: o
                        .get("is_default_org")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    plan: o
                        .get("plan_name")
                        .or_else(|| o.get("plan_type"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    is_org_active: o
                        .get("is_org_active")
                        .and_then(Value::as_bool)
                        .unwrap_or(true),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Writes the organizations as a short table, marking the one in use.
pub fn render_orgs(out: &mut String, orgs: &[Org], current: Option<&str>) {
    let _ = writeln!(out, "organizations this login can use:");
    if orgs.is_empty() {
        let _ = writeln!(
            out,
            "  (none: this user belongs to no Zoho Books organization)"
        );
    }
    for org in orgs {
        let mut notes = Vec::new();
        if current == Some(org.organization_id.as_str()) {
            notes.push("in use");
        }
        if org.is_default_org {
            notes.push("default");
        }
        if !org.is_org_active {
            notes.push("inactive: trial over");
        }
        let _ = writeln!(
            out,
            "  {:<14} {:<28} {:<14} {}",
            org.organization_id,
            org.name,
            org.plan.as_deref().unwrap_or("-"),
            notes.join(", ")
        );
    }
}

/// "3 days", "5 min": a duration for people.
pub fn human(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0..=89 => format!("{secs} s"),
        90..=5399 => format!("{} min", (secs + 30) / 60),
        5400..=172_799 => format!("{} h", (secs + 1800) / 3600),
        _ => format!("{} days", (secs + 43_200) / 86_400),
    }
}

async fn status(ctx: &Context) -> CommandResult {
    let p = ctx.printer;
    let s = &ctx.settings;
    let Some(refresh) = &s.refresh_token else {
        return Err(CliError {
            headline: format!("not logged in (profile {:?})", s.profile.value),
            causes: Vec::new(),
            hint: Some(
                "run `zbooks auth login`, or set ZBOOKS_REFRESH_TOKEN with \
                        ZBOOKS_CLIENT_ID and ZBOOKS_CLIENT_SECRET"
                    .to_owned(),
            ),
            exit_code: exit::AUTH,
            code: None,
            class: None,
        });
    };
    let client = ctx.client()?;
    let orgs = client
        .request(Method::GET, ORGANIZATIONS.path)
        .send_json()
        .await
        .map(|b| orgs_of(&b));
    let now = SystemClock.now();
    let token = client.token_info().await.ok().flatten();
    let expires_in = token
        .as_ref()
        .and_then(|t| t.expires_at)
        .map(|at| at.duration_since(now).unwrap_or_default());
    let login_age = ctx
        .login
        .as_ref()
        .map(|l| now.duration_since(l.created_at).unwrap_or_default());
    let daily = match &s.organization_id {
        Some(org) => client
            .limits_snapshot(&org.value)
            .await
            .ok()
            .and_then(|snap| snap.daily),
        None => None,
    };
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "profile": s.profile.value,
            "client_id": s.client_id.as_ref().map(|c| &c.value),
            "refresh_token": refresh.value.masked(),
            "refresh_token_source": refresh.source.to_string(),
            "data_center": s.dc.as_ref().map(|d| d.value.name()),
            "accounts_url": ctx.accounts_url().ok(),
            "api_base": ctx.api_base(),
            "logged_in_at": ctx.login.as_ref().map(|l| zbooks_client::time::rfc3339(l.created_at)),
            "scopes": ctx.login.as_ref().map(|l| &l.scopes),
            "access_token_expires_in_seconds": expires_in.map(|d| d.as_secs()),
            "organization_id": s.organization_id.as_ref().map(|o| &o.value),
            "organizations": orgs.as_ref().ok(),
            "calls_today": daily.map(|d| d.used),
            "daily_limit": daily.map(|d| d.limit),
        }));
    } else {
        let mut out = String::new();
        let _ = writeln!(out, "{}", p.bold(&format!("profile {:?}", s.profile.value)));
        let row = |out: &mut String, k: &str, v: &str| {
            let _ = writeln!(out, "  {k:<16} {v}");
        };
        row(&mut out, "data center", &ctx.dc_name());
        row(
            &mut out,
            "accounts server",
            &ctx.accounts_url().unwrap_or_default(),
        );
        row(&mut out, "api", &ctx.api_base().unwrap_or_default());
        row(
            &mut out,
            "client id",
            s.client_id
                .as_ref()
                .map_or("(not set)", |c| c.value.as_str()),
        );
        row(
            &mut out,
            "refresh token",
            &format!(
                "{} ({})",
                refresh.value.masked(),
                p.dim(&refresh.source.to_string())
            ),
        );
        if let (Some(login), Some(age)) = (&ctx.login, login_age) {
            row(
                &mut out,
                "logged in",
                &format!(
                    "{} ago ({})",
                    human(age),
                    zbooks_client::time::rfc3339(login.created_at)
                ),
            );
            row(&mut out, "scopes", &login.scopes);
        }
        row(
            &mut out,
            "access token",
            &match expires_in {
                Some(d) if d.is_zero() => "expired: the next call refreshes it".to_owned(),
                Some(d) => format!(
                    "valid for {} more (cached, shared by every zbooks process)",
                    human(d)
                ),
                None => "none cached".to_owned(),
            },
        );
        if let Some(daily) = daily {
            row(
                &mut out,
                "calls today",
                &format!(
                    "{} of {} used, {} left (by zbooks on this machine)",
                    thousands(daily.used),
                    thousands(daily.limit),
                    thousands(daily.limit.saturating_sub(daily.used))
                ),
            );
        }
        if let Ok(orgs) = &orgs {
            render_orgs(
                &mut out,
                orgs,
                s.organization_id.as_ref().map(|o| o.value.as_str()),
            );
        }
        p.out(&out);
    }
    match orgs {
        Ok(_) => Ok(exit::OK),
        Err(err) => Err(render::client_error("the login does not work", &err)),
    }
}

async fn logout(ctx: &Context) -> CommandResult {
    let p = ctx.printer;
    let Some(login) = &ctx.login else {
        let mut err = CliError::usage(format!(
            "no stored login for profile {:?}",
            ctx.settings.profile.value
        ));
        if let Some(refresh) = &ctx.settings.refresh_token {
            err = err.with_hint(format!(
                "the refresh token in use comes from {}: remove it there, and revoke it in \
                 Zoho's developer console if nothing else uses it",
                refresh.source
            ));
        }
        return Err(err);
    };
    let revoked = ctx
        .accounts_server(&login.accounts_url)?
        .revoke(&login.refresh_token)
        .await;
    let key =
        TokenKey::for_refresh_token(&login.accounts_url, &login.client_id, &login.refresh_token);
    ctx.store
        .forget_token(&key)
        .await
        .map_err(|e| render::store_error("cannot forget the cached token", &e))?;
    ctx.store
        .delete_credentials(&login.profile)
        .await
        .map_err(|e| render::store_error("cannot forget the login", &e))?;
    if let Err(err) = &revoked {
        p.note(&format!(
            "warning: could not revoke the refresh token at {}: {}; revoke it in Zoho's \
             developer console (Self Client) if it may have leaked",
            login.accounts_url,
            zbooks_types::scrub(&err.to_string())
        ));
    }
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "profile": login.profile,
            "revoked": revoked.is_ok(),
            "forgotten": true,
        }));
    } else {
        p.out(&format!(
            "logged out: profile {:?}; refresh token {} {}; login forgotten\n",
            login.profile,
            login.refresh_token.masked(),
            if revoked.is_ok() {
                "revoked"
            } else {
                "NOT revoked"
            }
        ));
    }
    Ok(exit::OK)
}

/// How long ago `at` was, for people.
pub fn ago(at: SystemTime, now: SystemTime) -> String {
    human(now.duration_since(at).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompt::Scripted;

    fn org(id: &str, name: &str) -> Org {
        Org {
            organization_id: id.to_owned(),
            name: name.to_owned(),
            is_default_org: false,
            plan: Some("PROFESSIONAL".to_owned()),
            is_org_active: true,
        }
    }

    #[test]
    fn the_only_organization_is_confirmed_not_taken_silently() {
        let orgs = [org("600", "Acme")];
        let mut console = Scripted::new(&["\n"]);
        assert_eq!(
            ask_org(&mut console, &orgs).unwrap().as_deref(),
            Some("600")
        );
        assert!(
            console.screen().contains("use it? [Y/n]"),
            "{}",
            console.screen()
        );
        let mut console = Scripted::new(&["n\n"]);
        assert_eq!(ask_org(&mut console, &orgs).unwrap(), None);
        // The end of input is no yes.
        assert!(ask_org(&mut Scripted::new(&[]), &orgs).is_err());
    }

    #[test]
    fn one_of_several_organizations_is_chosen_by_number_or_id_never_the_first_by_default() {
        let orgs = [org("600", "Acme"), org("700", "Beta")];
        let mut console = Scripted::new(&["2\n"]);
        assert_eq!(
            ask_org(&mut console, &orgs).unwrap().as_deref(),
            Some("700")
        );
        let screen = console.screen();
        assert!(
            screen.contains("1. 600  Acme (plan PROFESSIONAL)"),
            "{screen}"
        );
        assert!(screen.contains("2. 700  Beta"), "{screen}");
        let mut console = Scripted::new(&["600\n"]);
        assert_eq!(
            ask_org(&mut console, &orgs).unwrap().as_deref(),
            Some("600")
        );
        for answers in [&[][..], &["\n"], &["3\n"], &["800\n"]] {
            let mut console = Scripted::new(answers);
            assert!(ask_org(&mut console, &orgs).is_err(), "{answers:?}");
        }
    }

    #[test]
    fn the_next_step_after_a_login_is_doctor_then_config_init_without_an_organization() {
        let with = next_steps(true);
        assert!(with.contains("Next: zbooks doctor"), "{with}");
        assert!(!with.contains("config init"), "{with}");
        let without = next_steps(false);
        assert!(without.contains("zbooks config init"), "{without}");
    }

    #[test]
    fn scopes_follow_the_use() {
        assert_eq!(Use::Full.scopes(), ["ZohoBooks.fullaccess.all"]);
        let import = Use::Import.scopes();
        assert!(import.contains(&"ZohoBooks.settings.CREATE".to_owned()));
        assert!(import.contains(&"ZohoBooks.accountants.READ".to_owned()));
        assert_eq!(families_of(&import.join(",")).len(), FAMILIES.len());
        assert_eq!(
            families_of("ZohoBooks.contacts.ALL,ZohoBooks.settings.READ"),
            ["contacts", "settings"]
        );
        assert_eq!(
            console_url(DataCenter::Ca),
            "https://api-console.zohocloud.ca"
        );
        assert_eq!(
            console_url(DataCenter::Au),
            "https://api-console.zoho.com.au"
        );
    }
}
