//! `zbooks logs analyze`: read logs, print the findings, optionally write the HTML report.

use std::path::Path;

use clap::Args;
use zbooks_alert::utc;
use zbooks_logs::{AnalyzeOptions, Analyzer};
use zbooks_types::{Clock as _, SystemClock};

use crate::context;
use crate::env::Env;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, Settings};
use crate::{CommandResult, exit};

/// `zbooks logs analyze`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  zbooks logs analyze app.log
  zbooks logs analyze zbooks-events.jsonl.gz export.har --html report.html
  kubectl logs deploy/sync | zbooks logs analyze - --format json")]
pub struct LogsAnalyzeArgs {
    /// Log files to read (several at once); `-` reads standard input.
    #[arg(
        value_name = "FILE",
        required_unless_present_any = ["audit", "alerts", "webhooks"]
    )]
    pub files: Vec<std::path::PathBuf>,
    /// Also read the audit log of failed calls that every zbooks command keeps in the store
    /// (for the profile's data directory), or on PostgreSQL when ZBOOKS_STATE or ZBOOKS_JOURNAL
    /// is a postgres:// URL (every machine's failures).
    #[arg(long)]
    pub audit: bool,
    /// Also show the alerts raised (the data directory's alert queue): what failed for good and
    /// who was told, or why not yet.
    #[arg(long)]
    pub alerts: bool,
    /// Also show the webhook deliveries received (the data directory's webhook log): what Zoho
    /// sent, and what was accepted, refused or forwarded.
    #[arg(long)]
    pub webhooks: bool,
    /// Also write a self-contained HTML report (charts inline, no network needed).
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// The organization's plan, for the daily quota and the in-flight limit.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<zbooks_types::Plan>,
    /// The daily quota, when Zoho raised it above the plan's.
    #[arg(long, value_name = "CALLS")]
    pub daily_limit: Option<u32>,
}

/// Runs `zbooks logs analyze`.
pub fn run(args: &LogsAnalyzeArgs, global: &GlobalArgs, env: &Env, p: Printer) -> CommandResult {
    let mut analyzer = Analyzer::new(AnalyzeOptions {
        now: Some(SystemClock.now()),
        plan: args.plan,
        daily_limit: args.daily_limit,
    });
    let mut unreadable = 0;
    for path in &args.files {
        let result = if path == Path::new("-") {
            analyzer.feed_reader("-", std::io::stdin().lock())
        } else {
            analyzer.feed_path(path)
        };
        // A file that cannot be opened is reported and skipped; the others are still read.
        if let Err(err) = result {
            unreadable += 1;
            p.error(&format!("error: {err}{}", source_text(&err)));
        }
    }
    let mut sources = args.files.len();
    if args.audit {
        sources += 1;
        let settings = Settings::resolve(global, env)?;
        let path = context::store_path(&settings);
        if let Some(url) = context::audit_url(&settings) {
            let shown = crate::settings::redact_url(url.expose());
            if let Some(events) = context::runtime()?.block_on(pg_audit_log(url.expose()))? {
                analyzer.feed_events(&format!("audit log ({shown})"), events.iter().rev());
            } else {
                unreadable += 1;
                p.error(&format!(
                    "error: no audit log at {shown}: no zbooks command has written there yet"
                ));
            }
        } else if path.exists() {
            let store = context::open_store(&settings)?;
            let events = context::runtime()?
                .block_on(store.audit_log(AUDIT_LIMIT))
                .map_err(|e| {
                    CliError::usage(format!("cannot read the audit log in {}", path.display()))
                        .with_hint(e.to_string())
                })?;
            // The store returns the newest first; the analysis wants time order.
            analyzer.feed_events(
                &format!("audit log ({})", path.display()),
                events.iter().rev(),
            );
        } else {
            unreadable += 1;
            p.error(&format!(
                "error: no audit log at {}: no zbooks command has run with this profile's data \
                 directory",
                path.display()
            ));
        }
    }
    // The alert queue and the webhook log: read whole, shown after the analysis.
    let mut extra = Extra::default();
    if args.alerts || args.webhooks {
        let settings = Settings::resolve(global, env)?;
        if args.alerts {
            sources += 1;
            extra.alerts = Some(read_alerts(&settings)?);
        }
        if args.webhooks {
            sources += 1;
            extra.webhooks = Some(read_webhooks(&settings)?);
        }
    }
    if unreadable == sources {
        return Err(CliError::usage("no log could be read").with_hint(
            "give one or more log files (plain or .gz), a HAR export, or - for standard input",
        ));
    }
    let report = analyzer.finish();
    match p.format {
        OutputFormat::Json => {
            let mut json = report.to_json();
            if let serde_json::Value::Object(map) = &mut json {
                if let Some(alerts) = &extra.alerts {
                    map.insert(
                        "alerts".to_owned(),
                        serde_json::to_value(alerts).unwrap_or_default(),
                    );
                }
                if let Some(webhooks) = &extra.webhooks {
                    map.insert(
                        "webhooks".to_owned(),
                        serde_json::to_value(webhooks).unwrap_or_default(),
                    );
                }
            }
            p.json(&json);
        }
        OutputFormat::Text => {
            let mut text = if args.files.is_empty() && !args.audit {
                String::new()
            } else {
                report.to_text(p.color)
            };
            text.push_str(&extra.text(p));
            p.out(&text);
        }
    }
    if let Some(html) = &args.html {
        std::fs::write(html, report.to_html_with(&extra.appendices())).map_err(|e| {
            CliError::io(
                format!("cannot write the HTML report {}", html.display()),
                &e,
            )
        })?;
        p.note(&format!("HTML report written to {}", html.display()));
    }
    Ok(if unreadable > 0 {
        exit::LOCAL_IO
    } else {
        exit::OK
    })
}

/// How many alerts and deliveries are listed (the counts cover them all).
const SHOWN: usize = 50;

/// The alert queue and the webhook log, when asked for.
#[derive(Default)]
struct Extra {
    alerts: Option<AlertsSection>,
    webhooks: Option<WebhooksSection>,
}

/// What failed for good and who was told (`--alerts`).
#[derive(serde::Serialize)]
struct AlertsSection {
    queue: String,
    /// Failures told of, digests counted whole.
    failures: i64,
    sent: usize,
    queued: usize,
    by_cause: std::collections::BTreeMap<String, i64>,
    alerts: Vec<zbooks_alert::Queued>,
}

/// What Zoho sent (`--webhooks`).
#[derive(serde::Serialize)]
struct WebhooksSection {
    log: String,
    received: usize,
    verdicts: std::collections::BTreeMap<String, usize>,
    forward: std::collections::BTreeMap<String, usize>,
    events: Vec<zbooks_webhook::Event>,
}

impl Extra {
    /// The alert queue and the webhook log as tables of the HTML report, after the analysis.
    fn appendices(&self) -> Vec<zbooks_logs::Appendix> {
        let mut out = Vec::new();
        let counts = |map: &std::collections::BTreeMap<String, i64>| {
            let parts: Vec<String> = map.iter().map(|(k, n)| format!("{k} {n}")).collect();
            if parts.is_empty() {
                "none".to_owned()
            } else {
                parts.join(", ")
            }
        };
        if let Some(a) = &self.alerts {
            out.push(zbooks_logs::Appendix {
                id: "alerts".to_owned(),
                title: "Alerts: what failed for good and who was told".to_owned(),
                summary: format!(
                    "{} failure(s) told of ({}) · {} alert(s) sent, {} queued · {}",
                    a.failures,
                    counts(&a.by_cause),
                    a.sent,
                    a.queued,
                    a.queue
                ),
                heads: ["raised", "cause", "organization", "what", "state", "told"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: a
                    .alerts
                    .iter()
                    .map(|q| {
                        let what = if q.kind == "digest" {
                            format!("{} (digest of {})", q.title, q.count)
                        } else {
                            q.title.clone()
                        };
                        let state = match (&q.state, &q.last_error) {
                            (zbooks_alert::State::Sent, _) => "sent".to_owned(),
                            (_, Some(error)) => format!("queued: {error}"),
                            (_, None) => "queued".to_owned(),
                        };
                        vec![
                            utc(q.raised_at),
                            q.cause.to_string(),
                            q.organization_id.clone().unwrap_or_default(),
                            what,
                            state,
                            q.delivered.join(", "),
                        ]
                    })
                    .collect(),
            });
        }
        if let Some(w) = &self.webhooks {
            let as_i64 = |map: &std::collections::BTreeMap<String, usize>| {
                map.iter()
                    .map(|(k, n)| (k.clone(), i64::try_from(*n).unwrap_or(i64::MAX)))
                    .collect::<std::collections::BTreeMap<_, _>>()
            };
            out.push(zbooks_logs::Appendix {
                id: "webhooks".to_owned(),
                title: "Webhooks: what Zoho sent".to_owned(),
                summary: format!(
                    "{} deliveries ({}) · forwarding: {} · {}",
                    w.received,
                    counts(&as_i64(&w.verdicts)),
                    counts(&as_i64(&w.forward)),
                    w.log
                ),
                heads: [
                    "received",
                    "verdict",
                    "module",
                    "record",
                    "organization",
                    "forwarded",
                ]
                .map(str::to_owned)
                .to_vec(),
                rows: w
                    .events
                    .iter()
                    .map(|e| {
                        let verdict = match &e.reason {
                            Some(reason) => format!("{}: {reason}", e.verdict),
                            None => e.verdict.clone(),
                        };
                        let forward = match &e.forward_error {
                            Some(error) => format!("{}: {error}", e.forward),
                            None => e.forward.clone(),
                        };
                        vec![
                            utc(e.received_at),
                            verdict,
                            e.module.clone().unwrap_or_default(),
                            e.entity_id.clone().unwrap_or_default(),
                            e.organization_id.clone().unwrap_or_default(),
                            forward,
                        ]
                    })
                    .collect(),
            });
        }
        out
    }

    fn text(&self, p: Printer) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        if let Some(a) = &self.alerts {
            let causes: Vec<String> = a.by_cause.iter().map(|(c, n)| format!("{c} {n}")).collect();
            let _ = writeln!(
                out,
                "\n{}: {} failure(s) told of ({}) · {} alert(s) sent, {} queued · {}",
                p.bold("Alerts: what failed for good and who was told"),
                a.failures,
                if causes.is_empty() {
                    "none".to_owned()
                } else {
                    causes.join(", ")
                },
                a.sent,
                a.queued,
                a.queue
            );
            out.push_str(&crate::commands::alert::alert_lines(&a.alerts, p));
        }
        if let Some(w) = &self.webhooks {
            let verdicts: Vec<String> =
                w.verdicts.iter().map(|(v, n)| format!("{v} {n}")).collect();
            let forward: Vec<String> = w.forward.iter().map(|(v, n)| format!("{v} {n}")).collect();
            let _ = writeln!(
                out,
                "\n{}: {} deliveries ({}) · forwarding: {} · {}",
                p.bold("Webhooks: what Zoho sent"),
                w.received,
                if verdicts.is_empty() {
                    "none".to_owned()
                } else {
                    verdicts.join(", ")
                },
                if forward.is_empty() {
                    "none".to_owned()
                } else {
                    forward.join(", ")
                },
                w.log
            );
            out.push_str(&crate::commands::webhooks::event_lines(&w.events));
        }
        out
    }
}

fn read_alerts(settings: &Settings) -> Result<AlertsSection, CliError> {
    let path = settings
        .data_dir
        .value
        .join(crate::commands::alert::QUEUE_FILE);
    let all = if path.exists() {
        zbooks_alert::Outbox::open(&path, 0)
            .and_then(|o| o.list(usize::MAX >> 1))
            .map_err(|e| CliError::usage(format!("cannot read the alert queue: {e}")))?
    } else {
        Vec::new()
    };
    let mut by_cause = std::collections::BTreeMap::new();
    for a in &all {
        *by_cause.entry(a.cause.to_string()).or_insert(0) += a.count;
    }
    Ok(AlertsSection {
        queue: path.display().to_string(),
        failures: all.iter().map(|a| a.count).sum(),
        sent: all
            .iter()
            .filter(|a| a.state == zbooks_alert::State::Sent)
            .count(),
        queued: all
            .iter()
            .filter(|a| a.state == zbooks_alert::State::Queued)
            .count(),
        by_cause,
        alerts: all.into_iter().take(SHOWN).collect(),
    })
}

fn read_webhooks(settings: &Settings) -> Result<WebhooksSection, CliError> {
    let path = settings
        .data_dir
        .value
        .join(crate::commands::webhooks::LOG_FILE);
    let all = if path.exists() {
        zbooks_webhook::Store::open(&path)
            .and_then(|s| s.list(usize::MAX >> 1))
            .map_err(|e| CliError::usage(format!("cannot read the webhook log: {e}")))?
    } else {
        Vec::new()
    };
    let mut verdicts = std::collections::BTreeMap::new();
    let mut forward = std::collections::BTreeMap::new();
    for e in &all {
        *verdicts.entry(e.verdict.clone()).or_insert(0) += 1;
        if e.forward != "none" {
            *forward.entry(e.forward.clone()).or_insert(0) += 1;
        }
    }
    Ok(WebhooksSection {
        log: path.display().to_string(),
        received: all.len(),
        verdicts,
        forward,
        events: all.into_iter().take(SHOWN).collect(),
    })
}

/// The most audit-log entries read: the newest, which is where a failing integration's story is.
const AUDIT_LIMIT: u32 = 1_000_000;

fn source_text(err: &dyn std::error::Error) -> String {
    err.source()
        .map_or_else(String::new, |s| format!("\n  caused by: {s}"))
}

/// The newest entries of the audit log on PostgreSQL (`None` when the database holds no zbooks
/// tables yet: nothing is created by reading).
async fn pg_audit_log(url: &str) -> Result<Option<Vec<zbooks_types::event::CallEvent>>, CliError> {
    let shown = crate::settings::redact_url(url);
    let read = async {
        match zbooks_pg::PgStore::open_existing(url.trim()).await? {
            Some(pg) => pg.audit_log(AUDIT_LIMIT).await.map(Some),
            None => Ok(None),
        }
    };
    read.await.map_err(|e| {
        CliError::usage(format!("cannot read the audit log at {shown}")).with_hint(e.to_string())
    })
}
