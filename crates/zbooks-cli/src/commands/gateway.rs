//! `zbooks gateway`: a local Zoho Books gateway for programs in any language. It serves the
//! profile's organization on `--listen` (loopback, port 8788, by default): a program points its
//! base URL at `http://127.0.0.1:8788/books/v3` and drops its token handling; every call then
//! goes through the client built from the usual settings (the login, the store every zbooks
//! process shares, `--log-file` for the events, the audit log). The gateway itself is
//! `zbooks-gateway`'s; this module is its flags and the glue.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde_json::json;
use zbooks_client::events::EventSink;
use zbooks_client::{LimitsConfig, RetryConfig, TokenConfig};
use zbooks_gateway::{
    AnswerStore, DEFAULT_LISTEN, Gateway, GatewayConfig, Observer, SqliteAnswers,
};
use zbooks_pg::PgStore;
use zbooks_redis::{RedisOptions, RedisStore};
use zbooks_types::Secret;

use crate::context::{self, Context};
use crate::env::{Env, GATEWAY_TOKEN};
use crate::error::CliError;
use crate::logfile::LogFile;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, HEADING_TESTING, Settings};
use crate::{CommandResult, exit, render};

/// `zbooks gateway`.
#[derive(Debug, Args)]
#[command(after_help = "\
Point any program at it instead of Zoho: its base URL becomes http://127.0.0.1:8788/books/v3
and it needs no token (an Authorization header it sends is dropped). The gateway adds its own
token (refreshed once, shared with every zbooks process), paces the organization's calls inside
Zoho's limits, retries what is safe to retry, never sends a create twice, and logs every call.

A request may wait at most --max-wait in the organization's queue (or X-Zbooks-Max-Wait
seconds); longer, it is answered 429 with Retry-After. An Idempotency-Key header makes a create
safe to repeat for 24 hours; the answers are kept with the shared state (ZBOOKS_STATE, Redis or
PostgreSQL) when there is one, so gateways on several machines share their keys. GET
/__zbooks/status (JSON) and GET /__zbooks/metrics (Prometheus) tell how it goes. Ctrl-C or
SIGTERM stops it after the requests in flight.

Examples:
  zbooks gateway
  zbooks gateway --listen 127.0.0.1:9000 --max-wait 10s --log-file calls.jsonl
  zbooks gateway --also-org 60000000002 --unique-field cf_source_id
  ZBOOKS_GATEWAY_TOKEN=... zbooks gateway --listen 0.0.0.0:8788 --allow-remote")]
pub struct GatewayArgs {
    /// Where to listen (default 127.0.0.1:8788).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Accept clients from other machines; they must send ZBOOKS_GATEWAY_TOKEN as
    /// `Authorization: Bearer <token>`.
    #[arg(long)]
    pub allow_remote: bool,
    /// The longest a request waits for its turn before it is answered 429 (default 30s).
    #[arg(long, value_name = "DURATION")]
    pub max_wait: Option<String>,
    /// The largest request body accepted, in bytes (default 10485760, 10 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_body: Option<usize>,
    /// How long a stop waits for requests in flight (default 60s).
    #[arg(long, value_name = "DURATION")]
    pub drain: Option<String>,
    /// Serve this organization too (repeatable): one the same login may call, named by
    /// requests with organization_id; the profile's organization stays the default.
    #[arg(long, value_name = "ID")]
    pub also_org: Vec<String>,
    /// The API name of a unique custom field of the organization (cf_source_id): creates with
    /// an Idempotency-Key then go to Zoho as its upsert on that field, which Zoho keeps from
    /// doubling even across restarts and machines.
    #[arg(long, value_name = "FIELD")]
    pub unique_field: Option<String>,
    /// The length of a "minute" of the per-minute limit, for a simulator whose minute is
    /// shortened (testing only).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub minute: Option<String>,
}

/// Runs `zbooks gateway`.
pub fn run(
    args: &GatewayArgs,
    settings: &Settings,
    global: &GlobalArgs,
    env: &Env,
    p: Printer,
) -> CommandResult {
    let minute = args
        .minute
        .as_deref()
        .map(|m| duration("--minute", Some(m), Duration::ZERO))
        .transpose()?;
    let token = env.get(GATEWAY_TOKEN).map(|t| Secret::new(t.trim()));
    let mut config = GatewayConfig {
        listen: args.listen.unwrap_or_else(|| {
            DEFAULT_LISTEN
                .parse()
                .unwrap_or(GatewayConfig::default().listen)
        }),
        allow_remote: args.allow_remote,
        token,
        ..GatewayConfig::default()
    };
    config.max_wait = duration("--max-wait", args.max_wait.as_deref(), config.max_wait)?;
    config.drain = duration("--drain", args.drain.as_deref(), config.drain)?;
    config.unique_field.clone_from(&args.unique_field);
    if let Some(max_body) = args.max_body {
        config.max_body = max_body;
    }
    config.check().map_err(|e| {
        CliError::usage(e.to_string())
            .with_hint("zbooks gateway listens on 127.0.0.1:8788 unless told otherwise")
    })?;
    // Many connections at once: a runtime with worker threads, not the commands' usual one.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io("cannot start the async runtime", &e))?;
    rt.block_on(async {
        // The log file goes behind the gateway's observer, so it sees every event first.
        let ctx = Context::new(settings, None, p).await?;
        let org = ctx.organization_id()?.value.clone();
        let log: Option<Arc<dyn EventSink>> = match &global.log_file {
            Some(path) => Some(Arc::new(LogFile::open(path, p)?)),
            None => None,
        };
        let (limits, retry, tokens) = scaled(minute);
        config.limits = limits;
        let observer = Observer::new(limits.window, log);
        let client = ctx
            .client_builder()?
            .limits(limits)
            .retry(retry)
            .tokens(tokens)
            .event_sink(observer.clone())
            .build()
            .map_err(|e| render::client_error("cannot set up the Zoho Books client", &e))?;
        let (answers, answers_at) = answer_store(&ctx.settings).await?;
        let allow_remote = config.allow_remote;
        // Permanent failures go to the config file's alert channels, when it has `[alerts]`.
        let alerts = crate::commands::alert::gateway_alerts(&ctx.settings, env)?;
        let mut gateway = Gateway::new(config).organization(client.clone());
        if let Some(alerts) = &alerts {
            gateway = gateway.alerts(alerts.clone());
        }
        for other in &args.also_org {
            // The same token, store, limits and connections; its own queue and budget.
            gateway = gateway.organization(client.for_organization(other.trim()));
        }
        let gateway = gateway
            .observer(observer)
            .answers(answers)
            .start()
            .await
            .map_err(|e| CliError::usage(e.to_string()))?;
        announce(
            &gateway,
            &org,
            &args.also_org,
            &ctx,
            &answers_at,
            allow_remote,
            p,
        );
        let (stopped, stopping) = tokio::sync::oneshot::channel::<()>();
        let delivery = alerts.map(|alerts| {
            tokio::spawn(async move {
                let stopping = async {
                    let _ = stopping.await;
                };
                alerts.deliver_until(stopping, p).await;
            })
        });
        gateway.serve_until(stop_signal()).await;
        let _ = stopped.send(());
        if let Some(delivery) = delivery {
            let _ = delivery.await;
        }
        p.note("gateway stopped");
        Ok::<_, CliError>(())
    })?;
    Ok(exit::OK)
}

/// Where the gateway keeps its `Idempotency-Key` answers, and how to name that place: with
/// the shared state when `ZBOOKS_STATE` names one (Redis, under the state's key prefix, or
/// PostgreSQL), so gateways on several machines share their keys; else `gateway.db` in the
/// data directory.
async fn answer_store(settings: &Settings) -> Result<(Arc<dyn AnswerStore>, String), CliError> {
    let shared_url = settings.state.as_ref().map(|s| s.value.trim().to_owned());
    match shared_url {
        Some(url) if context::is_postgres_url(&url) => {
            let shown = crate::settings::redact_url(&url);
            let pg = PgStore::connect(&url).await.map_err(|e| {
                render::store_error(format!("cannot open the gateway's answers in {shown}"), &e)
                    .with_hint(
                        "check that PostgreSQL answers at that URL (README: \"Running across \
                         machines\"), or unset ZBOOKS_STATE for the SQLite store",
                    )
            })?;
            Ok((Arc::new(pg.answers()), shown))
        }
        Some(url) if url.starts_with("redis://") => {
            let shown = crate::settings::redact_url(&url);
            let store = RedisOptions::from_url(&url)
                .and_then(|options| RedisStore::open(&options))
                .map_err(|e| {
                    render::store_error(format!("cannot open the gateway's answers in {shown}"), &e)
                        .with_hint("give a Redis URL: redis://127.0.0.1:6379/0")
                })?;
            Ok((Arc::new(store.answers()), shown))
        }
        // Any other URL was refused when the context opened the shared state.
        _ => {
            let path = settings.data_dir.value.join(SqliteAnswers::FILE_NAME);
            let answers = SqliteAnswers::open(&path)
                .map_err(|e| render::store_error("cannot open the gateway's answers", &e))?;
            Ok((Arc::new(answers), path.display().to_string()))
        }
    }
}

/// A duration flag (`500ms`, `10s`, `5m`, `1h`, as the simulator reads them), or `default`.
fn duration(flag: &str, text: Option<&str>, default: Duration) -> Result<Duration, CliError> {
    match text {
        None => Ok(default),
        Some(t) => zbooks_sim::parse_duration(t).map_err(|e| {
            CliError::usage(format!("invalid {flag} {t:?}: {e}"))
                .with_hint("write a duration like 500ms, 10s, 5m or 1h")
        }),
    }
}

/// Limits, retries and token handling with every wait measured in `minute` (Zoho's is 60 s).
fn scaled(minute: Option<Duration>) -> (LimitsConfig, RetryConfig, TokenConfig) {
    let mut limits = LimitsConfig::default();
    let mut retry = RetryConfig::default();
    let mut tokens = TokenConfig::default();
    if let Some(m) = minute {
        limits.window = m;
        let scale = m.as_secs_f64() / 60.0;
        retry.initial_backoff = retry.initial_backoff.mul_f64(scale);
        retry.max_backoff = retry.max_backoff.mul_f64(scale);
        retry.concurrency_backoff = retry.concurrency_backoff.mul_f64(scale);
        tokens.request_window = tokens.request_window.mul_f64(scale);
        tokens.cooldown = tokens.cooldown.mul_f64(scale);
        tokens.refresh_before = tokens.refresh_before.mul_f64(scale);
    }
    (limits, retry, tokens)
}

/// Says where the gateway listens: one JSON line on stdout with `--format json` (a script
/// reads the first line), else a few lines for a person.
fn announce(
    gateway: &zbooks_gateway::RunningGateway,
    org: &str,
    also: &[String],
    ctx: &Context,
    answers_at: &str,
    allow_remote: bool,
    p: Printer,
) {
    let addr = gateway.local_addr();
    let status_url = format!("http://{addr}/__zbooks/status");
    let metrics_url = format!("http://{addr}/__zbooks/metrics");
    if p.format == OutputFormat::Json {
        crate::envelope::write_line(
            "gateway",
            &json!({
                "listen": addr.to_string(),
                "base_url": gateway.base_url(),
                "status_url": status_url,
                "metrics_url": metrics_url,
                "organization_id": org,
                "also_organizations": also,
                "api_base": ctx.api_base(),
                "allow_remote": allow_remote,
                "store": context::store_path(&ctx.settings),
                "idempotency_keys": answers_at,
            }),
        );
        return;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} on {addr}, for organization {org}",
        p.bold("zbooks gateway listening")
    );
    if !also.is_empty() {
        let _ = writeln!(out, "  also for   {}", also.join(", "));
    }
    let _ = writeln!(out, "  base URL   {}", gateway.base_url());
    let _ = writeln!(out, "  status     {status_url}");
    let _ = writeln!(out, "  metrics    {metrics_url}");
    let _ = writeln!(out, "  keys in    {answers_at}");
    if let Some(api) = ctx.api_base() {
        let _ = writeln!(out, "  Zoho       {api}");
    }
    let _ = writeln!(
        out,
        "\nPoint your program's base URL here and drop its token handling{}. Ctrl-C stops it.",
        if allow_remote {
            "; remote clients send ZBOOKS_GATEWAY_TOKEN as `Authorization: Bearer <token>`"
        } else {
            ""
        }
    );
    p.out(&out);
}

/// Ctrl-C, or SIGTERM (systemd's stop).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
