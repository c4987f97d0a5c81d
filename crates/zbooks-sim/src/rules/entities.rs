//! The rules of each Books entity: required fields, references, uniqueness, auto-numbering,
//! money sums and payment application.
//!
//! A create or update first checks everything against the organization's books, then changes
//! them, so a refused request leaves no trace. Amounts are decimal throughout (money.rs).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::money;
use crate::resources::Kind;
use crate::rules::reply::Reply;
use crate::rules::validate::payment_list;
use crate::shape::Shape;
pub(crate) use crate::store::parse_id;
use crate::store::{OrgData, OrgMeta, Record, custom_field, text};
use crate::time;

/// What a rule needs besides the books.
pub(crate) struct Ctx<'a> {
    pub(crate) org: &'a OrgMeta,
    pub(crate) now: SystemTime,
    pub(crate) ids: &'a AtomicU64,
    /// `ignore_auto_number_generation=true` was passed.
    pub(crate) own_number: bool,
}

impl Ctx<'_> {
    fn next_id(&self) -> u64 {
        self.ids.fetch_add(1, Ordering::Relaxed)
    }

    /// Today on the simulator's clock, in days since the epoch.
    pub(crate) fn today(&self) -> i64 {
        time::day_number(self.now)
    }
}

fn amount(record: &Record, key: &str) -> Result<Option<Decimal>, Reply> {
    match record.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => money::parse(v).map(Some).ok_or_else(|| Reply::invalid(key)),
    }
}

/// The record `field` refers to, which must exist in `kind`.
fn reference(
    data: &OrgData,
    record: &Record,
    field: &str,
    kind: Kind,
    label: &str,
) -> Result<Option<(u64, Record)>, Reply> {
    let Some(raw) = text(record, field) else {
        return Ok(None);
    };
    let id = parse_id(&raw).ok_or_else(|| Reply::invalid(field))?;
    data.get(kind, id)
        .map(|r| Some((id, r)))
        .ok_or_else(|| missing(label))
}

/// 400 / 1002 `<Resource> does not exist.`: a record the body names is missing (choices.rs;
/// the path's own record missing is the 404 of [`Reply::not_found`]).
fn missing(label: &str) -> Reply {
    Reply::zoho(
        crate::choices::BAD_REQUEST_STATUS,
        1002,
        format!("{label} does not exist."),
    )
}

/// The contact `field` names, which must exist and be of `contact_type`: a vendor is not a
/// customer, nor a customer a vendor (evidence row 5: answered as a missing one, choices.rs).
fn party(
    data: &OrgData,
    record: &Record,
    field: &str,
    contact_type: &str,
    label: &str,
) -> Result<Option<(u64, Record)>, Reply> {
    let found = reference(data, record, field, Kind::Contacts, label)?;
    if let Some((_, contact)) = &found
        && text(contact, "contact_type")
            .as_deref()
            .unwrap_or("customer")
            != contact_type
    {
        return Err(missing(label));
    }
    Ok(found)
}

/// The account `field` names, which must exist in the chart of accounts: otherwise 400 with
/// Zoho's observed `Invalid value passed for <field>` (evidence row 4c; code in choices.rs).
fn account(data: &OrgData, record: &Record, field: &str) -> Result<Option<Record>, Reply> {
    let Some(raw) = text(record, field) else {
        return Ok(None);
    };
    let id = parse_id(&raw).ok_or_else(|| Reply::invalid(field))?;
    data.get(Kind::ChartOfAccounts, id)
        .map(Some)
        .ok_or_else(|| {
            Reply::zoho(
                crate::choices::BAD_REQUEST_STATUS,
                crate::choices::UNKNOWN_ACCOUNT_CODE,
                format!("Invalid value passed for {field}"),
            )
        })
}

/// A number that must be above zero when present (`exchange_rate`); stored as a JSON number.
fn positive(record: &mut Record, key: &str) -> Result<(), Reply> {
    if let Some(value) = amount(record, key)? {
        if value <= Decimal::ZERO {
            return Err(Reply::invalid(key));
        }
        record.insert(key.into(), money::to_json(value));
    }
    Ok(())
}

/// A name that must be given and unique in the organization, case-insensitively (tax and
/// account names: choices.rs).
fn unique_name(
    data: &OrgData,
    kind: Kind,
    record: &mut Record,
    field: &str,
    own_id: Option<u64>,
) -> Result<(), Reply> {
    let name = text(record, field).ok_or_else(|| Reply::invalid(field))?;
    if let Some(other) = data.find_unique(kind, field, &name)
        && Some(other) != own_id
    {
        return Err(Reply::duplicate(
            crate::choices::DUPLICATE_CODE,
            format!("Invalid value passed for {field}"),
        ));
    }
    record.insert(field.into(), Value::String(name));
    Ok(())
}

/// Whether a shape documents `key` at its top level.
fn documents(shape: &Shape, key: &str) -> bool {
    match shape {
        Shape::Obj(fields) => fields
            .binary_search_by(|(name, _)| (*name).cmp(key))
            .is_ok(),
        _ => false,
    }
}

/// Fields the simulator computes; a caller's values for them are ignored.
fn is_computed(kind: Kind, key: &str) -> bool {
    key == kind.def().id_field
        || matches!(
            key,
            "payment_made"
                | "sub_total"
                | "tax_total"
                | "unused_amount"
                | "last_payment_date"
                | "created_time"
                | "last_modified_time"
        )
        || (kind == Kind::Contacts && crate::store::balances::FIELDS.contains(&key))
        || (matches!(kind, Kind::Invoices | Kind::Bills | Kind::VendorPayments) && key == "balance")
        || (matches!(kind, Kind::Invoices | Kind::Bills) && matches!(key, "total" | "status"))
}

/// Request fields (spec/zoho-openapi's create and update requests) that the answers' schemas
/// leave out but the rules check: accounts (Zoho checks them, evidence row 4c) and exchange
/// rates.
fn request_only(kind: Kind, key: &str) -> bool {
    match kind {
        Kind::Items => matches!(
            key,
            "account_id" | "purchase_account_id" | "inventory_account_id"
        ),
        Kind::CustomerPayments => matches!(key, "account_id" | "exchange_rate"),
        Kind::VendorPayments => matches!(key, "paid_through_account_id" | "exchange_rate"),
        Kind::Invoices | Kind::Bills | Kind::Journals => key == "exchange_rate",
        _ => false,
    }
}

/// The body's fields that the entity documents (others are ignored, as Zoho ignores them).
fn documented_fields(kind: Kind, body: Map<String, Value>) -> Record {
    let spec = kind.def().spec;
    body.into_iter()
        .filter(|(k, _)| {
            !is_computed(kind, k)
                && (k == "custom_fields"
                    || request_only(kind, k)
                    || documents(&spec.get, k)
                    || documents(&spec.create, k)
                    || documents(&spec.update, k))
        })
        .collect()
}

fn require(record: &Record, fields: &[&str]) -> Result<(), Reply> {
    for field in fields {
        // Reference §5.1: the customer-payment file lists invoices[]'s own fields at the top
        // level; they are checked inside `invoices` instead.
        if matches!(*field, "invoice_id" | "amount_applied") {
            continue;
        }
        let present = match record.get(*field) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            // A payment applied to nothing (`"invoices": []`) is an advance or excess payment,
            // kept whole as its unused amount (choices.rs).
            Some(Value::Array(a)) => !a.is_empty() || payment_list(field),
            Some(_) => true,
        };
        if !present {
            return Err(crate::rules::validate::missing(field));
        }
    }
    Ok(())
}

/// Custom fields keyed by `api_name` (derived from the label or index when absent), merged over
/// the previous ones.
fn merge_custom_fields(old: Option<&Value>, new: &Value) -> Result<Value, Reply> {
    let Value::Array(entries) = new else {
        return Err(Reply::invalid("custom_fields"));
    };
    let mut out: Vec<Value> = old.and_then(Value::as_array).cloned().unwrap_or_default();
    for entry in entries {
        let Value::Object(map) = entry else {
            return Err(Reply::invalid("custom_fields"));
        };
        if map.is_empty() {
            continue;
        }
        let mut map = map.clone();
        let api_name = match map.get("api_name").and_then(Value::as_str) {
            Some(name) if !name.is_empty() => name.to_owned(),
            _ => {
                if let Some(label) = map.get("label").and_then(Value::as_str) {
                    let slug: String = label
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() {
                                c.to_ascii_lowercase()
                            } else {
                                '_'
                            }
                        })
                        .collect();
                    format!("cf_{slug}")
                } else if let Some(id) = map.get("customfield_id").filter(|v| !v.is_null()) {
                    format!(
                        "cf_{}",
                        id.as_str().map_or_else(|| id.to_string(), str::to_owned)
                    )
                } else if let Some(index) = map.get("index").filter(|v| !v.is_null()) {
                    format!("cf_index_{index}")
                } else {
                    return Err(Reply::invalid("custom_fields"));
                }
            }
        };
        map.insert("api_name".into(), Value::String(api_name.clone()));
        if let Some(existing) = out
            .iter_mut()
            .find(|cf| cf.get("api_name").and_then(Value::as_str) == Some(api_name.as_str()))
        {
            *existing = Value::Object(map);
        } else {
            out.push(Value::Object(map));
        }
    }
    Ok(Value::Array(out))
}

/// Refuses a value of a unique custom field that another record already holds.
fn check_unique_custom_fields(
    data: &OrgData,
    kind: Kind,
    record: &Record,
    own_id: Option<u64>,
    org: &OrgMeta,
) -> Result<(), Reply> {
    for cf in &org.unique_custom_fields {
        if let Some(value) = custom_field(record, cf)
            && let Some(other) = data.find_unique(kind, cf, &value)
            && Some(other) != own_id
        {
            return Err(Reply::duplicate(
                crate::choices::DUPLICATE_CODE,
                format!("Invalid value passed for {cf}"),
            ));
        }
    }
    Ok(())
}

/// Creates a record; answers its id and the stored record.
pub(crate) fn create(
    data: &mut OrgData,
    ctx: &Ctx<'_>,
    kind: Kind,
    body: Map<String, Value>,
) -> Result<(u64, Record), Reply> {
    let mut record = documented_fields(kind, body);
    if let Some(cfs) = record.get("custom_fields").cloned() {
        record.insert("custom_fields".into(), merge_custom_fields(None, &cfs)?);
    }
    require(&record, kind.def().spec.create_required)?;
    check_unique_custom_fields(data, kind, &record, None, ctx.org)?;
    let old = Record::new();
    crate::rules::complete::at_write(data, ctx.org, time::day_number(ctx.now), kind, &mut record);
    prepare(data, ctx, kind, &mut record, None, &old)?;
    let id = ctx.next_id();
    let stamp = Value::String(time::timestamp(ctx.now));
    record.insert(kind.def().id_field.into(), Value::String(id.to_string()));
    record.insert("created_time".into(), stamp.clone());
    record.insert("last_modified_time".into(), stamp);
    commit_payments(data, kind, &old, &record, ctx)?;
    data.insert(kind, id, &record, &ctx.org.unique_custom_fields);
    Ok((id, record))
}

/// Updates a record with the fields of `body`; answers the stored record.
pub(crate) fn update(
    data: &mut OrgData,
    ctx: &Ctx<'_>,
    kind: Kind,
    id: u64,
    body: Map<String, Value>,
) -> Result<Record, Reply> {
    let old = data
        .get(kind, id)
        .ok_or_else(|| Reply::not_found(kind.def().label))?;
    let incoming = documented_fields(kind, body);
    let mut record = old.clone();
    for (k, v) in incoming {
        if k == "custom_fields" {
            let merged = merge_custom_fields(old.get("custom_fields"), &v)?;
            record.insert(k, merged);
        } else {
            record.insert(k, v);
        }
    }
    // The stored record supplies what a partial update leaves out.
    require(&record, kind.def().spec.update_required)?;
    check_unique_custom_fields(data, kind, &record, Some(id), ctx.org)?;
    crate::rules::complete::at_write(data, ctx.org, time::day_number(ctx.now), kind, &mut record);
    prepare(data, ctx, kind, &mut record, Some(id), &old)?;
    record.insert(kind.def().id_field.into(), Value::String(id.to_string()));
    record.insert(
        "last_modified_time".into(),
        Value::String(time::timestamp(ctx.now)),
    );
    commit_payments(data, kind, &old, &record, ctx)?;
    data.insert(kind, id, &record, &ctx.org.unique_custom_fields);
    Ok(record)
}

/// Deletes a record (a payment gives its amounts back to its invoices or bills).
pub(crate) fn delete(data: &mut OrgData, ctx: &Ctx<'_>, kind: Kind, id: u64) -> Result<(), Reply> {
    let old = data
        .get(kind, id)
        .ok_or_else(|| Reply::not_found(kind.def().label))?;
    if matches!(kind, Kind::CustomerPayments | Kind::VendorPayments) {
        commit_payments(data, kind, &old, &Record::new(), ctx)?;
    }
    data.remove(kind, id, &ctx.org.unique_custom_fields);
    Ok(())
}

/// A status action (`POST /invoices/{id}/status/sent`, `/void`, `/draft`; bills' `/void`,
/// `/open`): the new status, under the rules of choices.rs.
pub(crate) fn set_status(
    data: &mut OrgData,
    ctx: &Ctx<'_>,
    kind: Kind,
    id: u64,
    action: &str,
) -> Result<(), Reply> {
    let mut record = data
        .get(kind, id)
        .ok_or_else(|| Reply::not_found(kind.def().label))?;
    let status = text(&record, "status").unwrap_or_default();
    let new = match (kind, action) {
        (Kind::Invoices, "sent") if status == "draft" => "sent",
        (Kind::Invoices, "draft") if status == "void" => "draft",
        (Kind::Bills, "open") if status == "void" || status == "draft" => "open",
        (_, "void") => "void",
        _ => return Ok(()),
    };
    record.insert("status".into(), Value::String(new.into()));
    record.insert(
        "last_modified_time".into(),
        Value::String(time::timestamp(ctx.now)),
    );
    data.insert(kind, id, &record, &ctx.org.unique_custom_fields);
    Ok(())
}

/// Kind-specific checks and computed fields, before anything is stored.
fn prepare(
    data: &mut OrgData,
    ctx: &Ctx<'_>,
    kind: Kind,
    record: &mut Record,
    own_id: Option<u64>,
    old: &Record,
) -> Result<(), Reply> {
    positive(record, "exchange_rate")?;
    match kind {
        Kind::Contacts => prepare_contact(data, ctx, record, own_id),
        Kind::Items => prepare_item(data, record, own_id),
        Kind::Invoices => prepare_invoice(data, ctx, record, own_id, old),
        Kind::Bills => prepare_bill(data, ctx, record, old),
        Kind::CustomerPayments | Kind::VendorPayments => {
            prepare_payment(data, ctx, kind, record, old)
        }
        Kind::Journals => prepare_journal(data, ctx, record, own_id),
        Kind::ChartOfAccounts => {
            unique_name(data, kind, record, "account_name", own_id)?;
            record.entry("is_active").or_insert(Value::Bool(true));
            Ok(())
        }
        Kind::Taxes => {
            unique_name(data, kind, record, "tax_name", own_id)?;
            if let Some(p) = amount(record, "tax_percentage")? {
                record.insert("tax_percentage".into(), money::to_json(p));
            }
            Ok(())
        }
    }
}

fn prepare_contact(
    data: &OrgData,
    ctx: &Ctx<'_>,
    record: &mut Record,
    own_id: Option<u64>,
) -> Result<(), Reply> {
    let name = text(record, "contact_name").ok_or_else(|| Reply::invalid("contact_name"))?;
    let contact_type = text(record, "contact_type").unwrap_or_else(|| "customer".to_owned());
    if contact_type != "customer" && contact_type != "vendor" {
        return Err(Reply::invalid("contact_type"));
    }
    if let Some(other) = data.find_unique(Kind::Contacts, "contact_name", &name)
        && Some(other) != own_id
    {
        // Reference §1.4/§5.2: 3062 with HTTP 400 [O].
        return Err(Reply::duplicate(
            3062,
            format!(
                "The {contact_type} \"{name}\" already exists. Please specify a different name."
            ),
        ));
    }
    record.insert("contact_name".into(), Value::String(name));
    record.insert("contact_type".into(), Value::String(contact_type));
    record
        .entry("status")
        .or_insert_with(|| Value::String("active".into()));
    record
        .entry("currency_code")
        .or_insert_with(|| Value::String(ctx.org.currency_code.clone()));
    reference(data, record, "tax_id", Kind::Taxes, "Tax")?;
    if let Some(limit) = amount(record, "credit_limit")? {
        record.insert("credit_limit".into(), money::to_json(limit));
    }
    if let Some(persons) = record.get_mut("contact_persons") {
        let Value::Array(list) = persons else {
            return Err(Reply::invalid("contact_persons"));
        };
        for person in list.iter_mut() {
            let Value::Object(p) = person else {
                return Err(Reply::invalid("contact_persons"));
            };
            if text(p, "contact_person_id").is_none() {
                p.insert(
                    "contact_person_id".into(),
                    Value::String(ctx.next_id().to_string()),
                );
            }
        }
        let primary = list
            .iter()
            .find(|p| p.get("is_primary_contact") == Some(&Value::Bool(true)))
            .or_else(|| list.first())
            .cloned();
        if let Some(Value::Object(p)) = primary {
            for field in ["first_name", "last_name", "email", "phone", "mobile"] {
                if let Some(v) = p.get(field) {
                    record.insert(field.into(), v.clone());
                }
            }
        }
    }
    Ok(())
}

fn prepare_item(data: &OrgData, record: &mut Record, own_id: Option<u64>) -> Result<(), Reply> {
    let name = text(record, "name").ok_or_else(|| Reply::invalid("name"))?;
    let rate = amount(record, "rate")?.ok_or_else(|| Reply::invalid("rate"))?;
    for field in ["account_id", "purchase_account_id", "inventory_account_id"] {
        account(data, record, field)?;
    }
    reference(data, record, "tax_id", Kind::Taxes, "Tax")?;
    if let Some(other) = data.find_unique(Kind::Items, "name", &name)
        && Some(other) != own_id
    {
        return Err(Reply::duplicate(
            crate::choices::DUPLICATE_CODE,
            "Invalid value passed for name",
        ));
    }
    record.insert("name".into(), Value::String(name));
    record.insert("rate".into(), money::to_json(rate));
    record
        .entry("status")
        .or_insert_with(|| Value::String("active".into()));
    Ok(())
}

/// A discount as Zoho takes it: `"10%"` (text ending in `%`) is a percentage of the amount it
/// applies to, anything else (a number or numeric text) an amount (choices.rs).
#[derive(Clone, Copy)]
enum Discount {
    Percent(Decimal),
    Amount(Decimal),
}

impl Discount {
    /// The discount on `base`, unrounded.
    fn on(self, base: Decimal) -> Decimal {
        match self {
            Discount::Percent(p) => base * p / Decimal::ONE_HUNDRED,
            Discount::Amount(a) => a,
        }
    }
}

/// The discount in `key`; a percentage outside 0–100 or a negative amount is code 2.
fn discount(record: &Record, key: &str) -> Result<Option<Discount>, Reply> {
    let found = match record.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) if s.trim().ends_with('%') => {
            let pct = s.trim().trim_end_matches('%');
            let pct =
                money::parse(&Value::String(pct.to_owned())).ok_or_else(|| Reply::invalid(key))?;
            if pct > Decimal::ONE_HUNDRED {
                return Err(Reply::invalid(key));
            }
            Discount::Percent(pct)
        }
        Some(v) => Discount::Amount(money::parse(v).ok_or_else(|| Reply::invalid(key))?),
    };
    match found {
        Discount::Percent(v) | Discount::Amount(v) if v < Decimal::ZERO => Err(Reply::invalid(key)),
        d => Ok(Some(d)),
    }
}

/// A boolean field, `default` when absent; anything but a boolean is code 2.
fn flag(record: &mut Record, key: &str, default: bool) -> Result<bool, Reply> {
    let value = match record.get(key) {
        None | Some(Value::Null) => default,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Reply::invalid(key)),
    };
    record.insert(key.into(), Value::Bool(value));
    Ok(value)
}

/// Whether the document's rates include tax; absent means exclusive, as Zoho's default is.
fn inclusive_tax(record: &mut Record) -> Result<bool, Reply> {
    flag(record, "is_inclusive_tax", false)
}

/// A tax's rate: its `tax_percentage`. A tax group (`tax_type: tax_group`) carries the sum of
/// its taxes' rates there, as the seeded GST groups do, and is applied as one rate (choices.rs).
fn tax_rate(tax: &Record) -> Decimal {
    tax.get("tax_percentage")
        .and_then(money::parse)
        .unwrap_or(Decimal::ZERO)
}

/// One priced line: its amount after its own discount (tax included when the document's rates
/// include it), and its tax (rate, name) if it has one.
struct Priced {
    amount: Decimal,
    tax: Option<(Decimal, Option<Value>)>,
}

/// Checks and prices the lines of an invoice or bill, then writes the document's totals.
///
/// The formulas are [`crate::choices`]' (totals rows): a line is `cents(rate × quantity −
/// its discount)`; an entity-level discount comes off the sum of the lines, before tax (pro
/// rata, so each line's tax is on its discounted share) or after it; `total` = `sub_total` −
/// that discount + `tax_total` + `shipping_charge` + `adjustment`, rounded to cents. With
/// `is_inclusive_tax` the line amount already holds its tax, carved out as amount × pct ÷
/// (100 + pct) and rounded per line (evidence D3, row 14).
fn price_lines(data: &OrgData, ctx: &Ctx<'_>, record: &mut Record) -> Result<(), Reply> {
    let inclusive = inclusive_tax(record)?;
    let discount_type = match text(record, "discount_type").as_deref() {
        None => None,
        Some(t @ ("entity_level" | "item_level")) => Some(t.to_owned()),
        Some(_) => return Err(Reply::invalid("discount_type")),
    };
    let line_discounts = discount_type.as_deref() != Some("entity_level");
    let entity_discount = if discount_type.as_deref() == Some("item_level") {
        None
    } else {
        discount(record, "discount")?
    };
    // Zoho's default is before tax (the files' examples); an inclusive document's discount
    // comes off its inclusive total (choices.rs).
    let before_tax = flag(record, "is_discount_before_tax", true)? && !inclusive;
    record.insert("is_discount_before_tax".into(), Value::Bool(before_tax));
    let mut priced = Vec::new();
    let Some(lines) = record.get_mut("line_items") else {
        return write_totals(record, &[], None, before_tax, inclusive);
    };
    let Value::Array(lines) = lines else {
        return Err(Reply::invalid("line_items"));
    };
    for line in lines.iter_mut() {
        let Value::Object(l) = line else {
            return Err(Reply::invalid("line_items"));
        };
        if let Some((_, item)) = reference(data, l, "item_id", Kind::Items, "Item")? {
            for field in ["name", "description", "rate", "unit"] {
                if text(l, field).is_none()
                    && let Some(v) = item.get(field)
                {
                    l.insert(field.into(), v.clone());
                }
            }
        }
        account(data, l, "account_id")?;
        let rate = amount(l, "rate")?.unwrap_or(Decimal::ZERO);
        // Quantities are positive (choices.rs); absent means one.
        let quantity = amount(l, "quantity")?.unwrap_or(Decimal::ONE);
        if quantity <= Decimal::ZERO {
            return Err(Reply::invalid("quantity"));
        }
        let gross = rate * quantity;
        let own = if l.contains_key("discount") {
            discount(l, "discount")?
        } else {
            amount(l, "discount_amount")?.map(Discount::Amount)
        };
        let off = match own {
            Some(d) if line_discounts => d.on(gross),
            _ => Decimal::ZERO,
        };
        if off > gross.abs() {
            return Err(Reply::invalid("discount"));
        }
        let line_amount = money::cents(gross - off);
        let tax = match reference(data, l, "tax_id", Kind::Taxes, "Tax")? {
            Some((_, tax)) => {
                let pct = tax_rate(&tax);
                l.insert("tax_percentage".into(), money::to_json(pct));
                if let Some(name) = tax.get("tax_name") {
                    l.insert("tax_name".into(), name.clone());
                }
                if let Some(kind) = tax.get("tax_type") {
                    l.insert("tax_type".into(), kind.clone());
                }
                Some((pct, tax.get("tax_name").cloned()))
            }
            None => None,
        };
        let item_total = match &tax {
            Some((pct, _)) if inclusive => {
                line_amount - money::cents(line_amount * pct / (Decimal::ONE_HUNDRED + pct))
            }
            _ => line_amount,
        };
        l.insert("rate".into(), money::to_json(rate));
        l.insert("quantity".into(), money::to_json(quantity));
        l.insert("discount_amount".into(), money::to_json(money::cents(off)));
        l.insert("item_total".into(), money::to_json(item_total));
        if text(l, "line_item_id").is_none() {
            l.insert(
                "line_item_id".into(),
                Value::String(ctx.next_id().to_string()),
            );
        }
        priced.push(Priced {
            amount: line_amount,
            tax,
        });
    }
    write_totals(record, &priced, entity_discount, before_tax, inclusive)
}

/// Writes sub_total, tax_total, taxes, total and balance (after what was already paid).
fn write_totals(
    record: &mut Record,
    lines: &[Priced],
    entity_discount: Option<Discount>,
    before_tax: bool,
    inclusive: bool,
) -> Result<(), Reply> {
    let gross: Decimal = lines.iter().map(|l| l.amount).sum();
    // Before tax, the discount is a share of each line's taxable amount.
    let discount_before = match entity_discount {
        Some(d) if before_tax => money::cents(d.on(gross)),
        _ => Decimal::ZERO,
    };
    if discount_before > gross.abs() {
        return Err(Reply::invalid("discount"));
    }
    let mut sub_total = Decimal::ZERO;
    let mut tax_total = Decimal::ZERO;
    let mut by_tax: Vec<(Value, Decimal)> = Vec::new();
    for line in lines {
        let Some((pct, name)) = &line.tax else {
            sub_total += line.amount;
            continue;
        };
        let tax = if inclusive {
            let carved = money::cents(line.amount * pct / (Decimal::ONE_HUNDRED + pct));
            sub_total += line.amount - carved;
            carved
        } else {
            sub_total += line.amount;
            let share = if gross.is_zero() {
                Decimal::ZERO
            } else {
                discount_before * line.amount / gross
            };
            (line.amount - share) * pct / Decimal::ONE_HUNDRED
        };
        tax_total += tax;
        let name = name.clone().unwrap_or(Value::Null);
        match by_tax.iter_mut().find(|(n, _)| *n == name) {
            Some((_, sum)) => *sum += tax,
            None => by_tax.push((name, tax)),
        }
    }
    let tax_total = money::cents(tax_total);
    let discount_total = match entity_discount {
        Some(_) if before_tax => discount_before,
        Some(d) => money::cents(d.on(sub_total + tax_total)),
        None => Decimal::ZERO,
    };
    if discount_total > (sub_total + tax_total).abs() {
        return Err(Reply::invalid("discount"));
    }
    let shipping = amount(record, "shipping_charge")?.unwrap_or(Decimal::ZERO);
    let adjustment = amount(record, "adjustment")?.unwrap_or(Decimal::ZERO);
    let total = money::cents(sub_total - discount_total + tax_total + shipping + adjustment);
    let paid = amount(record, "payment_made")?.unwrap_or(Decimal::ZERO);
    let taxes: Vec<Value> = by_tax
        .into_iter()
        .map(|(name, sum)| json!({"tax_name": name, "tax_amount": money::to_json(money::cents(sum))}))
        .collect();
    record.insert("taxes".into(), Value::Array(taxes));
    record.insert("shipping_charge".into(), money::to_json(shipping));
    record.insert("adjustment".into(), money::to_json(adjustment));
    record.insert("sub_total".into(), money::to_json(sub_total));
    record.insert("tax_total".into(), money::to_json(tax_total));
    record.insert("total".into(), money::to_json(total));
    record.insert("balance".into(), money::to_json(total - paid));
    record.insert("payment_made".into(), money::to_json(paid));
    Ok(())
}

fn dates(record: &mut Record, field: &str, ctx: &Ctx<'_>) -> Result<String, Reply> {
    match text(record, field) {
        Some(d) if time::is_date(&d) => Ok(d),
        Some(_) => Err(Reply::invalid(field)),
        None => {
            let today = time::date(ctx.now);
            record.insert(field.into(), Value::String(today.clone()));
            Ok(today)
        }
    }
}

fn prepare_invoice(
    data: &mut OrgData,
    ctx: &Ctx<'_>,
    record: &mut Record,
    own_id: Option<u64>,
    old: &Record,
) -> Result<(), Reply> {
    let (_, customer) = party(data, record, "customer_id", "customer", "Customer")?
        .ok_or_else(|| Reply::invalid("customer_id"))?;
    let customer_name = customer.get("contact_name").cloned();
    if let Some(name) = customer_name {
        record.insert("customer_name".into(), name);
    }
    let date = dates(record, "date", ctx)?;
    if text(record, "due_date").is_none() {
        record.insert("due_date".into(), Value::String(date));
    } else {
        dates(record, "due_date", ctx)?;
    }
    // Auto-numbering (reference §5.2): a number of one's own only with the flag.
    let number = if ctx.own_number {
        let n = text(record, "invoice_number").ok_or_else(|| Reply::invalid("invoice_number"))?;
        if let Some(other) = data.find_unique(Kind::Invoices, "invoice_number", &n)
            && Some(other) != own_id
        {
            return Err(Reply::duplicate(
                crate::choices::DUPLICATE_CODE,
                "Invalid value passed for invoice_number",
            ));
        }
        n
    } else if let Some(n) = text(old, "invoice_number") {
        n
    } else {
        loop {
            let n = format!("INV-{:06}", data.next_in_sequence("invoice"));
            if data
                .find_unique(Kind::Invoices, "invoice_number", &n)
                .is_none()
            {
                break n;
            }
        }
    };
    record.insert("invoice_number".into(), Value::String(number));
    record
        .entry("status")
        .or_insert_with(|| Value::String("draft".into()));
    record
        .entry("currency_code")
        .or_insert_with(|| Value::String(ctx.org.currency_code.clone()));
    price_lines(data, ctx, record)
}

fn prepare_bill(
    data: &OrgData,
    ctx: &Ctx<'_>,
    record: &mut Record,
    _old: &Record,
) -> Result<(), Reply> {
    let (_, vendor) = party(data, record, "vendor_id", "vendor", "Vendor")?
        .ok_or_else(|| Reply::invalid("vendor_id"))?;
    if let Some(name) = vendor.get("contact_name").cloned() {
        record.insert("vendor_name".into(), name);
    }
    let date = dates(record, "date", ctx)?;
    if text(record, "due_date").is_none() {
        record.insert("due_date".into(), Value::String(date));
    }
    record
        .entry("status")
        .or_insert_with(|| Value::String("open".into()));
    record
        .entry("currency_code")
        .or_insert_with(|| Value::String(ctx.org.currency_code.clone()));
    price_lines(data, ctx, record)
}

/// The kinds a payment kind pays: (target kind, list key, id key, number key, party key).
fn payment_targets(kind: Kind) -> (Kind, &'static str, &'static str, &'static str, &'static str) {
    if kind == Kind::CustomerPayments {
        let invoices = Kind::Invoices.def();
        (
            Kind::Invoices,
            invoices.plural,
            invoices.id_field,
            invoices.name_field,
            "customer_id",
        )
    } else {
        let bills = Kind::Bills.def();
        (
            Kind::Bills,
            bills.plural,
            bills.id_field,
            bills.name_field,
            "vendor_id",
        )
    }
}

/// (target id, amount applied) of a payment record.
fn applications(kind: Kind, record: &Record) -> Result<Vec<(u64, Decimal)>, Reply> {
    let (_, list_key, id_key, _, _) = payment_targets(kind);
    let Some(list) = record.get(list_key) else {
        return Ok(Vec::new());
    };
    let Value::Array(list) = list else {
        return Err(Reply::invalid(list_key));
    };
    let mut out = Vec::new();
    for entry in list {
        let Value::Object(e) = entry else {
            return Err(Reply::invalid(list_key));
        };
        let id = text(e, id_key)
            .and_then(|t| parse_id(&t))
            .ok_or_else(|| Reply::invalid(id_key))?;
        let applied =
            amount(e, "amount_applied")?.ok_or_else(|| Reply::invalid("amount_applied"))?;
        if applied < Decimal::ZERO {
            return Err(Reply::invalid("amount_applied"));
        }
        out.push((id, applied));
    }
    Ok(out)
}

fn prepare_payment(
    data: &OrgData,
    ctx: &Ctx<'_>,
    kind: Kind,
    record: &mut Record,
    old: &Record,
) -> Result<(), Reply> {
    let (target, list_key, id_key, number_key, party_key) = payment_targets(kind);
    let (party_kind_label, party_name_key, party_type, account_key) =
        if kind == Kind::CustomerPayments {
            ("Customer", "customer_name", "customer", "account_id")
        } else {
            ("Vendor", "vendor_name", "vendor", "paid_through_account_id")
        };
    let party = party(data, record, party_key, party_type, party_kind_label)?;
    if let Some(account) = account(data, record, account_key)?
        && let Some(name) = account.get("account_name").cloned()
    {
        let name_key = if kind == Kind::CustomerPayments {
            "account_name"
        } else {
            "paid_through_account_name"
        };
        record.insert(name_key.into(), name);
    }
    if let Some((_, contact)) = &party
        && let Some(name) = contact.get("contact_name").cloned()
    {
        record.insert(party_name_key.into(), name);
    }
    let party_id = party.map(|(id, _)| id);
    let total = amount(record, "amount")?.ok_or_else(|| Reply::invalid("amount"))?;
    dates(record, "date", ctx)?;
    let old_apps = applications(kind, old)?;
    let new_apps = applications(kind, record)?;
    let target_label = target.def().label;
    let mut applied_sum = Decimal::ZERO;
    let mut entries = Vec::new();
    for (id, applied) in &new_apps {
        let doc = data.get(target, *id).ok_or_else(|| missing(target_label))?;
        if let (Some(party), Some(owner)) = (party_id, text(&doc, party_key))
            && owner != party.to_string()
        {
            return Err(Reply::invalid(id_key));
        }
        let balance = doc
            .get("balance")
            .and_then(money::parse)
            .unwrap_or(Decimal::ZERO);
        let before: Decimal = old_apps
            .iter()
            .filter(|(i, _)| i == id)
            .map(|(_, a)| *a)
            .sum();
        let now: Decimal = new_apps
            .iter()
            .filter(|(i, _)| i == id)
            .map(|(_, a)| *a)
            .sum();
        // A void document takes no new payment (choices.rs).
        if now > before && text(&doc, "status").as_deref() == Some("void") {
            return Err(Reply::invalid(id_key));
        }
        if now > balance + before {
            // Zoho Invoice documents 24016 for an invoice (evidence row 8a); a bill's code is
            // unknown (choices.rs).
            return Err(if target == Kind::Invoices {
                Reply::zoho(
                    crate::choices::BAD_REQUEST_STATUS,
                    crate::choices::OVER_BALANCE_CODE,
                    crate::choices::OVER_BALANCE_MESSAGE,
                )
            } else {
                Reply::invalid("amount_applied")
            });
        }
        applied_sum += *applied;
        entries.push(json!({
            id_key: id.to_string(),
            number_key: doc.get(number_key).cloned().unwrap_or(Value::Null),
            "amount_applied": money::to_json(*applied),
            "total": doc.get("total").cloned().unwrap_or(Value::Null),
            "date": doc.get("date").cloned().unwrap_or(Value::Null),
        }));
    }
    if applied_sum > total {
        return Err(Reply::invalid("amount_applied"));
    }
    if record.contains_key(list_key) {
        record.insert(list_key.into(), Value::Array(entries));
    }
    record.insert("amount".into(), money::to_json(total));
    let unused_key = if kind == Kind::CustomerPayments {
        "unused_amount"
    } else {
        "balance"
    };
    record.insert(unused_key.into(), money::to_json(total - applied_sum));
    if text(record, "payment_number").is_none() {
        // Each payment kind numbers its own, in a sequence named by its envelope key.
        let n = data_sequence_peek(data, kind.def().singular);
        record.insert("payment_number".into(), Value::String(n.to_string()));
    }
    Ok(())
}

/// The next number a sequence will give (taken for real in `commit_payments`).
fn data_sequence_peek(data: &OrgData, name: &str) -> u64 {
    data.sequences.get(name).copied().unwrap_or(0) + 1
}

/// Moves payment amounts from the old applications to the new ones, on the invoices or bills
/// themselves (balance, payment_made, status). Checks were done in `prepare_payment`.
fn commit_payments(
    data: &mut OrgData,
    kind: Kind,
    old: &Record,
    new: &Record,
    ctx: &Ctx<'_>,
) -> Result<(), Reply> {
    if !matches!(kind, Kind::CustomerPayments | Kind::VendorPayments) {
        return Ok(());
    }
    if old.is_empty() && !new.is_empty() {
        data.next_in_sequence(kind.def().singular);
    }
    let (target, ..) = payment_targets(kind);
    let mut deltas: Vec<(u64, Decimal)> = applications(kind, old)?
        .into_iter()
        .map(|(id, a)| (id, -a))
        .collect();
    deltas.extend(applications(kind, new)?);
    let dates = LastPayments::new(kind, old, new)?;
    for (id, delta) in deltas {
        let Some(mut doc) = data.get(target, id) else {
            continue;
        };
        let paid = doc
            .get("payment_made")
            .and_then(money::parse)
            .unwrap_or(Decimal::ZERO)
            + delta;
        let total = doc
            .get("total")
            .and_then(money::parse)
            .unwrap_or(Decimal::ZERO);
        let balance = total - paid;
        doc.insert("payment_made".into(), money::to_json(paid));
        doc.insert("balance".into(), money::to_json(balance));
        let unpaid = if target == Kind::Invoices {
            "sent"
        } else {
            "open"
        };
        let status = if text(&doc, "status").as_deref() == Some("void") {
            "void"
        } else if paid <= Decimal::ZERO {
            unpaid
        } else if balance <= Decimal::ZERO {
            "paid"
        } else {
            "partially_paid"
        };
        doc.insert("status".into(), Value::String(status.into()));
        if target == Kind::Invoices {
            match dates.of(data, &doc, id, paid)? {
                Some(date) => doc.insert("last_payment_date".into(), Value::String(date)),
                None => doc.remove("last_payment_date"),
            };
        }
        data.insert(target, id, &doc, &ctx.org.unique_custom_fields);
    }
    Ok(())
}

/// The `last_payment_date` of the invoices a payment change touches: the latest date of the
/// payments applying something to each (choices.rs).
struct LastPayments<'a> {
    kind: Kind,
    /// The payment's id (old or new record).
    payment: Option<u64>,
    /// Ids the old record applied to (their date must be looked for anew).
    before: Vec<u64>,
    new: &'a Record,
}

impl<'a> LastPayments<'a> {
    fn new(kind: Kind, old: &Record, new: &'a Record) -> Result<Self, Reply> {
        let id_field = kind.def().id_field;
        let payment = text(new, id_field)
            .or_else(|| text(old, id_field))
            .and_then(|t| parse_id(&t));
        let before = applications(kind, old)?
            .into_iter()
            .filter(|(_, a)| *a > Decimal::ZERO)
            .map(|(id, _)| id)
            .collect();
        Ok(LastPayments {
            kind,
            payment,
            before,
            new,
        })
    }

    /// The date of the payment `record` for the invoice `doc`, if it applies something to it.
    fn date_for(kind: Kind, record: &Record, doc: u64) -> Result<Option<String>, Reply> {
        let applies = applications(kind, record)?
            .iter()
            .any(|(id, a)| *id == doc && *a > Decimal::ZERO);
        Ok(if applies { text(record, "date") } else { None })
    }

    /// The invoice's last payment date once this change is made (`paid` is what it has been
    /// paid in all).
    fn of(
        &self,
        data: &OrgData,
        doc: &Record,
        doc_id: u64,
        paid: Decimal,
    ) -> Result<Option<String>, Reply> {
        if paid <= Decimal::ZERO {
            return Ok(None);
        }
        let mine = Self::date_for(self.kind, self.new, doc_id)?;
        if !self.before.contains(&doc_id) {
            // Only added to: the later of what it had and this payment's date.
            return Ok(text(doc, "last_payment_date").max(mine));
        }
        // Something was taken away or moved: ask every other payment (rare: an update or a
        // delete of a payment).
        let mut last = mine;
        for (id, stored) in data.table(self.kind).records() {
            if Some(*id) == self.payment {
                continue;
            }
            let other = Self::date_for(self.kind, &stored.decode(), doc_id)?;
            last = last.max(other);
        }
        Ok(last)
    }
}

fn prepare_journal(
    data: &mut OrgData,
    ctx: &Ctx<'_>,
    record: &mut Record,
    own_id: Option<u64>,
) -> Result<(), Reply> {
    dates(record, "journal_date", ctx)?;
    let mut debits = Decimal::ZERO;
    let mut sides: Vec<(String, String)> = Vec::new();
    if let Some(lines) = record.get_mut("line_items") {
        let Value::Array(lines) = lines else {
            return Err(Reply::invalid("line_items"));
        };
        for line in lines.iter_mut() {
            let Value::Object(l) = line else {
                return Err(Reply::invalid("line_items"));
            };
            let side =
                text(l, "debit_or_credit").ok_or_else(|| Reply::invalid("debit_or_credit"))?;
            if side != "debit" && side != "credit" {
                return Err(Reply::invalid("debit_or_credit"));
            }
            let value = amount(l, "amount")?.ok_or_else(|| Reply::invalid("amount"))?;
            // A journal line posts to an account (choices.rs).
            let account =
                account(data, l, "account_id")?.ok_or_else(|| Reply::invalid("account_id"))?;
            if let Some(name) = account.get("account_name").cloned() {
                l.insert("account_name".into(), name);
            }
            // One account on both sides is refused with Zoho's observed 400/4 (evidence X4).
            let account_id = text(l, "account_id").unwrap_or_default();
            if sides.iter().any(|(a, s)| *a == account_id && *s != side) {
                return Err(Reply::zoho(
                    crate::choices::BAD_REQUEST_STATUS,
                    4,
                    "Invalid value passed for Amount",
                ));
            }
            sides.push((account_id, side.clone()));
            if side == "debit" {
                debits += value;
            }
            l.insert("amount".into(), money::to_json(value));
            if text(l, "line_id").is_none() {
                l.insert("line_id".into(), Value::String(ctx.next_id().to_string()));
            }
        }
    }
    record.insert("total".into(), money::to_json(money::cents(debits)));
    if own_id.is_none() && text(record, "entry_number").is_none() {
        let n = data.next_in_sequence("journal");
        record.insert("entry_number".into(), Value::String(n.to_string()));
    }
    record
        .entry("status")
        .or_insert_with(|| Value::String("published".into()));
    record
        .entry("currency_code")
        .or_insert_with(|| Value::String(ctx.org.currency_code.clone()));
    Ok(())
}

/// The natural keys of a record (`invoice_number=INV-000001`, `cf_source_id=A-17`).
pub(crate) fn natural_keys(kind: Kind, record: &Record, org: &OrgMeta) -> Vec<String> {
    let mut keys: Vec<String> = kind
        .def()
        .key_fields
        .iter()
        .filter_map(|f| text(record, f).map(|v| format!("{f}={v}")))
        .collect();
    for cf in &org.unique_custom_fields {
        if let Some(v) = custom_field(record, cf) {
            keys.push(format!("{cf}={v}"));
        }
    }
    keys
}
