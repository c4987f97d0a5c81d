//! One incoming request, read once: method, path (with the data-center prefix and the legacy
//! `/api/v3` root folded away), query parameters, headers and body, and the body's payload in
//! whichever form Zoho accepts it.
//!
//! Data centers: one simulator serves all of them. A path may start with `/dc/{dc}` (`/dc/eu/
//! books/v3/...`, `/dc/eu/oauth/v2/token`); without it, the configured default data center
//! (India) is meant. A user's `api_domain` carries its data center's prefix, so a client that
//! follows `api_domain` reaches the right one, and one that does not gets Zoho's refusals.

use bytes::Bytes;
use hyper::HeaderMap;
use serde_json::{Map, Value};
use zbooks_types::DataCenter;

use crate::rules::reply::Reply;

/// Which part of the simulator a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    /// `/oauth/v2/token` and `/oauth/v2/token/revoke`.
    Accounts,
    /// `/books/v3/...` (or `/api/v3/...`).
    Books,
    /// `/__sim/...`.
    Control,
    /// Anything else.
    Unknown,
}

/// A request, read.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) method: String,
    /// The path as sent, without the query string.
    pub(crate) path: String,
    /// The path without the data-center prefix, `/api/v3` read as `/books/v3`, no trailing
    /// slash: what routes and fault patterns match.
    pub(crate) norm: String,
    pub(crate) dc: DataCenter,
    pub(crate) area: Area,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Incoming {
    /// Reads a request's head and body.
    pub(crate) fn new(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: HeaderMap,
        body: Bytes,
        default_dc: DataCenter,
    ) -> Incoming {
        let mut dc = default_dc;
        let mut rest = path;
        let mut area = None;
        if let Some(after) = path.strip_prefix("/dc/") {
            let (name, tail) = after.split_once('/').unwrap_or((after, ""));
            match DataCenter::ALL.into_iter().find(|d| d.name() == name) {
                Some(d) => {
                    dc = d;
                    rest = &path[4 + name.len()..];
                }
                None => area = Some(Area::Unknown),
            }
            let _ = tail;
        }
        let mut norm = if let Some(tail) = rest.strip_prefix("/api/v3") {
            format!("/books/v3{tail}")
        } else {
            rest.to_owned()
        };
        while norm.len() > 1 && norm.ends_with('/') {
            norm.pop();
        }
        if norm.is_empty() {
            norm.push('/');
        }
        let area = area.unwrap_or_else(|| {
            if norm == "/__sim" || norm.starts_with("/__sim/") {
                Area::Control
            } else if norm == "/oauth/v2/token" || norm == "/oauth/v2/token/revoke" {
                Area::Accounts
            } else if norm == "/books/v3" || norm.starts_with("/books/v3/") {
                Area::Books
            } else {
                Area::Unknown
            }
        });
        let query = query
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        Incoming {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            norm,
            dc,
            area,
            query,
            headers,
            body,
        }
    }

    /// The first query parameter of this name.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn content_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase()
    }

    /// Parameters from the query string and a form body together (the token endpoint takes
    /// either, reference §3.2).
    pub(crate) fn form_and_query(&self) -> Vec<(String, String)> {
        let mut all = self.query.clone();
        if self
            .content_type()
            .contains("application/x-www-form-urlencoded")
        {
            all.extend(form_urlencoded::parse(&self.body).into_owned());
        }
        all
    }

    /// The JSON object a Books write carries: a JSON body (whatever its content type, none
    /// included), or the legacy `JSONString` form field (reference §6); anything else is
    /// 1038.
    pub(crate) fn payload(&self) -> Result<Map<String, Value>, Reply> {
        let content_type = self.content_type();
        let text: Vec<u8> = if content_type.contains("application/x-www-form-urlencoded") {
            let field = form_urlencoded::parse(&self.body)
                .find(|(k, _)| k == "JSONString")
                .map(|(_, v)| v.into_owned());
            match field {
                Some(json) => json.into_bytes(),
                None => return Err(Reply::malformed_json()),
            }
        } else if content_type.contains("multipart/") {
            return Err(Reply::malformed_json());
        } else if self.body.iter().all(u8::is_ascii_whitespace) {
            match self.param("JSONString") {
                Some(json) => json.as_bytes().to_vec(),
                None => return Err(Reply::malformed_json()),
            }
        } else {
            self.body.to_vec()
        };
        match serde_json::from_slice::<Value>(&text) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(Reply::malformed_json()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str) -> Incoming {
        Incoming::new(
            "get",
            path,
            None,
            HeaderMap::new(),
            Bytes::new(),
            DataCenter::In,
        )
    }

    #[test]
    fn folds_prefixes_and_trailing_slashes() {
        let r = req("/dc/eu/api/v3/contacts/");
        assert_eq!(
            (r.norm.as_str(), r.dc, r.area),
            ("/books/v3/contacts", DataCenter::Eu, Area::Books)
        );
        let r = req("/books/v3/contacts");
        assert_eq!((r.dc, r.area), (DataCenter::In, Area::Books));
        assert_eq!(req("/dc/mars/books/v3").area, Area::Unknown);
        assert_eq!(req("/oauth/v2/token/").area, Area::Accounts);
        assert_eq!(req("/__sim/log").area, Area::Control);
        assert_eq!(req("/").area, Area::Unknown);
        assert_eq!(req("/books/v30").area, Area::Unknown);
    }

    #[test]
    fn reads_json_string_forms_and_bare_json() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        let body = Bytes::from("JSONString=%7B%22contact_name%22%3A%22A%22%7D");
        let r = Incoming::new(
            "POST",
            "/books/v3/contacts",
            None,
            headers.clone(),
            body,
            DataCenter::In,
        );
        assert_eq!(r.payload().unwrap()["contact_name"], "A");
        let r = Incoming::new(
            "POST",
            "/books/v3/contacts",
            None,
            headers,
            Bytes::from("contact_name=A"),
            DataCenter::In,
        );
        assert_eq!(r.payload().unwrap_err().code, Some(1038));
        let r = Incoming::new(
            "POST",
            "/x",
            None,
            HeaderMap::new(),
            Bytes::from("{\"a\":1}"),
            DataCenter::In,
        );
        assert_eq!(r.payload().unwrap()["a"], 1);
        let r = Incoming::new(
            "POST",
            "/x",
            None,
            HeaderMap::new(),
            Bytes::from("{oops"),
            DataCenter::In,
        );
        assert_eq!(r.payload().unwrap_err().code, Some(1038));
    }
}
