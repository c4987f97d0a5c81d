//! Access tokens: cached until shortly before they expire, then refreshed by exactly one
//! caller (docs/design.md promise 4).
//!
//! Within a process, callers that find the token stale queue on one async mutex and the first
//! refreshes (smithy-rs's `ExpiringCache`, not octocrab's every-caller-refreshes). Across
//! processes sharing a [`TokenStore`], the refresher takes the store's refresh lock and then
//! reads the store again, so a process that lost the race uses the winner's token. The store
//! also counts token requests, so Zoho's 10 per refresh token per 10 minutes holds for every
//! process together, and keeps the cool-down after an "Access Denied", which Zoho answers with
//! HTTP 200 (reference §1.5). Nothing here loops on the accounts server.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderValue;
use serde::Deserialize;
use zbooks_types::event::{EventKind, Wait, WaitReason};
use zbooks_types::{Clock, FailureClass, Secret, Sent};

use crate::classify::{SuccessKind, classify};
use crate::config::{Credentials, TokenConfig};
use crate::error::{CallContext, Error, ErrorKind};
use crate::events::{Events, event, note_error, note_failure};
use crate::store::{StoredToken, TokenAdmission, TokenKey, TokenRequestPolicy, TokenStore};
use crate::time::{SharedSleep, millis};
use crate::transport::{is_redirect, redirected, transport_error};

/// The path of Zoho's token endpoint.
const TOKEN_PATH: &str = "/oauth/v2/token";

/// An access token in use.
#[derive(Debug)]
pub(crate) struct ActiveToken {
    pub(crate) token: Secret,
    pub(crate) expires_at: Option<SystemTime>,
    /// How long it was good for when issued, when known.
    pub(crate) lifetime: Option<Duration>,
    pub(crate) api_domain: Option<String>,
    /// `Zoho-oauthtoken <token>`, built once and marked sensitive (never logged by the HTTP
    /// stack).
    pub(crate) header: HeaderValue,
}

impl ActiveToken {
    pub(crate) fn new(
        token: Secret,
        expires_at: Option<SystemTime>,
        api_domain: Option<String>,
    ) -> Result<Self, Error> {
        let mut header = HeaderValue::from_str(&format!("Zoho-oauthtoken {}", token.expose()))
            .map_err(|_| {
                Error::config("the access token holds characters a header cannot carry")
            })?;
        header.set_sensitive(true);
        Ok(ActiveToken {
            token,
            expires_at,
            lifetime: None,
            api_domain,
            header,
        })
    }

    /// The token, knowing how long it was issued for.
    fn lived(mut self, lifetime: Option<Duration>) -> Self {
        self.lifetime = lifetime;
        self
    }
}

/// The share of a token's lifetime the refresh margin may take at most: a token issued for
/// less than four margins is used for three quarters of its life, not refreshed on every call.
const MARGIN_SHARE_OF_LIFETIME: u32 = 4;

/// Hands out access tokens.
#[derive(Debug)]
pub(crate) struct Auth {
    pub(crate) credentials: Credentials,
    pub(crate) accounts_url: String,
    pub(crate) key: Option<TokenKey>,
    pub(crate) store: Arc<dyn TokenStore>,
    pub(crate) config: TokenConfig,
    pub(crate) http: reqwest::Client,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sleep: SharedSleep,
    pub(crate) events: Events,
    /// Names this client as a refresh-lock holder (unique per client in a process, and per
    /// process through the clock's nanoseconds).
    pub(crate) holder: String,
    cached: arc_swap::ArcSwapOption<ActiveToken>,
    refreshing: tokio::sync::Mutex<()>,
    /// Token requests this client made (for tests and `doctor`).
    pub(crate) requests: AtomicU64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    api_domain: Option<String>,
}

impl Auth {
    #[expect(
        clippy::too_many_arguments,
        reason = "built once, by the client builder, from its settings"
    )]
    pub(crate) fn new(
        credentials: Credentials,
        accounts_url: String,
        store: Arc<dyn TokenStore>,
        config: TokenConfig,
        http: reqwest::Client,
        clock: Arc<dyn Clock>,
        sleep: SharedSleep,
        events: Events,
        holder: String,
    ) -> Self {
        let key = match &credentials {
            Credentials::RefreshToken {
                client_id,
                refresh_token,
                ..
            } => Some(TokenKey::for_refresh_token(
                &accounts_url,
                client_id,
                refresh_token,
            )),
            Credentials::AccessToken(_) => None,
        };
        let cached = match &credentials {
            Credentials::AccessToken(token) => ActiveToken::new(token.clone(), None, None)
                .ok()
                .map(Arc::new),
            Credentials::RefreshToken { .. } => None,
        };
        Auth {
            credentials,
            accounts_url,
            key,
            store,
            config,
            http,
            clock,
            sleep,
            events,
            holder,
            cached: arc_swap::ArcSwapOption::new(cached),
            refreshing: tokio::sync::Mutex::new(()),
            requests: AtomicU64::new(0),
        }
    }

    /// Whether the token can be refreshed at all (not a fixed access token).
    pub(crate) fn can_refresh(&self) -> bool {
        self.key.is_some()
    }

    /// Whether `token` is good for a call now: it expires after the refresh margin, which
    /// is capped to a quarter of the token's lifetime (a server issuing tokens shorter-lived
    /// than the margin would otherwise cost a refresh per call, and soon a throttle).
    fn is_fresh(&self, token: &ActiveToken, now: SystemTime) -> bool {
        let margin = token
            .lifetime
            .map_or(self.config.refresh_before, |lifetime| {
                self.config
                    .refresh_before
                    .min(lifetime / MARGIN_SHARE_OF_LIFETIME)
            });
        token.expires_at.is_none_or(|at| now + margin < at)
    }

    fn cached(&self) -> Option<Arc<ActiveToken>> {
        self.cached.load_full()
    }

    fn set_cached(&self, token: Arc<ActiveToken>) {
        self.cached.store(Some(token));
    }

    /// A usable token: the cached one while it is fresh, else one refreshed by a single caller.
    pub(crate) async fn token(&self, waits: &mut Vec<Wait>) -> Result<Arc<ActiveToken>, Error> {
        if let Some(token) = self.cached()
            && self.is_fresh(&token, self.clock.now())
        {
            return Ok(token);
        }
        // Boxed: the refresh is rare and its future large; every call's future stays small.
        Box::pin(self.refresh(None, waits)).await
    }

    /// The cached token if a refresh replaced `token` meanwhile, else `token`.
    pub(crate) fn newer_than(&self, token: Arc<ActiveToken>) -> Arc<ActiveToken> {
        match self.cached() {
            Some(cached)
                if !Arc::ptr_eq(&cached, &token) && self.is_fresh(&cached, self.clock.now()) =>
            {
                cached
            }
            _ => token,
        }
    }

    /// A token other than `stale` (which Zoho just refused with 57): refreshed once, by one
    /// caller, however many calls saw the refusal.
    pub(crate) async fn replace(
        &self,
        stale: &ActiveToken,
        waits: &mut Vec<Wait>,
    ) -> Result<Arc<ActiveToken>, Error> {
        Box::pin(self.refresh(Some(stale), waits)).await
    }

    /// Whether `token` is usable instead of `stale`.
    fn usable(&self, token: &ActiveToken, stale: Option<&ActiveToken>, now: SystemTime) -> bool {
        self.is_fresh(token, now) && stale.is_none_or(|s| s.token != token.token)
    }

    async fn refresh(
        &self,
        stale: Option<&ActiveToken>,
        waits: &mut Vec<Wait>,
    ) -> Result<Arc<ActiveToken>, Error> {
        let Some(key) = self.key.clone() else {
            // A fixed token: nothing to refresh.
            return self
                .cached()
                .ok_or_else(|| Error::config("no access token configured"));
        };
        let started = tokio::time::Instant::now();
        let _guard = self.refreshing.lock().await;
        let result = self.refresh_locked(&key, stale).await;
        let waited = started.elapsed();
        if waited >= Duration::from_millis(1) {
            waits.push(Wait {
                reason: WaitReason::Refresh,
                ms: millis(waited),
            });
        }
        result
    }

    /// Under the in-process lock: another caller may have refreshed already; then the store
    /// may hold another process's token; then take the store's lock, read again, and only then
    /// ask the accounts server.
    async fn refresh_locked(
        &self,
        key: &TokenKey,
        stale: Option<&ActiveToken>,
    ) -> Result<Arc<ActiveToken>, Error> {
        if let Some(token) = self.cached()
            && self.usable(&token, stale, self.clock.now())
        {
            return Ok(token);
        }
        if let Some(token) = self.load_stored(key, stale).await? {
            return Ok(token);
        }
        let lease_started = tokio::time::Instant::now();
        loop {
            let now = self.clock.now();
            let locked = self
                .store
                .try_lock_refresh(key, &self.holder, now, self.config.lock_lease)
                .await
                .map_err(Error::store)?;
            if locked {
                break;
            }
            // Another process is refreshing: wait for its token rather than asking too.
            self.sleep
                .sleep_for(self.config.lock_poll, WaitReason::Refresh)
                .await;
            if let Some(token) = self.load_stored(key, stale).await? {
                return Ok(token);
            }
            if lease_started.elapsed() > self.config.lock_lease * 2 {
                return Err(Error::store(
                    "the token refresh lock stayed taken past two leases",
                ));
            }
        }
        let result = async {
            // Re-read under the lock: the previous holder may have just saved a token.
            if let Some(token) = self.load_stored(key, stale).await? {
                return Ok(token);
            }
            self.request_token(key).await
        }
        .await;
        if let Err(err) = self.store.unlock_refresh(key, &self.holder).await {
            tracing::warn!(target: "zbooks::auth", error = %err, "could not release the token refresh lock");
        }
        result
    }

    async fn load_stored(
        &self,
        key: &TokenKey,
        stale: Option<&ActiveToken>,
    ) -> Result<Option<Arc<ActiveToken>>, Error> {
        let Some(stored) = self.store.load_token(key).await.map_err(Error::store)? else {
            return Ok(None);
        };
        let token = ActiveToken::new(
            stored.access_token,
            Some(stored.expires_at),
            stored.api_domain,
        )?
        .lived(stored.lifetime);
        if !self.usable(&token, stale, self.clock.now()) {
            return Ok(None);
        }
        let token = Arc::new(token);
        self.set_cached(token.clone());
        Ok(Some(token))
    }

    /// One request to the accounts server, if the store's guard admits it.
    async fn request_token(&self, key: &TokenKey) -> Result<Arc<ActiveToken>, Error> {
        let Credentials::RefreshToken {
            client_id,
            client_secret,
            refresh_token,
        } = &self.credentials
        else {
            return Err(Error::config("no refresh token configured"));
        };
        let context = CallContext {
            method: "POST".to_owned(),
            path: TOKEN_PATH.to_owned(),
            organization_id: None,
        };
        let policy = TokenRequestPolicy {
            max: self.config.max_requests,
            window: self.config.request_window,
        };
        let now = self.clock.now();
        match self
            .store
            .admit_token_request(key, now, policy)
            .await
            .map_err(Error::store)?
        {
            TokenAdmission::Granted => {}
            TokenAdmission::Denied { until } => {
                return Err(Error::new(
                    ErrorKind::TokenThrottled { retry_at: until },
                    Sent::NotSent,
                )
                .with_context(context));
            }
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let url = format!("{}{TOKEN_PATH}", self.accounts_url.trim_end_matches('/'));
        let started = tokio::time::Instant::now();
        // The secrets travel in the form body, never in the URL, so no log of the URL holds
        // them.
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", client_id.as_str()),
            ("client_secret", client_secret.expose()),
            ("refresh_token", refresh_token.expose()),
        ];
        let sent = self.http.post(&url).form(&form).send().await;
        let mut redirect = None;
        let answer = match sent {
            Ok(response) => {
                let status = response.status().as_u16();
                if is_redirect(status) {
                    redirect = Some(redirected(status, &url, response.headers()));
                }
                response.bytes().await.map(|body| (status, body))
            }
            Err(err) => Err(err),
        };
        let duration_ms = millis(started.elapsed());
        let mut event = event(
            EventKind::Token,
            self.clock.now(),
            None,
            "POST".to_owned(),
            TOKEN_PATH.to_owned(),
            1,
            Vec::new(),
            duration_ms,
        );
        let (status, body) = match answer {
            Ok(answer) => answer,
            Err(err) => {
                let error = transport_error(&err).with_context(context);
                note_error(&mut event, &error);
                self.events.emit(event).await;
                return Err(error);
            }
        };
        event.status = Some(status);
        if let Some(error) = redirect {
            note_error(&mut event, &error);
            self.events.emit(event).await;
            return Err(error.with_context(context));
        }
        match classify(status, &body) {
            Ok(success) if success.kind == SuccessKind::Token => {
                self.events.emit(event).await;
                let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
                    Error::new(
                        ErrorKind::Decode {
                            reason: format!("token response: {e}"),
                        },
                        Sent::Answered,
                    )
                })?;
                let now = self.clock.now();
                let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
                let stored = StoredToken {
                    access_token: Secret::new(parsed.access_token),
                    expires_at: now + lifetime,
                    api_domain: parsed.api_domain,
                    lifetime: Some(lifetime),
                };
                self.store
                    .save_token(key, &stored)
                    .await
                    .map_err(Error::store)?;
                let token = Arc::new(
                    ActiveToken::new(
                        stored.access_token,
                        Some(stored.expires_at),
                        stored.api_domain,
                    )?
                    .lived(stored.lifetime),
                );
                self.set_cached(token.clone());
                Ok(token)
            }
            Ok(_) => {
                event.class = Some(FailureClass::BadResponse);
                self.events.emit(event).await;
                Err(Error::new(
                    ErrorKind::Decode {
                        reason: "the token endpoint answered without an access_token".to_owned(),
                    },
                    Sent::Answered,
                )
                .with_context(context))
            }
            Err(failure) => {
                note_failure(&mut event, &failure);
                self.events.emit(event).await;
                Err(self.token_failure(key, failure, context).await)
            }
        }
    }

    async fn token_failure(
        &self,
        key: &TokenKey,
        failure: crate::classify::Failure,
        context: CallContext,
    ) -> Error {
        let api = Error::api(failure.clone()).with_context(context.clone());
        match failure.class {
            FailureClass::TokenThrottled => {
                // "Access Denied": stop asking for Zoho's whole window, in every process.
                let until = self.clock.now() + self.config.cooldown;
                if let Err(err) = self.store.cool_down(key, until).await {
                    tracing::warn!(target: "zbooks::auth", error = %err, "could not record the token cool-down");
                }
                Error::new(
                    ErrorKind::TokenThrottled { retry_at: until },
                    Sent::Answered,
                )
                .with_context(context)
                .with_last(api)
            }
            FailureClass::AuthMisconfigured => {
                let reason = match failure.accounts_error.as_deref() {
                    Some("invalid_client") => format!(
                        "the accounts server {} does not know this client id and secret: check \
                         them, and that the data center is the one the client was registered in",
                        self.accounts_url
                    ),
                    Some("invalid_code") => {
                        "the refresh token is revoked or wrong: authorize again".to_owned()
                    }
                    Some(other) => {
                        format!("the accounts server refused the token request ({other})")
                    }
                    None => "the accounts server refused the token request".to_owned(),
                };
                Error::new(ErrorKind::AuthMisconfigured { reason }, Sent::Answered)
                    .with_context(context)
                    .with_last(api)
            }
            _ => api,
        }
    }
}
