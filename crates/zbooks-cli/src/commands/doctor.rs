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

use std::fmt::Write as _;
use std::io::Read as _;
use std::time::{Duration, SystemTime};

use clap::Args;
use serde::Serialize;
use zbooks_client::oauth::{AuthScheme, ClientProbe, ProbeAnswer};
use zbooks_client::{Client, ErrorKind, Method};
use zbooks_types::{Clock as _, DataCenter, FailureClass, SystemClock};

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::auth::{FAMILIES, Org, Use, families_of, human, orgs_of};
use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::{Printer, wrap};
use crate::settings::{Settings, Source};
use crate::{CommandResult, exit, render};

/// The version of `doctor --format json`.
const SCHEMA: u32 = 1;
/// Clock skew that earns a warning, and a failure.
const SKEW_WARN: Duration = Duration::from_mins(1);
const SKEW_FAIL: Duration = Duration::from_mins(5);

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

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

/// One line of the checklist.
#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    status: Status,
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
    #[serde(skip)]
    exit: u8,
}

impl Check {
    fn pass(name: &'static str, summary: impl Into<String>) -> Self {
        Check {
            name,
            status: Status::Pass,
            summary: summary.into(),
            fix: None,
            exit: exit::OK,
        }
    }
    fn warn(name: &'static str, summary: impl Into<String>, fix: impl Into<String>) -> Self {
        Check {
            name,
            status: Status::Warn,
            summary: summary.into(),
            fix: Some(fix.into()),
            exit: exit::OK,
        }
    }
    fn fail(
        name: &'static str,
        exit: u8,
        summary: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            name,
            status: Status::Fail,
            summary: summary.into(),
            fix: Some(fix.into()),
            exit,
        }
    }
    fn skip(name: &'static str, summary: impl Into<String>) -> Self {
        Check {
            name,
            status: Status::Skip,
            summary: summary.into(),
            fix: None,
            exit: exit::OK,
        }
    }
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
            "schema": SCHEMA,
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

fn is_override(source: &Source) -> &'static str {
    match source {
        Source::Default => "",
        _ => " (override)",
    }
}

fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', ':', '?'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

async fn checklist(ctx: &Context, args: &DoctorArgs, header: Option<&str>) -> Vec<Check> {
    let s = &ctx.settings;
    let mut checks = Vec::new();

    // 1. A profile.
    let from_elsewhere = [
        s.client_id.as_ref().map(|c| &c.source),
        s.refresh_token.as_ref().map(|r| &r.source),
    ]
    .into_iter()
    .flatten()
    .any(|src| matches!(src, Source::Env { .. } | Source::Store { .. }));
    checks.push(if s.profile_exists {
        Check::pass(
            "profile",
            format!("{:?} in {}", s.profile.value, s.config_path.value.display()),
        )
    } else if s.config_found && s.profile.source != Source::Default {
        Check::fail(
            "profile",
            exit::USAGE,
            format!(
                "profile {:?} (from {}) is not in {}",
                s.profile.value,
                s.profile.source,
                s.config_path.value.display()
            ),
            "add [profiles.NAME] to the config file, or name an existing profile",
        )
    } else if from_elsewhere {
        Check::pass(
            "profile",
            format!(
                "{:?}: no config file needed, settings come from the environment and the stored \
                 login",
                s.profile.value
            ),
        )
    } else {
        Check::fail(
            "profile",
            exit::AUTH,
            format!(
                "no profile {:?}: no config file at {} and no login",
                s.profile.value,
                s.config_path.value.display()
            ),
            "run `zbooks auth login --dc <your data center>` (it keeps what it needs), or set \
             ZBOOKS_CLIENT_ID, ZBOOKS_CLIENT_SECRET and ZBOOKS_REFRESH_TOKEN",
        )
    });

    // 2. Credentials.
    let creds_ok = s.client_id.is_some() && s.client_secret.is_some() && s.refresh_token.is_some();
    checks.push(
        if let (Some(id), Some(secret), Some(refresh)) =
            (&s.client_id, &s.client_secret, &s.refresh_token)
        {
            let age = ctx
                .login
                .as_ref()
                .filter(|_| matches!(refresh.source, Source::Store { .. }))
                .map(|l| {
                    format!(
                        ", logged in {} ago",
                        human(
                            SystemClock
                                .now()
                                .duration_since(l.created_at)
                                .unwrap_or_default()
                        )
                    )
                })
                .unwrap_or_default();
            Check::pass(
                "credentials",
                format!(
                    "client {} ({}), secret {} ({}), refresh token {} ({}{age})",
                    id.value,
                    id.source,
                    secret.value.masked(),
                    secret.source,
                    refresh.value.masked(),
                    refresh.source
                ),
            )
        } else {
            let missing: Vec<&str> = [
                (s.client_id.is_none(), "client id"),
                (s.client_secret.is_none(), "client secret"),
                (s.refresh_token.is_none(), "refresh token"),
            ]
            .iter()
            .filter(|(m, _)| *m)
            .map(|(_, n)| *n)
            .collect();
            Check::fail(
                "credentials",
                exit::AUTH,
                format!("missing: {}", missing.join(", ")),
                "run `zbooks auth login` (it keeps all three, private to you), or set \
                 ZBOOKS_CLIENT_ID, ZBOOKS_CLIENT_SECRET and ZBOOKS_REFRESH_TOKEN",
            )
        },
    );

    // 3. Data center: accounts host and API host agree.
    let accounts_url = ctx.accounts_url();
    let api_base = ctx.api_base();
    let dc_check = if let (Ok(accounts), Some(api)) = (&accounts_url, &api_base) {
        let a = DataCenter::from_host(&host_of(accounts));
        let b = DataCenter::from_host(&host_of(api));
        let acc_src = s
            .accounts_url
            .as_ref()
            .map_or("", |r| is_override(&r.source));
        let api_src = s.api_url.as_ref().map_or("", |r| is_override(&r.source));
        match (a, b) {
            (Some(a), Some(b)) if a != b => Check::fail(
                "data center",
                exit::USAGE,
                format!(
                    "the accounts server {accounts} is data center {a} but the API {api} is \
                         {b}"
                ),
                "a Zoho account lives in one data center: use its accounts server and API \
                     together (set only --dc / ZBOOKS_DC, not the URL overrides)",
            ),
            _ => Check::pass(
                "data center",
                format!(
                    "{}: accounts {accounts}{acc_src}, API {api}{api_src}",
                    ctx.dc_name()
                ),
            ),
        }
    } else {
        let hint = accounts_url
            .as_ref()
            .err()
            .and_then(|e| e.hint.clone())
            .unwrap_or_else(|| context::no_data_center().hint.unwrap_or_default());
        Check::fail(
            "data center",
            exit::USAGE,
            "not set: zbooks does not know which Zoho servers to ask",
            hint,
        )
    };
    let dc_ok = dc_check.status == Status::Pass;
    checks.push(dc_check);

    if !(creds_ok && dc_ok) {
        for name in [
            "refresh",
            "api domain",
            "organization",
            "header",
            "plan",
            "scopes",
            "clock",
            "reachable",
        ] {
            checks.push(Check::skip(name, "needs the checks above"));
        }
        if let Some(h) = header {
            checks.push(check_user_header(h));
        }
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
    let started = tokio::time::Instant::now();
    let refreshed = client.refresh_now().await;
    let accounts_ms = started.elapsed().as_millis();
    let token = match refreshed {
        Ok(info) => {
            let expires = info
                .expires_at
                .and_then(|at| at.duration_since(SystemClock.now()).ok())
                .map_or_else(String::new, |d| format!(", valid for {}", human(d)));
            checks.push(Check::pass(
                "refresh",
                format!("the accounts server minted an access token{expires}"),
            ));
            info
        }
        Err(err) => {
            checks.push(refresh_failure(ctx, &accounts_url, &err).await);
            for name in [
                "api domain",
                "organization",
                "header",
                "plan",
                "scopes",
                "clock",
            ] {
                checks.push(Check::skip(name, "needs a working refresh"));
            }
            checks.push(if matches!(err.kind(), ErrorKind::Transport { .. }) {
                Check::fail(
                    "reachable",
                    exit::UNREACHABLE,
                    format!("the accounts server {accounts_url} did not answer"),
                    "check the network, a proxy, and ZBOOKS_ACCOUNTS_URL if set",
                )
            } else {
                Check::pass(
                    "reachable",
                    format!(
                        "accounts server {} answered in {accounts_ms} ms",
                        host_of(&accounts_url)
                    ),
                )
            });
            if let Some(h) = header {
                checks.push(check_user_header(h));
            }
            return checks;
        }
    };

    // 5. api_domain against the API host in use.
    let api = api_base.unwrap_or_default();
    checks.push(match &token.api_domain {
        Some(domain) => {
            let domain = domain.trim_end_matches('/');
            let pinned = s.api_url.as_ref();
            let token_dc = domain.parse::<DataCenter>().ok();
            let profile_dc = s.dc.as_ref().map(|d| d.value);
            if let Some(pinned) = pinned.filter(|u| !u.value.starts_with(domain)) {
                Check::fail(
                    "api domain",
                    exit::AUTH,
                    format!(
                        "the token's api_domain is {domain} but calls go to {} (from {}): Zoho \
                         refuses a token on another data center's API with 401/57",
                        pinned.value, pinned.source
                    ),
                    format!("point the API URL at {domain}/books/v3, or unset it to follow the token"),
                )
            } else if let (Some(t), Some(d)) = (token_dc, profile_dc)
                && t != d
            {
                Check::warn(
                    "api domain",
                    format!("the token's api_domain is {domain} (data center {t}) but the profile says {d}"),
                    format!("set the data center to {t}; zbooks follows the token's api_domain meanwhile"),
                )
            } else {
                Check::pass(
                    "api domain",
                    format!("the token's api_domain {domain} matches the API in use ({api})"),
                )
            }
        }
        None => Check::pass("api domain", format!("calls go to {api}")),
    });

    // 6. Organizations (and, from the same answer, reachability and the server's clock).
    let orgs_probe = client
        .probe(
            Method::GET,
            "/organizations",
            &[],
            AuthScheme::ZohoOauthtoken,
        )
        .await;
    let mut api_answer: Option<(u128, Option<SystemTime>)> = None;
    let orgs: Option<Vec<Org>> = match &orgs_probe {
        Ok(answer) => {
            api_answer = Some((answer.duration.as_millis(), answer.server_date()));
            match &answer.failure {
                None => serde_json::from_slice(&answer.body)
                    .ok()
                    .map(|b| orgs_of(&b)),
                Some(_) => None,
            }
        }
        Err(_) => None,
    };
    let org_id = s.organization_id.as_ref().map(|o| o.value.clone());
    let mut org_ok = false;
    let mut plan_name: Option<String> = None;
    checks.push(match (&orgs_probe, &orgs) {
        (Err(err), _) => Check::fail(
            "organization",
            render::exit_code(err),
            format!("cannot list the organizations: {}", zbooks_types::scrub(&err.to_string())),
            render::hint(err).unwrap_or_default(),
        ),
        (Ok(answer), None) => {
            let failure = answer.failure.as_ref();
            Check::fail(
                "organization",
                failure.map_or(exit::UNREACHABLE, |f| render::exit_code_for(f.class)),
                format!(
                    "GET /organizations answered HTTP {}{}",
                    answer.status,
                    failure
                        .and_then(|f| f.code.map(|c| format!(" with code {c}")))
                        .unwrap_or_default()
                ),
                failure
                    .and_then(|f| f.code)
                    .and_then(zbooks_types::catalog::by_code)
                    .map_or("check the API URL and the token's scopes (GET /organizations needs ZohoBooks.settings.READ)", |e| e.fix)
                    .to_owned(),
            )
        }
        (Ok(_), Some(orgs)) => {
            let list = orgs
                .iter()
                .map(|o| {
                    format!(
                        "{} {}{}",
                        o.organization_id,
                        o.name,
                        if o.is_default_org { " (default)" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            match &org_id {
                // Zoho picks a lone organization itself and refuses to pick among several
                // (6024): only the second makes every Books call fail.
                None if orgs.len() > 1 => Check::fail(
                    "organization",
                    exit::USAGE,
                    format!(
                        "organization_id is not set and this user belongs to {} organizations: \
                         Zoho refuses every Books call without it (code 6024)",
                        orgs.len()
                    ),
                    format!(
                        "choose one (--org, ZBOOKS_ORG_ID or `organization_id` in the profile); this user's: {list}"
                    ),
                ),
                None if orgs.len() == 1 => Check::warn(
                    "organization",
                    format!(
                        "organization_id is not set: Zoho uses this user's only organization, {list}"
                    ),
                    "set it (--org, ZBOOKS_ORG_ID or `organization_id` in the profile), so a \
                     second organization joined later does not make every call fail with 6024",
                ),
                None => Check::fail(
                    "organization",
                    exit::USAGE,
                    "organization_id is not set: every Books call needs one".to_owned(),
                    format!(
                        "set it (--org, ZBOOKS_ORG_ID or `organization_id` in the profile) to one of this user's: {list}"
                    ),
                ),
                Some(id) => match orgs.iter().find(|o| &o.organization_id == id) {
                    None => Check::fail(
                        "organization",
                        exit::ZOHO_REJECTED,
                        format!(
                            "organization {id} is not one this user belongs to: Zoho answers its \
                             calls with code 6041"
                        ),
                        if orgs.is_empty() {
                            "this user belongs to no organization: create one in Zoho Books, or log in as a user who belongs to it".to_owned()
                        } else {
                            format!("set organization_id to one of this user's: {list}")
                        },
                    ),
                    Some(org) => {
                        org_ok = true;
                        plan_name.clone_from(&org.plan);
                        if org.is_org_active {
                            Check::pass("organization", format!("{id} {} belongs to this user", org.name))
                        } else {
                            Check::warn(
                                "organization",
                                format!("{id} {} is not active: its trial is over, writes fail with 103001", org.name),
                                "upgrade the organization to a paid plan, or use another organization",
                            )
                        }
                    }
                },
            }
        }
    });

    // 7. The Authorization header.
    let bearer = client
        .probe(Method::GET, "/organizations", &[], AuthScheme::Bearer)
        .await;
    checks.push(match (&orgs, bearer) {
        (Some(_), Ok(answer)) if answer.failure.is_some() => Check::pass(
            "header",
            format!(
                "zbooks sends `Authorization: Zoho-oauthtoken <token>`, which Zoho accepted; it \
                 refused `Bearer <token>` with HTTP {}{}",
                answer.status,
                answer
                    .failure
                    .as_ref()
                    .and_then(|f| f.code)
                    .map(|c| format!("/{c}"))
                    .unwrap_or_default()
            ),
        ),
        (Some(_), _) => Check::pass(
            "header",
            "zbooks sends `Authorization: Zoho-oauthtoken <token>`, which Zoho accepted",
        ),
        (None, _) => Check::skip("header", "needs GET /organizations to answer"),
    });
    if let Some(h) = header {
        checks.push(check_user_header(h));
    }

    // 8. Plan and calls left today.
    checks.push(match (&org_id, org_ok) {
        (Some(id), true) => plan_check(&client, id, plan_name.as_deref()).await,
        _ => Check::skip("plan", "needs a valid organization"),
    });

    // 9. Scopes.
    let families: Vec<&'static str> = match (args.use_, &ctx.login) {
        (Some(u), _) => families_of(&u.scopes().join(",")),
        (None, Some(login))
            if matches!(
                s.refresh_token.as_ref().map(|r| &r.source),
                Some(Source::Store { .. })
            ) =>
        {
            families_of(&login.scopes)
        }
        _ => FAMILIES.iter().map(|(f, _)| *f).collect(),
    };
    if org_ok {
        let (check, date) = scope_check(&client, &families).await;
        if api_answer.as_ref().is_some_and(|a| a.1.is_none()) {
            api_answer = api_answer.map(|(ms, _)| (ms, date));
        }
        checks.push(check);
    } else {
        checks.push(Check::skip("scopes", "needs a valid organization"));
    }

    // 10. Clock skew.
    let now = SystemClock.now();
    checks.push(match api_answer.and_then(|a| a.1) {
        Some(server) => {
            let (skew, ahead) = match now.duration_since(server) {
                Ok(d) => (d, "ahead of"),
                Err(e) => (e.duration(), "behind"),
            };
            let text = format!("this machine is {} {ahead} the server's Date", human(skew));
            if skew >= SKEW_FAIL {
                Check::fail(
                    "clock",
                    exit::USAGE,
                    text,
                    "set the clock right (NTP): token expiry and the daily quota's reset are \
                     reckoned on it",
                )
            } else if skew >= SKEW_WARN {
                Check::warn("clock", text, "sync the clock (NTP)")
            } else {
                Check::pass("clock", "within a minute of the server's Date")
            }
        }
        None => Check::skip("clock", "the API sent no Date header"),
    });

    // 11. Reachability.
    checks.push(match &orgs_probe {
        Ok(answer) => Check::pass(
            "reachable",
            format!(
                "accounts server {} answered in {accounts_ms} ms; API {} in {} ms",
                host_of(&accounts_url),
                host_of(&api),
                answer.duration.as_millis()
            ),
        ),
        Err(_) => Check::fail(
            "reachable",
            exit::UNREACHABLE,
            format!("the API {api} did not answer"),
            "check the network, a proxy, and ZBOOKS_API_URL if set",
        ),
    });
    checks
}

/// A failed refresh, told apart: invalid_client (and which data center knows the client),
/// invalid_code, a throttle, the network.
async fn refresh_failure(ctx: &Context, accounts_url: &str, err: &zbooks_client::Error) -> Check {
    let accounts_error = err.failure().and_then(|f| f.accounts_error.clone());
    match (err.kind(), accounts_error.as_deref()) {
        (ErrorKind::TokenThrottled { retry_at }, _) => {
            let wait = retry_at
                .duration_since(SystemClock.now())
                .unwrap_or_default();
            Check::fail(
                "refresh",
                exit::AUTH,
                format!(
                    "the accounts server throttles token requests (\"Access Denied\"); zbooks \
                     will not ask again for {}",
                    human(wait)
                ),
                "wait that long, then run again. Zoho allows 10 token requests per refresh token \
                 in 10 minutes; zbooks caches tokens across processes, so if this comes back, \
                 something else refreshes on every call with the same refresh token (`zbooks \
                 logs analyze` on its logs shows it)",
            )
        }
        (_, Some("invalid_code")) => Check::fail(
            "refresh",
            exit::AUTH,
            "the refresh token is revoked or wrong (invalid_code)",
            "run `zbooks auth login` for a new one. A refresh token dies when it is revoked \
             (auth logout, the developer console), when the user makes a 21st one for this \
             client, or when it was copied wrong",
        ),
        (_, Some("invalid_client")) => dc_probe(ctx, accounts_url).await,
        (ErrorKind::Transport { .. }, _) => Check::fail(
            "refresh",
            exit::UNREACHABLE,
            format!(
                "the accounts server {accounts_url} did not answer: {}",
                zbooks_types::scrub(&err.to_string())
            ),
            "check the network, a proxy, and ZBOOKS_ACCOUNTS_URL if set",
        ),
        _ => Check::fail(
            "refresh",
            render::exit_code(err),
            zbooks_types::scrub(&err.to_string()),
            render::hint(err).unwrap_or_default(),
        ),
    }
}

/// Where the other data centers' accounts servers are: the pattern, else below an accounts URL
/// override (as the simulator serves them), else Zoho's hosts.
fn other_accounts_urls(ctx: &Context) -> Vec<(DataCenter, String)> {
    let s = &ctx.settings;
    let current = s.dc.as_ref().map(|d| d.value);
    DataCenter::ALL
        .iter()
        .filter(|dc| s.accounts_url.is_some() || Some(**dc) != current)
        .map(|dc| {
            let url = if let Some(pattern) = &s.accounts_url_pattern {
                pattern.value.replace("{dc}", dc.name())
            } else if let Some(base) = &s.accounts_url {
                format!("{}/dc/{}", base.value.trim_end_matches('/'), dc.name())
            } else {
                dc.accounts_url().to_owned()
            };
            (*dc, url)
        })
        .collect()
}

async fn dc_probe(ctx: &Context, accounts_url: &str) -> Check {
    let s = &ctx.settings;
    let (Some(id), Some(secret)) = (&s.client_id, &s.client_secret) else {
        return Check::fail(
            "refresh",
            exit::AUTH,
            "invalid_client",
            "check the client id and secret",
        );
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (dc, url) in other_accounts_urls(ctx) {
        let Ok(server) = ctx.accounts_server(&url) else {
            continue;
        };
        let id = id.value.clone();
        let secret = secret.value.clone();
        tasks.spawn(async move { (dc, url, server.probe_client(&id, &secret).await) });
    }
    let mut known = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((dc, url, Ok(ClientProbe::Known))) = joined {
            known.push((dc, url));
        }
    }
    known.sort();
    let summary = format!(
        "the accounts server {accounts_url} does not know this client id and secret \
         (invalid_client)"
    );
    match known.first() {
        Some((dc, url)) => Check::fail(
            "refresh",
            exit::AUTH,
            format!("{summary}; the accounts server of data center {dc} ({url}) does"),
            format!(
                "the client was registered in data center {dc} ({}): set --dc {dc}, ZBOOKS_DC={dc} \
                 or `dc = \"{dc}\"` in the profile{}",
                dc.info().label,
                if s.accounts_url.is_some() {
                    format!(", and the accounts URL override to {url}")
                } else {
                    String::new()
                }
            ),
        ),
        None => Check::fail(
            "refresh",
            exit::AUTH,
            format!("{summary}, nor does any other data center's"),
            "the client id or secret is wrong: copy both again from the developer console \
             (Self Client → Client Secret)",
        ),
    }
}

/// The `Authorization` header a user's own code sends, checked without sending it.
fn check_user_header(header: &str) -> Check {
    let value = header
        .trim()
        .strip_prefix("Authorization:")
        .or_else(|| header.trim().strip_prefix("authorization:"))
        .unwrap_or(header)
        .trim();
    let mut parts = value.splitn(2, ' ');
    let scheme = parts.next().unwrap_or_default();
    let token = parts.next().unwrap_or_default().trim();
    let shown = if token.is_empty() {
        String::new()
    } else {
        " <token>".to_owned()
    };
    let fix = "write the header as `Authorization: Zoho-oauthtoken <access token>` (reference \
               §3.4): Zoho answers any other scheme with 401 and code 14";
    if scheme == "Zoho-oauthtoken" && !token.is_empty() && !token.contains(' ') {
        return Check::pass(
            "your header",
            "`Authorization: Zoho-oauthtoken <token>`: the scheme Zoho wants",
        );
    }
    if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' ') {
        // Zoho Accounts' "Using the access token" page gives `Bearer` beside `Zoho-oauthtoken`
        // for every Zoho REST API, and published Books clients send it; Books' own pages only
        // ever write `Zoho-oauthtoken` (reference §3.4). Accepted, with the documented form named.
        return Check::warn(
            "your header",
            format!(
                "your header is `Authorization: {scheme}{shown}`: Zoho Accounts documents Bearer \
                 for Zoho's APIs, but every Books page writes `Zoho-oauthtoken`"
            ),
            "if Zoho answers 401 with code 14, write the header as `Authorization: \
             Zoho-oauthtoken <access token>` (reference §3.4)",
        );
    }
    let problem = if scheme.eq_ignore_ascii_case("zoho-authtoken") {
        "your header uses `Zoho-authtoken`, the deprecated authtoken scheme".to_owned()
    } else if scheme.eq_ignore_ascii_case("zoho-oauthtoken") && !token.is_empty() {
        format!(
            "your header's scheme is written `{scheme}`; Zoho's examples write `Zoho-oauthtoken`"
        )
    } else if token.is_empty() {
        "your header has no scheme, or no token after it".to_owned()
    } else {
        format!("your header uses the scheme `{scheme}`")
    };
    Check::fail("your header", exit::AUTH, problem, fix)
}

async fn plan_check(client: &Client, org: &str, plan_name: Option<&str>) -> Check {
    let plan = plan_name.and_then(zbooks_types::Plan::from_zoho_text);
    let snapshot = client.limits_snapshot(org).await.ok();
    let daily = snapshot.and_then(|s| s.daily);
    let limit = daily
        .map(|d| d.limit)
        .or_else(|| plan.map(|p| p.limits().per_day));
    let used = daily.map_or(0, |d| d.used);
    let plan_text = plan.map_or_else(
        || plan_name.unwrap_or("plan unknown").to_owned(),
        |p| format!("{} plan", p.name()),
    );
    match limit {
        Some(limit) => {
            let left = limit.saturating_sub(used);
            let text = format!(
                "{plan_text}: {} calls a day; {used} used today by zbooks on this machine, {} left",
                zbooks_types::explain::thousands(limit),
                zbooks_types::explain::thousands(left)
            );
            if left == 0 {
                Check::fail(
                    "plan",
                    exit::QUOTA,
                    text,
                    "wait for the daily reset (`zbooks quota` estimates it), or ask Zoho support to raise the limit",
                )
            } else if u64::from(left) * 10 < u64::from(limit) {
                Check::warn(
                    "plan",
                    text,
                    "less than a tenth of the day's calls are left",
                )
            } else {
                Check::pass("plan", text)
            }
        }
        None => Check::pass("plan", plan_text),
    }
}

/// One cheap GET per family with the fresh token: a 401/57 now means the scope is missing.
async fn scope_check(client: &Client, families: &[&'static str]) -> (Check, Option<SystemTime>) {
    let mut missing = Vec::new();
    let mut other = Vec::new();
    let mut date = None;
    for family in families {
        let Some((_, path)) = FAMILIES.iter().find(|(f, _)| f == family) else {
            continue;
        };
        match client
            .probe(
                Method::GET,
                path,
                &[("per_page", "1")],
                AuthScheme::ZohoOauthtoken,
            )
            .await
        {
            Ok(ProbeAnswer { failure: None, .. }) => {}
            Ok(answer) => {
                date = date.or_else(|| answer.server_date());
                let failure = answer.failure.as_ref();
                if failure
                    .is_some_and(|f| f.code == Some(57) || f.class == FailureClass::AuthExpired)
                {
                    missing.push(format!("ZohoBooks.{family}.READ"));
                } else {
                    other.push(format!(
                        "GET {path}: HTTP {}{}",
                        answer.status,
                        failure
                            .and_then(|f| f.code)
                            .map(|c| format!(" code {c}"))
                            .unwrap_or_default()
                    ));
                }
            }
            Err(err) => other.push(format!(
                "GET {path}: {}",
                zbooks_types::scrub(&err.to_string())
            )),
        }
    }
    let check = if !missing.is_empty() {
        Check::fail(
            "scopes",
            exit::AUTH,
            format!(
                "a fresh token is refused with 401/57 for: {} — it lacks these scopes",
                missing.join(", ")
            ),
            "run `zbooks auth login` again with a grant code that includes them (or \
             ZohoBooks.fullaccess.all); `--for` picks the scope list",
        )
    } else if !other.is_empty() {
        Check::warn(
            "scopes",
            format!("could not check every family: {}", other.join("; ")),
            "run `zbooks doctor` again; `zbooks explain` reads the codes",
        )
    } else {
        Check::pass(
            "scopes",
            format!(
                "the token reads {} (CREATE/UPDATE are not probed: that would write)",
                families.join(", ")
            ),
        )
    };
    (check, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_headers_are_checked_by_scheme() {
        assert_eq!(
            check_user_header("Authorization: Zoho-oauthtoken sim.abc").status,
            Status::Pass
        );
        let bearer = check_user_header("Authorization: Bearer 1000.canarytoken");
        assert_eq!(bearer.status, Status::Warn);
        assert!(!bearer.summary.contains("canary"), "{}", bearer.summary);
        assert!(bearer.fix.unwrap().contains("Zoho-oauthtoken"));
        let basic = check_user_header("Authorization: Basic 1000.canarytoken");
        assert_eq!(basic.status, Status::Fail);
        assert!(!basic.summary.contains("canary"), "{}", basic.summary);
        assert_eq!(check_user_header("1000.abc").status, Status::Fail);
        assert_eq!(check_user_header("Zoho-authtoken abc").status, Status::Fail);
    }

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(
            host_of("https://accounts.zoho.eu/oauth"),
            "accounts.zoho.eu"
        );
        assert_eq!(host_of("http://127.0.0.1:8787/books/v3"), "127.0.0.1");
    }
}
