//! Request validation: a create or update body checked against the request schema Zoho's
//! OpenAPI files document for it, before any entity rule runs (entities.rs).
//!
//! The schemas are static tables generated into `generated.rs` (`requests`), so a check is a
//! walk over the body and a few binary searches: nothing is parsed at run time. What is
//! checked, and with which of Zoho's codes it is refused, is in the table of choices.rs:
//! a value of the wrong JSON type, outside a documented list of values, not a real
//! `yyyy-mm-dd` date, not a GSTIN or an e-mail address gets code 2 `Invalid value passed for
//! <field>`; a string longer than documented, or an object or array where Zoho expects a
//! scalar (or under a key Zoho does not know), gets code 15 `Please ensure that the <key> has
//! less than <N> characters.`; a required field missing gets code 4. Unknown scalar keys pass
//! (Zoho drops them; entities.rs keeps only documented fields). A scenario can make each
//! category lenient ([`Check`]).

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::choices;
use crate::control::config::Check;
use crate::generated::requests;
use crate::resources::Kind;
use crate::rules::reply::Reply;
use crate::schema::{Field, Format, Request, Ty};

/// Which request a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Create,
    Update,
    Upsert,
}

/// The categories of checks a scenario made lenient, as a bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Lenient(pub(crate) u8);

impl Lenient {
    pub(crate) fn from_checks(checks: &[Check]) -> Lenient {
        Lenient(checks.iter().fold(0, |bits, c| bits | c.bit()))
    }

    fn skips(self, check: Check) -> bool {
        self.0 & check.bit() != 0
    }
}

fn request(kind: Kind) -> &'static Request {
    match kind {
        Kind::Contacts => &requests::CONTACT,
        Kind::Items => &requests::ITEM,
        Kind::Invoices => &requests::INVOICE,
        Kind::CustomerPayments => &requests::CUSTOMER_PAYMENT,
        Kind::Bills => &requests::BILL,
        Kind::VendorPayments => &requests::VENDOR_PAYMENT,
        Kind::Journals => &requests::JOURNAL,
        Kind::ChartOfAccounts => &requests::CHART_OF_ACCOUNT,
        Kind::Taxes => &requests::TAX,
    }
}

/// Checks `body` against the documented request of `op` on `kind`; the first problem found is
/// Zoho's answer.
pub(crate) fn check(
    kind: Kind,
    op: Op,
    body: &Map<String, Value>,
    lenient: Lenient,
) -> Result<(), Reply> {
    let req = request(kind);
    let fields = match op {
        Op::Create => req.create,
        Op::Update => req.update,
        Op::Upsert => req.upsert,
    };
    // Top-level required fields bind a create; an update or upsert merges over the stored
    // record, whose completeness entities.rs checks.
    check_object(fields, body, op == Op::Create, lenient)
}

fn check_object(
    fields: &'static [Field],
    map: &Map<String, Value>,
    enforce_required: bool,
    lenient: Lenient,
) -> Result<(), Reply> {
    if enforce_required && !lenient.skips(Check::Required) {
        for field in fields.iter().filter(|f| f.required) {
            // A payment applied to nothing is an advance payment (entities.rs, choices.rs).
            let empty_list = matches!(map.get(field.name), Some(Value::Array(a)) if a.is_empty())
                && payment_list(field.name);
            if !present(map.get(field.name)) && !empty_list {
                return Err(missing(field.name));
            }
        }
    }
    for (key, value) in map {
        match fields.binary_search_by(|f| f.name.cmp(key)) {
            Ok(i) => check_value(&fields[i], &fields[i].ty, value, lenient)?,
            Err(_) => {
                // Unknown scalars are dropped; an unknown object or array is refused the way
                // Zoho refuses `line_items2` (evidence 9b).
                if matches!(value, Value::Object(_) | Value::Array(_))
                    && !lenient.skips(Check::UnknownFields)
                {
                    return Err(too_long(key, choices::SHAPE_LENGTH_LIMIT));
                }
            }
        }
    }
    Ok(())
}

fn present(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

fn check_value(
    field: &Field,
    ty: &'static Ty,
    value: &Value,
    lenient: Lenient,
) -> Result<(), Reply> {
    let types = !lenient.skips(Check::Types);
    let name = field.name;
    match (ty, value) {
        // Null is "not given"; Zoho's own examples give numbers to string fields (ids, zip
        // codes).
        (_, Value::Null)
        | (Ty::Any, _)
        | (Ty::Str | Ty::Num, Value::Number(_))
        | (Ty::Bool, Value::Bool(_)) => Ok(()),
        (Ty::Str, Value::String(s)) => check_string(field, s, lenient),
        // An object or array where Zoho expects a scalar, or a string where it expects one:
        // the length guard answers (evidence 2c).
        (Ty::Str, Value::Object(_) | Value::Array(_))
        | (Ty::Arr(_) | Ty::Obj(_), Value::String(_)) => shape_refused(field, lenient),
        (Ty::Num, Value::String(s)) => {
            let s = s.trim();
            // A discount may be a percentage: `"10%"` (choices.rs).
            let s = match (name, s.strip_suffix('%')) {
                ("discount", Some(pct)) => pct.trim_end(),
                _ => s,
            };
            if !types || s.is_empty() || s.parse::<Decimal>().is_ok() {
                Ok(())
            } else {
                Err(invalid(name))
            }
        }
        (Ty::Int, Value::Number(n)) => {
            let whole = n.is_i64()
                || n.is_u64()
                || n.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.is_finite());
            if whole || !types {
                Ok(())
            } else {
                Err(invalid(name))
            }
        }
        (Ty::Int, Value::String(s)) => {
            if !types || s.trim().is_empty() || s.trim().parse::<i64>().is_ok() {
                Ok(())
            } else {
                Err(invalid(name))
            }
        }
        (Ty::Arr(item), Value::Array(elements)) => {
            for element in elements {
                check_value(field, item, element, lenient)?;
            }
            Ok(())
        }
        (Ty::Obj(fields), Value::Object(map)) => check_object(fields, map, true, lenient),
        _ if types => Err(invalid(name)),
        _ => Ok(()),
    }
}

fn shape_refused(field: &Field, lenient: Lenient) -> Result<(), Reply> {
    if lenient.skips(Check::Types) {
        return Ok(());
    }
    let limit = if field.max_len > 0 {
        field.max_len
    } else {
        choices::SHAPE_LENGTH_LIMIT
    };
    Err(too_long(field.name, limit))
}

fn check_string(field: &Field, s: &str, lenient: Lenient) -> Result<(), Reply> {
    if field.max_len > 0
        && !lenient.skips(Check::Lengths)
        && s.chars().count() > field.max_len as usize
    {
        return Err(too_long(field.name, field.max_len));
    }
    // An empty or blank string stands for "not given" (choices.rs).
    if s.trim().is_empty() {
        return Ok(());
    }
    if !field.one_of.is_empty() && !lenient.skips(Check::Enums) && !field.one_of.contains(&s) {
        return Err(invalid(field.name));
    }
    if !lenient.skips(Check::Formats) {
        let ok = match field.format {
            Format::None => true,
            Format::Date => crate::time::is_calendar_date(s),
            Format::Email => is_email(s),
            Format::Gstin => is_gstin(s),
        };
        if !ok {
            return Err(invalid(field.name));
        }
    }
    Ok(())
}

/// An address with one `@`, a local part, and a dotted domain, without spaces.
pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}

/// The shape of a GSTIN: two digits (the state), a PAN (five letters, four digits, a
/// letter), the entity character, and two more (`Z` and the check character), upper case.
pub(crate) fn is_gstin(s: &str) -> bool {
    let b = s.as_bytes();
    let upper_or_digit = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    b.len() == 15
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..7].iter().all(u8::is_ascii_uppercase)
        && b[7..11].iter().all(u8::is_ascii_digit)
        && b[11].is_ascii_uppercase()
        && b[12..].iter().all(upper_or_digit)
}

/// 400 / 2 `Invalid value passed for <field>`, with the label Zoho is seen to use for some
/// fields (choices.rs).
fn invalid(field: &str) -> Reply {
    let label = choices::FIELD_LABELS
        .iter()
        .find(|(key, _)| *key == field)
        .map_or(field, |(_, label)| label);
    Reply::invalid(label)
}

/// 400 / 4 for a required field missing (choices.rs).
pub(crate) fn missing(field: &str) -> Reply {
    Reply::zoho(
        choices::BAD_REQUEST_STATUS,
        choices::MISSING_FIELD_CODE,
        format!("Invalid value passed for {field}"),
    )
}

/// 400 / 15 `Please ensure that the <key> has less than <N> characters.`
fn too_long(key: &str, limit: u32) -> Reply {
    Reply::zoho(
        choices::BAD_REQUEST_STATUS,
        choices::TOO_LONG_CODE,
        format!("Please ensure that the {key} has less than {limit} characters."),
    )
}

/// The list of the documents a payment pays, which may be empty (an advance payment).
pub(crate) fn payment_list(field: &str) -> bool {
    matches!(field, "invoices" | "bills")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_gstins_and_emails() {
        assert!(is_gstin("22AAAAA0000A1Z5"));
        assert!(!is_gstin("22AAAAA0000A1Z"));
        assert!(!is_gstin("2AAAAA00000A1Z5"));
        assert!(!is_gstin("22aaaaa0000a1z5"));
        assert!(is_email("a.b@example.co.in"));
        assert!(!is_email("a.b@example"));
        assert!(!is_email("ab.example.com"));
        assert!(!is_email("a b@example.com"));
        assert!(!is_email("a@@example.com"));
    }

    #[test]
    fn every_generated_table_is_sorted_for_binary_search() {
        fn sorted(fields: &[Field]) {
            assert!(fields.windows(2).all(|w| w[0].name < w[1].name));
            for f in fields {
                let mut ty = &f.ty;
                while let Ty::Arr(inner) = ty {
                    ty = inner;
                }
                if let Ty::Obj(inner) = ty {
                    sorted(inner);
                }
            }
        }
        for kind in Kind::ALL {
            let r = request(kind);
            sorted(r.create);
            sorted(r.update);
            sorted(r.upsert);
        }
    }
}
