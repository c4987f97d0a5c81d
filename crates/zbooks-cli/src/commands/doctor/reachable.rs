//! Reachability: each host answered, and how fast. Read from answers the checks before got,
//! so it costs no call of its own.

use zbooks_client::ErrorKind;
use zbooks_client::oauth::ProbeAnswer;

use crate::exit;

use super::check::Check;
use super::data_center::host_of;

/// Check 11, reachability, when the refresh failed: only the accounts server was asked.
pub(super) fn accounts_server(
    err: &zbooks_client::Error,
    accounts_url: &str,
    accounts_ms: u128,
) -> Check {
    if matches!(err.kind(), ErrorKind::Transport { .. }) {
        Check::fail(
            "reachable",
            exit::UNREACHABLE,
            format!("the accounts server {accounts_url} did not answer"),
            "check the network, a proxy, and ZBOOKS_ACCOUNTS_URL if set",
        )
    } else {
        Check::pass(
            "reachable",
            format!(
                "accounts server {} answered in {accounts_ms} ms",
                host_of(accounts_url)
            ),
        )
    }
}

/// Check 11, reachability of the accounts server and the API (timed by GET /organizations).
pub(super) fn both(
    orgs_probe: &Result<ProbeAnswer, zbooks_client::Error>,
    accounts_url: &str,
    accounts_ms: u128,
    api: &str,
) -> Check {
    match orgs_probe {
        Ok(answer) => Check::pass(
            "reachable",
            format!(
                "accounts server {} answered in {accounts_ms} ms; API {} in {} ms",
                host_of(accounts_url),
                host_of(api),
                answer.duration.as_millis()
            ),
        ),
        Err(_) => Check::fail(
            "reachable",
            exit::UNREACHABLE,
            format!("the API {api} did not answer"),
            "check the network, a proxy, and ZBOOKS_API_URL if set",
        ),
    }
}
