//! Clock skew against the server's `Date`: token expiry and the daily quota's reset are
//! reckoned on this machine's clock.

use std::time::{Duration, SystemTime};

use zbooks_types::{Clock as _, SystemClock};

use crate::commands::auth::human;
use crate::exit;

use super::check::Check;

/// Clock skew that earns a warning, and a failure.
const SKEW_WARN: Duration = Duration::from_mins(1);
const SKEW_FAIL: Duration = Duration::from_mins(5);

/// Check 10, the clock: its skew against `server_date`, the first `Date` the API sent.
pub(super) fn clock(server_date: Option<SystemTime>) -> Check {
    let now = SystemClock.now();
    match server_date {
        Some(server) => {
            let (skew, ahead) = match now.duration_since(server) {
                Ok(d) => (d, "ahead of"),
                Err(e) => (e.duration(), "behind"),
            };
            let text = format!("this machine is {} {ahead} the server's Date", human(skew));
            if skew >= SKEW_FAIL {
                Check::fail(
                    "clock",
                    exit::USAGE,
                    text,
                    "set the clock right (NTP): token expiry and the daily quota's reset are \
                     reckoned on it",
                )
            } else if skew >= SKEW_WARN {
                Check::warn("clock", text, "sync the clock (NTP)")
            } else {
                Check::pass("clock", "within a minute of the server's Date")
            }
        }
        None => Check::skip("clock", "the API sent no Date header"),
    }
}
