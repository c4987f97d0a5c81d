//! The plan, computed before the first call: the order of creation (taxes and accounts →
//! contacts → items → invoices and bills → payments and journals), the exact number of calls
//! (one create per record not already in Zoho, plus the listing calls of the existence
//! checks: one page of 200 per started 200 existing records of each entity touched), the time
//! at the organization's per-minute limit, and the days of daily quota it needs, leaving room
//! for the organization's other integrations when a daily budget is given.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zbooks_types::Limits;

use crate::existing::ExistingRecords;
use crate::record::{Entity, Record};
use crate::validate::Validation;

/// Zoho's largest page (zoho-books-reference.md §5.3).
pub const PAGE_SIZE: u64 = 200;

/// Options of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOptions {
    /// The organization's limits (its plan's: `Plan::limits()`).
    pub limits: Limits,
    /// Calls a day this import may use, when less than the plan's quota (the rest is left to
    /// the organization's other integrations).
    pub daily_budget: Option<u32>,
}

/// The plan for one entity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityPlan {
    /// The entity.
    pub entity: Option<Entity>,
    /// Records to create.
    pub to_create: u64,
    /// Records already in Zoho (found by natural key): adopted, not created.
    pub existing: u64,
    /// Records held back by validation.
    pub held_back: u64,
    /// Records of this entity listed in Zoho for the existence check.
    pub listed: u64,
    /// Listing calls: one per page of 200, at least one when the entity is touched.
    pub listing_calls: u64,
}

impl EntityPlan {
    /// Calls for this entity.
    pub fn calls(&self) -> u64 {
        self.to_create + self.listing_calls
    }
}

/// The plan of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPlan {
    /// Per entity, in the order of creation.
    pub entities: Vec<EntityPlan>,
    /// Input positions of the records to create, in the order to create them.
    pub order: Vec<usize>,
    /// Calls in all.
    pub calls: u64,
    /// Calls a minute the organization allows.
    pub per_minute: u32,
    /// Calls a day this import may use.
    pub per_day: u32,
    /// Time at the per-minute limit, ignoring the daily quota (in JSON: seconds).
    #[serde(
        rename = "at_rate_seconds",
        alias = "at_rate",
        with = "crate::output::seconds"
    )]
    pub at_rate: Duration,
    /// Days of daily quota needed (1 when it fits in one day's budget; 0 with nothing to do).
    pub days: u64,
}

/// Builds a plan record by record (so that a streamed input needs no list of records).
#[derive(Clone, Debug, Default)]
pub struct Planner {
    entities: BTreeMap<Entity, EntityPlan>,
    order: Vec<(usize, usize)>,
}

impl Planner {
    /// An empty plan.
    pub fn new() -> Self {
        Planner::default()
    }

    /// Counts one record at input position `index`.
    pub fn add(&mut self, index: usize, record: &Record, valid: bool, existing: &ExistingRecords) {
        let e = self.entities.entry(record.entity).or_default();
        e.entity = Some(record.entity);
        if !valid {
            e.held_back += 1;
        } else if record.keys().any(|k| existing.contains(k)) {
            e.existing += 1;
        } else {
            e.to_create += 1;
            self.order.push((record.entity.rank(), index));
        }
    }

    /// The plan, given what the listings found and the organization's limits.
    pub fn finish(mut self, existing: &ExistingRecords, options: &PlanOptions) -> ImportPlan {
        let mut entities = Vec::new();
        let mut calls = 0;
        for (entity, mut e) in std::mem::take(&mut self.entities) {
            if e.to_create + e.existing == 0 {
                e.listing_calls = 0;
            } else {
                e.listed = existing.count(entity);
                e.listing_calls = e.listed.div_ceil(PAGE_SIZE).max(1);
            }
            calls += e.calls();
            entities.push(e);
        }
        self.order.sort_by_key(|(rank, index)| (*rank, *index));
        let per_minute = options.limits.per_minute.max(1);
        let per_day = options
            .daily_budget
            .map_or(options.limits.per_day, |b| b.min(options.limits.per_day))
            .max(1);
        let at_rate = Duration::from_secs(calls.saturating_mul(60).div_ceil(u64::from(per_minute)));
        ImportPlan {
            entities,
            order: self.order.into_iter().map(|(_, i)| i).collect(),
            calls,
            per_minute,
            per_day,
            at_rate,
            days: calls.div_ceil(u64::from(per_day)),
        }
    }
}

/// Plans the import of records held in memory.
pub fn plan(
    records: &[Record],
    validation: &Validation,
    existing: &ExistingRecords,
    options: &PlanOptions,
) -> ImportPlan {
    let mut p = Planner::new();
    for (i, r) in records.iter().enumerate() {
        p.add(i, r, validation.is_valid(i), existing);
    }
    p.finish(existing, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;
    use crate::problem::Report;
    use crate::record::NaturalKey;
    use crate::validate::{ValidateOptions, validate};
    use serde_json::json;
    use zbooks_types::Plan;

    #[test]
    fn counts_creates_listings_minutes_and_days() {
        let mut records = Vec::new();
        for i in 0..450 {
            records.push(Record::new(
                Entity::Contact,
                NaturalKey::named(Entity::Contact, format!("C{i}")),
                json!({"contact_name": format!("C{i}")}),
                Location::new("c.jsonl", i + 1),
            ));
        }
        records.push(Record::new(
            Entity::Tax,
            NaturalKey::named(Entity::Tax, "IGST18"),
            json!({"tax_name": "IGST18", "tax_percentage": "18"}),
            Location::new("c.jsonl", 999),
        ));
        let mut existing = ExistingRecords::new();
        for i in 0..401 {
            existing.add(
                Entity::Contact,
                &json!({"contact_id": i.to_string(), "contact_name": format!("Old{i}")}),
            );
        }
        existing.add(
            Entity::Contact,
            &json!({"contact_id": "x", "contact_name": "C0"}),
        );
        let v = validate(
            &records,
            &Report::default(),
            &existing,
            ValidateOptions::default(),
        );
        let p = plan(
            &records,
            &v,
            &existing,
            &PlanOptions {
                limits: Plan::Free.limits(),
                daily_budget: Some(300),
            },
        );
        // 449 contacts to create + ceil(402/200) = 3 listings; 1 tax + 1 listing.
        assert_eq!(p.calls, 449 + 3 + 1 + 1);
        assert_eq!(p.entities[0].entity, Some(Entity::Tax));
        assert_eq!(p.order[0], 450, "the tax comes first");
        assert_eq!(p.at_rate, Duration::from_secs(454 * 60 / 100 + 1));
        assert_eq!(p.days, 2);
        assert_eq!(p.per_day, 300);
    }
}
