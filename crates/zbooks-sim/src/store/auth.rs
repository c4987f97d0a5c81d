//! Users, their self-clients, refresh and access tokens and grant codes: what Zoho's accounts
//! server knows, and the checks the Books API makes on every token.
//!
//! Every user, client and token carries a data center. A token is good only on its own data
//! center's API, and only for the scopes it was granted (reference §3.5: items, taxes and
//! organizations live under `ZohoBooks.settings.*`, journals and accounts under
//! `ZohoBooks.accountants.*`; `ZohoBooks.fullaccess.all` covers everything).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use zbooks_types::DataCenter;

use crate::choices;

/// A Zoho user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct User {
    pub(crate) user_id: String,
    pub(crate) dc: DataCenter,
}

/// A self-client registered by a user in one data center.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ClientApp {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) user_id: String,
    pub(crate) dc: DataCenter,
}

/// A refresh token and what hangs off it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct RefreshToken {
    pub(crate) client_id: String,
    pub(crate) user_id: String,
    pub(crate) dc: DataCenter,
    pub(crate) scopes: Vec<String>,
    pub(crate) revoked: bool,
    /// When its access-token requests were made (the throttle window).
    #[serde(default)]
    pub(crate) requests: VecDeque<SystemTime>,
    /// Its live access tokens, oldest first.
    #[serde(default)]
    pub(crate) access: VecDeque<String>,
    /// Order of creation, to find the oldest.
    pub(crate) serial: u64,
}

/// An access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AccessToken {
    pub(crate) refresh: String,
    pub(crate) user_id: String,
    pub(crate) dc: DataCenter,
    pub(crate) expires_at: SystemTime,
}

/// A one-time grant code minted through the control API.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct GrantCode {
    pub(crate) client_id: String,
    pub(crate) user_id: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) expires_at: SystemTime,
}

/// Everything the accounts server knows.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct AuthState {
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) clients: BTreeMap<String, ClientApp>,
    pub(crate) refresh: HashMap<String, RefreshToken>,
    pub(crate) access: HashMap<String, AccessToken>,
    pub(crate) codes: HashMap<String, GrantCode>,
    /// Tokens minted so far: part of every new token's text, so tokens are unique and
    /// deterministic for a seed.
    pub(crate) minted: u64,
}

/// Why a token was refused by the API (all answer 401/57; kept apart for tests and logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Unknown,
    Expired,
    WrongDataCenter,
    Scope,
}

/// What the token endpoint answers (reference §1.5, §3.2).
#[derive(Debug)]
pub(crate) enum TokenOutcome {
    Granted {
        access_token: String,
        refresh_token: Option<String>,
        expires_in: u64,
        dc: DataCenter,
    },
    Error(&'static str),
    Throttled,
}

/// The operation a method performs, in Zoho's scope grammar.
pub(crate) fn operation_of(method: &str) -> &'static str {
    match method {
        "POST" => "CREATE",
        "PUT" => "UPDATE",
        "DELETE" => "DELETE",
        _ => "READ",
    }
}

/// Whether `scopes` allow `operation` on the scope `family` (reference §3.5).
pub(crate) fn scopes_allow(scopes: &[String], family: &str, operation: &str) -> bool {
    scopes.iter().any(|scope| {
        let mut parts = scope.trim().split('.');
        let (Some(product), Some(fam), Some(op)) = (parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        if !product.eq_ignore_ascii_case("ZohoBooks") {
            return false;
        }
        if fam.eq_ignore_ascii_case("fullaccess") {
            return op.eq_ignore_ascii_case("all");
        }
        fam.eq_ignore_ascii_case(family)
            && (op.eq_ignore_ascii_case(operation) || op.eq_ignore_ascii_case("all"))
    })
}

impl AuthState {
    fn next_serial(&mut self) -> u64 {
        self.minted += 1;
        self.minted
    }

    /// A new token text. Never shaped like a real Zoho token (`1000.<32 hex>.<32 hex>`).
    fn token_text(&mut self, kind: &str, seed: u64) -> String {
        let n = self.next_serial();
        format!("1000.sim{kind}.{seed:x}n{n:06}")
    }

    /// Adds a refresh token for a user's client, revoking the oldest past the cap.
    pub(crate) fn add_refresh(
        &mut self,
        token: String,
        client_id: &str,
        user_id: &str,
        dc: DataCenter,
        scopes: Vec<String>,
    ) {
        let serial = self.next_serial();
        let live: Vec<(u64, String)> = self
            .refresh
            .iter()
            .filter(|(_, r)| !r.revoked && r.client_id == client_id && r.user_id == user_id)
            .map(|(t, r)| (r.serial, t.clone()))
            .collect();
        if live.len() >= choices::ACTIVE_REFRESH_TOKENS
            && let Some((_, oldest)) = live.into_iter().min()
        {
            self.revoke(&oldest);
        }
        self.refresh.insert(
            token,
            RefreshToken {
                client_id: client_id.to_owned(),
                user_id: user_id.to_owned(),
                dc,
                scopes,
                revoked: false,
                requests: VecDeque::new(),
                access: VecDeque::new(),
                serial,
            },
        );
    }

    /// Revokes a refresh token (and its access tokens) or an access token.
    pub(crate) fn revoke(&mut self, token: &str) {
        if let Some(refresh) = self.refresh.get_mut(token) {
            refresh.revoked = true;
            for access in std::mem::take(&mut refresh.access) {
                self.access.remove(&access);
            }
        } else {
            self.access.remove(token);
        }
    }

    /// Mints a grant code for a user's client.
    pub(crate) fn mint_code(
        &mut self,
        client_id: &str,
        scopes: Vec<String>,
        expires_at: SystemTime,
        seed: u64,
    ) -> Option<String> {
        let user_id = self.clients.get(client_id)?.user_id.clone();
        let code = self.token_text("code", seed);
        self.codes.insert(
            code.clone(),
            GrantCode {
                client_id: client_id.to_owned(),
                user_id,
                scopes,
                expires_at,
            },
        );
        Some(code)
    }

    fn client_ok(&self, dc: DataCenter, client_id: &str, secret: &str) -> bool {
        self.clients
            .get(client_id)
            .is_some_and(|c| c.dc == dc && c.client_secret == secret)
    }

    /// The token endpoint's `refresh_token` grant.
    #[expect(
        clippy::too_many_arguments,
        reason = "the grant's parameters, named as Zoho names them"
    )]
    pub(crate) fn refresh_grant(
        &mut self,
        dc: DataCenter,
        client_id: &str,
        secret: &str,
        refresh_token: &str,
        now: SystemTime,
        minute: Duration,
        lifetime: Duration,
        seed: u64,
    ) -> TokenOutcome {
        if !self.client_ok(dc, client_id, secret) {
            return TokenOutcome::Error("invalid_client");
        }
        match self.refresh.get(refresh_token) {
            Some(r) if !r.revoked && r.client_id == client_id => {}
            _ => return TokenOutcome::Error("invalid_code"),
        }
        let window = minute * choices::TOKEN_WINDOW_MINUTES;
        let refresh = self.refresh.get_mut(refresh_token).expect("checked above");
        while refresh
            .requests
            .front()
            .is_some_and(|t| now.duration_since(*t).unwrap_or_default() >= window)
        {
            refresh.requests.pop_front();
        }
        if refresh.requests.len() >= choices::TOKEN_REQUESTS_PER_WINDOW {
            return TokenOutcome::Throttled;
        }
        refresh.requests.push_back(now);
        let access_token = self.mint_access(refresh_token, now, lifetime, seed);
        TokenOutcome::Granted {
            access_token,
            refresh_token: None,
            expires_in: lifetime.as_secs(),
            dc,
        }
    }

    /// The token endpoint's `authorization_code` grant.
    #[expect(
        clippy::too_many_arguments,
        reason = "the grant's parameters, named as Zoho names them"
    )]
    pub(crate) fn code_grant(
        &mut self,
        dc: DataCenter,
        client_id: &str,
        secret: &str,
        code: &str,
        now: SystemTime,
        lifetime: Duration,
        seed: u64,
    ) -> TokenOutcome {
        if !self.client_ok(dc, client_id, secret) {
            return TokenOutcome::Error("invalid_client");
        }
        // Single use: the code is gone whatever the outcome below.
        let Some(grant) = self.codes.remove(code) else {
            return TokenOutcome::Error("invalid_code");
        };
        if grant.client_id != client_id || now >= grant.expires_at {
            return TokenOutcome::Error("invalid_code");
        }
        let refresh_token = self.token_text("refresh", seed);
        self.add_refresh(
            refresh_token.clone(),
            client_id,
            &grant.user_id,
            dc,
            grant.scopes,
        );
        if let Some(r) = self.refresh.get_mut(&refresh_token) {
            r.requests.push_back(now);
        }
        let access_token = self.mint_access(&refresh_token, now, lifetime, seed);
        TokenOutcome::Granted {
            access_token,
            refresh_token: Some(refresh_token),
            expires_in: lifetime.as_secs(),
            dc,
        }
    }

    fn mint_access(
        &mut self,
        refresh_token: &str,
        now: SystemTime,
        lifetime: Duration,
        seed: u64,
    ) -> String {
        let token = self.token_text("access", seed);
        let refresh = self.refresh.get_mut(refresh_token).expect("caller checked");
        refresh.access.push_back(token.clone());
        let dropped = if refresh.access.len() > choices::ACTIVE_ACCESS_TOKENS {
            refresh.access.pop_front()
        } else {
            None
        };
        let (user_id, dc) = (refresh.user_id.clone(), refresh.dc);
        if let Some(old) = dropped {
            self.access.remove(&old);
        }
        self.access.insert(
            token.clone(),
            AccessToken {
                refresh: refresh_token.to_owned(),
                user_id,
                dc,
                expires_at: now + lifetime,
            },
        );
        token
    }

    /// The user behind an access token presented to `dc`'s API for `family`/`operation`.
    pub(crate) fn check(
        &self,
        token: &str,
        dc: DataCenter,
        family: &str,
        operation: &str,
        now: SystemTime,
    ) -> Result<&str, TokenProblem> {
        let access = self.access.get(token).ok_or(TokenProblem::Unknown)?;
        if now >= access.expires_at {
            return Err(TokenProblem::Expired);
        }
        if access.dc != dc {
            return Err(TokenProblem::WrongDataCenter);
        }
        let refresh = self
            .refresh
            .get(&access.refresh)
            .ok_or(TokenProblem::Unknown)?;
        if !scopes_allow(&refresh.scopes, family, operation) {
            return Err(TokenProblem::Scope);
        }
        Ok(&access.user_id)
    }

    /// Expires one access token, or every one.
    pub(crate) fn expire(&mut self, token: Option<&str>, now: SystemTime) {
        match token {
            Some(t) => {
                if let Some(a) = self.access.get_mut(t) {
                    a.expires_at = now;
                }
            }
            None => {
                for a in self.access.values_mut() {
                    a.expires_at = now;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_zoho_families() {
        let full = vec!["ZohoBooks.fullaccess.all".to_owned()];
        assert!(scopes_allow(&full, "accountants", "DELETE"));
        let read = vec![
            "ZohoBooks.contacts.READ".to_owned(),
            "ZohoBooks.settings.ALL".to_owned(),
        ];
        assert!(scopes_allow(&read, "contacts", "READ"));
        assert!(!scopes_allow(&read, "contacts", "CREATE"));
        assert!(scopes_allow(&read, "settings", "CREATE"));
        assert!(!scopes_allow(&read, "invoices", "READ"));
        assert!(!scopes_allow(&["garbage".to_owned()], "invoices", "READ"));
    }

    #[test]
    fn tokens_never_look_like_real_zoho_tokens() {
        let mut auth = AuthState::default();
        let t = auth.token_text("access", 0xdead_beef);
        assert!(t.starts_with("1000.simaccess."), "{t}");
        let parts: Vec<&str> = t.split('.').collect();
        assert!(!(parts.len() == 3 && parts[1].len() == 32));
    }
}
