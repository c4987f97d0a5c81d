//! Whole Zoho objects: the values Zoho fills in for fields a caller did not send, and the ones it
//! computes, so an answer carries real values rather than the empty placeholders shape.rs widens
//! a sparse record with.
//!
//! Two moments:
//! - [`at_write`], before a create or update is checked: the defaults that need the books (an
//!   item's account is the organization's Sales account; an invoice's or bill's payment terms and
//!   due date come from its contact). They are stored with the record.
//! - [`render`], on the way out: what is the same for every record of an organization (its
//!   currency's id and symbol, `exchange_rate` 1, `price_precision` 2), what a record's own fields
//!   give (labels, totals in the base currency, the numbers of the documents a payment pays) and
//!   what depends on the day (an unpaid invoice or bill past its due date is `overdue`). Nothing
//!   of this is stored, so 100,000 packed invoices stay as small as they were.
//!
//! Every default chosen where Zoho's sources are silent is in choices.rs.

use std::borrow::Cow;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use zbooks_types::DataCenter;

use crate::resources::Kind;
use crate::store::{OrgData, OrgMeta, Record, parse_id, text};
use crate::time;

/// The Zoho label of payment terms of `days` days ("Due on Receipt" for 0, "Net 30" …).
pub(crate) fn terms_label(days: i64) -> String {
    if days <= 0 {
        "Due on Receipt".to_owned()
    } else {
        format!("Net {days}")
    }
}

/// (code, symbol, decimal places shown) of the currencies the simulator knows, in a fixed order
/// (their ids derive from it).
const CURRENCIES: [(&str, &str); 12] = [
    ("INR", "₹"),
    ("USD", "$"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("AUD", "$"),
    ("CAD", "$"),
    ("JPY", "¥"),
    ("CNY", "¥"),
    ("SAR", "SAR"),
    ("AED", "AED"),
    ("SGD", "$"),
    ("ZAR", "R"),
];

/// The symbol of a currency (its code when unknown).
pub(crate) fn currency_symbol(code: &str) -> String {
    CURRENCIES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map_or_else(|| code.to_owned(), |(_, s)| (*s).to_owned())
}

/// The id of a currency in an organization: a 15-digit id like Zoho's, fixed for the pair, so
/// the organization, its contacts and its documents agree on it.
pub(crate) fn currency_id(org: &OrgMeta, code: &str) -> String {
    let index = CURRENCIES
        .iter()
        .position(|(c, _)| c.eq_ignore_ascii_case(code))
        .unwrap_or(CURRENCIES.len());
    let org_part = org
        .organization_id
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0u64, |n, b| (n * 10 + u64::from(b - b'0')) % 1_000_000);
    (460_000_000_000_000 + org_part * 1_000 + 100 + index as u64).to_string()
}

/// Zoho's number format of a currency (`currency_format`).
fn currency_format(code: &str) -> &'static str {
    if code.eq_ignore_ascii_case("INR") {
        "##,##,##0.00"
    } else {
        "###,##0.00"
    }
}

/// (time zone, country, country code, Zoho edition) of an organization's data center.
fn region(dc: DataCenter) -> (&'static str, &'static str, &'static str, &'static str) {
    match dc {
        DataCenter::In => ("Asia/Calcutta", "India", "IN", "india"),
        DataCenter::Eu => ("Europe/Berlin", "Germany", "DE", "eu"),
        DataCenter::Au => ("Australia/Sydney", "Australia", "AU", "australia"),
        DataCenter::Jp => ("Asia/Tokyo", "Japan", "JP", "global"),
        DataCenter::Cn => ("Asia/Shanghai", "China", "CN", "global"),
        DataCenter::Sa => ("Asia/Riyadh", "Saudi Arabia", "SA", "saudiarabia"),
        DataCenter::Ca => ("America/Toronto", "Canada", "CA", "canada"),
        DataCenter::Us => ("America/Los_Angeles", "U.S.A", "US", "us"),
    }
}

/// The organization object of `GET /organizations` and `GET /organizations/{id}`, every field
/// Zoho documents (and those Zoho's own SDKs read) with the organization's values.
pub(crate) fn organization(org: &OrgMeta, is_default: bool) -> Value {
    let (time_zone, country, _, version) = region(org.dc);
    let plan = org.plan.name().to_ascii_uppercase();
    let created = org.created;
    let created_date = time::date(created);
    let formatted = formatted_date(&created_date);
    let india = org.dc == DataCenter::In;
    let mut out = json!({
        "organization_id": org.organization_id,
        "name": org.name,
        "contact_name": org.name,
        "email": "",
        "is_default_org": is_default,
        "is_org_active": !org.trial_expired,
        "version": version,
        "user_role": "admin",
        "user_status": "active",
        "plan_type": plan_type(org.plan),
        "plan_name": plan,
        "plan_period": if org.trial_expired { "trial_expired" } else { "yearly" },
        "tax_group_enabled": india,
        "zi_migration_status": 0,
        "language_code": "en",
        // 0-based month: India's fiscal year starts in April, elsewhere in January.
        "fiscal_year_start_month": if india { 3 } else { 0 },
        "account_created_date": created_date,
        "account_created_date_formatted": formatted,
        "time_zone": time_zone,
        "date_format": "dd MMM yyyy",
        "field_separator": " ",
        "currency_id": currency_id(org, &org.currency_code),
        "currency_code": org.currency_code,
        "currency_symbol": currency_symbol(&org.currency_code),
        "currency_format": currency_format(&org.currency_code),
        "price_precision": 2,
    });
    let more = json!({
        "industry_type": "",
        "industry_size": "",
        "company_id_label": if india { "PAN" } else { "Company ID" },
        "company_id_value": "",
        "tax_id_label": if india { "GSTIN" } else { "Tax ID" },
        "tax_id_value": "",
        "tax_basis": "accrual",
        "address": {
            "street_address1": "", "street_address2": "", "city": "", "state": "",
            "country": country, "zip": "",
        },
        "org_address": "",
        "remit_to_address": "",
        "phone": "",
        "fax": "",
        "website": "",
        "custom_fields": [],
        "is_new_customer_custom_fields": false,
        "is_portal_enabled": false,
        "portal_name": "",
        "is_logo_uploaded": false,
        "data_center": org.dc.name(),
    });
    if let (Value::Object(out), Value::Object(more)) = (&mut out, more) {
        out.extend(more);
    }
    out
}

/// `plan_type`: Zoho's number for a plan. Only Professional's is seen (130, beside
/// `PROFESSIONAL` in organizations.yml's example); the others follow it (choices.rs).
fn plan_type(plan: zbooks_types::Plan) -> u32 {
    use zbooks_types::Plan;
    match plan {
        Plan::Free => 100,
        Plan::Standard => 120,
        Plan::Professional => 130,
        Plan::Premium => 140,
        Plan::Elite => 150,
        Plan::Ultimate => 160,
    }
}

/// `15 Feb 2012` from `2012-02-15` (organizations.yml's `*_formatted` example).
fn formatted_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = date
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match (date.get(0..4), month, date.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d} {m} {y}"),
        _ => date.to_owned(),
    }
}

/// The organization's Sales account: (id, name), the account Zoho gives an item created
/// without one.
fn sales_account(data: &OrgData) -> Option<(String, String)> {
    data.table(Kind::ChartOfAccounts)
        .records()
        .iter()
        .find(|(_, s)| {
            s.text(Kind::ChartOfAccounts, "account_name")
                .is_some_and(|n| n == "Sales")
        })
        .map(|(id, _)| (id.to_string(), "Sales".to_owned()))
}

/// A whole number of days from a JSON value (`30`, `"30"`).
fn days(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Defaults that need the books, stored with the record; called before a create or update is
/// checked (it leaves anything it cannot read for those checks to refuse).
pub(crate) fn at_write(data: &OrgData, org: &OrgMeta, today: i64, kind: Kind, record: &mut Record) {
    let _ = org;
    match kind {
        Kind::Items => {
            if text(record, "account_id").is_none()
                && let Some((id, name)) = sales_account(data)
            {
                record.insert("account_id".into(), Value::String(id));
                record.insert("account_name".into(), Value::String(name));
            } else if text(record, "account_name").is_none()
                && let Some(id) = text(record, "account_id").and_then(|t| parse_id(&t))
                && let Some(account) = data.get(Kind::ChartOfAccounts, id)
                && let Some(name) = account.get("account_name")
            {
                record.insert("account_name".into(), name.clone());
            }
        }
        Kind::Invoices | Kind::Bills => {
            let party = if kind == Kind::Invoices {
                "customer_id"
            } else {
                "vendor_id"
            };
            let contact = text(record, party)
                .and_then(|t| parse_id(&t))
                .and_then(|id| data.get(Kind::Contacts, id));
            let terms = days(record.get("payment_terms")).or_else(|| {
                let c = contact.as_ref()?;
                let terms = days(c.get("payment_terms"))?;
                record.insert("payment_terms".into(), Value::from(terms));
                if let Some(label) = c.get("payment_terms_label").filter(|l| !l.is_null()) {
                    record.insert("payment_terms_label".into(), label.clone());
                }
                Some(terms)
            });
            if let Some(terms) = terms.filter(|t| *t > 0)
                && text(record, "due_date").is_none()
            {
                let start = match text(record, "date") {
                    Some(d) => time::days_of(&d),
                    None => Some(today),
                };
                if let Some(start) = start {
                    record.insert(
                        "due_date".into(),
                        Value::String(time::date_of_days(start + terms)),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The status a document shows today: an unpaid invoice (`sent`, `partially_paid`) or bill
/// (`open`, `partially_paid`) past its due date with a balance is `overdue` (choices.rs).
pub(crate) fn effective_status<'a>(
    kind: Kind,
    status: Option<Cow<'a, str>>,
    due_date: Option<&str>,
    balance: Option<&str>,
    today: i64,
) -> Option<Cow<'a, str>> {
    let stored = status?;
    let unpaid = match kind {
        Kind::Invoices => matches!(&*stored, "sent" | "partially_paid" | "viewed"),
        Kind::Bills => matches!(&*stored, "open" | "partially_paid"),
        _ => false,
    };
    let owing = balance
        .and_then(|b| Decimal::from_str(b.trim()).ok())
        .is_some_and(|b| b > Decimal::ZERO);
    let past = due_date
        .and_then(time::days_of)
        .is_some_and(|due| due < today);
    if unpaid && owing && past {
        Some(Cow::Borrowed("overdue"))
    } else {
        Some(stored)
    }
}

/// `Due Today`, `Due in 3 days`, `Overdue by 1 day`: the `due_days` of a document with a
/// balance that is neither draft nor void.
fn due_days(record: &Record, status: &str, today: i64) -> Option<String> {
    if matches!(status, "draft" | "void" | "paid") {
        return None;
    }
    let due = time::days_of(&text(record, "due_date")?)?;
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    Some(match due - today {
        0 => "Due Today".to_owned(),
        n if n > 0 => format!("Due in {n} {}", plural(n)),
        n => format!("Overdue by {} {}", -n, plural(-n)),
    })
}

/// Inserts `value()` under `key` unless the record already holds something there (the value
/// is made only when it goes in: every answer passes here).
fn default(record: &mut Record, key: &str, value: impl FnOnce() -> Value) {
    match record.get_mut(key) {
        None => {
            record.insert(key.to_owned(), value());
        }
        Some(slot) if slot.is_null() || slot.as_str() == Some("") => *slot = value(),
        _ => {}
    }
}

/// The currency fields of a record in the organization's currency (or its own, if it has one).
fn currency(record: &mut Record, org: &OrgMeta, with_rate: bool) {
    let code = text(record, "currency_code").unwrap_or_else(|| org.currency_code.clone());
    default(record, "currency_code", || Value::String(code.clone()));
    default(record, "currency_id", || {
        Value::String(currency_id(org, &code))
    });
    default(record, "currency_symbol", || {
        Value::String(currency_symbol(&code))
    });
    if with_rate {
        default(record, "exchange_rate", || Value::from(1));
    }
}

fn terms(record: &mut Record) {
    let days = days(record.get("payment_terms")).unwrap_or(0);
    default(record, "payment_terms", || Value::from(days));
    default(record, "payment_terms_label", || {
        Value::String(terms_label(days))
    });
}

/// Every top-level key [`render`] reads or writes for a kind, besides those of payments (whose
/// answers are never rendered from the stored record alone): a record's other keys pass
/// through `render` untouched, so an answer may take them straight from the stored record
/// (books.rs renders GET answers so). Keep it beside `render`: a key `render` comes to read
/// and this list lacks would be rendered as if absent (the tests in books.rs compare both).
pub(crate) fn render_keys(kind: Kind) -> Option<&'static [&'static str]> {
    const CURRENCY: [&str; 3] = ["currency_code", "currency_id", "currency_symbol"];
    Some(match kind {
        Kind::Contacts => &[
            "contact_type",
            "status",
            "customer_sub_type",
            "language_code",
            CURRENCY[0],
            CURRENCY[1],
            CURRENCY[2],
            "payment_terms",
            "payment_terms_label",
            "contact_persons",
            "primary_contact_id",
            "contact_salutation",
        ],
        Kind::Items => &["status", "item_type", "product_type"],
        Kind::Invoices | Kind::Bills => &[
            "balance",
            "due_date",
            "status",
            "due_days",
            CURRENCY[0],
            CURRENCY[1],
            CURRENCY[2],
            "exchange_rate",
            "price_precision",
            "payment_terms",
            "payment_terms_label",
            "line_items",
        ],
        Kind::Journals => &[
            CURRENCY[0],
            CURRENCY[1],
            CURRENCY[2],
            "exchange_rate",
            "journal_type",
            "entity_type",
            "price_precision",
            "total",
            "bcy_total",
            "line_item_total",
        ],
        Kind::ChartOfAccounts => &[
            CURRENCY[0],
            CURRENCY[1],
            CURRENCY[2],
            "is_system_account",
            "is_user_created",
            "is_active",
        ],
        Kind::Taxes => &[
            "tax_type",
            "country",
            "country_code",
            "is_editable",
            "is_default_tax",
        ],
        Kind::CustomerPayments | Kind::VendorPayments => return None,
    })
}

/// What [`render`] sets in line `index` (0-based) of an invoice's or bill's `line_items`,
/// given the line's own values (`get`): `(key, value)` pairs, the defaults of the line's
/// `item_order` (its place) and `bcy_rate` (its `rate`). GET answers written from the stored
/// record (books.rs) set the same through this.
pub(crate) fn line_item_changes(
    index: usize,
    get: impl Fn(&str) -> Option<Value>,
) -> Vec<(&'static str, Value)> {
    // `default`'s test: absent, null or "".
    let blank = |key: &str| get(key).is_none_or(|v| v.is_null() || v.as_str() == Some(""));
    let mut set = Vec::new();
    if blank("item_order") {
        set.push(("item_order", Value::from(index + 1)));
    }
    if let Some(rate) = get("rate")
        && blank("bcy_rate")
    {
        set.push(("bcy_rate", rate));
    }
    set
}

/// A record made whole for an answer (see the module's documentation).
pub(crate) fn render(kind: Kind, record: &mut Record, org: &OrgMeta, today: i64) {
    match kind {
        Kind::Contacts => {
            default(record, "contact_type", || Value::String("customer".into()));
            default(record, "status", || Value::String("active".into()));
            default(record, "customer_sub_type", || {
                Value::String("business".into())
            });
            default(record, "language_code", || Value::String("en".into()));
            currency(record, org, false);
            terms(record);
            let primary = record
                .get("contact_persons")
                .and_then(Value::as_array)
                .and_then(|list| {
                    list.iter()
                        .find(|p| p.get("is_primary_contact") == Some(&Value::Bool(true)))
                        .or_else(|| list.first())
                })
                .cloned();
            let salutation = primary
                .as_ref()
                .and_then(|p| p.get("salutation"))
                .cloned()
                .unwrap_or_else(|| Value::String(String::new()));
            if let Some(id) = primary.as_ref().and_then(|p| p.get("contact_person_id")) {
                default(record, "primary_contact_id", || id.clone());
            }
            record.entry("contact_salutation").or_insert(salutation);
        }
        Kind::Items => {
            default(record, "status", || Value::String("active".into()));
            default(record, "item_type", || Value::String("sales".into()));
            default(record, "product_type", || Value::String("goods".into()));
        }
        Kind::Invoices | Kind::Bills => {
            let balance = record.get("balance").map(Value::to_string);
            let due = text(record, "due_date");
            let stored = text(record, "status").map(Cow::Owned);
            if let Some(status) =
                effective_status(kind, stored, due.as_deref(), balance.as_deref(), today)
            {
                let status = status.into_owned();
                if let Some(d) = due_days(record, &status, today) {
                    default(record, "due_days", || Value::String(d));
                }
                record.insert("status".into(), Value::String(status));
            }
            currency(record, org, true);
            default(record, "price_precision", || Value::from(2));
            terms(record);
            if let Some(Value::Array(lines)) = record.get_mut("line_items") {
                for (i, line) in lines.iter_mut().enumerate() {
                    if let Value::Object(l) = line {
                        for (key, value) in line_item_changes(i, |k| l.get(k).cloned()) {
                            l.insert(key.to_owned(), value);
                        }
                    }
                }
            }
        }
        Kind::CustomerPayments => {
            currency(record, org, true);
            if let Some(a) = record.get("amount").cloned() {
                default(record, "bcy_amount", || a);
            }
            let numbers = numbers_of(record, "invoices", "invoice_number");
            default(record, "invoice_number", || Value::String(numbers));
            if let Some(Value::Array(list)) = record.get_mut("invoices") {
                for entry in list.iter_mut() {
                    if let Value::Object(e) = entry
                        && let Some(total) = e.get("total").cloned()
                    {
                        default(e, "invoice_amount", || total);
                    }
                }
            }
        }
        Kind::VendorPayments => {
            currency(record, org, true);
            for (from, to) in [("amount", "bcy_amount"), ("balance", "bcy_balance")] {
                if let Some(a) = record.get(from).cloned() {
                    default(record, to, || a);
                }
            }
            let numbers = numbers_of(record, "bills", "bill_number");
            default(record, "bill_numbers", || Value::String(numbers));
        }
        Kind::Journals => {
            currency(record, org, true);
            default(record, "journal_type", || Value::String("both".into()));
            default(record, "entity_type", || Value::String("journal".into()));
            default(record, "price_precision", || Value::from(2));
            if let Some(total) = record.get("total").cloned() {
                default(record, "bcy_total", || total.clone());
                default(record, "line_item_total", || total);
            }
        }
        Kind::ChartOfAccounts => {
            currency(record, org, false);
            let system = record.get("is_system_account") == Some(&Value::Bool(true));
            default(record, "is_system_account", || Value::Bool(system));
            default(record, "is_user_created", || Value::Bool(!system));
            default(record, "is_active", || Value::Bool(true));
        }
        Kind::Taxes => {
            let (_, country, code, _) = region(org.dc);
            default(record, "tax_type", || Value::String("tax".into()));
            default(record, "country", || Value::String(country.into()));
            default(record, "country_code", || Value::String(code.into()));
            default(record, "is_editable", || Value::Bool(true));
            default(record, "is_default_tax", || Value::Bool(false));
        }
    }
}

/// The numbers of the documents a payment pays, comma-separated (Zoho's `bill_numbers`).
fn numbers_of(record: &Record, list: &str, key: &str) -> String {
    record
        .get(list)
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| {
                    e.as_object()
                        .and_then(|e: &Map<String, Value>| text(e, key))
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unpaid_document_past_its_due_date_is_overdue() {
        let today = time::days_of("2026-03-10").unwrap_or_default();
        let status = |kind, s: &'static str, due, balance| {
            effective_status(
                kind,
                Some(Cow::Borrowed(s)),
                Some(due),
                Some(balance),
                today,
            )
            .map(Cow::into_owned)
        };
        assert_eq!(
            status(Kind::Invoices, "sent", "2026-03-09", "10").as_deref(),
            Some("overdue")
        );
        assert_eq!(
            status(Kind::Invoices, "partially_paid", "2026-03-01", "1").as_deref(),
            Some("overdue")
        );
        assert_eq!(
            status(Kind::Invoices, "sent", "2026-03-10", "10").as_deref(),
            Some("sent")
        );
        assert_eq!(
            status(Kind::Invoices, "draft", "2026-03-01", "10").as_deref(),
            Some("draft")
        );
        assert_eq!(
            status(Kind::Invoices, "paid", "2026-03-01", "0").as_deref(),
            Some("paid")
        );
        assert_eq!(
            status(Kind::Bills, "open", "2026-03-01", "5").as_deref(),
            Some("overdue")
        );
        assert_eq!(
            status(Kind::Bills, "void", "2026-03-01", "5").as_deref(),
            Some("void")
        );
    }

    #[test]
    fn labels_and_formats() {
        assert_eq!(terms_label(0), "Due on Receipt");
        assert_eq!(terms_label(30), "Net 30");
        assert_eq!(formatted_date("2012-02-15"), "15 Feb 2012");
        assert_eq!(currency_symbol("INR"), "₹");
    }
}
