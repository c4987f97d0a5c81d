//! Resolved settings: every value a command uses, with where it came from.
//!
//! Precedence is flag > environment variable > config-file profile > default (ripgrep's
//! low-level arguments turned into validated settings; uv's provenance). The config file is TOML
//! at the platform's config path (or `--config` / `ZBOOKS_CONFIG`), with named profiles; keys
//! zbooks does not know are warned about, not dropped silently. Commands receive [`Settings`],
//! never raw arguments or environment variables. The flags every command takes ([`GlobalArgs`])
//! are defined here, beside their resolution, so this layer never reaches up to `args`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::{Deserialize, Serialize};
use zbooks_types::{DataCenter, Plan, Secret};

use crate::env::{self, Env};
use crate::error::CliError;
use crate::printer::{ColorChoice, OutputFormat};
use zbooks_store::StoredCredentials;

/// The `--help` heading of the output flags.
pub const HEADING_OUTPUT: &str = "Output";
/// The `--help` heading of the flags that pick the Zoho account and organization.
pub const HEADING_ACCOUNT: &str = "Zoho account";
/// The `--help` heading of the testing-only flags: hidden, shown by `--help-all`.
pub const HEADING_TESTING: &str = "Testing";

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format: text for people, json (versioned) for scripts.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text, help_heading = HEADING_OUTPUT)]
    pub format: OutputFormat,
    /// When to colour the output (NO_COLOR set means never, unless always).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = HEADING_OUTPUT)]
    pub color: ColorChoice,
    /// Show more on stderr: -v warnings and each failed attempt, -vv information, -vvv every
    /// call, -vvvv everything (the libraries beneath too).
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count, help_heading = HEADING_OUTPUT)]
    pub verbose: u8,
    /// Print only errors and the results on stdout: no notes, no progress, no log.
    // `zbooks call` keeps `-q` for its query parameters, as docs/design.md's synopsis writes
    // it: clap cannot give one short flag two meanings in one command, so `call` declares
    // its own `--quiet` under this id (`commands::call::CallArgs::quiet`) and this global
    // `-q` is not given to it. Everywhere else, and before `call` (`zbooks -q call ...`),
    // `-q` is quiet.
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose", help_heading = HEADING_OUTPUT)]
    pub quiet: bool,
    /// Append every call's event (JSON Lines, as `zbooks logs analyze` reads) to FILE.
    #[arg(long, global = true, value_name = "FILE", help_heading = HEADING_OUTPUT)]
    pub log_file: Option<std::path::PathBuf>,
    /// The config-file profile to use [env: ZBOOKS_PROFILE].
    #[arg(long, global = true, value_name = "NAME", help_heading = HEADING_ACCOUNT)]
    pub profile: Option<String>,
    /// The data center: us, eu, in, au, jp, ca, cn, sa [env: ZBOOKS_DC].
    #[arg(long, global = true, value_name = "DC", help_heading = HEADING_ACCOUNT)]
    pub dc: Option<String>,
    /// The organization id [env: ZBOOKS_ORG_ID].
    #[arg(long, global = true, value_name = "ID", help_heading = HEADING_ACCOUNT)]
    pub org: Option<String>,
    /// The config file to read [env: ZBOOKS_CONFIG].
    #[arg(long, global = true, value_name = "FILE", help_heading = HEADING_ACCOUNT)]
    pub config: Option<std::path::PathBuf>,
    /// Print help, with the testing-only options too.
    #[arg(long, global = true, display_order = 1000)]
    pub help_all: bool,
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A command-line flag.
    Flag {
        /// The flag (`--org`).
        flag: &'static str,
    },
    /// An environment variable.
    Env {
        /// Its name.
        var: &'static str,
    },
    /// The config file.
    File {
        /// The file.
        path: PathBuf,
        /// The profile.
        profile: String,
    },
    /// The login `zbooks auth login` kept in the private store.
    Store {
        /// The store file.
        path: PathBuf,
    },
    /// zbooks's default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag { flag } => write!(f, "flag {flag}"),
            Source::Env { var } => write!(f, "env {var}"),
            Source::File { path, profile } => {
                write!(f, "config {} [profiles.{profile}]", path.display())
            }
            Source::Store { path } => write!(f, "store {} (auth login)", path.display()),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub struct Resolved<T> {
    /// The value.
    pub value: T,
    /// Its source.
    pub source: Source,
}

/// One profile of the config file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// Data center name.
    pub dc: Option<String>,
    /// Organization id.
    pub organization_id: Option<String>,
    /// OAuth client id.
    pub client_id: Option<String>,
    /// OAuth client secret (better kept in the environment or left to `auth login`).
    pub client_secret: Option<String>,
    /// A refresh token (normally stored by `auth login` in the private store instead).
    pub refresh_token: Option<String>,
    /// Accounts server override.
    pub accounts_url: Option<String>,
    /// Books API base override.
    pub api_url: Option<String>,
    /// The organization's plan.
    pub plan: Option<String>,
    /// Where the shared budget and token cache live (`redis://…` or `postgres://…`; unset: the
    /// SQLite store).
    pub state: Option<String>,
}

/// The config file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ConfigFile {
    /// The profile used when none is named.
    pub default_profile: Option<String>,
    /// Named profiles.
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileConfig>,
}

/// Every resolved setting.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The profile in use.
    pub profile: Resolved<String>,
    /// Whether the profile exists in the config file.
    pub profile_exists: bool,
    /// The config file path, and whether it exists.
    pub config_path: Resolved<PathBuf>,
    /// Whether the config file was found.
    pub config_found: bool,
    /// Where state lives.
    pub data_dir: Resolved<PathBuf>,
    /// Where the machine-wide import locks live: fixed for the user, whatever the store
    /// ([`default_lock_dir`]).
    pub lock_dir: PathBuf,
    /// Data center.
    pub dc: Option<Resolved<DataCenter>>,
    /// Organization id.
    pub organization_id: Option<Resolved<String>>,
    /// OAuth client id.
    pub client_id: Option<Resolved<String>>,
    /// OAuth client secret.
    pub client_secret: Option<Resolved<Secret>>,
    /// Refresh token given by env or file (the store's is read by commands that need it).
    pub refresh_token: Option<Resolved<Secret>>,
    /// Accounts server override.
    pub accounts_url: Option<Resolved<String>>,
    /// Books API base override.
    pub api_url: Option<Resolved<String>>,
    /// The `api_domain` the accounts server named at login (from the store only).
    pub api_domain: Option<Resolved<String>>,
    /// Where `doctor` asks the other data centers' accounts servers: a URL with `{dc}`.
    pub accounts_url_pattern: Option<Resolved<String>>,
    /// Plan.
    pub plan: Option<Resolved<Plan>>,
    /// Where the shared budget and token cache live (`redis://…` or `postgres://…`), when not
    /// the SQLite store.
    pub state: Option<Resolved<String>>,
    /// Whether NO_COLOR is set.
    pub no_color: bool,
    /// How far this process's clock is moved, in microseconds (`ZBOOKS_CLOCK_SKEW`, testing
    /// only: a machine whose clock is off); 0 when not.
    pub clock_skew_us: i64,
    /// The command running (`import`, `worker`...), for the name the shared state counts this
    /// process's calls under.
    pub command: String,
    /// Where `zbooks import` journals, when not the SQLite store: a `postgres://` URL
    /// (`ZBOOKS_JOURNAL`; kept as a secret, since a URL may carry a password).
    pub journal_url: Option<Secret>,
    /// Things worth telling the user (unknown config keys, ...).
    pub warnings: Vec<String>,
}

/// `ZBOOKS_CLOCK_SKEW`: a duration with an optional sign (`+5s`, `-1500ms`), in microseconds.
fn parse_skew(text: &str) -> Result<i64, CliError> {
    let text = text.trim();
    let (negative, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let skew = zbooks_sim::parse_duration(magnitude).map_err(|e| {
        CliError::usage(format!("invalid {} {text:?}: {e}", env::CLOCK_SKEW))
            .with_hint("write a signed duration like +5s or -1500ms (testing only)")
    })?;
    let us = i64::try_from(skew.as_micros()).unwrap_or(i64::MAX);
    Ok(if negative { -us } else { us })
}

impl Settings {
    /// Resolves settings from flags, the environment and the config file.
    pub fn resolve(global: &GlobalArgs, env: &Env) -> Result<Settings, CliError> {
        let config_path = if let Some(path) = &global.config {
            Resolved {
                value: path.clone(),
                source: Source::Flag { flag: "--config" },
            }
        } else if let Some(path) = env.get(env::CONFIG) {
            Resolved {
                value: PathBuf::from(path),
                source: Source::Env { var: env::CONFIG },
            }
        } else {
            Resolved {
                value: default_config_path(env),
                source: Source::Default,
            }
        };
        let mut warnings = Vec::new();
        let (file, config_found) = read_config(&config_path, &mut warnings)?;

        let profile = if let Some(p) = &global.profile {
            Resolved {
                value: p.clone(),
                source: Source::Flag { flag: "--profile" },
            }
        } else if let Some(p) = env.get(env::PROFILE) {
            Resolved {
                value: p.to_owned(),
                source: Source::Env { var: env::PROFILE },
            }
        } else if let Some(p) = &file.default_profile {
            Resolved {
                value: p.clone(),
                source: Source::File {
                    path: config_path.value.clone(),
                    profile: "default_profile".to_owned(),
                },
            }
        } else {
            Resolved {
                value: "default".to_owned(),
                source: Source::Default,
            }
        };
        let profile_config = file.profiles.get(&profile.value).cloned();
        let profile_exists = profile_config.is_some();
        if !profile_exists && profile.source != Source::Default && config_found {
            let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            warnings.push(format!(
                "profile {:?} is not in {} (profiles there: {})",
                profile.value,
                config_path.value.display(),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ));
        }
        let pc = profile_config.unwrap_or_default();
        let file_source = || Source::File {
            path: config_path.value.clone(),
            profile: profile.value.clone(),
        };
        let pick = |flag: Option<(&'static str, &Option<String>)>,
                    var: &'static str,
                    file_value: &Option<String>|
         -> Option<Resolved<String>> {
            if let Some((name, Some(value))) = flag {
                return Some(Resolved {
                    value: value.clone(),
                    source: Source::Flag { flag: name },
                });
            }
            if let Some(value) = env.get(var) {
                return Some(Resolved {
                    value: value.to_owned(),
                    source: Source::Env { var },
                });
            }
            file_value
                .as_ref()
                .filter(|v| !v.trim().is_empty())
                .map(|value| Resolved {
                    value: value.clone(),
                    source: file_source(),
                })
        };

        let dc = pick(Some(("--dc", &global.dc)), env::DC, &pc.dc)
            .map(|r| parse_resolved(r, "data center", str::parse::<DataCenter>))
            .transpose()?;
        let plan = pick(None, env::PLAN, &pc.plan)
            .map(|r| parse_resolved(r, "plan", str::parse::<Plan>))
            .transpose()?;
        let organization_id = pick(
            Some(("--org", &global.org)),
            env::ORG_ID,
            &pc.organization_id,
        )
        .map(|r| {
            let value = r.value.trim().to_owned();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CliError::usage(format!(
                    "organization id {:?} (from {}) is not a number",
                    r.value, r.source
                ))
                .with_hint(
                    "Zoho organization ids are digit strings; `zbooks doctor` lists the \
                         organizations this token can use",
                ));
            }
            Ok(Resolved {
                value,
                source: r.source,
            })
        })
        .transpose()?;
        let secret = |r: Resolved<String>| Resolved {
            value: Secret::new(r.value.trim()),
            source: r.source,
        };
        let data_dir = env.get(env::DATA_DIR).map_or_else(
            || Resolved {
                value: default_data_dir(env),
                source: Source::Default,
            },
            |d| Resolved {
                value: PathBuf::from(d),
                source: Source::Env { var: env::DATA_DIR },
            },
        );
        let clock_skew_us = env
            .get(env::CLOCK_SKEW)
            .map(parse_skew)
            .transpose()?
            .unwrap_or(0);
        Ok(Settings {
            clock_skew_us,
            command: String::new(),
            client_id: pick(None, env::CLIENT_ID, &pc.client_id),
            client_secret: pick(None, env::CLIENT_SECRET, &pc.client_secret).map(secret),
            refresh_token: pick(None, env::REFRESH_TOKEN, &pc.refresh_token).map(secret),
            accounts_url: pick(None, env::ACCOUNTS_URL, &pc.accounts_url),
            api_url: pick(None, env::API_URL, &pc.api_url),
            state: pick(None, env::STATE, &pc.state),
            api_domain: None,
            accounts_url_pattern: pick(None, env::ACCOUNTS_URL_PATTERN, &None),
            profile,
            profile_exists,
            config_path,
            config_found,
            data_dir,
            lock_dir: default_lock_dir(env),
            dc,
            organization_id,
            plan,
            no_color: env.get(env::NO_COLOR).is_some(),
            journal_url: env.get(env::JOURNAL).map(|url| Secret::new(url.trim())),
            warnings,
        })
    }

    /// Every setting as (name, shown value, source), secrets masked, for `config show`.
    pub fn rows(&self) -> Vec<(&'static str, String, String)> {
        fn row<T>(
            name: &'static str,
            r: Option<&Resolved<T>>,
            show: impl Fn(&T) -> String,
        ) -> (&'static str, String, String) {
            r.map_or((name, "(not set)".to_owned(), String::new()), |r| {
                (name, show(&r.value), r.source.to_string())
            })
        }
        vec![
            (
                "profile",
                self.profile.value.clone(),
                self.profile.source.to_string(),
            ),
            (
                "config_file",
                format!(
                    "{}{}",
                    self.config_path.value.display(),
                    if self.config_found {
                        ""
                    } else {
                        " (not found)"
                    }
                ),
                self.config_path.source.to_string(),
            ),
            (
                "data_dir",
                self.data_dir.value.display().to_string(),
                self.data_dir.source.to_string(),
            ),
            row("dc", self.dc.as_ref(), |d| {
                format!("{} ({})", d.name(), d.info().label)
            }),
            row(
                "organization_id",
                self.organization_id.as_ref(),
                Clone::clone,
            ),
            row("client_id", self.client_id.as_ref(), Clone::clone),
            row("client_secret", self.client_secret.as_ref(), Secret::masked),
            row("refresh_token", self.refresh_token.as_ref(), Secret::masked),
            row("accounts_url", self.accounts_url.as_ref(), Clone::clone),
            row("api_url", self.api_url.as_ref(), Clone::clone),
            row("api_domain", self.api_domain.as_ref(), Clone::clone),
            row(
                "accounts_url_pattern",
                self.accounts_url_pattern.as_ref(),
                Clone::clone,
            ),
            row("plan", self.plan.as_ref(), ToString::to_string),
            row("state", self.state.as_ref(), |url| redact_url(url)),
        ]
    }

    /// Fills what flags, the environment and the config file left unset from the login
    /// `zbooks auth login` kept (so they rank below the file: an explicit setting wins over a
    /// remembered one). The client id and its secret and refresh token go together: a stored
    /// refresh token is used only with the stored client id.
    pub fn apply_login(&mut self, login: &StoredCredentials, store_path: &Path) {
        let source = || Source::Store {
            path: store_path.to_path_buf(),
        };
        let resolved = |value: String| Resolved {
            value,
            source: source(),
        };
        let same_client = self
            .client_id
            .as_ref()
            .is_none_or(|c| c.value == login.client_id);
        if !same_client {
            self.warnings.push(format!(
                "the login stored for profile {:?} is for client {}, but client_id {} comes from \
                 {}: the stored refresh token is not used",
                self.profile.value,
                login.client_id,
                self.client_id.as_ref().map_or("", |c| c.value.as_str()),
                self.client_id
                    .as_ref()
                    .map_or(Source::Default, |c| c.source.clone()),
            ));
            return;
        }
        if self.client_id.is_none() {
            self.client_id = Some(resolved(login.client_id.clone()));
        }
        if self.client_secret.is_none() {
            self.client_secret = Some(Resolved {
                value: login.client_secret.clone(),
                source: source(),
            });
        }
        if self.refresh_token.is_none() {
            self.refresh_token = Some(Resolved {
                value: login.refresh_token.clone(),
                source: source(),
            });
        }
        let dc_from_login = self.dc.is_none();
        if dc_from_login && let Some(dc) = login.data_center.as_deref().and_then(|d| d.parse().ok())
        {
            self.dc = Some(Resolved {
                value: dc,
                source: source(),
            });
        }
        // An accounts server the login was pointed at (a simulator, a proxy) is remembered,
        // unless the data center is now set explicitly.
        let is_dc_default = login
            .data_center
            .as_deref()
            .and_then(|d| d.parse::<DataCenter>().ok())
            .is_some_and(|dc| dc.accounts_url() == login.accounts_url);
        if self.accounts_url.is_none() && dc_from_login && !is_dc_default {
            self.accounts_url = Some(resolved(login.accounts_url.clone()));
        }
        if self.api_domain.is_none() && dc_from_login {
            self.api_domain = login.api_domain.clone().map(resolved);
        }
        if self.organization_id.is_none() {
            self.organization_id = login.organization_id.clone().map(resolved);
        }
    }
}

fn parse_resolved<T, E: fmt::Display>(
    r: Resolved<String>,
    what: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Resolved<T>, CliError> {
    match parse(&r.value) {
        Ok(value) => Ok(Resolved {
            value,
            source: r.source,
        }),
        Err(err) => Err(
            CliError::usage(format!("invalid {what} (from {})", r.source))
                .with_hint(err.to_string()),
        ),
    }
}

/// Reads the config file; a missing file is an empty config, a broken one an error naming the
/// file, line and column.
/// A URL with any password in it masked (`redis://:pw@host` → `redis://:***@host`).
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..])
        }
        None => url.to_owned(),
    }
}

fn read_config(
    path: &Resolved<PathBuf>,
    warnings: &mut Vec<String>,
) -> Result<(ConfigFile, bool), CliError> {
    let text = match std::fs::read_to_string(&path.value) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if path.source != Source::Default {
                return Err(CliError::usage(format!(
                    "config file {} (from {}) does not exist",
                    path.value.display(),
                    path.source
                )));
            }
            return Ok((ConfigFile::default(), false));
        }
        Err(err) => {
            return Err(CliError::io(
                format!("cannot read config file {}", path.value.display()),
                &err,
            ));
        }
    };
    let config = parse_config(&text, &path.value, warnings)?;
    if let Some(warning) = exposed_secret_warning(&path.value, &config) {
        warnings.push(warning);
    }
    Ok((config, true))
}

/// A warning when the config file holds a secret and others may read it: anyone on the machine
/// could then call Zoho as this user. zbooks never writes a secret to this file (`config set`
/// refuses them; the login it keeps goes to the owner-only store), so it can only say how to
/// fix it.
#[cfg(unix)]
fn exposed_secret_warning(path: &Path, config: &ConfigFile) -> Option<String> {
    use std::os::unix::fs::PermissionsExt as _;
    let secrets: Vec<&str> = config
        .profiles
        .values()
        .flat_map(|p| {
            [
                ("client_secret", &p.client_secret),
                ("refresh_token", &p.refresh_token),
            ]
        })
        .filter(|(_, value)| value.as_deref().is_some_and(|v| !v.trim().is_empty()))
        .map(|(key, _)| key)
        .collect();
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    // Group or others: any bit beyond the owner's.
    let shared = mode & 0o077;
    if secrets.is_empty() || shared == 0 {
        return None;
    }
    let mut keys = secrets;
    keys.sort_unstable();
    keys.dedup();
    Some(format!(
        "{} holds a secret ({}) and is readable by others (mode {mode:o}): run `chmod 600 {}`",
        path.display(),
        keys.join(", "),
        path.display()
    ))
}

#[cfg(not(unix))]
fn exposed_secret_warning(_path: &Path, _config: &ConfigFile) -> Option<String> {
    None
}

/// Parses config text, warning about unknown keys.
pub fn parse_config(
    text: &str,
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<ConfigFile, CliError> {
    let de = toml::Deserializer::parse(text).map_err(|e| config_error(text, path, &e))?;
    let mut unknown = Vec::new();
    // Profiles deny unknown fields (a typo there would silently unset a value), so parse the
    // top level leniently with serde_ignored and then each profile strictly.
    let raw: RawConfig = serde_ignored::deserialize(de, |p| unknown.push(p.to_string()))
        .map_err(|e| config_error(text, path, &e))?;
    for key in unknown {
        warnings.push(format!(
            "{}: unknown key `{key}` is ignored (known: default_profile, [profiles.NAME], [alerts])",
            path.display()
        ));
    }
    let mut profiles = BTreeMap::new();
    for (name, value) in raw.profiles {
        let mut unknown = Vec::new();
        let profile: LenientProfile =
            serde_ignored::deserialize(value, |p| unknown.push(p.to_string())).map_err(|e| {
                CliError::usage(format!(
                    "config file {}: [profiles.{name}]: {e}",
                    path.display()
                ))
            })?;
        for key in unknown {
            warnings.push(format!(
                "{}: [profiles.{name}] unknown key `{key}` is ignored (known: dc, organization_id, client_id, client_secret, refresh_token, accounts_url, api_url, plan)",
                path.display()
            ));
        }
        profiles.insert(name, profile.into());
    }
    Ok(ConfigFile {
        default_profile: raw.default_profile,
        profiles,
    })
}

#[derive(Deserialize)]
struct RawConfig {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, toml::Value>,
    /// `[alerts]`: read by `commands::alert` (known here so it is not warned about).
    #[serde(default, rename = "alerts")]
    _alerts: Option<toml::Value>,
}

#[derive(Deserialize)]
struct LenientProfile {
    dc: Option<String>,
    organization_id: Option<toml::Value>,
    client_id: Option<String>,
    client_secret: Option<String>,
    refresh_token: Option<String>,
    accounts_url: Option<String>,
    api_url: Option<String>,
    plan: Option<String>,
    state: Option<String>,
}

impl From<LenientProfile> for ProfileConfig {
    fn from(p: LenientProfile) -> Self {
        ProfileConfig {
            dc: p.dc,
            // Ids are strings; accept a bare TOML integer too, without going through a float.
            organization_id: p.organization_id.map(|v| match v {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                // Anything else (a float, a table) is left for validation to refuse by name.
                other => format!("{other:?}"),
            }),
            client_id: p.client_id,
            client_secret: p.client_secret,
            refresh_token: p.refresh_token,
            accounts_url: p.accounts_url,
            api_url: p.api_url,
            plan: p.plan,
            state: p.state,
        }
    }
}

fn config_error(text: &str, path: &Path, err: &toml::de::Error) -> CliError {
    let location = err.span().map_or_else(String::new, |span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(":{line}:{column}")
    });
    CliError::usage(format!(
        "config file {}{location} is not valid: {}",
        path.display(),
        err.message()
    ))
}

/// The platform's config file path: `$XDG_CONFIG_HOME/zbooks/config.toml` (or
/// `~/.config/...`) on Linux, `~/Library/Application Support/zbooks/config.toml` on macOS,
/// `%APPDATA%\zbooks\config.toml` on Windows.
pub fn default_config_path(env: &Env) -> PathBuf {
    platform_dir(env, "XDG_CONFIG_HOME", ".config", "APPDATA").join("config.toml")
}

/// The platform's data directory for zbooks's state.
pub fn default_data_dir(env: &Env) -> PathBuf {
    platform_dir(env, "XDG_DATA_HOME", ".local/share", "LOCALAPPDATA")
}

/// The directory of the machine-wide import locks (`zbooks_store::lease`): the user's runtime
/// directory (`$XDG_RUNTIME_DIR/zbooks`) where there is one, else `locks` in the platform's
/// data directory. Never `ZBOOKS_DATA_DIR`: two runs with different stores must meet here.
pub fn default_lock_dir(env: &Env) -> PathBuf {
    if !cfg!(windows)
        && !cfg!(target_os = "macos")
        && let Some(dir) = env.dir("XDG_RUNTIME_DIR")
    {
        return PathBuf::from(dir).join("zbooks");
    }
    let data = default_data_dir(env);
    if data.is_relative() {
        // No home directory at all: a relative path would put locks wherever the command
        // happens to run, and two runs in two folders would not meet. The system's temporary
        // directory is one place for the whole machine.
        return std::env::temp_dir().join("zbooks-locks");
    }
    data.join("locks")
}

fn platform_dir(env: &Env, xdg: &str, home_rel: &str, windows: &str) -> PathBuf {
    let home = env.dir("HOME").map(PathBuf::from);
    let base = if cfg!(windows) {
        env.dir(windows).map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        home.map(|h| h.join("Library/Application Support"))
    } else {
        env.dir(xdg)
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(home_rel)))
    };
    base.unwrap_or_else(|| PathBuf::from(".")).join("zbooks")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_state_url_is_shown_without_its_password() {
        assert_eq!(
            super::redact_url("redis://:hunter2@cache:6379/0"),
            "redis://:***@cache:6379/0"
        );
        assert_eq!(
            super::redact_url("redis://app:hunter2@cache/0?prefix=a@b"),
            "redis://app:***@cache/0?prefix=a@b"
        );
        assert_eq!(
            super::redact_url("redis://127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
    }

    use super::*;

    fn global() -> GlobalArgs {
        GlobalArgs {
            format: OutputFormat::Text,
            color: ColorChoice::Never,
            verbose: 0,
            quiet: false,
            profile: None,
            dc: None,
            org: None,
            config: None,
            log_file: None,
            help_all: false,
        }
    }

    fn write_config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    const CONFIG: &str = r#"
default_profile = "acme"

[profiles.acme]
dc = "in"
organization_id = 60012345678
client_id = "1000.SIMCLIENT"
plan = "professional"
colour = "blue"

[profiles.other]
dc = "eu"
"#;

    #[cfg(unix)]
    #[test]
    fn a_config_with_a_secret_readable_by_others_is_named_with_its_fix() {
        use std::os::unix::fs::PermissionsExt as _;
        let (_dir, path) = write_config(
            "[profiles.default]\ndc = \"in\"\nclient_secret = \"cfg-secret-value-123456\"\n",
        );
        let shown = path.display().to_string();
        let env = Env::from_pairs(&[(env::CONFIG, shown.as_str())]);
        let warned = |mode: u32| {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let s = Settings::resolve(&global(), &env).unwrap();
            s.warnings
                .into_iter()
                .find(|w| w.contains("readable by others"))
        };
        for mode in [0o644, 0o640, 0o604] {
            let warning = warned(mode).unwrap_or_else(|| panic!("no warning at {mode:o}"));
            assert!(warning.contains(&format!("chmod 600 {shown}")), "{warning}");
            assert!(warning.contains("client_secret"), "{warning}");
            assert!(!warning.contains("cfg-secret-value"), "{warning}");
        }
        assert_eq!(warned(0o600), None);
        // Without a secret in it, a readable config is fine.
        let (_dir2, plain) = write_config("[profiles.default]\ndc = \"in\"\n");
        std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
        let plain = plain.display().to_string();
        let s = Settings::resolve(
            &global(),
            &Env::from_pairs(&[(env::CONFIG, plain.as_str())]),
        )
        .unwrap();
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[test]
    fn flag_beats_env_beats_file_beats_default() {
        let (_dir, path) = write_config(CONFIG);
        let env = Env::from_pairs(&[(env::CONFIG, path.to_str().unwrap()), (env::DC, "au")]);
        let s = Settings::resolve(&global(), &env).unwrap();
        assert_eq!(s.profile.value, "acme");
        assert_eq!(s.dc.as_ref().unwrap().value, DataCenter::Au);
        assert_eq!(s.dc.unwrap().source, Source::Env { var: env::DC });
        let org = s.organization_id.unwrap();
        assert_eq!(org.value, "60012345678");
        assert!(matches!(org.source, Source::File { .. }));
        assert_eq!(s.plan.unwrap().value, Plan::Professional);
        assert!(
            s.warnings.iter().any(|w| w.contains("colour")),
            "{:?}",
            s.warnings
        );

        let mut g = global();
        g.dc = Some("jp".to_owned());
        g.profile = Some("other".to_owned());
        let s = Settings::resolve(&g, &env).unwrap();
        assert_eq!(s.dc.unwrap().value, DataCenter::Jp);
        assert!(s.organization_id.is_none());
    }

    #[test]
    fn ci_needs_no_file() {
        let env = Env::from_pairs(&[
            ("HOME", "/nonexistent-home"),
            (env::DC, "in"),
            (env::ORG_ID, "123"),
            (env::CLIENT_ID, "1000.SIMCLIENT"),
            (env::CLIENT_SECRET, "sim-secret-value-123456"),
            (env::REFRESH_TOKEN, "1000.simrefresh.canaryvalue0000"),
        ]);
        let s = Settings::resolve(&global(), &env).unwrap();
        assert!(!s.config_found);
        let rows = s.rows();
        let shown = rows
            .iter()
            .map(|r| format!("{} {} {}", r.0, r.1, r.2))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!shown.contains("canaryvalue"), "{shown}");
        assert!(!shown.contains("sim-secret-value"), "{shown}");
        assert!(shown.contains("****"), "{shown}");
    }

    #[test]
    fn bad_values_name_their_source() {
        let env = Env::from_pairs(&[("HOME", "/nonexistent-home"), (env::DC, "mars")]);
        let err = Settings::resolve(&global(), &env).unwrap_err();
        assert!(err.headline.contains("env ZBOOKS_DC"), "{}", err.headline);
        assert!(err.hint.unwrap().contains("valid names"));
        let env = Env::from_pairs(&[("HOME", "/nonexistent-home"), (env::ORG_ID, "your-org-id")]);
        assert!(Settings::resolve(&global(), &env).is_err());
    }

    #[test]
    fn broken_config_names_file_line_and_column() {
        let (_dir, path) = write_config("[profiles.a]\ndc = \"in\"\norganization_id = \n");
        let env = Env::from_pairs(&[(env::CONFIG, path.to_str().unwrap())]);
        let err = Settings::resolve(&global(), &env).unwrap_err();
        assert!(err.headline.contains("config.toml:3:"), "{}", err.headline);
    }

    #[test]
    fn platform_paths() {
        let env = Env::from_pairs(&[("HOME", "/home/u")]);
        if cfg!(target_os = "linux") {
            assert_eq!(
                default_config_path(&env),
                PathBuf::from("/home/u/.config/zbooks/config.toml")
            );
            assert_eq!(
                default_data_dir(&env),
                PathBuf::from("/home/u/.local/share/zbooks")
            );
            let env = Env::from_pairs(&[("HOME", "/home/u"), ("XDG_CONFIG_HOME", "/x")]);
            assert_eq!(
                default_config_path(&env),
                PathBuf::from("/x/zbooks/config.toml")
            );
        }
    }
}
