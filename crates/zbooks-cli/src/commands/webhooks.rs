//! `zbooks webhooks serve|list`: receives the webhooks Zoho Books' workflow rules send, checks
//! each as Zoho documents it, refuses replays and duplicates, keeps every delivery in a SQLite
//! log in the data directory and forwards accepted events to a URL or a command. The receiver
//! is `zbooks-webhook`; the evidence behind its checks is docs/zoho-webhooks.md.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};
use serde::Serialize;
use serde_json::json;
use zbooks_webhook::{Event, Forward, Receiver, Store};

use crate::env::{Env, WEBHOOK_SECRET};
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::Settings;
use crate::{CommandResult, context, exit};

/// The log's file in the data directory.
pub const LOG_FILE: &str = "webhooks.sqlite";

/// `zbooks webhooks`.
#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Receive Zoho Books' webhooks: check each signature, refuse replays and duplicates,
    /// keep every delivery, forward accepted events.
    Serve(ServeArgs),
    /// Show the deliveries received: what Zoho sent, what was accepted, refused or forwarded.
    List(ListArgs),
}

/// `zbooks webhooks serve`.
#[derive(Debug, Args)]
#[command(after_help = "\
The webhook's secret (set in Zoho Books: Settings → Automation → Workflow Actions → Webhooks)
comes from ZBOOKS_WEBHOOK_SECRET; without it nothing is accepted. Point the webhook's URL at
this address (behind your TLS proxy). Ctrl-C stops it.

Examples:
  zbooks webhooks serve --listen 127.0.0.1:8788
  zbooks webhooks serve --listen 127.0.0.1:8788 --forward-url http://127.0.0.1:9000/books-events
  zbooks webhooks serve --listen 127.0.0.1:8788 --forward-command './on-event.sh'

docs/zoho-webhooks.md: the signature scheme and its evidence.")]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// POST each accepted event here, body and content type as Zoho sent them.
    #[arg(long, value_name = "URL", conflicts_with = "forward_command")]
    pub forward_url: Option<String>,
    /// Run this with `sh -c` for each accepted event: the body on stdin,
    /// ZBOOKS_WEBHOOK_EVENT_ID, ZBOOKS_WEBHOOK_MODULE and ZBOOKS_WEBHOOK_ENTITY_ID set.
    #[arg(long, value_name = "COMMAND")]
    pub forward_command: Option<String>,
    /// How long to wait before forwarding again after a failure (default 30s).
    #[arg(long, value_name = "DURATION")]
    pub retry_every: Option<String>,
}

/// `zbooks webhooks list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// How many deliveries to show, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

/// `webhooks list`'s data.
#[derive(Debug, Serialize)]
struct ListReport {
    log: String,
    events: Vec<Event>,
}

fn log_path(settings: &Settings) -> PathBuf {
    settings.data_dir.value.join(LOG_FILE)
}

fn open(settings: &Settings) -> Result<Store, CliError> {
    Store::open(&log_path(settings)).map_err(|e| CliError {
        exit_code: exit::LOCAL_IO,
        ..CliError::usage(e.to_string())
    })
}

/// Runs `zbooks webhooks`.
pub fn run(cmd: &WebhooksCommand, settings: &Settings, env: &Env, p: Printer) -> CommandResult {
    match cmd {
        WebhooksCommand::Serve(args) => serve(args, settings, env, p),
        WebhooksCommand::List(args) => {
            let path = log_path(settings);
            let events = if path.exists() {
                open(settings)?.list(args.limit).map_err(|e| CliError {
                    exit_code: exit::LOCAL_IO,
                    ..CliError::usage(e.to_string())
                })?
            } else {
                Vec::new()
            };
            let report = ListReport {
                log: path.display().to_string(),
                events,
            };
            match p.format {
                OutputFormat::Json => p.json(&report),
                OutputFormat::Text => p.out(&list_text(&report)),
            }
            Ok(exit::OK)
        }
    }
}

fn serve(args: &ServeArgs, settings: &Settings, env: &Env, p: Printer) -> CommandResult {
    let secret = env.get(WEBHOOK_SECRET).ok_or_else(|| {
        CliError::usage("no webhook secret: ZBOOKS_WEBHOOK_SECRET is not set").with_hint(
            "set it to the secret of the webhook in Zoho Books (Settings → Automation → \
             Workflow Actions → Webhooks); without it no delivery can be checked, so none is \
             accepted",
        )
    })?;
    let retry_every = match &args.retry_every {
        Some(text) => zbooks_sim::parse_duration(text)
            .map_err(|e| CliError::usage(format!("--retry-every {text}: {e}")))?,
        None => std::time::Duration::from_secs(30),
    };
    let forward = match (&args.forward_url, &args.forward_command) {
        (Some(url), _) => Forward::Url(url.clone()),
        (None, Some(command)) => Forward::Command(command.clone()),
        (None, None) => Forward::None,
    };
    let store = Arc::new(open(settings)?);
    let runtime = context::runtime()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| CliError::io(format!("cannot listen on {}", args.listen), &e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| CliError::io("cannot read the address", &e))?;
        let forwarding = match &forward {
            Forward::None => "kept only".to_owned(),
            Forward::Url(url) => format!("forwarded to {}", url.split('?').next().unwrap_or(url)),
            Forward::Command(c) => format!("forwarded to the command `{c}`"),
        };
        let log = log_path(settings).display().to_string();
        match p.format {
            OutputFormat::Json => crate::envelope::write_line(
                "webhooks serve",
                &json!({"url": format!("http://{addr}"), "log": log, "forward": forwarding}),
            ),
            OutputFormat::Text => {
                let mut out = String::new();
                let _ = writeln!(out, "listening on http://{addr}");
                let _ = writeln!(
                    out,
                    "  deliveries checked with ZBOOKS_WEBHOOK_SECRET (X-Zoho-Webhook-Signature)"
                );
                let _ = writeln!(
                    out,
                    "  every delivery logged in {log}; accepted events {forwarding}"
                );
                let _ = writeln!(out, "Ctrl-C stops it.");
                p.out(&out);
            }
        }
        let rx = Receiver {
            store,
            secret: secret.as_bytes().to_vec(),
            forward,
            retry_every,
            max_attempts: 10,
        };
        zbooks_webhook::serve(listener, rx, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        p.note("stopping the webhook receiver");
        Ok(exit::OK)
    })
}

fn list_text(report: &ListReport) -> String {
    let mut out = String::new();
    if report.events.is_empty() {
        let _ = writeln!(out, "no delivery received yet ({})", report.log);
    }
    out.push_str(&event_lines(&report.events));
    out
}

/// One line per delivery, for `webhooks list` and `logs analyze --webhooks`.
pub fn event_lines(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        let what = match (&e.module, &e.entity_id) {
            (Some(m), Some(id)) => format!("{m} {id}"),
            (Some(m), None) => m.clone(),
            _ => "-".to_owned(),
        };
        let org = e
            .organization_id
            .as_deref()
            .map_or_else(String::new, |o| format!(" org {o}"));
        let _ = write!(
            out,
            "#{} {} {} {what}{org}",
            e.id,
            zbooks_alert::utc(e.received_at),
            e.verdict
        );
        if let Some(reason) = &e.reason {
            let _ = write!(out, " ({reason})");
        }
        match e.forward.as_str() {
            "none" => {}
            "done" => out.push_str(" · forwarded"),
            state => {
                let _ = write!(
                    out,
                    " · forward {state} after {} attempt(s)",
                    e.forward_attempts
                );
                if let Some(err) = &e.forward_error {
                    let _ = write!(out, ": {err}");
                }
            }
        }
        out.push('\n');
    }
    out
}
