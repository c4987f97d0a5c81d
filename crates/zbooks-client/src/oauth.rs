//! OAuth outside the call loop, and the probes a setup check needs.
//!
//! [`AccountsServer`] talks to one data center's accounts server directly: it exchanges a self
//! client's grant code for a refresh token ([`AccountsServer::exchange_grant_code`]), revokes a
//! token ([`AccountsServer::revoke`]), and asks whether the server knows a client at all
//! ([`AccountsServer::probe_client`], which tells "wrong data center" from "wrong secret"
//! without minting anything). Every answer goes through [`classify()`], because the accounts
//! server answers its errors with HTTP 200 (reference §1.5): `invalid_code` (a grant code that
//! expired or was used, a revoked refresh token), `invalid_client` (wrong id or secret, or the
//! wrong data center) and "Access Denied" (throttled) each become their own [`ErrorKind`].
//!
//! The `impl Client` block adds what `zbooks auth` and `zbooks doctor` need from a built client
//! and a library user may want too: force one refresh through the single-flight path
//! ([`Client::refresh_now`]), read what the token cache knows ([`Client::token_info`]), and
//! send one diagnostic attempt without retries or refreshes ([`Client::probe`]), so a check can
//! tell a missing scope from an expired token and read the server's `Date`.
//!
//! Nothing here prints or reads the environment; secrets travel only in form bodies, never in
//! URLs, events or errors.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde::Deserialize;
use zbooks_types::event::{EventKind, Purpose};
use zbooks_types::{Clock, FailureClass, Secret, Sent, SystemClock};

use crate::classify::{Failure, SuccessKind, classify};
use crate::client::Client;
use crate::error::{CallContext, Error, ErrorKind};
use crate::events::{EventSink, Events, event, note_error, note_failure};
use crate::time::millis;
use crate::transport::{exchange, is_redirect, redirected, transport_error};

/// The token endpoint's path.
const TOKEN_PATH: &str = "/oauth/v2/token";
/// The revoke endpoint's path (reference §3.2).
const REVOKE_PATH: &str = "/oauth/v2/token/revoke";
/// How long the accounts server says no after "Access Denied" (reference §3.3: a 10-minute
/// window).
const THROTTLE_WINDOW: Duration = Duration::from_mins(10);
/// A refresh token no accounts server issues: a probe with it mints nothing, and the answer
/// tells whether the server knows the client (`invalid_code`) or not (`invalid_client`).
const PROBE_REFRESH_TOKEN: &str = "zbooks-doctor-probe-not-a-token";

/// What a successful grant-code exchange returns.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GrantedTokens {
    /// The first access token.
    pub access_token: Secret,
    /// The refresh token (Zoho returns one for a self client's code).
    pub refresh_token: Option<Secret>,
    /// The API domain of the user's data center (`https://www.zohoapis.in`).
    pub api_domain: Option<String>,
    /// When the access token expires.
    pub expires_at: SystemTime,
    /// The scopes granted, when the server says.
    pub scope: Option<String>,
}

/// What the accounts server said about a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientProbe {
    /// It knows the client id and secret (it refused only the probe's fake refresh token).
    Known,
    /// It does not know them (`invalid_client`): another data center, or a wrong secret.
    Unknown,
    /// It throttles token requests now ("Access Denied"): no answer either way.
    Throttled,
}

/// One data center's accounts server (or a simulator's, or a proxy's).
#[derive(Debug, Clone)]
pub struct AccountsServer {
    url: String,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    events: Events,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    api_domain: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

impl AccountsServer {
    /// The accounts server at `url` (`https://accounts.zoho.in`, without the token path).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the HTTP client cannot be built.
    pub fn new(url: impl Into<String>) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            // A token request carries the client secret: never to another origin (issue 12 §7).
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("zbooks-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::config(format!("cannot build the http client: {e}")))?;
        Ok(AccountsServer {
            url: url.into().trim_end_matches('/').to_owned(),
            http,
            clock: Arc::new(SystemClock),
            events: Events::default(),
        })
    }

    /// Uses this clock for token expiry and throttle times (default the system clock).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sends one token event per request to `sink` (the same schema as the client's).
    #[must_use]
    pub fn event_sink(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.events.sink = Some(sink);
        self
    }

    /// The server's base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Exchanges a self client's grant code for tokens (`grant_type=authorization_code`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::AuthMisconfigured`] for `invalid_code` (the code expired, was used, or
    /// belongs to another client) and `invalid_client` (wrong id or secret, or another data
    /// center); [`ErrorKind::TokenThrottled`] for "Access Denied"; transport errors.
    pub async fn exchange_grant_code(
        &self,
        client_id: &str,
        client_secret: &Secret,
        code: &Secret,
    ) -> Result<GrantedTokens, Error> {
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("client_secret", client_secret.expose()),
            ("code", code.expose()),
            // A self client has no redirect; Zoho's examples pass a placeholder.
            ("redirect_uri", "https://www.zoho.com/books"),
        ];
        let (status, body) = self.post(TOKEN_PATH, &form).await?;
        match classify(status, &body) {
            Ok(success) if success.kind == SuccessKind::Token => {
                let parsed: TokenBody = serde_json::from_slice(&body).map_err(|e| {
                    Error::new(
                        ErrorKind::Decode {
                            reason: format!(
                                "token response: {}",
                                zbooks_types::scrub(&e.to_string())
                            ),
                        },
                        Sent::Answered,
                    )
                })?;
                Ok(GrantedTokens {
                    access_token: Secret::new(parsed.access_token),
                    refresh_token: parsed.refresh_token.map(Secret::new),
                    api_domain: parsed.api_domain,
                    expires_at: self.clock.now()
                        + Duration::from_secs(parsed.expires_in.unwrap_or(3600)),
                    scope: parsed.scope,
                })
            }
            Ok(_) => Err(Error::new(
                ErrorKind::Decode {
                    reason: "the token endpoint answered without an access_token".to_owned(),
                },
                Sent::Answered,
            )
            .with_context(context(TOKEN_PATH))),
            Err(failure) => Err(self.failure(&failure, TOKEN_PATH, Grant::Code)),
        }
    }

    /// Revokes a refresh token (and the access tokens minted from it).
    ///
    /// # Errors
    ///
    /// A classified error when the server refuses, or a transport error.
    pub async fn revoke(&self, token: &Secret) -> Result<(), Error> {
        let form = [("token", token.expose())];
        let (status, body) = self.post(REVOKE_PATH, &form).await?;
        match classify(status, &body) {
            Ok(_) => Ok(()),
            Err(failure) => Err(self.failure(&failure, REVOKE_PATH, Grant::Refresh)),
        }
    }

    /// Whether this accounts server knows the client id and secret, asked with a refresh token
    /// no server issues, so nothing is minted and no real token's request count is touched.
    ///
    /// # Errors
    ///
    /// Transport errors, and answers that are neither of the expected ones.
    pub async fn probe_client(
        &self,
        client_id: &str,
        client_secret: &Secret,
    ) -> Result<ClientProbe, Error> {
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("client_secret", client_secret.expose()),
            ("refresh_token", PROBE_REFRESH_TOKEN),
        ];
        let (status, body) = self.post(TOKEN_PATH, &form).await?;
        match classify(status, &body) {
            Err(f) if f.accounts_error.as_deref() == Some("invalid_client") => {
                Ok(ClientProbe::Unknown)
            }
            Err(f) if f.class == FailureClass::TokenThrottled => Ok(ClientProbe::Throttled),
            Err(f) if f.accounts_error.is_some() => Ok(ClientProbe::Known),
            // A token for a token that does not exist would be a strange server; call it known.
            Ok(_) => Ok(ClientProbe::Known),
            Err(failure) => Err(self.failure(&failure, TOKEN_PATH, Grant::Refresh)),
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<(u16, Bytes), Error> {
        let url = format!("{}{path}", self.url);
        let started = tokio::time::Instant::now();
        // The secrets travel in the form body, never in the URL.
        let mut redirect = None;
        let answer = match self.http.post(&url).form(form).send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                if is_redirect(status) {
                    redirect = Some(redirected(status, &url, response.headers()));
                }
                response.bytes().await.map(|body| (status, body))
            }
            Err(err) => Err(err),
        };
        let mut event = event(
            EventKind::Token,
            self.clock.now(),
            None,
            "POST".to_owned(),
            path.to_owned(),
            1,
            Vec::new(),
            millis(started.elapsed()),
        );
        match answer {
            Ok((status, body)) => {
                event.status = Some(status);
                if let Some(error) = redirect {
                    note_error(&mut event, &error);
                    self.events.emit(event).await;
                    return Err(error.with_context(context(path)));
                }
                if let Err(failure) = classify(status, &body) {
                    note_failure(&mut event, &failure);
                }
                self.events.emit(event).await;
                Ok((status, body))
            }
            Err(err) => {
                let error = transport_error(&err).with_context(context(path));
                note_error(&mut event, &error);
                self.events.emit(event).await;
                Err(error)
            }
        }
    }

    fn failure(&self, failure: &Failure, path: &str, grant: Grant) -> Error {
        let api = Error::api(failure.clone()).with_context(context(path));
        match failure.class {
            FailureClass::TokenThrottled => Error::new(
                ErrorKind::TokenThrottled {
                    retry_at: self.clock.now() + THROTTLE_WINDOW,
                },
                Sent::Answered,
            )
            .with_context(context(path))
            .with_last(api),
            FailureClass::AuthMisconfigured => {
                let reason = match (failure.accounts_error.as_deref(), grant) {
                    (Some("invalid_code"), Grant::Code) => {
                        "the grant code is expired, already used or made for another client: \
                         codes are single-use and live a few minutes; generate a new one and use \
                         it at once"
                            .to_owned()
                    }
                    (Some("invalid_code"), Grant::Refresh) => {
                        "the refresh token is revoked or wrong: authorize again".to_owned()
                    }
                    (Some("invalid_client"), _) => format!(
                        "the accounts server {} does not know this client id and secret: check \
                         them, and that the data center is the one the client was registered in",
                        self.url
                    ),
                    (Some(other), _) => {
                        format!("the accounts server refused the request ({other})")
                    }
                    (None, _) => "the accounts server refused the request".to_owned(),
                };
                Error::new(ErrorKind::AuthMisconfigured { reason }, Sent::Answered)
                    .with_context(context(path))
                    .with_last(api)
            }
            _ => api,
        }
    }
}

#[derive(Clone, Copy)]
enum Grant {
    Code,
    Refresh,
}

fn context(path: &str) -> CallContext {
    CallContext {
        method: "POST".to_owned(),
        path: path.to_owned(),
        organization_id: None,
    }
}

/// What the token cache knows about the access token in use (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenInfo {
    /// When it expires (`None` for a fixed access token).
    pub expires_at: Option<SystemTime>,
    /// The `api_domain` the accounts server gave with it.
    pub api_domain: Option<String>,
    /// How long it was issued for, when known: with [`TokenInfo::expires_at`], when it was
    /// obtained (by whichever process sharing the store fetched it).
    pub lifetime: Option<Duration>,
}

impl TokenInfo {
    /// How long ago it was obtained, seen at `now`, when its lifetime and expiry are known.
    pub fn age(&self, now: SystemTime) -> Option<Duration> {
        let obtained = self.expires_at?.checked_sub(self.lifetime?)?;
        Some(now.duration_since(obtained).unwrap_or(Duration::ZERO))
    }
}

/// How a probe writes the `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `Zoho-oauthtoken <token>`, as Zoho wants (reference §3.4).
    ZohoOauthtoken,
    /// `Bearer <token>`, the common mistake.
    Bearer,
    /// No header at all.
    None,
}

/// The answer to one diagnostic attempt.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProbeAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (`Date` among them).
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// `classify()`'s verdict: `None` on success, the failure otherwise.
    pub failure: Option<Failure>,
    /// How long the exchange took.
    pub duration: Duration,
}

impl ProbeAnswer {
    /// The server's `Date` header, parsed (RFC 7231's IMF-fixdate).
    pub fn server_date(&self) -> Option<SystemTime> {
        self.headers
            .get(reqwest::header::DATE)?
            .to_str()
            .ok()
            .and_then(parse_http_date)
    }
}

impl Client {
    /// Refreshes the access token now, once, through the same single-flight path and token
    /// store guard as every call (Zoho's 10 token requests per 10 minutes hold), and returns
    /// what the new token is good for.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::AuthMisconfigured`] (`invalid_code`, `invalid_client`),
    /// [`ErrorKind::TokenThrottled`], transport and store errors.
    pub async fn refresh_now(&self) -> Result<TokenInfo, Error> {
        let auth = &self.inner.auth;
        let mut waits = Vec::new();
        let before = self.token_requests();
        let token = auth.token(&mut waits).await?;
        let token = if self.token_requests() > before || !auth.can_refresh() {
            token
        } else {
            auth.replace(&token, &mut waits).await?
        };
        Ok(TokenInfo {
            expires_at: token.expires_at,
            api_domain: token.api_domain.clone(),
            lifetime: token.lifetime,
        })
    }

    /// What the token cache (this client's, else the shared store) knows about the access
    /// token, without asking the accounts server; `None` when no token is cached.
    ///
    /// # Errors
    ///
    /// A store error.
    pub async fn token_info(&self) -> Result<Option<TokenInfo>, Error> {
        let auth = &self.inner.auth;
        let Some(key) = &auth.key else {
            return Ok(Some(TokenInfo {
                expires_at: None,
                api_domain: None,
                lifetime: None,
            }));
        };
        let stored = auth.store.load_token(key).await.map_err(Error::store)?;
        Ok(stored.map(|t| TokenInfo {
            expires_at: Some(t.expires_at),
            api_domain: t.api_domain,
            lifetime: t.lifetime,
        }))
    }

    /// Sends one diagnostic attempt: the organization's limits are kept (it counts like any
    /// call), the token is the cached or refreshed one, but there is no retry and no refresh
    /// on a 57, so a refused token shows as it is. `query` goes after `organization_id`. Its
    /// event says `purpose: probe`, which keeps it out of `zbooks logs analyze`'s findings.
    ///
    /// # Errors
    ///
    /// Errors getting a token or passing the limits, and transport errors. Zoho's answers,
    /// failures included, are in the [`ProbeAnswer`].
    pub async fn probe(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        scheme: AuthScheme,
    ) -> Result<ProbeAnswer, Error> {
        let inner = &self.inner;
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        let org = if path == zbooks_types::resource::ORGANIZATIONS.path {
            None
        } else {
            self.organization_id.clone()
        };
        let mut waits = Vec::new();
        let token = inner.auth.token(&mut waits).await?;
        let _permit = inner.admit(org.as_deref(), &mut waits).await?;
        let url = inner.url_for(&token, &path, 0);
        let mut request = inner.http.request(method.clone(), url);
        match scheme {
            AuthScheme::ZohoOauthtoken => {
                request = request.header(AUTHORIZATION, token.header.clone());
            }
            AuthScheme::Bearer => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.token.expose()))
                    .map_err(|_| Error::config("the access token cannot be a header"))?;
                value.set_sensitive(true);
                request = request.header(AUTHORIZATION, value);
            }
            AuthScheme::None => {}
        }
        let mut params: Vec<(&str, &str)> = Vec::with_capacity(query.len() + 1);
        if let Some(org) = &org {
            params.push(("organization_id", org));
        }
        params.extend_from_slice(query);
        if !params.is_empty() {
            request = request.query(&params);
        }
        let started = tokio::time::Instant::now();
        let answer = exchange(request, inner.attempt_timeout).await;
        let duration = started.elapsed();
        let mut event = event(
            EventKind::Attempt,
            inner.clock.now(),
            org.as_deref(),
            method.to_string(),
            inner.event_path(&path),
            1,
            waits,
            millis(duration),
        );
        // A diagnostic, not the caller's traffic (and the `Bearer` check is refused on
        // purpose): `zbooks logs analyze` keeps it out of its findings.
        event.purpose = Some(Purpose::Probe);
        let result = answer.map(|(status, headers, body)| {
            let failure = classify(status, &body).err();
            event.status = Some(status);
            if let Some(f) = &failure {
                note_failure(&mut event, f);
            }
            ProbeAnswer {
                status,
                headers,
                body,
                failure,
                duration,
            }
        });
        if let Err(error) = &result {
            note_error(&mut event, error);
        }
        inner.events.emit(event).await;
        result.map_err(|e| {
            e.with_context(CallContext {
                method: method.to_string(),
                path: inner.event_path(&path),
                organization_id: org.as_deref().map(str::to_owned),
            })
        })
    }
}

/// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, zone] = parts.as_slice() else {
        return None;
    };
    if *zone != "GMT" {
        return None;
    }
    let day: i64 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)?;
    let month = i64::try_from(month).ok()? + 1;
    let year: i64 = year.parse().ok()?;
    let mut hms = time.split(':').map(str::parse::<i64>);
    let (Some(Ok(h)), Some(Ok(m)), Some(Ok(s))) = (hms.next(), hms.next(), hms.next()) else {
        return None;
    };
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + m * 60 + s;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_http_dates() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(crate::time::rfc3339(t), "1994-11-06T08:49:37.000Z");
        assert!(parse_http_date("yesterday").is_none());
    }
}
