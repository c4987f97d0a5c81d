//! The JSON webhook's signature, so the receiver can check an alert came from zbooks and is
//! fresh: `X-Zbooks-Timestamp` holds the Unix time in seconds, `X-Zbooks-Signature` holds
//! `v1=` and the lowercase hex HMAC-SHA256, keyed with the shared secret, of the timestamp, a
//! `.`, and the raw body bytes (the scheme of Zoho Payments' webhooks, with our own header
//! names: docs/alerts.md). A receiver recomputes it over the bytes it received, compares in
//! constant time, and refuses a timestamp older than its tolerance (five minutes is usual).

use hmac::{KeyInit, Mac};
use sha2::Sha256;

/// The header holding the Unix time in seconds.
pub const TIMESTAMP_HEADER: &str = "X-Zbooks-Timestamp";
/// The header holding `v1=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Zbooks-Signature";

type HmacSha256 = hmac::Hmac<Sha256>;

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length; this cannot fail.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `X-Zbooks-Signature` value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let bytes = mac(secret, timestamp, body).finalize().into_bytes();
    let mut out = String::from("v1=");
    for b in bytes {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// Whether `signature` is the signature of `body` at `timestamp`, and `timestamp` is within
/// `tolerance_seconds` of `now` (both Unix seconds). Compared in constant time.
pub fn verify(
    secret: &[u8],
    timestamp: i64,
    body: &[u8],
    signature: &str,
    now: i64,
    tolerance_seconds: i64,
) -> bool {
    if (now - timestamp).abs() > tolerance_seconds {
        return false;
    }
    let Some(hex) = signature.strip_prefix("v1=") else {
        return false;
    };
    let Some(bytes) = decode_hex(hex) else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&bytes).is_ok()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_any_change_breaks_it() {
        let s = sign(b"key", 1_700_000_000, b"{\"a\":1}");
        assert!(s.starts_with("v1=") && s.len() == 3 + 64);
        assert!(verify(
            b"key",
            1_700_000_000,
            b"{\"a\":1}",
            &s,
            1_700_000_100,
            300
        ));
        assert!(!verify(
            b"key",
            1_700_000_000,
            b"{\"a\":2}",
            &s,
            1_700_000_100,
            300
        ));
        assert!(!verify(
            b"other",
            1_700_000_000,
            b"{\"a\":1}",
            &s,
            1_700_000_100,
            300
        ));
        assert!(!verify(
            b"key",
            1_700_000_001,
            b"{\"a\":1}",
            &s,
            1_700_000_100,
            300
        ));
        assert!(
            !verify(b"key", 1_700_000_000, b"{\"a\":1}", &s, 1_700_000_301, 300),
            "stale"
        );
        assert!(!verify(
            b"key",
            1_700_000_000,
            b"{\"a\":1}",
            "v1=zz",
            1_700_000_000,
            300
        ));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231, test case 2: the primitive is HMAC-SHA256.
        let mut m = <HmacSha256 as KeyInit>::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        let hex = |bytes: &[u8]| {
            bytes.iter().fold(String::new(), |mut s, b| {
                use std::fmt::Write as _;
                let _ = write!(s, "{b:02x}");
                s
            })
        };
        assert_eq!(
            hex(&m.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Over "<timestamp>.<body>".
        let mut m = <HmacSha256 as KeyInit>::new_from_slice(b"Jefe").unwrap();
        m.update(b"12.body");
        assert_eq!(
            sign(b"Jefe", 12, b"body"),
            format!("v1={}", hex(&m.finalize().into_bytes()))
        );
    }
}
