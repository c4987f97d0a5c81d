//! `zbooks sim`: the simulator as a standalone server, for trying zbooks and for testing
//! integrations in any language without a Zoho account.

use std::fmt::Write as _;
use std::net::SocketAddr;

use clap::Args;
use serde_json::json;
use zbooks_sim::{Sim, SimConfig, parse_duration};

use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::{CommandResult, exit};

/// `zbooks sim`.
#[derive(Debug, Args)]
#[command(after_help = "\
On start it prints its accounts URL, API URL, control URL and the seeded demo organization's
client id, client secret, refresh token and organization id (simulator values, not secrets).
With --format json these come as one JSON object on the first line of stdout, for scripts.

Examples:
  zbooks sim --port 8787
  zbooks sim --port 0 --format json --minute 1s
  zbooks sim --scenario faults.toml --seed 7 --state sandbox.json")]
pub struct SimArgs {
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// A TOML or JSON file with settings, users, organizations and scripted faults.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<std::path::PathBuf>,
    /// Keep the sandbox in this file across restarts.
    #[arg(long, value_name = "FILE")]
    pub state: Option<std::path::PathBuf>,
    /// Seed of ids, tokens and probabilistic faults.
    #[arg(long)]
    pub seed: Option<u64>,
    /// How long a "minute" of the per-minute limit lasts (e.g. 1s, to test fast).
    #[arg(long, value_name = "DURATION")]
    pub minute: Option<String>,
    /// How long a "day" of the daily quota lasts.
    #[arg(long, value_name = "DURATION")]
    pub day: Option<String>,
    /// Lifetime of access tokens.
    #[arg(long, value_name = "DURATION")]
    pub token_lifetime: Option<String>,
    /// Switch the per-minute, daily and in-flight limits off (for benchmarks).
    #[arg(long)]
    pub no_limits: bool,
    /// Close a keep-alive connection idle for this long (default 60s).
    #[arg(long, value_name = "DURATION")]
    pub idle_timeout: Option<String>,
    /// The most connections open at once; more wait until one closes (default 512).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
}

/// Runs `zbooks sim` until Ctrl-C.
pub fn run(args: &SimArgs, p: Printer) -> CommandResult {
    let config = config(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io("cannot start the async runtime", &e))?;
    runtime.block_on(serve(config, p))
}

fn config(args: &SimArgs) -> Result<SimConfig, CliError> {
    let sim_error = |e: zbooks_sim::SimError| CliError::usage(format!("simulator {e}"));
    let mut config = match &args.scenario {
        Some(path) => SimConfig::from_file(path).map_err(sim_error)?,
        None => SimConfig::default(),
    };
    // Flags win over the scenario file.
    if args.scenario.is_none() || args.port != 8787 {
        config.bind = SocketAddr::new(args.host, args.port);
    }
    if let Some(seed) = args.seed {
        config.seed = seed;
    }
    for (flag, value, target) in [
        ("--minute", &args.minute, &mut config.minute),
        ("--day", &args.day, &mut config.day),
        (
            "--token-lifetime",
            &args.token_lifetime,
            &mut config.token_lifetime,
        ),
        (
            "--idle-timeout",
            &args.idle_timeout,
            &mut config.idle_timeout,
        ),
    ] {
        if let Some(text) = value {
            *target = parse_duration(text).map_err(|e| CliError::usage(format!("{flag}: {e}")))?;
        }
    }
    if let Some(max) = args.max_connections {
        config.max_connections = max as usize;
    }
    if args.no_limits {
        config.limits_enabled = false;
    }
    if let Some(state) = &args.state {
        config.state_file = Some(state.clone());
    }
    Ok(config)
}

async fn serve(config: SimConfig, p: Printer) -> CommandResult {
    let sim = Sim::start(config)
        .await
        .map_err(|e| CliError::usage(format!("cannot start the simulator: {e}")))?;
    let demo = sim.demo();
    if p.format == OutputFormat::Json {
        // One envelope on the first line, for scripts and other languages' test suites.
        let data = json!({
            "accounts_url": sim.accounts_url(),
            "api_url": sim.api_url(),
            "control_url": sim.control_url(),
            "client_id": demo.client_id,
            "client_secret": demo.client_secret,
            "refresh_token": demo.refresh_token,
            "organization_id": demo.organization_id,
            "data_center": demo.data_center,
        });
        crate::envelope::write_line("sim", &data);
    } else {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} on {} (data center {})",
            p.bold("zbooks sim listening"),
            sim.addr(),
            demo.data_center
        );
        for (name, value) in [
            ("accounts URL", sim.accounts_url()),
            ("API URL", sim.api_url()),
            ("control URL", sim.control_url()),
            ("client id", demo.client_id.clone()),
            ("client secret", demo.client_secret.clone()),
            ("refresh token", demo.refresh_token.clone()),
            ("organization id", demo.organization_id.clone()),
        ] {
            let _ = writeln!(out, "  {name:<16} {value}");
        }
        let _ = writeln!(
            out,
            "\nThese are simulator values, not secrets. Point zbooks at it with:\n  \
             export ZBOOKS_ACCOUNTS_URL={} ZBOOKS_API_URL={} \\\n         \
             ZBOOKS_CLIENT_ID={} ZBOOKS_CLIENT_SECRET={} \\\n         \
             ZBOOKS_REFRESH_TOKEN={} ZBOOKS_ORG_ID={}\n\nCtrl-C stops it.",
            sim.accounts_url(),
            sim.api_url(),
            demo.client_id,
            demo.client_secret,
            demo.refresh_token,
            demo.organization_id
        );
        p.out(&out);
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| CliError::io("cannot wait for Ctrl-C", &e))?;
    p.note("stopping the simulator");
    sim.shutdown().await;
    Ok(exit::OK)
}
