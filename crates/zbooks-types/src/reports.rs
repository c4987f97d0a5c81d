//! Zoho Books' accounting reports as zbooks reads them: the trial balance, profit and loss and
//! balance sheet. The one place their paths, parameters and answer shape are written; the
//! client (`zbooks_client::reports`), the simulator and the tie-out read them from here.
//!
//! Evidence, and what is inferred (docs/tieout.md, "Zoho's side"): Zoho's public API pages
//! document no report endpoint. A public MCP server for Zoho Books lists them as
//! `GET /books/v3/reports/trialbalance`, `/reports/profitandloss` and `/reports/balancesheet`,
//! with the filters `from_date`, `to_date` (`YYYY-MM-DD`), `filter_by`
//! (`TransactionDate.Custom`…) and `cash_based`, needing the scope `ZohoBooks.reports.READ`,
//! and says they were confirmed against a live organization. A public connector description
//! reads Zoho's report answer as nested rows — sections, groups and accounts, each account by
//! its `account_id` — with `net_debit_total` and `net_credit_total` (each positive) on a trial
//! balance and `total` on the others. The envelope key of each answer and the exact nesting
//! are not published: zbooks writes them as below and its reader walks rows at any depth, so
//! that a deeper or shallower nesting reads alike.

/// One of the three reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ZohoReport {
    /// `GET /reports/trialbalance`.
    TrialBalance,
    /// `GET /reports/profitandloss`.
    ProfitAndLoss,
    /// `GET /reports/balancesheet`.
    BalanceSheet,
}

impl ZohoReport {
    /// The three.
    pub const ALL: [ZohoReport; 3] = [
        ZohoReport::TrialBalance,
        ZohoReport::ProfitAndLoss,
        ZohoReport::BalanceSheet,
    ];

    /// The path segment after `/reports/`.
    pub fn segment(self) -> &'static str {
        match self {
            ZohoReport::TrialBalance => "trialbalance",
            ZohoReport::ProfitAndLoss => "profitandloss",
            ZohoReport::BalanceSheet => "balancesheet",
        }
    }

    /// The path below `/books/v3`.
    pub fn path(self) -> String {
        format!("/reports/{}", self.segment())
    }

    /// The report by its path segment.
    pub fn from_segment(segment: &str) -> Option<ZohoReport> {
        ZohoReport::ALL.into_iter().find(|r| r.segment() == segment)
    }

    /// The answer's envelope key (the same as the segment).
    pub fn envelope(self) -> &'static str {
        self.segment()
    }

    /// The report's name as Zoho titles it.
    pub fn title(self) -> &'static str {
        match self {
            ZohoReport::TrialBalance => "Trial Balance",
            ZohoReport::ProfitAndLoss => "Profit and Loss",
            ZohoReport::BalanceSheet => "Balance Sheet",
        }
    }
}

/// The OAuth scope family of the reports (`ZohoBooks.reports.READ`).
pub const SCOPE_FAMILY: &str = "reports";

/// The query parameter of the period's first day.
pub const FROM_DATE: &str = "from_date";
/// The query parameter of the period's last day.
pub const TO_DATE: &str = "to_date";
/// The `filter_by` value of a custom period.
pub const CUSTOM_PERIOD: &str = "TransactionDate.Custom";

/// Whether an account type's balance is naturally a debit (assets and expenses) rather than a
/// credit (liabilities, equity, income). A report's `total` of an account is on its natural
/// side: positive there, negative on the other.
pub fn debit_natural(account_type: &str) -> bool {
    matches!(
        account_type,
        "accounts_receivable"
            | "bank"
            | "cash"
            | "other_current_asset"
            | "stock"
            | "fixed_asset"
            | "other_asset"
            | "payment_clearing"
            | "input_tax"
            | "expense"
            | "cost_of_goods_sold"
            | "other_expense"
    )
}

/// The section an account type is listed under: `Assets`, `Liabilities`, `Equities`,
/// `Income` or `Expense`.
pub fn section(account_type: &str) -> &'static str {
    match account_type {
        "equity" => "Equities",
        "income" | "other_income" => "Income",
        "expense" | "cost_of_goods_sold" | "other_expense" => "Expense",
        t if debit_natural(t) => "Assets",
        _ => "Liabilities",
    }
}

/// Whether an account type belongs to the profit and loss account.
pub fn is_profit_and_loss(account_type: &str) -> bool {
    matches!(section(account_type), "Income" | "Expense")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_sections() {
        assert_eq!(ZohoReport::TrialBalance.path(), "/reports/trialbalance");
        assert_eq!(
            ZohoReport::from_segment("balancesheet"),
            Some(ZohoReport::BalanceSheet)
        );
        assert_eq!(section("accounts_receivable"), "Assets");
        assert_eq!(section("accounts_payable"), "Liabilities");
        assert_eq!(section("other_income"), "Income");
        assert!(is_profit_and_loss("cost_of_goods_sold"));
        assert!(!is_profit_and_loss("equity"));
    }
}
