//! The client's one public error type.
//!
//! Every error answers the questions a caller (and `zbooks explain`, and the import journal)
//! asks: was the request sent, what kind of failure is it, can a retry help, and which Zoho
//! code, HTTP status, request path and organization it was about. It never holds a URL with a
//! query string, a header or a token: only the path, and text that went through
//! [`zbooks_types::scrub`].

use std::fmt;
use std::time::SystemTime;

use zbooks_types::{DataCenter, FailureClass, Retry, Sent};

use crate::classify::Failure;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client was configured wrongly (missing credentials, a bad URL); nothing was sent.
    Config {
        /// What is wrong.
        reason: String,
    },
    /// Zoho (or a gateway in front of it) answered with a failure.
    Api(Box<Failure>),
    /// The server answered with a redirect, which the client never follows: the
    /// Authorization header, the `organization_id` and the body would go to `location`.
    Redirected {
        /// The HTTP status (301, 302, 303, 307, 308).
        status: u16,
        /// Where the server pointed: its origin and path, the query left out (it may carry
        /// the organization or a secret).
        location: String,
    },
    /// The request failed on the way: connection refused, reset, timed out.
    Transport {
        /// Whether the attempt timed out.
        timeout: bool,
        /// What the transport said (scrubbed).
        reason: String,
    },
    /// The accounts server refused to mint a token for now; the client will not ask again
    /// before `retry_at` (reference §1.5: never refresh in a loop).
    TokenThrottled {
        /// When a token request may be made again.
        retry_at: SystemTime,
    },
    /// The credentials themselves are refused (`invalid_client`, `invalid_code`, 401/14) or
    /// missing: a person must fix the configuration.
    AuthMisconfigured {
        /// What is wrong, and the likely fix.
        reason: String,
    },
    /// A freshly refreshed token is still refused with 57: it lacks the scope the endpoint
    /// needs.
    Scope {
        /// The scope the endpoint needs (`ZohoBooks.invoices.CREATE`).
        scope: String,
    },
    /// The token belongs to another data center than the API it was sent to.
    WrongDataCenter {
        /// The data center the token came from, when its `api_domain` names one.
        token: Option<DataCenter>,
        /// The `api_domain` the accounts server gave with the token.
        token_api_domain: String,
        /// The API domain the call went to.
        api_domain: String,
    },
    /// The organization's daily quota is spent (locally counted or Zoho's 45).
    QuotaExhausted {
        /// When the quota is expected to reset (Zoho does not publish it: an estimate).
        resets_at: Option<SystemTime>,
        /// Whether the client refused locally (`true`) or Zoho answered 45.
        local: bool,
    },
    /// The retry budget shared by the client is empty: the service looks down.
    RetryBudgetExhausted,
    /// The call's overall deadline passed before it could succeed.
    DeadlineExceeded,
    /// A successful answer could not be decoded into the expected type.
    Decode {
        /// What serde said.
        reason: String,
    },
    /// A store (token cache, pacing state, ledger) failed.
    Store {
        /// What the store said.
        reason: String,
    },
}

/// Which call an error is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallContext {
    /// HTTP method.
    pub method: String,
    /// Request path without the query string.
    pub path: String,
    /// The organization, when the call names one.
    pub organization_id: Option<String>,
}

/// An error of the Zoho Books client.
///
/// Use [`Error::kind`] to match, [`Error::sent`] to know whether the request may have reached
/// Zoho, and [`Error::retry`] to know whether and when a retry helps.
#[derive(Debug, Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug, Clone)]
struct Inner {
    kind: ErrorKind,
    sent: Sent,
    attempts: u32,
    context: Option<CallContext>,
    /// The failure of the last attempt, when the error is about giving up (budget, deadline).
    last: Option<Box<Error>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, sent: Sent) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                sent,
                attempts: 0,
                context: None,
                last: None,
            }),
        }
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Error::new(
            ErrorKind::Config {
                reason: reason.into(),
            },
            Sent::NotSent,
        )
    }

    pub(crate) fn store(reason: impl fmt::Display) -> Self {
        Error::new(
            ErrorKind::Store {
                reason: zbooks_types::scrub(&reason.to_string()),
            },
            Sent::NotSent,
        )
    }

    pub(crate) fn api(failure: Failure) -> Self {
        Error::new(ErrorKind::Api(Box::new(failure)), Sent::Answered)
    }

    pub(crate) fn with_context(mut self, context: CallContext) -> Self {
        self.inner.context = Some(context);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn with_sent(mut self, sent: Sent) -> Self {
        self.inner.sent = sent;
        self
    }

    pub(crate) fn with_last(mut self, last: Error) -> Self {
        self.inner.last = Some(Box::new(last));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// Whether the request reached Zoho. For an error about giving up (retry budget, deadline)
    /// this is the most uncertain state any attempt reached.
    pub fn sent(&self) -> Sent {
        self.inner.sent
    }

    /// How many attempts were made (0 when none was).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// The call this error is about.
    pub fn context(&self) -> Option<&CallContext> {
        self.inner.context.as_ref()
    }

    /// The error of the last attempt, when this error says the client gave up.
    pub fn last_attempt(&self) -> Option<&Error> {
        self.inner.last.as_deref()
    }

    /// The failure class, as `classify()` and the catalog name it.
    pub fn class(&self) -> FailureClass {
        match &self.inner.kind {
            ErrorKind::Api(failure) => failure.class,
            ErrorKind::Transport { .. } => FailureClass::TransientServer,
            ErrorKind::TokenThrottled { .. } => FailureClass::TokenThrottled,
            ErrorKind::AuthMisconfigured { .. }
            | ErrorKind::Scope { .. }
            | ErrorKind::WrongDataCenter { .. } => FailureClass::AuthMisconfigured,
            ErrorKind::QuotaExhausted { .. } => FailureClass::QuotaExhaustedDay,
            ErrorKind::RetryBudgetExhausted | ErrorKind::DeadlineExceeded => self
                .inner
                .last
                .as_ref()
                .map_or(FailureClass::TransientServer, |last| last.class()),
            ErrorKind::Decode { .. } => FailureClass::BadResponse,
            ErrorKind::Redirected { status, .. } => zbooks_types::catalog::status_implies(*status)
                .0
                .unwrap_or(FailureClass::Unknown),
            ErrorKind::Config { .. } | ErrorKind::Store { .. } => FailureClass::Unknown,
        }
    }

    /// Whether and when a retry (by the caller, later) can help.
    pub fn retry(&self) -> Retry {
        match &self.inner.kind {
            ErrorKind::Api(failure) => failure.retry,
            ErrorKind::Transport { .. } => match self.inner.sent {
                Sent::NotSent => Retry::Backoff,
                _ => Retry::IfIdempotent,
            },
            ErrorKind::TokenThrottled { .. } => Retry::AfterCooldown,
            ErrorKind::QuotaExhausted { .. } => Retry::NextDay,
            ErrorKind::RetryBudgetExhausted | ErrorKind::DeadlineExceeded => Retry::Backoff,
            ErrorKind::Decode { .. } => Retry::IfIdempotent,
            ErrorKind::Config { .. }
            | ErrorKind::Redirected { .. }
            | ErrorKind::AuthMisconfigured { .. }
            | ErrorKind::Scope { .. }
            | ErrorKind::WrongDataCenter { .. }
            | ErrorKind::Store { .. } => Retry::Never,
        }
    }

    /// Whether any retry can help ([`Error::retry`] is not [`Retry::Never`]).
    pub fn is_retryable(&self) -> bool {
        self.retry().is_retryable()
    }

    /// Zoho's `code`, when the answer had one.
    pub fn code(&self) -> Option<i64> {
        self.failure().and_then(|f| f.code)
    }

    /// The HTTP status, when an answer came.
    pub fn status(&self) -> Option<u16> {
        match &self.inner.kind {
            ErrorKind::Redirected { status, .. } => Some(*status),
            _ => self.failure().map(|f| f.status),
        }
    }

    /// The classified answer, when Zoho answered (also for the last attempt of a give-up).
    pub fn failure(&self) -> Option<&Failure> {
        match &self.inner.kind {
            ErrorKind::Api(failure) => Some(failure),
            _ => self.inner.last.as_ref().and_then(|last| last.failure()),
        }
    }

    /// Whether the request may have been carried out by Zoho without the caller hearing so:
    /// no answer came after it was sent, or a server failure or an unreadable body came back
    /// (Zoho may have acted before failing). A create must then be looked up by its natural
    /// key before it is sent again.
    pub fn may_have_landed(&self) -> bool {
        if self.inner.sent == Sent::MaybeSent {
            return true;
        }
        matches!(
            self.failure().map(|f| f.class),
            Some(FailureClass::TransientServer | FailureClass::BadResponse)
        ) && self.inner.sent != Sent::NotSent
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.kind {
            ErrorKind::Config { reason } => write!(f, "invalid client configuration: {reason}")?,
            ErrorKind::Api(failure) => {
                write!(f, "zoho answered HTTP {}", failure.status)?;
                if let Some(code) = failure.code {
                    write!(f, " with code {code}")?;
                }
                if let Some(error) = &failure.accounts_error {
                    write!(f, " with error {error:?}")?;
                }
                write!(f, " ({})", failure.class.describe())?;
                if let Some(message) = &failure.message {
                    write!(f, ": {}", zbooks_types::scrub(message))?;
                } else if let Some(snippet) = &failure.snippet {
                    write!(f, ": {snippet}")?;
                }
            }
            ErrorKind::Redirected { status, location } => write!(
                f,
                "the server answered HTTP {status} redirecting to {location}; not followed, so \
                 the token, organization and body were not sent there"
            )?,
            ErrorKind::Transport { timeout, reason } => {
                if *timeout {
                    write!(f, "request timed out")?;
                } else {
                    write!(f, "request failed in transport: {reason}")?;
                }
            }
            ErrorKind::TokenThrottled { retry_at } => write!(
                f,
                "the accounts server throttles token requests; not asking again before {}",
                crate::time::rfc3339(*retry_at)
            )?,
            ErrorKind::AuthMisconfigured { reason } => {
                write!(f, "authentication misconfigured: {reason}")?;
            }
            ErrorKind::Scope { scope } => write!(
                f,
                "a fresh access token is refused: it lacks the scope {scope}"
            )?,
            ErrorKind::WrongDataCenter {
                token,
                token_api_domain,
                api_domain,
            } => {
                write!(f, "the access token belongs to {token_api_domain}")?;
                if let Some(dc) = token {
                    write!(f, " (data center {dc})")?;
                }
                write!(
                    f,
                    " but the call went to {api_domain}; use the token's api_domain or the \
                     data center the client was registered in"
                )?;
            }
            ErrorKind::QuotaExhausted { resets_at, local } => {
                write!(f, "daily api quota of the organization is spent")?;
                if *local {
                    write!(f, " (refused locally before zoho would)")?;
                }
                if let Some(at) = resets_at {
                    write!(
                        f,
                        "; expected to reset at about {}",
                        crate::time::rfc3339(*at)
                    )?;
                }
            }
            ErrorKind::RetryBudgetExhausted => {
                write!(f, "retry budget of the client is spent; not retrying")?;
            }
            ErrorKind::DeadlineExceeded => write!(f, "deadline of the call passed")?,
            ErrorKind::Decode { reason } => write!(f, "unexpected answer shape: {reason}")?,
            ErrorKind::Store { reason } => write!(f, "store failed: {reason}")?,
        }
        if let Some(context) = &self.inner.context {
            write!(f, " [{} {}", context.method, context.path)?;
            if let Some(org) = &context.organization_id {
                write!(f, ", organization {org}")?;
            }
            write!(f, "]")?;
        }
        write!(
            f,
            " (sent: {}; retry: {})",
            sent_str(self.inner.sent),
            self.retry()
        )
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .last
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

fn sent_str(sent: Sent) -> &'static str {
    match sent {
        Sent::NotSent => "no",
        Sent::MaybeSent => "maybe",
        Sent::Answered => "answered",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_path_org_sent_and_retry() {
        let failure = crate::classify(429, br#"{"code":45,"message":"The API call for this organization has exceeded the maximum call rate limit of 1,000."}"#).unwrap_err();
        let err = Error::api(failure).with_context(CallContext {
            method: "GET".into(),
            path: "/books/v3/invoices".into(),
            organization_id: Some("10234695".into()),
        });
        let text = err.to_string();
        assert!(text.contains("code 45"), "{text}");
        assert!(text.contains("GET /books/v3/invoices"), "{text}");
        assert!(text.contains("organization 10234695"), "{text}");
        assert!(text.contains("retry: next_day"), "{text}");
        assert_eq!(err.class(), FailureClass::QuotaExhaustedDay);
        assert_eq!(err.code(), Some(45));
        assert!(!text.starts_with(char::is_uppercase));
    }
}
