//! The client and the limits of a `zbooks import` run: the organization's plan (the user's
//! setting, else Zoho's, else the Free plan's, saying which), a daily budget, and (testing
//! only) a shortened minute or day that every wait of the client scales with.

use std::time::Duration;

use zbooks_client::{Client, LimitsConfig, RetryConfig, TokenConfig};
use zbooks_import::ExecuteOptions;

use super::ImportArgs;
use crate::context::{self, Context};
use crate::error::CliError;
use crate::plan::{self, KnownPlan, Origin};
use crate::printer::Printer;
use crate::render;
use crate::settings::{GlobalArgs, Settings};

/// A duration flag (`500ms`, `10s`, `5m`, `1h`, as the simulator reads them), or `default`.
pub(crate) fn duration(
    flag: &str,
    text: Option<&str>,
    default: Duration,
) -> Result<Duration, CliError> {
    match text {
        None => Ok(default),
        Some(t) => zbooks_sim::parse_duration(t).map_err(|e| {
            CliError::usage(format!("invalid {flag} {t:?}: {e}"))
                .with_hint("write a duration like 500ms, 10s, 5m or 1h")
        }),
    }
}

/// The organization's plan and where it came from: the user's setting; else, when there is a
/// login to ask with, Zoho's word for the organization; else the Free plan (the most careful),
/// assumed. Said on stderr (`plan: Professional (from Zoho)`), with a warning when assumed.
pub(super) fn plan_of(
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> Result<KnownPlan, CliError> {
    let can_ask = settings.refresh_token.is_some() || context::store_path(settings).exists();
    let known = match KnownPlan::configured(settings) {
        Some(known) => known,
        None if can_ask => context::runtime()?.block_on(async {
            let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
            Ok::<_, CliError>(match ctx.settings.organization_id.clone() {
                Some(org) => plan::read(&ctx, &org.value).await,
                None => KnownPlan::assumed("no organization is set, so Zoho was not asked"),
            })
        })?,
        None => KnownPlan::assumed("not logged in, so Zoho was not asked"),
    };
    p.note(&format!("plan: {}", known.summary()));
    if let Some(warning) = known.warning() {
        p.note(&warning);
    }
    Ok(known)
}

/// A client with the import's own limits (a daily budget, a shortened minute); otherwise the
/// one every command uses.
pub(super) fn client_for(
    ctx: &Context,
    args: &ImportArgs,
    minute: Option<Duration>,
) -> Result<Client, CliError> {
    scaled_client(ctx, minute, args.daily_budget, args.day.as_deref())
}

/// A client whose minute is `minute` (every wait of it scaled alike), with a daily budget and
/// a daily window (`--day`): what `import` and `worker` share.
pub(crate) fn scaled_client(
    ctx: &Context,
    minute: Option<Duration>,
    daily_budget: Option<u32>,
    day: Option<&str>,
) -> Result<Client, CliError> {
    if minute.is_none() && daily_budget.is_none() && day.is_none() {
        return ctx.client();
    }
    let mut limits = LimitsConfig {
        per_day: daily_budget,
        ..LimitsConfig::default()
    };
    if let Some(day) = day {
        limits.day = duration("--day", Some(day), limits.day)?;
    }
    let mut retry = RetryConfig::default();
    let mut tokens = TokenConfig::default();
    if let Some(m) = minute {
        limits.window = m;
        let scale = m.as_secs_f64() / 60.0;
        retry.initial_backoff = retry.initial_backoff.mul_f64(scale);
        retry.max_backoff = retry.max_backoff.mul_f64(scale);
        retry.concurrency_backoff = retry.concurrency_backoff.mul_f64(scale);
        // The simulator's token window is ten of its minutes, like Zoho's.
        tokens.request_window = tokens.request_window.mul_f64(scale);
        tokens.cooldown = tokens.cooldown.mul_f64(scale);
        tokens.refresh_before = tokens.refresh_before.mul_f64(scale);
    }
    ctx.client_builder()?
        .limits(limits)
        .retry(retry)
        .tokens(tokens)
        .build()
        .map_err(|e| render::client_error("cannot set up the Zoho Books client", &e))
}

/// How the run executes: the plan's in-flight cap, and the waits after server failures
/// measured in the limits' minute (`--minute`, 60 s at Zoho), so that a shortened minute
/// shortens the deferral, the first retry and the burst window with it; `--defer` and
/// `--settle` override.
pub(super) fn execute_options(
    args: &ImportArgs,
    in_flight: u32,
    minute: Option<Duration>,
) -> Result<ExecuteOptions, CliError> {
    let mut options = ExecuteOptions::default().scaled_to(minute.unwrap_or(Duration::from_mins(1)));
    options.defer = duration("--defer", args.defer.as_deref(), options.defer)?;
    options.settle = duration("--settle", args.settle.as_deref(), options.settle)?;
    options.in_flight = usize::try_from(in_flight).unwrap_or(5);
    options.wait_for_quota = args.wait;
    // The lease is taken before the listing: no other zbooks run creates there.
    options.exclusive = true;
    Ok(options)
}

/// The executor's in-flight cap: the plan's when the user or Zoho named it.
pub(super) fn limits_in_flight(plan: &KnownPlan) -> u32 {
    // Assumed: the client reads the plan from Zoho itself and keeps its own cap; 10 tasks are
    // enough to keep any plan's cap busy.
    match plan.origin {
        Origin::Assumed(_) => 10,
        _ => plan.plan.limits().in_flight,
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        import: ImportArgs,
    }

    fn options(flags: &[&str], minute: Option<Duration>) -> ExecuteOptions {
        let flags = Flags::parse_from(["import", "in.csv"].iter().chain(flags));
        execute_options(&flags.import, 5, minute).unwrap()
    }

    #[test]
    fn a_shortened_minute_shortens_the_waits_after_server_failures() {
        let zoho = options(&[], None);
        assert_eq!(zoho.defer, Duration::from_mins(5));
        assert_eq!(zoho.server_retry, Duration::from_secs(2));
        assert_eq!(zoho.burst_window, Duration::from_mins(1));
        let scaled = options(&[], Some(Duration::from_secs(3)));
        assert_eq!(scaled.defer, Duration::from_secs(15));
        assert_eq!(scaled.server_retry, Duration::from_millis(100));
        assert_eq!(scaled.burst_window, Duration::from_secs(3));
        assert_eq!(scaled.in_flight, 5);
        assert!(scaled.exclusive);
    }

    #[test]
    fn defer_and_settle_flags_override_the_scaled_waits() {
        let o = options(
            &["--defer", "250ms", "--settle", "0s"],
            Some(Duration::from_secs(3)),
        );
        assert_eq!(o.defer, Duration::from_millis(250));
        assert_eq!(o.settle, Duration::ZERO);
        assert_eq!(o.server_retry, Duration::from_millis(100));
    }

    #[test]
    fn durations_read_like_the_simulator_s() {
        assert_eq!(
            duration("--defer", Some("250ms"), Duration::ZERO).unwrap(),
            Duration::from_millis(250)
        );
        assert_eq!(
            duration("--defer", None, Duration::from_secs(3)).unwrap(),
            Duration::from_secs(3)
        );
        assert!(duration("--defer", Some("soon"), Duration::ZERO).is_err());
        assert_eq!(super::super::view::hm(Duration::from_secs(3725)), "1h 02m");
    }
}
