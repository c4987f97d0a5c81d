//! `GET /reports/trialbalance`, `/reports/profitandloss` and `/reports/balancesheet`: the
//! organization's general ledger (`store::ledger`) laid out as zbooks reads Zoho's reports
//! (`zbooks_types::reports`, which cites the evidence and says what is inferred).
//!
//! Each answer: `{code, message, <segment>: {report_name, from_date, to_date, report_basis,
//! rows: [section {name, rows: [account…], totals}], totals}}`. An account row carries
//! `account_id` (when in the chart), `account_name`, `account_type` and its figures: on a
//! trial balance `net_debit_total` and `net_credit_total` (one of them zero), elsewhere
//! `total` on the account's natural side. The trial balance stands at `to_date` (every
//! posting up to it, openings included); the profit and loss covers `from_date..=to_date`;
//! the balance sheet stands at `to_date`, the profit of every posting up to it shown as
//! `Current Year Earnings` among the equities.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use zbooks_types::reports::{self, ZohoReport};

use crate::http::request::Incoming;
use crate::money;
use crate::rules::reply::{Answer, Reply};
use crate::store::OrgData;
use crate::store::ledger::{self, AccountTotal};
use crate::time;

/// The section order of each report.
const SECTIONS: [&str; 5] = ["Assets", "Liabilities", "Equities", "Income", "Expense"];

fn period<'a>(inc: &'a Incoming, today: &str) -> Result<(Option<&'a str>, String), Reply> {
    let from = inc.param(reports::FROM_DATE).filter(|d| !d.is_empty());
    if from.is_some_and(|d| !time::is_date(d)) {
        return Err(Reply::invalid(reports::FROM_DATE));
    }
    let to = match inc.param(reports::TO_DATE).filter(|d| !d.is_empty()) {
        Some(d) if time::is_date(d) => d.to_owned(),
        Some(_) => return Err(Reply::invalid(reports::TO_DATE)),
        None => today.to_owned(),
    };
    if from.is_some_and(|f| f > to.as_str()) {
        return Err(Reply::invalid(reports::FROM_DATE));
    }
    Ok((from, to))
}

/// The signed natural-side figure of an account: positive on its natural side.
fn natural(a: &AccountTotal) -> Decimal {
    if reports::debit_natural(&a.account_type) {
        a.debit - a.credit
    } else {
        a.credit - a.debit
    }
}

fn account_row(a: &AccountTotal, trial: bool) -> Value {
    let mut row = Map::new();
    if let Some(id) = &a.account_id {
        row.insert("account_id".into(), json!(id));
    }
    row.insert("account_name".into(), json!(a.account_name));
    row.insert("name".into(), json!(a.account_name));
    row.insert("account_type".into(), json!(a.account_type));
    if trial {
        let net = a.debit - a.credit;
        let (dr, cr) = if net >= Decimal::ZERO {
            (net, Decimal::ZERO)
        } else {
            (Decimal::ZERO, -net)
        };
        row.insert("net_debit_total".into(), money::to_json(money::cents(dr)));
        row.insert("net_credit_total".into(), money::to_json(money::cents(cr)));
    } else {
        row.insert("total".into(), money::to_json(money::cents(natural(a))));
    }
    Value::Object(row)
}

/// The answer to a report request.
pub(crate) fn answer(data: &OrgData, inc: &Incoming, report: ZohoReport, today: &str) -> Answer {
    let (from, to) = period(inc, today)?;
    let trial = report == ZohoReport::TrialBalance;
    let ledger = match report {
        ZohoReport::ProfitAndLoss => ledger::ledger(data, from, Some(&to)),
        _ => ledger::ledger(data, None, Some(&to)),
    };
    let mut accounts: Vec<AccountTotal> = ledger
        .accounts
        .into_values()
        .filter(|a| !(a.debit - a.credit).is_zero())
        .collect();
    if report == ZohoReport::BalanceSheet {
        let profit: Decimal = accounts
            .iter()
            .filter(|a| reports::is_profit_and_loss(&a.account_type))
            .map(|a| a.credit - a.debit)
            .sum();
        accounts.retain(|a| !reports::is_profit_and_loss(&a.account_type));
        if !profit.is_zero() {
            accounts.push(AccountTotal {
                account_id: None,
                account_name: "Current Year Earnings".into(),
                account_type: "equity".into(),
                debit: Decimal::ZERO,
                credit: profit,
            });
        }
    } else if report == ZohoReport::ProfitAndLoss {
        accounts.retain(|a| reports::is_profit_and_loss(&a.account_type));
    }
    let mut sections = Vec::new();
    let (mut all_dr, mut all_cr) = (Decimal::ZERO, Decimal::ZERO);
    let mut profit = Decimal::ZERO;
    for name in SECTIONS {
        let inside: Vec<&AccountTotal> = accounts
            .iter()
            .filter(|a| reports::section(&a.account_type) == name)
            .collect();
        if inside.is_empty() {
            continue;
        }
        let rows: Vec<Value> = inside.iter().map(|a| account_row(a, trial)).collect();
        let mut section = json!({ "name": name, "rows": rows });
        if trial {
            let dr: Decimal = inside
                .iter()
                .map(|a| (a.debit - a.credit).max(Decimal::ZERO))
                .sum();
            let cr: Decimal = inside
                .iter()
                .map(|a| (a.credit - a.debit).max(Decimal::ZERO))
                .sum();
            all_dr += dr;
            all_cr += cr;
            section["net_debit_total"] = money::to_json(money::cents(dr));
            section["net_credit_total"] = money::to_json(money::cents(cr));
        } else {
            let total: Decimal = inside.iter().map(|a| natural(a)).sum();
            if name == "Income" {
                profit += total;
            } else if name == "Expense" {
                profit -= total;
            }
            section["total"] = money::to_json(money::cents(total));
        }
        sections.push(section);
    }
    let mut body = json!({
        "report_name": report.title(),
        "from_date": from.unwrap_or(""),
        "to_date": to,
        "report_basis": "Accrual",
        "rows": sections,
    });
    if trial {
        body["net_debit_total"] = money::to_json(money::cents(all_dr));
        body["net_credit_total"] = money::to_json(money::cents(all_cr));
    } else if report == ZohoReport::ProfitAndLoss {
        body["net_profit"] = money::to_json(money::cents(profit));
    }
    let mut envelope = Map::new();
    envelope.insert("code".into(), json!(0));
    envelope.insert("message".into(), json!("success"));
    envelope.insert(report.envelope().into(), body);
    Ok(Reply::json(200, &Value::Object(envelope)))
}
