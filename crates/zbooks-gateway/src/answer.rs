//! The answers the gateway writes itself, in Zoho's shape (`{"code": N, "message": "…"}`), so a
//! program written for Zoho reads them as it reads Zoho's: each one also says where it came
//! from (`"source": "zbooks-gateway"`) and how to fix what it refuses (`"fix"`).
//!
//! The codes are the gateway's own (90001 and up), outside the numbers Zoho uses, so a program
//! that branches on Zoho's codes treats them as the errors they are.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Response, StatusCode};
use serde_json::json;

/// The body of every answer.
pub(crate) type Body = Full<Bytes>;

/// Why the gateway answered a request itself instead of forwarding Zoho's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// The request names an organization no configured profile covers (400, code 90001).
    UnknownOrganization,
    /// The gateway token is missing or wrong (401, code 90002).
    GatewayToken,
    /// A client from another machine while the gateway serves loopback only (403, code 90003).
    NotLoopback,
    /// The path is neither `/books/v3/…` nor `/__zbooks/…` (404, code 90004).
    UnknownPath,
    /// The request body is larger than the limit (413, code 90005).
    BodyTooLarge,
    /// The body is neither JSON nor a form with `JSONString` (415, code 90006).
    UnsupportedBody,
    /// The body did not arrive within the read timeout (408, code 90007).
    SlowBody,
    /// The request would wait in the organization's queue longer than its maximum (429, code
    /// 90008), with `Retry-After`.
    WaitTooLong,
    /// A create's answer was lost and the gateway cannot tell whether it landed (502, code
    /// 90009): the body says how to look it up.
    CreateInDoubt,
    /// Zoho could not be reached, or the gateway gave up retrying (502, code 90010).
    Upstream,
    /// The gateway is shutting down (503, code 90011).
    ShuttingDown,
    /// The gateway's own store failed (500, code 90012).
    Internal,
    /// A request with the same `Idempotency-Key` is still in flight (on this gateway or
    /// another sharing the state) past the longest the gateway waits for its answer (409,
    /// code 90013), with `Retry-After`.
    KeyInFlight,
}

impl Refusal {
    /// The HTTP status of the answer.
    pub fn status(self) -> u16 {
        match self {
            Refusal::UnknownOrganization => 400,
            Refusal::GatewayToken => 401,
            Refusal::NotLoopback => 403,
            Refusal::UnknownPath => 404,
            Refusal::SlowBody => 408,
            Refusal::BodyTooLarge => 413,
            Refusal::UnsupportedBody => 415,
            Refusal::WaitTooLong => 429,
            Refusal::KeyInFlight => 409,
            Refusal::Internal => 500,
            Refusal::CreateInDoubt | Refusal::Upstream => 502,
            Refusal::ShuttingDown => 503,
        }
    }

    /// The `code` of the body.
    pub fn code(self) -> i64 {
        match self {
            Refusal::UnknownOrganization => 90001,
            Refusal::GatewayToken => 90002,
            Refusal::NotLoopback => 90003,
            Refusal::UnknownPath => 90004,
            Refusal::BodyTooLarge => 90005,
            Refusal::UnsupportedBody => 90006,
            Refusal::SlowBody => 90007,
            Refusal::WaitTooLong => 90008,
            Refusal::CreateInDoubt => 90009,
            Refusal::Upstream => 90010,
            Refusal::ShuttingDown => 90011,
            Refusal::Internal => 90012,
            Refusal::KeyInFlight => 90013,
        }
    }

    /// The label of the refusal in metrics (`unknown_organization`).
    pub fn label(self) -> &'static str {
        match self {
            Refusal::UnknownOrganization => "unknown_organization",
            Refusal::GatewayToken => "gateway_token",
            Refusal::NotLoopback => "not_loopback",
            Refusal::UnknownPath => "unknown_path",
            Refusal::BodyTooLarge => "body_too_large",
            Refusal::UnsupportedBody => "unsupported_body",
            Refusal::SlowBody => "slow_body",
            Refusal::WaitTooLong => "wait_too_long",
            Refusal::CreateInDoubt => "create_in_doubt",
            Refusal::Upstream => "upstream",
            Refusal::ShuttingDown => "shutting_down",
            Refusal::Internal => "internal",
            Refusal::KeyInFlight => "idempotency_key_in_flight",
        }
    }
}

/// The gateway's own answer: `refusal`'s status and code, `message` (what happened) and `fix`
/// (what to do), both scrubbed of anything that looks like a secret.
pub(crate) fn refuse(refusal: Refusal, message: &str, fix: &str) -> Response<Body> {
    let body = json!({
        "code": refusal.code(),
        "message": zbooks_types::scrub(message),
        "fix": zbooks_types::scrub(fix),
        "source": "zbooks-gateway",
    });
    json_response(refusal.status(), &body)
}

/// [`refuse`] with `Retry-After` (whole seconds, at least one).
pub(crate) fn refuse_after(
    refusal: Refusal,
    message: &str,
    fix: &str,
    after: Duration,
) -> Response<Body> {
    let mut response = refuse(refusal, message, fix);
    set_retry_after(&mut response, after);
    response
}

/// Sets `Retry-After` to `after`, rounded up to whole seconds, at least one.
pub(crate) fn set_retry_after(response: &mut Response<Body>, after: Duration) {
    let secs = after.as_secs() + u64::from(after.subsec_nanos() > 0);
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(secs.max(1)));
}

/// A JSON answer with `status`.
pub(crate) fn json_response(status: u16, body: &serde_json::Value) -> Response<Body> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    bytes_response(status, Some("application/json;charset=UTF-8"), bytes.into())
}

/// An answer with `status`, a content type and a body.
pub(crate) fn bytes_response(
    status: u16,
    content_type: Option<&str>,
    body: Bytes,
) -> Response<Body> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(c).ok()) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let mut r = refuse(Refusal::WaitTooLong, "m", "f");
        set_retry_after(&mut r, Duration::from_millis(1200));
        assert_eq!(r.headers()[RETRY_AFTER], "2");
        set_retry_after(&mut r, Duration::ZERO);
        assert_eq!(r.headers()[RETRY_AFTER], "1");
    }

    #[test]
    fn refusals_have_distinct_codes() {
        let all = [
            Refusal::UnknownOrganization,
            Refusal::GatewayToken,
            Refusal::NotLoopback,
            Refusal::UnknownPath,
            Refusal::BodyTooLarge,
            Refusal::UnsupportedBody,
            Refusal::SlowBody,
            Refusal::WaitTooLong,
            Refusal::CreateInDoubt,
            Refusal::Upstream,
            Refusal::ShuttingDown,
            Refusal::Internal,
            Refusal::KeyInFlight,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
    }
}
