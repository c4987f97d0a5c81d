//! What the client knows about an endpoint before calling it: whether it is safe to repeat,
//! and which OAuth scope it needs.
//!
//! Idempotency decides retries (docs/design.md promise 5): reads, updates, deletes and upserts may
//! be repeated after a failure where the request may have landed; a create may be repeated
//! only when it certainly was not sent. Scopes follow Zoho's grammar
//! `ZohoBooks.<family>.<OPERATION>` (reference §3.5), with Zoho's surprises: items, taxes and
//! organizations live under `settings`, journals and the chart of accounts under
//! `accountants`.

use reqwest::Method;

/// Whether a request may be repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// A read: repeating it changes nothing.
    Safe,
    /// An update, delete or upsert: repeating it leaves the same end state.
    Idempotent,
    /// A create or an action: repeating it may do it twice.
    NonIdempotent,
}

impl Idempotency {
    /// The default for a method: POST is not idempotent, GET/HEAD are safe, the rest are
    /// idempotent.
    pub fn of(method: &Method) -> Self {
        if *method == Method::POST || *method == Method::PATCH {
            Idempotency::NonIdempotent
        } else if *method == Method::GET || *method == Method::HEAD {
            Idempotency::Safe
        } else {
            Idempotency::Idempotent
        }
    }

    /// Whether a retry is allowed after a failure where the request may have been carried out.
    pub fn may_repeat_after_maybe_sent(self) -> bool {
        self != Idempotency::NonIdempotent
    }
}

/// The scope family of a path below `/books/v3` (`invoices/123` → `invoices`): the resource
/// table's ([`zbooks_types::resource::Resource::scope`]) for the resources zbooks knows, and
/// Zoho's families (reference §3.5) for the others a raw call may reach.
pub fn scope_family(path: &str) -> &'static str {
    let path = path
        .trim_start_matches('/')
        .trim_start_matches("books/v3/")
        .trim_start_matches("api/v3/");
    if let Some(resource) = zbooks_types::resource::by_path(path) {
        return resource.scope;
    }
    let first = path.split(['/', '?']).next().unwrap_or("");
    match first {
        "recurringinvoices" => "invoices",
        "recurringbills" => "bills",
        "basecurrencyadjustment" => "accountants",
        "expenses" | "recurringexpenses" => "expenses",
        "estimates" => "estimates",
        "salesorders" => "salesorders",
        "purchaseorders" => "purchaseorders",
        "projects" | "timeentries" => "projects",
        "bankaccounts" | "banktransactions" | "bankstatements" => "banking",
        "fixedassets" => "fixedasset",
        // itemdetails, settings/*, users, currencies...
        _ => "settings",
    }
}

/// The operation a method performs, in Zoho's scope grammar.
pub fn scope_operation(method: &Method) -> &'static str {
    match *method {
        Method::POST => "CREATE",
        Method::PUT | Method::PATCH => "UPDATE",
        Method::DELETE => "DELETE",
        _ => "READ",
    }
}

/// The scope a call needs (`ZohoBooks.invoices.CREATE`).
pub fn scope_for(method: &Method, path: &str) -> String {
    format!(
        "ZohoBooks.{}.{}",
        scope_family(path),
        scope_operation(method)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_zoho_families() {
        assert_eq!(
            scope_for(&Method::POST, "/books/v3/invoices"),
            "ZohoBooks.invoices.CREATE"
        );
        assert_eq!(
            scope_for(&Method::GET, "/items/1"),
            "ZohoBooks.settings.READ"
        );
        assert_eq!(
            scope_for(&Method::DELETE, "journals/9"),
            "ZohoBooks.accountants.DELETE"
        );
        assert_eq!(
            scope_for(&Method::PUT, "/settings/taxes/1"),
            "ZohoBooks.settings.UPDATE"
        );
        assert_eq!(
            scope_for(&Method::GET, "/bankaccounts"),
            "ZohoBooks.banking.READ"
        );
        assert_eq!(
            scope_for(&Method::POST, "/vendorcredits"),
            "ZohoBooks.debitnotes.CREATE"
        );
        assert_eq!(
            scope_for(&Method::GET, "/organizations"),
            "ZohoBooks.settings.READ"
        );
        assert_eq!(
            scope_for(&Method::GET, "/chartofaccounts?x=1"),
            "ZohoBooks.accountants.READ"
        );
    }

    #[test]
    fn only_creates_are_not_idempotent() {
        assert_eq!(Idempotency::of(&Method::POST), Idempotency::NonIdempotent);
        assert_eq!(Idempotency::of(&Method::GET), Idempotency::Safe);
        assert_eq!(Idempotency::of(&Method::PUT), Idempotency::Idempotent);
        assert_eq!(Idempotency::of(&Method::DELETE), Idempotency::Idempotent);
        assert!(!Idempotency::NonIdempotent.may_repeat_after_maybe_sent());
    }
}
