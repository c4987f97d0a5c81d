//! How a simulator is set up: address, seed, window lengths, limits, state file and the
//! scenario (extra users and organizations, scripted faults), from code or from a TOML or JSON
//! file.
//!
//! Window lengths are configurable so that tests run a "minute" in a second and never wait on
//! a real clock; limits can be switched off for benchmarks.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zbooks_types::{Clock, DataCenter, Plan, SystemClock};

use crate::SimError;
use crate::faults::FaultRule;

/// Everything a simulator is started with.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Where to listen (default `127.0.0.1:0`: a free port).
    pub bind: SocketAddr,
    /// Seed of ids, tokens and probabilistic faults.
    pub seed: u64,
    /// How long a "minute" lasts for the per-minute limit and the token throttle (default 60 s).
    pub minute: Duration,
    /// How long a "day" lasts for the daily quota (default 24 h).
    pub day: Duration,
    /// Lifetime of access tokens (`expires_in`, default 3600 s).
    pub token_lifetime: Duration,
    /// Lifetime of grant codes (default 3 minutes).
    pub grant_code_lifetime: Duration,
    /// Enforce the per-minute, daily and in-flight limits (default on).
    pub limits_enabled: bool,
    /// Send `X-Rate-Limit-Limit`/`-Remaining`/`-Reset` headers (default on).
    pub rate_limit_headers: bool,
    /// Keep the sandbox in this JSON file across restarts.
    pub state_file: Option<PathBuf>,
    /// Extra users, organizations and faults.
    pub scenario: Option<Scenario>,
    /// How long a `stall` fault holds a request (default one hour).
    pub stall: Duration,
    /// The data center served without a `/dc/{dc}` prefix (default India, the demo's).
    pub default_dc: DataCenter,
    /// How many requests the log keeps (oldest dropped first; counters keep counting).
    pub request_log_capacity: usize,
    /// The wall clock (default the system clock).
    pub clock: Arc<dyn Clock>,
    /// A connection with no request in flight for this long is closed (default 60 s; Zoho's
    /// own idle timeout is not published). Real time, not the simulated clock.
    pub idle_timeout: Duration,
    /// The most connections open at once (default 512, below the usual 1024 file
    /// descriptors); more wait in the kernel's accept queue until one closes.
    pub max_connections: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 0,
            minute: Duration::from_mins(1),
            day: Duration::from_hours(24),
            token_lifetime: Duration::from_hours(1),
            grant_code_lifetime: Duration::from_secs(crate::choices::GRANT_CODE_LIFETIME_SECS),
            limits_enabled: true,
            rate_limit_headers: true,
            state_file: None,
            scenario: None,
            stall: Duration::from_hours(1),
            default_dc: DataCenter::In,
            request_log_capacity: 100_000,
            clock: Arc::new(SystemClock),
            idle_timeout: Duration::from_mins(1),
            max_connections: 512,
        }
    }
}

/// Extra users and organizations and the faults in force; loading one resets the sandbox.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A name, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Replaces the configured seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Users besides the seeded ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserSpec>,
    /// Organizations besides the seeded ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<OrgSpec>,
    /// Scripted faults, tried in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultRule>,
    /// Request checks made lenient (default none: the simulator is as strict as Zoho). Only
    /// for a test that needs a bad request to reach a later error path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lenient: Vec<Check>,
}

/// A category of request checks (validate.rs) a scenario can make lenient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// JSON types: a string where a number is documented, an object where a string is.
    Types,
    /// Values outside a documented list (`gst_treatment`, `contact_type`, ...).
    Enums,
    /// Strings longer than documented (code 15).
    Lengths,
    /// Dates (`yyyy-mm-dd`, a day that exists), GSTINs, e-mail addresses.
    Formats,
    /// Required fields of a create (code 4).
    Required,
    /// Unknown keys holding an object or array (code 15).
    UnknownFields,
}

impl Check {
    pub(crate) fn bit(self) -> u8 {
        match self {
            Check::Types => 1,
            Check::Enums => 2,
            Check::Lengths => 4,
            Check::Formats => 8,
            Check::Required => 16,
            Check::UnknownFields => 32,
        }
    }
}

/// A user with its self-client and a refresh token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// The user's id.
    pub user_id: String,
    /// The user's data center.
    #[serde(default = "default_dc")]
    pub dc: DataCenter,
    /// The client id of the user's self-client.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: String,
    /// A refresh token to seed (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The refresh token's scopes (default `ZohoBooks.fullaccess.all`).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

/// An organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgSpec {
    /// Its id (digits).
    pub organization_id: String,
    /// Its name.
    pub name: String,
    /// Its plan (limits follow it).
    #[serde(default = "default_plan")]
    pub plan: Plan,
    /// Its data center.
    #[serde(default = "default_dc")]
    pub dc: DataCenter,
    /// Whether its trial has expired (writes then fail with 103001).
    #[serde(default)]
    pub trial_expired: bool,
    /// The users who belong to it.
    #[serde(default)]
    pub members: Vec<String>,
    /// Its currency.
    #[serde(default = "default_currency")]
    pub currency_code: String,
    /// Custom fields (API names) configured to refuse duplicate values; the upsert headers
    /// work on these.
    #[serde(default = "default_unique_fields")]
    pub unique_custom_fields: Vec<String>,
}

fn default_dc() -> DataCenter {
    DataCenter::In
}
fn default_plan() -> Plan {
    Plan::Professional
}
fn default_currency() -> String {
    "INR".to_owned()
}
pub(crate) fn default_scopes() -> Vec<String> {
    vec!["ZohoBooks.fullaccess.all".to_owned()]
}
pub(crate) fn default_unique_fields() -> Vec<String> {
    vec!["cf_source_id".to_owned(), "cf_unique_cf".to_owned()]
}

/// The file form of [`SimConfig`]: durations as text (`"1s"`, `"500ms"`, `"24h"`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    bind: Option<SocketAddr>,
    port: Option<u16>,
    seed: Option<u64>,
    minute: Option<String>,
    day: Option<String>,
    token_lifetime: Option<String>,
    grant_code_lifetime: Option<String>,
    stall: Option<String>,
    limits: Option<bool>,
    rate_limit_headers: Option<bool>,
    state: Option<PathBuf>,
    default_dc: Option<DataCenter>,
    request_log_capacity: Option<usize>,
    idle_timeout: Option<String>,
    max_connections: Option<usize>,
    #[serde(default)]
    users: Vec<UserSpec>,
    #[serde(default)]
    organizations: Vec<OrgSpec>,
    #[serde(default)]
    faults: Vec<FaultRule>,
    #[serde(default)]
    lenient: Vec<Check>,
}

/// Parses `"1s"`, `"250ms"`, `"2m"`, `"1h"`, `"1d"` or plain seconds (`"60"`).
pub fn parse_duration(text: &str) -> Result<Duration, SimError> {
    let text = text.trim();
    let bad = || SimError::Config(format!("invalid duration {text:?} (try 500ms, 1s, 2m, 1h)"));
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let value: f64 = num.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        "d" => value * 86_400.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(secs).map_err(|_| bad())
}

impl SimConfig {
    /// Reads a TOML or JSON configuration file (JSON when it ends in `.json` or starts with
    /// `{`), on top of the defaults.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, SimError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| SimError::Config(format!("cannot read {}: {e}", path.display())))?;
        let is_json =
            path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
        let file: ConfigFile = if is_json {
            serde_json::from_str(&text)
                .map_err(|e| SimError::Config(format!("{}: {e}", path.display())))?
        } else {
            toml::from_str(&text)
                .map_err(|e| SimError::Config(format!("{}: {e}", path.display())))?
        };
        let mut config = SimConfig::default();
        if let Some(bind) = file.bind {
            config.bind = bind;
        }
        if let Some(port) = file.port {
            config.bind.set_port(port);
        }
        if let Some(seed) = file.seed {
            config.seed = seed;
        }
        for (field, target) in [
            (&file.minute, &mut config.minute),
            (&file.day, &mut config.day),
            (&file.token_lifetime, &mut config.token_lifetime),
            (&file.grant_code_lifetime, &mut config.grant_code_lifetime),
            (&file.stall, &mut config.stall),
            (&file.idle_timeout, &mut config.idle_timeout),
        ] {
            if let Some(text) = field {
                *target = parse_duration(text)?;
            }
        }
        if let Some(on) = file.limits {
            config.limits_enabled = on;
        }
        if let Some(on) = file.rate_limit_headers {
            config.rate_limit_headers = on;
        }
        if let Some(dc) = file.default_dc {
            config.default_dc = dc;
        }
        if let Some(cap) = file.request_log_capacity {
            config.request_log_capacity = cap;
        }
        if let Some(max) = file.max_connections {
            if max == 0 {
                return Err(SimError::Config(format!(
                    "{}: max_connections must be at least 1",
                    path.display()
                )));
            }
            config.max_connections = max;
        }
        config.state_file = file.state;
        if !file.users.is_empty()
            || !file.organizations.is_empty()
            || !file.faults.is_empty()
            || !file.lenient.is_empty()
        {
            config.scenario = Some(Scenario {
                name: None,
                seed: None,
                users: file.users,
                organizations: file.organizations,
                faults: file.faults,
                lenient: file.lenient,
            });
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations_people_write() {
        assert_eq!(parse_duration("1s").unwrap(), Duration::from_secs(1));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_mins(2));
        assert_eq!(parse_duration("24h").unwrap(), Duration::from_hours(24));
        assert_eq!(parse_duration("60").unwrap(), Duration::from_mins(1));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn reads_the_connection_bounds_from_a_file() {
        let dir = std::env::temp_dir().join(format!("zbooks-sim-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bounds.toml");
        std::fs::write(&path, "idle_timeout = \"5s\"\nmax_connections = 16\n").unwrap();
        let config = SimConfig::from_file(&path).unwrap();
        assert_eq!(config.idle_timeout, Duration::from_secs(5));
        assert_eq!(config.max_connections, 16);
        std::fs::write(&path, "max_connections = 0\n").unwrap();
        let err = SimConfig::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("max_connections must be at least 1"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
