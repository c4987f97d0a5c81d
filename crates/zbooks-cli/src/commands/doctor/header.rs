//! The `Authorization` header: the one zbooks sends is accepted (and what Zoho makes of
//! `Bearer`), and the one the user's own code sends is checked without sending it (reference
//! §3.4).

use zbooks_client::oauth::AuthScheme;
use zbooks_client::{Client, Method};

use crate::exit;

use super::check::Check;
use zbooks_types::resource::ORGANIZATIONS;

/// Check 7, the header zbooks sends: accepted when GET /organizations answered (`listed`),
/// and what Zoho makes of `Bearer` on the same call.
pub(super) async fn zbooks_header(client: &Client, listed: bool) -> Check {
    let bearer = client
        .probe(Method::GET, ORGANIZATIONS.path, &[], AuthScheme::Bearer)
        .await;
    match (listed, bearer) {
        (true, Ok(answer)) if answer.failure.is_some() => Check::pass(
            "header",
            format!(
                "zbooks sends `Authorization: Zoho-oauthtoken <token>`, which Zoho accepted; it \
                 refused `Bearer <token>` with HTTP {}{}",
                answer.status,
                answer
                    .failure
                    .as_ref()
                    .and_then(|f| f.code)
                    .map(|c| format!("/{c}"))
                    .unwrap_or_default()
            ),
        ),
        (true, _) => Check::pass(
            "header",
            "zbooks sends `Authorization: Zoho-oauthtoken <token>`, which Zoho accepted",
        ),
        (false, _) => Check::skip("header", "needs GET /organizations to answer"),
    }
}

/// The `Authorization` header a user's own code sends, checked without sending it.
pub(super) fn check_user_header(header: &str) -> Check {
    let value = header
        .trim()
        .strip_prefix("Authorization:")
        .or_else(|| header.trim().strip_prefix("authorization:"))
        .unwrap_or(header)
        .trim();
    let mut parts = value.splitn(2, ' ');
    let scheme = parts.next().unwrap_or_default();
    let token = parts.next().unwrap_or_default().trim();
    let shown = if token.is_empty() {
        String::new()
    } else {
        " <token>".to_owned()
    };
    let fix = "write the header as `Authorization: Zoho-oauthtoken <access token>` \
               (https://www.zoho.com/books/api/v3/oauth): Zoho answers any other scheme with 401 \
               and code 14";
    if scheme == "Zoho-oauthtoken" && !token.is_empty() && !token.contains(' ') {
        return Check::pass(
            "your header",
            "`Authorization: Zoho-oauthtoken <token>`: the scheme Zoho wants",
        );
    }
    if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' ') {
        // Zoho Accounts' "Using the access token" page gives `Bearer` beside `Zoho-oauthtoken`
        // for every Zoho REST API, and published Books clients send it; Books' own pages only
        // ever write `Zoho-oauthtoken` (reference §3.4). Accepted, with the documented form named.
        return Check::warn(
            "your header",
            format!(
                "your header is `Authorization: {scheme}{shown}`: Zoho Accounts documents Bearer \
                 for Zoho's APIs, but every Books page writes `Zoho-oauthtoken`"
            ),
            "if Zoho answers 401 with code 14, write the header as `Authorization: \
             Zoho-oauthtoken <access token>` (https://www.zoho.com/books/api/v3/oauth)",
        );
    }
    let problem = if scheme.eq_ignore_ascii_case("zoho-authtoken") {
        "your header uses `Zoho-authtoken`, the deprecated authtoken scheme".to_owned()
    } else if scheme.eq_ignore_ascii_case("zoho-oauthtoken") && !token.is_empty() {
        format!(
            "your header's scheme is written `{scheme}`; Zoho's examples write `Zoho-oauthtoken`"
        )
    } else if token.is_empty() {
        "your header has no scheme, or no token after it".to_owned()
    } else {
        format!("your header uses the scheme `{scheme}`")
    };
    Check::fail("your header", exit::AUTH, problem, fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::doctor::check::Status;

    #[test]
    fn user_headers_are_checked_by_scheme() {
        assert_eq!(
            check_user_header("Authorization: Zoho-oauthtoken sim.abc").status,
            Status::Pass
        );
        let bearer = check_user_header("Authorization: Bearer 1000.canarytoken");
        assert_eq!(bearer.status, Status::Warn);
        assert!(!bearer.summary.contains("canary"), "{}", bearer.summary);
        assert!(bearer.fix.unwrap().contains("Zoho-oauthtoken"));
        let basic = check_user_header("Authorization: Basic 1000.canarytoken");
        assert_eq!(basic.status, Status::Fail);
        assert!(!basic.summary.contains("canary"), "{}", basic.summary);
        assert_eq!(check_user_header("1000.abc").status, Status::Fail);
        assert_eq!(check_user_header("Zoho-authtoken abc").status, Status::Fail);
    }
}
