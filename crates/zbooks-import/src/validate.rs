//! Validation before any call: every record is checked against Zoho's required fields and
//! types (the OpenAPI create requests, zoho-books-reference.md §5.1), dates, the balance of
//! its voucher, the resolvability of every reference (in the input, or already in Zoho as
//! [`ExistingRecords`] says) and duplicate keys in the input. All problems land in one
//! [`Report`]; records with errors, and records that depend on them, are held back, the rest
//! go ahead — unless strict mode holds everything back while any error stands.
//!
//! The [`Validator`] streams: it keeps a compact index (a 64-bit hash per key, a bit per
//! record), never the records, so a million-row file validates in bounded memory.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rustc_hash::FxBuildHasher;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::existing::ExistingRecords;
use crate::gst;
use crate::location::Location;
use crate::problem::{Problem, ProblemKind, Report};
use crate::record::{Entity, NaturalKey, Record, key_hash};
use crate::value;

/// Options of validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    /// Hold back every record while the report has any error.
    pub strict: bool,
    /// How far a voucher's postings may be from zero (default: exactly zero).
    pub tolerance: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str,
    Num,
    Int,
    Date,
    Bool,
    Array,
    Object,
    /// A string of at most this many characters (the maximum Zoho's request schema documents;
    /// Zoho refuses a longer one with code 15, so it is this record's error, never truncated).
    Text(usize),
    /// A string from a closed list.
    OneOf(&'static [&'static str]),
    /// A GSTIN.
    Gstin,
    /// Zoho's two-letter state code.
    State,
    /// A string or an array (a tax group's `taxes`).
    StrOrArray,
}

#[derive(Clone, Copy, Debug)]
struct Field {
    name: &'static str,
    ty: Ty,
    required: bool,
}

const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: false,
    }
}

/// What a line must name besides its typed fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineRule {
    None,
    /// `item_id`, or a free-text line with `name` and `rate` (reference §5.1 note).
    ItemOrNameRate,
    /// `item_id`, `account_id` or `name`.
    ItemOrAccount,
}

struct Lines {
    field: &'static str,
    required: bool,
    fields: &'static [Field],
    rule: LineRule,
}

struct Schema {
    endpoint: &'static str,
    fields: &'static [Field],
    lines: Option<Lines>,
}

/// The `gst_treatment` values Zoho's request schemas document (contacts, invoices, bills);
/// the simulator refuses any other with code 2, as Zoho's API does for an unknown value. The
/// finer values of Zoho's CSV import format (tally-reference.md §11) are not the API's.
const TREATMENTS: &[&str] = &["business_gst", "business_none", "consumer", "overseas"];

const DOC_LINE: &[Field] = &[
    opt("item_id", Ty::Str),
    opt("account_id", Ty::Str),
    opt("name", Ty::Text(100)),
    opt("rate", Ty::Num),
    opt("quantity", Ty::Num),
    opt("tax_id", Ty::Str),
    opt("hsn_or_sac", Ty::Str),
    opt("description", Ty::Text(2000)),
];

fn schema(entity: Entity) -> Schema {
    match entity {
        Entity::Contact => Schema {
            endpoint: "POST /contacts",
            fields: const {
                &[
                    req("contact_name", Ty::Text(100)),
                    opt("contact_type", Ty::OneOf(&["customer", "vendor"])),
                    opt("gst_treatment", Ty::OneOf(TREATMENTS)),
                    opt("gst_no", Ty::Gstin),
                    opt("place_of_contact", Ty::State),
                    opt("payment_terms", Ty::Int),
                    opt("billing_address", Ty::Object),
                    opt("contact_persons", Ty::Array),
                ]
            },
            lines: None,
        },
        Entity::Item => Schema {
            endpoint: "POST /items",
            fields: const {
                &[
                    req("name", Ty::Text(100)),
                    req("rate", Ty::Num),
                    opt("purchase_rate", Ty::Num),
                    opt(
                        "product_type",
                        Ty::OneOf(&[
                            "goods",
                            "service",
                            "digital_service",
                            "capital_goods",
                            "capital_service",
                        ]),
                    ),
                    opt("hsn_or_sac", Ty::Str),
                    opt("item_tax_preferences", Ty::Array),
                ]
            },
            lines: None,
        },
        Entity::Invoice | Entity::CreditNote => Schema {
            endpoint: if entity == Entity::Invoice {
                "POST /invoices"
            } else {
                "POST /creditnotes"
            },
            fields: const {
                &[
                    req("customer_id", Ty::Str),
                    opt("invoice_number", Ty::Text(100)),
                    opt("creditnote_number", Ty::Str),
                    opt("date", Ty::Date),
                    opt("due_date", Ty::Date),
                    opt("place_of_supply", Ty::State),
                    opt("gst_treatment", Ty::OneOf(TREATMENTS)),
                    opt("gst_no", Ty::Gstin),
                    opt("reference_number", Ty::Str),
                    opt("payment_terms", Ty::Int),
                    opt("adjustment", Ty::Num),
                    opt("discount", Ty::Num),
                    opt("is_inclusive_tax", Ty::Bool),
                ]
            },
            lines: Some(Lines {
                field: "line_items",
                required: true,
                fields: DOC_LINE,
                rule: LineRule::ItemOrNameRate,
            }),
        },
        Entity::Bill | Entity::VendorCredit => Schema {
            endpoint: if entity == Entity::Bill {
                "POST /bills"
            } else {
                "POST /vendorcredits"
            },
            fields: if entity == Entity::Bill {
                const {
                    &[
                        req("vendor_id", Ty::Str),
                        req("bill_number", Ty::Str),
                        opt("date", Ty::Date),
                        opt("due_date", Ty::Date),
                        opt("source_of_supply", Ty::State),
                        opt("destination_of_supply", Ty::State),
                        opt("gst_treatment", Ty::OneOf(TREATMENTS)),
                        opt("gst_no", Ty::Gstin),
                        opt("reference_number", Ty::Str),
                        opt("adjustment", Ty::Num),
                    ]
                }
            } else {
                const {
                    &[
                        req("vendor_id", Ty::Str),
                        opt("vendor_credit_number", Ty::Str),
                        opt("date", Ty::Date),
                        opt("gst_treatment", Ty::OneOf(TREATMENTS)),
                        opt("gst_no", Ty::Gstin),
                        opt("adjustment", Ty::Num),
                    ]
                }
            },
            lines: Some(Lines {
                field: "line_items",
                required: true,
                fields: DOC_LINE,
                rule: LineRule::ItemOrAccount,
            }),
        },
        Entity::CustomerPayment => Schema {
            endpoint: "POST /customerpayments",
            fields: const {
                &[
                    req("customer_id", Ty::Str),
                    req("payment_mode", Ty::Str),
                    req("amount", Ty::Num),
                    req("date", Ty::Date),
                    opt("reference_number", Ty::Text(100)),
                    opt("account_id", Ty::Str),
                    opt("bank_charges", Ty::Num),
                ]
            },
            lines: Some(Lines {
                field: "invoices",
                required: false,
                fields: const { &[req("invoice_id", Ty::Str), req("amount_applied", Ty::Num)] },
                rule: LineRule::None,
            }),
        },
        Entity::VendorPayment => Schema {
            endpoint: "POST /vendorpayments",
            fields: const {
                &[
                    req("vendor_id", Ty::Str),
                    req("amount", Ty::Num),
                    opt("date", Ty::Date),
                    opt("payment_mode", Ty::Str),
                    opt("reference_number", Ty::Str),
                    opt("paid_through_account_id", Ty::Str),
                ]
            },
            lines: Some(Lines {
                field: "bills",
                required: false,
                fields: const { &[req("bill_id", Ty::Str), req("amount_applied", Ty::Num)] },
                rule: LineRule::None,
            }),
        },
        Entity::Journal => Schema {
            endpoint: "POST /journals",
            fields: const {
                &[
                    req("journal_date", Ty::Date),
                    opt("reference_number", Ty::Str),
                    opt("notes", Ty::Str),
                ]
            },
            lines: Some(Lines {
                field: "line_items",
                required: true,
                fields: const {
                    &[
                        req("account_id", Ty::Str),
                        req("amount", Ty::Num),
                        req("debit_or_credit", Ty::OneOf(&["debit", "credit"])),
                        opt("customer_id", Ty::Str),
                    ]
                },
                rule: LineRule::None,
            }),
        },
        Entity::OpeningBalance => Schema {
            endpoint: "POST /settings/openingbalances",
            fields: const { &[req("date", Ty::Date)] },
            lines: Some(Lines {
                field: "accounts",
                required: true,
                fields: const {
                    &[
                        req("account_id", Ty::Str),
                        req("debit_or_credit", Ty::OneOf(&["debit", "credit"])),
                        req("amount", Ty::Num),
                        opt("exchange_rate", Ty::Num),
                    ]
                },
                rule: LineRule::None,
            }),
        },
        Entity::Tax => Schema {
            endpoint: "POST /settings/taxes",
            fields: const {
                &[
                    req("tax_name", Ty::Str),
                    req("tax_percentage", Ty::Num),
                    opt("tax_type", Ty::OneOf(&["tax", "compound_tax"])),
                    opt(
                        "tax_specific_type",
                        Ty::OneOf(&["igst", "cgst", "sgst", "nil", "cess"]),
                    ),
                ]
            },
            lines: None,
        },
        Entity::TaxGroup => Schema {
            endpoint: "POST /settings/taxgroups",
            fields: const { &[req("tax_group_name", Ty::Str), req("taxes", Ty::StrOrArray)] },
            lines: None,
        },
        Entity::Account => Schema {
            endpoint: "POST /chartofaccounts",
            fields: const { &[req("account_name", Ty::Str), req("account_type", Ty::Str)] },
            lines: None,
        },
    }
}

#[derive(Clone, Copy, Debug)]
struct Seen {
    record: u32,
    file: u16,
    line: u32,
    primary: bool,
}

#[derive(Debug)]
struct Pending {
    record: u32,
    target: NaturalKey,
    path: String,
    location: Location,
    key: NaturalKey,
}

/// The outcome of validation: the report, and which records may go ahead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    /// Every problem found.
    pub report: Report,
    held: Vec<bool>,
}

impl Validation {
    /// Whether the record at this input position (0-based, counting records only) may be
    /// imported.
    pub fn is_valid(&self, index: usize) -> bool {
        !self.held.get(index).copied().unwrap_or(true)
    }

    /// How many records were validated.
    pub fn len(&self) -> usize {
        self.held.len()
    }

    /// Whether no record was validated.
    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// How many records may go ahead.
    pub fn valid(&self) -> usize {
        self.held.iter().filter(|h| !**h).count()
    }

    /// How many records are held back.
    pub fn held_back(&self) -> usize {
        self.len() - self.valid()
    }
}

/// Validates records one by one as they stream past; [`Validator::finish`] settles the
/// references to records that came later and the records that depend on held-back ones.
#[derive(Debug)]
pub struct Validator<'e> {
    existing: &'e ExistingRecords,
    options: ValidateOptions,
    report: Report,
    held: Vec<bool>,
    /// Key hashes (already well mixed: a fast hasher is enough).
    keys: HashMap<u64, Seen, FxBuildHasher>,
    ambiguous: HashSet<u64, FxBuildHasher>,
    files: Vec<Arc<str>>,
    pending: Vec<Pending>,
    edges: Vec<(u32, u32)>,
    dependents: HashMap<u32, (Location, NaturalKey), FxBuildHasher>,
}

impl<'e> Validator<'e> {
    /// A validator that takes `existing` as what Zoho already holds.
    pub fn new(existing: &'e ExistingRecords, options: ValidateOptions) -> Self {
        Validator {
            existing,
            options,
            report: Report::default(),
            held: Vec::new(),
            keys: HashMap::default(),
            ambiguous: HashSet::default(),
            files: Vec::new(),
            pending: Vec::new(),
            edges: Vec::new(),
            dependents: HashMap::default(),
        }
    }

    /// Adds a problem found elsewhere (by a reader) to the report.
    pub fn note(&mut self, problem: Problem) {
        self.report.push(problem);
    }

    fn file_index(&mut self, file: &Arc<str>) -> u16 {
        if let Some(i) = self
            .files
            .iter()
            .position(|f| Arc::ptr_eq(f, file) || f == file)
        {
            return u16::try_from(i).unwrap_or(u16::MAX);
        }
        self.files.push(file.clone());
        u16::try_from(self.files.len() - 1).unwrap_or(u16::MAX)
    }

    /// Checks one record; returns whether it passed its own checks (references to later
    /// records are settled by [`Validator::finish`]).
    pub fn check(&mut self, record: &Record) -> bool {
        let index = u32::try_from(self.held.len()).unwrap_or(u32::MAX);
        let before = self.report.problems.len();
        self.check_fields(record);
        self.check_balance(record);
        self.check_keys(record, index);
        self.check_references(record, index);
        let failed = self.report.problems[before..].iter().any(Problem::is_error);
        self.held.push(failed);
        !failed
    }

    fn problem(
        &mut self,
        record: &Record,
        kind: ProblemKind,
        field: Option<String>,
        message: String,
    ) {
        let mut p = Problem::error(kind, record.location.clone(), message).record(&record.key);
        p.field = field.map(String::into_boxed_str);
        self.report.push(p);
    }

    fn check_fields(&mut self, record: &Record) {
        let schema = schema(record.entity);
        let Some(obj) = record.payload.as_object() else {
            self.problem(
                record,
                ProblemKind::WrongType,
                None,
                "the payload is not a JSON object".to_owned(),
            );
            return;
        };
        let refs = Referenced::new(record, schema.lines.as_ref().map(|l| l.field));
        let values = Values::of(obj, schema.fields);
        for (n, f) in schema.fields.iter().enumerate() {
            let referenced = refs.top(f.name);
            self.check_value(
                record,
                schema.endpoint,
                f,
                values.get(obj, n, f),
                referenced,
            );
        }
        let Some(lines) = &schema.lines else { return };
        match obj.get(lines.field) {
            None | Some(Value::Null) => {
                if lines.required {
                    self.problem(
                        record,
                        ProblemKind::MissingField,
                        Some(lines.field.to_owned()),
                        format!("required by {} but missing", schema.endpoint),
                    );
                }
            }
            Some(Value::Array(items)) => {
                if items.is_empty() && lines.required {
                    self.problem(
                        record,
                        ProblemKind::MissingField,
                        Some(lines.field.to_owned()),
                        format!("{} needs at least one line", schema.endpoint),
                    );
                }
                for (i, item) in items.iter().enumerate() {
                    let Some(line) = item.as_object() else {
                        self.problem(
                            record,
                            ProblemKind::WrongType,
                            Some(format!("{}[{i}]", lines.field)),
                            "a line must be a JSON object".to_owned(),
                        );
                        continue;
                    };
                    let values = Values::of(line, lines.fields);
                    for (n, f) in lines.fields.iter().enumerate() {
                        let present = refs.line(i, f.name);
                        self.check_line_value(
                            record,
                            schema.endpoint,
                            lines.field,
                            i,
                            f,
                            values.get(line, n, f),
                            present,
                        );
                    }
                    let has = |name: &str| {
                        refs.line(i, name) || line.get(name).is_some_and(|v| !is_blank(v))
                    };
                    let ok = match lines.rule {
                        LineRule::None => true,
                        LineRule::ItemOrNameRate => has("item_id") || (has("name") && has("rate")),
                        LineRule::ItemOrAccount => {
                            has("item_id") || has("account_id") || has("name")
                        }
                    };
                    if !ok {
                        let need = if lines.rule == LineRule::ItemOrNameRate {
                            "an item_id, or a name and a rate"
                        } else {
                            "an item_id, an account_id or a name"
                        };
                        self.problem(
                            record,
                            ProblemKind::MissingField,
                            Some(format!("{}[{i}]", lines.field)),
                            format!("the line needs {need}"),
                        );
                    }
                }
            }
            Some(_) => self.problem(
                record,
                ProblemKind::WrongType,
                Some(lines.field.to_owned()),
                "must be a JSON array".to_owned(),
            ),
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; the pieces of one message"
    )]
    fn check_line_value(
        &mut self,
        record: &Record,
        endpoint: &'static str,
        list: &str,
        i: usize,
        f: &Field,
        value: Option<&Value>,
        referenced: bool,
    ) {
        if let Some((field, message)) = field_problem(endpoint, f, value, referenced) {
            let kind = message.0;
            self.problem(
                record,
                kind,
                Some(format!("{list}[{i}].{field}")),
                message.1,
            );
        }
    }

    fn check_value(
        &mut self,
        record: &Record,
        endpoint: &'static str,
        f: &Field,
        value: Option<&Value>,
        referenced: bool,
    ) {
        if let Some((field, (kind, message))) = field_problem(endpoint, f, value, referenced) {
            self.problem(record, kind, Some(field.to_owned()), message);
        }
    }

    fn check_balance(&mut self, record: &Record) {
        if let Some(amounts) = &record.amounts
            && !amounts.postings.is_empty()
        {
            let sum: Decimal = amounts.postings.iter().map(|p| p.amount).sum();
            if sum.abs() > self.options.tolerance {
                let debit: Decimal = amounts
                    .postings
                    .iter()
                    .filter(|p| p.amount < Decimal::ZERO)
                    .map(|p| -p.amount)
                    .sum();
                self.problem(
                    record,
                    ProblemKind::Unbalanced,
                    Some("AMOUNT".to_owned()),
                    format!(
                        "debits ({debit}) and credits ({}) differ by {sum}: the voucher does \
                             not balance",
                        debit + sum
                    ),
                );
            }
            return;
        }
        if record.entity == Entity::Journal {
            let Some(lines) = record.payload.get("line_items").and_then(Value::as_array) else {
                return;
            };
            let (mut debit, mut credit) = (Decimal::ZERO, Decimal::ZERO);
            for l in lines {
                let amount = l.get("amount").and_then(number).unwrap_or_default();
                match l.get("debit_or_credit").and_then(Value::as_str) {
                    Some("debit") => debit += amount,
                    Some("credit") => credit += amount,
                    _ => {}
                }
            }
            if (debit - credit).abs() > self.options.tolerance {
                self.problem(
                    record,
                    ProblemKind::Unbalanced,
                    Some("line_items".to_owned()),
                    format!("debits ({debit}) and credits ({credit}) do not balance"),
                );
            }
        }
    }

    fn check_keys(&mut self, record: &Record, index: u32) {
        let file = self.file_index(&record.location.file);
        let line = u32::try_from(record.location.line).unwrap_or(u32::MAX);
        for (n, key) in record.keys().enumerate() {
            let primary = n == 0;
            let h = key_hash(key);
            match self.keys.get(&h).copied() {
                None => {
                    self.keys.insert(
                        h,
                        Seen {
                            record: index,
                            file,
                            line,
                            primary,
                        },
                    );
                }
                Some(seen) if seen.record == index => {}
                Some(seen) => {
                    let first = Location::new(
                        self.files
                            .get(usize::from(seen.file))
                            .cloned()
                            .unwrap_or_else(|| Arc::from("?")),
                        u64::from(seen.line),
                    );
                    if primary && seen.primary {
                        self.problem(
                            record,
                            ProblemKind::Duplicate,
                            Some(key.field.clone()),
                            format!(
                                "{key} appears twice in the input (first at {first}); Zoho would \
                                 refuse or double it"
                            ),
                        );
                    } else {
                        // Two records answer to one alias: references through it are
                        // ambiguous, so they no longer resolve.
                        self.ambiguous.insert(h);
                        self.report.push(
                            Problem::warning(
                                ProblemKind::Duplicate,
                                record.location.clone(),
                                format!(
                                    "{key} also names the record at {first}; references through \
                                     it are ambiguous"
                                ),
                            )
                            .field(key.field.clone())
                            .record(&record.key),
                        );
                    }
                }
            }
        }
    }

    fn check_references(&mut self, record: &Record, index: u32) {
        for r in &record.references {
            let h = key_hash(&r.target);
            if let Some(seen) = self.keys.get(&h).filter(|_| !self.ambiguous.contains(&h)) {
                if seen.record != index {
                    self.edges.push((index, seen.record));
                    self.dependents
                        .entry(index)
                        .or_insert_with(|| (record.location.clone(), record.key.clone()));
                }
            } else if !self.existing.contains_hash(h) {
                self.pending.push(Pending {
                    record: index,
                    target: r.target.clone(),
                    path: r.path.clone(),
                    location: record.location.clone(),
                    key: record.key.clone(),
                });
            }
        }
    }

    /// Settles references to records that came later, holds back the records that depend
    /// on held-back ones, and applies strict mode.
    pub fn finish(mut self) -> Validation {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            let h = key_hash(&p.target);
            if let Some(seen) = self.keys.get(&h).filter(|_| !self.ambiguous.contains(&h)) {
                self.edges.push((p.record, seen.record));
                self.dependents
                    .entry(p.record)
                    .or_insert_with(|| (p.location.clone(), p.key.clone()));
            } else {
                let field = p.path.trim_start_matches('/').replace('/', ".");
                let why = if self.ambiguous.contains(&h) {
                    "names more than one record of the input"
                } else {
                    "is neither in the input nor in Zoho"
                };
                self.report.push(
                    Problem::error(
                        ProblemKind::Unresolved,
                        p.location,
                        format!("{} {why}; import it first or correct the name", p.target),
                    )
                    .field(field)
                    .record(&p.key),
                );
                if let Some(h) = self.held.get_mut(p.record as usize) {
                    *h = true;
                }
            }
        }
        // Hold back what depends on held-back records, until nothing changes.
        let mut changed = true;
        while changed {
            changed = false;
            for &(from, to) in &self.edges {
                let to_held = self.held.get(to as usize).copied().unwrap_or(false);
                let from_held = self.held.get(from as usize).copied().unwrap_or(true);
                if to_held && !from_held {
                    self.held[from as usize] = true;
                    changed = true;
                    if let Some((loc, key)) = self.dependents.get(&from) {
                        self.report.push(
                            Problem::error(
                                ProblemKind::DependencyFailed,
                                loc.clone(),
                                "depends on a record that cannot be imported (see the errors \
                                 above); held back",
                            )
                            .record(key),
                        );
                    }
                }
            }
        }
        if self.options.strict && !self.report.is_clean() {
            for h in &mut self.held {
                *h = true;
            }
        }
        Validation {
            report: self.report,
            held: self.held,
        }
    }
}

/// Validates records held in memory, with the problems their reader met.
pub fn validate(
    records: &[Record],
    reader_problems: &Report,
    existing: &ExistingRecords,
    options: ValidateOptions,
) -> Validation {
    let mut v = Validator::new(existing, options);
    for p in &reader_problems.problems {
        v.note(p.clone());
    }
    for r in records {
        v.check(r);
    }
    v.finish()
}

/// The most fields a schema's list looks up in one pass ([`Values`]); a longer list is
/// looked up field by field.
const MAX_FIELDS: usize = 16;

/// The values of a schema's fields in an object, found in one pass over the object: a
/// field name compared with `==` (its length first) instead of a tree search per field
/// (issue 20: the searches were a tenth of CSV validation).
struct Values<'v> {
    found: [Option<&'v Value>; MAX_FIELDS],
    /// Whether `found` was filled (the list was short enough).
    filled: bool,
}

impl<'v> Values<'v> {
    fn of(obj: &'v serde_json::Map<String, Value>, fields: &[Field]) -> Self {
        let mut found = [None; MAX_FIELDS];
        let filled = fields.len() <= MAX_FIELDS;
        if filled {
            for (k, v) in obj {
                if let Some(n) = fields.iter().position(|f| f.name == k) {
                    found[n] = Some(v);
                }
            }
        }
        Values { found, filled }
    }

    /// The value of field `f`, number `n` of the list.
    fn get(
        &self,
        obj: &'v serde_json::Map<String, Value>,
        n: usize,
        f: &Field,
    ) -> Option<&'v Value> {
        if self.filled {
            self.found.get(n).copied().flatten()
        } else {
            obj.get(f.name)
        }
    }
}

/// Where a record's references point, read once per record: the fields they fill at the top
/// (`/name`) and in the lines (`/list/i/name`), so that asking about each field of each line
/// does not parse every path again.
struct Referenced<'r> {
    top: Vec<&'r str>,
    lines: Vec<(usize, &'r str)>,
}

impl<'r> Referenced<'r> {
    fn new(record: &'r Record, list: Option<&str>) -> Self {
        let mut top = Vec::with_capacity(record.references.len());
        let mut lines = Vec::with_capacity(record.references.len());
        for r in &record.references {
            let Some(rest) = r.path.strip_prefix('/') else {
                continue;
            };
            top.push(rest);
            if let Some((n, field)) = list
                .and_then(|list| rest.strip_prefix(list))
                .and_then(|x| x.strip_prefix('/'))
                .and_then(|x| x.split_once('/'))
                && let Ok(n) = n.parse::<usize>()
            {
                lines.push((n, field));
            }
        }
        Referenced { top, lines }
    }

    /// Whether a reference fills `/name`.
    fn top(&self, name: &str) -> bool {
        self.top.contains(&name)
    }

    /// Whether a reference fills `/list/i/name`.
    fn line(&self, i: usize, name: &str) -> bool {
        self.lines.iter().any(|(n, f)| *n == i && *f == name)
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Whether a string is a decimal [`number`] takes without parsing it: `-?d+(.d+)?` with at
/// most 14 digits on either side (28 in all, within a decimal's 96 bits). Money and
/// quantities the readers write are all of this form.
fn is_plain_number(s: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.len() <= 14 && p.bytes().all(|b| b.is_ascii_digit());
    let s = s.strip_prefix('-').unwrap_or(s);
    match s.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(s),
    }
}

/// A number field as Zoho reads it: a JSON number or a numeric string.
pub(crate) fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => value::decimal(&n.to_string()),
        Value::String(s) => value::decimal(s),
        _ => None,
    }
}

type FieldProblem = (&'static str, (ProblemKind, String));

fn field_problem(
    endpoint: &'static str,
    f: &Field,
    value: Option<&Value>,
    referenced: bool,
) -> Option<FieldProblem> {
    if referenced {
        return None;
    }
    let Some(v) = value.filter(|v| !is_blank(v)) else {
        return f.required.then(|| {
            (
                f.name,
                (
                    ProblemKind::MissingField,
                    format!("required by {endpoint} but missing"),
                ),
            )
        });
    };
    let wrong = |what: &str| {
        Some((
            f.name,
            (ProblemKind::WrongType, format!("must be {what}, not {v}")),
        ))
    };
    let bad = |what: String| Some((f.name, (ProblemKind::BadValue, what)));
    match f.ty {
        Ty::Str => (!v.is_string())
            .then_some(())
            .and_then(|()| wrong("a string")),
        Ty::Text(max) => match v.as_str() {
            // No more characters than bytes: most strings need no count.
            Some(s) if s.len() <= max || s.chars().count() <= max => None,
            Some(s) => bad(format!(
                "is {} characters long; Zoho takes at most {max}",
                s.chars().count()
            )),
            None => wrong("a string"),
        },
        Ty::Num => (!v.as_str().is_some_and(is_plain_number) && number(v).is_none())
            .then_some(())
            .and_then(|()| wrong("a number")),
        Ty::Int => match v {
            Value::Number(n) if n.is_u64() || n.is_i64() => None,
            Value::String(s) if s.trim().parse::<i64>().is_ok() => None,
            _ => wrong("a whole number"),
        },
        Ty::Date => match v.as_str() {
            Some(s) if value::is_zoho_date(s) => None,
            Some(s) => bad(format!("{s:?} is not a date in YYYY-MM-DD")),
            None => wrong("a date string (YYYY-MM-DD)"),
        },
        Ty::Bool => (!v.is_boolean())
            .then_some(())
            .and_then(|()| wrong("true or false")),
        Ty::Array => (!v.is_array())
            .then_some(())
            .and_then(|()| wrong("an array")),
        Ty::Object => (!v.is_object())
            .then_some(())
            .and_then(|()| wrong("an object")),
        Ty::StrOrArray => (!(v.is_array() || v.is_string()))
            .then_some(())
            .and_then(|()| wrong("a string or an array")),
        Ty::OneOf(allowed) => match v.as_str() {
            Some(s) if allowed.contains(&s) => None,
            Some(s) => bad(format!("{s:?} is not one of {}", allowed.join(", "))),
            None => wrong("a string"),
        },
        Ty::Gstin => match v.as_str() {
            Some(s) if gst::is_gstin(s) => None,
            Some(s) => bad(format!("{s:?} is not a 15-character GSTIN")),
            None => wrong("a string"),
        },
        Ty::State => match v.as_str() {
            Some(s) if s.len() == 2 && gst::state_code(s).is_some() => None,
            Some(s) => bad(format!(
                "{s:?} is not one of Zoho's state codes (MH, KA, UP, AD, TS...)"
            )),
            None => wrong("a string"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Amounts, Posting};
    use serde_json::json;

    fn rec(entity: Entity, name: &str, payload: Value, line: u64) -> Record {
        Record::new(
            entity,
            NaturalKey::named(entity, name),
            payload,
            Location::new("in.jsonl", line),
        )
    }

    #[test]
    fn a_plain_number_is_a_number() {
        for s in [
            "0",
            "-0",
            "12.50",
            "-3.000",
            "99999999999999.99999999999999",
            "1.",
            ".5",
            "1e3",
            "+1",
            " 1",
            "1,000",
            "1_000",
            "--1",
            "-",
            "",
            "1.2.3",
            "१२",
        ] {
            if is_plain_number(s) {
                assert!(number(&json!(s)).is_some(), "{s:?}");
            }
        }
        assert!(is_plain_number("-1234.05") && !is_plain_number("1e3") && !is_plain_number("1."));
    }

    #[test]
    fn every_schema_list_is_found_in_one_pass_as_by_a_search_per_field() {
        let obj = json!({"name": "x", "rate": "1", "zz": 1, "account_id": null, "date": "d",
            "customer_id": "c", "amount": 2, "tax_name": "t", "vendor_id": "v"});
        let obj = obj.as_object().unwrap();
        for entity in Entity::ALL {
            let s = schema(entity);
            let lists = std::iter::once(s.fields).chain(s.lines.as_ref().map(|l| l.fields));
            for fields in lists {
                assert!(
                    fields.len() <= MAX_FIELDS,
                    "{entity}: {} fields",
                    fields.len()
                );
                let values = Values::of(obj, fields);
                for (n, f) in fields.iter().enumerate() {
                    assert!(
                        !fields[..n].iter().any(|g| g.name == f.name),
                        "{entity}: {} twice",
                        f.name
                    );
                    assert_eq!(
                        values.get(obj, n, f),
                        obj.get(f.name),
                        "{entity} {}",
                        f.name
                    );
                }
            }
        }
    }

    #[test]
    fn reports_missing_wrong_and_bad_fields_with_their_place() {
        let ex = ExistingRecords::new();
        let records = vec![rec(
            Entity::Invoice,
            "INV-1",
            json!({"invoice_number": "INV-1", "date": "2024-02-30", "line_items": [{"quantity": "x"}]}),
            3,
        )];
        let v = validate(
            &records,
            &Report::default(),
            &ex,
            ValidateOptions::default(),
        );
        let text = v.report.to_string();
        assert!(text.contains("in.jsonl:3"), "{text}");
        assert!(
            text.contains("field customer_id: required by POST /invoices"),
            "{text}"
        );
        assert!(
            text.contains("field date: \"2024-02-30\" is not a date"),
            "{text}"
        );
        assert!(
            text.contains("field line_items[0].quantity: must be a number"),
            "{text}"
        );
        assert!(
            text.contains("the line needs an item_id, or a name and a rate"),
            "{text}"
        );
        assert!(!v.is_valid(0));
    }

    #[test]
    fn a_name_longer_than_zoho_takes_or_an_undocumented_gst_treatment_fails_its_record() {
        let ex = ExistingRecords::new();
        let long = "N".repeat(101);
        let records = vec![
            rec(Entity::Contact, &long, json!({"contact_name": long}), 1),
            rec(
                Entity::Contact,
                "Sez Co",
                json!({"contact_name": "Sez Co", "gst_treatment": "business_sez"}),
                2,
            ),
            rec(
                Entity::Contact,
                "Fits",
                json!({"contact_name": "é".repeat(100), "gst_treatment": "overseas"}),
                3,
            ),
        ];
        let v = validate(
            &records,
            &Report::default(),
            &ex,
            ValidateOptions::default(),
        );
        let text = v.report.to_string();
        assert!(
            text.contains("field contact_name: is 101 characters long; Zoho takes at most 100"),
            "{text}"
        );
        assert!(
            text.contains("field gst_treatment: \"business_sez\" is not one of"),
            "{text}"
        );
        assert!(!v.is_valid(0) && !v.is_valid(1) && v.is_valid(2), "{text}");
    }

    #[test]
    fn resolves_references_later_in_input_or_in_zoho_and_cascades_failures() {
        let mut ex = ExistingRecords::new();
        ex.add(
            Entity::Contact,
            &json!({"contact_id": "1", "contact_name": "Zed"}),
        );
        let mut inv = rec(
            Entity::Invoice,
            "A",
            json!({"line_items": [{"name": "x", "rate": "1"}]}),
            1,
        );
        inv.refer("/customer_id", NaturalKey::named(Entity::Contact, "acme"));
        let mut inv2 = rec(
            Entity::Invoice,
            "B",
            json!({"line_items": [{"name": "x", "rate": "1"}]}),
            2,
        );
        inv2.refer("/customer_id", NaturalKey::named(Entity::Contact, "Zed"));
        let mut inv3 = inv2.clone();
        inv3.key = NaturalKey::named(Entity::Invoice, "C");
        inv3.references.clear();
        inv3.refer("/customer_id", NaturalKey::named(Entity::Contact, "Nobody"));
        let mut pay = rec(
            Entity::CustomerPayment,
            "P",
            json!({"payment_mode": "cash", "amount": "1", "date": "2024-01-01", "invoices": [{"amount_applied": "1"}]}),
            4,
        );
        pay.refer("/customer_id", NaturalKey::named(Entity::Contact, "Zed"));
        pay.refer(
            "/invoices/0/invoice_id",
            NaturalKey::named(Entity::Invoice, "C"),
        );
        let contact = rec(Entity::Contact, "Acme", json!({"contact_name": "Acme"}), 5);
        let records = vec![inv, inv2, inv3, pay, contact];
        let v = validate(
            &records,
            &Report::default(),
            &ex,
            ValidateOptions::default(),
        );
        assert!(v.is_valid(0), "{}", v.report);
        assert!(v.is_valid(1));
        assert!(!v.is_valid(2));
        assert!(!v.is_valid(3), "depends on C");
        assert!(v.is_valid(4));
        assert_eq!(v.report.of_kind(ProblemKind::Unresolved).count(), 1);
        assert_eq!(v.report.of_kind(ProblemKind::DependencyFailed).count(), 1);
        let strict = validate(
            &records,
            &Report::default(),
            &ex,
            ValidateOptions {
                strict: true,
                ..ValidateOptions::default()
            },
        );
        assert_eq!(strict.valid(), 0);
    }

    #[test]
    fn finds_duplicates_and_unbalanced_vouchers() {
        let ex = ExistingRecords::new();
        let a = rec(Entity::Contact, "Acme", json!({"contact_name": "Acme"}), 1);
        let b = rec(Entity::Contact, " ACME", json!({"contact_name": "ACME"}), 9);
        let mut j = rec(
            Entity::Journal,
            "J",
            json!({"journal_date": "2024-01-01", "line_items": []}),
            10,
        );
        j.amounts = Some(Amounts {
            total: Decimal::ONE,
            zoho_field: "total".into(),
            party: None,
            postings: vec![
                Posting {
                    ledger: "a".into(),
                    amount: Decimal::NEGATIVE_ONE,
                },
                Posting {
                    ledger: "b".into(),
                    amount: Decimal::TWO,
                },
            ],
        });
        let v = validate(
            &[a, b, j],
            &Report::default(),
            &ex,
            ValidateOptions::default(),
        );
        let dup: Vec<_> = v.report.of_kind(ProblemKind::Duplicate).collect();
        assert_eq!(dup.len(), 1);
        assert!(dup[0].message.contains("first at in.jsonl:1"), "{}", dup[0]);
        assert_eq!(v.report.of_kind(ProblemKind::Unbalanced).count(), 1);
        assert!(v.is_valid(0) && !v.is_valid(1) && !v.is_valid(2));
    }
}
