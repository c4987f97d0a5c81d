//! CSV files in the columns of Zoho Books' own import templates — contacts, items, invoices
//! and bills (one row per line item, rows of one document together), customer payments and
//! vendor payments (one row per document applied) — and any other header through a mapping
//! file (`{"entity": "invoice", "columns": {"Inv No": "Invoice Number"}}`: source header →
//! Zoho column).
//!
//! Rows stream: only the document being assembled is held. A bad value (an amount that is
//! not a number, a date that is not a date, a row with the wrong number of fields) is
//! reported with its file, line and column, and holds back the document it belongs to; the
//! other documents go on. UTF-8 (with or without BOM) and UTF-16 (with a BOM, or sniffed)
//! are read; anything else is read as Windows-1252 with a warning.

use std::collections::{HashMap, VecDeque};
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::{ImportError, ImportErrorKind};
use crate::location::Location;
use crate::parsed::Parsed;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Entity, NaturalKey, Record, Reference};
use crate::value::{self, money};

/// A mapping from a file's own headers to Zoho's template columns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// The entity the file holds, when the mapping says.
    #[serde(default)]
    pub entity: Option<String>,
    /// Source header → Zoho column (`"Inv No": "Invoice Number"`).
    pub columns: HashMap<String, String>,
}

impl ColumnMapping {
    /// Reads a mapping from JSON text.
    pub fn from_json(text: &str, path: Option<&Path>) -> Result<Self, ImportError> {
        serde_json::from_str::<ColumnMapping>(text).map_err(|e| {
            ImportError::new(
                ImportErrorKind::Config,
                path.map(Path::to_owned),
                format!(
                    "the column mapping{} is not valid: {e}; expected {{\"entity\": \"invoice\", \"columns\": {{\"Source header\": \"Zoho column\"}}}}",
                    path.map(|p| format!(" {}", p.display())).unwrap_or_default()
                ),
            )
        })
    }

    /// Reads a mapping file (JSON).
    pub fn load(path: &Path) -> Result<Self, ImportError> {
        let text = std::fs::read_to_string(path).map_err(|e| ImportError::io(path, e))?;
        ColumnMapping::from_json(&text, Some(path))
    }
}

/// Options of the CSV reader.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// The entity the file holds; by default told from its columns.
    pub entity: Option<Entity>,
    /// Headers to rename before reading.
    pub mapping: Option<ColumnMapping>,
    /// `customer` or `vendor` for a contacts file without a Contact Type column.
    pub contact_type: Option<String>,
    /// The field delimiter (default `,`).
    pub delimiter: Option<u8>,
}

/// Columns: (our name, the template headers that mean it).
type Columns = &'static [(&'static str, &'static [&'static str])];

const CONTACT: Columns = &[
    (
        "contact_name",
        &[
            "display name",
            "contact name",
            "customer name",
            "vendor name",
            "name",
        ],
    ),
    ("company_name", &["company name"]),
    ("contact_type", &["contact type"]),
    ("email", &["emailid", "email", "email id"]),
    ("phone", &["phone"]),
    ("mobile", &["mobilephone", "mobile", "mobile phone"]),
    ("gst_treatment", &["gst treatment"]),
    (
        "gst_no",
        &["gst identification number (gstin)", "gstin", "gst number"],
    ),
    ("place_of_contact", &["place of contact"]),
    ("payment_terms", &["payment terms"]),
    ("payment_terms_label", &["payment terms label"]),
    ("notes", &["notes"]),
    ("billing_address", &["billing address"]),
    ("billing_street2", &["billing street2"]),
    ("billing_city", &["billing city"]),
    ("billing_state", &["billing state"]),
    ("billing_country", &["billing country"]),
    (
        "billing_zip",
        &["billing code", "billing zip", "billing zip code"],
    ),
    ("currency_code", &["currency code"]),
];

const ITEM: Columns = &[
    ("name", &["item name", "name"]),
    ("sku", &["sku"]),
    ("description", &["description", "sales description"]),
    ("rate", &["rate", "selling price", "item price"]),
    (
        "purchase_rate",
        &["purchase rate", "purchase price", "cost price"],
    ),
    ("purchase_description", &["purchase description"]),
    ("product_type", &["product type"]),
    ("hsn_or_sac", &["hsn/sac", "hsn code", "sac"]),
    // Read so the column is known, never sent: create-item has no `unit` (items.yml).
    ("unit", &["usage unit", "unit"]),
    ("item_type", &["item type"]),
    ("intra_tax", &["intra state tax name"]),
    ("inter_tax", &["inter state tax name"]),
    ("account", &["account", "sales account"]),
    ("purchase_account", &["purchase account"]),
];

const INVOICE: Columns = &[
    ("number", &["invoice number", "invoice#"]),
    ("date", &["invoice date", "date"]),
    ("due_date", &["due date"]),
    ("party", &["customer name"]),
    ("place_of_supply", &["place of supply"]),
    ("gst_treatment", &["gst treatment"]),
    ("gst_no", &["gst identification number (gstin)", "gstin"]),
    (
        "reference_number",
        &[
            "reference number",
            "reference#",
            "purchaseorder",
            "order number",
        ],
    ),
    ("notes", &["notes", "customer notes"]),
    ("terms", &["terms & conditions", "terms and conditions"]),
    ("adjustment", &["adjustment"]),
    ("adjustment_description", &["adjustment description"]),
    ("payment_terms", &["payment terms"]),
    ("item_name", &["item name"]),
    (
        "item_desc",
        &["item desc", "item description", "description"],
    ),
    ("quantity", &["quantity"]),
    ("rate", &["item price", "rate"]),
    ("discount", &["discount"]),
    ("tax_name", &["item tax", "tax name", "item tax name"]),
    ("hsn_or_sac", &["hsn/sac"]),
    ("account", &["account"]),
    ("unit", &["usage unit", "unit"]),
];

const BILL: Columns = &[
    ("number", &["bill number", "bill#"]),
    ("date", &["bill date", "date"]),
    ("due_date", &["due date"]),
    ("party", &["vendor name"]),
    ("source_of_supply", &["source of supply"]),
    ("destination_of_supply", &["destination of supply"]),
    ("gst_treatment", &["gst treatment"]),
    ("gst_no", &["gst identification number (gstin)", "gstin"]),
    ("reference_number", &["reference number", "reference#"]),
    ("notes", &["notes"]),
    ("adjustment", &["adjustment"]),
    ("adjustment_description", &["adjustment description"]),
    ("payment_terms", &["payment terms"]),
    ("item_name", &["item name"]),
    (
        "item_desc",
        &["item desc", "item description", "description"],
    ),
    ("account", &["account"]),
    ("quantity", &["quantity"]),
    ("rate", &["rate", "item price"]),
    ("tax_name", &["tax name", "item tax", "item tax name"]),
    ("hsn_or_sac", &["hsn/sac"]),
];

const CUSTOMER_PAYMENT: Columns = &[
    ("payment_number", &["payment number", "payment#"]),
    ("date", &["date", "payment date"]),
    ("party", &["customer name"]),
    ("amount", &["amount"]),
    ("payment_mode", &["payment mode", "mode"]),
    ("reference_number", &["reference number", "reference#"]),
    ("description", &["description"]),
    ("account", &["deposit to"]),
    ("bank_charges", &["bank charges"]),
    ("document", &["invoice number"]),
    (
        "amount_applied",
        &[
            "amount applied",
            "amount applied to invoice",
            "invoice amount applied",
        ],
    ),
];

const VENDOR_PAYMENT: Columns = &[
    ("payment_number", &["payment number", "payment#"]),
    ("date", &["date", "payment date"]),
    ("party", &["vendor name"]),
    ("amount", &["amount"]),
    ("payment_mode", &["payment mode", "mode"]),
    ("reference_number", &["reference number", "reference#"]),
    ("description", &["description"]),
    ("account", &["paid through"]),
    ("document", &["bill number"]),
    (
        "amount_applied",
        &[
            "amount applied",
            "amount applied to bill",
            "bill amount applied",
        ],
    ),
];

fn columns_of(entity: Entity) -> Option<Columns> {
    Some(match entity {
        Entity::Contact => CONTACT,
        Entity::Item => ITEM,
        Entity::Invoice => INVOICE,
        Entity::Bill => BILL,
        Entity::CustomerPayment => CUSTOMER_PAYMENT,
        Entity::VendorPayment => VENDOR_PAYMENT,
        _ => return None,
    })
}

fn norm(header: &str) -> String {
    header.trim().trim_start_matches('\u{feff}').to_lowercase()
}

/// Tells the entity from the headers (already mapped and normalised).
fn detect(headers: &[String]) -> Option<Entity> {
    let has = |h: &str| headers.iter().any(|x| x == h);
    let payment = has("payment mode") || has("mode") || has("deposit to") || has("paid through");
    if payment && has("customer name") {
        Some(Entity::CustomerPayment)
    } else if payment && has("vendor name") {
        Some(Entity::VendorPayment)
    } else if has("invoice number") || has("invoice#") {
        Some(Entity::Invoice)
    } else if has("bill number") || has("bill#") {
        Some(Entity::Bill)
    } else if has("display name") || has("contact name") {
        Some(Entity::Contact)
    } else if has("item name") && (has("rate") || has("selling price")) {
        Some(Entity::Item)
    } else {
        None
    }
}

/// The indexes of the columns every row of a document reads (issue 20: looking a dozen
/// names up for every row cost more than reading the row).
#[derive(Clone, Copy, Debug, Default)]
struct RowCols {
    number: Option<usize>,
    payment_number: Option<usize>,
    reference_number: Option<usize>,
    document: Option<usize>,
    amount_applied: Option<usize>,
    quantity: Option<usize>,
    rate: Option<usize>,
    item_name: Option<usize>,
    account: Option<usize>,
    tax_name: Option<usize>,
    item_desc: Option<usize>,
    hsn_or_sac: Option<usize>,
    unit: Option<usize>,
    discount: Option<usize>,
}

impl RowCols {
    fn of(cols: &HashMap<&'static str, usize, rustc_hash::FxBuildHasher>) -> Self {
        let at = |name: &str| cols.get(name).copied();
        RowCols {
            number: at("number"),
            payment_number: at("payment_number"),
            reference_number: at("reference_number"),
            document: at("document"),
            amount_applied: at("amount_applied"),
            quantity: at("quantity"),
            rate: at("rate"),
            item_name: at("item_name"),
            account: at("account"),
            tax_name: at("tax_name"),
            item_desc: at("item_desc"),
            hsn_or_sac: at("hsn_or_sac"),
            unit: at("unit"),
            discount: at("discount"),
        }
    }
}

/// [`str::trim`], without looking at the characters when the ends are ASCII and not white
/// space (the common case).
fn trim(v: &str) -> &str {
    let plain = |b: u8| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ');
    match (v.as_bytes().first(), v.as_bytes().last()) {
        (Some(&first), Some(&last)) if plain(first) && plain(last) => v,
        _ => v.trim(),
    }
}

/// A document being assembled from consecutive rows.
#[derive(Debug)]
struct Doc {
    group: String,
    line: u64,
    payload: Map<String, Value>,
    lines: Vec<Value>,
    refs: Vec<(String, NaturalKey)>,
    party: Option<String>,
    total: Decimal,
    bad: bool,
}

/// Reads a CSV file of one entity.
pub struct CsvReader {
    rows: Option<::csv::Reader<Box<dyn Read + Send>>>,
    file: Arc<str>,
    options: CsvOptions,
    entity: Entity,
    /// Our column name → index (looked up for every field of every row: a fast hasher).
    cols: HashMap<&'static str, usize, rustc_hash::FxBuildHasher>,
    /// The columns every row of a document reads, looked up once.
    row_cols: RowCols,
    /// Index → the file's own header, for messages.
    headers: Vec<String>,
    doc: Option<Doc>,
    queue: VecDeque<Result<Record, Problem>>,
    row: ::csv::StringRecord,
    /// Where lines start, as the bytes go by (the csv crate counts only `\n`).
    lines: LineIndex,
    /// The line the current row starts on.
    row_line: u64,
}

/// Offsets just past every line end (LF, CRLF or a lone CR) of a byte stream, shared between
/// the reader that sees the bytes and the one that asks for the line of a byte offset. Only
/// the line starts between the row being read and the csv buffer's read-ahead are held.
#[derive(Clone, Debug, Default)]
struct LineIndex {
    /// The offset past each line-end byte, and whether it ends a line (the LF of a CRLF
    /// does not).
    starts: Arc<std::sync::Mutex<VecDeque<(u64, bool)>>>,
    /// Line starts already passed.
    passed: u64,
}

impl LineIndex {
    /// The 1-based line of the first byte at or after `offset` that is not a line end (the
    /// csv crate places a row after blank lines at the first of them); offsets must not go
    /// backwards.
    fn line_at(&mut self, mut offset: u64) -> u64 {
        let mut starts = self
            .starts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some(&(at, ends)) = starts.front() {
            if at <= offset {
                self.passed += u64::from(ends);
            } else if at == offset + 1 {
                // The byte at `offset` is a line end: the row starts after it.
                self.passed += u64::from(ends);
                offset += 1;
            } else {
                break;
            }
            starts.pop_front();
        }
        self.passed + 1
    }
}

/// A reader that notes where lines start in what it passes on.
struct LineStarts<R> {
    inner: R,
    starts: Arc<std::sync::Mutex<VecDeque<(u64, bool)>>>,
    offset: u64,
    after_cr: bool,
}

impl<R: Read> Read for LineStarts<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut starts = self
            .starts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let data = &buf[..n];
        for i in memchr::memchr2_iter(b'\n', b'\r', data) {
            let next = self.offset + i as u64 + 1;
            if data[i] == b'\n' {
                // The LF of a CRLF ends no line of its own.
                let after_cr = if i == 0 {
                    self.after_cr
                } else {
                    data[i - 1] == b'\r'
                };
                starts.push_back((next, !after_cr));
            } else {
                starts.push_back((next, true));
            }
        }
        if let Some(&last) = data.last() {
            self.after_cr = last == b'\r';
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl std::fmt::Debug for CsvReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvReader")
            .field("file", &self.file)
            .field("entity", &self.entity)
            .finish_non_exhaustive()
    }
}

impl CsvReader {
    /// Reads from any byte stream; `file` names it in locations.
    pub fn new(mut input: impl Read + Send + 'static, file: &str, options: CsvOptions) -> Self {
        let file: Arc<str> = Arc::from(file);
        let mut me = CsvReader {
            rows: None,
            file: file.clone(),
            options,
            entity: Entity::Contact,
            cols: HashMap::default(),
            row_cols: RowCols::default(),
            headers: Vec::new(),
            doc: None,
            queue: VecDeque::new(),
            row: ::csv::StringRecord::new(),
            lines: LineIndex::default(),
            row_line: 0,
        };
        let mut prefix = Vec::with_capacity(4096);
        if let Err(e) = (&mut input).take(4096).read_to_end(&mut prefix) {
            me.fail(
                ProblemKind::Encoding,
                0,
                format!("cannot read the file: {e}"),
            );
            return me;
        }
        let sniffed = match crate::decode::sniff(&prefix) {
            Ok(s) => s,
            Err(m) => {
                me.fail(ProblemKind::Encoding, 0, m);
                return me;
            }
        };
        let rest = Cursor::new(prefix).chain(input);
        let source: Box<dyn Read + Send> = if sniffed.encoding == encoding_rs::UTF_8 {
            let mut r = rest;
            let mut skip = vec![0; sniffed.bom];
            if r.read_exact(&mut skip).is_err() {
                me.fail(ProblemKind::Encoding, 0, "cannot read the file".to_owned());
                return me;
            }
            Box::new(r)
        } else {
            if sniffed.encoding == encoding_rs::WINDOWS_1252 {
                me.queue.push_back(Err(Problem::warning(
                    ProblemKind::Encoding,
                    Location::new(file.clone(), 0),
                    "the file is not UTF-8 or UTF-16; it was read as Windows-1252: check names with non-ASCII letters",
                )));
            }
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(sniffed.encoding))
                    .bom_override(true)
                    .build(rest),
            )
        };
        let source: Box<dyn Read + Send> = Box::new(LineStarts {
            inner: source,
            starts: me.lines.starts.clone(),
            offset: 0,
            after_cr: false,
        });
        let mut rows = ::csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .delimiter(me.options.delimiter.unwrap_or(b','))
            .buffer_capacity(1 << 16)
            .from_reader(source);
        let headers = match rows.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                me.fail(
                    ProblemKind::Syntax,
                    1,
                    format!("cannot read the header row: {e}"),
                );
                return me;
            }
        };
        me.headers = headers.iter().map(str::to_owned).collect();
        if me.headers.iter().all(|h| h.trim().is_empty()) {
            me.fail(
                ProblemKind::Syntax,
                1,
                "the file is empty or has no header row".to_owned(),
            );
            return me;
        }
        if me.setup().is_some() {
            me.rows = Some(rows);
        }
        me
    }

    fn fail(&mut self, kind: ProblemKind, line: u64, message: String) {
        self.queue.push_back(Err(Problem::error(
            kind,
            Location::new(self.file.clone(), line),
            message,
        )));
    }

    /// Maps the headers, picks the entity and its columns.
    fn setup(&mut self) -> Option<()> {
        let mapping = self.options.mapping.clone();
        let mapped: Vec<String> = self
            .headers
            .iter()
            .map(|h| {
                let source = h.trim().trim_start_matches('\u{feff}');
                let target = mapping.as_ref().and_then(|m| {
                    m.columns
                        .iter()
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case(source))
                        .map(|(_, v)| v.clone())
                });
                norm(&target.unwrap_or_else(|| source.to_owned()))
            })
            .collect();
        let mapped_entity = mapping.as_ref().and_then(|m| m.entity.as_deref());
        let entity = match (self.options.entity, mapped_entity) {
            (Some(e), _) => Some(e),
            (None, Some(name)) => {
                let e = Entity::parse(name);
                if e.is_none() {
                    self.fail(ProblemKind::Config, 0, format!("the mapping's entity {name:?} is not one of contact, item, invoice, bill, customer_payment, vendor_payment"));
                    return None;
                }
                e
            }
            (None, None) => detect(&mapped),
        };
        let Some(entity) = entity else {
            self.fail(
                ProblemKind::Config,
                1,
                "cannot tell what the CSV holds from its header; use Zoho's import-template columns (Display Name, Item Name, Invoice Number, Bill Number...), or name the entity in a column mapping (--mapping FILE, with {\"entity\": \"invoice\", \"columns\": {\"Source header\": \"Zoho column\"}})".to_owned(),
            );
            return None;
        };
        let Some(columns) = columns_of(entity) else {
            self.fail(
                ProblemKind::Config,
                0,
                format!("CSV import of {entity} records is not supported; use JSON Lines"),
            );
            return None;
        };
        self.entity = entity;
        let mut unknown = Vec::new();
        for (i, h) in mapped.iter().enumerate() {
            match columns
                .iter()
                .find(|(_, names)| names.contains(&h.as_str()))
            {
                Some((ours, _)) => {
                    self.cols.entry(ours).or_insert(i);
                }
                None if !h.is_empty() => unknown.push(self.headers[i].clone()),
                None => {}
            }
        }
        if !unknown.is_empty() {
            self.queue.push_back(Err(Problem::warning(
                ProblemKind::Config,
                Location::new(self.file.clone(), 1),
                format!(
                    "columns not read: {}; rename them to Zoho's template columns or map them in a mapping file",
                    unknown.join(", ")
                ),
            )));
        }
        self.row_cols = RowCols::of(&self.cols);
        let needed: &[&str] = match entity {
            Entity::Contact => &["contact_name"],
            Entity::Item => &["name"],
            Entity::Invoice | Entity::Bill => &["number", "party"],
            _ => &["party", "amount"],
        };
        for n in needed {
            if !self.cols.contains_key(n) {
                let names = columns
                    .iter()
                    .find(|(o, _)| o == n)
                    .map_or(&[][..], |(_, v)| *v);
                self.fail(
                    ProblemKind::MissingField,
                    1,
                    format!(
                        "the file has no {:?} column, which a {entity} file needs",
                        names.first().unwrap_or(n)
                    ),
                );
                return None;
            }
        }
        Some(())
    }

    fn get(&self, col: &str) -> Option<&str> {
        self.at(self.cols.get(col).copied())
    }

    /// The field in column `i` of the row, trimmed, when it is not empty.
    fn at(&self, i: Option<usize>) -> Option<&str> {
        self.row.get(i?).map(trim).filter(|v| !v.is_empty())
    }

    fn header(&self, col: &str) -> String {
        self.cols
            .get(col)
            .and_then(|i| self.headers.get(*i))
            .cloned()
            .unwrap_or_else(|| col.to_owned())
    }

    fn line(&self) -> u64 {
        self.row_line
    }

    fn bad_value(&self, col: &str, message: String, label: Option<&str>) -> Problem {
        let mut at = Location::new(self.file.clone(), self.line());
        if let Some(l) = label {
            at = at.with_label(l);
        }
        Problem::error(ProblemKind::BadValue, at, message).field(self.header(col))
    }

    /// A decimal column: `Ok(None)` when empty.
    fn dec(&self, col: &str, label: Option<&str>) -> Result<Option<Decimal>, Problem> {
        self.dec_at(col, self.cols.get(col).copied(), label)
    }

    /// `dec` of column `col`, at index `i`.
    fn dec_at(
        &self,
        col: &str,
        i: Option<usize>,
        label: Option<&str>,
    ) -> Result<Option<Decimal>, Problem> {
        match self.at(i) {
            None => Ok(None),
            Some(v) => value::decimal(v)
                .map(Some)
                .ok_or_else(|| self.bad_value(col, format!("{v:?} is not a number"), label)),
        }
    }

    fn date(&self, col: &str, label: Option<&str>) -> Result<Option<String>, Problem> {
        match self.get(col) {
            None => Ok(None),
            Some(v) => value::any_date(v).map(Some).ok_or_else(|| {
                self.bad_value(
                    col,
                    format!("{v:?} is not a date (write YYYY-MM-DD or DD/MM/YYYY)"),
                    label,
                )
            }),
        }
    }

    fn put(&self, payload: &mut Map<String, Value>, col: &str, field: &str) {
        self.put_at(payload, self.cols.get(col).copied(), field);
    }

    /// `put` of the column at index `i`.
    fn put_at(&self, payload: &mut Map<String, Value>, i: Option<usize>, field: &str) {
        if let Some(v) = self.at(i) {
            payload.insert(field.to_owned(), Value::String(v.to_owned()));
        }
    }

    fn group_of(&self) -> Option<String> {
        self.group().map(str::to_owned)
    }

    /// The document the current row belongs to, as the row writes it.
    fn group(&self) -> Option<&str> {
        let c = &self.row_cols;
        match self.entity {
            Entity::Invoice | Entity::Bill => self.at(c.number),
            Entity::CustomerPayment | Entity::VendorPayment => self
                .at(c.payment_number)
                .or_else(|| self.at(c.reference_number)),
            _ => None,
        }
    }

    fn flush(&mut self) {
        let Some(doc) = self.doc.take() else { return };
        if doc.bad {
            return;
        }
        let entity = self.entity;
        let mut payload = doc.payload;
        let lines_field = match entity {
            Entity::CustomerPayment => "invoices",
            Entity::VendorPayment => "bills",
            _ => "line_items",
        };
        payload.insert(lines_field.to_owned(), Value::Array(doc.lines));
        let key = match entity {
            Entity::Invoice | Entity::Bill => NaturalKey::named(entity, &doc.group),
            _ => NaturalKey::new(
                entity,
                "reference_number",
                payload
                    .get("reference_number")
                    .and_then(Value::as_str)
                    .unwrap_or(&doc.group),
            ),
        };
        if !payload.contains_key("reference_number")
            && matches!(entity, Entity::CustomerPayment | Entity::VendorPayment)
        {
            payload.insert("reference_number".to_owned(), json!(doc.group));
        }
        let (zoho_field, total) = match entity {
            Entity::Invoice | Entity::Bill => ("sub_total", doc.total),
            _ => (
                "amount",
                payload
                    .get("amount")
                    .and_then(crate::validate::number)
                    .unwrap_or(doc.total),
            ),
        };
        let at = Location::new(self.file.clone(), doc.line).with_label(doc.group.as_str());
        let mut record = Record::new(entity, key, Value::Object(payload), at);
        // The payload already holds `null` where each reference points (header_of, line_of
        // put it there), which is all `Record::refer` would add.
        record.references = doc
            .refs
            .into_iter()
            .map(|(path, target)| Reference { path, target })
            .collect();
        if entity == Entity::Invoice {
            record.query.push((
                "ignore_auto_number_generation".to_owned(),
                "true".to_owned(),
            ));
        }
        record.amounts = Some(crate::record::Amounts {
            total,
            zoho_field: zoho_field.to_owned(),
            party: doc.party,
            postings: Vec::new(),
        });
        self.queue.push_back(Ok(record));
    }

    /// Reads the current row into a record or into the document being assembled.
    fn take_row(&mut self) {
        if self.row.len() != self.headers.len() {
            let group = self.group_of();
            let swallowed = self
                .row
                .iter()
                .find(|f| f.contains('\n'))
                .map(|f| f.trim_end().matches('\n').count());
            let message = match swallowed {
                Some(n) => format!(
                    "a quote opened in this row is not closed: the next {n} lines were read as part of one field; the row is not imported"
                ),
                None => format!(
                    "the row has {} fields but the header has {}: a quote or a delimiter is probably missing; the row is not imported",
                    self.row.len(),
                    self.headers.len()
                ),
            };
            let p = Problem::error(
                ProblemKind::Syntax,
                Location::new(self.file.clone(), self.line()),
                message,
            );
            self.hold(group.as_deref(), p);
            return;
        }
        match self.entity {
            Entity::Contact => {
                let r = self.contact();
                self.queue.push_back(r);
            }
            Entity::Item => {
                let r = self.item();
                self.queue.push_back(r);
            }
            _ => self.document_row(),
        }
    }

    /// Reports a problem and holds back the document `group` names (when it is the one
    /// being assembled, or starts a held-back one).
    fn hold(&mut self, group: Option<&str>, mut problem: Problem) {
        if let Some(g) = group {
            problem.location = problem.location.with_label(g);
            if self.doc.as_ref().is_some_and(|d| d.group == g) {
                if let Some(d) = self.doc.as_mut() {
                    if !d.bad {
                        problem.message =
                            format!("{}; the whole document {g} is held back", problem.message);
                    }
                    d.bad = true;
                }
            } else {
                self.flush();
                problem.message =
                    format!("{}; the whole document {g} is held back", problem.message);
                self.doc = Some(Doc {
                    group: g.to_owned(),
                    line: self.line(),
                    payload: Map::new(),
                    lines: Vec::new(),
                    refs: Vec::new(),
                    party: None,
                    total: Decimal::ZERO,
                    bad: true,
                });
            }
        }
        self.queue.push_back(Err(problem));
    }

    fn contact(&self) -> Result<Record, Problem> {
        let name = self.get("contact_name").unwrap_or("").to_owned();
        let label = Some(name.as_str());
        let mut p = Map::new();
        p.insert("contact_name".to_owned(), json!(name));
        self.put(&mut p, "company_name", "company_name");
        let kind = self
            .get("contact_type")
            .map(str::to_lowercase)
            .or_else(|| self.options.contact_type.clone())
            .unwrap_or_else(|| "customer".to_owned());
        p.insert("contact_type".to_owned(), json!(kind));
        self.put(&mut p, "gst_treatment", "gst_treatment");
        self.put(&mut p, "gst_no", "gst_no");
        if let Some(v) = self.get("place_of_contact") {
            let code = crate::gst::state_code(v).unwrap_or(v);
            p.insert("place_of_contact".to_owned(), json!(code));
        }
        if let Some(v) = self.get("payment_terms") {
            let days = value::days(v).ok_or_else(|| {
                self.bad_value(
                    "payment_terms",
                    format!("{v:?} is not a number of days"),
                    label,
                )
            })?;
            p.insert("payment_terms".to_owned(), json!(days));
        }
        self.put(&mut p, "payment_terms_label", "payment_terms_label");
        self.put(&mut p, "notes", "notes");
        self.put(&mut p, "currency_code", "currency_code");
        let mut address = Map::new();
        for (col, field) in [
            ("billing_address", "address"),
            ("billing_street2", "street2"),
            ("billing_city", "city"),
            ("billing_state", "state"),
            ("billing_country", "country"),
            ("billing_zip", "zip"),
        ] {
            self.put(&mut address, col, field);
        }
        if !address.is_empty() {
            p.insert("billing_address".to_owned(), Value::Object(address));
        }
        let mut person = Map::new();
        self.put(&mut person, "email", "email");
        self.put(&mut person, "phone", "phone");
        self.put(&mut person, "mobile", "mobile");
        if !person.is_empty() {
            person.insert("is_primary_contact".to_owned(), json!(true));
            p.insert("contact_persons".to_owned(), json!([person]));
        }
        let at = Location::new(self.file.clone(), self.line()).with_label(name.as_str());
        Ok(Record::new(
            Entity::Contact,
            NaturalKey::named(Entity::Contact, name),
            Value::Object(p),
            at,
        ))
    }

    fn item(&self) -> Result<Record, Problem> {
        let name = self.get("name").unwrap_or("").to_owned();
        let label = Some(name.as_str());
        let mut p = Map::new();
        p.insert("name".to_owned(), json!(name));
        if let Some(r) = self.dec("rate", label)? {
            p.insert("rate".to_owned(), money(r));
        }
        if let Some(r) = self.dec("purchase_rate", label)? {
            p.insert("purchase_rate".to_owned(), money(r));
        }
        for (col, field) in [
            ("sku", "sku"),
            ("description", "description"),
            ("purchase_description", "purchase_description"),
            ("hsn_or_sac", "hsn_or_sac"),
        ] {
            self.put(&mut p, col, field);
        }
        if let Some(v) = self.get("product_type") {
            p.insert("product_type".to_owned(), json!(v.to_lowercase()));
        }
        if let Some(v) = self.get("item_type") {
            p.insert(
                "item_type".to_owned(),
                json!(v.to_lowercase().replace(' ', "_")),
            );
        }
        let at = Location::new(self.file.clone(), self.line()).with_label(name.as_str());
        let mut record = Record::new(
            Entity::Item,
            NaturalKey::named(Entity::Item, &name),
            Value::Null,
            at,
        );
        let mut refs = Vec::new();
        let mut prefs = Vec::new();
        for (col, spec) in [("intra_tax", "intra"), ("inter_tax", "inter")] {
            if let Some(t) = self.get(col) {
                refs.push((
                    format!("/item_tax_preferences/{}/tax_id", prefs.len()),
                    NaturalKey::named(Entity::Tax, t),
                ));
                prefs.push(json!({"tax_specification": spec}));
            }
        }
        if !prefs.is_empty() {
            p.insert("item_tax_preferences".to_owned(), Value::Array(prefs));
        }
        if let Some(a) = self.get("account") {
            refs.push((
                "/account_id".to_owned(),
                NaturalKey::named(Entity::Account, a),
            ));
        }
        if let Some(a) = self.get("purchase_account") {
            refs.push((
                "/purchase_account_id".to_owned(),
                NaturalKey::named(Entity::Account, a),
            ));
        }
        record.payload = Value::Object(p);
        for (path, k) in refs {
            record.refer(path, k);
        }
        Ok(record)
    }

    fn document_row(&mut self) {
        // A row of the document being assembled (most rows) needs no copy of its group.
        let same = match (self.doc.as_ref(), self.group()) {
            (Some(d), Some(g)) => d.group == g,
            _ => false,
        };
        if same {
            if self.doc.as_ref().is_some_and(|d| d.bad) {
                return;
            }
            let line = self.line_of(self.group().unwrap_or_default());
            self.add_line(line);
            return;
        }
        let Some(group) = self.group_of() else {
            let col = match self.entity {
                Entity::Invoice | Entity::Bill => "number",
                _ => "payment_number",
            };
            let p = self.bad_value(
                col,
                "empty: the row cannot be tied to a document; it is not imported".to_owned(),
                None,
            );
            let p = Problem {
                kind: ProblemKind::MissingField,
                ..p
            };
            self.queue.push_back(Err(p));
            return;
        };
        if self.doc.as_ref().is_none_or(|d| d.group != group) {
            self.flush();
            match self.header_of(&group) {
                Ok(doc) => self.doc = Some(doc),
                Err(p) => {
                    self.hold(Some(&group), p);
                    return;
                }
            }
        }
        if self.doc.as_ref().is_some_and(|d| d.bad) {
            return;
        }
        let line = self.line_of(&group);
        self.add_line(line);
    }

    /// Adds a line read by `line_of` to the document being assembled, or holds the
    /// document back.
    #[expect(
        clippy::type_complexity,
        reason = "line_of's private tuple of three named-by-use parts"
    )]
    fn add_line(
        &mut self,
        line: Result<(Option<Value>, Vec<(&'static str, NaturalKey)>, Decimal), Problem>,
    ) {
        match line {
            Ok((line, refs, value)) => {
                if let Some(d) = self.doc.as_mut() {
                    let i = d.lines.len();
                    let field = match self.entity {
                        Entity::CustomerPayment => "invoices",
                        Entity::VendorPayment => "bills",
                        _ => "line_items",
                    };
                    for (f, k) in refs {
                        d.refs.push((line_path(field, i, f), k));
                    }
                    if let Some(line) = line {
                        d.lines.push(line);
                    }
                    d.total += value;
                }
            }
            Err(p) => {
                let group = self.group_of();
                self.hold(group.as_deref(), p);
            }
        }
    }

    /// The document-level fields, from the document's first row.
    fn header_of(&self, group: &str) -> Result<Doc, Problem> {
        let label = Some(group);
        let entity = self.entity;
        let mut p = Map::new();
        let mut refs = Vec::new();
        let party = self.get("party").map(str::to_owned);
        match entity {
            Entity::Invoice => {
                p.insert("invoice_number".to_owned(), json!(group));
            }
            Entity::Bill => {
                p.insert("bill_number".to_owned(), json!(group));
            }
            _ => {}
        }
        if let Some(name) = &party {
            let field = match entity {
                Entity::Invoice | Entity::CustomerPayment => "/customer_id",
                _ => "/vendor_id",
            };
            refs.push((field.to_owned(), NaturalKey::named(Entity::Contact, name)));
        }
        for (field, _) in &refs {
            p.insert(field[1..].to_owned(), Value::Null);
        }
        if let Some(d) = self.date("date", label)? {
            p.insert("date".to_owned(), json!(d));
        }
        if let Some(d) = self.date("due_date", label)? {
            p.insert("due_date".to_owned(), json!(d));
        }
        for (col, field) in [
            ("reference_number", "reference_number"),
            ("notes", "notes"),
            ("terms", "terms"),
            ("adjustment_description", "adjustment_description"),
            ("gst_treatment", "gst_treatment"),
            ("gst_no", "gst_no"),
            ("description", "description"),
        ] {
            self.put(&mut p, col, field);
        }
        for col in [
            "place_of_supply",
            "source_of_supply",
            "destination_of_supply",
        ] {
            if let Some(v) = self.get(col) {
                p.insert(
                    col.to_owned(),
                    json!(crate::gst::state_code(v).unwrap_or(v)),
                );
            }
        }
        if let Some(v) = self.get("payment_terms") {
            let days = value::days(v).ok_or_else(|| {
                self.bad_value(
                    "payment_terms",
                    format!("{v:?} is not a number of days"),
                    label,
                )
            })?;
            p.insert("payment_terms".to_owned(), json!(days));
        }
        if let Some(a) = self.dec("adjustment", label)? {
            p.insert("adjustment".to_owned(), money(a));
        }
        if matches!(entity, Entity::CustomerPayment | Entity::VendorPayment) {
            if let Some(a) = self.dec("amount", label)? {
                p.insert("amount".to_owned(), money(a));
            }
            if let Some(a) = self.dec("bank_charges", label)? {
                p.insert("bank_charges".to_owned(), money(a));
            }
            let mode = self
                .get("payment_mode")
                .map_or_else(|| "cash".to_owned(), |m| m.to_lowercase().replace(' ', ""));
            p.insert("payment_mode".to_owned(), json!(mode));
            if let Some(a) = self.get("account") {
                let field = if entity == Entity::CustomerPayment {
                    "/account_id"
                } else {
                    "/paid_through_account_id"
                };
                refs.push((field.to_owned(), NaturalKey::named(Entity::Account, a)));
                p.insert(field[1..].to_owned(), Value::Null);
            }
        }
        Ok(Doc {
            group: group.to_owned(),
            line: self.line(),
            payload: p,
            lines: Vec::new(),
            refs,
            party,
            total: Decimal::ZERO,
            bad: false,
        })
    }

    /// One line of a document: the JSON line, its references (field → key) and its value.
    #[expect(
        clippy::type_complexity,
        reason = "a private tuple of three named-by-use parts"
    )]
    fn line_of(
        &self,
        group: &str,
    ) -> Result<(Option<Value>, Vec<(&'static str, NaturalKey)>, Decimal), Problem> {
        let label = Some(group);
        let mut line = Map::new();
        let mut refs = Vec::new();
        let c = &self.row_cols;
        match self.entity {
            Entity::CustomerPayment | Entity::VendorPayment => {
                let Some(doc) = self.at(c.document) else {
                    return Ok((None, refs, Decimal::ZERO));
                };
                let applied = self.dec_at("amount_applied", c.amount_applied, label)?;
                let (target, id) = if self.entity == Entity::CustomerPayment {
                    (Entity::Invoice, "invoice_id")
                } else {
                    (Entity::Bill, "bill_id")
                };
                refs.push((id, NaturalKey::named(target, doc)));
                let Some(applied) = applied else {
                    return Err(Problem {
                        kind: ProblemKind::MissingField,
                        ..self.bad_value(
                            "amount_applied",
                            format!("empty, but the row applies the payment to {doc}"),
                            label,
                        )
                    });
                };
                line.insert("amount_applied".to_owned(), money(applied));
                null_refs(&mut line, &refs);
                Ok((Some(Value::Object(line)), refs, applied))
            }
            _ => {
                let quantity = self
                    .dec_at("quantity", c.quantity, label)?
                    .unwrap_or(Decimal::ONE);
                let rate = self.dec_at("rate", c.rate, label)?;
                if let Some(item) = self.at(c.item_name) {
                    refs.push(("item_id", NaturalKey::named(Entity::Item, item)));
                    line.insert("name".to_owned(), json!(item));
                }
                if let Some(a) = self.at(c.account) {
                    refs.push(("account_id", NaturalKey::named(Entity::Account, a)));
                }
                if let Some(t) = self.at(c.tax_name) {
                    refs.push(("tax_id", NaturalKey::named(Entity::Tax, t)));
                }
                line.insert("quantity".to_owned(), json!(value::plain(quantity)));
                if let Some(r) = rate {
                    line.insert("rate".to_owned(), money(r));
                }
                self.put_at(&mut line, c.item_desc, "description");
                self.put_at(&mut line, c.hsn_or_sac, "hsn_or_sac");
                self.put_at(&mut line, c.unit, "unit");
                let mut value = quantity * rate.unwrap_or_default();
                if let Some(d) = self.at(c.discount) {
                    let (number, percent) = match d.strip_suffix('%') {
                        Some(n) => (n, true),
                        None => (d, false),
                    };
                    let n = value::decimal(number).ok_or_else(|| {
                        self.bad_value(
                            "discount",
                            format!("{d:?} is not a discount (write 10% or 25.00)"),
                            label,
                        )
                    })?;
                    line.insert("discount".to_owned(), json!(d));
                    value -= if percent {
                        value * n / Decimal::ONE_HUNDRED
                    } else {
                        n
                    };
                }
                null_refs(&mut line, &refs);
                Ok((Some(Value::Object(line)), refs, value))
            }
        }
    }
}

/// Puts `null` in a line where each of its references points, as [`Record::refer`] does.
fn null_refs(line: &mut Map<String, Value>, refs: &[(&'static str, NaturalKey)]) {
    for (field, _) in refs {
        line.insert((*field).to_owned(), Value::Null);
    }
}

/// `/line_items/2/item_id`, without the formatting machinery (a path for every reference of
/// every row).
fn line_path(list: &str, index: usize, field: &str) -> String {
    let mut path = String::with_capacity(list.len() + field.len() + 8);
    path.push('/');
    path.push_str(list);
    path.push('/');
    if index < 10 {
        path.push(char::from(b'0' + u8::try_from(index).unwrap_or(0)));
    } else {
        path.push_str(&index.to_string());
    }
    path.push('/');
    path.push_str(field);
    path
}

impl Iterator for CsvReader {
    type Item = Result<Record, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            let rows = self.rows.as_mut()?;
            // Bytes first, text second: a row that is not UTF-8 is still split into its
            // fields, so the document it belongs to can be held back whole.
            let mut bytes = std::mem::take(&mut self.row).into_byte_record();
            let read = rows.read_byte_record(&mut bytes);
            let bad_text = match ::csv::StringRecord::from_byte_record(bytes) {
                Ok(row) => {
                    self.row = row;
                    None
                }
                Err(e) => {
                    let column = e.utf8_error().field();
                    let bytes = e.into_byte_record();
                    let mut row = ::csv::StringRecord::from_byte_record_lossy(bytes.clone());
                    row.set_position(bytes.position().cloned());
                    self.row = row;
                    Some(column)
                }
            };
            match read {
                Ok(true) if bad_text.is_some() => {
                    self.row_line = self
                        .row
                        .position()
                        .map_or(0, |p| self.lines.line_at(p.byte()));
                    let column = bad_text
                        .and_then(|i| self.headers.get(i))
                        .map_or_else(|| "a column".to_owned(), Clone::clone);
                    let group = self.group_of();
                    let p = Problem::error(
                        ProblemKind::Encoding,
                        Location::new(self.file.clone(), self.line()),
                        "the row has a byte that is not valid in the file's encoding (read as \
                         U+FFFD); the row is not imported",
                    )
                    .field(column);
                    self.hold(group.as_deref(), p);
                }
                Ok(true) => {
                    self.row_line = self
                        .row
                        .position()
                        .map_or(0, |p| self.lines.line_at(p.byte()));
                    self.take_row();
                }
                Ok(false) => {
                    self.rows = None;
                    self.flush();
                }
                Err(e) => {
                    let line = e
                        .position()
                        .map_or(self.line(), |p| self.lines.line_at(p.byte()));
                    let stop = matches!(e.kind(), ::csv::ErrorKind::Io(_));
                    let message = match e.kind() {
                        ::csv::ErrorKind::Utf8 { .. } => format!(
                            "the row is not valid text in the file's encoding ({e}); the row is not imported"
                        ),
                        _ => format!("cannot read the row: {e}"),
                    };
                    self.queue.push_back(Err(Problem::error(
                        ProblemKind::Syntax,
                        Location::new(self.file.clone(), line),
                        message,
                    )));
                    if stop {
                        self.rows = None;
                        self.flush();
                    }
                }
            }
        }
    }
}

/// Parses a whole CSV file held in memory (entity told from its header): every record and
/// every problem. Never panics, whatever the bytes (the entry point for fuzzing).
pub fn parse_csv_bytes(bytes: &[u8]) -> Parsed {
    Parsed::collect(CsvReader::new(
        Cursor::new(bytes.to_vec()),
        "input.csv",
        CsvOptions::default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, options: CsvOptions) -> Parsed {
        Parsed::collect(CsvReader::new(
            Cursor::new(text.as_bytes().to_vec()),
            "inv.csv",
            options,
        ))
    }

    #[test]
    fn groups_invoice_rows_and_holds_back_a_bad_document_only() {
        let text = "Invoice Number,Invoice Date,Customer Name,Item Name,Quantity,Item Price,Item Tax\n\
                    INV-1,2024-04-01,Acme,Bolt,2,10.50,GST18\n\
                    INV-1,2024-04-01,Acme,Nut,1,4,\n\
                    INV-2,01/04/2024,Bolt Co,Bolt,x,3,\n\
                    INV-2,01/04/2024,Bolt Co,Nut,1,3,\n\
                    INV-3,2024-04-02,Acme,Nut,1,3\n\
                    INV-4,2024-04-31,Acme,Nut,1,3,\n";
        let p = read(text, CsvOptions::default());
        let keys: Vec<&str> = p.records.iter().map(|r| r.key.value.as_str()).collect();
        assert_eq!(keys, vec!["INV-1"]);
        let inv = &p.records[0];
        assert_eq!(inv.location.line, 2);
        assert_eq!(inv.payload["line_items"].as_array().unwrap().len(), 2);
        assert_eq!(inv.amounts.as_ref().unwrap().total, Decimal::new(2500, 2));
        assert_eq!(inv.depends_on().len(), 4, "customer, two items, one tax");
        let msgs: Vec<String> = p.report.problems.iter().map(ToString::to_string).collect();
        assert!(
            msgs[0]
                .starts_with("inv.csv:4 \"INV-2\": error: field Quantity: \"x\" is not a number"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with(
                "inv.csv:6 \"INV-3\": error: the row has 6 fields but the header has 7"
            ),
            "{msgs:?}"
        );
        assert!(
            msgs[2].contains("field Invoice Date: \"2024-04-31\" is not a date"),
            "{msgs:?}"
        );
        assert_eq!(msgs.len(), 3);
    }

    #[test]
    fn maps_other_headers_through_a_mapping_file() {
        let mapping = ColumnMapping::from_json(
            r#"{"entity": "customer_payment", "columns": {"Client": "Customer Name", "Paid": "Amount", "Ref": "Reference Number", "Inv": "Invoice Number", "Applied": "Amount Applied"}}"#,
            None,
        )
        .unwrap();
        let text =
            "Client,Paid,Ref,Inv,Applied,Extra\nAcme,100,UTR1,INV-1,60,\nAcme,100,UTR1,INV-2,40,\n";
        let p = read(
            text,
            CsvOptions {
                mapping: Some(mapping),
                ..CsvOptions::default()
            },
        );
        assert_eq!(p.records.len(), 1, "{}", p.report);
        let r = &p.records[0];
        assert_eq!(r.entity, Entity::CustomerPayment);
        assert_eq!(
            r.key,
            NaturalKey::new(Entity::CustomerPayment, "reference_number", "UTR1")
        );
        assert_eq!(r.payload["invoices"].as_array().unwrap().len(), 2);
        assert_eq!(p.report.warnings(), 1, "Extra is not read");
        assert!(ColumnMapping::from_json("{\"cols\": {}}", None).is_err());
    }

    #[test]
    fn a_line_holds_every_column_and_a_null_where_each_reference_points() {
        let text = "Invoice Number,Customer Name,Item Name,Item Desc,Quantity,Item Price,Discount,Item Tax,HSN/SAC,Account,Usage Unit\n\
                    INV-1,Acme,Bolt,\"M6, zinc\",2.50,10,10%,GST18,7318,Sales,pcs\n\
                    INV-1,Acme,,,,,,,,,\n";
        let p = read(text, CsvOptions::default());
        assert_eq!(p.records.len(), 1, "{}", p.report);
        let r = &p.records[0];
        assert_eq!(
            r.payload["line_items"],
            json!([
                {"name": "Bolt", "item_id": null, "account_id": null, "tax_id": null,
                 "quantity": "2.5", "rate": "10.00", "description": "M6, zinc",
                 "hsn_or_sac": "7318", "unit": "pcs", "discount": "10%"},
                {"quantity": "1"}
            ])
        );
        let paths: Vec<&str> = r.references.iter().map(|x| x.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/customer_id",
                "/line_items/0/item_id",
                "/line_items/0/account_id",
                "/line_items/0/tax_id"
            ]
        );
        assert_eq!(
            r.amounts.as_ref().unwrap().total,
            Decimal::new(2250, 2),
            "2.5 × 10 less 10%"
        );
    }

    #[test]
    fn trim_is_str_trim() {
        let ends = [
            "", " ", "\t", "\u{b}", "\u{c}", "\r\n", "\u{1c}", "\u{85}", "\u{a0}", "\u{3000}", "a",
            "é", "1",
        ];
        for a in ends {
            for b in ends {
                for mid in ["", "x y", " ", "\u{2003}"] {
                    let v = format!("{a}{mid}{b}");
                    assert_eq!(trim(&v), v.trim(), "{v:?}");
                }
            }
        }
    }

    #[test]
    fn reads_utf16_with_bom() {
        let text = "Display Name,Place of Contact\nKaveri Hardware & Tools,Karnataka\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let p = parse_csv_bytes(&bytes);
        assert_eq!(p.records.len(), 1, "{}", p.report);
        assert_eq!(p.records[0].payload["place_of_contact"], json!("KA"));
    }
}
