//! Who may call and where a request goes: loopback only unless remote clients are allowed,
//! the gateway token when one is set (checked, then dropped with the rest of the program's
//! `Authorization`), the two reports under `/__zbooks/`, and `/books/v3/…` (or Zoho's legacy
//! `/api/v3/…`) to [`crate::forward`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::header::{AUTHORIZATION, HeaderMap};
use hyper::{Method, Request, Response};

use crate::answer::{Body, Refusal, refuse, refuse_after};
use crate::forward::{InFlight, Shared, forward};
use crate::status;

/// Answers one request.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    request: Request<hyper::body::Incoming>,
    peer: SocketAddr,
) -> Response<Body> {
    if !shared.config.allow_remote && !peer.ip().is_loopback() {
        return refuse(
            Refusal::NotLoopback,
            &format!(
                "{} is not this machine: the gateway serves loopback only",
                peer.ip()
            ),
            "call it from this machine, or start it with --allow-remote and a gateway token",
        );
    }
    if let Some(token) = &shared.config.token
        && !presented(request.headers())
            .is_some_and(|t| same(t.as_bytes(), token.expose().as_bytes()))
    {
        return refuse(
            Refusal::GatewayToken,
            "the gateway token is missing or wrong",
            "send the gateway's token (ZBOOKS_GATEWAY_TOKEN where it runs) as \
             `Authorization: Bearer <token>`; never Zoho's own token",
        );
    }
    let path = request.uri().path().to_owned();
    match (request.method(), path.as_str()) {
        (&Method::GET, "/__zbooks/status") => return status::json(&shared).await,
        (&Method::GET, "/__zbooks/metrics") => return status::prometheus(&shared).await,
        _ => {}
    }
    let Some(books_path) = books_path(&path) else {
        return refuse(
            Refusal::UnknownPath,
            &format!("{path} is not a Zoho Books API path"),
            "point your program's base URL at http://<gateway>/books/v3 (the status is at \
             /__zbooks/status, the metrics at /__zbooks/metrics)",
        );
    };
    if shared.closing.load(Ordering::Acquire) {
        return refuse_after(
            Refusal::ShuttingDown,
            "the gateway is shutting down",
            "send the request again once it is back",
            Duration::from_secs(5),
        );
    }
    let _in_flight = InFlight::new(&shared);
    forward(&shared, request, books_path).await
}

/// The path below `/books/v3` (or Zoho's legacy `/api/v3`), with a leading `/`.
fn books_path(path: &str) -> Option<String> {
    let rest = path
        .strip_prefix("/books/v3")
        .or_else(|| path.strip_prefix("/api/v3"))?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let rest = rest.trim_end_matches('/');
    Some(if rest.is_empty() {
        "/".to_owned()
    } else {
        rest.to_owned()
    })
}

/// The gateway token a client presented, if any.
fn presented(headers: &HeaderMap) -> Option<&str> {
    if let Some(token) = headers.get("x-zbooks-token").and_then(|v| v.to_str().ok()) {
        return Some(token.trim());
    }
    let auth = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    auth.strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("Zoho-oauthtoken "))
        .map(str::trim)
}

/// Compares in time independent of where the texts differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn books_paths_are_read() {
        assert_eq!(
            books_path("/books/v3/contacts/"),
            Some("/contacts".to_owned())
        );
        assert_eq!(
            books_path("/api/v3/invoices/1"),
            Some("/invoices/1".to_owned())
        );
        assert_eq!(books_path("/books/v3"), Some("/".to_owned()));
        assert_eq!(books_path("/books/v30/x"), None);
        assert_eq!(books_path("/other"), None);
    }

    #[test]
    fn tokens_are_read_from_the_usual_headers() {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, "Bearer abc".parse().expect("value"));
        assert_eq!(presented(&h), Some("abc"));
        h.insert(AUTHORIZATION, "Zoho-oauthtoken xyz".parse().expect("value"));
        assert_eq!(presented(&h), Some("xyz"));
        h.insert("x-zbooks-token", "t".parse().expect("value"));
        assert_eq!(presented(&h), Some("t"));
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
