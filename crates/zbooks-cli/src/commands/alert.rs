//! `zbooks alert test|list|send`, and the seam through which `import` and `worker` raise an
//! alert when they end on a permanent failure (records refused, the daily quota spent,
//! authentication broken, an organization blocked, Zoho failing after every retry). The
//! channels and the window come from the config file's `[alerts]` table; the queue is a SQLite
//! file in the data directory, so an alert raised by a run that then crashed is sent by the next
//! one. The library is `zbooks-alert`. `zbooks gateway`, which does not end, raises each
//! permanent failure it answers through [`GatewayAlerts`] and sends it within a moment.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use clap::{Args, Subcommand};
use serde::Serialize;
use zbooks_alert::{Alert, AlertsConfig, Cause, Channel, Delivery, Outbox, Queued, State, utc};
use zbooks_types::{Clock as _, FailureClass, SystemClock};

use crate::env::Env;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, Settings};
use crate::{CommandResult, context, exit};

/// The queue's file in the data directory.
pub const QUEUE_FILE: &str = "alerts.sqlite";

/// What `alert test` says when no channel is set.
const CONFIG_HINT: &str = "add channels to the config file (`zbooks config show` names it):
  [[alerts.webhook]]
  url = \"https://ops.example.com/zbooks-alerts\"
  secret_env = \"ZBOOKS_ALERT_WEBHOOK_SECRET\"
  [[alerts.slack]]
  url_env = \"ZBOOKS_ALERT_SLACK_URL\"
  [[alerts.email]]
  host = \"smtp.example.com\"
  from = \"zbooks@example.com\"
  to = [\"books-admin@example.com\"]
(docs/alerts.md)";

/// `zbooks alert`.
#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Send a test alert to every channel of the config file, and say which took it.
    Test(AlertTestArgs),
    /// Show the alerts raised: when, why, for which organization, and which channels took them.
    List(AlertListArgs),
    /// Send the alerts that are due (a digest whose window ended, one a channel refused before).
    Send(AlertSendArgs),
}

/// `zbooks alert test`.
#[derive(Debug, Args)]
pub struct AlertTestArgs {}

/// `zbooks alert send`.
#[derive(Debug, Args)]
pub struct AlertSendArgs {}

/// `zbooks alert list`.
#[derive(Debug, Args)]
pub struct AlertListArgs {
    /// How many alerts to show, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

/// A channel as shown: never its secret.
#[derive(Debug, Serialize)]
struct ShownChannel {
    name: String,
    target: String,
}

/// `alert list`'s data.
#[derive(Debug, Serialize)]
struct ListReport {
    queue: String,
    channels: Vec<ShownChannel>,
    alerts: Vec<Queued>,
}

/// `alert test` and `alert send`'s data.
#[derive(Debug, Serialize)]
struct SendReport {
    channels: Vec<ShownChannel>,
    deliveries: Vec<Delivery>,
}

/// The alerts configuration of the config file (`None` when it has no `[alerts]`).
pub fn config(settings: &Settings) -> Result<Option<AlertsConfig>, CliError> {
    let path = &settings.config_path.value;
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(None);
    };
    let bad = |e: &dyn std::fmt::Display| {
        CliError::usage(format!("config file {}: [alerts]: {e}", path.display()))
            .with_hint("docs/alerts.md lists the keys of [alerts]")
    };
    let value: toml::Table = toml::from_str(&text).map_err(|e| bad(&e))?;
    match value.get("alerts") {
        None => Ok(None),
        Some(alerts) => alerts
            .clone()
            .try_into::<AlertsConfig>()
            .map(Some)
            .map_err(|e| bad(&e)),
    }
}

fn channels(config: &AlertsConfig, env: &Env) -> Result<Vec<Channel>, CliError> {
    let named = config
        .webhook
        .iter()
        .map(|w| &w.secret_env)
        .chain(config.slack.iter().map(|s| &s.url_env))
        .chain(config.email.iter().filter_map(|e| e.password_env.as_ref()));
    for name in named {
        if !name.starts_with(crate::env::ALERT_PREFIX) {
            return Err(CliError::usage(format!(
                "[alerts] names the variable {name}: zbooks reads only variables starting with {}",
                crate::env::ALERT_PREFIX
            ))
            .with_hint(format!(
                "rename it, e.g. {}WEBHOOK_SECRET",
                crate::env::ALERT_PREFIX
            )));
        }
    }
    config
        .channels(&|name| env.alert_secret(name).map(str::to_owned))
        .map_err(|e| {
            CliError::usage(e.to_string())
                .with_hint("set the variable, or fix [alerts] (docs/alerts.md)")
        })
}

/// The queue could not be read or written (exit 6).
fn local(e: &zbooks_alert::Error) -> CliError {
    CliError {
        exit_code: exit::LOCAL_IO,
        ..CliError::usage(e.to_string())
    }
}

fn queue_path(settings: &Settings) -> PathBuf {
    settings.data_dir.value.join(QUEUE_FILE)
}

fn open(settings: &Settings, config: &AlertsConfig) -> Result<Outbox, CliError> {
    Outbox::open(&queue_path(settings), config.window_ms()).map_err(|e| local(&e))
}

/// Now, in Unix milliseconds (the one read of the clock here).
fn now_ms() -> i64 {
    SystemClock
        .now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn shown(channels: &[Channel]) -> Vec<ShownChannel> {
    channels
        .iter()
        .map(|c| ShownChannel {
            name: c.name.clone(),
            target: c.describe(),
        })
        .collect()
}

/// Sends what is due; the deliveries.
fn send_due(outbox: &Outbox, channels: &[Channel]) -> Result<Vec<Delivery>, CliError> {
    let http = reqwest::Client::new();
    context::runtime()?
        .block_on(zbooks_alert::deliver(outbox, channels, &http, now_ms()))
        .map_err(|e| local(&e))
}

/// Runs `zbooks alert`.
pub fn run(cmd: &AlertCommand, settings: &Settings, env: &Env, p: Printer) -> CommandResult {
    let config = config(settings)?.unwrap_or_default();
    match cmd {
        AlertCommand::Test(_) => {
            let channels = channels(&config, env)?;
            if channels.is_empty() {
                return Err(CliError::usage("no alert channel is set").with_hint(CONFIG_HINT));
            }
            let outbox = open(settings, &config)?;
            let org = settings.organization_id.as_ref().map(|o| o.value.clone());
            outbox
                .raise(
                    &Alert {
                        cause: Cause::Test,
                        organization_id: org,
                        title: "Test alert: this channel works".to_owned(),
                        detail: "Sent by `zbooks alert test`. Permanent failures of imports and \
                                 workers (records refused, the daily quota spent, \
                                 authentication broken, an organization blocked, Zoho failing \
                                 after every retry) will arrive here."
                            .to_owned(),
                    },
                    now_ms(),
                )
                .map_err(|e| local(&e))?;
            Ok(report_deliveries(
                &channels,
                &send_due(&outbox, &channels)?,
                p,
            ))
        }
        AlertCommand::Send(_) => {
            let channels = channels(&config, env)?;
            let outbox = open(settings, &config)?;
            Ok(report_deliveries(
                &channels,
                &send_due(&outbox, &channels)?,
                p,
            ))
        }
        AlertCommand::List(args) => {
            let channels = channels(&config, env).unwrap_or_default();
            let path = queue_path(settings);
            let alerts = if path.exists() {
                open(settings, &config)?
                    .list(args.limit)
                    .map_err(|e| local(&e))?
            } else {
                Vec::new()
            };
            let report = ListReport {
                queue: path.display().to_string(),
                channels: shown(&channels),
                alerts,
            };
            match p.format {
                OutputFormat::Json => p.json(&report),
                OutputFormat::Text => p.out(&list_text(&report, p)),
            }
            Ok(exit::OK)
        }
    }
}

fn report_deliveries(channels: &[Channel], deliveries: &[Delivery], p: Printer) -> u8 {
    let failed = deliveries.iter().filter(|d| d.error.is_some()).count();
    match p.format {
        OutputFormat::Json => p.json(&SendReport {
            channels: shown(channels),
            deliveries: deliveries.to_vec(),
        }),
        OutputFormat::Text => {
            let mut out = String::new();
            if deliveries.is_empty() {
                out.push_str("nothing due\n");
            }
            for d in deliveries {
                let target = channels
                    .iter()
                    .find(|c| c.name == d.channel)
                    .map(Channel::describe)
                    .unwrap_or_default();
                match &d.error {
                    None => {
                        let _ = writeln!(
                            out,
                            "{} {} ({target}) took alert #{}: {}",
                            p.colored("green", "sent"),
                            d.channel,
                            d.id,
                            d.subject
                        );
                    }
                    Some(e) => {
                        let _ = writeln!(
                            out,
                            "{} {} ({target}) alert #{}: {e}; kept, sent again on the next run",
                            p.colored("red", "failed"),
                            d.channel,
                            d.id
                        );
                    }
                }
            }
            p.out(&out);
        }
    }
    if failed > 0 {
        exit::UNREACHABLE
    } else {
        exit::OK
    }
}

fn list_text(report: &ListReport, p: Printer) -> String {
    let mut out = String::new();
    if report.channels.is_empty() {
        out.push_str("channels: none set ([alerts] in the config file, docs/alerts.md)\n");
    }
    for c in &report.channels {
        let _ = writeln!(out, "channel {}: {}", c.name, c.target);
    }
    if report.alerts.is_empty() {
        let _ = writeln!(out, "no alert raised yet ({})", report.queue);
    }
    out.push_str(&alert_lines(&report.alerts, p));
    out
}

/// One line per alert (and who took it, or its last failure), for `alert list` and
/// `logs analyze --alerts`.
pub fn alert_lines(alerts: &[Queued], p: Printer) -> String {
    let mut out = String::new();
    for a in alerts {
        let state = match a.state {
            State::Sent => p.colored("green", "sent"),
            State::Queued if a.due_at > now_ms() => p.colored("yellow", "waiting"),
            State::Queued => p.colored("yellow", "queued"),
        };
        let org = a
            .organization_id
            .as_deref()
            .map_or_else(String::new, |o| format!(" org {o}"));
        let _ = writeln!(
            out,
            "#{} {} {state} {} {}{org}: {}",
            a.id,
            utc(a.raised_at),
            a.kind,
            a.cause,
            a.subject()
        );
        if !a.delivered.is_empty() {
            let _ = writeln!(out, "    told: {}", a.delivered.join(", "));
        }
        if let (State::Queued, Some(e)) = (a.state, &a.last_error) {
            let _ = writeln!(out, "    last failure ({} so far): {e}", a.attempts);
        }
    }
    out
}

/// The permanent failure a command's end stands for, if it is one: an exit code and the
/// error (`None` when it ended without one).
pub fn cause_of(exit_code: u8, error: Option<&CliError>) -> Option<Cause> {
    if let Some(cause) = error.and_then(|e| e.class).and_then(cause_of_class) {
        return Some(cause);
    }
    match exit_code {
        exit::RECORDS_FAILED | exit::ZOHO_REJECTED => Some(Cause::RecordsRefused),
        exit::AUTH => Some(Cause::AuthBroken),
        exit::UNREACHABLE => Some(Cause::ServerErrors),
        exit::QUOTA => Some(Cause::QuotaSpent),
        _ => None,
    }
}

/// The cause a failure of this class stands for, when the class alone says it.
fn cause_of_class(class: FailureClass) -> Option<Cause> {
    match class {
        FailureClass::BlockedOrg => Some(Cause::OrganizationBlocked),
        FailureClass::QuotaExhaustedDay => Some(Cause::QuotaSpent),
        FailureClass::AuthExpired | FailureClass::AuthMisconfigured => Some(Cause::AuthBroken),
        FailureClass::TransientServer => Some(Cause::ServerErrors),
        _ => None,
    }
}

/// How often a running gateway sends what is due besides each new alert (a digest whose
/// window ended, an alert a channel refused before).
const GATEWAY_DELIVERY_EVERY: Duration = Duration::from_secs(30);

/// How long a stopping gateway waits for its last alerts to be sent.
const GATEWAY_LAST_DELIVERY: Duration = Duration::from_secs(10);

/// The alert channels of `zbooks gateway`, a command that does not end: each permanent failure
/// it answers (a refused login, a missing scope, the day's quota spent, a blocked organization,
/// Zoho failing after every retry, a create in doubt, a record refused) is queued in the outbox
/// at once, so it survives a crash, and sent by [`GatewayAlerts::deliver_until`] within a
/// moment, grouped per cause and organization as every alert is.
#[derive(Debug)]
pub struct GatewayAlerts {
    outbox: Outbox,
    channels: Vec<Channel>,
    raised: tokio::sync::Notify,
}

/// The gateway's alert channels, when the config file has `[alerts]` (`None` otherwise).
pub fn gateway_alerts(
    settings: &Settings,
    env: &Env,
) -> Result<Option<std::sync::Arc<GatewayAlerts>>, CliError> {
    let Some(config) = config(settings)? else {
        return Ok(None);
    };
    let channels = channels(&config, env)?;
    let outbox = open(settings, &config)?;
    Ok(Some(std::sync::Arc::new(GatewayAlerts {
        outbox,
        channels,
        raised: tokio::sync::Notify::new(),
    })))
}

/// The alert a failure the gateway answered stands for: its cause from Zoho's status and code
/// as the client classifies them, else a record refused (a 4xx no retry fixes) or Zoho failing
/// (a 5xx, a create in doubt).
fn gateway_alert(failure: &zbooks_gateway::Alert) -> Alert {
    let body = serde_json::json!({ "code": failure.code, "message": failure.message });
    let class = zbooks_client::classify(failure.status, body.to_string().as_bytes())
        .err()
        .map(|f| f.class);
    let cause = class
        .and_then(cause_of_class)
        .unwrap_or(if failure.status >= 500 {
            Cause::ServerErrors
        } else {
            Cause::RecordsRefused
        });
    let code = failure
        .code
        .map_or_else(String::new, |code| format!(", code {code}"));
    Alert {
        cause,
        organization_id: Some(failure.organization_id.clone()),
        title: format!(
            "zbooks gateway: {} {} answered {}{code}",
            failure.method, failure.path, failure.status
        ),
        detail: format!(
            "{}\n  hint: the gateway's --log-file and `GET /__zbooks/status` (recent_failures) \
             show the call; `zbooks explain {}` says what the answer means",
            failure.message,
            failure.code.map_or(failure.status.into(), |c| c)
        ),
    }
}

impl zbooks_gateway::AlertSink for GatewayAlerts {
    fn raise(&self, failure: &zbooks_gateway::Alert) {
        // One row in a local SQLite file: short enough for the request's task.
        if let Err(e) = self.outbox.raise(&gateway_alert(failure), now_ms()) {
            tracing::warn!(target: "zbooks::alert", error = %e, "could not queue an alert");
        }
        self.raised.notify_one();
    }
}

impl GatewayAlerts {
    /// Sends what is due when an alert is raised and every 30 s, until
    /// `stop`; then once more, for at most 10 s.
    pub async fn deliver_until(&self, stop: impl std::future::Future<Output = ()>, p: Printer) {
        let http = reqwest::Client::new();
        let send =
            async || match zbooks_alert::deliver(&self.outbox, &self.channels, &http, now_ms())
                .await
            {
                Ok(deliveries) => {
                    for d in deliveries.iter().filter(|d| d.error.is_some()) {
                        p.note(&format!(
                            "warning: alert channel {}: {}",
                            d.channel,
                            d.error.as_deref().unwrap_or_default()
                        ));
                    }
                }
                Err(e) => p.note(&format!("warning: alert: {e}")),
            };
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => break,
                () = self.raised.notified() => {}
                () = tokio::time::sleep(GATEWAY_DELIVERY_EVERY) => {}
            }
            send().await;
        }
        let _ = tokio::time::timeout(GATEWAY_LAST_DELIVERY, send()).await;
    }
}

/// The seam: after `import` or `worker` (named `command`) ended with `exit_code` (and
/// `error`), raises the alert its failure stands for and sends what is due, when `[alerts]` is
/// set. Alerting never changes the command's exit code: its own trouble is a note.
pub fn after_run(
    command: &str,
    exit_code: u8,
    error: Option<&CliError>,
    global: &GlobalArgs,
    env: &Env,
    p: Printer,
) {
    // Not `import status` or `import failed`: they report, they do not fail records.
    if command != "import" && command != "worker" {
        return;
    }
    let Ok(settings) = Settings::resolve(global, env) else {
        return;
    };
    let config = match config(&settings) {
        Ok(Some(config)) => config,
        Ok(None) => return,
        // A broken [alerts] must not pass unnoticed: nobody would be told of anything.
        Err(e) => {
            p.error(&format!("warning: no alert sent: {}", e.headline));
            return;
        }
    };
    if let Err(e) = raise_and_send(command, exit_code, error, &settings, &config, env, p) {
        p.note(&format!("warning: alert: {}", e.headline));
    }
}

fn raise_and_send(
    command: &str,
    exit_code: u8,
    error: Option<&CliError>,
    settings: &Settings,
    config: &AlertsConfig,
    env: &Env,
    p: Printer,
) -> Result<(), CliError> {
    let outbox = open(settings, config)?;
    if let Some(cause) = cause_of(exit_code, error) {
        let what = match cause {
            Cause::RecordsRefused => "Zoho refused records",
            Cause::QuotaSpent => "the daily quota is spent",
            Cause::AuthBroken => "authentication is broken",
            Cause::OrganizationBlocked => "the organization is blocked",
            Cause::ServerErrors => "Zoho kept failing after every retry",
            _ => "a permanent failure",
        };
        let detail = match error {
            Some(e) => e.to_string(),
            None if command == "import" => {
                "error: some records failed\n  hint: `zbooks import failed` lists them with \
                 Zoho's answer; correct them and import the failed file"
                    .to_owned()
            }
            None => {
                "error: some jobs failed\n  hint: `zbooks import status --queue URL`".to_owned()
            }
        };
        let alert = Alert {
            cause,
            organization_id: settings.organization_id.as_ref().map(|o| o.value.clone()),
            title: format!("zbooks {command}: {what} (exit {exit_code})"),
            detail,
        };
        outbox
            .raise(&alert, now_ms())
            .map_err(|e| CliError::usage(e.to_string()))?;
    }
    // What is due now, this run's alert and any an earlier run left queued.
    let channels = channels(config, env)?;
    for d in send_due(&outbox, &channels)? {
        match d.error {
            None => p.note(&format!("alert #{} sent to {}", d.id, d.channel)),
            Some(e) => p.note(&format!(
                "warning: alert #{} not sent to {}: {e}; kept for the next run",
                d.id, d.channel
            )),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_permanent_failure_maps_to_its_cause_and_the_rest_to_none() {
        let with_class = |exit_code: u8, class: FailureClass| {
            let mut e = CliError::usage("x");
            e.exit_code = exit_code;
            e.class = Some(class);
            cause_of(exit_code, Some(&e))
        };
        assert_eq!(
            with_class(exit::ZOHO_REJECTED, FailureClass::BlockedOrg),
            Some(Cause::OrganizationBlocked)
        );
        assert_eq!(
            with_class(exit::QUOTA, FailureClass::QuotaExhaustedDay),
            Some(Cause::QuotaSpent)
        );
        assert_eq!(
            with_class(exit::AUTH, FailureClass::AuthMisconfigured),
            Some(Cause::AuthBroken)
        );
        assert_eq!(
            with_class(exit::UNREACHABLE, FailureClass::TransientServer),
            Some(Cause::ServerErrors)
        );
        assert_eq!(
            cause_of(exit::RECORDS_FAILED, None),
            Some(Cause::RecordsRefused)
        );
        assert_eq!(cause_of(exit::QUOTA, None), Some(Cause::QuotaSpent));
        assert_eq!(cause_of(exit::AUTH, None), Some(Cause::AuthBroken));
        assert_eq!(cause_of(exit::UNREACHABLE, None), Some(Cause::ServerErrors));
        for quiet in [exit::OK, exit::USAGE, exit::LOCAL_IO, exit::INTERRUPTED] {
            assert_eq!(cause_of(quiet, None), None, "exit {quiet}");
        }
    }
}
