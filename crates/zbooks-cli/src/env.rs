//! Every environment variable zbooks reads, in one registry (docs/style.md: only the CLI reads the
//! environment, and only here). `docs/reference/env.md` is generated from [`VARS`] and a test
//! fails when it drifts.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;

/// One environment variable zbooks reads.
#[derive(Debug, Clone, Copy)]
pub struct EnvVar {
    /// Its name.
    pub name: &'static str,
    /// What it sets.
    pub description: &'static str,
    /// Whether its value is a secret (masked by `config show`).
    pub secret: bool,
}

/// `ZBOOKS_PROFILE`.
pub const PROFILE: &str = "ZBOOKS_PROFILE";
/// `ZBOOKS_DC`.
pub const DC: &str = "ZBOOKS_DC";
/// `ZBOOKS_ORG_ID`.
pub const ORG_ID: &str = "ZBOOKS_ORG_ID";
/// `ZBOOKS_CLIENT_ID`.
pub const CLIENT_ID: &str = "ZBOOKS_CLIENT_ID";
/// `ZBOOKS_CLIENT_SECRET`.
pub const CLIENT_SECRET: &str = "ZBOOKS_CLIENT_SECRET";
/// `ZBOOKS_REFRESH_TOKEN`.
pub const REFRESH_TOKEN: &str = "ZBOOKS_REFRESH_TOKEN";
/// `ZBOOKS_ACCOUNTS_URL`.
pub const ACCOUNTS_URL: &str = "ZBOOKS_ACCOUNTS_URL";
/// `ZBOOKS_API_URL`.
pub const API_URL: &str = "ZBOOKS_API_URL";
/// `ZBOOKS_ACCOUNTS_URL_PATTERN`.
pub const ACCOUNTS_URL_PATTERN: &str = "ZBOOKS_ACCOUNTS_URL_PATTERN";
/// `ZBOOKS_PLAN`.
pub const PLAN: &str = "ZBOOKS_PLAN";
/// `ZBOOKS_CONFIG`.
pub const CONFIG: &str = "ZBOOKS_CONFIG";
/// `ZBOOKS_DATA_DIR`.
pub const DATA_DIR: &str = "ZBOOKS_DATA_DIR";
/// `ZBOOKS_JOURNAL`.
pub const JOURNAL: &str = "ZBOOKS_JOURNAL";
/// `ZBOOKS_STATE`.
pub const STATE: &str = "ZBOOKS_STATE";
/// `ZBOOKS_CLOCK_SKEW` (testing only).
pub const CLOCK_SKEW: &str = "ZBOOKS_CLOCK_SKEW";
/// `ZBOOKS_GATEWAY_TOKEN`.
pub const GATEWAY_TOKEN: &str = "ZBOOKS_GATEWAY_TOKEN";
/// `NO_COLOR`.
pub const NO_COLOR: &str = "NO_COLOR";
/// `ZBOOKS_WEBHOOK_SECRET`.
pub const WEBHOOK_SECRET: &str = "ZBOOKS_WEBHOOK_SECRET";
/// The prefix of the variables `[alerts]` names for its channels' secrets
/// (`secret_env = "ZBOOKS_ALERT_WEBHOOK_SECRET"`): zbooks reads only variables of its own.
pub const ALERT_PREFIX: &str = "ZBOOKS_ALERT_";

/// Every variable, in the order the reference lists them.
pub const VARS: &[EnvVar] = &[
    EnvVar {
        name: PROFILE,
        description: "the profile of the config file to use (default: the file's `default_profile`, else `default`)",
        secret: false,
    },
    EnvVar {
        name: DC,
        description: "the data center: us, eu, in, au, jp, ca, cn, sa (or a host or URL of one)",
        secret: false,
    },
    EnvVar {
        name: ORG_ID,
        description: "the organization id sent as `organization_id` with every call",
        secret: false,
    },
    EnvVar {
        name: CLIENT_ID,
        description: "the OAuth client id of your self client",
        secret: false,
    },
    EnvVar {
        name: CLIENT_SECRET,
        description: "the OAuth client secret of your self client",
        secret: true,
    },
    EnvVar {
        name: REFRESH_TOKEN,
        description: "a refresh token, instead of the one `zbooks auth login` stored (for CI)",
        secret: true,
    },
    EnvVar {
        name: ACCOUNTS_URL,
        description: "the accounts server's base URL, overriding the data center's (the simulator, a proxy)",
        secret: false,
    },
    EnvVar {
        name: API_URL,
        description: "the Books API base URL ending in /books/v3, overriding the data center's (the simulator, a proxy)",
        secret: false,
    },
    EnvVar {
        name: ACCOUNTS_URL_PATTERN,
        description: "where `zbooks doctor` asks the other data centers' accounts servers, with `{dc}` for the data center's name (default: Zoho's hosts; `<ZBOOKS_ACCOUNTS_URL>/dc/{dc}` when ZBOOKS_ACCOUNTS_URL is set, as the simulator serves them)",
        secret: false,
    },
    EnvVar {
        name: PLAN,
        description: "the organization's plan (free, standard, professional, premium, elite, ultimate), when it cannot be read from Zoho",
        secret: false,
    },
    EnvVar {
        name: CONFIG,
        description: "the config file to read instead of the platform's default path",
        secret: false,
    },
    EnvVar {
        name: DATA_DIR,
        description: "where zbooks keeps its state (tokens, quota ledger, import journals) instead of the platform's data directory",
        secret: false,
    },
    EnvVar {
        name: JOURNAL,
        description: "where `zbooks import` journals its records (and `import status` and `import failed` read them): a `postgres://user@host:5432/db` URL for the journal on PostgreSQL (default: the SQLite store in the data directory)",
        // A URL may carry a password.
        secret: true,
    },
    EnvVar {
        name: STATE,
        description: "where the organization's shared budget and token cache live: `redis://host:6379/0` (add `?prefix=name:` to name its keys, default `zbooks:`) shares them across machines, and so does `postgres://user@host:5432/db` (which also keeps the audit log); unset, the SQLite store in the data directory",
        secret: false,
    },
    EnvVar {
        name: CLOCK_SKEW,
        description: "testing only: moves this process's clock for Zoho's limits by a signed duration (`+5s`, `-1500ms`), to test machines whose clocks disagree; never set it otherwise",
        secret: false,
    },
    EnvVar {
        name: GATEWAY_TOKEN,
        description: "the token programs must send to `zbooks gateway` (`Authorization: Bearer <token>`); required with `--allow-remote`, optional on loopback; never Zoho's own token",
        secret: true,
    },
    EnvVar {
        name: WEBHOOK_SECRET,
        description: "the secret of the Zoho Books webhook `zbooks webhooks serve` receives: deliveries are checked against it (X-Zoho-Webhook-Signature), and none is accepted without it",
        secret: true,
    },
    EnvVar {
        name: "ZBOOKS_ALERT_*",
        description: "the secrets of the alert channels, each named by the config file's `[alerts]` (`secret_env`, `url_env`, `password_env`): a webhook's signing key, a Slack incoming webhook's URL, an SMTP password (docs/alerts.md)",
        secret: true,
    },
    EnvVar {
        name: NO_COLOR,
        description: "any non-empty value turns colour off (https://no-color.org)",
        secret: false,
    },
];

/// A snapshot of the variables zbooks reads, taken once at start-up; tests build their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<&'static str, String>,
    /// `HOME`, `XDG_CONFIG_HOME`, `XDG_DATA_HOME`, `XDG_RUNTIME_DIR`, `APPDATA`,
    /// `LOCALAPPDATA`: only to find the platform's directories.
    dirs: BTreeMap<&'static str, OsString>,
    /// The `ZBOOKS_ALERT_*` variables ([`ALERT_PREFIX`]).
    alert_secrets: BTreeMap<String, String>,
}

const DIR_VARS: [&str; 6] = [
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_RUNTIME_DIR",
    "APPDATA",
    "LOCALAPPDATA",
];

impl Env {
    /// Reads the process environment: the one place zbooks does.
    pub fn from_process() -> Self {
        let mut env = Env::default();
        for var in VARS {
            if let Some(value) = std::env::var_os(var.name) {
                env.vars
                    .insert(var.name, value.to_string_lossy().into_owned());
            }
        }
        for name in DIR_VARS {
            if let Some(value) = std::env::var_os(name) {
                env.dirs.insert(name, value);
            }
        }
        for (name, value) in std::env::vars_os() {
            if let Some(name) = name.to_str()
                && name.starts_with(ALERT_PREFIX)
            {
                env.alert_secrets
                    .insert(name.to_owned(), value.to_string_lossy().into_owned());
            }
        }
        env
    }

    /// An environment with the given variables (for tests).
    pub fn from_pairs(pairs: &[(&'static str, &str)]) -> Self {
        let mut env = Env::default();
        for (name, value) in pairs {
            if DIR_VARS.contains(name) {
                env.dirs.insert(name, OsString::from(value));
            } else if name.starts_with(ALERT_PREFIX) {
                env.alert_secrets
                    .insert((*name).to_owned(), (*value).to_owned());
            } else {
                env.vars.insert(name, (*value).to_owned());
            }
        }
        env
    }

    /// A registered variable's value, when set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// A `ZBOOKS_ALERT_*` variable's value, when set and not empty; `None` for any other name.
    pub fn alert_secret(&self, name: &str) -> Option<&str> {
        self.alert_secrets
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// A directory variable (`HOME`, `XDG_CONFIG_HOME`, ...).
    pub fn dir(&self, name: &str) -> Option<&OsString> {
        self.dirs.get(name).filter(|v| !v.is_empty())
    }
}

/// Renders `docs/reference/env.md`.
pub fn render_reference() -> String {
    let mut out = String::from(
        "# Environment variables\n\n\
         Generated from `crates/zbooks-cli/src/env.rs` (a test fails when this file drifts; \
         regenerate with `cargo xtask regen`).\n\n\
         Precedence: command-line flag > environment variable > config file profile > default. \
         `zbooks config show` prints every resolved value and where it came from, secrets \
         masked.\n\n| variable | sets | secret |\n|---|---|---|\n",
    );
    for var in VARS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            var.name,
            var.description,
            if var.secret { "yes" } else { "" }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_reference_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/reference/env.md");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == render_reference(),
            "docs/reference/env.md is out of date: run `cargo xtask regen`"
        );
    }

    #[test]
    fn empty_values_count_as_unset() {
        let env = Env::from_pairs(&[(ORG_ID, " "), (DC, "in")]);
        assert_eq!(env.get(ORG_ID), None);
        assert_eq!(env.get(DC), Some("in"));
    }
}
