//! Zoho's accounts server: `/oauth/v2/token` (authorization-code and refresh grants) and
//! `/oauth/v2/token/revoke`.
//!
//! Like Zoho's, it answers errors with HTTP 200 and an `error` key (reference §1.3, §1.5): a
//! client must read the body, not the status. Parameters come in the query string or a form
//! body (§3.2). The token throttle and the active-token cap follow §3.3.

use serde_json::json;

use crate::http::request::Incoming;
use crate::rules::reply::Reply;
use crate::state::Shared;
use crate::store::auth::TokenOutcome;
use crate::store::lock;

/// The `api_domain` of a data center: the simulator's address, with the data center's prefix
/// unless it is the default one (request.rs).
pub(crate) fn api_domain(shared: &Shared, dc: zbooks_types::DataCenter) -> String {
    if dc == shared.settings.default_dc {
        shared.base_url.clone()
    } else {
        format!("{}/dc/{}", shared.base_url, dc.name())
    }
}

/// Answers one accounts-server request.
pub(crate) fn handle(shared: &Shared, inc: &Incoming) -> Reply {
    if inc.method != "POST" {
        return Reply::json(405, &json!({"error": "invalid_request"}));
    }
    let params = inc.form_and_query();
    let get = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let now = shared.clock.now();
    let seed = shared.seed();
    if inc.norm.ends_with("/revoke") {
        let token = get("token");
        if token.is_empty() {
            return Reply::json(200, &json!({"error": "invalid_request"}));
        }
        lock(&shared.auth).revoke(token);
        shared.touch();
        let reply = Reply::json(200, &json!({"status": "success"}));
        return reply;
    }
    let settings = &shared.settings;
    let outcome = {
        let mut auth = lock(&shared.auth);
        match get("grant_type") {
            "refresh_token" => auth.refresh_grant(
                inc.dc,
                get("client_id"),
                get("client_secret"),
                get("refresh_token"),
                now,
                settings.minute,
                settings.token_lifetime,
                seed,
            ),
            "authorization_code" => auth.code_grant(
                inc.dc,
                get("client_id"),
                get("client_secret"),
                get("code"),
                now,
                settings.token_lifetime,
                seed,
            ),
            _ => TokenOutcome::Error("unsupported_grant_type"),
        }
    };
    let mut journal = lock(&shared.journal);
    journal.counters.token_requests += 1;
    let reply = match outcome {
        TokenOutcome::Granted {
            access_token,
            refresh_token,
            expires_in,
            dc,
        } => {
            let mut body = json!({
                "access_token": access_token,
                "api_domain": api_domain(shared, dc),
                "token_type": "Bearer",
                "expires_in": expires_in,
            });
            if let Some(refresh) = refresh_token {
                body["refresh_token"] = json!(refresh);
            }
            Reply::json(200, &body)
        }
        TokenOutcome::Error(error) => Reply::json(200, &json!({"error": error})),
        TokenOutcome::Throttled => {
            journal.counters.token_throttled += 1;
            Reply::json(
                200,
                &json!({
                    "error_description": "You have made too many requests continuously. Please try again after some time.",
                    "error": "Access Denied",
                    "status": "failure",
                }),
            )
        }
    };
    drop(journal);
    shared.touch();
    reply
}
