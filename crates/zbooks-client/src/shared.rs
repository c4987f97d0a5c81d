//! What clones of a client share ([`Inner`]), and the URLs it builds from it: the one place
//! the state behind a `Client` is defined, below the attempt loop that uses it and the builder
//! that fills it, so neither has to reach into the other.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use zbooks_types::{Clock, Limits, Plan};

use crate::auth::{ActiveToken, Auth};
use crate::events::Events;
use crate::limiter::Limiter;
use crate::retry::{RetryBudget, RetryConfig};
use crate::time::{Jitter, SharedSleep};
use crate::transport::normalize;

/// What clones of a client share.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The Books base (`https://www.zohoapis.in/books/v3`), when set explicitly: then the
    /// token's `api_domain` is not followed.
    pub(crate) api_url: Option<String>,
    /// The API domain in use (`https://www.zohoapis.in`); follows the token's `api_domain`.
    pub(crate) api_domain: arc_swap::ArcSwap<String>,
    /// The path of the Books base (`/books/v3`), for events.
    pub(crate) base_path: String,
    pub(crate) auth: Auth,
    pub(crate) limiter: Limiter,
    pub(crate) retry: RetryConfig,
    pub(crate) budget: RetryBudget,
    pub(crate) jitter: Jitter,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sleep: SharedSleep,
    pub(crate) events: Events,
    /// How long one attempt may take, send to the end of the body.
    pub(crate) attempt_timeout: Duration,
    /// The configured plan, when given (else read once from `GET /organizations`).
    pub(crate) plan: Option<Plan>,
    /// The limits of each organization called so far.
    pub(crate) limits: tokio::sync::Mutex<HashMap<String, Limits>>,
    /// Whether the token's other `api_domain` was warned about.
    pub(crate) warned_domain: AtomicBool,
}

impl Inner {
    pub(crate) fn api_domain(&self) -> String {
        self.api_domain.load().as_ref().clone()
    }

    /// The URL of `path` for a call made with `token`: below an explicit `api_url`, else the
    /// token's `api_domain` (followed, with one warning, when it differs from the configured
    /// one), else the configured domain.
    /// `room` is what the caller will append (the query).
    pub(crate) fn url_for(&self, token: &ActiveToken, path: &str, room: usize) -> String {
        let joined = |base: &str, middle: &str| {
            let mut url = String::with_capacity(base.len() + middle.len() + path.len() + room);
            url.push_str(base);
            url.push_str(middle);
            url.push_str(path);
            url
        };
        if let Some(url) = &self.api_url {
            return joined(url, "");
        }
        {
            let current = self.api_domain.load();
            if token.api_domain.as_deref().is_none_or(|d| d == **current) {
                return joined(&current, "/books/v3");
            }
        }
        if let Some(domain) = &token.api_domain {
            let current = self.api_domain();
            if normalize(domain) != normalize(&current) {
                if !self.warned_domain.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        target: "zbooks::client",
                        configured = %current,
                        token = %domain,
                        "the token belongs to another api_domain than configured; using the token's"
                    );
                }
                self.api_domain
                    .store(Arc::new(domain.trim_end_matches('/').to_owned()));
            }
        }
        joined(&self.api_domain(), "/books/v3")
    }

    /// The path an event names: the Books base's path and the call's path, no query.
    pub(crate) fn event_path(&self, path: &str) -> String {
        let path = path.split('?').next().unwrap_or(path);
        format!("{}{path}", self.base_path)
    }
}
