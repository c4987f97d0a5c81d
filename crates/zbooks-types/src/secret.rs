//! Types for secrets that cannot be printed by accident.
//!
//! Access tokens, refresh tokens and client secrets live in [`Secret`] values: their `Debug`
//! shows only that a secret is there, they have no `Display`, and the text comes out only
//! through [`Secret::expose`], which is easy to grep for (docs/design.md promise 8).

use std::fmt;

/// A secret string: redacted in `Debug`, no `Display`, no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into().into_boxed_str())
    }

    /// The secret text. Call only where the secret must leave the process (an HTTP header, a
    /// token request, the private store).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters behind asterisks (`****abcd`), to tell secrets apart in
    /// `config show` and `doctor` without revealing them; short secrets show only asterisks.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 12 {
            return "****".to_owned();
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("****{tail}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"[redacted]\")")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Secret::new("1000.canary0123456789.abcdef");
        assert!(!format!("{s:?}").contains("canary"));
        assert_eq!(s.masked(), "****cdef");
        assert_eq!(Secret::new("short").masked(), "****");
        assert_eq!(s.expose(), "1000.canary0123456789.abcdef");
    }
}

/// Redacts what looks like a secret in free text (a response snippet, a log line): Zoho tokens
/// (`1000.` followed by token characters), the value after `Zoho-oauthtoken` or `Bearer`, and
/// the values of `access_token`, `refresh_token`, `client_secret`, `code` and `token`
/// parameters or JSON fields.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A Zoho token: 1000.<token chars, at least 16>.
        if text[i..].starts_with("1000.") && (i == 0 || !is_token_byte(bytes[i - 1])) {
            let len = token_len(&bytes[i + 5..]);
            if len >= 16 {
                out.push_str("[redacted]");
                i += 5 + len;
                continue;
            }
        }
        if let Some(skip) = secret_value_start(&text[i..]) {
            out.push_str(&text[i..i + skip]);
            i += skip;
            let len = token_len(&bytes[i..]);
            if len > 0 {
                out.push_str("[redacted]");
                i += len;
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// If `rest` starts with a key that introduces a secret (`Zoho-oauthtoken `, `Bearer `,
/// `access_token=`, `"refresh_token":"`), the length of the key and its separators.
fn secret_value_start(rest: &str) -> Option<usize> {
    const KEYS: [&str; 9] = [
        "zoho-oauthtoken",
        "bearer",
        "access_token",
        "refresh_token",
        "client_secret",
        "grant_token",
        "authtoken",
        "token",
        "code",
    ];
    let head = rest.get(..rest.len().min(20))?.to_ascii_lowercase();
    for key in KEYS {
        if head.starts_with(key) {
            let after = &rest[key.len()..];
            let sep: usize = after
                .bytes()
                .take_while(|b| matches!(b, b' ' | b'=' | b':' | b'"' | b'\''))
                .count();
            if sep == 0 {
                return None;
            }
            // `code` and `token` alone are too common: only as `code=`/`token=` parameters.
            if matches!(key, "code" | "token") && !after.starts_with('=') {
                return None;
            }
            let value = &after.as_bytes()[sep..];
            // Only redact values that look like secrets, not `code: 57` or `Bearer scheme`.
            let len = token_len(value);
            if len >= 12 || (len > 0 && value.starts_with(b"1000.")) {
                return Some(key.len() + sep);
            }
            return None;
        }
    }
    None
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')
}

fn token_len(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| is_token_byte(**b)).count()
}

#[cfg(test)]
mod scrub_tests {
    use super::scrub;

    #[test]
    fn redacts_tokens_in_text() {
        let s = scrub("Authorization: Zoho-oauthtoken simaccess.abcdef0123456789abcdef.xyz0123 ok");
        assert!(!s.contains("abcdef0123"), "{s}");
        let s = scrub(
            "POST /oauth/v2/token?refresh_token=1000.r3fr3sh.t0k3nvalue123&client_secret=s3cr3tvalue12345&grant_type=refresh_token",
        );
        assert!(!s.contains("r3fr3sh"), "{s}");
        assert!(!s.contains("s3cr3t"), "{s}");
        assert!(s.contains("grant_type=refresh_token"), "{s}");
        let s = scrub(r#"{"access_token":"1000.aaaabbbbccccdddd.eeee","code":57}"#);
        assert!(!s.contains("aaaabbbb"), "{s}");
        assert!(s.contains("\"code\":57"), "{s}");
        assert_eq!(scrub("code 57 HTTP 401"), "code 57 HTTP 401");
    }
}
