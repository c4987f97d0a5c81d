//! Opening balances and bill-wise detail (docs/opening-balances.md): the bills each party has
//! (so that a receipt's or payment's `Agst Ref` is applied only to a bill Tally knows), and,
//! once the file is read, the opening itself.
//!
//! - A party's open bills (its ledger's own `BILLALLOCATIONS.LIST`) become opening invoices
//!   (debtors) and opening bills (creditors), numbered with the bill's name, dated with its
//!   date, with one line for the amount open to the account [`ADJUSTMENTS`] (on an invoice
//!   through the item [`ITEM`], whose sales account it is); an advance (a
//!   debtor's credit, a creditor's debit, or `ISADVANCE`) becomes an unapplied customer or
//!   vendor payment through that account. What the bills leave of the ledger's opening
//!   (`On Account`, or a party that is not bill-wise) is one more such document.
//! - Every other ledger's opening goes into Zoho's opening balances (`POST
//!   /settings/openingbalances`), one record dated the day before the first voucher. The
//!   parties are not in it: their documents carry their opening, so it is never counted
//!   twice.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::gst;
use crate::location::Location;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Amounts, Entity, NaturalKey, Posting, Record};
use crate::tally::model::{OpeningBill, Voucher};
use crate::value::money;

use super::{Class, Out, TallyMapper, bill_key};

/// Zoho's account for what opening entries leave unbalanced (Zoho Books help, "Opening
/// Balances": the difference between debits and credits is posted there). The opening
/// documents' lines go to it too, so that it nets to Tally's own opening difference.
pub const ADJUSTMENTS: &str = "Opening Balance Adjustments";

/// The item an opening invoice's one line names.
pub const ITEM: &str = "Tally opening balance";

/// The name of the document that carries what a party's bills leave of its opening.
pub fn on_account_name(party: &str) -> String {
    format!("Opening On Account - {party}")
}

impl TallyMapper {
    /// Remembers the bills a document raises for its party: its `New Ref`s and its number.
    pub(super) fn note_bills(&mut self, v: &Voucher) {
        let Some(party) = self.party(v) else { return };
        let mut names: Vec<String> = v
            .ledgers
            .iter()
            .filter(|l| l.ledger == party)
            .flat_map(|l| l.bills.iter())
            .filter(|b| b.kind == "New Ref")
            .map(|b| b.name.clone())
            .collect();
        names.extend(v.number.clone());
        names.extend(v.reference.clone());
        for n in names {
            self.known_bills.insert(bill_key(&party, &n));
        }
    }

    /// Whether the party of a receipt or payment has no bill (yet) of a name one of its
    /// `Agst Ref`s settles.
    pub(super) fn names_unknown_bill(&self, v: &Voucher) -> bool {
        let Some(party) = self.party(v) else {
            return false;
        };
        v.ledgers
            .iter()
            .filter(|l| l.ledger == party)
            .flat_map(|l| l.bills.iter())
            .any(|b| b.kind == "Agst Ref" && !self.knows_bill(&party, &b.name))
    }

    /// Whether `party` has a bill named `bill`, or a voucher of that number was lost by the
    /// reader (then the bill is in Tally, and the payment depends on it like on any other).
    pub(super) fn knows_bill(&self, party: &str, bill: &str) -> bool {
        let key = bill_key(party, bill);
        self.known_bills.contains(&key) || self.lost_bills.contains(&key.1)
    }

    /// Hears of an object the reader could not read: a lost voucher's number may be a bill
    /// a receipt or payment names.
    pub fn note_lost(&mut self, problem: &Problem) {
        if problem.is_error()
            && problem.location.element.as_deref() == Some("VOUCHER")
            && let Some(label) = problem.location.label.as_deref()
        {
            self.lost_bills.insert(bill_key("", label).1);
        }
    }

    /// The receipts and payments held back for a bill not seen when they were read.
    pub(super) fn deferred_records(&mut self) -> Out {
        self.finishing = true;
        let deferred = std::mem::take(&mut self.deferred);
        let mut out = Vec::new();
        for v in deferred {
            out.extend(self.voucher(&v));
        }
        out
    }

    /// The day the opening is dated: the day before the books brought over begin (a live
    /// pull's `--from`), else before the first voucher, else before the earliest
    /// `STARTINGFROM` of a ledger.
    fn opening_date(&self) -> Option<String> {
        let start = self
            .options
            .books_from
            .clone()
            .or_else(|| self.first_date.clone())
            .or_else(|| {
                self.ledgers
                    .values()
                    .filter_map(|l| l.starting_from.clone())
                    .min()
            })?;
        day_before(&start)
    }

    /// The opening documents of the parties and the opening balances of the other ledgers.
    pub(super) fn opening_records(&mut self) -> Out {
        let mut out = Vec::new();
        let with_opening: Vec<String> = self
            .ledger_order
            .iter()
            .filter(|n| {
                self.ledgers.get(*n).is_some_and(|l| {
                    l.opening.is_some_and(|o| !o.is_zero()) || !l.opening_bills.is_empty()
                })
            })
            .cloned()
            .collect();
        if with_opening.is_empty() {
            return out;
        }
        let Some(date) = self.opening_date() else {
            out.push(Err(Problem::warning(
                ProblemKind::Skipped,
                Location::new(self.file.clone(), 0),
                "ledgers carry opening balances but the export has no voucher and no \
                 STARTINGFROM to date the opening by: opening balances are not imported",
            )
            .field("OPENINGBALANCE")));
            return out;
        };
        let mut accounts: Vec<(String, Decimal, Location)> = Vec::new();
        let mut difference = Decimal::ZERO;
        let mut adjustments_used = false;
        for name in with_opening {
            let Some(l) = self.ledgers.get(&name).cloned() else {
                continue;
            };
            let opening = l.opening.unwrap_or_default();
            difference += opening;
            let at = self.location(l.line, "LEDGER", &name);
            match self.class(&name) {
                class @ (Class::Debtor | Class::Creditor) => {
                    let debtor = class == Class::Debtor;
                    let mut bills = l.opening_bills.clone();
                    let billed: Decimal = bills.iter().map(|b| b.amount).sum();
                    let rest = opening - billed;
                    if !rest.is_zero() {
                        bills.push(OpeningBill {
                            name: on_account_name(&name),
                            date: None,
                            amount: rest,
                            advance: false,
                            line: l.line,
                        });
                    }
                    for b in bills.iter().filter(|b| !b.amount.is_zero()) {
                        let at = self.location(b.line, "LEDGER", &format!("{name}: {}", b.name));
                        out.push(Ok(self.opening_document(&name, debtor, b, &date, at)));
                        adjustments_used = true;
                    }
                }
                class => {
                    if opening.is_zero() {
                        continue;
                    }
                    if class.account_type().is_none() {
                        out.push(Err(Problem::warning(
                            ProblemKind::Skipped,
                            at,
                            format!(
                                "ledger {name:?} has an opening balance of {opening} but no \
                                 group that maps to a Zoho account type: its opening is left \
                                 to Opening Balance Adjustments"
                            ),
                        )
                        .field("OPENINGBALANCE")));
                        continue;
                    }
                    self.use_account(&name, &at);
                    accounts.push((name.clone(), opening, at));
                }
            }
        }
        if adjustments_used {
            out.push(Ok(adjustments_account(&self.file)));
            out.push(Ok(opening_item(&self.file)));
        }
        if !difference.is_zero() {
            out.push(Err(Problem::warning(
                ProblemKind::Mismatch,
                Location::new(self.file.clone(), 0).with_label("OPENINGBALANCE"),
                format!(
                    "the ledgers' opening balances do not balance: they differ by {} ({}), \
                     Tally's \"Difference in opening balances\"; Zoho posts it to {ADJUSTMENTS}",
                    difference.abs(),
                    if difference < Decimal::ZERO {
                        "Dr"
                    } else {
                        "Cr"
                    }
                ),
            )
            .field("OPENINGBALANCE")));
        }
        if !accounts.is_empty() {
            out.push(Ok(self.opening_balance(&date, &accounts)));
        }
        out
    }

    /// The opening balances record: each ledger's opening, debit or credit. It carries no
    /// amounts for the reconciliation, which ticks off documents and vouchers: its postings
    /// leave out the parties (their documents carry them). The opening-balance test compares
    /// it account by account instead.
    fn opening_balance(&self, date: &str, accounts: &[(String, Decimal, Location)]) -> Record {
        let mut lines = Vec::with_capacity(accounts.len());
        for (_, opening, _) in accounts {
            let side = if *opening < Decimal::ZERO {
                "debit"
            } else {
                "credit"
            };
            lines.push(json!({
                "debit_or_credit": side,
                "exchange_rate": "1",
                "amount": money(opening.abs()),
            }));
        }
        let at = accounts
            .first()
            .map_or_else(
                || Location::new(self.file.clone(), 0),
                |(_, _, at)| at.clone(),
            )
            .with_label("opening balances");
        let mut record = Record::new(
            Entity::OpeningBalance,
            NaturalKey::new(Entity::OpeningBalance, "date", date),
            json!({ "date": date, "accounts": lines }),
            at,
        );
        for (i, (name, _, _)) in accounts.iter().enumerate() {
            record.refer(
                format!("/accounts/{i}/account_id"),
                NaturalKey::named(Entity::Account, name),
            );
        }
        record
    }

    /// One open bill of a party: an invoice or bill for an amount owed, an unapplied
    /// payment for an advance.
    fn opening_document(
        &self,
        party: &str,
        debtor: bool,
        bill: &OpeningBill,
        opening_date: &str,
        at: Location,
    ) -> Record {
        // A debtor owes on a debit (negative), a creditor is owed on a credit (positive).
        let owed = if debtor { -bill.amount } else { bill.amount };
        let date = bill
            .date
            .clone()
            .filter(|d| d.as_str() <= opening_date)
            .unwrap_or_else(|| opening_date.to_owned());
        let adjustments = NaturalKey::named(Entity::Account, ADJUSTMENTS);
        let contact = NaturalKey::named(Entity::Contact, party);
        let postings = vec![
            Posting {
                ledger: party.to_owned(),
                amount: bill.amount,
            },
            Posting {
                ledger: ADJUSTMENTS.to_owned(),
                amount: -bill.amount,
            },
        ];
        if owed > Decimal::ZERO && !bill.advance {
            let (entity, party_field, number_field) = if debtor {
                (Entity::Invoice, "customer_id", "invoice_number")
            } else {
                (Entity::Bill, "vendor_id", "bill_number")
            };
            let mut payload = Map::new();
            payload.insert(number_field.to_owned(), json!(bill.name));
            payload.insert("date".to_owned(), json!(date));
            if let Some(l) = self.ledgers.get(party) {
                let treatment = gst::treatment(
                    l.registration.as_deref(),
                    l.gstin.as_deref(),
                    l.country.as_deref(),
                    l.pan.is_some(),
                    party,
                );
                payload.insert("gst_treatment".to_owned(), json!(treatment));
                if treatment == "business_gst"
                    && let Some(g) = &l.gstin
                {
                    payload.insert("gst_no".to_owned(), json!(g));
                }
                if let Some(code) = gst::place(l.gstin.as_deref(), l.state.as_deref()) {
                    let field = if debtor {
                        "place_of_supply"
                    } else {
                        "source_of_supply"
                    };
                    payload.insert(field.to_owned(), json!(code));
                }
            }
            payload.insert(
                "notes".to_owned(),
                json!(format!("Opening bill {} of {party} from Tally", bill.name)),
            );
            payload.insert(
                "line_items".to_owned(),
                json!([{
                    "description": format!("Tally opening bill {}", bill.name),
                    "quantity": "1",
                    "rate": money(owed),
                }]),
            );
            let mut record = Record::new(
                entity,
                NaturalKey::named(entity, &bill.name),
                Value::Object(payload),
                at,
            );
            record.refer(format!("/{party_field}"), contact);
            if entity == Entity::Invoice {
                // An invoice line names an item (invoices.yml has no `account_id` on a
                // line): the opening item, whose sales account is the adjustments account.
                record.refer(
                    "/line_items/0/item_id",
                    NaturalKey::named(Entity::Item, ITEM),
                );
            } else {
                record.refer("/line_items/0/account_id", adjustments);
            }
            // An open bill is in Tally's books: the opening invoice is posted, not a draft.
            record.posted = entity == Entity::Invoice;
            if entity == Entity::Invoice {
                record.query.push((
                    "ignore_auto_number_generation".to_owned(),
                    "true".to_owned(),
                ));
            }
            record.amounts = Some(Amounts {
                total: owed,
                zoho_field: "total".to_owned(),
                party: Some(party.to_owned()),
                postings,
            });
            record
        } else {
            // An advance: money received from a customer (paid to a vendor) before the
            // opening, not yet set against a bill; the payment's unapplied amount keeps it.
            let (entity, party_field, account_field) = if debtor {
                (Entity::CustomerPayment, "customer_id", "account_id")
            } else {
                (
                    Entity::VendorPayment,
                    "vendor_id",
                    "paid_through_account_id",
                )
            };
            let amount = owed.abs();
            let reference = format!("OPENING {}", bill.name);
            let payload = json!({
                "date": date,
                "amount": money(amount),
                "payment_mode": "cash",
                "reference_number": reference,
                "description": format!("Opening advance {} of {party} from Tally", bill.name),
            });
            let mut record = Record::new(
                entity,
                NaturalKey::new(entity, "reference_number", reference),
                payload,
                at,
            );
            record.refer(format!("/{party_field}"), contact);
            record.refer(format!("/{account_field}"), adjustments);
            record.amounts = Some(Amounts {
                total: amount,
                zoho_field: "amount".to_owned(),
                party: Some(party.to_owned()),
                postings,
            });
            record
        }
    }
}

/// The account the opening documents post against, created unless Zoho has it already
/// (then adopted by name).
fn adjustments_account(file: &std::sync::Arc<str>) -> Record {
    Record::new(
        Entity::Account,
        NaturalKey::named(Entity::Account, ADJUSTMENTS),
        json!({ "account_name": ADJUSTMENTS, "account_type": "other_current_liability" }),
        Location::new(file.clone(), 0).with_label(ADJUSTMENTS),
    )
}

/// The item the opening invoices bill: a service at no price of its own, sold to (and
/// bought from) the adjustments account.
fn opening_item(file: &std::sync::Arc<str>) -> Record {
    let mut r = Record::new(
        Entity::Item,
        NaturalKey::named(Entity::Item, ITEM),
        json!({
            "name": ITEM,
            "rate": "0.00",
            "description": "Bills open in Tally at the opening",
            "product_type": "service",
            "item_type": "sales",
        }),
        Location::new(file.clone(), 0).with_label(ITEM),
    );
    r.refer(
        "/account_id",
        NaturalKey::named(Entity::Account, ADJUSTMENTS),
    );
    r
}

/// The day before a `YYYY-MM-DD` date.
pub(crate) fn day_before(date: &str) -> Option<String> {
    let mut parts = date.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !crate::value::is_date(y, m, d) {
        return None;
    }
    let (y, m, d) = if d > 1 {
        (y, m, d - 1)
    } else if m > 1 {
        let last = (28..=31)
            .rev()
            .find(|d| crate::value::is_date(y, m - 1, *d))?;
        (y, m - 1, last)
    } else {
        (y - 1, 12, 31)
    };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_before_crosses_months_years_and_leap_days() {
        assert_eq!(day_before("2024-04-01").as_deref(), Some("2024-03-31"));
        assert_eq!(day_before("2024-03-01").as_deref(), Some("2024-02-29"));
        assert_eq!(day_before("2023-03-01").as_deref(), Some("2023-02-28"));
        assert_eq!(day_before("2025-01-01").as_deref(), Some("2024-12-31"));
        assert_eq!(day_before("2024-05-10").as_deref(), Some("2024-05-09"));
        assert_eq!(day_before("2024-13-01"), None);
    }
}
