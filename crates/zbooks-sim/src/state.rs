//! The state one simulator shares between its connections: settings, clock, the accounts
//! server's knowledge, the organizations, faults, the request log, and the state file.
//!
//! Nothing here is global: each running simulator owns one `Shared`, so a test process can run
//! many simulators side by side. Each part has its own lock, held only for sync work.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use zbooks_types::DataCenter;

use crate::SimError;
use crate::control::config::{Scenario, SimConfig};
use crate::control::log::Journal;
use crate::faults::FaultState;
use crate::rules::reply::Reply;
use crate::rules::validate::Lenient;
use crate::store::auth::AuthState;
use crate::store::seed;
use crate::store::{LimitState, OrgCell, OrgData, OrgMeta, lock};
use crate::time::SimClock;

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) minute: Duration,
    pub(crate) day: Duration,
    pub(crate) token_lifetime: Duration,
    pub(crate) grant_code_lifetime: Duration,
    pub(crate) limits_enabled: bool,
    pub(crate) rate_limit_headers: bool,
    pub(crate) stall: Duration,
    pub(crate) default_dc: DataCenter,
    pub(crate) log_capacity: usize,
}

/// Everything one running simulator shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) settings: Settings,
    pub(crate) clock: SimClock,
    pub(crate) seed: AtomicU64,
    pub(crate) auth: Mutex<AuthState>,
    pub(crate) orgs: RwLock<HashMap<String, Arc<OrgCell>>>,
    pub(crate) ids: AtomicU64,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) journal: Mutex<Journal>,
    pub(crate) scenario: Mutex<Scenario>,
    /// The scenario's lenient request checks (validate.rs), read on every write.
    pub(crate) lenient: AtomicU8,
    pub(crate) dirty: AtomicBool,
    pub(crate) base_url: String,
    pub(crate) state_file: Option<PathBuf>,
    /// Workflow rules with webhook actions, and their deliveries.
    pub(crate) webhooks: crate::webhooks::Webhooks,
}

/// The state file's content (version 1). A newer simulator reading an older version starts
/// afresh rather than guess; an older one refuses a newer version the same way.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    seed: u64,
    next_id: u64,
    auth: AuthState,
    organizations: Vec<OrgSnapshot>,
    scenario: Scenario,
}

#[derive(Serialize, Deserialize)]
struct OrgSnapshot {
    meta: OrgMeta,
    data: OrgData,
}

/// [`Snapshot`] as written.
#[derive(Serialize)]
struct SnapshotOut<'a> {
    version: u32,
    seed: u64,
    next_id: u64,
    auth: &'a AuthState,
    organizations: Vec<OrgOut<'a>>,
    scenario: &'a Scenario,
}

#[derive(Serialize)]
struct OrgOut<'a> {
    meta: &'a OrgMeta,
    data: Box<RawValue>,
}

const SNAPSHOT_VERSION: u32 = 1;

impl Shared {
    /// A fresh simulator state for `config`, answering at `base_url`.
    pub(crate) fn new(config: &SimConfig, base_url: String) -> Result<Shared, SimError> {
        let scenario = config.scenario.clone().unwrap_or_default();
        let seed = scenario.seed.unwrap_or(config.seed);
        let clock = SimClock::new(config.clock.clone());
        let ids = AtomicU64::new(seed::first_id(seed));
        let (auth, orgs) = seed::world(&scenario, clock.now(), &ids);
        let shared = Shared {
            settings: Settings {
                minute: config.minute.max(Duration::from_millis(1)),
                day: config.day.max(Duration::from_millis(1)),
                token_lifetime: config.token_lifetime,
                grant_code_lifetime: config.grant_code_lifetime,
                limits_enabled: config.limits_enabled,
                rate_limit_headers: config.rate_limit_headers,
                stall: config.stall,
                default_dc: config.default_dc,
                log_capacity: config.request_log_capacity,
            },
            clock,
            seed: AtomicU64::new(seed),
            auth: Mutex::new(auth),
            orgs: RwLock::new(orgs),
            ids,
            faults: Mutex::new(FaultState::new(scenario.faults.clone(), seed)),
            journal: Mutex::new(Journal::default()),
            lenient: AtomicU8::new(Lenient::from_checks(&scenario.lenient).0),
            scenario: Mutex::new(scenario),
            dirty: AtomicBool::new(false),
            base_url,
            state_file: config.state_file.clone(),
            webhooks: crate::webhooks::Webhooks::default(),
        };
        if let Some(path) = &shared.state_file
            && path.exists()
        {
            shared.load(path)?;
        }
        Ok(shared)
    }

    /// The organization with this id.
    pub(crate) fn org(&self, id: &str) -> Option<Arc<OrgCell>> {
        self.orgs
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    /// Every organization, by id.
    pub(crate) fn all_orgs(&self) -> Vec<Arc<OrgCell>> {
        let mut orgs: Vec<Arc<OrgCell>> = self
            .orgs
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        orgs.sort_by(|a, b| a.meta.organization_id.cmp(&b.meta.organization_id));
        orgs
    }

    /// The request checks the scenario made lenient.
    pub(crate) fn lenient(&self) -> Lenient {
        Lenient(self.lenient.load(Ordering::Relaxed))
    }

    /// The current seed.
    pub(crate) fn seed(&self) -> u64 {
        self.seed.load(Ordering::Relaxed)
    }

    /// Back to the seeded world, with `scenario` (or the current one) applied; the log,
    /// counters and fault counts start again.
    pub(crate) fn reset(&self, scenario: Option<Scenario>, base_seed: u64) {
        let scenario = match scenario {
            Some(s) => {
                *lock(&self.scenario) = s.clone();
                s
            }
            None => lock(&self.scenario).clone(),
        };
        let seed = scenario.seed.unwrap_or(base_seed);
        self.seed.store(seed, Ordering::Relaxed);
        self.ids.store(seed::first_id(seed), Ordering::Relaxed);
        let (auth, orgs) = seed::world(&scenario, self.clock.now(), &self.ids);
        *lock(&self.auth) = auth;
        *self
            .orgs
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = orgs;
        self.lenient
            .store(Lenient::from_checks(&scenario.lenient).0, Ordering::Relaxed);
        *lock(&self.faults) = FaultState::new(scenario.faults, seed);
        *lock(&self.journal) = Journal::default();
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// Ends every organization's current minute window now.
    pub(crate) fn end_minute(&self) {
        for org in self.all_orgs() {
            let mut l = lock(&org.limits);
            l.minute_start = None;
            l.minute_count = 0;
            l.blocked = false;
        }
    }

    /// Ends every organization's current day window now.
    pub(crate) fn end_day(&self) {
        for org in self.all_orgs() {
            let mut l = lock(&org.limits);
            l.day_start = None;
            l.day_count = 0;
        }
    }

    /// Sets how many calls an organization has made today (to reach the daily quota without
    /// making them); `false` when the organization is unknown.
    pub(crate) fn set_calls_today(&self, org: &str, calls: u32) -> bool {
        let Some(org) = self.org(org) else {
            return false;
        };
        let now = self.clock.now();
        let mut l = lock(&org.limits);
        roll(&mut l, now, self.settings.minute, self.settings.day);
        l.day_count = calls;
        true
    }

    /// Admits one call to an organization within its limits (reference §2), or answers the
    /// 429 Zoho would. The returned guard holds the in-flight slot.
    pub(crate) fn admit(&self, org: &Arc<OrgCell>) -> Result<InFlight, Reply> {
        if !self.settings.limits_enabled {
            return Ok(InFlight(None));
        }
        let limits = org.meta.plan.limits();
        let now = self.clock.now();
        let mut l = lock(&org.limits);
        roll(&mut l, now, self.settings.minute, self.settings.day);
        if l.blocked || l.minute_count >= limits.per_minute {
            l.blocked = true;
            return Err(Reply::zoho(
                429,
                44,
                "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.",
            ));
        }
        if l.day_count >= limits.per_day {
            return Err(Reply::zoho(
                429,
                45,
                format!(
                    "The API call for this organization has exceeded the maximum call rate limit of {}.",
                    thousands(limits.per_day)
                ),
            ));
        }
        if l.in_flight >= limits.in_flight {
            return Err(Reply::zoho(
                429,
                1070,
                "You have reached the maximum number of in process requests allowed. Kindly try again after some time.",
            ));
        }
        l.minute_count += 1;
        l.day_count += 1;
        l.in_flight += 1;
        Ok(InFlight(Some(org.clone())))
    }

    /// The `X-Rate-Limit-*` headers for an organization (choices.rs).
    pub(crate) fn rate_headers(&self, org: &OrgCell) -> Vec<(&'static str, String)> {
        if !self.settings.rate_limit_headers || !self.settings.limits_enabled {
            return Vec::new();
        }
        let per_day = org.meta.plan.limits().per_day;
        let now = self.clock.now();
        let l = lock(&org.limits);
        let reset = l.day_start.map_or(self.settings.day, |start| {
            (start + self.settings.day)
                .duration_since(now)
                .unwrap_or_default()
        });
        vec![
            ("x-rate-limit-limit", per_day.to_string()),
            (
                "x-rate-limit-remaining",
                per_day.saturating_sub(l.day_count).to_string(),
            ),
            ("x-rate-limit-reset", reset.as_secs().to_string()),
        ]
    }

    /// Writes the state file now (atomically: a temporary file renamed over it).
    pub(crate) fn save(&self) -> Result<(), SimError> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        self.dirty.store(false, Ordering::Relaxed);
        let state_error = |e: serde_json::Error| SimError::State(e.to_string());
        // Each organization's books are written under its own lock, straight to text (never
        // through a `serde_json::Value` of every record).
        let orgs = self.all_orgs();
        let mut organizations = Vec::with_capacity(orgs.len());
        for org in &orgs {
            let data = serde_json::to_string(&*lock(&org.data)).map_err(state_error)?;
            organizations.push(OrgOut {
                meta: &org.meta,
                data: RawValue::from_string(data).map_err(state_error)?,
            });
        }
        let text = {
            let auth = lock(&self.auth);
            let scenario = lock(&self.scenario);
            serde_json::to_vec(&SnapshotOut {
                version: SNAPSHOT_VERSION,
                seed: self.seed(),
                next_id: self.ids.load(Ordering::Relaxed),
                auth: &auth,
                organizations,
                scenario: &scenario,
            })
            .map_err(state_error)?
        };
        let tmp = path.with_extension("json.tmp");
        write_private(&tmp, &text)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| SimError::State(format!("cannot write {}: {e}", path.display())))
    }

    fn load(&self, path: &PathBuf) -> Result<(), SimError> {
        let text = std::fs::read(path)
            .map_err(|e| SimError::State(format!("cannot read {}: {e}", path.display())))?;
        let snapshot: Snapshot = serde_json::from_slice(&text)
            .map_err(|e| SimError::State(format!("{}: {e}", path.display())))?;
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(SimError::State(format!(
                "{}: state version {} is not {SNAPSHOT_VERSION}; remove the file to start afresh",
                path.display(),
                snapshot.version
            )));
        }
        self.seed.store(snapshot.seed, Ordering::Relaxed);
        self.ids.store(snapshot.next_id, Ordering::Relaxed);
        *lock(&self.auth) = snapshot.auth;
        let mut orgs = HashMap::new();
        for OrgSnapshot { meta, mut data } in snapshot.organizations {
            data.reindex(&meta.unique_custom_fields);
            orgs.insert(
                meta.organization_id.clone(),
                Arc::new(OrgCell {
                    meta,
                    data: Mutex::new(data),
                    limits: Mutex::new(LimitState::default()),
                    computed: Mutex::default(),
                }),
            );
        }
        *self
            .orgs
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = orgs;
        *lock(&self.faults) = FaultState::new(snapshot.scenario.faults.clone(), snapshot.seed);
        self.lenient.store(
            Lenient::from_checks(&snapshot.scenario.lenient).0,
            Ordering::Relaxed,
        );
        *lock(&self.scenario) = snapshot.scenario;
        Ok(())
    }

    /// A request changed the state.
    pub(crate) fn touch(&self) {
        if self.state_file.is_some() {
            self.dirty.store(true, Ordering::Relaxed);
        }
    }
}

/// Starts new windows when the current ones are over.
fn roll(l: &mut LimitState, now: SystemTime, minute: Duration, day: Duration) {
    let over = |start: Option<SystemTime>, len: Duration| {
        start.is_none_or(|s| now.duration_since(s).unwrap_or_default() >= len)
    };
    if over(l.minute_start, minute) {
        l.minute_start = Some(now);
        l.minute_count = 0;
        l.blocked = false;
    }
    if over(l.day_start, day) {
        l.day_start = Some(now);
        l.day_count = 0;
    }
}

/// `5000` → `5,000`, as Zoho writes the quota in code 45's message (reference §1.4, \[O\]).
pub(crate) fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Holds an organization's in-flight slot until dropped.
#[derive(Debug)]
pub(crate) struct InFlight(Option<Arc<OrgCell>>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(org) = &self.0 {
            let mut l = lock(&org.limits);
            l.in_flight = l.in_flight.saturating_sub(1);
        }
    }
}

/// Writes `text` to a file only its owner can read: the state holds the sandbox's client
/// secrets and tokens. Created with that mode, and narrowed if it was there before.
fn write_private(path: &Path, text: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    #[cfg(unix)]
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path)?;
    #[cfg(unix)]
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_quota_with_thousands_separators() {
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
