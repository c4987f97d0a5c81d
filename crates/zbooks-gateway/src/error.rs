//! The gateway's error: what stopped it from starting or its store from working.

/// Why the gateway cannot start or keep an answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// The configuration breaks a rule (the message names it and the fix).
    #[error("invalid gateway configuration: {0}")]
    Config(String),
    /// The address cannot be listened on.
    #[error(
        "cannot listen on {addr}: {source} (is another gateway running? pick another port with --listen)"
    )]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The idempotency store failed.
    #[error("the gateway's store failed: {0}")]
    Store(String),
}
