//! Types for secrets that cannot be printed by accident.
//!
//! Access tokens, refresh tokens and client secrets live in [`Secret`] values: their `Debug`
//! shows only that a secret is there, they have no `Display`, and the text comes out only
//! through [`Secret::expose`], which is easy to grep for (DESIGN.md promise 8).

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
