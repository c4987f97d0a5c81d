//! [`Client`] and its [`ClientBuilder`]: where settings become one immutable client whose
//! clones share the token cache, the limits, the retry budget and the connection pool.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use zbooks_types::{Clock, DataCenter, Plan, SystemClock};

use crate::auth::Auth;
use crate::config::{Credentials, LimitsConfig, Timeouts, TokenConfig};
use crate::error::Error;
use crate::events::{AuditSink, EventSink, Events};
use crate::limiter::Limiter;
use crate::retry::{RetryBudget, RetryConfig};
use crate::shared::Inner;
use crate::store::{LimitStore, LimitsSnapshot, MemoryStore, TokenStore};
use crate::time::{Jitter, SharedSleep, TokioSleep, to_millis};

/// The default `User-Agent`.
const USER_AGENT: &str = concat!("zbooks-client/", env!("CARGO_PKG_VERSION"));

/// A Zoho Books client: cheap to clone (clones share everything), safe to use from many tasks.
///
/// Build one with [`Client::builder`]. Every call goes through the same loop: the
/// organization's limits, a cached or refreshed token, the request, [`crate::classify()`], one
/// event, and a decision to succeed, replay, pause, retry or stop.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// Shared, so that cloning a client (once per spawned task) allocates nothing.
    pub(crate) organization_id: Option<Arc<str>>,
}

/// Builds a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    data_center: Option<DataCenter>,
    api_domain: Option<String>,
    accounts_url: Option<String>,
    api_url: Option<String>,
    organization_id: Option<String>,
    plan: Option<Plan>,
    credentials: Option<Credentials>,
    token_store: Option<Arc<dyn TokenStore>>,
    limit_store: Option<Arc<dyn LimitStore>>,
    timeouts: Timeouts,
    retry: RetryConfig,
    limits: LimitsConfig,
    tokens: TokenConfig,
    user_agent: Option<String>,
    clock: Option<Arc<dyn Clock>>,
    sleep: Option<SharedSleep>,
    jitter_seed: Option<u64>,
    event_sink: Option<Arc<dyn EventSink>>,
    audit_sink: Option<Arc<dyn AuditSink>>,
    http: Option<reqwest::Client>,
}

impl Client {
    /// A builder with Zoho's defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            data_center: None,
            api_domain: None,
            accounts_url: None,
            api_url: None,
            organization_id: None,
            plan: None,
            credentials: None,
            token_store: None,
            limit_store: None,
            timeouts: Timeouts::default(),
            retry: RetryConfig::default(),
            limits: LimitsConfig::default(),
            tokens: TokenConfig::default(),
            user_agent: None,
            clock: None,
            sleep: None,
            jitter_seed: None,
            event_sink: None,
            audit_sink: None,
            http: None,
        }
    }

    /// The same client (sharing tokens, limits, budget and connections) for another
    /// organization.
    #[must_use]
    pub fn for_organization(&self, organization_id: impl Into<String>) -> Client {
        Client {
            inner: self.inner.clone(),
            organization_id: Some(Arc::from(organization_id.into())),
        }
    }

    /// The organization calls name (`organization_id`), if one is set.
    pub fn organization_id(&self) -> Option<&str> {
        self.organization_id.as_deref()
    }

    /// The API domain calls go to now (after following the token's `api_domain`).
    pub fn api_domain(&self) -> String {
        self.inner.api_domain()
    }

    /// The in-flight cap the client keeps for an organization (the plan's, lowered after a
    /// 1070); `None` before the first call to it.
    pub fn in_flight_cap(&self, organization_id: &str) -> Option<u32> {
        self.inner.limiter.in_flight_cap(organization_id)
    }

    /// What the limit store knows about an organization: today's calls, a pause, the next
    /// pacing slot.
    pub async fn limits_snapshot(&self, organization_id: &str) -> Result<LimitsSnapshot, Error> {
        self.inner
            .limiter
            .store
            .snapshot(organization_id, self.inner.clock.now())
            .await
            .map_err(Error::store)
    }

    /// How many token requests this client has made to the accounts server.
    pub fn token_requests(&self) -> u64 {
        self.inner.auth.requests.load(Ordering::Relaxed)
    }

    /// Tokens left in the retry budget.
    pub fn retry_budget_available(&self) -> u32 {
        self.inner.budget.available()
    }
}

impl ClientBuilder {
    /// The data center: its accounts server and API domain (default: none, so one of this,
    /// [`ClientBuilder::api_domain`] or the URL overrides must be given).
    pub fn data_center(mut self, dc: DataCenter) -> Self {
        self.data_center = Some(dc);
        self
    }

    /// The API domain, as a token response's `api_domain` gives it
    /// (`https://www.zohoapis.in`); the data center follows from it when known.
    pub fn api_domain(mut self, api_domain: impl Into<String>) -> Self {
        self.api_domain = Some(api_domain.into());
        self
    }

    /// The accounts server (`https://accounts.zoho.in`, or a simulator's URL).
    pub fn accounts_url(mut self, url: impl Into<String>) -> Self {
        self.accounts_url = Some(url.into());
        self
    }

    /// The Books API base, pinned (`http://127.0.0.1:PORT/books/v3`): calls always go here,
    /// whatever `api_domain` tokens carry.
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = Some(url.into());
        self
    }

    /// The organization every call names (`organization_id`).
    pub fn organization_id(mut self, organization_id: impl Into<String>) -> Self {
        self.organization_id = Some(organization_id.into());
        self
    }

    /// The organization's plan, for its daily quota and in-flight cap. Without it, the plan
    /// is read once from `GET /organizations`.
    pub fn plan(mut self, plan: Plan) -> Self {
        self.plan = Some(plan);
        self
    }

    /// The credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// One store for tokens and limits (a [`MemoryStore`] when none is given; the SQLite store
    /// of `zbooks-store` to share them with other processes).
    pub fn store<S: TokenStore + LimitStore + 'static>(mut self, store: Arc<S>) -> Self {
        self.token_store = Some(store.clone());
        self.limit_store = Some(store);
        self
    }

    /// The token store alone.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// The limit store alone.
    pub fn limit_store(mut self, store: Arc<dyn LimitStore>) -> Self {
        self.limit_store = Some(store);
        self
    }

    /// Timeouts of one attempt.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Limit settings.
    pub fn limits(mut self, limits: LimitsConfig) -> Self {
        self.limits = limits;
        self
    }

    /// Token settings.
    pub fn tokens(mut self, tokens: TokenConfig) -> Self {
        self.tokens = tokens;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The wall clock (default the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// How the client waits (default `tokio::time::sleep`).
    pub fn sleep(mut self, sleep: SharedSleep) -> Self {
        self.sleep = Some(sleep);
        self
    }

    /// The seed of the backoff jitter (default: from the clock).
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Receives every event.
    pub fn event_sink(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.event_sink = Some(sink);
        self
    }

    /// Receives the events of failed attempts.
    pub fn audit_sink(mut self, sink: Arc<dyn AuditSink>) -> Self {
        self.audit_sink = Some(sink);
        self
    }

    /// A `reqwest::Client` to use instead of building one (the attempt timeout still applies;
    /// its connect timeout and user agent are its own). Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: reqwest follows redirects by default,
    /// and a client zbooks did not build cannot be changed, so the token, organization and
    /// body would follow a redirect to wherever it points.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Config`] (never retryable) when no credentials or no API location
    /// (data center, API domain or API URL) was given, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::config("no credentials: give a refresh token or an access token")
        })?;
        let data_center = self.data_center.or_else(|| {
            self.api_domain
                .as_deref()
                .and_then(|d| d.parse::<DataCenter>().ok())
        });
        let api_domain = self
            .api_domain
            .clone()
            .or_else(|| data_center.map(|dc| dc.api_domain().to_owned()))
            .or_else(|| {
                self.api_url.as_deref().map(|u| {
                    u.trim_end_matches('/')
                        .trim_end_matches("/books/v3")
                        .to_owned()
                })
            })
            .ok_or_else(|| {
                Error::config("no api location: give a data center, an api_domain or an api_url")
            })?;
        let accounts_url = self
            .accounts_url
            .clone()
            .or_else(|| data_center.map(|dc| dc.accounts_url().to_owned()));
        let accounts_url = match (&credentials, accounts_url) {
            (_, Some(url)) => url,
            (Credentials::AccessToken(_), None) => String::new(),
            (Credentials::RefreshToken { .. }, None) => {
                return Err(Error::config(
                    "no accounts server: give a data center or an accounts_url to refresh tokens",
                ));
            }
        };
        let base_url = self
            .api_url
            .clone()
            .unwrap_or_else(|| format!("{}/books/v3", api_domain.trim_end_matches('/')));
        let base_path = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::config(format!("invalid api url: {e}")))?
            .path()
            .trim_end_matches('/')
            .to_owned();
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                // Never to another origin with the token, organization and body: a redirect
                // comes back as `ErrorKind::Redirected` naming its target (issue 12 §7).
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(self.user_agent.as_deref().unwrap_or(USER_AGENT))
                .connect_timeout(self.timeouts.connect)
                .pool_idle_timeout(Duration::from_secs(90))
                .build()
                .map_err(|e| Error::config(format!("cannot build the http client: {e}")))?,
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let sleep = self.sleep.unwrap_or_else(|| Arc::new(TokioSleep));
        let memory = Arc::new(MemoryStore::new());
        let token_store = self.token_store.unwrap_or_else(|| memory.clone());
        let limit_store = self.limit_store.unwrap_or(memory);
        let now_ms = to_millis(clock.now());
        let seed = self.jitter_seed.unwrap_or_else(|| {
            now_ms.unsigned_abs() ^ u64::from(std::process::id()).rotate_left(32)
        });
        let events = Events {
            sink: self.event_sink,
            audit: self.audit_sink,
        };
        let holder = format!(
            "{}-{}-{:x}",
            std::process::id(),
            now_ms,
            Jitter::new(seed).unit().to_bits()
        );
        let auth = Auth::new(
            credentials,
            accounts_url,
            token_store,
            self.tokens,
            http.clone(),
            clock.clone(),
            sleep.clone(),
            events.clone(),
            holder.clone(),
        );
        let limiter = Limiter::new(
            self.limits,
            limit_store,
            clock.clone(),
            sleep.clone(),
            self.timeouts.attempt,
            holder,
        );
        let inner = Inner {
            http,
            api_url: self.api_url.map(|u| u.trim_end_matches('/').to_owned()),
            api_domain: arc_swap::ArcSwap::from_pointee(
                api_domain.trim_end_matches('/').to_owned(),
            ),
            base_path,
            auth,
            limiter,
            retry: self.retry,
            budget: RetryBudget::new(self.retry.budget),
            jitter: Jitter::new(seed),
            clock,
            sleep,
            events,
            attempt_timeout: self.timeouts.attempt,
            plan: self.plan,
            limits: tokio::sync::Mutex::new(HashMap::new()),
            warned_domain: AtomicBool::new(false),
        };
        Ok(Client {
            inner: Arc::new(inner),
            organization_id: self.organization_id.map(Arc::from),
        })
    }
}
