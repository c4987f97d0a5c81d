//! The client and the limits of a `zbooks import` run, from its flags: a daily budget, and
//! (testing only) a shortened minute or day that every wait of the client scales with.

use std::time::Duration;

use zbooks_client::{Client, LimitsConfig, RetryConfig, TokenConfig};
use zbooks_import::ExecuteOptions;
use zbooks_types::{Limits, Plan};

use super::{ImportArgs, duration};
use crate::context::Context;
use crate::error::CliError;
use crate::render;
use crate::settings::Settings;

/// The organization's limits: the configured plan's, or the Free plan's (the most careful)
/// when it is not known before the first call.
pub(super) fn limits_of(settings: &Settings) -> (Limits, Option<Plan>) {
    let plan = settings.plan.as_ref().map(|p| p.value);
    (plan.unwrap_or(Plan::Free).limits(), plan)
}

/// A client with the import's own limits (a daily budget, a shortened minute); otherwise the
/// one every command uses.
pub(super) fn client_for(
    ctx: &Context,
    args: &ImportArgs,
    minute: Option<Duration>,
) -> Result<Client, CliError> {
    if minute.is_none() && args.daily_budget.is_none() && args.day.is_none() {
        return ctx.client();
    }
    let mut limits = LimitsConfig {
        per_day: args.daily_budget,
        ..LimitsConfig::default()
    };
    if let Some(day) = args.day.as_deref() {
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

pub(super) fn limits_in_flight(settings: &Settings) -> u32 {
    // Unknown plan: the client reads it from Zoho and keeps its own cap; 10 tasks are
    // enough to keep any plan's cap busy.
    settings
        .plan
        .as_ref()
        .map_or(10, |p| p.value.limits().in_flight)
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
}
