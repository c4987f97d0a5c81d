//! What Zoho holds, read with list calls: the existence check before a run (one paginated
//! listing per entity, never a lookup per record), the lookup by natural key that settles a
//! create that may have landed before anything is sent again (docs/design.md promise 5), and the
//! read-back after a run that the reconciliation report compares with the input.

use std::collections::{BTreeSet, HashSet};
use std::pin::pin;

use futures_util::StreamExt as _;
use serde_json::Value;
use zbooks_client::{Client, Error, ListQuery, Method};

use crate::existing::ExistingRecords;
use crate::record::{Entity, NaturalKey, Record, key_hash};

/// The path records of an entity are listed at: tax groups are listed with the taxes
/// (`GET /settings/taxes`, `tax_type` = `tax_group`; the resource table's `listed_with`).
pub fn list_path(entity: Entity) -> &'static str {
    entity.resource().listing().path
}

/// The entity whose listing holds records of `entity` (tax groups: the taxes').
pub fn listed_as(entity: Entity) -> Entity {
    entity.resource().listed_with.unwrap_or(entity)
}

/// Lists every record of `entity` (page after page, 200 a page) and hands each one to `f`.
/// Returns how many there were.
pub async fn list_each(
    client: &Client,
    entity: Entity,
    mut f: impl FnMut(Value),
) -> Result<u64, Error> {
    if entity == Entity::OpeningBalance {
        return Ok(match opening_balance(client, None).await? {
            Some(found) => {
                f(found);
                1
            }
            None => 0,
        });
    }
    let mut n = 0;
    let resource = client.resource::<Value>(listed_as(entity).resource());
    let mut stream = pin!(resource.list_all(ListQuery::new()));
    while let Some(item) = stream.next().await {
        f(item?);
        n += 1;
    }
    Ok(n)
}

/// The existence check: one paginated listing per entity the records touch (their own
/// entities and the entities they refer to), indexed by natural key. `on_listed` hears each
/// entity as its listing ends, with how many records it held.
pub async fn list_existing(
    client: &Client,
    entities: &BTreeSet<Entity>,
    mut on_listed: impl FnMut(Entity, u64),
) -> Result<ExistingRecords, Error> {
    let mut existing = ExistingRecords::new();
    let mut done: HashSet<Entity> = HashSet::new();
    for entity in entities {
        let listed = listed_as(*entity);
        if !done.insert(listed) {
            continue;
        }
        let n = list_each(client, listed, |record| {
            existing.add(listed, &record);
        })
        .await?;
        on_listed(listed, n);
    }
    Ok(existing)
}

/// The organization's opening balance (`GET /settings/openingbalances`, wrapped as
/// `opening_balance`): there is one or none, never a list. An answer without an
/// `opening_balance_id` (nothing saved yet) and a 404 both read as none. `key`, when given,
/// is the create this read stands before (for `logs analyze`).
pub async fn opening_balance(
    client: &Client,
    key: Option<&NaturalKey>,
) -> Result<Option<Value>, Error> {
    let mut request = client.request(Method::GET, Entity::OpeningBalance.path());
    if let Some(key) = key {
        request = request.lookup_of(format!("{}={}", key.field, key.value));
    }
    let body = match request.send_json().await {
        Ok(body) => body,
        Err(e) if e.status() == Some(404) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(body
        .get(Entity::OpeningBalance.resource().singular)
        .filter(|ob| {
            ob.get(Entity::OpeningBalance.id_field())
                .is_some_and(|id| !id.is_null() && id.as_str() != Some(""))
        })
        .cloned())
}

/// The filter parameter that finds a key's field in a listing: the resource table's
/// `name_filter` for the name field (a tax group's name is the taxes' `tax_name`), the field
/// itself otherwise.
fn filter_param(key: &NaturalKey) -> &str {
    let resource = key.entity.resource();
    if key.field == resource.name_field {
        resource.name_filter
    } else {
        &key.field
    }
}

/// Looks a record up in Zoho by its natural key, then by its aliases: its id when Zoho has it.
/// Zoho's filter is only trusted to narrow; the match itself is exact (trimmed, any case),
/// as [`ExistingRecords`] compares.
pub async fn lookup(client: &Client, record: &Record) -> Result<Option<String>, Error> {
    for key in record.keys() {
        if key.value.trim().is_empty() {
            continue;
        }
        let listed = listed_as(key.entity);
        if key.entity == Entity::OpeningBalance {
            let mut found = ExistingRecords::new();
            if let Some(ob) = opening_balance(client, Some(key)).await? {
                found.add(Entity::OpeningBalance, &ob);
            }
            if let Some(id) = found.id_of(key) {
                return Ok(Some(id.to_owned()));
            }
            continue;
        }
        let body = client
            .request(Method::GET, list_path(key.entity))
            .query(filter_param(key), key.value.clone())
            .query("per_page", "200")
            // Written as the create writes its key, so `logs analyze` pairs the two.
            .lookup_of(format!("{}={}", key.field, key.value))
            .send_json()
            .await?;
        let mut found = ExistingRecords::new();
        found.add_page(listed, &body);
        if let Some(id) = found.id_of(key) {
            return Ok(Some(id.to_owned()));
        }
    }
    Ok(None)
}

/// Reads back, with one listing per entity, the records of the input's entities that carry
/// amounts, keeping only those whose natural key (or an alias) is one of the input's — what
/// [`crate::compare`] needs to tick the input off against Zoho.
pub async fn read_back(client: &Client, records: &[Record]) -> Result<Vec<(Entity, Value)>, Error> {
    let mut keys: HashSet<u64> = HashSet::new();
    let mut fields: Vec<(Entity, String)> = Vec::new();
    let mut entities: BTreeSet<Entity> = BTreeSet::new();
    for r in records.iter().filter(|r| r.amounts.is_some()) {
        entities.insert(r.entity);
        for k in r.keys() {
            keys.insert(key_hash(k));
            if !fields.iter().any(|(e, f)| *e == k.entity && *f == k.field) {
                fields.push((k.entity, k.field.clone()));
            }
        }
    }
    let mut out = Vec::new();
    for entity in entities {
        list_each(client, entity, |record| {
            let ours = fields.iter().filter(|(e, _)| *e == entity).any(|(_, f)| {
                text_of(&record, f).is_some_and(|v| {
                    keys.contains(&key_hash(&NaturalKey::new(entity, f.clone(), v)))
                })
            });
            if ours {
                out.push((entity, record));
            }
        })
        .await?;
    }
    Ok(out)
}

fn text_of(record: &Value, field: &str) -> Option<String> {
    match record.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
        Some(Value::Number(n)) => return Some(n.to_string()),
        _ => {}
    }
    record
        .get("custom_fields")
        .and_then(Value::as_array)?
        .iter()
        .find(|f| f.get("api_name").and_then(Value::as_str) == Some(field))
        .and_then(|f| f.get("value"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Marks sent each invoice of `ids` that Zoho lists as a draft: one listing of the drafts
/// (`GET /invoices?status=draft`), then `POST /invoices/{id}/status/sent` for each of ours.
/// A re-run finds none left and sends nothing but the listing.
pub async fn post_drafts(client: &Client, ids: &[String]) -> Result<usize, Error> {
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut drafts = Vec::new();
    let resource = client.resource::<Value>(Entity::Invoice.resource());
    let mut stream = pin!(resource.list_all(ListQuery::new().param("status", "draft")));
    while let Some(item) = stream.next().await {
        let item = item?;
        let id = match item.get(Entity::Invoice.id_field()) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        if wanted.contains(id.as_str()) {
            drafts.push(id);
        }
    }
    for id in &drafts {
        client
            .request(Method::POST, &format!("/invoices/{id}/status/sent"))
            .send_json()
            .await?;
    }
    Ok(drafts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_groups_are_listed_and_found_with_the_taxes() {
        assert_eq!(list_path(Entity::TaxGroup), "/settings/taxes");
        assert_eq!(listed_as(Entity::TaxGroup), Entity::Tax);
        let k = NaturalKey::named(Entity::TaxGroup, "GST18");
        assert_eq!(filter_param(&k), "tax_name");
        let k = NaturalKey::named(Entity::Invoice, "SI/1");
        assert_eq!(filter_param(&k), "invoice_number");
    }

    #[test]
    fn reads_keys_from_custom_fields() {
        let r = serde_json::json!({"custom_fields": [{"api_name": "cf_src", "value": "g1"}]});
        assert_eq!(text_of(&r, "cf_src").as_deref(), Some("g1"));
        assert_eq!(text_of(&r, "cf_other"), None);
    }
}
