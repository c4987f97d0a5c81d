//! The diagnosis: turns the aggregated state into ranked findings (each with its counts,
//! time span, sample lines and fix) and into the report's tables and series.
//!
//! Each rule is a pattern no single line shows: calls bunched above 100 a minute, a token
//! used until Zoho refuses it an hour later, a create sent again after a lost answer, and so
//! on. The Zoho facts behind the thresholds are in zoho-books-reference.md: 100 calls a
//! minute per organization and the daily quota by plan (§2), 10 token requests per refresh
//! token per 10 minutes and one-hour access tokens (§3.3), 44/45/1070 all with HTTP 429
//! (§1.4). Fix texts come from the error catalog of zbooks-types, so `zbooks explain` and this
//! report give the same advice.
//!
//! One file per rule family; [`report`] runs them in a fixed order (a family that explains a
//! code marks it covered, so the generic rules at the end do not report it twice), ranks the
//! findings, and hands them to [`summary`] to become the report. The layers run one way:
//! this file uses the families, the families use `common`, and none uses this file.

use std::collections::BTreeSet;

use crate::analyze::State;
use crate::options::AnalyzeOptions;
use crate::report::Report;
use crate::time;

mod common;
mod concurrency;
mod duplicate;
mod generic;
mod input;
mod not_found;
mod organization;
mod quota;
mod rate;
mod series;
mod server;
mod summary;
mod tables;
mod token;
mod validation;

/// Builds the report.
pub(crate) fn report(state: &State, opts: &AnalyzeOptions) -> Report {
    let now = opts.now.map(time::from_system).or(state.last);
    let minutes = rate::minute_figures(state);
    let mut findings = Vec::new();
    let mut covered: BTreeSet<i64> = BTreeSet::new();
    let mut covered_accounts: BTreeSet<String> = BTreeSet::new();

    rate::rate_rules(state, &minutes, &mut findings, &mut covered);
    let quota_rows = quota::quota_rules(state, opts, now, &mut findings, &mut covered);
    concurrency::concurrency_rule(state, opts, &mut findings, &mut covered);
    token::token_rules(state, &mut findings, &mut covered, &mut covered_accounts);
    organization::org_rule(state, &mut findings, &mut covered);
    not_found::not_found_rule(state, &mut findings, &mut covered);
    validation::validation_rule(state, &mut findings, &mut covered);
    duplicate::duplicate_rule(state, &mut findings, &mut covered);
    server::server_rule(state, &mut findings, &mut covered);
    generic::generic_rules(state, &mut findings, &covered, &covered_accounts);
    input::unreadable_rule(state, &mut findings);
    input::long_lines_rule(state, &mut findings);

    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.count.cmp(&a.count))
            .then(a.kind.cmp(&b.kind))
            .then(a.organization.cmp(&b.organization))
    });
    for (i, f) in findings.iter_mut().enumerate() {
        f.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }

    summary::assemble(state, opts, now, &minutes, findings, quota_rows)
}

#[cfg(test)]
mod tests {
    use super::series::bin_minutes;
    use super::token::scope_for;

    #[test]
    fn bins_fit_the_span() {
        assert_eq!(bin_minutes(30, 60), 1);
        assert_eq!(bin_minutes(600, 60), 15);
        assert_eq!(bin_minutes(1440 * 3, 60), 120);
        assert!(bin_minutes(1440 * 400, 60) >= 1440);
        assert_eq!(
            scope_for("GET /books/v3/items/{id}"),
            "ZohoBooks.settings.READ"
        );
        assert_eq!(
            scope_for("POST /books/v3/invoices"),
            "ZohoBooks.invoices.CREATE"
        );
    }

    #[test]
    fn scopes_come_from_the_resource_table() {
        for (label, scope) in [
            (
                "GET /books/v3/settings/taxes/{id}",
                "ZohoBooks.settings.READ",
            ),
            (
                "PUT /books/v3/chartofaccounts/{id}",
                "ZohoBooks.accountants.UPDATE",
            ),
            (
                "DELETE /books/v3/journals/{id}",
                "ZohoBooks.accountants.DELETE",
            ),
            (
                "POST /books/v3/vendorcredits",
                "ZohoBooks.debitnotes.CREATE",
            ),
            ("GET /books/v3/organizations", "ZohoBooks.settings.READ"),
            (
                "POST /books/v3/customerpayments",
                "ZohoBooks.customerpayments.CREATE",
            ),
            ("GET /books/v3/expenses", "ZohoBooks.expenses.READ"),
            ("GET /books/v3/itemdetails", "ZohoBooks.settings.READ"),
        ] {
            assert_eq!(scope_for(label), scope, "{label}");
        }
    }
}
