//! Zoho Books plans and the API limits each one carries.
//!
//! Every organization may make 100 calls a minute whatever its plan; the daily quota and the
//! number of calls in flight at once depend on the plan. Source: zoho-books-reference.md §2
//! ("API Call Limit" and "Concurrent Rate Limiter" on Zoho's v3 introduction page, \[C\]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Calls a minute per organization, on every plan.
pub const CALLS_PER_MINUTE: u32 = 100;

/// A Zoho Books plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// Free: 1,000 calls a day, 5 in flight.
    Free,
    /// Standard: 2,000 calls a day.
    Standard,
    /// Professional: 5,000 calls a day.
    Professional,
    /// Premium: 10,000 calls a day.
    Premium,
    /// Elite: 10,000 calls a day.
    Elite,
    /// Ultimate: 10,000 calls a day.
    Ultimate,
}

/// The limits an organization on a plan lives within.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Calls a minute (HTTP 429, code 44 beyond it; the organization is blocked for the rest
    /// of the minute).
    pub per_minute: u32,
    /// Calls a day (HTTP 429, code 45 beyond it).
    pub per_day: u32,
    /// Calls in flight at once (HTTP 429, code 1070 beyond it). Zoho calls the paid plans'
    /// 10 a "soft limit".
    pub in_flight: u32,
}

impl Plan {
    /// Every plan, cheapest first.
    pub const ALL: [Plan; 6] = [
        Plan::Free,
        Plan::Standard,
        Plan::Professional,
        Plan::Premium,
        Plan::Elite,
        Plan::Ultimate,
    ];

    /// The plan's limits.
    pub fn limits(self) -> Limits {
        let per_day = match self {
            Plan::Free => 1_000,
            Plan::Standard => 2_000,
            Plan::Professional => 5_000,
            Plan::Premium | Plan::Elite | Plan::Ultimate => 10_000,
        };
        let in_flight = if self == Plan::Free { 5 } else { 10 };
        Limits {
            per_minute: CALLS_PER_MINUTE,
            per_day,
            in_flight,
        }
    }

    /// Lower-case name (`free`, `standard`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Standard => "standard",
            Plan::Professional => "professional",
            Plan::Premium => "premium",
            Plan::Elite => "elite",
            Plan::Ultimate => "ultimate",
        }
    }

    /// The plan whose daily quota is `per_day`, taking the cheapest where several share it.
    /// Used to read the plan back from a code-45 message ("... rate limit of 5,000").
    pub fn from_daily_limit(per_day: u32) -> Option<Plan> {
        Plan::ALL
            .into_iter()
            .find(|p| p.limits().per_day == per_day)
    }

    /// Guesses the plan from the `plan_name` or `plan_type` text of `GET /organizations`
    /// (for example "Professional", "BOOKS_PREMIUM", "Standard - Yearly"); `None` when no plan
    /// name appears in it.
    pub fn from_zoho_text(text: &str) -> Option<Plan> {
        let lower = text.to_ascii_lowercase();
        Plan::ALL
            .into_iter()
            .rev()
            .find(|p| lower.contains(p.name()))
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The input named no plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown plan {input:?}; valid plans are free, standard, professional, premium, elite, ultimate"
)]
pub struct ParsePlanError {
    /// What was given.
    pub input: String,
}

impl FromStr for Plan {
    type Err = ParsePlanError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let lower = input.trim().to_ascii_lowercase();
        Plan::ALL
            .into_iter()
            .find(|p| p.name() == lower)
            .ok_or_else(|| ParsePlanError {
                input: input.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_zoho_intro_page() {
        assert_eq!(
            Plan::Free.limits(),
            Limits {
                per_minute: 100,
                per_day: 1000,
                in_flight: 5
            }
        );
        assert_eq!(Plan::Standard.limits().per_day, 2000);
        assert_eq!(Plan::Professional.limits().per_day, 5000);
        for p in [Plan::Premium, Plan::Elite, Plan::Ultimate] {
            assert_eq!(p.limits().per_day, 10_000);
            assert_eq!(p.limits().in_flight, 10);
        }
    }

    #[test]
    fn reads_plan_from_daily_limit_and_text() {
        assert_eq!(Plan::from_daily_limit(5000), Some(Plan::Professional));
        assert_eq!(Plan::from_daily_limit(10_000), Some(Plan::Premium));
        assert_eq!(Plan::from_daily_limit(7), None);
        assert_eq!(Plan::from_zoho_text("BOOKS_PREMIUM"), Some(Plan::Premium));
        assert_eq!(Plan::from_zoho_text("Free"), Some(Plan::Free));
        assert_eq!("Elite".parse::<Plan>(), Ok(Plan::Elite));
        assert!("gold".parse::<Plan>().is_err());
    }
}
