//! Raw calls: any Books endpoint the typed resources do not cover, with the same limits,
//! tokens, retries and events.

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use zbooks_types::Sent;
use zbooks_types::event::Purpose;

use crate::client::Client;
use crate::endpoint::Idempotency;
use crate::error::{Error, ErrorKind};
use crate::send::Call;

/// A raw call being built; send it with [`RequestBuilder::send`].
#[derive(Debug)]
#[must_use]
pub struct RequestBuilder<'c> {
    client: &'c Client,
    call: Call,
    error: Option<Error>,
}

/// A successful answer to a raw call.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    body: Bytes,
}

impl ApiResponse {
    /// The body as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Decode`] when the body does not fit `T` (retryable only for idempotent
    /// calls: the call itself succeeded).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(decode_error)
    }

    /// The raw body.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }
}

pub(crate) fn decode_error(err: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Decode {
            reason: zbooks_types::scrub(&err.to_string()),
        },
        Sent::Answered,
    )
}

impl Client {
    /// A raw call to any Books endpoint, relative to the Books base (`/invoices`,
    /// `/invoices/123/status/sent`). The organization id is added; POST is treated as not
    /// idempotent, every other method as safe to repeat (change it with
    /// [`RequestBuilder::idempotency`]).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder<'_> {
        RequestBuilder::new(self, method, path)
    }
}

impl<'c> RequestBuilder<'c> {
    pub(crate) fn new(client: &'c Client, method: Method, path: &str) -> Self {
        let path = normalize_path(path);
        // `GET /organizations` is the one call without an organization (reference §4).
        let organization_id =
            if path == zbooks_types::resource::ORGANIZATIONS.path && method == Method::GET {
                None
            } else {
                client.organization_id.clone()
            };
        RequestBuilder {
            client,
            call: Call {
                idempotency: Idempotency::of(&method),
                method,
                path,
                query: Vec::new(),
                headers: Vec::new(),
                body: None,
                organization_id,
                natural_key: None,
                purpose: None,
                want_json: false,
            },
            error: None,
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.call.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => self.call.headers.push((name, value)),
            _ => self.error = Some(Error::config(format!("invalid header {name:?}"))),
        }
        self
    }

    /// Sends `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.call.body = Some(Bytes::from(bytes)),
            Err(err) => self.error = Some(Error::config(format!("cannot serialize body: {err}"))),
        }
        self
    }

    /// Declares whether the call is safe to repeat (the default follows the method).
    pub fn idempotency(mut self, idempotency: Idempotency) -> Self {
        self.call.idempotency = idempotency;
        self
    }

    /// Sends the call without an `organization_id`.
    pub fn without_organization(mut self) -> Self {
        self.call.organization_id = None;
        self
    }

    /// The natural key of the record a create carries (for events and the audit log).
    pub fn natural_key(mut self, key: impl Into<String>) -> Self {
        self.call.natural_key = Some(key.into());
        self
    }

    /// Marks the call as the lookup of the record with natural key `key` (`contact_name=Acme`,
    /// written as the create writes it): its events carry the key and `purpose: lookup`, so
    /// `zbooks logs analyze` tells a create looked up before it was sent again (safe) from one
    /// sent again blind.
    pub fn lookup_of(mut self, key: impl Into<String>) -> Self {
        self.call.natural_key = Some(key.into());
        self.call.purpose = Some(Purpose::Lookup);
        self
    }

    /// Sends the call through the attempt loop.
    ///
    /// # Errors
    ///
    /// Every [`ErrorKind`]; [`Error::retry`] says whether a later retry can help and
    /// [`Error::sent`] whether the request may have reached Zoho.
    pub fn send(self) -> impl Future<Output = Result<ApiResponse, Error>> + Send + 'c {
        // Taken apart before the future: the call is stored in it once.
        let RequestBuilder {
            client,
            call,
            error,
        } = self;
        async move {
            if let Some(error) = error {
                return Err(error);
            }
            let answer = client.inner.execute(&call).await?;
            Ok(ApiResponse {
                status: answer.status,
                headers: answer.headers,
                body: answer.body,
            })
        }
    }

    /// Sends the call and returns the body as JSON.
    ///
    /// # Errors
    ///
    /// As [`RequestBuilder::send`], plus [`ErrorKind::Decode`].
    pub fn send_json(self) -> impl Future<Output = Result<Value, Error>> + Send + 'c {
        let RequestBuilder {
            client,
            mut call,
            error,
        } = self;
        call.want_json = true;
        async move {
            if let Some(error) = error {
                return Err(error);
            }
            let answer = client.inner.execute(&call).await?;
            match answer.json {
                Some(json) => Ok(json),
                None => serde_json::from_slice(&answer.body).map_err(decode_error),
            }
        }
    }
}

/// `/invoices`, from `invoices`, `/invoices/`, `/books/v3/invoices` or `/api/v3/invoices`.
fn normalize_path(path: &str) -> String {
    let path = path.trim();
    let path = path
        .strip_prefix("/books/v3")
        .or_else(|| path.strip_prefix("/api/v3"))
        .unwrap_or(path);
    let path = path.trim_end_matches('/');
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_books_base() {
        for p in [
            "invoices",
            "/invoices",
            "/invoices/",
            "/books/v3/invoices",
            "/api/v3/invoices",
        ] {
            assert_eq!(normalize_path(p), "/invoices", "{p}");
        }
    }
}
