//! Zoho's webhook signature. Zoho Books' webhook API has a `secret` ("secret key for webhook
//! signature verification", 12–50 alphanumeric characters: <https://www.zoho.com/books/api/v3/webhooks>);
//! Zoho Billing documents what is signed: the query-string and form key/value pairs sorted by
//! key, each written as key then value with no separator, then the raw JSON body appended, the
//! HMAC-SHA256 sent in `X-Zoho-Webhook-Signature`
//! (<https://zoho.com/subscriptions/kb/webhooks/securing-webhooks.html>). Zoho does not say hex or
//! base64; Books receivers in the wild check hex, one design note claims base64: both are
//! accepted until a captured Books delivery pins it (docs/zoho-webhooks.md). Fail closed: no
//! header, no secret, or a mismatch is a refusal. Compared in constant time.

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use sha2::Sha256;

/// The header Zoho sends the signature in.
pub const SIGNATURE_HEADER: &str = "X-Zoho-Webhook-Signature";

type HmacSha256 = hmac::Hmac<Sha256>;

/// The bytes Zoho signs: `pairs` (the query string's, and a form body's) sorted by key, each
/// key then value, then `json_body` (empty for a form body).
pub fn signed_input(pairs: &[(String, String)], json_body: &[u8]) -> Vec<u8> {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut out = Vec::new();
    for (k, v) in sorted {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(v.as_bytes());
    }
    out.extend_from_slice(json_body);
    out
}

/// The signature of `input` under `secret`, as lowercase hex.
pub fn sign_hex(secret: &[u8], input: &[u8]) -> String {
    let mut mac = mac(secret);
    mac.update(input);
    mac.finalize()
        .into_bytes()
        .iter()
        .fold(String::new(), |mut s, b| {
            s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
            s
        })
}

fn mac(secret: &[u8]) -> HmacSha256 {
    <HmacSha256 as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// How a signature compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It matches, written in hex.
    Hex,
    /// It matches, written in base64.
    Base64,
    /// No signature header.
    Missing,
    /// It does not match (or is neither hex nor base64).
    Mismatch,
}

impl Verdict {
    /// Whether the delivery is accepted.
    pub fn is_valid(self) -> bool {
        matches!(self, Verdict::Hex | Verdict::Base64)
    }
}

/// Checks `header` (the `X-Zoho-Webhook-Signature` value, if sent) against `input` under
/// `secret`.
pub fn verify(secret: &[u8], input: &[u8], header: Option<&str>) -> Verdict {
    let Some(header) = header.map(str::trim).filter(|h| !h.is_empty()) else {
        return Verdict::Missing;
    };
    let check = |bytes: &[u8]| {
        let mut m = mac(secret);
        m.update(input);
        m.verify_slice(bytes).is_ok()
    };
    if header.len() == 64
        && let Some(bytes) = decode_hex(header)
        && check(&bytes)
    {
        return Verdict::Hex;
    }
    if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(header)
        && bytes.len() == 32
        && check(&bytes)
    {
        return Verdict::Base64;
    }
    Verdict::Mismatch
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_signed_string_is_billings_example() {
        // Zoho Billing's example: `?subscription_id=90343&name=basic` and a JSON body give
        // `namebasicsubscription_id90343{"created_date":…}`.
        let body = br#"{"created_date":"2026-12-07"}"#;
        let input = signed_input(
            &pairs(&[("subscription_id", "90343"), ("name", "basic")]),
            body,
        );
        assert_eq!(
            String::from_utf8(input).unwrap(),
            r#"namebasicsubscription_id90343{"created_date":"2026-12-07"}"#
        );
    }

    #[test]
    fn hex_and_base64_verify_and_anything_else_is_refused() {
        let input = b"{\"invoice\":{\"invoice_id\":\"1\"}}";
        let hex = sign_hex(b"s3cretKey1234", input);
        assert_eq!(verify(b"s3cretKey1234", input, Some(&hex)), Verdict::Hex);
        assert_eq!(
            verify(b"s3cretKey1234", input, Some(&hex.to_uppercase())),
            Verdict::Hex
        );
        let bytes = decode_hex(&hex).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        assert_eq!(verify(b"s3cretKey1234", input, Some(&b64)), Verdict::Base64);
        assert_eq!(
            verify(b"other-secret", input, Some(&hex)),
            Verdict::Mismatch
        );
        assert_eq!(
            verify(b"s3cretKey1234", b"{}", Some(&hex)),
            Verdict::Mismatch
        );
        assert_eq!(verify(b"s3cretKey1234", input, None), Verdict::Missing);
        assert_eq!(
            verify(b"s3cretKey1234", input, Some("s3cretKey1234")),
            Verdict::Mismatch
        );
    }

    #[test]
    fn hmac_sha256_is_rfc_4231() {
        assert_eq!(
            sign_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
