//! The Books resources the simulator serves: each a row of the shared resource table
//! (`zbooks_types::resource`: path, envelope keys, id field, scope, natural keys, upsert) with
//! what only the simulator needs (messages, report names, sort columns and filters).
//!
//! Messages are Zoho's (OpenAPI examples, with the errata of reference §9:
//! `customerpayments`, `vendorpayment`, `chart_of_account`, `tax` as one object). Filters are
//! those of reference §5.3, each also as `_startswith` and `_contains`.

use std::ops::Deref;

use serde::{Deserialize, Serialize};
use zbooks_types::resource::{self, Entity, Resource};

use crate::generated;
use crate::shape::EntitySpec;

/// A resource kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Contacts,
    Items,
    Invoices,
    CustomerPayments,
    Bills,
    VendorPayments,
    Journals,
    ChartOfAccounts,
    Taxes,
}

/// How many kinds there are.
pub(crate) const KIND_COUNT: usize = 9;

/// Everything the simulator knows about one resource: the shared row of the resource table
/// (path, envelope keys, id field, scope, natural keys, upsert; read through `Deref`, so
/// `def.singular` is the table's) and what only the simulator needs.
#[derive(Debug)]
pub(crate) struct ResourceDef {
    /// The resource table's row (`zbooks_types::resource`): the one place an entity's path
    /// and keys are written. Its `key_fields` are the fields that identify a record to a
    /// person (logged, counted, indexed).
    pub(crate) row: &'static Resource,
    /// `page_context.report_name` of the list (choices.rs).
    pub(crate) report_name: &'static str,
    /// The `sort_column` values the list operation documents (spec/zoho-openapi); empty where
    /// the operation documents no `sort_column`, which is then an unknown parameter.
    pub(crate) sort_columns: &'static [&'static str],
    /// For "<Resource> does not exist.".
    pub(crate) label: &'static str,
    pub(crate) spec: &'static EntitySpec,
    pub(crate) created: &'static str,
    pub(crate) updated: &'static str,
    pub(crate) deleted: &'static str,
    /// Text filters (with `_startswith` and `_contains`).
    pub(crate) filters: &'static [&'static str],
    /// Amount filters: (query parameter, record field); each also as `_less_than`,
    /// `_less_equals`, `_greater_than` and `_greater_equals` (reference §5.3).
    pub(crate) numbers: &'static [(&'static str, &'static str)],
    /// Date filters: (query parameter, record field); each also as `_start`, `_end`, `_before`
    /// and `_after`, `yyyy-mm-dd` (reference §5.3). A timestamp field is compared by its date.
    pub(crate) dates: &'static [(&'static str, &'static str)],
    /// Fields `search_text` looks in.
    pub(crate) search: &'static [&'static str],
    /// Allowed `filter_by` values (prefix `X.` with `*` accepting any suffix).
    pub(crate) filter_by: &'static [&'static str],
}

impl Deref for ResourceDef {
    type Target = Resource;

    fn deref(&self) -> &Resource {
        self.row
    }
}

/// The table, in [`Kind`] order.
pub(crate) static RESOURCES: [ResourceDef; KIND_COUNT] = [
    ResourceDef {
        row: &resource::CONTACTS,
        report_name: "Contacts",
        sort_columns: &[
            "contact_name",
            "first_name",
            "last_name",
            "email",
            "outstanding_receivable_amount",
            "created_time",
            "last_modified_time",
        ],
        label: "Contact",
        spec: &generated::CONTACT,
        created: "The contact has been created",
        updated: "Contact has been updated successfully",
        deleted: "The contact has been deleted.",
        filters: &[
            "contact_name",
            "company_name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "contact_type",
        ],
        numbers: &[],
        dates: &[
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["contact_name", "company_name", "email"],
        filter_by: &[
            "Status.All",
            "Status.Active",
            "Status.Inactive",
            "Status.Duplicate",
            "Status.PortalEnabled",
            "Status.PortalDisabled",
            "Invoice.OverDue",
            "Invoice.Unpaid",
            "Status.CreditLimitExceed",
            "Status.Crm",
        ],
    },
    ResourceDef {
        row: &resource::ITEMS,
        report_name: "Items",
        sort_columns: &["name", "rate", "tax_name"],
        label: "Item",
        spec: &generated::ITEM,
        created: "The item has been added.",
        updated: "Item details have been saved.",
        deleted: "The item has been deleted.",
        filters: &["name", "description", "rate", "sku"],
        numbers: &[("rate", "rate")],
        dates: &[
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["name", "description", "sku"],
        filter_by: &["Status.All", "Status.Active", "Status.Inactive"],
    },
    ResourceDef {
        row: &resource::INVOICES,
        report_name: "Invoices",
        sort_columns: &[
            "customer_name",
            "invoice_number",
            "date",
            "due_date",
            "total",
            "balance",
            "created_time",
        ],
        label: "Invoice",
        spec: &generated::INVOICE,
        created: "The invoice has been created.",
        updated: "Invoice information has been updated.",
        deleted: "The invoice has been deleted.",
        filters: &[
            "invoice_number",
            "reference_number",
            "customer_id",
            "customer_name",
            "date",
            "due_date",
            "status",
        ],
        numbers: &[("total", "total"), ("balance", "balance")],
        dates: &[
            ("date", "date"),
            ("due_date", "due_date"),
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["invoice_number", "reference_number", "customer_name"],
        filter_by: &[
            "Status.All",
            "Status.Sent",
            "Status.Draft",
            "Status.OverDue",
            "Status.Paid",
            "Status.Void",
            "Status.Unpaid",
            "Status.PartiallyPaid",
            "Status.Viewed",
            "Date.PaymentExpectedDate",
        ],
    },
    ResourceDef {
        row: &resource::CUSTOMER_PAYMENTS,
        report_name: "Customer Payments",
        sort_columns: &[],
        label: "Payment",
        spec: &generated::CUSTOMER_PAYMENT,
        created: "The payment has been created.",
        updated: "The payment details have been updated.",
        deleted: "The payment has been deleted.",
        filters: &[
            "reference_number",
            "customer_id",
            "customer_name",
            "amount",
            "date",
            "payment_mode",
            "payment_number",
        ],
        numbers: &[("amount", "amount")],
        dates: &[
            ("date", "date"),
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["reference_number", "customer_name", "payment_number"],
        filter_by: &["PaymentMode.*"],
    },
    ResourceDef {
        row: &resource::BILLS,
        report_name: "Bills",
        sort_columns: &[
            "vendor_name",
            "bill_number",
            "date",
            "due_date",
            "total",
            "balance",
            "created_time",
        ],
        label: "Bill",
        spec: &generated::BILL,
        created: "success",
        updated: "Bill information has been updated.",
        deleted: "The bill has been deleted.",
        filters: &[
            "bill_number",
            "reference_number",
            "vendor_id",
            "vendor_name",
            "status",
            "date",
        ],
        numbers: &[("total", "total"), ("balance", "balance")],
        dates: &[
            ("date", "date"),
            ("due_date", "due_date"),
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["bill_number", "reference_number", "vendor_name"],
        filter_by: &[
            "Status.All",
            "Status.PartiallyPaid",
            "Status.Paid",
            "Status.OverDue",
            "Status.Void",
            "Status.Open",
        ],
    },
    ResourceDef {
        row: &resource::VENDOR_PAYMENTS,
        report_name: "Vendor Payments",
        sort_columns: &[
            "vendor_name",
            "date",
            "reference_number",
            "amount",
            "balance",
        ],
        label: "Payment",
        spec: &generated::VENDOR_PAYMENT,
        created: "The payment made to the vendor has been recorded.",
        updated: "The details of the payment made to the vendor has been updated",
        deleted: "The payment has been deleted.",
        filters: &[
            "reference_number",
            "vendor_id",
            "vendor_name",
            "payment_mode",
            "amount",
            "date",
            "payment_number",
        ],
        numbers: &[("amount", "amount")],
        dates: &[
            ("date", "date"),
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["reference_number", "vendor_name", "payment_number"],
        filter_by: &["PaymentMode.*"],
    },
    ResourceDef {
        row: &resource::JOURNALS,
        report_name: "Journals",
        sort_columns: &["journal_date", "entry_number", "reference_number", "total"],
        label: "Journal",
        spec: &generated::JOURNAL,
        created: "The journal entry has been created.",
        updated: "The journal entry has been updated.",
        deleted: "The selected journal entry has been deleted.",
        filters: &["entry_number", "reference_number", "journal_date"],
        numbers: &[("total", "total")],
        dates: &[
            ("date", "journal_date"),
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["entry_number", "reference_number", "notes"],
        filter_by: &["JournalDate.*", "Status.*"],
    },
    ResourceDef {
        row: &resource::CHART_OF_ACCOUNTS,
        report_name: "Chart of Accounts",
        sort_columns: &["account_name", "account_type"],
        label: "Account",
        spec: &generated::CHART_OF_ACCOUNT,
        created: "The account has been created.",
        updated: "The details of the account have been updated.",
        deleted: "The account has been deleted.",
        filters: &["account_name", "account_type", "account_code"],
        numbers: &[],
        dates: &[
            ("created_date", "created_time"),
            ("last_modified_time", "last_modified_time"),
        ],
        search: &["account_name", "account_code"],
        filter_by: &[
            "AccountType.All",
            "AccountType.Active",
            "AccountType.Inactive",
            "AccountType.Asset",
            "AccountType.Liability",
            "AccountType.Equity",
            "AccountType.Income",
            "AccountType.Expense",
        ],
    },
    ResourceDef {
        row: &resource::TAXES,
        report_name: "Taxes",
        sort_columns: &[],
        label: "Tax",
        spec: &generated::TAX,
        created: "The tax has been added.",
        updated: "Tax information has been saved.",
        deleted: "The record has been deleted.",
        filters: &["tax_name", "tax_type"],
        numbers: &[("tax_percentage", "tax_percentage")],
        dates: &[],
        search: &["tax_name"],
        filter_by: &[],
    },
];

impl Kind {
    /// Every kind, in table order.
    pub(crate) const ALL: [Kind; KIND_COUNT] = [
        Kind::Contacts,
        Kind::Items,
        Kind::Invoices,
        Kind::CustomerPayments,
        Kind::Bills,
        Kind::VendorPayments,
        Kind::Journals,
        Kind::ChartOfAccounts,
        Kind::Taxes,
    ];

    /// The kind's table row.
    pub(crate) fn def(self) -> &'static ResourceDef {
        &RESOURCES[self as usize]
    }

    /// The kind at `path` below `/books/v3` and how many segments it takes.
    pub(crate) fn from_segments(segments: &[&str]) -> Option<(Kind, usize)> {
        // Each kind's path in segments, split once: every Books request comes through here.
        static PATHS: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
        let paths = PATHS.get_or_init(|| {
            Kind::ALL
                .iter()
                .map(|kind| kind.def().bare_path().split('/').collect())
                .collect()
        });
        Kind::ALL.into_iter().zip(paths).find_map(|(kind, parts)| {
            (segments.len() >= parts.len() && segments[..parts.len()] == parts[..])
                .then_some((kind, parts.len()))
        })
    }

    /// The kind whose table row is `row`, if the simulator serves it.
    pub(crate) fn of_row(row: &Resource) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.def().row == row)
    }

    /// The short name used in logs and counters (the path's last segment).
    pub(crate) fn name(self) -> &'static str {
        let path = self.def().bare_path();
        path.rsplit('/').next().unwrap_or(path)
    }
}

/// The name under which the simulator counts records of `entity` (`invoices`; tax groups are
/// counted with the taxes they are listed with), or `None` when it does not serve them.
pub fn counter_kind(entity: Entity) -> Option<&'static str> {
    if entity == Entity::OpeningBalance {
        // One object, not a kind: counted under its own name (http/control.rs).
        return Some(OPENING_BALANCE_COUNTER);
    }
    Kind::of_row(entity.resource().listing()).map(Kind::name)
}

/// The counters' name for the opening balances (`<org>:openingbalances:date=<date>`).
pub(crate) const OPENING_BALANCE_COUNTER: &str = "openingbalances";

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of the resource table the simulator has no route for, and why.
    const NOT_SERVED: [(&Resource, &str); 5] = [
        (
            &resource::OPENING_BALANCES,
            "one object, answered by its own route (rules/opening.rs)",
        ),
        (
            &resource::TAX_GROUPS,
            "groups are seeded, never created (choices.rs)",
        ),
        (&resource::CREDIT_NOTES, "not simulated yet"),
        (&resource::VENDOR_CREDITS, "not simulated yet"),
        (
            &resource::ORGANIZATIONS,
            "answered by the organizations route, not a resource kind",
        ),
    ];

    #[test]
    fn every_served_table_row_has_a_sim_row_and_back() {
        for row in resource::TABLE {
            let segments: Vec<&str> = row.bare_path().split('/').collect();
            let routed = Kind::from_segments(&segments);
            let skipped = NOT_SERVED.iter().any(|(r, _)| *r == row);
            match routed {
                Some((kind, n)) => {
                    assert!(!skipped, "{} is served", row.path);
                    assert!(kind.def().row == row, "{}", row.path);
                    assert_eq!(n, segments.len());
                    assert_eq!(Kind::of_row(row), Some(kind));
                }
                None => assert!(skipped, "{} has no simulator row", row.path),
            }
        }
        for kind in Kind::ALL {
            let row = kind.def().row;
            assert!(
                resource::TABLE.contains(&row),
                "{kind:?} points outside the table"
            );
            assert!(row.entity.is_some(), "{kind:?}");
            assert_eq!(kind.def().bare_path(), row.bare_path());
        }
        assert_eq!(counter_kind(Entity::TaxGroup), Some("taxes"));
        assert_eq!(
            counter_kind(Entity::CustomerPayment),
            Some("customerpayments")
        );
        assert_eq!(counter_kind(Entity::CreditNote), None);
    }

    #[test]
    fn table_is_in_kind_order_and_paths_resolve() {
        for kind in Kind::ALL {
            let segments: Vec<&str> = kind.def().bare_path().split('/').collect();
            assert_eq!(Kind::from_segments(&segments).map(|(k, _)| k), Some(kind));
        }
        assert_eq!(
            Kind::from_segments(&["settings", "taxes", "1"]),
            Some((Kind::Taxes, 2))
        );
        assert_eq!(
            Kind::from_segments(&["invoices"]),
            Some((Kind::Invoices, 1))
        );
        assert_eq!(Kind::from_segments(&["settings"]), None);
        assert_eq!(Kind::Taxes.name(), "taxes");
    }
}
