//! The records of the typed resources: the fields integrations use most, each optional, with
//! every other field Zoho sends kept in `extra` so nothing is lost on a read-modify-write.
//!
//! Ids stay strings (Zoho's ids are 15-digit numbers that must never pass through a float);
//! money is [`Decimal`], written as a string and read from a string or a JSON number, never
//! through `f64` arithmetic. A JSON number reaches us through serde_json's parser as the
//! nearest double; its shortest round-trip text is the decimal Zoho wrote for any amount of up
//! to 15 significant digits, and that text is what becomes the `Decimal`.
//!
//! `extra` uses `#[serde(flatten)]`: it costs serde's precise error paths on these types, a
//! price worth paying to round-trip the hundreds of fields Zoho documents.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A field type read leniently from whatever JSON Zoho (or a gateway) put there.
trait Lenient: Sized {
    /// The value, `None` for `null` (and for `""` where the type has no empty value).
    fn from_json(value: Value) -> Result<Option<Self>, String>;
}

impl Lenient for String {
    /// Numbers (an id sent as a number) become their digits.
    fn from_json(value: Value) -> Result<Option<Self>, String> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            other => Err(format!("expected text, found {other}")),
        }
    }
}

impl Lenient for Decimal {
    /// A number or numeric text; `""` is none.
    fn from_json(value: Value) -> Result<Option<Self>, String> {
        let text = match value {
            Value::Null => return Ok(None),
            Value::String(s) if s.trim().is_empty() => return Ok(None),
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            other => return Err(format!("expected an amount, found {other}")),
        };
        text.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(&text))
            .map(Some)
            .map_err(|e| format!("invalid amount {text:?}: {e}"))
    }
}

impl Lenient for bool {
    /// `true`/`false`, also as text.
    fn from_json(value: Value) -> Result<Option<Self>, String> {
        match value {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::String(s) if s.is_empty() => Ok(None),
            Value::String(s) => Ok(Some(s.eq_ignore_ascii_case("true"))),
            other => Err(format!("expected a flag, found {other}")),
        }
    }
}

impl<T: serde::de::DeserializeOwned> Lenient for Vec<T> {
    fn from_json(value: Value) -> Result<Option<Self>, String> {
        match value {
            Value::Null => Ok(None),
            other => serde_json::from_value(other)
                .map(Some)
                .map_err(|e| e.to_string()),
        }
    }
}

fn lenient<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::from_json(Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
}

macro_rules! model {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[doc = $doc:literal])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            $(
                $(#[doc = $doc])*
                #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient")]
                pub $field: Option<$ty>,
            )*
            /// Every other field, as Zoho sent it.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }
    };
}

model! {
    /// A contact: a customer or a vendor (`contact_type`).
    Contact {
        /// Zoho's id.
        contact_id: String,
        /// The name, unique in the organization (a duplicate is code 3062).
        contact_name: String,
        /// The company.
        company_name: String,
        /// `customer` or `vendor`.
        contact_type: String,
        /// The primary email.
        email: String,
        /// The currency's id.
        currency_id: String,
        /// Opening or outstanding receivable amount.
        outstanding_receivable_amount: Decimal,
        /// `active` or `inactive`.
        status: String,
    }
}

model! {
    /// An item (goods or a service).
    Item {
        /// Zoho's id.
        item_id: String,
        /// The name.
        name: String,
        /// The selling price.
        rate: Decimal,
        /// The description.
        description: String,
        /// The stock-keeping unit.
        sku: String,
        /// The tax's id.
        tax_id: String,
        /// `active` or `inactive`.
        status: String,
    }
}

model! {
    /// A line of an invoice or a bill.
    LineItem {
        /// The line's id.
        line_item_id: String,
        /// The item's id.
        item_id: String,
        /// The line's name.
        name: String,
        /// The description.
        description: String,
        /// The price per unit.
        rate: Decimal,
        /// The quantity.
        quantity: Decimal,
        /// The tax's id.
        tax_id: String,
        /// The account's id (bills).
        account_id: String,
        /// The line total.
        item_total: Decimal,
    }
}

model! {
    /// An invoice.
    Invoice {
        /// Zoho's id.
        invoice_id: String,
        /// The number (set it to keep your own; the client then sends
        /// `ignore_auto_number_generation=true`).
        invoice_number: String,
        /// The customer's contact id.
        customer_id: String,
        /// The customer's name.
        customer_name: String,
        /// `yyyy-mm-dd`.
        date: String,
        /// `yyyy-mm-dd`.
        due_date: String,
        /// A free-text external reference.
        reference_number: String,
        /// The status (`draft`, `sent`, `paid`...).
        status: String,
        /// The lines.
        line_items: Vec<LineItem>,
        /// The total.
        total: Decimal,
        /// What is left to pay.
        balance: Decimal,
        /// The currency code.
        currency_code: String,
    }
}

model! {
    /// An invoice a customer payment is applied to.
    AppliedInvoice {
        /// The invoice's id.
        invoice_id: String,
        /// The amount applied to it.
        amount_applied: Decimal,
    }
}

model! {
    /// A customer payment.
    CustomerPayment {
        /// Zoho's id.
        payment_id: String,
        /// The customer's contact id.
        customer_id: String,
        /// `cash`, `check`, `banktransfer`...
        payment_mode: String,
        /// The amount.
        amount: Decimal,
        /// `yyyy-mm-dd`.
        date: String,
        /// A free-text external reference (the natural key the client looks payments up by).
        reference_number: String,
        /// The invoices it pays.
        invoices: Vec<AppliedInvoice>,
        /// The account paid into.
        account_id: String,
    }
}

model! {
    /// A bill.
    Bill {
        /// Zoho's id.
        bill_id: String,
        /// The vendor's contact id.
        vendor_id: String,
        /// The number (required, unique per vendor in practice).
        bill_number: String,
        /// `yyyy-mm-dd`.
        date: String,
        /// `yyyy-mm-dd`.
        due_date: String,
        /// A free-text external reference.
        reference_number: String,
        /// The status.
        status: String,
        /// The lines.
        line_items: Vec<LineItem>,
        /// The total.
        total: Decimal,
        /// What is left to pay.
        balance: Decimal,
    }
}

model! {
    /// A bill a vendor payment is applied to.
    AppliedBill {
        /// The bill's id.
        bill_id: String,
        /// The amount applied to it.
        amount_applied: Decimal,
    }
}

model! {
    /// A vendor payment.
    VendorPayment {
        /// Zoho's id.
        payment_id: String,
        /// The vendor's contact id.
        vendor_id: String,
        /// The payment mode.
        payment_mode: String,
        /// The amount.
        amount: Decimal,
        /// `yyyy-mm-dd`.
        date: String,
        /// A free-text external reference (the natural key).
        reference_number: String,
        /// The bills it pays.
        bills: Vec<AppliedBill>,
        /// The account paid from.
        paid_through_account_id: String,
    }
}

model! {
    /// A line of a journal.
    JournalLine {
        /// The account's id.
        account_id: String,
        /// `debit` or `credit`.
        debit_or_credit: String,
        /// The amount.
        amount: Decimal,
        /// The description.
        description: String,
    }
}

model! {
    /// A manual journal.
    Journal {
        /// Zoho's id.
        journal_id: String,
        /// `yyyy-mm-dd`.
        journal_date: String,
        /// Zoho's entry number.
        entry_number: String,
        /// A free-text external reference (the natural key).
        reference_number: String,
        /// Notes.
        notes: String,
        /// The lines.
        line_items: Vec<JournalLine>,
        /// The total.
        total: Decimal,
    }
}

model! {
    /// An account of the chart of accounts.
    Account {
        /// Zoho's id.
        account_id: String,
        /// The name (the natural key).
        account_name: String,
        /// `bank`, `income`, `expense`...
        account_type: String,
        /// The code.
        account_code: String,
        /// The description.
        description: String,
        /// Whether it is active.
        is_active: bool,
    }
}

model! {
    /// A tax.
    Tax {
        /// Zoho's id.
        tax_id: String,
        /// The name (the natural key).
        tax_name: String,
        /// The percentage.
        tax_percentage: Decimal,
        /// The type (`tax`, `compound_tax`).
        tax_type: String,
    }
}

model! {
    /// An organization the user belongs to.
    Organization {
        /// Zoho's id: the `organization_id` of every call.
        organization_id: String,
        /// The name.
        name: String,
        /// Whether it is the user's default.
        is_default_org: bool,
        /// The currency code.
        currency_code: String,
        /// The time zone.
        time_zone: String,
        /// The plan's name (its limits follow it).
        plan_name: String,
        /// The plan's type.
        plan_type: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn money_is_decimal_and_ids_stay_strings() {
        let invoice: Invoice = serde_json::from_value(json!({
            "invoice_id": 460_000_000_026_049_u64,
            "total": 1234.56,
            "balance": "0.10",
            "line_items": [{"rate": 0.1, "quantity": 3, "name": "x", "tax_id": ""}],
            "custom_fields": [{"api_name": "cf_source_id", "value": "T-1"}],
            "due_date": null
        }))
        .unwrap();
        assert_eq!(invoice.invoice_id.as_deref(), Some("460000000026049"));
        assert_eq!(invoice.total, Some("1234.56".parse().unwrap()));
        assert_eq!(invoice.balance, Some("0.10".parse().unwrap()));
        let line = &invoice.line_items.as_ref().unwrap()[0];
        assert_eq!(
            line.rate.unwrap() * line.quantity.unwrap(),
            "0.3".parse::<Decimal>().unwrap()
        );
        assert!(invoice.extra.contains_key("custom_fields"));
        assert_eq!(invoice.due_date, None);
        let back = serde_json::to_value(&invoice).unwrap();
        assert_eq!(back["total"], json!("1234.56"));
        assert!(back.get("due_date").is_none());
    }

    #[test]
    fn empty_amounts_are_none() {
        let item: Item = serde_json::from_value(json!({"rate": "", "name": "Widget"})).unwrap();
        assert_eq!(item.rate, None);
    }
}
