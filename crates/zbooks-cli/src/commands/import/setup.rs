//! The client and the limits of a `zbooks import` run, from its flags: a daily budget, and
//! (testing only) a shortened minute or day that every wait of the client scales with.

use std::time::Duration;

use zbooks_client::{Client, LimitsConfig, RetryConfig, TokenConfig};
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

pub(super) fn limits_in_flight(settings: &Settings) -> u32 {
    // Unknown plan: the client reads it from Zoho and keeps its own cap; 10 tasks are
    // enough to keep any plan's cap busy.
    settings
        .plan
        .as_ref()
        .map_or(10, |p| p.value.limits().in_flight)
}
