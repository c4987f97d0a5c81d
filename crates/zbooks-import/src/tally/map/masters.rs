//! Masters: once the whole file is read, the GST rates, ledgers, debtors, creditors and stock
//! items used become taxes and tax groups, accounts, contacts and items.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::gst;
use crate::location::Location;

use crate::record::{Entity, NaturalKey, Record};
use crate::value::{money, plain};

use super::{Class, Out, TallyMapper};

impl TallyMapper {
    /// The records that come from masters, once every master is known: taxes and tax
    /// groups for the GST rates used, accounts for the ledgers used, contacts for debtors and
    /// creditors, items for stock items.
    pub fn finish(self) -> Out {
        let mut me = self;
        let mut out = me.deferred_records();
        out.extend(me.opening_records());
        let items = me.item_records();
        out.extend(me.tax_records());
        out.extend(me.account_records());
        out.extend(me.contact_records());
        out.extend(items);
        out
    }

    fn tax_records(&self) -> Out {
        let mut out = Vec::new();
        let mut taxes: BTreeMap<String, (Decimal, &'static str, Location)> = BTreeMap::new();
        let mut groups = Vec::new();
        for (rate, at) in &self.rates {
            let half = rate / Decimal::TWO;
            taxes
                .entry(format!("IGST{}", plain(*rate)))
                .or_insert((*rate, "igst", at.clone()));
            let c = format!("CGST{}", plain(half));
            let s = format!("SGST{}", plain(half));
            taxes.entry(c.clone()).or_insert((half, "cgst", at.clone()));
            taxes.entry(s.clone()).or_insert((half, "sgst", at.clone()));
            groups.push((format!("GST{}", plain(*rate)), c, s, at.clone()));
        }
        for (name, (rate, kind, at)) in taxes {
            let payload = json!({
                "tax_name": name,
                "tax_percentage": money(rate),
                "tax_type": "tax",
                "tax_specific_type": kind,
            });
            let at = Location::new(at.file.clone(), at.line).with_label(name.clone());
            out.push(Ok(Record::new(
                Entity::Tax,
                NaturalKey::named(Entity::Tax, &name),
                payload,
                at,
            )));
        }
        for (name, c, s, at) in groups {
            let payload = json!({ "tax_group_name": name, "taxes": [null, null] });
            let mut r = Record::new(
                Entity::TaxGroup,
                NaturalKey::named(Entity::TaxGroup, &name),
                payload,
                Location::new(at.file.clone(), at.line).with_label(name.clone()),
            );
            // Zoho lists groups among the taxes: a tax name may name a group.
            r.aliases.push(NaturalKey::named(Entity::Tax, &name));
            r.refer("/taxes/0", NaturalKey::named(Entity::Tax, c));
            r.refer("/taxes/1", NaturalKey::named(Entity::Tax, s));
            out.push(Ok(r));
        }
        out
    }

    fn account_records(&self) -> Out {
        let mut out = Vec::new();
        for (name, used_at) in &self.accounts {
            let Some(ledger) = self.ledgers.get(name) else {
                continue;
            };
            let Some(kind) = self.class(name).account_type() else {
                continue;
            };
            let at = self.location(ledger.line, "LEDGER", name);
            let _ = used_at;
            let payload = json!({ "account_name": name, "account_type": kind });
            out.push(Ok(Record::new(
                Entity::Account,
                NaturalKey::named(Entity::Account, name),
                payload,
                at,
            )));
        }
        out
    }

    fn contact_records(&self) -> Out {
        let mut out = Vec::new();
        for name in &self.ledger_order {
            let Some(l) = self.ledgers.get(name) else {
                continue;
            };
            let contact_type = match self.class(name) {
                Class::Debtor => "customer",
                Class::Creditor => "vendor",
                _ => continue,
            };
            let at = self.location(l.line, "LEDGER", name);
            let treatment = gst::treatment(
                l.registration.as_deref(),
                l.gstin.as_deref(),
                l.country.as_deref(),
                l.pan.is_some(),
                name,
            );
            let mut p = Map::new();
            p.insert("contact_name".to_owned(), json!(name));
            if treatment != "consumer" {
                p.insert(
                    "company_name".to_owned(),
                    json!(l.mailing_name.as_deref().unwrap_or(name)),
                );
            }
            p.insert("contact_type".to_owned(), json!(contact_type));
            p.insert("gst_treatment".to_owned(), json!(treatment));
            if treatment == "business_gst"
                && let Some(g) = &l.gstin
            {
                p.insert("gst_no".to_owned(), json!(g));
            }
            if treatment != "overseas"
                && let Some(code) = gst::place(l.gstin.as_deref(), l.state.as_deref())
            {
                p.insert("place_of_contact".to_owned(), json!(code));
            }
            let mut address = Map::new();
            if let Some(first) = l.address.first() {
                address.insert("address".to_owned(), json!(first));
            }
            if l.address.len() > 1 {
                address.insert("street2".to_owned(), json!(l.address[1..].join(", ")));
            }
            if let Some(s) = &l.state {
                address.insert("state".to_owned(), json!(s));
            }
            if let Some(z) = &l.pincode {
                address.insert("zip".to_owned(), json!(z));
            }
            if let Some(c) = &l.country {
                address.insert("country".to_owned(), json!(c));
            }
            if !address.is_empty() {
                p.insert("billing_address".to_owned(), Value::Object(address));
            }
            if let Some(d) = l.credit_days {
                p.insert("payment_terms".to_owned(), json!(d));
                p.insert("payment_terms_label".to_owned(), json!(format!("Net {d}")));
            }
            if l.email.is_some() || l.phone.is_some() || l.mobile.is_some() {
                let mut person = Map::new();
                for (k, v) in [
                    ("email", &l.email),
                    ("phone", &l.phone),
                    ("mobile", &l.mobile),
                ] {
                    if let Some(v) = v {
                        person.insert(k.to_owned(), json!(v));
                    }
                }
                person.insert("is_primary_contact".to_owned(), json!(true));
                p.insert("contact_persons".to_owned(), json!([person]));
            }
            let mut record = Record::new(
                Entity::Contact,
                NaturalKey::named(Entity::Contact, name),
                Value::Null,
                at,
            );
            if let (Some(cf), Some(g)) = (&self.options.source_id_field, &l.guid) {
                p.insert(
                    "custom_fields".to_owned(),
                    json!([{"api_name": cf, "value": g}]),
                );
                record.aliases.push(NaturalKey::new(Entity::Contact, cf, g));
            }
            record.payload = Value::Object(p);
            out.push(Ok(record));
        }
        out
    }

    fn item_records(&mut self) -> Out {
        let mut out = Vec::new();
        for name in self.item_order.clone() {
            let Some(stock) = self.items.get(&name).cloned() else {
                continue;
            };
            let seen = self.seen.get(&name).cloned().unwrap_or_default();
            let at = self.location(stock.line, "STOCKITEM", &name);
            let rate = stock
                .price
                .or(seen.sale_rate)
                .or(seen.purchase_rate)
                .unwrap_or(Decimal::ZERO);
            let mut p = Map::new();
            p.insert("name".to_owned(), json!(name));
            p.insert("rate".to_owned(), money(rate));
            if let Some(c) = stock.cost.or(seen.purchase_rate) {
                p.insert("purchase_rate".to_owned(), money(c));
            }
            if let Some(d) = &stock.description {
                p.insert("description".to_owned(), json!(d));
            }
            let service = stock
                .supply
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("services"));
            p.insert(
                "product_type".to_owned(),
                json!(if service { "service" } else { "goods" }),
            );
            p.insert("item_type".to_owned(), json!("sales_and_purchases"));
            if let Some(h) = self.stock_chain(&name, |s| s.hsn.clone()).or(seen.hsn) {
                p.insert("hsn_or_sac".to_owned(), json!(h));
            }
            // No `unit`: Zoho's create-item request does not define it (items.yml); the unit
            // goes on each invoice and bill line, where it is defined.
            let gst_rate = self
                .stock_chain(&name, |s| s.gst_rate)
                .or(seen.gst_rate)
                .filter(|r| *r > Decimal::ZERO);
            let mut refs = Vec::new();
            if let Some(r) = gst_rate {
                p.insert(
                    "item_tax_preferences".to_owned(),
                    json!([
                        {"tax_specification": "intra", "tax_id": null},
                        {"tax_specification": "inter", "tax_id": null},
                    ]),
                );
                refs.push((
                    "/item_tax_preferences/0/tax_id",
                    self.tax_key(r, false, &at),
                ));
                refs.push(("/item_tax_preferences/1/tax_id", self.tax_key(r, true, &at)));
            }
            let mut record = Record::new(
                Entity::Item,
                NaturalKey::named(Entity::Item, &name),
                Value::Null,
                at,
            );
            if let (Some(cf), Some(g)) = (&self.options.source_id_field, &stock.guid) {
                p.insert(
                    "custom_fields".to_owned(),
                    json!([{"api_name": cf, "value": g}]),
                );
                record.aliases.push(NaturalKey::new(Entity::Item, cf, g));
            }
            record.payload = Value::Object(p);
            for (path, key) in refs {
                record.refer(path, key);
            }
            out.push(Ok(record));
        }
        out
    }
}
