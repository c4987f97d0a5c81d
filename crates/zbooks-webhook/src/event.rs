//! What a delivery is about: its module (the entity's singular key, `invoice`), the record's id,
//! its `last_modified_time`, and the key that makes a repeat of it a duplicate. Zoho's default
//! payload puts the record under its singular module key (`{"invoice": {…}}`), with ids and
//! amounts that may be numbers; the parse is lenient (a strict one made real deliveries fail
//! with 422: docs/zoho-webhooks.md), and a body it cannot read is keyed by its hash.

use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// A delivery's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventKey {
    /// The module: `invoice`, `contact`, or `unknown`.
    pub module: String,
    /// The record's id, as a string.
    pub entity_id: Option<String>,
    /// The record's `last_modified_time`, when it has one.
    pub modified: Option<String>,
    /// The organization, when the body or the query names it.
    pub organization_id: Option<String>,
    /// The idempotency key: module, id, modification time and the body's SHA-256 (two edits
    /// within the same second have the same `last_modified_time`, a retry has the same body),
    /// else the body's SHA-256 alone.
    pub key: String,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads what `body` (JSON, or form pairs) is about; `query_org` is an `organization_id` the
/// URL carried.
pub fn identify(body: &[u8], form: &[(String, String)], query_org: Option<&str>) -> EventKey {
    let hash = {
        let digest = Sha256::digest(body);
        let hex: String = digest.iter().fold(String::new(), |mut s, b| {
            s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
            s
        });
        format!("sha256:{hex}")
    };
    let mut key = EventKey {
        module: "unknown".to_owned(),
        entity_id: None,
        modified: None,
        organization_id: query_org.map(str::to_owned),
        key: hash,
    };
    if let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(body) {
        if key.organization_id.is_none() {
            key.organization_id = top.get("organization_id").and_then(text);
        }
        // The entity: the one object-valued key (besides the organization's).
        let entities: Vec<(&String, &serde_json::Map<String, Value>)> = top
            .iter()
            .filter_map(|(k, v)| v.as_object().map(|o| (k, o)))
            .collect();
        if let [(module, record)] = entities.as_slice() {
            key.module.clone_from(module);
            key.entity_id = record.get(&format!("{module}_id")).and_then(text);
            key.modified = record.get("last_modified_time").and_then(text);
        }
    } else {
        let get = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        if let Some(module) = get("module").or_else(|| get("entity")) {
            key.entity_id = get(&format!("{module}_id"));
            key.module = module;
        }
        key.modified = get("last_modified_time");
        if key.organization_id.is_none() {
            key.organization_id = get("organization_id");
        }
    }
    if let (Some(id), Some(modified)) = (&key.entity_id, &key.modified) {
        let short = key.key.get(7..23).unwrap_or("");
        key.key = format!("{}:{id}:{modified}:{short}", key.module);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_under_its_module_key_is_keyed_by_id_and_modification() {
        let body = br#"{"organization_id": 60012345678, "invoice": {"invoice_id": 4600000012345, "total": 118.0, "last_modified_time": "2026-12-07T10:00:00+0530"}}"#;
        let k = identify(body, &[], None);
        assert_eq!(k.module, "invoice");
        assert_eq!(k.entity_id.as_deref(), Some("4600000012345"));
        assert_eq!(k.organization_id.as_deref(), Some("60012345678"));
        assert!(
            k.key
                .starts_with("invoice:4600000012345:2026-12-07T10:00:00+0530:")
                && k.key.len() == 63,
            "{}",
            k.key
        );
        let edited = br#"{"invoice": {"invoice_id": 4600000012345, "total": 119.0, "last_modified_time": "2026-12-07T10:00:00+0530"}}"#;
        assert_ne!(
            identify(edited, &[], None).key,
            k.key,
            "an edit in the same second"
        );
    }

    #[test]
    fn an_unreadable_body_is_keyed_by_its_hash() {
        let k = identify(b"not json", &[], Some("1"));
        assert!(k.key.starts_with("sha256:") && k.key.len() == 7 + 64);
        assert_eq!(k.organization_id.as_deref(), Some("1"));
        assert_ne!(identify(b"other", &[], None).key, k.key);
    }
}
