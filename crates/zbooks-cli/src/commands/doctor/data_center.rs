//! The data center: the accounts server and the API host belong to the same one, and the
//! token's `api_domain` names the API host in use. A token works only on its own data
//! center's API (zoho-books-reference.md §3).

use zbooks_client::oauth::TokenInfo;
use zbooks_types::DataCenter;

use crate::context::{self, Context};
use crate::error::CliError;
use crate::exit;
use crate::settings::{Settings, Source};

use super::check::Check;

fn is_override(source: &Source) -> &'static str {
    match source {
        Source::Default => "",
        _ => " (override)",
    }
}

pub(super) fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', ':', '?'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Check 3, the data center: the accounts host and the API host agree.
pub(super) fn data_center(
    ctx: &Context,
    accounts_url: &Result<String, CliError>,
    api_base: Option<&str>,
) -> Check {
    let s = &ctx.settings;
    if let (Ok(accounts), Some(api)) = (accounts_url, api_base) {
        let a = DataCenter::from_host(&host_of(accounts));
        let b = DataCenter::from_host(&host_of(api));
        let acc_src = s
            .accounts_url
            .as_ref()
            .map_or("", |r| is_override(&r.source));
        let api_src = s.api_url.as_ref().map_or("", |r| is_override(&r.source));
        match (a, b) {
            (Some(a), Some(b)) if a != b => Check::fail(
                "data center",
                exit::USAGE,
                format!(
                    "the accounts server {accounts} is data center {a} but the API {api} is \
                         {b}"
                ),
                "a Zoho account lives in one data center: use its accounts server and API \
                     together (set only --dc / ZBOOKS_DC, not the URL overrides)",
            ),
            _ => Check::pass(
                "data center",
                format!(
                    "{}: accounts {accounts}{acc_src}, API {api}{api_src}",
                    ctx.dc_name()
                ),
            ),
        }
    } else {
        let hint = accounts_url
            .as_ref()
            .err()
            .and_then(|e| e.hint.clone())
            .unwrap_or_else(|| context::no_data_center().hint.unwrap_or_default());
        Check::fail(
            "data center",
            exit::USAGE,
            "not set: zbooks does not know which Zoho servers to ask",
            hint,
        )
    }
}

/// Check 5, the API domain: the token's `api_domain` against the API host in use.
pub(super) fn api_domain(s: &Settings, token: &TokenInfo, api: &str) -> Check {
    match &token.api_domain {
        Some(domain) => {
            let domain = domain.trim_end_matches('/');
            let pinned = s.api_url.as_ref();
            let token_dc = domain.parse::<DataCenter>().ok();
            let profile_dc = s.dc.as_ref().map(|d| d.value);
            if let Some(pinned) = pinned.filter(|u| !u.value.starts_with(domain)) {
                Check::fail(
                    "api domain",
                    exit::AUTH,
                    format!(
                        "the token's api_domain is {domain} but calls go to {} (from {}): Zoho \
                         refuses a token on another data center's API with 401/57",
                        pinned.value, pinned.source
                    ),
                    format!(
                        "point the API URL at {domain}/books/v3, or unset it to follow the token"
                    ),
                )
            } else if let (Some(t), Some(d)) = (token_dc, profile_dc)
                && t != d
            {
                Check::warn(
                    "api domain",
                    format!(
                        "the token's api_domain is {domain} (data center {t}) but the profile says {d}"
                    ),
                    format!(
                        "set the data center to {t}; zbooks follows the token's api_domain meanwhile"
                    ),
                )
            } else {
                Check::pass(
                    "api domain",
                    format!("the token's api_domain {domain} matches the API in use ({api})"),
                )
            }
        }
        None => Check::pass("api domain", format!("calls go to {api}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(
            host_of("https://accounts.zoho.eu/oauth"),
            "accounts.zoho.eu"
        );
        assert_eq!(host_of("http://127.0.0.1:8787/books/v3"), "127.0.0.1");
    }
}
