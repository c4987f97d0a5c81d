//! The HTTP exchange and its failures in the client's terms: one attempt's request sent and
//! its body read under one deadline, a transport failure as an [`Error`] saying whether the
//! request may have reached Zoho, and a redirect (never followed) as an error naming its target.
//!
//! Every path that talks HTTP (the attempt loop, the token refresh, the accounts server, the
//! diagnostic probe) normalises its failures here, so they read the same everywhere.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, LOCATION};
use zbooks_types::Sent;

use crate::error::{Error, ErrorKind};

/// A complete answer: status, headers, body.
pub(crate) type Exchanged = (u16, HeaderMap, Bytes);

/// Sends `request` and reads its whole body within `limit` (send to the end of the body): a
/// stalled attempt is abandoned at its deadline, never before, as maybe sent.
pub(crate) async fn exchange(
    request: reqwest::RequestBuilder,
    limit: Duration,
) -> Result<Exchanged, Error> {
    let exchange = async {
        let mut response = request.send().await?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        read_body(&mut response)
            .await
            .map(|body| (status, headers, body))
    };
    match tokio::time::timeout(limit, exchange).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(err)) => Err(transport_error(&err)),
        Err(_elapsed) => Err(Error::new(
            ErrorKind::Transport {
                timeout: true,
                reason: format!("no complete answer within {limit:?}"),
            },
            Sent::MaybeSent,
        )),
    }
}

/// The whole body, chunk by chunk: a body in one chunk (the usual answer) is kept without a
/// copy. Half the future of `Response::bytes`, which every attempt carries.
async fn read_body(response: &mut reqwest::Response) -> Result<Bytes, reqwest::Error> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let hint = usize::try_from(response.content_length().unwrap_or(0)).unwrap_or(0);
    let mut body = Vec::with_capacity(hint.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

/// A transport failure as an [`Error`]: certainly not sent when the connection could not be
/// made, else maybe sent. The URL is dropped from the text (it may carry a query).
pub(crate) fn transport_error(err: &reqwest::Error) -> Error {
    let timeout = err.is_timeout();
    let sent = if err.is_connect() {
        Sent::NotSent
    } else {
        Sent::MaybeSent
    };
    let mut reason = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = source {
        let text = match e.downcast_ref::<reqwest::Error>() {
            Some(r) if r.url().is_some() => {
                // reqwest's Display includes the URL; describe it by its kind instead.
                if r.is_connect() {
                    "connection failed".to_owned()
                } else if r.is_timeout() {
                    "timed out".to_owned()
                } else if r.is_body() || r.is_decode() {
                    "response body failed".to_owned()
                } else {
                    "request failed".to_owned()
                }
            }
            _ => e.to_string(),
        };
        if !reason.is_empty() {
            reason.push_str(": ");
        }
        reason.push_str(&text);
        source = e.source();
    }
    Error::new(
        ErrorKind::Transport {
            timeout,
            reason: zbooks_types::scrub(&reason),
        },
        sent,
    )
}

/// Whether an answer is a redirect, which the client never follows: the Authorization header,
/// the `organization_id` and a create's body would go wherever the server pointed (issue 12
/// §7). Every HTTP client zbooks builds has redirects off, so the 3xx itself arrives here.
/// 304 is a cache answer, not a redirect.
pub(crate) fn is_redirect(status: u16) -> bool {
    (300..400).contains(&status) && status != 304
}

/// A redirect as an error naming its target: the `Location` resolved against the request URL
/// `from`, with its query, fragment and user info left out (they may carry the organization
/// or a secret).
pub(crate) fn redirected(status: u16, from: &str, headers: &HeaderMap) -> Error {
    let location = match headers.get(LOCATION).map(HeaderValue::to_str) {
        None => "nowhere (no Location header)".to_owned(),
        Some(Err(_)) => "an unreadable Location".to_owned(),
        Some(Ok(target)) => match reqwest::Url::parse(from).and_then(|base| base.join(target)) {
            Ok(mut url) => {
                url.set_query(None);
                url.set_fragment(None);
                let _ = url.set_username("");
                let _ = url.set_password(None);
                url.to_string()
            }
            Err(_) => target
                .split(['?', '#'])
                .next()
                .unwrap_or_default()
                .to_owned(),
        },
    };
    Error::new(
        ErrorKind::Redirected {
            status,
            location: zbooks_types::scrub(&location),
        },
        Sent::Answered,
    )
}

/// A domain without its scheme's trailing slash, for comparing `api_domain`s.
pub(crate) fn normalize(domain: &str) -> String {
    domain.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stalled exchange is abandoned at its deadline, not before, as maybe sent (time is
    /// paused: no real waiting).
    #[tokio::test(start_paused = true)]
    async fn a_stalled_exchange_is_cut_at_its_deadline_as_maybe_sent() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/stall", listener.local_addr().unwrap());
        let http = reqwest::Client::new();
        let started = tokio::time::Instant::now();
        let limit = Duration::from_secs(20);
        // The connection is accepted by the kernel's backlog and never answered.
        let err = exchange(http.get(&url), limit).await.unwrap_err();
        let waited = started.elapsed();
        assert!(waited >= limit, "{waited:?}");
        assert_eq!(err.sent(), Sent::MaybeSent);
        assert!(
            matches!(err.kind(), ErrorKind::Transport { timeout: true, .. }),
            "{err}"
        );
        drop(listener);
    }

    #[test]
    fn redirects_name_their_target_without_query_or_user() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LOCATION,
            HeaderValue::from_static("https://user:pw@evil.example/books?organization_id=1#x"),
        );
        let err = redirected(302, "https://www.zohoapis.in/books/v3/contacts", &headers);
        assert!(
            matches!(err.kind(), ErrorKind::Redirected { status: 302, location } if location == "https://evil.example/books"),
            "{err:?}"
        );
        assert!(is_redirect(307) && !is_redirect(304) && !is_redirect(200));
    }
}
