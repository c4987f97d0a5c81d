//! One Tally company in memory: its groups, ledgers, stock items and vouchers, read from a
//! Tally XML export with zbooks-import's streaming reader. The Tally simulator answers from it
//! and Tally's reports are computed over it.

use std::io::Read;
use std::sync::Arc;

use zbooks_import::Problem;
use zbooks_import::tally::XmlItem;
use zbooks_import::tally::XmlObjects;
use zbooks_import::tally::model::{Group, Ledger, Stock, Voucher};

/// A company's masters and vouchers.
#[derive(Clone, Debug, Default)]
pub struct Company {
    /// The company's name (`SVCURRENTCOMPANY`).
    pub name: String,
    /// Ledger groups, in file order.
    pub groups: Vec<Group>,
    /// Ledgers, in file order.
    pub ledgers: Vec<Ledger>,
    /// Stock items, in file order.
    pub stock_items: Vec<Stock>,
    /// Vouchers, in file order.
    pub vouchers: Vec<Voucher>,
}

impl Company {
    /// Reads a Tally XML export (`file` names it in problems). The problems the reader met
    /// are returned beside the company: the caller decides whether they are fatal.
    pub fn read(
        name: &str,
        input: impl Read + Send + 'static,
        file: &str,
    ) -> (Company, Vec<Problem>) {
        let mut company = Company {
            name: name.to_owned(),
            ..Company::default()
        };
        let mut problems = Vec::new();
        let objects = match XmlObjects::new(input, Arc::from(file)) {
            Ok(objects) => objects,
            Err(p) => return (company, vec![p]),
        };
        for item in objects {
            match item {
                XmlItem::Object(node) => match &*node.name {
                    "GROUP" => company.groups.extend(Group::read(&node)),
                    "LEDGER" => company.ledgers.extend(Ledger::read(&node)),
                    "STOCKITEM" => company.stock_items.extend(Stock::read(&node)),
                    "VOUCHER" => company.vouchers.push(Voucher::read(&node)),
                    _ => {}
                },
                XmlItem::Problem(p) => problems.push(p),
            }
        }
        (company, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample_company_masters_and_vouchers() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../zbooks-import/fixtures/tally/sample-company.xml"
        );
        let file = std::fs::File::open(path).expect("the sample company fixture");
        let (company, problems) = Company::read("Sample", file, "sample-company.xml");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            company
                .groups
                .iter()
                .any(|g| g.name == "Sundry Debtors" || g.parent.is_some())
        );
        assert!(company.ledgers.iter().any(|l| l.opening.is_some()));
        assert!(!company.vouchers.is_empty());
        assert!(!company.stock_items.is_empty());
    }
}
