//! What Zoho already holds, as an input to validation and planning: an index from natural
//! key to Zoho id, built from one paginated listing per entity (the executor lists with the
//! client and feeds the pages here). A reference is resolvable when its target is in the
//! input or in this index; a record whose key is here is adopted, not created again.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::record::{Entity, NaturalKey, hash_key};

fn key_hash_of(key: &NaturalKey) -> u64 {
    crate::record::key_hash(key)
}

/// Zoho ids by natural key, from listed records (kept as 64-bit key hashes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExistingRecords {
    /// Key hashes (already well mixed: a fast hasher is enough) → ids.
    ids: HashMap<u64, String, rustc_hash::FxBuildHasher>,
    counts: BTreeMap<Entity, u64>,
}

fn slot(entity: Entity, field: &str, value: &str) -> u64 {
    hash_key(entity, field, value)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl ExistingRecords {
    /// An empty index: nothing is in Zoho.
    pub fn new() -> Self {
        ExistingRecords::default()
    }

    /// Indexes one listed record of `entity` under every key field it has (its name or
    /// number, `reference_number`, custom fields). Taxes listed with `tax_type` =
    /// `tax_group` are indexed as tax groups too. Returns whether it had an id.
    pub fn add(&mut self, entity: Entity, record: &Value) -> bool {
        let is_group = entity == Entity::TaxGroup
            || record.get("tax_type").and_then(Value::as_str) == Some("tax_group");
        let id_field = if is_group && entity == Entity::Tax {
            Entity::Tax.id_field()
        } else {
            entity.id_field()
        };
        let Some(id) = record
            .get(id_field)
            .or_else(|| record.get(Entity::TaxGroup.id_field()))
            .and_then(text)
        else {
            return false;
        };
        *self.counts.entry(entity).or_default() += 1;
        let mut entities = vec![entity];
        if is_group && entity == Entity::Tax {
            entities.push(Entity::TaxGroup);
        }
        for e in entities {
            for field in e.key_fields() {
                if let Some(v) = record.get(*field).and_then(text) {
                    self.ids.insert(slot(e, field, &v), id.clone());
                }
            }
            if e == Entity::TaxGroup
                && let Some(v) = record.get(e.resource().name_filter).and_then(text)
            {
                self.ids.insert(slot(e, e.name_field(), &v), id.clone());
            }
            if let Some(map) = record.as_object() {
                for (k, v) in map {
                    if k.starts_with("cf_")
                        && let Some(v) = text(v)
                    {
                        self.ids.insert(slot(e, k, &v), id.clone());
                    }
                }
            }
            if let Some(fields) = record.get("custom_fields").and_then(Value::as_array) {
                for f in fields {
                    let name = f.get("api_name").and_then(Value::as_str);
                    if let (Some(name), Some(v)) = (name, f.get("value").and_then(text)) {
                        self.ids.insert(slot(e, name, &v), id.clone());
                    }
                }
            }
        }
        true
    }

    /// Indexes one page of a list response (`{"code":0,"contacts":[...],"page_context":...}`)
    /// or a bare array of records. Returns how many records it held.
    pub fn add_page(&mut self, entity: Entity, page: &Value) -> usize {
        let list = match page {
            Value::Array(items) => Some(items),
            other => other.get(entity.list_key()).and_then(Value::as_array),
        };
        let Some(list) = list else { return 0 };
        list.iter().filter(|r| self.add(entity, r)).count()
    }

    /// Whether Zoho has a record with the key of this [`key_hash`](crate::record::key_hash):
    /// [`ExistingRecords::contains`] for a caller that already hashed the key.
    pub(crate) fn contains_hash(&self, hash: u64) -> bool {
        self.ids.contains_key(&hash)
    }

    /// The Zoho id of the record with this key, if Zoho has one.
    pub fn id_of(&self, key: &NaturalKey) -> Option<&str> {
        self.ids.get(&key_hash_of(key)).map(String::as_str)
    }

    /// Whether Zoho has a record with this key.
    pub fn contains(&self, key: &NaturalKey) -> bool {
        self.id_of(key).is_some()
    }

    /// How many records of an entity were listed.
    pub fn count(&self, entity: Entity) -> u64 {
        self.counts.get(&entity).copied().unwrap_or(0)
    }

    /// Listed records per entity.
    pub fn counts(&self) -> &BTreeMap<Entity, u64> {
        &self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indexes_a_page_by_every_key_field() {
        let mut ex = ExistingRecords::new();
        let page = json!({"code": 0, "invoices": [
            {"invoice_id": "9001", "invoice_number": "SI/1", "reference_number": "guid-1",
             "cf_source_id": "g1", "custom_fields": [{"api_name": "cf_other", "value": "x"}]},
            {"invoice_number": "no id"}
        ]});
        assert_eq!(ex.add_page(Entity::Invoice, &page), 1);
        assert_eq!(
            ex.id_of(&NaturalKey::named(Entity::Invoice, " si/1 ")),
            Some("9001")
        );
        assert!(ex.contains(&NaturalKey::new(
            Entity::Invoice,
            "reference_number",
            "GUID-1"
        )));
        assert!(ex.contains(&NaturalKey::new(Entity::Invoice, "cf_source_id", "g1")));
        assert!(ex.contains(&NaturalKey::new(Entity::Invoice, "cf_other", "x")));
        assert_eq!(ex.count(Entity::Invoice), 1);
    }

    #[test]
    fn tax_groups_listed_with_taxes_are_found_as_groups() {
        let mut ex = ExistingRecords::new();
        ex.add_page(
            Entity::Tax,
            &json!({"taxes": [
                {"tax_id": "1", "tax_name": "IGST18", "tax_type": "tax"},
                {"tax_id": "2", "tax_name": "GST18", "tax_type": "tax_group"}
            ]}),
        );
        assert_eq!(
            ex.id_of(&NaturalKey::named(Entity::TaxGroup, "GST18")),
            Some("2")
        );
        assert_eq!(
            ex.id_of(&NaturalKey::named(Entity::Tax, "IGST18")),
            Some("1")
        );
    }
}
