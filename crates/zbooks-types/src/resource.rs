//! The one table of the Zoho Books resources zbooks touches: for each, its path, envelope keys,
//! id field, natural keys and the list filter that looks one up, the number Zoho generates
//! unless told not to, whether the collection upsert exists, its place in the order of
//! creation and the OAuth scope family it needs.
//!
//! The client ([`Resource`] handles), the importer (listing, lookup, creation order), the
//! reconciliation and the simulator's routes all read these rows; none of them writes an
//! entity's path or keys again. Facts come from Zoho's OpenAPI files (spec/zoho-openapi) with
//! the errata of zoho-books-reference.md §9 (`customerpayments` as the list key, `payment` and
//! `vendorpayment` as the envelope keys, `chart_of_account`, `tax` as one object); scopes from
//! §3.5.
//!
//! # Adding an entity
//!
//! 1. Add a variant to [`Entity`] at its place in the order of creation, and to
//!    [`Entity::ALL`], [`Entity::as_str`] and [`Entity::parse`].
//! 2. Add its row (a `const` [`Resource`] below) and return it from [`Entity::resource`]; put
//!    it in [`TABLE`] at the same place. The test `table_is_pinned` says what is missing.
//! 3. The compiler then lists every mapping that must learn the new entity (the importer's
//!    readers and validation are exhaustive matches over [`Entity`]). If the simulator is to
//!    serve it, give it a row in `zbooks-sim`'s `resources.rs` pointing at this one.
//!
//! Rows are `const`s, so two references to one row may have different addresses: compare
//! rows by value (`==`), never with `std::ptr::eq`.
//!
//! Plain data and `const` functions only: no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A kind of Zoho Books record zbooks creates.
///
/// The declaration order is the order of creation (docs/design.md, "One import, end to end"):
/// taxes and accounts first, then contacts, items, documents, and payments and journals last.
/// Matches over it are exhaustive on purpose: adding a variant makes the compiler list every
/// mapping that must learn it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A simple tax (`POST /settings/taxes`): IGST, CGST, SGST at one rate.
    Tax,
    /// A tax group (`POST /settings/taxgroups`): CGST + SGST for intra-state supplies.
    TaxGroup,
    /// A chart-of-accounts entry (`POST /chartofaccounts`).
    Account,
    /// A customer or vendor (`POST /contacts`, `contact_type`).
    Contact,
    /// An item (`POST /items`).
    Item,
    /// A sales invoice (`POST /invoices`).
    Invoice,
    /// A purchase bill (`POST /bills`).
    Bill,
    /// A credit note (`POST /creditnotes`): Tally's Credit Note (sales return).
    CreditNote,
    /// A vendor credit (`POST /vendorcredits`): Tally's Debit Note (purchase return).
    VendorCredit,
    /// A payment received (`POST /customerpayments`).
    CustomerPayment,
    /// A payment made (`POST /vendorpayments`).
    VendorPayment,
    /// A manual journal (`POST /journals`).
    Journal,
    /// The organization's opening balances (`POST /settings/openingbalances`): one object per
    /// organization, not a collection. Last in the order of creation: it needs the accounts,
    /// and nothing refers to it.
    OpeningBalance,
}

impl Entity {
    /// Every entity, in the order of creation.
    pub const ALL: [Entity; 13] = [
        Entity::Tax,
        Entity::TaxGroup,
        Entity::Account,
        Entity::Contact,
        Entity::Item,
        Entity::Invoice,
        Entity::Bill,
        Entity::CreditNote,
        Entity::VendorCredit,
        Entity::CustomerPayment,
        Entity::VendorPayment,
        Entity::Journal,
        Entity::OpeningBalance,
    ];

    /// The snake-case name (`customer_payment`), as in JSON Lines input and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Tax => "tax",
            Entity::TaxGroup => "tax_group",
            Entity::Account => "account",
            Entity::Contact => "contact",
            Entity::Item => "item",
            Entity::Invoice => "invoice",
            Entity::Bill => "bill",
            Entity::CreditNote => "credit_note",
            Entity::VendorCredit => "vendor_credit",
            Entity::CustomerPayment => "customer_payment",
            Entity::VendorPayment => "vendor_payment",
            Entity::Journal => "journal",
            Entity::OpeningBalance => "opening_balance",
        }
    }

    /// Reads a name as [`Entity::as_str`] writes it; also accepts the plural and Zoho's
    /// path names (`contacts`, `customerpayments`, `chartofaccounts`).
    pub fn parse(name: &str) -> Option<Entity> {
        let n: String = name
            .trim()
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        let n = n.strip_suffix('s').unwrap_or(&n);
        Some(match n {
            "tax" | "taxe" => Entity::Tax,
            "taxgroup" => Entity::TaxGroup,
            "account" | "chartofaccount" => Entity::Account,
            "contact" | "customer" | "vendor" => Entity::Contact,
            "item" => Entity::Item,
            "invoice" => Entity::Invoice,
            "bill" => Entity::Bill,
            "creditnote" => Entity::CreditNote,
            "vendorcredit" => Entity::VendorCredit,
            "customerpayment" | "paymentsreceived" | "paymentreceived" => Entity::CustomerPayment,
            "vendorpayment" | "paymentsmade" | "paymentmade" => Entity::VendorPayment,
            "journal" => Entity::Journal,
            "openingbalance" => Entity::OpeningBalance,
            _ => return None,
        })
    }

    /// The entity's row of the table.
    pub const fn resource(self) -> &'static Resource {
        match self {
            Entity::Tax => &TAXES,
            Entity::TaxGroup => &TAX_GROUPS,
            Entity::Account => &CHART_OF_ACCOUNTS,
            Entity::Contact => &CONTACTS,
            Entity::Item => &ITEMS,
            Entity::Invoice => &INVOICES,
            Entity::Bill => &BILLS,
            Entity::CreditNote => &CREDIT_NOTES,
            Entity::VendorCredit => &VENDOR_CREDITS,
            Entity::CustomerPayment => &CUSTOMER_PAYMENTS,
            Entity::VendorPayment => &VENDOR_PAYMENTS,
            Entity::Journal => &JOURNALS,
            Entity::OpeningBalance => &OPENING_BALANCES,
        }
    }

    /// Zoho's path below the Books base (`/contacts`): [`Resource::path`].
    pub const fn path(self) -> &'static str {
        self.resource().path
    }

    /// The key of the list in a list response (`contacts`; `customerpayments`, not the
    /// OpenAPI file's `customer_payments`: zoho-books-reference.md §9). Tax groups are listed
    /// with the taxes (`GET /settings/taxes`, `tax_type` = `tax_group`): [`Resource::listing`].
    pub const fn list_key(self) -> &'static str {
        self.resource().listing().plural
    }

    /// The id field of a record (`contact_id`): [`Resource::id_field`].
    pub const fn id_field(self) -> &'static str {
        self.resource().id_field
    }

    /// The field that names the record to a person and that Zoho keeps unique or searchable
    /// (`contact_name`, `invoice_number`): the default natural key, [`Resource::name_field`].
    pub const fn name_field(self) -> &'static str {
        self.resource().name_field
    }

    /// Every field a natural key of this entity may use, besides custom fields: what the
    /// index of existing records reads from a listed record ([`Resource::key_fields`]).
    pub const fn key_fields(self) -> &'static [&'static str] {
        self.resource().key_fields
    }

    /// Position in the order of creation; records of a lower rank never depend on a higher one.
    pub const fn rank(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What zbooks knows about one Zoho Books resource: one row of the table.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Resource {
    /// The entity this row describes; `None` for a resource zbooks reads but never imports
    /// (organizations).
    pub entity: Option<Entity>,
    /// Path below the Books base (`/contacts`, `/settings/taxes`).
    pub path: &'static str,
    /// The envelope key of one record (`contact`; `payment` for customer payments,
    /// `vendorpayment`, `chart_of_account`).
    pub singular: &'static str,
    /// The envelope key of a list (`contacts`, `customerpayments`, `chartofaccounts`).
    pub plural: &'static str,
    /// Where records of this resource are listed when it has no list of its own: tax groups
    /// are listed with the taxes (`GET /settings/taxes`, `tax_type` = `tax_group`).
    pub listed_with: Option<Entity>,
    /// The id field (`contact_id`).
    pub id_field: &'static str,
    /// The field that names a record to a person and that Zoho keeps unique or searchable
    /// (`contact_name`, `invoice_number`, `reference_number`): the default natural key.
    pub name_field: &'static str,
    /// The list filter that finds a record by [`Resource::name_field`] in its listing: the
    /// same field, except for tax groups, found among the taxes by `tax_name`.
    pub name_filter: &'static str,
    /// Every field a natural key may use, besides custom fields (`name`, `sku`): what
    /// identifies a record to a person, and what an index of existing records reads.
    pub key_fields: &'static [&'static str],
    /// A number Zoho generates unless told not to (`invoice_number`): when a create carries
    /// it, `ignore_auto_number_generation=true` goes with it.
    pub manual_number: Option<&'static str>,
    /// Whether Zoho offers the collection `PUT` upsert with `X-Unique-Identifier-*`
    /// (reference §5.2).
    pub upsert: bool,
    /// The OAuth scope family (`ZohoBooks.<family>.<OPERATION>`, reference §3.5).
    pub scope: &'static str,
}

impl Resource {
    /// The row whose list holds this resource's records: its own, or the one it is
    /// [`Resource::listed_with`].
    pub const fn listing(&self) -> &Resource {
        match self.listed_with {
            Some(entity) => entity.resource(),
            None => self,
        }
    }

    /// The path with no leading `/` (`settings/taxes`), as the path below `/books/v3/`.
    pub const fn bare_path(&self) -> &'static str {
        match self.path.as_bytes().split_first() {
            Some((b'/', rest)) => match std::str::from_utf8(rest) {
                Ok(bare) => bare,
                Err(_) => self.path,
            },
            _ => self.path,
        }
    }

    /// Whether `path` (below the Books base, with or without a leading `/`, an id or a
    /// query) addresses this resource: its segments start with this row's.
    pub fn addresses(&self, path: &str) -> bool {
        let path = path.trim_start_matches('/');
        let path = path.split(['?', '#']).next().unwrap_or("");
        let mut given = path.split('/');
        self.bare_path()
            .split('/')
            .all(|want| given.next() == Some(want))
    }
}

/// Taxes (`/settings/taxes`); the items of the `settings` scope family (reference §3.5).
pub const TAXES: Resource = Resource {
    entity: Some(Entity::Tax),
    path: "/settings/taxes",
    singular: "tax",
    plural: "taxes",
    listed_with: None,
    id_field: "tax_id",
    name_field: "tax_name",
    name_filter: "tax_name",
    key_fields: &["tax_name"],
    manual_number: None,
    upsert: false,
    scope: "settings",
};

/// Tax groups (`/settings/taxgroups`), listed with the taxes: Zoho has no list of tax groups,
/// so `plural` is never read.
pub const TAX_GROUPS: Resource = Resource {
    entity: Some(Entity::TaxGroup),
    path: "/settings/taxgroups",
    singular: "tax_group",
    plural: "tax_groups",
    listed_with: Some(Entity::Tax),
    id_field: "tax_group_id",
    name_field: "tax_group_name",
    name_filter: "tax_name",
    key_fields: &["tax_group_name", "tax_name"],
    manual_number: None,
    upsert: false,
    scope: "settings",
};

/// The chart of accounts (`/chartofaccounts`); scope family `accountants` (reference §3.5).
pub const CHART_OF_ACCOUNTS: Resource = Resource {
    entity: Some(Entity::Account),
    path: "/chartofaccounts",
    singular: "chart_of_account",
    plural: "chartofaccounts",
    listed_with: None,
    id_field: "account_id",
    name_field: "account_name",
    name_filter: "account_name",
    key_fields: &["account_name", "account_code"],
    manual_number: None,
    upsert: false,
    scope: "accountants",
};

/// Contacts (`/contacts`): customers and vendors.
pub const CONTACTS: Resource = Resource {
    entity: Some(Entity::Contact),
    path: "/contacts",
    singular: "contact",
    plural: "contacts",
    listed_with: None,
    id_field: "contact_id",
    name_field: "contact_name",
    name_filter: "contact_name",
    key_fields: &["contact_name"],
    manual_number: None,
    upsert: true,
    scope: "contacts",
};

/// Items (`/items`); scope family `settings`: there is no `ZohoBooks.items` (reference §3.5).
pub const ITEMS: Resource = Resource {
    entity: Some(Entity::Item),
    path: "/items",
    singular: "item",
    plural: "items",
    listed_with: None,
    id_field: "item_id",
    name_field: "name",
    name_filter: "name",
    key_fields: &["name", "sku"],
    manual_number: None,
    upsert: true,
    scope: "settings",
};

/// Invoices (`/invoices`).
pub const INVOICES: Resource = Resource {
    entity: Some(Entity::Invoice),
    path: "/invoices",
    singular: "invoice",
    plural: "invoices",
    listed_with: None,
    id_field: "invoice_id",
    name_field: "invoice_number",
    name_filter: "invoice_number",
    key_fields: &["invoice_number", "reference_number"],
    manual_number: Some("invoice_number"),
    upsert: true,
    scope: "invoices",
};

/// Bills (`/bills`).
pub const BILLS: Resource = Resource {
    entity: Some(Entity::Bill),
    path: "/bills",
    singular: "bill",
    plural: "bills",
    listed_with: None,
    id_field: "bill_id",
    name_field: "bill_number",
    name_filter: "bill_number",
    key_fields: &["bill_number", "reference_number"],
    manual_number: None,
    upsert: true,
    scope: "bills",
};

/// Credit notes (`/creditnotes`).
pub const CREDIT_NOTES: Resource = Resource {
    entity: Some(Entity::CreditNote),
    path: "/creditnotes",
    singular: "creditnote",
    plural: "creditnotes",
    listed_with: None,
    id_field: "creditnote_id",
    name_field: "creditnote_number",
    name_filter: "creditnote_number",
    key_fields: &["creditnote_number", "reference_number"],
    manual_number: Some("creditnote_number"),
    upsert: false,
    scope: "creditnotes",
};

/// Vendor credits (`/vendorcredits`). Their scope family is `debitnotes`, as the client has
/// always asked (reference §3.5 lists `debitnotes` among the families and no `vendorcredits`);
/// the log analyzer used to name `vendorcredits`, a family Zoho does not have.
pub const VENDOR_CREDITS: Resource = Resource {
    entity: Some(Entity::VendorCredit),
    path: "/vendorcredits",
    singular: "vendor_credit",
    plural: "vendorcredits",
    listed_with: None,
    id_field: "vendor_credit_id",
    name_field: "vendor_credit_number",
    name_filter: "vendor_credit_number",
    key_fields: &["vendor_credit_number", "reference_number"],
    manual_number: None,
    upsert: false,
    scope: "debitnotes",
};

/// Customer payments (`/customerpayments`; one is wrapped as `payment`, reference §9).
pub const CUSTOMER_PAYMENTS: Resource = Resource {
    entity: Some(Entity::CustomerPayment),
    path: "/customerpayments",
    singular: "payment",
    plural: "customerpayments",
    listed_with: None,
    id_field: "payment_id",
    name_field: "reference_number",
    name_filter: "reference_number",
    key_fields: &["reference_number", "payment_number"],
    manual_number: None,
    upsert: true,
    scope: "customerpayments",
};

/// Vendor payments (`/vendorpayments`; one is wrapped as `vendorpayment`, reference §9).
pub const VENDOR_PAYMENTS: Resource = Resource {
    entity: Some(Entity::VendorPayment),
    path: "/vendorpayments",
    singular: "vendorpayment",
    plural: "vendorpayments",
    listed_with: None,
    id_field: "payment_id",
    name_field: "reference_number",
    name_filter: "reference_number",
    key_fields: &["reference_number", "payment_number"],
    manual_number: None,
    upsert: true,
    scope: "vendorpayments",
};

/// Manual journals (`/journals`); scope family `accountants` (reference §3.5).
pub const JOURNALS: Resource = Resource {
    entity: Some(Entity::Journal),
    path: "/journals",
    singular: "journal",
    plural: "journals",
    listed_with: None,
    id_field: "journal_id",
    name_field: "reference_number",
    name_filter: "reference_number",
    key_fields: &["reference_number", "entry_number"],
    manual_number: None,
    upsert: false,
    scope: "accountants",
};

/// The opening balances (`/settings/openingbalances`): a single object per organization,
/// read with `GET` (wrapped as `opening_balance`), created with `POST`, replaced with `PUT`,
/// removed with `DELETE`; there is no list, so `plural` is never read. Its natural key is its
/// `date`. Scope family `settings` (Zoho's Opening Balance API page).
pub const OPENING_BALANCES: Resource = Resource {
    entity: Some(Entity::OpeningBalance),
    path: "/settings/openingbalances",
    singular: "opening_balance",
    plural: "opening_balances",
    listed_with: None,
    id_field: "opening_balance_id",
    name_field: "date",
    name_filter: "date",
    key_fields: &["date"],
    manual_number: None,
    upsert: false,
    scope: "settings",
};

/// Organizations (`/organizations`, listed without an `organization_id`); read, never
/// imported. Scope family `settings` (reference §4).
pub const ORGANIZATIONS: Resource = Resource {
    entity: None,
    path: "/organizations",
    singular: "organization",
    plural: "organizations",
    listed_with: None,
    id_field: "organization_id",
    name_field: "name",
    name_filter: "name",
    key_fields: &["name"],
    manual_number: None,
    upsert: false,
    scope: "settings",
};

/// Every row: the entities in the order of creation ([`Entity::ALL`]), then the resources
/// zbooks only reads.
pub static TABLE: [&Resource; 14] = [
    &TAXES,
    &TAX_GROUPS,
    &CHART_OF_ACCOUNTS,
    &CONTACTS,
    &ITEMS,
    &INVOICES,
    &BILLS,
    &CREDIT_NOTES,
    &VENDOR_CREDITS,
    &CUSTOMER_PAYMENTS,
    &VENDOR_PAYMENTS,
    &JOURNALS,
    &OPENING_BALANCES,
    &ORGANIZATIONS,
];

/// The row a path below the Books base addresses (`/invoices/123?x=1` → invoices), if any.
pub fn by_path(path: &str) -> Option<&'static Resource> {
    TABLE.iter().copied().find(|r| r.addresses(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One line per row, so a change to any fact shows in the diff of this test.
    fn row(r: &Resource) -> String {
        format!(
            "{:?} {} {}/{} list={} id={} name={}({}) keys={:?} number={:?} upsert={} scope={}",
            r.entity,
            r.path,
            r.singular,
            r.plural,
            r.listing().plural,
            r.id_field,
            r.name_field,
            r.name_filter,
            r.key_fields,
            r.manual_number,
            r.upsert,
            r.scope,
        )
    }

    #[test]
    fn table_is_pinned() {
        let rows: Vec<String> = TABLE.iter().map(|r| row(r)).collect();
        assert_eq!(
            rows,
            [
                "Some(Tax) /settings/taxes tax/taxes list=taxes id=tax_id name=tax_name(tax_name) keys=[\"tax_name\"] number=None upsert=false scope=settings",
                "Some(TaxGroup) /settings/taxgroups tax_group/tax_groups list=taxes id=tax_group_id name=tax_group_name(tax_name) keys=[\"tax_group_name\", \"tax_name\"] number=None upsert=false scope=settings",
                "Some(Account) /chartofaccounts chart_of_account/chartofaccounts list=chartofaccounts id=account_id name=account_name(account_name) keys=[\"account_name\", \"account_code\"] number=None upsert=false scope=accountants",
                "Some(Contact) /contacts contact/contacts list=contacts id=contact_id name=contact_name(contact_name) keys=[\"contact_name\"] number=None upsert=true scope=contacts",
                "Some(Item) /items item/items list=items id=item_id name=name(name) keys=[\"name\", \"sku\"] number=None upsert=true scope=settings",
                "Some(Invoice) /invoices invoice/invoices list=invoices id=invoice_id name=invoice_number(invoice_number) keys=[\"invoice_number\", \"reference_number\"] number=Some(\"invoice_number\") upsert=true scope=invoices",
                "Some(Bill) /bills bill/bills list=bills id=bill_id name=bill_number(bill_number) keys=[\"bill_number\", \"reference_number\"] number=None upsert=true scope=bills",
                "Some(CreditNote) /creditnotes creditnote/creditnotes list=creditnotes id=creditnote_id name=creditnote_number(creditnote_number) keys=[\"creditnote_number\", \"reference_number\"] number=Some(\"creditnote_number\") upsert=false scope=creditnotes",
                "Some(VendorCredit) /vendorcredits vendor_credit/vendorcredits list=vendorcredits id=vendor_credit_id name=vendor_credit_number(vendor_credit_number) keys=[\"vendor_credit_number\", \"reference_number\"] number=None upsert=false scope=debitnotes",
                "Some(CustomerPayment) /customerpayments payment/customerpayments list=customerpayments id=payment_id name=reference_number(reference_number) keys=[\"reference_number\", \"payment_number\"] number=None upsert=true scope=customerpayments",
                "Some(VendorPayment) /vendorpayments vendorpayment/vendorpayments list=vendorpayments id=payment_id name=reference_number(reference_number) keys=[\"reference_number\", \"payment_number\"] number=None upsert=true scope=vendorpayments",
                "Some(Journal) /journals journal/journals list=journals id=journal_id name=reference_number(reference_number) keys=[\"reference_number\", \"entry_number\"] number=None upsert=false scope=accountants",
                "Some(OpeningBalance) /settings/openingbalances opening_balance/opening_balances list=opening_balances id=opening_balance_id name=date(date) keys=[\"date\"] number=None upsert=false scope=settings",
                "None /organizations organization/organizations list=organizations id=organization_id name=name(name) keys=[\"name\"] number=None upsert=false scope=settings",
            ]
        );
    }

    #[test]
    fn entities_map_to_their_rows_in_rank_order() {
        for (i, entity) in Entity::ALL.into_iter().enumerate() {
            assert_eq!(entity.rank(), i);
            assert!(entity.resource() == TABLE[i], "{entity}");
            assert_eq!(TABLE[i].entity, Some(entity));
            assert!(entity.resource().key_fields.contains(&entity.name_field()));
        }
        assert!(Entity::ALL.windows(2).all(|w| w[0].rank() < w[1].rank()));
        assert!(Entity::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(
            TABLE[Entity::ALL.len()..]
                .iter()
                .all(|r| r.entity.is_none())
        );
    }

    #[test]
    fn envelope_keys_and_paths_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for r in TABLE {
            assert!(seen.insert(("path", r.path)), "{}", r.path);
            assert!(seen.insert(("singular", r.singular)), "{}", r.singular);
            assert!(seen.insert(("plural", r.plural)), "{}", r.plural);
            assert_ne!(r.singular, r.plural);
            assert!(r.path.starts_with('/'));
            assert!(r.key_fields.contains(&r.name_field));
        }
    }

    #[test]
    fn paths_find_their_rows() {
        for r in TABLE {
            assert!(by_path(r.path).unwrap() == r, "{}", r.path);
            assert!(by_path(&format!("{}/1?x=y", r.bare_path())).unwrap() == r);
        }
        assert!(by_path("/settings").is_none());
        assert!(by_path("/settings/taxesx").is_none());
        assert!(by_path("/contactpersons").is_none());
        assert_eq!(
            by_path("settings/taxes/9").unwrap().entity,
            Some(Entity::Tax)
        );
        assert_eq!(Entity::TaxGroup.list_key(), "taxes");
        assert_eq!(CONTACTS.bare_path(), "contacts");
    }

    #[test]
    fn entity_names_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::parse(e.as_str()), Some(e));
            assert_eq!(
                Entity::parse(e.list_key()).map(|x| x == e || e == Entity::TaxGroup),
                Some(true)
            );
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{e}\""));
            assert_eq!(serde_json::from_str::<Entity>(&json).unwrap(), e);
        }
        assert_eq!(
            Entity::parse("Payments Received"),
            Some(Entity::CustomerPayment)
        );
    }
}
