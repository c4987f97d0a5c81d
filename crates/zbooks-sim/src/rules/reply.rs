//! One answer of the simulator, before it becomes an HTTP response, with what the request log
//! needs to know about it (Zoho's `code`, the natural keys it created, whether it was a
//! refused duplicate or an unmatched route).
//!
//! Errors are answers too: every refusal is built here in Zoho's flat `{code, message}` shape
//! (reference §1.2), so no handler can invent another shape; the one known exception, 6024 with
//! its `error_info` list of organizations, is built in books.rs.

use bytes::Bytes;
use serde_json::{Value, json};

use crate::choices;

/// An answer to one request.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Bytes,
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Zoho's `code` in the body, when the body has one.
    pub(crate) code: Option<i64>,
    /// Natural keys of the records this request created (`invoices:invoice_number=INV-000001`).
    pub(crate) created: Vec<String>,
    pub(crate) unmatched: bool,
    pub(crate) duplicate: bool,
    /// The organization the request reached, once known.
    pub(crate) organization_id: Option<String>,
    /// Answer nothing: reset the connection (a stall that ran out, a reset fault).
    pub(crate) drop_connection: bool,
}

/// A handler's result: an answer either way.
pub(crate) type Answer = Result<Reply, Reply>;

impl Reply {
    /// A JSON answer; its `code` is read from the body.
    pub(crate) fn json(status: u16, value: &Value) -> Reply {
        let code = value.get("code").and_then(Value::as_i64);
        Reply {
            status,
            body: Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
            content_type: "application/json;charset=UTF-8",
            headers: Vec::new(),
            code,
            created: Vec::new(),
            unmatched: false,
            duplicate: false,
            organization_id: None,
            drop_connection: false,
        }
    }

    /// A JSON answer already serialized, with its Zoho `code`.
    pub(crate) fn json_bytes(status: u16, code: i64, body: Bytes) -> Reply {
        Reply {
            status,
            body,
            content_type: "application/json;charset=UTF-8",
            headers: Vec::new(),
            code: Some(code),
            created: Vec::new(),
            unmatched: false,
            duplicate: false,
            organization_id: None,
            drop_connection: false,
        }
    }

    /// A body that is not JSON (a gateway page, a broken body).
    pub(crate) fn raw(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            body: body.into(),
            content_type,
            headers: Vec::new(),
            code: None,
            created: Vec::new(),
            unmatched: false,
            duplicate: false,
            organization_id: None,
            drop_connection: false,
        }
    }

    /// Zoho's error envelope: `{"code": code, "message": message}`.
    pub(crate) fn zoho(status: u16, code: i64, message: impl Into<String>) -> Reply {
        Reply::json(status, &json!({"code": code, "message": message.into()}))
    }

    /// 400 / 2 `Invalid value passed for <param>` (reference §1.4, \[C\]).
    pub(crate) fn invalid(param: &str) -> Reply {
        Reply::zoho(
            choices::BAD_REQUEST_STATUS,
            2,
            format!("Invalid value passed for {param}"),
        )
    }

    /// 404 / 1002 `<Resource> does not exist.` (reference §1.4, \[C\]).
    pub(crate) fn not_found(label: &str) -> Reply {
        Reply::zoho(
            choices::NOT_FOUND_STATUS,
            1002,
            format!("{label} does not exist."),
        )
    }

    /// A refused duplicate, counted as such.
    pub(crate) fn duplicate(code: i64, message: impl Into<String>) -> Reply {
        let mut reply = Reply::zoho(choices::BAD_REQUEST_STATUS, code, message);
        reply.duplicate = true;
        reply
    }

    /// 400 / 1038 `JSON is not well formed` (reference §1.4, \[O\]).
    pub(crate) fn malformed_json() -> Reply {
        Reply::zoho(choices::BAD_REQUEST_STATUS, 1038, "JSON is not well formed")
    }

    /// 401 / 14: no usable `Authorization` header (reference §1.4, \[O\]).
    pub(crate) fn unauthenticated() -> Reply {
        Reply::zoho(
            401,
            14,
            "The request could not be authenticated as the authentication value you entered is invalid. Enter a valid authentication value and try again.",
        )
    }

    /// 401 / 57: expired, revoked, wrong-data-center or wrong-scope token (reference §1.4, \[O\]).
    pub(crate) fn not_authorized() -> Reply {
        Reply::zoho(401, 57, "You are not authorized to perform this operation")
    }

    /// A loud 404 for a route the simulator does not know (choices.rs).
    pub(crate) fn unmatched() -> Reply {
        let mut reply = Reply::zoho(404, choices::UNMATCHED_CODE, choices::UNMATCHED_MESSAGE);
        reply.unmatched = true;
        reply.headers.push((
            choices::UNMATCHED_HEADER.0,
            choices::UNMATCHED_HEADER.1.to_owned(),
        ));
        reply
    }

    /// A loud 405 for a known path called with the wrong method (choices.rs).
    pub(crate) fn method_not_allowed() -> Reply {
        let mut reply = Reply::zoho(
            405,
            choices::METHOD_NOT_ALLOWED_CODE,
            choices::METHOD_NOT_ALLOWED_MESSAGE,
        );
        reply.unmatched = true;
        reply.headers.push((
            choices::UNMATCHED_HEADER.0,
            choices::UNMATCHED_HEADER.1.to_owned(),
        ));
        reply
    }
}
