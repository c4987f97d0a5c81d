//! Tally's objects as the mapper needs them, read out of the element trees: ledgers (both
//! GST/address layouts), groups, stock items and stock groups (legacy `GSTDETAILS` HSN and
//! Prime `HSNDETAILS`), voucher types, and vouchers with their ledger, inventory, accounting
//! allocation, bill and bank lines.
//!
//! Only what the mapping uses is kept, so that masters stay small in memory however large
//! the export is.

use rust_decimal::Decimal;

use super::xml::Node;
use crate::value;

/// A name that is a Tally system value (`&#4; Primary`) reads as none.
fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with('\u{4}'))
        .map(str::to_owned)
}

/// The object's name: the `NAME` attribute, else its first `NAME`.
fn object_name(node: &Node) -> Option<String> {
    clean(node.attr("NAME")).or_else(|| {
        node.child("LANGUAGENAME.LIST")
            .and_then(|l| l.child("NAME.LIST"))
            .and_then(|l| clean(l.get("NAME")))
    })
}

/// The row of a date-effective list whose `APPLICABLEFROM` is the latest (tally-reference.md
/// §4.1); rows without a date count as oldest.
fn latest<'a>(node: &'a Node, list: &'a str) -> Option<&'a Node> {
    node.all(list)
        .max_by(|a, b| a.get("APPLICABLEFROM").cmp(&b.get("APPLICABLEFROM")))
}

/// The IGST slab of a `RATEDETAILS.LIST` set: the IGST (or legacy "Integrated Tax") rate,
/// else CGST + SGST.
fn igst_rate<'a>(rows: impl Iterator<Item = &'a Node>) -> Option<Decimal> {
    let mut igst = None;
    let mut halves = Decimal::ZERO;
    let mut any_half = false;
    for row in rows {
        let head = row.get("GSTRATEDUTYHEAD").unwrap_or("");
        let Some(rate) = row.get("GSTRATE").and_then(value::decimal) else {
            continue;
        };
        match head {
            "IGST" | "Integrated Tax" => igst = Some(rate),
            "CGST" | "Central Tax" | "SGST/UTGST" | "State Tax" | "SGST" | "UTGST" => {
                halves += rate;
                any_half = true;
            }
            _ => {}
        }
    }
    igst.or(any_half.then_some(halves))
}

/// HSN and GST rate of a stock item or stock group, from either layout.
fn gst_of(node: &Node) -> (Option<String>, Option<Decimal>) {
    let details = latest(node, "GSTDETAILS.LIST");
    let hsn = latest(node, "HSNDETAILS.LIST")
        .and_then(|h| clean(h.get("HSNCODE")))
        .or_else(|| details.and_then(|d| clean(d.get("HSNCODE"))));
    let rate = details.and_then(|d| {
        d.all("STATEWISEDETAILS.LIST")
            .find_map(|s| igst_rate(s.all("RATEDETAILS.LIST")))
    });
    (hsn, rate)
}

/// A ledger master.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Tally's GUID.
    pub guid: Option<String>,
    /// The name vouchers use.
    pub name: String,
    /// The group it sits in.
    pub parent: Option<String>,
    /// GSTIN: the latest `LEDGSTREGDETAILS` row, else `PARTYGSTIN`.
    pub gstin: Option<String>,
    /// GST registration type (an open string: `Regular`, `Unregistered/Consumer`...).
    pub registration: Option<String>,
    /// State name.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Address lines.
    pub address: Vec<String>,
    /// PIN code.
    pub pincode: Option<String>,
    /// Mailing name.
    pub mailing_name: Option<String>,
    /// PAN.
    pub pan: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Mobile.
    pub mobile: Option<String>,
    /// Credit period in days.
    pub credit_days: Option<u32>,
    /// Opening balance, signed (debit negative).
    pub opening: Option<Decimal>,
    /// The bills open at the opening (bill-wise parties): the ledger's own
    /// `BILLALLOCATIONS.LIST`.
    pub opening_bills: Vec<OpeningBill>,
    /// `STARTINGFROM`: the day the ledger's books begin (`YYYY-MM-DD`).
    pub starting_from: Option<String>,
    /// `GST`, `TDS`, `Others`...
    pub tax_type: Option<String>,
    /// `CGST`, `SGST/UTGST`, `IGST`, `Cess` for GST duty ledgers.
    pub duty_head: Option<String>,
    /// Whether it is a rounding ledger.
    pub rounding: bool,
    /// Line of the master in the file.
    pub line: u64,
}

impl Ledger {
    /// Reads a `LEDGER` element.
    pub fn read(node: &Node) -> Option<Ledger> {
        let name = object_name(node)?;
        let reg = latest(node, "LEDGSTREGDETAILS.LIST");
        let mail = latest(node, "LEDMAILINGDETAILS.LIST");
        let address_of = |n: &Node| -> Vec<String> {
            n.all("ADDRESS.LIST")
                .flat_map(|l| l.all("ADDRESS"))
                .map(|a| a.text.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect()
        };
        let mut address = mail.map(address_of).unwrap_or_default();
        if address.is_empty() {
            address = address_of(node);
        }
        Some(Ledger {
            guid: name_of(node, "GUID"),
            parent: clean(node.get("PARENT")),
            gstin: reg
                .and_then(|r| clean(r.get("GSTIN")))
                .or_else(|| clean(node.get("PARTYGSTIN"))),
            registration: reg
                .and_then(|r| clean(r.get("GSTREGISTRATIONTYPE")))
                .or_else(|| clean(node.get("GSTREGISTRATIONTYPE"))),
            state: reg
                .and_then(|r| clean(r.get("PLACEOFSUPPLY")))
                .or_else(|| mail.and_then(|m| clean(m.get("STATE"))))
                .or_else(|| clean(node.get("LEDSTATENAME")))
                .or_else(|| clean(node.get("PRIORSTATENAME"))),
            country: mail
                .and_then(|m| clean(m.get("COUNTRY")))
                .or_else(|| clean(node.get("COUNTRYNAME")))
                .or_else(|| clean(node.get("COUNTRYOFRESIDENCE"))),
            address,
            pincode: mail
                .and_then(|m| clean(m.get("PINCODE")))
                .or_else(|| clean(node.get("PINCODE"))),
            mailing_name: mail.and_then(|m| clean(m.get("MAILINGNAME"))).or_else(|| {
                node.child("MAILINGNAME.LIST")
                    .and_then(|m| clean(m.get("MAILINGNAME")))
            }),
            pan: name_of(node, "INCOMETAXNUMBER"),
            email: name_of(node, "EMAIL"),
            phone: name_of(node, "LEDGERPHONE"),
            mobile: name_of(node, "LEDGERMOBILE"),
            credit_days: node.get("BILLCREDITPERIOD").and_then(value::days),
            opening: node.get("OPENINGBALANCE").and_then(value::tally_amount),
            opening_bills: node
                .all("BILLALLOCATIONS.LIST")
                .filter_map(|b| {
                    Some(OpeningBill {
                        name: clean(b.get("NAME"))?,
                        date: b.get("BILLDATE").and_then(value::tally_date),
                        amount: b
                            .get("OPENINGBALANCE")
                            .or_else(|| b.get("AMOUNT"))
                            .and_then(value::tally_amount)?,
                        advance: b.get("ISADVANCE").is_some_and(value::yes),
                        line: b.line,
                    })
                })
                .collect(),
            starting_from: node.get("STARTINGFROM").and_then(value::tally_date),
            tax_type: name_of(node, "TAXTYPE"),
            duty_head: name_of(node, "GSTDUTYHEAD"),
            rounding: node
                .get("ROUNDINGMETHOD")
                .is_some_and(|m| !m.starts_with('\u{4}')),
            line: node.line,
            name,
        })
    }
}

fn name_of(node: &Node, tag: &str) -> Option<String> {
    clean(node.get(tag))
}

/// A group (of ledgers) or a voucher type: a name, a parent and a reserved name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    /// Tally's GUID.
    pub guid: Option<String>,
    /// Its name.
    pub name: String,
    /// Its parent, if not a root.
    pub parent: Option<String>,
    /// The predefined name it was created from (`Sundry Debtors`, `Sales`), if any.
    pub reserved: Option<String>,
}

impl Group {
    /// Reads a `GROUP` or `VOUCHERTYPE` element.
    pub fn read(node: &Node) -> Option<Group> {
        Some(Group {
            guid: name_of(node, "GUID"),
            name: object_name(node)?,
            parent: clean(node.get("PARENT")),
            reserved: clean(node.attr("RESERVEDNAME")),
        })
    }
}

/// A stock item or a stock group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stock {
    /// Tally's GUID.
    pub guid: Option<String>,
    /// Its name.
    pub name: String,
    /// Its stock group.
    pub parent: Option<String>,
    /// HSN code of its own (either layout).
    pub hsn: Option<String>,
    /// GST rate of its own (IGST slab).
    pub gst_rate: Option<Decimal>,
    /// Base unit.
    pub unit: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// `Goods` or `Services`.
    pub supply: Option<String>,
    /// Latest standard selling price.
    pub price: Option<Decimal>,
    /// Latest standard cost.
    pub cost: Option<Decimal>,
    /// Line of the master in the file.
    pub line: u64,
}

impl Stock {
    /// Reads a `STOCKITEM` or `STOCKGROUP` element.
    pub fn read(node: &Node) -> Option<Stock> {
        let (hsn, gst_rate) = gst_of(node);
        let latest_rate = |list: &str| {
            node.all(list)
                .max_by(|a, b| a.get("DATE").cmp(&b.get("DATE")))
                .and_then(|r| r.get("RATE"))
                .and_then(value::tally_rate)
        };
        Some(Stock {
            guid: name_of(node, "GUID"),
            name: object_name(node)?,
            parent: clean(node.get("PARENT")),
            hsn,
            gst_rate,
            unit: name_of(node, "BASEUNITS"),
            description: name_of(node, "DESCRIPTION"),
            supply: name_of(node, "GSTTYPEOFSUPPLY"),
            price: latest_rate("STANDARDPRICELIST.LIST"),
            cost: latest_rate("STANDARDCOSTLIST.LIST"),
            line: node.line,
        })
    }
}

/// A bill open at the opening: one row of a party ledger's own `BILLALLOCATIONS.LIST`
/// (tally-reference.md §4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningBill {
    /// The bill's name (the invoice or bill number it was raised under).
    pub name: String,
    /// `BILLDATE` (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// The amount open, signed like the ledger's opening (debit negative).
    pub amount: Decimal,
    /// `ISADVANCE`: an advance received or paid, not a bill raised.
    pub advance: bool,
    /// Line of the row in the file.
    pub line: u64,
}

/// A bill allocation of a ledger line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillRef {
    /// The bill's reference name (usually the invoice or bill number).
    pub name: String,
    /// `New Ref`, `Agst Ref`, `Advance`, `On Account`.
    pub kind: String,
    /// Signed amount.
    pub amount: Decimal,
    /// Line of the allocation in the file.
    pub line: u64,
}

/// One ledger line of a voucher (or an accounting allocation of an inventory line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerLine {
    /// The ledger.
    pub ledger: String,
    /// Signed amount: debit negative.
    pub amount: Decimal,
    /// Tally's `ISDEEMEDPOSITIVE`, secondary to the sign.
    pub deemed_positive: Option<bool>,
    /// Tally's `ISPARTYLEDGER`.
    pub is_party: Option<bool>,
    /// Whether Tally marks it as a rounding line (`ROUNDTYPE`).
    pub rounding: bool,
    /// GST rate from the line's `RATEDETAILS`.
    pub gst_rate: Option<Decimal>,
    /// HSN/SAC on the line.
    pub hsn: Option<String>,
    /// Bill allocations.
    pub bills: Vec<BillRef>,
    /// Bank transaction type (`NEFT`, `Cheque`...).
    pub transaction: Option<String>,
    /// Cheque or UTR number.
    pub instrument: Option<String>,
    /// Line in the file.
    pub line: u64,
}

impl LedgerLine {
    fn read(node: &Node) -> Option<LedgerLine> {
        let ledger = clean(node.get("LEDGERNAME"))?;
        let amount = node.get("AMOUNT").and_then(value::tally_amount)?;
        let bank = node.child("BANKALLOCATIONS.LIST");
        Some(LedgerLine {
            ledger,
            amount,
            deemed_positive: node.get("ISDEEMEDPOSITIVE").map(value::yes),
            is_party: node.get("ISPARTYLEDGER").map(value::yes),
            rounding: node.value("ROUNDTYPE").is_some(),
            gst_rate: igst_rate(node.all("RATEDETAILS.LIST")),
            hsn: name_of(node, "GSTHSNNAME"),
            bills: node
                .all("BILLALLOCATIONS.LIST")
                .filter_map(|b| {
                    Some(BillRef {
                        name: clean(b.get("NAME"))?,
                        kind: b.get("BILLTYPE").unwrap_or("").to_owned(),
                        amount: b.get("AMOUNT").and_then(value::tally_amount)?,
                        line: b.line,
                    })
                })
                .collect(),
            transaction: bank.and_then(|b| clean(b.get("TRANSACTIONTYPE"))),
            instrument: bank.and_then(|b| {
                clean(b.get("INSTRUMENTNUMBER")).or_else(|| clean(b.get("UNIQUEREFERENCENUMBER")))
            }),
            line: node.line,
        })
    }
}

/// One inventory line of an invoice-view voucher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryLine {
    /// The stock item.
    pub item: String,
    /// Signed amount: debit negative.
    pub amount: Decimal,
    /// Billed quantity (else actual), unsigned.
    pub quantity: Option<Decimal>,
    /// Unit of the quantity.
    pub unit: Option<String>,
    /// Rate per unit.
    pub rate: Option<Decimal>,
    /// Discount percent.
    pub discount: Option<Decimal>,
    /// HSN/SAC on the line.
    pub hsn: Option<String>,
    /// GST rate from the line's `RATEDETAILS`.
    pub gst_rate: Option<Decimal>,
    /// Free-text description lines.
    pub description: Option<String>,
    /// The accounting allocations: where the sale or purchase amount is booked.
    pub allocations: Vec<LedgerLine>,
    /// Line in the file.
    pub line: u64,
}

impl InventoryLine {
    fn read(node: &Node) -> Option<InventoryLine> {
        let qty = node
            .get("BILLEDQTY")
            .or_else(|| node.get("ACTUALQTY"))
            .and_then(value::tally_quantity);
        let description: Vec<&str> = node
            .all("BASICUSERDESCRIPTION.LIST")
            .flat_map(|d| d.all("BASICUSERDESCRIPTION"))
            .map(|d| d.text.trim())
            .filter(|d| !d.is_empty())
            .collect();
        Some(InventoryLine {
            item: clean(node.get("STOCKITEMNAME"))?,
            amount: node.get("AMOUNT").and_then(value::tally_amount)?,
            quantity: qty.as_ref().map(|q| q.0),
            unit: qty.and_then(|q| q.1),
            rate: node.get("RATE").and_then(value::tally_rate),
            discount: node.get("DISCOUNT").and_then(value::decimal),
            hsn: name_of(node, "GSTHSNNAME"),
            gst_rate: igst_rate(node.all("RATEDETAILS.LIST")),
            description: (!description.is_empty()).then(|| description.join("\n")),
            allocations: node
                .all("ACCOUNTINGALLOCATIONS.LIST")
                .filter_map(LedgerLine::read)
                .collect(),
            line: node.line,
        })
    }
}

/// A voucher.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Voucher {
    /// Tally's GUID (else `REMOTEID`).
    pub guid: Option<String>,
    /// The voucher type's name.
    pub type_name: Option<String>,
    /// The voucher number.
    pub number: Option<String>,
    /// The supplier's reference (bill number on purchases).
    pub reference: Option<String>,
    /// The date, as Tally writes it.
    pub date_raw: Option<String>,
    /// The party ledger.
    pub party: Option<String>,
    /// The party's GSTIN on the document.
    pub party_gstin: Option<String>,
    /// Registration type on the document.
    pub registration: Option<String>,
    /// Place of supply (state name).
    pub place_of_supply: Option<String>,
    /// The party's state on the document.
    pub state: Option<String>,
    /// The company's GST state.
    pub company_state: Option<String>,
    /// Narration.
    pub narration: Option<String>,
    /// Credit period in days (`BASICDUEDATEOFPYMT`).
    pub due_days: Option<u32>,
    /// Cancelled, optional (memorandum) or deleted.
    pub void: Option<&'static str>,
    /// Ledger lines (`LEDGERENTRIES.LIST` or `ALLLEDGERENTRIES.LIST`).
    pub ledgers: Vec<LedgerLine>,
    /// Inventory lines (`ALLINVENTORYENTRIES.LIST` or `INVENTORYENTRIES.LIST`).
    pub inventory: Vec<InventoryLine>,
    /// Line of the start tag.
    pub line: u64,
}

impl Voucher {
    /// Reads a `VOUCHER` element.
    pub fn read(node: &Node) -> Voucher {
        let flag = |tag| node.get(tag).is_some_and(value::yes);
        let void = if flag("ISCANCELLED") {
            Some("cancelled")
        } else if flag("ISOPTIONAL") {
            Some("optional (memorandum)")
        } else if flag("ISDELETED") {
            Some("deleted")
        } else {
            None
        };
        let ledgers = node
            .children
            .iter()
            .filter(|c| matches!(&*c.name, "LEDGERENTRIES.LIST" | "ALLLEDGERENTRIES.LIST"))
            .filter_map(LedgerLine::read)
            .collect();
        let inventory = node
            .children
            .iter()
            .filter(|c| {
                matches!(
                    &*c.name,
                    "ALLINVENTORYENTRIES.LIST"
                        | "INVENTORYENTRIES.LIST"
                        | "INVENTORYENTRIESIN.LIST"
                        | "INVENTORYENTRIESOUT.LIST"
                )
            })
            .filter_map(InventoryLine::read)
            .collect();
        Voucher {
            guid: name_of(node, "GUID").or_else(|| clean(node.attr("REMOTEID"))),
            type_name: name_of(node, "VOUCHERTYPENAME").or_else(|| clean(node.attr("VCHTYPE"))),
            number: name_of(node, "VOUCHERNUMBER"),
            reference: name_of(node, "REFERENCE"),
            date_raw: name_of(node, "DATE"),
            party: name_of(node, "PARTYLEDGERNAME").or_else(|| name_of(node, "PARTYNAME")),
            party_gstin: name_of(node, "PARTYGSTIN"),
            registration: name_of(node, "GSTREGISTRATIONTYPE"),
            place_of_supply: name_of(node, "PLACEOFSUPPLY"),
            state: name_of(node, "STATENAME"),
            company_state: name_of(node, "CMPGSTSTATE"),
            narration: name_of(node, "NARRATION"),
            due_days: node.get("BASICDUEDATEOFPYMT").and_then(value::days),
            void,
            ledgers,
            inventory,
            line: node.line,
        }
    }

    /// Every posting: the ledger lines and the inventory lines' accounting allocations (an
    /// inventory line without allocations posts its own amount).
    pub fn postings(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.ledgers
            .iter()
            .map(|l| (l.ledger.as_str(), l.amount))
            .chain(self.inventory.iter().flat_map(|i| {
                let own = i
                    .allocations
                    .is_empty()
                    .then_some((i.item.as_str(), i.amount));
                i.allocations
                    .iter()
                    .map(|a| (a.ledger.as_str(), a.amount))
                    .chain(own)
            }))
    }

    /// A label for messages: the number, else the GUID.
    pub fn label(&self) -> String {
        self.number
            .clone()
            .or_else(|| self.guid.clone())
            .unwrap_or_else(|| "(no number)".to_owned())
    }
}
