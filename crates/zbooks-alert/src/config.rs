//! The `[alerts]` table of the config file: the grouping window and the channels. A channel's
//! secret (the webhook's signing key, a Slack URL, an SMTP password) is never written in the
//! file: the file names an environment variable holding it (`secret_env`, `url_env`,
//! `password_env`), so the config file can be shared and shown.
//!
//! ```toml
//! [alerts]
//! window_seconds = 900
//!
//! [[alerts.webhook]]
//! url = "https://ops.example.com/zbooks-alerts"
//! secret_env = "ZBOOKS_ALERT_WEBHOOK_SECRET"
//!
//! [[alerts.slack]]
//! url_env = "ZBOOKS_ALERT_SLACK_URL"
//!
//! [[alerts.email]]
//! host = "smtp.example.com"
//! port = 587
//! from = "zbooks@example.com"
//! to = ["books-admin@example.com"]
//! username = "zbooks@example.com"
//! password_env = "ZBOOKS_ALERT_SMTP_PASSWORD"
//! ```

use serde::Deserialize;

use crate::Error;

/// The grouping window when the file names none: 15 minutes.
pub const DEFAULT_WINDOW_SECONDS: u64 = 900;

/// `[alerts]` as written in the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    /// One alert per cause and organization in this many seconds; the rest go in a digest.
    pub window_seconds: Option<u64>,
    /// Signed JSON webhooks.
    #[serde(default)]
    pub webhook: Vec<WebhookConfig>,
    /// Slack-compatible incoming webhooks.
    #[serde(default)]
    pub slack: Vec<SlackConfig>,
    /// SMTP email.
    #[serde(default)]
    pub email: Vec<EmailConfig>,
}

/// `[[alerts.webhook]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// A name for `alert list` (default `webhook`, `webhook-2` …).
    pub name: Option<String>,
    /// Where to POST.
    pub url: String,
    /// The environment variable holding the signing secret.
    pub secret_env: String,
}

/// `[[alerts.slack]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackConfig {
    /// A name for `alert list`.
    pub name: Option<String>,
    /// The environment variable holding the incoming webhook's URL (the URL is the secret).
    pub url_env: String,
}

/// `[[alerts.email]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// A name for `alert list`.
    pub name: Option<String>,
    /// The SMTP server.
    pub host: String,
    /// Its port (587, the submission port, by default).
    pub port: Option<u16>,
    /// `starttls` (the default: the connection is upgraded or refused) or `none`, which only a
    /// server on this machine (`localhost`, `127.0.0.1`, `::1`) may use.
    pub tls: Option<String>,
    /// The sender.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// The SMTP user, if the server asks for one.
    pub username: Option<String>,
    /// The environment variable holding the SMTP password.
    pub password_env: Option<String>,
}

/// The kinds of channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// A JSON webhook signed with HMAC-SHA256.
    Webhook,
    /// A Slack-compatible incoming webhook.
    Slack,
    /// Email over SMTP.
    Email,
}

/// A channel ready to send: its secret resolved.
#[derive(Clone)]
pub struct Channel {
    /// Its name, unique among the channels.
    pub name: String,
    /// What it is, and where it sends.
    pub target: Target,
}

/// Where a channel sends, with the secrets it needs (its `Debug` shows none of them).
#[derive(Clone)]
pub enum Target {
    /// A JSON webhook.
    Webhook {
        /// Where to POST.
        url: String,
        /// The signing key.
        secret: Vec<u8>,
    },
    /// A Slack-compatible incoming webhook.
    Slack {
        /// Its URL (a secret: never shown).
        url: String,
    },
    /// Email.
    Email {
        /// The SMTP server.
        host: String,
        /// Its port.
        port: u16,
        /// Whether STARTTLS is required (`false` only for a server on this machine).
        starttls: bool,
        /// The sender.
        from: String,
        /// The recipients.
        to: Vec<String>,
        /// User and password, if any.
        credentials: Option<(String, String)>,
    },
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Channel({}: {})", self.name, self.describe())
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Target::Webhook { .. } => "Webhook(..)",
            Target::Slack { .. } => "Slack(..)",
            Target::Email { .. } => "Email(..)",
        })
    }
}

impl Channel {
    /// Its kind.
    pub fn kind(&self) -> ChannelKind {
        match self.target {
            Target::Webhook { .. } => ChannelKind::Webhook,
            Target::Slack { .. } => ChannelKind::Slack,
            Target::Email { .. } => ChannelKind::Email,
        }
    }

    /// Where it sends, without any secret: the webhook's URL without its query, Slack's host,
    /// the mail server and recipients.
    pub fn describe(&self) -> String {
        match &self.target {
            Target::Webhook { url, .. } => {
                format!(
                    "signed JSON webhook {}",
                    url.split('?').next().unwrap_or(url)
                )
            }
            Target::Slack { url } => {
                let host = url
                    .split("://")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .unwrap_or("?");
                format!("Slack-compatible webhook at {host} (URL from the environment)")
            }
            Target::Email {
                host,
                port,
                starttls,
                to,
                ..
            } => format!(
                "email to {} via {host}:{port}{}",
                to.join(", "),
                if *starttls {
                    " (STARTTLS)"
                } else {
                    " (no TLS: this machine only)"
                }
            ),
        }
    }
}

impl AlertsConfig {
    /// The grouping window in milliseconds.
    pub fn window_ms(&self) -> i64 {
        i64::try_from(self.window_seconds.unwrap_or(DEFAULT_WINDOW_SECONDS))
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000)
    }

    /// The channels, each secret read through `env` (the caller's gateway to the environment).
    pub fn channels(&self, env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<Channel>, Error> {
        let mut out = Vec::new();
        let name = |given: &Option<String>, kind: &str, index: usize| {
            given.clone().unwrap_or_else(|| {
                if index == 0 {
                    kind.to_owned()
                } else {
                    format!("{kind}-{}", index + 1)
                }
            })
        };
        let secret = |var: &str, what: &str| {
            env(var).filter(|v| !v.is_empty()).ok_or_else(|| {
                Error::Config(format!("{what}: the environment variable {var} is not set"))
            })
        };
        for (i, w) in self.webhook.iter().enumerate() {
            let n = name(&w.name, "webhook", i);
            if !(w.url.starts_with("https://") || w.url.starts_with("http://")) {
                return Err(Error::Config(format!("{n}: url must start with https://")));
            }
            out.push(Channel {
                target: Target::Webhook {
                    url: w.url.clone(),
                    secret: secret(&w.secret_env, &n)?.into_bytes(),
                },
                name: n,
            });
        }
        for (i, s) in self.slack.iter().enumerate() {
            let n = name(&s.name, "slack", i);
            out.push(Channel {
                target: Target::Slack {
                    url: secret(&s.url_env, &n)?,
                },
                name: n,
            });
        }
        for (i, e) in self.email.iter().enumerate() {
            let n = name(&e.name, "email", i);
            let starttls = match e.tls.as_deref() {
                None | Some("starttls") => true,
                Some("none") => {
                    if !matches!(e.host.as_str(), "localhost" | "127.0.0.1" | "::1") {
                        return Err(Error::Config(format!(
                            "{n}: tls = \"none\" sends the mail in clear text; only a server on \
                             this machine may use it (host {} is not)",
                            e.host
                        )));
                    }
                    false
                }
                Some(other) => {
                    return Err(Error::Config(format!(
                        "{n}: tls = {other:?}: use \"starttls\" (or \"none\" for a server on this machine)"
                    )));
                }
            };
            if e.to.is_empty() {
                return Err(Error::Config(format!("{n}: `to` names no recipient")));
            }
            let credentials = match (&e.username, &e.password_env) {
                (Some(user), Some(var)) => Some((user.clone(), secret(var, &n)?)),
                (None, None) => None,
                _ => {
                    return Err(Error::Config(format!(
                        "{n}: give both username and password_env, or neither"
                    )));
                }
            };
            out.push(Channel {
                target: Target::Email {
                    host: e.host.clone(),
                    port: e.port.unwrap_or(587),
                    starttls,
                    from: e.from.clone(),
                    to: e.to.clone(),
                    credentials,
                },
                name: n,
            });
        }
        Ok(out)
    }
}
