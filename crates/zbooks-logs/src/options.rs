//! What the caller tells an analysis to assume. Its own module because the crate root (which
//! runs the analysis) and the rules (which read it) both need it: kept in the root, the rules
//! would depend on the module that depends on them.

use std::time::SystemTime;

use zbooks_types::Plan;

/// What the analysis should assume.
#[derive(Clone, Debug, Default)]
pub struct AnalyzeOptions {
    /// The time to project the daily quota from; the last timestamp in the logs when absent.
    pub now: Option<SystemTime>,
    /// The organizations' plan (sets the daily quota and the in-flight limit).
    pub plan: Option<Plan>,
    /// The daily quota, overriding the plan's (Zoho raises it on request).
    pub daily_limit: Option<u32>,
}
