//! [`GatewayConfig`]: where the gateway listens, who may call it, and its bounds (body size,
//! read timeout, longest wait in the queue, drain time at shutdown, how long an idempotency
//! key's answer is kept).

use std::net::SocketAddr;
use std::time::Duration;

use zbooks_client::LimitsConfig;
use zbooks_types::Secret;

use crate::error::GatewayError;

/// The default address: loopback, port 8788.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8788";

/// How the gateway runs.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// Where to listen (default `127.0.0.1:8788`).
    pub listen: SocketAddr,
    /// Accept clients from other machines (default off: loopback only). Requires
    /// [`GatewayConfig::token`].
    pub allow_remote: bool,
    /// The token clients present (`Authorization: Bearer <token>`, `Zoho-oauthtoken <token>` or
    /// `X-Zbooks-Token`); checked, then replaced by the Zoho token. Required with
    /// [`GatewayConfig::allow_remote`]; optional on loopback.
    pub token: Option<Secret>,
    /// The longest a request waits in its organization's queue (default 30 s); a request
    /// may ask for less or more with `X-Zbooks-Max-Wait` (seconds).
    pub max_wait: Duration,
    /// The largest request body accepted (default 10 MiB, Zoho's attachment limit).
    pub max_body: usize,
    /// How long a request's head and body may take to arrive (default 30 s).
    pub read_timeout: Duration,
    /// How long shutdown waits for requests in flight before it cuts them (default 60 s).
    pub drain: Duration,
    /// How long an `Idempotency-Key`'s first answer is replayed (default 24 h).
    pub idempotency_ttl: Duration,
    /// How long a request's claim on its `Idempotency-Key` lasts while it is in flight, beyond
    /// the request's longest wait in the queue (default 10 min, longer than the client's
    /// retries): a gateway that dies holding a key frees it after this.
    pub idempotency_pending: Duration,
    /// The longest a request waits for the answer of another request with the same key in
    /// flight (default 60 s); then it is answered 409 with `Retry-After`.
    pub idempotency_wait: Duration,
    /// The limits the gateway's clients keep: the queue estimates a request's wait from their
    /// pacing interval (give the same value as the clients').
    pub limits: LimitsConfig,
    /// Requests of one organization handed to its client at once; the rest wait in the
    /// organization's first-come-first-served queue (default 10, the largest plan's in-flight
    /// cap: the client keeps the plan's own cap below it).
    pub queue_slots: u32,
    /// The most connections open at once (default 512); more wait in the kernel's queue.
    pub max_connections: usize,
    /// The API name of a unique custom field the organization has (`cf_source_id`): a create
    /// that carries an `Idempotency-Key` then goes to Zoho as its upsert on that field
    /// (`PUT` with `X-Unique-Identifier-Key`/`-Value` and `X-Upsert: true`, the key as the
    /// value), which Zoho itself keeps from doubling: safe to repeat after a lost answer, a
    /// restart of the gateway, or from another machine. Default none.
    pub unique_field: Option<String>,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8788)),
            allow_remote: false,
            token: None,
            max_wait: Duration::from_secs(30),
            max_body: 10 * 1024 * 1024,
            read_timeout: Duration::from_secs(30),
            drain: Duration::from_mins(1),
            idempotency_ttl: Duration::from_hours(24),
            idempotency_pending: Duration::from_mins(10),
            idempotency_wait: Duration::from_mins(1),
            limits: LimitsConfig::default(),
            queue_slots: 10,
            max_connections: 512,
            unique_field: None,
        }
    }
}

impl GatewayConfig {
    /// Checks the rules that keep the gateway safe: a non-loopback address only with
    /// `allow_remote`, and `allow_remote` only with a token.
    ///
    /// # Errors
    ///
    /// [`GatewayError::Config`] naming the rule broken and the fix.
    pub fn check(&self) -> Result<(), GatewayError> {
        if self.allow_remote && self.token.as_ref().is_none_or(|t| t.expose().is_empty()) {
            return Err(GatewayError::Config(
                "--allow-remote needs a gateway token: set ZBOOKS_GATEWAY_TOKEN (clients then \
                 send it as `Authorization: Bearer <token>`)"
                    .to_owned(),
            ));
        }
        if !self.allow_remote && !self.listen.ip().is_loopback() {
            return Err(GatewayError::Config(format!(
                "{} is not a loopback address: the gateway serves this machine only unless \
                 --allow-remote is given (with a gateway token)",
                self.listen
            )));
        }
        if self.queue_slots == 0 {
            return Err(GatewayError::Config(
                "queue slots must be at least 1".to_owned(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_needs_a_token_and_loopback_is_the_default() {
        assert!(GatewayConfig::default().check().is_ok());
        let remote = GatewayConfig {
            listen: "0.0.0.0:8788".parse().expect("an address"),
            ..GatewayConfig::default()
        };
        let err = remote.check().expect_err("not loopback").to_string();
        assert!(err.contains("--allow-remote"), "{err}");
        let no_token = GatewayConfig {
            allow_remote: true,
            ..remote.clone()
        };
        let err = no_token.check().expect_err("no token").to_string();
        assert!(err.contains("ZBOOKS_GATEWAY_TOKEN"), "{err}");
        let ok = GatewayConfig {
            allow_remote: true,
            token: Some(Secret::new("s3cret-gateway-token")),
            ..remote
        };
        assert!(ok.check().is_ok());
    }
}
