//! Keys Zoho's answers carry that its OpenAPI files leave out, found by running Zoho's own
//! Python client library (`zohobooks-api` 1.4 on PyPI, "ZohoBooks Python Client Library")
//! against the simulator (`scripts/third-party-clients.sh`, docs/third-party-clients.md).
//!
//! Its parsers read each of these keys unconditionally (a missing one raises `KeyError`), so
//! Zoho's real answers had them; the OpenAPI files, which shape.rs widens answers to, do not
//! list them. An answer gets each key it lacks, with the same empty value of its type that
//! shape.rs gives a documented key the simulator does not compute (`exchange_rate` 1 and
//! `price_precision` 2, the values of a base-currency organization, where an empty 0 would be
//! wrong); a value the simulator has (computed or sent) is never replaced. choices.rs has the
//! row.

use serde_json::{Map, Value, json};

use crate::resources::Kind;

/// What each kind's answers (single and list elements alike) must carry beyond the OpenAPI
/// keys. An array holding one object means: every element of that array gets its keys.
fn supplement(kind: Kind) -> Option<Value> {
    Some(match kind {
        Kind::Contacts => json!({
            "contact_salutation": "",
            "default_templates": {
                "creditnote_email_template_name": "",
                "creditnote_template_name": "",
                "estimate_email_template_name": "",
                "estimate_template_name": "",
                "invoice_email_template_name": "",
                "invoice_template_name": "",
            },
            "gst_no": "",
            "gst_treatment": "",
            "is_crm_customer": false,
            "outstanding_payable_amount": 0,
            "outstanding_payable_amount_bcy": 0,
            "place_of_contact": "",
            "price_precision": 2,
            "unused_credits_payable_amount": 0,
            "unused_credits_payable_amount_bcy": 0,
        }),
        Kind::Items => json!({
            "account_id": "",
            "account_name": "",
            "item_tax_preferences": [],
        }),
        Kind::Invoices => json!({
            "contact_persons_details": [],
            "line_items": [{"hsn_or_sac": ""}],
        }),
        Kind::CustomerPayments => json!({
            "account_id": "",
            "account_name": "",
            "exchange_rate": 1,
            "invoices": [{
                "balance": 0,
                "due_date": "",
                "invoice_payment_id": "",
                "tax_amount_withheld": 0,
            }],
            "tax_account_id": "",
            "tax_account_name": "",
            "tax_amount_withheld": 0,
        }),
        _ => return None,
    })
}

/// The supplement of a kind, built once per kind: every answer carrying a record comes
/// through here.
fn supplement_of(kind: Kind) -> Option<&'static Map<String, Value>> {
    static SUPPLEMENTS: std::sync::OnceLock<Vec<Option<Value>>> = std::sync::OnceLock::new();
    let all = SUPPLEMENTS.get_or_init(|| Kind::ALL.into_iter().map(supplement).collect());
    match all.get(kind as usize) {
        Some(Some(Value::Object(extra))) => Some(extra),
        _ => None,
    }
}

/// Adds to `record`, in place, the keys of [`supplement`] it lacks.
pub(crate) fn fill_in(kind: Kind, record: &mut Map<String, Value>) {
    if let Some(extra) = supplement_of(kind) {
        fill(record, extra);
    }
}

/// What [`fill_in`] adds to each object element of the array under `key` (`line_items`) that
/// the element lacks (or holds as null): the template's keys, when all of them are scalars.
pub(crate) fn element_fill(kind: Kind, key: &str) -> Option<&'static Map<String, Value>> {
    match supplement_of(kind)?.get(key)? {
        Value::Array(t) => match t.first()? {
            Value::Object(t) if t.values().all(|v| !v.is_object() && !v.is_array()) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// The top-level keys [`fill_in`] reads or writes for a kind; it leaves every other key as it
/// is.
pub(crate) fn fill_in_keys(kind: Kind) -> impl Iterator<Item = &'static str> {
    supplement_of(kind)
        .into_iter()
        .flat_map(|extra| extra.keys().map(String::as_str))
}

/// An organization (as `GET /organizations` lists it, or `GET /organizations/{id}` answers it)
/// with the keys Zoho's client reads that it lacks.
pub(crate) fn organization(mut org: Value) -> Value {
    if let (Value::Object(map), Value::Object(extra)) = (
        &mut org,
        json!({
            "is_new_customer_custom_fields": false,
            "is_portal_enabled": false,
            "portal_name": "",
            "tax_basis": "",
            "user_role": "",
            "version": "",
        }),
    ) {
        fill(map, &extra);
    }
    org
}

fn fill(record: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (key, template) in extra {
        match (record.get_mut(key), template) {
            (None | Some(Value::Null), _) => {
                let empty = match template {
                    Value::Array(_) => Value::Array(Vec::new()),
                    other => other.clone(),
                };
                record.insert(key.clone(), empty);
            }
            (Some(Value::Object(inner)), Value::Object(t)) => fill(inner, t),
            (Some(Value::Array(items)), Value::Array(t)) => {
                if let Some(Value::Object(t)) = t.first() {
                    for item in items.iter_mut() {
                        if let Value::Object(inner) = item {
                            fill(inner, t);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `record` as an answer writes it: with the keys [`fill_in`] adds.
    fn widened(kind: Kind, record: &Map<String, Value>) -> Map<String, Value> {
        let mut out = record.clone();
        fill_in(kind, &mut out);
        out
    }

    #[test]
    fn fills_what_is_missing_and_keeps_what_is_there() {
        let record = json!({
            "exchange_rate": 83.1,
            "invoices": [{"invoice_id": "1", "balance": 50}, {"invoice_id": "2"}],
        });
        let Value::Object(record) = record else {
            unreachable!()
        };
        let out = widened(Kind::CustomerPayments, &record);
        assert_eq!(out["exchange_rate"], json!(83.1));
        assert_eq!(out["invoices"][0]["balance"], json!(50));
        assert_eq!(out["invoices"][1]["balance"], json!(0));
        assert_eq!(out["invoices"][1]["invoice_payment_id"], json!(""));
        assert_eq!(out["tax_account_id"], json!(""));
        assert_eq!(widened(Kind::Bills, &record), record);
        let org = organization(json!({"organization_id": "1", "version": "global"}));
        assert_eq!(org["version"], "global");
        assert_eq!(org["user_role"], "");
    }

    #[test]
    fn an_absent_array_is_empty_not_a_template() {
        let empty = Map::new();
        let out = widened(Kind::Invoices, &empty);
        assert_eq!(out["line_items"], json!([]));
        assert_eq!(out["contact_persons_details"], json!([]));
    }
}
