//! What `zbooks auth login` keeps per profile: the self client's id and secret, the refresh
//! token, the data center and `api_domain` the accounts server named, the scopes asked for and
//! when. And the per-organization call times behind `zbooks quota`'s "calls this minute".
//!
//! Both live in the same owner-only file as the token cache (mode 0600): the refresh token and
//! client secret are as sensitive as the access tokens, and every zbooks process on the
//! machine must see the same login and the same counts. Secrets come back as [`Secret`]s and
//! are never part of an error message.

use std::time::{Duration, SystemTime};

use rusqlite::{OptionalExtension, params};
use zbooks_client::store::StoreResult;
use zbooks_client::{Credentials, store::TokenKey};
use zbooks_types::Secret;

use crate::{SqliteStore, at, ms};

/// A login kept for one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCredentials {
    /// The profile it belongs to.
    pub profile: String,
    /// The self client's id.
    pub client_id: String,
    /// The self client's secret.
    pub client_secret: Secret,
    /// The refresh token.
    pub refresh_token: Secret,
    /// The data center's short name (`in`), when the `api_domain` named one.
    pub data_center: Option<String>,
    /// The accounts server the login used.
    pub accounts_url: String,
    /// The `api_domain` of the token response.
    pub api_domain: Option<String>,
    /// The organization chosen at login, if any.
    pub organization_id: Option<String>,
    /// The scopes asked for, comma-separated.
    pub scopes: String,
    /// When the login happened.
    pub created_at: SystemTime,
}

impl StoredCredentials {
    /// The client's credentials.
    pub fn credentials(&self) -> Credentials {
        Credentials::refresh_token(
            self.client_id.clone(),
            self.client_secret.clone(),
            self.refresh_token.clone(),
        )
    }
}

/// How long call times are kept for "calls this minute".
const CALL_TIMES_KEPT: Duration = Duration::from_mins(1);

impl SqliteStore {
    /// Keeps a login for its profile, replacing the one before.
    ///
    /// # Errors
    ///
    /// A store error.
    pub async fn save_credentials(&self, c: &StoredCredentials) -> StoreResult<()> {
        let c = c.clone();
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO credentials (profile, client_id, client_secret, refresh_token, \
                 data_center, accounts_url, api_domain, organization_id, scopes, created_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                 ON CONFLICT(profile) DO UPDATE SET client_id = ?2, client_secret = ?3, \
                 refresh_token = ?4, data_center = ?5, accounts_url = ?6, api_domain = ?7, \
                 organization_id = ?8, scopes = ?9, created_at_ms = ?10",
                params![
                    c.profile,
                    c.client_id,
                    // The one place a refresh token leaves memory: into the owner-only file.
                    c.client_secret.expose(),
                    c.refresh_token.expose(),
                    c.data_center,
                    c.accounts_url,
                    c.api_domain,
                    c.organization_id,
                    c.scopes,
                    ms(c.created_at),
                ],
            )
            .map(drop)
        })
        .await
    }

    /// The login kept for `profile`, if any.
    ///
    /// # Errors
    ///
    /// A store error.
    pub async fn load_credentials(&self, profile: &str) -> StoreResult<Option<StoredCredentials>> {
        let profile = profile.to_owned();
        self.run(move |conn| {
            conn.query_row(
                "SELECT profile, client_id, client_secret, refresh_token, data_center, \
                 accounts_url, api_domain, organization_id, scopes, created_at_ms \
                 FROM credentials WHERE profile = ?1",
                params![profile],
                |r| {
                    Ok(StoredCredentials {
                        profile: r.get(0)?,
                        client_id: r.get(1)?,
                        client_secret: Secret::new(r.get::<_, String>(2)?),
                        refresh_token: Secret::new(r.get::<_, String>(3)?),
                        data_center: r.get(4)?,
                        accounts_url: r.get(5)?,
                        api_domain: r.get(6)?,
                        organization_id: r.get(7)?,
                        scopes: r.get(8)?,
                        created_at: at(r.get(9)?),
                    })
                },
            )
            .optional()
        })
        .await
    }

    /// Forgets the login of `profile`; `true` when there was one.
    ///
    /// # Errors
    ///
    /// A store error.
    pub async fn delete_credentials(&self, profile: &str) -> StoreResult<bool> {
        let profile = profile.to_owned();
        self.run(move |conn| {
            conn.execute(
                "DELETE FROM credentials WHERE profile = ?1",
                params![profile],
            )
            .map(|n| n > 0)
        })
        .await
    }

    /// Forgets the cached access token and token-request state of `key`.
    ///
    /// # Errors
    ///
    /// A store error.
    pub async fn forget_token(&self, key: &TokenKey) -> StoreResult<()> {
        let key = key.as_str().to_owned();
        self.run(move |conn| {
            for table in ["tokens", "token_state", "token_requests"] {
                conn.execute(&format!("DELETE FROM {table} WHERE key = ?1"), params![key])?;
            }
            Ok(())
        })
        .await
    }

    /// Calls to `organization_id` admitted since `since`, by every process sharing the store
    /// (kept for one minute).
    ///
    /// # Errors
    ///
    /// A store error.
    pub async fn calls_since(&self, organization_id: &str, since: SystemTime) -> StoreResult<u32> {
        let org = organization_id.to_owned();
        let since = ms(since);
        self.run(move |conn| {
            conn.query_row(
                "SELECT COUNT(*) FROM org_calls WHERE organization_id = ?1 AND at_ms > ?2",
                params![org, since],
                |r| r.get(0),
            )
        })
        .await
    }

    /// Every organization the store has limits for, in id order.
    ///
    /// # Errors
    ///
    /// A store error.
    pub async fn organizations(&self) -> StoreResult<Vec<String>> {
        self.run(|conn| {
            let mut stmt =
                conn.prepare("SELECT organization_id FROM org_limits ORDER BY organization_id")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })
        .await
    }
}

/// Records an admitted call's time (its pacing slot) and drops the times older than a minute.
pub(crate) fn record_call(
    conn: &rusqlite::Connection,
    organization_id: &str,
    at_ms: i64,
) -> rusqlite::Result<()> {
    let keep = i64::try_from(CALL_TIMES_KEPT.as_millis()).unwrap_or(i64::MAX);
    conn.execute(
        "DELETE FROM org_calls WHERE organization_id = ?1 AND at_ms <= ?2",
        params![organization_id, at_ms.saturating_sub(keep)],
    )?;
    conn.execute(
        "INSERT INTO org_calls (organization_id, at_ms) VALUES (?1, ?2)",
        params![organization_id, at_ms],
    )
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zbooks_client::store::{DailyPolicy, LimitStore, PacingPolicy};

    fn sample() -> StoredCredentials {
        StoredCredentials {
            profile: "default".to_owned(),
            client_id: "1000.CLIENT".to_owned(),
            client_secret: Secret::new("sim-secret-canary-0000"),
            refresh_token: Secret::new("1000.refresh.canary.0000"),
            data_center: Some("in".to_owned()),
            accounts_url: "https://accounts.zoho.in".to_owned(),
            api_domain: Some("https://www.zohoapis.in".to_owned()),
            organization_id: None,
            scopes: "ZohoBooks.fullaccess.all".to_owned(),
            created_at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        }
    }

    #[tokio::test]
    async fn credentials_round_trip_and_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("s.db")).unwrap();
        assert_eq!(store.load_credentials("default").await.unwrap(), None);
        store.save_credentials(&sample()).await.unwrap();
        let mut other = sample();
        other.profile = "other".to_owned();
        other.client_id = "1000.OTHER".to_owned();
        store.save_credentials(&other).await.unwrap();
        let loaded = store.load_credentials("default").await.unwrap().unwrap();
        assert_eq!(loaded, sample());
        assert!(!format!("{loaded:?}").contains("canary"));
        assert!(store.delete_credentials("default").await.unwrap());
        assert!(!store.delete_credentials("default").await.unwrap());
        assert_eq!(
            store
                .load_credentials("other")
                .await
                .unwrap()
                .unwrap()
                .client_id,
            "1000.OTHER"
        );
    }

    #[tokio::test]
    async fn counts_calls_of_the_last_minute() {
        let store = SqliteStore::open_in_memory().unwrap();
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let pacing = Some(PacingPolicy {
            interval: Duration::from_millis(1),
            burst: 100,
        });
        let daily = Some(DailyPolicy {
            limit: 1000,
            day: Duration::from_hours(24),
        });
        for i in 0..3 {
            store
                .admit("1", t0 + Duration::from_secs(i * 20), pacing, daily)
                .await
                .unwrap();
        }
        let now = t0 + Duration::from_secs(70);
        store.admit("1", now, pacing, daily).await.unwrap();
        // The calls at 0 s and 20 s... only 20 s, 40 s and 70 s are within a minute of 70 s.
        let since = now - Duration::from_mins(1);
        assert_eq!(store.calls_since("1", since).await.unwrap(), 3);
        assert_eq!(store.organizations().await.unwrap(), ["1"]);
    }
}
