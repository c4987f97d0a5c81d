//! The refresh: the accounts server mints an access token from the refresh token, and when it
//! will not, why not: a throttle, a revoked token, the network, or a client the accounts
//! server does not know (then which data center's accounts server does).

use zbooks_client::oauth::{ClientProbe, TokenInfo};
use zbooks_client::{Client, ErrorKind};
use zbooks_types::{Clock as _, DataCenter, SystemClock};

use crate::commands::auth::human;
use crate::context::Context;
use crate::{exit, render};

use super::check::Check;

/// Check 4, the refresh, timed: the check, the token (or why there is none), and how long
/// the accounts server took to answer, in milliseconds.
pub(super) async fn refresh(
    ctx: &Context,
    client: &Client,
    accounts_url: &str,
) -> (Check, Result<TokenInfo, zbooks_client::Error>, u128) {
    let started = tokio::time::Instant::now();
    let refreshed = client.refresh_now().await;
    let accounts_ms = started.elapsed().as_millis();
    let check = match &refreshed {
        Ok(info) => {
            let expires = info
                .expires_at
                .and_then(|at| at.duration_since(SystemClock.now()).ok())
                .map_or_else(String::new, |d| format!(", valid for {}", human(d)));
            Check::pass(
                "refresh",
                format!("the accounts server minted an access token{expires}"),
            )
        }
        Err(err) => refresh_failure(ctx, accounts_url, err).await,
    };
    (check, refreshed, accounts_ms)
}

/// A failed refresh, told apart: invalid_client (and which data center knows the client),
/// invalid_code, a throttle, the network.
async fn refresh_failure(ctx: &Context, accounts_url: &str, err: &zbooks_client::Error) -> Check {
    let accounts_error = err.failure().and_then(|f| f.accounts_error.clone());
    match (err.kind(), accounts_error.as_deref()) {
        (ErrorKind::TokenThrottled { retry_at }, _) => {
            let wait = retry_at
                .duration_since(SystemClock.now())
                .unwrap_or_default();
            Check::fail(
                "refresh",
                exit::AUTH,
                format!(
                    "the accounts server throttles token requests (\"Access Denied\"); zbooks \
                     will not ask again for {}",
                    human(wait)
                ),
                "wait that long, then run again. Zoho allows 10 token requests per refresh token \
                 in 10 minutes; zbooks caches tokens across processes, so if this comes back, \
                 something else refreshes on every call with the same refresh token (`zbooks \
                 logs analyze` on its logs shows it)",
            )
        }
        (_, Some("invalid_code")) => Check::fail(
            "refresh",
            exit::AUTH,
            "the refresh token is revoked or wrong (invalid_code)",
            "run `zbooks auth login` for a new one. A refresh token dies when it is revoked \
             (auth logout, the developer console), when the user makes a 21st one for this \
             client, or when it was copied wrong",
        ),
        (_, Some("invalid_client")) => dc_probe(ctx, accounts_url).await,
        (ErrorKind::Transport { .. }, _) => Check::fail(
            "refresh",
            exit::UNREACHABLE,
            format!(
                "the accounts server {accounts_url} did not answer: {}",
                zbooks_types::scrub(&err.to_string())
            ),
            "check the network, a proxy, and ZBOOKS_ACCOUNTS_URL if set",
        ),
        _ => Check::fail(
            "refresh",
            render::exit_code(err),
            zbooks_types::scrub(&err.to_string()),
            render::hint(err).unwrap_or_default(),
        ),
    }
}

/// Where the other data centers' accounts servers are: the pattern, else below an accounts URL
/// override (as the simulator serves them), else Zoho's hosts.
fn other_accounts_urls(ctx: &Context) -> Vec<(DataCenter, String)> {
    let s = &ctx.settings;
    let current = s.dc.as_ref().map(|d| d.value);
    DataCenter::ALL
        .iter()
        .filter(|dc| s.accounts_url.is_some() || Some(**dc) != current)
        .map(|dc| {
            let url = if let Some(pattern) = &s.accounts_url_pattern {
                pattern.value.replace("{dc}", dc.name())
            } else if let Some(base) = &s.accounts_url {
                format!("{}/dc/{}", base.value.trim_end_matches('/'), dc.name())
            } else {
                dc.accounts_url().to_owned()
            };
            (*dc, url)
        })
        .collect()
}

async fn dc_probe(ctx: &Context, accounts_url: &str) -> Check {
    let s = &ctx.settings;
    let (Some(id), Some(secret)) = (&s.client_id, &s.client_secret) else {
        return Check::fail(
            "refresh",
            exit::AUTH,
            "invalid_client",
            "check the client id and secret",
        );
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (dc, url) in other_accounts_urls(ctx) {
        let Ok(server) = ctx.accounts_server(&url) else {
            continue;
        };
        let id = id.value.clone();
        let secret = secret.value.clone();
        tasks.spawn(async move { (dc, url, server.probe_client(&id, &secret).await) });
    }
    let mut known = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((dc, url, Ok(ClientProbe::Known))) = joined {
            known.push((dc, url));
        }
    }
    known.sort();
    let summary = format!(
        "the accounts server {accounts_url} does not know this client id and secret \
         (invalid_client)"
    );
    match known.first() {
        Some((dc, url)) => Check::fail(
            "refresh",
            exit::AUTH,
            format!("{summary}; the accounts server of data center {dc} ({url}) does"),
            format!(
                "the client was registered in data center {dc} ({}): set --dc {dc}, ZBOOKS_DC={dc} \
                 or `dc = \"{dc}\"` in the profile{}",
                dc.info().label,
                if s.accounts_url.is_some() {
                    format!(", and the accounts URL override to {url}")
                } else {
                    String::new()
                }
            ),
        ),
        None => Check::fail(
            "refresh",
            exit::AUTH,
            format!("{summary}, nor does any other data center's"),
            "the client id or secret is wrong: copy both again from the developer console \
             (Self Client → Client Secret)",
        ),
    }
}
