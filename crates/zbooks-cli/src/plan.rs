//! The organization's plan, and where zbooks learnt it.
//!
//! The plan sets the daily quota an import plans its days around (zoho-books-reference.md §2):
//! too small a guess spreads an import over days it did not need, too large a one runs into
//! Zoho's code 45 midway. So the plan is taken, in this order, from the user's setting
//! (`ZBOOKS_PLAN` or `plan` in the profile), from Zoho's own word (the `plan_name` of
//! `GET /organizations/{id}`; the simulator serves it as `crates/zbooks-sim/src/choices.rs`
//! says), and only then assumed: the Free plan's 1,000 calls a day, the most careful, with a
//! warning naming the command that sets it. Every command that shows the plan says which.

use serde_json::{Value, json};
use zbooks_client::Method;
use zbooks_client::store::LimitStore as _;
use zbooks_types::resource::ORGANIZATIONS;
use zbooks_types::{Clock as _, Plan, SystemClock};

use crate::context::Context;
use crate::settings::{Settings, Source};

/// Where a plan came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The user's setting: the environment or the config file.
    Setting(Source),
    /// Zoho's answer for the organization.
    Zoho,
    /// Nobody said: the Free plan is assumed, for this reason.
    Assumed(String),
}

/// A plan and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPlan {
    /// The plan.
    pub plan: Plan,
    /// Where it came from.
    pub origin: Origin,
}

impl KnownPlan {
    /// The plan the user set, if any.
    pub fn configured(settings: &Settings) -> Option<KnownPlan> {
        settings.plan.as_ref().map(|p| KnownPlan {
            plan: p.value,
            origin: Origin::Setting(p.source.clone()),
        })
    }

    /// The plan Zoho's `plan_name` (or a textual `plan_type`) names, if it names one.
    pub fn from_zoho(organization: &Value) -> Option<KnownPlan> {
        ["plan_name", "plan_type"]
            .iter()
            .filter_map(|k| organization.get(*k).and_then(Value::as_str))
            .find_map(Plan::from_zoho_text)
            .map(|plan| KnownPlan {
                plan,
                origin: Origin::Zoho,
            })
    }

    /// The Free plan, assumed because of `why`.
    pub fn assumed(why: impl Into<String>) -> KnownPlan {
        KnownPlan {
            plan: Plan::Free,
            origin: Origin::Assumed(why.into()),
        }
    }

    /// "Professional (from Zoho)", "Standard (from config)", "Free (assumed: …)".
    pub fn summary(&self) -> String {
        let name = title(self.plan);
        match &self.origin {
            Origin::Zoho => format!("{name} (from Zoho)"),
            Origin::Setting(Source::File { .. }) => format!("{name} (from config)"),
            Origin::Setting(source) => format!("{name} (from {source})"),
            Origin::Assumed(why) => {
                format!("{name} (assumed: {why}; set it with zbooks config set plan …)")
            }
        }
    }

    /// The warning an assumed plan deserves: what it costs and the command that fixes it.
    pub fn warning(&self) -> Option<String> {
        let Origin::Assumed(why) = &self.origin else {
            return None;
        };
        Some(format!(
            "warning: planning for the Free plan's {} calls a day, because {why}; if the \
             organization's plan is larger, say which: zbooks config set plan professional \
             (free, standard, professional, premium, elite, ultimate)",
            zbooks_types::explain::thousands(self.plan.limits().per_day)
        ))
    }

    /// A short name of the origin, for JSON: `zoho`, `config`, `env` or `assumed`.
    pub fn origin_name(&self) -> &'static str {
        match &self.origin {
            Origin::Zoho => "zoho",
            Origin::Setting(Source::Env { .. }) => "env",
            Origin::Setting(_) => "config",
            Origin::Assumed(_) => "assumed",
        }
    }

    /// The plan as JSON: its name, its daily quota and where it came from.
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.plan.name(),
            "per_day": self.plan.limits().per_day,
            "source": self.origin_name(),
            "assumed_because": match &self.origin {
                Origin::Assumed(why) => Some(why.as_str()),
                _ => None,
            },
        })
    }
}

/// "Professional": a plan's name as Zoho writes it.
pub fn title(plan: Plan) -> String {
    let name = plan.name();
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// The plan of `org`: the user's setting, else Zoho's answer to `GET /organizations/{id}`
/// (kept in the store, so the client's limiter does not ask again), else the Free plan with
/// the reason.
pub async fn read(ctx: &Context, org: &str) -> KnownPlan {
    if let Some(known) = KnownPlan::configured(&ctx.settings) {
        return known;
    }
    let client = match ctx.client() {
        Ok(client) => client,
        Err(err) => return KnownPlan::assumed(format!("Zoho was not asked: {}", err.headline)),
    };
    // Without `organization_id`: the organization is in the path, and a call that names none
    // passes no limiter (whose own first step would be to ask Zoho for the plan).
    let answer = client
        .request(Method::GET, &format!("{}/{org}", ORGANIZATIONS.path))
        .without_organization()
        .send_json()
        .await;
    let body = match answer {
        Ok(body) => body,
        Err(err) => {
            return KnownPlan::assumed(format!(
                "Zoho could not be asked ({})",
                zbooks_types::scrub(&err.to_string())
            ));
        }
    };
    let Some(known) = body
        .get(ORGANIZATIONS.singular)
        .and_then(KnownPlan::from_zoho)
    else {
        return KnownPlan::assumed("Zoho did not say");
    };
    if let Err(err) = ctx
        .store
        .save_plan(org, known.plan, SystemClock.now())
        .await
    {
        tracing::warn!(target: "zbooks::cli", organization_id = org, error = %err, "cannot keep the plan in the store");
    }
    known
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn each_origin_says_where_the_plan_came_from() {
        let zoho =
            KnownPlan::from_zoho(&json!({"plan_name": "PROFESSIONAL", "plan_type": 130})).unwrap();
        assert_eq!(zoho.summary(), "Professional (from Zoho)");
        assert_eq!(zoho.warning(), None);
        let file = KnownPlan {
            plan: Plan::Standard,
            origin: Origin::Setting(Source::File {
                path: PathBuf::from("/c.toml"),
                profile: "default".to_owned(),
            }),
        };
        assert_eq!(file.summary(), "Standard (from config)");
        let env = KnownPlan {
            plan: Plan::Premium,
            origin: Origin::Setting(Source::Env { var: "ZBOOKS_PLAN" }),
        };
        assert_eq!(env.summary(), "Premium (from env ZBOOKS_PLAN)");
        assert_eq!(env.origin_name(), "env");
        let assumed = KnownPlan::assumed("Zoho did not say");
        assert_eq!(
            assumed.summary(),
            "Free (assumed: Zoho did not say; set it with zbooks config set plan …)"
        );
        let warning = assumed.warning().unwrap();
        assert!(warning.contains("1,000 calls a day"), "{warning}");
        assert!(warning.contains("zbooks config set plan"), "{warning}");
        assert_eq!(assumed.to_json()["source"], "assumed");
    }

    #[test]
    fn an_answer_naming_no_plan_is_no_plan() {
        assert_eq!(KnownPlan::from_zoho(&json!({"name": "Acme"})), None);
        assert_eq!(KnownPlan::from_zoho(&json!({"plan_name": ""})), None);
        assert_eq!(
            KnownPlan::from_zoho(&json!({"plan_type": "BOOKS_ELITE"})).map(|k| k.plan),
            Some(Plan::Elite)
        );
    }
}
